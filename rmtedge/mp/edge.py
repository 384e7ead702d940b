"""High-precision spectral-radius law of complex Glorot matrices, straight from Kostlan (1992).

For ``W = G/sqrt(n)`` with ``G`` complex Ginibre, Kostlan's theorem says the squared moduli
``n |lambda_i(W)|^2`` have the law of independent Gamma(k, 1) variables, k = 1..n. Hence

    P(rho(W) <= r) = prod_{k=1}^{n} P(k, n r^2),

with ``P(a, x)`` the regularized lower incomplete gamma function. This module evaluates the
product term by term with :func:`mpmath.gammainc` at a chosen precision. It is the reference
that rmtedge's float64 law (:func:`rmtedge.spectral_radius_law`) is tested against, and a user
feature for quantities that float64 cannot represent.

Each factor is evaluated on the side where it is small: ``P(k, x)`` directly when ``k > x``,
and ``1 - Q(k, x)`` through ``log1p(-Q)`` when ``k <= x`` (so a survival probability of
1e-300 or 1e-100000 is obtained without cancellation: ``sf = -expm1(sum log1p(-Q_k))``).

Cost: one mpmath incomplete gamma per factor (tens of milliseconds at k ~ 10^6). Pass
``rtol`` to drop the factors with small k that cannot matter, using a Chernoff bound (see
:func:`spectral_radius_logcdf`).
"""

from __future__ import annotations

from typing import Any

import mpmath

from .._core.checks import check_n
from ._common import check_dps, check_real, check_rtol, gammainc_p, gammainc_q

__all__ = [
    "spectral_radius_cdf",
    "spectral_radius_logcdf",
    "spectral_radius_logsf",
    "spectral_radius_sf",
]


def _check_args(r: Any, n: Any, dps: Any) -> tuple[Any, int, int]:
    return check_real(r, "r"), check_n(n), check_dps(dps)


def _log_chernoff_neglected(kmax: int, x: Any) -> Any:
    """Log of a bound on sum_{k=1}^{kmax} -log P(k, x), valid when kmax <= x.

    For k <= x, Q(k, x) = Pr(Poisson(x) <= k - 1) <= 1/2 (the Poisson median exceeds x - 1), so
    -log P(k, x) = -log(1 - Q) <= 2 Q. The Chernoff bound Pr(Poisson(x) <= a) <=
    e^{-x} (e x / a)^a (a < x) increases with a, so the sum over k <= kmax is at most
    2 kmax e^{-x} (e x / a)^a with a = kmax - 1 (and 2 kmax e^{-x} when a = 0).
    """
    a = kmax - 1
    if a == 0:
        return mpmath.log(2 * kmax) - x
    return mpmath.log(2 * kmax) - x + a * (1 + mpmath.log(x / a))


def _neg_log_terms_sum(r: Any, n: int, rtol: Any) -> Any:
    """S = -log P(rho(W) <= r) = sum_k -log P(k, n r^2) at the current precision (r > 0)."""
    x = n * mpmath.mpf(r) ** 2
    total = mpmath.mpf(0)
    log_rtol = None if rtol is None else mpmath.log(rtol)
    for k in range(n, 0, -1):
        if k > x:
            total += -mpmath.log(gammainc_p(k, x))
        else:
            total += -mpmath.log1p(-gammainc_q(k, x))
            if log_rtol is not None and k > 1 and total > 0:
                # drop k' = 1..k-1 once their Chernoff bound is below rtol * (sum so far)
                if _log_chernoff_neglected(k - 1, x) < log_rtol + mpmath.log(total):
                    break
    return total


def _logcdf(r: Any, n: int, rtol: Any) -> Any:
    if mpmath.isnan(r):
        return mpmath.nan
    if r <= 0:
        return -mpmath.inf
    if mpmath.isinf(r):
        return mpmath.mpf(0)
    return -_neg_log_terms_sum(r, n, rtol)


def _logsf(r: Any, n: int, rtol: Any) -> Any:
    if mpmath.isnan(r):
        return mpmath.nan
    if r <= 0:
        return mpmath.mpf(0)
    if mpmath.isinf(r):
        return -mpmath.inf
    s = _neg_log_terms_sum(r, n, rtol)
    # log(1 - e^{-s}) on the side without cancellation (Maechler's switch at log 2)
    if s > mpmath.ln2:
        return mpmath.log1p(-mpmath.exp(-s))
    return mpmath.log(-mpmath.expm1(-s))


def _round(value: Any, dps: int) -> Any:
    with mpmath.workdps(dps):
        return +value


def _prep(r: Any, n: Any, dps: Any, rtol: Any) -> tuple[Any, int, int, Any]:
    r, n, dps = _check_args(r, n, dps)
    return r, n, dps, check_rtol(rtol)


def spectral_radius_logcdf(r: Any, n: int, *, dps: int = 50, rtol: Any = None) -> Any:
    """log P(rho(W) <= r) for an n x n complex Glorot matrix W, at ``dps`` digits.

    Parameters
    ----------
    r : real (int, float, numpy number or mpmath.mpf)
        Radius (Glorot scale: the bulk edge is at 1). A float is taken exactly; pass
        ``mpmath.mpf("0.1")`` for a decimal radius (strings, None and bools are a TypeError).
    n : int
        Dimension, ``n >= 1``.
    dps : int
        Decimal digits of the result (>= 20; the computation uses ``dps + 10``).
    rtol : real in (0, 1), decimal string (``"1e-25"``) or None
        None (default): all n factors of Kostlan's product. Otherwise the factors with small k
        are dropped once a Chernoff bound on their total contribution to ``-log cdf`` falls
        below ``rtol`` times the part already summed (relative error of ``log cdf`` and of
        ``log sf`` at most about ``rtol``).

    Returns
    -------
    mpmath.mpf
        ``sum_{k=1}^n log P(k, n r^2)``; ``-inf`` for ``r <= 0``, NaN for NaN.

    Notes
    -----
    Kostlan's theorem (moduli squared of complex Ginibre eigenvalues are independent
    Gamma(k, 1)) gives the product formula in ``docs/theory.md``, "Complex Ginibre matrices". The Chernoff bound used
    by ``rtol`` is ``Pr(Poisson(x) <= a) <= e^{-x} (e x / a)^a`` for ``a < x`` together with
    ``-log(1 - Q) <= 2 Q`` for ``Q <= 1/2``; it is independent of the float64 algorithm's cut.

    References
    ----------
    E. Kostlan, "On the spectra of Gaussian matrices", Linear Algebra Appl. 162-164 (1992)
    385-388. B. Rider, J. Phys. A 36 (2003) 3401 (the same product, eq. (2)).

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp import spectral_radius_logcdf
    >>> # n = 1: rho^2 ~ Exp(1), P(rho <= r) = 1 - exp(-r^2)
    >>> v = spectral_radius_logcdf(0.5, 1, dps=30)
    >>> with mpmath.workdps(40):
    ...     bool(abs(v - mpmath.log(-mpmath.expm1(-mpmath.mpf(0.5) ** 2))) < mpmath.mpf(10) ** -28)
    True
    """
    r, n, dps, rtol = _prep(r, n, dps, rtol)
    with mpmath.workdps(dps + 10):
        out = _logcdf(r, n, rtol)
    return _round(out, dps)


def spectral_radius_cdf(r: Any, n: int, *, dps: int = 50, rtol: Any = None) -> Any:
    """P(rho(W) <= r) = prod_{k=1}^n P(k, n r^2) (Kostlan), complex Glorot W, at ``dps`` digits.

    See :func:`spectral_radius_logcdf` for the parameters.

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp import spectral_radius_cdf, spectral_radius_sf
    >>> with mpmath.workdps(40):    # cdf + sf = 1
    ...     p = spectral_radius_cdf(1.05, 10, dps=30) + spectral_radius_sf(1.05, 10, dps=30)
    ...     bool(abs(p - 1) < mpmath.mpf(10) ** -28)
    True
    """
    r, n, dps, rtol = _prep(r, n, dps, rtol)
    with mpmath.workdps(dps + 10):
        out = mpmath.exp(_logcdf(r, n, rtol))
    return _round(out, dps)


def spectral_radius_logsf(r: Any, n: int, *, dps: int = 50, rtol: Any = None) -> Any:
    """log P(rho(W) > r) for complex Glorot W, without cancellation, at ``dps`` digits.

    Computed as ``log(-expm1(-S))`` (``log1p(-exp(-S))`` for ``S > log 2``) with
    ``S = sum_k -log P(k, n r^2)``, each term of ``S``
    evaluated on its small side (``-log1p(-Q(k, x))`` for ``k <= x``), so survival
    probabilities far below 1e-300 keep all their digits. See :func:`spectral_radius_logcdf`.

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp import spectral_radius_logsf
    >>> # n = 1: log P(rho > r) = -r^2 exactly, even where exp(-r^2) underflows float64
    >>> v = spectral_radius_logsf(40, 1, dps=30)
    >>> with mpmath.workdps(40):
    ...     bool(abs(v + 1600) < mpmath.mpf(10) ** -25)
    True
    """
    r, n, dps, rtol = _prep(r, n, dps, rtol)
    with mpmath.workdps(dps + 10):
        out = _logsf(r, n, rtol)
    return _round(out, dps)


def spectral_radius_sf(r: Any, n: int, *, dps: int = 50, rtol: Any = None) -> Any:
    """P(rho(W) > r) = 1 - prod_k P(k, n r^2), complex Glorot W, without cancellation.

    See :func:`spectral_radius_logsf`.

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp import spectral_radius_sf
    >>> v = spectral_radius_sf(2, 1, dps=30)   # n = 1: exp(-r^2)
    >>> with mpmath.workdps(40):
    ...     bool(abs(v / mpmath.exp(-4) - 1) < mpmath.mpf(10) ** -28)
    True
    """
    r, n, dps, rtol = _prep(r, n, dps, rtol)
    with mpmath.workdps(dps + 10):
        out = mpmath.exp(_logsf(r, n, rtol))
    return _round(out, dps)
