"""The documentation builds offline with warnings as errors, and the tutorial's code runs.

Skipped when Sphinx, numpydoc or myst-parser are missing (they are in the ``test`` extra).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_sphinx_build_without_warnings(tmp_path):
    """`sphinx-build -W` (warnings are errors) of docs/ into a temporary directory succeeds."""
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    pytest.importorskip("myst_parser")
    out = tmp_path / "html"
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-d", str(tmp_path / "doctrees"),
         str(DOCS), str(out)],
        capture_output=True, text=True, timeout=600, env=env,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    for page in ("index", "theory", "tutorial", "validation", "cli", "api"):
        assert (out / f"{page}.html").exists(), page
    api = _text(out / "api.html")
    assert "spectral_radius" in api and "gumbel_edge_law" in api
    cli = _text(out / "cli.html")
    assert "usage: rmtedge validate" in cli and "--scheduler" in cli


def _text(page: Path) -> str:
    """Visible text of an HTML page (tags removed, entities decoded)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def test_tutorial_code_runs(tmp_path, monkeypatch):
    """Every python block of docs/tutorial.md runs, in order, in one namespace."""
    pytest.importorskip("matplotlib")
    blocks = _python_blocks(DOCS / "tutorial.md")
    assert len(blocks) >= 3
    from threadpoolctl import threadpool_limits

    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    with threadpool_limits(1):  # as the tutorial recommends on a shared machine
        for code in blocks:
            exec(compile(code, "tutorial.md", "exec"), namespace)
    assert (tmp_path / "figure_2_left.png").exists()
    assert 0.0 <= namespace["p_rescaled"] < namespace["p_glorot"] <= 1.0
