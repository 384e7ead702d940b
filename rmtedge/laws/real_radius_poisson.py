"""Poisson approximation of the law of the spectral radius of real Glorot matrices.

Eigenvalues outside the disc of radius r are treated as a Poisson process of independent units
(a real eigenvalue is one unit, a conjugate pair another), with the exact finite-n intensities of
Edelman-Kostlan-Shub (real line) and Edelman 1997 (plane):

    P(rho(W) <= r) ~ exp(-E_r(r) - E_c(r)/2)

(``docs/theory.md``, "Real Ginibre: the Poisson approximation"). It is an approximation: its
measured systematic error sup_r |F_poisson - F_true| is :meth:`PoissonRealRadiusLaw.cdf_error_bound`
(0.3 at n = 1 falling to 0.06 at n >= 200; table in ``docs/edge_laws.md``).
Public entry point: :func:`rmtedge.spectral_radius_law` with ``field="real", method="poisson"``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._core.checks import check_n
from .._core.elementary import log1mexp_neg_array
from ..ensembles._outside_kernels import half_circle_rate_array
from ._frozen import FiniteRadiusLaw

__all__ = ["POISSON_CDF_ERROR", "PoissonRealRadiusLaw"]

_LOG_HALF = -math.log(2.0)

#: documented bound (docs/edge_laws.md) on the systematic error sup_r |F_poisson - F_true| of the
#: Poisson law, for n at or above each key (measured against Monte Carlo: 0.22 at n = 2, 0.14 at
#: 5, 0.10 at 10, 0.069 at 50, 0.055 at 100, 0.040 at 200, decreasing with n)
POISSON_CDF_ERROR = {1: 0.3, 2: 0.25, 5: 0.16, 10: 0.12, 50: 0.09, 100: 0.075, 200: 0.06}


def _vector_root(g: Any, target: np.ndarray, n: int) -> np.ndarray:
    """Solve g(r) = target for increasing g, elementwise (bracketing + Illinois/bisection).

    The bracket is found by stepping out from r = 1 in steps 1/(2 sqrt(n)), 1/sqrt(n), ...
    (geometric halving towards 0 on the left). Then modified regula falsi (Illinois) with a
    bisection fallback until the bracket is 4 ulp wide.
    """
    t = np.asarray(target, dtype=np.float64).ravel()
    out = np.full(t.size, np.nan)
    ok = np.isfinite(t)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return out
    tt = t[idx]
    w = 0.5 / math.sqrt(n)
    one = np.ones(idx.size)
    g1 = g(one) - tt
    lo = one.copy()
    hi = one.copy()
    glo = g1.copy()
    ghi = g1.copy()
    # step down where g(1) > target
    act = np.flatnonzero(g1 > 0)
    step = np.full(idx.size, w)
    for _ in range(3000):
        if act.size == 0:
            break
        hi[act] = lo[act]
        ghi[act] = glo[act]
        cand = np.maximum(lo[act] - step[act], 0.5 * lo[act])
        lo[act] = cand
        glo[act] = g(cand) - tt[act]
        step[act] *= 2.0
        act = act[glo[act] > 0]
    act = np.flatnonzero(g1 < 0)
    step[:] = w
    for _ in range(3000):
        if act.size == 0:
            break
        lo[act] = hi[act]
        glo[act] = ghi[act]
        cand = hi[act] + step[act]
        hi[act] = cand
        ghi[act] = g(cand) - tt[act]
        step[act] *= 2.0
        act = act[ghi[act] < 0]
    res = np.where(g1 == 0, 1.0, np.nan)
    act = np.flatnonzero(g1 != 0)
    side = np.zeros(idx.size)  # Illinois: which end was kept last time
    for _ in range(400):
        if act.size == 0:
            break
        a, b, fa, fb = lo[act], hi[act], glo[act], ghi[act]
        with np.errstate(invalid="ignore", divide="ignore"):
            sec = b - fb * (b - a) / (fb - fa)
        width = b - a
        geo = (a > 0) & (b > 16.0 * a)
        mid = np.where(geo, np.sqrt(a * np.maximum(b, 0)), 0.5 * (a + b))
        good = np.isfinite(sec) & (sec > a + 0.01 * width) & (sec < b - 0.01 * width) & ~geo
        c = np.where(good, sec, mid)
        fc = g(c) - tt[act]
        left = fc < 0
        # Illinois: halve the function value at the end that stays twice in a row
        keep_hi = left & (side[act] == 1)
        keep_lo = ~left & (side[act] == -1)
        ghi[act] = np.where(keep_hi, 0.5 * fb, ghi[act])
        glo[act] = np.where(keep_lo, 0.5 * fa, glo[act])
        lo[act] = np.where(left, c, a)
        glo[act] = np.where(left, fc, glo[act])
        hi[act] = np.where(left, b, c)
        ghi[act] = np.where(left, ghi[act], fc)
        side[act] = np.where(left, 1, -1)
        done = (fc == 0) | (hi[act] - lo[act] <= 4e-16 * np.abs(hi[act]))
        res[act[done]] = np.where(fc[done] == 0, c[done], 0.5 * (lo[act[done]] + hi[act[done]]))
        act = act[~done]
    if act.size:
        res[act] = 0.5 * (lo[act] + hi[act])
    out[idx] = res
    return out


class PoissonRealRadiusLaw(FiniteRadiusLaw):
    """Poisson approximation of the law of rho(W), W real Glorot (see :func:`spectral_radius_law`).

    The approximation puts an atom ``exp(-E_r(0) - E_c(0)/2)`` at ``r = 0`` (the probability of
    "no unit at all"): 0.37 at n = 1, 0.06 at n = 4, below 1e-5 from n = 16 on. It is part of the
    law consistently: ``cdf(0)`` equals it, ``cdf`` is right-continuous there, and ``rvs``
    returns 0 with that probability. The true law has no atom; use ``method="exact"``.
    """

    name = "spectral_radius_law(field='real', method='poisson')"
    field = "real"
    method = "poisson"

    def __init__(self, n: int):
        self.n = check_n(n)

    def __repr__(self) -> str:
        return f"PoissonRealRadiusLaw(n={self.n})"

    @property
    def cdf_error_bound(self) -> float:
        """Documented bound on the approximation's error sup_r |F_poisson(r) - F_true(r)| at this n
        (:data:`POISSON_CDF_ERROR`; measured, see ``docs/edge_laws.md``)."""
        return POISSON_CDF_ERROR[max(k for k in POISSON_CDF_ERROR if k <= self.n)]

    def _log_units(self, r: np.ndarray) -> np.ndarray:
        """log of E_r(r) + E_c(r)/2 (expected number of units outside the disk of radius r)."""
        from ..ensembles.densities import _log_outside_counts_real_field

        r = np.asarray(r, dtype=np.float64)
        lr, lc = _log_outside_counts_real_field(r, self.n, "glorot")
        lc = lc + _LOG_HALF
        with np.errstate(invalid="ignore"):  # NaN radii stay NaN
            return np.asarray(np.logaddexp(lr, lc), dtype=np.float64)

    def _logcdf(self, r: np.ndarray) -> np.ndarray:
        # at r = 0 this is the approximation's atom exp(-E_r(0) - E_c(0)/2) (see _log_atom)
        return -np.exp(self._log_units(r))

    def _logsf(self, r: np.ndarray) -> np.ndarray:
        lu = self._log_units(r)
        with np.errstate(over="ignore"):
            s = np.exp(lu)
        return log1mexp_neg_array(s, lu)  # log(1 - e^-s)

    def _logpdf(self, r: np.ndarray) -> np.ndarray:
        from ..ensembles.densities import log_real_eigenvalue_density

        # f = cdf * (-(d/dr)(E_r + E_c/2)) = cdf * (2 rho_real(r) + (1/2) circle integral of the
        # non-real intensity); the circle integral has a closed form (_edge_kernels).
        r = np.asarray(r, dtype=np.float64)
        lreal = log_real_eigenvalue_density(r, self.n, scale="glorot") + math.log(2.0)
        flat = np.ascontiguousarray(r).ravel()
        lcirc = np.empty(flat.size)
        half_circle_rate_array(self.n, flat, lcirc)
        with np.errstate(invalid="ignore"):  # NaN radii stay NaN
            lrate = np.logaddexp(lreal, lcirc.reshape(r.shape))
        return np.where(r > 0, self._logcdf(r) + lrate, -np.inf)

    def _log_atom(self) -> float:
        """log of exp(-E_r(0) - E_c(0)/2): the approximation's cdf as r -> 0+."""
        return float(-np.exp(self._log_units(np.array(0.0))))

    def _atom_at_zero(self) -> float:
        return math.exp(self._log_atom())

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self._quantile(q, upper=False)

    def _isf(self, q: np.ndarray) -> np.ndarray:
        return self._quantile(q, upper=True)

    def _quantile(self, q: np.ndarray, upper: bool) -> np.ndarray:
        q = np.asarray(q, dtype=np.float64)
        flat = q.ravel()
        p_small = np.where(flat <= 0.5, flat, 1.0 - flat)
        use_sf = (flat <= 0.5) == upper
        with np.errstate(divide="ignore"):
            lq = np.log(p_small)
            # log of the cdf level asked for; at or below the approximation's mass at r -> 0+
            # the quantile is 0
            lcdf_target = np.log1p(-flat) if upper else np.log(flat)
        at_zero = lcdf_target <= self._log_atom()
        out = np.full(flat.size, np.nan)
        for flag in (False, True):
            sel = np.flatnonzero((use_sf == flag) & np.isfinite(lq) & ~at_zero)
            if sel.size == 0:
                continue
            if flag:
                out[sel] = _vector_root(lambda r: -self._logsf(r), -lq[sel], self.n)
            else:
                out[sel] = _vector_root(self._logcdf, lq[sel], self.n)
        out[at_zero] = 0.0
        # probability 0 / 1 ends
        if upper:
            zero_end, inf_end = flat == 1, flat == 0
        else:
            zero_end, inf_end = flat == 0, flat == 1
        out[zero_end] = 0.0
        out[inf_end] = np.inf
        return out.reshape(q.shape)
