/* C MPI ping-pong between ranks 0 and 1 (the lower bound for the Node
 * ping-pong beside it). Blocking MPI_Send/MPI_Recv as in the OSU latency test.
 * Usage: bench_pingpong scale size...   Prints one JSON line per size. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static long iterations(long size, double scale) {
  long n = (long)(2e9 / (double)(size + 20000) * scale);
  if (n > 100000) n = 100000;
  if (n < 5) n = 5;
  return n;
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size < 2 || argc < 3) {
    if (rank == 0) fprintf(stderr, "usage: mpirun -n 2 bench_pingpong scale size...\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  double scale = atof(argv[1]);
  long max = 0;
  for (int i = 2; i < argc; i++) if (atol(argv[i]) > max) max = atol(argv[i]);
  char* buf = aligned_alloc(64, (size_t)max + 64);
  memset(buf, 1, (size_t)max);
  int peer = 1 - rank;
  for (int a = 2; a < argc; a++) {
    long bytes = atol(argv[a]);
    long iters = iterations(bytes, scale);
    long warm = iters / 10 + 2;
    double t0 = 0;
    /* Also timed in batches of 100: the median batch is the figure a stall
     * of the machine (a descheduled core) does not move. */
    long nb = iters / 100;
    double* batches = calloc((size_t)(nb > 0 ? nb : 1), sizeof(double));
    double tb = 0;
    if (rank < 2) {
      for (long i = 0; i < iters + warm; i++) {
        if (i == warm) {
          MPI_Barrier(MPI_COMM_WORLD);
          t0 = MPI_Wtime();
          tb = t0;
        } else if (i > warm && (i - warm) % 100 == 0 && (i - warm) / 100 <= nb) {
          double now = MPI_Wtime();
          batches[(i - warm) / 100 - 1] = now - tb;
          tb = now;
        }
        if (rank == 0) {
          MPI_Send(buf, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
          MPI_Recv(buf, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else {
          MPI_Recv(buf, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          MPI_Send(buf, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
        }
      }
    } else {
      MPI_Barrier(MPI_COMM_WORLD);
    }
    double elapsed = MPI_Wtime() - t0;
    if (rank == 0) {
      double half = elapsed / (double)iters / 2.0;
      double typical = half;
      if (nb > 0) {
        qsort(batches, (size_t)nb, sizeof(double), cmp);
        typical = batches[nb / 2] / 100.0 / 2.0;
      }
      printf("{\"size\":%ld,\"iters\":%ld,\"halfRoundTripUs\":%.4f,\"medianBatchHalfRoundTripUs\":%.4f,\"bandwidthMBs\":%.2f}\n", bytes,
             iters, half * 1e6, typical * 1e6, (double)bytes / half / 1e6);
      fflush(stdout);
    }
    free(batches);
  }
  free(buf);
  MPI_Finalize();
  return 0;
}
