"""Private numba kernels of :mod:`rmtedge.recurrence` (pure: no random numbers, no allocation).

The recurrence engine keeps, for every column (one realization) of the state block ``Y`` of
shape ``(n_matrices, n, n_columns)``, a power-of-two exponent ``E`` so that the true state is
``2**E * Y``. The kernels below do the memory-bound part of one step after the BLAS-3 product
``Y = W @ H``: add the (scaled) inputs and accumulate the squared column norms in the same pass,
and report whether a column left the safe range so the Python driver can renormalise it.
"""

from __future__ import annotations

from ._numba import jit

__all__ = ["HI_SUMSQ", "LO_SUMSQ", "add_inputs_sumsq", "sumsq_columns"]

#: Renormalise a column when its squared norm leaves [LO_SUMSQ, HI_SUMSQ] (norm outside
#: [2**-300, 2**300]): one more step cannot overflow or lose the state to underflow unless
#: ||W||_2 > 2**700.
HI_SUMSQ = 2.0**600
LO_SUMSQ = 2.0**-600


@jit
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


@jit
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
