/* Task Bench in C with MPI: the lower bound for bench/taskbench/taskbench.ts.
 * Point i of every step lives on rank i; a task's inputs come from the ranks
 * that own its dependencies (MPI_Irecv), its output goes to the ranks whose
 * next task reads it (MPI_Isend). The patterns are those of graph.ts.
 * Usage: mpirun -n W bench_taskbench patterns iterations target_ms min_steps max_steps fixed_steps
 *   patterns and iterations comma-separated; fixed_steps 0 picks steps per graph from target_ms.
 * Prints JSON lines from rank 0: the calibration, then one per graph. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TRIVIAL, STENCIL, FFT, TREE };
static const char* NAMES[] = {"trivial", "stencil_1d", "fft", "tree"};
#define MOD 1000003LL

static int active_width(int p, int width, long t) {
  if (p == TREE && t < 31) { long w = 1L << t; return w < width ? (int)w : width; }
  return width;
}

static int log2floor(int n) { int k = 0; while ((2 << k) <= n) k++; return k; }

/* The points of step t - 1 that (t, i) reads, ascending; returns how many. */
static int dependencies(int p, int width, long t, int i, int* out) {
  if (t == 0 || i >= active_width(p, width, t)) return 0;
  int n = 0;
  switch (p) {
    case TRIVIAL: return 0;
    case STENCIL:
      for (int d = i - 1; d <= i + 1; d++) if (d >= 0 && d < width) out[n++] = d;
      return n;
    case FFT: {
      int lg = log2floor(width); if (lg < 1) lg = 1;
      int partner = i ^ (1 << ((t - 1) % lg));
      if (partner < width && partner != i) { out[0] = i < partner ? i : partner; out[1] = i < partner ? partner : i; return 2; }
      out[0] = i; return 1;
    }
    default: out[0] = i >> 1; return 1;
  }
}

static int dependents(int p, int width, long t, int i, int* out) {
  int n = 0, deps[3];
  for (int j = 0; j < active_width(p, width, t + 1); j++) {
    int k = dependencies(p, width, t + 1, j, deps);
    for (int a = 0; a < k; a++) if (deps[a] == i) { out[n++] = j; break; }
  }
  return n;
}

static long long output(long t, int i, const long long* in, int n) {
  long long s = 0;
  for (int k = 0; k < n; k++) s += in[k];
  return (s * 31 + t * 1009 + i + 1) % MOD;
}

static double kernel(long iterations) {
  double a = 1.0, b = 1.0;
  for (long k = 0; k < iterations; k++) { a = a * 1.0000001 + 1e-9; b = b * 0.9999999 + 1e-9; }
  return a + b;
}

static volatile double sink;

static long long run_graph(int p, int width, int me, long iterations, long steps) {
  long long mine = 0, in[3], outbox[3];
  int deps[3], outs[3];
  MPI_Request req[6];
  MPI_Status st[6]; /* not MPI_STATUSES_IGNORE: MPICH's definition of it trips -Wstringop-overflow */
  for (long t = 0; t < steps; t++) {
    if (me >= active_width(p, width, t)) continue;
    int nd = dependencies(p, width, t, me, deps), nr = 0;
    for (int k = 0; k < nd; k++) {
      if (deps[k] == me) in[k] = mine;
      else MPI_Irecv(&in[k], 1, MPI_LONG_LONG, deps[k], (int)((t - 1) % 30000), MPI_COMM_WORLD, &req[nr++]);
    }
    MPI_Waitall(nr, req, st);
    sink += kernel(iterations);
    mine = output(t, me, in, nd);
    int no = t + 1 < steps ? dependents(p, width, t, me, outs) : 0, ns = 0;
    for (int k = 0; k < no; k++) {
      if (outs[k] == me) continue;
      outbox[ns] = mine;
      MPI_Isend(&outbox[ns], 1, MPI_LONG_LONG, outs[k], (int)(t % 30000), MPI_COMM_WORLD, &req[ns]);
      ns++;
    }
    MPI_Waitall(ns, req, st);
  }
  return me < active_width(p, width, steps - 1) ? mine : 0;
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int me, width;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  MPI_Comm_size(MPI_COMM_WORLD, &width);
  if (argc < 7) {
    if (me == 0) fprintf(stderr, "usage: bench_taskbench patterns iterations target_ms min_steps max_steps fixed_steps\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  double target_ms = atof(argv[3]);
  long min_steps = atol(argv[4]), max_steps = atol(argv[5]), fixed_steps = atol(argv[6]);

  double ns_per_iteration = 0;
  if (me == 0) {
    sink += kernel(1000000);
    for (long n = 1L << 20;; n *= 2) {
      double t0 = MPI_Wtime();
      sink += kernel(n);
      double s = MPI_Wtime() - t0;
      if (s > 0.1 || n > (1L << 30)) { ns_per_iteration = s * 1e9 / (double)n; break; }
    }
    printf("{\"system\":\"c-mpi\",\"kind\":\"calibration\",\"nsPerIteration\":%.6f,\"width\":%d}\n", ns_per_iteration, width);
    fflush(stdout);
  }
  MPI_Bcast(&ns_per_iteration, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);

  char* patterns = strdup(argv[1]);
  for (char* name = strtok(patterns, ","); name; name = strtok(NULL, ",")) {
    int p = -1;
    for (int k = 0; k < 4; k++) if (strcmp(name, NAMES[k]) == 0) p = k;
    if (p < 0) { if (me == 0) fprintf(stderr, "unknown pattern '%s'\n", name); MPI_Abort(MPI_COMM_WORLD, 2); }
    run_graph(p, width, me, 16, 50); /* warm-up, as in the taskloaf version */
    char* list = strdup(argv[2]);
    char* save = NULL;
    for (char* it = strtok_r(list, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
      long iterations = atol(it);
      long steps = fixed_steps;
      if (!steps) {
        steps = (long)(target_ms * 1e6 / ((double)iterations * ns_per_iteration + 10000.0) + 0.5);
        if (steps < min_steps) steps = min_steps;
        if (steps > max_steps) steps = max_steps;
      }
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = MPI_Wtime();
      long long last = run_graph(p, width, me, iterations, steps), checksum = 0;
      MPI_Reduce(&last, &checksum, 1, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
      double wall = MPI_Wtime() - t0;
      long tasks = 0;
      for (long t = 0; t < steps; t++) tasks += active_width(p, width, t);
      if (me == 0) {
        printf("{\"system\":\"c-mpi\",\"pattern\":\"%s\",\"width\":%d,\"iterations\":%ld,\"steps\":%ld,\"tasks\":%ld,\"wallSeconds\":%.9f,\"checksum\":%lld}\n",
               NAMES[p], width, iterations, steps, tasks, wall, checksum);
        fflush(stdout);
      }
    }
    free(list);
  }
  free(patterns);
  MPI_Finalize();
  return 0;
}
