"""Pieces shared by the density and count kernels: the point's squared modulus as a double-double,
and the per-n constants of the Edelman-Kostlan-Shub density.

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
from collections import namedtuple

from .._core.constants import INF, LN2
from .._core.doubledouble import two_prod, two_sum
from .._core.elementary import log_gamma_ratio
from .._core.jit import jit

__all__ = ["EksConstants", "eks_constants", "square_dd", "sum_squares_dd"]

# beyond this |x| the double-double square is not formed (its low part would overflow)
_DD_MAX = 1e150

#: Per-n constants of the Edelman-Kostlan-Shub density, computed once per run of equal n:
#: m = n - 1, a = (n - 1)/2, log_ratio = log(Gamma(a + 1)/Gamma(a + 1/2)) - log(2)/2 (the
#: factor of the second EKS term), half_log_n = log(n)/2 (the Glorot factor of the real line).
EksConstants = namedtuple("EksConstants", ["m", "a", "log_ratio", "half_log_n"])


@jit
def eks_constants(n: int) -> EksConstants:
    """The per-n constants of the EKS density (see ``EksConstants``)."""
    m = n - 1.0
    a = 0.5 * m
    # log(Gamma(a + 1)/Gamma(a + 1/2)) - log(2)/2, without cancellation at large a
    log_ratio = log_gamma_ratio(a + 0.5, 0.5) + 0.5 * math.log(a + 0.5) - 0.5 * LN2 if n >= 2 else 0.0
    return EksConstants(m, a, log_ratio, 0.5 * math.log(n))


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
