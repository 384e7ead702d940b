"""Argument validation shared by every public function.

Error policy (see ``rmtedge/__init__.py``): bad *types* raise ``TypeError`` and bad *values*
raise ``ValueError``; every message starts with the argument's name so a user can see at once
which argument was wrong. NaN in a continuous argument (x, z, r) is not an error: it propagates
to NaN in the output, as in numpy and scipy.stats.
"""

from __future__ import annotations

import numbers
import operator
from typing import Any

import numpy as np

__all__ = [
    "FIELDS",
    "SCALES",
    "INT64_MAX",
    "check_choice",
    "check_field",
    "check_int",
    "check_n",
    "check_n_array",
    "check_nonneg_int_array",
    "check_probability",
    "check_positive_float",
    "check_points",
    "check_rng",
    "check_scale",
    "check_size",
]

#: largest integer accepted where an integer argument is stored as int64 (sizes, orders, counts)
INT64_MAX = 2**63 - 1

FIELDS = ("real", "complex")
SCALES = ("glorot", "ginibre")


def check_int(
    value: Any, name: str, *, minimum: int | None = None, maximum: int | None = INT64_MAX
) -> int:
    """Return ``value`` as a Python int, or raise.

    Accepts Python and numpy integers and integral floats are *refused* (``3.0`` is a
    ``TypeError``): a size that arrives as a float is almost always a bug upstream.
    ``bool`` is refused too, although it is an ``int`` subclass. Values outside
    ``[minimum, maximum]`` are a ``ValueError`` naming the argument; the default ``maximum`` is
    ``INT64_MAX`` (the kernels store integers as int64; pass ``maximum=None`` where a larger
    Python int is meaningful).
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, not bool")
    if not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    ivalue = operator.index(value)
    if minimum is not None and ivalue < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {ivalue}")
    if maximum is not None and ivalue > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {ivalue}")
    return ivalue


def check_n(n: Any, name: str = "n", *, minimum: int = 1, maximum: int | None = INT64_MAX) -> int:
    """Validate a matrix dimension (an integer >= ``minimum``, default 1, and <= ``maximum``)."""
    return check_int(n, name, minimum=minimum, maximum=maximum)


def _check_int64_range(lo: int, hi: int, name: str) -> None:
    if hi > INT64_MAX:
        raise ValueError(f"{name} must be <= {INT64_MAX} (int64), got {int(hi)}")
    if lo < -INT64_MAX - 1:
        raise ValueError(f"{name} must be >= {-INT64_MAX - 1} (int64), got {int(lo)}")


def _integer_array(value: Any, name: str) -> np.ndarray:
    """``value`` as an integer array (not bool); Python ints beyond int64 give an object array,
    which is checked element by element."""
    if isinstance(value, (list, tuple)):
        # numpy turns [1, 2**63] into float64 and [1, 2**64] into object: read the Python
        # integers first, so that the range, not the dtype, is reported
        obj = np.asarray(value, dtype=object)
        if obj.size and all(
            isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, (bool, np.bool_))
            for v in obj.flat
        ):
            _check_int64_range(min(obj.flat), max(obj.flat), name)
            return np.asarray(value, dtype=np.int64)
    arr = np.asarray(value)
    if arr.dtype == np.bool_:
        raise TypeError(f"{name} must contain integers, not bool")
    if (
        arr.dtype == object
        and arr.size
        and all(
            isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, (bool, np.bool_))
            for v in arr.flat
        )
    ):
        _check_int64_range(min(arr.flat), max(arr.flat), name)
    if not np.issubdtype(arr.dtype, np.integer):
        if (
            np.issubdtype(arr.dtype, np.floating)
            and np.all(np.isfinite(arr))
            and np.all(arr == np.floor(arr))
        ):
            raise TypeError(f"{name} must contain integers, got floats {value!r}")
        raise TypeError(f"{name} must be an integer or an integer array, got dtype {arr.dtype}")
    if arr.dtype == np.uint64 and arr.size and int(arr.max()) > INT64_MAX:
        raise ValueError(f"{name} must be <= {INT64_MAX} (int64), got {int(arr.max())}")
    return arr


def check_n_array(n: Any, name: str = "n") -> np.ndarray:
    """Validate matrix dimension(s): an integer >= 1 or an integer array of them, as int64.

    Scalars go through :func:`check_n` (bool and floats refused); arrays must have an integer
    dtype (not bool) and entries in ``[1, INT64_MAX]``.
    """
    if not isinstance(n, np.ndarray) and np.ndim(n) == 0:
        return np.asarray(check_n(n, name), dtype=np.int64)
    arr = _integer_array(n, name)
    if arr.size and arr.min() < 1:
        raise ValueError(f"{name} must be >= 1, got min({name}) = {int(arr.min())}")
    return arr.astype(np.int64)


def check_nonneg_int_array(value: Any, name: str, *, maximum: int = INT64_MAX) -> np.ndarray:
    """Validate an integer array argument whose entries must lie in ``[0, maximum]`` (e.g. ``k``
    or ``t``); returned as int64. ``maximum`` defaults to ``INT64_MAX``; a smaller documented
    maximum is a ``ValueError`` naming the argument when exceeded."""
    if (
        not isinstance(value, np.ndarray)
        and np.ndim(value) == 0
        and not isinstance(value, (float, np.floating))
    ):
        if isinstance(value, (numbers.Integral, np.integer)):
            return np.asarray(check_int(value, name, minimum=0, maximum=maximum), dtype=np.int64)
    arr = _integer_array(value, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    if arr.size and int(arr.max()) > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got max({name}) = {int(arr.max())}")
    return arr.astype(np.int64)


def check_points(value: Any, name: str, *, complex_ok: bool = False) -> np.ndarray:
    """Validate a continuous argument (points ``x``, ``z``, radii ``r``): numbers or arrays of
    them, returned as float64 (complex128 if ``complex_ok``). Strings, bytes, None, bool and
    other non-numbers are a ``TypeError`` naming the argument; NaN is accepted (it propagates).
    """
    kind = "complex numbers" if complex_ok else "real numbers"
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {kind}, not bool")
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__} {value!r}")
    arr = np.asarray(value)
    if arr.dtype == object:
        ok = (numbers.Complex, np.number) if complex_ok else (numbers.Real, np.floating, np.integer)
        for v in arr.flat:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, ok):
                raise TypeError(f"{name} must be {kind}, got an element {v!r}")
    elif arr.dtype.kind not in ("iufc" if complex_ok else "iuf"):
        if arr.dtype.kind == "c":
            raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
        raise TypeError(f"{name} must be {kind}, got dtype {arr.dtype}")
    target = np.complex128 if complex_ok else np.float64
    try:
        return arr.astype(target)
    except (TypeError, ValueError) as exc:  # e.g. an object array of complex for a real argument
        raise TypeError(f"{name} must be {kind}, got dtype {arr.dtype}") from exc


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """Validate a string option against the allowed ``choices``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {choices}, got {type(value).__name__} {value!r}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def check_field(field: Any) -> str:
    """Validate ``field`` ("real" or "complex")."""
    return check_choice(field, "field", FIELDS)


def check_scale(scale: Any) -> str:
    """Validate ``scale`` ("glorot": entries of variance 1/n, or "ginibre": unit variance)."""
    return check_choice(scale, "scale", SCALES)


def check_size(size: Any) -> tuple[int, ...]:
    """Normalise a numpy-style batch ``size`` (None, int or tuple of ints >= 0) to a tuple."""
    if size is None:
        return ()
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, (bool, np.bool_)):
        size = (size,)
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"size must be None, an int or a tuple of ints, got {type(size).__name__}")
    return tuple(check_int(s, "size", minimum=0) for s in size)


def check_rng(rng: Any) -> np.random.Generator:
    """Normalise ``rng`` (None, int seed, SeedSequence or Generator) to a ``Generator``.

    A ``Generator`` is used as is (its state advances); anything else seeds a new PCG64
    generator. The legacy global ``numpy.random`` state is never touched.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (numbers.Integral, np.integer, np.random.SeedSequence)):
        if isinstance(rng, (bool, np.bool_)):
            raise TypeError(
                "rng must be None, an int seed, a SeedSequence or a Generator, not bool"
            )
        if isinstance(rng, (numbers.Integral, np.integer)) and rng < 0:
            raise ValueError(f"rng seed must be >= 0, got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be None, an int seed, a SeedSequence or a numpy Generator, got {type(rng).__name__}"
    )


def check_probability(p: Any, name: str, *, open_interval: bool = True) -> float:
    """Validate a probability strictly inside (0, 1) (or [0, 1] if ``open_interval`` is False)."""
    if isinstance(p, (bool, np.bool_)) or not isinstance(
        p, (numbers.Real, np.floating, np.integer)
    ):
        raise TypeError(f"{name} must be a real number, got {type(p).__name__}")
    p = float(p)
    ok = (0.0 < p < 1.0) if open_interval else (0.0 <= p <= 1.0)
    if not ok:
        interval = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must lie in {interval}, got {p!r}")
    return p


def check_positive_float(value: Any, name: str) -> float:
    """Validate a finite real number > 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, np.floating, np.integer)
    ):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value
