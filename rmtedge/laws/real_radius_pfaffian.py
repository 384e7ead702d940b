"""Exact finite-n law of the spectral radius of real Ginibre / Glorot matrices.

The eigenvalues of a real Ginibre matrix form a Pfaffian point process, and de Bruijn's
integration formula gives the probability that all of them lie in the disc of radius ``R`` as a
Pfaffian of skew products restricted to the disc (Sinclair 2007; Forrester & Nagao 2007;
Borodin & Sinclair 2009). In the skew-orthogonal basis of Forrester & Nagao the Pfaffian is an
``m x m`` determinant (``m = floor(n/2)``, bordered for odd n), and one integration by parts of
the half-disc integral (its boundary is the real segment and the arc ``|z| = R``) reduces every
entry to incomplete gamma functions plus one angular integral on the arc:

    P(rho(G) <= R) = det(I - K(R)),
    K_ij = delta_ij Q(2i+1, R^2) + alpha_i v_j - (R/sqrt(2 pi)) v_i v_j F_{2(i-j)+1}(R),

``v_j = R^{2j} e^{-R^2/2}/sqrt((2j)!)``, ``alpha_i = t_i P(i+1/2, R^2/2)``,
``t_i = sqrt((2i)!)/(2^i i!)``, ``F_d(R) = int_0^pi sin(d th) erfcx(sqrt(2) R sin th) dth``.
The derivation and the numerical method are in ``docs/theory.md`` ("Exact law of the spectral
radius, real field"); the kernels are in :mod:`rmtedge.laws._real_radius_pfaffian_kernels`.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._core.checks import check_n, check_rng, check_size
from ._frozen import FiniteRadiusLaw, _ret
from ._real_radius_pfaffian_kernels import real_radius_law_array

__all__ = ["EXACT_REAL_HARD_MAX_N", "EXACT_REAL_MAX_N", "ExactRealRadiusLaw"]

#: largest n for which ``method="auto"`` uses the exact real law (above: the Poisson law).
#: The exact law itself accepts any n; its cost per radius grows like n^{3/2} near the edge
#: (a window of ~7 sqrt(n) indices, see the class docstring), ~0.1-0.3 s at n = 10^4.
EXACT_REAL_MAX_N = 4096

#: largest n the exact real law accepts (window ~2200 indices, seconds per radius)
EXACT_REAL_HARD_MAX_N = 100_000

#: below this n, rvs draws matrices (Hessenberg sampler); above, inversion of isf
_RVS_MATRIX_MAX_N = 48


class ExactRealRadiusLaw(FiniteRadiusLaw):
    """Exact law of rho(W), W = G/sqrt(n) an n x n real Glorot matrix (Glorot scale).

    Parameters
    ----------
    n : int
        Dimension, ``1 <= n <= 100000`` (``EXACT_REAL_HARD_MAX_N``).

    Notes
    -----
    Implements de Bruijn's Pfaffian for the real Ginibre ensemble over the disc, reduced to the
    determinant ``det(I - K)`` of the module docstring (``n`` odd: an ``(m+1) x (m+1)``
    bordered version). Only indices ``k`` with ``v_k`` or ``Q(2k+1, R^2)`` above 1e-18 of
    their maximum are kept: about ``6.8 sqrt(n)`` of them near the edge (``2k >= R^2 - 13.6 R``),
    growing to ``n/2`` in the deep lower tail. Two evaluation paths:

    * ``cdf >= 1/2``: elimination of ``I - K`` carrying the identity implicitly,
      ``log cdf = sum log1p(-d_k)``, ``sf = -expm1(log cdf)`` -- relative accuracy of ``sf``
      however small (first-order ``sf = tr K`` in log space once every entry of ``K`` is below
      e^-200, so ``logsf`` stays finite far below 1e-308);
    * otherwise ``log det(I - K)`` by LU with partial pivoting, the diagonal ``P(2i+1, R^2)``
      computed directly and rows/columns scaled by ``min(1, sqrt(P(2k+1, R^2)))``.

    The density is ``cdf * tr(A^{-1} dA/dR)`` with all derivatives in closed form (``dF_d/dR``
    by the same quadrature). ``ppf``/``isf``: Newton in ``log r`` on the log probability of the
    small side, safeguarded by bisection.

    Accuracy (measured against the mpmath reference :func:`rmtedge.mp.real_spectral_radius_cdf`,
    n = 1..12 both parities, tests/test_real_radius_pfaffian.py): cdf within 2.8e-16 absolute;
    sf within 2.4e-14 relative and logsf within 9e-16 relative down to sf = 1e-30 (and the
    first-order branch is exact far below 1e-308); a small cdf within 3e-10 relative for n >= 3
    at cdf = 1e-12 (1.1e-8 at n = 2).

    Where it stops: in the deep lower tail (small r) the terms of the entries of ``I - K``
    cancel (relative loss ~ r^{-2} per order). Every lower-tail value comes with a first-order
    error estimate ``eps sum |B^{-1}|^T |terms|``; where it exceeds 1e-7 in ``log cdf`` the law
    returns NaN for ``cdf``/``logcdf``/``pdf`` (never a wrong number), ``sf = 1`` when a bound
    shows ``cdf < 1e-12``, and NaN quantiles. Measured start of that range: n = 2 below
    r ~ 1e-4 (cdf ~ 2e-12), n = 5 below r ~ 0.0064 (cdf ~ 4e-30), n = 12 below r ~ 0.145
    (cdf ~ 5e-45), n = 100 below r ~ 0.64 (cdf ~ 1e-167), n = 1000 between r = 0.8 and 0.9
    (cdf < 1e-377).
    Cost per radius: ~10 microseconds (n <= 12), ~0.5 ms (n = 200), ~3 ms (n = 1000) near the
    edge; it grows like n^{3/2} (window ~7 sqrt(n)), more in the lower tail.

    References
    ----------
    N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151 (integration of Pfaffians).
    C. D. Sinclair, IMRN 2007 (Pfaffian structure of real Ginibre); P. J. Forrester, T. Nagao,
    Phys. Rev. Lett. 99 (2007) 050603 (skew-orthogonal polynomials); A. Borodin, C. D. Sinclair,
    Commun. Math. Phys. 291 (2009) 177; B. Rider, C. D. Sinclair, Ann. Appl. Probab. 24 (2014)
    1621 (the spectral radius as a Pfaffian over the disc).

    Examples
    --------
    At n = 1 the radius is |N(0, 1)|:

    >>> import math
    >>> from rmtedge.laws.real_radius_pfaffian import ExactRealRadiusLaw
    >>> law = ExactRealRadiusLaw(1)
    >>> bool(abs(law.cdf(1.3) - math.erf(1.3 / math.sqrt(2))) < 1e-15)
    True

    The upper tail keeps its relative accuracy where ``1 - cdf`` is 0:

    >>> law = ExactRealRadiusLaw(100)
    >>> bool(law.cdf(2.0) == 1.0 and 1e-37 < law.sf(2.0) < 1e-36)
    True
    """

    name = "spectral_radius_law(field='real', method='exact')"
    field = "real"
    method = "exact"

    def __init__(self, n: int):
        self.n = check_n(n)
        if self.n > EXACT_REAL_HARD_MAX_N:
            raise ValueError(
                f"n must be <= {EXACT_REAL_HARD_MAX_N} for the exact real law (its determinant "
                f"window grows like 7 sqrt(n), cost like n^(3/2) per radius), got n = {self.n}; "
                "use method='auto' or method='poisson' (the Poisson approximation, any n)"
            )

    def __repr__(self) -> str:
        return f"ExactRealRadiusLaw(n={self.n})"

    def _eval(self, r: np.ndarray, want_pdf: bool, warn: bool = True) -> np.ndarray:
        r = np.asarray(r, dtype=np.float64)
        flat = np.ascontiguousarray(r).ravel()
        out = np.empty((flat.size, 3))
        # beyond n r^2 ~ 1e308 (float64 overflow of the Ginibre radius squared) the correctly
        # rounded values are cdf = 1, log sf = -inf (log sf ~ -n r^2 / 2 there), pdf = 0; the
        # kernel is not called there
        with np.errstate(over="ignore"):
            huge = flat * flat > 1e308 / self.n
        out[huge] = (0.0, -np.inf, -np.inf)
        rest = np.flatnonzero(~huge)
        if rest.size == flat.size:
            real_radius_law_array(self.n, flat, want_pdf, out)
        elif rest.size:
            sub = np.empty((rest.size, 3))
            real_radius_law_array(self.n, np.ascontiguousarray(flat[rest]), want_pdf, sub)
            out[rest] = sub
        lost = np.isnan(out[:, 0]) & ~np.isnan(flat)
        if warn and lost.any():  # the documented deep lower tail: say so, never silently
            warnings.warn(
                f"ExactRealRadiusLaw(n={self.n}): log cdf at r <= {float(flat[lost].max()):.3g} "
                "is in the deep lower tail where the float64 determinant loses its digits "
                "(cdf there is below ~1e-12); NaN returned. Use "
                "rmtedge.mp.real_spectral_radius_logcdf for these radii.",
                RuntimeWarning,
                stacklevel=4,
            )
        return out.reshape((*r.shape, 3))

    def _log3(self, r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = self._eval(r, True)
        return out[..., 0], out[..., 1], out[..., 2]

    def _logcdf(self, r: np.ndarray) -> np.ndarray:
        return self._eval(r, False)[..., 0]

    def _logsf(self, r: np.ndarray) -> np.ndarray:
        return self._eval(r, False)[..., 1]

    def _logpdf(self, r: np.ndarray) -> np.ndarray:
        return self._eval(r, True)[..., 2]

    def logcdf_logsf(self, r: Any) -> tuple[Any, Any]:
        """(log cdf, log sf) at ``r`` from one evaluation (each determinant computed once)."""
        from ._frozen import _as_float_array

        out = self._eval(_as_float_array(r, "r"), False)
        return _ret(out[..., 0]), _ret(out[..., 1])

    def _solve(self, q: np.ndarray, upper: bool) -> np.ndarray:
        """r with cdf(r) = q (upper=False) or sf(r) = q (upper=True), on the small side.

        Newton's method in u = log r on the log probability of the small side (derivative from
        the density), vectorized over the targets: steps limited to |du| <= max(1, |u|)/2 (so
        a quantile at r = 1e-300 is reached in ~20 steps), kept inside
        the bracket once one is known (bisection when a step leaves it), stopped at
        |du| <= 1e-15 or a 4-ulp bracket. A root in the range where the law is not computed
        (NaN, deep lower tail) gives NaN: the result is checked to match the target to 1e-9.
        """
        q = np.asarray(q, dtype=np.float64)
        flat = np.ascontiguousarray(q).ravel()
        small = flat <= 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            lq = np.where(small, np.log(flat), np.log1p(-flat))
        up = np.where(small, upper, not upper)
        out = np.full(flat.size, np.nan)
        out[(lq == -np.inf) & up] = np.inf
        out[(lq == -np.inf) & ~up] = 0.0
        out[(lq == 0.0) & up] = 0.0
        out[(lq == 0.0) & ~up] = np.inf
        idx = np.flatnonzero(np.isfinite(lq) & (lq < 0.0))
        if idx.size:
            out[idx] = self._newton(lq[idx], up[idx])
        return out.reshape(q.shape)

    def _newton(self, lq: np.ndarray, up: np.ndarray) -> np.ndarray:
        fn = float(self.n)
        with np.errstate(invalid="ignore"):
            guess_up = np.log1p(np.sqrt(-lq / fn))
            guess_lo = 0.5 * np.log(np.maximum(1.0 - np.cbrt(6.0 * fn * -lq) / fn, 0.05))
        u = np.where(up, guess_up, guess_lo)
        lo = np.full(u.size, -np.inf)
        hi = np.full(u.size, np.inf)
        done = np.zeros(u.size, dtype=bool)
        nan_r = np.zeros(u.size)  # largest radius where the law was NaN (deep lower tail)
        for _ in range(300):
            act = np.flatnonzero(~done)
            if act.size == 0:
                break
            ua = u[act]
            ev = self._eval(np.exp(ua), True, warn=False)  # the final evaluation warns
            lc, ls, lp = ev[:, 0], ev[:, 1], ev[:, 2]
            upa = up[act]
            with np.errstate(invalid="ignore", over="ignore"):
                g = np.where(upa, lq[act] - ls, lc - lq[act])
                dg = np.where(upa, np.exp(lp - ls + ua), np.exp(lp - lc + ua))
            lost = np.isnan(g)
            nan_r[act] = np.where(lost, np.maximum(nan_r[act], np.exp(ua)), nan_r[act])
            g = np.where(lost, -np.inf, g)  # NaN: deep lower tail, root to the right
            hi[act] = np.where(g > 0, np.minimum(hi[act], ua), hi[act])
            lo[act] = np.where(g < 0, np.maximum(lo[act], ua), lo[act])
            ok = np.isfinite(g) & (dg > 0) & np.isfinite(dg)
            with np.errstate(invalid="ignore", divide="ignore"):
                step = np.where(ok, -g / np.where(ok, dg, 1.0), np.where(g > 0, -0.5, 0.5))
            cap = 0.5 * np.maximum(1.0, np.abs(ua))  # far tails: steps grow with |log r|
            step = np.clip(step, -cap, cap)
            un = ua + step
            la, ha = lo[act], hi[act]
            out_of = (un <= la) | (un >= ha)
            both = np.isfinite(la) & np.isfinite(ha)
            un = np.where(out_of & both, 0.5 * (la + ha), un)
            un = np.where(out_of & ~both & (un <= la), 0.5 * (ua + la), un)
            un = np.where(out_of & ~both & (un >= ha), 0.5 * (ua + ha), un)
            scale = np.maximum(1.0, np.abs(ua))
            conv_step = np.abs(un - ua) <= 1e-15 * scale
            conv_br = (ha - la) <= 4e-16 * scale
            un = np.where(conv_br & ~conv_step, 0.5 * (la + ha), un)
            u[act] = np.where(g == 0, ua, un)
            done[act] = conv_step | conv_br | (g == 0)
        r = np.exp(u)
        ev = self._eval(r, False)
        v = np.where(up, ev[:, 1], ev[:, 0])
        bad = ~(np.abs(v - lq) <= 1e-9 * np.maximum(1.0, np.abs(lq)) + 1e-12)
        deep = bad & (nan_r > 0.0)
        if deep.any():  # the quantile lies in the deep lower tail: say so (once per call)
            warnings.warn(
                f"ExactRealRadiusLaw(n={self.n}): log cdf at r <= {float(nan_r[deep].max()):.3g} "
                "is in the deep lower tail where the float64 determinant loses its digits "
                "(cdf there is below ~1e-12); the quantile there is NaN. Use "
                "rmtedge.mp.real_spectral_radius_logcdf for these radii.",
                RuntimeWarning,
                stacklevel=4,
            )
        return np.where(bad, np.nan, r)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self._solve(q, upper=False)

    def _isf(self, q: np.ndarray) -> np.ndarray:
        return self._solve(q, upper=True)

    def rvs(self, size: Any = None, *, rng: Any = None) -> Any:
        """Exact samples of rho(W).

        For ``n <= 48``: spectral radii of sampled matrices (:func:`rmtedge.spectral_radius`,
        ``method="auto"``). Above: inversion, ``isf(U)`` with ``U`` uniform (a Newton solve of
        ~5-10 law evaluations per sample, cheaper than an eigenvalue decomposition there).
        Both are exact in law.
        """
        shape = check_size(size)
        gen = check_rng(rng)
        if self.n <= _RVS_MATRIX_MAX_N:
            from ..ensembles.samplers import spectral_radius

            out = spectral_radius(self.n, field="real", size=shape, scale="glorot", rng=gen)
            return _ret(np.asarray(out, dtype=np.float64))
        return _ret(self._sample_by_inversion(gen, shape))


def _exact_available(n: int) -> bool:
    """Whether method='auto' uses the exact real law at this n."""
    return n <= EXACT_REAL_MAX_N

