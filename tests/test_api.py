"""The public API as a contract: names, the written conventions, and the layering of the package.

Conventions (``docs/api.md``, "Conventions"):

* every public name that existed before the round-two restructure still resolves from ``rmtedge``;
* options are keyword-only: a parameter with a default value is never positional, apart from the
  documented exceptions below;
* lower layers never import higher ones (``_core < ensembles < laws < recurrent < montecarlo <
  mp < adapters, cli, validation``), checked on the source (AST), not on what happens to be
  imported at run time;
* ``import rmtedge`` loads no numerical module (the names are re-exported lazily).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import subprocess
import sys

import pytest

import rmtedge
import rmtedge.mp

ROOT = pathlib.Path(rmtedge.__file__).resolve().parent

#: every public name of ``rmtedge`` at the start of round two (a stable contract)
NAMES_ROUND_ONE = (
    "__version__ ginibre eigvals spectral_radius count_real_eigenvalues hessenberg_ginibre "
    "real_eigenvalue_density log_real_eigenvalue_density complex_eigenvalue_density "
    "log_complex_eigenvalue_density expected_real_outside log_expected_real_outside "
    "expected_nonreal_outside log_expected_nonreal_outside PAPER_GUMBEL_C gamma_n "
    "gumbel_edge_law rider_centering rider_scale spectral_radius_law prob_radius_exceeds_one "
    "log_prob_radius_exceeds_one largest_real_eigenvalue_sf eigenvalue_moment "
    "log_eigenvalue_moment hidden_state_lower_bound log_hidden_state_lower_bound "
    "instability_threshold threshold_exponent ThresholdFit simulate_hidden_states power_norms "
    "HiddenStateTrace PowerTrace rescale_factor rescaled_glorot diagonal_glorot_eigenvalues "
    "halved_glorot diagonal_uniform expected_real_eigenvalues prob_all_real log_prob_all_real "
    "prob_real_count real_count_distribution log_real_count_distribution"
).split()

#: public modules reachable as attributes of ``rmtedge`` after a plain ``import rmtedge``
SUBMODULE_NAMES = {
    "mp": "real_eigenvalue_density",
    "montecarlo": "run",
    "torch": "rescaled_glorot_",
}

#: (callable, parameter) pairs allowed to be positional with a default, and why
POSITIONAL_DEFAULT_EXCEPTIONS = {
    # the matrix is the mathematical argument; None means "sample Glorot matrices"
    ("simulate_hidden_states", "W"),
    ("power_norms", "W"),
    # scipy.stats convention: law.rvs(1000) draws 1000 samples
    ("rvs", "size"),
}

#: layers, lowest first; a module may import only its own layer and those before it
LAYERS = (
    ("_version", "_core"),
    ("ensembles",),
    ("laws",),
    ("recurrent",),
    ("montecarlo",),
    ("mp",),
    ("torch", "jax", "cli", "_warmup", "validation"),
)


@pytest.mark.parametrize("name", NAMES_ROUND_ONE)
def test_round_one_names_resolve(name):
    """Every name exported before the restructure is still an attribute of rmtedge."""
    assert name in rmtedge.__all__
    assert getattr(rmtedge, name) is not None


def test_all_is_complete_and_dir_lists_it():
    """__all__ has no duplicates, every entry resolves, and dir(rmtedge) shows the lazy names."""
    assert len(set(rmtedge.__all__)) == len(rmtedge.__all__)
    for name in rmtedge.__all__:
        getattr(rmtedge, name)
    assert set(rmtedge.__all__) <= set(dir(rmtedge))
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        rmtedge.not_a_name  # noqa: B018


@pytest.mark.parametrize("module, attr", sorted(SUBMODULE_NAMES.items()))
def test_submodules_reachable_after_plain_import(module, attr):
    """rmtedge.montecarlo.run etc. work after ``import rmtedge`` alone (fresh interpreter)."""
    code = f"import rmtedge; assert callable(rmtedge.{module}.{attr})"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_import_loads_no_numerical_module():
    """``import rmtedge`` imports neither numba, scipy, mpmath nor any rmtedge subpackage."""
    code = (
        "import sys, rmtedge; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('numba', 'scipy', 'mpmath') "
        "or (m.startswith('rmtedge.') and m != 'rmtedge._version')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def _public_callables():
    out = []
    for name in rmtedge.__all__:
        obj = getattr(rmtedge, name)
        if inspect.isfunction(obj):
            out.append((f"rmtedge.{name}", name, obj))
        elif inspect.isclass(obj) and hasattr(obj, "rvs"):
            pass
    for name in rmtedge.mp.__all__:
        obj = getattr(rmtedge.mp, name)
        if inspect.isfunction(obj):
            out.append((f"rmtedge.mp.{name}", name, obj))
    # methods of the frozen laws the public constructors return
    law_classes = {
        type(rmtedge.spectral_radius_law(10, field="complex")),
        type(rmtedge.spectral_radius_law(10, field="real")),
        type(rmtedge.spectral_radius_law(10, field="real", method="poisson")),
        type(rmtedge.gumbel_edge_law(200, field="real")),
        type(rmtedge.largest_real_eigenvalue_law(10)),
        type(rmtedge.largest_real_eigenvalue_limit()),
    }
    for cls in sorted(law_classes, key=lambda c: c.__qualname__):  # same order in every process
        for meth_name, meth in inspect.getmembers(cls, inspect.isfunction):
            if not meth_name.startswith("_"):
                out.append((f"{cls.__name__}.{meth_name}", meth_name, meth))
    return out


_CALLABLES = _public_callables()


# ids are the qualified names (stable across processes, unlike a function's repr)
@pytest.mark.parametrize("qualname, name, func", _CALLABLES, ids=[c[0] for c in _CALLABLES])
def test_options_are_keyword_only(qualname, name, func):
    """Every parameter with a default is keyword-only (documented exceptions aside)."""
    for p in inspect.signature(func).parameters.values():
        if p.default is inspect.Parameter.empty:
            continue
        if p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD):
            continue
        assert (name, p.name) in POSITIONAL_DEFAULT_EXCEPTIONS, (
            f"{qualname}: option {p.name!r} must be keyword-only"
        )


def test_keyword_only_rule_catches_a_positional_option():
    """Power check of the rule above on a deliberately wrong signature."""

    def bad(x, n, field="real"):
        return x

    with pytest.raises(AssertionError, match="must be keyword-only"):
        test_options_are_keyword_only("bad", "bad", bad)


def _layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "rmtedge" or len(parts) == 1:
        return None
    for rank, names in enumerate(LAYERS):
        if parts[1] in names:
            return rank
    return None


def _imports(path: pathlib.Path, module: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in a source file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # "from . import x" imports the submodule x
            if not node.module:
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def _source_modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        yield path, module
    validation = ROOT.parent / "validation"
    for path in sorted(validation.glob("*.py")):
        module = "rmtedge.validation." + path.stem
        yield path, module.removesuffix(".__init__")


def _upward_imports():
    bad = []
    for path, module in _source_modules():
        own = _layer_of(module)
        if own is None:  # rmtedge/__init__.py: lazy re-exports of everything
            continue
        for line, target in _imports(path, module):
            other = _layer_of(target)
            if other is not None and other > own:
                bad.append(f"{module}:{line} imports {target}")
    return bad


def test_no_upward_imports():
    """Layering contract: no module imports a higher layer (lazy imports inside functions too)."""
    assert _upward_imports() == []


def test_layering_check_has_power(tmp_path, monkeypatch):
    """The AST check finds an upward import planted in a copy of a low-layer module."""
    fake = tmp_path / "rmtedge" / "_core"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("def f():\n    from ..laws import gumbel\n")
    imports = _imports(fake / "bad.py", "rmtedge._core.bad")
    assert (2, "rmtedge.laws") in imports
    assert _layer_of("rmtedge.laws") > _layer_of("rmtedge._core.bad")


def test_every_module_has_a_layer():
    """A new top-level module or subpackage must be given a layer here (or it escapes the check)."""
    tops = {p.stem for p in ROOT.glob("*.py")} | {p.parent.name for p in ROOT.glob("*/__init__.py")}
    tops.discard("__init__")
    known = {name for names in LAYERS for name in names}
    assert tops <= known, tops - known


def test_modules_do_not_share_a_name_with_a_function():
    """``import rmtedge.X`` is never shadowed by a function called X (issue 11)."""
    mods = set()
    for _path, module in _source_modules():
        mods.add(module.rsplit(".", 1)[-1])
    clash = {name for name in rmtedge.__all__ if name in mods}
    assert clash == set()
    # and the old module path of the laws is the function, not a module
    assert callable(importlib.import_module("rmtedge").spectral_radius_law)
