"""The sweep driver: plan the grid and its chunks, seed them, run them anywhere, aggregate."""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._core.checks import (
    check_field,
    check_int,
    check_n,
    check_nonneg_int_array,
)
from ._aggregate import PointAccumulator, SweepResult
from ._checkpoint import Checkpoint
from ._executors import (
    ChunkTask,
    PortableFunc,
    check_picklable,
    iter_dask,
    iter_futures,
    iter_processes,
    iter_serial,
    resolve_executor,
)
from ._quantities import Quantity, get_quantity

__all__ = ["SweepTerminated", "default_chunk_size", "run"]

#: notional seconds of work per chunk aimed at by the default chunk size
TARGET_CHUNK_SECONDS = 0.25
#: largest default chunk
MAX_CHUNK = 4096
#: memory budget for the n x n matrices of one chunk (complex128), in bytes
CHUNK_MATRIX_BYTES = 2**27
#: the default chunk size gives every grid point at least this many chunks (when it has at
#: least this many samples), so that small sweeps spread over the workers
MIN_CHUNKS = 16
_DOMAIN = "rmtedge.montecarlo/1"


def _u32(text: str) -> int:
    """A stable 32-bit id of a string (sha256; Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


def default_chunk_size(
    quantity: str,
    n: int,
    *,
    field: str = "real",
    method: str = "auto",
    params: Mapping[str, Any] | None = None,
    samples: int | None = None,
) -> int:
    """Default number of samples per chunk for one grid point.

    A power of two chosen from a machine-independent cost model of the quantity (notional
    seconds per sample) so that a chunk is about 0.25 s of single-core work, between 1 and
    4096, and with at most 128 MiB of n x n matrices. Given ``samples``, the size is also at
    most ``samples / 16`` (rounded down to a power of two, at least 1), so that a small sweep
    has enough chunks to keep several workers busy. It depends only on its arguments (never on
    the executor), so results do not change with the executor or the number of workers; it may
    change between rmtedge versions: pass ``chunk_size`` explicitly when you need results
    reproducible across versions.

    Examples
    --------
    >>> from rmtedge.montecarlo import default_chunk_size
    >>> default_chunk_size("spectral_radius", 200) == default_chunk_size("spectral_radius", 200)
    True
    >>> default_chunk_size("spectral_radius", 1000) <= default_chunk_size("spectral_radius", 100)
    True
    """
    q = get_quantity(quantity)
    n = check_n(n)
    prm = dict(params or {})
    sec = q.seconds_per_sample(n, field, method, prm)
    target = max(1.0, TARGET_CHUNK_SECONDS / max(sec, 1e-12))
    size = 2 ** math.floor(math.log2(target))
    cap = max(1, CHUNK_MATRIX_BYTES // (16 * n * n))
    if samples is not None:
        cap = min(cap, max(1, check_int(samples, "samples", minimum=1) // MIN_CHUNKS))
    return int(max(1, min(size, MAX_CHUNK, 2 ** math.floor(math.log2(cap)))))


@dataclass(frozen=True)
class _Point:
    index: int
    quantity: Quantity
    field: str
    method: str
    n: int
    params: tuple[tuple[str, Any], ...]
    chunk_size: int
    n_chunks: int

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.quantity.name, self.field, self.method, self.n)

    def chunk_count(self, samples: int, chunk: int) -> int:
        return min(self.chunk_size, samples - chunk * self.chunk_size)


def _as_list(value: Any, name: str) -> list[Any]:
    if isinstance(value, (str, int, np.integer)) or np.ndim(value) == 0:
        return [value]
    out = list(value)
    if not out:
        raise ValueError(f"{name} must not be empty")
    return out


def _root_seed(seed: Any) -> tuple[int | tuple[int, ...], tuple[int, ...]]:
    if isinstance(seed, np.random.SeedSequence):
        ent = seed.entropy
        entropy = (
            tuple(int(e) for e in ent) if isinstance(ent, (list, tuple, np.ndarray)) else int(ent)
        )
        return entropy, tuple(int(k) for k in seed.spawn_key)
    if seed is None:
        return int(np.random.SeedSequence().entropy), ()  # type: ignore[arg-type]
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            "seed must be a non-negative int, a numpy.random.SeedSequence or None "
            f"(a Generator cannot be split reproducibly), got {type(seed).__name__}"
        )
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return int(seed), ()


def _norm_param(name: str, value: Any) -> Any:
    if name == "t":
        arr = check_nonneg_int_array(value, "t")
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size == 0):
            raise ValueError(f"t must be an int or a non-empty 1-d sequence of ints, got {value!r}")
        return int(arr) if arr.ndim == 0 else [int(v) for v in arr]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


@dataclass(frozen=True)
class _Plan:
    points: tuple[_Point, ...]
    samples: int
    entropy: int | tuple[int, ...]
    spawn_key: tuple[int, ...]
    params: dict[str, Any]

    def spawn_key_for(self, p: _Point, chunk: int) -> tuple[int, ...]:
        # fixed by the grid point's identity and the chunk index only: adding other points to
        # the grid, or running chunks in another order/place, does not change a chunk's stream
        return (
            *self.spawn_key,
            _u32(_DOMAIN),
            _u32(p.quantity.stream_name),
            _u32(p.field),
            _u32(p.method),
            p.n,
            chunk,
        )

    def task(self, p: _Point, c: int, func: PortableFunc, pid: int) -> ChunkTask:
        return ChunkTask(
            point=p.index,
            chunk=c,
            count=p.chunk_count(self.samples, c),
            quantity=p.quantity.name,
            func=func,
            n=p.n,
            field=p.field,
            method=p.method,
            params=p.params,
            entropy=self.entropy,  # type: ignore[arg-type]
            spawn_key=self.spawn_key_for(p, c),
            driver_pid=pid,
        )

    def iter_tasks(self, skip: Mapping[tuple[int, int], Any] | None = None) -> Iterator[ChunkTask]:
        """The chunk tasks not in ``skip``, made lazily (point by point, chunk by chunk)."""
        pid = os.getpid()
        funcs = {p.quantity.name: PortableFunc(p.quantity.func) for p in self.points}
        for p in self.points:
            func = funcs[p.quantity.name]
            for c in range(p.n_chunks):
                if skip is None or (p.index, c) not in skip:
                    yield self.task(p, c, func, pid)

    def probe_tasks(self) -> list[ChunkTask]:
        """One task per grid point (to check that tasks can be pickled before any pool starts)."""
        pid = os.getpid()
        return [self.task(p, 0, PortableFunc(p.quantity.func), pid) for p in self.points]

    def identity(self, point: int, chunk: int) -> dict[str, Any] | None:
        """What a checkpoint chunk file must say about itself (None: no such chunk)."""
        if not 0 <= point < len(self.points):
            return None
        p = self.points[point]
        if not 0 <= chunk < p.n_chunks:
            return None
        ent = self.entropy
        return {
            "point_index": p.index,
            "point": [p.quantity.name, p.field, p.method, p.n],
            "chunk": chunk,
            "count": p.chunk_count(self.samples, chunk),
            "seed_entropy": [str(e) for e in ent] if isinstance(ent, tuple) else str(ent),
            "spawn_key": list(self.spawn_key_for(p, chunk)),
        }

    def manifest(self) -> dict[str, Any]:
        from .._version import __version__

        pts = []
        for p in self.points:
            f = p.quantity.func
            pts.append(
                {
                    "quantity": p.quantity.name,
                    "function": f"{getattr(f, '__module__', '?')}.{getattr(f, '__qualname__', repr(f))}",
                    "field": p.field,
                    "method": p.method,
                    "n": p.n,
                    "chunk_size": p.chunk_size,
                    "params": {k: v for k, v in p.params},
                }
            )
        ent = self.entropy
        return {
            "rmtedge_version": __version__,
            "seed_entropy": [str(e) for e in ent] if isinstance(ent, tuple) else str(ent),
            "seed_spawn_key": list(self.spawn_key),
            "samples": self.samples,
            "points": pts,
        }


def _plan(
    quantity: Any,
    n: Any,
    field: Any,
    method: Any,
    samples: Any,
    seed: Any,
    chunk_size: Any,
    t: Any,
    params: Mapping[str, Any] | None,
) -> _Plan:
    quantities = [get_quantity(q) for q in _as_list(quantity, "quantity")]
    ns = [check_n(v) for v in _as_list(n, "n")]
    fields = [check_field(f) for f in _as_list(field, "field")]
    methods = _as_list(method, "method")
    for m in methods:
        if not isinstance(m, str):
            raise TypeError(f"method must be a str, got {type(m).__name__}")
    samples = check_int(samples, "samples", minimum=1)
    if chunk_size is not None:
        chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    if params is not None and not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, got {type(params).__name__}")
    allp: dict[str, Any] = dict(params or {})
    if t is not None:
        if "t" in allp:
            raise ValueError("t given twice (as t= and in params)")
        allp["t"] = t
    allp = {k: _norm_param(k, v) for k, v in allp.items()}
    declared = {name for q in quantities for name in q.params}
    for k in allp:
        if k not in declared:
            users = sorted(q for q, name in _param_users().items() if k in name)
            hint = f" (used by {users})" if users else ""
            raise ValueError(
                f"{k} is not a parameter of quantity {[q.name for q in quantities]}{hint}"
            )
    entropy, spawn_key = _root_seed(seed)

    points = []
    seen = set()
    for q in quantities:
        qparams = tuple(sorted((k, v) for k, v in allp.items() if k in q.params))
        for f in fields:
            for m in methods:
                for nv in ns:
                    key = (q.name, f, m, nv)
                    if key in seen:
                        raise ValueError(
                            f"grid point {key} appears twice (duplicate n, field or method)"
                        )
                    seen.add(key)
                    q.check(nv, f, m, dict(qparams))
                    cs = chunk_size or default_chunk_size(
                        q.name, nv, field=f, method=m, params=dict(qparams), samples=samples
                    )
                    points.append(
                        _Point(
                            index=len(points),
                            quantity=q,
                            field=f,
                            method=m,
                            n=nv,
                            params=qparams,
                            chunk_size=cs,
                            n_chunks=-(-samples // cs),
                        )
                    )
    return _Plan(tuple(points), samples, entropy, spawn_key, allp)


def _param_users() -> dict[str, tuple[str, ...]]:
    from ._quantities import _REGISTRY

    return {name: q.params for name, q in _REGISTRY.items()}


class _Progress:
    """tqdm progress bar in samples if tqdm is installed, else a few lines on stderr."""

    def __init__(self, total: int, initial: int, enabled: bool, desc: str) -> None:
        self.enabled = enabled
        self.bar = None
        self.total = total
        self.done = initial
        self._last = -1
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            print(f"{desc}: {initial}/{total} samples", file=sys.stderr)
        else:
            self.bar = tqdm(total=total, initial=initial, desc=desc, unit="sample", smoothing=0.1)

    def update(self, k: int) -> None:
        if not self.enabled:
            return
        self.done += k
        if self.bar is not None:
            self.bar.update(k)
            return
        decile = (10 * self.done) // max(self.total, 1)
        if decile != self._last:
            self._last = decile
            print(f"  {self.done}/{self.total} samples", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _check_values(task: ChunkTask, values: np.ndarray) -> np.ndarray:
    if values.ndim == 0 or values.shape[0] != task.count:
        raise ValueError(
            f"quantity {task.quantity!r} returned an array of shape {values.shape} for "
            f"count={task.count}; it must have shape (count,) + value_shape"
        )
    if not (
        values.dtype == np.bool_
        or np.issubdtype(values.dtype, np.integer)
        or np.issubdtype(values.dtype, np.floating)
    ):
        raise TypeError(
            f"quantity {task.quantity!r} returned dtype {values.dtype}; it must be real or integer"
        )
    return values


def run(
    quantity: str | Sequence[str],
    n: int | Sequence[int],
    *,
    field: str | Sequence[str] = "real",
    samples: int,
    seed: int | np.random.SeedSequence | None,
    executor: Any = None,
    chunk_size: int | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    method: str | Sequence[str] = "auto",
    t: int | Sequence[int] | None = None,
    keep_samples: bool = False,
    progress: bool = False,
    params: Mapping[str, Any] | None = None,
    retries: int = 3,
    timeout: float | None = None,
) -> SweepResult:
    """Monte Carlo sweep of a random-matrix quantity over a grid, on any executor, reproducibly.

    The grid is the product quantity x field x method x n; each grid point gets ``samples``
    independent samples, computed in chunks of ``chunk_size``. Chunk j of a grid point draws
    from ``numpy.random.SeedSequence(seed).spawn_key + (point identity, j)``, so the numbers
    depend only on ``seed``, the chunk sizes and the grid point, never on the executor, the
    number of workers, completion order or retries; and the aggregation is bit-identical.

    Parameters
    ----------
    quantity : str or sequence of str
        Registered quantity name(s): ``"spectral_radius"`` (rho(W), N. Bar et al. 2025, Figs.
        1-3), ``"real_count"`` (number of real eigenvalues, Edelman-Kostlan-Shub 1994; real
        field only), ``"energy"`` and ``"log_energy"`` (``||h_t||^2/n`` of ``h_t = W h_{t-1} +
        x_t``, Bar et al. Sec. 6 / Fig. 4; needs ``t``), or any name added with
        :func:`register_quantity`.
    n : int or sequence of int
        Matrix dimension(s), each >= 1.
    field : {"real", "complex"} or sequence
    samples : int
        Samples per grid point (>= 1).
    seed : int, SeedSequence or None
        Root seed. None draws fresh entropy, recorded in ``result.seed``.
    executor : None, int, concurrent.futures.Executor, distributed.Client or str
        None: serial in this process. int k: k local processes (spawn context, BLAS pinned to one
        thread, broken pools replaced up to ``retries`` times). An Executor: used as is. A
        ``distributed.Client``, a Dask cluster object or a scheduler address such as
        ``"tcp://10.0.0.5:8786"``: Dask (a client to an address is closed at the end).
    chunk_size : int, optional
        Samples per chunk; default :func:`default_chunk_size` per grid point.
    checkpoint : path, optional
        Directory where every finished chunk is saved atomically; rerunning the same call
        loads the finished chunks and computes only the missing ones. A directory written by a
        sweep with other parameters raises :class:`CheckpointMismatchError` (a ValueError).
    method : str or sequence of str
        Sampler method(s), e.g. ``"auto"``, ``"dense"``, ``"hessenberg"``, ``"kostlan"``.
    t : int or sequence of int, optional
        Times for ``"energy"``/``"log_energy"`` (a sequence adds a trailing axis).
    keep_samples : bool
        Keep every sample (``result.samples``; exact quantiles).
    progress : bool
        Show a progress bar (tqdm if installed).
    params : mapping, optional
        Extra quantity parameters, routed to the quantities that declare them, e.g.
        ``{"inputs": 5}`` (energy: input sequences per matrix) or ``{"scale": "ginibre"}``.
    retries : int
        Dask ``retries`` of tasks that raised; pool replacements for ``executor=int``.
    timeout : float, optional
        Dask only: seconds to connect to a scheduler address, and seconds without any worker
        connected (while chunks wait) before ``TimeoutError``. None (default): wait for workers
        indefinitely, with a ``RuntimeWarning`` after 10 s without any.

    Returns
    -------
    SweepResult
        ``n``, ``mean``, ``var`` (ddof=1), ``count``, ``stderr``, ``quantile(q)``, ``samples``,
        ``to_dict()``.

    Notes
    -----
    Aggregation: each chunk is reduced to (count, mean, M2) by a two-pass float64 sum; chunks
    are folded in chunk-index order with the pairwise update of Chan, Golub & LeVeque
    (Stanford CS tech. rep. STAN-CS-79-773, 1979). Relative rounding error of the mean is
    about ``eps * log(samples)``; the variance is accurate to about ``eps * samples`` relative
    unless it is many orders of magnitude below ``mean**2``. Values that overflow (``energy``
    at large t) give inf/NaN: use ``log_energy``.

    Guarantees: one sweep at a time writes a checkpoint directory (an OS file lock; a second
    one raises :class:`CheckpointLockedError`); every chunk loaded from a checkpoint is verified
    (identity and SHA-256), and recomputed with a warning if it fails; SIGTERM during ``run``
    (in the main thread, if no other SIGTERM handler is installed) stops the workers, keeps the
    finished chunks and raises :class:`SweepTerminated` (exit status 143 when not caught);
    local workers exit when the driver dies.

    Bit-identity holds for one machine type and one numpy/BLAS build: different CPUs or
    libraries may round LAPACK's eigenvalues differently. Workers must have the same rmtedge
    version installed; quantity functions travel with the tasks.

    References
    ----------
    N. Bar, M. Seleznova, Y. Alexander, G. Kutyniok, R. Giryes, arXiv:2505.19827 (2025):
    the spectral radius and hidden-state energy experiments (Figs. 1-4) this sweeps.

    Examples
    --------
    Results do not depend on where the chunks run (here: serial vs two threads):

    >>> import numpy as np
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from rmtedge import montecarlo
    >>> a = montecarlo.run("real_count", [2, 5], samples=3000, seed=7, chunk_size=500)
    >>> with ThreadPoolExecutor(2) as ex:
    ...     b = montecarlo.run("real_count", [2, 5], samples=3000, seed=7, chunk_size=500, executor=ex)
    >>> bool(np.array_equal(a.mean, b.mean) and np.array_equal(a.var, b.var))
    True

    E(number of real eigenvalues) at n = 2 is sqrt(2) (Edelman-Kostlan-Shub):

    >>> bool(abs(a.mean[0] - np.sqrt(2)) < 4 * a.stderr[0])
    True
    """
    t_start = time.perf_counter()
    if not isinstance(keep_samples, (bool, np.bool_)):
        raise TypeError(f"keep_samples must be a bool, got {type(keep_samples).__name__}")
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be a bool, got {type(progress).__name__}")
    retries = check_int(retries, "retries", minimum=0)
    timeout = _check_timeout(timeout)
    plan = _plan(quantity, n, field, method, samples, seed, chunk_size, t, params)
    if checkpoint is not None and seed is None:
        raise ValueError("checkpoint needs a fixed seed (seed=None draws fresh entropy each run)")

    accs = [
        PointAccumulator(p.key, p.n_chunks, p.chunk_size, bool(keep_samples)) for p in plan.points
    ]
    total = plan.samples * len(plan.points)
    spec = resolve_executor(executor, timeout=timeout)  # before the checkpoint: no files if bad
    stats: dict[str, int] = {}
    computed = 0
    loaded = 0
    ckpt = None
    try:
        with _sigterm_raises():
            if spec.kind == "processes":
                check_picklable(plan.probe_tasks())  # in the driver, before any pool starts
            elif spec.kind == "dask":  # Dask pickles tasks with cloudpickle
                import cloudpickle

                check_picklable(plan.probe_tasks(), cloudpickle.dumps)
            found: dict[tuple[int, int], np.ndarray] = {}
            if checkpoint is not None:
                ckpt = Checkpoint.open(checkpoint, plan.manifest())
                found = ckpt.load(plan.identity)
                for (pi, ci), values in sorted(found.items()):
                    accs[pi].add(ci, values)
                loaded = len(found)
            done = sum(plan.points[pi].chunk_count(plan.samples, ci) for pi, ci in found)
            tasks = plan.iter_tasks(found)
            bar = _Progress(total=total, initial=done, enabled=bool(progress), desc="sweep")
            try:
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=1):
                    if done == total:
                        stream: Iterator[tuple[ChunkTask, np.ndarray]] = iter(())
                    elif spec.kind == "serial":
                        stream = iter_serial(tasks)
                    elif spec.kind == "processes":
                        stream = iter_processes(tasks, spec.workers, retries, stats)
                    elif spec.kind == "futures":
                        stream = iter_futures(tasks, spec.obj)
                    else:
                        stream = iter_dask(
                            tasks, spec.obj, retries, uuid.uuid4().hex[:12], stats, timeout
                        )
                    try:
                        for task, values in stream:
                            values = _check_values(task, values)
                            if ckpt is not None:
                                ckpt.save(plan.identity(task.point, task.chunk), values)
                            accs[task.point].add(task.chunk, values)
                            computed += 1
                            bar.update(task.count)
                    finally:
                        close = getattr(stream, "close", None)
                        if close is not None:
                            close()
            finally:
                bar.close()
    finally:
        try:
            if ckpt is not None:
                ckpt.close()
        finally:
            spec.close()

    return SweepResult(
        points=tuple(a.finalize() for a in accs),
        seed={"entropy": plan.entropy, "spawn_key": plan.spawn_key},
        samples_per_point=plan.samples,
        params=plan.params,
        chunks_computed=computed,
        chunks_loaded=loaded,
        elapsed=time.perf_counter() - t_start,
        executor=spec.description,
        retried_chunks=stats.get("retried_chunks", 0),
    )


def _check_timeout(timeout: Any) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, (bool, np.bool_)) or not isinstance(
        timeout, (int, float, np.integer, np.floating)
    ):
        raise TypeError(
            f"timeout must be a number of seconds or None, got {type(timeout).__name__}"
        )
    value = float(timeout)
    if not value > 0:
        raise ValueError(f"timeout must be > 0 seconds (or None), got {timeout!r}")
    return value


class SweepTerminated(SystemExit):
    """SIGTERM arrived during :func:`run`: the sweep was shut down cleanly (workers stopped,
    finished chunks kept in the checkpoint). A ``SystemExit`` with code 143 (128 + SIGTERM), so
    an uncaught one ends the program with the conventional status of a terminated process."""

    def __init__(self) -> None:
        super().__init__(143)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises SweepTerminated in the main thread (once), like Ctrl-C
    raises KeyboardInterrupt; the previous handler is restored after. Not installed outside the
    main thread, in multiprocessing children (a pool's terminate() must still end a worker that
    runs a sweep) or when the application has its own SIGTERM handler."""
    import multiprocessing

    sigterm = getattr(signal, "SIGTERM", None)
    if (
        sigterm is None
        or threading.current_thread() is not threading.main_thread()
        or multiprocessing.parent_process() is not None
    ):
        yield
        return
    previous = signal.getsignal(sigterm)
    if previous not in (signal.SIG_DFL, None):
        yield
        return
    fired: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        if fired:  # already shutting down: let the cleanup finish
            return
        fired.append(signum)
        raise SweepTerminated()

    signal.signal(sigterm, handler)
    try:
        yield
    finally:
        signal.signal(sigterm, previous)
