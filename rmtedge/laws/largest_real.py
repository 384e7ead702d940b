"""The law of the largest real eigenvalue of a real Ginibre (Glorot) matrix: exact at finite n
(a Fredholm Pfaffian) and its n -> inf edge limit.

The real eigenvalues of a real Ginibre matrix form a Pfaffian point process (Sinclair 2007;
Forrester & Nagao 2007; Borodin & Sinclair 2009), so the gap probability of ``J = (t, inf)`` --
the distribution function of the largest real eigenvalue ``lambda_max^R`` -- is a Fredholm
Pfaffian ``sqrt(det(I - K chi_J))`` with the 2 x 2 real-real kernel ``K = [[S, D], [I, S^T]]``.
This module evaluates it in a reduced scalar form (docs/theory.md, "Largest real eigenvalue")

    P(lambda_max^R <= t)^2 = det(1 - S_J) * (1 - int_J kappa + <rho, (1 - S_J)^{-1} D1>),

with ``kappa(y) = (S(y, t) + S(y, b))/2``, ``D1(x) = S(x, t) - S(x, b)``,
``rho(y) = (1/2) int_J sgn(y - s) S(s, y) ds``, ``J = (t, b)`` (``b`` = 10 beyond the edge),
by Gauss-Legendre quadrature (Bornemann 2010) with the closed form of ``S`` of
:mod:`rmtedge.laws._largest_real_kernels`. Every piece is smooth, so the quadrature converges
exponentially (the unreduced 2 x 2 form has the jump ``sgn(x - y)/2`` in ``I`` and would not).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import optimize, special

from .._core.checks import check_choice, check_n, check_rng, check_scale, check_size
from ._frozen import FrozenLaw, _as_float_array, _ret
from ._largest_real_kernels import fill_nodes

__all__ = [
    "LargestRealEigenvalueLaw",
    "LargestRealEigenvalueLimit",
    "largest_real_eigenvalue_law",
    "largest_real_eigenvalue_limit",
    "largest_real_eigenvalue_sf",
]

#: distance (Ginibre units) beyond the edge sqrt(n) at which J = (t, inf) is cut; the neglected
#: probability is below E #{real eigenvalues > sqrt(n) + 10} ~ erfc(10)/4 ~ 5e-46
_CUT = 10.0
#: Gauss-Legendre nodes per unit length of J (plus _NODES0): measured log-cdf error ~1e-13
_NODES_PER_UNIT = 3.5
_NODES0 = 10
_NODES_MAX = 800
#: step of the finite-difference derivative (Ginibre units) used by pdf
_FD_H = 0.02
_FD_C = np.array([-1.0, 9.0, -45.0, 0.0, 45.0, -9.0, 1.0]) / 60.0
#: largest n for which rvs simulates matrices (O(n^3) each) instead of inverting the cdf
_RVS_SIM_MAX = 300
_SQRT_2PI = math.sqrt(2.0 * math.pi)
#: zeta(3/2) / (2 sqrt(2 pi)): the left-tail slope of the limit law (Poplavskyi-Tribe-Zaboronski)
LEFT_TAIL_SLOPE = float(special.zeta(1.5, 1)) / (2.0 * _SQRT_2PI)


@lru_cache(maxsize=128)
def _gauss(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes/weights on [-1, 1] and the integration matrix
    ``W[i, l] = int_{-1}^{xi_i} ell_l(s) ds`` (ell_l the Lagrange basis on the nodes), exact for
    polynomials of degree < m: ``ell_l = w_l sum_{k<m} (k + 1/2) P_k(xi_l) P_k`` and
    ``int_{-1}^x P_k = (P_{k+1} - P_{k-1})/(2k + 1)``."""
    xi, wi = np.polynomial.legendre.leggauss(m)
    p = np.empty((m + 1, m))
    p[0] = 1.0
    p[1] = xi
    for k in range(1, m):
        p[k + 1] = ((2 * k + 1) * xi * p[k] - k * p[k - 1]) / (k + 1)
    ip = np.empty((m, m))
    ip[0] = xi + 1.0
    ip[1:] = (p[2 : m + 1] - p[0 : m - 1]) / (2 * np.arange(1, m) + 1)[:, None]
    w_int = (ip.T * (np.arange(m) + 0.5)) @ (p[:m] * wi)
    for arr in (xi, wi, w_int):
        arr.setflags(write=False)
    return xi, wi, w_int


def _logdet_one_minus(a: np.ndarray) -> float:
    """log det(1 - a); the series -sum tr(a^k)/k when a is small (keeps 1 - det accurate)."""
    if np.linalg.norm(a) < 0.05:
        total = 0.0
        p = a
        for k in range(1, 400):
            term = float(np.trace(p)) / k
            total -= term
            if abs(term) <= 1e-18 * abs(total) or term == 0.0:
                break
            p = p @ a
        return total
    sign, logdet = np.linalg.slogdet(np.eye(a.shape[0]) - a)
    return float(logdet) if sign > 0 else math.nan


def _log_gap(t: float, nn: int, edge: float) -> float:
    """log P(no real eigenvalue in (t, max(t, edge) + _CUT)) (nn = n, or 0 for the limit).

    Returns NaN when the discretised determinant is not positive (only possible where the
    probability is below the absolute accuracy ~1e-14, deep in the lower tail).
    """
    b = max(t, edge) + _CUT
    length = b - t
    m = int(math.ceil(_NODES0 + _NODES_PER_UNIT * length))
    m = min(_NODES_MAX, 8 * ((m + 7) // 8))  # multiples of 8: few rules to cache
    xi, wi, w_int = _gauss(m)
    half = 0.5 * length
    x = t + half * (xi + 1.0)
    w = half * wi
    s = np.empty((m, m + 2))
    fill_nodes(nn, x, t, b, s)
    sw = np.sqrt(w)
    a = sw[:, None] * s[:, :m] * sw[None, :]
    col_t = s[:, m]
    col_b = s[:, m + 1]
    kappa = 0.5 * (col_t + col_b)
    d1 = col_t - col_b
    # rho_j = int_t^{x_j} S(s, x_j) ds - (1/2) int_t^b S(s, x_j) ds  (spectral integration)
    rho = np.einsum("jl,lj->j", half * w_int - 0.5 * w[None, :], s[:, :m])
    logdet = _logdet_one_minus(a)
    v = np.linalg.solve(np.eye(m) - a, sw * d1)
    delta = float(w @ kappa - (sw * rho) @ v)
    if not delta < 1.0:
        return math.nan
    return 0.5 * (logdet + math.log1p(-delta))


def _log1mexp(lc: float) -> float:
    """log(1 - e^lc) for lc <= 0 (Maechler's switch); -inf at lc = 0."""
    if lc >= 0.0:
        return -math.inf
    if lc > -math.log(2.0):
        return math.log(-math.expm1(lc))
    return math.log1p(-math.exp(lc))


class _LargestRealBase(FrozenLaw):
    """Shared machinery; Ginibre-scale core ``_pair(t) -> (log cdf, log sf)``, then scaling."""

    #: n (0 for the limit law)
    _nn: int = 0
    #: centre of the law in the core variable (sqrt(n) for finite n, 0 for the limit)
    _edge: float = 0.0
    #: core variable = _factor * user variable
    _factor: float = 1.0
    #: lower end below which the core variable is clamped (finite n only)
    _low: float = -math.inf
    _mom: dict[bool, tuple[float, float]]

    @property
    def _p0(self) -> float:
        return _prob_no_real(self._nn) if self._nn > 0 else 0.0

    def _log_mass_at_minus_inf(self) -> float:
        """log P(no real eigenvalue): the atom at -inf (the base class puts it at cdf(-inf))."""
        p0 = self._p0
        return math.log(p0) if p0 > 0.0 else -math.inf

    # -- core (Ginibre units) -------------------------------------------------------------
    def _pair_core(self, t: float) -> tuple[float, float]:
        if math.isnan(t):
            return math.nan, math.nan
        if t == math.inf:
            return 0.0, -math.inf
        if t <= self._low:
            p0 = self._p0
            if p0 > 0.0:
                return math.log(p0), math.log1p(-p0)
            return -math.inf, 0.0
        lc = _log_gap(t, self._nn, self._edge)
        if math.isnan(lc):
            # discretised determinant not positive: below the accuracy, i.e. the atom (n even)
            # or 0 (n odd / limit)
            p0 = self._p0
            lc = math.log(p0) if p0 > 0.0 else -math.inf
        lc = min(lc, 0.0)
        return lc, _log1mexp(lc)

    def _pairs(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x, dtype=np.float64)
        flat = x.ravel() * self._factor
        lc = np.empty(flat.size)
        ls = np.empty(flat.size)
        for i, t in enumerate(flat):
            lc[i], ls[i] = self._pair_core(float(t))
        return lc.reshape(x.shape), ls.reshape(x.shape)

    def _logcdf(self, x: np.ndarray) -> np.ndarray:
        return self._pairs(x)[0]

    def _logsf(self, x: np.ndarray) -> np.ndarray:
        return self._pairs(x)[1]

    def _logpdf_core(self, t: float) -> float:
        if math.isnan(t):
            return math.nan
        if math.isinf(t) or t <= self._low + 7 * _FD_H:
            return -math.inf
        lc0, ls0 = self._pair_core(t)
        use_cdf = lc0 < ls0
        vals = []
        for k in range(-3, 4):
            if k == 0:
                vals.append(0.0)
                continue
            lc, ls = self._pair_core(t + k * _FD_H)
            vals.append(lc if use_cdf else ls)
        deriv = float(np.dot(_FD_C, vals)) / _FD_H
        if use_cdf:
            return lc0 + math.log(deriv) if deriv > 0 else -math.inf
        return ls0 + math.log(-deriv) if deriv < 0 else -math.inf

    def _logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        flat = x.ravel()
        out = np.array([self._logpdf_core(float(v) * self._factor) for v in flat])
        out = out + math.log(self._factor)
        return out.reshape(x.shape)

    # -- quantiles ------------------------------------------------------------------------
    def _solve_core(self, q: float, upper: bool) -> float:
        """Core-variable t with cdf(t) = q (upper=False) or sf(t) = q (upper=True)."""
        if math.isnan(q):
            return math.nan
        lower_q = 1.0 - q if upper else q  # target cdf value
        p0 = self._p0
        if (not upper and q <= p0) or (upper and q >= 1.0 - p0):
            return -math.inf
        if (not upper and q >= 1.0) or (upper and q <= 0.0):
            return math.inf
        # work on the small side: log cdf = log q_lower, or log sf = log q_upper
        if lower_q <= 0.5:
            target = math.log(q) if not upper else math.log1p(-q)

            def h(t: float) -> float:
                return self._pair_core(t)[0] - target
        else:
            target = math.log(q) if upper else math.log1p(-q)

            def h(t: float) -> float:
                return target - self._pair_core(t)[1]

        lo, hi = self._edge - 2.0, self._edge + 1.0
        step = 2.0
        flo = h(lo)
        while flo > 0:
            hi, lo = lo, lo - step
            step *= 2.0
            if lo <= self._low:
                lo = self._low + 1e-9
                flo = h(lo)
                if flo > 0:
                    return lo
                break
            flo = h(lo)
        step = 1.0
        fhi = h(hi)
        while fhi < 0:
            lo, hi = hi, hi + step
            step *= 2.0
            fhi = h(hi)
        return float(
            optimize.brentq(h, lo, hi, xtol=1e-14 * max(1.0, abs(lo), abs(hi)), rtol=1e-15, maxiter=200)
        )

    def _solve(self, q: np.ndarray, upper: bool) -> np.ndarray:
        q = np.asarray(q, dtype=np.float64)
        out = np.array([self._solve_core(float(v), upper) for v in q.ravel()])
        return (out / self._factor).reshape(q.shape)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self._solve(q, upper=False)

    def _isf(self, q: np.ndarray) -> np.ndarray:
        return self._solve(q, upper=True)

    # -- moments ----------------------------------------------------------------------------
    def _moments_core(self) -> tuple[float, float]:
        """(E[X 1{X finite}] / (1 - p0), Var(X | X finite)) in core units, by Gauss-Legendre
        (24 points on pieces of length <= 3) of the tail integrals of cdf - p0 and sf."""
        if not hasattr(self, "_mom"):
            self._mom = {}
        if True in self._mom:
            return self._mom[True]
        p0 = self._p0
        # lower end: the clamp of the finite law; -60 for the limit (cdf(-60) ~ 1e-14)
        lo = self._low if math.isfinite(self._low) else -60.0
        hi = self._solve_core(1e-30, upper=True)
        med = self._solve_core(0.5 * (1.0 + p0), upper=False)
        gx, gw = np.polynomial.legendre.leggauss(24)

        def nodes(a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
            k = max(1, int(math.ceil((b - a) / 3.0)))
            e = np.linspace(a, b, k + 1)
            aa, bb = e[:-1, None], e[1:, None]
            return (0.5 * (bb - aa) * gx + 0.5 * (aa + bb)).ravel(), (0.5 * (bb - aa) * gw).ravel()

        xl, wl = nodes(lo, med)
        xr, wr = nodes(med, hi)
        fl = np.array([math.exp(self._pair_core(float(t))[0]) for t in xl]) - p0
        sr = np.array([math.exp(self._pair_core(float(t))[1]) for t in xr])
        c = 1.0 - p0
        mean = med + (float(wr @ sr) - float(wl @ fl)) / c
        # int (x - mu)^2 dF_c = c (med - mu)^2 + 2 int_med^inf (x - mu) sf - 2 int^med (x - mu) F_c
        # (integration by parts on each side of the median; mu = mean)
        second = 2.0 * float(wr @ ((xr - mean) * sr)) - 2.0 * float(wl @ ((xl - mean) * fl))
        var = second / c + (med - mean) ** 2
        self._mom[True] = (mean, var)
        return self._mom[True]

    def mean(self, *, given_real: bool = False) -> float:
        """Mean. ``-inf`` for n even (atom at ``-inf``) unless ``given_real=True``, which gives
        ``E[lambda_max^R | at least one real eigenvalue]``. Quadrature of the tail integrals
        (24-point Gauss-Legendre on pieces of length 3 Ginibre units; ~1e-12 relative)."""
        if self._p0 > 0.0 and not given_real:
            return -math.inf
        m, _ = self._moments_core()
        return m / self._factor

    def var(self, *, given_real: bool = False) -> float:
        """Variance (NaN for n even unless ``given_real=True``: conditional variance)."""
        if self._p0 > 0.0 and not given_real:
            return math.nan
        return self._moments_core()[1] / self._factor**2

    def std(self, *, given_real: bool = False) -> float:
        """Standard deviation, ``sqrt(var())``."""
        return math.sqrt(self.var(given_real=given_real))

    def median(self) -> float:
        """Median, ``ppf(1/2)`` (``-inf`` if ``prob_no_real >= 1/2``, i.e. never for n >= 2)."""
        return float(self._ppf(np.array(0.5)))



#: largest even n for which p_{n,0} is taken from the exact rational Pfaffian of real_counts
#: (its cost grows like n^3 at n/2 digits: 0.03 s at n = 60, ~1 s at n = 100)
_P0_EXACT_MAX = 60
#: largest even n for which p_{n,0} is the Fredholm Pfaffian over the whole line (800 nodes)
_P0_FREDHOLM_MAX = 10**4
#: measured log p_{n,0} + zeta(3/2) sqrt(n / (2 pi)) at n = 4000 (0.095 at n = 100, 0.070 at
#: 2000, 0.068 at 4000, decreasing slowly): the constant of the extrapolation used above
#: _P0_FREDHOLM_MAX, where p_{n,0} < 1e-44
_P0_LOG_CONST = 0.0677


@lru_cache(maxsize=32)
def _prob_no_real(n: int) -> float:
    if n % 2:
        return 0.0
    if n <= _P0_EXACT_MAX:
        from ..ensembles.real_counts import prob_real_count

        return float(prob_real_count(n, 0))
    edge = math.sqrt(n)
    if n > _P0_FREDHOLM_MAX:
        return math.exp(_P0_LOG_CONST - 2.0 * LEFT_TAIL_SLOPE * edge)
    lc = _log_gap(-(edge + _CUT), n, edge)
    return math.exp(lc) if math.isfinite(lc) else 0.0


class LargestRealEigenvalueLaw(_LargestRealBase):
    """Exact law of the largest real eigenvalue (see :func:`largest_real_eigenvalue_law`)."""

    name = "largest_real_eigenvalue_law"

    def __init__(self, n: int, scale: str = "glorot"):
        self.n = check_n(n)
        self.scale = check_scale(scale)
        self._nn = self.n
        self._edge = math.sqrt(self.n)
        self._factor = self._edge if self.scale == "glorot" else 1.0
        self._low = -(self._edge + _CUT)

    def __repr__(self) -> str:
        return f"LargestRealEigenvalueLaw(n={self.n}, scale={self.scale!r})"

    @property
    def prob_no_real(self) -> float:
        """P(no real eigenvalue) = cdf(-inf): the atom of the law at ``-inf`` (0 for n odd).

        n even <= 60: :func:`rmtedge.prob_real_count` ``(n, 0)`` (exact Pfaffian); 60 < n <=
        10^4: the Fredholm Pfaffian over the whole line ``(-(sqrt n + 10), sqrt n + 10)``, which
        keeps its *relative* accuracy (measured against the exact value: 5e-13 at n = 60, 100,
        1.4e-12 at n = 200, where p = 4.3e-7); n > 10^4: the extrapolation
        ``exp(0.0677 - zeta(3/2) sqrt(n/(2 pi)))`` of the measured values (Kanzieper et al. 2016
        give the leading term; the constant is our measurement at n = 4000; p < 1e-44 there).
        Computed on first use.
        """
        return self._p0

    def rvs(self, size: Any = None, *, rng: Any = None) -> Any:
        """Samples of lambda_max^R (``-inf`` when a sample has no real eigenvalue).

        ``n <= 300``: exact simulation -- Hessenberg model (:func:`rmtedge.hessenberg_ginibre`)
        and LAPACK eigenvalues, largest real one (imaginary part exactly 0, as LAPACK returns
        real eigenvalues of real matrices). Above: inversion ``isf(U)`` (Brent to 1e-14
        relative, ~30 cdf evaluations, ~50 ms per sample at n = 1000).
        """
        shape = check_size(size)
        gen = check_rng(rng)
        count = math.prod(shape)
        if self.n > _RVS_SIM_MAX:
            return _ret(self._sample_by_inversion(gen, shape))
        from ..ensembles.samplers import hessenberg_ginibre

        out = np.empty(count)
        chunk = max(1, 2_000_000 // (self.n * self.n))
        for a in range(0, count, chunk):
            b = min(count, a + chunk)
            h = hessenberg_ginibre(self.n, size=b - a, scale=self.scale, rng=gen)
            ev = np.linalg.eigvals(h)
            real = np.where(ev.imag == 0.0, ev.real, -np.inf)
            out[a:b] = real.max(axis=-1)
        return _ret(out.reshape(shape))


class LargestRealEigenvalueLimit(_LargestRealBase):
    """Edge limit of lambda_max^R - sqrt(n) (see :func:`largest_real_eigenvalue_limit`)."""

    name = "largest_real_eigenvalue_limit"

    def __init__(self) -> None:
        self._nn = 0
        self._edge = 0.0
        self._factor = 1.0
        self._low = -math.inf

    def __repr__(self) -> str:
        return "LargestRealEigenvalueLimit()"

    @property
    def prob_no_real(self) -> float:
        """0: the limit law has no atom."""
        return 0.0

    def rvs(self, size: Any = None, *, rng: Any = None) -> Any:
        """Samples by inversion, ``isf(U)`` (Brent to 1e-14, ~30 cdf evaluations each)."""
        return _ret(self._sample_by_inversion(check_rng(rng), check_size(size)))


def largest_real_eigenvalue_law(n: int, *, scale: str = "glorot") -> LargestRealEigenvalueLaw:
    """Exact finite-n law of the largest real eigenvalue of an n x n real Ginibre/Glorot matrix.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    scale : {"glorot", "ginibre"}
        ``"glorot"``: the law of lambda_max^R(G/sqrt(n)) (real edge at 1); ``"ginibre"``: of
        lambda_max^R(G) (edge at sqrt(n)).

    Returns
    -------
    LargestRealEigenvalueLaw
        Frozen law (``cdf, sf, logcdf, logsf, pdf, logpdf, ppf, isf, rvs, median, mean, var,
        std, interval``) on ``[-inf, inf)``. For n even the event "no real eigenvalue" is an
        atom at ``-inf``: ``cdf(-inf) = prob_no_real = p_{n,0}``, ``ppf(q) = -inf`` for
        ``q <= p_{n,0}``, ``mean() = -inf`` and ``var() = nan`` unless ``given_real=True``
        (moments conditional on a real eigenvalue existing); pdf is the density of the
        continuous part.

    Notes
    -----
    Fredholm Pfaffian of the real-real kernel (Forrester & Nagao 2007; Borodin & Sinclair
    2009), reduced to the scalar form

        F(t)^2 = det(1 - S_J) (1 - int_J kappa + <rho, (1 - S_J)^{-1} D1>),   J = (t, b),

    derived in docs/theory.md for both parities of n (for n odd the bordered de Bruijn Pfaffian
    adds rank-one terms that the closed form of S absorbs). ``S(x, y) = e^{-(x-y)^2/2}
    Q(n-1, xy)/sqrt(2 pi) + g(x) G(y)``. Gauss-Legendre with ``10 + 3.5 (b - t)`` nodes on
    ``(t, b)``, ``b = max(t, sqrt n) + 10`` (Ginibre units). Cost: O(m^2) kernel entries and an
    m x m LU, ~1.5 ms per point in the bulk at any n (m ~ 55).

    Accuracy (measured, tests/test_largest_real.py): cdf against the mpmath references of
    :mod:`rmtedge.mp.largest_real` (de Bruijn's exact Pfaffian and the Fredholm form with the
    kernel from its defining sums), n = 1..10: ~1e-14 absolute and relative; sf keeps relative
    accuracy in the right tail (series for log det, never ``1 - cdf``): ``sf / E #{real
    eigenvalues > t} - 1`` is below 2.5e-13 in size 5-9 units beyond the edge (sf down to 1e-35),
    where the exact gap is far smaller. In the lower tail the accuracy is *absolute*, ~1e-17:
    measured relative errors of the cdf 1e-8 at cdf = 3e-7 and 7e-5 at 1e-12 (n = 1), 1e-5 at
    2e-11 (n = 3); the atom itself keeps its relative accuracy (Fredholm value of the whole line
    against the exact p_{n,0}: 1.4e-12 at n = 200, p = 4.3e-7). ``pdf``: 6th-order central
    difference of log cdf (or log sf) with step 0.02 Ginibre units: ~1e-13 relative in the bulk
    and the right tail (n = 1 against the normal density; the limit against
    ``d/dt erfc(t)/4``), worse where the cdf is below ~1e-8. Quantiles: Brent on the log
    probability of the small side, to 1e-14 relative. ``logsf`` is finite while sf > 1e-300.
    For t below
    ``-(sqrt n + 10)`` (Ginibre) the cdf is ``prob_no_real`` (error < 1e-45).

    References
    ----------
    C. D. Sinclair, IMRN 2007 rnm015; P. J. Forrester & T. Nagao, PRL 99 (2007) 050603;
    A. Borodin & C. D. Sinclair, CMP 291 (2009) 177 (Pfaffian point process, kernel);
    F. Bornemann, Math. Comp. 79 (2010) 871 (Fredholm determinants by quadrature);
    E. Kanzieper, M. Poplavskyi, C. Timm, R. Tribe, O. Zaboronski, AAP 26 (2016) 2733 (the
    probability of no real eigenvalue).

    Examples
    --------
    n = 1: the entry itself, N(0, 1):

    >>> import math, rmtedge
    >>> law = rmtedge.largest_real_eigenvalue_law(1, scale="ginibre")
    >>> bool(abs(law.cdf(0.3) - 0.5 * math.erfc(-0.3 / math.sqrt(2))) < 1e-13)
    True

    n = 2: the atom at -inf is p_{2,0} = 1 - 1/sqrt(2):

    >>> law = rmtedge.largest_real_eigenvalue_law(2)
    >>> bool(abs(law.cdf(-math.inf) - (1 - 1 / math.sqrt(2))) < 1e-15)
    True
    """
    return LargestRealEigenvalueLaw(n, scale)


def largest_real_eigenvalue_limit() -> LargestRealEigenvalueLimit:
    """Limit law of ``lambda_max^R(G) - sqrt(n)`` as n -> inf (G real Ginibre, unit variance).

    Returns
    -------
    LargestRealEigenvalueLimit
        Frozen law on ``(-inf, inf)`` (no atom).

    Notes
    -----
    The same reduced Fredholm Pfaffian as :func:`largest_real_eigenvalue_law` with the edge
    limit of the kernel (x = sqrt(n) + xi, y = sqrt(n) + eta; docs/theory.md):

        S_inf(xi, eta) = e^{-(xi-eta)^2/2} erfc((xi+eta)/sqrt 2) / (2 sqrt(2 pi))
                         + e^{-xi^2} erfc(-eta) / (4 sqrt(pi)),

    whose diagonal is the edge density of real eigenvalues. Tails (checked as identities in
    the tests): ``sf(t) = erfc(t)/4 + O(e^{-2 t^2})`` (Poplavskyi, Tribe & Zaboronski 2017) and
    ``log cdf(t) = zeta(3/2) t/(2 sqrt(2 pi)) + O(1)`` as t -> -inf (slope 0.5211). Accuracy as
    for the finite-n law (absolute ~1e-14 in the lower tail; the nodes grow like |t| there, up
    to 800 at t ~ -215). The finite-n laws converge to it: measured sup |F_n - F_inf| in
    docs/edge_laws.md (about 0.39/sqrt(n)).

    References
    ----------
    B. Rider & C. D. Sinclair, Ann. Appl. Probab. 24 (2014) 1621 (the limit);
    M. Poplavskyi, R. Tribe & O. Zaboronski, Ann. Appl. Probab. 27 (2017) 1395, arXiv:1603.05849
    (tails); J. Baik & T. Bothner, Ann. Appl. Probab. 30 (2020) 460, arXiv:1808.02419.

    Examples
    --------
    >>> import math, rmtedge
    >>> lim = rmtedge.largest_real_eigenvalue_limit()
    >>> bool(abs(lim.sf(4.0) / (math.erfc(4.0) / 4) - 1) < 1e-6)
    True
    """
    return LargestRealEigenvalueLimit()


# ---------------------------------------------------------------------------------------------
# the right tail (kept from rmtedge.spectral_radius_law, now with the exact law as default)
# ---------------------------------------------------------------------------------------------
def largest_real_eigenvalue_sf(
    x: Any, n: int, *, scale: str = "glorot", method: str = "exact"
) -> Any:
    """Right tail P(lambda_max > x) of the largest real eigenvalue of a real Ginibre matrix.

    Parameters
    ----------
    x : float or array
        Threshold, in the scale given by ``scale`` (Glorot: the real edge is at 1).
    n : int
        Dimension, ``n >= 1``.
    scale : {"glorot", "ginibre"}
        ``x`` refers to ``W = G/sqrt(n)`` (``"glorot"``) or to ``G``.
    method : {"exact", "asymptotic", "first_moment"}
        ``"exact"`` (default): ``largest_real_eigenvalue_law(n, scale=scale).sf(x)``, the
        Fredholm Pfaffian, relative accuracy ~1e-13 in the right tail.
        ``"asymptotic"``: ``erfc(t)/4`` with ``t = lambda - sqrt(n)`` in Ginibre scale
        (``t = sqrt(n) (x - 1)`` for Glorot). ``"first_moment"``: ``min(1, E #{real
        eigenvalues > x})``, an upper bound at every n and x.

    Returns
    -------
    float or ndarray

    Notes
    -----
    *Asymptotic* (Poplavskyi, Tribe, Zaboronski 2017, arXiv:1603.05849): for
    ``L = lambda_max - sqrt(n)`` (Ginibre scale), ``P(L < t) = 1 - erfc(t)/4 + O(e^{-2t^2})``
    as ``t -> +inf``, in the limit n -> inf. It is a right-tail statement only, and at finite
    n it has O(1/sqrt(n)) corrections.

    *First moment*: ``1{lambda_max > x} <= #{real eigenvalues > x}``, so
    ``P(lambda_max > x) <= E #{real eigenvalues > x} = expected_real_outside(x)/2`` for
    ``x >= 0`` and ``E_n - expected_real_outside(-x)/2`` for ``x < 0``; clipped at 1. In the
    right tail it equals the exact sf to leading order (tests: ratio -> 1).

    References
    ----------
    M. Poplavskyi, R. Tribe, O. Zaboronski, Ann. Appl. Probab. 27 (2017) 1395.
    A. Edelman, E. Kostlan, M. Shub, J. AMS 7 (1994) 247-267, Cor. 4.3.

    Examples
    --------
    The exact tail lies below the first-moment bound and approaches it:

    >>> import rmtedge
    >>> e = rmtedge.largest_real_eigenvalue_sf(1.15, 100)
    >>> b = rmtedge.largest_real_eigenvalue_sf(1.15, 100, method="first_moment")
    >>> bool(e <= b and e / b > 0.99)
    True
    """
    n = check_n(n)
    scale = check_scale(scale)
    method = check_choice(method, "method", ("exact", "asymptotic", "first_moment"))
    xa = _as_float_array(x, "x")
    if method == "exact":
        return largest_real_eigenvalue_law(n, scale=scale).sf(xa)
    sq = math.sqrt(n)
    if method == "asymptotic":
        t = sq * (xa - 1.0) if scale == "glorot" else xa - sq
        return _ret(np.asarray(special.erfc(t) / 4.0))
    from ..ensembles.densities import expected_real_outside

    total = np.asarray(expected_real_outside(0.0, n, scale=scale), dtype=np.float64)
    with np.errstate(invalid="ignore"):
        pos = np.asarray(expected_real_outside(np.abs(xa), n, scale=scale), dtype=np.float64)
    above = np.where(xa >= 0, 0.5 * pos, total - 0.5 * pos)
    out = np.minimum(above, 1.0)
    out = np.where(np.isnan(xa), np.nan, out)
    return _ret(np.asarray(out, dtype=np.float64))
