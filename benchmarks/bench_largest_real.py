"""Benchmark of the law of the largest real eigenvalue (rmtedge.largest_real_eigenvalue_law).

Run: ``.venv/bin/python benchmarks/bench_largest_real.py`` (about 1 minute; ``--quick``: ~20 s).

1. Time of one ``cdf`` call on 50 points (Glorot scale, from 6 standard units below the edge to 3
   above) at n = 10, 100, 1000, 10^4 and for the edge limit, median over repeats after a first
   call (which compiles or loads the numba kernels); the issue's target is <= 0.1 s at n = 1000.
2. The obvious baseline, Monte Carlo: the time to estimate the same 50 cdf values to a standard
   error of 1e-3 (the binomial worst case needs N = 0.25/1e-6 = 250000 matrices; one sample set
   serves all 50 points), with the Hessenberg model and LAPACK eigenvalues, measured on a few
   matrices at n = 1000 and multiplied out (stated as such). The exact law is accurate to ~1e-13,
   so "equal standard error" flatters Monte Carlo by ten orders of magnitude.

BLAS is pinned to one thread (threadpoolctl); timings are medians.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from _common import median_time
from threadpoolctl import threadpool_limits

import rmtedge


def bench_cdf(ns: tuple[int | None, ...], repeats: int) -> list[dict]:
    rows = []
    for n in ns:
        if n is None:
            law = rmtedge.largest_real_eigenvalue_limit()
            x = np.linspace(-6.0, 3.0, 50)
        else:
            law = rmtedge.largest_real_eigenvalue_law(n)
            x = 1.0 + np.linspace(-6.0, 3.0, 50) / math.sqrt(n)
        t0 = time.perf_counter()
        law.cdf(x)
        first = time.perf_counter() - t0
        t = median_time(lambda law=law, x=x: law.cdf(x), repeats=repeats)
        rows.append({"n": "limit" if n is None else n, "first_call_s": first, "cdf50_s": t})
    return rows


def bench_monte_carlo(n: int, matrices: int, se: float = 1e-3) -> dict:
    rng = np.random.default_rng(0)
    rmtedge.hessenberg_ginibre(n, size=1, rng=rng)
    t0 = time.perf_counter()
    h = rmtedge.hessenberg_ginibre(n, size=matrices, rng=rng)
    np.linalg.eigvals(h)
    per = (time.perf_counter() - t0) / matrices
    need = math.ceil(0.25 / se**2)
    return {"n": n, "seconds_per_matrix": per, "matrices_for_se": need, "mc_seconds": per * need}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    args = p.parse_args(argv)
    repeats = 3 if args.quick else 7
    with threadpool_limits(1):
        rows = bench_cdf((10, 100, 1000, 10**4, None), repeats)
        mc = bench_monte_carlo(1000, 2 if args.quick else 5)
    print("| n | first call (s) | cdf of 50 points (s, median) |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['first_call_s']:.3f} | {r['cdf50_s']:.4f} |")
    exact = next(r["cdf50_s"] for r in rows if r["n"] == 1000)
    print()
    print(f"Monte Carlo at n = 1000: {mc['seconds_per_matrix']:.3f} s per matrix (Hessenberg + LAPACK, "
          f"1 thread); standard error 1e-3 needs {mc['matrices_for_se']} matrices = "
          f"{mc['mc_seconds'] / 3600:.1f} h (extrapolated), i.e. {mc['mc_seconds'] / exact:.1e} x the "
          f"exact 50-point cdf ({exact:.3f} s).")


if __name__ == "__main__":
    main()
