"""Elementary log-space kernels: log1pmx, lgamma, Stirling's correction, log(1 - e^x), logsumexp,
cancellation-free log-gamma ratios, and the double-double logarithms behind the incomplete gamma
prefactor.

Contents
--------
log1pmx(x)                 log(1 + x) - x, full relative accuracy near 0
lgamma(x)                  log|Gamma(x)| (the C library's lgamma)
stirling_corr(a)           lgamma(a) - [(a - 1/2) log a - a + log(2 pi)/2]
log_gamma_ratio(a, d)      lgamma(a + d) - lgamma(a) - d log a, without cancellation
log1mexp(x)                log(1 - e^x), x <= 0 (Maechler's switch)
log1mexp_neg(s, log s)     log(1 - e^-s), exact where s underflows
logaddexp(x, y), logsumexp(arr)
power_series(coef, w, p0)  sum_j coef[j] p0 w^(j+1), stopped at 1e-17 relative
log_dd(v), log1pmx_dd(t)   double-double log(v) and log(1 + t) - t

Each kernel states its algorithm and measured accuracy in its docstring; all are tested against
mpmath in ``tests/test_special.py``.

References
----------
M. Maechler, "Accurately computing log(1 - exp(-|a|))", Rmpfr package vignette (2012).
NIST DLMF 5.11 (Stirling series).
"""

from __future__ import annotations

import math

import numpy as np

from .constants import INF, LN2, LN2_HI, LN2_LO, NAN, SQRT_HALF
from .doubledouble import fast_two_sum, neumaier_add, two_prod, two_sum
from .jit import jit

__all__ = [
    "lgamma",
    "log1mexp",
    "log1mexp_neg",
    "log1mexp_neg_array",
    "log1pmx",
    "log1pmx_dd",
    "log_dd",
    "log_gamma_ratio",
    "logaddexp",
    "logsumexp",
    "power_series",
    "stirling_corr",
]

# 1/(2j + 1), j = 0..63: the odd-denominator series below multiply instead of divide
_INV_ODD = 1.0 / (2.0 * np.arange(64) + 1.0)


@jit
def _odd_series(z: float, j0: int) -> float:
    """sum_{j >= 0} z^j / (2 (j + j0) + 1) for 0 <= z <= 0.3, relative truncation < 1e-17."""
    s = _INV_ODD[j0]
    p = 1.0
    for j in range(j0 + 1, 64):
        p *= z
        term = p * _INV_ODD[j]
        s += term
        if term <= 1e-17 * s:
            break
    return s


@jit
def log1pmx(x: float) -> float:
    """log(1 + x) - x for x >= -1 (NaN below -1, -inf at -1 and +inf).

    For -1/2 <= x <= 1 we write log(1 + x) = 2 atanh(y) with y = x / (2 + x), |y| <= 1/3, so

        log(1 + x) - x = -x^2 / (2 + x) + 2 y^3 (1/3 + y^2/5 + y^4/7 + ...),

    two terms without cancellation (the second is at most 8% of the first), which gives full
    relative accuracy down to x = 0 (where the result is -x^2/2). Outside that interval
    log1p(x) - x cancels by at most a factor 4.
    """
    if x != x or x < -1.0:
        return NAN
    if x == -1.0 or x == INF:
        return -INF
    if -0.5 <= x <= 1.0:
        y = x / (2.0 + x)
        y2 = y * y
        return -x * x / (2.0 + x) + 2.0 * y * y2 * _odd_series(y2, 1)
    return math.log1p(x) - x


@jit
def lgamma(x: float) -> float:
    """log|Gamma(x)|: the C library's lgamma (error below 4e-16 * max(1, |lgamma|) for x >= 0.5)."""
    return math.lgamma(x)


# Stirling series lgamma(a) - [(a - 1/2) log a - a + log(2 pi)/2] = sum_k B_2k / (2k (2k-1) a^(2k-1)),
# coefficients B_2k / (2k (2k - 1)) for k = 1..10 (Bernoulli numbers B_2 .. B_20).
_STIRLING = np.array(
    [
        1.0 / 12.0,
        -1.0 / 360.0,
        1.0 / 1260.0,
        -1.0 / 1680.0,
        1.0 / 1188.0,
        -691.0 / 360360.0,
        1.0 / 156.0,
        -3617.0 / 122400.0,
        43867.0 / 244188.0,
        -174611.0 / 125400.0,
    ]
)
# The series is used for a >= _STIRLING_SWITCH; at a = 10 the first omitted term is 1.6e-18
# relative to the sum.
_STIRLING_SWITCH = 10.0


@jit
def _stirling_step(b: float) -> float:
    """stirling_corr(b) - stirling_corr(b + 1) = (b + 1/2) log(1 + 1/b) - 1.

    With t = 1/(2b + 1) this is atanh(t)/t - 1 = t^2/3 + t^4/5 + ..., a sum of positive terms
    (used for b >= 1, t <= 1/3). For 0 < b < 1 the direct form is used (cancellation at most 25x).
    """
    if b < 1.0:
        return (b + 0.5) * math.log1p(1.0 / b) - 1.0
    t = 1.0 / (2.0 * b + 1.0)
    t2 = t * t
    return t2 * _odd_series(t2, 1)


@jit
def stirling_corr(a: float) -> float:
    """lgamma(a) - [(a - 1/2) log a - a + log(2 pi)/2] for a > 0 (NaN for a <= 0, 0 at inf).

    For a >= 10: the Stirling series with 10 terms (Bernoulli numbers up to B_20), truncation
    error below 2e-18 relative. For a < 10: the upward recurrence
    stirling_corr(b) = stirling_corr(b + 1) + (b + 1/2) log(1 + 1/b) - 1 up to b >= 10, whose
    increments are sums of positive terms (see ``_stirling_step``), so no digit is lost. Full
    relative precision for a >= 1; for 0 < a < 1 the first increment loses up to ~5 bits.
    """
    if a != a or a <= 0.0:
        return NAN
    if a == INF:
        return 0.0
    acc = 0.0
    b = a
    while b < _STIRLING_SWITCH:
        acc += _stirling_step(b)
        b += 1.0
    z = 1.0 / (b * b)
    s = _STIRLING[9]
    for i in range(8, -1, -1):
        s = s * z + _STIRLING[i]
    return acc + s / b


@jit
def log_dd(v: float) -> tuple[float, float]:
    """log(v) as an unevaluated sum hi + lo, error <= 3e-18 * max(1, |log v|), for 0 < v < inf.

    v = m 2^k with m in [1/sqrt 2, sqrt 2); log m = 2 atanh(s), s = (m - 1)/(m + 1), |s| < 0.172.
    The leading 2 s is carried in double-double, the rest (under 1% of it) in double.
    """
    m, k = math.frexp(v)
    if m < SQRT_HALF:
        m *= 2.0
        k -= 1
    f = m - 1.0  # exact
    dh, dl = two_sum(2.0, f)
    sh = f / dh
    p, e = two_prod(sh, dh)
    sl = (((f - p) - e) - sh * dl) / dh
    s2 = sh * sh
    # 2 s^3 (1/3 + s^2/5 + ... + s^24/27): truncation < 1e-20 relative for s^2 < 0.0295
    # q = sum_{j=0}^{12} s2^j / (2j + 3), as two independent Horner chains in s2^2
    s4 = s2 * s2
    qe = _INV_ODD[13]
    qo = 0.0
    for j in range(5, -1, -1):
        qe = qe * s4 + _INV_ODD[2 * j + 1]
        qo = qo * s4 + _INV_ODD[2 * j + 2]
    q = qe + s2 * qo
    tail = 2.0 * sh * s2 * q
    kf = float(k)
    h, lo = two_sum(kf * LN2_HI, 2.0 * sh)
    return fast_two_sum(h, lo + (kf * LN2_LO + 2.0 * sl + tail))


@jit
def log1pmx_dd(th: float, tl: float) -> tuple[float, float]:
    """log(1 + t) - t as hi + lo for t = th + tl > -0.75, relative error ~1e-18.

    -1/2 <= t <= 1: with y = t/(2 + t) (|y| <= 1/3),

        log(1 + t) - t = -t^2/(2 + t) + 2 y^3/3 + 2 y^5 (1/5 + y^2/7 + ...),

    the first two terms in double-double, the rest (under 1% of the result) in double.
    Otherwise log(1 + t) (``_log_dd``) - t.
    """
    if -0.5 <= th <= 1.0:
        dh, dl = two_sum(2.0, th)
        dl += tl
        # A = t^2 / (2 + t)
        nh, nl = two_prod(th, th)
        nl += 2.0 * th * tl
        # (one division: the leading quotients need not be correctly rounded, the exact
        # remainders below put their error into the low parts)
        inv = 1.0 / dh
        ah = nh * inv
        p, e = two_prod(ah, dh)
        al = ((((nh - p) - e) + nl) - ah * dl) * inv
        # y = t / (2 + t), y^3, 2 y^3 / 3
        yh = th * inv
        p, e = two_prod(yh, dh)
        yl = ((((th - p) - e) + tl) - yh * dl) * inv
        y2h, y2l = two_prod(yh, yh)
        y2l += 2.0 * yh * yl
        y3h, y3l = two_prod(y2h, yh)
        y3l += y2l * yh + y2h * yl
        bh = y3h * _INV_ODD[1]
        p, e = two_prod(bh, 3.0)
        bl = (((y3h - p) - e) + y3l) * _INV_ODD[1]
        # 2 y^5 (1/5 + y^2/7 + ...)
        rest = 2.0 * y3h * y2h * _odd_series(y2h, 2)
        h, lo = two_sum(-ah, 2.0 * bh)
        return fast_two_sum(h, lo + ((2.0 * bl - al) + rest))
    uh, ul = two_sum(1.0, th)
    ul += tl
    lh, ll = log_dd(uh)
    ll += ul / uh
    h, lo = two_sum(lh, -th)
    return fast_two_sum(h, lo + (ll - tl))


@jit
def log1mexp(x: float) -> float:
    """log(1 - e^x) for x <= 0 (NaN for x > 0, -inf at 0).

    Maechler's switch: log(-expm1(x)) for -log 2 < x <= 0, log1p(-exp(x)) below, each accurate to
    a few ulps in its range.
    """
    if x != x or x > 0.0:
        return NAN
    if x == 0.0:
        return -INF
    if x > -LN2:
        return math.log(-math.expm1(x))
    return math.log1p(-math.exp(x))


@jit
def log1mexp_neg(s: float, log_s: float) -> float:
    """log(1 - e^-s) for s >= 0, given also log s (exact even where s itself underflows):
    log1mexp(-s) above s = 1e-4, log s + log1p(-s/2 + s^2/6 - s^3/24) below (truncation
    below s^4/120 < 1e-18 relative). NaN propagates."""
    if s > 1e-4:
        return log1mexp(-s)
    return log_s + math.log1p(s * (-0.5 + s * (1.0 / 6.0 - s / 24.0)))


def log1mexp_neg_array(s: np.ndarray, log_s: np.ndarray) -> np.ndarray:
    """:func:`log1mexp_neg` on arrays, in numpy (nothing to compile: the Poisson and Gumbel
    radius laws call it once per evaluation, where building the ufunc cost 0.15 s of the first
    call; issue 16). Same branches, so the same accuracy: log(-expm1(-s)) below s = ln 2,
    log1p(-exp(-s)) above, and the series in s below 1e-4."""
    s = np.asarray(s, dtype=np.float64)
    log_s = np.asarray(log_s, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = np.log(-np.expm1(-s))
        far = np.log1p(-np.exp(-s))
        small = log_s + np.log1p(s * (-0.5 + s * (1.0 / 6.0 - s / 24.0)))
        return np.where(s > 1e-4, np.where(s < LN2, near, far), small)


@jit
def logaddexp(x: float, y: float) -> float:
    """log(e^x + e^y), exact for infinite arguments, NaN if either is NaN."""
    if x != x or y != y:
        return NAN
    m = y if y > x else x
    if m == INF:
        return INF
    if m == -INF:
        return -INF
    return m + math.log1p(math.exp(-abs(x - y)))


@jit
def logsumexp(arr: np.ndarray) -> float:
    """log(sum(exp(arr))) over a 1-d float64 array (-inf if empty, NaN if any NaN).

    Shifts by the maximum and sums the exp's with Neumaier's compensated summation.
    """
    n = arr.shape[0]
    if n == 0:
        return -INF
    m = -INF
    for i in range(n):
        v = arr[i]
        if v != v:
            return NAN
        if v > m:
            m = v
    if m == INF or m == -INF:
        return m
    s = 0.0
    c = 0.0
    for i in range(n):
        s, c = neumaier_add(s, c, math.exp(arr[i] - m))
    return m + math.log(s + c)


@jit
def log_gamma_ratio(a: float, d: float) -> float:
    """L(a, d) = lgamma(a + d) - lgamma(a) - d log a, without cancellation (a > 0, a + d > 0).

    For a >= 1, a + d >= 1 and d <= 32 a it is (a + d - 1/2) log1pmx(d/a) + d (d - 1/2)/a
    + stirling_corr(a + d) - stirling_corr(a) (absolute error a few ulps of 1 + d^2/a; the
    direct difference loses log10(a) digits when d << a). For d > 32 a the first two terms,
    each ~d^2/a, cancel down to ~d log(d/a), and the direct lgamma difference is the more
    accurate one (measured against mpmath at (a, d) = (2, 10^6): 3e-16 vs 3e-12 relative);
    also below a = 1.
    """
    if a >= 1.0 and a + d >= 1.0 and d <= 32.0 * a:
        t = d / a
        return (
            (a + d - 0.5) * log1pmx(t) + d * (d - 0.5) / a + stirling_corr(a + d) - stirling_corr(a)
        )
    return math.lgamma(a + d) - math.lgamma(a) - d * math.log(a)


@jit
def power_series(coef: np.ndarray, w: float, p0: float) -> float:
    """sum_j coef[j] p0 w^(j+1), stopped once a term is below 1e-17 of the sum (at most
    len(coef) terms); for convergent alternating or positive series in w."""
    s = 0.0
    p = p0
    for j in range(coef.shape[0]):
        p *= w
        t = coef[j] * p
        s += t
        if abs(t) < 1e-17 * abs(s):
            break
    return s
