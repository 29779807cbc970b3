"""Dask distributed on the peers' workloads: a local cluster with one
single-threaded worker process per core.

Usage: python3 dask_peer.py workers roundtrips tasks
Prints one JSON line: the no-op round trip (submit, then wait for the result,
one at a time) and the throughput of `tasks` no-op tasks submitted at once
(client.map) and gathered."""
import json
import sys
import time

from distributed import Client, LocalCluster


def noop(_=None):
    return 0


def main():
    workers, roundtrips, tasks = (int(x) for x in sys.argv[1:4])
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        for _ in range(max(10, roundtrips // 10)):
            client.submit(noop, pure=False).result()
        t0 = time.perf_counter()
        for _ in range(roundtrips):
            client.submit(noop, pure=False).result()
        us = (time.perf_counter() - t0) * 1e6 / roundtrips
        client.gather(client.map(noop, range(min(tasks, 1000)), pure=False))
        t0 = time.perf_counter()
        total = sum(client.gather(client.map(noop, range(tasks), pure=False)))
        per_second = tasks / (time.perf_counter() - t0)
        if total != 0:
            raise SystemExit("wrong results")
    print(json.dumps({"system": "dask", "workers": workers, "us": us, "perSecond": per_second, "tasks": tasks}), flush=True)


if __name__ == "__main__":
    main()
