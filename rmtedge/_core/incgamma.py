"""Regularized incomplete gamma functions P(a, x), Q(a, x) and their logarithms, and the
prefactor log(x^a e^-x / Gamma(a + 1)).

Incomplete gamma: algorithms and accuracy
------------------------------------------
``log_gammainc_pq`` computes the smaller of P, Q (roughly) as a double-double logarithm and the
other as log(1 - e^v):

* a >= 20 and 0.2987 a <= x <= 2.3586 a (|eta| <= 1): Temme's uniform asymptotic expansion,
  O(1) cost (~0.3 us) at every order; coefficient table generated in exact rational arithmetic
  by ``tests/data/make_temme_coeffs.py``;
* otherwise the power series for P (x < a + 1) or Legendre's continued fraction for Q, both at
  most ~60 terms in the region where they are used (~250 for a < 0.3, x near 0.7);
* the factor x^a e^{-x} / Gamma(a + 1) is a * log1pmx((x - a)/a) - log(2 pi a)/2 - stirling_corr(a)
  with (x - a)/a, log1pmx and the product with a in double-double, so that e^{log} loses nothing
  to the size of the log.

Measured against mpmath (``tests/test_special.py``, a = 0.5 .. 1e8, x from 1e-300 to 100 a):
absolute error of log P, log Q <= 1.2e-15 * max(1, |log|); relative error of P, Q <= 3e-15
wherever they are normal floats, down to 2.2e-308. Series and continued fraction alone (without
Temme's expansion) need O(sqrt(a)) terms near x ~ a and lose sqrt(a) eps there (7e-14 and
0.8 ms per value at a = 1e8), which is why they are not used there. Not covered by the tests:
a < 0.5 (for a < 0.3 the relative error of Q near x ~ 0.5 grows to ~1e-14 at a = 1e-3).

References
----------
NIST DLMF, chapter 8: definitions (section 8.2), the power series (8.7), Legendre's continued
fraction (8.9) and the uniform asymptotic expansion (8.12) of the incomplete gamma functions.
N. M. Temme, "The asymptotic expansion of the incomplete gamma functions", SIAM J. Math. Anal.
10 (1979) 757-766 (the expansion and the recursion for its coefficients C_k).
M. Maechler, "Accurately computing log(1 - exp(-|a|))", Rmpfr package vignette (2012).
T. J. Dekker, "A floating-point technique for extending the available precision", Numer. Math.
18 (1971) 224-242 (the error-free products and sums behind the double-double parts).

Examples
--------
The Poisson identity Q(k + 1, x) = e^{-x} sum_{j <= k} x^j / j! at k = 2:

>>> import math
>>> from rmtedge._core.incgamma import gammainc_q
>>> from rmtedge._core.jit import python_callable
>>> gammainc_q = python_callable(gammainc_q)  # a compiled helper: reached from Python this way
>>> x = 1.5
>>> abs(gammainc_q(3.0, x) - math.exp(-x) * (1 + x + x * x / 2)) < 1e-15
True

P + Q = 1 deep in the lower tail, where P underflows but its log does not:

>>> from rmtedge._core.incgamma import log_gammainc_p, log_gammainc_q
>>> log_gammainc_p, log_gammainc_q = python_callable(log_gammainc_p, log_gammainc_q)
>>> lp = log_gammainc_p(1000.0, 10.0)
>>> round(lp / math.log(10), 3)              # P(1000, 10) is about 10**-1571.94
-1571.943
>>> log_gammainc_q(1000.0, 10.0) == -math.exp(lp)   # log Q = log(1 - P) = -P
True
"""

from __future__ import annotations

import math

import numpy as np

from ._temme_table import TEMME, TEMME_A_MIN, TEMME_KMAX, TEMME_NTERMS, TEMME_OCTAVES
from .constants import EPS, INF, INV_SQRT_2PI, LN2, LOG_2PI, NAN
from .doubledouble import exp_dd, fast_two_sum, two_prod, two_sum
from .elementary import log1mexp, log1pmx, log1pmx_dd, log_dd, stirling_corr
from .erf import erfcx
from .jit import jit

__all__ = [
    "gammainc_p",
    "gammainc_q",
    "log_gamma_prefactor",
    "log_gamma_prefactor_dd",
    "log_gammainc_p",
    "log_gammainc_pq",
    "log_gammainc_pq_dd",
    "log_gammainc_q",
    "log_gammainc_run",
    "log_prefactor_dd",
    "t_dd",
]


@jit
def t_dd(a: float, x: float) -> tuple[float, float]:
    """(x - a)/a as hi + lo (lo = 0 for x > 1e280, where it no longer matters)."""
    if x > 1e280:
        return (x - a) / a, 0.0
    dh, dl = two_sum(x, -a)
    th = dh / a
    p, e = two_prod(th, a)
    return th, (((dh - p) - e) + dl) / a


@jit
def log_prefactor_dd(a: float, x: float) -> tuple[float, float]:
    """log(x^a e^{-x} / Gamma(a + 1)) as hi + lo, for a > 0, 0 < x < inf (see log_gamma_prefactor).

    hi is the rounded product a * L (L = log1pmx((x - a)/a) or its x < a/2 form), lo collects its
    rounding error and the O(log a) terms; hi + lo has an absolute error of a few 1e-16 * (1 + log a)
    whatever its size, so exp(hi) * exp(lo) is accurate to ~1e-15 relative.
    """
    if a < 1.0:
        lh, ll = log_dd(x)
        ph, pl = two_prod(a, lh)
        h, lo = two_sum(ph, -x)
        return h, lo + (pl + a * ll - math.lgamma(a + 1.0))
    th, tl = t_dd(a, x)
    if th >= -0.5:
        Lh, Ll = log1pmx_dd(th, tl)
    else:
        # L = log(r) - t with r = x/a = 1 + t
        rh = x / a
        if rh > 1e-280:
            p, e = two_prod(rh, a)
            rl = ((x - p) - e) / a
            lh, ll = log_dd(rh)
            ll += rl / rh
        else:
            xh, xl = log_dd(x)
            ah, al = log_dd(a)
            lh, ll = two_sum(xh, -ah)
            ll += xl - al
        h, lo = two_sum(lh, -th)
        Lh, Ll = fast_two_sum(h, lo + (ll - tl))
    ph, pl = two_prod(a, Lh)
    return ph, pl + a * Ll - 0.5 * (LOG_2PI + math.log(a)) - stirling_corr(a)


@jit
def log_gamma_prefactor(a: float, x: float) -> float:
    """log( x^a e^{-x} / Gamma(a + 1) ) for a > 0, x >= 0 (NaN outside; -inf at x = 0 or inf).

    For a >= 1 it is evaluated as

        a * log1pmx((x - a)/a) - log(2 pi a)/2 - stirling_corr(a),

    which follows from lgamma(a + 1) = (a + 1/2) log a - a + log(2 pi)/2 + stirling_corr(a).
    The naive a log x - x - lgamma(a + 1) loses ~log10(a) digits to cancellation at x ~ a;
    here no term is larger than the result plus log(2 pi a)/2. (x - a)/a and log1pmx are carried
    in double-double, so the absolute error is ~1e-16 * (1 + log a) plus the final rounding.
    For x < a/2, log1pmx(t) is evaluated as log(x/a) - t. For a < 1 the naive form is used (in
    double-double; its terms do not cancel there).

    This is also the Poisson log-probability log(x^k e^{-x} / k!) at a = k.
    """
    if a != a or x != x or a <= 0.0 or x < 0.0:
        return NAN
    if a == INF:
        return NAN if x == INF else -INF
    if x == 0.0 or x == INF:
        return -INF
    h, lo = log_prefactor_dd(a, x)
    return h + lo


@jit
def log_gamma_prefactor_dd(a: float, xh: float, xl: float) -> float:
    """log_gamma_prefactor(a, X) at X = xh + xl (an unevaluated double-double, |xl| <= ulp(xh)),
    to first order in xl: d/dX log(X^a e^-X / Gamma(a + 1)) = a/X - 1."""
    v = log_gamma_prefactor(a, xh)
    if xl != 0.0 and xh > 0.0 and xh != INF:
        v += (xl / xh) * a - xl
    return v


_MAXIT = 100_000_000


@jit
def _p_series(a: float, x: float) -> float:
    """sum_{n>=0} x^n / ((a+1)...(a+n)), so that P(a, x) = prefactor(a, x) * sum (x < a + 1).

    Stops when the geometric bound term * r / (1 - r) on the tail (r = x/(a+n+1), decreasing in n)
    is below 1e-17 of the sum, i.e. term * x <= 1e-17 * s * (a + n + 1 - x). All terms are positive.
    """
    s = 1.0
    term = 1.0
    n = 1.0
    for _ in range(_MAXIT):
        term *= x / (a + n)
        s += term
        d = a + n + 1.0 - x
        if d > 0.0 and term * x <= 1e-17 * s * d:
            break
        n += 1.0
    return s


@jit
def _q_cf(a: float, x: float) -> float:
    """Legendre's continued fraction K with Q(a, x) = a * prefactor(a, x) * K (x >= a + 1).

    Gamma(a, x) = x^a e^{-x} / (x + 1 - a - 1(1 - a)/(x + 3 - a - 2(2 - a)/(x + 5 - a - ...))),
    evaluated forward by the modified Lentz method until a factor is within 1 ulp of 1.
    """
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    i = 1.0
    for _ in range(_MAXIT):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < tiny:
            d = tiny
        c = b + an / c
        if abs(c) < tiny:
            c = tiny
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) <= EPS:
            break
        i += 1.0
    return h


@jit
def _temme_s(a: float, eta: float) -> float:
    """sum_k C_k(eta) a^-k from the table _TEMME, |eta| <= 1, a >= 20.

    Row k is cut to the terms with |d[k][n]| a^-k > 1e-21 (lengths precomputed per octave of a
    in TEMME_NTERMS); each polynomial runs as two independent Horner chains in eta^2 (even and
    odd coefficients) to halve the latency.
    """
    _m, e = math.frexp(a * (1.0 / TEMME_A_MIN))
    octave = e - 1 if e - 1 < TEMME_OCTAVES - 1 else TEMME_OCTAVES - 1
    inva = 1.0 / a
    e2 = eta * eta
    s = 0.0
    for k in range(TEMME_KMAX[octave] - 1, -1, -1):
        half = (TEMME_NTERMS[octave, k] + 1) // 2
        if half == 0:
            s *= inva
            continue
        ce = TEMME[k, 2 * half - 2]
        co = TEMME[k, 2 * half - 1]
        for i in range(half - 2, -1, -1):
            ce = ce * e2 + TEMME[k, 2 * i]
            co = co * e2 + TEMME[k, 2 * i + 1]
        s = s * inva + (ce + eta * co)
    return s


@jit
def _temme_dd(a: float, th: float, lh: float, ll: float) -> tuple[int, float, float]:
    """Temme's uniform expansion: (which, hi, lo) as in ``_log_pq_dd``.

    th ~ t = (x - a)/a and lh + ll = log1pmx(t) = -eta^2/2 (double-double). With u = eta sqrt(a/2)
    and R' = sum_k C_k(eta) a^-k / sqrt(2 pi a),

        Q = exp(-a eta^2/2) [erfcx(u)/2 + R'],   P = exp(-a eta^2/2) [erfcx(-u)/2 - R'],

    so nothing underflows; Q is returned for eta >= 0, P for eta < 0 (the one that is <~ 1/2).
    Accurate for a >= 20 and |eta| <= 1 (the table's region).
    """
    eta = math.sqrt(-2.0 * lh)
    if th < 0.0:
        eta = -eta
    r = _temme_s(a, eta) * INV_SQRT_2PI / math.sqrt(a)
    u = eta * math.sqrt(0.5 * a)
    ph, pl = two_prod(a, lh)
    pl += a * ll
    if eta >= 0.0:
        return 1, ph, pl + math.log(0.5 * erfcx(u) + r)
    return 0, ph, pl + math.log(0.5 * erfcx(-u) - r)


@jit
def _classic_dd(a: float, x: float) -> tuple[int, float, float]:
    """Power series for P if x < a + 1, else Legendre's continued fraction for Q, times the
    double-double prefactor: (which, hi, lo) as in ``_log_pq_dd``. Cost O(sqrt(a)) terms near
    x ~ a, O(1) in the tails.

    For a < 0.3 the continued fraction already takes over at x >= 0.7 (<~ 130 terms): there
    P is close to 1 and Q = 1 - P would lose log10(1/Q) digits (1.6e-12 at a = 1e-3, x = 1).
    """
    h, lo = log_prefactor_dd(a, x)
    if x < a + 1.0 and (a >= 0.3 or x < 0.7):
        return 0, h, lo + math.log(_p_series(a, x))
    return 1, h, lo + math.log(a) + math.log(_q_cf(a, x))


# inlined into its two callers: as a library of its own it linked and code-generated the whole
# stack below once more (cold expected_real_outside 6.43 -> 6.28 s, instability_threshold
# 5.94 -> 5.78 s, interleaved A/B; issue 16)
@jit(inline="always")
def _log_pq_dd(a: float, x: float) -> tuple[int, float, float]:
    """(which, hi, lo): hi + lo = log P(a, x) if which == 0, log Q(a, x) if which == 1.

    Finite a > 0 and 0 < x < inf only. The function returned is the one that is at most ~0.9
    (so that the other, 1 minus it, is accurate):

    * a >= 20 and |eta| <= 1 (0.2987 a <= x <= 2.3586 a): Temme's uniform expansion
      (``_temme_dd``), O(1) cost;
    * otherwise ``_classic_dd``: the series for P when x < a + 1, the continued fraction for Q
      when x >= a + 1 (at most ~60 terms outside Temme's region).
    """
    if a >= TEMME_A_MIN:
        th, tl = t_dd(a, x)
        if th > -0.75:
            lh, ll = log1pmx_dd(th, tl)
            if lh >= -0.5:
                return _temme_dd(a, th, lh, ll)
    return _classic_dd(a, x)


@jit
def _log_complement(h: float, lo: float) -> float:
    """log(1 - e^v) for v = h + lo <= 0 (log1mexp, with the double-double exp below -log 2)."""
    v = h + lo
    v = 0.0 if 0.0 < v else v
    if v > -LN2:
        return math.log(-math.expm1(v))
    return math.log1p(-exp_dd(h, lo))


@jit
def log_gammainc_pq(a: float, x: float) -> tuple[float, float]:
    """(log P(a, x), log Q(a, x)) for a > 0, x >= 0; (NaN, NaN) outside the domain or for NaN.

    P(a, x) = gamma(a, x)/Gamma(a) and Q = 1 - P are the regularized lower and upper incomplete
    gamma functions (DLMF 8.2.4). x = 0 gives (-inf, 0), x = inf gives (0, -inf), a = inf with
    finite x gives (-inf, 0).

    The smaller of P, Q (roughly; see ``_log_pq_dd`` for the three algorithms and the switch) is
    computed as a double-double log, the other as log1mexp of it. Measured against mpmath
    (tests/test_special.py, a = 0.5 .. 1e8): absolute error of the log <= 1.2e-15 * max(1, |log|),
    relative error of P and Q <= 3e-15 wherever they are normal floats. Cost: O(1), at most ~60
    series or continued-fraction terms for a >= 0.3, Temme's expansion near x ~ a for a >= 20.
    """
    if a != a or x != x or a <= 0.0 or x < 0.0:
        return NAN, NAN
    if x == 0.0:
        return -INF, 0.0
    if x == INF:
        return (NAN, NAN) if a == INF else (0.0, -INF)
    if a == INF:
        return -INF, 0.0
    which, h, lo = _log_pq_dd(a, x)
    v = h + lo
    v = 0.0 if 0.0 < v else v
    c = _log_complement(h, lo)
    if which == 0:
        return v, c
    return c, v


@jit
def log_gammainc_pq_dd(a: float, xh: float, xl: float) -> tuple[float, float]:
    """(log P(a, X), log Q(a, X)) at X = xh + xl (an unevaluated double-double, |xl| <= ulp(xh)),
    to first order in xl.

    With f = X^(a-1) e^-X / Gamma(a) = dP/dX, log P gains xl f/P and log Q loses xl f/Q. The
    ratios are capped by their rigorous bounds f/P <= a/X (from gamma(a, X) >= X^a e^-X / a)
    and f/Q <= 1 + max(0, 1 - a)/X (Gamma(a, X) >= X^(a-1) e^-X for a >= 1, and the second
    convergent X^a e^-X/(X + 1 - a) of Legendre's continued fraction for a < 1), so the
    correction never exceeds about |xl| (a/X + 1) even where the logs are so large (|log| >
    1e15) that their difference is dominated by rounding.
    """
    lp, lq = log_gammainc_pq(a, xh)
    if xl != 0.0 and xh > 0.0 and xh != INF:
        ld = log_gamma_prefactor(a, xh) + math.log(a) - math.log(xh)
        if lp > -INF:
            cap = math.log(a) - math.log(xh)
            lp += xl * math.exp(cap if cap < ld - lp else ld - lp)
        if lq > -INF:
            cap = math.log1p((1.0 - a if 1.0 - a > 0.0 else 0.0) / xh)
            lq -= xl * math.exp(cap if cap < ld - lq else ld - lq)
    return lp, lq


# The four one-line wrappers below are inlined where they are called. Compiled on their own, each
# was a library into which the whole _log_pq_dd stack was linked, optimised and code-generated
# once more (issue 16, cold first calls, interleaved A/B: instability_threshold 6.11 -> 5.74 s,
# largest_real_eigenvalue_law 4.41 -> 4.08 s, together with one_minus_erfcx and the Kostlan
# wrappers).
@jit(inline="always")
def log_gammainc_p(a: float, x: float) -> float:
    """log P(a, x), P the regularized lower incomplete gamma function (see log_gammainc_pq)."""
    return log_gammainc_pq(a, x)[0]


@jit(inline="always")
def log_gammainc_q(a: float, x: float) -> float:
    """log Q(a, x), Q = 1 - P the regularized upper incomplete gamma function."""
    return log_gammainc_pq(a, x)[1]


@jit
def _gammainc_value(a: float, x: float, upper: bool) -> float:
    if a != a or x != x or a <= 0.0 or x < 0.0:
        return NAN
    if x == 0.0:
        return 1.0 if upper else 0.0
    if x == INF:
        return NAN if a == INF else (0.0 if upper else 1.0)
    if a == INF:
        return 1.0 if upper else 0.0
    which, h, lo = _log_pq_dd(a, x)
    if (which == 1) == upper:
        # the directly computed one: exp of the double-double log, no |log| * eps loss
        return exp_dd(h, lo)
    v = h + lo
    return -math.expm1(0.0 if 0.0 < v else v)


@jit(inline="always")
def gammainc_p(a: float, x: float) -> float:
    """P(a, x), relative error ~1e-15 where it is a normal float (see log_gammainc_pq).

    The smaller of P, Q is exp of its double-double log, the larger is 1 minus the smaller.
    """
    return _gammainc_value(a, x, False)


@jit(inline="always")
def gammainc_q(a: float, x: float) -> float:
    """Q(a, x) = 1 - P(a, x), relative error ~1e-15 where it is a normal float."""
    return _gammainc_value(a, x, True)


# Orders s0 + k along a run (below): a tail sum stops when the geometric bound on what is left
# is below 1e-17 of it.
_LOG_RUN_TOL = math.log(1e-17)


@jit
def _log_term(a: float, x: float) -> tuple[float, float]:
    """log(x^a e^{-x} / Gamma(a + 1)) as hi + lo, for a >= 0, 0 < x < inf.

    For a >= 1 and x > 1 the form a * L - log(2 pi a)/2 - stirling_corr(a), with
    L = log1pmx((x - a)/a) (or log(x/a) - (x - a)/a for x < a/2), has no cancellation: absolute
    error ~ a few eps times (1 + |result|), i.e. relative error of the term ~ eps |log term| (the
    double-double ``log_prefactor_dd`` removes that factor); lo = 0. For a < 1 or x <= 1 the
    direct form a log x - x - lgamma(a + 1), whose terms then have one sign, with log x in
    double-double: hi + lo within about an ulp of the result (it matters at x -> 0, where the
    exact real law's lower tail amplifies the error of P(1, x) ~ x by 1/x).

    A leaner twin of ``log_prefactor_dd`` on purpose: with it the cold first call of the exact
    real law compiled about 0.7 s longer (7.48/7.67 s against 6.90/6.88 s, issue 16) for no
    gain in the run's accuracy (worst 9.5e-16 against 8.4e-16 of max(1, |log|)).
    """
    if a < 1.0 or x <= 1.0:
        lh, ll = log_dd(x)
        ph, pl = two_prod(a, lh)
        return two_sum(ph, pl + a * ll - x - math.lgamma(a + 1.0))
    t = (x - a) / a
    if t < -0.5:
        r = x / a
        lr = math.log(r) if r > 1e-280 else math.log(x) - math.log(a)
        L = lr - t
    else:
        L = log1pmx(t)
    return a * L - 0.5 * (LOG_2PI + math.log(a)) - stirling_corr(a), 0.0


@jit
def _log_acc(
    L: float, Ll: float, s: float, lt: float, ltl: float
) -> tuple[float, float, float]:
    """Streaming log-sum-exp: e^(L + Ll) * s plus e^(lt + ltl), again as (L, Ll, s), s >= 1
    (the log of the largest term so far carried as hi + lo)."""
    if lt > L:
        return lt, ltl, s * math.exp((L - lt) + (Ll - ltl)) + 1.0
    return L, Ll, s + math.exp((lt - L) + (ltl - Ll))


@jit
def log_gammainc_run(x: float, s0: float, k0: int, k1: int, lp: np.ndarray, lq: np.ndarray) -> None:
    """log P(s0 + k, x) into lp[k - k0] and log Q(s0 + k, x) into lq[k - k0], k0 <= k <= k1.

    For a run of orders a = s0 + k with s0 in {0, 1/2} (integer or half-integer orders, a > 0)
    and x >= 0 (x = 0 and x = inf give the limits, NaN gives NaN), where the values of a whole
    run of orders are needed (the exact real spectral-radius law), the terms
    t_j = x^(s0+j) e^-x / Gamma(s0+j+1) (``_log_term``) are summed once:

        P(s0 + k, x) = sum_{j >= k} t_j,     Q(s0 + k, x) = Q(s0, x) + sum_{j < k} t_j,

    Q(0, x) = 0 and Q(1/2, x) = erfc(sqrt(x)) (DLMF 8.4.6 and 8.4.10 summed). Orders a <= x
    take Q from the sum below (Q <~ 1/2 there), orders a > x take P from the sum above, and the
    other one as log(1 - e^v). Each sum is a streaming log-sum-exp of positive terms, started
    where the remaining tail is below 1e-17 of it by the geometric bound (ratio of successive
    terms (s0 + j)/x below x, x/(s0 + j + 1) above), so it costs k1 - k0 plus O(sqrt(x))
    terms (up to k0 + O(sqrt(x)) when orders below x are asked for).

    Accuracy (``tests/test_special.py``, against mpmath for x up to 2e4): error of the logs
    within 8.5e-16 * max(1, |log|), i.e. a relative error of P or Q of about eps |log| (term
    logs in double precision, see ``_log_term``). For one order at a time, or orders near
    x ~ a >= 20 where O(1) cost matters, use ``log_gammainc_pq``.
    """
    if k1 < k0:
        return
    if not (0.0 < x < INF):  # the limits (x = 0 or inf; x may underflow to 0), NaN otherwise
        lo_p, lo_q = (-INF, 0.0) if x == 0.0 else ((0.0, -INF) if x == INF else (NAN, NAN))
        for k in range(k0, k1 + 1):
            lp[k - k0] = lo_p
            lq[k - k0] = lo_q
        return
    # orders a = s0 + k <= x: Q from below
    kq = k1 if x - s0 >= k1 else int(math.floor(x - s0))
    if kq >= k0:
        L = -INF  # running sum = e^(L + Ll) * s
        Ll = 0.0
        s = 0.0
        j = k0 - 1
        done = False
        while j >= 0:
            lt, ltl = _log_term(s0 + j, x)
            L, Ll, s = _log_acc(L, Ll, s, lt, ltl)
            r = (s0 + j) / x  # t_{j-1} / t_j
            if r < 1.0 and lt + math.log(r) - math.log1p(-r) <= L + math.log(s) + _LOG_RUN_TOL:
                done = True
                break
            j -= 1
        if not done and s0 > 0.0:  # base term Q(1/2, x) = erfc(sqrt x)
            L, Ll, s = _log_acc(L, Ll, s, math.log(erfcx(math.sqrt(x))) - x, 0.0)
        for k in range(k0, kq + 1):
            if k > k0:
                lt, ltl = _log_term(s0 + k - 1.0, x)
                L, Ll, s = _log_acc(L, Ll, s, lt, ltl)
            v = L + (Ll + math.log(s))
            v = v if v < 0.0 else 0.0
            lq[k - k0] = v
            lp[k - k0] = log1mexp(v)
    # orders a > x: P from above
    kp = kq + 1 if kq + 1 > k0 else k0
    if kp <= k1:
        L = -INF
        Ll = 0.0
        s = 0.0
        j = k1
        while True:
            lt, ltl = _log_term(s0 + j, x)
            L, Ll, s = _log_acc(L, Ll, s, lt, ltl)
            r = x / (s0 + j + 1.0)  # t_{j+1} / t_j < 1 here
            if lt != lt or lt + math.log(r) - math.log1p(-r) <= L + math.log(s) + _LOG_RUN_TOL:
                break  # (NaN only for x outside 0 < x < inf: never loop on it)
            j += 1
        for k in range(k1, kp - 1, -1):
            if k < k1:
                lt, ltl = _log_term(s0 + k, x)
                L, Ll, s = _log_acc(L, Ll, s, lt, ltl)
            v = L + (Ll + math.log(s))
            v = v if v < 0.0 else 0.0
            lp[k - k0] = v
            lq[k - k0] = log1mexp(v)
