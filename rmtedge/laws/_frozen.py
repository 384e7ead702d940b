"""Private base class for rmtedge's frozen one-dimensional laws (scipy.stats-like interface).

Subclasses implement the log-space primitives ``_logcdf``, ``_logsf``, ``_logpdf`` and the
quantiles ``_ppf``/``_isf`` on float arrays; this base class does the broadcasting, NaN
propagation and the derived methods. ``sf`` is always computed from ``_logsf`` (never as
``1 - cdf``) so upper-tail probabilities keep full relative accuracy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core.checks import check_probability, check_rng, check_size

__all__ = ["FrozenLaw"]


def _as_float_array(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)
    ):
        raise TypeError(f"{name} must be real numbers, got dtype {arr.dtype}")
    return arr.astype(np.float64)


def _ret(out: np.ndarray) -> Any:
    return out[()] if out.ndim == 0 else out


class FrozenLaw:
    """A frozen law of a real random variable with a scipy.stats-style interface.

    Methods ``cdf, sf, logcdf, logsf, pdf, logpdf`` broadcast over their argument; ``ppf`` and
    ``isf`` take probabilities in [0, 1] (NaN outside); ``rvs(size, rng)`` samples by inversion
    unless a subclass has an exact sampler.
    """

    #: short description used in ``repr``
    name: str = "law"

    # -- primitives to implement ---------------------------------------------------------
    def _logcdf(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _logsf(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _logpdf(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _ppf(self, q: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _isf(self, q: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- public interface -----------------------------------------------------------------
    def logcdf(self, x: Any) -> Any:
        """Natural log of the CDF, accurate deep in the lower tail."""
        return _ret(self._logcdf(_as_float_array(x, "x")))

    def logsf(self, x: Any) -> Any:
        """Natural log of the survival function, accurate deep in the upper tail."""
        return _ret(self._logsf(_as_float_array(x, "x")))

    def cdf(self, x: Any) -> Any:
        """Cumulative distribution function P(X <= x)."""
        return _ret(np.exp(self._logcdf(_as_float_array(x, "x"))))

    def sf(self, x: Any) -> Any:
        """Survival function P(X > x), computed directly (not as 1 - cdf)."""
        return _ret(np.exp(self._logsf(_as_float_array(x, "x"))))

    def logpdf(self, x: Any) -> Any:
        """Natural log of the probability density."""
        return _ret(self._logpdf(_as_float_array(x, "x")))

    def pdf(self, x: Any) -> Any:
        """Probability density."""
        return _ret(np.exp(self._logpdf(_as_float_array(x, "x"))))

    def _check_q(self, q: Any) -> np.ndarray:
        arr = _as_float_array(q, "q")
        return np.where((arr >= 0) & (arr <= 1), arr, np.nan)

    def ppf(self, q: Any) -> Any:
        """Quantile function (inverse of ``cdf``); NaN for q outside [0, 1]."""
        return _ret(self._ppf(self._check_q(q)))

    def isf(self, q: Any) -> Any:
        """Inverse survival function: x with ``sf(x) = q``; accurate for tiny q."""
        return _ret(self._isf(self._check_q(q)))

    def median(self) -> float:
        """Median, ``ppf(1/2)``."""
        return float(self._ppf(np.array(0.5)))

    def interval(self, confidence: float) -> tuple[float, float]:
        """Equal-tailed interval containing probability ``confidence``."""
        c = check_probability(confidence, "confidence")
        a = np.array((1.0 - c) / 2.0)
        return float(self._ppf(a)), float(self._isf(a))

    def rvs(self, size: Any = None, rng: Any = None) -> Any:
        """Random samples (by inversion of ``isf`` on uniform variates unless overridden)."""
        shape = check_size(size)
        gen = check_rng(rng)
        u = gen.random(shape)
        return _ret(self._isf(u))

    def mean(self) -> float:  # pragma: no cover - overridden where known
        """Mean of the law."""
        raise NotImplementedError

    def var(self) -> float:  # pragma: no cover - overridden where known
        """Variance of the law."""
        raise NotImplementedError

    def std(self) -> float:
        """Standard deviation, ``sqrt(var())``."""
        return float(np.sqrt(self.var()))
