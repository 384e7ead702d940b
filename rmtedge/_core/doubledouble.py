"""Error-free transformations and double-double helpers for the numba kernels.

``two_sum`` (Knuth) and ``fast_two_sum`` (Dekker) split a sum into its rounded value and the exact
rounding error; ``two_prod`` does the same for a product with one fused multiply-add;
``neumaier_add`` is one step of Neumaier's compensated summation; ``exp_dd`` is exp of an
unevaluated sum ``h + lo``. They are the building blocks of the double-double logarithms in
:mod:`rmtedge._core.elementary` and of the incomplete gamma prefactor in
:mod:`rmtedge._core.incgamma`.

Reference: T. J. Dekker, "A floating-point technique for extending the available precision",
Numer. Math. 18 (1971) 224-242.
"""

from __future__ import annotations

import math

from .jit import fma, jit

__all__ = ["exp_dd", "fast_two_sum", "neumaier_add", "two_prod", "two_sum"]


@jit
def two_sum(a: float, b: float) -> tuple[float, float]:
    """s + e = a + b exactly, s = fl(a + b) (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@jit
def neumaier_add(s: float, c: float, v: float) -> tuple[float, float]:
    """One step of Neumaier's compensated summation: (s, c) for the running sum s + c after
    adding v (s the rounded sum, c the accumulated rounding errors)."""
    t = s + v
    if abs(s) >= abs(v):
        c += (s - t) + v
    else:
        c += (v - t) + s
    return t, c


@jit
def fast_two_sum(a: float, b: float) -> tuple[float, float]:
    """s + e = a + b exactly for |a| >= |b| (Dekker)."""
    s = a + b
    return s, b - (s - a)


@jit
def two_prod(a: float, b: float) -> tuple[float, float]:
    """p + e = a * b exactly, p = fl(a * b): e = fma(a, b, -p) (exact unless a b is within a
    factor 2^53 of the underflow threshold); e = 0 when |p| > 1e300 or p is not finite."""
    p = a * b
    if not (abs(p) <= 1e300):
        return p, 0.0
    return p, fma(a, b, -p)


@jit
def exp_dd(h: float, lo: float) -> float:
    """exp(h + lo) for h + lo <= 0, accurate to ~1 ulp whatever |h| (clipped to 1)."""
    e, r = two_sum(h, lo)
    v = math.exp(e) * (1.0 + r)
    return 1.0 if 1.0 < v else v
