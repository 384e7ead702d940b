"""Rescaled Glorot: the realised P(rho > 1) against the requested risk.

``rmtedge.rescale_factor(n, field=..., risk=..., method=...)`` returns s such that the rescaled
matrix W/s should have P(rho(W/s) > 1) = risk:

* ``method="exact"``: s is the finite-n law's upper quantile (exact Kostlan law for the complex
  field; Poisson approximation for the real field), so the realised risk should equal the request;
* ``method="paper"`` (the authors' r_n(c), c = euler_gamma + pi/sqrt(6)): a Gumbel-limit
  calibration whose nominal risk (14.4% for the complex limit) is far from the realised one at
  practical n. The checks compare the realised frequency with the finite-n law's prediction
  ``rmtedge.prob_radius_exceeds_one(n, scale_factor=s)``, with the nominal Gumbel risk recorded
  beside it, and a table lists the law's prediction for n from 500 to 10^5.

Since rho(W/s) > 1 exactly when rho(W) > s, one set of dense Glorot radius samples per field serves
all requested risks of the exact method (at a small n, where dense sampling is cheap; the exact
method is defined for every n). The paper's factor needs n >= 164 and gives a non-negligible risk
only for n of several hundred and more: it is checked with the O(n) Kostlan sampler at n = 4096
(complex field; the sampler and the law rest on the same theorem, so this checks the law's
numerics at large n rather than the theorem), and, in ``--full``, with dense samples at n = 500
for both fields. Checks are exact two-sided binomial tests.

Run alone: ``python validation/initializer_risk.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from rmtedge.validation._common import (
    COLORS,
    PLOT_HINT,
    ExperimentResult,
    binomial_check,
    experiment_main,
    guarded,
    load_pyplot,
    mc_samples,
    require,
    save_figure,
    start_experiment,
    stream,
)

NAME = "initializer_risk"
TITLE = "Rescaled Glorot initializer: realised vs requested P(rho > 1)"

SIZES: dict[str, dict[str, Any]] = {
    "smoke": {"n": 48, "samples": 400, "risks": (0.1,), "kostlan_n": 1000, "kostlan_samples": 2000,
              "paper_n": None, "paper_samples": 0},
    "quick": {"n": 64, "samples": 1000, "risks": (0.05, 0.2), "kostlan_n": 4096, "kostlan_samples": 5000,
              "paper_n": None, "paper_samples": 0},
    "full": {"n": 256, "samples": 2000, "risks": (0.01, 0.05, 0.2), "kostlan_n": 4096, "kostlan_samples": 50000,
             "paper_n": 500, "paper_samples": 300},
}
#: widths of the table of the paper factor's realised risk under the finite-n laws
RISK_TABLE_N = (500, 1000, 4096, 10**5)
FIELDS = ("real", "complex")


def _nominal_paper_risk(fld: str, c: float) -> float:
    """Risk the Gumbel limit assigns to r_n(c): 1 - exp(-e^{-c}) (complex) or 1 - exp(-e^{-c}/2) (real)."""
    e = math.exp(-c) * (0.5 if fld == "real" else 1.0)
    return -math.expm1(-e)


def run(
    *,
    quick: bool = True,
    seed: int = 0,
    out_dir: Path | None = None,
    jobs: int = 1,
    size: str | None = None,
    scheduler: str | None = None,
) -> ExperimentResult:
    """Run the experiment; see the module docstring."""
    result, cfg, t0 = start_experiment(NAME, TITLE, SIZES, quick=quick, size=size, seed=seed)
    n, m = cfg["n"], cfg["samples"]
    rows: list[dict[str, Any]] = []
    for i, fld in enumerate(FIELDS):
        seq = stream(seed, NAME, i)
        key = [int(k) for k in seq.spawn_key]
        rho = None
        for risk in cfg["risks"]:
            name = f"exact_{fld}_risk_{risk:g}"
            desc = f"{fld}, n = {n}: rescale_factor(method='exact', risk={risk:g}); realised P(rho > 1) vs {risk:g}"
            with guarded(result, name, desc):
                s = float(require("rescale_factor")(n, field=fld, risk=risk, method="exact"))
                if rho is None:
                    rho = mc_samples("spectral_radius", n, field=fld, samples=m, seq=seq, method="dense", jobs=jobs,
                                     scheduler=scheduler, chunk_size=100)
                k = int(np.sum(rho > s))
                result.add(binomial_check(name, desc, k, m, risk, spawn_key=key,
                                          note=f"s = {s:.6f}; " + ("exact law" if fld == "complex" else "Poisson approximation of the real law")))
                rows.append({"field": fld, "method": "exact", "n": n, "requested": risk, "law": risk, "realised": k / m, "s": s,
                             "samples": m})
        if cfg["paper_n"]:
            npap, mpap = cfg["paper_n"], cfg["paper_samples"]
            name = f"paper_{fld}_n{npap}"
            desc = f"{fld}, n = {npap}: paper's r_n(c); realised P(rho > 1) vs the finite-n law's prediction"
            with guarded(result, name, desc):
                s = float(require("rescale_factor")(npap, field=fld, method="paper"))
                p_law = float(require("prob_radius_exceeds_one")(npap, field=fld, scale_factor=s))
                seq_p = stream(seed, NAME, 3, i)
                rho_p = mc_samples("spectral_radius", npap, field=fld, samples=mpap, seq=seq_p, method="dense", jobs=jobs,
                                   scheduler=scheduler)
                k = int(np.sum(rho_p > s))
                nominal = _nominal_paper_risk(fld, float(require("PAPER_GUMBEL_C")))
                result.add(binomial_check(name, desc, k, mpap, p_law, spawn_key=list(seq_p.spawn_key),
                                          note=f"s = r_n(c) = {s:.6f}; nominal Gumbel risk {nominal:.4f}"))
                rows.append({"field": fld, "method": "paper", "n": npap, "requested": nominal, "law": p_law,
                             "realised": k / mpap, "s": s, "samples": mpap})

    # -- the paper factor's risk under the finite-n laws (theory only) ---------------------------
    with guarded(result, "paper_risk_table", "realised risk of the paper factor under the finite-n laws"):
        c = float(require("PAPER_GUMBEL_C"))
        table = []
        for nn in RISK_TABLE_N:
            row: dict[str, Any] = {"n": nn}
            for fld in FIELDS:
                s = float(require("rescale_factor")(nn, field=fld, method="paper"))
                row[f"{fld}_nominal"] = _nominal_paper_risk(fld, c)
                row[f"{fld}_finite_n"] = float(require("prob_radius_exceeds_one")(nn, field=fld, scale_factor=s))
            table.append(row)
        result.numbers["paper_factor_risk"] = table

    # -- large n, complex, Kostlan sampler -------------------------------------------------------
    nk, mk = cfg["kostlan_n"], cfg["kostlan_samples"]
    name = f"paper_complex_kostlan_n{nk}"
    desc = f"complex, n = {nk} (Kostlan sampler): paper's r_n(c); realised P(rho > 1) vs the exact law"
    with guarded(result, name, desc):
        s = float(require("rescale_factor")(nk, field="complex", method="paper"))
        p_law = float(require("prob_radius_exceeds_one")(nk, field="complex", scale_factor=s))
        seq = stream(seed, NAME, 9)
        rho = np.asarray(require("spectral_radius")(nk, field="complex", size=mk, method="kostlan", rng=np.random.default_rng(seq)))
        k = int(np.sum(rho > s))
        nominal = _nominal_paper_risk("complex", float(require("PAPER_GUMBEL_C")))
        result.add(binomial_check(name, desc, k, mk, p_law, spawn_key=list(seq.spawn_key),
                                  note=f"s = {s:.6f}; nominal Gumbel risk {nominal:.4f}; sampler and law share Kostlan's theorem"))
        rows.append({"field": "complex", "method": "paper", "n": nk, "requested": nominal, "law": p_law, "realised": k / mk,
                     "s": s, "samples": mk})
    result.numbers["rows"] = rows
    _figure(result, n, rows, out_dir)
    result.elapsed = time.perf_counter() - t0
    return result


def _figure(result: ExperimentResult, n: int, rows: list[dict[str, Any]], out_dir: Path | None) -> None:
    plt = load_pyplot()
    if plt is None:
        result.notes.append(PLOT_HINT)
        return
    if not rows:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    lim = max(max(r["requested"], r["realised"], r["law"]) for r in rows) * 1.15 + 0.01
    lim = max(lim, 0.16)
    ax.plot([0, lim], [0, lim], color="gray", lw=0.8, ls=":", label="realised = requested")
    for r in rows:
        marker = "o" if r["method"] == "exact" else "s"
        m = r.get("samples", 0)
        err = 2 * math.sqrt(r["realised"] * (1 - r["realised"]) / m) if m else 0.0
        ax.errorbar(r["requested"], r["realised"], yerr=err, fmt=marker, color=COLORS[r["field"]], ms=7,
                    mfc="none" if r["method"] == "paper" else COLORS[r["field"]],
                    label=f"{r['field']}, {r['method']}, n = {r['n']} (MC +/- 2 se)")
        ax.plot(r["requested"], r["law"], "x", color="black", ms=6, zorder=5)
    for row in result.numbers.get("paper_factor_risk", []):
        for fld in ("real", "complex"):
            ax.plot(row[f"{fld}_nominal"], row[f"{fld}_finite_n"], "^", color=COLORS[fld], ms=5, alpha=0.6,
                    label=f"{fld}, paper, finite-n law only (n = {', '.join(str(t) for t in RISK_TABLE_N)})")
            ax.annotate(f"{row['n']:g}", (row[f"{fld}_nominal"], row[f"{fld}_finite_n"]), fontsize=6,
                        xytext=(3, 0), textcoords="offset points")
    ax.plot([], [], "x", color="black", label="finite-n law's prediction")
    ax.set_xlabel("requested (exact) or nominal Gumbel (paper) risk")
    ax.set_ylabel("realised P(rho(W/s) > 1)")
    ax.set_title("rescaled Glorot: realised vs requested risk")
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=True))
    ax.legend(uniq.values(), uniq.keys(), fontsize=7)
    fig.tight_layout()
    save_figure(fig, result, out_dir, "initializer_risk.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
