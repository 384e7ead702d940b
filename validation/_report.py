"""Private: the writer of the validation report (report.md, report.html, results.json).

The report is built once as a list of blocks (heading, paragraph, table, image, code) and rendered
twice, to Markdown and to a self-contained HTML page, so the two never disagree. report.md is for
people: formatted numbers and tables, no raw data; ``results.json`` carries every number in
machine-readable form. Its layout (schema ``rmtedge.validation/2``, documented in
``docs/validation.md``):

    {
      "schema": "rmtedge.validation/2",
      "rmtedge_version": str, "created": ISO-8601 str, "command": str,
      "size": "smoke" | "quick" | "full", "seed": int, "jobs": int, "scheduler": str | null,
      "environment": {"python": str, "platform": str, "numpy": str, ...},
      "family": {"family_wise_alpha": 0.01, "procedure": str, "counted_checks": int,
                 "per_check_alpha_bonferroni": float, "min_power": 0.5, "demonstrations": int,
                 "demoted_for_low_power": [str], "failed": int},
      "summary": {"status": "pass" | "fail", "experiments": int, "checks": int, "passed": int,
                  "failed": int, "demonstrations": int, "errors": int, "elapsed_s": float},
      "experiments": [
        {"name", "title", "size", "seed", "status", "elapsed_s", "error", "traceback",
         "figures": [str], "notes": [str], "tables": [{"title", "header", "rows", "note"}],
         "numbers": {...},
         "checks": [{"name", "description", "theory", "monte_carlo", "uncertainty", "statistic",
                     "value", "p_value", "kind", "counted", "alternative", "power", "power_method",
                     "alpha", "p_holm", "seed", "spawn_key", "status", "note", "status_reason"}]}
      ]
    }

Figures are PNG files beside the report; their paths in ``figures`` are relative to the report.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import platform
import re
import sys
from pathlib import Path
from typing import Any

from rmtedge.validation._common import fmt

from rmtedge._core.jsonio import to_jsonable

SCHEMA = "rmtedge.validation/2"

__all__ = ["SCHEMA", "format_summary", "results_dict", "write_report"]


def _environment() -> dict[str, str]:
    env = {"python": sys.version.split()[0], "platform": platform.platform()}
    for mod in ("numpy", "scipy", "numba", "mpmath", "matplotlib"):
        try:
            env[mod] = __import__(mod).__version__
        except ImportError:
            env[mod] = "not installed"
    return env


def _summary(suite: Any) -> dict[str, Any]:
    checks = suite.checks
    counted = [c for c in checks if c.counted]
    return {
        "status": "pass" if suite.passed else "fail",
        "experiments": len(suite.experiments),
        "checks": len(counted),
        "passed": sum(c.status == "pass" for c in counted),
        "failed": sum(c.status == "fail" for c in counted),
        "demonstrations": len(checks) - len(counted),
        "errors": sum(e.status == "error" for e in suite.experiments),
        "elapsed_s": round(suite.elapsed, 2),
    }


def results_dict(suite: Any, *, command: str = "") -> dict[str, Any]:
    """The content of results.json (see the module docstring for the schema)."""
    from rmtedge import __version__

    return to_jsonable({
        "schema": SCHEMA,
        "rmtedge_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "size": suite.size,
        "seed": suite.seed,
        "jobs": suite.jobs,
        "scheduler": suite.scheduler,
        "environment": _environment(),
        "family": suite.family,
        "summary": _summary(suite),
        "experiments": [e.to_dict() for e in suite.experiments],
    })


# ---------------------------------------------------------------------------------------------
# blocks
# ---------------------------------------------------------------------------------------------
_CHECK_HEAD = ["check", "verdict", "theory", "Monte Carlo", "std. error", "statistic", "value", "p", "Holm p",
               "power", "against (named alternative)"]


def _check_row(c: dict[str, Any]) -> list[str]:
    return [c["name"], c["status"].upper(), fmt(c["theory"]), fmt(c["monte_carlo"]), fmt(c["uncertainty"], 2),
            c["statistic"], fmt(c["value"]), fmt(c["p_value"], 3), fmt(c["p_holm"], 3), fmt(c["power"], 2),
            c["alternative"]]


_DEMO_HEAD = ["demonstration", "what is shown", "statistic", "value", "p", "power", "why not counted / note"]


def _demo_row(c: dict[str, Any]) -> list[str]:
    return [c["name"], c["description"], c["statistic"], fmt(c["value"]), fmt(c["p_value"], 3),
            "" if c["power"] is None else f"{fmt(c['power'], 2)} vs {c['alternative']}",
            "; ".join(x for x in (c["status_reason"], c["note"]) if x)]


def _blocks(data: dict[str, Any]) -> list[tuple[str, Any]]:
    s, fam = data["summary"], data["family"]
    verdict = (f"**Result: {s['status'].upper()}** - {s['passed']} of {s['checks']} counted checks passed, "
               f"{s['failed']} failed; {s['demonstrations']} demonstrations shown (not counted); "
               f"{s['errors']} experiment errors; wall time {s['elapsed_s']:.0f} s.")
    blocks: list[tuple[str, Any]] = [
        ("h1", "rmtedge validation report"),
        ("p", verdict),
        ("p", f"rmtedge {data['rmtedge_version']}; size `{data['size']}`; seed {data['seed']}; "
              f"jobs {data['jobs']}" + (f"; scheduler {data['scheduler']}" if data["scheduler"] else "") +
              f"; created {data['created']}. Command: `" + (data["command"] or "rmtedge validate") + "`"),
        ("h2", "How to read this report"),
        ("p", "Each counted check tests one of rmtedge's formulas against Monte Carlo samples. Its p-value is "
              "computed under the theory; the verdicts of the run are decided together with Holm's step-down "
              f"procedure at a family-wise false-alarm rate of {fmt(fam['family_wise_alpha'])}: a correct "
              f"implementation fails at least one of the {fam['counted_checks']} counted checks with probability "
              f"at most {fmt(fam['family_wise_alpha'])}. A check FAILS when its Holm-adjusted p-value is below "
              f"{fmt(fam['family_wise_alpha'])}."),
        ("p", "A check that cannot fail proves nothing, so every check states its power: the probability that "
              "it fails when the named wrong alternative is true (for example the Gumbel limit in place of the "
              "finite-n law, a 5% error in a density, a field mix-up), computed with the check's own statistic "
              "at the Bonferroni level "
              f"{fmt(fam['family_wise_alpha'])}/{fam['counted_checks']} = {fmt(fam['per_check_alpha_bonferroni'], 3)} "
              f"(a lower bound on its power under Holm). A comparison whose power is below {fmt(fam['min_power'])} "
              "at the chosen sample size, a claim of the paper about simulations, or a deterministic property is "
              "shown as a demonstration and not counted."),
        ("p", "Every sample comes from `numpy.random.SeedSequence(seed, spawn_key=...)` with the spawn key "
              "recorded in results.json, so the report is reproducible from the command above. All raw numbers "
              "are in results.json."),
        ("h2", "Summary"),
        ("table", (["experiment", "verdict", "checks passed", "demonstrations", "time (s)", "title"],
                   [[e["name"], e["status"].upper(),
                     f"{sum(c['status'] == 'pass' for c in e['checks'])} of {sum(c['counted'] for c in e['checks'])}",
                     str(sum(not c["counted"] for c in e["checks"])), f"{e['elapsed_s']:.1f}", e["title"]]
                    for e in data["experiments"]])),
        ("h2", "All counted checks"),
        ("table", (["experiment", *_CHECK_HEAD],
                   [[e["name"], *_check_row(c)] for e in data["experiments"] for c in e["checks"] if c["counted"]])),
    ]
    for e in data["experiments"]:
        blocks.append(("h2", f"{e['title']}: {e['status'].upper()}"))
        blocks.append(("p", f"Experiment `{e['name']}` ({e['elapsed_s']:.1f} s). Sizes: " + ", ".join(
            f"{k} = {_plain(v)}" for k, v in e["numbers"].get("config", {}).items()) + "."))
        if e["error"]:
            blocks.append(("p", f"**Error:** `{e['error']}`"))
            if e.get("traceback"):
                blocks.append(("code", e["traceback"]))
        counted = [c for c in e["checks"] if c["counted"]]
        demos = [c for c in e["checks"] if not c["counted"]]
        if counted:
            blocks.append(("table", ([*_CHECK_HEAD, "what is compared"],
                                     [[*_check_row(c), c["description"] + (f" ({c['note']})" if c["note"] else "")]
                                      for c in counted])))
        if demos:
            blocks.append(("p", "*Demonstrations (shown, not counted)*"))
            blocks.append(("table", (_DEMO_HEAD, [_demo_row(c) for c in demos])))
        for f in e["figures"]:
            blocks.append(("img", (f, f"{e['name']}: {Path(f).stem}")))
        for t in e.get("tables", []):
            blocks.append(("p", f"*{t['title']}*"))
            blocks.append(("table", (t["header"], t["rows"])))
            if t.get("note"):
                blocks.append(("p", t["note"]))
        for note in e["notes"]:
            blocks.append(("p", note))
    blocks += [
        ("h2", "Environment"),
        ("table", (["package", "version"], [[k, v] for k, v in data["environment"].items()])),
    ]
    return blocks


def _plain(v: Any) -> str:
    """A configuration value for people: lists without brackets, numbers formatted."""
    if isinstance(v, list):
        return "(" + ", ".join(_plain(x) for x in v) + ")"
    return fmt(v)


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
        ".SHOWN{color:#555}"
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
                    cls = f" class='{c}'" if c in ("PASS", "FAIL", "ERROR", "SHOWN") else ""
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
    paths["json"].write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    paths["markdown"].write_text(_render_md(blocks), encoding="utf-8")
    paths["html"].write_text(_render_html(blocks), encoding="utf-8")
    return paths


def format_summary(suite: Any, *, width: int = 100) -> str:
    """Plain-text summary for the terminal: one line per counted check and demonstration, then
    the verdict with the family-wise false-alarm rate."""
    head = f"{'experiment':18s} {'check':36s} {'verdict':7s} {'p':>9s} {'Holm p':>9s} {'power':>6s}"
    lines = [head, "-" * len(head)]
    for e in suite.experiments:
        if e.error:
            lines.append(f"{e.name:18s} {'(experiment)':36s} {'ERROR':7s} {e.error[: width - 64]}")
        for c in e.checks:
            lines.append(f"{e.name:18s} {c.name[:36]:36s} {c.status.upper():7s} {fmt(c.p_value, 3):>9s} "
                         f"{fmt(c.p_holm, 3):>9s} {fmt(c.power, 2):>6s}")
    s = _summary(suite)
    fam = suite.family
    lines.append("-" * len(head))
    lines.append(
        f"{s['status'].upper()}: {s['passed']} of {s['checks']} counted checks passed, {s['failed']} failed "
        f"(Holm, family-wise false-alarm rate {fmt(fam['family_wise_alpha'])}); {s['demonstrations']} "
        f"demonstrations (SHOWN, not counted); {s['errors']} errors in {s['elapsed_s']:.1f} s"
    )
    return "\n".join(lines)
