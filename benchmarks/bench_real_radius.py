"""Benchmark of the exact spectral-radius law of real Glorot matrices (ExactRealRadiusLaw).

Run: ``.venv/bin/python benchmarks/bench_real_radius.py`` (about 2-4 minutes; ``--quick`` for
~30 s, n <= 1000).

1. Cold start: import + first law evaluation in a fresh process (numba cache warm), and the
   warm time of one cdf+sf evaluation of 50 radii (quantiles 1e-3 .. 1 - 1e-3 of the law) at
   n = 12, 100, 200, 500, 1000, 4096 (issue 12 target: <= 0.2 s at n = 200), with the window
   size (number of determinant indices kept) at the median. Baseline: the Poisson
   approximation (``method="poisson"``) on the same radii.
2. Monte Carlo at equal standard error: the exact law gives the whole curve to ~1e-15; Monte
   Carlo needs ``N = F (1 - F) / se^2`` radii for a standard error ``se`` of one cdf value. The
   table gives the time per Monte Carlo radius (dense ``numpy.linalg.eigvals`` and the
   Hessenberg sampler, measured) and the Monte Carlo time for se = 1e-3 at the median
   (N = 250000), against the time of the exact 50-radius curve.

BLAS is pinned to one thread (threadpoolctl); timings are medians over repeats after a warm-up
call.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import numpy as np
from _common import median_time
from threadpoolctl import threadpool_limits

import rmtedge
from rmtedge.laws._real_radius_pfaffian_kernels import _law_ginibre
from rmtedge.laws.radius import PoissonRealRadiusLaw
from rmtedge.laws.real_radius_pfaffian import ExactRealRadiusLaw


def cold_start() -> float:
    code = (
        "import time; t = time.perf_counter(); import rmtedge; "
        "rmtedge.spectral_radius_law(100, field='real').cdf(1.0); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def bench_curve(ns: tuple[int, ...], repeats: int) -> list[dict]:
    rows = []
    for n in ns:
        law = ExactRealRadiusLaw(n)
        r = law.ppf(np.linspace(1e-3, 1 - 1e-3, 50))
        law.logcdf_logsf(r[:2])
        t_exact = median_time(lambda law=law, r=r: law.logcdf_logsf(r), repeats=repeats)
        pois = PoissonRealRadiusLaw(n)
        pois.cdf(r[:2])
        t_pois = median_time(lambda pois=pois, r=r: (pois.cdf(r), pois.sf(r)), repeats=repeats)
        win = _law_ginibre(n, np.sqrt(n) * float(law.median()), False, 0)[3]
        rows.append({"n": n, "exact": t_exact, "poisson": t_pois, "window": win})
        print(
            f"n={n:5d}: cdf+sf of 50 radii {t_exact * 1e3:9.2f} ms (Poisson {t_pois * 1e3:7.2f} ms,"
            f" ratio {t_exact / t_pois:6.1f}); window at the median {win} of {n // 2 + n % 2}",
            flush=True,
        )
    return rows


def bench_mc(ns: tuple[int, ...], curve: dict[int, float]) -> None:
    se = 1e-3
    N = 0.25 / se**2
    for n in ns:
        per = {}
        for method, size in (("dense", 200), ("hessenberg", 200)):
            size = max(20, int(size * (200 / n) ** 2))
            rmtedge.spectral_radius(n, field="real", size=4, method=method, rng=1)
            t = median_time(
                lambda n=n, method=method, size=size: rmtedge.spectral_radius(
                    n, field="real", size=size, method=method, rng=2
                ),
                repeats=3,
            )
            per[method] = t / size
        print(
            f"n={n:5d}: MC per radius dense {per['dense'] * 1e3:.3f} ms, hessenberg "
            f"{per['hessenberg'] * 1e3:.3f} ms; MC time for se=1e-3 at the median (N={N:.0f}): "
            f"dense {per['dense'] * N:.0f} s, hessenberg {per['hessenberg'] * N:.0f} s; exact "
            f"50-radius curve {curve[n] * 1e3:.1f} ms (x{per['hessenberg'] * N / curve[n]:.0f} faster "
            "than the Hessenberg MC for one point)",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    with threadpool_limits(1):
        print(f"cold start (fresh process, numba cache warm): {cold_start():.2f} s", flush=True)
        ns = (12, 100, 200, 500, 1000) if args.quick else (12, 100, 200, 500, 1000, 4096)
        rows = bench_curve(ns, 3 if args.quick else 5)
        curve = {row["n"]: row["exact"] for row in rows}
        bench_mc((100, 200) if args.quick else (100, 200, 500), curve)


if __name__ == "__main__":
    main()
