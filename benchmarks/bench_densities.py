"""Throughput and accuracy of rmtedge's densities against the vectorized scipy expressions and mpmath.

Run: ``.venv/bin/python benchmarks/bench_densities.py`` (about a minute, one BLAS thread).

For n in {10, 100, 1000, 10^4, 10^6} we evaluate on 10^5 Glorot-scale points (a third in the bulk, a third
within 5/sqrt(n) of the edge |x| = 1, a third beyond it up to 3):

* ``real``: rmtedge.real_eigenvalue_density vs the EKS formula in scipy,
  ``gammaincc(n-1, X)/sqrt(2 pi) + exp((n-1)/2 log X - X/2 - gammaln(n/2) - n/2 log 2)
  * gammainc((n-1)/2, X/2)`` with ``X = n x^2``, times ``sqrt(n)``;
* ``plane``: rmtedge.complex_eigenvalue_density (field real) at ``z = x e^{i pi/3}`` vs
  ``n sqrt(2/pi) |y| erfcx(sqrt 2 |y|) gammaincc(n-1, n |z|^2)`` (y Ginibre scale);
* ``count``: rmtedge.expected_nonreal_outside(field complex) on 10^4 radii vs the closed form
  ``n gammaincc(n+1, X) - X gammaincc(n, X)``; and rmtedge.expected_real_outside, for which
  scipy has no closed form, against ``scipy.integrate.quad`` of the scipy density (the obvious
  baseline) on 50 radii.

It prints the median CPU time per call (time.process_time, so that other processes on the
machine do not inflate it; scipy and ours are measured alternately in the same run), evaluations per second, the ratio scipy/ours (> 1: ours is
faster), the largest relative difference where scipy's value is a normal float, and the
fraction of points where scipy returns 0, inf or nan while ours (its log) is finite. mpmath
(rmtedge.mp.densities at 40 digits) is timed on a few points.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import scipy.integrate as si
import scipy.special as sc
from _common import bench_main, median_time, pin_blas_threads

import rmtedge
from rmtedge.mp import densities as mpd

NS = [10, 100, 1000, 10**4, 10**6]
N_POINTS = 100_000
N_COUNT = 10_000
REPEATS = 7
TINY = np.finfo(np.float64).tiny


def median_cpu(fn, *args, repeats=REPEATS, **kw):
    """Median CPU time (process_time: robust when other processes share the cores)."""
    return median_time(fn, *args, repeats=repeats, clock="cpu", **kw)


def _points(n: int, size: int) -> np.ndarray:
    rng = np.random.default_rng(2024)
    k = size // 3
    bulk = rng.uniform(0.0, 1.0, k)
    edge = 1.0 + rng.uniform(-5.0, 5.0, k) / math.sqrt(n)
    tail = rng.uniform(1.0, 3.0, size - 2 * k)
    return np.concatenate([bulk, edge, tail])


def scipy_real_density(x: np.ndarray, n: int) -> np.ndarray:
    big_x = n * x * x
    with np.errstate(all="ignore"):
        first = sc.gammaincc(n - 1, big_x) / math.sqrt(2 * math.pi)
        log_pref = (n - 1) / 2 * np.log(big_x) - big_x / 2 - sc.gammaln(n / 2) - n / 2 * math.log(2)
        second = np.exp(log_pref) * sc.gammainc((n - 1) / 2, big_x / 2)
        return math.sqrt(n) * (first + second)


def scipy_plane_density(z: np.ndarray, n: int) -> np.ndarray:
    y = math.sqrt(n) * np.abs(z.imag)
    with np.errstate(all="ignore"):
        return (
            n
            * math.sqrt(2 / math.pi)
            * y
            * sc.erfcx(math.sqrt(2) * y)
            * sc.gammaincc(n - 1, n * np.abs(z) ** 2)
        )


def scipy_complex_count(r: np.ndarray, n: int) -> np.ndarray:
    big_x = n * r * r
    with np.errstate(all="ignore"):
        return n * sc.gammaincc(n + 1, big_x) - big_x * sc.gammaincc(n, big_x)


def scipy_real_count_quad(r: np.ndarray, n: int) -> np.ndarray:
    out = np.empty_like(r)
    for i, ri in enumerate(r):
        f = lambda x: float(scipy_real_density(np.array([x]), n)[0])  # noqa: E731
        pts = [ri, max(ri, 1.0), max(ri, 1.0 + 5 / math.sqrt(n)), ri + 3.0]
        val = sum(si.quad(f, a, b, limit=200)[0] for a, b in itertools.pairwise(pts) if b > a)
        out[i] = 2 * (val + si.quad(f, pts[-1], np.inf)[0])
    return out


def _compare(ours: np.ndarray, ours_log: np.ndarray, theirs: np.ndarray) -> tuple[float, float]:
    """(max relative difference where scipy is a normal float, fraction where scipy is
    0/inf/nan while our log is finite)."""
    normal = np.isfinite(theirs) & (np.abs(theirs) >= TINY) & (ours >= TINY)
    rel = float(np.max(np.abs(ours[normal] / theirs[normal] - 1))) if normal.any() else float("nan")
    broken = (~np.isfinite(theirs) | (theirs <= 0)) & np.isfinite(ours_log)
    return rel, float(np.mean(broken))


def _worst_index(ours: np.ndarray, theirs: np.ndarray) -> int:
    """Index of the largest relative difference where both are normal floats."""
    ok = np.isfinite(theirs) & (np.abs(theirs) >= TINY) & (ours >= TINY)
    rel = np.where(ok, np.abs(ours / np.where(ok, theirs, 1.0) - 1), -1.0)
    return int(np.argmax(rel))


def _row(
    name: str, n: int, t_ours: float, t_scipy: float, npts: int, rel: float, broken: float
) -> None:
    print(
        f"{name:<8} n={n:<8} ours {t_ours / npts * 1e9:9.1f} ns ({npts / t_ours:10.3g}/s)   "
        f"scipy {t_scipy / npts * 1e9:9.1f} ns   scipy/ours {t_scipy / t_ours:6.2f}   "
        f"max rel diff {rel:8.1e}   scipy 0/inf/nan where ours finite: {100 * broken:5.1f}%"
    )


def main() -> None:
    with pin_blas_threads():
        # warm the JIT (and the numba cache)
        rmtedge.real_eigenvalue_density(np.array([0.5, 1.5]), 10)
        rmtedge.complex_eigenvalue_density(np.array([0.5j]), 10)
        rmtedge.expected_real_outside(np.array([0.5]), 10)
        rmtedge.expected_nonreal_outside(np.array([0.5]), 10, field="complex")

        print("densities on 1e5 points (a third bulk, a third edge, a third tail up to |x| = 3)")
        for n in NS:
            x = _points(n, N_POINTS)
            t_ours = median_cpu(rmtedge.real_eigenvalue_density, x, n)
            t_sc = median_cpu(scipy_real_density, x, n)
            rel, broken = _compare(
                rmtedge.real_eigenvalue_density(x, n),
                rmtedge.log_real_eigenvalue_density(x, n),
                scipy_real_density(x, n),
            )
            _row("real", n, t_ours, t_sc, x.size, rel, broken)
            z = x * np.exp(1j * math.pi / 3)
            t_ours = median_cpu(rmtedge.complex_eigenvalue_density, z, n)
            t_sc = median_cpu(scipy_plane_density, z, n)
            rel, broken = _compare(
                rmtedge.complex_eigenvalue_density(z, n),
                rmtedge.log_complex_eigenvalue_density(z, n),
                scipy_plane_density(z, n),
            )
            _row("plane", n, t_ours, t_sc, z.size, rel, broken)

        print("\ncounts outside r")
        worst_real_cnt = []
        for n in NS:
            r = _points(n, N_COUNT)
            fc = lambda rr, n=n: rmtedge.expected_nonreal_outside(rr, n, field="complex")  # noqa: E731
            t_ours = median_cpu(fc, r, repeats=3)
            t_sc = median_cpu(scipy_complex_count, r, n, repeats=3)
            rel, broken = _compare(
                fc(r),
                rmtedge.log_expected_nonreal_outside(r, n, field="complex"),
                scipy_complex_count(r, n),
            )
            _row("cplx-cnt", n, t_ours, t_sc, r.size, rel, broken)
            r50 = _points(n, 50)
            t_ours = median_cpu(rmtedge.expected_real_outside, r50, n, repeats=3)
            t_sc = median_cpu(scipy_real_count_quad, r50, n, repeats=1)
            rel, broken = _compare(
                rmtedge.expected_real_outside(r50, n),
                rmtedge.log_expected_real_outside(r50, n),
                scipy_real_count_quad(r50, n),
            )
            _row("real-cnt", n, t_ours, t_sc, r50.size, rel, broken)
            worst_real_cnt.append(
                (
                    n,
                    float(
                        r50[
                            _worst_index(
                                rmtedge.expected_real_outside(r50, n), scipy_real_count_quad(r50, n)
                            )
                        ]
                    ),
                )
            )
            t_nr = median_cpu(rmtedge.expected_nonreal_outside, r, n, repeats=3)
            print(
                f"{'plane-cnt':<8} n={n:<8} ours {t_nr / r.size * 1e9:9.1f} ns ({r.size / t_nr:10.3g}/s)   (no scipy closed form)"
            )

        print("\nrows where scipy is not finite/positive but ours is (Glorot scale):")
        for n, xv in ((10**6, 1.5), (10**6, 3.0), (1000, 3.0)):
            xs = np.array([xv])
            print(
                f"  real density n={n}, x={xv}: scipy {scipy_real_density(xs, n)[0]!r}, "
                f"ours {rmtedge.real_eigenvalue_density(xv, n)!r}, ours log {rmtedge.log_real_eigenvalue_density(xv, n):.10g}"
            )
        for n, rv in ((10**6, 1.01), (10**6, 1.5), (1000, 1.5)):
            rs = np.array([rv])
            print(
                f"  complex count n={n}, r={rv}: scipy closed form {scipy_complex_count(rs, n)[0]!r}, "
                f"ours {rmtedge.expected_nonreal_outside(rv, n, field='complex')!r}, "
                f"ours log {rmtedge.log_expected_nonreal_outside(rv, n, field='complex'):.10g}"
            )

        print("\nwho is right where they differ (mpmath reference, 40 digits):")
        for n, rv in ((10, 2.5), (10**4, 1.05)):
            ref = float(mpd.expected_nonreal_outside(rv, n, field="complex", dps=40))
            sc_v = scipy_complex_count(np.array([rv]), n)[0]
            ours = rmtedge.expected_nonreal_outside(rv, n, field="complex")
            print(
                f"  complex count n={n}, r={rv}: mpmath {ref:.16e}  scipy rel err {abs(sc_v / ref - 1):.1e}"
                f"  ours rel err {abs(ours / ref - 1):.1e}"
            )
        for n, rv in worst_real_cnt:
            if n > 10**4:
                continue  # the mpmath count is slow at n = 10^6
            ref = mpd.expected_real_outside(rv, n, dps=40)
            sc_v = scipy_real_count_quad(np.array([rv]), n)[0]
            ours = rmtedge.expected_real_outside(rv, n)
            print(
                f"  real count n={n}, r={rv:.6g} (largest difference): mpmath {float(ref):.16e}"
                f"  scipy quad rel err {float(abs(sc_v / ref - 1)):.1e}"
                f"  ours rel err {float(abs(ours / ref - 1)):.1e}"
            )
        for n, xv in ((10**4, 1.02), (10**6, 1.003)):
            ref = float(mpd.real_eigenvalue_density(xv, n, dps=40))
            sc_v = scipy_real_density(np.array([xv]), n)[0]
            ours = rmtedge.real_eigenvalue_density(xv, n)
            print(
                f"  real density n={n}, x={xv}: mpmath {ref:.16e}  scipy rel err {abs(sc_v / ref - 1):.1e}"
                f"  ours rel err {abs(ours / ref - 1):.1e}"
            )

        print(
            "\nmpmath (rmtedge.mp.densities, 40 digits), median seconds per point (3 points per call;"
        )
        print("ours includes the Python call overhead of a 3-element call):")
        for n in (10, 1000, 10**6):
            pts = np.array([0.5, 1.0 + 1 / math.sqrt(n), 2.0])
            t_mp = median_cpu(_mp_real, pts, n, repeats=3) / 3
            t_o = median_cpu(rmtedge.real_eigenvalue_density, pts, n) / 3
            print(
                f"  real density n={n:<8} mpmath {t_mp * 1e3:8.2f} ms   ours {t_o * 1e6:8.2f} us   "
                f"mpmath/ours {t_mp / t_o:10.3g}"
            )


def _mp_real(pts: np.ndarray, n: int) -> list:
    return [mpd.real_eigenvalue_density(float(p), n, dps=40) for p in pts]


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
