"""Benchmark of rmtedge.ensembles.real_counts: E_n on 10^6 dimensions and the exact law p_{n,k}.

Run: ``.venv/bin/python benchmarks/bench_real_counts.py [--quick]``

* ``expected_real_eigenvalues`` on 10^6 values of n (log-uniform in [1, 10^12]) against the
  obvious scipy expression ``1/2 + sqrt(2/pi) exp(gammaln(n+1/2) - gammaln(n)) hyp2f1(1, -1/2; n; 1/2)``
  (and the ``poch`` variant) and against mpmath (timed on a subsample, scaled to 10^6); the
  accuracy of each against mpmath at 40 digits is printed too.
* ``real_count_distribution`` uncached (cache cleared before every call) for n in
  {10, 20, 50, 100}; the cost is two mpmath runs (validation) at about n/2 + 30 digits.

BLAS is pinned to one thread; every timed function is called once before timing. Medians.
"""

from __future__ import annotations

import sys
import time

import mpmath
import numpy as np
from _common import bench_main, median_time, pin_blas_threads
from scipy import special

import rmtedge
from rmtedge.ensembles import real_counts as rc
from rmtedge.mp import real_counts as rmp


def scipy_gammaln(n: np.ndarray) -> np.ndarray:
    nf = n.astype(np.float64)
    ratio = np.exp(special.gammaln(nf + 0.5) - special.gammaln(nf))
    return 0.5 + np.sqrt(2 / np.pi) * ratio * special.hyp2f1(1.0, -0.5, nf, 0.5)


def scipy_poch(n: np.ndarray) -> np.ndarray:
    nf = n.astype(np.float64)
    return 0.5 + np.sqrt(2 / np.pi) * special.poch(nf, 0.5) * special.hyp2f1(1.0, -0.5, nf, 0.5)


def mp_expected(n: np.ndarray) -> list:
    return [rmp.expected_real_eigenvalues(int(k), dps=20) for k in n]


def max_rel_err(values: np.ndarray, n: np.ndarray) -> float:
    worst = 0.0
    with mpmath.workdps(40):
        for v, k in zip(values, n, strict=True):
            ref = rmp.expected_real_eigenvalues(int(k), dps=40)
            worst = max(worst, float(abs((mpmath.mpf(float(v)) - ref) / ref)))
    return worst


def bench_expected(size: int) -> None:
    rng = np.random.default_rng(0)
    n = np.unique(np.round(10 ** rng.uniform(0, 12, size)).astype(np.int64))
    n = rng.permutation(np.resize(n, size))
    sub = n[:: max(1, size // 300)]
    # warm up
    rmtedge.expected_real_eigenvalues(n[:10])
    scipy_gammaln(n[:10])
    scipy_poch(n[:10])
    t_ours = median_time(lambda: rmtedge.expected_real_eigenvalues(n), repeats=7)
    t_gammaln = median_time(lambda: scipy_gammaln(n), repeats=3)
    t_poch = median_time(lambda: scipy_poch(n), repeats=3)
    m = 1000
    t_mp = median_time(lambda: mp_expected(n[:m]), repeats=3) * (size / m)
    print(f"E_n on {size} n-values (log-uniform in [1, 1e12]), single thread, median:")
    print(f"  rmtedge.expected_real_eigenvalues : {t_ours * 1e3:9.2f} ms")
    print(
        f"  scipy gammaln + hyp2f1            : {t_gammaln * 1e3:9.2f} ms  ({t_gammaln / t_ours:6.1f}x ours)"
    )
    print(
        f"  scipy poch + hyp2f1               : {t_poch * 1e3:9.2f} ms  ({t_poch / t_ours:6.1f}x ours)"
    )
    print(
        f"  mpmath (20 digits, scaled from {m}) : {t_mp * 1e3:9.0f} ms  ({t_mp / t_ours:6.0f}x ours)"
    )
    print(f"  max relative error vs mpmath (40 digits) on {sub.size} of them:")
    print(
        f"    rmtedge {max_rel_err(rmtedge.expected_real_eigenvalues(sub), sub):.1e}, "
        f"scipy gammaln {max_rel_err(scipy_gammaln(sub), sub):.1e}, "
        f"scipy poch {max_rel_err(scipy_poch(sub), sub):.1e}"
    )


def bench_distribution(ns: list[int]) -> None:
    print("real_count_distribution(n), uncached (two validated mpmath runs), single thread:")
    rc._distribution_cached.cache_clear()
    rmtedge.real_count_distribution(4)  # warm up imports
    for n in ns:
        repeat = 3 if n <= 50 else 1

        def run(n=n):
            rc._distribution_cached.cache_clear()
            rmtedge.real_count_distribution(n)

        t = median_time(run, repeats=repeat)
        t_mp = median_time(lambda n=n: rmp.real_count_distribution(n, dps=32), repeats=repeat)
        print(f"  n = {n:4d}: {t:8.3f} s   (one mp run at 32 digits: {t_mp:7.3f} s)")
    t0 = time.perf_counter()
    rmtedge.real_count_distribution(ns[-1])
    print(f"  cached call n = {ns[-1]}: {(time.perf_counter() - t0) * 1e6:.1f} us")


def main() -> None:
    quick = "--quick" in sys.argv
    with pin_blas_threads():
        bench_expected(10**5 if quick else 10**6)
        bench_distribution([10, 20, 50] if quick else [10, 20, 50, 100])


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
