"""The validation suite: its contract, its report, the power of its checks and the family-wise rate.

* Contract: every registered experiment is an ``Experiment`` made by the ``experiment`` decorator,
  with a unique stream id and the three sizes, imports rmtedge directly (no availability
  fallbacks), and the shared module imports no leaf experiment.
* The smoke size of the WHOLE suite runs once (module fixture) and writes the documented report;
  results.json records, for every counted check, its power (>= 0.5) against a named alternative,
  its per-check level and its Holm-adjusted p-value, and the family-wise false-alarm rate.
* Planted defects: a radius law stretched by 3%, a density multiplied by 1.1, a count law with
  mass moved: the corresponding checks must FAIL (seed 0, fixed streams), which the stated power
  promises.
"""

from __future__ import annotations

import ast
import importlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rmtedge.validation import _common
from rmtedge.validation._common import (
    FAMILY_ALPHA,
    MIN_POWER,
    Check,
    Experiment,
    Power,
    apply_family,
)
from rmtedge.validation._report import SCHEMA, write_report
from rmtedge.validation._suite import EXPERIMENTS, run_experiment, run_suite

import rmtedge
from rmtedge._core.blas import BLAS_ENV_VARS, pin_blas_threads
from rmtedge._core.jsonio import to_jsonable
from rmtedge.cli import main

REPO = Path(__file__).resolve().parents[1]

CHECK_KEYS = {"name", "description", "theory", "monte_carlo", "uncertainty", "statistic", "value", "p_value",
              "kind", "counted", "alternative", "power", "power_method", "alpha", "p_holm", "seed", "spawn_key", "status",
              "note", "status_reason"}
EXPERIMENT_KEYS = {"name", "title", "size", "seed", "status", "elapsed_s", "error", "traceback", "figures", "notes",
                   "tables", "numbers", "checks"}


def _by_name(result) -> dict[str, Check]:
    return {c.name: c for c in result.checks}


# -- the contract ------------------------------------------------------------------------------
def test_every_registered_experiment_follows_the_contract():
    """Each registered module defines ``run`` with the decorator, a unique stream id, all sizes,
    a ``__main__`` entry, and no availability fallbacks (``require``, ``getattr(rmtedge, ...)``)."""
    ids = set()
    for e in EXPERIMENTS:
        path = REPO / "validation" / f"{e.name}.py"
        assert path.exists(), e.name
        module = importlib.import_module(e.module)
        run = module.run
        assert isinstance(run, Experiment) and run.name == e.name, e.name
        assert set(run.sizes) >= {"smoke", "quick", "full"}
        assert run.stream_id not in ids, f"stream id {run.stream_id} used twice"
        ids.add(run.stream_id)
        src = path.read_text()
        assert "raise SystemExit(run.main())" in src, e.name
        for banned in ("require(", "getattr(rmtedge", "have(", "NotAvailable", "hasattr(rmtedge"):
            assert banned not in src, f"{e.name} uses {banned}"


def test_common_imports_no_leaf_experiment():
    """validation/_common.py and _report.py are lower layers: they import no experiment module."""
    leaves = {e.name for e in EXPERIMENTS}
    for name in ("_common.py", "_report.py"):
        tree = ast.parse((REPO / "validation" / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[-1] not in leaves, (name, node.module)
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[-1] not in leaves for a in node.names), name


def test_experiment_file_runs_as_script():
    """`python validation/figure_3.py --help` works (the contract's command line)."""
    proc = subprocess.run([sys.executable, str(REPO / "validation" / "figure_3.py"), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "--full" in proc.stdout


# -- statistics helpers: size and power -------------------------------------------------------
def _normal_alt(shift: float, name: str = "shift"):
    from scipy import stats

    class Shifted:
        def ppf(self, q):
            return stats.norm.ppf(q) + shift

        def cdf(self, x):
            return stats.norm.cdf(np.asarray(x) - shift)

    return _common.law_alternative(name, Shifted())


def test_ks_check_power_matches_its_verdicts():
    """KS with 400 samples: the true law passes, a 0.3-sd shift fails; the stated power against
    that shift at alpha = 1e-3 is high (it is the probability of such a failure)."""
    from scipy import stats

    x = np.random.default_rng(1).standard_normal(400)
    c = _common.ks_check("a", "", x, stats.norm.cdf, alternative=_normal_alt(0.3))
    assert c.p_value > 0.01 and c.power_model.at(1e-3) > 0.8
    bad = _common.ks_check("b", "", x + 0.3, stats.norm.cdf, alternative=_normal_alt(0.3))
    assert bad.p_value < 1e-3


def test_ks_power_unharmed_by_a_deep_lower_tail_nan():
    """A null law that returns NaN deep in its lower tail (as the exact real radius law does where
    its cdf is below 1e-12, with a warning) gives the same power as the law itself: the leading
    NaN of the tabulated null is taken as 0. Before, each simulated sample that reached there
    gave a NaN p-value, counted as an acceptance (the figures_1_2 real radius check stated power
    0.93 where it is 1.00)."""
    import warnings

    from scipy import stats

    def nan_tail(t):
        t = np.asarray(t, dtype=np.float64)
        if np.any(t < -3.0):
            warnings.warn("log cdf is in the deep lower tail (test)", RuntimeWarning, stacklevel=2)
        return np.where(t < -3.0, np.nan, stats.norm.cdf(t))

    x = np.random.default_rng(1).standard_normal(400)
    alt = _normal_alt(0.25)
    clean = _common.ks_check("a", "", x, stats.norm.cdf, alternative=alt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the tabulation does not warn either
        tail = _common.ks_check("a", "", x, nan_tail, alternative=alt)
    assert tail.value == clean.value
    assert tail.power_model.at(1e-3) == pytest.approx(clean.power_model.at(1e-3), abs=0.01)
    # a NaN that is not a leading run is a defect and stays visible
    table = np.array([0.0, np.nan, 0.5, 1.0])
    assert np.isnan(_common._zero_leading_nan(table)[1])
    np.testing.assert_array_equal(_common._zero_leading_nan(np.array([np.nan, np.nan, 0.3])), [0, 0, 0.3])


def test_ks_tolerance_is_conservative():
    """With a documented tolerance the p-value is P(D_m >= D - tol): a small systematic error passes."""
    from scipy import stats

    x = np.random.default_rng(2).standard_normal(400)
    shifted = lambda t: stats.norm.cdf(t - 0.4)  # noqa: E731 - sup-distance 0.159
    assert _common.ks_check("a", "", x, shifted, alternative=_normal_alt(1.0)).p_value < 1e-3
    assert _common.ks_check("a", "", x, shifted, tolerance=0.16, alternative=_normal_alt(1.0)).p_value > 0.5


def test_binomial_power_is_exact():
    """Exact binomial power equals the direct sum over the rejection region."""
    from scipy import stats

    c = _common.binomial_check("a", "", 50, 1000, 0.05, alternative=("p = 0.08", 0.08))
    alpha = 1e-3
    ks = np.arange(1001)
    rej = [k for k in ks if stats.binomtest(int(k), 1000, 0.05).pvalue < alpha]
    assert c.power_model.at(alpha) == pytest.approx(stats.binom.pmf(rej, 1000, 0.08).sum(), rel=1e-9)
    assert c.p_value == pytest.approx(stats.binomtest(50, 1000, 0.05).pvalue, rel=1e-9)


def test_chi2_and_hotelling_power_by_simulation():
    """The noncentral approximations of the chi-square and Hotelling powers agree with a direct
    simulation of the same statistic under the alternative (within 0.05)."""
    rng = np.random.default_rng(3)
    p0 = np.array([0.2, 0.3, 0.5])
    p1 = np.array([0.24, 0.3, 0.46])
    alpha = 1e-2
    sims = [_common.chi2_counts_check("c", "", rng.multinomial(1000, p1), p0, alternative=("p1", p1)) for _ in range(300)]
    rate = np.mean([c.p_value < alpha for c in sims])
    assert abs(rate - sims[0].power_model.at(alpha)) < 0.06
    mu = np.array([2.0, 3.0, 1.0])
    sims = [_common.count_in_bins_check("h", "", rng.poisson(1.05 * mu, size=(800, 3)), mu, alternative=("x1.05", 1.05 * mu))
            for _ in range(200)]
    rate = np.mean([c.p_value < alpha for c in sims])
    assert abs(rate - np.mean([c.power_model.at(alpha) for c in sims])) < 0.08


def test_apply_family_holm_and_demotion():
    """Holm at the family-wise rate; a check without power at the Bonferroni level is demoted."""
    def z(name, p, shift):
        return Check(name, "", p_value=p, power_model=Power("alt", "normal", "normal", {"shift": shift}),
                     alternative="alt")

    checks = [z("a", 1e-4, 10.0), z("b", 0.004, 10.0), z("c", 0.5, 10.0), z("weak", 0.9, 0.5)]
    fam = apply_family(checks, family_alpha=0.01)
    by = {c.name: c for c in checks}
    assert fam["counted_checks"] == 3 and fam["demoted_for_low_power"] == ["weak"]
    assert by["weak"].status == "shown" and not by["weak"].counted
    assert by["a"].p_holm == pytest.approx(3e-4) and by["a"].status == "fail"
    assert by["b"].p_holm == pytest.approx(0.008) and by["b"].status == "fail"
    assert by["c"].status == "pass" and all(c.alpha == pytest.approx(0.01 / 3) for c in checks)


def test_blas_pin_and_json_sanitizer():
    """The shared helpers: a scoped BLAS pin restores the environment; one JSON sanitizer."""
    before = {v: os.environ.get(v) for v in BLAS_ENV_VARS}
    with pin_blas_threads() as pin:
        assert pin.threads == 1 and all(os.environ[v] == "1" for v in BLAS_ENV_VARS)
    assert {v: os.environ.get(v) for v in BLAS_ENV_VARS} == before
    with pytest.raises(ValueError, match="threads"):
        pin_blas_threads(0)
    out = to_jsonable({"a": np.int64(2), "b": (np.float64(np.inf), math.nan), 3: np.array([True])})
    assert out == {"a": 2, "b": ["inf", None], "3": [True]}
    json.dumps(out, allow_nan=False)


# -- the whole suite at smoke size ---------------------------------------------------------------
@pytest.fixture(scope="module")
def smoke_suite(tmp_path_factory):
    out = tmp_path_factory.mktemp("smoke")
    suite = run_suite(size="smoke", seed=0, out_dir=None, show_progress=False)  # no figures: faster
    paths = write_report(suite, out, command="rmtedge validate --smoke")
    return suite, paths, out


def test_smoke_suite_runs_every_experiment_and_passes(smoke_suite):
    """Every registered experiment runs at smoke size without error, and the correct theory passes."""
    suite, _, _ = smoke_suite
    assert [e.name for e in suite.experiments] == [e.name for e in EXPERIMENTS]
    assert all(e.error is None for e in suite.experiments), [(e.name, e.error, e.traceback) for e in suite.experiments]
    assert suite.passed, [(c.name, c.p_value, c.p_holm) for c in suite.checks if c.status == "fail"]


def test_results_json_records_power_and_alpha(smoke_suite):
    """results.json: the family-wise rate, and for every counted check its alternative, power >= 0.5,
    per-check level FAMILY_ALPHA/m and Holm p-value; demonstrations are marked and not counted."""
    _, paths, _ = smoke_suite
    data = json.loads(paths["json"].read_text())
    assert data["schema"] == SCHEMA
    fam = data["family"]
    assert fam["family_wise_alpha"] == FAMILY_ALPHA and fam["min_power"] == MIN_POWER
    counted = [c for e in data["experiments"] for c in e["checks"] if c["counted"]]
    assert len(counted) == fam["counted_checks"] == data["summary"]["checks"] > 10
    assert fam["per_check_alpha_bonferroni"] == pytest.approx(FAMILY_ALPHA / len(counted))
    demoted = {c["name"] for e in data["experiments"] for c in e["checks"] if c["kind"] == "check" and not c["counted"]}
    assert set(fam["demoted_for_low_power"]) == demoted
    for e in data["experiments"]:
        assert set(e) == EXPERIMENT_KEYS
        for c in e["checks"]:
            assert set(c) == CHECK_KEYS
            if c["counted"]:
                assert c["status"] in ("pass", "fail")
                assert c["alternative"] and c["power_method"] and c["power"] >= MIN_POWER, c
                assert c["alpha"] == pytest.approx(fam["per_check_alpha_bonferroni"]) and c["p_holm"] is not None
            else:
                assert c["status"] == "shown" and (c["kind"] == "demonstration" or c["status_reason"])


def test_report_md_is_for_people(smoke_suite):
    """report.md: the family-wise rate stated, no raw JSON, no numpy reprs, no doubled words."""
    _, paths, _ = smoke_suite
    md = paths["markdown"].read_text()
    assert "# rmtedge validation report" in md and "family-wise false-alarm rate of 0.01" in md
    assert "```" not in md and "np.int64" not in md and "np.float64" not in md and '{"' not in md
    low = md.lower()
    for word in ("glorot", "law", "the", "real", "complex"):
        assert f"{word} {word} " not in low, word
    assert paths["html"].read_text().startswith("<!DOCTYPE html>")


def test_reproducible_with_seed(smoke_suite):
    """The same seed gives bit-identical statistics; another seed gives other ones."""
    suite, _, _ = smoke_suite
    first = next(e for e in suite.experiments if e.name == "figure_3")
    again = run_experiment("figure_3", size="smoke", seed=0)
    other = run_experiment("figure_3", size="smoke", seed=1)
    a = [(c.name, c.value, c.p_value) for c in first.checks]
    assert a == [(c.name, c.value, c.p_value) for c in again.checks]
    assert a != [(c.name, c.value, c.p_value) for c in other.checks]


def test_cli_validate_smoke(tmp_path, capsys):
    """rmtedge validate --smoke --only ...: exit 0, summary with the family-wise rate, files on disk."""
    code = main(["validate", "--smoke", "--only", "figure_4", "--out", str(tmp_path), "--seed", "0"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "PASS" in out and "family-wise false-alarm rate 0.01" in out and "report:" in out
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["size"] == "smoke" and [e["name"] for e in data["experiments"]] == ["figure_4"]
    pytest.importorskip("matplotlib")
    assert data["experiments"][0]["figures"] == ["figure_4.png"]
    assert (tmp_path / "figure_4.png").stat().st_size > 1000
    assert "](figure_4.png)" in (tmp_path / "report.md").read_text()


def test_without_matplotlib(tmp_path, monkeypatch, capsys):
    """No matplotlib: one line naming rmtedge[plot], report still written, no figures."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    code = main(["validate", "--smoke", "--only", "figure_4", "--out", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 0
    hint = [line for line in err.splitlines() if "pip install" in line]
    assert len(hint) == 1 and 'pip install "rmtedge[plot]"' in hint[0]
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["experiments"][0]["figures"] == []


def test_experiment_error_is_reported_not_raised(monkeypatch):
    """An exception inside an experiment becomes status 'error' (and a failing suite)."""

    def boom(*a, **k):
        raise RuntimeError("deliberate")

    monkeypatch.setattr(rmtedge, "spectral_radius_law", boom)
    res = run_experiment("figure_3", size="smoke", seed=0)
    assert res.status == "error" and "deliberate" in res.error and "Traceback" in res.traceback


# -- planted defects: a perturbed theory must fail -----------------------------------------------
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


def test_planted_defect_radius_law_stretched(monkeypatch):
    """figure_3 with every radius law stretched by 3%: the complex KS check (exact law) FAILS."""
    orig = rmtedge.spectral_radius_law
    monkeypatch.setattr(rmtedge, "spectral_radius_law", lambda n, **kw: _Stretched(orig(n, **kw), 1.03))
    res = run_experiment("figure_3", size="smoke", seed=0)
    assert res.error is None, res.traceback
    assert _by_name(res)["radius_law_complex"].status == "fail"
    assert res.status == "fail"


def test_planted_defects_in_densities(monkeypatch):
    """densities with the complex density x 1.1 and p_(n,k) with 5% mass moved: those checks FAIL,
    the unperturbed real-line check still passes."""
    dens = rmtedge.complex_eigenvalue_density
    counts = rmtedge.real_count_distribution
    monkeypatch.setattr(rmtedge, "complex_eigenvalue_density", lambda z, n, **kw: 1.1 * dens(z, n, **kw))

    def perturbed(n):
        p = np.array(counts(n), dtype=float)
        k = int(np.argmax(p))
        p[k] -= 0.05
        p[k + 2 if k + 2 <= n else k - 2] += 0.05
        return p

    monkeypatch.setattr(rmtedge, "real_count_distribution", perturbed)
    res = run_experiment("densities", size="smoke", seed=0)
    checks = _by_name(res)
    assert checks["plane_density_complex"].status == "fail"
    assert checks["plane_density_real"].status == "fail"
    assert checks["real_count_law_n7"].status == "fail"
    assert checks["expected_real_n7"].status == "pass"


# -- the whole quick suite ---------------------------------------------------------------------------
@pytest.mark.slow
def test_quick_suite_passes_with_power(tmp_path):
    """`rmtedge validate --quick` with the default seed: every counted check passes and has power
    >= 0.5, and no check of the quick design is demoted for low power except those listed."""
    code = main(["validate", "--quick", "--out", str(tmp_path), "--no-progress"])
    data = json.loads((tmp_path / "results.json").read_text())
    failed = [(e["name"], c["name"], c["p_value"]) for e in data["experiments"] for c in e["checks"] if c["status"] == "fail"]
    assert code == 0, failed
    assert all(c["power"] >= MIN_POWER for e in data["experiments"] for c in e["checks"] if c["counted"])


@pytest.mark.slow
def test_jobs_do_not_change_the_numbers(tmp_path):
    """--jobs 2 (experiments on two processes) gives the same statistics as a serial run."""
    serial = run_suite(["figure_3", "densities"], size="smoke", seed=0, show_progress=False)
    pooled = run_suite(["figure_3", "densities"], size="smoke", seed=0, jobs=2, show_progress=False)
    a = [(c.name, c.value, c.p_value, c.status) for c in serial.checks]
    assert a == [(c.name, c.value, c.p_value, c.status) for c in pooled.checks]


@pytest.mark.slow
@pytest.mark.dask
def test_scheduler_gives_the_same_report(tmp_path):
    """--scheduler ADDR (a local Dask cluster) reproduces the serial statistics bit for bit."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = run_suite(["figure_3"], size="smoke", seed=0, scheduler=cluster.scheduler_address, show_progress=False)
    serial = run_suite(["figure_3"], size="smoke", seed=0, show_progress=False)
    a = [(c.name, c.value, c.p_value) for c in serial.checks]
    assert a and a == [(c.name, c.value, c.p_value) for c in remote.checks]
