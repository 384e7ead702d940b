"""Private: the writer of the validation report (report.md, report.html, results.json).

The report is built once as a list of blocks (heading, paragraph, table, image, code) and rendered
twice, to Markdown and to a self-contained HTML page, so the two never disagree. ``results.json``
carries the same numbers in machine-readable form; its layout (schema ``rmtedge.validation/1``) is
documented in ``docs/validation.md``:

    {
      "schema": "rmtedge.validation/1",
      "rmtedge_version": str, "created": ISO-8601 str, "command": str,
      "size": "smoke" | "quick" | "full", "seed": int, "jobs": int, "scheduler": str | null,
      "environment": {"python": str, "platform": str, "numpy": str, ...},
      "summary": {"status": "pass" | "fail", "experiments": int, "checks": int, "passed": int,
                  "failed": int, "skipped": int, "errors": int, "elapsed_s": float},
      "experiments": [
        {"name", "title", "size", "seed", "status", "elapsed_s", "error", "figures": [str],
         "notes": [str], "numbers": {...},
         "checks": [{"name", "description", "theory", "monte_carlo", "uncertainty", "statistic",
                     "value", "p_value", "alpha", "seed", "spawn_key", "status", "note"}]}
      ]
    }

Figures are PNG files beside the report; their paths in ``figures`` are relative to the report.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SCHEMA = "rmtedge.validation/1"

__all__ = ["SCHEMA", "format_summary", "results_dict", "write_report"]


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _fmt(x: Any, digits: int = 4) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if x == 0:
            return "0"
        if abs(x) >= 1e5 or abs(x) < 1e-3:
            return f"{x:.{digits - 1}e}"
        return f"{x:.{digits}g}"
    return str(x)


def _environment() -> dict[str, str]:
    env = {"python": sys.version.split()[0], "platform": platform.platform()}
    for mod in ("numpy", "scipy", "numba", "mpmath", "matplotlib"):
        try:
            env[mod] = __import__(mod).__version__
        except Exception:
            env[mod] = "not installed"
    return env


def _summary(suite: Any) -> dict[str, Any]:
    checks = suite.checks
    return {
        "status": "pass" if suite.passed else "fail",
        "experiments": len(suite.experiments),
        "checks": len(checks),
        "passed": sum(c.status == "pass" for c in checks),
        "failed": sum(c.status in ("fail", "error") for c in checks),
        "skipped": sum(c.status == "skipped" for c in checks),
        "errors": sum(e.status == "error" for e in suite.experiments),
        "elapsed_s": round(suite.elapsed, 2),
    }


def results_dict(suite: Any, *, command: str = "") -> dict[str, Any]:
    """The content of results.json (see the module docstring for the schema)."""
    from .. import __version__

    return {
        "schema": SCHEMA,
        "rmtedge_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "size": suite.size,
        "seed": suite.seed,
        "jobs": suite.jobs,
        "scheduler": suite.scheduler,
        "environment": _environment(),
        "summary": _summary(suite),
        "experiments": [e.to_dict() for e in suite.experiments],
    }


# ---------------------------------------------------------------------------------------------
# blocks
# ---------------------------------------------------------------------------------------------
def _check_row(c: dict[str, Any], experiment: str | None = None) -> list[str]:
    row = [experiment] if experiment is not None else []
    row += [
        c["name"],
        c["status"].upper(),
        _fmt(c["theory"]),
        _fmt(c["monte_carlo"]),
        _fmt(c["uncertainty"], 2),
        c["statistic"],
        _fmt(c["value"]),
        _fmt(c["p_value"], 3),
        _fmt(c["alpha"]),
    ]
    return row


_CHECK_HEAD = ["check", "status", "theory", "Monte Carlo", "std. error", "statistic", "value", "p", "alpha"]


def _table_from_records(records: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[str]]] | None:
    """A list of flat dicts with the same keys -> (header, rows); else None."""
    if not records or not all(isinstance(r, dict) for r in records):
        return None
    head = list(records[0].keys())
    if any(list(r.keys()) != head for r in records):
        head = sorted({k for r in records for k in r})
    if any(isinstance(r.get(k), (dict, list)) for r in records for k in head):
        return None
    return head, [[_fmt(r.get(k)) for k in head] for r in records]


def _blocks(data: dict[str, Any]) -> list[tuple[str, Any]]:
    s = data["summary"]
    blocks: list[tuple[str, Any]] = [
        ("h1", "rmtedge validation report"),
        ("p", f"**Result: {s['status'].upper()}** - {s['passed']} of {s['checks']} checks passed, "
              f"{s['failed']} failed, {s['skipped']} skipped (not available), {s['errors']} experiment errors; "
              f"wall time {s['elapsed_s']:.1f} s."),
        ("p", f"rmtedge {data['rmtedge_version']}; size `{data['size']}`; seed {data['seed']}; "
              f"jobs {data['jobs']}" + (f"; scheduler {data['scheduler']}" if data["scheduler"] else "") +
              f"; created {data['created']}."),
        ("p", "Command: `" + (data["command"] or "rmtedge validate") + "`"),
        ("p", "Each check compares a theoretical value or law (rmtedge's formulas) with Monte Carlo. "
              "A check PASSES when its p-value is at least its significance level alpha "
              "(claim checks, marked 'sign test (claim)', pass when the p-value is below alpha; "
              "checks of an approximate law state their tolerance in the notes). "
              "Every sample comes from `numpy.random.SeedSequence(seed, spawn_key=...)` with the "
              "spawn key listed in results.json, so the report is reproducible from the command above."),
        ("h2", "Summary"),
        ("table", (["experiment", "status", "checks passed", "time (s)", "title"],
                   [[e["name"], e["status"].upper(),
                     f"{sum(c['status'] == 'pass' for c in e['checks'])}/{len(e['checks'])}",
                     f"{e['elapsed_s']:.1f}", e["title"]] for e in data["experiments"]])),
        ("h2", "All checks"),
        ("table", (["experiment", *_CHECK_HEAD],
                   [_check_row(c, e["name"]) for e in data["experiments"] for c in e["checks"]])),
    ]
    for e in data["experiments"]:
        blocks.append(("h2", f"{e['title']} ({e['name']}): {e['status'].upper()}"))
        if e["error"]:
            blocks.append(("p", f"**Error:** `{e['error']}`"))
        if e["checks"]:
            blocks.append(("table", ([*_CHECK_HEAD, "description / note"],
                                     [[*_check_row(c), c["description"] + (f" ({c['note']})" if c["note"] else "")]
                                      for c in e["checks"]])))
        for f in e["figures"]:
            blocks.append(("img", (f, f"{e['name']}: {Path(f).stem}")))
        numbers = {k: v for k, v in e["numbers"].items() if k != "config"}
        raw = numbers.pop("markdown", None)
        tables = {k: _table_from_records(v) for k, v in numbers.items() if isinstance(v, list)}
        if isinstance(raw, str):
            # the experiment rendered its own tables (they repeat the row lists of its numbers)
            blocks.append(("raw", raw))
        else:
            for key, tab in tables.items():
                if tab is not None:
                    blocks.append(("p", f"*{key}*"))
                    blocks.append(("table", tab))
        rest = {k: v for k, v in numbers.items() if tables.get(k) is None}
        if "config" in e["numbers"]:
            blocks.append(("p", "Sizes: " + ", ".join(f"{k} = {v}" for k, v in e["numbers"]["config"].items())))
        if rest:
            blocks.append(("code", json.dumps(rest, indent=1, default=str)[:6000]))
        for note in e["notes"]:
            blocks.append(("code" if "\n" in note else "p", note))
    blocks += [
        ("h2", "Environment"),
        ("table", (["package", "version"], [[k, v] for k, v in data["environment"].items()])),
    ]
    return blocks


def _md_cell(x: str) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def _render_md(blocks: list[tuple[str, Any]]) -> str:
    out: list[str] = []
    for kind, content in blocks:
        if kind == "h1":
            out.append(f"# {content}\n")
        elif kind == "h2":
            out.append(f"## {content}\n")
        elif kind == "p":
            out.append(f"{content}\n")
        elif kind == "table":
            head, rows = content
            out.append("| " + " | ".join(_md_cell(h) for h in head) + " |")
            out.append("|" + "---|" * len(head))
            out.extend("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows)
            out.append("")
        elif kind == "img":
            path, alt = content
            out.append(f"![{alt}]({path})\n")
        elif kind == "code":
            out.append("```\n" + str(content) + "\n```\n")
        elif kind == "raw":
            out.append(str(content).rstrip() + "\n")
    return "\n".join(out)


def _inline_html(text: str) -> str:
    """Escape, then render **bold**, *italic* and `code` spans (the only inline marks used)."""
    import re

    t = html.escape(text)
    t = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", t)
    t = re.sub(r"`(.+?)`", r"<code>\1</code>", t)
    t = re.sub(r"(?<![\w*])\*(\S.*?)\*(?![\w*])", r"<i>\1</i>", t)
    return t


def _render_html(blocks: list[tuple[str, Any]]) -> str:
    css = (
        "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:0.5em 0 1.2em;font-size:0.85em}"
        "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
        "th{background:#f2f2f2}img{max-width:100%;border:1px solid #eee;margin:0.5em 0}"
        "pre{background:#f7f7f7;padding:0.6em;overflow-x:auto;font-size:0.8em}"
        ".PASS{color:#176b1a;font-weight:bold}.FAIL,.ERROR{color:#b00020;font-weight:bold}"
        ".SKIPPED{color:#8a6d00}"
    )
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'><title>rmtedge validation report</title>",
           f"<style>{css}</style></head><body>"]
    for kind, content in blocks:
        if kind == "h1":
            out.append(f"<h1>{html.escape(content)}</h1>")
        elif kind == "h2":
            out.append(f"<h2>{html.escape(content)}</h2>")
        elif kind == "p":
            out.append(f"<p>{_inline_html(content)}</p>")
        elif kind == "table":
            head, rows = content
            out.append("<table><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in head) + "</tr>")
            for r in rows:
                cells = []
                for c in r:
                    cls = f" class='{c}'" if c in ("PASS", "FAIL", "ERROR", "SKIPPED") else ""
                    cells.append(f"<td{cls}>{html.escape(str(c))}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
        elif kind == "img":
            path, alt = content
            out.append(f"<img src='{html.escape(path)}' alt='{html.escape(alt)}'>")
        elif kind in ("code", "raw"):
            out.append(f"<pre>{html.escape(str(content))}</pre>")
    out.append("</body></html>")
    return "\n".join(out)


def write_report(suite: Any, out_dir: Path, *, command: str = "") -> dict[str, Path]:
    """Write report.md, report.html and results.json into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = results_dict(suite, command=command)
    blocks = _blocks(data)
    paths = {"markdown": out_dir / "report.md", "html": out_dir / "report.html", "json": out_dir / "results.json"}
    paths["json"].write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    paths["markdown"].write_text(_render_md(blocks), encoding="utf-8")
    paths["html"].write_text(_render_html(blocks), encoding="utf-8")
    return paths


def format_summary(suite: Any, *, width: int = 100) -> str:
    """Plain-text summary table for the terminal: one line per check, then the verdict."""
    lines = []
    head = f"{'experiment':18s} {'check':40s} {'status':8s} {'theory':>11s} {'MC':>11s} {'p':>9s}"
    lines.append(head)
    lines.append("-" * len(head))
    for e in suite.experiments:
        if e.error:
            lines.append(f"{e.name:18s} {'(experiment)':40s} {'ERROR':8s} {e.error[: width - 70]}")
        for c in e.checks:
            lines.append(
                f"{e.name:18s} {c.name[:40]:40s} {c.status.upper():8s} {_fmt(c.theory):>11s} "
                f"{_fmt(c.monte_carlo):>11s} {_fmt(c.p_value, 3):>9s}"
            )
    s = _summary(suite)
    lines.append("-" * len(head))
    lines.append(
        f"{s['status'].upper()}: {s['passed']} passed, {s['failed']} failed, {s['skipped']} skipped, "
        f"{s['errors']} errors in {s['elapsed_s']:.1f} s"
    )
    return "\n".join(lines)
