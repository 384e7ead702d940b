"""Benchmark of rmtedge.eigenvalue_moment (real and complex Glorot) against its baselines.

Run: ``.venv/bin/python benchmarks/bench_moments.py`` (``--quick`` skips n = 10^6 and the
nested scipy quadrature).

Single-threaded BLAS (threadpoolctl), numba kernels warmed up first, medians of repeats.

1. ``eigenvalue_moment(n, k, field)`` for the whole vector ``k = 0 .. 10 sqrt(n)`` at
   n = 100, 10^4, 10^6: median wall time per call and per order k, real and complex.
2. Against the mpmath back end (``rmtedge.mp.eigenvalue_moment``, 30 digits, radial
   quadrature of the plane part) at a few (n, k): time ratio mpmath / float for one scalar
   call, and the relative difference.
3. Against a scipy implementation of the real plane part
   ``int_0^inf 2 s^(2k+1) Q(n-1, s^2) A(s) ds / n^(k+1)`` at (n, k) = (100, 10):
   ``scipy.integrate.quad`` outside with ``A(s)`` by an inner ``quad`` of Edelman's density over
   the angle (the direct route), and the same outer quad with the closed form
   ``A(s) = 1 - erfcx(sqrt 2 s)``. Time ratios against rmtedge's kernel for the plane part of
   that single k, and relative errors against mpmath.

The complex mpmath reference is an exact integer product (fast); the real one runs two
mpmath quadratures (seconds). Measured numbers are in the engineer's report, not here: they
depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import math
import time

import mpmath
import numpy as np
from _common import bench_main, median_time, pin_blas_threads
from scipy import integrate, special

import rmtedge
from rmtedge import mp as rmp
from rmtedge._core.jit import python_callable
from rmtedge.ensembles import _moment_kernels
from rmtedge.mp import moments as mpm

mk = python_callable(_moment_kernels)


def warm_up() -> None:
    for field in ("real", "complex"):
        rmtedge.eigenvalue_moment(10, np.arange(5), field=field)
        rmtedge.hidden_state_lower_bound(10, 5, field=field)


def bench_vector(ns: list[int]) -> None:
    print("\n1. eigenvalue_moment(n, k = 0..10 sqrt(n)) -- median wall time")
    print(f"{'n':>9} {'#k':>7} {'field':>8} {'per call':>12} {'per k':>12} {'repeats':>8}")
    for n in ns:
        ks = np.arange(int(10 * math.sqrt(n)) + 1)
        for field in ("complex", "real"):
            reps = 5 if (field == "real" and n >= 10**6) else 9
            t = median_time(
                lambda n=n, ks=ks, field=field: rmtedge.eigenvalue_moment(n, ks, field=field), reps
            )
            print(
                f"{n:>9} {ks.size:>7} {field:>8} {t * 1e3:>10.3f}ms {t / ks.size * 1e6:>10.3f}us {reps:>8}"
            )


def bench_mpmath(points: list[tuple[int, int]]) -> None:
    print("\n2. float vs mpmath back end (30 digits), one scalar call each")
    print(
        f"{'n':>6} {'k':>5} {'field':>8} {'float':>11} {'mpmath':>13} {'ratio':>9} {'rel diff':>10}"
    )
    for n, k in points:
        for field in ("complex", "real"):
            tf = median_time(
                lambda n=n, k=k, field=field: rmtedge.eigenvalue_moment(n, k, field=field), 21
            )
            t0 = time.perf_counter()
            ref = rmp.eigenvalue_moment(n, k, field=field, dps=30)
            tm = time.perf_counter() - t0
            v = rmtedge.eigenvalue_moment(n, k, field=field)
            with mpmath.workdps(30):
                rel = float(abs((mpmath.mpf(float(v)) - ref) / ref))
            print(
                f"{n:>6} {k:>5} {field:>8} {tf * 1e3:>9.3f}ms {tm * 1e3:>11.2f}ms {tm / tf:>9.0f} "
                f"{rel:>10.1e}"
            )


def plane_scipy(n: int, k: int, nested: bool) -> float:
    """Plane part of m_k(n) (real field) with scipy.integrate.quad, Glorot scale w = s/sqrt(n)."""
    rn = math.sqrt(n)

    def angular(s: float) -> float:
        if not nested:
            return 1.0 - special.erfcx(math.sqrt(2.0) * s)
        c = math.sqrt(2.0) * s

        def g(t: float) -> float:
            u = c * math.sin(t)
            return math.sqrt(math.pi) * u * special.erfcx(u)

        pts = [p for p in (1.0 / c, 4.0 / c, 16.0 / c) if p < math.pi / 2] if c > 0 else []
        val, _ = integrate.quad(
            g, 0.0, math.pi / 2, points=pts or None, epsabs=0, epsrel=1e-13, limit=200
        )
        return 2.0 * val / math.pi

    def integrand(w: float) -> float:
        # 2 w^(2k+1) Q(n-1, n w^2) A(sqrt(n) w): the Glorot-scale plane integrand
        return 2.0 * w ** (2 * k + 1) * special.gammaincc(n - 1, n * w * w) * angular(rn * w)

    edge = 1.0
    top = 1.0 + k / (2.0 * n) + 30.0 / rn
    val, _ = integrate.quad(
        integrand,
        0.0,
        top,
        points=[edge - 4 / rn, edge, edge + 4 / rn],
        epsabs=0,
        epsrel=1e-13,
        limit=500,
    )
    return val


def bench_scipy(n: int, k: int, nested: bool) -> None:
    print(f"\n3. real plane part at (n, k) = ({n}, {k}): rmtedge kernel vs scipy.integrate.quad")
    with mpmath.workdps(40):
        ref = mpm.nonreal_moment_part(n, k, dps=30)
    ks = np.array([k], dtype=np.int64)
    t_kernel = median_time(lambda: mk.log_plane_parts(n, ks), repeats=21)
    v_kernel = math.exp(mk.log_plane_parts(n, ks)[0])

    def rel(v: float) -> float:
        with mpmath.workdps(30):
            return float(abs((mpmath.mpf(v) - ref) / ref))

    print(f"{'method':>34} {'time':>11} {'ratio':>8} {'rel err':>9}")
    print(
        f"{'rmtedge log_plane_parts':>34} {t_kernel * 1e3:>9.2f}ms {1.0:>8.1f} {rel(v_kernel):>9.1e}"
    )
    t_rad = median_time(lambda: plane_scipy(n, k, nested=False), repeats=5)
    print(
        f"{'scipy quad, closed-form angle':>34} {t_rad * 1e3:>9.2f}ms {t_rad / t_kernel:>8.1f} "
        f"{rel(plane_scipy(n, k, nested=False)):>9.1e}"
    )
    if nested:
        t0 = time.perf_counter()
        v_nest = plane_scipy(n, k, nested=True)
        t_nest = time.perf_counter() - t0
        print(
            f"{'scipy quad, nested angular quad':>34} {t_nest * 1e3:>9.2f}ms {t_nest / t_kernel:>8.1f} "
            f"{rel(v_nest):>9.1e}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="skip n = 10^6 and the nested scipy quad"
    )
    args = parser.parse_args()
    with pin_blas_threads():
        t0 = time.perf_counter()
        warm_up()
        print(f"JIT warm-up (or cache load): {time.perf_counter() - t0:.2f} s")
        bench_vector([100, 10**4] if args.quick else [100, 10**4, 10**6])
        bench_mpmath([(100, 10), (1000, 32)])
        bench_scipy(100, 10, nested=not args.quick)


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
