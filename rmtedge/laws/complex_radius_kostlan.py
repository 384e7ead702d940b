"""Exact finite-n law of the spectral radius of complex Glorot matrices (Kostlan's product).

Kostlan (1992): for ``W = G/sqrt(n)``, ``G`` complex Ginibre, the squared moduli ``n |lambda_i|^2``
have the law of independent Gamma(k, 1) variables, k = 1..n, so

    P(rho(W) <= r) = prod_{k=1}^n P(k, n r^2)

(``docs/theory.md``, "Complex Ginibre: Kostlan's theorem"). Evaluated in float64 log space at every
n by the kernels of :mod:`rmtedge.laws._kostlan_kernels`; tested against mpmath up to n = 10^6,
and in the far tails from r = 1e-300 to 1e300 (``log cdf`` finite down to the smallest float;
``log sf`` finite until ``n r^2`` overflows float64, where its correctly rounded value is -inf).
Public entry point: :func:`rmtedge.spectral_radius_law` with ``field="complex"``.

References
----------
E. Kostlan, "On the spectra of Gaussian matrices", Linear Algebra Appl. 162-164 (1992) 385-388.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core.checks import check_n, check_rng, check_size
from ._frozen import FiniteRadiusLaw, _ret
from ._kostlan_kernels import kostlan_law_array, kostlan_quantile_array

__all__ = ["ExactComplexRadiusLaw"]


class ExactComplexRadiusLaw(FiniteRadiusLaw):
    """Exact law of rho(W), W an n x n complex Glorot matrix (see :func:`spectral_radius_law`)."""

    name = "spectral_radius_law(field='complex', method='exact')"
    field = "complex"
    method = "exact"

    def __init__(self, n: int):
        self.n = check_n(n)

    def __repr__(self) -> str:
        return f"ExactComplexRadiusLaw(n={self.n})"

    def _eval(self, r: np.ndarray) -> np.ndarray:
        flat = np.ascontiguousarray(r, dtype=np.float64).ravel()
        out = np.empty((flat.size, 3))
        kostlan_law_array(self.n, flat, out)
        return out.reshape((*r.shape, 3))

    def _log3(self, r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = self._eval(r)
        return out[..., 0], out[..., 1], out[..., 2]

    def _logcdf(self, r: np.ndarray) -> np.ndarray:
        return self._eval(r)[..., 0]

    def _logsf(self, r: np.ndarray) -> np.ndarray:
        return self._eval(r)[..., 1]

    def _logpdf(self, r: np.ndarray) -> np.ndarray:
        return self._eval(r)[..., 2]

    def _solve(self, q: np.ndarray, upper: bool) -> np.ndarray:
        """r with cdf(r) = q (upper=False) or sf(r) = q (upper=True), working on the small side."""
        q = np.asarray(q, dtype=np.float64)
        flat = q.ravel()
        out = np.empty(flat.size)
        small = flat <= 0.5
        with np.errstate(divide="ignore"):
            logq_small = np.log(flat)
            logq_other = np.log1p(-flat)  # complementary probability, exact for q >= 1/2
        # cdf(r) = q  <=>  sf(r) = 1 - q: solve on the side where the probability is small
        lq = np.where(small, logq_small, logq_other)
        up = np.where(small, upper, not upper)
        for flag in (False, True):
            sel = np.flatnonzero(up == flag)
            if sel.size:
                tmp = np.empty(sel.size)
                kostlan_quantile_array(self.n, np.ascontiguousarray(lq[sel]), flag, tmp)
                out[sel] = tmp
        out[np.isnan(flat)] = np.nan
        return out.reshape(q.shape)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self._solve(q, upper=False)

    def _isf(self, q: np.ndarray) -> np.ndarray:
        return self._solve(q, upper=True)

    def rvs(self, size: Any = None, *, rng: Any = None) -> Any:
        """Exact samples of rho(W).

        For ``n <= 20000``: Kostlan's sampler, ``rho = sqrt(max_k Gamma(k, 1) / n)``
        (:func:`rmtedge.spectral_radius` with ``method="kostlan"``, O(n) per sample). Above:
        inversion, ``isf(U)`` with ``U`` uniform (O(sqrt(n)) per Newton step, ~5-10 steps).
        Both are exact in law; the same ``rng`` gives the same samples.
        """
        shape = check_size(size)
        gen = check_rng(rng)
        if self.n <= 20000:
            from ..ensembles.samplers import spectral_radius

            out = spectral_radius(
                self.n, field="complex", size=shape, scale="glorot", method="kostlan", rng=gen
            )
            return _ret(np.asarray(out, dtype=np.float64))
        return _ret(self._sample_by_inversion(gen, shape))
