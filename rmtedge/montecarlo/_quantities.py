"""Registry of Monte Carlo quantities: name -> sampler of ``count`` independent values.

A quantity is a function ``func(n, field, method, count, rng, **params)`` returning an array of
shape ``(count,) + value_shape`` (real or integer dtype) whose rows are independent samples drawn
from the ``numpy.random.Generator`` ``rng`` only (no global state, no other randomness): the
sweep engine's reproducibility rests on that.

Built-in quantities
-------------------
``spectral_radius``
    ``rho(W) = max_i |lambda_i(W)|`` of a real or complex Glorot matrix (rmtedge.spectral_radius).
``real_count``
    number of real eigenvalues of a real Ginibre matrix (rmtedge.count_real_eigenvalues).
``energy`` / ``log_energy``
    ``||h_t||^2 / n`` (or its natural log) for the driven recurrence ``h_t = W h_{t-1} + x_t``,
    ``h_0 = 0``, W Glorot, x_t i.i.d. standard Gaussian vectors.
``reduced_energy``
    ``||W^k e_1||^2`` for k = 0..k_max (params ``k_max``; ``log=True`` for its natural log) from
    the leading (k_max+1) x k_max Hessenberg block: exact in law, cost independent of n; its
    mean is ``(1/n) E||W^k||_F^2`` (rmtedge.recurrent.energy.energy_samples).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import logsumexp

from .._core.checks import (
    FIELDS,
    check_int,
    check_nonneg_int_array,
    check_scale,
)
from ..ensembles.samplers import count_real_eigenvalues, spectral_radius
from ..recurrent.simulate import simulate_hidden_states

__all__ = [
    "Quantity",
    "available_quantities",
    "get_quantity",
    "register_quantity",
    "unregister_quantity",
]

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Quantity:
    """A registered Monte Carlo quantity (see :func:`register_quantity`)."""

    name: str
    func: Callable[..., Any]
    fields: tuple[str, ...] = FIELDS
    methods: tuple[str, ...] = ("auto",)
    params: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    cost: Callable[..., float] | None = None
    validate: Callable[..., None] | None = None
    description: str = ""
    stream: str | None = None

    @property
    def stream_name(self) -> str:
        """Name that keys the random streams (quantities sharing it see the same numbers)."""
        return self.stream or self.name

    def check(self, n: int, field_: str, method: str, params: Mapping[str, Any]) -> None:
        """Raise ValueError/TypeError if (n, field, method, params) is not a valid grid point."""
        if field_ not in self.fields:
            raise ValueError(
                f"field {field_!r} is not available for quantity {self.name!r} "
                f"(supported: {self.fields})"
            )
        if method not in self.methods:
            raise ValueError(
                f"method {method!r} is not available for quantity {self.name!r} "
                f"(supported: {self.methods})"
            )
        for req in self.required:
            if req not in params:
                raise ValueError(f"{req} is required for quantity {self.name!r}")
        if self.validate is not None:
            self.validate(n, field_, method, params)

    def seconds_per_sample(
        self, n: int, field_: str, method: str, params: Mapping[str, Any]
    ) -> float:
        """A machine-independent cost model (notional seconds per sample) used for chunk sizes."""
        if self.cost is not None:
            return float(self.cost(n, field_, method, params))
        return _eig_cost(n, field_, method, params)


_REGISTRY: dict[str, Quantity] = {}


def register_quantity(
    name: str,
    func: Callable[..., Any] | None = None,
    *,
    fields: Sequence[str] = FIELDS,
    methods: Sequence[str] = ("auto",),
    params: Sequence[str] = (),
    required: Sequence[str] = (),
    cost: Callable[..., float] | None = None,
    validate: Callable[..., None] | None = None,
    description: str = "",
    stream: str | None = None,
    replace: bool = False,
) -> Any:
    """Register a Monte Carlo quantity for :func:`rmtedge.montecarlo.run`.

    Parameters
    ----------
    name : str
        Identifier (letters, digits, underscores) used as ``run(quantity=name, ...)``.
    func : callable, optional
        ``func(n, field, method, count, rng, **params) -> array`` of shape
        ``(count,) + value_shape`` with a real or integer dtype. ``rng`` is a
        ``numpy.random.Generator``; it must be the only source of randomness. If omitted,
        ``register_quantity`` returns a decorator.
    fields : sequence of str
        Fields the quantity supports (subset of ``("real", "complex")``).
    methods : sequence of str
        Accepted ``method`` names (include ``"auto"`` for the default).
    params : sequence of str
        Names of the keyword parameters ``func`` accepts (``t`` and the entries of
        ``run(params=...)`` are routed to the quantities that declare them).
    required : sequence of str
        Parameters that must be given.
    cost : callable, optional
        ``cost(n, field, method, params) -> float``: notional seconds per sample, used to pick a
        default chunk size (about 0.25 s of work per chunk). Default: a dense-eigenvalue model.
    validate : callable, optional
        ``validate(n, field, method, params)`` raising ValueError/TypeError for bad grid points;
        called in the driver before any work is scheduled.
    description : str
        One line shown by ``available_quantities()``.
    stream : str, optional
        Key of the random streams (default: ``name``). Two quantities with the same stream and
        the same draw order see the same random numbers (``log_energy`` uses ``"energy"``).
    replace : bool
        Allow replacing an existing registration.

    Returns
    -------
    Quantity or decorator

    Notes
    -----
    For process pools and Dask, ``func`` travels to the workers with each task: by reference
    if it lives in an importable module (the workers import it), by value (cloudpickle) if it is
    defined in ``__main__`` (a script or notebook) or is a closure. The workers never need the
    registry.

    Examples
    --------
    >>> import numpy as np
    >>> from rmtedge import montecarlo
    >>> @montecarlo.register_quantity("trace_sq", fields=("real",), methods=("auto",))
    ... def trace_sq(n, field, method, count, rng):
    ...     g = rng.standard_normal((count, n, n)) / np.sqrt(n)
    ...     return np.trace(g, axis1=1, axis2=2) ** 2
    >>> res = montecarlo.run("trace_sq", 4, samples=4000, seed=1)
    >>> bool(abs(res.mean[0] - 1.0) < 5 * res.stderr[0])   # E tr(W)^2 = n * (1/n) = 1
    True
    >>> montecarlo.unregister_quantity("trace_sq")
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not _NAME_RE.match(name):
        raise ValueError(f"name must be an identifier (letters, digits, _), got {name!r}")

    def _register(f: Callable[..., Any]) -> Any:
        if not callable(f):
            raise TypeError(f"func must be callable, got {type(f).__name__}")
        if name in _REGISTRY and not replace:
            raise ValueError(f"name {name!r} is already registered (pass replace=True)")
        flds = tuple(fields)
        for fl in flds:
            if fl not in FIELDS:
                raise ValueError(f"fields must be a subset of {FIELDS}, got {fl!r}")
        meths = tuple(methods)
        if not meths or not all(isinstance(m, str) for m in meths):
            raise TypeError("methods must be a non-empty sequence of str")
        prm = tuple(params)
        req = tuple(required)
        for r in req:
            if r not in prm:
                raise ValueError(f"required parameter {r!r} must also be listed in params")
        _REGISTRY[name] = Quantity(
            name=name,
            func=f,
            fields=flds,
            methods=meths,
            params=prm,
            required=req,
            cost=cost,
            validate=validate,
            description=description,
            stream=stream,
        )
        return f

    if func is None:
        return _register
    _register(func)
    return _REGISTRY[name]


def unregister_quantity(name: str) -> None:
    """Remove a registered quantity (built-ins included; re-import does not restore them)."""
    if name not in _REGISTRY:
        raise ValueError(f"name {name!r} is not a registered quantity")
    del _REGISTRY[name]


def get_quantity(name: Any) -> Quantity:
    """Look up a registered quantity by name (ValueError naming ``quantity`` if unknown)."""
    if not isinstance(name, str):
        raise TypeError(f"quantity must be a str, got {type(name).__name__}")
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"quantity must be one of {sorted(_REGISTRY)}, got {name!r} "
            "(register new ones with rmtedge.montecarlo.register_quantity)"
        ) from None


def available_quantities() -> dict[str, str]:
    """Return ``{name: description}`` of the registered quantities."""
    return {k: q.description for k, q in sorted(_REGISTRY.items())}


# -- cost models (notional single-core seconds per sample; only their ratios matter) ----------

_GFLOPS = 3.0e9  # dense LAPACK rate measured single-threaded at n ~ 200 (order of magnitude)


def _eig_cost(n: int, field: str, method: str, params: Mapping[str, Any]) -> float:
    flops = 10.0 * n**3 * (4.0 if field == "complex" else 1.0)
    if method == "hessenberg":
        flops *= 0.7
    return 3e-5 + 3e-8 * n * n + flops / _GFLOPS


def _radius_cost(n: int, field: str, method: str, params: Mapping[str, Any]) -> float:
    if method == "kostlan" or (method == "auto" and field == "complex"):
        return 2e-6 + 5e-8 * n  # n gamma variates
    return _eig_cost(n, field, method, params)


def _energy_cost(n: int, field: str, method: str, params: Mapping[str, Any]) -> float:
    t = np.atleast_1d(params.get("t", 1))
    tmax = int(t.max()) if t.size else 0
    inputs = int(params.get("inputs", 1))
    c = 4.0 if field == "complex" else 1.0
    step = c * (2.0 * n * n * inputs / _GFLOPS + 3e-8 * n * inputs) + 2e-6
    return 1e-5 + c * 2e-8 * n * n + tmax * step


# -- the built-in quantities (thin adapters over rmtedge.ensembles.samplers) --------------------------


def _spectral_radius(
    n: int, field: str, method: str, count: int, rng: np.random.Generator, *, scale: str = "glorot"
) -> np.ndarray:
    out = spectral_radius(n, field=field, size=count, scale=scale, method=method, rng=rng)
    return np.asarray(out, dtype=np.float64).reshape(count)


def _validate_radius(n: int, field: str, method: str, params: Mapping[str, Any]) -> None:
    if method == "kostlan" and field != "complex":
        raise ValueError(
            "method 'kostlan' needs field='complex' (Kostlan's theorem is for complex Ginibre); "
            "use method='hessenberg' or 'dense' for field='real'"
        )
    if "scale" in params:
        check_scale(params["scale"])


def _real_count(
    n: int, field: str, method: str, count: int, rng: np.random.Generator
) -> np.ndarray:
    out = count_real_eigenvalues(n, size=count, method=method, rng=rng)
    return np.asarray(out, dtype=np.int64).reshape(count)


def _check_t(t: Any) -> np.ndarray:
    arr = check_nonneg_int_array(t, "t")
    if arr.ndim > 1:
        raise ValueError(f"t must be an int or a 1-d sequence of ints, got shape {arr.shape}")
    if arr.ndim == 1 and arr.size == 0:
        raise ValueError("t must not be empty")
    return arr


def _validate_energy(n: int, field: str, method: str, params: Mapping[str, Any]) -> None:
    _check_t(params["t"])
    if "inputs" in params:
        check_int(params["inputs"], "inputs", minimum=1)


def _energy_impl(
    n: int,
    field: str,
    count: int,
    rng: np.random.Generator,
    t: Any,
    inputs: int,
    log: bool,
) -> np.ndarray:
    """(1/n) ||h_t||^2 averaged over ``inputs`` input sequences, per matrix, by the one driven
    recurrence of the package (:func:`rmtedge.simulate_hidden_states`, exact power-of-two
    renormalisation, so the log is finite however large the state grows)."""
    t_arr = _check_t(t)
    inputs = check_int(inputs, "inputs", minimum=1)
    ts = np.atleast_1d(t_arr)
    uniq, pos = np.unique(ts, return_inverse=True)
    trace = simulate_hidden_states(
        n=n, field=field, T=int(uniq[-1]), times=uniq, n_matrices=count, n_inputs=inputs, rng=rng
    )
    with np.errstate(divide="ignore"):
        log_e = logsumexp(2.0 * trace.log_norms, axis=1) - math.log(inputs) - math.log(n)
    res = log_e[:, pos]
    if not log:
        with np.errstate(over="ignore"):  # beyond 1.8e308: inf (use log_energy)
            res = np.exp(res)
    return res if t_arr.ndim == 1 else res[:, 0]


def _energy(
    n: int,
    field: str,
    method: str,
    count: int,
    rng: np.random.Generator,
    *,
    t: Any,
    inputs: int = 1,
) -> np.ndarray:
    return _energy_impl(n, field, count, rng, t, inputs, log=False)


def _log_energy(
    n: int,
    field: str,
    method: str,
    count: int,
    rng: np.random.Generator,
    *,
    t: Any,
    inputs: int = 1,
) -> np.ndarray:
    return _energy_impl(n, field, count, rng, t, inputs, log=True)


register_quantity(
    "spectral_radius",
    _spectral_radius,
    methods=("auto", "dense", "hessenberg", "kostlan"),
    params=("scale",),
    cost=_radius_cost,
    validate=_validate_radius,
    description="max |lambda_i(W)| of a Glorot (or, with params={'scale': 'ginibre'}, Ginibre) matrix",
)
register_quantity(
    "real_count",
    _real_count,
    fields=("real",),
    methods=("auto", "dense", "hessenberg"),
    cost=_eig_cost,
    description="number of real eigenvalues of a real Ginibre matrix",
)
register_quantity(
    "energy",
    _energy,
    methods=("auto", "dense"),
    params=("t", "inputs"),
    required=("t",),
    cost=_energy_cost,
    validate=_validate_energy,
    description="||h_t||^2/n for h_t = W h_{t-1} + x_t, h_0 = 0, W Glorot (mean over `inputs` inputs)",
)
register_quantity(
    "log_energy",
    _log_energy,
    methods=("auto", "dense"),
    params=("t", "inputs"),
    required=("t",),
    cost=_energy_cost,
    validate=_validate_energy,
    description="log(||h_t||^2/n) of the same recurrence, free of overflow at large t",
    stream="energy",
)


def _reduced_energy(
    n: int, field: str, method: str, count: int, rng: np.random.Generator, *, k_max: int,
    log: bool = False,
) -> np.ndarray:
    from ..recurrent.energy import energy_samples

    return energy_samples(n, k_max, field=field, size=count, rng=rng, log=log)


def _validate_reduced_energy(n: int, field: str, method: str, params: Mapping[str, Any]) -> None:
    check_int(params["k_max"], "k_max", minimum=0)
    if not isinstance(params.get("log", False), (bool, np.bool_)):
        raise TypeError("log must be a bool")


def _reduced_energy_cost(n: int, field: str, method: str, params: Mapping[str, Any]) -> float:
    k = int(params.get("k_max", 1))
    c = 4.0 if field == "complex" else 1.0
    return 2e-6 + c * (1e-8 * k * k + k**3 / 6.0 / _GFLOPS)


register_quantity(
    "reduced_energy",
    _reduced_energy,
    methods=("auto", "hessenberg"),
    params=("k_max", "log"),
    required=("k_max",),
    cost=_reduced_energy_cost,
    validate=_validate_reduced_energy,
    description="||W^k e_1||^2, k = 0..k_max, from the (k_max+1) x k_max Hessenberg block "
    "(mean (1/n) E||W^k||_F^2; cost independent of n)",
)
