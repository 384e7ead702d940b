"""The one JSON sanitizer of the package (validation results, Monte Carlo sweeps, the CLI).

:func:`to_jsonable` turns numpy scalars and arrays, tuples, paths and complex numbers inside
nested containers into plain JSON types. Non-finite floats become the strings ``"inf"`` and
``"-inf"`` and ``None`` for NaN, so ``json.dumps(..., allow_nan=False)`` always succeeds and a
reader can tell an infinite value from a missing one.
"""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Any

import numpy as np

__all__ = ["dumps", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """Plain-JSON copy of ``value`` (dicts, lists, str, int, float, bool, None).

    Mapping keys become strings; tuples and arrays become lists; numpy integers/bools/floats
    become Python ones; ``inf``/``-inf`` become ``"inf"``/``"-inf"`` and NaN becomes ``None``;
    complex numbers become ``[real, imag]``; paths become strings. Other objects pass unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({"a": np.int64(3), "b": (np.float32(0.5), float("nan"), -np.inf)})
    {'a': 3, 'b': [0.5, None, '-inf']}
    """
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isfinite(v):
            return v
        return None if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(value, (complex, np.complexfloating)):
        return [to_jsonable(value.real), to_jsonable(value.imag)]
    if isinstance(value, PurePath):
        return str(value)
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps(to_jsonable(value), allow_nan=False, **kwargs)``."""
    import json

    return json.dumps(to_jsonable(value), allow_nan=False, **kwargs)
