"""Private numba kernels for the Ginibre eigenvalue densities and the expected counts outside a radius.

Public wrappers live in :mod:`rmtedge.densities`; everything here works in the Ginibre scale
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
double-double ``xh + xl`` (Dekker's exact product) and each incomplete-gamma factor is
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

from ._numba import jit
from ._special import (
    erfcx,
    log1pmx,
    log_gamma_prefactor,
    log_gammainc_pq,
    logaddexp,
    stirling_corr,
)

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
_HALF_LOG_2PI = 0.9189385332046727417803297
_HALF_LOG_2_OVER_PI = -0.2257913526447274323630977  # log(sqrt(2/pi))
_SQRT2 = 1.4142135623730950488016887
_SQRT_2_OVER_PI = 0.7978845608028653558798921
_INV_SQRT_PI = 0.5641895835477562869480795
_SPLITTER = 134217729.0  # 2^27 + 1 (Veltkamp)
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

# Series of 1 - erfcx(w) = -sum_{j>=1} (-w)^j / Gamma(j/2 + 1) and of
# K(w) = int_0^w v (1 - erfcx(v)) dv = -sum_{j>=1} (-1)^j w^(j+2) / ((j+2) Gamma(j/2+1)).
_NSER = 60
_L_COEF = np.array([-((-1.0) ** j) / math.gamma(0.5 * j + 1.0) for j in range(1, _NSER + 1)])
_K_COEF = np.array(
    [-((-1.0) ** j) / ((j + 2.0) * math.gamma(0.5 * j + 1.0)) for j in range(1, _NSER + 1)]
)


# ----------------------------------------------------------------------------------------------
# double-double helpers and derivative-corrected incomplete gamma factors
# ----------------------------------------------------------------------------------------------


@jit
def _two_prod(a: float, b: float) -> tuple[float, float]:
    """(p, e) with p = fl(a b) and p + e = a b exactly (Dekker, Veltkamp split)."""
    p = a * b
    c = _SPLITTER * a
    ah = c - (c - a)
    al = a - ah
    c = _SPLITTER * b
    bh = c - (c - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


@jit
def _two_sum(a: float, b: float) -> tuple[float, float]:
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


@jit
def square_dd(x: float, scale: float) -> tuple[float, float]:
    """scale * x^2 as a double-double (hi, lo); scale is n (Glorot) or 1 (Ginibre)."""
    ax = abs(x)
    if ax > _DD_MAX or ax == _INF:
        return scale * ax * ax, 0.0
    h, lo = _two_prod(ax, ax)
    if scale != 1.0:
        h2, l2 = _two_prod(scale, h)
        lo = l2 + scale * lo
        h = h2
    return _two_sum(h, lo)


@jit
def sum_squares_dd(x: float, y: float, scale: float) -> tuple[float, float]:
    """scale * (x^2 + y^2) as a double-double."""
    hx, lx = square_dd(x, 1.0)
    hy, ly = square_dd(y, 1.0)
    if hx == _INF or hy == _INF:
        return _INF, 0.0
    s, e = _two_sum(hx, hy)
    e += lx + ly
    s, e = _two_sum(s, e)
    if scale != 1.0 and s != _INF:
        h2, l2 = _two_prod(scale, s)
        return _two_sum(h2, l2 + scale * e)
    return s, e


@jit
def _log_pq_dd(a: float, xh: float, xl: float) -> tuple[float, float]:
    """(log P(a, X), log Q(a, X)) at X = xh + xl, corrected to first order in xl.

    d P/dX = X^(a-1) e^-X / Gamma(a) = exp(lgp(a, X)) a / X.
    """
    lp, lq = log_gammainc_pq(a, xh)
    if xl != 0.0 and xh > 0.0 and xh != _INF:
        ld = log_gamma_prefactor(a, xh) + math.log(a / xh)
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
        v += xl * (a / xh - 1.0)
    return v


@jit
def log_gamma_ratio_half(a: float) -> float:
    """log(Gamma(a + 1) / Gamma(a + 1/2)) for a >= 1/2, from Stirling's formula:

    (a + 1/2) log(a + 1) - a log(a + 1/2) - 1/2 + sc(a + 1) - sc(a + 1/2)
    = a log1p(1/(2a + 1)) + log(a + 1)/2 - 1/2 + sc(a + 1) - sc(a + 1/2),
    sc = stirling_corr; no large terms cancel (the naive lgamma difference loses
    log10(a) digits at a ~ 10^6).
    """
    return (
        a * math.log1p(1.0 / (2.0 * a + 1.0))
        + 0.5 * math.log(a + 1.0)
        - 0.5
        + stirling_corr(a + 1.0)
        - stirling_corr(a + 0.5)
    )


# ----------------------------------------------------------------------------------------------
# densities (Ginibre scale, argument X = x^2 or |z|^2 as a double-double)
# ----------------------------------------------------------------------------------------------


@jit
def log_eks_density_sq(n: int, xh: float, xl: float) -> float:
    """log of the Edelman-Kostlan-Shub intensity at x with x^2 = xh + xl (Ginibre scale)."""
    if xh != xh:
        return _NAN
    if n == 1:
        return -0.5 * (xh + xl) - _HALF_LOG_2PI
    m = n - 1.0
    l1 = _log_pq_dd(m, xh, xl)[1] - _HALF_LOG_2PI
    if xh == 0.0:
        return l1
    a = 0.5 * m
    uh = 0.5 * xh
    ul = 0.5 * xl
    lp = _log_pq_dd(a, uh, ul)[0]
    l2 = _lgp_dd(a, uh, ul) + log_gamma_ratio_half(a) - 0.5 * _LN2 + lp
    return logaddexp(l1, l2)


@jit
def log_real_density_kernel(x: float, n: int, glorot: bool) -> float:
    """log rho_n(x): intensity of real eigenvalues of real Ginibre (glorot: of G/sqrt(n))."""
    if x != x:
        return _NAN
    if glorot:
        xh, xl = square_dd(x, float(n))
        return log_eks_density_sq(n, xh, xl) + 0.5 * math.log(n)
    xh, xl = square_dd(x, 1.0)
    return log_eks_density_sq(n, xh, xl)


@jit
def log_complex_density_kernel(x: float, y: float, n: int, real_field: bool, glorot: bool) -> float:
    """log of the intensity at z = x + iy of the non-real eigenvalues of real Ginibre
    (real_field) or of the eigenvalues of complex Ginibre; glorot: of G/sqrt(n)."""
    if x != x or y != y:
        return _NAN
    scale = float(n) if glorot else 1.0
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
            + _log_pq_dd(n - 1.0, sh, sl)[1]
        )
    else:
        v = _log_pq_dd(float(n), sh, sl)[1] - _LOG_PI
    if glorot:
        v += math.log(n)
    return v


# ----------------------------------------------------------------------------------------------
# 1 - erfcx and its integral
# ----------------------------------------------------------------------------------------------


@jit
def _one_minus_erfcx(w: float) -> float:
    """L(w) = 1 - erfcx(w), w >= 0, full relative accuracy (series below 0.5)."""
    if w < 0.5:
        s = 0.0
        p = 1.0
        for j in range(_NSER):
            p *= w
            t = _L_COEF[j] * p
            s += t
            if abs(t) < 1e-17 * abs(s):
                break
        return s
    return 1.0 - erfcx(w)


@jit
def _k_int(w: float) -> float:
    """K(w) = int_0^w v L(v) dv = w^2/2 - w/sqrt(pi) + L(w)/2 (series below 1.5)."""
    if w < 1.5:
        s = 0.0
        p = w * w
        for j in range(_NSER):
            p *= w
            t = _K_COEF[j] * p
            s += t
            if abs(t) < 1e-17 * abs(s):
                break
        return s
    return 0.5 * w * w - w * _INV_SQRT_PI + 0.5 * _one_minus_erfcx(w)


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
            acc += GL8_WEIGHTS[i] * w * _one_minus_erfcx(w)
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
    h, lo = _two_prod(s0, s0)
    return math.log(2.0 * nu / s0) + _lgp_dd(nu, beta * h, beta * lo)


@jit
def _slope0(nu: float, beta: float, s0: float) -> float:
    """d/ds log psi at s0: ((2 nu - 1) - 2 beta s0^2)/s0, with s0^2 exact."""
    h, lo = _two_prod(s0, s0)
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
    p = math.exp(log_gammainc_pq(a, 0.5 * s_first * s_first)[0])
    d_prev = d_arr[0]
    for i in range(cnt):
        d = d_arr[i]
        if i > 0:
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
        v = f1 * math.exp(_dlog_psi(c1, g1, 1.0, s0, d)) * ds_arr[i]
        v += f2 * math.exp(_dlog_psi(c, g0, beta, s0, d)) * p
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
    p, e = _two_prod(big_r, big_r)
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
        p, e = _two_prod(big_r, big_r)
        lrho = log_eks_density_sq(n, p, e)
        out -= 2.0 * dr * math.exp(lrho - out)
    return out


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
        p, e = _two_prod(big_r, big_r)
        lq = _log_pq_dd(nu, p, e)[1]
        if real_field:
            ld = math.log(2.0 * big_r * _one_minus_erfcx(_SQRT2 * big_r)) + lq
        else:
            ld = math.log(2.0 * big_r) + lq
        out -= dr * math.exp(ld - out)
    return out


# ----------------------------------------------------------------------------------------------
# vectorized loops (flattened, broadcast arrays)
# ----------------------------------------------------------------------------------------------


@jit
def vec_log_real_density(x: np.ndarray, n: np.ndarray, glorot: bool, out: np.ndarray) -> None:
    for i in range(x.shape[0]):
        out[i] = log_real_density_kernel(x[i], n[i], glorot)


@jit
def vec_log_complex_density(
    x: np.ndarray, y: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, out: np.ndarray
) -> None:
    for i in range(x.shape[0]):
        out[i] = log_complex_density_kernel(x[i], y[i], n[i], real_field, glorot)


@jit
def vec_log_expected_real_outside(
    r: np.ndarray, n: np.ndarray, glorot: bool, out: np.ndarray
) -> None:
    for i in range(r.shape[0]):
        out[i] = log_expected_real_outside_kernel(r[i], n[i], glorot)


@jit
def vec_log_expected_nonreal_outside(
    r: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, out: np.ndarray
) -> None:
    for i in range(r.shape[0]):
        out[i] = log_expected_nonreal_outside_kernel(r[i], n[i], real_field, glorot)
