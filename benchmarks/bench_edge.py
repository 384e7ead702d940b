"""Benchmark of the exact spectral-radius law of complex Glorot matrices (rmtedge.spectral_radius_law).

Run: ``.venv/bin/python benchmarks/bench_edge.py`` (about 1-2 minutes; ``--quick`` for ~20 s).

1. cdf evaluations per second of the exact complex law at n = 10^3, 10^5, 10^7, against the
   straightforward scipy expression ``np.prod(scipy.special.gammainc(k, n r^2))`` over all
   k = 1..n, measured in the same run at the same radii (bulk of the law, quantiles 0.05 .. 0.95),
   with the largest relative difference between the two.
2. P(rho > 1) and the rescaled-Glorot risk P(rho > r_n(c)) at n = 10^4: time of the exact
   value against the Monte Carlo time needed for a standard error of 1e-3 (binomial
   ``N = p (1 - p) / 1e-6`` samples), with (a) Kostlan's O(n) sampler, measured at n = 10^4, and
   (b) dense eigenvalues, measured at n = 1000 and extrapolated to n = 10^4 as O(n^3) (a dense
   10^4 x 10^4 complex eigenproblem takes minutes; the extrapolation is stated as such).

BLAS is pinned to one thread (threadpoolctl); every timing is a median over repeats after a
warm-up call that compiles the numba kernels.
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import bench_main, median_time, pin_blas_threads
from scipy import special
from threadpoolctl import threadpool_info

import rmtedge
from rmtedge.laws.radius import ExactComplexRadiusLaw


def _scipy_cdf(n: int, r: float) -> float:
    k = np.arange(1, n + 1, dtype=np.float64)
    return float(np.prod(special.gammainc(k, n * r * r)))


def bench_cdf(ns: tuple[int, ...], points: int, repeats: int) -> list[dict]:
    rows = []
    for n in ns:
        law = ExactComplexRadiusLaw(n)
        r = law.ppf(np.linspace(0.05, 0.95, points))
        law.cdf(r[:1])  # warm-up (JIT compiled on first use, then cached)
        t_ours = median_time(lambda r=r, law=law: law.cdf(r), repeats) / points
        base_reps = max(1, min(repeats, int(2e7 // n)))
        r_base = r[:: max(1, points // 5)]
        vals = np.array([_scipy_cdf(n, x) for x in r_base])
        t_base = (
            median_time(lambda r_base=r_base, n=n: [_scipy_cdf(n, x) for x in r_base], base_reps)
            / r_base.size
        )
        diff = float(np.max(np.abs(law.cdf(r_base) / vals - 1)))
        rows.append(
            {
                "n": n,
                "ours_per_s": 1 / t_ours,
                "scipy_per_s": 1 / t_base,
                "ratio": t_base / t_ours,
                "max_rel_diff": diff,
            }
        )
    return rows


def bench_prob_exceeds(n: int, repeats: int, dense_n: int, dense_reps: int) -> dict:
    law = ExactComplexRadiusLaw(n)
    law.sf(1.0)
    r_c = float(rmtedge.rider_centering(n) + rmtedge.PAPER_GUMBEL_C * rmtedge.rider_scale(n))
    t_exact = median_time(lambda: law.sf(1.0), repeats=repeats)
    t_exact_c = median_time(lambda: law.sf(r_c), repeats=repeats)
    p1 = float(law.sf(1.0))
    pc = float(law.sf(r_c))
    # Kostlan sampler at n (exact O(n) sampler of rho)
    rmtedge.spectral_radius(n, field="complex", size=4, method="kostlan", rng=0)
    t_k = (
        median_time(
            lambda: rmtedge.spectral_radius(n, field="complex", size=50, method="kostlan", rng=1), repeats=3
        )
        / 50
    )
    # dense eigenvalues at dense_n, extrapolated as O(n^3)
    rmtedge.spectral_radius(dense_n, field="complex", size=1, method="dense", rng=0)
    t_d_small = median_time(
        lambda: rmtedge.spectral_radius(dense_n, field="complex", size=1, method="dense", rng=2),
        dense_reps,
    )
    t_d = t_d_small * (n / dense_n) ** 3
    se = 1e-3
    n_mc_c = pc * (1 - pc) / se**2
    return {
        "n": n,
        "p_exceeds_one": p1,
        "one_minus_p": float(law.cdf(1.0)),
        "t_exact_p1": t_exact,
        "risk_rc": pc,
        "r_c": r_c,
        "t_exact_rc": t_exact_c,
        "t_kostlan_sample": t_k,
        "t_dense_sample_small": t_d_small,
        "dense_n": dense_n,
        "t_dense_sample_extrapolated": t_d,
        "mc_samples_rc": n_mc_c,
        "t_mc_kostlan_rc": n_mc_c * t_k,
        "t_mc_dense_rc": n_mc_c * t_d,
        "mc_samples_to_see_one_rho_below_1": 1.0 / float(law.cdf(1.0)),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, n up to 10^6")
    args = ap.parse_args(argv)
    with pin_blas_threads():
        blas = [
            (d.get("internal_api"), d.get("num_threads"), d.get("architecture"))
            for d in threadpool_info()
        ]
        print(f"BLAS (threadpoolctl, pinned to 1 thread): {blas}")
        ns = (10**3, 10**5, 10**6) if args.quick else (10**3, 10**5, 10**7)
        rows = bench_cdf(ns, points=20, repeats=3 if args.quick else 7)
        print("\n1. cdf evaluations per second, exact complex law vs scipy product over all k")
        print(f"{'n':>10} {'rmtedge /s':>12} {'scipy /s':>12} {'ratio':>9} {'max rel diff':>13}")
        for row in rows:
            print(
                f"{row['n']:>10} {row['ours_per_s']:>12.4g} {row['scipy_per_s']:>12.4g} "
                f"{row['ratio']:>8.1f}x {row['max_rel_diff']:>13.2e}"
            )
        res = bench_prob_exceeds(10**4, repeats=9, dense_n=1000, dense_reps=1 if args.quick else 3)
        print("\n2. P(rho > 1) and the rescaled risk at n = 10^4: exact vs Monte Carlo")
        print(
            f"   P(rho > 1) = 1 - {res['one_minus_p']:.3e}: exact in {res['t_exact_p1'] * 1e3:.3f} ms;"
            f" Monte Carlo would need ~{res['mc_samples_to_see_one_rho_below_1']:.2e} samples"
            " to see a single rho <= 1"
        )
        print(
            f"   risk P(rho > r_n(c)) = {res['risk_rc']:.5f} (r_n(c) = {res['r_c']:.6f}): exact in"
            f" {res['t_exact_rc'] * 1e3:.3f} ms"
        )
        print(
            f"   Monte Carlo to standard error 1e-3 needs N = {res['mc_samples_rc']:.0f} samples:"
        )
        print(
            f"     Kostlan sampler ({res['t_kostlan_sample'] * 1e3:.3f} ms/sample, measured):"
            f" {res['t_mc_kostlan_rc']:.1f} s -> ratio {res['t_mc_kostlan_rc'] / res['t_exact_rc']:.3g}x"
        )
        print(
            f"     dense eigvals ({res['t_dense_sample_small']:.3f} s/sample measured at n ="
            f" {res['dense_n']}, x (10^4/{res['dense_n']})^3 = {res['t_dense_sample_extrapolated']:.0f}"
            f" s/sample, EXTRAPOLATED): {res['t_mc_dense_rc'] / 86400:.1f} days -> ratio"
            f" {res['t_mc_dense_rc'] / res['t_exact_rc']:.3g}x"
        )


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
