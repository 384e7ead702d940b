"""Pieces shared by the density and count kernels: the point's squared modulus as a double-double,
and the per-n constant of the Edelman-Kostlan-Shub density.

The densities depend on the point only through ``X = x^2`` (or ``|z|^2``), and they are
ill-conditioned in ``X`` beyond the edge: ``X d log(rho)/dX`` is about ``2 sqrt(n) c`` at
``sqrt(X) = sqrt(n) + c``, so the rounding of ``X`` alone would cost ``~1e-11`` relative at
``n = 10^6``. ``X`` (including the Glorot factor ``n``) is therefore formed as an unevaluated
double-double ``xh + xl`` (exact products by fused multiply-add), and each incomplete-gamma
factor is corrected to first order in ``xl`` with its exact derivative
(:func:`rmtedge._core.incgamma.log_gammainc_pq_dd`, :func:`~rmtedge._core.incgamma.log_gamma_prefactor_dd`).
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import INF, INV_SQRT_PI, LN2, TWO_OVER_SQRT_PI
from .._core.doubledouble import two_prod, two_sum
from .._core.elementary import log_gamma_ratio
from .._core.jit import jit

__all__ = ["N_SMALL", "X_SMALL_MAX", "eks_log_ratio", "log_q_small", "square_dd", "sum_squares_dd"]

# beyond this |x| the double-double square is not formed (its low part would overflow)
_DD_MAX = 1e150


@jit(inline="always")
def eks_log_ratio(n: int) -> float:
    """log(Gamma(a + 1)/Gamma(a + 1/2)) - log(2)/2 with a = (n - 1)/2: the constant factor of the
    second EKS term (0 for n = 1, where that term is absent), without cancellation at large a."""
    if n < 2:
        return 0.0
    a = 0.5 * (n - 1.0)
    return log_gamma_ratio(a + 0.5, 0.5) + 0.5 * math.log(a + 0.5) - 0.5 * LN2


@jit
def square_dd(x: float, scale: float) -> tuple[float, float]:
    """scale * x^2 as a double-double (hi, lo); scale is n (Glorot) or 1 (Ginibre)."""
    ax = abs(x)
    if ax > _DD_MAX or ax == INF:
        return scale * ax * ax, 0.0
    h, lo = two_prod(ax, ax)
    if scale != 1.0:
        h2, l2 = two_prod(scale, h)
        lo = l2 + scale * lo
        h = h2
        if h == INF:
            return INF, 0.0
    return two_sum(h, lo)


@jit
def sum_squares_dd(x: float, y: float, scale: float) -> tuple[float, float]:
    """scale * (x^2 + y^2) as a double-double."""
    hx, lx = square_dd(x, 1.0)
    hy, ly = square_dd(y, 1.0)
    if hx == INF or hy == INF:
        return INF, 0.0
    s, e = two_sum(hx, hy)
    if s == INF:
        return INF, 0.0
    e += lx + ly
    s, e = two_sum(s, e)
    if scale != 1.0 and s != INF:
        h2, l2 = two_prod(scale, s)
        if h2 == INF:
            return INF, 0.0
        return two_sum(h2, l2 + scale * e)
    return s, e


# ----------------------------------------------------------------------------------------------
# fast path: Q(a, X) for small integer and half-integer orders by a finite sum
# ----------------------------------------------------------------------------------------------

#: Orders a <= N_SMALL (2a integer) take the finite sums below when X <= X_SMALL_MAX: the
#: general kernel costs ~300 ns per call, the sum ~1.3 ns per term (reciprocals from a table,
#: so the loop-carried chain is a multiplication). Measured in benchmarks/bench_densities.py.
N_SMALL = 128
#: e^-X and the sum (<= e^X) stay normal floats up to here
X_SMALL_MAX = 700.0
_INV = np.concatenate([[0.0], 1.0 / np.arange(1, 2 * N_SMALL + 8, dtype=np.float64)])


@jit
def log_q_small(k2: int, xh: float, xl: float) -> float:
    """log Q(a, X) for a = k2/2 (1 <= k2 <= 2 N_SMALL) at X = xh + xl, 0 < xh <= X_SMALL_MAX,
    to first order in xl, from the finite sums (DLMF 8.4.10, 8.4.11 with the erfc term)

        Q(a, X) = e^-X sum_{i < floor(a)} X^(i+f)/Gamma(i+f+1) + [f = 1/2] erfc(sqrt X),

    f = a - floor(a). The terms are positive, so Q has a relative error of a few ulps times the
    number of terms (<= 128); dQ/dX = -e^-X X^(a-1)/Gamma(a) (the last term) gives the correction.
    """
    half = k2 % 2
    nterms = k2 // 2
    if half:
        t = math.sqrt(xh) * TWO_OVER_SQRT_PI
        last = INV_SQRT_PI / math.sqrt(xh)  # X^(-1/2)/Gamma(1/2), the derivative term at a = 1/2
    else:
        t = 1.0
        last = 0.0
    s = 0.0
    for i in range(nterms):
        s += t
        last = t
        t *= (2.0 * xh) * _INV[2 * i + 2 + half]
    ex = math.exp(-xh)
    q = ex * s
    if half:
        q += math.erfc(math.sqrt(xh))
    return math.log(q) - xl * (ex * last / q)
