"""Private numba kernels for the exact spectral-radius law of real Ginibre / Glorot matrices.

Everything here works in the Ginibre scale (``G`` with i.i.d. N(0, 1) entries, disc radius
``R``); the public module converts ``R = sqrt(n) r``. See ``docs/theory.md`` ("Exact law of the
spectral radius, real field") for the derivation; in short, with ``m = floor(n/2)``,
``x = R^2/2``, ``c = R/sqrt(2 pi)`` and, for ``0 <= i, j``,

    v_j = R^{2j} e^{-R^2/2} / sqrt((2j)!),      t_i = sqrt((2i)!) / (2^i i!),
    alpha_i = t_i P(i + 1/2, x),                 F_d = int_0^pi sin(d th) erfcx(sqrt(2) R sin th) dth,

de Bruijn's Pfaffian over the disc collapses (parity, skew-orthogonality and one integration
by parts of the half-disc integral, whose boundary is the real segment and the arc |z| = R) to

    n = 2m:     P(rho(G) <= R) = det(I - K),
                K_ij = delta_ij Q(2i+1, R^2) + alpha_i v_j - c v_i v_j F_{2(i-j)+1},   i, j < m,

and for n = 2m + 1 to the (m+1) x (m+1) bordered analogue ``det(I - K~)`` written out in
:func:`_fill`. Only the top indices matter (``_window``): a row/column k enters through
``v_k`` (a square root of a Poisson(R^2) probability at 2k) and ``Q(2k+1, R^2)``; indices where
both are below ``_TOL`` times their maximum are dropped, which leaves O(sqrt(n)) indices near
the edge (``2k >= R^2 - 13.6 R``) and ``n/2 - R^2/2 + O(R)`` in the lower tail.

Determinant (two paths, ``_law_ginibre``):

* upper path (cdf >= 1/2): Gaussian elimination of ``I - K`` without pivoting that carries the
  identity implicitly, ``K_ij <- K_ij + K_ik K_kj / (1 - K_kk)``, so that
  ``log cdf = sum_k log1p(-d_k)`` with ``d_k`` the eliminated diagonal of K, and
  ``sf = -expm1(log cdf)``: relative accuracy however small sf is (no ``1 - det``). When every
  entry of K is below e^-200 the first-order term ``sf = tr K`` is used (in log space);
* lower path: ``B = I - K`` with its diagonal ``P(2i+1, R^2)`` computed directly, rows and
  columns scaled by ``min(1, sqrt(P(2k+1, R^2)))``, LU with partial pivoting (LAPACK
  ``dgetrf``), ``log cdf = log det``.

The density is ``cdf * tr(A^{-1} dA/dR)`` from the same factorization (LAPACK ``dgetrs``), with
every entry of ``dA/dR`` in closed form except ``dF_d/dR`` (same quadrature as ``F_d``).

``F_d`` for all odd ``d <= d_max`` at once: composite 20-point Gauss-Legendre on [0, pi/2]
(``F_d = 2 int_0^{pi/2}`` for odd d), panels doubling from width ``1/(sqrt(2) R)`` (the
boundary layer of erfcx near th = 0) up to ``min(pi/2, 6 pi/d_max)`` (three periods of the
fastest sine), ``sin(d th)`` by the three-term recurrence in d.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import lapack

from .._core.constants import (
    HALF_LOG_2_OVER_PI,
    INF,
    INV_SQRT_2PI,
    LN2,
    NAN,
    SQRT2,
    TWO_OVER_SQRT_PI,
)
from .._core.elementary import lgamma, logaddexp
from .._core.erf import erfcx
from .._core.incgamma import log_gammainc_run
from .._core.jit import jit

_GLX, _GLW = np.polynomial.legendre.leggauss(20)
_HALF_PI = 0.5 * math.pi
#: relative size below which a window index is dropped (v_k and Q(2k+1, R^2) against their max)
_LOG_TOL = math.log(1e-18)
#: below this log size of every entry of K, sf = tr K to first order (relative error < e^-200)
_FAR_LOG = -200.0
#: upper path accepted when every pivot 1 - d_k >= this and log cdf >= _UPPER_LOGCDF
_MIN_PIVOT = 0.125
#: lower path: result rejected (NaN) when the first-order error estimate of log cdf exceeds this
_EPS = 2.220446049250313e-16
_MAX_LOGERR = 1e-7
#: ... and sf is returned as exactly 1 there when a bound shows cdf < 1e-12
_LOG_SF_ONE = math.log(1e-12)
_UPPER_LOGCDF = math.log(0.5)


@jit
def _erfcx_prime(u: float, g: float) -> float:
    """d/du erfcx(u) = 2 u erfcx(u) - 2/sqrt(pi), given g = erfcx(u), u >= 0.

    For u >= 8 the difference cancels (it is ~ -1/(sqrt(pi) u^2)): use the asymptotic series
    (2/sqrt(pi)) sum_{k>=1} (-1)^k (2k-1)!! / (2u^2)^k, stopped at 1e-17 relative.
    """
    if u < 8.0:
        return 2.0 * u * g - TWO_OVER_SQRT_PI
    z = 0.5 / (u * u)
    term = -z
    s = term
    k = 1.0
    while abs(term) > 1e-17 * abs(s):
        k += 1.0
        term *= -(2.0 * k - 1.0) * z
        s += term
    return TWO_OVER_SQRT_PI * s


@jit
def arc_integrals(R: float, F: np.ndarray, dF: np.ndarray) -> None:
    """F[k] = F_{2k+1}(R), dF[k] = d/dR F_{2k+1}(R) for k < len(F) (odd orders 1, 3, ...).

    ``F_d(R) = int_0^pi sin(d th) erfcx(sqrt(2) R sin th) dth``; for odd d the integrand is
    symmetric about pi/2. Composite Gauss-Legendre (see the module docstring); measured
    against mpmath to ~1e-15 absolute (d <= 401, R <= 60), i.e. ~1e-13 relative to |F_d| ~ 2/d.
    """
    nd = F.shape[0]
    for k in range(nd):
        F[k] = 0.0
        dF[k] = 0.0
    dmax = 2.0 * nd - 1.0
    hmax = 6.0 * math.pi / dmax
    if hmax > _HALF_PI:
        hmax = _HALF_PI
    width = hmax
    if R > 0.0:
        width = 1.0 / (SQRT2 * R)
        if width > hmax:
            width = hmax
    a = 0.0
    while a < _HALF_PI:
        b = a + width
        if b > _HALF_PI - 0.25 * width:
            b = _HALF_PI
        mid = 0.5 * (a + b)
        hw = 0.5 * (b - a)
        for q in range(_GLX.shape[0]):
            t = mid + hw * _GLX[q]
            w = 2.0 * hw * _GLW[q]
            st = math.sin(t)
            u = SQRT2 * R * st
            g = erfcx(u)
            dg = SQRT2 * st * _erfcx_prime(u, g)
            wg = w * g
            wdg = w * dg
            c2 = 2.0 * math.cos(2.0 * t)
            sp = -st
            sc = st
            for k in range(nd):
                F[k] += wg * sc
                dF[k] += wdg * sc
                sn = c2 * sc - sp
                sp = sc
                sc = sn
        a = b
        width = 2.0 * width if 2.0 * width < hmax else hmax


@jit
def _log_v(k: int, lR: float, R2: float) -> float:
    """log v_k = 2k log R - R^2/2 - lgamma(2k+1)/2."""
    return 2.0 * k * lR - 0.5 * R2 - 0.5 * lgamma(2.0 * k + 1.0)


@jit
def _log_t(k: int) -> float:
    """log t_k = lgamma(2k+1)/2 - k log 2 - lgamma(k+1)  (t_k = sqrt(C(2k, k)/4^k) <= 1)."""
    return 0.5 * lgamma(2.0 * k + 1.0) - k * math.log(2.0) - lgamma(k + 1.0)


@jit
def _window(m: int, lR: float, R2: float, ilq: np.ndarray) -> int:
    """Lowest index kept: scan k = m-1, m-2, ... and stop below the peak of v_k once both v_k
    and Q(2k+1, R^2) (``ilq[2k]``) are below _TOL times their maxima (both only decrease from
    there on)."""
    vmax = -INF
    qmax = -INF
    R4 = R2 * R2
    k = m - 1
    while k >= 0:
        lv = _log_v(k, lR, R2)
        lq = ilq[2 * k]
        if lv > vmax:
            vmax = lv
        if lq > qmax:
            qmax = lq
        below_peak = R4 >= (2.0 * k) * (2.0 * k - 1.0)
        if below_peak and lv < vmax + _LOG_TOL and lq < qmax + _LOG_TOL:
            return k + 1
        k -= 1
    return 0


@jit
def _fget(Fo: np.ndarray, d: int) -> float:
    """F_{2d+1} from the table of odd orders (F_{-e} = -F_e)."""
    if d >= 0:
        return Fo[d]
    return -Fo[-d - 1]


@jit(python=True)
def _fill(
    n: int,
    R: float,
    lo: int,
    upper: bool,
    far: bool,
    deriv: bool,
    M: np.ndarray,
    S: np.ndarray,
    H: np.ndarray,
    il: np.ndarray,
) -> float:
    """Fill ``E = M[0]`` (K if upper, else B = I - K) and, if ``deriv``, ``ED = M[1]`` = dE/dR
    on the window, scaled: E'_ab = E_ab exp(-lrow_a - lcol_b) with ``lrow, lcol = S``; ``EA =
    M[2]`` receives, per entry, the sum of the absolute values of the terms of E'_ab (the scale
    against which rounding and cancellation in the entries are measured). Returns the log of the
    largest unscaled piece of K (used to detect the far tail). ``il`` holds log P, log Q of the
    orders 1 .. 2m - 1 at R^2 (order k + 1 in column k), ``H`` the rows hp, hq (orders lo + a +
    1/2 at R^2/2), Fo, dFo (``arc_integrals``), as filled by :func:`_tables`.

    Odd n = 2m + 1 (index w = m - lo is the unpaired x^{2m} / border), with
    Delta_i = P(i+1/2, x) - P(m+1/2, x) = sum_{k=i}^{m-1} x^{k+1/2} e^{-x} / Gamma(k+3/2):

        K~_ij = delta_ij Q(2i+1, R^2) + t_i Delta_i v_j - c v_j (v_i F_{2(i-j)+1} - (t_i/t_m) v_m F_{2(m-j)+1})
        K~_mj = alpha_m v_j - c v_m v_j F_{2(m-j)+1},    K~_im = -(t_i/t_m) Delta_i,
        K~_mm = Q(m + 1/2, x).
    """
    E, ED, EA = M[0], M[1], M[2]
    lrow, lcol = S[0], S[1]
    ilp, ilq = il[0], il[1]
    hp, hq, Fo, dFo = H[0], H[1], H[2], H[3]
    m = n // 2
    odd = n % 2
    w = m - lo
    N = w + odd
    R2 = R * R
    lR = math.log(R)
    x = 0.5 * R2
    lx = math.log(x)
    c = R * INV_SQRT_2PI
    dc = INV_SQRT_2PI
    sgn = 1.0 if upper else -1.0
    # per-index pieces
    lv = np.empty(N)
    dlv = np.empty(N)
    ldiag = np.empty(N)
    ldd = np.empty(N)  # log |d diag / dR|
    lt = np.empty(N)
    for a in range(w):
        i = lo + a
        lv[a] = _log_v(i, lR, R2)
        dlv[a] = 2.0 * i / R - R
        lp, lq = ilp[2 * i], ilq[2 * i]
        ldiag[a] = lq if upper else lp
        ldd[a] = math.log(2.0 * R) + 2.0 * lv[a]
        lt[a] = _log_t(i)
    # row pieces A_a (rank-one coefficient) and its derivative, in log form + sign
    lA = np.empty(N)
    dA = np.empty(N)  # derivative of the unscaled A, times exp(-lrow) later
    ltm = _log_t(m)
    lvm = _log_v(m, lR, R2)
    dlvm = 2.0 * m / R - R
    # e_k = x^{k-1/2} e^{-x} / Gamma(k+1/2) = dP(k+1/2, x)/dx
    lem = (m - 0.5) * lx - x - lgamma(m + 0.5)
    lpm, lqm = hp[w], hq[w]
    lmax = -INF
    if odd == 1:
        # Delta_i by a downward cumulative log-sum of positive terms
        lcum = -INF
        for i in range(m - 1, lo - 1, -1):
            lcum = logaddexp(lcum, (i + 0.5) * lx - x - lgamma(i + 1.5))
            a = i - lo
            lA[a] = lt[a] + lcum
            if deriv:
                lei = (i - 0.5) * lx - x - lgamma(i + 0.5)
                dA[a] = math.exp(lt[a] + lR + lei) - math.exp(lt[a] + lR + lem)
        lv[w] = lvm
        dlv[w] = dlvm
        ldiag[w] = lqm if upper else lpm
        ldd[w] = lR + lem
        lt[w] = ltm
        lA[w] = ltm + lpm
        dA[w] = math.exp(ltm + lR + lem)
        lmax = lqm if lqm > lcum else lcum
    else:
        for a in range(w):
            i = lo + a
            lA[a] = lt[a] + hp[a]
            if deriv:
                lei = (i - 0.5) * lx - x - lgamma(i + 0.5)
                dA[a] = math.exp(lt[a] + lR + lei)
    for a in range(N):
        if lv[a] > lmax:
            lmax = lv[a]
        if upper and ldiag[a] > lmax:
            lmax = ldiag[a]
    # scales
    for a in range(N):
        if far:
            lrow[a] = 0.0
            lcol[a] = lmax
        elif upper:
            lrow[a] = 0.0
            lcol[a] = 0.0
        else:
            # B_kk = P(2k+1, R^2) ~ v_k^2 (R^2/(2k+1-R^2)) where small: scale rows and
            # columns by its square root (1 where B_kk ~ 1)
            s = 0.5 * ldiag[a] if ldiag[a] < 0.0 else 0.0
            lrow[a] = s
            lcol[a] = s
    if odd == 1 and not upper:
        # row m ~ P(m+1/2, x) (its diagonal, with the border column unscaled)
        lrow[w] = ldiag[w] if ldiag[w] < 0.0 else 0.0
        lcol[w] = 0.0
    # scaled per-index factors
    V = np.empty(N)
    W = np.empty(N)
    As = np.empty(N)
    dAs = np.empty(N)
    Z = np.empty(N)
    for a in range(N):
        V[a] = math.exp(lv[a] - lcol[a])
        W[a] = math.exp(lv[a] - lrow[a])
        As[a] = math.exp(lA[a] - lrow[a])
        dAs[a] = dA[a] * math.exp(-lrow[a]) if deriv else 0.0
        Z[a] = math.exp(lt[a] - ltm + lvm - lrow[a]) if odd == 1 else 0.0
    for a in range(N):
        for b in range(N):
            EA[a, b] = 0.0
            E[a, b] = 0.0
            if deriv:
                ED[a, b] = 0.0
    # the N part (same for both forms up to the sign), columns j < m; Z = 0 for even n
    for a in range(N):
        for b in range(w):
            fmb = Fo[w - b]
            if a < w:
                fab = _fget(Fo, a - b)
                inner = W[a] * fab - Z[a] * fmb
            else:  # row m (odd): alpha_m v_j - c v_m v_j F_{2(m-j)+1}
                inner = W[a] * fmb
            E[a, b] = sgn * (V[b] * (As[a] - c * inner))
            EA[a, b] = V[b] * (abs(As[a]) + c * (abs(inner) + 2.0 * abs(Z[a]) + 2.0 * W[a]))
            if deriv:
                dfmb = dFo[w - b]
                if a < w:
                    dinner = W[a] * (dlv[a] * fab + _fget(dFo, a - b)) - Z[a] * (dlvm * fmb + dfmb)
                else:
                    dinner = W[a] * (dlvm * fmb + dfmb)
                der = V[b] * (dAs[a] + dlv[b] * As[a] - dc * inner - c * (dlv[b] * inner + dinner))
                ED[a, b] = sgn * der
    if odd == 1:
        # border column: K~_im = -(t_i/t_m) Delta_i (i < m)
        for a in range(w):
            val = -math.exp(lA[a] - ltm - lrow[a] - lcol[w])
            E[a, w] = sgn * val
            EA[a, w] = abs(val)
            if deriv:
                ED[a, w] = sgn * (-dA[a] * math.exp(-ltm - lrow[a] - lcol[w]))
    # diagonal: Q (upper) or P (lower) and its derivative -/+ ...
    for a in range(N):
        dg = math.exp(ldiag[a] - lrow[a] - lcol[a])
        E[a, a] += dg
        EA[a, a] += dg
        if deriv:
            dd = math.exp(ldd[a] - lrow[a] - lcol[a])
            ED[a, a] += -dd if upper else dd
    return lmax


@jit(python=True)
def _eliminate_upper(K: np.ndarray) -> tuple[float, float]:
    """In place: elimination of I - K without pivoting, identity implicit. Returns
    (sum log1p(-d_k), min pivot 1 - d_k). On return K holds -U off the diagonal (upper part),
    d_k on the diagonal and -L_ik (1 - d_k) below it, i.e. the updated K."""
    N = K.shape[0]
    s = 0.0
    pmin = INF
    for k in range(N):
        d = K[k, k]
        p = 1.0 - d
        if p < pmin:
            pmin = p
        if not p > 0.0:
            return NAN, p
        s += math.log1p(-d)
        for i in range(k + 1, N):
            f = K[i, k] / p
            if f != 0.0:
                for j in range(k + 1, N):
                    K[i, j] += f * K[k, j]
    return s, pmin


@jit(python=True)
def _tables(n: int, R: float, lo_min: int, il: np.ndarray, H: np.ndarray) -> int:
    """Fill the tables of :func:`_fill` at Ginibre radius R > 0 and return the lowest window
    index ``lo`` (:func:`_window`; 0 if ``lo_min < 0``). ``il`` (2, 2m - 1): log P, log Q of
    the orders 1 .. 2m - 1 at R^2; ``H`` (4, m + 1), first ``m - lo + 1`` columns: log P,
    log Q of the orders lo + 1/2 .. m + 1/2 at R^2/2, then F_{2k+1}(R), dF_{2k+1}/dR."""
    m = n // 2
    R2 = R * R
    log_gammainc_run(R2, 0.0, 1, 2 * m - 1, il[0], il[1])
    lo = 0 if lo_min < 0 else _window(m, math.log(R), R2, il[1])
    w = m - lo
    log_gammainc_run(0.5 * R2, 0.5, lo, m, H[0, : w + 1], H[1, : w + 1])
    arc_integrals(R, H[2, : w + 1], H[3, : w + 1])
    return lo


def _law_ginibre(n: int, R: float, want_pdf: bool, lo_min: int) -> tuple[float, float, float, int]:
    """(log cdf, log sf, log pdf in R, window size) of rho(G), Ginibre scale, at R.

    ``lo_min`` caps the lowest kept index from above (0 keeps the automatic window; -1 forces
    the full matrix, used by the tests to check the truncation).

    Plain Python around three compiled stages (``_tables``, ``_fill``, ``_eliminate_upper``),
    with LAPACK (``scipy.linalg.lapack``: ``dgetrf``, ``dgetri``, ``dgetrs``) for the LU of
    the lower path and the solves of the density. As one compiled function this was ~1.4 s of
    its cold first call (its own typing and lowering, the whole linked module optimised again,
    and five small LU routines): exact-law sf 6.9 -> 5.4 s CPU on a fresh cache. It also made
    large windows 2-3x faster (blocked LAPACK against plain loops: n = 1000, 50 radii, cdf+sf
    261 -> 138 ms, pdf 507 -> 195 ms) at a cost of ~30 us of Python per radius, which shows
    only for n below ~50 (n = 2: 8 -> 40 us per radius). LAPACK follows the process's BLAS
    thread setting (pin it in worker processes, ``rmtedge.pin_blas_threads``).
    """
    if R != R:
        return NAN, NAN, NAN, 0
    if R <= 0.0:
        lp = -INF
        if n == 1 and R == 0.0:
            lp = math.log(2.0 * INV_SQRT_2PI)
        return -INF, 0.0, lp, 0
    if R == INF:
        return 0.0, -INF, -INF, 0
    if n == 1 and R < 1e-150:
        # cdf = P(|N(0, 1)| <= R) = sqrt(2/pi) R (1 - R^2/6 + ...) to rounding; the general path
        # would square R into the subnormal range (R^2 < 2.2e-308 has fewer digits: cdf was off
        # by 6e-7 relative at R = 1e-159, found by the long fuzz profile)
        lc = math.log(R) + HALF_LOG_2_OVER_PI
        return lc, -math.exp(lc), HALF_LOG_2_OVER_PI, 1
    m = n // 2
    il = np.empty((2, 2 * m - 1 if m > 0 else 0))
    H = np.empty((4, m + 1))
    lo = _tables(n, R, lo_min, il, H)
    N = m - lo + n % 2
    M = np.empty((3, N, N))  # E, ED, EA of _fill
    S = np.empty((2, N))  # lrow, lcol
    E, ED, EA = M
    lmax = _fill(n, R, lo, True, False, want_pdf, M, S, H, il)
    if lmax < _FAR_LOG:
        # far upper tail: sf = tr K to first order (relative error < e^-200)
        lmax = _fill(n, R, lo, True, True, want_pdf, M, S, H, il)
        tr = float(np.trace(E))
        if not tr > 0.0:
            return NAN, NAN, NAN, N
        logsf = lmax + math.log(tr)
        logpdf = NAN
        if want_pdf:
            dtr = float(np.trace(ED))
            logpdf = lmax + math.log(-dtr) if dtr < 0.0 else -INF
        return -math.exp(logsf), logsf, logpdf, N
    if np.trace(E) < 1.5:
        logcdf, pmin = _eliminate_upper(E)
        if logcdf == logcdf and pmin >= _MIN_PIVOT and logcdf >= _UPPER_LOGCDF:
            logsf = math.log(-math.expm1(logcdf)) if logcdf < 0.0 else -INF
            logpdf = NAN
            if want_pdf:
                # the elimination as the packed LU of A0 = I - K0 (no pivoting):
                # U_kj = -K_kj (j > k), U_kk = 1 - K_kk, L_ik = -K_ik / U_kk
                d = 1.0 - np.diagonal(E)
                lu = -(np.tril(E, -1) / d + np.triu(E, 1))
                lu[np.diag_indices(N)] = d
                x, _ = lapack.dgetrs(lu, np.arange(N, dtype=np.int32), ED)
                t = float(np.trace(x))
                logpdf = logcdf + math.log(-t) if t < 0.0 else -INF
            return logcdf, logsf, logpdf, N
    # lower path: B = I - K, LU with partial pivoting of B^T (the F-ordered view of E; same
    # determinant, and its inverse is (B^-1)^T)
    _fill(n, R, lo, False, False, want_pdf, M, S, H, il)
    scl = float(S.sum())
    lu, piv, info = lapack.dgetrf(E.T, overwrite_a=1)
    d = np.diagonal(lu)
    sign = 0.0
    if info == 0:
        flips = np.count_nonzero(piv != np.arange(N)) + np.count_nonzero(d < 0.0)
        sign = -1.0 if flips % 2 else 1.0
    err = INF
    if sign > 0.0:
        # first-order error of log det from entry errors ~eps * EA (rounding, cancellation):
        # |d log det| <= eps sum_ab |(B^-1)_ba| EA_ab, and (B^-1)_ba is inv(B^T)_ab
        inv_t, _ = lapack.dgetri(lu, piv)
        err = _EPS * float(np.abs(inv_t * EA).sum())
    if not err < _MAX_LOGERR:
        # cancellation beyond the reliable range (deep lower tail, small r): cdf unknown; it is
        # tiny there (the upper path failed, so cdf < 1/2 and in practice far smaller), and
        # sf = 1 - cdf is returned as 1 only when a sound bound shows cdf < 1e-12:
        # |det B'| <= prod_a (sum_b |B'_ab| + eps EA_ab) (Hadamard with row 1-norms)
        bound = scl + float(np.log(np.maximum(2.0 * EA.sum(axis=1), 1e-300)).sum())
        return NAN, (0.0 if bound < _LOG_SF_ONE else NAN), NAN, N
    ld = float(np.log(np.abs(d)).sum()) + scl
    logcdf = ld if ld < 0.0 else 0.0
    logsf = _log1mexp(logcdf)
    logpdf = NAN
    if want_pdf:
        # tr(B^-1 dB) = tr(B^-T dB^T): solve with the LU of B^T
        x, _ = lapack.dgetrs(lu, piv, ED.T)
        t = float(np.trace(x))
        logpdf = logcdf + math.log(t) if t > 0.0 else -INF
    return logcdf, logsf, logpdf, N


def _log1mexp(x: float) -> float:
    """log(1 - e^x) for x <= 0, in Python (the branches of ``elementary.log1mexp``)."""
    if x == 0.0:
        return -INF
    if x > -LN2:
        return math.log(-math.expm1(x))
    return math.log1p(-math.exp(x))


def real_radius_law_array(n: int, r: np.ndarray, want_pdf: bool, out: np.ndarray) -> None:
    """Fill ``out[i] = (log cdf, log sf, log pdf)`` of rho(W), W = G/sqrt(n), at Glorot r[i].

    A Python loop over the radii around :func:`_law_ginibre` (itself Python around compiled
    stages): a compiled loop re-generates everything it calls, which costs cold-start compile
    time for a few microseconds per radius saved when warm (issue 16).
    """
    sq = math.sqrt(float(n))
    lsq = 0.5 * math.log(float(n))
    for i, ri in enumerate(r.tolist()):
        a, b, c, _ = _law_ginibre(n, sq * ri, want_pdf, 0)
        out[i, 0] = a
        out[i, 1] = b
        out[i, 2] = c + lsq
