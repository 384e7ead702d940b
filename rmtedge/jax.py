"""JAX initializer for the rescaled Glorot matrix (optional; needs ``jax``).

``import rmtedge`` never imports JAX; this module imports it only when an initializer is
built, so it can be imported without JAX installed. Install with
``pip install "rmtedge[jax]"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._core.checks import check_choice, check_field, check_probability
from .recurrent.initializers import RESCALE_METHODS, rescale_factor

__all__ = ["rescaled_glorot"]


def _import_jax() -> tuple[Any, Any]:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError('rmtedge.jax needs JAX: pip install "rmtedge[jax]"') from exc
    return jax, jnp


def rescaled_glorot(
    *, field: str | None = None, risk: float | None = None, method: str = "exact"
) -> Callable[..., Any]:
    """Build a JAX initializer ``init(key, shape, dtype=jnp.float32)`` for rescaled Glorot.

    The initializer follows the ``jax.nn.initializers`` convention and returns
    ``jax.random.normal(key, shape, dtype) / (sqrt(n) r)`` with
    ``r = rmtedge.rescale_factor(n, field=field, risk=risk, method=method)`` (Bar et al.
    2025): entry variance ``1/(n r^2)``; complex dtypes give complex normal entries with
    ``E|w|^2 = 1/(n r^2)``. It can be used inside ``jax.jit`` (``n`` comes from the static
    shape; ``r`` is a Python float computed at trace time).

    Parameters
    ----------
    field : {"real", "complex"}, optional
        Default: ``"complex"`` for complex dtypes, ``"real"`` otherwise; a field that does not
        match the dtype is a ``ValueError`` when the initializer is called.
    risk, method
        As in :func:`rmtedge.rescale_factor`; validated here, at construction. The default
        ``method="exact"`` (risk 0.01 under the exact finite-n law) works at every width.

    Returns
    -------
    callable
        ``init(key, shape, dtype=jnp.float32)`` for square 2-D ``shape`` ``(n, n)``
        (``ValueError`` otherwise).

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025), rescaled Glorot initialization; the authors'
    JAX code (``NogaBar/Rescaled_Glorot_for_RNN``) builds the same matrix for real ``W``.

    Examples
    --------
    >>> import pytest; jax = pytest.importorskip("jax")
    >>> import rmtedge, rmtedge.jax
    >>> init = rmtedge.jax.rescaled_glorot(field="real")
    >>> w = init(jax.random.key(0), (512, 512))
    >>> r = rmtedge.rescale_factor(512, field="real")
    >>> bool(abs(float(w.var()) * 512 * r**2 - 1) < 0.02)        # Var w_ij = 1/(n r^2)
    True
    """
    method = check_choice(method, "method", RESCALE_METHODS)
    if risk is not None:
        risk = check_probability(risk, "risk")
    if field is not None:
        field = check_field(field)
    jax, jnp = _import_jax()

    def init(key: Any, shape: Any, dtype: Any = jnp.float32) -> Any:
        shape = tuple(shape)
        if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in shape):
            raise TypeError(f"shape must be a tuple of ints, got {shape!r}")
        shape = tuple(int(s) for s in shape)
        if len(shape) != 2 or shape[0] != shape[1] or shape[0] == 0:
            raise ValueError(f"shape must be square 2-D (n, n) with n >= 1, got {shape}")
        dt = jnp.dtype(dtype)
        is_complex = jnp.issubdtype(dt, jnp.complexfloating)
        if not (is_complex or jnp.issubdtype(dt, jnp.floating)):
            raise TypeError(f"dtype must be floating or complex, got {dt}")
        f = field if field is not None else ("complex" if is_complex else "real")
        if (f == "complex") != bool(is_complex):
            raise ValueError(
                f"field = {f!r} does not match dtype {dt} (complex field needs a complex "
                "dtype and vice versa)"
            )
        n = shape[0]
        r = rescale_factor(n, field=f, risk=risk, method=method)
        return jax.random.normal(key, shape, dt) * (1.0 / (math.sqrt(n) * r))

    return init
