"""Finite-n laws of the spectral radius rho(W) of Glorot matrices, and P(rho > 1).

``W = G/sqrt(n)`` with ``G`` real or complex Ginibre (entries of variance 1/n, the Glorot
recurrence matrix of Bar et al. 2025). The paper's edge claim (its claim 2 in
``docs/theory.md``, "The setting of the paper") is a Gumbel *limit*; this module gives laws at the actual ``n``:

* complex field, ``method="exact"``: Kostlan's theorem makes the law an explicit product,
  ``P(rho(W) <= r) = prod_{k=1}^n P(k, n r^2)`` (``docs/theory.md``, "Complex Ginibre matrices"), evaluated exactly in
  float64 log space at every n (tested against mpmath up to n = 10^6, fast up to n = 10^7);
* real field, ``method="exact"`` (default): de Bruijn's Pfaffian over the disc reduced to a
  determinant of incomplete gamma functions and arc integrals
  (:class:`rmtedge.laws.real_radius_pfaffian.ExactRealRadiusLaw`, n <= 10^5);
* real field, ``method="poisson"``: an *approximation*: eigenvalues
  outside the disk of radius r treated as a Poisson process of independent units, a real
  eigenvalue being one unit and a conjugate pair another, with the exact finite-n intensities
  of Edelman-Kostlan-Shub and Edelman (``docs/theory.md``, "Spectral-radius laws"); ``method="auto"`` uses the
  exact law up to n = 4096 and this approximation above;
* both fields, ``method="gumbel"``: the Rider / Rider-Sinclair limit
  (:func:`rmtedge.gumbel_edge_law`), for comparison.

The law of the largest real eigenvalue is in :mod:`rmtedge.laws.largest_real`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._core.checks import (
    check_choice,
    check_field,
    check_n,
)
from ._frozen import FrozenLaw, _as_float_array
from .complex_radius_kostlan import ExactComplexRadiusLaw
from .gumbel import GAMMA_N_MIN_N, GumbelEdgeLaw
from .real_radius_pfaffian import ExactRealRadiusLaw, _exact_available
from .real_radius_poisson import PoissonRealRadiusLaw

__all__ = [
    "ExactComplexRadiusLaw",
    "PoissonRealRadiusLaw",
    "log_prob_radius_exceeds_one",
    "prob_radius_exceeds_one",
    "spectral_radius_law",
]

_METHODS = ("exact", "auto", "poisson", "gumbel")
_LOG_HALF = -math.log(2.0)


# ---------------------------------------------------------------------------------------------
# public constructors
# ---------------------------------------------------------------------------------------------


def _resolve(n: Any, field: Any, method: Any) -> tuple[int, str, str]:
    n = check_n(n)
    field = check_field(field)
    if method is None:
        method = "exact"
    method = check_choice(method, "method", _METHODS)
    if method == "auto":
        if field == "complex":
            method = "exact"
        else:
            method = "exact" if _exact_available(n) else "poisson"
    if field == "complex" and method == "poisson":
        raise ValueError(
            "method='poisson' is the real-field approximation; for field='complex' use "
            "method='exact' (Kostlan's product, exact at every n)"
        )
    if method == "gumbel" and n < GAMMA_N_MIN_N:
        raise ValueError(
            f"method='gumbel' needs n >= {GAMMA_N_MIN_N} (gamma_n = log(n/(2 pi)) - 2 log log n "
            f"is <= 0 below that), got n = {n}; use method='exact', which works for every n >= 1"
        )
    return n, field, method


def spectral_radius_law(n: int, *, field: str = "real", method: str | None = None) -> FrozenLaw:
    """Law of the spectral radius rho(W) of an n x n Glorot matrix, at finite n.

    ``W = G/sqrt(n)``, ``G`` real or complex Ginibre. Returns a frozen law with the scipy.stats
    interface (``cdf, sf, logcdf, logsf, pdf, logpdf, ppf, isf, rvs, mean, var, std, median,
    interval``), vectorized over its argument.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1`` (``n >= 164`` for ``method="gumbel"``).
    field : {"real", "complex"}
        Real or complex Glorot matrices.
    method : {None, "exact", "auto", "poisson", "gumbel"}
        ``None`` means ``"exact"``. ``"exact"``: Kostlan's product (complex, every n) or the
        Pfaffian law (real, n <= 10^5; it costs ~n^{3/2} per radius). ``"auto"``:
        ``"exact"``, except ``"poisson"`` for the real field above n = 4096
        (``EXACT_REAL_MAX_N``). ``"poisson"`` (real only): finite-n Poisson approximation with
        exact intensities. ``"gumbel"`` (both): the limit law of
        :func:`rmtedge.gumbel_edge_law`.

    Returns
    -------
    ExactComplexRadiusLaw, ExactRealRadiusLaw, PoissonRealRadiusLaw or GumbelEdgeLaw

    Raises
    ------
    ValueError
        Unknown ``field`` or ``method``; ``method="exact"`` with ``field="real"`` and
        ``n > 10^5``; ``method="poisson"`` with ``field="complex"``; ``method="gumbel"`` with ``n < 164``
        (the message names a method that works). ``TypeError`` for a non-integer ``n``.

    Notes
    -----
    *Exact complex law* (Kostlan 1992; ``docs/theory.md``, "Complex Ginibre matrices"): the squared moduli of the
    eigenvalues of ``sqrt(n) W`` are independent Gamma(k, 1), k = 1..n, so

        P(rho(W) <= r) = prod_{k=1}^n P(k, n r^2).                                  (1)

    It is summed in log space over the k that matter only: all ``k > n r^2`` (the lower-tail
    factors, each ``<= 1/2``) through the downward recursion
    ``P(k-1, x) = P(k, x) + x^{k-1} e^{-x}/(k-1)!``, and the ``k <= n r^2`` factors
    ``1 - Q(k, x)`` through the upward recursion of ``Q`` until a geometric bound shows the
    rest is below 1e-18 of the sum. ``sf`` is ``-expm1(log cdf)`` or, when ``sf`` is tiny,
    ``exp`` of a log-sum-exp of ``log(-log1p(-Q_k))`` (never ``1 - cdf``). Cost per point:
    O(sqrt(n)) near and above the edge, O(n - n r^2) below it (about 20 microseconds at
    n = 10^3 and 0.3 ms at n = 10^7 in the bulk; 0.6 s at n = 10^7, r = 0.5). Accuracy
    against mpmath (tests, n from 1 to 10^6): ~1e-13 relative on cdf/sf and on logcdf/logsf
    down to probabilities of 1e-5000; the worst case is ~1e-12 relative for a cdf near 1e-200
    at n = 10^6 (an absolute error of a few ulps of log cdf ~ -480). ``pdf`` is
    ``cdf * 2 n r * sum_k x^{k-1} e^{-x} / ((k-1)! P(k, x))`` from the same pass.
    ``ppf``/``isf``: Newton's method in log r on the log probability of the small side, from a
    tail-shape initial guess, safeguarded by bisection once bracketed.

    *Exact real law* (de Bruijn 1955; Sinclair 2007; Forrester-Nagao 2007; Borodin-Sinclair
    2009): with ``m = floor(n/2)``, Ginibre radius ``R = sqrt(n) r``,

        P(rho <= r) = det(I - K),  K_ij = delta_ij Q(2i+1, R^2) + alpha_i v_j
                                          - (R/sqrt(2 pi)) v_i v_j F_{2(i-j)+1}(R),        (2)

    ``i, j < m`` (n odd: a bordered (m+1) x (m+1) analogue); see
    :class:`~rmtedge.laws.real_radius_pfaffian.ExactRealRadiusLaw` and ``docs/theory.md`` for
    the derivation, the entries, the window of O(sqrt(n)) top indices, the accuracy (cdf within
    3e-16 of mpmath for n <= 12, logsf 1e-15 relative at sf = 1e-30) and the deep lower tail.

    *Real Poisson law* (``docs/theory.md``, "Spectral-radius laws"): with ``E_r(r)`` the expected number of real
    eigenvalues of modulus ``> r`` (Edelman-Kostlan-Shub 1994) and ``E_c(r)`` the expected
    number of non-real eigenvalues of modulus ``> r`` (Edelman 1997; both members of each
    conjugate pair counted),

        P(rho(W) <= r) ~ exp(-E_r(r) - E_c(r)/2),                                  (3)

    treating each real eigenvalue and each conjugate *pair* (which leaves the disk as a whole)
    as one unit of a Poisson process (this convention, checked against Monte Carlo, beats
    counting every eigenvalue as a unit for n >= 50). It is *not* exact: eigenvalues repel, so
    the Poisson cdf is too large in the lower half of the law. Measured sup distance to Monte
    Carlo: 0.22 (n = 2), 0.11 (n = 10); to the exact law (2): 0.055 (n = 50), 0.042 (100),
    0.033 (200), 0.023 (500), 0.0175 (1000), 0.0099 (4096), see docs/edge_laws.md. Poor for
    small n and in the lower tail, where eigenvalues are not rare; as r -> 0+ it tends to
    ``exp(-E_r(0) - E_c(0)/2) > 0`` instead of 0: the approximation's atom at 0, part of the law
    (``cdf(0)`` equals it). ``pdf``: the r-derivative of (3), with the circle integral of
    Edelman's intensity in closed form, ``2 s (1 - erfcx(sqrt(2) s)) Q(n-1, s^2)`` at Ginibre
    radius ``s = sqrt(n) r``. Quantiles by bracketing and Illinois' regula falsi.

    *Gumbel*: the limit laws (Rider 2003; Rider-Sinclair 2014); they converge slowly (sup
    distance to the exact complex law ~0.3 at n = 500, ~0.15 at n = 10^6).

    References
    ----------
    E. Kostlan, Linear Algebra Appl. 162-164 (1992) 385-388 (eq. (1)).
    A. Edelman, E. Kostlan, M. Shub, J. AMS 7 (1994) 247-267, Cor. 4.3 (real intensity).
    A. Edelman, J. Multivariate Anal. 60 (1997) 203-232, Thm 6.2 (non-real intensity).
    B. Rider, J. Phys. A 36 (2003) 3401; B. Rider, C. D. Sinclair, Ann. Appl. Probab. 24 (2014)
    1621 (Gumbel limits). N. Bar et al., arXiv:2505.19827 (2025), the edge claim P(rho > 1) -> 1.

    Examples
    --------
    n = 1, complex: ``rho^2 ~ Exp(1)``, so ``P(rho <= r) = 1 - exp(-r^2)``:

    >>> import math, rmtedge
    >>> law = rmtedge.spectral_radius_law(1, field="complex")
    >>> bool(abs(law.cdf(0.7) - (1 - math.exp(-0.49))) < 1e-15)
    True

    ``sf`` keeps its relative accuracy where ``1 - cdf`` would be 0, and ``isf`` inverts it:

    >>> law = rmtedge.spectral_radius_law(1000, field="complex")
    >>> r = 1.3
    >>> bool(law.cdf(r) == 1.0 and 0 < law.sf(r) < 1e-70)
    True
    >>> bool(abs(law.isf(law.sf(r)) / r - 1) < 1e-13)
    True
    """
    n, field, method = _resolve(n, field, method)
    if method == "gumbel":
        return GumbelEdgeLaw(n, field)
    if method == "exact":
        if field == "real":
            return ExactRealRadiusLaw(n)
        return ExactComplexRadiusLaw(n)
    return PoissonRealRadiusLaw(n)


def _check_scale_factor(scale_factor: Any) -> np.ndarray:
    s = _as_float_array(scale_factor, "scale_factor")
    if np.any(s <= 0) or np.any(np.isinf(s)):
        raise ValueError(f"scale_factor must be finite and > 0, got {scale_factor!r}")
    return s


def log_prob_radius_exceeds_one(
    n: int, *, field: str = "real", scale_factor: Any = 1.0, method: str | None = None
) -> Any:
    """log P(rho(W / s) > 1) = log sf(s), accurate when the probability is far below 1e-300.

    See :func:`prob_radius_exceeds_one` for the parameters.

    Examples
    --------
    >>> import math, rmtedge
    >>> v = rmtedge.log_prob_radius_exceeds_one(500, field="complex", scale_factor=2.0)
    >>> bool(v < -750 and math.isfinite(v))    # sf(2) underflows float64 but its log does not
    True
    """
    s = _check_scale_factor(scale_factor)
    law = spectral_radius_law(n, field=field, method="auto" if method is None else method)
    return law.logsf(s)


def prob_radius_exceeds_one(
    n: int, *, field: str = "real", scale_factor: Any = 1.0, method: str | None = None
) -> Any:
    """Probability that the rescaled Glorot matrix W/s has spectral radius above one.

    ``P(rho(W/s) > 1) = P(rho(W) > s)``: the survival function of :func:`spectral_radius_law`
    at ``s``. With ``s = 1`` this is the paper's quantity (its claim: it tends to 1 as n
    grows); with ``s = r_n(c)`` it is the actual risk of the rescaled Glorot initializer.

    Parameters
    ----------
    n : int
        Dimension.
    field : {"real", "complex"}
    scale_factor : float or array of floats
        ``s > 0`` (NaN propagates).
    method : {None, "exact", "auto", "poisson", "gumbel"}
        As in :func:`spectral_radius_law`; ``None`` means ``"auto"`` here (the exact law of
        either field, except the real Poisson law above n = 4096).

    Returns
    -------
    float or ndarray

    Notes
    -----
    Computed as ``sf``, never as ``1 - cdf``. Both fields use the exact law by default (real:
    the Pfaffian law up to n = 4096, the Poisson approximation above, as ``method="auto"``).
    For the complex field it increases to 1 with n: 0.9978 at n = 165, 0.99999974 at n = 1000 (``1 - p = 2.7e-7``); the
    Gumbel limit gives 0.64 at n = 165.

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025), claim 2 and the rescaled Glorot r_n(c).

    Examples
    --------
    P(rho > s) decreases in s (identity: sf is non-increasing):

    >>> import numpy as np, rmtedge
    >>> p = rmtedge.prob_radius_exceeds_one(500, field="complex", scale_factor=[1.0, 1.05, 1.1])
    >>> bool(np.all(np.diff(p) < 0) and p[0] > 0.99)
    True
    """
    s = _check_scale_factor(scale_factor)
    law = spectral_radius_law(n, field=field, method="auto" if method is None else method)
    return law.sf(s)


# ---------------------------------------------------------------------------------------------
# largest real eigenvalue of real Ginibre, right tail
# ---------------------------------------------------------------------------------------------
