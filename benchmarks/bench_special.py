"""Throughput of rmtedge's log-space incomplete gamma kernels against scipy and mpmath.

Run: ``.venv/bin/python benchmarks/bench_special.py`` (about a minute, one thread).

For three orders a we evaluate log P(a, x) and log Q(a, x) on 10^5 points x spread over the
lower tail, the transition x ~ a and the upper tail, with

* ours:  rmtedge._special.log_gammainc_p_vec / log_gammainc_q_vec (numba ufuncs),
* scipy: np.log(scipy.special.gammainc(a, x)) / np.log(gammaincc(a, x)),
* mpmath: mp.log(mp.gammainc(a, 0, x, regularized=True)) at 20 digits on an 8-point subset
  (at a = 1e6 it takes seconds per value or raises NoConvergence; the time is counted either way),

and print the median time per call, evaluations per second, ratios, the fraction of points
where scipy underflows to 0 (log = -inf) while ours is finite, and the largest disagreement
with scipy where scipy's value is a normal float, with both errors against mpmath (40 digits)
at that point.
"""

from __future__ import annotations

import time

import mpmath as mp
import numpy as np
import scipy.special as sc
from _common import bench_main, median_time

from rmtedge._core import incgamma as _incgamma
from rmtedge._core import ufuncs
from rmtedge._core.jit import python_callable

incgamma = python_callable(_incgamma)

ORDERS = [10.0, 1000.0, 1e6]
N_POINTS = 100_000
N_MP = 8
REPEATS = 7


def _points(a: float, n: int) -> np.ndarray:
    """x from 1e-3 a to 10 a: a third lower tail, a third within 10 sqrt(a) of a, a third upper."""
    rng = np.random.default_rng(12345)
    k = n // 3
    lower = a * rng.uniform(1e-3, 1.0, k)
    mid = a + np.sqrt(a) * rng.uniform(-10.0, 10.0, k)
    upper = a * rng.uniform(1.0, 10.0, n - 2 * k)
    x = np.concatenate([lower, mid, upper])
    return x[x > 0]


def _log_of(fn, a: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.log(fn(a, x))


def main() -> None:
    # warm the JIT (and the cache) before timing
    ufuncs.log_gammainc_p_vec(np.array([1.0, 30.0]), np.array([0.5, 31.0]))
    ufuncs.log_gammainc_q_vec(np.array([1.0, 30.0]), np.array([0.5, 31.0]))
    print(
        f"{'a':>8} {'func':>6} {'ours Meval/s':>13} {'scipy Meval/s':>14} {'ours/scipy':>10} "
        f"{'mpmath eval/s':>14} {'ours/mpmath':>12} {'scipy->-inf, ours finite':>25} "
        f"{'max rel diff vs scipy':>22}  (rel. errors vs mpmath there)"
    )
    for a in ORDERS:
        x = _points(a, N_POINTS)
        av = np.full_like(x, a)
        for name, ours, value, theirs, mpf in (
            (
                "log P",
                ufuncs.log_gammainc_p_vec,
                incgamma.gammainc_p,
                sc.gammainc,
                lambda a, x: mp.gammainc(a, 0, x, regularized=True),
            ),
            (
                "log Q",
                ufuncs.log_gammainc_q_vec,
                incgamma.gammainc_q,
                sc.gammaincc,
                lambda a, x: mp.gammainc(a, x, mp.inf, regularized=True),
            ),
        ):
            t_ours = median_time(ours, av, x)
            with np.errstate(divide="ignore"):
                t_scipy = median_time(_log_of, theirs, av, x)
                ref = theirs(av, x)
                ls = np.log(ref)
            lo = ours(av, x)
            under = np.mean(np.isneginf(ls) & np.isfinite(lo))
            normal = ref > 1e-300
            dis = np.abs(np.expm1(lo[normal] - ls[normal]))
            diff = np.max(dis)
            # who is right at the worst disagreement: both against mpmath
            xw = x[normal][np.argmax(dis)]
            try:
                with mp.workdps(40):
                    rw = mpf(mp.mpf(a), mp.mpf(xw))
                    who = (
                        f"scipy {float(abs(theirs(a, xw) - rw) / rw):.0e}, "
                        f"ours {float(abs(value(a, xw) - rw) / rw):.0e}"
                    )
            except mp.libmp.NoConvergence:
                who = "mpmath n/a"
            sub = x[:: max(1, len(x) // N_MP)][:N_MP]
            with mp.workdps(20):
                t0 = time.perf_counter()
                for xi in sub:
                    try:
                        mp.log(mpf(mp.mpf(a), mp.mpf(xi)))
                    except Exception:  # mpmath raises NoConvergence at large a; still timed
                        pass
                t_mp = (time.perf_counter() - t0) / len(sub)
            n = len(x)
            print(
                f"{a:8.0e} {name:>6} {n / t_ours / 1e6:13.2f} {n / t_scipy / 1e6:14.2f} "
                f"{t_scipy / t_ours:10.2f} {1 / t_mp:14.1f} {t_mp * n / t_ours:12.0f} "
                f"{under:25.1%} {diff:22.1e}  ({who})"
            )


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
