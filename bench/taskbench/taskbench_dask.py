"""Task Bench in Dask distributed: the graph of graph.ts built from futures
(each task submitted with its inputs' futures), run by a local cluster with
one single-threaded worker process per point of the width.

Usage: python3 taskbench_dask.py patterns iterations target_ms min_steps max_steps fixed_steps width
Prints JSON lines: the calibration, then one per graph."""
import json
import sys
import time

from distributed import Client, LocalCluster, wait

MOD = 1000003
PATTERNS = ("trivial", "stencil_1d", "fft", "tree")


def active_width(pattern, width, t):
    return min(width, 2**t) if pattern == "tree" and t < 31 else width


def log2floor(n):
    return max(1, n).bit_length() - 1


def dependencies(pattern, width, t, i):
    if t == 0 or i >= active_width(pattern, width, t):
        return []
    if pattern == "trivial":
        return []
    if pattern == "stencil_1d":
        return [d for d in (i - 1, i, i + 1) if 0 <= d < width]
    if pattern == "fft":
        partner = i ^ (1 << ((t - 1) % max(1, log2floor(width))))
        return sorted((i, partner)) if partner < width and partner != i else [i]
    return [i >> 1]


def output(t, i, inputs):
    return (sum(inputs) * 31 + t * 1009 + i + 1) % MOD


def kernel(iterations):
    a = 1.0
    b = 1.0
    for _ in range(iterations):
        a = a * 1.0000001 + 1e-9
        b = b * 0.9999999 + 1e-9
    return a + b


def point(t, i, iterations, *inputs):
    if kernel(iterations) <= 0:
        raise RuntimeError("kernel result lost")
    return output(t, i, inputs)


def calibrate():
    n = 1 << 14
    while True:
        t0 = time.perf_counter()
        kernel(n)
        s = time.perf_counter() - t0
        if s > 0.1:
            return s * 1e9 / n
        n *= 2


def run_graph(client, pattern, width, iterations, steps):
    # Every future is kept until the end: Dask drops the tasks of futures
    # released early (the trivial pattern's would never run).
    every = []
    prev = []
    for t in range(steps):
        row = []
        for i in range(active_width(pattern, width, t)):
            deps = [prev[d] for d in dependencies(pattern, width, t, i)]
            row.append(client.submit(point, t, i, iterations, *deps, pure=False))
        every.extend(row)
        prev = row
    wait(every)
    return sum(client.gather(prev))


def main():
    patterns, iterations, target_ms, min_steps, max_steps, fixed_steps, width = sys.argv[1:8]
    target_ms, min_steps, max_steps, fixed_steps, width = float(target_ms), int(min_steps), int(max_steps), int(fixed_steps), int(width)
    with LocalCluster(n_workers=width, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        ns = client.submit(calibrate, pure=False).result()
        print(json.dumps({"system": "dask", "kind": "calibration", "nsPerIteration": ns, "width": width}), flush=True)
        for pattern in patterns.split(","):
            if pattern not in PATTERNS:
                raise SystemExit(f"unknown pattern '{pattern}'")
            run_graph(client, pattern, width, 16, 10)  # warm-up
            for it in (int(x) for x in iterations.split(",")):
                steps = fixed_steps or max(min_steps, min(max_steps, round(target_ms * 1e6 / (it * ns + 10000))))
                t0 = time.perf_counter()
                checksum = run_graph(client, pattern, width, it, steps)
                wall = time.perf_counter() - t0
                tasks = sum(active_width(pattern, width, t) for t in range(steps))
                print(json.dumps({"system": "dask", "pattern": pattern, "width": width, "iterations": it, "steps": steps,
                                  "tasks": tasks, "wallSeconds": wall, "checksum": checksum}), flush=True)


if __name__ == "__main__":
    main()
