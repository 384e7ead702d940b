"""Batch samplers with one BLAS thread against the library's default thread count.

Run: ``.venv/bin/python benchmarks/bench_blas_threads.py [--load] [--repeats 5]`` (about a
minute each).

For each n, the median wall time of ``spectral_radius(n, size=batch, method=m, rng=0,
blas_threads=k)`` (real field, ``method`` dense and hessenberg) with ``k = 1`` and with ``k =
None`` (the pool left as loaded: OpenBLAS uses one thread per core), and their ratio. With
``--load`` a busy-loop process occupies one core during the timings, as another job (or a
notebook kernel, or a second Monte Carlo run) does on a shared machine: a multithreaded BLAS
then waits for a thread that is not running. This is the measurement behind the default
``blas_threads="auto"`` of the batch samplers (one thread per matrix for batches of
``n <= samplers.PIN_MAX_N``); see docs/api.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import time

from _common import bench_main

import rmtedge
from rmtedge.ensembles import samplers

#: (n, batch) pairs: about the same number of flops per call
CASES = [(8, 20000), (32, 4000), (64, 1000), (128, 200), (256, 40), (512, 6), (1000, 2)]


def _spin(stop) -> None:
    while not stop.is_set():
        pass


def _time(n: int, batch: int, method: str, threads, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        rmtedge.spectral_radius(n, size=batch, method=method, rng=0, blas_threads=threads)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load", action="store_true", help="one busy process on another core")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    for n, _batch in CASES[:2]:  # warm up (compiles and loads LAPACK)
        rmtedge.spectral_radius(n, size=2, method="hessenberg", rng=0)
    stop = mp.Event()
    hog = None
    if args.load:
        hog = mp.Process(target=_spin, args=(stop,), daemon=True)
        hog.start()
    try:
        print(f"{os.cpu_count()} cpus, busy process: {'yes' if args.load else 'no'}; "
              f"PIN_MAX_N = {samplers.PIN_MAX_N}; median of {args.repeats}")
        print(f"{'n':>5s} {'batch':>6s} {'method':>10s} {'1 thread [s]':>13s} "
              f"{'default [s]':>12s} {'default/1':>10s}")
        for n, batch in CASES:
            for method in ("dense", "hessenberg"):
                one = _time(n, batch, method, 1, args.repeats)
                many = _time(n, batch, method, None, args.repeats)
                print(f"{n:5d} {batch:6d} {method:>10s} {one:13.4f} {many:12.4f} {many / one:10.2f}")
    finally:
        stop.set()
        if hog is not None:
            hog.join()


if __name__ == "__main__":
    # the pool is NOT pinned by bench_main here: the point is to compare both settings
    raise SystemExit(bench_main(main, threads=os.cpu_count() or 1))
