"""Private numba kernels for the Ginibre eigenvalue densities and the expected counts outside a radius.

Public wrappers live in :mod:`rmtedge.ensembles.densities`; everything here works in the Ginibre scale
(unit-variance entries) and in log space. Notation: ``P(a, x)``, ``Q(a, x)`` regularized
incomplete gamma functions, ``m = n - 1``.

Densities
---------
* real line (Edelman-Kostlan-Shub):
  ``rho(x) = Q(m, x^2)/sqrt(2 pi) + e^{lgp(a, u)} Gamma(a+1)/Gamma(a+1/2) P(a, u)/sqrt(2)`` with
  ``a = m/2``, ``u = x^2/2`` and ``lgp(a, u) = log(u^a e^-u / Gamma(a+1))`` (the second EKS term
  rewritten with ``|x|^m = (2u)^a``);
* plane, real field (Edelman 1997): ``sqrt(2/pi) |y| erfcx(sqrt(2)|y|) Q(m, |z|^2)``;
* plane, complex field (Ginibre): ``Q(n, |z|^2)/pi``.

The densities depend on the point only through ``X = x^2`` (or ``|z|^2``), and they are
ill-conditioned in ``X`` beyond the edge: ``X d log(rho)/dX`` is about ``2 sqrt(n) c`` at
``sqrt(X) = sqrt(n) + c``, so the rounding of ``X`` alone would cost ``~1e-11`` relative at
``n = 10^6``. ``X`` (including the Glorot factor ``n``) is therefore formed as an unevaluated
double-double ``xh + xl`` (exact products by fused multiply-add) and each incomplete-gamma factor is
corrected to first order in ``xl`` with its exact derivative.

Expected numbers outside a radius R (Ginibre scale)
-----------------------------------------------------
All of them are one-dimensional integrals over ``sigma in [R, inf)`` of an elementary
log-concave weight times a smooth factor (Fubini applied to ``Q(m, s^2) = Pr(T > s^2)``,
``T ~ Gamma(m)``):

* real eigenvalues: ``E_R = sqrt(2/pi) E[(sqrt(T) - R)^+] + Pr(chi_n > R, chi_(n-1) < chi_n)``
  with independent chi variables (the second EKS term integrates to this probability);
* non-real eigenvalues, real field: the angular integral of Edelman's density,
  ``int_0^(2 pi) rho(s e^(it)) dt``, is ``2 (1 - erfcx(sqrt 2 s)) Q(m, s^2)`` (term-by-term
  integration of the erfcx series), so ``E_C = E[J(R, sqrt T)]`` with
  ``J(R, s) = int_R^s 2 t (1 - erfcx(sqrt 2 t)) dt`` in closed form;
* complex field: ``E[(T - R^2)^+]`` with ``T ~ Gamma(n)``.

The weights are densities of ``sqrt(T/beta)`` for ``T ~ Gamma(nu)``:
``psi(sigma) = (2 nu/sigma) exp(lgp(nu, beta sigma^2))``. The integral is done by composite
Gauss-Legendre quadrature on panels whose ends are where the log-weight has dropped by
``k^2/2`` (k = 1..10) from its maximum on ``[R, inf)`` (the mode, or R itself beyond the mode),
found by Newton's method; the weight is evaluated relative to an anchor (``sigma = sigma_0 +
delta`` with exact offsets ``delta``), so no rounding of ``sigma`` near 10^3 .. 10^4 enters
the exponent. The result is returned as a logarithm, finite however small the count is.
"""

from __future__ import annotations

import math

import numpy as np

from .._core._temme_table import (
    TEMME as _TEMME,
)
from .._core.doubledouble import (
    two_prod,
    two_sum,
)
from .._core.elementary import (
    log1mexp,
    log1pmx,
    log_gamma_ratio,
    logaddexp,
    power_series,
    stirling_corr,
)
from .._core.erf import (
    erfcx,
    one_minus_erfcx,
)
from .._core.incgamma import (
    log_gamma_prefactor,
    log_gammainc_p,
    log_gammainc_pq,
    log_gammainc_q,
)
from .._core.jit import jit

__all__ = [
    "log_complex_density_kernel",
    "log_expected_nonreal_outside_kernel",
    "log_expected_real_outside_kernel",
    "log_real_density_kernel",
    "vec_log_complex_density",
    "vec_log_expected_nonreal_outside",
    "vec_log_expected_real_outside",
    "vec_log_real_density",
]

_NAN = math.nan
_INF = math.inf
_LN2 = 0.6931471805599453094172321
_LOG_PI = 1.1447298858494001741434273
_INV_PI = 0.3183098861837906715377675  # 1/pi
_LOG_2PI = 1.8378770664093454835606594
_HALF_LOG_2PI = 0.9189385332046727417803297
_INV_SQRT_2PI = 0.3989422804014326779399461
_TWO_OVER_SQRT_PI = 1.1283791670955125738961589
_HALF_LOG_2_OVER_PI = -0.2257913526447274323630977  # log(sqrt(2/pi))
_SQRT2 = 1.4142135623730950488016887
_SQRT_2_OVER_PI = 0.7978845608028653558798921
_INV_SQRT_PI = 0.5641895835477562869480795
_DD_MAX = 1e150  # beyond this |x| the double-double square is not formed (it would overflow)

# Gauss-Legendre rule used on every panel, on [0, 1].
_GL_N = 12
_gl_x, _gl_w = np.polynomial.legendre.leggauss(_GL_N)
GL_NODES = 0.5 * (_gl_x + 1.0)
GL_WEIGHTS = 0.5 * _gl_w
_gl8_x, _gl8_w = np.polynomial.legendre.leggauss(8)
GL8_NODES = 0.5 * (_gl8_x + 1.0)
GL8_WEIGHTS = 0.5 * _gl8_w
_gl5_x, _gl5_w = np.polynomial.legendre.leggauss(5)
GL5_NODES = 0.5 * (_gl5_x + 1.0)
GL5_WEIGHTS = 0.5 * _gl5_w
# Panel ends: drops of the log-weight k^2/2 below its maximum, k = 1..PANELS.
_PANELS = 10
_DROP_STEP = 1.0

# Series of K(w) = int_0^w v (1 - erfcx(v)) dv = -sum_{j>=1} (-1)^j w^(j+2) / ((j+2) Gamma(j/2+1))
# (1 - erfcx itself is rmtedge._special.one_minus_erfcx).
_NSER = 60
_K_COEF = np.array(
    [-((-1.0) ** j) / ((j + 2.0) * math.gamma(0.5 * j + 1.0)) for j in range(1, _NSER + 1)]
)


# ----------------------------------------------------------------------------------------------
# double-double helpers and derivative-corrected incomplete gamma factors
# ----------------------------------------------------------------------------------------------


@jit
def square_dd(x: float, scale: float) -> tuple[float, float]:
    """scale * x^2 as a double-double (hi, lo); scale is n (Glorot) or 1 (Ginibre)."""
    ax = abs(x)
    if ax > _DD_MAX or ax == _INF:
        return scale * ax * ax, 0.0
    h, lo = two_prod(ax, ax)
    if scale != 1.0:
        h2, l2 = two_prod(scale, h)
        lo = l2 + scale * lo
        h = h2
    return two_sum(h, lo)


@jit
def sum_squares_dd(x: float, y: float, scale: float) -> tuple[float, float]:
    """scale * (x^2 + y^2) as a double-double."""
    hx, lx = square_dd(x, 1.0)
    hy, ly = square_dd(y, 1.0)
    if hx == _INF or hy == _INF:
        return _INF, 0.0
    s, e = two_sum(hx, hy)
    e += lx + ly
    s, e = two_sum(s, e)
    if scale != 1.0 and s != _INF:
        h2, l2 = two_prod(scale, s)
        return two_sum(h2, l2 + scale * e)
    return s, e


@jit
def _log_pq_dd(a: float, xh: float, xl: float) -> tuple[float, float]:
    """(log P(a, X), log Q(a, X)) at X = xh + xl, corrected to first order in xl.

    d P/dX = X^(a-1) e^-X / Gamma(a) = exp(lgp(a, X)) a / X.
    """
    lp, lq = log_gammainc_pq(a, xh)
    if xl != 0.0 and xh > 0.0 and xh != _INF:
        ld = log_gamma_prefactor(a, xh) + math.log(a) - math.log(xh)
        if lp > -_INF:
            lp += xl * math.exp(ld - lp)
        if lq > -_INF:
            lq -= xl * math.exp(ld - lq)
    return lp, lq


@jit
def _lgp_dd(a: float, xh: float, xl: float) -> float:
    """log(X^a e^-X / Gamma(a+1)) at X = xh + xl, first order in xl (derivative a/X - 1)."""
    v = log_gamma_prefactor(a, xh)
    if xl != 0.0 and xh > 0.0 and xh != _INF:
        v += (xl / xh) * a - xl
    return v


# ----------------------------------------------------------------------------------------------
# densities (Ginibre scale, argument X = x^2 or |z|^2 as a double-double)
# ----------------------------------------------------------------------------------------------


@jit
def _lgp_c(a: float, x: float, sc_a: float) -> float:
    """log(x^a e^-x / Gamma(a+1)) with stirling_corr(a) = sc_a supplied by the caller.

    Speed workaround (constants hoisted out of the per-point loops): for a >= 1 this is the
    formula of rmtedge._special.log_gamma_prefactor, a log1pmx((x - a)/a) - log(2 pi a)/2 -
    stirling_corr(a), with the Stirling correction computed once per n instead of once per
    call (it loops for a < 10); for a < 1 it calls log_gamma_prefactor. tests/test_densities.py
    checks that the two agree.
    """
    if a < 1.0:
        return log_gamma_prefactor(a, x)
    if x == 0.0 or x == _INF:
        return -_INF
    t = (x - a) / a
    if t < -0.5:
        r = x / a
        lr = math.log(r) if r > 1e-300 else math.log(x) - math.log(a)
        main = a * (lr - t)
    else:
        main = a * log1pmx(t)
    return main - 0.5 * (_LOG_2PI + math.log(a)) - sc_a


@jit
def _sc(a: float) -> float:
    """stirling_corr(a) for a >= 1, 0 otherwise (then _lgp_c does not use it)."""
    return stirling_corr(a) if a >= 1.0 else 0.0


# Per-n constants, computed once per run of equal n in the vectorized loops:
# [m, a, sc(m - 1), sc(a), sc(a - 1), log(Gamma(a+1)/Gamma(a+1/2)) - log(2)/2, log(n)/2, sc(n - 1),
#  log(Gamma(a+1/2) sqrt 2), log(Gamma(a+1/2) Gamma(a+1) sqrt 2), X_lo(n - 1), X_lo(n)]
# with X_lo(k) (see _x_lo) a point below which P(k, X) < e^-44, so log Q(k, X) = 0 to 1e-19;
# then, for the value-space plane intensities (_plane_value_c), for every n:
# [X_lo(n - 1), X_lo(n), sqrt(n), exp(log(a) - log(2 pi a)/2 - sc(a)) for a = n - 1 and a = n]
# (the last two only for n > N_FAST_PLANE, where the Temme rows exist).
_NCONST = 17
# Below this log P(k, X) the bulk shortcut returns log Q = -P = 0 (|error| < 8e-20 absolute).
_LOG_P_NEGLIGIBLE = -44.0
# Upper tail of an integer-order Q(k, X) (k > N_FAST): from X >= _TAIL_RATIO k on, the backward
# finite sum e^-X sum_{j<k} X^j/j! converges geometrically (ratio <= 1/_TAIL_RATIO, <= 96 terms
# to 1e-17) and is cheaper than the general kernel (Temme's expansion / continued fraction).
_TAIL_RATIO = 1.5


# Temme coefficient rows hoisted per n (see _fill_temme), stored after the scalar constants:
# row r (a = n - 1, n, (n - 1)/2 for r = 0, 1, 2) at c[_NCONST + r _TROW:]:
# [1/sqrt(2 pi a), sqrt(a/2), L, log(a) - log(2 pi a)/2 - sc(a), e_0 .. e_(L-1)] with
# S(a, eta) = sum_j e_j eta^j.
_TEMME_COLS = _TEMME.shape[1]
_TROW = 4 + _TEMME_COLS
_NCONST_ALL = _NCONST + 3 * _TROW


@jit
def _fill_temme(a: float, c: np.ndarray, off: int) -> None:
    """Collapse Temme's double sum sum_k C_k(eta) a^-k (C_k polynomials in eta, table _TEMME)
    into one polynomial in eta for this a: e_j = sum_k d[k][j] a^-k, cut after the last
    |e_j| > 1e-21 (|eta| <= 1 on the Temme path, so the dropped tail is below ~1e-20)."""
    c[off] = _INV_SQRT_2PI / math.sqrt(a)
    c[off + 1] = math.sqrt(0.5 * a)
    c[off + 3] = math.log(a) - 0.5 * (_LOG_2PI + math.log(a)) - stirling_corr(a)
    inva = 1.0 / a
    last = 0
    for j in range(_TEMME_COLS):
        v = 0.0
        for k in range(_TEMME.shape[0] - 1, -1, -1):
            v = v * inva + _TEMME[k, j]
        c[off + 4 + j] = v
        if abs(v) > 1e-21:
            last = j + 1
    c[off + 2] = last


@jit
def _x_lo(k: float) -> float:
    """A point X_lo < k with P(k, X) <= e^-44 for all 0 <= X <= X_lo (0 if none is found).

    Bound: P(k, X) <= lgp(k, X) / (1 - X/(k+1)) (series of positive terms with ratio
    <= X/(k+1)), lgp(k, X) = X^k e^-X/Gamma(k+1) increasing for X < k. Newton's method on
    k log1pmx(t) = -50 + log(2 pi k)/2 for t = X/k - 1 in (-1, 0) gives a candidate, which is
    accepted only when the bound, evaluated with log_gamma_prefactor, is <= e^-44 (otherwise it is
    moved down by 1% until it is).
    """
    if k < 1.0:
        return 0.0
    g = (-50.0 + 0.5 * (_LOG_2PI + math.log(k))) / k  # target of log1pmx(t) (< 0)
    t = -math.sqrt(-2.0 * g)
    if t <= -1.0:
        t = -0.5
    for _ in range(50):
        # f(t) = log1pmx(t) - g, f'(t) = -t/(1 + t); log1pmx is concave and decreasing in t < 0
        f = log1pmx(t) - g
        tn = t - f * (1.0 + t) / (-t)
        if tn <= -1.0:
            tn = 0.5 * (t - 1.0)
        if tn >= 0.0:
            tn = 0.5 * t
        if abs(tn - t) <= 1e-12 * abs(t):
            t = tn
            break
        t = tn
    x = k * (1.0 + t)
    for _ in range(2000):
        if x <= 0.0:
            return 0.0
        if x < k + 1.0:
            b = log_gamma_prefactor(k, x) - math.log1p(-x / (k + 1.0))
            if b <= _LOG_P_NEGLIGIBLE:
                return x
        x *= 0.99
    return 0.0


@jit
def _fill_consts(n: int, c: np.ndarray) -> None:
    m = n - 1.0
    a = 0.5 * m
    c[0] = m
    c[1] = a
    c[2] = _sc(m - 1.0)
    c[3] = _sc(a)
    c[4] = _sc(a - 1.0)
    # log(Gamma(a + 1)/Gamma(a + 1/2)) - log(2)/2, without cancellation at large a
    c[5] = log_gamma_ratio(a + 0.5, 0.5) + 0.5 * math.log(a + 0.5) - 0.5 * _LN2 if n >= 2 else 0.0
    c[6] = 0.5 * math.log(n)
    c[7] = _sc(n - 1.0)
    if n >= 2:
        c[8] = math.lgamma(a + 0.5) + 0.5 * _LN2
        c[9] = c[8] + math.lgamma(a + 1.0)
    c[10] = _x_lo(m) if n > N_FAST_PLANE else 0.0
    c[11] = _x_lo(float(n)) if n > N_FAST_PLANE else 0.0
    c[12] = c[10] if n > N_FAST_PLANE else _x_lo(m)
    c[13] = c[11] if n > N_FAST_PLANE else _x_lo(float(n))
    c[14] = math.sqrt(n)
    c[15] = 0.0
    c[16] = 0.0
    if n > N_FAST_PLANE:
        _fill_temme(m, c, _NCONST)
        _fill_temme(float(n), c, _NCONST + _TROW)
        _fill_temme(a, c, _NCONST + 2 * _TROW)
        c[15] = math.exp(c[_NCONST + 3])
        c[16] = math.exp(c[_NCONST + _TROW + 3])


# Below this n the incomplete gamma functions of the densities (integer order n - 1 or n, and
# (n-1)/2) are evaluated by the finite sums / short series below instead of the general
# kernels of rmtedge._special: a speed workaround (same accuracy, measured in the tests on both
# sides of the switch), since the general kernels cost ~200-400 ns per call at small orders.
N_FAST = 256
# Reciprocals 1/j (j < _NINV): the finite sums multiply instead of dividing (a division in the
# loop-carried chain costs ~3x a multiplication). The sums never need j beyond 2 N_FAST + 4 * 160.
_NINV = 4096
# Same for the plane densities (one incomplete gamma per point, so the sums pay off only for
# smaller orders than on the real line, where two are needed).
N_FAST_PLANE = 128
_INV = np.concatenate([[0.0], 1.0 / np.arange(1, _NINV, dtype=np.float64)])
# 1/((j+1)(j+2)(j+3)(j+4)) and 1/((2j+3)(2j+5)(2j+7)(2j+9)): the steps of the four product chains
# of _q_sum_value and _q_half_sum (the integer products are exact in float64, so each entry is
# correctly rounded).
_INV4 = np.array([1.0 / float((j + 1) * (j + 2) * (j + 3) * (j + 4)) for j in range(N_FAST + 4)])
_INV4H = np.array(
    [1.0 / float((2 * j + 3) * (2 * j + 5) * (2 * j + 7) * (2 * j + 9)) for j in range(N_FAST + 4)]
)


@jit
def _chain_sums(
    t0: float,
    t1: float,
    t2: float,
    t3: float,
    step: float,
    inv4: np.ndarray,
    count: int,
    nw: float,
) -> tuple[float, float, float]:
    """(sum_j tau_j, sum_j (nw - j) tau_j, tau_(count-1)) over j < count (0 if count = 0) for
    terms tau_0..tau_3 = t0..t3 and tau_(j+4) = tau_j step inv4[j].

    Four independent product chains, so the loop-carried latency is a quarter of the one-chain
    recurrence tau_(j+1) = tau_j * ratio_j; each tau_j carries about j/4 roundings of ~2 ulps.
    Callers that do not use the weighted sum pay nothing for it once inlined (dead code).
    """
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    w0 = 0.0
    w1 = 0.0
    w2 = 0.0
    w3 = 0.0
    prev3 = 0.0
    j = 0
    while j + 4 <= count:
        s0 += t0
        s1 += t1
        s2 += t2
        s3 += t3
        w0 += (nw - j) * t0
        w1 += (nw - j - 1.0) * t1
        w2 += (nw - j - 2.0) * t2
        w3 += (nw - j - 3.0) * t3
        prev3 = t3
        t0 *= step * inv4[j]
        t1 *= step * inv4[j + 1]
        t2 *= step * inv4[j + 2]
        t3 *= step * inv4[j + 3]
        j += 4
    rem = count - j
    last = prev3
    if rem >= 1:
        s0 += t0
        w0 += (nw - j) * t0
        last = t0
    if rem >= 2:
        s1 += t1
        w1 += (nw - j - 1.0) * t1
        last = t1
    if rem >= 3:
        s2 += t2
        w2 += (nw - j - 2.0) * t2
        last = t2
    return (s0 + s1) + (s2 + s3), (w0 + w1) + (w2 + w3), last


@jit
def _q_half_sum(j: int, u: float) -> float:
    """sum_{i<j} u^(i+1/2)/Gamma(i+3/2) for 0 <= j <= N_FAST + 3, as a number (u <= _X_VALUE):
    terms t_(i+1) = t_i 2u/(2i+3), by _chain_sums with step (2u)^4."""
    t0 = math.sqrt(u) * _TWO_OVER_SQRT_PI
    two_u = 2.0 * u
    t1 = t0 * two_u * (1.0 / 3.0)
    t2 = t1 * two_u * (1.0 / 5.0)
    t3 = t2 * two_u * (1.0 / 7.0)
    u4 = two_u * two_u
    return _chain_sums(t0, t1, t2, t3, u4 * u4, _INV4H, j, 0.0)[0]


@jit
def _log_q_int(m: int, x: float, lgp_m1: float) -> float:
    """log Q(m, x) for an integer 1 <= m <= N_FAST: log(e^-x sum_{k<m} x^k/k!).

    x <= m: forward sum (terms <= e^m, the -x + log(sum) form loses at most m ulps);
    x > m: backward from the largest term x^(m-1) e^-x/(m-1)! = exp(lgp_m1), ratio k/x < 1.
    """
    if m == 1:
        return -x
    if x <= m:
        t = 1.0
        s = 1.0
        for k in range(1, m):
            t *= x * _INV[k]
            s += t
        return -x + math.log(s)
    t = 1.0
    s = 1.0
    inv_x = 1.0 / x
    for k in range(m - 1, 0, -1):
        t *= k * inv_x
        s += t
        if t < 1e-17 * s:
            break
    return lgp_m1 + math.log(s)


@jit
def _log_q_halfint(j2: int, u: float, lgp_top: float) -> float:
    """log Q(a, u) for a = j2/2 (j2 >= 1), u >= a + 1, by finite sums of positive terms:
    integer a: e^-u sum_{k<a} u^k/k!; a = j + 1/2: e^-u [erfcx(sqrt u) + sum_{i<j} u^(i+1/2)/Gamma(i+3/2)].
    lgp_top = log of the largest term (times e^-u), lgp(a - 1, u), unused when a <= 1."""
    if j2 == 2:
        return -u
    if j2 == 1:
        return math.log(erfcx(math.sqrt(u))) - u
    s = 1.0
    t = 1.0
    inv_u = 1.0 / u
    if j2 % 2 == 0:
        for k in range(j2 // 2 - 1, 0, -1):
            t *= k * inv_u
            s += t
            if t < 1e-17 * s:
                break
        return lgp_top + math.log(s)
    # a = j + 1/2: terms u^(i+1/2)/Gamma(i+3/2), i = j-1 .. 0, ratio (i + 1/2)/u
    j = (j2 - 1) // 2
    for i in range(j - 1, 0, -1):
        t *= (i + 0.5) * inv_u
        s += t
        if t < 1e-17 * s:
            break
    s += math.exp(math.log(erfcx(math.sqrt(u))) - u - lgp_top)
    return lgp_top + math.log(s)


@jit
def _p_series(a: float, u: float) -> float:
    """sum_{k>=0} u^k/((a+1)...(a+k)) for u < a + 1 and a = m/2 (m integer), until the terms
    fall below 1e-17 of the sum (ratio u/(a+k) = 2u/(m+2k) < 1)."""
    m2 = int(2.0 * a + 0.5)
    two_u = 2.0 * u
    s = 1.0
    t = 1.0
    j = m2 + 2
    while True:
        t *= two_u * (_INV[j] if j < _NINV else 1.0 / j)
        s += t
        if t < 1e-17 * s:
            break
        j += 2
    return s


@jit
def _log_p_small(a: float, u: float, lgp_a: float, lgp_top: float) -> float:
    """log P(a, u) for a = m/2 <= N_FAST/2: power series when u < a + 1, else log(1 - Q)."""
    if u < a + 1.0:
        s = _p_series(a, u)
        return lgp_a + math.log(s)
    return log1mexp(_log_q_halfint(int(2.0 * a + 0.5), u, lgp_top))


# Value-space path for n <= N_FAST and X = x^2 <= _X_VALUE (no underflow, no overflow): the
# finite sums are added as numbers and one log is taken at the end. The exponents a log u - u
# and -X are rounded with an absolute error of a few ulps of X, i.e. a relative error below
# ~1e-13 of the density here; the double-double low part of X is ignored (its effect,
# |xl| * |d log rho/dX| <= 1.1e-16 X (1 + a/u) u/X, is of the same size).
_X_VALUE = 500.0


@jit
def _eks_value_small(n: int, c: np.ndarray, x2: float) -> float:
    """EKS intensity (Ginibre scale) at x^2 = x2 <= _X_VALUE, 2 <= n <= N_FAST, as a value.

    Q(m, X) = 1 below X_lo(m) (c[12]), else the four-chain finite sum _q_sum_value; the second
    term from the power series of P(a, u) (u < a + 1) or 1 - Q(a, u) by finite sums.
    """
    m = n - 1
    a = c[1]
    q1 = 1.0 if x2 < c[12] else _q_sum_value(m, x2, 0.0)
    first = q1 * _INV_SQRT_2PI
    if x2 == 0.0:
        return first
    u = 0.5 * x2
    e = a * math.log(u) - u  # log(u^a e^-u)
    if u < a + 1.0:
        # u^a e^-u/(Gamma(a+1/2) sqrt 2) * P, P = u^a e^-u/Gamma(a+1) sum_k u^k/((a+1)...(a+k))
        return first + math.exp(2.0 * e - c[9]) * _p_series(a, u)
    # P = 1 - Q(a, u), Q by finite sums of positive terms (Q < 1/2 here)
    if m % 2 == 0:
        q = _q_sum_value(m // 2, u, 0.0)
    else:
        q = math.erfc(math.sqrt(u)) + math.exp(-u) * _q_half_sum((m - 1) // 2, u)
    return first + math.exp(e - c[8]) * (1.0 - q)


@jit
def _log_eks_c(n: int, c: np.ndarray, xh: float, xl: float) -> float:
    """log of the Edelman-Kostlan-Shub intensity at x^2 = xh + xl (Ginibre scale), per-n
    constants c (see _fill_consts)."""
    if xh != xh:
        return _NAN
    if n == 1:
        return -0.5 * (xh + xl) - _HALF_LOG_2PI
    if xh == 0.0:
        return -_HALF_LOG_2PI
    if xh == _INF:
        return -_INF
    if n <= N_FAST and xh <= _X_VALUE:
        return math.log(_eks_value_small(n, c, xh))
    m = c[0]
    a = c[1]
    uh = 0.5 * xh
    ul = 0.5 * xl
    # second term without P: log(u^a e^-u/Gamma(a+1)) + log(Gamma(a+1)/Gamma(a+1/2)/sqrt 2)
    lga = _lgp_c(a, uh, c[3])
    lg2 = lga + c[5] + (ul / uh) * a - ul
    # first term: its largest term f = x^(m-1) e^-x/(m-1)! (also gives d log Q/dX = -f/Q)
    lf = _lgp_c(m - 1.0, xh, c[2]) if m > 1.0 else -xh
    if n <= N_FAST:
        l1 = _log_q_int(n - 1, xh, lf)
        if xh > m and xl != 0.0:
            l1 -= xl * math.exp(lf - l1)
        l1 -= _HALF_LOG_2PI
        lp = _log_p_small(a, uh, lga, _lgp_c(a - 1.0, uh, c[4]) if a > 1.0 else 0.0)
    else:
        skip_first = False
        if xh > m + 1.0:
            # Gamma(m, x)/Gamma(m) <= f x/(x - m + 1) for x > m - 1
            skip_first = lf + math.log(xh / (xh - m + 1.0)) - _HALF_LOG_2PI < lg2 - 40.0
        if skip_first:
            l1 = -_INF
        else:
            # below X_lo(m): log Q(m, X) = -P(m, X) = 0 to 8e-20
            l1 = _log_q_int_fast(m, xh, xl, lf, c, _NCONST) if xh >= c[10] else 0.0
            l1 -= _HALF_LOG_2PI
            if lg2 < l1 - 40.0:
                return l1  # the second term is below 1e-17 of the first (P <= 1)
        if uh < (1.0 + _T_LO) * a:
            # power series, ratios u/(a + j) < 0.31: at most ~35 terms
            lp = lga + math.log(_p_series(a, uh))
        elif uh < _TAIL_RATIO * a:
            lp = _log_gammainc_temme(a, uh, False, c, _NCONST + 2 * _TROW)[0]
        else:
            # deep upper tail of P: Q(a, u) <= exp(lgp(a, u)) a/(u - a + 1) (geometric bound)
            lqb = lga + math.log(a / (uh - a + 1.0))
            lp = -math.exp(lqb) if lqb < -40.0 else log_gammainc_p(a, uh)
    if ul != 0.0 and lp > -_INF:
        # d log P/du = u^(a-1) e^-u/(Gamma(a) P) = exp(lga - lp) a/u
        lp += (ul / uh) * a * math.exp(lga - lp)
    return logaddexp(l1, lg2 + lp)


@jit
def log_eks_density_sq(n: int, xh: float, xl: float) -> float:
    """log of the Edelman-Kostlan-Shub intensity at x with x^2 = xh + xl (Ginibre scale)."""
    c = np.empty(_NCONST_ALL)
    _fill_consts(n, c)
    return _log_eks_c(n, c, xh, xl)


@jit
def _log_real_c(x: float, n: int, c: np.ndarray, glorot: bool) -> float:
    if x != x:
        return _NAN
    if glorot:
        xh, xl = square_dd(x, float(n))
        return _log_eks_c(n, c, xh, xl) + c[6]
    xh, xl = square_dd(x, 1.0)
    return _log_eks_c(n, c, xh, xl)


@jit
def log_real_density_kernel(x: float, n: int, glorot: bool) -> float:
    """log rho_n(x): intensity of real eigenvalues of real Ginibre (glorot: of G/sqrt(n))."""
    c = np.empty(_NCONST_ALL)
    _fill_consts(n, c)
    return _log_real_c(x, n, c, glorot)


@jit
def _log_q_general(k: float, xh: float, xl: float, lf: float) -> float:
    """log Q(k, X) at X = xh + xl, k >= 1, by the general kernel, corrected to first order in xl;
    lf = log(X^(k-1) e^-X/Gamma(k)) (so d log Q/dX = -exp(lf - log Q)).

    Deep inside (X < k - 1 and the geometric bound P(k, X) <= exp(lgp(k, X))/(1 - X/(k+1))
    below e^-40), log Q = -P is returned as minus the bound (error below 1e-17 in Q) without
    calling the kernel.
    """
    if xh < k - 1.0:
        lpb = lf + math.log(xh) - math.log(k) - math.log1p(-xh / (k + 1.0))
        if lpb < -40.0:
            return -math.exp(lpb)
    lq = log_gammainc_q(k, xh)
    if xl != 0.0 and lq > -_INF:
        lq -= xl * math.exp(lf - lq)
    return lq


@jit
def _q_tail_sum(k: float, x: float) -> float:
    """sum_{j=0}^{k-1} (k-1)!/((k-1-j)! x^j) = Q(k, x) Gamma(k) e^x / x^(k-1) for an integer k >= 1
    and x >= k - 1 (ratios (k-1-j)/x < 1, decreasing: the terms decrease geometrically).

    The even and odd terms are two independent product chains (T_(j+2) = T_j (k-1-j)(k-2-j)/x^2),
    which halves the loop-carried latency; the products hit exact zeros past j = k - 1. Stops
    when the odd term is below 1e-17 of the sum (the tail after it is below 1e-17 r/(1-r) of
    the sum, r = (k-1)/x).
    """
    ix = 1.0 / x
    ix2 = ix * ix
    te = 1.0
    to = (k - 1.0) * ix
    se = 0.0
    so = 0.0
    ke = k - 1.0
    while True:
        se += te
        so += to
        if to < 1e-17 * (se + so):
            break
        te *= ke * (ke - 1.0) * ix2
        to *= (ke - 1.0) * (ke - 2.0) * ix2
        ke -= 2.0
    return se + so


# Window of the value-space Temme path (_log_gammainc_temme): t = X/a - 1 in [_T_LO, _T_HI], so
# that |eta| <= 1 (the region of Temme's table; eta^2 = 0.962 at t = -0.69).
_T_LO = -0.69
_T_HI = 0.5


@jit
def _temme_terms(a: float, x: float, c: np.ndarray, off: int) -> tuple[float, float, float]:
    """(h, u, R) of Temme's expansion Q(a, x) = erfc(u)/2 + e^-h R (see _log_gammainc_temme):
    h = -a log1pmx(t), u = eta sqrt(a/2), R = S(a, eta)/sqrt(2 pi a), t = x/a - 1."""
    t = (x - a) / a
    lm = log1pmx(t)
    h = -a * lm
    eta = math.sqrt(-2.0 * lm)
    if t < 0.0:
        eta = -eta
    # S(a, eta) from the per-a polynomial (two Horner chains: even and odd powers)
    nt = int(c[off + 2])
    half = (nt + 1) // 2
    base = off + 4
    e2 = eta * eta
    ce = c[base + 2 * half - 2]
    co = c[base + 2 * half - 1] if 2 * half - 1 < nt else 0.0
    for i in range(half - 2, -1, -1):
        ce = ce * e2 + c[base + 2 * i]
        co = co * e2 + c[base + 2 * i + 1]
    return h, eta * c[off + 1], (ce + eta * co) * c[off]


@jit
def _log_gammainc_temme(
    a: float, x: float, upper: bool, c: np.ndarray, off: int
) -> tuple[float, float]:
    """log Q(a, x) (upper) or log P(a, x) by Temme's uniform expansion in value space, for
    a >= 20 and t = x/a - 1 in [_T_LO, _T_HI].

    With eta = sign(t) sqrt(-2 log1pmx(t)), h = a eta^2/2, u = eta sqrt(a/2) and
    R = sum_k C_k(eta) a^-k / sqrt(2 pi a) (collapsed per a into one polynomial in eta by
    _fill_temme, stored in c[off:]):
    Q = erfc(u)/2 + e^-h R and P = erfc(-u)/2 - e^-h R, evaluated as numbers (one erfc, one exp,
    one log) while h < 600, else as -h + log(erfcx(u)/2 +- R). Unlike the general kernel,
    x - a and a log1pmx(t) are plain doubles: the log has an absolute error of a few ulps of
    h (= -log of the smaller function up to O(log a)), i.e. a relative error of a few 1e-16 of
    the log, and the value a relative error of a few ulps times h. Returns (log, h).
    """
    h, v, r = _temme_terms(a, x, c, off)
    if not upper:
        v = -v
        r = -r
    if v <= 0.0 or h < 600.0:
        return math.log(0.5 * math.erfc(v) + math.exp(-h) * r), h
    return -h + math.log(0.5 * erfcx(v) + r), h


@jit
def _log_q_int_fast(k: float, xh: float, xl: float, lf: float, c: np.ndarray, off: int) -> float:
    """log Q(k, X) at X = xh + xl for an integer k >= 20, first order in xl; lf = lgp(k - 1, X).

    X >= _TAIL_RATIO k: backward finite sum; X/k - 1 in [_T_LO, _TAIL_RATIO - 1): value-space
    Temme expansion; below: the general kernel (with its bulk bound, _log_q_general).
    """
    if xh >= _TAIL_RATIO * k:
        # log Q = lf + log(S), d log Q/dX = -exp(lf - log Q) = -1/S
        st = _q_tail_sum(k, xh)
        return lf + math.log(st) - xl / st
    if xh >= (1.0 + _T_LO) * k:
        lq = _log_gammainc_temme(k, xh, True, c, off)[0]
        if xl != 0.0:
            lq -= xl * math.exp(lf - lq)
        return lq
    return _log_q_general(k, xh, xl, lf)


@jit
def _log_q_int_plane(
    k: float, xh: float, xl: float, sc_km1: float, c: np.ndarray, off: int
) -> float:
    """_log_q_int_fast without a precomputed lf: on the Temme path the derivative correction
    uses lgp(k - 1, X) = -h + c[off + 3] - log X (h = k eta^2/2 from the expansion), so the
    separate lgp evaluation is needed only on the other paths."""
    if xh >= (1.0 + _T_LO) * k and xh < _TAIL_RATIO * k:
        lq, h = _log_gammainc_temme(k, xh, True, c, off)
        if xl != 0.0:
            # d log Q/dX = -exp(lgp(k - 1, X) - log Q)
            lq -= (xl / xh) * math.exp(-h + c[off + 3] - lq)
        return lq
    return _log_q_int_fast(k, xh, xl, _lgp_c(k - 1.0, xh, sc_km1), c, off)


@jit
def _log_q_plane(
    k: int, sc_km1: float, x_lo: float, sh: float, sl: float, c: np.ndarray, off: int
) -> float:
    """log Q(k, X) at X = sh + sl (integer k >= 1), corrected to first order in sl.

    x_lo: X_lo(k) of _x_lo (0 disables the shortcut): below it log Q = -P(k, X) is returned as 0
    (P < e^-44). k > N_FAST_PLANE: _log_q_int_plane (finite sum beyond _TAIL_RATIO k, value-space
    Temme expansion down to (1 + _T_LO) k, the general kernel below); else the finite sums of
    _log_q_int (k <= N_FAST) or the general kernel.
    """
    if sh == _INF:
        return -_INF
    if sh < x_lo:
        return 0.0
    if k > N_FAST_PLANE:
        return _log_q_int_plane(float(k), sh, sl, sc_km1, c, off)
    lf = _lgp_c(k - 1.0, sh, sc_km1) if k > 1 else -sh
    if k <= N_FAST:
        lq = _log_q_int(k, sh, lf)
        if sl != 0.0 and lq > -_INF:
            lq -= sl * math.exp(lf - lq)
        return lq
    return _log_q_general(float(k), sh, sl, lf)


@jit
def _log_complex_c(
    x: float, y: float, n: int, c: np.ndarray, real_field: bool, glorot: bool
) -> float:
    if x != x or y != y:
        return _NAN
    scale = float(n) if glorot else 1.0
    k = n - 1 if real_field else n
    x2 = scale * (x * x + y * y)
    if k <= N_FAST_PLANE and x2 <= _X_VALUE and k >= 1:
        # value path: Q(k, X) = e^-X sum_{j<k} X^j/j! as a number (error ~ulps of X, the
        # double-double low part of X is ignored, see _X_VALUE)
        t = 1.0
        sq = 1.0
        for j in range(1, k):
            t *= x2 * _INV[j]
            sq += t
        q = math.exp(-x2) * sq
        if real_field:
            if y == 0.0:
                return -_INF
            ay = abs(y) * math.sqrt(scale) if glorot else abs(y)
            return math.log(_SQRT_2_OVER_PI * ay * erfcx(_SQRT2 * ay) * q) + (
                2.0 * c[6] if glorot else 0.0
            )
        return math.log(q) - _LOG_PI + (2.0 * c[6] if glorot else 0.0)
    sh, sl = sum_squares_dd(x, y, scale)
    if real_field:
        if n == 1 or y == 0.0:
            return -_INF
        ay = abs(y) * math.sqrt(scale) if glorot else abs(y)
        if ay == _INF or sh == _INF:
            return -_INF
        v = (
            _HALF_LOG_2_OVER_PI
            + math.log(ay)
            + math.log(erfcx(_SQRT2 * ay))
            + _log_q_plane(n - 1, c[2], c[10], sh, sl, c, _NCONST)
        )
    else:
        v = _log_q_plane(n, c[7], c[11], sh, sl, c, _NCONST + _TROW) - _LOG_PI
    if glorot:
        v += 2.0 * c[6]
    return v


@jit
def log_complex_density_kernel(x: float, y: float, n: int, real_field: bool, glorot: bool) -> float:
    """log of the intensity at z = x + iy of the non-real eigenvalues of real Ginibre
    (real_field) or of the eigenvalues of complex Ginibre; glorot: of G/sqrt(n)."""
    c = np.empty(_NCONST_ALL)
    _fill_consts(n, c)
    return _log_complex_c(x, y, n, c, real_field, glorot)


# ----------------------------------------------------------------------------------------------
# 1 - erfcx and its integral
# ----------------------------------------------------------------------------------------------


@jit
def _k_int(w: float) -> float:
    """K(w) = int_0^w v L(v) dv = w^2/2 - w/sqrt(pi) + L(w)/2 (series below 1.5)."""
    if w < 1.5:
        return power_series(_K_COEF, w, w * w)
    return 0.5 * w * w - w * _INV_SQRT_PI + 0.5 * one_minus_erfcx(w)


@jit
def _plane_j(big_r: float, ds: float) -> float:
    """J(R, R + ds) = int_R^{R+ds} 2 t (1 - erfcx(sqrt 2 t)) dt, ds >= 0."""
    s = big_r + ds
    wr = _SQRT2 * big_r
    ws = _SQRT2 * s
    if wr >= 2.0:
        # (s^2 - R^2) - sqrt(2/pi)(s - R) + (erfcx(wr) - erfcx(ws))/2: both parts >= 0
        return ds * (s + big_r - _SQRT_2_OVER_PI) + 0.5 * (erfcx(wr) - erfcx(ws))
    dw = ws - wr
    if dw <= 1.0:
        acc = 0.0
        for i in range(8):
            w = wr + dw * GL8_NODES[i]
            acc += GL8_WEIGHTS[i] * w * one_minus_erfcx(w)
        return acc * dw
    return _k_int(ws) - _k_int(wr)


# ----------------------------------------------------------------------------------------------
# quadrature engine
# ----------------------------------------------------------------------------------------------

_KIND_REAL = 0  # sqrt(2/pi) psi_{m,1}(s) (s - R) + psi_{n/2,1/2}(s) P((n-1)/2, s^2/2)
_KIND_PLANE = 1  # psi_{m,1}(s) J(R, s)
_KIND_COMPLEX = 2  # psi_{n,1}(s) (s^2 - R^2)


@jit
def _log_psi_base(nu: float, beta: float, s0: float) -> float:
    """log psi_{nu,beta}(s0), psi the density of sqrt(T/beta), T ~ Gamma(nu)."""
    h, lo = two_prod(s0, s0)
    return math.log(2.0 * nu / s0) + _lgp_dd(nu, beta * h, beta * lo)


@jit
def _slope0(nu: float, beta: float, s0: float) -> float:
    """d/ds log psi at s0: ((2 nu - 1) - 2 beta s0^2)/s0, with s0^2 exact."""
    h, lo = two_prod(s0, s0)
    return (((2.0 * nu - 1.0) - 2.0 * beta * h) - 2.0 * beta * lo) / s0


@jit
def _dlog_psi(c: float, g0: float, beta: float, s0: float, d: float) -> float:
    """log psi(s0 + d) - log psi(s0) = c log1pmx(d/s0) + g0 d - beta d^2, c = 2 nu - 1."""
    return c * log1pmx(d / s0) + g0 * d - beta * d * d


@jit
def _find_offset(c: float, g0: float, beta: float, s0: float, target: float, sign: float) -> float:
    """Offset d (sign * d >= 0) where the log-weight has dropped by target below its value at s0.

    Newton's method on the convex drop D(d) = -(c log1pmx(d/s0) + g0 d - beta d^2), started
    from the root of a quadratic bound; breakpoints need not be exact.
    """
    # quadratic model: D ~ -g0 d + (beta + c/(2 s0^2)) d^2
    q = beta + 0.5 * c / (s0 * s0)
    lin = -g0 * sign  # >= 0 up to rounding
    if lin < 0.0:
        lin = 0.0
    u = (2.0 * target) / (lin + math.sqrt(lin * lin + 4.0 * q * target))
    if sign < 0.0 and u > 0.999999 * s0:
        u = 0.999999 * s0
    for _ in range(6):
        d = sign * u
        drop = -_dlog_psi(c, g0, beta, s0, d)
        # derivative of the drop in u
        dd = sign * (-(c * (1.0 / (s0 + d) - 1.0 / s0)) - g0 + 2.0 * beta * d)
        if not (dd > 0.0) or drop != drop:
            break
        step = (drop - target) / dd
        un = u - step
        if sign < 0.0 and un >= s0:
            un = 0.5 * (u + s0)
        if un <= 0.0:
            un = 0.5 * u
        if abs(un - u) <= 1e-6 * u:
            u = un
            break
        u = un
    return sign * u


@jit
def _nodes(
    c: float,
    g0: float,
    beta: float,
    s0: float,
    big_r: float,
    npanels: int,
    d_out: np.ndarray,
    ds_out: np.ndarray,
    w_out: np.ndarray,
) -> int:
    """Fill the quadrature nodes over [R, inf) in increasing order; return their number.

    d_out: offsets from the anchor s0, ds_out: distances s - R (exact on the panel touching R),
    w_out: Gauss-Legendre weights times the panel width. Panel ends are where the window
    weight has dropped by k^2/2 below its value at s0, k = 1..npanels, on each side.
    """
    cnt = 0
    # left side (only when the anchor is the interior mode): panel ends, from s0 downwards
    if s0 > big_r:
        ends = np.empty(npanels + 1)
        ends[0] = 0.0
        limit = big_r - s0  # < 0
        npl = 0
        for k in range(1, npanels + 1):
            e = _find_offset(c, g0, beta, s0, 0.5 * (k * _DROP_STEP) ** 2, -1.0)
            if e <= limit:
                e = limit
            if not (e < ends[npl]):
                break
            npl += 1
            ends[npl] = e
            if e == limit:
                break
        for j in range(npl, 0, -1):
            d_lo = ends[j]
            width = ends[j - 1] - d_lo
            touches = d_lo == limit
            for i in range(_GL_N):
                t = width * GL_NODES[i]
                d_out[cnt] = d_lo + t
                ds_out[cnt] = t if touches else (s0 - big_r) + d_lo + t
                w_out[cnt] = GL_WEIGHTS[i] * width
                cnt += 1
    # right side, from s0 upwards
    d_lo = 0.0
    for k in range(1, npanels + 1):
        d_hi = _find_offset(c, g0, beta, s0, 0.5 * (k * _DROP_STEP) ** 2, 1.0)
        if not (d_hi > d_lo):
            continue
        width = d_hi - d_lo
        for i in range(_GL_N):
            d = d_lo + width * GL_NODES[i]
            d_out[cnt] = d
            ds_out[cnt] = (s0 - big_r) + d
            w_out[cnt] = GL_WEIGHTS[i] * width
            cnt += 1
        d_lo = d_hi
    return cnt


@jit
def _integrate(
    kind: int, n: int, big_r: float, nu: float, beta: float, mode: float
) -> tuple[float, float]:
    """(log base, sum): the integral over [R, inf) is exp(log base) * sum.

    The panels are set by the weight psi_{nu,beta} (for the real line the chi_n weight, which
    decays more slowly than the first term's).
    """
    s0 = big_r if big_r > mode else mode
    c = 2.0 * nu - 1.0
    g0 = _slope0(nu, beta, s0)
    base = _log_psi_base(nu, beta, s0)
    size = 2 * _PANELS * _GL_N
    d_arr = np.empty(size)
    ds_arr = np.empty(size)
    w_arr = np.empty(size)
    cnt = _nodes(c, g0, beta, s0, big_r, _PANELS, d_arr, ds_arr, w_arr)
    total = 0.0
    if kind == _KIND_PLANE:
        for i in range(cnt):
            d = d_arr[i]
            total += w_arr[i] * math.exp(_dlog_psi(c, g0, beta, s0, d)) * _plane_j(big_r, ds_arr[i])
        return base, total
    if kind == _KIND_COMPLEX:
        for i in range(cnt):
            d = d_arr[i]
            ds = ds_arr[i]
            total += w_arr[i] * math.exp(_dlog_psi(c, g0, beta, s0, d)) * ds * (2.0 * big_r + ds)
        return base, total
    # real line: sqrt(2/pi) psi_{m,1}(s) (s - R) + psi_{n/2,1/2}(s) P(a, s^2/2), a = (n-1)/2.
    # P(a, s^2/2) = Pr(chi_{n-1} <= s) is accumulated from node to node by 5-point
    # Gauss-Legendre integrals of the chi_{n-1} density (one incomplete gamma per call).
    m = n - 1.0
    a = 0.5 * m
    c1 = 2.0 * m - 1.0
    g1 = _slope0(m, 1.0, s0)
    base1 = _log_psi_base(m, 1.0, s0)
    c3 = 2.0 * a - 1.0
    g3 = _slope0(a, 0.5, s0)
    base3 = _log_psi_base(a, 0.5, s0)
    base2 = base
    base = max(base1, base2)
    f1 = _SQRT_2_OVER_PI * math.exp(base1 - base)
    f2 = math.exp(base2 - base)
    s_first = s0 + d_arr[0]
    lp_first, lq_first = log_gammainc_pq(a, 0.5 * s_first * s_first)
    p = math.exp(lp_first)
    # beyond the edge P is 1 to within Q(a, s^2/2) < e^-40 at every node: no increments needed
    accumulate = lq_first > -40.0
    d_prev = d_arr[0]
    inv_s0 = 1.0 / s0
    for i in range(cnt):
        d = d_arr[i]
        if accumulate and i > 0:
            h = d - d_prev
            inc = 0.0
            for j in range(5):
                inc += GL5_WEIGHTS[j] * math.exp(
                    base3 + _dlog_psi(c3, g3, 0.5, s0, d_prev + h * GL5_NODES[j])
                )
            p += inc * h
            if p > 1.0:
                p = 1.0
            d_prev = d
        lv = log1pmx(d * inv_s0)  # shared by both weights
        v = f1 * math.exp(c1 * lv + g1 * d - d * d) * ds_arr[i]
        v += f2 * math.exp(c * lv + g0 * d - beta * d * d) * p
        total += w_arr[i] * v
    return base, total


@jit
def _mode(nu: float, beta: float) -> float:
    """Mode of psi_{nu,beta}: sqrt((2 nu - 1)/(2 beta))."""
    return math.sqrt((2.0 * nu - 1.0) / (2.0 * beta))


@jit
def _radius_dd(r: float, n: int, glorot: bool) -> tuple[float, float, float]:
    """(R, Xh, Xl): the Ginibre-scale radius as a double R and its exact square Xh + Xl."""
    if glorot:
        xh, xl = square_dd(r, float(n))
        big_r = math.sqrt(xh)
    else:
        xh, xl = square_dd(r, 1.0)
        big_r = abs(r)
    return big_r, xh, xl


@jit
def _radius_correction(big_r: float, xh: float, xl: float) -> float:
    """sqrt(Xh + Xl) - R to first order (0 when R was exact)."""
    if big_r == 0.0 or big_r == _INF:
        return 0.0
    p, e = two_prod(big_r, big_r)
    return (((xh - p) - e) + xl) / (2.0 * big_r)


@jit
def log_expected_real_outside_kernel(r: float, n: int, glorot: bool) -> float:
    """log E #{real eigenvalues with |x| > r} of real Ginibre (glorot: of G/sqrt(n))."""
    if r != r:
        return _NAN
    if r < 0.0:
        r = 0.0
    big_r, xh, xl = _radius_dd(r, n, glorot)
    if big_r == _INF or xh == _INF:
        return -_INF
    if n == 1:
        # Pr(|N(0,1)| > R) = Q(1/2, R^2/2)
        return _log_pq_dd(0.5, 0.5 * xh, 0.5 * xl)[1]
    nu = 0.5 * n
    base, total = _integrate(_KIND_REAL, n, big_r, nu, 0.5, _mode(nu, 0.5))
    if not (total > 0.0):
        return -_INF
    out = base + math.log(total)
    dr = _radius_correction(big_r, xh, xl)
    if dr != 0.0:
        # d E / dR = -2 rho_n(R)
        p, e = two_prod(big_r, big_r)
        lrho = log_eks_density_sq(n, p, e)
        out -= 2.0 * dr * math.exp(lrho - out)
    return out


# Largest number of terms of the backward sum of the complex-field count before the
# quadrature is used instead (near the edge at n ~ 10^6 the sum needs ~10 sqrt(n) terms).
_COUNT_SUM_MAX_TERMS = 1500


@jit
def _log_complex_count_backward(n: int, xh: float, xl: float) -> float:
    """log E #{|z|^2 > X} for complex Ginibre at X = xh + xl > n, or NaN where the sum is long.

    E = e^-X sum_{i<n} (n - i) X^i/i! (= int_X^inf Q(n, t) dt, positive terms); from the largest
    term down, E = w sum_{j<n} (j + 1) r_j with w = X^(n-1) e^-X/(n-1)! and r_j = prod_{i=1..j}
    (n - i)/X < 1, decreasing. The terms fall like exp(-j t - j^2/(2n)), t = log(X/n), so about
    j* = n (sqrt(t^2 + 90/n) - t) of them are needed (to e^-45); above _COUNT_SUM_MAX_TERMS
    the caller integrates instead. d log E/dX = -Q(n, X)/E = -sum r_j / sum (j + 1) r_j gives
    the correction in xl.
    """
    nf = float(n)
    t = math.log(xh / nf)
    need = nf * (math.sqrt(t * t + 90.0 / nf) - t)
    if need > _COUNT_SUM_MAX_TERMS:
        return _NAN
    inv_x = 1.0 / xh
    r = 1.0
    s_q = 0.0
    s_c = 0.0
    j = 0
    while j < n:
        s_q += r
        s_c += (j + 1.0) * r
        if (j + 1.0) * r < 1e-17 * s_c:
            break
        j += 1
        r *= (nf - j) * inv_x
    lw = _lgp_dd(nf - 1.0, xh, 0.0) if n > 1 else -xh
    return lw + math.log(s_c) - xl * (s_q / s_c)


@jit
def log_expected_nonreal_outside_kernel(r: float, n: int, real_field: bool, glorot: bool) -> float:
    """log E #{non-real eigenvalues with |z| > r}, both members of a conjugate pair counted."""
    if r != r:
        return _NAN
    if r < 0.0:
        r = 0.0
    if real_field and n == 1:
        return -_INF
    big_r, xh, xl = _radius_dd(r, n, glorot)
    if big_r == _INF or xh == _INF:
        return -_INF
    if not real_field and xh <= n:
        # inside the disc the closed form n Q(n+1, X) - X Q(n, X) = (n - X) Q(n, X) +
        # X^n e^-X/(n-1)! is a sum of two non-negative terms (no cancellation)
        lq = _log_pq_dd(float(n), xh, xl)[1]
        lpmf = _lgp_dd(float(n), xh, xl) + math.log(n)
        dx = (n - xh) - xl
        if dx <= 0.0:
            return lpmf
        return logaddexp(math.log(dx) + lq, lpmf)
    if not real_field:
        lc = _log_complex_count_backward(n, xh, xl)
        if lc == lc:
            return lc
    if real_field:
        nu = n - 1.0
        kind = _KIND_PLANE
    else:
        nu = float(n)
        kind = _KIND_COMPLEX
    base, total = _integrate(kind, n, big_r, nu, 1.0, _mode(nu, 1.0))
    if not (total > 0.0):
        return -_INF
    out = base + math.log(total)
    dr = _radius_correction(big_r, xh, xl)
    if dr != 0.0:
        p, e = two_prod(big_r, big_r)
        lq = _log_pq_dd(nu, p, e)[1]
        if real_field:
            ld = math.log(2.0 * big_r * one_minus_erfcx(_SQRT2 * big_r)) + lq
        else:
            ld = math.log(2.0 * big_r) + lq
        out -= dr * math.exp(ld - out)
    return out


# ----------------------------------------------------------------------------------------------
# value-space plane intensities
# ----------------------------------------------------------------------------------------------

# Q below this is not returned by the value path (the caller falls back to exp of the log):
# it keeps every factor a normal float.
_Q_VALUE_MIN = 1e-280
# Forward finite sums of the value path for orders k <= N_FAST_PLANE up to this X (e^-X and
# the sum, <= e^X, stay normal floats); beyond it the backward sum from the largest term.
_X_VALUE_PLANE = 690.0


@jit
def _q_sum_value(k: int, sh: float, sl: float) -> float:
    """Q(k, X) = e^-X sum_{j<k} X^j/j! at X = sh + sl as a number, 1 <= k <= N_FAST and
    0 <= sh <= _X_VALUE_PLANE (so e^-X and the sum are normal floats), first order in sl.

    The terms u_j = X^j/j! by _chain_sums (step X^4, u_(j+4) = u_j X^4/((j+1)...(j+4))); below
    1e-14 relative at k = 256. dQ/dX = -e^-X u_(k-1) gives the correction in sl.
    """
    x2 = sh * sh
    u2 = 0.5 * x2
    total, _, last = _chain_sums(1.0, sh, u2, u2 * sh * _INV[3], x2 * x2, _INV4, k, 0.0)
    return math.exp(-sh) * (total - sl * last)


@jit
def _q_plane_value(
    k: int, sh: float, sl: float, sc_km1: float, e3: float, c: np.ndarray, off: int
) -> float:
    """Q(k, X) as a number at X = sh + sl (k >= 1, 0 <= sh < inf), first order in sl, or -1
    where this path does not apply (the caller then takes exp of the log path).

    k <= N_FAST_PLANE: the forward finite sum (_q_sum_value) up to X = _X_VALUE_PLANE, the
    backward one beyond. k > N_FAST_PLANE: Temme's expansion (value form; above X = k only while
    h < 600) for X/k - 1
    in [_T_LO, _TAIL_RATIO - 1), the backward finite sum beyond. The backward sum is
    exp(lgp(k - 1, X)) _q_tail_sum(k, X) (dQ/dX = -exp(lgp(k - 1, X))). e3 = exp(c[off + 3]),
    so that the Poisson weight X^(k-1) e^-X/(k-1)! = e^-h e3/X on the Temme path.
    """
    kf = float(k)
    if k <= N_FAST_PLANE:
        if sh <= _X_VALUE_PLANE:
            return _q_sum_value(k, sh, sl)
    if sh >= _TAIL_RATIO * kf:
        lf = _lgp_c(kf - 1.0, sh, sc_km1) if k > 1 else -sh
        if lf < -640.0:
            return -1.0
        st = _q_tail_sum(kf, sh)
        return math.exp(lf) * (st - sl)
    if sh >= (1.0 + _T_LO) * kf:
        h, v, r = _temme_terms(kf, sh, c, off)
        if v > 0.0 and h >= 600.0:
            return -1.0  # Q < e^-600: the log path keeps the digits
        eh = math.exp(-h)
        q = 0.5 * math.erfc(v) + eh * r
        if sl != 0.0:
            q -= sl * eh * e3 / sh
        return q
    return -1.0


@jit
def _plane_value_c(
    x: float, y: float, n: int, c: np.ndarray, real_field: bool, glorot: bool
) -> float:
    """The plane intensity of _log_complex_c as a number (no log/exp round trip), or -1 where
    the value path does not apply (then exp of _log_complex_c is used).

    Below X_lo(k) (P(k, X) < e^-44, see _x_lo) Q(k, X) = 1 to 1e-19, and X is not needed to
    double-double precision there (nor is it exact at the threshold: P is continuous).
    """
    scale = float(n) if glorot else 1.0
    if real_field and (n == 1 or y == 0.0):
        return 0.0
    big_x = scale * (x * x + y * y)
    if big_x == _INF:
        return 0.0
    if real_field:
        if big_x < c[12]:
            q = 1.0
        else:
            sh, sl = sum_squares_dd(x, y, scale)
            q = _q_plane_value(n - 1, sh, sl, c[2], c[15], c, _NCONST)
            if q < _Q_VALUE_MIN:
                return -1.0
        ay = abs(y) * c[14] if glorot else abs(y)
        return scale * _SQRT_2_OVER_PI * ay * erfcx(_SQRT2 * ay) * q
    if big_x < c[13]:
        return scale * _INV_PI
    sh, sl = sum_squares_dd(x, y, scale)
    q = _q_plane_value(n, sh, sl, c[7], c[16], c, _NCONST + _TROW)
    if q < _Q_VALUE_MIN:
        return -1.0
    return scale * q * _INV_PI


# ----------------------------------------------------------------------------------------------
# vectorized loops (flattened, broadcast arrays)
# ----------------------------------------------------------------------------------------------


@jit
def vec_real_density(x: np.ndarray, n: np.ndarray, glorot: bool, out: np.ndarray) -> None:
    """The real-line intensities themselves: for 2 <= n <= N_FAST and X = scale x^2 <= _X_VALUE
    the value-space sums of _eks_value_small (no log/exp round trip); elsewhere exp of the log
    kernel, except where a bound proves that the intensity underflows (then 0 at once).

    The bound (n >= 2, Ginibre scale, m = n - 1, a = m/2, u = X/2): the first EKS term is
    Q(m, X)/sqrt(2 pi) <= e^(m - X) (X/m)^m / sqrt(2 pi) for X > m (Chernoff), the second is
    u^a e^-u P(a, u)/(Gamma(a + 1/2) sqrt 2) <= exp(a log u - u - c[8]). When log 2 + the larger
    log bound + log(Glorot factor) < -747, the float64 intensity is 0 (below e^-746).
    """
    c = np.empty(_NCONST_ALL)
    last = -1
    scale = 1.0
    shift = 0.0
    log_m = 0.0
    for i in range(x.shape[0]):
        if n[i] != last:
            last = n[i]
            _fill_consts(last, c)
            scale = float(last) if glorot else 1.0
            shift = _LN2 + (c[6] if glorot else 0.0) + 747.0
            log_m = math.log(c[0]) if last >= 2 else 0.0
        xi = x[i]
        if xi != xi:
            out[i] = _NAN
            continue
        if last >= 2:
            big_x = scale * (xi * xi)
            if big_x <= _X_VALUE and last <= N_FAST:
                xh = square_dd(xi, scale)[0]
                if xh <= _X_VALUE:
                    v = _eks_value_small(last, c, xh)
                    out[i] = v * c[14] if glorot else v
                    continue
            m = c[0]
            if big_x > m + 747.0:
                # both bounds are below -747 - shift + 747 only this far out (X - m > 747)
                lu = math.log(0.5 * big_x)
                lb1 = m - big_x + m * (lu + _LN2 - log_m) - _HALF_LOG_2PI
                lb2 = c[1] * lu - 0.5 * big_x - c[8]
                if (lb1 if lb1 > lb2 else lb2) + shift < 0.0:
                    out[i] = 0.0
                    continue
        out[i] = math.exp(_log_real_c(xi, last, c, glorot))


@jit
def vec_log_real_density(x: np.ndarray, n: np.ndarray, glorot: bool, out: np.ndarray) -> None:
    c = np.empty(_NCONST_ALL)
    last = -1
    for i in range(x.shape[0]):
        if n[i] != last:
            last = n[i]
            _fill_consts(last, c)
        out[i] = _log_real_c(x[i], last, c, glorot)


@jit
def vec_log_complex_density(
    x: np.ndarray, y: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, out: np.ndarray
) -> None:
    c = np.empty(_NCONST_ALL)
    last = -1
    for i in range(x.shape[0]):
        if n[i] != last:
            last = n[i]
            _fill_consts(last, c)
        out[i] = _log_complex_c(x[i], y[i], last, c, real_field, glorot)


@jit
def vec_complex_density(
    z: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, out: np.ndarray
) -> None:
    """The intensities themselves (not their logs), with a rigorous underflow early-out.

    Both intensities are at most scale * Q(k, X) / pi (X = scale |z|^2, k = n - 1 for the real
    field, where y erfcx(sqrt 2 y) <= 1/sqrt(2 pi), and k = n for the complex field), and for
    X > k the Chernoff bound Q(k, X) <= P(Poisson(X) <= k) <= e^{k - X} (X/k)^k holds. Where that
    bound is below e^-746 the intensity underflows to 0 in float64 anyway, so 0 is returned
    without evaluating the incomplete gamma function. Elsewhere the value-space kernel
    (_plane_value_c), or exp of the log kernel where that does not apply.
    """
    c = np.empty(_NCONST_ALL)
    last = -1
    scale = 1.0
    k = 0.0
    shift = 0.0
    x_chernoff = _INF
    for i in range(z.shape[0]):
        xi = z[i].real
        yi = z[i].imag
        if n[i] != last:
            last = n[i]
            _fill_consts(last, c)
            scale = float(last) if glorot else 1.0
            k = float(last - 1) if real_field else float(last)
            shift = math.log(scale) - _LOG_PI
            # the bound below is >= k - X + shift for X > k: no need to evaluate it before this X
            x_chernoff = k + 746.0 + shift if k >= 1.0 else _INF
        big_x = scale * (xi * xi + yi * yi)
        if big_x > x_chernoff:
            bound = k - big_x + k * math.log(big_x / k) + shift
            if bound < -746.0:
                out[i] = 0.0
                continue
        if xi != xi or yi != yi:
            out[i] = _NAN
            continue
        v = _plane_value_c(xi, yi, last, c, real_field, glorot)
        if v < 0.0:
            v = math.exp(_log_complex_c(xi, yi, last, c, real_field, glorot))
        out[i] = v


@jit
def vec_log_expected_real_outside(
    r: np.ndarray, n: np.ndarray, glorot: bool, out: np.ndarray
) -> None:
    for i in range(r.shape[0]):
        out[i] = log_expected_real_outside_kernel(r[i], n[i], glorot)


@jit
def _log_complex_count_inside(n: int, xh: float, xl: float, c: np.ndarray) -> float:
    """log E #{|z|^2 > X} for complex Ginibre at 0 <= X = xh + xl <= n in value space, per-n
    constants c (_fill_consts(n)), or NaN where the caller's log-space closed form is used.

    E = (n - X) Q(n, X) + X^n e^-X/(n-1)!, two non-negative terms, and dE/dX = -Q(n, X):
    below X_lo(n) (c[13]) Q = 1 to 1e-19 and E = n - X; for n <= N_FAST the positive sum
    e^-X sum_{j<n} (n - j) X^j/j! in four product chains; for n > N_FAST_PLANE Temme's
    expansion as a number (X/n - 1 in [_T_LO, 0], so erfc(u) >= 1 and nothing cancels), with
    X^n e^-X/(n-1)! = e^-h c[16].
    """
    if xh < c[13]:
        return math.log((n - xh) - xl)
    if n <= N_FAST and xh <= _X_VALUE_PLANE:
        x2 = xh * xh
        u2 = 0.5 * x2
        sq, sc, _ = _chain_sums(1.0, xh, u2, u2 * xh * _INV[3], x2 * x2, _INV4, n, float(n))
        return -xh + math.log(sc) - xl * (sq / sc)
    if n > N_FAST_PLANE and xh >= (1.0 + _T_LO) * n:
        h, v, r = _temme_terms(float(n), xh, c, _NCONST + _TROW)
        eh = math.exp(-h)
        q = 0.5 * math.erfc(v) + eh * r
        return math.log(((n - xh) - xl) * q + eh * c[16])
    return _NAN


@jit
def _nonreal_outside_loop(
    r: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, out: np.ndarray, value: bool
) -> None:
    """log E #{non-real |z| > r} (value=False) or E itself (value=True).

    Complex field, X = scale r^2 <= n: _log_complex_count_inside. Complex field, value=True,
    X > n: E = int_X^inf Q(n, t) dt <= B(X)/(1 - n/X) with the Chernoff bound
    B(t) = e^(n - t) (t/n)^n >= Q(n, t) (log-slope <= -(1 - n/X) on [X, inf)); where that is
    below e^-746 the float64 count is 0 and is returned without the kernel.
    """
    c = np.empty(_NCONST_ALL)
    last = -1
    for i in range(r.shape[0]):
        if not real_field and r[i] == r[i]:
            if n[i] != last:
                last = n[i]
                _fill_consts(last, c)
            ri = r[i] if r[i] > 0.0 else 0.0  # r <= 0: the whole plane
            scale = float(last) if glorot else 1.0
            big_x = scale * (ri * ri)
            nf = float(last)
            if value and big_x > nf + 746.0:
                lb = nf - big_x + nf * math.log(big_x / nf) - math.log1p(-nf / big_x)
                if lb < -746.0:
                    out[i] = 0.0
                    continue
            xh, xl = square_dd(ri, scale)
            if xh <= last:
                v = _log_complex_count_inside(last, xh, xl, c)
                if v == v:
                    out[i] = math.exp(v) if value else v
                    continue
        v = log_expected_nonreal_outside_kernel(r[i], n[i], real_field, glorot)
        out[i] = math.exp(v) if value else v


@jit
def vec_log_expected_nonreal_outside(
    r: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, out: np.ndarray
) -> None:
    _nonreal_outside_loop(r, n, real_field, glorot, out, False)


@jit
def vec_expected_nonreal_outside(
    r: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, out: np.ndarray
) -> None:
    _nonreal_outside_loop(r, n, real_field, glorot, out, True)
