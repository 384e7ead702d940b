"""Reliability of rmtedge.montecarlo (issue 15): one writer per checkpoint, verified chunks,
no hangs or leaked processes, clear errors. Every test here failed on the code before the fix.

Tests that start processes bound their time (subprocess timeouts, pytest-timeout) and kill, by
pid, whatever they started and is still alive at the end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from rmtedge import montecarlo as mc
from rmtedge.cli import main
from rmtedge.montecarlo import _engine, _executors

# -- helpers -----------------------------------------------------------------------------------


def _gauss(n, field, method, count, rng):
    return rng.standard_normal(count)


def _gate_quantity(event_started, event_release):
    """A quantity that signals it started and then blocks until released (thread executors)."""

    def gate(n, field, method, count, rng):
        event_started.set()
        event_release.wait(30)
        return rng.standard_normal(count)

    return gate


def _make_raise_or_sleep():
    """Chunks at n = 2 raise at once, chunks at n = 3 sleep 20 s. A closure without references
    to this module, so it travels to worker processes by value (cloudpickle)."""

    def raise_or_sleep(n, field, method, count, rng):
        import time

        if n == 2:
            raise ArithmeticError("chunk failed on purpose")
        time.sleep(20)
        return rng.standard_normal(count)

    return raise_or_sleep


@pytest.fixture(scope="module", autouse=True)
def _quantities():
    mc.register_quantity("rel_gauss", _gauss, replace=True)
    yield
    mc.unregister_quantity("rel_gauss")


def _alive(proc) -> bool:
    import psutil

    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_gone(procs, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [p for p in procs if _alive(p)]
        if not left:
            return []
        time.sleep(0.2)
    return [p for p in procs if _alive(p)]


def _kill_all(procs):
    for p in procs:
        if _alive(p):
            try:
                p.kill()
            except Exception:
                pass


# -- one writer per checkpoint -----------------------------------------------------------------


def test_second_writer_refused_in_process(tmp_path, capsys):
    """While a sweep holds a checkpoint, a second sweep (library or CLI) on it is refused with a
    clear message; after the first one ends the directory is usable again."""
    started, release = threading.Event(), threading.Event()
    mc.register_quantity("rel_gate", _gate_quantity(started, release), replace=True)
    ckpt = tmp_path / "ck"
    try:
        with ThreadPoolExecutor(1) as ex:
            first = ex.submit(
                mc.run, "rel_gate", 3, samples=4, seed=9, chunk_size=2, checkpoint=ckpt
            )
            try:
                assert started.wait(30)
                with pytest.raises(mc.CheckpointLockedError, match="another sweep"):
                    mc.run("rel_gate", 3, samples=4, seed=10, chunk_size=2, checkpoint=ckpt)
                code = main(["sweep", "real_count", "-n", "3", "--samples", "4",
                             "--checkpoint", str(ckpt)])
                err = capsys.readouterr().err
                assert code == 2 and len(err.strip().splitlines()) == 1 and "another sweep" in err
            finally:
                release.set()
            res = first.result(timeout=30)
        assert res.count[0] == 4
        again = mc.run("rel_gate", 3, samples=4, seed=9, chunk_size=2, checkpoint=ckpt)
        assert again.chunks_loaded == 2
    finally:
        release.set()
        mc.unregister_quantity("rel_gate")


_WRITER = """
import sys, time
from pathlib import Path
import numpy as np
from rmtedge import montecarlo as mc

def slow(n, field, method, count, rng):
    time.sleep(0.05)
    return rng.standard_normal(count)

mc.register_quantity("slow", slow)
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
try:
    r = mc.run("slow", 3, samples=40, seed=int(sys.argv[3]), chunk_size=2, checkpoint=sys.argv[1])
    print("OK", repr(float(r.mean[0])), r.chunks_loaded)
except mc.CheckpointLockedError as exc:
    print("LOCKED", exc)
"""


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_two_processes_released_by_barrier(tmp_path):
    """Two processes released together on one new checkpoint directory (seeds 9 and 10): exactly
    one runs, the other is refused; a resume then reproduces the winner's fresh result."""
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    ckpt, go = tmp_path / "ck", tmp_path / "go"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(ckpt), str(go), str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for seed in (9, 10)
    ]
    try:
        time.sleep(0.5)
        go.touch()
        outs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    status = sorted(o.split()[0] for o, _ in outs if o)
    assert status == ["LOCKED", "OK"], outs
    assert "another sweep" in next(o for o, _ in outs if o.startswith("LOCKED"))
    winner = 0 if outs[0][0].startswith("OK") else 1
    again = subprocess.run(
        [sys.executable, str(script), str(ckpt), str(go), str((9, 10)[winner])],
        capture_output=True, text=True, env=env, timeout=120,
    )
    _, mean, loaded = again.stdout.split()
    assert loaded == "20"  # everything resumed from the winner's chunks
    assert mean == outs[winner][0].split()[1]


# -- verified chunks ---------------------------------------------------------------------------


def _corrupt(kind, path, other_dir):
    data = path.read_bytes()
    if kind == "flipped_bit":
        b = bytearray(data)
        b[-2] ^= 0x04
        path.write_bytes(bytes(b))
    elif kind == "other_seed":
        path.write_bytes((other_dir / "chunks" / path.name).read_bytes())
    elif kind == "nan":
        with open(path, "wb") as fh:
            np.save(fh, np.full(5, np.nan))
    elif kind == "ints":
        with open(path, "wb") as fh:
            np.save(fh, np.arange(5))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "header_only":
        path.write_bytes(data[: data.index(b"\n") + 1] if b"\n" in data else data[:10])


@pytest.mark.parametrize("kind", ["flipped_bit", "other_seed", "nan", "ints", "empty", "header_only"])
def test_bad_chunk_is_recomputed(kind, tmp_path):
    """A chunk file that is corrupt, from another sweep, of the wrong dtype or empty fails
    verification: a warning naming the file, and the chunk is recomputed (bit-identical result)."""
    kw = {"quantity": "rel_gauss", "n": 3, "samples": 20, "chunk_size": 5, "keep_samples": True}
    ckpt, other = tmp_path / "a", tmp_path / "b"
    mc.run(**kw, seed=9, checkpoint=ckpt)
    mc.run(**kw, seed=10, checkpoint=other)
    target = sorted((ckpt / "chunks").iterdir())[1]
    _corrupt(kind, target, other)
    with pytest.warns(UserWarning, match=target.name):
        res = mc.run(**kw, seed=9, checkpoint=ckpt)
    assert (res.chunks_loaded, res.chunks_computed) == (3, 1)
    fresh = mc.run(**kw, seed=9)
    np.testing.assert_array_equal(res.samples[0], fresh.samples[0])
    again = mc.run(**kw, seed=9, checkpoint=ckpt)  # the recomputed chunk was rewritten
    assert again.chunks_loaded == 4


@pytest.mark.parametrize(
    "content", [b"", b"\x8f\xff\x00garbage\xfe", b"[1, 2]", b"null", "format99"]
)
def test_malformed_manifest(content, tmp_path, capsys):
    """A malformed or unknown-format manifest.json: one CheckpointMismatchError naming the
    checkpoint (library), one line and exit 2 (CLI)."""
    ckpt = tmp_path / "ck"
    mc.run("real_count", 3, samples=4, seed=1, chunk_size=2, checkpoint=ckpt)
    if content == "format99":  # a valid manifest of an unknown (future) format
        stored = json.loads((ckpt / "manifest.json").read_text())
        stored["format"] = 99
        content = json.dumps(stored).encode()
    (ckpt / "manifest.json").write_bytes(content)
    with pytest.raises(mc.CheckpointMismatchError, match="manifest") as info:
        mc.run("real_count", 3, samples=4, seed=1, chunk_size=2, checkpoint=ckpt)
    assert str(ckpt) in str(info.value)
    code = main(["sweep", "real_count", "-n", "3", "--samples", "4", "--seed", "1",
                 "--chunk-size", "2", "--checkpoint", str(ckpt)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and str(ckpt) in err, err


def test_cli_mismatch_lists_parameters(tmp_path, capsys):
    """The CLI's checkpoint-mismatch line names the differing parameter and both values."""
    ckpt = tmp_path / "ck"
    base = ["sweep", "real_count", "-n", "3", "--seed", "1", "--checkpoint", str(ckpt)]
    assert main([*base, "--samples", "4"]) == 0
    capsys.readouterr()
    assert main([*base, "--samples", "6"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "samples" in err and "4" in err and "6" in err, err


# -- hangs and leaks ---------------------------------------------------------------------------


def _children():
    """Descendants of this process except the long-lived fork server and resource tracker
    themselves. Pool workers are forked by the fork server and share its command line, so they
    are told apart by their parent: the services are this process's own children."""
    psutil = pytest.importorskip("psutil")
    me = psutil.Process()
    out = {}
    for p in me.children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
            service = p.ppid() == me.pid and ("forkserver" in cmd or "resource_tracker" in cmd)
        except psutil.Error:  # exited meanwhile
            continue
        if not service:
            out[p.pid] = p
    return out


@pytest.mark.timeout(60)
def test_unpicklable_quantity_fails_fast_on_processes():
    """A quantity whose parameters cannot be pickled, on more than two chunks and 2 processes:
    a TypeError naming the quantity at once (it used to hang in pool.shutdown)."""
    mc.register_quantity("rel_param", lambda n, f, m, count, rng, *, obj: np.zeros(count),
                         params=("obj",), replace=True)
    try:
        for _ in range(3):
            t0 = time.monotonic()
            with pytest.raises(TypeError, match="rel_param"):
                mc.run("rel_param", 4, samples=40, seed=0, chunk_size=4, executor=2,
                       params={"obj": threading.Lock()})
            assert time.monotonic() - t0 < 20
    finally:
        mc.unregister_quantity("rel_param")


@pytest.mark.timeout(120)
def test_error_stops_running_workers():
    """A chunk that raises while other chunks run for 20 s: the error reaches the caller within
    seconds and the workers running the long chunks are terminated, not waited for."""
    pytest.importorskip("cloudpickle")
    before = set(_children())
    mc.register_quantity("rel_raise", _make_raise_or_sleep(), replace=True)
    try:
        t0 = time.monotonic()
        with pytest.raises(ArithmeticError, match="on purpose"):
            # grid point n=2 (one chunk, raises) first, then the 20 s chunks of n=3
            mc.run("rel_raise", [2, 3], samples=8, seed=0, chunk_size=4, executor=2)
        assert time.monotonic() - t0 < 12
    finally:
        mc.unregister_quantity("rel_raise")
    new = [p for pid, p in _children().items() if pid not in before]
    try:
        assert not _wait_gone(new, 10)
    finally:
        _kill_all(new)


_DRIVER = """
import os, sys, time
from rmtedge import montecarlo as mc
from rmtedge.cli import main

def sleepy(n, field, method, count, rng):
    import os, time
    time.sleep(float(os.environ.get("MC_SLEEP", "0")))
    return rng.standard_normal(count)

if __name__ == "__main__":
    mc.register_quantity("sleepy", sleepy)
    sys.exit(main(sys.argv[1:]))
"""


def _start_driver(tmp_path, ckpt, sleep):
    script = tmp_path / "driver.py"
    script.write_text(_DRIVER)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MC_SLEEP": str(sleep)}
    argv = ["sweep", "sleepy", "-n", "3", "--samples", "400", "--chunk-size", "4", "--seed", "5",
            "-j", "2", "--checkpoint", str(ckpt), "--json"]
    return subprocess.Popen([sys.executable, str(script), *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _descendants_when_chunks(proc, ckpt, k, seconds=60):
    psutil = pytest.importorskip("psutil")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (ckpt / "chunks").is_dir() and len(list((ckpt / "chunks").glob("p*"))) >= k:
            break
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    else:
        pytest.fail("no chunk written in time")
    return psutil.Process(proc.pid).children(recursive=True)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_driver_signal_leaves_no_processes(sig, tmp_path):
    """SIGTERM: clean shutdown with exit status 143 and a consistent checkpoint (a resume gives
    the uninterrupted result bit for bit). SIGTERM or SIGKILL: the fork server, the resource
    tracker and the pool workers all exit (workers exit when their parent dies)."""
    pytest.importorskip("cloudpickle")
    ckpt = tmp_path / "ck"
    proc = _start_driver(tmp_path, ckpt, sleep=0.25)
    kids = []
    try:
        kids = _descendants_when_chunks(proc, ckpt, 2)
        assert len(kids) >= 3  # fork server, resource tracker, workers
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
        if sig == signal.SIGTERM:
            assert proc.returncode == 143, err
            assert "Traceback" not in err and "terminated" in err
        assert not _wait_gone(kids, 20), [p.cmdline() for p in kids if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _kill_all(kids)
    if sig == signal.SIGTERM:
        assert not list(ckpt.rglob("*.tmp"))
        again = _start_driver(tmp_path, ckpt, sleep=0)
        try:
            out, err = again.communicate(timeout=120)
        finally:
            if again.poll() is None:
                again.kill()
                again.wait()
        assert again.returncode == 0, err
        resumed = json.loads(out)
        mc.register_quantity("sleepy", _gauss, replace=True)
        try:
            fresh = mc.run("sleepy", 3, samples=400, chunk_size=4, seed=5)
        finally:
            mc.unregister_quantity("sleepy")
        assert resumed["points"][0]["mean"] == float(fresh.mean[0])


def test_worker_watchdog_exits_when_driver_gone():
    """The worker-side watchdog ends a worker whose driver process no longer exists."""
    code = (
        "import os, time\n"
        "from rmtedge.montecarlo import _executors\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "_executors.worker_init(pid, 0.05)\n"
        "time.sleep(20)\n"
        "print('still alive')\n"
    )
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "still alive" not in out.stdout and "Traceback" not in out.stderr, out.stderr
    assert time.monotonic() - t0 < 15


# -- counting retried chunks, lazy submission, default chunks -----------------------------------


@pytest.fixture
def crash_once():
    pytest.importorskip("cloudpickle")

    def crash_once(n, field, method, count, rng, *, marker):
        import os

        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return rng.standard_normal(count)
        os.close(fd)
        os._exit(13)

    mc.register_quantity("rel_crash", crash_once, params=("marker",), replace=True)
    yield "rel_crash"
    mc.unregister_quantity("rel_crash")


def test_retried_chunks_processes(crash_once, tmp_path):
    """After one worker death, retried_chunks counts the chunks that were in flight (at most
    the submission window, 8 for 2 workers), not every unfinished chunk (about 60 here)."""
    kw = {"quantity": crash_once, "n": 4, "samples": 64 * 4, "seed": 3, "chunk_size": 4,
          "params": {"marker": str(tmp_path / "m")}}
    res = mc.run(**kw, executor=2)
    assert 1 <= res.retried_chunks <= _executors.WINDOW_PER_WORKER * 2
    np.testing.assert_array_equal(res.mean, mc.run(**kw).mean)


@pytest.mark.timeout(120)
def test_pool_that_never_fails_its_futures_is_broken_by_the_driver(crash_once, tmp_path,
                                                                     monkeypatch):
    """A worker dies and concurrent.futures never fails the in-flight futures (simulated: the
    pool's manager thread exits without doing so, as a manager that dies or hangs would): the
    driver notices within the grace period, treats the pool as broken and reruns the chunks on
    a fresh pool; same aggregates as a serial run. (A once-in-many-runs hang of
    tests/test_montecarlo.py::test_processes_survive_worker_death on CI ended in the 300 s
    per-test timeout; before this check the driver waited on such futures forever.)"""
    from concurrent.futures import process as cfp

    monkeypatch.setattr(_executors, "STALL_GRACE_SECONDS", 1.0)
    calls = []

    def silent_terminate_broken(self, cause):
        calls.append(cause)  # and return: futures stay pending, the manager thread ends

    monkeypatch.setattr(cfp._ExecutorManagerThread, "terminate_broken", silent_terminate_broken)
    kw = {"quantity": crash_once, "n": 4, "samples": 64, "seed": 5, "chunk_size": 4,
          "params": {"marker": str(tmp_path / "m")}}
    before = set(_children())
    t0 = time.monotonic()
    res = mc.run(**kw, executor=2)
    assert calls, "the simulated silent manager was not exercised"
    assert res.retried_chunks >= 1
    assert time.monotonic() - t0 < 60
    new = [p for pid, p in _children().items() if pid not in before]
    try:  # the broken pool's surviving worker was terminated, not left waiting for work
        assert not _wait_gone(new, 10)
    finally:
        _kill_all(new)
    np.testing.assert_array_equal(res.mean, mc.run(**kw).mean)


def test_unnoticed_death_names_the_dead_worker_or_manager():
    """_unnoticed_death: None for a live pool; the pid of a worker that no longer exists; the
    manager thread when it has exited."""
    from types import SimpleNamespace

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # reaped: its pid no longer exists
    alive = threading.Thread(target=time.sleep, args=(5,), daemon=True)
    alive.start()
    ended = threading.Thread(target=lambda: None)
    ended.start()
    ended.join()
    ok = SimpleNamespace(_executor_manager_thread=alive, _processes={os.getpid(): None})
    assert _executors._unnoticed_death(ok) is None
    dead = SimpleNamespace(_executor_manager_thread=alive, _processes={gone.pid: None})
    assert str(gone.pid) in _executors._unnoticed_death(dead)
    no_manager = SimpleNamespace(_executor_manager_thread=ended, _processes={os.getpid(): None})
    assert "manager thread" in _executors._unnoticed_death(no_manager)
    assert not _executors._pid_alive(gone.pid) and _executors._pid_alive(os.getpid())


def test_pid_alive_never_signals_on_windows(monkeypatch):
    """On Windows os.kill(pid, 0) terminates the process, so _pid_alive (used by the workers'
    watchdog on the driver and by the driver on its workers) must not call it there."""

    def no_kill(pid, sig):
        raise AssertionError(f"os.kill({pid}, {sig}) called")

    monkeypatch.setattr(_executors.sys, "platform", "win32")
    monkeypatch.setattr(_executors.os, "kill", no_kill)
    assert _executors._pid_alive(os.getpid())  # no kernel32 here: taken as alive


class _CountingPool(ThreadPoolExecutor):
    def __init__(self, workers):
        super().__init__(workers)
        self.submitted = 0

    def submit(self, *args, **kwargs):
        self.submitted += 1
        return super().submit(*args, **kwargs)


class _Stop(Exception):
    pass


@pytest.mark.timeout(60)
def test_first_progress_before_window_is_exceeded(monkeypatch):
    """samples = 10**9 (10**6 chunks): the first progress update arrives before more than the
    submission window (4 chunks per worker) has been submitted."""
    pool = _CountingPool(2)
    seen = []

    class Recorder:
        def __init__(self, *a, **k):
            pass

        def update(self, k):
            seen.append(pool.submitted)
            raise _Stop

        def close(self):
            pass

    monkeypatch.setattr(_engine, "_Progress", Recorder)
    with pool, pytest.raises(_Stop):
        mc.run("rel_gauss", 2, samples=10**9, seed=0, chunk_size=1000, executor=pool,
               progress=True)
    assert seen and seen[0] <= _executors.WINDOW_PER_WORKER * 2


def test_default_chunks_split_a_small_sweep():
    """A small sweep on two workers is split into several chunks by default, and the default
    does not depend on the executor (bit-identical results serial vs 2 processes)."""
    a = mc.run("spectral_radius", 10, samples=200, seed=0)
    b = mc.run("spectral_radius", 10, samples=200, seed=0, executor=2)
    assert a.points[0].chunk_size == b.points[0].chunk_size
    assert -(-200 // a.points[0].chunk_size) >= 8
    np.testing.assert_array_equal(a.mean, b.mean)
    np.testing.assert_array_equal(a.var, b.var)


# -- Dask: no workers, closed client, bad address, unreachable scheduler ------------------------


@pytest.mark.dask
@pytest.mark.timeout(90)
def test_dask_no_worker_times_out_with_warning():
    """A scheduler with no worker: a warning after a short wait, then TimeoutError saying that no
    worker is available (it used to wait forever)."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        t0 = time.monotonic()
        with pytest.warns(RuntimeWarning, match="no Dask worker"), pytest.raises(
            TimeoutError, match="no Dask worker"
        ):
            mc.run("real_count", 3, samples=8, seed=0, chunk_size=4, executor=client, timeout=3)
        assert time.monotonic() - t0 < 30


@pytest.mark.dask
def test_dask_closed_client_is_named():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        client = distributed.Client(cluster, set_as_default=False)
        client.close()
        with pytest.raises(ValueError, match="closed"):
            mc.run("real_count", 3, samples=8, seed=0, executor=client)


@pytest.mark.dask
def test_dask_bad_address_returns_at_once():
    """executor="x" raises a ValueError naming the executor and the interpreter exits at once
    (no 60 s wait in Client.__del__)."""
    pytest.importorskip("distributed")
    code = (
        "from rmtedge import montecarlo as mc\n"
        "try:\n"
        "    mc.run('real_count', 3, samples=4, seed=0, executor='x')\n"
        "except ValueError as exc:\n"
        "    print('ERR', exc)\n"
    )
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=55)
    assert out.stdout.startswith("ERR") and "executor" in out.stdout
    assert "Exception ignored" not in out.stderr
    assert time.monotonic() - t0 < 30


@pytest.mark.dask
@pytest.mark.timeout(60)
def test_cli_unreachable_scheduler(capsys):
    """An unreachable scheduler: one line naming the address, exit 2."""
    pytest.importorskip("distributed")
    code = main(["sweep", "real_count", "-n", "3", "--samples", "4",
                 "--scheduler", "tcp://127.0.0.1:1", "--timeout", "2"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "127.0.0.1:1" in err and "Traceback" not in err


# -- CLI output path, test-suite timeout ---------------------------------------------------------


def test_cli_out_checked_before_work(tmp_path, monkeypatch, capsys):
    """-o in a missing directory is refused (one line, exit 2) before the sweep runs."""
    from rmtedge.montecarlo import _cli

    def boom(*a, **k):
        raise AssertionError("the sweep ran")

    monkeypatch.setattr(mc, "run_from_args", boom)
    monkeypatch.setattr(_cli, "run_from_args", boom)
    bad = str(tmp_path / "missing" / "r.json")
    code = main(["sweep", "real_count", "-n", "3", "--samples", "4", "-o", bad])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--out" in err, err
    with pytest.raises(SystemExit):
        mc.sweep_main(["real_count", "-n", "3", "--samples", "4", "-o", str(tmp_path)])


def test_suite_has_a_per_test_timeout(request):
    """pytest-timeout is configured with a default per-test timeout (a hang fails, not stalls)."""
    assert float(request.config.getini("timeout") or 0) > 0
