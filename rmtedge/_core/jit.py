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

It also provides :func:`fma`, the fused multiply-add ``a * b + c`` with one rounding (LLVM's
``llvm.fma.f64``: one instruction on CPUs with FMA, a correctly rounded libm call otherwise),
on which the exact products of the double-double arithmetic rest.
"""

from __future__ import annotations

import numba
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

__all__ = ["fma", "jit", "vectorize"]

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


@intrinsic
def fma(typingctx, a, b, c):
    """``a * b + c`` rounded once (float64 arguments), callable from jitted code only."""
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        d = ir.DoubleType()
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(d, [d, d, d]), "llvm.fma.f64"
        )
        return builder.call(fn, args)

    return sig, codegen
