"""Where chunks run: in process, on local processes, on any concurrent.futures executor, on Dask.

Every back end runs the same task function, :func:`run_chunk`, on the same :class:`ChunkTask`
objects and yields ``(task, values)`` pairs as chunks complete (in completion order; the
aggregator restores chunk order). Nothing about a chunk's numbers depends on where it ran:
its random stream is fixed by its ``SeedSequence`` key and BLAS runs single-threaded everywhere.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ChunkTask", "ExecutorSpec", "resolve_executor", "run_chunk"]

_BLAS_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
_PINNED_PID: int | None = None


def pin_blas_threads() -> None:
    """Limit BLAS/OpenMP to one thread in this process (idempotent; used as pool initializer).

    Sets the usual environment variables (they govern libraries loaded later and child
    processes) and applies ``threadpoolctl.threadpool_limits(1)`` to the libraries already
    loaded. Several single-threaded workers per machine avoid oversubscription (formulas.md
    reports a 200x slow-down of eigvals with oversubscribed OpenBLAS) and make LAPACK's
    floating-point results independent of the number of threads.
    """
    global _PINNED_PID
    if _PINNED_PID == os.getpid():
        return
    for var in _BLAS_ENV:
        os.environ[var] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    _PINNED_PID = os.getpid()


def _from_cloudpickle(data: bytes) -> Callable[..., Any]:
    return pickle.loads(data)


class PortableFunc:
    """A quantity function that pickles by reference when it can, by value (cloudpickle) if not."""

    __slots__ = ("_by_value", "func")

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self._by_value: bool | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.func(*args, **kwargs)

    def __reduce__(self) -> Any:
        if self._by_value is None:
            # functions of __main__ (scripts, notebooks) may not exist in the workers' __main__
            self._by_value = getattr(self.func, "__module__", None) == "__main__"
            if not self._by_value:
                try:
                    pickle.dumps(self.func)
                except Exception:
                    self._by_value = True
        if self._by_value:
            try:
                import cloudpickle
            except ImportError:  # cloudpickle ships with dask
                cloudpickle = None
            if cloudpickle is not None:
                return (_from_cloudpickle, (cloudpickle.dumps(self.func),))
            if getattr(self.func, "__module__", None) != "__main__":
                raise TypeError(
                    f"quantity function {self.func!r} cannot be pickled for worker processes: "
                    "define it at module level in an importable module (or install cloudpickle)"
                )
        return (PortableFunc, (self.func,))


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of one grid point: everything a worker needs, nothing more."""

    point: int
    chunk: int
    count: int
    quantity: str
    func: PortableFunc
    n: int
    field: str
    method: str
    params: tuple[tuple[str, Any], ...]
    entropy: int
    spawn_key: tuple[int, ...]
    driver_pid: int


def run_chunk(task: ChunkTask) -> tuple[int, int, np.ndarray]:
    """Compute one chunk: ``task.count`` samples from the chunk's own ``SeedSequence``."""
    if os.getpid() != task.driver_pid:
        pin_blas_threads()
    seq = np.random.SeedSequence(task.entropy, spawn_key=task.spawn_key)
    rng = np.random.Generator(np.random.PCG64(seq))
    values = task.func(task.n, task.field, task.method, task.count, rng, **dict(task.params))
    return task.point, task.chunk, np.asarray(values)


# -- executor specs ---------------------------------------------------------------------------


@dataclass
class ExecutorSpec:
    """A resolved ``executor`` argument."""

    kind: str  # "serial" | "processes" | "futures" | "dask"
    obj: Any = None  # Executor / distributed.Client
    workers: int = 1
    owned: bool = False  # close obj at the end (a Client we connected)
    description: str = "serial"

    def close(self) -> None:
        if self.owned and self.obj is not None:
            self.obj.close()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(
            "executor: a Dask scheduler needs dask.distributed; install it with "
            "`pip install 'rmtedge[dask]'`"
        ) from exc
    return distributed


def resolve_executor(executor: Any) -> ExecutorSpec:
    """Normalise the ``executor`` argument of :func:`rmtedge.montecarlo.run`."""
    if executor is None:
        return ExecutorSpec("serial")
    if isinstance(executor, (bool, np.bool_)):
        raise TypeError(
            "executor must be None, an int, an Executor, a distributed.Client or an address, not bool"
        )
    if isinstance(executor, (int, np.integer)):
        k = int(executor)
        if k < 1:
            raise ValueError(f"executor must be >= 1 local processes, got {k}")
        return ExecutorSpec("processes", workers=k, description=f"{k} local processes")
    if isinstance(executor, str):
        if not executor.strip():
            raise ValueError("executor address must not be empty")
        distributed = _import_distributed()
        client = distributed.Client(executor, set_as_default=False)
        return ExecutorSpec(
            "dask", obj=client, owned=True, description=f"dask scheduler {executor}"
        )
    dist = sys.modules.get("distributed")
    if dist is not None:
        if isinstance(executor, dist.Client):
            return ExecutorSpec(
                "dask", obj=executor, description=f"dask client {executor.scheduler.address}"
            )
        from distributed.deploy import Cluster

        if isinstance(executor, Cluster):
            client = dist.Client(executor, set_as_default=False)
            return ExecutorSpec(
                "dask",
                obj=client,
                owned=True,
                description=f"dask cluster {executor.scheduler_address}",
            )
    if isinstance(executor, cf.Executor):
        return ExecutorSpec("futures", obj=executor, description=type(executor).__name__)
    raise TypeError(
        "executor must be None, an int (local processes), a concurrent.futures.Executor, a "
        f"distributed.Client or a scheduler address string, got {type(executor).__name__}"
    )


# -- back ends --------------------------------------------------------------------------------

Yield = Iterator[tuple[ChunkTask, np.ndarray]]


def iter_serial(tasks: Sequence[ChunkTask]) -> Yield:
    for task in tasks:
        yield task, run_chunk(task)[2]


def _drain(futures: dict[cf.Future[Any], ChunkTask]) -> Yield:
    """Yield results of concurrent.futures futures as they complete; cancel the rest on error."""
    try:
        for fut in cf.as_completed(futures):
            _, _, values = fut.result()
            yield futures[fut], values
    finally:
        for fut in futures:
            fut.cancel()


def iter_futures(tasks: Sequence[ChunkTask], executor: cf.Executor) -> Yield:
    futures = {executor.submit(run_chunk, t): t for t in tasks}
    yield from _drain(futures)


def process_context() -> Any:
    """Start method for the local process pools: forkserver where available, else spawn.

    Never plain fork (the driver may run threads: Dask clients, progress bars, BLAS). The fork
    server is started once per driver process with ``rmtedge.montecarlo`` preloaded and the
    BLAS thread variables set to 1, so every worker (and every replacement pool after a crash)
    starts in milliseconds with single-threaded BLAS, instead of re-importing numpy, scipy and
    numba as spawned workers do.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    try:
        from multiprocessing import forkserver

        server = forkserver._forkserver  # private, hence the AttributeError guard
        with server._lock:
            running = server._forkserver_pid is not None
        if not running:
            mods = list(server._preload_modules)
            if "rmtedge.montecarlo" not in mods:
                ctx.set_forkserver_preload([*mods, "rmtedge.montecarlo"])
            saved = {k: os.environ.get(k) for k in _BLAS_ENV}
            os.environ.update({k: "1" for k in _BLAS_ENV})
            try:
                server.ensure_running()
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
    except AttributeError:  # pragma: no cover - other Python implementations
        pass
    return ctx


def iter_processes(
    tasks: Sequence[ChunkTask], workers: int, retries: int, stats: dict[str, int]
) -> Yield:
    """Own a process pool; after a worker death, resubmit the unfinished chunks on a fresh pool."""
    remaining = {(t.point, t.chunk): t for t in tasks}
    attempt = 0
    ctx = process_context()
    while remaining:
        pool = cf.ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=pin_blas_threads
        )
        broken: BaseException | None = None
        try:
            futures: dict[cf.Future[Any], ChunkTask] = {}
            try:
                for t in remaining.values():
                    futures[pool.submit(run_chunk, t)] = t
            except BrokenProcessPool as exc:  # a worker died while we were still submitting
                broken = exc
            for fut in cf.as_completed(futures):
                try:
                    _, _, values = fut.result()
                except BrokenProcessPool as exc:
                    broken = exc
                    continue
                task = futures[fut]
                del remaining[(task.point, task.chunk)]
                yield task, values
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if remaining:
            attempt += 1
            stats["retried_chunks"] = stats.get("retried_chunks", 0) + len(remaining)
            if attempt > retries:
                raise RuntimeError(
                    f"executor: the process pool broke {attempt} times ({broken}); "
                    f"{len(remaining)} chunks unfinished (retries={retries})"
                ) from broken


def iter_dask(tasks: Sequence[ChunkTask], client: Any, retries: int, token: str) -> Yield:
    """Submit every chunk to a Dask cluster and stream results back with as_completed.

    A task whose worker dies is rescheduled by the scheduler (up to its
    ``distributed.scheduler.allowed-failures``); ``retries`` re-runs tasks that raised.
    Either way the chunk's seed is fixed by its index, so a rerun gives the same numbers.
    """
    distributed = _import_distributed()
    # one graph submission for all chunks (client.map), not one scheduler round trip per chunk
    keys = [f"rmtedge-mc-{token}-p{t.point}-c{t.chunk}" for t in tasks]
    futs = client.map(run_chunk, list(tasks), key=keys, retries=retries, pure=False)
    futures = {f.key: (f, t) for f, t in zip(futs, tasks, strict=True)}
    try:
        for fut in distributed.as_completed([f for f, _ in futures.values()], loop=client.loop):
            _, _, values = fut.result()
            task = futures.pop(fut.key)[1]
            fut.release()
            yield task, values
    finally:
        pending = [f for f, _ in futures.values()]
        if pending:
            client.cancel(pending)
