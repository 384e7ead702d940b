"""Private numba kernels of :mod:`rmtedge.recurrent.simulate` (pure: no random numbers, no allocation).

The recurrence engine keeps, for every column (one realization) of the state block ``Y`` of
shape ``(n_matrices, n, n_columns)``, a power-of-two exponent ``E`` so that the true state is
``2**E * Y``. The kernels below do the memory-bound part of one step after the BLAS-3 product
``Y = W @ H``: add the (scaled) inputs and accumulate the squared column norms in the same pass,
and report whether a column left the safe range so the Python driver can renormalise it.
"""

from __future__ import annotations

import math

from .._core.constants import LN2
from .._core.jit import jit

__all__ = [
    "HI_SUMSQ",
    "LO_SUMSQ",
    "add_inputs_sumsq",
    "record_log_norms",
    "sumsq_columns",
    "transpose_inputs",
]

#: Renormalise a column when its squared norm leaves [LO_SUMSQ, HI_SUMSQ] (norm outside
#: [2**-300, 2**300]): one more step cannot overflow or lose the state to underflow unless
#: ||W||_2 > 2**700.
HI_SUMSQ = 2.0**600
LO_SUMSQ = 2.0**-600


@jit(python=True)
def add_inputs_sumsq(Y, X, tt, xscale, sumsq):  # pragma: no cover - compiled
    """``Y[j, :, k] += xscale[j, k] * X[j or 0, tt, :, k]``; ``sumsq[j, k] = ||Y[j, :, k]||^2``.

    ``X`` has shape ``(1 or mb, chunk, n, q)`` (one input block shared by all matrices, or one per
    matrix); ``tt`` indexes the chunk. Returns True if some squared norm is outside
    ``[LO_SUMSQ, HI_SUMSQ]`` (zero excepted) or not finite.
    """
    mb, n, q = Y.shape
    shared = X.shape[0] == 1
    flag = False
    for j in range(mb):
        jx = 0 if shared else j
        for k in range(q):
            sumsq[j, k] = 0.0
        for i in range(n):
            for k in range(q):
                v = Y[j, i, k] + X[jx, tt, i, k] * xscale[j, k]
                Y[j, i, k] = v
                sumsq[j, k] += v.real * v.real + v.imag * v.imag
        for k in range(q):
            s = sumsq[j, k]
            if not (s <= HI_SUMSQ and (s >= LO_SUMSQ or s == 0.0)):
                flag = True
    return flag


@jit(python=True)
def sumsq_columns(Y, sumsq):  # pragma: no cover - compiled
    """``sumsq[j, k] = ||Y[j, :, k]||^2``; returns True if one is outside the safe range."""
    mb, n, q = Y.shape
    flag = False
    for j in range(mb):
        for k in range(q):
            sumsq[j, k] = 0.0
        for i in range(n):
            for k in range(q):
                v = Y[j, i, k]
                sumsq[j, k] += v.real * v.real + v.imag * v.imag
        for k in range(q):
            s = sumsq[j, k]
            if not (s <= HI_SUMSQ and (s >= LO_SUMSQ or s == 0.0)):
                flag = True
    return flag


@jit(python=True)
def record_log_norms(sumsq, E, out):  # pragma: no cover - compiled
    """``out[j, k] = E[j, k] log 2 + log(sumsq[j, k]) / 2`` (``-inf`` for a zero column).

    ``out`` is usually a strided slice of the (matrices, columns, times) record.
    """
    mb, q = sumsq.shape
    for j in range(mb):
        for k in range(q):
            s = sumsq[j, k]
            if s > 0.0:
                out[j, k] = E[j, k] * LN2 + 0.5 * math.log(s)
            elif s == 0.0:
                out[j, k] = -math.inf
            else:  # NaN
                out[j, k] = s


@jit(python=True)
def transpose_inputs(src, t0, length, dst):  # pragma: no cover - compiled
    """``dst[0, t, i, k] = src[k, t0 + t, i]`` for ``t < length``: user inputs laid out
    (input, time, coordinate) into the engine's (time, coordinate, input) block.

    Loop order: per time step the ``p`` source rows are read contiguously and the ``n x p``
    destination block (small, cache resident) is written with stride ``p``. numpy's
    ``copyto`` of the transposed view is an order of magnitude slower here.
    """
    p = src.shape[0]
    n = src.shape[2]
    for t in range(length):
        for k in range(p):
            for i in range(n):
                dst[0, t, i, k] = src[k, t0 + t, i]
