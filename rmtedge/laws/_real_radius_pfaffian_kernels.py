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
  columns scaled by ``min(1, sqrt(P(2k+1, R^2)))``, LU with partial pivoting, ``log cdf = log det``.

The density is ``cdf * tr(A^{-1} dA/dR)`` from the same factorization, with every entry of
``dA/dR`` in closed form except ``dF_d/dR`` (same quadrature as ``F_d``).

``F_d`` for all odd ``d <= d_max`` at once: composite 20-point Gauss-Legendre on [0, pi/2]
(``F_d = 2 int_0^{pi/2}`` for odd d), panels doubling from width ``1/(sqrt(2) R)`` (the
boundary layer of erfcx near th = 0) up to ``min(pi/2, 6 pi/d_max)`` (three periods of the
fastest sine), ``sin(d th)`` by the three-term recurrence in d.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import HALF_LOG_2_OVER_PI, INF, INV_SQRT_2PI, NAN, SQRT2, TWO_OVER_SQRT_PI
from .._core.elementary import lgamma, log1mexp, logaddexp
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


@jit(link_only=True)
def _fill(
    n: int,
    R: float,
    lo: int,
    upper: bool,
    far: bool,
    deriv: bool,
    E: np.ndarray,
    ED: np.ndarray,
    Fo: np.ndarray,
    dFo: np.ndarray,
    lrow: np.ndarray,
    lcol: np.ndarray,
    EA: np.ndarray,
    ilp: np.ndarray,
    ilq: np.ndarray,
    hp: np.ndarray,
    hq: np.ndarray,
) -> float:
    """Fill E (K if upper, else B = I - K) and, if ``deriv``, ED = dE/dR on the window, scaled:
    E'_ab = E_ab exp(-lrow_a - lcol_b). Returns the log of the largest unscaled piece of K
    (used to detect the far tail). ``rabs[a]`` receives the largest over b of the sum of the
    absolute values of the terms of E'_ab (the scale against which rounding and cancellation in
    the entries are measured) -- stored per entry in ``EA``. ``ilp[k], ilq[k]`` hold log P, log Q
    of order k + 1 at R^2, ``hp[a], hq[a]`` of order lo + a + 1/2 at R^2/2 (the two
    ``log_gammainc_run`` runs in ``_law_ginibre``).

    Odd n = 2m + 1 (index w = m - lo is the unpaired x^{2m} / border), with
    Delta_i = P(i+1/2, x) - P(m+1/2, x) = sum_{k=i}^{m-1} x^{k+1/2} e^{-x} / Gamma(k+3/2):

        K~_ij = delta_ij Q(2i+1, R^2) + t_i Delta_i v_j - c v_j (v_i F_{2(i-j)+1} - (t_i/t_m) v_m F_{2(m-j)+1})
        K~_mj = alpha_m v_j - c v_m v_j F_{2(m-j)+1},    K~_im = -(t_i/t_m) Delta_i,
        K~_mm = Q(m + 1/2, x).
    """
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


@jit
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


@jit
def _upper_to_lu(K: np.ndarray, piv: np.ndarray) -> None:
    """In place: the output of _eliminate_upper (the eliminated K, identity implicit) to the
    packed L and U storage and the pivots of _lu_logdet for A0 = I - K0 (no pivoting), so that
    _lu_solve serves both paths: U_kj = -K_kj (j > k), U_kk = 1 - K_kk, L_ik = -K_ik / U_kk."""
    N = K.shape[0]
    for k in range(N):
        piv[k] = k
        K[k, k] = 1.0 - K[k, k]
    for i in range(N):
        for j in range(N):
            if j > i:
                K[i, j] = -K[i, j]
            elif j < i:
                K[i, j] = -K[i, j] / K[j, j]


@jit
def _lu_logdet(A: np.ndarray, piv: np.ndarray) -> tuple[float, float]:
    """In-place LU with partial pivoting; returns (log |det|, sign)."""
    N = A.shape[0]
    ld = 0.0
    sign = 1.0
    for k in range(N):
        p = k
        big = abs(A[k, k])
        for i in range(k + 1, N):
            if abs(A[i, k]) > big:
                big = abs(A[i, k])
                p = i
        piv[k] = p
        if big == 0.0:
            return -INF, 0.0
        if p != k:
            sign = -sign
            for j in range(N):
                tmp = A[k, j]
                A[k, j] = A[p, j]
                A[p, j] = tmp
        pk = A[k, k]
        if pk < 0.0:
            sign = -sign
        ld += math.log(abs(pk))
        for i in range(k + 1, N):
            f = A[i, k] / pk
            A[i, k] = f
            if f != 0.0:
                for j in range(k + 1, N):
                    A[i, j] -= f * A[k, j]
    return ld, sign


@jit
def _lu_solve(A: np.ndarray, piv: np.ndarray, D: np.ndarray) -> None:
    """In place: D <- A0^{-1} D with A holding the LU of A0 from _lu_logdet.

    One routine for both uses (the trace for the density, the inverse for the error bound):
    each compiled routine costs cold-start compile time (issue 16)."""
    N = A.shape[0]
    for k in range(N):
        p = piv[k]
        if p != k:
            for j in range(D.shape[1]):
                tmp = D[k, j]
                D[k, j] = D[p, j]
                D[p, j] = tmp
    for col in range(D.shape[1]):
        for i in range(N):
            acc = D[i, col]
            for k in range(i):
                acc -= A[i, k] * D[k, col]
            D[i, col] = acc
        for i in range(N - 1, -1, -1):
            acc = D[i, col]
            for j in range(i + 1, N):
                acc -= A[i, j] * D[j, col]
            D[i, col] = acc / A[i, i]


@jit(python=True)
def _law_ginibre(n: int, R: float, want_pdf: bool, lo_min: int) -> tuple[float, float, float, int]:
    """(log cdf, log sf, log pdf in R, window size) of rho(G), Ginibre scale, at R.

    ``lo_min`` caps the lowest kept index from above (0 keeps the automatic window; -1 forces
    the full matrix, used by the tests to check the truncation).
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
    odd = n % 2
    R2 = R * R
    lR = math.log(R)
    # log P, log Q of the orders 1 .. 2m - 1 at R^2 (diagonal, window), one run of sums
    ilp = np.empty(2 * m - 1 if m > 0 else 0)
    ilq = np.empty(2 * m - 1 if m > 0 else 0)
    log_gammainc_run(R2, 0.0, 1, 2 * m - 1, ilp, ilq)
    lo = 0 if lo_min < 0 else _window(m, lR, R2, ilq)
    w = m - lo
    # ... and of the orders lo + 1/2 .. m + 1/2 at R^2/2 (alpha_i, the odd-n border)
    hp = np.empty(w + 1)
    hq = np.empty(w + 1)
    log_gammainc_run(0.5 * R2, 0.5, lo, m, hp, hq)
    N = w + odd
    if N == 0:  # cannot happen for n >= 1
        return 0.0, -INF, -INF, 0
    nd = w + 1
    Fo = np.empty(nd)
    dFo = np.empty(nd)
    arc_integrals(R, Fo, dFo)
    E = np.empty((N, N))
    ED = np.empty((N, N))
    lrow = np.empty(N)
    lcol = np.empty(N)
    EA = np.empty((N, N))
    # The two flags of _fill are passed as values computed at run time: numba compiles a separate
    # copy of a function for every combination of literal constants it is called with (three
    # copies of this long one, ~1.5 s each on a cold cache; issue 16).
    upper = R > 0.0  # always true here
    far = not upper
    lmax = _fill(n, R, lo, upper, far, want_pdf, E, ED, Fo, dFo, lrow, lcol, EA, ilp, ilq, hp, hq)
    far = lmax < _FAR_LOG
    if far:
        # far upper tail: sf = tr K to first order (relative error < e^-200)
        lmax = _fill(n, R, lo, upper, far, want_pdf, E, ED, Fo, dFo, lrow, lcol, EA, ilp, ilq, hp, hq)
        tr = 0.0
        dtr = 0.0
        for a in range(N):
            tr += E[a, a]
            if want_pdf:
                dtr += ED[a, a]
        if not tr > 0.0:
            return NAN, NAN, NAN, N
        logsf = lmax + math.log(tr)
        logcdf = -math.exp(logsf)
        logpdf = NAN
        if want_pdf:
            logpdf = lmax + math.log(-dtr) if dtr < 0.0 else -INF
        return logcdf, logsf, logpdf, N
    trace = 0.0
    for a in range(N):
        trace += E[a, a]
    if trace < 1.5:
        logcdf, pmin = _eliminate_upper(E)
        if logcdf == logcdf and pmin >= _MIN_PIVOT and logcdf >= _UPPER_LOGCDF:
            logsf = math.log(-math.expm1(logcdf)) if logcdf < 0.0 else -INF
            logpdf = NAN
            if want_pdf:
                piv = np.empty(N, dtype=np.int64)
                _upper_to_lu(E, piv)
                _lu_solve(E, piv, ED)
                t = 0.0
                for a in range(N):
                    t += ED[a, a]
                logpdf = logcdf + math.log(-t) if t < 0.0 else -INF
            return logcdf, logsf, logpdf, N
    # lower path
    # far is false here: B = I - K
    _fill(n, R, lo, far, far, want_pdf, E, ED, Fo, dFo, lrow, lcol, EA, ilp, ilq, hp, hq)
    scl = 0.0
    for a in range(N):
        scl += lrow[a] + lcol[a]
    piv = np.empty(N, dtype=np.int64)
    ld, sign = _lu_logdet(E, piv)
    # first-order error of log det from entry errors ~eps * EA (rounding, cancellation):
    # |d log det| <= eps sum_ab |(B^-1)_ba| EA_ab
    # sum_ab |(B^-1)_ba| EA_ab, with B^-1 from the LU
    inv = np.empty((N, N))  # not np.zeros: one array constructor less to compile (issue 16)
    for a in range(N):
        for b in range(N):
            inv[a, b] = 0.0
        inv[a, a] = 1.0
    _lu_solve(E, piv, inv)
    tot = 0.0
    for a in range(N):
        for b in range(N):
            tot += abs(inv[b, a]) * EA[a, b]
    err = _EPS * tot
    if not sign > 0.0 or not err < _MAX_LOGERR:
        # cancellation beyond the reliable range (deep lower tail, small r): cdf unknown; it is
        # tiny there (the upper path failed, so cdf < 1/2 and in practice far smaller), and
        # sf = 1 - cdf is returned as 1 only when a sound bound shows cdf < 1e-12:
        # |det B'| <= prod_a (sum_b |B'_ab| + eps EA_ab) (Hadamard with row 1-norms)
        bound = scl
        for a in range(N):
            rs = 0.0
            for b in range(N):
                rs += 2.0 * EA[a, b]
            bound += math.log(rs if rs > 1e-300 else 1e-300)
        return NAN, (0.0 if bound < _LOG_SF_ONE else NAN), NAN, N
    ld += scl
    logcdf = ld if ld < 0.0 else 0.0
    logsf = log1mexp(logcdf)
    logpdf = NAN
    if want_pdf:
        _lu_solve(E, piv, ED)
        t = 0.0
        for a in range(N):
            t += ED[a, a]
        logpdf = logcdf + math.log(t) if t > 0.0 else -INF
    return logcdf, logsf, logpdf, N


def real_radius_law_array(n: int, r: np.ndarray, want_pdf: bool, out: np.ndarray) -> None:
    """Fill ``out[i] = (log cdf, log sf, log pdf)`` of rho(W), W = G/sqrt(n), at Glorot r[i].

    The loop over the radii is plain Python around the compiled ``_law_ginibre``: a compiled
    loop had ``_law_ginibre`` inlined into it, which cost ~0.5 s more on a cold cache (exact law
    sf 6.95 -> 6.40 s CPU, interleaved A/B, issue 16) for ~2 us per radius saved when warm
    (5.6 -> 7.4 us per radius at n = 2, unchanged from n = 100 on, where one radius costs
    0.16 ms and more).
    """
    sq = math.sqrt(float(n))
    lsq = 0.5 * math.log(float(n))
    for i, ri in enumerate(r.tolist()):
        a, b, c, _ = _law_ginibre(n, sq * ri, want_pdf, 0)
        out[i, 0] = a
        out[i, 1] = b
        out[i, 2] = c + lsq
