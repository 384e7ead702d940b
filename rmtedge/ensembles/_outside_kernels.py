"""Private numba kernels for the expected numbers of eigenvalues outside a radius R.

Public wrappers: :func:`rmtedge.ensembles.densities.expected_real_outside`,
:func:`~rmtedge.ensembles.densities.expected_nonreal_outside` and their logs. Ginibre scale,
``m = n - 1``, results as logarithms (finite however small the count is).

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
the exponent.

Far beyond the edge the real count is ``Q(n/2, R^2/2)`` up to terms below ``e^-40`` of it
(``log_expected_real_outside_kernel``), and the complex-field count a short finite sum
(``_log_complex_count_backward``). Where R is rounded (Glorot scale: ``R^2 = n r^2`` is a
double-double), the count is corrected to first order with its exact derivative, the
logarithmic derivative capped by its rigorous bound so that rounding of very large logs
(``|log| > 1e15``) cannot inflate the correction.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import HALF_LOG_2PI, INF, INV_SQRT_PI, NAN, SQRT2, SQRT_2_OVER_PI
from .._core.doubledouble import two_prod
from .._core.elementary import log1pmx, logaddexp, power_series
from .._core.erf import erfcx, one_minus_erfcx
from .._core.incgamma import (
    log_gamma_prefactor,
    log_gamma_prefactor_dd,
    log_gammainc_pq,
    log_gammainc_pq_dd,
    log_gammainc_q,
)
from .._core.jit import jit
from ._density_common import eks_log_ratio, square_dd

__all__ = [
    "half_circle_rate_array",
    "log_expected_nonreal_outside_complex_kernel",
    "log_expected_nonreal_outside_real_kernel",
    "log_expected_real_outside_kernel",
    "log_outside_counts_real_field_kernel",
    "vec_expected_nonreal_outside",
    "vec_expected_real_outside",
    "vec_outside_counts_real_field",
]

# Gauss-Legendre rules on [0, 1]: 12 points on every panel of the quadrature, 8 for the short
# integrals of 1 - erfcx (_plane_j), 5 for the increments of P(a, s^2/2) (_integrate).
_gl_x, _gl_w = np.polynomial.legendre.leggauss(12)
GL_NODES = 0.5 * (_gl_x + 1.0)
GL_WEIGHTS = 0.5 * _gl_w
_GL_N = GL_NODES.shape[0]
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
# (1 - erfcx itself is rmtedge._core.erf.one_minus_erfcx).
_NSER = 60
_K_COEF = np.array(
    [-((-1.0) ** j) / ((j + 2.0) * math.gamma(0.5 * j + 1.0)) for j in range(1, _NSER + 1)]
)


# ----------------------------------------------------------------------------------------------
# 1 - erfcx and its integral
# ----------------------------------------------------------------------------------------------


@jit
def _k_int(w: float) -> float:
    """K(w) = int_0^w v L(v) dv = w^2/2 - w/sqrt(pi) + L(w)/2 (series below 1.5)."""
    if w < 1.5:
        return power_series(_K_COEF, w, w * w)
    return 0.5 * w * w - w * INV_SQRT_PI + 0.5 * one_minus_erfcx(w)


@jit
def _plane_j(big_r: float, ds: float) -> float:
    """J(R, R + ds) = int_R^{R+ds} 2 t (1 - erfcx(sqrt 2 t)) dt, ds >= 0."""
    s = big_r + ds
    wr = SQRT2 * big_r
    ws = SQRT2 * s
    if wr >= 2.0:
        # (s^2 - R^2) - sqrt(2/pi)(s - R) + (erfcx(wr) - erfcx(ws))/2: both parts >= 0
        return ds * (s + big_r - SQRT_2_OVER_PI) + 0.5 * (erfcx(wr) - erfcx(ws))
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


@jit
def _weight_at(nu: float, beta: float, s0: float) -> tuple[float, float]:
    """(g, log psi(s0)) for psi = psi_{nu,beta}, the density of sqrt(T/beta), T ~ Gamma(nu):
    the log-slope g = d/ds log psi at s0 = ((2 nu - 1) - 2 beta s0^2)/s0 and the log-density,
    both with s0^2 exact."""
    h, lo = two_prod(s0, s0)
    g = (((2.0 * nu - 1.0) - 2.0 * beta * h) - 2.0 * beta * lo) / s0
    return g, math.log(2.0 * nu / s0) + log_gamma_prefactor_dd(nu, beta * h, beta * lo)


@jit
def _dlog_psi(c: float, g0: float, beta: float, s0: float, d: float) -> float:
    """log psi(s0 + d) - log psi(s0) = c log1pmx(d/s0) + g0 d - beta d^2, c = 2 nu - 1."""
    return c * log1pmx(d / s0) + g0 * d - beta * d * d


@jit
def _panel_end(c: float, g0: float, beta: float, s0: float, limit: float, k: int) -> float:
    """Offset d from the anchor s0 of the |k|-th panel end, where the log-weight has dropped by
    k^2/2 below its value at s0: right of s0 for k > 0, left for k < 0 (clipped to limit =
    R - s0 < 0); 0 for k = 0.

    Newton's method on the convex drop D(d) = -(c log1pmx(d/s0) + g0 d - beta d^2), started
    from the root of a quadratic bound; breakpoints need not be exact.
    """
    if k == 0:
        return 0.0
    sign = 1.0 if k > 0 else -1.0
    t = abs(k) * _DROP_STEP
    target = 0.5 * (t * t)  # not t ** 2: numba compiles an internal power function for it
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
    e = sign * u
    return limit if sign < 0.0 and e <= limit else e


@jit
def _left_panels(c: float, g0: float, beta: float, s0: float, big_r: float) -> int:
    """Number of quadrature panels between R and the anchor s0 (0 unless s0 > R is the interior
    mode): panel ends k = 1, 2, ... until one reaches R or stops decreasing."""
    if not (s0 > big_r):
        return 0
    limit = big_r - s0
    prev = 0.0
    npl = 0
    for k in range(1, _PANELS + 1):
        e = _panel_end(c, g0, beta, s0, limit, -k)
        if not (e < prev):
            break
        npl += 1
        prev = e
        if e == limit:
            break
    return npl


@jit
def _panel(
    c: float, g0: float, beta: float, s0: float, big_r: float, npl: int, p: int, hi: float
) -> tuple[bool, float, float, float, bool, float]:
    """Panel p of the quadrature over [R, inf) in increasing order (see _panels).

    Returns (ok, d_lo, width, shift, right, hi): the panel's lower end as an offset from the
    anchor and its width; on the left of the anchor (p < npl) the nodes' distances s - R are
    shift + t (t the offset within the panel, exact on the panel touching R), on the right
    (s0 - R) + d. ``hi`` is the upper end of the last right panel (0 before the first); a right
    panel whose end does not exceed it is skipped (ok False).
    """
    if p < npl:
        j = npl - p
        limit = big_r - s0
        d_lo = _panel_end(c, g0, beta, s0, limit, -j)
        width = _panel_end(c, g0, beta, s0, limit, 1 - j) - d_lo
        shift = 0.0 if d_lo == limit else (s0 - big_r) + d_lo
        return True, d_lo, width, shift, False, hi
    d_hi = _panel_end(c, g0, beta, s0, big_r - s0, p - npl + 1)
    if not (d_hi > hi):
        return False, hi, 0.0, 0.0, True, hi
    return True, hi, d_hi - hi, 0.0, True, d_hi


@jit
def _panels(nu: float, beta: float, big_r: float) -> tuple[float, float, float, float, int]:
    """(s0, c, g0, log base, npl): the window weight psi_{nu,beta} on [R, inf), anchored at
    s0 = max(R, mode), with c = 2 nu - 1, g0 the log-slope at s0, base = log psi(s0) and npl
    the number of panels left of s0.

    The quadrature has npl + _PANELS panels (``_panel``), 12 Gauss-Legendre nodes each. Panel
    ends are where the weight has dropped by k^2/2 below its value at s0, k = 1.._PANELS, on
    each side (on the left, down to R). The nodes are made panel by panel in the integrating
    loops: node arrays cost an allocation each; without them the Poisson law's cold first call
    took 0.26-0.58 s less (3 interleaved pairs, issue 16).
    """
    mode = _mode(nu, beta)
    s0 = big_r if big_r > mode else mode
    c = 2.0 * nu - 1.0
    g0, base = _weight_at(nu, beta, s0)
    npl = _left_panels(c, g0, beta, s0, big_r)
    return s0, c, g0, base, npl


@jit
def _integrate_real(n: int, big_r: float) -> tuple[float, float]:
    """(log base, sum) with E = exp(log base) * sum for the real count.

    The panels are set by the chi_n weight psi_{n/2,1/2}, which decays more slowly than the
    first term's.
    """
    beta = 0.5
    s0, c, g0, base, npl = _panels(0.5 * n, beta, big_r)
    total = 0.0
    # real line: sqrt(2/pi) psi_{m,1}(s) (s - R) + psi_{n/2,1/2}(s) P(a, s^2/2), a = (n-1)/2.
    # P(a, s^2/2) = Pr(chi_{n-1} <= s) is computed at the first node and accumulated from node
    # to node by 5-point Gauss-Legendre integrals of the chi_{n-1} density.
    m = n - 1.0
    a = 0.5 * m
    c1 = 2.0 * m - 1.0
    g1, base1 = _weight_at(m, 1.0, s0)
    c3 = 2.0 * a - 1.0
    g3, base3 = _weight_at(a, 0.5, s0)
    base2 = base
    base = base2 if base2 > base1 else base1
    f1 = SQRT_2_OVER_PI * math.exp(base1 - base)
    f2 = math.exp(base2 - base)
    p = 0.0
    accumulate = False
    first = True
    d_prev = 0.0
    inv_s0 = 1.0 / s0
    hi = 0.0
    for q in range(npl + _PANELS):
        ok, d_lo, width, shift, right, hi = _panel(c, g0, beta, s0, big_r, npl, q, hi)
        if not ok:
            continue
        for i in range(_GL_N):
            t = width * GL_NODES[i]
            d = d_lo + t
            ds = (s0 - big_r) + d if right else shift + t
            if first:
                first = False
                s_first = s0 + d
                lp_first, lq_first = log_gammainc_pq(a, 0.5 * s_first * s_first)
                p = math.exp(lp_first)
                # beyond the edge P is 1 to within Q(a, s^2/2) < e^-40 at every node: no
                # increments needed
                accumulate = lq_first > -40.0
                d_prev = d
            elif accumulate:
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
            v = f1 * math.exp(c1 * lv + g1 * d - d * d) * ds
            v += f2 * math.exp(c * lv + g0 * d - beta * d * d) * p
            total += (GL_WEIGHTS[i] * width) * v
    return base, total


@jit(inline="always")
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
    if big_r == 0.0 or big_r == INF:
        return 0.0
    p, e = two_prod(big_r, big_r)
    return (((xh - p) - e) + xl) / (2.0 * big_r)


@jit(inline="always")
def _log_real_count_far(n: int, big_r: float, xh: float, xl: float) -> float:
    """log E #{real |x| > R} far beyond the edge, or NaN where the form below is not exact.

    E = A + Pr(chi_n > R) - D with A = sqrt(2/pi) E[(sqrt(T) - R)^+] (T ~ Gamma(m)) and
    0 <= D = Pr(chi_n > R, chi_(n-1) >= chi_n) <= Pr(chi_n > R) Pr(chi_(n-1) > R). Since
    (sqrt(T) - R)^+ <= T 1{T > X}/(2R), A <= sqrt(2/pi) m Q(m + 1, X)/(2R). Where both
    D/Pr(chi_n > R) <= Q((n-1)/2, X/2) and A/Pr(chi_n > R) are below e^-40, E is
    Pr(chi_n > R) = Q(n/2, X/2) to rounding: one incomplete gamma function, whatever the size
    of X (no quadrature, and the first-order correction in xl of log_gammainc_pq_dd).
    """
    m = n - 1.0
    lmain = log_gammainc_pq_dd(0.5 * n, 0.5 * xh, 0.5 * xl)[1]
    if log_gammainc_pq(0.5 * m, 0.5 * xh)[1] >= -40.0:
        return NAN
    la = math.log(SQRT_2_OVER_PI * m / (2.0 * big_r)) + log_gammainc_pq(m + 1.0, xh)[1]
    if la - lmain >= -40.0:
        return NAN
    return lmain


@jit
def _log_real_count(r: float, n: int, glorot: bool) -> float:
    """log E #{real eigenvalues with |x| > r} of real Ginibre (glorot: of G/sqrt(n))."""
    if r != r:
        return NAN
    if r < 0.0:
        r = 0.0
    big_r, xh, xl = _radius_dd(r, n, glorot)
    if big_r == INF or xh == INF:
        return -INF
    if n == 1:
        # Pr(|N(0,1)| > R) = Q(1/2, R^2/2)
        return log_gammainc_pq_dd(0.5, 0.5 * xh, 0.5 * xl)[1]
    if xh > 2.0 * n + 60.0:
        far = _log_real_count_far(n, big_r, xh, xl)
        if far == far:
            return far
    base, total = _integrate_real(n, big_r)
    if not (total > 0.0):
        return -INF
    out = base + math.log(total)
    dr = _radius_correction(big_r, xh, xl)
    if dr != 0.0:
        # d log E/dR = -2 rho_n(R)/E, whose size is at most 2R + 3/2 (the hazard bounds of
        # chi_n and of sqrt(T), T ~ Gamma(m), from those of Q): the cap only removes rounding
        # rho_n(R) (EKS) in plain double logs: it only scales a correction below ~1e-9 of log E,
        # so its own error (~1e-9 relative at n = 10^6) does not show; the density kernel
        # log_eks_density_sq (double-double, small-n fast paths) was 0.4 s of cold compile here
        m = n - 1.0
        a = 0.5 * m
        x = big_r * big_r
        first = log_gammainc_pq(m, x)[1] - HALF_LOG_2PI
        second = log_gamma_prefactor(a, 0.5 * x) + eks_log_ratio(n) + log_gammainc_pq(a, 0.5 * x)[0]
        lrho = logaddexp(first, second)
        slope = 2.0 * math.exp(lrho - out)
        cap = 2.0 * big_r + 1.5
        out -= dr * (cap if cap < slope else slope)
    return out


# Largest number of terms of the backward sum of the complex-field count before the
# quadrature is used instead (near the edge at n ~ 10^6 the sum needs ~10 sqrt(n) terms).
_COUNT_SUM_MAX_TERMS = 1500


@jit(inline="always")
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
        return NAN
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
    lw = log_gamma_prefactor_dd(nf - 1.0, xh, 0.0) if n > 1 else -xh
    return lw + math.log(s_c) - xl * (s_q / s_c)


@jit(inline="always")
def _log_plane_count(
    base: float, total: float, big_r: float, xh: float, xl: float, nu: float, l_edge: float
) -> float:
    """log E = base + log total for a non-real count, corrected to first order in the rounding
    of R (see _radius_correction). ``l_edge`` is the log of the angular factor at R (2 R (1 -
    erfcx(sqrt 2 R)) for the real field, 2 R for the complex field), whose product with
    Q(nu, R^2) is -dE/dR."""
    if not (total > 0.0):
        return -INF
    out = base + math.log(total)
    dr = _radius_correction(big_r, xh, xl)
    if dr != 0.0:
        # Q(nu, R^2) at the rounded R^2 only scales a correction below ~1e-9 of log E
        ld = l_edge + log_gammainc_pq(nu, big_r * big_r)[1]
        # -d log E/dX <= 1 (E = int_X^inf L Q with L increasing, and the mean residual life of
        # Gamma(nu >= 1) is >= 1), i.e. -d log E/dR <= 2R: the cap only removes rounding
        slope = math.exp(ld - out)
        cap = 2.0 * big_r
        out -= dr * (cap if cap < slope else slope)
    return out


# One kernel per field: the real field's count and the complex field's closed forms share no
# code path, and a kernel with a run-time field flag compiled both (issue 16).
@jit
def _log_nonreal_count_real(r: float, n: int, glorot: bool) -> float:
    """log E #{non-real eigenvalues with |z| > r} of real Ginibre (glorot: of G/sqrt(n)), both
    members of a conjugate pair counted: E = E[J(R, sqrt T)], T ~ Gamma(n - 1)."""
    if r != r:
        return NAN
    if r < 0.0:
        r = 0.0
    if n == 1:
        return -INF
    big_r, xh, xl = _radius_dd(r, n, glorot)
    if big_r == INF or xh == INF:
        return -INF
    nu = n - 1.0
    s0, c, g0, base, npl = _panels(nu, 1.0, big_r)
    total = 0.0
    hi = 0.0
    for q in range(npl + _PANELS):
        ok, d_lo, width, shift, right, hi = _panel(c, g0, 1.0, s0, big_r, npl, q, hi)
        if not ok:
            continue
        for i in range(_GL_N):
            t = width * GL_NODES[i]
            d = d_lo + t
            ds = (s0 - big_r) + d if right else shift + t
            f = _plane_j(big_r, ds)
            total += (GL_WEIGHTS[i] * width) * math.exp(_dlog_psi(c, g0, 1.0, s0, d)) * f
    l_edge = math.log(2.0 * big_r * one_minus_erfcx(SQRT2 * big_r))
    return _log_plane_count(base, total, big_r, xh, xl, nu, l_edge)


# The two counts of the real field are helpers (compiled once, see rmtedge._core.jit) behind
# three thin entries: the Poisson radius law needs both at every radius, and one entry for the
# pair generates the machine code of the incomplete-gamma stack once instead of twice.
@jit(python=True)
def log_expected_real_outside_kernel(r: float, n: int, glorot: bool) -> float:
    """log E #{real eigenvalues with |x| > r} of real Ginibre (glorot: of G/sqrt(n))."""
    return _log_real_count(r, n, glorot)


@jit(python=True)
def log_expected_nonreal_outside_real_kernel(r: float, n: int, glorot: bool) -> float:
    """log E #{non-real eigenvalues with |z| > r} of real Ginibre (glorot: of G/sqrt(n)), both
    members of a conjugate pair counted."""
    return _log_nonreal_count_real(r, n, glorot)


@jit(python=True)
def log_outside_counts_real_field_kernel(r: float, n: int, glorot: bool) -> tuple[float, float]:
    """(log E_real, log E_nonreal): both counts of real Ginibre beyond r (glorot: of G/sqrt(n)),
    as ``log_expected_real_outside_kernel`` and ``log_expected_nonreal_outside_real_kernel``."""
    return _log_real_count(r, n, glorot), _log_nonreal_count_real(r, n, glorot)


@jit(python=True)
def log_expected_nonreal_outside_complex_kernel(r: float, n: int, glorot: bool) -> float:
    """log E #{eigenvalues with |z| > r} of complex Ginibre (glorot: of G/sqrt(n)):
    E = E[(T - R^2)^+], T ~ Gamma(n)."""
    if r != r:
        return NAN
    if r < 0.0:
        r = 0.0
    big_r, xh, xl = _radius_dd(r, n, glorot)
    if big_r == INF or xh == INF:
        return -INF
    if xh <= n:
        # inside the disc the closed form n Q(n+1, X) - X Q(n, X) = (n - X) Q(n, X) +
        # X^n e^-X/(n-1)! is a sum of two non-negative terms (no cancellation)
        lq = log_gammainc_pq_dd(float(n), xh, xl)[1]
        lpmf = log_gamma_prefactor_dd(float(n), xh, xl) + math.log(n)
        dx = (n - xh) - xl
        if dx <= 0.0:
            return lpmf
        return logaddexp(math.log(dx) + lq, lpmf)
    lc = _log_complex_count_backward(n, xh, xl)
    if lc == lc:
        return lc
    nu = float(n)
    s0, c, g0, base, npl = _panels(nu, 1.0, big_r)
    total = 0.0
    hi = 0.0
    for q in range(npl + _PANELS):
        ok, d_lo, width, shift, right, hi = _panel(c, g0, 1.0, s0, big_r, npl, q, hi)
        if not ok:
            continue
        for i in range(_GL_N):
            t = width * GL_NODES[i]
            d = d_lo + t
            ds = (s0 - big_r) + d if right else shift + t
            w = GL_WEIGHTS[i] * width
            total += w * math.exp(_dlog_psi(c, g0, 1.0, s0, d)) * ds * (2.0 * big_r + ds)
    return _log_plane_count(base, total, big_r, xh, xl, nu, math.log(2.0 * big_r))


# ----------------------------------------------------------------------------------------------
# vectorized loops (flattened, broadcast arrays)
# ----------------------------------------------------------------------------------------------


# The loops over points are plain Python around the compiled scalar kernels. Compiled loops had
# the whole kernel inlined into them (numba copies the inlined IR block by block, and each loop
# was one more library that re-generated everything below it): cold expected_real_outside
# 6.2 -> 5.7 s CPU, the Poisson radius law 8.0 -> 7.7 s (interleaved A/B, issue 16), for about
# 1 us per point more when warm (a point costs 10-25 us).
def vec_expected_real_outside(
    r: np.ndarray, n: np.ndarray, glorot: bool, value: bool, out: np.ndarray
) -> None:
    """out[i] = log E #{real |x| > r[i]} at n[i], or its exponential if value."""
    for i, (ri, ni) in enumerate(zip(r.tolist(), n.tolist(), strict=True)):
        v = log_expected_real_outside_kernel(ri, ni, glorot)
        out[i] = math.exp(v) if value else v


def vec_outside_counts_real_field(
    r: np.ndarray, n: np.ndarray, glorot: bool, out_real: np.ndarray, out_nonreal: np.ndarray
) -> None:
    """out_real[i], out_nonreal[i] = log E #{real |x| > r[i]}, log E #{non-real |z| > r[i]} of
    real Ginibre at n[i]."""
    kernel = log_outside_counts_real_field_kernel
    for i, (ri, ni) in enumerate(zip(r.tolist(), n.tolist(), strict=True)):
        out_real[i], out_nonreal[i] = kernel(ri, ni, glorot)


def vec_expected_nonreal_outside(
    r: np.ndarray, n: np.ndarray, real_field: bool, glorot: bool, value: bool, out: np.ndarray
) -> None:
    """out[i] = log E #{non-real |z| > r[i]} at n[i], or its exponential if value."""
    if real_field:
        kernel = log_expected_nonreal_outside_real_kernel
    else:
        kernel = log_expected_nonreal_outside_complex_kernel
    for i, (ri, ni) in enumerate(zip(r.tolist(), n.tolist(), strict=True)):
        v = kernel(ri, ni, glorot)
        out[i] = math.exp(v) if value else v


# ----------------------------------------------------------------------------------------------
# the r-derivative of the non-real count (density of the real Poisson radius law)
# ----------------------------------------------------------------------------------------------


@jit
def _log_half_circle_rate(r: float, n: int) -> float:
    """log of (1/2) * (integral over the circle |z| = r of the non-real eigenvalue intensity of a
    real Glorot matrix, |dz|) = minus the r-derivative of E_c(r)/2.

    With s = sqrt(n) r (Ginibre scale), the circle integral of Edelman's intensity
    sqrt(2/pi) |y| erfcx(sqrt(2)|y|) Q(n-1, |z|^2) is 2 s (1 - erfcx(sqrt(2) s)) Q(n-1, s^2)
    (integrate the erfcx series term by term over the angle); the Glorot scaling multiplies it
    by sqrt(n). n = 1 has no non-real eigenvalues (-inf).
    """
    if r != r:
        return NAN
    if n < 2 or r <= 0.0 or r == INF:
        return -INF
    fn = float(n)
    sr = math.sqrt(fn) * r
    t, e = two_prod(r, r)
    x = fn * t + fn * e
    if x == INF:  # log s -> inf against log Q(n-1, s^2) -> -inf: the rate is 0 (NaN before)
        return -INF
    return (
        0.5 * math.log(fn)
        + math.log(sr)
        + math.log(one_minus_erfcx(math.sqrt(2.0) * sr))
        + log_gammainc_q(fn - 1.0, x)
    )


@jit(python=True)
def half_circle_rate_array(n: int, r: np.ndarray, out: np.ndarray) -> None:
    """``out[i] = _log_half_circle_rate(r[i], n)`` (1-d float64 arrays)."""
    for i in range(r.shape[0]):
        out[i] = _log_half_circle_rate(r[i], n)
