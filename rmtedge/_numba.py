"""The one place that fixes rmtedge's numba options.

Every compiled kernel in rmtedge is declared with :func:`jit` from this module, so the
options are uniform and can be audited in one place:

* ``cache=True`` -- compiled machine code is written next to the source and reused by later
  processes (tests, validation workers), which removes the JIT cost after the first run.
* ``error_model="numpy"`` -- division by zero gives inf/nan as in numpy instead of raising,
  so kernels never need the Python exception machinery in their inner loops.
* no ``fastmath`` -- the kernels rely on IEEE semantics (signed zeros, inf, nan ordering,
  no reassociation of compensated sums).
* ``nogil=True`` -- kernels release the GIL so thread pools can run them concurrently.
"""

from __future__ import annotations

import numba

__all__ = ["jit", "vectorize"]

_OPTIONS = {"cache": True, "error_model": "numpy", "nogil": True}


def jit(*args, **kwargs):
    """``numba.njit`` with rmtedge's options (cache, numpy error model, nogil, no fastmath)."""
    opts = dict(_OPTIONS)
    opts.update(kwargs)
    if args and callable(args[0]) and len(args) == 1:
        return numba.njit(**opts)(args[0])
    return numba.njit(*args, **opts)


def vectorize(*args, **kwargs):
    """``numba.vectorize`` with rmtedge's options (cache, no fastmath)."""
    opts = {"cache": True}
    opts.update(kwargs)
    return numba.vectorize(*args, **opts)
