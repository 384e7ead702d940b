"""Private numba kernels for the eigenvalue moments m_k(n) of Glorot matrices.

m_k(n) = (1/n) E sum_i |lambda_i(W)|^{2k},  W = G / sqrt(n).

* complex Ginibre: closed form (1/(k+1)) prod_{j=1}^k (1 + j/n) (Kostlan's theorem), evaluated as
  exp(L(n + 1, k) + k log1p(1/n)) / (k + 1) with the cancellation-free log-gamma ratio L below;
* real Ginibre: real-line part in closed form (an integral of the Edelman-Kostlan-Shub density,
  a Gauss hypergeometric sum of positive terms) plus the plane part, a 1-D radial quadrature of
  Edelman's non-real density whose angular integral is done by Gauss-Legendre per node.

All quantities are returned as logs, already divided by n^{k+1}, so that nothing of size
k log n is ever formed and subtracted.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import HALF_LOG_2PI, LN2, LOG_PI, SQRT2
from .._core.elementary import (
    log_gamma_ratio,
    logaddexp,
)
from .._core.erf import (
    one_minus_erfcx,
)
from .._core.incgamma import (
    log_gammainc_q,
)
from .._core.jit import jit

# 20-point Gauss-Legendre nodes/weights on [-1, 1].
_GL_X, _GL_W = np.polynomial.legendre.leggauss(20)


@jit(inline="always")
def log_moment_complex(n: int, k: int) -> float:
    """log m_k(n) for complex Glorot: log[ Gamma(n+k+1) / ((k+1) Gamma(n+1) n^k) ]."""
    if k == 0:
        return 0.0
    return log_gamma_ratio(n + 1.0, float(k)) + k * math.log1p(1.0 / n) - math.log(k + 1.0)


# Above this peak index j* = b - 2c of the 2F1 terms the sum starts at the peak (O(sqrt(b))
# terms) instead of at j = 0 (O(b) terms).
_HYP_PEAK_START = 2000


@jit(inline="always")
def _log_hyp2f1_half(b: float, c: float) -> float:
    """log 2F1(1, b; c; 1/2) for b, c > 0 by summing its positive terms in scaled form.

    Term ratio (b + j) / (2 (c + j)); the terms rise while that ratio exceeds 1 (up to
    j* ~ b - 2c) and then decay, geometrically in the end (ratio -> 1/2). For j* <= 2000 the
    sum runs from j = 0, with the running term and sum kept in linear space and rescaled by
    2^-900 whenever the term passes 2^900. Beyond, it starts at the peak term (its log from
    cancellation-free log-gamma ratios, ``log_gamma_ratio``) and runs outwards in both
    directions: the terms fall like exp(-(j - j*)^2 / (4 (b - c))) around the peak, so
    O(sqrt(b)) terms are summed instead of O(b) (the log of the peak term has an absolute error
    of a few ulps of b log 2). Summation stops once a term is below 1e-18 of the sum (every term
    is positive, so the relative rounding error is a few ulps times the log of the number of
    terms).
    """
    jstar = float(math.floor(b - 2.0 * c))  # float: one compiled log_gamma_ratio (issue 16)
    if jstar > _HYP_PEAK_START and c > 1.0:
        # 2F1(1, b; c; 1/2) = (c - 1) 2^b B(c - 1, q) I_(1/2)(c - 1, q), q = b - c + 1 (DLMF
        # 15.4.1 with 8.17.7: the incomplete beta form), and 1 - I_(1/2)(p, q) =
        # Pr(G_p > G_q) <= (1 - th)^-p (1 + th)^-q, th = (q - p)/(q + p) (Chernoff bound for
        # independent G_p ~ Gamma(p), G_q ~ Gamma(q)). Below e^-45 the complete beta alone is
        # exact to rounding; log B(p, q) = lgamma(p) - L(q, p) - p log q (log_gamma_ratio).
        p = c - 1.0
        q = b - c + 1.0
        th = (q - p) / (q + p)
        if -p * math.log1p(-th) - q * math.log1p(th) < -45.0:
            return math.log(p) + math.lgamma(p) + b * LN2 - log_gamma_ratio(q, p) - p * math.log(q)
    if jstar > _HYP_PEAK_START:
        # log of t_j* = (b)_j*/(c)_j* 2^-j*
        lpeak = (
            log_gamma_ratio(b, jstar) - log_gamma_ratio(c, jstar) + jstar * (math.log(b / c) - LN2)
        )
        acc = 1.0
        term = 1.0
        j = jstar
        while j > 0.0:  # t_(j-1) = t_j / r_(j-1)
            j -= 1.0
            term *= 2.0 * (c + j) / (b + j)
            acc += term
            if term < 1e-18 * acc:
                break
        term = 1.0
        j = jstar
        while True:  # t_(j+1) = t_j r_j, r_j < 1 past the peak
            term *= (b + j) / (2.0 * (c + j))
            acc += term
            j += 1.0
            if term < 1e-18 * acc:
                break
        return lpeak + math.log(acc)
    big = 2.0**900
    tiny = 2.0**-900
    log_scale = 0.0
    term = 1.0
    acc = 1.0
    j = 0
    while True:
        r = (b + j) / (2.0 * (c + j))
        term *= r
        acc += term
        j += 1
        if term > big:
            term *= tiny
            acc *= tiny
            log_scale += 900.0 * LN2
        if r < 1.0 and term < 1e-18 * acc:
            break
    return log_scale + math.log(acc)


@jit(python=True)
def log_real_line_part(n: int, k: int) -> float:
    """log of (1/n^{k+1}) int x^{2k} rho_n(x) dx for real Ginibre (rho_n: EKS density).

    Closed form (integrating Edelman-Kostlan-Shub Cor. 4.3 term by term):
    int x^{2k} rho_n = Gamma(n+k-1/2)/sqrt(2 pi) [1/((k+1/2) Gamma(n-1)) + F/Gamma(n)],
    F = 2F1(1, n+k-1/2; (n+1)/2; 1/2). For n = 1 it is (2k-1)!!.
    """
    if n == 1:
        return math.lgamma(k + 0.5) + k * math.log(2.0) - 0.5 * LOG_PI
    a = n - 1.0
    d = k + 0.5
    lead = log_gamma_ratio(a, d) + d * math.log1p(-1.0 / n) - 0.5 * math.log(n) - HALF_LOG_2PI
    logf = _log_hyp2f1_half(n + k - 0.5, 0.5 * (n + 1.0))
    bracket = logaddexp(-math.log(d), logf - math.log(a))
    return lead + bracket


@jit(inline="always")
def angular_factor(s: float) -> float:
    """A(s) = (1/pi) int_0^pi h(sqrt(2) s sin theta) d theta = 1 - erfcx(sqrt(2) s), h(x) = sqrt(pi) x erfcx(x).

    Edelman's non-real density at modulus s (Ginibre scale) is Q(n-1, s^2) A-weighted: the mean
    number of non-real eigenvalues in the annulus ds is 2 s Q(n-1, s^2) A(s) ds. A rises from 0
    (A ~ 2 sqrt(2/pi) s) to 1 (1 - A ~ 1/(s sqrt(2 pi))). The angular integral has the closed form
    1 - erfcx(sqrt 2 s) (the circle integral of the densities module), evaluated with a series
    below sqrt(2) s = 1/2 so it keeps full relative accuracy as s -> 0; tests check it against
    direct Gauss-Legendre quadrature of the defining integral.
    """
    if s <= 0.0:
        return 0.0
    return one_minus_erfcx(SQRT2 * s)


# Half-width, in units of 1/sqrt(n) in w (units of 1 in s = sqrt(n) w), of the window kept
# around the peak of each order's integrand beyond the edge: the log-integrand has curvature
# >= 2 in s there, so it is below e^-1600 of its peak outside the window.
_WINDOW = 40.0


def _plane_grid(n: int, ks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes w and weights of the radial quadrature in w = |z|/sqrt(n) (Glorot modulus), for
    the orders ks (sorted increasingly).

    Breakpoints: geometric panels from 1/(4 sqrt n) up to 1/2 (the angular factor varies on the
    scale 1/sqrt(n) near 0); panels graded toward the edge w = 1 (width a quarter of the distance);
    then uniform panels of width h = 1/sqrt(n) (one unit in s = sqrt(n) w: the log-integrand
    s^(2k+1) Q(n-1, s^2) A(s) has curvature of order 4 in s around its peak for every k, so a
    20-point rule on a panel of one unit is exact to rounding) up to 1 + 40/sqrt(n), and beyond
    it only the panels within 40/sqrt(n) of the peak w_k = sqrt((k + n)/n) of some order k
    (s^2 = k + n - 3/2 is where s^(2k+2n-3) e^(-s^2) peaks). The node count is therefore
    O(sqrt(n) + sqrt(n + max k)) and O(sqrt(n)) per distinct window, never O(k^2/n).

    Plain Python and numpy: compiled (it builds lists), it was ~0.5 s of the cold first call of
    ``eigenvalue_moment`` and ``instability_threshold`` for well under a millisecond per call
    (issue 16).
    """
    rn = math.sqrt(n)
    edge_w = 1.0 / rn
    h = edge_w
    bps = [0.0]
    w = 0.25 * edge_w
    lower_edge = 1.0 - 2.0 * edge_w
    w_end = lower_edge if lower_edge < 0.5 else 0.5
    while w < w_end:
        bps.append(w)
        w *= 2.0
    d = 1.0 - bps[-1]
    while d * 0.75 > 2.0 * edge_w:
        d *= 0.75
        bps.append(1.0 - d)
    start = bps[-1]
    lows = []
    for p in range(len(bps) - 1):
        lows.append(bps[p])
    widths = []
    for p in range(len(bps) - 1):
        widths.append(bps[p + 1] - bps[p])
    # uniform panels [start + i h, start + (i + 1) h] for i in the union of index ranges
    i_next = 0  # first panel index not yet emitted
    i_hi = int(math.ceil((1.0 + _WINDOW * edge_w - start) / h))
    for i in range(i_next, i_hi):
        lows.append(start + i * h)
        widths.append(h)
    i_next = i_hi if i_hi > i_next else i_next
    for kq in ks.tolist():
        wk = math.sqrt((kq + float(n)) / n)
        lo_i = int(math.floor((wk - _WINDOW * edge_w - start) / h))
        hi_i = int(math.ceil((wk + _WINDOW * edge_w - start) / h))
        if lo_i < i_next:
            lo_i = i_next
        for i in range(lo_i, hi_i):
            lows.append(start + i * h)
            widths.append(h)
        if hi_i > i_next:
            i_next = hi_i
    hw = 0.5 * np.array(widths)
    mid = np.array(lows) + hw
    nodes = (mid[:, None] + hw[:, None] * _GL_X[None, :]).ravel()
    weights = (hw[:, None] * _GL_W[None, :]).ravel()
    return nodes, weights


def log_plane_parts(n: int, ks: np.ndarray) -> np.ndarray:
    """log of (1/n^{k+1}) E sum over non-real eigenvalues of |lambda(G)|^{2k}, for each k in ks.

    = int_0^inf 2 w^{2k+1} Q(n-1, n w^2) A(sqrt(n) w) dw (polar form of Edelman 1997, Thm 6.2).
    One quadrature grid serves every k (ks sorted increasingly, see _plane_grid); each k is
    summed in scaled form.
    Returns -inf for n = 1 (no non-real eigenvalues).
    """
    if n == 1:
        return np.full(ks.shape[0], -math.inf)
    nodes, weights = _plane_grid(n, ks)
    return _log_plane_sums(n, ks, nodes, weights)


@jit(python=True)
def _log_plane_sums(n: int, ks: np.ndarray, nodes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The sums of :func:`log_plane_parts` on the grid of :func:`_plane_grid` (n >= 2)."""
    out = np.empty(ks.shape[0])
    m = nodes.shape[0]
    f0 = np.empty(m)  # log of the integrand without w^{2k} and without the weight
    lw = np.empty(m)
    lwt = np.empty(m)
    rn = math.sqrt(n)
    for j in range(m):
        w = nodes[j]
        lq = log_gammainc_q(n - 1.0, n * w * w)
        av = angular_factor(rn * w)
        f0[j] = math.log(2.0 * w * av) + lq if av > 0.0 else -math.inf
        lw[j] = math.log(w)
        lwt[j] = math.log(weights[j])
    for i in range(ks.shape[0]):
        k2 = 2.0 * ks[i]
        # The integrand w^{2k+1} Q A is log-concave in w, so its values on the increasing nodes
        # are unimodal: locate the peak by ternary search, then sum outwards until the terms are
        # below e^-45 of the peak (they cannot change the sum in double precision).
        lo = 0
        hi = m - 1
        while hi - lo > 2:
            m1 = lo + (hi - lo) // 3
            m2 = hi - (hi - lo) // 3
            if f0[m1] + k2 * lw[m1] < f0[m2] + k2 * lw[m2]:
                lo = m1 + 1
            else:
                hi = m2 - 1
        peak = lo
        best = f0[lo] + k2 * lw[lo]
        for j in range(lo, hi + 1):
            v = f0[j] + k2 * lw[j]
            if v > best:
                best = v
                peak = j
        # terms relative to the peak: f0 difference + 2k log(w_j / w_peak), the latter by log1p
        # of the relative node offset, so no rounding of 2k log w (~k log k) enters the weights
        fp = f0[peak]
        wp = nodes[peak]
        acc = 0.0
        j = peak
        while j >= 0:
            v = f0[j] - fp + k2 * math.log1p((nodes[j] - wp) / wp)
            if v < -45.0:
                break
            acc += math.exp(v + lwt[j])
            j -= 1
        j = peak + 1
        while j < m:
            v = f0[j] - fp + k2 * math.log1p((nodes[j] - wp) / wp)
            if v < -45.0:
                break
            acc += math.exp(v + lwt[j])
            j += 1
        out[i] = best + math.log(acc)
    return out


def log_moments_real(n: int, ks: np.ndarray) -> np.ndarray:
    """log m_k(n) for real Glorot, for each k in ks (sorted increasingly; real-line part +
    plane part).

    Plain Python around the two compiled parts: a compiled wrapper was one more library that
    re-generated both of them (cold eigenvalue_moment and instability_threshold about -0.4 s,
    interleaved A/B, issue 16); the loop over ks is short.
    """
    plane = log_plane_parts(n, ks)
    line = np.array([log_real_line_part(n, k) for k in ks.tolist()], dtype=np.float64)
    return np.logaddexp(line, plane)


@jit(python=True)
def log_moments_complex(n: int, ks: np.ndarray) -> np.ndarray:
    """log m_k(n) for complex Glorot, for each k in ks."""
    out = np.empty(ks.shape[0])
    for i in range(ks.shape[0]):
        out[i] = log_moment_complex(n, ks[i])
    return out
