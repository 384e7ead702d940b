"""numpy ufuncs (broadcasting wrappers) of the scalar special-function kernels.

Built on first access (module ``__getattr__``, PEP 562): ``from rmtedge._core.ufuncs import
erfcx_vec`` compiles that one ufunc only. Used by tests, benchmarks and a few array wrappers;
the kernels themselves call the scalar functions.
"""

from __future__ import annotations

from .elementary import log1mexp_neg, log1pmx
from .erf import erfcx, log_erfc
from .incgamma import gammainc_p, gammainc_q, log_gamma_prefactor, log_gammainc_p, log_gammainc_q
from .jit import vectorize

_F1 = ["float64(float64)"]
_F2 = ["float64(float64, float64)"]

# The ufuncs are built on first access (module __getattr__, PEP 562), not at import: building
# eight eagerly-typed ufuncs cost ~1.7 s of every ``import rmtedge`` even with a warm cache,
# and the package's own code calls the scalar kernels, not these.


def _log1pmx_vec(x):
    return log1pmx(x)


def _log1mexp_neg_vec(s, log_s):
    return log1mexp_neg(s, log_s)


def _erfcx_vec(x):
    return erfcx(x)


def _log_erfc_vec(x):
    return log_erfc(x)


def _log_gamma_prefactor_vec(a, x):
    return log_gamma_prefactor(a, x)


def _log_gammainc_p_vec(a, x):
    return log_gammainc_p(a, x)


def _log_gammainc_q_vec(a, x):
    return log_gammainc_q(a, x)


def _gammainc_p_vec(a, x):
    return gammainc_p(a, x)


def _gammainc_q_vec(a, x):
    return gammainc_q(a, x)


_UFUNCS = {
    "log1pmx_vec": (_F1, _log1pmx_vec),
    "erfcx_vec": (_F1, _erfcx_vec),
    "log1mexp_neg_vec": (_F2, _log1mexp_neg_vec),
    "log_erfc_vec": (_F1, _log_erfc_vec),
    "log_gamma_prefactor_vec": (_F2, _log_gamma_prefactor_vec),
    "log_gammainc_p_vec": (_F2, _log_gammainc_p_vec),
    "log_gammainc_q_vec": (_F2, _log_gammainc_q_vec),
    "gammainc_p_vec": (_F2, _gammainc_p_vec),
    "gammainc_q_vec": (_F2, _gammainc_q_vec),
}


def __getattr__(name: str):
    """Build the numpy ufunc ``name`` (one of ``*_vec``) on first access and keep it."""
    if name in _UFUNCS:
        sigs, func = _UFUNCS[name]
        ufunc = vectorize(sigs)(func)
        globals()[name] = ufunc
        return ufunc
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
