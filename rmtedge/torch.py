"""PyTorch initializer for the rescaled Glorot matrix (optional; needs ``torch``).

``import rmtedge`` never imports torch; this module imports it only when its function is
called, so it can be imported (and its docs built) without PyTorch installed. Install with
``pip install "rmtedge[torch]"``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._core.checks import check_choice, check_field, check_probability
from .recurrent.initializers import RESCALE_METHODS, rescale_factor

__all__ = ["rescaled_glorot_"]


def _import_torch() -> Any:
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError('rmtedge.torch needs PyTorch: pip install "rmtedge[torch]"') from exc
    return torch


def rescaled_glorot_(
    tensor: Any,
    *,
    field: str | None = None,
    risk: float | None = None,
    method: str = "exact",
    generator: Any = None,
) -> Any:
    """Fill a square 2-D tensor in place with a rescaled Glorot matrix (Bar et al. 2025).

    Follows the ``torch.nn.init.*_`` conventions: works under :func:`torch.no_grad`, keeps
    the tensor's dtype and device, draws with ``torch.randn(..., generator=generator)`` and
    returns the tensor. Entries are ``N(0, 1/(n r^2))`` (real dtypes) or complex normal with
    ``E|w|^2 = 1/(n r^2)`` (complex dtypes: real and imaginary parts of variance
    ``1/(2 n r^2)``), ``r = rmtedge.rescale_factor(n, field=field, risk=risk, method=method)``.

    Parameters
    ----------
    tensor : torch.Tensor
        Square 2-D tensor ``(n, n)``, e.g. ``rnn.weight_hh`` of a linear recurrence.
    field : {"real", "complex"}, optional
        Default: ``"complex"`` for complex dtypes, ``"real"`` otherwise. A field that does
        not match the dtype is a ``ValueError``.
    risk, method
        As in :func:`rmtedge.rescale_factor`: the default ``method="exact"`` (risk 0.01 under
        the exact finite-n law) works at every width; ``method="paper"`` needs ``n >= 164``.
    generator : torch.Generator or int, optional
        Source of randomness: a ``torch.Generator``, an int seed (a new generator seeded with
        it, so the same seed gives the same matrix), or None (the global torch RNG).

    Returns
    -------
    torch.Tensor
        ``tensor``, filled.

    Raises
    ------
    ValueError
        Non-2-D or non-square tensor, field/dtype mismatch, invalid ``risk``/``method``/``n``.
    TypeError
        ``tensor`` is not a torch tensor.

    References
    ----------
    N. Bar et al., "Revisiting Glorot Initialization for Long-Range Linear Recurrences",
    arXiv:2505.19827 (2025), rescaled Glorot initialization.

    Examples
    --------
    >>> import pytest; torch = pytest.importorskip("torch")
    >>> import math, rmtedge, rmtedge.torch
    >>> w = torch.empty(256, 256)
    >>> _ = rmtedge.torch.rescaled_glorot_(w, generator=torch.Generator().manual_seed(0))
    >>> r = rmtedge.rescale_factor(256, field="real")
    >>> bool(abs(w.var().item() * 256 * r**2 - 1) < 0.02)       # Var w_ij = 1/(n r^2)
    True
    """
    torch = _import_torch()
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"tensor must be a torch.Tensor, got {type(tensor).__name__}")
    if tensor.ndim != 2 or tensor.shape[0] != tensor.shape[1] or tensor.shape[0] == 0:
        raise ValueError(f"tensor must be square 2-D (n, n) with n >= 1, got {tuple(tensor.shape)}")
    is_complex = tensor.is_complex()
    if not (is_complex or tensor.is_floating_point()):
        raise TypeError(f"tensor must have a floating or complex dtype, got {tensor.dtype}")
    method = check_choice(method, "method", RESCALE_METHODS)
    if risk is not None:
        risk = check_probability(risk, "risk")
    if field is None:
        field = "complex" if is_complex else "real"
    else:
        field = check_field(field)
        if (field == "complex") != is_complex:
            raise ValueError(
                f"field = {field!r} does not match the tensor dtype {tensor.dtype} "
                "(complex field needs a complex dtype and vice versa)"
            )
    if isinstance(generator, (bool, np.bool_)):
        raise TypeError("generator must be a torch.Generator, an int seed or None, not bool")
    if isinstance(generator, (int, np.integer)):
        generator = torch.Generator(device=tensor.device).manual_seed(int(generator))
    elif generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            f"generator must be a torch.Generator, an int seed or None, got {type(generator).__name__}"
        )
    n = int(tensor.shape[0])
    r = rescale_factor(n, field=field, risk=risk, method=method)
    std = 1.0 / (math.sqrt(n) * r)
    with torch.no_grad():
        sample = torch.randn(
            tensor.shape, generator=generator, dtype=tensor.dtype, device=tensor.device
        )
        tensor.copy_(sample.mul_(std))
    return tensor
