"""Checkpoint directory of a sweep: one manifest plus one verified file per finished chunk.

Layout::

    <dir>/.lock                     held (OS file lock) by the one sweep writing the directory
    <dir>/manifest.json             format, sweep parameters and their SHA-256
    <dir>/chunks/p<i>-c<j>.chunk    chunk j of grid point i: a JSON header line, then raw values

A chunk file starts with one line of JSON naming the chunk (grid point, chunk index, seed key,
count, dtype, shape) and the SHA-256 of that identity together with the raw little- or big-endian
values that follow. A file is used only if it parses, its identity is the one the sweep expects
at that place and the checksum matches; anything else (a flipped bit, a chunk copied from
another sweep, a truncated or empty file, a plain ``.npy``) is recomputed with a warning.

Every file is written to a temporary name in the same directory and then moved into place with
``os.replace`` (atomic on POSIX and Windows), so an interrupted run leaves either a complete
chunk file or none. Only the driver writes, and only while it holds the exclusive lock on
``.lock`` (``fcntl.flock``; ``msvcrt.locking`` on Windows), which the OS releases when the
driver exits or is killed: a second sweep on the same directory is refused with
:class:`CheckpointLockedError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Checkpoint", "CheckpointLockedError", "CheckpointMismatchError"]

FORMAT_VERSION = 2
_CHUNK_RE = re.compile(r"^p(\d{4,})-c(\d{7,})\.chunk$")
_DTYPE_KINDS = "biuf"


class CheckpointMismatchError(ValueError):
    """The checkpoint directory belongs to a sweep with other parameters, or its manifest is
    unreadable or of an unknown format."""


class CheckpointLockedError(RuntimeError):
    """Another sweep (another process, or another call in this one) is writing the checkpoint."""


def _canonical(manifest: Any) -> str:
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


def _diff(old: Any, new: Any, where: str = "") -> list[str]:
    """The differing leaves of two JSON values, as ``path: checkpoint has X, this run has Y``."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new), key=str):
            out += _diff(old.get(k), new.get(k), f"{where}.{k}" if where else str(k))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out += _diff(a, b, f"{where}[{i}]")
        return out
    if old != new:
        return [f"{where}: checkpoint has {old!r}, this run has {new!r}"]
    return []


class _DirLock:
    """An exclusive, non-blocking OS lock on ``<dir>/.lock``, held until :meth:`release`."""

    def __init__(self, root: Path) -> None:
        path = root / ".lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not self._try_lock(fd):
                try:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                except (OSError, AttributeError):  # pragma: no cover - no pread on Windows
                    holder = ""
                who = f" (pid {holder})" if holder.isdigit() else ""
                raise CheckpointLockedError(
                    f"checkpoint {str(root)!r} is in use by another sweep{who}: one sweep at a "
                    "time may write a checkpoint directory; wait for it to finish or use "
                    "another directory"
                )
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except BaseException:
            os.close(fd)
            raise
        self.fd: int | None = fd

    @staticmethod
    def _try_lock(fd: int) -> bool:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                return False
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False
        return True

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is None:
            return
        try:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - Windows
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            else:
                # explicit unlock: a forked child holding a copy of fd must not keep the lock
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _read_manifest(root: Path, mpath: Path) -> dict[str, Any]:
    where = f"checkpoint {str(root)!r}"
    fix = "delete the directory to start afresh, or use another one"
    try:
        stored = json.loads(mpath.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CheckpointMismatchError(
            f"{where}: manifest.json is unreadable or not JSON ({type(exc).__name__}: {exc}); {fix}"
        ) from None
    if not isinstance(stored, dict) or not isinstance(stored.get("parameters"), dict):
        raise CheckpointMismatchError(
            f"{where}: manifest.json is not an rmtedge sweep manifest (got a JSON "
            f"{type(stored).__name__} without 'parameters'); {fix}"
        )
    fmt = stored.get("format")
    if fmt != FORMAT_VERSION:
        raise CheckpointMismatchError(
            f"{where}: manifest.json has format {fmt!r}; this rmtedge reads checkpoint format "
            f"{FORMAT_VERSION} only; {fix}"
        )
    return stored


def _chunk_digest(header: Mapping[str, Any], payload: bytes | memoryview) -> str:
    h = hashlib.sha256(_canonical({k: v for k, v in header.items() if k != "sha256"}).encode())
    h.update(b"\n")
    h.update(payload)
    return h.hexdigest()


class Checkpoint:
    """A sweep checkpoint (see module docstring); create with :meth:`open`, end with
    :meth:`close` (releases the directory lock)."""

    def __init__(self, root: Path, digest: str, lock: _DirLock) -> None:
        self.root = root
        self.digest = digest
        self.chunk_dir = root / "chunks"
        self._lock = lock

    @classmethod
    def open(cls, path: str | os.PathLike[str], manifest: dict[str, Any]) -> Checkpoint:
        """Lock and open (creating if needed) the checkpoint at ``path`` for ``manifest``.

        Raises CheckpointLockedError if another sweep holds the directory, and
        CheckpointMismatchError if it holds a checkpoint of another sweep or an unreadable or
        unknown-format manifest.
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
        root.mkdir(parents=True, exist_ok=True)
        lock = _DirLock(root)  # before looking at anything: one writer at a time
        try:
            mpath = root / "manifest.json"
            chunk_dir = root / "chunks"
            if mpath.exists():
                stored = _read_manifest(root, mpath)
                old = stored["parameters"]
                if stored.get("sha256") != digest or sweep_hash(old) != digest:
                    lines = _diff(old, manifest) or ["(manifest hash differs)"]
                    raise CheckpointMismatchError(
                        f"checkpoint {str(root)!r} was written by a sweep with other parameters:"
                        "\n  "
                        + "\n  ".join(lines)
                        + "\nUse another checkpoint directory, or delete this one to start afresh."
                    )
            else:
                if chunk_dir.exists() and any(chunk_dir.iterdir()):
                    raise CheckpointMismatchError(
                        f"checkpoint {str(root)!r} has chunk files but no manifest.json; "
                        "refusing to reuse them (delete the directory to start afresh)"
                    )
                payload = {"format": FORMAT_VERSION, "sha256": digest, "parameters": manifest}
                text = json.dumps(payload, sort_keys=True, indent=1, allow_nan=False).encode()
                _atomic_write_bytes(mpath, lambda fh: fh.write(text))
            chunk_dir.mkdir(exist_ok=True)
            for tmp in chunk_dir.glob(".*.tmp"):  # left by a killed writer; we hold the lock
                try:
                    tmp.unlink()
                except OSError:
                    pass
        except BaseException:
            lock.release()
            raise
        return cls(root, digest, lock)

    def close(self) -> None:
        """Release the directory lock (idempotent)."""
        self._lock.release()

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _chunk_path(self, point: int, chunk: int) -> Path:
        return self.chunk_dir / f"p{point:04d}-c{chunk:07d}.chunk"

    def load(
        self, identity: Callable[[int, int], dict[str, Any] | None]
    ) -> dict[tuple[int, int], np.ndarray]:
        """Load and verify the chunk files present.

        ``identity(point, chunk)`` gives the identity the chunk must carry (see :meth:`save`),
        or None if the sweep has no such chunk. Files that fail verification are skipped with
        a warning (their chunks are recomputed and rewritten).
        """
        out: dict[tuple[int, int], np.ndarray] = {}
        for entry in sorted(os.scandir(self.chunk_dir), key=lambda e: e.name):
            m = _CHUNK_RE.match(entry.name)
            if m is None:
                continue
            p, c = int(m.group(1)), int(m.group(2))
            ident = identity(p, c)
            if ident is None:
                continue
            path = Path(entry.path)
            try:
                values = self._read(path, ident)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                warnings.warn(
                    f"checkpoint chunk {path} failed verification ({exc}); recomputing it",
                    UserWarning,
                    stacklevel=3,
                )
                continue
            out[(p, c)] = values
        return out

    @staticmethod
    def _read(path: Path, ident: Mapping[str, Any]) -> np.ndarray:
        data = path.read_bytes()
        end = data.find(b"\n")
        if end < 0:
            raise ValueError(f"no header line ({len(data)} bytes)")
        try:
            header = json.loads(data[:end].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ValueError("the header is not JSON") from None
        if not isinstance(header, dict):
            raise ValueError("the header is not a JSON object")
        payload = memoryview(data)[end + 1 :]
        if header.get("sha256") != _chunk_digest(header, payload):
            raise ValueError("checksum mismatch")
        for k, v in ident.items():
            if header.get(k) != v:
                raise ValueError(f"{k} is {header.get(k)!r}, expected {v!r}")
        dtype = np.dtype(header["dtype"])
        shape = tuple(int(s) for s in header["shape"])
        if dtype.kind not in _DTYPE_KINDS or dtype.hasobject:
            raise ValueError(f"dtype {dtype} is not real or integer")
        if not shape or shape[0] != ident["count"]:
            raise ValueError(f"shape {shape} does not hold count={ident['count']} samples")
        if int(np.prod(shape, dtype=np.int64)) * dtype.itemsize != len(payload):
            raise ValueError(f"{len(payload)} bytes of values for shape {shape} and dtype {dtype}")
        return np.frombuffer(payload, dtype=dtype).reshape(shape)

    def save(self, ident: Mapping[str, Any], values: np.ndarray) -> None:
        """Write one finished chunk atomically, with its identity and checksum."""
        arr = np.ascontiguousarray(values)
        header = {
            **ident,
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
        }
        payload = arr.tobytes()
        header["sha256"] = _chunk_digest(header, payload)
        line = _canonical(header).encode() + b"\n"

        def write(fh: Any) -> None:
            fh.write(line)
            fh.write(payload)

        _atomic_write_bytes(self._chunk_path(ident["point_index"], ident["chunk"]), write)
