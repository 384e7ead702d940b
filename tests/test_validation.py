"""The validation suite: report files and schema, reproducibility, and POWER of its checks.

The smoke size (``size="smoke"``, CLI ``--smoke``) runs each experiment in seconds. The power
tests perturb the theory on purpose (a law stretched by 3%, a density multiplied by 1.1, a count
law with mass moved between neighbours) and require the corresponding checks to FAIL, so the
suite is shown to be able to detect a wrong formula. Significance level of every check: 1e-3
(``rmtedge.validation._common.ALPHA``); seeds fixed (seed 0 unless stated).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rmtedge.validation import _common
from rmtedge.validation._common import ALPHA, Check, ExperimentResult
from rmtedge.validation._report import SCHEMA, write_report
from rmtedge.validation._suite import EXPERIMENTS, run_experiment, run_suite

import rmtedge
from rmtedge.cli import main

REPO = Path(__file__).resolve().parents[1]

CHECK_KEYS = {"name", "description", "theory", "monte_carlo", "uncertainty", "statistic", "value", "p_value",
              "alpha", "seed", "spawn_key", "status", "note"}
EXPERIMENT_KEYS = {"name", "title", "size", "seed", "status", "elapsed_s", "error", "figures", "notes", "numbers", "checks"}


def _needs(*names):
    missing = [n for n in names if not hasattr(rmtedge, n)]
    if missing:
        pytest.skip(f"not available yet: {missing}")


def _by_name(result: ExperimentResult) -> dict[str, Check]:
    return {c.name: c for c in result.checks}


# -- statistics helpers (the building blocks of every check) ---------------------------------
def test_ks_check_detects_a_shift():
    """KS at alpha = 1e-3 with 400 samples: passes for the true law, fails for a 0.3-sd shift."""
    from scipy import stats

    x = np.random.default_rng(1).standard_normal(400)
    assert _common.ks_check("a", "", x, stats.norm.cdf).status == "pass"
    assert _common.ks_check("b", "", x + 0.3, stats.norm.cdf).status == "fail"


def test_ks_tolerance_widens_acceptance():
    """A documented tolerance on the sup-distance turns a small systematic error into a pass."""
    from scipy import stats

    x = np.random.default_rng(2).standard_normal(400)
    shifted = lambda t: stats.norm.cdf(t - 0.4)  # noqa: E731 - sup-distance 0.159
    assert _common.ks_check("a", "", x, shifted).status == "fail"
    assert _common.ks_check("a", "", x, shifted, tolerance=0.16).status == "pass"


def test_chi2_counts_check_uses_counts():
    """Chi-square on COUNTS: 10x more samples at the same relative error must fail (a test on
    frequencies could not)."""
    p = np.array([0.2, 0.3, 0.5])
    good = np.array([21, 29, 50])
    assert _common.chi2_counts_check("a", "", good, p).status == "pass"
    off = np.array([2300, 3000, 4700])  # frequencies 0.23/0.30/0.47
    assert _common.chi2_counts_check("b", "", off, p).status == "fail"
    assert _common.chi2_counts_check("c", "", off / 100, p).status == "pass"


def test_count_in_bins_check_power():
    """Hotelling T^2 on per-sample bin counts: correct means pass, means off by 10% fail."""
    rng = np.random.default_rng(3)
    counts = rng.poisson([2.0, 3.0, 1.0], size=(2000, 3))
    assert _common.count_in_bins_check("a", "", counts, np.array([2.0, 3.0, 1.0])).status == "pass"
    assert _common.count_in_bins_check("b", "", counts, 1.1 * np.array([2.0, 3.0, 1.0])).status == "fail"


def test_binomial_and_claim_checks():
    """Binomial: 50/1000 vs p = 0.05 passes, vs 0.08 fails. Claim: 90/100 rejects 'at most half'."""
    assert _common.binomial_check("a", "", 50, 1000, 0.05).status == "pass"
    assert _common.binomial_check("b", "", 50, 1000, 0.08).status == "fail"
    assert _common.claim_sign_check("c", "", 90, 100).status == "pass"
    assert _common.claim_sign_check("d", "", 55, 100).status == "fail"


def test_z_check_one_sided():
    """One-sided z test of a lower bound fails only when the estimate is significantly below."""
    assert _common.z_check("a", "", 10.0, 1.0, 2.0, alternative="greater").status == "pass"
    assert _common.z_check("b", "", 2.0, 0.1, 3.0, alternative="greater").status == "fail"


def test_streams_are_fixed_per_experiment():
    """The random stream of an experiment depends on (seed, experiment, keys) only."""
    a = np.random.default_rng(_common.stream(5, "figure_3", 1)).random(3)
    b = np.random.default_rng(_common.stream(5, "figure_3", 1)).random(3)
    c = np.random.default_rng(_common.stream(5, "densities", 1)).random(3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


# -- a tiny run writes the documented report --------------------------------------------------
@pytest.fixture(scope="module")
def smoke_figure_3():
    _needs("spectral_radius_law", "spectral_radius")
    return run_experiment("figure_3", size="smoke", seed=0)


def test_smoke_figure_3_passes(smoke_figure_3):
    """Unperturbed theory passes every check of the experiment (control for the power tests)."""
    res = smoke_figure_3
    assert res.error is None, res.notes
    assert res.checks and all(c.status == "pass" for c in res.checks), [(c.name, c.status, c.p_value) for c in res.checks]


def test_report_files_and_schema(tmp_path, smoke_figure_3):
    """run_suite + write_report produce report.md/html and results.json with the documented keys."""
    _needs("real_eigenvalue_density", "complex_eigenvalue_density", "real_count_distribution")
    suite = run_suite(["densities"], size="smoke", seed=0, out_dir=tmp_path, show_progress=False)
    suite.experiments.insert(0, smoke_figure_3)
    paths = write_report(suite, tmp_path, command="rmtedge validate --smoke")
    data = json.loads(paths["json"].read_text())
    assert data["schema"] == SCHEMA
    assert {"rmtedge_version", "created", "command", "size", "seed", "jobs", "scheduler", "environment",
            "summary", "experiments"} <= set(data)
    assert data["summary"]["checks"] == sum(len(e["checks"]) for e in data["experiments"])
    for e in data["experiments"]:
        assert set(e) == EXPERIMENT_KEYS
        for c in e["checks"]:
            assert set(c) == CHECK_KEYS
            assert c["status"] in ("pass", "fail", "skipped", "error")
            assert c["alpha"] == ALPHA or c["status"] == "skipped"
    md = paths["markdown"].read_text()
    assert "# rmtedge validation report" in md and "densities" in md
    assert paths["html"].read_text().startswith("<!DOCTYPE html>")
    for e in data["experiments"]:
        for f in e["figures"]:
            assert (tmp_path / f).exists()
            assert f"]({f})" in md


def test_cli_validate_smoke(tmp_path, capsys):
    """rmtedge validate --smoke --only ...: exit 0, summary table, files on disk."""
    _needs("spectral_radius_law", "spectral_radius")
    code = main(["validate", "--smoke", "--only", "figure_3", "--out", str(tmp_path), "--seed", "0"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "PASS" in out and "report:" in out
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["size"] == "smoke" and [e["name"] for e in data["experiments"]] == ["figure_3"]
    pytest.importorskip("matplotlib")
    assert (tmp_path / "figure_3.png").stat().st_size > 1000


def test_reproducible_with_seed(smoke_figure_3):
    """The same seed gives bit-identical statistics; another seed gives other ones."""
    again = run_experiment("figure_3", size="smoke", seed=0)
    other = run_experiment("figure_3", size="smoke", seed=1)
    a = [(c.name, c.value, c.p_value) for c in smoke_figure_3.checks]
    assert a == [(c.name, c.value, c.p_value) for c in again.checks]
    assert a != [(c.name, c.value, c.p_value) for c in other.checks]


def test_without_matplotlib(tmp_path, monkeypatch, capsys):
    """No matplotlib: one line naming rmtedge[plot], report still written, no figures."""
    _needs("spectral_radius_law", "spectral_radius")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    code = main(["validate", "--smoke", "--only", "figure_3", "--out", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 0
    hint = [line for line in err.splitlines() if "pip install" in line]
    assert len(hint) == 1 and 'pip install "rmtedge[plot]"' in hint[0] and "matplotlib" in hint[0]
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["experiments"][0]["figures"] == []
    assert (tmp_path / "report.md").exists()


def test_experiment_error_is_reported_not_raised(monkeypatch):
    """An exception inside an experiment becomes status 'error' (and a failing suite)."""

    def boom(*a, **k):
        raise RuntimeError("deliberate")

    monkeypatch.setattr(rmtedge, "spectral_radius_law", boom, raising=False)
    _needs("spectral_radius")
    res = run_experiment("figure_3", size="smoke", seed=0)
    assert res.status == "error" and "deliberate" in res.error


def test_every_experiment_is_registered_and_runnable_as_script():
    """Each experiment file exists, has run(), and runs as `python validation/<file>.py --help`."""
    for e in EXPERIMENTS:
        if e.name == "edge_convergence" and not (REPO / "validation" / "edge_convergence.py").exists():
            continue
        assert (REPO / "validation" / f"{e.name}.py").exists(), e.name
    proc = subprocess.run([sys.executable, str(REPO / "validation" / "figure_3.py"), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "--full" in proc.stdout


# -- power: a perturbed theory must fail ---------------------------------------------------------
class _Stretched:
    """The law of f * rho, for a frozen law of rho (the theory stretched by a factor f)."""

    def __init__(self, law, f):
        self.law, self.f = law, f

    def cdf(self, r):
        return self.law.cdf(np.asarray(r) / self.f)

    def sf(self, r):
        return self.law.sf(np.asarray(r) / self.f)

    def pdf(self, r):
        return self.law.pdf(np.asarray(r) / self.f) / self.f

    def isf(self, q):
        return self.f * self.law.isf(q)

    def ppf(self, q):
        return self.f * self.law.ppf(q)

    def mean(self):
        return self.f * self.law.mean()


def test_power_radius_law_shifted_3_percent(monkeypatch):
    """figure_3 with the radius law stretched by 3%: both KS checks must FAIL (alpha = 1e-3)."""
    _needs("spectral_radius_law", "spectral_radius")
    orig = rmtedge.spectral_radius_law
    monkeypatch.setattr(rmtedge, "spectral_radius_law", lambda n, **kw: _Stretched(orig(n, **kw), 1.03))
    res = run_experiment("figure_3", size="smoke", seed=0)
    checks = _by_name(res)
    assert res.error is None, res.notes
    assert checks["radius_law_complex"].status == "fail"
    assert checks["radius_law_real"].status == "fail"
    assert res.status == "fail"


def test_power_real_density_times_1_1(monkeypatch):
    """densities with the real-eigenvalue density multiplied by 1.1: the real-line check FAILS."""
    _needs("real_eigenvalue_density", "eigvals")
    orig = rmtedge.real_eigenvalue_density
    monkeypatch.setattr(rmtedge, "real_eigenvalue_density", lambda x, n, **kw: 1.1 * orig(x, n, **kw))
    res = run_experiment("densities", size="smoke", seed=0)
    checks = _by_name(res)
    assert checks["real_line_density"].status == "fail"
    # the other densities were not perturbed and still pass
    assert checks["plane_density_complex"].status == "pass"


def test_power_plane_density_times_1_1(monkeypatch):
    """densities with the complex-Ginibre density multiplied by 1.1: the plane check FAILS."""
    _needs("complex_eigenvalue_density", "eigvals")
    orig = rmtedge.complex_eigenvalue_density
    monkeypatch.setattr(rmtedge, "complex_eigenvalue_density", lambda z, n, **kw: 1.1 * orig(z, n, **kw))
    res = run_experiment("densities", size="smoke", seed=0)
    checks = _by_name(res)
    assert checks["plane_density_complex"].status == "fail"
    assert checks["plane_density_real"].status == "fail"


def test_power_count_law_perturbed(monkeypatch):
    """p_{n,k} with 5% of the mass of the most likely k moved to its neighbour: chi-square FAILS."""
    _needs("real_count_distribution", "count_real_eigenvalues")
    orig = rmtedge.real_count_distribution

    def perturbed(n):
        p = np.array(orig(n), dtype=float)
        k = int(np.argmax(p))
        p[k] -= 0.05
        p[k + 2 if k + 2 <= n else k - 2] += 0.05
        return p

    monkeypatch.setattr(rmtedge, "real_count_distribution", perturbed)
    res = run_experiment("densities", size="smoke", seed=0)
    assert _by_name(res)["real_count_law_n7"].status == "fail"


# -- the whole quick suite ---------------------------------------------------------------------------
@pytest.mark.slow
def test_quick_suite_passes(tmp_path):
    """`rmtedge validate --quick` with the default seed: every check passes (alpha = 1e-3 each)."""
    code = main(["validate", "--quick", "--out", str(tmp_path), "--no-progress"])
    data = json.loads((tmp_path / "results.json").read_text())
    failed = [(e["name"], c["name"], c["p_value"]) for e in data["experiments"] for c in e["checks"] if c["status"] == "fail"]
    assert code == 0, failed
    assert data["summary"]["failed"] == 0


@pytest.mark.slow
def test_jobs_do_not_change_the_numbers(tmp_path):
    """--jobs 2 (experiments on two processes) gives the same statistics as a serial run."""
    _needs("spectral_radius_law", "spectral_radius", "real_eigenvalue_density")
    serial = run_suite(["figure_3", "densities"], size="smoke", seed=0, show_progress=False)
    pooled = run_suite(["figure_3", "densities"], size="smoke", seed=0, jobs=2, show_progress=False)
    a = [(c.name, c.value, c.p_value) for c in serial.checks]
    assert a == [(c.name, c.value, c.p_value) for c in pooled.checks]


@pytest.mark.slow
@pytest.mark.dask
def test_scheduler_gives_the_same_report(tmp_path):
    """--scheduler ADDR (a local Dask cluster) reproduces the serial statistics bit for bit."""
    _needs("spectral_radius_law", "spectral_radius")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = run_suite(["figure_3"], size="smoke", seed=0, scheduler=cluster.scheduler_address, show_progress=False)
    serial = run_suite(["figure_3"], size="smoke", seed=0, show_progress=False)
    a = [(c.name, c.value, c.p_value) for c in serial.checks]
    assert a and a == [(c.name, c.value, c.p_value) for c in remote.checks]
