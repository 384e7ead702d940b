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
* ``no_cfunc_wrapper=True`` -- no C-callable wrapper (kernels are never passed as first-class
  function values), which is compile time saved on every kernel.
* no CPython entry unless ``python=True`` -- a helper called only from other kernels is compiled
  without the wrapper that boxes its arguments and results for the interpreter
  (``no_cpython_wrapper``): that wrapper was about a quarter of the cold compile time of the
  incomplete-gamma stack (2.5 s against 3.4 s, ``benchmarks/bench_coldstart.py``, issue 16).
  Calling such a helper from Python raises :class:`TypeError` (not the crash numba would give);
  tests reach it through :func:`python_callable`. The kernels the public wrappers call are
  declared ``@jit(python=True)``; so are ``inline="always"`` helpers, which are never compiled
  on their own when called from a kernel.
* helpers are optimised once and get no machine code (``_HelperLibrary``, via a compiler
  pipeline whose native lowering uses it). numba optimises (O3) a function's module after
  linking in all its callees, so a helper deep in a stack was re-optimised with everything
  below it at every level, and it generated machine code for every helper although only the
  copies linked into the kernels with a Python entry point ever run. A helper now optimises its
  own functions, then links its (already optimised) callees, and stops there; its cache entry
  is that IR, from which a later process that compiles a new caller generates code. The kernel
  at the top links and optimises everything once, as before: 5243 values of 13 entry points
  bit-identical, warm speed unchanged. Poisson radius law, cold first call: 7.8 -> 7.2 s CPU
  without helper machine code (3 interleaved pairs, loaded machine), then -0.4 s more with the
  optimisation order (3 pairs). Where numba's internals differ from numba 0.68's, helpers are
  compiled as numba does. numba also runs function passes on each function as it is added to a
  library, before the module O3; a helper skips them (0.29 s of the Poisson law's first call).
* two numba overheads are avoided, with the same result: the numpy array-operator template
  resolves a ufunc loop for every scalar ``a + b``, ``a < b`` before it declines them (skipped
  while rmtedge compiles, ``_install_scalar_operator_shortcut``: about 1 s of 7 s on the Poisson
  law, checked by ``test_scalar_operator_shortcut_only_while_rmtedge_compiles``); and ``x ** 2``
  compiles an internal power function, so kernels write ``x * x``
  (``test_kernels_have_no_runtime_power_operator``). (A cache lookup refreshes numba's
  registries, but only the first refresh of a process costs anything, 0.53 s, and the compiler
  makes it anyway; later ones take 0.15 ms, so skipping them saved nothing.)
* one compiled copy of a helper per argument *type*: a constant argument at a call site
  (``Literal[int](2)``, ``Literal[bool](True)``) is typed as its plain type, where numba would
  otherwise compile a copy of the helper, and of everything linked into it, for each value
  (issue 16; ``tests/test_special.py::test_helper_compiles_once_per_argument_type``).

* what a compiled function costs on a cold cache (issue 16, measured by interleaved A/B runs of
  ``benchmarks/bench_coldstart.py`` entry points): every separately compiled function is a
  library into which all its callees are linked and then optimised and turned into machine code
  again, so a one-line wrapper over a deep stack costs about as much as a real function (the
  incomplete-gamma wrappers are therefore ``inline="always"``); but inlining anything larger
  costs more than it saves, because numba copies the inlined IR at every call site
  (``log_gammainc_pq_dd`` inlined: +0.6 s on the Poisson law; five single-site helpers of the
  exact law, LU and window, inlined: +0.13 s). A loop over evaluation points whose single point costs several
  microseconds (the exact and Kostlan radius laws, the counts outside a radius, the moments) is
  therefore plain Python around a compiled scalar kernel, not a compiled loop that re-generates
  the kernel (0.3-0.55 s less per entry point, about 1 us per point more when warm); the
  densities (under 1 us per point) keep their compiled loops.

* a kernel that only chains other kernels costs its own typing and lowering plus one more
  optimisation of everything linked into it, and a long straight-line kernel costs more to
  compile than numpy spends running it once per call: the exact real radius law is Python around
  two compiled stages per radius (tables: incomplete-gamma runs and arc integrals; the upper-path
  elimination), its matrices are filled by numpy for all radii of a call at once and its LU
  factorisations are LAPACK's (cold first call 6.9 -> 3.9 s CPU, see
  ``rmtedge.laws._real_radius_pfaffian_kernels.real_radius_law_array`` for the warm cost). A
  compiler pipeline that skipped a helper's own O3 (its callers optimise the linked copy anyway)
  saved 0.27 s on the compiled matrix fill and nothing measurable elsewhere; it went with it.

* a cache entry is valid only for the sources it was compiled from: numba checks the kernel's
  own file (a SHA-256 of its content in numba 0.68), but a kernel's machine code also contains
  every helper it calls from other files (``incgamma``, ``erf``, ...). An edited helper would
  leave the callers in other files running its old code from the cache. Each kernel's cache
  stamp therefore also carries :func:`kernel_sources_digest` (SHA-256 of the modules compiled
  code can come from), so a change to any of them invalidates every cached kernel (checked by
  ``tests/test_special.py::test_cache_stamp_covers_helper_sources``).

It also provides :func:`fma`, the fused multiply-add ``a * b + c`` with one rounding (LLVM's
``llvm.fma.f64``: one instruction on CPUs with FMA, a correctly rounded libm call otherwise),
on which the exact products of the double-double arithmetic rest.
"""

from __future__ import annotations

import hashlib
import pathlib
import types
from typing import Any

import numba
from llvmlite import ir
from numba.core import cgutils
from numba.core import types as nbtypes
from numba.core.registry import CPUDispatcher
from numba.extending import intrinsic

__all__ = ["fma", "jit", "kernel_sources_digest", "python_callable", "vectorize"]

# no_cfunc_wrapper: the C-callable wrapper serves only first-class function use (a kernel passed
# as an argument to another kernel), which rmtedge does not do; leaving it out saved ~0.5 s of the
# ~6.5 s cold first call of the exact real radius law (issue 16).
_OPTIONS = {"cache": True, "error_model": "numpy", "nogil": True, "no_cfunc_wrapper": True}


# Depth of rmtedge kernel compiles under way, changed only under numba's global compiler lock:
# the scalar-operator shortcut below applies only while it is positive.
_COMPILING = [0]


def _install_scalar_operator_shortcut() -> bool:
    """Skip numba's numpy-ufunc typing of binary operators whose operands are all scalars, while
    an rmtedge kernel compiles.

    numba types ``a + b``, ``a < b``, ... by trying every template of the operator. The numpy
    array-operator template (``NumpyRulesArrayOperator.generic``) first resolves a full ufunc
    loop for the operand types, and only then rejects the result when no operand is an array --
    once in type inference and again in lowering, for every scalar operation of every function.
    The shortcut returns that rejection (None) at once; the signature numba settles on is the
    same. Cold first call of the Poisson radius law: about 1 s of 7 s CPU (interleaved pairs,
    issue 16). numba's behaviour outside rmtedge's compiles is untouched; where numba's class
    differs from numba 0.68's, nothing is changed.
    """
    try:
        from numba.core.typing.npydecl import NumpyRulesArrayOperator
    except ImportError:  # pragma: no cover - numba internals moved
        return False
    original = NumpyRulesArrayOperator.__dict__.get("generic")
    if original is None or getattr(original, "_rmtedge_shortcut", False):
        return original is not None

    def generic(self, args, kws):
        if _COMPILING[0] and not any(isinstance(a, nbtypes.ArrayCompatible) for a in args):
            return None
        return original(self, args, kws)

    generic._rmtedge_shortcut = True
    generic.__doc__ = original.__doc__
    NumpyRulesArrayOperator.generic = generic
    return True


_SCALAR_OPERATOR_SHORTCUT = _install_scalar_operator_shortcut()


class _KernelDispatcher(CPUDispatcher):
    """numba's dispatcher, marking its compiles as rmtedge's (see the scalar-operator shortcut)."""

    def compile(self, sig):
        from numba.core.compiler_lock import global_compiler_lock

        # counted under numba's (re-entrant) compiler lock, so that another thread's compile
        # never runs while the count is raised
        with global_compiler_lock:
            _COMPILING[0] += 1
            try:
                return super().compile(sig)
            finally:
                _COMPILING[0] -= 1


class _HelperDispatcher(_KernelDispatcher):
    """A kernel compiled without a CPython entry point: callable from compiled code only."""

    def get_call_template(self, args, kws):
        # One compiled copy per argument *type*. A constant argument at a call site is typed as a
        # literal (Literal[int](2), Literal[bool](True)) and numba would otherwise compile a
        # separate copy of the helper for each value -- with the whole closure it links in
        # (issue 16: _log_gammainc, _gammainc_value and _odd_series were compiled twice).
        args = tuple(nbtypes.unliteral(a) for a in args)
        kws = {k: nbtypes.unliteral(v) for k, v in kws.items()}
        return super().get_call_template(args, kws)

    def __call__(self, *args, **kwargs):
        raise TypeError(
            f"{self.py_func.__module__}.{self.py_func.__qualname__} is a compiled helper without "
            "a Python entry point: call it from a kernel, or from Python through "
            "rmtedge._core.jit.python_callable"
        )


def _helper_pipeline() -> Any:
    """The numba compiler class of helpers (kernels without a Python entry point), or None where
    numba's internals differ from numba 0.68's (helpers are then compiled as numba does, with
    machine code nobody runs)."""
    try:
        import llvmlite.binding as ll
        from numba.core.codegen import JITCodeLibrary
        from numba.core.compiler import Compiler, DefaultPassBuilder
        from numba.core.compiler_lock import require_global_compiler_lock
        from numba.core.compiler_machinery import register_pass
        from numba.core.typed_passes import NativeLowering
    except ImportError:  # pragma: no cover - numba internals moved
        return None
    needed = (
        "_finalize_dynamic_globals",
        "_verify_declare_only_symbols",
        "serialize_using_bitcode",
        "_optimize_final_module",
        "_linking_libraries",
        "_reload_init",
    )
    probe = set(dir(JITCodeLibrary))  # methods, and the attributes the __init__s set
    for cls in JITCodeLibrary.__mro__:
        init = vars(cls).get("__init__")
        probe.update(getattr(getattr(init, "__code__", None), "co_names", ()))
    if not all(name in probe for name in needed):  # pragma: no cover
        return None

    class _HelperLibrary(JITCodeLibrary):
        """Code library of a helper: its optimised LLVM IR is linked into the library of every
        kernel that calls it, and only those copies are turned into machine code and run (a
        helper has no Python entry point, and callers link IR, not machine code). So no machine
        code is generated for the helper itself, and its cache entry is its optimised IR
        (numba's "bitcode" serialisation; a later process that compiles a new caller loads it
        and generates machine code then)."""

        def _finalize_final_module(self):
            self._finalize_dynamic_globals()
            self._verify_declare_only_symbols()
            # numba stores the address of each function's environment in a 'common' global of
            # the execution engine (callers' linked copies resolve to it): give those globals
            # a home, in a module that holds nothing else
            envs = [
                gv.name
                for gv in self._final_module.global_variables
                if gv.linkage == ll.Linkage.common and not gv.is_declaration
            ]
            if envs:
                text = "".join(f'@"{name}" = common global i8* null\n' for name in envs)
                home = ll.parse_assembly(text)
                home.name = f"{self.name}.envs"
                self._codegen._add_module(home)
                self._codegen._engine.finalize_object()
            self._finalized = True

        def serialize_using_object_code(self):
            return self.serialize_using_bitcode()

        def _optimize_functions(self, ll_module):
            # numba runs function passes on each function as it is added, then O3 on the module
            # at finalize: for a helper the module O3 below (and its callers' O3) suffice
            ll_module.data_layout = self._codegen._data_layout

        def finalize(self):
            # numba links the callees first and then optimises the whole module, so a helper
            # deep in a stack re-optimised all of it at every level; here the helper's own
            # functions are optimised, then its (already optimised) callees linked. The kernel
            # at the top links and optimises everything once, as before.
            require_global_compiler_lock()
            self._codegen._check_llvm_bugs()
            self._raise_if_finalized()
            self._optimize_final_module()
            seen = set()
            for library in self._linking_libraries:
                if library not in seen:
                    self._reload_init.update(library._reload_init)
                    seen.add(library)
                    self._final_module.link_in(library._get_module_for_linking(), preserve=True)
            self._final_module.verify()
            self._finalize_final_module()

    @register_pass(mutates_CFG=False, analysis_only=False)
    class _HelperLowering(NativeLowering):
        """numba's native lowering, into a :class:`_HelperLibrary`."""

        _name = "rmtedge_helper_lowering"

        def run_pass(self, state):
            if state.library is None:
                state.library = _HelperLibrary(
                    state.targetctx.codegen(), state.func_id.func_qualname
                )
                state.library.enable_object_caching()
            return super().run_pass(state)

    class _HelperCompiler(Compiler):
        """numba's nopython pipeline with its native lowering into a helper library."""

        def define_pipelines(self):
            pm = DefaultPassBuilder.define_nopython_pipeline(self.state)
            pm.passes = [
                (_HelperLowering if cls is NativeLowering else cls, desc) for cls, desc in pm.passes
            ]
            return [pm]

    return _HelperCompiler


_HELPER_PIPELINE = _helper_pipeline()


def jit(*args, python: bool | None = None, **kwargs):
    """``numba.njit`` with rmtedge's options (cache, numpy error model, nogil, no fastmath).

    ``python=True`` keeps the CPython entry point (kernels called by the public wrappers); the
    default compiles a helper for other kernels only (see the module docstring). Functions with
    ``inline="always"`` keep their entry point.
    """
    opts = dict(_OPTIONS)
    opts.update(kwargs)
    if python is None:
        python = opts.get("inline", "never") == "always"
    if not python:
        opts["no_cpython_wrapper"] = True
        if _HELPER_PIPELINE is not None:
            opts["pipeline_class"] = _HELPER_PIPELINE

    if args and callable(args[0]) and len(args) == 1:
        return _compile(args[0], (), opts, python)
    return lambda func: _compile(func, args, opts, python)


def _compile(func, sigs: tuple, opts: dict, python: bool):
    # as numba.njit does, except that caching is switched on, and its stamp extended, before
    # anything is compiled: nothing is looked up or written under numba's file-only stamp
    disp = numba.njit(**{**opts, "cache": False})(func)
    disp.__class__ = _KernelDispatcher if python else _HelperDispatcher
    if opts.get("cache"):
        disp.enable_caching()
        _stamp_with_sources(disp._cache)
    for sig in sigs:
        disp.compile(sig)
    if sigs:
        disp.disable_compile()
    return disp


_PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent
_DIGESTS: dict[pathlib.Path, str] = {}


def kernel_sources_digest(root: pathlib.Path | None = None) -> str:
    """SHA-256 (hex) of the modules compiled code can come from, under ``root`` (default: the
    installed ``rmtedge`` package): every module of ``_core`` (helpers, constants, tables) and
    every other module whose text mentions ``jit`` (the kernel modules). Computed once per root
    and process (26 of the package's 66 files, about 5 ms)."""
    root = _PACKAGE_ROOT if root is None else pathlib.Path(root).resolve()
    if root not in _DIGESTS:
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            data = path.read_bytes()
            if rel.startswith("_core/") or b"jit" in data:
                h.update(rel.encode() + b"\0" + data + b"\0")
        _DIGESTS[root] = h.hexdigest()
    return _DIGESTS[root]


def _stamp_with_sources(cache: Any) -> None:
    """Make ``cache`` (a numba ``FunctionCache``) valid only for the current kernel sources:
    its index stamp (numba's: a hash of the function's own file) becomes that stamp plus
    :func:`kernel_sources_digest`. numba compares the stamp stored in the index with this one
    and treats a mismatch as an empty cache (recompiles and overwrites)."""
    cfile = getattr(cache, "_cache_file", None)
    stamp = getattr(cfile, "_source_stamp", None)
    if stamp is None:  # numba's cache internals changed: numba's own file-only check remains
        return
    cfile._source_stamp = (stamp, kernel_sources_digest())


_TWINS: dict[int, Any] = {}


def _twin(disp):
    if not isinstance(disp, _HelperDispatcher):
        return disp
    key = id(disp)
    if key not in _TWINS:

        def call(*args):
            return disp(*args)

        _TWINS[key] = (disp, numba.njit(error_model="numpy")(call))
    return _TWINS[key][1]


def python_callable(*objs):
    """Python-callable twins of compiled helpers (for tests and benchmarks).

    Each argument is a kernel (returned as a compiled trampoline that calls it, or unchanged
    when it has a Python entry already) or a module (returned as a proxy whose kernel
    attributes are such twins). With one argument the twin itself is returned, else a tuple.
    """
    out = []
    for obj in objs:
        if isinstance(obj, types.ModuleType):
            out.append(_ModuleTwin(obj))
        else:
            out.append(_twin(obj))
    return out[0] if len(out) == 1 else tuple(out)


class _ModuleTwin:
    """A module whose compiled helpers are replaced by their Python-callable twins."""

    def __init__(self, module: types.ModuleType):
        self._module = module

    def __getattr__(self, name: str):
        return _twin(getattr(self._module, name))


def vectorize(signatures: list[str], **kwargs):
    """``numba.vectorize(signatures)`` with rmtedge's options (cache, no fastmath): an eagerly
    compiled numpy ufunc whose cache stamp carries :func:`kernel_sources_digest` too."""
    from numba.np.ufunc.ufuncbuilder import UFuncBuilder

    def wrap(func):
        builder = UFuncBuilder(func, cache=True, targetoptions=kwargs)
        _stamp_with_sources(getattr(builder.nb_func, "cache", None))
        for sig in signatures:
            builder.add(sig)
        return builder.build_ufunc()

    return wrap


@intrinsic
def fma(typingctx, a, b, c):
    """``a * b + c`` rounded once (float64 arguments), callable from jitted code only."""
    sig = nbtypes.float64(nbtypes.float64, nbtypes.float64, nbtypes.float64)

    def codegen(context, builder, signature, args):
        d = ir.DoubleType()
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(d, [d, d, d]), "llvm.fma.f64"
        )
        return builder.call(fn, args)

    return sig, codegen
