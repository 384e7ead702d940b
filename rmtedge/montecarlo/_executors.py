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
import queue
import signal
import sys
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._core.blas import BLAS_ENV_VARS, pin_blas_threads

__all__ = [
    "ChunkTask",
    "ExecutorSpec",
    "SchedulerUnreachableError",
    "check_picklable",
    "resolve_executor",
    "run_chunk",
    "worker_init",
]

#: chunks in flight per worker: the submission window is this times the number of workers, so
#: memory and the time to the first result do not grow with the number of chunks
WINDOW_PER_WORKER = 4
#: seconds between checks for Dask workers while no chunk completes
POLL_SECONDS = 0.5
#: seconds without any Dask worker before a warning (or timeout/3 if shorter)
NO_WORKER_WARN_SECONDS = 10.0
#: local pools: seconds a dead worker process (or a dead pool manager thread) may go unnoticed
#: by concurrent.futures, while chunks are in flight, before the pool is treated as broken
STALL_GRACE_SECONDS = 15.0
#: local pools: seconds the clean shutdown of a finished pool may take before it is terminated
SHUTDOWN_SECONDS = 30.0

_PINNED_PID: int | None = None


def _pin_worker_once() -> None:
    """Pin BLAS/OpenMP to one thread in this worker process, once per process id (chunks call
    it on every task; the pin itself is :func:`rmtedge._core.blas.pin_blas_threads`)."""
    global _PINNED_PID
    if _PINNED_PID != os.getpid():
        pin_blas_threads(1)
        _PINNED_PID = os.getpid()


def _pid_alive(pid: int) -> bool:
    """True if process ``pid`` exists and is not a zombie (Linux: /proc; elsewhere: kill 0).

    On Windows ``os.kill(pid, 0)`` would *terminate* the process (TerminateProcess with exit
    code 0), so the process is queried instead (OpenProcess, GetExitCodeProcess); where that
    fails, the process is taken to be alive. (Not run on Windows by the tests.)"""
    if sys.platform == "win32":  # pragma: no cover - Windows
        return _win_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by someone else
        return True
    except OSError:  # pragma: no cover - any other failure: no such process
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except FileNotFoundError:  # exited (and reaped) since the kill above
        return False
    except OSError:  # pragma: no cover - no /proc
        return True
    state = stat[stat.rfind(b")") + 2 :][:1]
    return state not in (b"Z", b"X")


def _watch_parent(driver_pid: int, parent_pid: int, poll: float) -> None:
    while True:
        time.sleep(poll)
        if os.getppid() != parent_pid or not _pid_alive(driver_pid):
            os._exit(1)


def _win_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows
    try:
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: exists, not ours
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    except (OSError, AttributeError):
        return True


def worker_init(driver_pid: int, poll: float = 1.0) -> None:
    """Initializer of the local pool workers: pin BLAS, and exit when the driver is gone.

    On Linux the worker asks the kernel for SIGKILL when its parent (the fork server, or the
    driver for spawned workers) dies (``prctl(PR_SET_PDEATHSIG)``); everywhere, a daemon thread
    checks every ``poll`` seconds that the driver ``driver_pid`` is alive and that the worker
    has not been re-parented, and ends the worker otherwise. So a killed driver (SIGKILL, OOM)
    leaves no workers behind.
    """
    _pin_worker_once()
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent or not _pid_alive(driver_pid):  # died before prctl took effect
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(driver_pid, parent, poll), name="rmtedge-watchdog", daemon=True
    ).start()


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


def check_picklable(
    tasks: Iterable[ChunkTask], dumps: Callable[[Any], bytes] = pickle.dumps
) -> None:
    """Pickle ``tasks`` (one per grid point) in the driver with ``dumps`` (the pickler of the
    back end), before any pool starts, so that an unpicklable quantity or parameter is a clear
    TypeError here, not an error in a pool's feeder thread."""
    for task in tasks:
        try:
            dumps(task)
        except Exception as exc:
            raise TypeError(
                f"quantity {task.quantity!r}: its function or parameters cannot be pickled for "
                f"worker processes ({type(exc).__name__}: {exc}); define the function at module "
                "level (or install cloudpickle) and pass picklable parameters, or run in process"
            ) from exc


def run_chunk(task: ChunkTask) -> tuple[int, int, np.ndarray]:
    """Compute one chunk: ``task.count`` samples from the chunk's own ``SeedSequence``."""
    if os.getpid() != task.driver_pid:
        _pin_worker_once()
    seq = np.random.SeedSequence(task.entropy, spawn_key=task.spawn_key)
    rng = np.random.Generator(np.random.PCG64(seq))
    values = task.func(task.n, task.field, task.method, task.count, rng, **dict(task.params))
    return task.point, task.chunk, np.asarray(values)


# -- executor specs ---------------------------------------------------------------------------


class SchedulerUnreachableError(ConnectionError):
    """The Dask scheduler at the given address could not be reached."""


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
            obj, self.obj = self.obj, None
            obj.close()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(
            "executor: a Dask scheduler needs dask.distributed; install it with "
            "`pip install 'rmtedge[dask]'`"
        ) from exc
    return distributed


def _connect(distributed: Any, address: str, timeout: float | None) -> Any:
    """A Client to ``address``; a malformed address is refused before any Client exists (a
    failed Client left to the garbage collector can stall interpreter exit for 60 s)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, loc = parse_address(address, strict=False)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(loc)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"executor: {address!r} is not a Dask scheduler address such as "
            f"'tcp://10.0.0.5:8786' ({exc})"
        ) from None
    kw = {} if timeout is None else {"timeout": timeout}
    error: str | None = None
    try:
        return distributed.Client(address, set_as_default=False, **kw)
    except (OSError, TimeoutError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    except ValueError as exc:
        raise ValueError(f"executor: bad Dask scheduler address {address!r} ({exc})") from None
    # outside the except block: the failed Client is collected now, while its loop runs
    raise SchedulerUnreachableError(
        f"executor: cannot connect to the Dask scheduler at {address!r} ({error})"
    )


def resolve_executor(executor: Any, *, timeout: float | None = None) -> ExecutorSpec:
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
        client = _connect(distributed, executor.strip(), timeout)
        return ExecutorSpec(
            "dask", obj=client, owned=True, description=f"dask scheduler {executor}"
        )
    dist = sys.modules.get("distributed")
    if dist is not None:
        if isinstance(executor, dist.Client):
            status = getattr(executor, "status", "running")
            if status in ("closing", "closed") or executor.scheduler is None:
                raise ValueError(
                    f"executor: the distributed.Client is closed (status {status!r}); pass an "
                    "open Client or a scheduler address"
                )
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
#
# Every back end takes an *iterator* of tasks and keeps at most a window of them in flight
# (WINDOW_PER_WORKER per worker): the first results arrive after a few chunks whatever the
# number of chunks, and memory does not grow with it.

Yield = Iterator[tuple[ChunkTask, np.ndarray]]


def iter_serial(tasks: Iterable[ChunkTask]) -> Yield:
    for task in tasks:
        yield task, run_chunk(task)[2]


def iter_futures(tasks: Iterable[ChunkTask], executor: cf.Executor) -> Yield:
    """Any concurrent.futures executor, with a bounded window of submitted chunks."""
    workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
    window = WINDOW_PER_WORKER * int(workers)
    source = iter(tasks)
    inflight: dict[cf.Future[Any], ChunkTask] = {}
    try:
        while True:
            while len(inflight) < window:
                task = next(source, None)
                if task is None:
                    break
                inflight[executor.submit(run_chunk, task)] = task
            if not inflight:
                return
            done, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                task = inflight.pop(fut)
                yield task, fut.result()[2]
    finally:
        for fut in inflight:
            fut.cancel()


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
            saved = {k: os.environ.get(k) for k in BLAS_ENV_VARS}
            os.environ.update({k: "1" for k in BLAS_ENV_VARS})
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


def _pool_parts(pool: cf.ProcessPoolExecutor) -> tuple[dict[int, Any], threading.Thread | None]:
    """The pool's worker processes by pid and its manager thread: private attributes of
    concurrent.futures, read defensively (and before shutdown(), which clears them)."""
    procs = dict(getattr(pool, "_processes", None) or {})
    return procs, getattr(pool, "_executor_manager_thread", None)


def _unnoticed_death(pool: cf.ProcessPoolExecutor) -> str | None:
    """Why the pool cannot finish its futures, or None: a worker process that no longer exists
    or the pool's manager thread gone (it fails the futures of a broken pool; without it they
    would never complete). The pids are checked without touching the processes' sentinels,
    which the manager thread reads."""
    procs, manager = _pool_parts(pool)
    if manager is not None and not manager.is_alive():
        return "the process pool's manager thread has exited"
    for pid in procs:
        if not _pid_alive(pid):
            return f"worker process {pid} has exited"
    return None


def _shutdown_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Clean shutdown of a finished pool (workers exit after their queue), bounded by
    ``SHUTDOWN_SECONDS``; a pool that does not finish in time is terminated."""
    procs, manager = _pool_parts(pool)
    pool.shutdown(wait=manager is None)
    if manager is not None:
        manager.join(SHUTDOWN_SECONDS)
        if manager.is_alive():
            _reap(list(procs.values()), manager)


def _terminate_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Shut a pool down without waiting for running chunks: cancel, terminate, reap."""
    procs, manager = _pool_parts(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    _reap(list(procs.values()), manager)


def _reap(procs: list[Any], manager: threading.Thread | None) -> None:
    """Terminate the worker processes ``procs`` (SIGTERM, then SIGKILL after 5 s) and give the
    pool's manager thread 5 s to close its pipes."""
    for p in procs:
        try:
            p.terminate()
        except (OSError, AttributeError, ValueError):
            pass
    deadline = time.monotonic() + 5.0
    for p in procs:
        try:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(1.0)
        except (OSError, AttributeError, ValueError, AssertionError):
            pass
    if manager is not None:
        # let the pool's manager thread finish closing its pipes now: at interpreter exit,
        # concurrent.futures would otherwise race with it (OSError: Bad file descriptor)
        manager.join(5.0)


def iter_processes(
    tasks: Iterable[ChunkTask], workers: int, retries: int, stats: dict[str, int]
) -> Yield:
    """Own a process pool; after a worker death, rerun the chunks lost with it on a fresh pool.

    ``stats["retried_chunks"]`` counts the chunks whose futures were lost with a broken pool
    and that were run again (at most the window per pool break). On any error, or when the
    consumer stops early (exception, Ctrl-C, SIGTERM), the pool is shut down without waiting
    and its workers are terminated.

    The driver never waits on the pool without a bound: while chunks are in flight it checks
    every ``POLL_SECONDS`` that the pool's worker processes and its manager thread are alive,
    and a death that concurrent.futures has not turned into ``BrokenProcessPool`` within
    ``STALL_GRACE_SECONDS`` breaks the pool here (its in-flight chunks are retried). A finished
    pool gets ``SHUTDOWN_SECONDS`` to shut down cleanly before it is terminated.
    """
    source = iter(tasks)
    pending: deque[ChunkTask] = deque()  # lost with a broken pool, or never submitted to it
    window = WINDOW_PER_WORKER * workers
    attempt = 0
    ctx = process_context()
    while True:
        pool = cf.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=worker_init,
            initargs=(os.getpid(),),
        )
        broken: BaseException | None = None
        lost = 0
        clean = False
        stalled_since: float | None = None
        try:
            inflight: dict[cf.Future[Any], ChunkTask] = {}
            while True:
                while broken is None and len(inflight) < window:
                    task = pending.popleft() if pending else next(source, None)
                    if task is None:
                        break
                    try:
                        inflight[pool.submit(run_chunk, task)] = task
                    except BrokenProcessPool as exc:  # a worker died while we were submitting
                        broken = exc
                        pending.appendleft(task)
                if not inflight:
                    break
                done, _ = cf.wait(inflight, timeout=POLL_SECONDS, return_when=cf.FIRST_COMPLETED)
                if not done:
                    why = _unnoticed_death(pool)
                    if why is None:
                        stalled_since = None
                    elif stalled_since is None:
                        stalled_since = time.monotonic()
                    elif time.monotonic() - stalled_since > STALL_GRACE_SECONDS:
                        # the pool will not fail these futures itself: treat it as broken
                        broken = BrokenProcessPool(f"{why}, and the pool did not notice")
                        pending.extend(inflight.values())
                        lost += len(inflight)
                        inflight.clear()
                    continue
                stalled_since = None
                for fut in done:
                    task = inflight.pop(fut)
                    try:
                        values = fut.result()[2]
                    except BrokenProcessPool as exc:
                        broken = exc
                        pending.append(task)
                        lost += 1
                        continue
                    yield task, values
            clean = broken is None  # a broken pool is terminated, never waited for
        finally:
            if clean:
                _shutdown_pool(pool)
            else:
                _terminate_pool(pool)
        if broken is None:
            return
        attempt += 1
        stats["retried_chunks"] = stats.get("retried_chunks", 0) + lost
        if attempt > retries:
            raise RuntimeError(
                f"executor: the process pool broke {attempt} times ({broken}); "
                f"chunks unfinished (retries={retries})"
            ) from broken


def _dask_threads(client: Any) -> int:
    try:
        return int(sum(client.nthreads().values()))
    except Exception:  # the scheduler is unreachable: count as no worker
        return 0


def iter_dask(
    tasks: Iterable[ChunkTask],
    client: Any,
    retries: int,
    token: str,
    stats: dict[str, int] | None = None,
    timeout: float | None = None,
) -> Yield:
    """Stream chunks through a Dask cluster, a bounded window of futures at a time.

    A task whose worker dies is rescheduled by the scheduler (up to its
    ``distributed.scheduler.allowed-failures``); ``retries`` re-runs tasks that raised.
    Either way the chunk's seed is fixed by its index, so a rerun gives the same numbers;
    ``stats["retried_chunks"]`` counts the chunks the scheduler ran more than once (read from
    its task states before the futures are released). With no worker connected the sweep
    warns after a short wait, and raises TimeoutError after ``timeout`` seconds (never if
    None).
    """
    stats = {} if stats is None else stats
    source = iter(tasks)
    done_q: queue.Queue[str] = queue.Queue()
    inflight: dict[str, tuple[Any, ChunkTask]] = {}
    finished: list[Any] = []  # completed futures kept until their retry state is read
    address = getattr(getattr(client, "scheduler", None), "address", "?")
    warn_after = (
        NO_WORKER_WARN_SECONDS if timeout is None else min(NO_WORKER_WARN_SECONDS, timeout / 3)
    )

    def scheduler_state(dask_scheduler: Any, keys: list[str]) -> dict[str, tuple[int, int]]:
        out = {}
        for k in keys:
            ts = dask_scheduler.tasks.get(k)
            if ts is not None:
                out[k] = (int(ts.suspicious), int(ts.retries))
        return out

    def flush() -> None:
        if not finished:
            return
        keys = [f.key for f in finished]
        try:
            state = client.run_on_scheduler(scheduler_state, keys=keys)
        except Exception:  # pragma: no cover - the count is informative only
            state = {}
        stats["retried_chunks"] = stats.get("retried_chunks", 0) + sum(
            1 for s, r in state.values() if s > 0 or r < retries
        )
        for f in finished:
            f.release()
        finished.clear()

    threads = _dask_threads(client)
    no_worker_since = None if threads else time.monotonic()
    warned = False
    try:
        while True:
            window = WINDOW_PER_WORKER * max(threads, 2)
            while len(inflight) < window:
                task = next(source, None)
                if task is None:
                    break
                key = f"rmtedge-mc-{token}-p{task.point}-c{task.chunk}"
                fut = client.submit(run_chunk, task, key=key, retries=retries, pure=False)
                inflight[key] = (fut, task)
                fut.add_done_callback(lambda f: done_q.put(f.key))
            if not inflight:
                break
            try:
                key = done_q.get(timeout=POLL_SECONDS)
            except queue.Empty:
                flush()
                threads = _dask_threads(client)
                if threads:
                    no_worker_since = None
                    continue
                now = time.monotonic()
                no_worker_since = now if no_worker_since is None else no_worker_since
                waited = now - no_worker_since
                if not warned and waited >= warn_after:
                    warned = True
                    limit = "no time limit" if timeout is None else f"timeout={timeout:g} s"
                    warnings.warn(
                        f"no Dask worker is connected to the scheduler at {address} "
                        f"({waited:.0f} s); waiting for workers ({limit})",
                        RuntimeWarning,
                        stacklevel=2,
                    )
                if timeout is not None and waited >= timeout:
                    raise TimeoutError(
                        f"executor: no Dask worker available at {address} for {waited:.0f} s "
                        f"(timeout={timeout:g} s); {len(inflight)} chunks waiting; start workers "
                        "with `dask worker <address>` or raise the timeout"
                    ) from None
                continue
            item = inflight.pop(key, None)
            if item is None:  # pragma: no cover - duplicate callback
                continue
            fut, task = item
            values = fut.result()[2]
            finished.append(fut)
            if len(finished) >= 64:
                flush()
            yield task, values
        flush()
    finally:
        pending = [f for f, _ in inflight.values()]
        if pending:
            try:
                client.cancel(pending)
            except Exception:  # pragma: no cover - client already gone
                pass
        for f in finished:
            f.release()
