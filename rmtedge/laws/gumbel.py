"""Gumbel limits of the spectral radius of Glorot (Ginibre) matrices.

For ``W = G/sqrt(n)`` with ``G`` real or complex Ginibre, let

    gamma_n = log(n / (2 pi)) - 2 log log n,
    a_n     = 1 + sqrt(gamma_n / (4 n))        (centring, :func:`rider_centering`),
    b_n     = 1 / sqrt(4 n gamma_n)            (scale, :func:`rider_scale`).

Then ``(rho(W) - a_n) / b_n`` converges in law to a Gumbel variable with CDF
``exp(-e^{-x})`` for complex Ginibre (Rider 2003) and ``exp(-e^{-x}/2)`` for real Ginibre
(Rider & Sinclair 2014). ``gamma_n > 0`` only for ``n >= 164``: below that the limit is not
defined and the functions here raise ``ValueError`` (use
:func:`rmtedge.spectral_radius_law`, which is exact at every ``n`` for the complex field).

These are *limits*. Their error at practical ``n`` is large (sup-distance of CDFs about 0.3
at n = 500 for the complex field, decaying like log log n / log n); the finite-n laws in
:mod:`rmtedge.spectral_radius_law` are the default everywhere in rmtedge.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._core.checks import check_field, check_int, check_n_array, check_rng, check_size
from .._core.elementary import log1mexp_neg_array
from ._frozen import FrozenLaw, _as_float_array, _ret

__all__ = [
    "GAMMA_N_MIN_N",
    "PAPER_GUMBEL_C",
    "GumbelEdgeLaw",
    "gamma_n",
    "gumbel_edge_law",
    "rider_centering",
    "rider_scale",
]

#: Smallest n with gamma_n > 0 (gamma_163 = -1.6e-4, gamma_164 = +3.6e-3).
GAMMA_N_MIN_N = 164

#: The authors' default calibration constant c = euler_gamma + pi/sqrt(6) (Gumbel mean plus
#: one standard deviation), used in r_n(c) = a_n + c b_n (Bar et al. 2025, rescaled Glorot).
PAPER_GUMBEL_C = float(np.euler_gamma + math.pi / math.sqrt(6.0))

# Below this n, the float64 difference of the two logs in gamma_n loses more than a digit to
# cancellation (measured: at most 2.4 digits, 5.5e-14 relative error at n = 165).
_GAMMA_N_MP_BELOW = 2000

# Location of the standardized limit: complex exp(-e^{-x}) is Gumbel(0, 1); real
# exp(-e^{-x}/2) = exp(-e^{-(x + log 2)}) is Gumbel(-log 2, 1).
_SHIFT = {"complex": 0.0, "real": -math.log(2.0)}


def _domain_error(nmin: float) -> ValueError:
    return ValueError(
        f"n must be >= {GAMMA_N_MIN_N} for the Gumbel edge limit (gamma_n = log(n/(2 pi)) - "
        f"2 log log n is <= 0 below that; got n = {int(nmin)}). Use "
        "rmtedge.spectral_radius_law(n, field=..., method='exact' for complex or 'poisson' for "
        "real), which is defined for every n >= 1."
    )


def gamma_n(n: Any) -> Any:
    """The edge parameter gamma_n = log(n / (2 pi)) - 2 log log n.

    Parameters
    ----------
    n : int or array of ints
        Matrix dimension(s), each ``>= 164``.

    Returns
    -------
    float or ndarray
        ``gamma_n``; positive on the whole domain.

    Raises
    ------
    ValueError
        If any ``n < 164`` (``gamma_n <= 0`` there: the limit is undefined).

    References
    ----------
    B. Rider, "A limit theorem at the edge of a non-Hermitian random matrix ensemble",
    J. Phys. A 36 (2003) 3401-3409, Theorem 1 (centring gamma_n); N. Bar et al.,
    arXiv:2505.19827 (2025), the edge statement used for Glorot matrices.

    Examples
    --------
    >>> import math, rmtedge
    >>> g = rmtedge.gamma_n(1000)
    >>> bool(abs(g - (math.log(1000 / (2 * math.pi)) - 2 * math.log(math.log(1000)))) < 1e-15)
    True
    """
    arr = check_n_array(n).astype(np.float64)
    if np.any(arr < GAMMA_N_MIN_N):
        raise _domain_error(np.min(arr))
    flat = arr.reshape(-1)
    out = np.log(flat / (2.0 * math.pi)) - 2.0 * np.log(np.log(flat))
    # Near n = 164 the two logs cancel (gamma_164 = 0.0036 from terms of size 3.3): float64
    # loses up to 2.4 digits there (5.5e-14 relative at n = 165), so below _GAMMA_N_MP_BELOW
    # the difference is taken at 30 digits and rounded once.
    for i in np.flatnonzero(flat < _GAMMA_N_MP_BELOW):
        out[i] = float(gamma_n_mp(int(flat[i]), dps=30))
    return _ret(out.reshape(arr.shape))


def gamma_n_mp(n: int, *, dps: int) -> Any:
    """gamma_n = log(n/(2 pi)) - 2 log log n as an mpmath number at ``dps`` digits.

    The one high-precision evaluation of gamma_n in rmtedge (used by :func:`gamma_n` below
    n = 2000 and by the "paper" rescale factor, whose sum ``1 + sqrt(gamma_n/(4n)) + c b_n``
    cancels further when the factor is small).
    """
    import mpmath

    with mpmath.workdps(dps):
        m = mpmath.mpf(int(n))
        return mpmath.log(m / (2 * mpmath.pi)) - 2 * mpmath.log(mpmath.log(m))


def rider_centering(n: Any) -> Any:
    """Centring a_n = 1 + sqrt(gamma_n / (4 n)) of the spectral radius of a Glorot matrix.

    See :func:`gamma_n` for the domain (``n >= 164``) and references.

    Examples
    --------
    >>> import rmtedge
    >>> bool(rmtedge.rider_centering(10**6) > 1)
    True
    """
    g = gamma_n(n)
    return 1.0 + np.sqrt(g / (4.0 * np.asarray(n, dtype=np.float64)))


def rider_scale(n: Any) -> Any:
    """Fluctuation scale b_n = 1 / sqrt(4 n gamma_n) of the spectral radius of a Glorot matrix.

    See :func:`gamma_n` for the domain (``n >= 164``) and references.

    Examples
    --------
    >>> import rmtedge
    >>> n = 4096
    >>> bool(abs(rmtedge.rider_scale(n) ** 2 * 4 * n * rmtedge.gamma_n(n) - 1) < 1e-14)
    True
    """
    g = gamma_n(n)
    return 1.0 / np.sqrt(4.0 * np.asarray(n, dtype=np.float64) * g)


class GumbelEdgeLaw(FrozenLaw):
    """Gumbel limit law of rho(W) for Glorot W at dimension n (see :func:`gumbel_edge_law`)."""

    name = "gumbel_edge_law"

    def __init__(self, n: int, field: str):
        self.n = check_int(n, "n", minimum=1)
        self.field = check_field(field)
        if self.n < GAMMA_N_MIN_N:
            raise _domain_error(self.n)
        #: Rider's centring a_n = 1 + sqrt(gamma_n/(4n)) of the standardized variable
        self.a_n = float(rider_centering(self.n))
        #: Rider's width b_n = 1/sqrt(4 n gamma_n) (the Gumbel scale parameter; not the
        #: ``scale="glorot"|"ginibre"`` option of the rest of rmtedge)
        self.b_n = float(rider_scale(self.n))
        #: location of the law of rho(W): a_n + b_n * shift, shift = 0 (complex), -log 2 (real)
        self.loc = self.a_n + self.b_n * _SHIFT[self.field]

    def __repr__(self) -> str:
        return f"GumbelEdgeLaw(n={self.n}, field={self.field!r})"

    def standardize(self, r: Any) -> Any:
        """The Rider variable x = (r - a_n) / b_n = sqrt(4 n gamma_n) (r - 1 - sqrt(gamma_n/(4n)))."""
        return _ret((_as_float_array(r, "r") - self.a_n) / self.b_n)

    def _u(self, r: np.ndarray) -> np.ndarray:
        return (r - self.loc) / self.b_n

    def _logcdf(self, r: np.ndarray) -> np.ndarray:
        return -np.exp(-self._u(r))

    def _logsf(self, r: np.ndarray) -> np.ndarray:
        u = self._u(r)
        with np.errstate(over="ignore"):
            e = np.exp(-u)
        return log1mexp_neg_array(e, -u)  # log(1 - exp(-e)), exact where e underflows

    def _logpdf(self, r: np.ndarray) -> np.ndarray:
        u = self._u(r)
        with np.errstate(over="ignore"):
            return -u - np.exp(-u) - math.log(self.b_n)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return self.loc - self.b_n * np.log(-np.log(q))

    def _isf(self, q: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return self.loc - self.b_n * np.log(-np.log1p(-q))

    def mean(self) -> np.float64:
        """Mean loc + euler_gamma * b_n."""
        return np.float64(self.loc + float(np.euler_gamma) * self.b_n)

    def var(self) -> np.float64:
        """Variance (pi^2 / 6) b_n^2."""
        return np.float64((math.pi**2 / 6.0) * self.b_n**2)

    def rvs(self, size: Any = None, *, rng: Any = None) -> Any:
        """Samples loc - b_n * log(Exp(1)) (exact Gumbel sampler)."""
        shape = check_size(size)
        gen = check_rng(rng)
        return _ret(np.asarray(self.loc - self.b_n * np.log(gen.standard_exponential(shape))))


def gumbel_edge_law(n: int, *, field: str = "real") -> GumbelEdgeLaw:
    """Gumbel limit law of the spectral radius rho(W) of an n x n Glorot matrix.

    The limit theorems say ``(rho(W) - a_n) / b_n`` converges in law to a variable with CDF
    ``exp(-e^{-x})`` (complex field) or ``exp(-e^{-x}/2)`` (real field), with
    ``a_n = 1 + sqrt(gamma_n/(4n))`` and ``b_n = 1/sqrt(4 n gamma_n)``. This function returns
    that limit expressed as a law of ``rho(W)`` itself: a Gumbel law with location
    ``a_n`` (complex) or ``a_n - b_n log 2`` (real) and scale ``b_n``.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 164`` (where ``gamma_n > 0``).
    field : {"real", "complex"}
        Real or complex Glorot matrices.

    Returns
    -------
    GumbelEdgeLaw
        Frozen law with ``cdf, sf, logcdf, logsf, pdf, logpdf, ppf, isf, rvs, mean, var, std,
        median, interval`` and ``standardize``.

    Notes
    -----
    This is an asymptotic law and it converges slowly (error of order log log n / log n): at
    n = 165 it puts P(rho > 1) near 0.64 while the exact complex value is about 0.998. Prefer
    :func:`rmtedge.spectral_radius_law` (finite-n) and use this for comparison.

    References
    ----------
    B. Rider, J. Phys. A 36 (2003) 3401-3409, Theorem 1 (complex Ginibre).
    B. Rider and C. D. Sinclair, "Extremal laws for the real Ginibre ensemble",
    Ann. Appl. Probab. 24(4) (2014) 1621-1651, Theorem 1.1 (real Ginibre, limit
    exp(-e^{-x}/2)). N. Bar et al., arXiv:2505.19827 (2025), the edge statement for Glorot.

    Examples
    --------
    >>> import math, rmtedge
    >>> law = rmtedge.gumbel_edge_law(1000, field="complex")
    >>> x = 0.3
    >>> r = law.a_n + x * law.b_n
    >>> bool(abs(law.cdf(r) - math.exp(-math.exp(-x))) < 1e-14)
    True
    >>> real = rmtedge.gumbel_edge_law(1000, field="real")
    >>> bool(abs(real.cdf(r) - math.exp(-math.exp(-x) / 2)) < 1e-14)
    True
    """
    return GumbelEdgeLaw(n, field)
