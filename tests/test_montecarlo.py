"""Tests of rmtedge.montecarlo: reproducibility across executors, fault tolerance, checkpoints,
statistical sanity of the built-in quantities, argument checking and the CLI helpers."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

import rmtedge
from rmtedge import montecarlo as mc
from rmtedge.montecarlo._aggregate import PointAccumulator

# -- test quantities ---------------------------------------------------------------------------


def _radius(n, field, method, count, rng):
    return rmtedge.ensembles.samplers.spectral_radius(
        n, field=field, size=count, method="dense", rng=rng
    )


def _make_crash_once():
    """A quantity that kills its worker process the first time any chunk runs (marker file
    absent), then behaves like the dense spectral radius. Built as a closure without references
    to this module, so it travels to the workers by value (cloudpickle) and the workers never
    import the test module."""

    def crash_once(n, field, method, count, rng, *, marker):
        import os

        from rmtedge.ensembles.samplers import spectral_radius

        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return spectral_radius(n, field=field, size=count, method="dense", rng=rng)
        os.close(fd)
        os._exit(13)

    return crash_once


def counted(n, field, method, count, rng, *, log_dir):
    """Spectral radius that logs every call as a file and obeys a call budget (``budget`` file)."""
    log = Path(log_dir)
    budget = log / "budget"
    if budget.exists():
        left = int(budget.read_text())
        if left <= 0:
            raise RuntimeError("interrupted on purpose")
        budget.write_text(str(left - 1))
    (log / f"call-{uuid.uuid4().hex}").touch()
    return _radius(n, field, method, count, rng)


@pytest.fixture(scope="module", autouse=True)
def _test_quantities():
    mc.register_quantity(
        "crash_once", _make_crash_once(), params=("marker",), required=("marker",), replace=True
    )
    mc.register_quantity(
        "counted", counted, params=("log_dir",), required=("log_dir",), replace=True
    )
    yield
    mc.unregister_quantity("crash_once")
    mc.unregister_quantity("counted")


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        yield client


def _assert_same(a, b):
    np.testing.assert_array_equal(a.n, b.n)
    np.testing.assert_array_equal(a.count, b.count)
    np.testing.assert_array_equal(a.mean, b.mean)
    np.testing.assert_array_equal(a.var, b.var)


# -- reproducibility ---------------------------------------------------------------------------

GRID = {
    "quantity": "spectral_radius",
    "n": [6, 40],
    "field": ["real", "complex"],
    "samples": 300,
    "seed": 12345,
    "chunk_size": 32,
}


@pytest.fixture(scope="module")
def serial_grid():
    return mc.run(**GRID)


def test_threads_equal_serial(serial_grid):
    """Identity: a thread pool gives bit-identical mean/var/count to the serial run."""
    with ThreadPoolExecutor(3) as ex:
        _assert_same(serial_grid, mc.run(**GRID, executor=ex))


def test_processes_equal_serial(serial_grid):
    """Identity: 2 local processes give bit-identical mean/var/count to the serial run."""
    res = mc.run(**GRID, executor=2)
    _assert_same(serial_grid, res)
    assert res.executor == "2 local processes"


@pytest.mark.dask
def test_dask_equal_serial(serial_grid, dask_client):
    """Identity: a Dask LocalCluster (2 worker processes) gives bit-identical aggregates."""
    _assert_same(serial_grid, mc.run(**GRID, executor=dask_client))


@pytest.mark.dask
def test_dask_address_and_energy(dask_client):
    """Identity: a scheduler address string and a vector-valued quantity (energy at several t)
    give the same aggregates on Dask as in process."""
    kw = {
        "quantity": "energy",
        "n": 12,
        "field": "complex",
        "t": [1, 5],
        "samples": 64,
        "seed": 5,
        "chunk_size": 16,
        "params": {"inputs": 2},
    }
    a = mc.run(**kw)
    b = mc.run(**kw, executor=dask_client.scheduler.address)
    assert a.mean.shape == (1, 2)
    _assert_same(a, b)


def test_completion_order_irrelevant():
    """Identity: folding chunk results in any arrival order gives bit-identical mean/var/sketch."""
    rng = np.random.default_rng(0)
    chunks = [
        rng.standard_normal((int(k), 3)) * 10 ** rng.uniform(-3, 3)
        for k in rng.integers(1, 400, 12)
    ]
    results = []
    for perm in (range(12), reversed(range(12)), rng.permutation(12), rng.permutation(12)):
        acc = PointAccumulator(("q", "real", "auto", 1), 12, 400, keep_samples=True)
        for i in perm:
            acc.add(int(i), chunks[int(i)])
        results.append(acc.finalize())
    for r in results[1:]:
        np.testing.assert_array_equal(r.mean, results[0].mean)
        np.testing.assert_array_equal(r.var, results[0].var)
        np.testing.assert_array_equal(r.samples, results[0].samples)
        np.testing.assert_array_equal(r.quantile([0.1, 0.5]), results[0].quantile([0.1, 0.5]))
    allv = np.concatenate(chunks)
    np.testing.assert_allclose(
        results[0].mean, allv.mean(axis=0), rtol=1e-13, atol=1e-13 * np.abs(allv).max()
    )
    np.testing.assert_allclose(results[0].var, allv.var(axis=0, ddof=1), rtol=1e-12)


def test_point_stream_independent_of_grid(serial_grid):
    """Identity: a grid point's samples depend on (seed, chunk size, point) only, not on the
    other grid points (seeds are keyed by the point, not by its position)."""
    alone = mc.run("spectral_radius", 40, field="complex", samples=300, seed=12345, chunk_size=32)
    sub = serial_grid.select(n=40, field="complex")
    _assert_same(alone, sub)


def test_seed_and_chunk_size_change_results():
    """Different seeds or chunk sizes give different samples (the seed is really used)."""
    kw = {"samples": 64, "keep_samples": True}
    a = mc.run("spectral_radius", 10, seed=1, chunk_size=16, **kw).samples[0]
    b = mc.run("spectral_radius", 10, seed=2, chunk_size=16, **kw).samples[0]
    c = mc.run("spectral_radius", 10, seed=1, chunk_size=8, **kw).samples[0]
    assert not np.array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(
        a, mc.run("spectral_radius", 10, seed=1, chunk_size=16, **kw).samples[0]
    )


def test_seed_none_is_recorded():
    """A run with seed=None records its entropy; feeding it back reproduces the run."""
    a = mc.run("real_count", 5, samples=200, seed=None, chunk_size=50)
    b = mc.run("real_count", 5, samples=200, seed=np.random.SeedSequence(**a.seed), chunk_size=50)
    _assert_same(a, b)


# -- fault tolerance ---------------------------------------------------------------------------


def test_processes_survive_worker_death(tmp_path):
    """A worker process dying mid-sweep (os._exit) -> the pool is replaced, unfinished chunks are
    resubmitted, and the aggregates equal an undisturbed run bit for bit."""
    pytest.importorskip("cloudpickle")  # crash_once travels to the workers by value
    marker = tmp_path / "crashed"
    kw = {"quantity": "crash_once", "n": [5, 20], "samples": 96, "seed": 3, "chunk_size": 8}
    res = mc.run(**kw, executor=2, params={"marker": str(marker)})
    assert marker.exists()
    assert res.retried_chunks >= 1
    ref = mc.run(**kw, params={"marker": str(marker)})  # marker exists: no crash in process
    _assert_same(ref, res)


@pytest.mark.dask
def test_dask_survives_worker_death(tmp_path, dask_client):
    """A Dask worker killed mid-sweep (os._exit in a task): the scheduler reruns its tasks on
    the surviving/restarted workers; same seeds -> bit-identical aggregates."""
    marker = tmp_path / "crashed"
    kw = {"quantity": "crash_once", "n": 20, "samples": 64, "seed": 4, "chunk_size": 8}
    res = mc.run(**kw, executor=dask_client, params={"marker": str(marker)})
    assert marker.exists()
    assert 1 <= res.retried_chunks <= 4  # the chunk(s) lost with the worker, not all 8
    ref = mc.run(**kw, params={"marker": str(marker)})
    _assert_same(ref, res)


def test_processes_give_up_after_retries(tmp_path):
    """A pool that keeps breaking (retries=0) raises RuntimeError naming the retries."""
    pytest.importorskip("cloudpickle")
    with pytest.raises(RuntimeError, match="retries=0"):
        mc.run(
            "crash_once",
            5,
            samples=16,
            seed=0,
            chunk_size=8,
            executor=1,
            retries=0,
            params={"marker": str(tmp_path / "m")},
        )


def test_chunk_exception_propagates(tmp_path):
    """An exception raised inside a chunk reaches the caller (serial and thread pool)."""
    bad = {"marker": str(tmp_path / "missing-dir" / "m")}
    with pytest.raises(FileNotFoundError):
        mc.run("crash_once", 5, samples=4, seed=0, params=bad)
    with ThreadPoolExecutor(2) as ex, pytest.raises(FileNotFoundError):
        mc.run("crash_once", 5, samples=4, seed=0, executor=ex, params=bad)


# -- checkpoints -------------------------------------------------------------------------------


def test_checkpoint_resume(tmp_path):
    """Interrupted after 3 chunks, a rerun with the same checkpoint computes only the 7 missing
    chunks (calls counted via files) and equals an uninterrupted run bit for bit."""
    log = tmp_path / "log"
    log.mkdir()
    ckpt = tmp_path / "ckpt"
    kw = {
        "quantity": "counted",
        "n": 8,
        "samples": 100,
        "seed": 9,
        "chunk_size": 10,
        "params": {"log_dir": str(log)},
        "keep_samples": True,
    }
    (log / "budget").write_text("3")
    with pytest.raises(RuntimeError, match="interrupted"):
        mc.run(**kw, checkpoint=ckpt)
    assert len(list(log.glob("call-*"))) == 3
    assert len(list((ckpt / "chunks").glob("p*.chunk"))) == 3
    (log / "budget").unlink()
    resumed = mc.run(**kw, checkpoint=ckpt)
    assert len(list(log.glob("call-*"))) == 10
    assert (resumed.chunks_loaded, resumed.chunks_computed) == (3, 7)
    again = mc.run(**kw, checkpoint=ckpt)  # everything loaded, nothing computed
    assert (again.chunks_loaded, again.chunks_computed) == (10, 0)
    assert len(list(log.glob("call-*"))) == 10
    fresh = mc.run(**kw)
    for r in (resumed, again):
        _assert_same(fresh, r)
        np.testing.assert_array_equal(fresh.samples[0], r.samples[0])
    assert not list(ckpt.rglob("*.tmp"))  # atomic writes leave no temporaries


def test_checkpoint_mismatch(tmp_path):
    """A checkpoint of another sweep is refused with an error naming the differing parameter."""
    ckpt = tmp_path / "c"
    mc.run("real_count", 4, samples=20, seed=1, chunk_size=10, checkpoint=ckpt)
    with pytest.raises(mc.CheckpointMismatchError, match="samples"):
        mc.run("real_count", 4, samples=30, seed=1, chunk_size=10, checkpoint=ckpt)
    with pytest.raises(ValueError, match="seed"):
        mc.run("real_count", 4, samples=20, seed=2, chunk_size=10, checkpoint=ckpt)
    with pytest.raises(ValueError, match="fixed seed"):
        mc.run("real_count", 4, samples=20, seed=None, checkpoint=tmp_path / "d")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="checkpoint"):
        mc.run("real_count", 4, samples=20, seed=1, checkpoint=tmp_path / "file")
    with pytest.raises(TypeError, match="JSON"):
        mc.run(
            "counted", 4, samples=2, seed=1, checkpoint=tmp_path / "e", params={"log_dir": object()}
        )
    with pytest.raises(ValueError, match="executor"):
        mc.run("real_count", 4, samples=2, seed=1, checkpoint=tmp_path / "f", executor="")
    assert not (tmp_path / "f").exists()


# -- statistical sanity ------------------------------------------------------------------------


def test_real_count_law_n4():
    """Chi-square on the counts of real eigenvalues (n = 4, 20000 samples) against the exact
    p_{4,0} = 9/8 - 11 sqrt2/16, p_{4,2} = -1/4 + 11 sqrt2/16, p_{4,4} = 1/8 (Edelman 1997);
    significance level alpha = 1e-3. Also a z-test (alpha = 1e-3) of the mean against
    E_4 = 11 sqrt2/8 (Edelman-Kostlan-Shub)."""
    res = mc.run("real_count", 4, samples=20000, seed=2024, keep_samples=True)
    k = res.samples[0]
    s2 = math.sqrt(2)
    p = np.array([9 / 8 - 11 * s2 / 16, -1 / 4 + 11 * s2 / 16, 1 / 8])
    obs = np.array([np.sum(k == 0), np.sum(k == 2), np.sum(k == 4)])
    assert obs.sum() == k.size  # parity: only 0, 2, 4 occur
    chi2 = stats.chisquare(obs, p * k.size)
    assert chi2.pvalue > 1e-3
    z = (res.mean[0] - 11 * s2 / 8) / res.stderr[0]
    assert abs(z) < stats.norm.isf(0.5e-3)


def test_real_count_means_against_eks():
    """z-tests (alpha = 1e-3 each, Bonferroni over 3 sizes) of the mean number of real
    eigenvalues against E_2 = sqrt2, E_3 = 1 + 1/sqrt2, E_10 = 2.92799349097 (EKS 1994)."""
    res = mc.run("real_count", [2, 3, 10], samples=10000, seed=77)
    exact = np.array([math.sqrt(2), 1 + 1 / math.sqrt(2), 2.92799349097])
    z = (res.mean - exact) / res.stderr
    assert np.all(np.abs(z) < stats.norm.isf(0.5e-3 / 3))


def test_complex_radius_exact_law():
    """One-sample KS (alpha = 1e-3) of the sweep's complex Glorot spectral radius (dense
    eigenvalues, n = 6) against Kostlan's exact law P(rho <= r) = prod_k P(k, n r^2)."""
    n = 6
    res = mc.run(
        "spectral_radius",
        n,
        field="complex",
        method="dense",
        samples=4000,
        seed=31,
        keep_samples=True,
    )
    kk = np.arange(1, n + 1)

    def cdf(r):
        return np.prod(special.gammainc(kk, n * np.asarray(r)[..., None] ** 2), axis=-1)

    assert stats.kstest(res.samples[0], cdf).pvalue > 1e-3


def test_real_radius_against_direct_computation():
    """Two-sample KS (alpha = 1e-3): sweep's real spectral radius (n = 10) vs a direct
    computation (numpy.linalg.eigvals of rmtedge.ginibre samples, independent seed); and the
    reported mean/var equal numpy's mean/var(ddof=1) of the kept samples (identity)."""
    res = mc.run("spectral_radius", 10, samples=3000, seed=8, keep_samples=True)
    direct = np.abs(np.linalg.eigvals(rmtedge.ginibre(10, size=3000, rng=99))).max(axis=-1)
    assert stats.ks_2samp(res.samples[0], direct).pvalue > 1e-3
    np.testing.assert_allclose(res.mean[0], res.samples[0].mean(), rtol=1e-14)
    np.testing.assert_allclose(res.var[0], res.samples[0].var(ddof=1), rtol=1e-12)


@pytest.mark.parametrize("field, c2", [("real", 2.0), ("complex", 1.0)])
def test_energy_means(field, c2):
    """z-tests (alpha = 1e-3, Bonferroni over 3 times) of E||h_t||^2/n = sum_{k<t} (1/n)
    E||W^k||_F^2 = 1, 2, 3 + c/n^2 at t = 1, 2, 3 (E tr(G^2 G*^2) = n^3 + c n, c = 2 real,
    1 complex; ``docs/theory.md``, "Moments, the growth bound and the instability threshold"); inputs=3 exercises the BLAS-3 path."""
    n = 5
    res = mc.run("energy", n, field=field, t=[1, 2, 3], samples=6000, seed=11, params={"inputs": 3})
    exact = np.array([1.0, 2.0, 3.0 + c2 / n**2])
    z = (res.mean[0] - exact) / res.stderr[0]
    assert np.all(np.abs(z) < stats.norm.isf(0.5e-3 / 3))


def test_log_energy_is_log_of_energy():
    """Identity: log_energy shares energy's random stream, so its samples are log(energy)
    (to rounding), including t = 0 where the energy is 0; the value at a t does not depend on
    the other requested t."""
    kw = {"n": 7, "samples": 40, "seed": 6, "keep_samples": True, "chunk_size": 20}
    e = mc.run("energy", t=[0, 3, 40], **kw).samples[0]
    le = mc.run("log_energy", t=[0, 3, 40], **kw).samples[0]
    assert np.all(e[:, 0] == 0) and np.all(le[:, 0] == -np.inf)
    np.testing.assert_allclose(le[:, 1:], np.log(e[:, 1:]), rtol=1e-13)
    e40 = mc.run("energy", t=40, **kw).samples[0]
    np.testing.assert_array_equal(e40, e[:, 2])


def test_log_energy_no_overflow():
    """log_energy stays finite where ||h_t||^2 overflows float64 (n = 2, t = 3000): the
    state is rescaled by exact powers of two; energy itself overflows to inf there."""
    le = mc.run("log_energy", 2, t=3000, samples=8, seed=1, keep_samples=True).samples[0]
    e = mc.run("energy", 2, t=3000, samples=8, seed=1, keep_samples=True).samples[0]
    assert np.all(np.isfinite(le))
    big = le > math.log(np.finfo(float).max)
    assert big.any()
    assert np.all(np.isinf(e[big]))
    np.testing.assert_allclose(np.log(e[~big]), le[~big], rtol=1e-12)


# -- quantiles, results, helpers ---------------------------------------------------------------


def test_sketch_quantiles():
    """Identity: with chunks of <= 256 samples the sketch is exact, so quantile(q) equals
    numpy.quantile(samples, q, method="hazen"); with larger chunks the sketch's quantiles lie
    within 2/256 in probability of the exact ones."""
    q = np.array([0.0, 0.01, 0.25, 0.5, 0.9, 1.0])
    kept = mc.run("spectral_radius", 8, samples=2000, seed=3, chunk_size=200, keep_samples=True)
    small = mc.run("spectral_radius", 8, samples=2000, seed=3, chunk_size=200)
    exact = np.quantile(kept.samples[0], q, method="hazen")
    np.testing.assert_array_equal(kept.quantile(q)[0], exact)
    np.testing.assert_array_equal(small.quantile(q)[0], exact)
    big = mc.run("spectral_radius", 8, samples=4000, seed=3, chunk_size=2000, keep_samples=True)
    sketch = mc.run("spectral_radius", 8, samples=4000, seed=3, chunk_size=2000).quantile(q[1:-1])[
        0
    ]
    ecdf = np.searchsorted(np.sort(big.samples[0]), sketch) / 4000
    assert np.all(np.abs(ecdf - q[1:-1]) < 2 / 256)


def test_result_to_dict_is_json():
    """to_dict() is strict JSON (non-finite -> None) and carries the grid and the seed."""
    res = mc.run("log_energy", [3, 4], t=[0, 2], samples=10, seed=1)
    d = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert [p["n"] for p in d["points"]] == [3, 4]
    assert d["points"][0]["mean"][0] is None  # log 0 = -inf
    assert d["seed"]["entropy"] == "1"
    assert res.mean.shape == res.var.shape == res.stderr.shape == (2, 2)
    assert res.quantile([0.5, 0.9]).shape == (2, 2, 2)
    assert res.samples is None


def test_mixed_grid_select():
    """A grid over quantities with different value shapes stacks only after select()."""
    res = mc.run(["spectral_radius", "energy"], 4, t=[1, 2], samples=20, seed=0)
    assert res.quantity == ("spectral_radius", "energy")
    with pytest.raises(ValueError, match="select"):
        _ = res.mean
    assert res.select(quantity="energy").mean.shape == (1, 2)
    assert res.select(quantity="spectral_radius").mean.shape == (1,)


def test_default_chunk_size():
    """Default chunks: powers of two in [1, 4096], shrinking with n, same for every executor."""
    sizes = [mc.default_chunk_size("spectral_radius", n) for n in (1, 10, 100, 1000, 4000)]
    assert all(1 <= s <= 4096 and s & (s - 1) == 0 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)
    assert mc.default_chunk_size("spectral_radius", 10**6, field="complex", method="kostlan") >= 1
    res = mc.run("spectral_radius", [10, 100], samples=40, seed=0)
    assert [p.chunk_size for p in res.points] == [
        mc.default_chunk_size("spectral_radius", n, samples=40) for n in (10, 100)
    ]
    assert [p.chunk_size for p in res.points] == [2, 2]  # >= 16 chunks per point


def test_register_quantity_errors():
    """The registry refuses bad names, duplicates and inconsistent declarations."""
    with pytest.raises(ValueError, match="name"):
        mc.register_quantity("bad name", counted)
    with pytest.raises(ValueError, match="already registered"):
        mc.register_quantity("energy", counted)
    with pytest.raises(ValueError, match="required"):
        mc.register_quantity("x_q", counted, params=(), required=("log_dir",))
    with pytest.raises(ValueError, match="fields"):
        mc.register_quantity("x_q", counted, fields=("quaternion",))
    assert "spectral_radius" in mc.available_quantities()


def test_bad_output_shape_is_reported():
    """A quantity returning the wrong number of rows raises ValueError naming it."""
    mc.register_quantity(
        "wrong_rows", lambda n, f, m, count, rng: np.zeros(count + 1), replace=True
    )
    try:
        with pytest.raises(ValueError, match="wrong_rows"):
            mc.run("wrong_rows", 3, samples=5, seed=0)
    finally:
        mc.unregister_quantity("wrong_rows")


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"n": 0}, ValueError, "n must be"),
        ({"n": 2.0}, TypeError, "n must be"),
        ({"n": True}, TypeError, "n must be"),
        ({"n": []}, ValueError, "n must not be empty"),
        ({"quantity": "nope"}, ValueError, "quantity"),
        ({"quantity": 3}, TypeError, "quantity"),
        ({"field": "quaternion"}, ValueError, "field"),
        ({"quantity": "real_count", "field": "complex"}, ValueError, "field"),
        ({"method": "kostlan"}, ValueError, "kostlan"),
        ({"method": "magic"}, ValueError, "method"),
        ({"samples": 0}, ValueError, "samples"),
        ({"samples": 1.5}, TypeError, "samples"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": np.random.default_rng(0)}, TypeError, "seed"),
        ({"chunk_size": 0}, ValueError, "chunk_size"),
        ({"executor": 0}, ValueError, "executor"),
        ({"executor": True}, TypeError, "executor"),
        ({"executor": object()}, TypeError, "executor"),
        ({"t": 3}, ValueError, "t is not a parameter"),
        ({"quantity": "energy"}, ValueError, "t is required"),
        ({"quantity": "energy", "t": -1}, ValueError, "t must be"),
        ({"quantity": "energy", "t": [1.5]}, TypeError, "t must"),
        ({"quantity": "energy", "t": 2, "params": {"inputs": 0}}, ValueError, "inputs"),
        ({"params": {"scale": "huge"}}, ValueError, "scale"),
        ({"params": [1]}, TypeError, "params"),
        ({"n": [3, 3]}, ValueError, "twice"),
        ({"keep_samples": 1}, TypeError, "keep_samples"),
        ({"retries": -1}, ValueError, "retries"),
    ],
)
def test_bad_arguments(kwargs, exc, match):
    """Bad arguments raise TypeError/ValueError naming the argument, before any work starts."""
    args = {"quantity": "spectral_radius", "n": 3, "samples": 4, "seed": 0}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        mc.run(**args)


def test_import_does_not_pull_dask():
    """Importing rmtedge and rmtedge.montecarlo does not import dask or distributed."""
    code = "import sys, rmtedge, rmtedge.montecarlo; print('dask' in sys.modules or 'distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_sweep_main_writes_json(tmp_path, capsys):
    """sweep_main runs a grid from argv, prints one row per (point, t), writes strict JSON."""
    out = tmp_path / "r.json"
    rc = mc.sweep_main(
        [
            "energy",
            "-n",
            "4",
            "6",
            "--samples",
            "30",
            "-t",
            "1",
            "2",
            "--inputs",
            "2",
            "--seed",
            "3",
            "-o",
            str(out),
        ]
    )
    assert rc == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 4 + 1
    d = json.loads(out.read_text())
    ref = mc.run("energy", [4, 6], t=[1, 2], samples=30, seed=3, params={"inputs": 2})
    np.testing.assert_array_equal(np.array([p["mean"] for p in d["points"]]), ref.mean)


def test_executor_from_args():
    """--processes and --scheduler map onto run()'s executor argument."""
    import argparse

    parser = mc.add_executor_arguments(argparse.ArgumentParser())
    assert mc.executor_from_args(parser.parse_args([])) is None
    assert mc.executor_from_args(parser.parse_args(["-j", "2"])) == 2
    assert mc.executor_from_args(parser.parse_args(["--scheduler", "tcp://h:1"])) == "tcp://h:1"
    with pytest.raises(SystemExit):
        parser.parse_args(["-j", "2", "--scheduler", "tcp://h:1"])
