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
from .._core.elementary import logaddexp
from .._core.incgamma import log_gamma_prefactor_dd, log_gammainc_pq_dd
from .._core.jit import jit
from ._density_common import EksConstants, eks_constants, square_dd

__all__ = ["log_eks_density_sq", "log_real_density_kernel", "vec_real_density"]


@jit
def log_eks_density_sq(n: int, c: EksConstants, xh: float, xl: float) -> float:
    """log of the EKS intensity (Ginibre scale) at x with x^2 = xh + xl; c = eks_constants(n)."""
    if xh != xh:
        return NAN
    if n == 1:
        return -0.5 * (xh + xl) - HALF_LOG_2PI
    if xh == 0.0:
        return -HALF_LOG_2PI
    if xh == INF:
        return -INF
    uh = 0.5 * xh
    ul = 0.5 * xl
    first = log_gammainc_pq_dd(c.m, xh, xl)[1] - HALF_LOG_2PI
    second = (
        log_gamma_prefactor_dd(c.a, uh, ul) + c.log_ratio + log_gammainc_pq_dd(c.a, uh, ul)[0]
    )
    return logaddexp(first, second)


@jit
def _log_real(x: float, n: int, c: EksConstants, glorot: bool) -> float:
    if x != x:
        return NAN
    if glorot:
        xh, xl = square_dd(x, float(n))
        return log_eks_density_sq(n, c, xh, xl) + c.half_log_n
    xh, xl = square_dd(x, 1.0)
    return log_eks_density_sq(n, c, xh, xl)


@jit
def log_real_density_kernel(x: float, n: int, glorot: bool) -> float:
    """log rho_n(x): intensity of real eigenvalues of real Ginibre (glorot: of G/sqrt(n))."""
    return _log_real(x, n, eks_constants(n), glorot)


@jit
def vec_real_density(
    x: np.ndarray, n: np.ndarray, glorot: bool, value: bool, out: np.ndarray
) -> None:
    """out[i] = log rho_(n[i])(x[i]), or its exponential if value (one kernel for both)."""
    c = eks_constants(1)
    last = -1
    for i in range(x.shape[0]):
        if n[i] != last:
            last = n[i]
            c = eks_constants(last)
        v = _log_real(x[i], last, c, glorot)
        out[i] = math.exp(v) if value else v
