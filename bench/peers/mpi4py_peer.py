"""mpi4py.futures on the peers' workloads: an MPIPoolExecutor whose workers
are the other ranks of the job (run with `mpirun -n N python3 -m mpi4py.futures`).

Usage: mpirun -n N python3 -m mpi4py.futures mpi4py_peer.py roundtrips tasks
Prints one JSON line: the no-op round trip (submit, then wait for the result,
one at a time) and the throughput of `tasks` no-op tasks submitted and
awaited."""
import json
import sys
import time

from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor


def noop(_=None):
    return 0


def main():
    roundtrips, tasks = (int(x) for x in sys.argv[1:3])
    with MPIPoolExecutor() as pool:
        workers = MPI.COMM_WORLD.Get_size() - 1  # the manager is rank 0
        for _ in range(max(10, roundtrips // 10)):
            pool.submit(noop).result()
        t0 = time.perf_counter()
        for _ in range(roundtrips):
            pool.submit(noop).result()
        us = (time.perf_counter() - t0) * 1e6 / roundtrips
        t0 = time.perf_counter()
        futures = [pool.submit(noop) for _ in range(tasks)]
        total = sum(f.result() for f in futures)
        per_second = tasks / (time.perf_counter() - t0)
        if total != 0:
            raise SystemExit("wrong results")
    print(json.dumps({"system": "mpi4py.futures", "workers": workers, "us": us, "perSecond": per_second, "tasks": tasks}), flush=True)


if __name__ == "__main__":
    main()
