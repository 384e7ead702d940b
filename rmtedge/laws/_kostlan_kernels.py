"""Private numba kernels for the exact spectral-radius law of complex Glorot matrices.

Kostlan (1992): for ``W = G/sqrt(n)``, ``G`` complex Ginibre, the squared moduli
``n |lambda_i|^2`` are independent Gamma(k, 1), k = 1..n, so with ``x = n r^2``

    log P(rho(W) <= r) = sum_{k=1}^n log P(k, x).                                  (K)

Algorithm (all in log space, one pass over the k that matter)
------------------------------------------------------------
Split at ``m = min(n, floor(x))``.

* ``k > m`` (so ``k > x``): ``P(k, x)`` is the small side. Write ``P(k, x) = pmf(k) R_k`` with
  ``pmf(k) = x^k e^{-x}/k!``. The exact identity ``P(k-1, x) = P(k, x) + pmf(k-1)`` becomes
  ``R_{k-1} = 1 + R_k x / k`` -- a recursion downward in k that only adds positive terms and
  damps errors (``x/k < 1``). It starts from one call of ``log_gammainc_p(n, x)``.
  ``log pmf(k)`` follows from ``log pmf(k-1) = log pmf(k) + log(k/x)`` and is re-anchored with
  ``log_gamma_prefactor`` every ``_ANCHOR`` steps, so rounding does not accumulate.
  Every such k matters (``-log P(k, x) >= log 2`` roughly): cost O(n - x).
* ``k <= m``: ``Q(k, x) = 1 - P(k, x) <= 1/2`` is the small side; the term is
  ``-log1p(-Q_k)``. ``Q(k+1, x) = Q(k, x) + pmf(k)`` (upward, positive additions, written as
  ``U_k = 1 + U_{k-1} k / x`` with ``U_k = Q(k+1)/pmf(k)``) starts from one call of
  ``log_gammainc_q(k_lo, x)``. The cut ``k_lo`` is where the terms stop mattering: for
  ``K < x`` the geometric bound ``sum_{k<=K} Q(k, x) <= pmf(K-1) / (1 - (K-1)/x)^2`` (and
  ``-log1p(-Q) <= 2 Q``) must fall below ``_REL_CUT`` times a lower bound of the total. Cost
  O(sqrt(x log(1/_REL_CUT))).

* ``x >= 2 n + 100`` (far upper tail, up to ``n r^2`` = the float64 maximum): every
  ``Q(k, x) < e^-81`` and the sum has the closed form
  ``S = sum_j (n - j) pmf(j) = pmf(n-1) sum_i (i+1) (n-1)...(n-i)/x^i`` (``_far_upper_law``),
  evaluated with one prefactor call: the recursions above take differences of logs of size
  ``x``, which lose everything once ``ulp(x)`` is large (NaN from n r^2 ~ 1e19 on).
* ``x < 1e-280``: ``log P(k, x) = k log x - lgamma(k+1)`` with ``log x = log n + 2 log r``
  (``x`` may underflow; ``log cdf`` stays finite down to r = 5e-324).

The survival function never uses ``1 - cdf``: with ``S = -log cdf >= 0``,
``log sf = log(-expm1(-S))``, and when ``S`` is tiny ``log sf = log S + log1p(-S/2 + ...)``
with ``log S`` accumulated as a log-sum-exp of ``log(-log1p(-Q_k))``, so ``sf`` far below
1e-300 keeps full relative accuracy.

The derivative ``D = d log cdf / dx = sum_k pmf(k-1)/P(k, x)`` comes from the same pass
(``d P(k, x)/dx = pmf(k-1)``); it gives the density and is used to correct for the rounding of
``x = n r^2`` (``x`` is formed as a double-double, the low part is applied to first order).
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import INF, NAN
from .._core.doubledouble import (
    neumaier_add,
    two_prod,
)
from .._core.elementary import (
    log1mexp,
    log1mexp_neg,
    logaddexp,
)
from .._core.incgamma import (
    log_gamma_prefactor,
    log_gammainc_p,
    log_gammainc_q,
    log_prefactor_dd,
)
from .._core.jit import jit

__all__ = [
    "kostlan_law",
    "kostlan_law_array",
    "kostlan_quantile_array",
]

#: neglected terms of S = -log cdf are below this fraction of S
_REL_CUT = 1e-18
#: re-anchor log pmf(k) with log_gamma_prefactor every _ANCHOR steps of the ratio recursion
_ANCHOR = 32
#: below this x the terms are P(k, x) = pmf(k) (1 + O(x)) and x may underflow; sum closed forms
_TINY_X = 1e-280
#: from x >= 2 n + _FAR_MARGIN on, every Q(k, x) < e^-81: closed-form far upper tail
_FAR_MARGIN = 100.0


@jit(inline="always")
def _log_pmf(k: int, x: float) -> float:
    """log(x^k e^{-x} / k!) for integer k >= 0, x > 0."""
    if k == 0:
        return -x
    return log_gamma_prefactor(float(k), x)


@jit(inline="always")
def _log_neg_log1m(lq: float) -> float:
    """log(-log(1 - q)) from lq = log q (q in [0, 1)), accurate for tiny q."""
    if lq < -20.0:
        q = math.exp(lq)
        return lq + math.log1p(q * (0.5 + q / 3.0))
    return math.log(-log1mexp(lq))


@jit
def _tiny_x_law(n: int, log_x: float) -> tuple[float, float, float]:
    """(K) for x < _TINY_X: log P(k, x) = k log x - lgamma(k + 1) + O(x) (relative O(1e-280))."""
    s = 0.0
    c = 0.0
    for k in range(1, n + 1):
        v = k * log_x - math.lgamma(k + 1.0)
        s, c = neumaier_add(s, c, v)
    logcdf = s + c
    # sf = 1 - cdf with cdf < x < 1e-280: log sf = log1p(-cdf) = -cdf exactly in float64
    logsf = -math.exp(logcdf)
    # D = sum_k pmf(k-1)/P(k) = sum_k k / x (1 + O(x)); log D = log(n(n+1)/2) - log x
    logd = math.log(0.5 * n * (n + 1.0)) - log_x
    return logcdf, logsf, logd


@jit
def _far_upper_law(n: int, x: float, x_lo: float) -> tuple[float, float, float]:
    """(K) for x >= 2 n + _FAR_MARGIN (far upper tail), with no difference of large logs.

    Every factor is 1 - Q(k, x) with Q(k, x) <= Q(n, x) < e^-81 (Chernoff:
    log Q(n, x) <= -x + (n - 1)(1 + log(x/(n - 1))), at most -81.3 (n ~ 35) on x >= 2n + 100),
    so up to a relative O(Q(n, x)) < 1e-35:

        S = -log cdf = sum_k Q(k, x) = sum_{j=0}^{n-1} (n - j) pmf(j)
          = pmf(n-1) T_S,   T_S = sum_{i>=0} (i + 1) (n-1)(n-2)...(n-i) / x^i,
        D = d log cdf / dx = sum_k pmf(k-1) / P(k, x) = Q(n, x)
          = pmf(n-1) T_D,   T_D = sum_{i>=0} (n-1)(n-2)...(n-i) / x^i

    (exchange of the sums in Q(k, x) = sum_{j<k} pmf(j)). The series have ratios
    <= (n - 1 - i)/x * (i + 2)/(i + 1) <= 3/4 for i >= 1, so ~150 terms at most (a handful
    once x >> n). Hence
    log sf = log(1 - e^-S) = log pmf(n-1) + log T_S + log1p(-S/2) with one call of the
    double-double prefactor: exact to rounding for n r^2 up to the float64 maximum (log sf
    ~ -n r^2 is then -1.8e308), where differences of logs of size x would lose everything.
    d log sf / dx = -D cdf / sf = -T_D / T_S (1 + O(S)) gives the x_lo correction.
    """
    # log pmf(n-1) = h + lo in double-double, so that S = e^h e^(lo + log T_S) keeps ~1e-15
    # relative accuracy even where log S ~ -700 (exp of a rounded log would lose |log S| eps)
    if n == 1:
        h = -x
        lo = 0.0
    else:
        h, lo = log_prefactor_dd(float(n - 1), x)
    ts = 1.0
    td = 1.0
    term = 1.0  # (n-1)...(n-i) / x^i
    i = 0
    while i < n - 1:
        i += 1
        term *= (n - i) / x
        ts += (i + 1) * term
        td += term
        if (i + 1) * term < 1e-18 * ts:
            break
    lt = lo + math.log(ts)
    log_s = h + lt
    s = math.exp(h) * math.exp(lt) if h > -700.0 else math.exp(log_s)
    logcdf = -s
    logsf = log1mexp_neg(s, log_s)
    logd = h + (lo + math.log(td))
    if x_lo != 0.0:
        logcdf += x_lo * math.exp(logd)
        logsf -= x_lo * (td / ts)
    return logcdf, logsf, logd


@jit
def kostlan_law(n: int, x: float, x_lo: float) -> tuple[float, float, float]:
    """(log cdf, log sf, log D) of rho(W) at x = n r^2 (+ x_lo), complex Glorot, x > 0 finite.

    ``D = d log cdf / dx``. ``x_lo`` is the rounding error of ``x`` (double-double low part),
    applied to first order. See the module docstring for the algorithm.
    """
    if x < _TINY_X:
        return _tiny_x_law(n, math.log(x))
    if x >= 2.0 * n + _FAR_MARGIN:
        return _far_upper_law(n, x, x_lo)
    # compare as floats: numba's math.floor returns an int64, which wraps for x >= 2^63 (the
    # far upper tail, n r^2 up to 1e600); int(x) is taken only when x < n < 2^63
    m = n if x >= float(n) else int(x)

    # ---- P part: k = n, n-1, ..., m+1 (k > x) -------------------------------------------
    sp = 0.0  # sum of -log P(k, x), Neumaier-compensated
    cp = 0.0
    dp = 0.0  # sum of k / R_k = x * sum pmf(k-1)/P(k, x)
    if m < n:
        lpmf = _log_pmf(n, x)
        lp = log_gammainc_p(float(n), x)
        rk = math.exp(lp - lpmf)
        steps = 0
        for k in range(n, m, -1):
            v = -(lpmf + math.log(rk))
            sp, cp = neumaier_add(sp, cp, v)
            dp += k / rk
            if k == 1:
                break
            rk = 1.0 + rk * (x / k)
            steps += 1
            if steps == _ANCHOR:
                lpmf = _log_pmf(k - 1, x)
                steps = 0
            else:
                lpmf += math.log(k / x)
        sp += cp

    # ---- Q part: k = k_lo, ..., m (k <= x) ----------------------------------------------
    # Values are scaled by e^{ref}, ref = log Q(m, x) (the largest Q of this part), so the loop
    # runs on products instead of logs and nothing under- or overflows.
    sq = 0.0
    log_sq = -INF  # log of the sum of -log1p(-Q_k), accurate when it underflows
    log_dq = -INF  # log sum pmf(k-1)/P(k, x)
    if m >= 1:
        ref = log_gammainc_q(float(m), x)
        log_s_low = _log_neg_log1m(ref)
        if sp > 0.0:
            log_s_low = logaddexp(log_s_low, math.log(sp))
        lcut = math.log(_REL_CUT) + log_s_low - math.log(2.0) - ref
        cut = math.exp(700.0 if 700.0 < lcut else lcut)
        # walk K = m-1, m-2, ... with pm = pmf(K-1)/e^ref until the bound on the neglected
        # sum, pmf(K-1) / (1 - (K-1)/x)^2, is below the cut
        k_lo = 1
        kk = m - 1
        if kk >= 1:
            pm = math.exp(_log_pmf(kk - 1, x) - ref)
            steps = 0
            while kk >= 1:
                den = 1.0 - (kk - 1) / x
                if pm < cut * den * den:
                    k_lo = kk + 1
                    break
                if kk == 1:
                    break
                steps += 1
                if steps == _ANCHOR:
                    pm = math.exp(_log_pmf(kk - 2, x) - ref)
                    steps = 0
                else:
                    pm *= (kk - 1) / x
                kk -= 1
        # forward pass from k_lo: U = Q(k)/pmf(k-1); Q(k+1) = pmf(k) (1 + U k / x)
        lp0 = _log_pmf(k_lo - 1, x)
        pt = math.exp(lp0 - ref)  # pmf(k-1)/e^ref at k = k_lo
        u = math.exp(log_gammainc_q(float(k_lo), x) - lp0)
        eref = math.exp(ref)  # Q(m, x); may underflow (then every q below is tiny)
        st = 0.0  # sum of -log1p(-Q_k)/e^ref, Neumaier-compensated
        ct = 0.0
        sd = 0.0  # sum of pmf(k-1)/(1 - Q_k)/e^ref
        steps = 0
        for k in range(k_lo, m + 1):
            qt = pt * u  # Q(k)/e^ref
            q = qt * eref
            if q < 1e-9:
                v = qt * (1.0 + q * (0.5 + q / 3.0))
            else:
                if q > 1.0:
                    q = 1.0
                v = -math.log1p(-q) / eref
            st, ct = neumaier_add(st, ct, v)
            sd += pt / (1.0 - q)
            # advance to k + 1
            u = 1.0 + u * (k / x)
            steps += 1
            if steps == _ANCHOR:
                pt = math.exp(_log_pmf(k, x) - ref)
                steps = 0
            else:
                pt *= x / k
        st += ct
        log_sq = ref + math.log(st)
        sq = math.exp(log_sq)
        log_dq = ref + math.log(sd)

    s = sp + sq
    if sp > 0.0:
        log_s = math.log(s)
    else:
        log_s = log_sq
    logcdf = -s
    logsf = log1mexp_neg(s, log_s)
    if dp > 0.0:
        logd = logaddexp(math.log(dp) - math.log(x), log_dq)
    else:
        logd = log_dq
    if x_lo != 0.0:
        dlog = x_lo * math.exp(logd)  # first-order change of log cdf
        logcdf += dlog
        ratio = math.exp(logd + logcdf - logsf)  # -(d log sf / dx)
        logsf -= x_lo * ratio
    return logcdf, logsf, logd


@jit(python=True)
def _law_at_r(n: int, r: float) -> tuple[float, float, float]:
    """(log cdf, log sf, log pdf) of rho(W) at radius r (any float)."""
    if r != r:
        return NAN, NAN, NAN
    if r <= 0.0:
        return -INF, 0.0, -INF
    if r == INF:
        return 0.0, -INF, -INF
    fn = float(n)
    t, e1 = two_prod(r, r)
    x, e2 = two_prod(fn, t)
    if x == INF:
        return 0.0, -INF, -INF
    x_lo = e2 + fn * e1
    if x < _TINY_X:
        # x may have underflowed: use log x = log n + 2 log r
        lc, ls, ld = _tiny_x_law(n, math.log(fn) + 2.0 * math.log(r))
        if n == 1:
            ls = -x  # sf = exp(-r^2): exact (the log-space cdf loses |log cdf| * eps here)
    else:
        lc, ls, ld = kostlan_law(n, x, x_lo)
    # pdf in r: f(r) = cdf * D * dx/dr, dx/dr = 2 n r
    logpdf = lc + ld + math.log(2.0 * fn * r)
    return lc, ls, logpdf


def kostlan_law_array(n: int, r: np.ndarray, out: np.ndarray) -> None:
    """Fill ``out[i] = (log cdf, log sf, log pdf)`` at ``r[i]`` (r 1-d float64, out (len, 3)).

    A Python loop around the compiled ``_law_at_r``: the compiled loop was one more library
    that re-generated the whole law below it (cold complex law 4.60 -> 4.22 s CPU, interleaved
    A/B, issue 16), for ~1 us per radius more when warm (0.95 -> 2.0 us at n = 10, 11.3 -> 12.4
    us at n = 1000).
    """
    for i, ri in enumerate(r.tolist()):
        out[i] = _law_at_r(n, ri)


@jit
def _g(n: int, u: float, logq: float, upper: bool) -> tuple[float, float]:
    """Increasing function of u = log r whose root is the quantile, and its u-derivative."""
    r = math.exp(u)
    lc, ls, lpdf = _law_at_r(n, r)
    if upper:
        # log sf decreases in r: g = logq - log sf, g' = r pdf / sf
        return logq - ls, math.exp(lpdf - ls + u)
    return lc - logq, math.exp(lpdf - lc + u)


@jit
def _initial_guess(n: int, logq: float, upper: bool) -> float:
    """Rough log r of the quantile from the tail shapes of (K).

    Lower tail: about y = n - x factors with k > x each contribute ~((k - x)^2 / (2x)), so
    log cdf ~ -y^3 / (6 n). Upper tail: sf ~ Q(n, x)-like, log sf ~ -(x - n)^2 / (2 n).
    """
    fn = float(n)
    if upper:
        x = fn + math.sqrt(2.0 * fn * -logq)
    else:
        y = (6.0 * fn * -logq) ** (1.0 / 3.0)
        x = fn - y
        if x < 0.5 * fn:
            # far lower tail: log cdf ~ sum_k (k log x - lgamma(k+1)) ~ (n^2 / 2) log(x / n)
            g = logq / (0.5 * fn * (fn + 1.0)) + math.log(0.5)
            return 0.5 * (-1400.0 if -1400.0 > g else g)
    return 0.5 * math.log(x / fn)


@jit
def _solve(n: int, logq: float, upper: bool) -> float:
    """r with log cdf(r) = logq (upper=False) or log sf(r) = logq (upper=True), logq <= 0.

    Newton's method in u = log r on the log probability (derivative from the same kernel
    call), started from the tail-shape guess, steps limited to |du| <= 1 until the root is
    bracketed and then kept inside the bracket (bisection in u when a step leaves it).
    Stops when |du| <= 1e-16 or the bracket is two ulps wide.
    """
    if logq != logq:
        return NAN
    if logq == -INF:
        return 0.0 if not upper else INF
    if logq >= 0.0:
        return INF if not upper else 0.0
    u = _initial_guess(n, logq, upper)
    lo = -INF
    hi = INF
    for _ in range(400):
        gv, dv = _g(n, u, logq, upper)
        if gv == 0.0:
            return math.exp(u)
        if gv != gv:
            return NAN
        if gv > 0.0:
            hi = u
        else:
            lo = u
        if hi - lo <= 2.2e-16 * (abs(u) if abs(u) > 1.0 else 1.0):
            break
        if dv > 0.0 and dv < INF:
            un = u - gv / dv
        else:
            un = u - 1.0 if gv > 0.0 else u + 1.0
        if lo == -INF or hi == INF:
            # not bracketed yet: trust region of one unit in log r
            if un < u - 1.0:
                un = u - 1.0
            elif un > u + 1.0:
                un = u + 1.0
        elif not (un > lo and un < hi):
            un = 0.5 * (lo + hi)
        if abs(un - u) <= 1e-16 * (abs(u) if abs(u) > 1.0 else 1.0):
            u = un
            break
        u = un
    return math.exp(u)


@jit(python=True)
def kostlan_quantile_array(n: int, logq: np.ndarray, upper: bool, out: np.ndarray) -> None:
    """``out[i]`` = the r solving log cdf(r) = logq[i] (or log sf(r) = logq[i] if ``upper``)."""
    for i in range(logq.shape[0]):
        out[i] = _solve(n, logq[i], upper)
