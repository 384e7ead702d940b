"""Private kernels for the exact spectral-radius law of real Ginibre / Glorot matrices.

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

What is compiled (numba) and what is not: the tables of each radius (``_tables``: the runs of
incomplete gamma functions, the window, the arc integrals) and the upper-path elimination are
compiled; the matrices are filled by numpy for all radii of a call that share a window
(``_fill``), and the lower path and the density use LAPACK (issue 16, see
:func:`real_radius_law_array`).

Determinant (two paths, ``_solve``):

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
from scipy.special import gammaln

from .._core.constants import (
    HALF_LOG_2_OVER_PI,
    INF,
    INV_SQRT_2PI,
    LN2,
    NAN,
    SQRT2,
    TWO_OVER_SQRT_PI,
)
from .._core.elementary import lgamma, log1mexp_neg_array
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


def _fill(
    n: int,
    R: np.ndarray,
    lo: int,
    upper: bool,
    far: bool,
    deriv: bool,
    il: np.ndarray,
    H: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The matrices of K radii ``R`` (Ginibre scale, shape (K,)) that share the window ``lo``.

    Returns ``M`` (K, 3, N, N), ``S`` (K, 2, N) and ``lmax`` (K,). ``E = M[:, 0]`` is K if
    ``upper``, else B = I - K, on the window, scaled: E'_ab = E_ab exp(-lrow_a - lcol_b) with
    ``lrow, lcol = S[:, 0], S[:, 1]``; ``ED = M[:, 1]`` is dE'/dR if ``deriv`` (else 0);
    ``EA = M[:, 2]`` is, per entry, the sum of the absolute values of the terms of E'_ab (the
    scale against which rounding and cancellation in the entries are measured); ``lmax`` is the
    log of the largest unscaled piece of K (it detects the far tail). ``il`` (K, 2, 2m - 1) and
    ``H`` (K, 4, m + 1) are the tables of :func:`_tables`.

    Odd n = 2m + 1 (index w = m - lo is the unpaired x^{2m} / border), with
    Delta_i = P(i+1/2, x) - P(m+1/2, x) = sum_{k=i}^{m-1} x^{k+1/2} e^{-x} / Gamma(k+3/2):

        K~_ij = delta_ij Q(2i+1, R^2) + t_i Delta_i v_j - c v_j (v_i F_{2(i-j)+1} - (t_i/t_m) v_m F_{2(m-j)+1})
        K~_mj = alpha_m v_j - c v_m v_j F_{2(m-j)+1},    K~_im = -(t_i/t_m) Delta_i,
        K~_mm = Q(m + 1/2, x).

    numpy over all K radii at once, not a compiled kernel: compiled, this was the largest
    function of the law (1.9 s of a 5.4 s cold first call, issue 16); vectorised over the radii
    of one call it costs ~N^2 flops plus ~70 numpy calls per group of radii (see
    :func:`real_radius_law_array`). Overflow to inf and 0 * inf = NaN happen exactly where the
    entries are meaningless (deep lower tail) and are caught by the error estimate downstream.
    Memory: a few (K, N, N) temporaries; at n = 10^5 (N ~ 2150) one density evaluation peaked at
    0.84 GB resident against 0.40 GB for the compiled fill (measured 2026-12-03).
    """
    K = R.shape[0]
    m = n // 2
    odd = n % 2
    w = m - lo
    N = w + odd
    Rc = R[:, None]
    R2 = Rc * Rc
    lR = np.log(Rc)
    x = 0.5 * R2
    lx = np.log(x)
    c = (Rc * INV_SQRT_2PI)[:, :, None]
    dc = INV_SQRT_2PI
    sgn = 1.0 if upper else -1.0
    i = np.arange(lo, m, dtype=np.float64)
    lg2 = gammaln(2.0 * i + 1.0)
    # per-index pieces (K, N): log v, d log v/dR, log of the diagonal and of its R-derivative,
    # log t (no R), and the rank-one row coefficient A (log) and its derivative
    lv = np.empty((K, N))
    dlv = np.empty((K, N))
    ldiag = np.empty((K, N))
    ldd = np.empty((K, N))
    lt = np.empty(N)
    lA = np.empty((K, N))
    dA = np.zeros((K, N))
    lv[:, :w] = 2.0 * i * lR - 0.5 * R2 - 0.5 * lg2
    dlv[:, :w] = 2.0 * i / Rc - Rc
    ldiag[:, :w] = il[:, 1 if upper else 0, 2 * lo : 2 * m : 2]
    ldd[:, :w] = np.log(2.0 * Rc) + 2.0 * lv[:, :w]
    lt[:w] = 0.5 * lg2 - i * LN2 - gammaln(i + 1.0)
    lg2m = float(gammaln(2.0 * m + 1.0))
    ltm = 0.5 * lg2m - m * LN2 - float(gammaln(m + 1.0))
    lvm = 2.0 * m * lR - 0.5 * R2 - 0.5 * lg2m
    dlvm = 2.0 * m / Rc - Rc
    # e_k = x^{k-1/2} e^{-x} / Gamma(k+1/2) = dP(k+1/2, x)/dx
    lem = (m - 0.5) * lx - x - float(gammaln(m + 0.5))
    lpm, lqm = H[:, 0, w : w + 1], H[:, 1, w : w + 1]
    if deriv:
        lei = (i - 0.5) * lx - x - gammaln(i + 0.5)
    if odd == 1:
        # Delta_i by a downward cumulative log-sum of positive terms
        terms = (i + 0.5) * lx - x - gammaln(i + 1.5)
        lcum = np.logaddexp.accumulate(terms[:, ::-1], axis=1)[:, ::-1]
        lA[:, :w] = lt[:w] + lcum
        if deriv:
            dA[:, :w] = np.exp(lt[:w] + lR + lei) - np.exp(lt[:w] + lR + lem)
        lv[:, w:] = lvm
        dlv[:, w:] = dlvm
        ldiag[:, w:] = lqm if upper else lpm
        ldd[:, w:] = lR + lem
        lt[w] = ltm
        lA[:, w:] = ltm + lpm
        dA[:, w:] = np.exp(ltm + lR + lem)
        lmax = np.maximum(lqm[:, 0], lcum[:, 0]) if w else lqm[:, 0].copy()
    else:
        lA[:, :w] = lt[:w] + H[:, 0, :w]
        if deriv:
            dA[:, :w] = np.exp(lt[:w] + lR + lei)
        lmax = np.full(K, -INF)
    lmax = np.maximum(lmax, lv.max(axis=1))
    if upper:
        lmax = np.maximum(lmax, ldiag.max(axis=1))
    # scales
    S = np.zeros((K, 2, N))
    lrow, lcol = S[:, 0], S[:, 1]
    if far:
        lcol[:] = lmax[:, None]
    elif not upper:
        # B_kk = P(2k+1, R^2) ~ v_k^2 (R^2/(2k+1-R^2)) where small: scale rows and
        # columns by its square root (1 where B_kk ~ 1)
        lrow[:] = np.where(ldiag < 0.0, 0.5 * ldiag, 0.0)
        lcol[:] = lrow
        if odd == 1:
            # row m ~ P(m+1/2, x) (its diagonal, with the border column unscaled)
            lrow[:, w] = np.where(ldiag[:, w] < 0.0, ldiag[:, w], 0.0)
            lcol[:, w] = 0.0
    # scaled per-index factors
    V = np.exp(lv - lcol)
    W = np.exp(lv - lrow)
    As = np.exp(lA - lrow)
    Z = np.exp(lt - ltm + lvm - lrow) if odd == 1 else np.zeros((K, N))
    M = np.zeros((K, 3, N, N))
    E, ED, EA = M[:, 0], M[:, 1], M[:, 2]
    # columns j < m: the N part (same for both forms up to the sign); F_{2d+1} for a - b = d in
    # (-w, w) from the table of odd orders (F_{-e} = -F_e) as a Toeplitz gather
    b = np.arange(w)
    toeplitz = (b[:, None] - b[None, :]) + w
    Fo = H[:, 2, :w]
    fmb = H[:, 2, w - b]
    T = np.concatenate((-Fo[:, ::-1], Fo), axis=1)[:, toeplitz]
    inner = np.empty((K, N, w))
    inner[:, :w] = W[:, :w, None] * T - Z[:, :w, None] * fmb[:, None, :]
    if odd == 1:  # row m: alpha_m v_j - c v_m v_j F_{2(m-j)+1}
        inner[:, w] = W[:, w : w + 1] * fmb
    Vb = V[:, None, :w]
    E[:, :, :w] = sgn * (Vb * (As[:, :, None] - c * inner))
    EA[:, :, :w] = Vb * (
        np.abs(As)[:, :, None] + c * (np.abs(inner) + 2.0 * np.abs(Z)[:, :, None] + 2.0 * W[:, :, None])
    )
    if deriv:
        dFo = H[:, 3, :w]
        dT = np.concatenate((-dFo[:, ::-1], dFo), axis=1)[:, toeplitz]
        g = dlvm * fmb + H[:, 3, w - b]
        dinner = np.empty((K, N, w))
        dinner[:, :w] = W[:, :w, None] * (dlv[:, :w, None] * T + dT) - Z[:, :w, None] * g[:, None, :]
        if odd == 1:
            dinner[:, w] = W[:, w : w + 1] * g
        dAs = dA * np.exp(-lrow)
        dlvb = dlv[:, None, :w]
        ED[:, :, :w] = sgn * (
            Vb * (dAs[:, :, None] + dlvb * As[:, :, None] - dc * inner - c * (dlvb * inner + dinner))
        )
    if odd == 1:
        # border column: K~_im = -(t_i/t_m) Delta_i (i < m)
        val = -np.exp(lA[:, :w] - ltm - lrow[:, :w] - lcol[:, w : w + 1])
        E[:, :w, w] = sgn * val
        EA[:, :w, w] = np.abs(val)
        if deriv:
            ED[:, :w, w] = sgn * (-dA[:, :w] * np.exp(-ltm - lrow[:, :w] - lcol[:, w : w + 1]))
    # diagonal: Q (upper) or P (lower) and its derivative -/+ ...
    diag = np.arange(N)
    dg = np.exp(ldiag - lrow - lcol)
    E[:, diag, diag] += dg
    EA[:, diag, diag] += dg
    if deriv:
        dd = np.exp(ldd - lrow - lcol)
        ED[:, diag, diag] += -dd if upper else dd
    return M, S, lmax


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


def _edge_cases(n: int, R: float) -> tuple[float, float, float] | None:
    """(log cdf, log sf, log pdf in R) where R is not a positive finite radius of the general
    path, else None."""
    if R != R:
        return NAN, NAN, NAN
    if R <= 0.0:
        return -INF, 0.0, (HALF_LOG_2_OVER_PI if n == 1 and R == 0.0 else -INF)
    if R == INF:
        return 0.0, -INF, -INF
    if n == 1 and R < 1e-150:
        # cdf = P(|N(0, 1)| <= R) = sqrt(2/pi) R (1 - R^2/6 + ...) to rounding; the general path
        # would square R into the subnormal range (R^2 < 2.2e-308 has fewer digits: cdf was off
        # by 6e-7 relative at R = 1e-159, found by the long fuzz profile)
        lc = math.log(R) + HALF_LOG_2_OVER_PI
        return lc, -math.exp(lc), HALF_LOG_2_OVER_PI
    return None


def _solve(
    n: int, R: np.ndarray, lo: int, want_pdf: bool, il: np.ndarray, H: np.ndarray, out: np.ndarray
) -> None:
    """out[k] = (log cdf, log sf, log pdf in R) at the radii R[k] > 0 that share the window lo
    (tables ``il[k]``, ``H[k]`` from :func:`_tables`): first order in the far tail, else the
    upper path if it is accepted, else the lower path (module docstring)."""
    with np.errstate(all="ignore"):
        M, _, lmax = _fill(n, R, lo, True, False, want_pdf, il, H)
    N = M.shape[2]
    far = np.flatnonzero(lmax < _FAR_LOG)
    if far.size:
        # far upper tail: sf = tr K to first order (relative error < e^-200)
        with np.errstate(all="ignore"):
            Mf, _, lmf = _fill(n, R[far], lo, True, True, want_pdf, il[far], H[far])
        tr = np.trace(Mf[:, 0], axis1=1, axis2=2)
        dtr = np.trace(Mf[:, 1], axis1=1, axis2=2)
        for j, k in enumerate(far.tolist()):
            if not tr[j] > 0.0:
                out[k] = NAN, NAN, NAN
                continue
            logsf = float(lmf[j]) + math.log(tr[j])
            logpdf = NAN
            if want_pdf:
                logpdf = float(lmf[j]) + math.log(-dtr[j]) if dtr[j] < 0.0 else -INF
            out[k] = -math.exp(logsf), logsf, logpdf
    lower = []
    for k in np.flatnonzero(lmax >= _FAR_LOG).tolist():
        E = M[k, 0]
        if not np.trace(E) < 1.5:
            lower.append(k)
            continue
        logcdf, pmin = _eliminate_upper(E)
        if not (logcdf == logcdf and pmin >= _MIN_PIVOT and logcdf >= _UPPER_LOGCDF):
            lower.append(k)
            continue
        logsf = math.log(-math.expm1(logcdf)) if logcdf < 0.0 else -INF
        logpdf = NAN
        if want_pdf:
            # the elimination as the packed LU of A0 = I - K0 (no pivoting):
            # U_kj = -K_kj (j > k), U_kk = 1 - K_kk, L_ik = -K_ik / U_kk
            d = 1.0 - np.diagonal(E)
            lu = -(np.tril(E, -1) / d + np.triu(E, 1))
            lu[np.diag_indices(N)] = d
            x, _ = lapack.dgetrs(lu, np.arange(N, dtype=np.int32), M[k, 1])
            t = float(np.trace(x))
            logpdf = logcdf + math.log(-t) if t < 0.0 else -INF
        out[k] = logcdf, logsf, logpdf
    if not lower:
        return
    # lower path: B = I - K, LU with partial pivoting of B^T (the F-ordered view of E; same
    # determinant, and its inverse is (B^-1)^T)
    with np.errstate(all="ignore"):
        Ml, Sl, _ = _fill(n, R[lower], lo, False, False, want_pdf, il[lower], H[lower])
    scales = Sl.sum(axis=(1, 2))
    done = []  # rows with a log cdf: their log sf = log(1 - cdf) at the end
    for j, k in enumerate(lower):
        E, ED, EA = Ml[j]
        scl = float(scales[j])
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
            # cancellation beyond the reliable range (deep lower tail, small r): cdf unknown; it
            # is tiny there (the upper path failed, so cdf < 1/2 and in practice far smaller),
            # and sf = 1 - cdf is returned as 1 only when a sound bound shows cdf < 1e-12:
            # |det B'| <= prod_a (sum_b |B'_ab| + eps EA_ab) (Hadamard with row 1-norms)
            with np.errstate(divide="ignore"):
                bound = scl + float(np.log(np.maximum(2.0 * EA.sum(axis=1), 1e-300)).sum())
            out[k] = NAN, (0.0 if bound < _LOG_SF_ONE else NAN), NAN
            continue
        ld = float(np.log(np.abs(d)).sum()) + scl
        logcdf = ld if ld < 0.0 else 0.0
        logpdf = NAN
        if want_pdf:
            # tr(B^-1 dB) = tr(B^-T dB^T): solve with the LU of B^T
            x, _ = lapack.dgetrs(lu, piv, ED.T)
            t = float(np.trace(x))
            logpdf = logcdf + math.log(t) if t > 0.0 else -INF
        out[k] = logcdf, NAN, logpdf
        done.append(k)
    if done:
        s = -out[done, 0]
        with np.errstate(divide="ignore"):
            out[done, 1] = log1mexp_neg_array(s, np.log(s))


#: largest number of matrix entries (radii x window^2) filled at once by real_radius_law_array
_BATCH_ENTRIES = 1 << 18


def _law_ginibre(n: int, R: float, want_pdf: bool, lo_min: int) -> tuple[float, float, float, int]:
    """(log cdf, log sf, log pdf in R, window size) of rho(G), Ginibre scale, at one radius R.

    ``lo_min`` caps the lowest kept index from above (0 keeps the automatic window; -1 forces
    the full matrix, used by the tests to check the truncation).
    """
    edge = _edge_cases(n, R)
    if edge is not None:
        return (*edge, 1 if n == 1 and 0.0 < R < 1e-150 else 0)
    m = n // 2
    il = np.empty((1, 2, max(2 * m - 1, 0)))
    H = np.empty((1, 4, m + 1))
    lo = _tables(n, R, lo_min, il[0], H[0])
    out = np.empty((1, 3))
    _solve(n, np.array([R]), lo, want_pdf, il, H, out)
    return float(out[0, 0]), float(out[0, 1]), float(out[0, 2]), m - lo + n % 2


def real_radius_law_array(n: int, r: np.ndarray, want_pdf: bool, out: np.ndarray) -> None:
    """Fill ``out[i] = (log cdf, log sf, log pdf)`` of rho(W), W = G/sqrt(n), at Glorot r[i].

    The tables are compiled per radius (:func:`_tables`); the matrices of all radii that share a
    window are filled at once by numpy (:func:`_fill`, at most ``_BATCH_ENTRIES`` entries at a
    time) and factorised one by one (compiled elimination, LAPACK). Compiled end to end, with
    a compiled loop over the radii, this law cost 6.9 s CPU on a cold cache (now 3.9 s; the
    matrix fill alone was 1.9 s of compile time). Warm, 50 radii from the 0.001 to the 0.999
    quantile, cdf+sf (pdf), against the compiled version: n = 2 1.7 ms (3.2), was 0.4 (0.45);
    n = 100 13 ms (21), was 8 (14); n = 1000 180 ms (255), was 261 (507); n = 4096 1.2 s
    (1.7), was 2.0 (4.3): ~30 us of Python per radius at small n, and LAPACK's blocked LU
    ahead for large windows.
    """
    sq = math.sqrt(float(n))
    lsq = 0.5 * math.log(float(n))
    R = sq * np.asarray(r, dtype=np.float64)
    m = n // 2
    regular = []
    for i, Ri in enumerate(R.tolist()):
        edge = _edge_cases(n, Ri)
        if edge is None:
            regular.append(i)
        else:
            out[i] = edge
    if not regular:
        out[:, 2] += lsq
        return
    Rr = R[regular]
    il = np.empty((len(regular), 2, max(2 * m - 1, 0)))
    H = np.empty((len(regular), 4, m + 1))
    lo = np.array([_tables(n, Ri, 0, il[k], H[k]) for k, Ri in enumerate(Rr.tolist())])
    rows = np.asarray(regular)
    for lo_g in np.unique(lo).tolist():
        group = np.flatnonzero(lo == lo_g)
        N = m - lo_g + n % 2
        step = max(1, _BATCH_ENTRIES // (N * N))
        for s in range(0, group.size, step):
            g = group[s : s + step]
            sub = np.empty((g.size, 3))
            _solve(n, Rr[g], lo_g, want_pdf, il[g], H[g], sub)
            out[rows[g]] = sub
    out[:, 2] += lsq
