"""Checkpoint directory of a sweep: one manifest plus one ``.npy`` file per finished chunk.

Layout::

    <dir>/manifest.json             sweep parameters and their SHA-256
    <dir>/chunks/p<i>-c<j>.npy      raw values of chunk j of grid point i

Every file is written to a temporary name in the same directory and then moved into place with
``os.replace`` (atomic on POSIX and Windows), so an interrupted run leaves either a complete
chunk file or none. Only the driver writes; the workers never touch the directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Checkpoint", "CheckpointMismatchError"]

FORMAT_VERSION = 1


class CheckpointMismatchError(ValueError):
    """The checkpoint directory belongs to a sweep with other parameters."""


def _canonical(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), allow_nan=False)


def sweep_hash(manifest: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON form of the sweep parameters."""
    return hashlib.sha256(_canonical(manifest).encode()).hexdigest()


def _atomic_write_bytes(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = sorted(set(old) | set(new))
    return [
        f"{k}: checkpoint has {old.get(k)!r}, this run has {new.get(k)!r}"
        for k in keys
        if old.get(k) != new.get(k)
    ]


class Checkpoint:
    """A sweep checkpoint (see module docstring); create with :meth:`open`."""

    def __init__(self, root: Path, digest: str) -> None:
        self.root = root
        self.digest = digest
        self.chunk_dir = root / "chunks"

    @classmethod
    def open(cls, path: str | os.PathLike[str], manifest: dict[str, Any]) -> Checkpoint:
        """Open (creating if needed) the checkpoint at ``path`` for the sweep ``manifest``.

        Raises CheckpointMismatchError if ``path`` holds a checkpoint of another sweep.
        """
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(
                f"checkpoint must be a path (str or os.PathLike), got {type(path).__name__}"
            )
        root = Path(path)
        if root.exists() and not root.is_dir():
            raise ValueError(f"checkpoint must be a directory, {str(root)!r} is a file")
        try:
            digest = sweep_hash(manifest)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"checkpoint: the sweep parameters must be JSON-serialisable (and finite) to be "
                f"recorded in the manifest ({exc})"
            ) from exc
        mpath = root / "manifest.json"
        if mpath.exists():
            with open(mpath, encoding="utf-8") as fh:
                stored = json.load(fh)
            old = stored.get("parameters", {})
            if stored.get("sha256") != digest or sweep_hash(old) != digest:
                lines = _diff(old, manifest) or ["(manifest hash differs)"]
                raise CheckpointMismatchError(
                    f"checkpoint {str(root)!r} was written by a sweep with other parameters:\n  "
                    + "\n  ".join(lines)
                    + "\nUse another checkpoint directory, or delete this one to start afresh."
                )
        else:
            chunk_dir = root / "chunks"
            if chunk_dir.exists() and any(chunk_dir.iterdir()):
                raise CheckpointMismatchError(
                    f"checkpoint {str(root)!r} has chunk files but no manifest.json; "
                    "refusing to reuse them (delete the directory to start afresh)"
                )
            root.mkdir(parents=True, exist_ok=True)
            payload = {"format": FORMAT_VERSION, "sha256": digest, "parameters": manifest}
            text = json.dumps(payload, sort_keys=True, indent=1, allow_nan=False).encode()
            _atomic_write_bytes(mpath, lambda fh: fh.write(text))
        (root / "chunks").mkdir(exist_ok=True)
        return cls(root, digest)

    def _chunk_path(self, point: int, chunk: int) -> Path:
        return self.chunk_dir / f"p{point:04d}-c{chunk:07d}.npy"

    def load(self, expected: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int], np.ndarray]:
        """Load the finished chunks among ``expected`` = (point, chunk, count) triples."""
        out: dict[tuple[int, int], np.ndarray] = {}
        for p, c, count in expected:
            path = self._chunk_path(p, c)
            if not path.exists():
                continue
            try:
                values = np.load(path, allow_pickle=False)
            except (OSError, ValueError) as exc:  # unreadable: recompute rather than fail
                warnings.warn(
                    f"checkpoint chunk {path} is unreadable ({exc}); recomputing it", stacklevel=3
                )
                continue
            if values.ndim == 0 or values.shape[0] != count:
                warnings.warn(
                    f"checkpoint chunk {path} has shape {values.shape}; recomputing it",
                    stacklevel=3,
                )
                continue
            out[(p, c)] = values
        return out

    def save(self, point: int, chunk: int, values: np.ndarray) -> None:
        """Write one finished chunk atomically."""
        arr = np.ascontiguousarray(values)
        _atomic_write_bytes(
            self._chunk_path(point, chunk), lambda fh: np.save(fh, arr, allow_pickle=False)
        )
