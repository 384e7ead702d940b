"""Benchmark of rmtedge's spectrum samplers against dense ``numpy.linalg.eigvals``.

Run: ``.venv/bin/python benchmarks/bench_samplers.py`` (a few minutes; n = 2000 dominates).

Single-threaded BLAS (threadpoolctl), warmed up first. For each n, the median wall time per
sample of

* baseline: ``numpy.linalg.eigvals(G)`` of a pre-sampled dense real Ginibre ``G`` (complex too,
  as the fair baseline for the complex-only Kostlan sampler);
* ``eigvals(n, method="hessenberg")`` and ``spectral_radius(n, method="hessenberg")`` (real;
  sampling included);
* ``spectral_radius(n, field="complex", method="kostlan")`` (sampling included);

and the speed-up ratios baseline / method. ``--crossover`` instead scans small n and reports
where method="hessenberg" overtakes method="dense" for batches (the ``_CROSSOVER`` table in
``rmtedge/samplers.py``). Timings are medians of interleaved repeats, so a transient load on
the machine hits every method alike; on a shared machine rerun if the spread is large.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np
import scipy
from _common import bench_main, pin_blas_threads, timed
from threadpoolctl import threadpool_info

import rmtedge
from rmtedge.ensembles import samplers

REPEATS = {100: 21, 500: 7, 1000: 3, 2000: 2}
COMPLEX_BASELINE_REPEATS = {100: 11, 500: 5, 1000: 3, 2000: 1}
KOSTLAN_BATCH = 200


def describe_environment() -> None:
    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    for lib in threadpool_info():
        print(
            f"  {lib.get('user_api')}: {lib.get('internal_api')} {lib.get('version')}"
            f" coretype={lib.get('architecture')} threads={lib.get('num_threads')}"
            f" ({os.path.basename(lib.get('filepath', ''))})"
        )


def warm_up() -> None:
    for field in ("real", "complex"):
        for method in ("dense", "hessenberg"):
            rmtedge.eigvals(30, field=field, size=2, method=method, rng=0)
    rmtedge.spectral_radius(30, field="complex", size=2, method="kostlan", rng=0)
    rmtedge.count_real_eigenvalues(30, size=2, method="hessenberg", rng=0)


def main_benchmark(sizes: list[int]) -> None:
    rng = np.random.default_rng(2025)
    header = (
        f"{'n':>5} {'reps':>4} {'dense eigvals':>14} {'hess eigvals':>13} {'hess radius':>12}"
        f" {'ratio eig':>9} {'ratio rad':>9} | {'dense cplx':>11} {'kostlan':>10}"
        f" {'kos/real':>9} {'kos/cplx':>9}"
    )
    print(header)
    results = {}
    for n in sizes:
        reps = REPEATS.get(n, 3)
        t_dense, t_eig, t_rad = [], [], []
        for _ in range(reps):  # interleaved: a transient load hits all three alike
            g = rmtedge.ginibre(n, rng=rng)
            t_dense.append(timed(np.linalg.eigvals, g))
            t_eig.append(timed(rmtedge.eigvals, n, method="hessenberg", rng=rng))
            t_rad.append(timed(rmtedge.spectral_radius, n, method="hessenberg", rng=rng))
        t_cdense = []
        for _ in range(COMPLEX_BASELINE_REPEATS.get(n, 1)):
            gc = rmtedge.ginibre(n, field="complex", rng=rng)
            t_cdense.append(timed(np.linalg.eigvals, gc))
        kostlan = {"field": "complex", "size": KOSTLAN_BATCH, "method": "kostlan", "rng": rng}
        t_kos = [timed(rmtedge.spectral_radius, n, **kostlan) / KOSTLAN_BATCH for _ in range(7)]
        d, e, r = map(statistics.median, (t_dense, t_eig, t_rad))
        dc, k = statistics.median(t_cdense), statistics.median(t_kos)
        results[n] = (d / e, d / r, d / k, dc / k)
        print(
            f"{n:>5} {reps:>4} {d * 1e3:>12.2f}ms {e * 1e3:>11.2f}ms {r * 1e3:>10.2f}ms"
            f" {d / e:>8.2f}x {d / r:>8.2f}x | {dc * 1e3:>9.1f}ms {k * 1e6:>8.1f}us"
            f" {d / k:>8.0f}x {dc / k:>8.0f}x",
            flush=True,
        )
    print()
    print("targets: kostlan >= 100x dense at n = 500; hessenberg >= 1.2x dense at n = 1000")
    if 500 in results:
        print(
            f"  kostlan vs dense at n = 500: {results[500][2]:.0f}x (real G), "
            f"{results[500][3]:.0f}x (complex G)"
        )
    if 1000 in results:
        print(
            f"  hessenberg eigvals vs dense at n = 1000: {results[1000][0]:.2f}x; "
            f"radius {results[1000][1]:.2f}x"
        )


def crossover_scan(sizes: list[int], repeats: int) -> None:
    print("per-sample time of batches (size = max(40, 40000 // n^2)), dense vs hessenberg")
    print(f"current _CROSSOVER = {samplers._CROSSOVER}")
    for field in ("real", "complex"):
        ratios = {}
        for n in sizes:
            batch = max(40, 40000 // (n * n))
            td, th = [], []
            for r in range(repeats):
                opts = {"field": field, "size": batch, "rng": r}
                td.append(timed(rmtedge.eigvals, n, method="dense", **opts))
                th.append(timed(rmtedge.eigvals, n, method="hessenberg", **opts))
            d, h = statistics.median(td) / batch, statistics.median(th) / batch
            ratios[n] = d / h
            print(
                f"  {field:>7} n={n:>3}: dense {d * 1e6:8.1f}us  hessenberg {h * 1e6:8.1f}us  "
                f"dense/hessenberg {d / h:5.2f}",
                flush=True,
            )
        # smallest n from which hessenberg is at least as fast at every larger scanned n
        cross = next((n for n in sizes if all(ratios[m] >= 1.0 for m in sizes if m >= n)), None)
        print(f"  {field}: hessenberg at least as fast from n = {cross} on")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 500, 1000, 2000])
    parser.add_argument("--crossover", action="store_true", help="scan small n for the crossover")
    parser.add_argument("--repeats", type=int, default=15, help="repeats per n in --crossover")
    args = parser.parse_args()
    t_start = time.perf_counter()
    describe_environment()
    with pin_blas_threads():
        print("BLAS pinned to 1 thread:", [lib["num_threads"] for lib in threadpool_info()])
        warm_up()
        if args.crossover:
            sizes = (
                args.sizes
                if args.sizes != [100, 500, 1000, 2000]
                else [2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64]
            )
            crossover_scan(sizes, args.repeats)
        else:
            main_benchmark(args.sizes)
    print(f"total {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
