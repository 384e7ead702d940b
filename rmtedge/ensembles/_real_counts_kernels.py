"""Compiled kernel of rmtedge.ensembles.real_counts: E_n over an array of dimensions in one pass.

The public wrapper (:func:`rmtedge.ensembles.real_counts.expected_real_eigenvalues`) validates ``n`` and
passes the exactly rounded table of small-n values and the asymptotic coefficients; the
kernel only reads them (no hidden state).
"""

from __future__ import annotations

import math

import numpy as np

from .._core.jit import jit

__all__ = ["expected_real_kernel"]


@jit(python=True)
def expected_real_kernel(
    n: np.ndarray, table: np.ndarray, coeffs: np.ndarray, sqrt_2_over_pi: float, out: np.ndarray
) -> None:
    """out[i] = E_{n[i]}: table[n] for n < len(table), else 1/2 + sqrt(2n/pi) sum_k c_k n^-k.

    n may be int64 or float64 (dimensions beyond int64 arrive as floats)."""
    table_max = table.shape[0] - 1
    last = coeffs.shape[0] - 1
    for i in range(n.shape[0]):
        k = n[i]
        if k <= table_max:
            out[i] = table[int(k)]
        else:
            x = 1.0 / k
            poly = coeffs[last]
            for j in range(last - 1, -1, -1):
                poly = poly * x + coeffs[j]
            out[i] = 0.5 + sqrt_2_over_pi * math.sqrt(k) * poly
