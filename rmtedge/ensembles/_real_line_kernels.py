"""Private numba kernels for the Edelman-Kostlan-Shub density of the real eigenvalues.

Public wrappers: :func:`rmtedge.ensembles.densities.real_eigenvalue_density` and its log.
Ginibre scale (unit-variance entries), log space, ``m = n - 1``, ``a = m/2``, ``u = x^2/2``:

``rho(x) = Q(m, x^2)/sqrt(2 pi) + e^{lgp(a, u)} Gamma(a+1)/Gamma(a+1/2) P(a, u)/sqrt(2)``

with ``lgp(a, u) = log(u^a e^-u / Gamma(a+1))`` (the second EKS term rewritten with
``|x|^m = (2u)^a``) and ``P``, ``Q`` the regularized incomplete gamma functions of
:mod:`rmtedge._core.incgamma`, each at the double-double ``X = x^2`` (see
:mod:`rmtedge.ensembles._density_common`). The Glorot density is ``sqrt(n) rho(sqrt(n) x)``.

References: A. Edelman, E. Kostlan, M. Shub, J. Amer. Math. Soc. 7 (1994) 247-267, Cor. 4.3.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import HALF_LOG_2PI, INF, NAN
from .._core.elementary import log1mexp, logaddexp
from .._core.incgamma import _p_series, log_gamma_prefactor_dd, log_gammainc_pq_dd
from .._core.jit import jit
from ._density_common import N_SMALL, X_SMALL_MAX, eks_log_ratio, log_q_small, square_dd

__all__ = ["log_eks_density_sq", "vec_real_density"]


@jit
def log_eks_density_sq(n: int, log_ratio: float, xh: float, xl: float) -> float:
    """log of the EKS intensity (Ginibre scale) at x with x^2 = xh + xl; log_ratio =
    eks_log_ratio(n), hoisted out of the loops over points."""
    if xh != xh:
        return NAN
    if n == 1:
        return -0.5 * (xh + xl) - HALF_LOG_2PI
    if xh == 0.0:
        return -HALF_LOG_2PI
    if xh == INF:
        return -INF
    m = n - 1.0
    a = 0.5 * m
    uh = 0.5 * xh
    ul = 0.5 * xl
    lga = log_gamma_prefactor_dd(a, uh, ul)
    if n - 1 <= N_SMALL and xh <= X_SMALL_MAX:
        # fast path (finite sums, see log_q_small); P(a, u) by its power series below a + 1
        first = log_q_small(2 * (n - 1), xh, xl)
        if uh < a + 1.0:
            ser = _p_series(a, uh)
            # d log P/du = (a/u)/ser; lga already carries the a/u - 1 part of it (a (ul/uh),
            # not ul (a/uh): a/uh overflows where uh is subnormal, x ~ 1e-160)
            lp = lga + math.log(ser) + a * (ul / uh) * (1.0 / ser - 1.0) + ul
        else:
            lp = log1mexp(log_q_small(n - 1, uh, ul))
    else:
        first = log_gammainc_pq_dd(m, xh, xl)[1]
        lp = log_gammainc_pq_dd(a, uh, ul)[0]
    first -= HALF_LOG_2PI
    second = lga + log_ratio + lp
    return logaddexp(first, second)


@jit(inline="always")
def _log_real(x: float, n: int, log_ratio: float, glorot: bool) -> float:
    if x != x:
        return NAN
    if glorot:
        xh, xl = square_dd(x, float(n))
        return log_eks_density_sq(n, log_ratio, xh, xl) + 0.5 * math.log(n)
    xh, xl = square_dd(x, 1.0)
    return log_eks_density_sq(n, log_ratio, xh, xl)


@jit(python=True)
def vec_real_density(
    x: np.ndarray, n: np.ndarray, glorot: bool, value: bool, out: np.ndarray
) -> None:
    """out[i] = log rho_(n[i])(x[i]), or its exponential if value (one kernel for both)."""
    log_ratio = 0.0
    last = -1
    for i in range(x.shape[0]):
        if n[i] != last:
            last = n[i]
            log_ratio = eks_log_ratio(last)
        v = _log_real(x[i], last, log_ratio, glorot)
        out[i] = math.exp(v) if value else v
