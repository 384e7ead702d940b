"""The one Gaussian draw of rmtedge: real N(0, 1) or complex CN(0, 1) entries from a Generator.

Complex Ginibre entries are ``(a + i b)/sqrt(2)`` with ``a, b`` i.i.d. N(0, 1), so ``E|g|^2 = 1``
(``docs/theory.md``, "Conventions"). They are drawn as one ``standard_normal`` call of shape
``(*shape, 2)`` read as complex128 (real part first), so a seed gives the same numbers wherever
the draw happens (samplers, recurrences, Monte Carlo quantities).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["standard_gaussian"]

_SQRT2 = math.sqrt(2.0)


def standard_gaussian(
    gen: np.random.Generator,
    shape: tuple[int, ...],
    *,
    field: str,
    scale: float = 1.0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Array of i.i.d. ``scale * N(0, 1)`` (``field="real"``) or ``scale * CN(0, 1)`` entries.

    ``out``, if given, must be a C-contiguous float64 (real) or complex128 (complex) array of
    ``shape``; it is filled and returned. ``field`` is trusted (checked by the public callers).
    """
    if field == "real":
        if out is None:
            out = gen.standard_normal(shape)
        else:
            gen.standard_normal(out=out)
        if scale != 1.0:
            out *= scale
        return out
    if out is None:
        out = np.empty(shape, dtype=np.complex128)
    gen.standard_normal(out=out.view(np.float64).reshape((*shape, 2)))
    out *= scale / _SQRT2  # one rounding of the factor, as every caller had it
    return out
