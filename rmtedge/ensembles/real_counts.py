"""How many eigenvalues of a real Ginibre matrix are real: the mean E_n and the law p_{n,k}.

Real Ginibre ``G`` has i.i.d. N(0, 1) entries; the number of its real eigenvalues does not
depend on the scale, so everything here applies to Glorot matrices ``W = G/sqrt(n)`` too.
Complex eigenvalues come in conjugate pairs, so the count ``k`` has the parity of ``n``.

* :func:`expected_real_eigenvalues` -- ``E_n`` (Edelman, Kostlan & Shub 1994), float64 accurate
  to a few ulp for every ``n`` from 1 to 10^12 and beyond.
* :func:`prob_all_real`, :func:`log_prob_all_real` -- ``p_{n,n} = 2^(-n(n-1)/4)`` (Edelman 1997).
* :func:`real_count_distribution`, :func:`log_real_count_distribution`,
  :func:`prob_real_count` -- the exact law ``p_{n,k}``, computed in mpmath (see
  :mod:`rmtedge.mp.real_counts` for the formulas), validated at two precisions and rounded.

The statements implemented are the cited papers' (not reconstructions); the determinant form
of the generating function used for ``p_{n,k}`` is re-derived in :mod:`rmtedge.mp.real_counts`
and checked there against de Bruijn's Pfaffian.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from .._core.checks import check_n, check_n_array, check_nonneg_int_array
from .._core.constants import SQRT_2_OVER_PI, SQRT_PI
from ._real_counts_determinant import distribution_determinant, guard_digits_determinant
from ._real_counts_kernels import expected_real_kernel

__all__ = [
    "REAL_COUNT_MAX_N",
    "expected_real_eigenvalues",
    "log_prob_all_real",
    "log_real_count_distribution",
    "prob_all_real",
    "prob_real_count",
    "real_count_distribution",
]

#: largest ``n`` accepted by :func:`real_count_distribution` (about a minute at the limit)
REAL_COUNT_MAX_N = 200

#: ``E_n`` is read from an exactly rounded table for ``n <= _TABLE_MAX``, and from the
#: asymptotic series beyond.
_TABLE_MAX = 50


# E_n = 1/2 + sqrt(2 n / pi) * sum_k a_k n^(-k). Exact a_k from
# _asymptotic_coefficients(14) (series algebra on the 2F1/gamma-ratio form; re-derived and
# checked against mpmath in tests/test_real_counts.py). The first five are EKS's.
_ASYMPTOTIC_FRACTIONS = (
    (1, 1),
    (-3, 8),
    (-3, 128),
    (27, 1024),
    (499, 32768),
    (-5397, 262144),
    (-111607, 4194304),
    (1639803, 33554432),
    (210744963, 2147483648),
    (-4073621409, 17179869184),
    (-174893470349, 274877906944),
    (4243871769501, 2199023255552),
    (452873432197815, 70368744177664),
    (-13272522062335785, 562949953421312),
)
_ASYMPTOTIC = np.array([num / den for num, den in _ASYMPTOTIC_FRACTIONS])


# --------------------------------------------------------------------------------------------
# argument handling
# --------------------------------------------------------------------------------------------


def _dimension_array(n: Any) -> tuple[np.ndarray, bool]:
    """Validate ``n`` (an int >= 1 or an integer array of them); return (array, is_scalar).

    The array is int64, except for a scalar Python int beyond int64, kept as float64.
    """
    if not isinstance(n, np.ndarray) and np.ndim(n) == 0:
        n = check_n(n, maximum=None)  # TypeError for bool/float, ValueError for n < 1
        return (np.asarray(n, dtype=np.int64) if n < 2**62 else np.asarray(float(n))), True
    arr = check_n_array(n)
    return arr, arr.ndim == 0


# --------------------------------------------------------------------------------------------
# E_n: three forms (exact sum, 2F1 with a gamma ratio, asymptotic series)
# --------------------------------------------------------------------------------------------


def _sqrt2_times(value: Fraction) -> Fraction:
    """sqrt(2) * value for a non-negative Fraction, exact to 2^-96 relative (for rounding)."""
    guard = 96
    num, den = value.numerator, value.denominator
    # sqrt(2) num / den = isqrt(2 num^2 4^guard) / (den 2^guard) up to one unit in the last place
    return Fraction(math.isqrt(2 * num * num << (2 * guard)), den << guard)


def _expected_real_exact(n: int) -> Fraction:
    """E_n as an exact-enough Fraction from EKS Corollary 5.2.

    n even: E_n = sqrt(2) sum_{k=0}^{n/2-1} (4k-1)!!/(4k)!!,
    n odd:  E_n = 1 + sqrt(2) sum_{k=1}^{(n-1)/2} (4k-3)!!/(4k-2)!!.
    Both are sqrt(2) times sum of (2m-1)!!/(2m)!! = binom(2m, m)/4^m over m = n (mod 2),
    m <= n - 2 (plus 1 for odd n).
    """
    total = Fraction(0)
    for m in range(n % 2, n - 1, 2):
        total += Fraction(math.comb(2 * m, m), 4**m)
    return _sqrt2_times(total) + (n % 2)


def _expected_real_sum(n: int) -> float:
    """E_n from the double-factorial sums (EKS Cor. 5.2), correctly rounded. O(n) big integers."""
    return float(_expected_real_exact(check_n(n)))


_E_TABLE = np.array([np.nan] + [float(_expected_real_exact(k)) for k in range(1, _TABLE_MAX + 1)])


def _bernoulli(count: int) -> list[Fraction]:
    """Bernoulli numbers B_0..B_{count-1} (B_1 = -1/2)."""
    B = [Fraction(1)]
    for m in range(1, count):
        B.append(-sum(math.comb(m + 1, k) * B[k] for k in range(m)) / Fraction(m + 1))
    return B


def _log_gamma_ratio_coefficients(order: int) -> list[Fraction]:
    """c_k with log(Gamma(n + 1/2)/Gamma(n)) = (1/2) log n + sum_{k>=1} c_k n^(-k).

    From the Bernoulli-polynomial expansion of log Gamma(z + a):
    c_k = (-1)^(k+1) (B_{k+1}(1/2) - B_{k+1}) / (k (k+1)),  B_j(1/2) = (2^(1-j) - 1) B_j.
    """
    B = _bernoulli(order + 2)
    coeffs = [Fraction(0)]
    for k in range(1, order + 1):
        j = k + 1
        coeffs.append(
            (-1) ** (k + 1) * ((Fraction(2) ** (1 - j) - 1) * B[j] - B[j]) / (k * (k + 1))
        )
    return coeffs


def _asymptotic_coefficients(order: int) -> list[Fraction]:
    """Exact a_0..a_order with E_n = 1/2 + sqrt(2n/pi) sum_k a_k n^(-k) + O(n^(-order-1/2)).

    Multiplies the series of Gamma(n+1/2)/(sqrt(n) Gamma(n)) (exponential of the
    Bernoulli series) by that of 2F1(1, -1/2; n; 1/2) = sum_j (-1/2)_j 2^(-j) / (n)_j, where
    1/(n)_j = n^(-j) prod_{i<j} 1/(1 + i/n) is expanded in 1/n.
    """

    def mul(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
        out = [Fraction(0)] * (order + 1)
        for i, x in enumerate(a):
            if x:
                for j in range(order + 1 - i):
                    out[i + j] += x * b[j]
        return out

    logc = _log_gamma_ratio_coefficients(order)
    gam = [Fraction(1)] + [Fraction(0)] * order  # exp(sum c_k x^k): k g_k = sum i c_i g_{k-i}
    for k in range(1, order + 1):
        gam[k] = sum(i * logc[i] * gam[k - i] for i in range(1, k + 1)) / k
    hyp = [Fraction(0)] * (order + 1)
    poch = Fraction(1)  # (-1/2)_j
    for j in range(order + 1):
        term = [Fraction(0)] * (order + 1)
        term[j] = poch / 2**j
        for i in range(1, j):
            term = mul(term, [Fraction((-i) ** r) for r in range(order + 1)])
        hyp = [h + t for h, t in zip(hyp, term, strict=True)]
        poch *= Fraction(-1, 2) + j
    return mul(gam, hyp)


def _expected_real_asymptotic(n: Any) -> np.ndarray:
    """E_n from the 14-term asymptotic series (accurate to 1e-16 for n >= 20), by the same
    compiled kernel as the public function (a one-entry table, so the series is used for
    every n >= 1; float64 n, as the series needs, so that n beyond int64 is accepted)."""
    arr = np.asarray(n, dtype=np.float64)
    flat = np.ascontiguousarray(arr).reshape(-1)
    out = np.empty(flat.shape, dtype=np.float64)
    expected_real_kernel(flat, _E_TABLE[:1], _ASYMPTOTIC, SQRT_2_OVER_PI, out)
    return out.reshape(arr.shape)


_LOG_GAMMA_RATIO = [float(c) for c in _log_gamma_ratio_coefficients(16)]


def _expected_real_hyp2f1(n: int) -> float:
    """E_n from EKS Theorem 5.1, 1/2 + sqrt(2/pi) Gamma(n+1/2)/Gamma(n) 2F1(1,-1/2;n;1/2), in float.

    2F1 is summed term by term (ratio (j - 1/2) / (2 (n + j)), all terms after the first
    negative, no cancellation). The gamma ratio is sqrt(pi) (2n-1)!!/(2^n (n-1)!) rounded
    from an exact fraction for n <= 50, and sqrt(n) exp(Bernoulli series) beyond.
    """
    n = check_n(n)
    term, total, j = 1.0, 1.0, 0
    while abs(term) > 1e-18 * total:
        term *= (j - 0.5) / (2.0 * (n + j))
        total += term
        j += 1
    if n <= _TABLE_MAX:
        dfact = math.prod(range(1, 2 * n, 2))
        ratio = float(Fraction(dfact, 2**n * math.factorial(n - 1))) * SQRT_PI
    else:
        x = 1.0 / n
        logs = 0.0
        for c in _LOG_GAMMA_RATIO[:0:-1]:
            logs = (logs + c) * x
        ratio = math.sqrt(n) * math.exp(logs)
    return 0.5 + SQRT_2_OVER_PI * ratio * total


def expected_real_eigenvalues(n: int | np.ndarray) -> float | np.ndarray:
    """Expected number of real eigenvalues ``E_n`` of an n x n real Ginibre matrix.

    Parameters
    ----------
    n : int or array_like of int
        Matrix dimension(s), ``n >= 1``. Arrays broadcast elementwise.

    Returns
    -------
    float or ndarray
        ``E_n`` (a float for scalar ``n``, a float64 array otherwise). Scale-free: the same
        for ``G`` and for Glorot ``W = G/sqrt(n)``.

    Notes
    -----
    Edelman, Kostlan & Shub (1994), Theorem 5.1 and Corollary 5.2::

        E_n = 1/2 + sqrt(2) Gamma(n + 1/2) / (Gamma(n) sqrt(pi)) 2F1(1, -1/2; n; 1/2)
            = sqrt(2) sum_{k=0}^{n/2-1} (4k-1)!!/(4k)!!                  (n even)
            = 1 + sqrt(2) sum_{k=1}^{(n-1)/2} (4k-3)!!/(4k-2)!!          (n odd)
            = 1/2 + sqrt(2n/pi) (1 - 3/(8n) - 3/(128n^2) + 27/(1024n^3) + ...).

    For ``n <= 50`` the value is read from a table built at import from the exact
    double-factorial sums (exact rationals times sqrt 2, correctly rounded). For ``n > 50`` the
    asymptotic series is used with 14 terms (Horner in ``1/n``, one compiled pass over the
    array); its coefficients (exact dyadic rationals) were
    derived here by series algebra from the gamma-ratio/2F1 form, the first five agreeing
    with EKS's. The first omitted term is below 1e-22 relative at ``n = 51``, so the result is
    limited by float64 rounding: measured relative error <= 3e-16 against 50-digit mpmath
    for n from 1 to 10^12 (it stays accurate for any larger ``n``). ``E_n ~ sqrt(2n/pi)``.

    References
    ----------
    A. Edelman, E. Kostlan, M. Shub, "How many eigenvalues of a random matrix are real?",
    J. Amer. Math. Soc. 7 (1994) 247-267, Thm 5.1, Cor. 5.2.

    Examples
    --------
    >>> import math, numpy as np, rmtedge
    >>> math.isclose(rmtedge.expected_real_eigenvalues(2), math.sqrt(2), rel_tol=1e-15)
    True
    >>> math.isclose(rmtedge.expected_real_eigenvalues(3), 1 + 1 / math.sqrt(2), rel_tol=1e-15)
    True
    >>> E = rmtedge.expected_real_eigenvalues(np.array([10**6, 10**12]))
    >>> bool(np.allclose(E / np.sqrt(2 * np.array([1e6, 1e12]) / np.pi), 1, atol=1e-3))
    True
    """
    arr, scalar = _dimension_array(n)
    if scalar:
        k = int(n)
        if k <= _TABLE_MAX:
            return np.float64(_E_TABLE[k])
        return np.float64(_expected_real_asymptotic(k))
    flat = np.ascontiguousarray(arr).reshape(-1)
    out = np.empty(flat.shape, dtype=np.float64)
    expected_real_kernel(flat, _E_TABLE, _ASYMPTOTIC, SQRT_2_OVER_PI, out)
    return out.reshape(arr.shape)


# --------------------------------------------------------------------------------------------
# p_{n,n}
# --------------------------------------------------------------------------------------------


def log_prob_all_real(n: int | np.ndarray) -> float | np.ndarray:
    """Natural log of the probability that all eigenvalues of real Ginibre are real.

    Parameters
    ----------
    n : int or array_like of int
        Matrix dimension(s), ``n >= 1``.

    Returns
    -------
    float or ndarray
        ``log p_{n,n} = -n (n - 1) log(2) / 4``, finite for every ``n`` (no underflow).

    Notes
    -----
    Edelman (1997), Corollary 7.1: ``p_{n,n} = 2^(-n(n-1)/4)``. The product ``n (n - 1)`` is
    formed in float64 (exact below ``n ~ 9e7``, 1 ulp relative beyond).

    References
    ----------
    A. Edelman, J. Multivariate Anal. 60 (1997) 203-232.

    Examples
    --------
    >>> import math, rmtedge
    >>> math.isclose(rmtedge.log_prob_all_real(4), -3 * math.log(2), rel_tol=1e-15)
    True
    """
    arr, scalar = _dimension_array(n)
    nf = arr.astype(np.float64)
    out = -(nf * (nf - 1.0)) * (math.log(2.0) / 4.0)
    return np.float64(out) if scalar else out


def prob_all_real(n: int | np.ndarray) -> float | np.ndarray:
    """Probability ``p_{n,n} = 2^(-n(n-1)/4)`` that all eigenvalues of real Ginibre are real.

    Parameters
    ----------
    n : int or array_like of int
        Matrix dimension(s), ``n >= 1``.

    Returns
    -------
    float or ndarray
        ``p_{n,n}``; subnormal for ``n = 65, 66`` and 0.0 from ``n = 67`` on (use
        :func:`log_prob_all_real`).

    Notes
    -----
    Edelman (1997), Corollary 7.1. Computed as ``exp2`` of the exact exponent, so correctly
    rounded up to numpy's ``exp2`` (about 1 ulp).

    References
    ----------
    A. Edelman, J. Multivariate Anal. 60 (1997) 203-232.

    Examples
    --------
    >>> import math, rmtedge
    >>> float(rmtedge.prob_all_real(4))   # 2^(-3)
    0.125
    >>> math.isclose(rmtedge.prob_all_real(2), math.sqrt(2) / 2, rel_tol=1e-15)
    True
    """
    arr, scalar = _dimension_array(n)
    nf = arr.astype(np.float64)
    out = np.exp2(-(nf * (nf - 1.0)) / 4.0)
    return np.float64(out) if scalar else out


# --------------------------------------------------------------------------------------------
# p_{n,k}
# --------------------------------------------------------------------------------------------

#: digits carried beyond the mp guard digits by the two validation runs
_VALIDATION_DPS = (20, 32)
#: largest relative disagreement tolerated between the two runs
_VALIDATION_RTOL = 1e-13


def _distribution_mp(n: int, dps: int) -> list:
    """p_{n,0..n} by the determinant route at ``dps`` digits plus its guard digits."""
    with mpmath.workdps(dps + guard_digits_determinant(n)):
        values = distribution_determinant(n)
    with mpmath.workdps(dps):
        return [+v for v in values]


@functools.lru_cache(maxsize=REAL_COUNT_MAX_N + 1)
def _distribution_cached(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(p, log p) for p_{n,0..n}, from mpmath at two precisions, validated; read-only arrays."""
    lo, hi = (_distribution_mp(n, dps) for dps in _VALIDATION_DPS)
    with mpmath.workdps(_VALIDATION_DPS[1]):
        for k, (a, b) in enumerate(zip(lo, hi, strict=True)):
            if (a == 0) != (b == 0) or (b != 0 and abs(a - b) > _VALIDATION_RTOL * abs(b)):
                raise ArithmeticError(
                    f"p_(n={n},k={k}) disagrees between {_VALIDATION_DPS[0]} and "
                    f"{_VALIDATION_DPS[1]} digits (+ guard digits): {a} vs {b}"
                )
        p = np.array([float(v) for v in hi])
        logp = np.array([float(mpmath.log(v)) if v > 0 else -np.inf for v in hi])
    p.flags.writeable = False
    logp.flags.writeable = False
    return p, logp


def _check_distribution_n(n: Any) -> int:
    n = check_n(n)
    if n > REAL_COUNT_MAX_N:
        raise ValueError(
            f"n must be <= REAL_COUNT_MAX_N = {REAL_COUNT_MAX_N} for the exact law p_(n,k) "
            f"(cost grows like n^3 at about n/2 digits), got {n}; use "
            "rmtedge.mp.real_count_distribution for larger n"
        )
    return n


def real_count_distribution(n: int) -> np.ndarray:
    """Exact law ``(p_{n,0}, ..., p_{n,n})`` of the number of real eigenvalues of real Ginibre.

    Parameters
    ----------
    n : int
        Matrix dimension, ``1 <= n <= REAL_COUNT_MAX_N`` (200).

    Returns
    -------
    ndarray
        float64 array of length ``n + 1``; entry ``k`` is the probability of exactly ``k``
        real eigenvalues. Entries with ``k`` of the other parity than ``n`` are exactly 0;
        entries below the float64 range are 0.0 (see :func:`log_real_count_distribution`).

    Notes
    -----
    The generating function ``sum_k p_{n,k} zeta^k`` is ``det(I - (1 - zeta^2) S)`` for even
    ``n`` (``S`` an explicit ``n/2 x n/2`` symmetric matrix of gamma functions; odd ``n``
    adds a rank-one term): de Bruijn's Pfaffian generating function (Sinclair 2007;
    Forrester & Nagao 2007; Akemann & Kanzieper 2007) written in a skew-orthogonal basis,
    re-derived and checked against the Pfaffian itself in :mod:`rmtedge.mp.real_counts`. Because ``S`` has eigenvalues in (0, 1), the coefficients
    are products of non-negative factors, so every ``p_{n,k}`` keeps its relative accuracy.
    The mpmath computation runs at 20 and at 32 digits plus ``0.5 n + 10`` guard digits; the
    two must agree to 1e-13 relative in every entry (else ``ArithmeticError``); the second is
    rounded to float64. Results are cached per ``n``. Cost of the first call (one core,
    measured): 0.03 s at n = 10, 0.1 s at n = 20, 0.7 s at n = 50, 4-7 s at n = 100,
    17 s at n = 150, about 1 min at n = 200 (the limit); it grows like ``n^3`` times the
    cost of ``n/2``-digit arithmetic.

    References
    ----------
    P. J. Forrester, T. Nagao, Phys. Rev. Lett. 99 (2007) 050603;
    G. Akemann, E. Kanzieper, J. Stat. Phys. 129 (2007) 1159-1231;
    A. Edelman, J. Multivariate Anal. 60 (1997) 203-232 (small-n tables, p_{n,n}).

    Examples
    --------
    >>> import math, numpy as np, rmtedge
    >>> p = rmtedge.real_count_distribution(4)
    >>> math.isclose(p[4], 1 / 8, rel_tol=1e-14)                       # p_{4,4} = 2^(-3)
    True
    >>> math.isclose(p[2], -1 / 4 + 11 * math.sqrt(2) / 16, rel_tol=1e-14)
    True
    >>> math.isclose(p.sum(), 1.0, rel_tol=1e-14)                      # sum_k p_{n,k} = 1
    True
    >>> E = rmtedge.expected_real_eigenvalues(10)
    >>> math.isclose(np.arange(11) @ rmtedge.real_count_distribution(10), E, rel_tol=1e-13)
    True
    """
    n = _check_distribution_n(n)
    return _distribution_cached(n)[0].copy()


def log_real_count_distribution(n: int) -> np.ndarray:
    """Natural logs ``log p_{n,k}``, ``k = 0..n`` (``-inf`` for the impossible parity).

    Parameters
    ----------
    n : int
        Matrix dimension, ``1 <= n <= REAL_COUNT_MAX_N``.

    Returns
    -------
    ndarray
        float64 array of length ``n + 1``, finite where ``k = n (mod 2)`` even when
        ``p_{n,k}`` is far below the float64 range.

    Notes
    -----
    The logs of the validated mpmath values of :func:`real_count_distribution` (same cost,
    same cache).

    References
    ----------
    A. Edelman, J. Multivariate Anal. 60 (1997) 203-232; Akemann & Kanzieper (2007).

    Examples
    --------
    >>> import math, rmtedge
    >>> logp = rmtedge.log_real_count_distribution(6)
    >>> math.isclose(logp[6], rmtedge.log_prob_all_real(6), rel_tol=1e-14)  # log p_{n,n}
    True
    >>> bool(logp[5] == -math.inf)                                         # wrong parity
    True
    """
    n = _check_distribution_n(n)
    return _distribution_cached(n)[1].copy()


def prob_real_count(n: int, k: int | np.ndarray) -> float | np.ndarray:
    """Probability ``p_{n,k}`` that an n x n real Ginibre matrix has exactly ``k`` real eigenvalues.

    Parameters
    ----------
    n : int
        Matrix dimension, ``1 <= n <= REAL_COUNT_MAX_N``.
    k : int or array_like of int
        Number(s) of real eigenvalues, ``k >= 0`` (negative ``k`` is a ``ValueError``, as
        everywhere in rmtedge). ``k > n`` or ``k`` of the other parity than ``n`` is a
        possible argument with probability 0.0.

    Returns
    -------
    float or ndarray
        ``p_{n,k}`` (float for scalar ``k``).

    Notes
    -----
    Reads :func:`real_count_distribution` (cached per ``n``).

    References
    ----------
    Akemann & Kanzieper, J. Stat. Phys. 129 (2007); Forrester & Nagao, PRL 99 (2007) 050603.

    Examples
    --------
    >>> import math, rmtedge
    >>> math.isclose(rmtedge.prob_real_count(3, 3), math.sqrt(2) / 4, rel_tol=1e-14)
    True
    >>> float(rmtedge.prob_real_count(3, 2))          # wrong parity
    0.0
    >>> math.isclose(rmtedge.prob_real_count(5, [1, 3]).sum(), 1 - 1 / 32, rel_tol=1e-14)
    True
    """
    n = _check_distribution_n(n)
    karr = check_nonneg_int_array(k, "k")
    p = _distribution_cached(n)[0]
    out = np.zeros(karr.shape, dtype=np.float64)
    inside = karr <= n
    out[inside] = p[karr[inside]]
    return np.float64(out) if karr.ndim == 0 else out
