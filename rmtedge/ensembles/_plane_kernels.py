"""Private numba kernels for the eigenvalue densities in the plane.

Public wrappers: :func:`rmtedge.ensembles.densities.complex_eigenvalue_density` and its log.
Ginibre scale, log space, ``X = |z|^2`` as a double-double (see
:mod:`rmtedge.ensembles._density_common`), ``Q`` the regularized upper incomplete gamma function:

* non-real eigenvalues of real Ginibre (Edelman 1997, Theorem 6.2):
  ``sqrt(2/pi) |y| erfcx(sqrt(2)|y|) Q(n - 1, |z|^2)``;
* eigenvalues of complex Ginibre (Ginibre 1965): ``Q(n, |z|^2)/pi``.

The Glorot densities are ``n rho(sqrt(n) z)``.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import HALF_LOG_2_OVER_PI, INF, LOG_PI, NAN, SQRT2
from .._core.erf import erfcx
from .._core.incgamma import log_gammainc_pq_dd
from .._core.jit import jit
from ._density_common import N_SMALL, X_SMALL_MAX, log_q_small, sum_squares_dd

__all__ = ["log_complex_density_kernel", "vec_complex_density"]


@jit(inline="always")
def log_complex_density_kernel(x: float, y: float, n: int, real_field: bool, glorot: bool) -> float:
    """log of the intensity at z = x + iy of the non-real eigenvalues of real Ginibre
    (real_field) or of the eigenvalues of complex Ginibre; glorot: of G/sqrt(n)."""
    if x != x or y != y:
        return NAN
    scale = float(n) if glorot else 1.0
    if real_field and (n == 1 or y == 0.0):
        return -INF
    sh, sl = sum_squares_dd(x, y, scale)
    if sh == INF:
        return -INF
    k = n - 1 if real_field else n
    if k <= N_SMALL and 0.0 < sh <= X_SMALL_MAX:
        lq = log_q_small(2 * k, sh, sl)
    else:
        lq = log_gammainc_pq_dd(float(k), sh, sl)[1]
    if real_field:
        ay = abs(y) * math.sqrt(scale) if glorot else abs(y)
        v = HALF_LOG_2_OVER_PI + math.log(ay) + math.log(erfcx(SQRT2 * ay)) + lq
    else:
        v = lq - LOG_PI
    if glorot:
        v += math.log(scale)
    return v


@jit(python=True)
def vec_complex_density(
    x: np.ndarray,
    y: np.ndarray,
    n: np.ndarray,
    real_field: bool,
    glorot: bool,
    value: bool,
    out: np.ndarray,
) -> None:
    """out[i] = log intensity at x[i] + i y[i], or its exponential if value."""
    for i in range(x.shape[0]):
        v = log_complex_density_kernel(x[i], y[i], n[i], real_field, glorot)
        out[i] = math.exp(v) if value else v
