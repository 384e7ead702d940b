"""Samplers of real and complex Ginibre / Glorot matrices, their eigenvalues and spectral radii.

Conventions (used throughout rmtedge):

* real Ginibre ``G``: i.i.d. N(0, 1) entries;
* complex Ginibre ``G``: i.i.d. (N(0, 1) + i N(0, 1)) / sqrt(2) entries, so E|g|^2 = 1 and the
  real and imaginary parts are independent with variance 1/2;
* ``scale="glorot"``: ``W = G / sqrt(n)`` (entry variance 1/n, Glorot-normal with
  fan_in = fan_out = n); ``scale="ginibre"``: ``G`` itself.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._checks import check_field, check_n, check_rng, check_scale, check_size

__all__ = ["ginibre"]


def _scale_factor(n: int, scale: str) -> float:
    return 1.0 / math.sqrt(n) if scale == "glorot" else 1.0


def ginibre(
    n: int,
    *,
    field: str = "real",
    size: int | tuple[int, ...] | None = None,
    scale: str = "glorot",
    rng: Any = None,
) -> np.ndarray:
    """Sample real or complex Ginibre (or Glorot-scaled) matrices.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    field : {"real", "complex"}
        Real Ginibre (i.i.d. N(0, 1) entries) or complex Ginibre (i.i.d. entries
        ``(a + i b)/sqrt(2)`` with ``a, b`` i.i.d. N(0, 1)).
    size : int or tuple of ints, optional
        Batch shape; the result has shape ``size + (n, n)``.
    scale : {"glorot", "ginibre"}
        ``"glorot"`` divides by ``sqrt(n)`` (entry variance ``1/n``); ``"ginibre"`` keeps unit
        variance.
    rng : None, int, SeedSequence or numpy.random.Generator
        Source of randomness (see :func:`numpy.random.default_rng`).

    Returns
    -------
    ndarray
        ``float64`` (real) or ``complex128`` (complex) array of shape ``size + (n, n)``.

    References
    ----------
    J. Ginibre, "Statistical ensembles of complex, quaternion, and real matrices",
    J. Math. Phys. 6 (1965) 440-449. X. Glorot and Y. Bengio, AISTATS 2010 (Glorot-normal).
    N. Bar et al., arXiv:2505.19827 (2025), Section 2 (the Glorot recurrence matrix).

    Examples
    --------
    >>> import numpy as np, rmtedge
    >>> W = rmtedge.ginibre(400, size=20, rng=0)
    >>> W.shape
    (20, 400, 400)
    >>> bool(abs(np.mean(W**2) * 400 - 1) < 0.01)   # E w_ij^2 = 1/n
    True
    """
    n = check_n(n)
    field = check_field(field)
    scale = check_scale(scale)
    shape = check_size(size) + (n, n)
    gen = check_rng(rng)
    c = _scale_factor(n, scale)
    if field == "real":
        out = gen.standard_normal(shape)
        if c != 1.0:
            out *= c
        return out
    out = np.empty(shape, dtype=np.complex128)
    view = out.view(np.float64).reshape(shape + (2,))
    gen.standard_normal(shape + (2,), out=view)
    out *= c / math.sqrt(2.0)
    return out
