"""The ``rmtedge`` command line: happy paths of every subcommand, JSON output, bad input.

Happy paths call ``rmtedge.cli.main(argv)`` in process (fast); a few bad-input cases run the real
command in a subprocess to check the exit code and that stderr is one line without a traceback.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

import rmtedge
from rmtedge.cli import build_parser, main

SUBCOMMANDS = ["validate", "edge", "init", "density", "threshold", "sweep", "warmup"]


def _run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _json(argv, capsys):
    code, out, err = _run([*argv, "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


def _needs(name):
    if not hasattr(rmtedge, name):
        pytest.skip(f"rmtedge.{name} is not available yet")


# -- help texts --------------------------------------------------------------------------------
@pytest.mark.parametrize("sub", [None, *SUBCOMMANDS])
def test_help_has_examples(sub, capsys):
    """Every --help exits 0 and shows an examples section a new user can copy."""
    argv = ([sub] if sub else []) + ["--help"]
    code, out, _ = _run(argv, capsys)
    assert code == 0
    assert "examples:" in out
    assert "usage: rmtedge" in out


def test_version(capsys):
    code, out, _ = _run(["--version"], capsys)
    assert code == 0 and rmtedge.__version__ in out


def test_no_command_prints_help_and_exits_2(capsys):
    code, out, _ = _run([], capsys)
    assert code == 2 and "validate" in out


def test_parser_lists_all_subcommands():
    text = build_parser().format_help()
    for sub in SUBCOMMANDS:
        assert sub in text


# -- edge ----------------------------------------------------------------------------------------
def test_edge_json_matches_library(capsys):
    """edge --json reports the law's mean, quantiles and P(rho > 1) as the library computes them."""
    _needs("spectral_radius_law")
    d = _json(["edge", "-n", "300", "--field", "complex", "--quantiles", "0.1", "0.9", "--at", "1.0"], capsys)
    law = rmtedge.spectral_radius_law(300, field="complex")
    assert d["n"] == 300 and d["field"] == "complex"
    assert d["mean"] == pytest.approx(law.mean(), rel=1e-12)
    assert d["quantiles"]["0.1"] == pytest.approx(law.ppf(0.1), rel=1e-12)
    assert d["prob_radius_exceeds_one"] == pytest.approx(rmtedge.prob_radius_exceeds_one(300, field="complex"), rel=1e-12)
    assert d["at"][0]["cdf"] + d["at"][0]["sf"] == pytest.approx(1.0, abs=1e-12)
    assert d["gumbel_limit"]["prob_radius_exceeds_one"] < d["prob_radius_exceeds_one"]


def test_edge_text_and_scale_factor(capsys):
    _needs("spectral_radius_law")
    code, out, _ = _run(["edge", "-n", "100", "--field", "complex", "--scale-factor", "1.1"], capsys)
    assert code == 0
    assert "P(rho(W/1.1) > 1)" in out
    assert "only for n >= 164" in out


def test_edge_gumbel_method(capsys):
    d = _json(["edge", "-n", "1000", "--method", "gumbel"], capsys)
    g = rmtedge.gumbel_edge_law(1000, field="real")
    assert d["mean"] == pytest.approx(g.mean(), rel=1e-12)


# -- init ----------------------------------------------------------------------------------------
def test_init_paper_json(capsys):
    """init reproduces rescale_factor and the entry variance 1/(n s^2)."""
    _needs("rescale_factor")
    d = _json(["init", "-n", "500"], capsys)
    s = rmtedge.rescale_factor(500, field="real", method="paper")
    assert d["rescale_factor"] == pytest.approx(s, rel=1e-15)
    assert d["entry_variance"] == pytest.approx(1.0 / (500 * s * s), rel=1e-14)


def test_init_exact_hits_the_risk(capsys):
    """method exact: P(rho(W/s) > 1) equals the requested risk under the finite-n law."""
    _needs("rescale_factor")
    d = _json(["init", "-n", "100", "--field", "complex", "--risk", "0.05", "--method", "exact"], capsys)
    assert d["prob_radius_exceeds_one"] == pytest.approx(0.05, rel=1e-8)


def test_init_text(capsys):
    _needs("rescale_factor")
    code, out, _ = _run(["init", "-n", "256", "--field", "complex"], capsys)
    assert code == 0 and "rescale factor s" in out


# -- density -------------------------------------------------------------------------------------
def test_density_real_line_json(capsys):
    _needs("real_eigenvalue_density")
    d = _json(["density", "-n", "10", "0", "0.5", "1.5"], capsys)
    x = np.array([0.0, 0.5, 1.5])
    want = rmtedge.real_eigenvalue_density(x, 10)
    got = np.array([p["density"] for p in d["points"]])
    np.testing.assert_allclose(got, want, rtol=1e-14)
    assert d["kind"] == "real_line"


def test_density_plane_json(capsys):
    _needs("complex_eigenvalue_density")
    d = _json(["density", "-n", "20", "--field", "complex", "0.3+0.4j", "2"], capsys)
    z = np.array([0.3 + 0.4j, 2.0])
    want = rmtedge.complex_eigenvalue_density(z, 20, field="complex")
    got = np.array([p["density"] for p in d["points"]])
    np.testing.assert_allclose(got, want, rtol=1e-14)
    code, out, err = _run(["density", "-n", "20", "--plane", "--json", "--", "-0.3+0.4j"], capsys)
    assert code == 0, err
    assert json.loads(out)["points"][0]["density"] > 0


def test_density_text(capsys):
    _needs("real_eigenvalue_density")
    code, out, _ = _run(["density", "-n", "5", "0.25"], capsys)
    assert code == 0 and "x = 0.25" in out


# -- threshold -----------------------------------------------------------------------------------
def test_threshold_json(capsys):
    _needs("instability_threshold")
    d = _json(["threshold", "-n", "100", "400", "1600", "--fit"], capsys)
    rows = d["rows"]
    assert [r["n"] for r in rows] == [100, 400, 1600]
    assert rows[1]["threshold"] > rows[0]["threshold"] > 0
    assert rows[0]["threshold"] == rmtedge.instability_threshold(100, field="real")
    assert rows[0]["ratio"] == pytest.approx(rows[0]["threshold"] / 10.0)
    lo, hi = d["fit"]["interval"]
    assert lo <= d["fit"]["alpha"] <= hi


def test_threshold_fit_needs_three_n(capsys):
    _needs("threshold_exponent")
    code, _, err = _run(["threshold", "-n", "100", "400", "--fit"], capsys)
    assert code == 2 and "three" in err


# -- sweep ---------------------------------------------------------------------------------------
def test_sweep_text_and_json(capsys, tmp_path):
    """sweep runs the Monte Carlo engine; the same seed gives the same JSON numbers."""
    pytest.importorskip("rmtedge.montecarlo")
    argv = ["sweep", "real_count", "-n", "4", "--samples", "300", "--seed", "3"]
    code, out, _ = _run(argv, capsys)
    assert code == 0 and "real_count" in out
    d1 = _json(argv, capsys)
    d2 = _json([*argv, "-o", str(tmp_path / "s.json")], capsys)
    assert json.dumps(d1["points"] if "points" in d1 else d1, sort_keys=True) == json.dumps(
        d2["points"] if "points" in d2 else d2, sort_keys=True
    )
    assert (tmp_path / "s.json").exists()


# -- validate ------------------------------------------------------------------------------------
def test_validate_list(capsys):
    code, out, _ = _run(["validate", "--list"], capsys)
    assert code == 0
    for name in ("figures_1_2", "figure_3", "figure_4", "densities", "growth_bound", "initializer_risk"):
        assert name in out


# -- bad input -----------------------------------------------------------------------------------
BAD = [
    (["edge", "-n", "0"], "-n"),
    (["edge", "-n", "abc"], "-n"),
    (["edge", "-n", "100", "--field", "quaternion"], "--field"),
    (["edge", "-n", "10", "--method", "gumbel"], "164"),
    (["edge", "-n", "100", "--method", "nonsense"], "method"),
    (["init", "-n", "100"], "164"),  # the paper's factor needs gamma_n > 0
    (["init", "-n", "500", "--risk", "1.5"], "--risk"),
    (["density", "-n", "5", "0.5+0.5j"], "--plane"),
    (["density", "-n", "5", "x"], "POINT"),
    (["validate", "--only", "figure_99"], "--only"),
    (["validate", "--jobs", "0"], "--jobs"),
    (["frobnicate"], "invalid choice"),
]


@pytest.mark.parametrize(("argv", "word"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_exit_2_one_line(argv, word, capsys):
    """Bad input: exit code 2, exactly one line on stderr that names the problem, no traceback."""
    code, _, err = _run(argv, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert word in lines[0]


def test_unwritable_out_dir(tmp_path, capsys):
    """--out below a regular file cannot be created: one-line error, exit 2, nothing run."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    code, _, err = _run(["validate", "--only", "figure_3", "--out", str(blocker / "report")], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "--out" in err and "Traceback" not in err


def test_bad_input_subprocess():
    """The command run as a program (python -m rmtedge.cli) exits 2 with one stderr line."""
    argv = ["edge", "-n", "100", "--field", "quaternion"]
    proc = subprocess.run([sys.executable, "-m", "rmtedge.cli", *argv], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_json_is_strict(capsys):
    """--json output has no NaN/Infinity tokens (strict JSON for other languages)."""
    d = _json(["edge", "-n", "200", "--method", "gumbel", "--at", "0.0", "5.0"], capsys)
    for row in d["at"]:
        for v in row.values():
            assert isinstance(v, (int, float, str))
            if isinstance(v, float):
                assert math.isfinite(v)


# -- round two: errors, --version, points, warmup --------------------------------------------
def test_version_answers_without_building_the_parser(capsys, monkeypatch):
    """`rmtedge --version` prints the version and never builds the parser (no numpy import)."""

    def boom():  # pragma: no cover - must not be called
        raise AssertionError("build_parser called for --version")

    monkeypatch.setattr("rmtedge.cli.build_parser", boom)
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"rmtedge {rmtedge.__version__}"
    code = "import sys, rmtedge.cli as c; c.main(['--version']); assert 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True)


def test_density_accepts_inf_nan_and_i_notation(capsys):
    """`rmtedge density -n 10 inf` was refused ("jnf"); 0.3+0.4i is still a complex point."""
    code, out, err = _run(["density", "-n", "10", "--json", "--", "inf", "-inf", "nan", "0.5"], capsys)
    assert code == 0, err
    d = json.loads(out)
    dens = [p["density"] for p in d["points"]]
    assert dens[0] == 0.0 and dens[1] == 0.0 and dens[2] is None and dens[3] > 0, dens
    d = _json(["density", "-n", "10", "--plane", "0.3+0.4i"], capsys)
    assert d["points"][0]["z"] == [0.3, 0.4]


def test_argument_errors_exit_2_other_errors_keep_their_traceback(capsys, monkeypatch):
    """Only rmtedge's argument checks map to exit 2; an error from inside a computation is a
    bug and propagates with its traceback (and --debug shows the traceback of every error)."""
    code, _, err = _run(["edge", "-n", "10", "--field", "complex", "--method", "gumbel"], capsys)
    assert code == 2 and "needs n >= 164" in err and "Traceback" not in err

    def spectral_radius_law(n, **kw):  # a computation failing inside numpy (a bug, not bad input)
        return np.linalg.cholesky(-np.eye(2))

    monkeypatch.setattr(rmtedge, "spectral_radius_law", spectral_radius_law)
    with pytest.raises(np.linalg.LinAlgError):
        main(["edge", "-n", "10"])
    monkeypatch.undo()
    with pytest.raises(ValueError, match="needs n >= 164"):
        main(["--debug", "edge", "-n", "10", "--method", "gumbel"])


def test_threshold_default_field_is_real():
    """One default field across the CLI and the API (the threshold command used to say complex)."""
    args = build_parser().parse_args(["threshold", "-n", "100"])
    assert args.field == "real"


def test_warmup_compiles_and_reports(capsys):
    """`rmtedge warmup --json` calls every entry point once and reports the seconds of each."""
    from rmtedge._warmup import ENTRY_POINTS

    d = _json(["warmup"], capsys)
    assert set(d["seconds"]) == {label for label, _ in ENTRY_POINTS}
    assert d["total"] == pytest.approx(sum(d["seconds"].values()))
