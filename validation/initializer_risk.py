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
for both fields. Checks are exact two-sided binomial tests; their named alternatives are the other
field's law (a field mix-up in the exact factor) and the nominal Gumbel risk (for the paper's
factor).

Run alone: ``python validation/initializer_risk.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rmtedge.validation._common import COLORS, Run, binomial_check, experiment

import rmtedge

SIZES = {
    "smoke": {"n": 48, "samples": 400, "risks": (0.1,), "kostlan_n": 1000, "kostlan_samples": 2000,
              "paper_n": None, "paper_samples": 0},
    "quick": {"n": 64, "samples": 3000, "risks": (0.01, 0.05), "kostlan_n": 4096, "kostlan_samples": 5000,
              "paper_n": None, "paper_samples": 0},
    "full": {"n": 256, "samples": 2000, "risks": (0.01, 0.05, 0.2), "kostlan_n": 4096, "kostlan_samples": 50000,
             "paper_n": 500, "paper_samples": 300},
}
#: widths of the table of the paper factor's realised risk under the finite-n laws
RISK_TABLE_N = (500, 1000, 4096, 10**5)
FIELDS = ("real", "complex")
OTHER = {"real": "complex", "complex": "real"}


def _nominal_paper_risk(fld: str, c: float) -> float:
    """Risk the Gumbel limit assigns to r_n(c): 1 - exp(-e^{-c}) (complex) or 1 - exp(-e^{-c}/2) (real)."""
    e = math.exp(-c) * (0.5 if fld == "real" else 1.0)
    return -math.expm1(-e)


@experiment("initializer_risk", stream_id=7, sizes=SIZES,
            title="Rescaled Glorot initializer: realised vs requested P(rho > 1)")
def run(ex: Run) -> None:
    """Realised risk of the exact and the paper's rescale factors; see the module docstring."""
    cfg = ex.cfg
    n, m = cfg["n"], cfg["samples"]
    rows: list[dict[str, Any]] = []
    c = float(rmtedge.PAPER_GUMBEL_C)
    for i, fld in enumerate(FIELDS):
        seq = ex.stream(i)
        rho = ex.mc_samples("spectral_radius", n, field=fld, samples=m, seq=seq, chunk_size=100)
        other = rmtedge.spectral_radius_law(n, field=OTHER[fld])
        for risk in cfg["risks"]:
            s = float(rmtedge.rescale_factor(n, field=fld, risk=risk, method="exact"))
            k = int(np.sum(rho > s))
            p_alt = float(other.sf(s))
            ex.add(binomial_check(
                f"exact_{fld}_risk_{risk:g}",
                f"{fld}, n = {n}: rescale_factor(method='exact', risk={risk:g}); realised P(rho > 1) vs {risk:g}",
                k, m, risk, alternative=(f"the {OTHER[fld]} field's law (field mix-up; P = {p_alt:.3g})", p_alt),
                spawn_key=seq.spawn_key,
                note=f"s = {s:.6f}; " + ("exact law" if fld == "complex" else "Poisson approximation of the real law")))
            rows.append({"field": fld, "method": "exact", "n": n, "requested": risk, "law": risk, "realised": k / m,
                         "s": s, "samples": m})
        if cfg["paper_n"]:
            npap, mpap = cfg["paper_n"], cfg["paper_samples"]
            s = float(rmtedge.rescale_factor(npap, field=fld, method="paper"))
            p_law = float(rmtedge.prob_radius_exceeds_one(npap, field=fld, scale_factor=s))
            nominal = _nominal_paper_risk(fld, c)
            seq_p = ex.stream(3, i)
            rho_p = ex.mc_samples("spectral_radius", npap, field=fld, samples=mpap, seq=seq_p)
            k = int(np.sum(rho_p > s))
            ex.add(binomial_check(
                f"paper_{fld}_n{npap}",
                f"{fld}, n = {npap}: paper's r_n(c); realised P(rho > 1) vs the finite-n law's prediction",
                k, mpap, p_law, alternative=(f"the nominal Gumbel risk {nominal:.3g}", nominal), spawn_key=seq_p.spawn_key,
                note=f"s = r_n(c) = {s:.6f}"))
            rows.append({"field": fld, "method": "paper", "n": npap, "requested": nominal, "law": p_law,
                         "realised": k / mpap, "s": s, "samples": mpap})

    # -- the paper factor's risk under the finite-n laws (theory only) ---------------------------
    table = []
    for nn in RISK_TABLE_N:
        row: dict[str, Any] = {"n": nn}
        for fld in FIELDS:
            s = float(rmtedge.rescale_factor(nn, field=fld, method="paper"))
            row[f"{fld}_nominal"] = _nominal_paper_risk(fld, c)
            row[f"{fld}_finite_n"] = float(rmtedge.prob_radius_exceeds_one(nn, field=fld, scale_factor=s))
        table.append(row)
    ex.numbers["paper_factor_risk"] = table

    # -- large n, complex, Kostlan sampler -------------------------------------------------------
    nk, mk = cfg["kostlan_n"], cfg["kostlan_samples"]
    s = float(rmtedge.rescale_factor(nk, field="complex", method="paper"))
    p_law = float(rmtedge.prob_radius_exceeds_one(nk, field="complex", scale_factor=s))
    nominal = _nominal_paper_risk("complex", c)
    seq = ex.stream(9)
    rho = np.asarray(rmtedge.spectral_radius(nk, field="complex", size=mk, method="kostlan", rng=np.random.default_rng(seq)))
    k = int(np.sum(rho > s))
    ex.add(binomial_check(
        f"paper_complex_kostlan_n{nk}",
        f"complex, n = {nk} (Kostlan sampler): paper's r_n(c); realised P(rho > 1) vs the exact law",
        k, mk, p_law, alternative=(f"the nominal Gumbel risk {nominal:.3g}", nominal), spawn_key=seq.spawn_key,
        note=f"s = {s:.6f}; sampler and law share Kostlan's theorem"))
    rows.append({"field": "complex", "method": "paper", "n": nk, "requested": nominal, "law": p_law, "realised": k / mk,
                 "s": s, "samples": mk})
    ex.numbers["rows"] = rows
    ex.table("Realised risk P(rho(W/s) > 1)", ["field", "method", "n", "requested or nominal risk", "finite-n law",
             "Monte Carlo", "samples", "s"],
             [[r["field"], r["method"], r["n"], r["requested"], r["law"], r["realised"], r["samples"], f"{r['s']:.6f}"]
              for r in rows],
             note="method 'exact': s is the law's upper quantile for the requested risk; method 'paper': the authors' "
                  "r_n(c), whose nominal risk is that of the Gumbel limit.")
    ex.table("Risk of the paper's factor r_n(c) under the finite-n laws (theory only)",
             ["n", "real: nominal (Gumbel)", "real: finite-n law", "complex: nominal (Gumbel)", "complex: finite-n law"],
             [[r["n"], r["real_nominal"], r["real_finite_n"], r["complex_nominal"], r["complex_finite_n"]] for r in table])
    _figure(ex, rows)


def _figure(ex: Run, rows: list[dict[str, Any]]) -> None:
    with ex.figure("initializer_risk.png", figsize=(8, 5.2)) as fig:
        if fig is None:
            return
        ax = fig.subplots()
        lim = max(max(r["requested"], r["realised"], r["law"]) for r in rows) * 1.15 + 0.01
        lim = max(lim, 0.16)
        ax.plot([0, lim], [0, lim], color="gray", lw=0.8, ls=":", label="realised = requested (diagonal)")
        for r in rows:
            marker = "o" if r["method"] == "exact" else "s"
            m = r["samples"]
            err = 2 * math.sqrt(max(r["realised"] * (1 - r["realised"]), 1.0 / m) / m)
            ax.errorbar(r["requested"], r["realised"], yerr=err, fmt=marker, color=COLORS[r["field"]], ms=7,
                        mfc="none" if r["method"] == "paper" else COLORS[r["field"]],
                        label=f"{r['field']}, method {r['method']}, n = {r['n']}: Monte Carlo (+/- 2 std. errors)")
            ax.plot(r["requested"], r["law"], "x", color="black", ms=7, zorder=5)
        for row in ex.numbers["paper_factor_risk"]:
            for fld in FIELDS:
                ax.plot(row[f"{fld}_nominal"], row[f"{fld}_finite_n"], "^", color=COLORS[fld], ms=5, alpha=0.6,
                        label=f"{fld}, method paper: finite-n law only (n = {', '.join(str(t) for t in RISK_TABLE_N)})")
                ax.annotate(f"n = {row['n']:g}", (row[f"{fld}_nominal"], row[f"{fld}_finite_n"]), fontsize=6,
                            xytext=(3, 0), textcoords="offset points")
        ax.plot([], [], "x", color="black", label="finite-n law's prediction (theory)")
        ax.set_xlabel("requested risk (method exact) or nominal Gumbel risk (method paper)")
        ax.set_ylabel("realised P(rho(W/s) > 1)")
        ax.set_title("rescaled Glorot: realised vs requested risk")
        handles, labels = ax.get_legend_handles_labels()
        uniq = dict(zip(labels, handles, strict=True))
        ax.legend(uniq.values(), uniq.keys(), fontsize=7)


if __name__ == "__main__":
    raise SystemExit(run.main())
