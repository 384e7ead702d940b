"""Figure 3 of Bar et al. (2025): the largest eigenvalue modulus, real against complex Glorot.

The paper's observation: at finite n the spectral radius of real Glorot matrices has the SMALLER
mean but the LONGER right tail than that of complex Glorot matrices.

Both statements are checked against the finite-n laws (``rmtedge.spectral_radius_law``: exact
for the complex field, Poisson approximation for the real field):

* KS test of each field's samples against its law (real: with the documented tolerance of the
  Poisson approximation);
* the difference of the mean radii (complex minus real): z test of the Monte Carlo difference
  against the difference of the laws' means;
* the right tail: with ``x0`` the complex law's upper ``TAIL`` quantile, the fraction of REAL
  samples above ``x0`` against the real law's ``P(rho > x0)`` (exact binomial test). The real law
  putting more than ``TAIL`` above ``x0`` is the "longer right tail" statement (recorded in the
  numbers as ``tail.real_law`` against ``tail.level``).

Run alone: ``python validation/figure_3.py [--full] [--out DIR]``.
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
    THEORY_STYLE,
    ExperimentResult,
    binomial_check,
    experiment_main,
    guarded,
    ks_check,
    load_pyplot,
    mc_samples,
    real_poisson_tolerance,
    require,
    save_figure,
    start_experiment,
    stream,
    z_check,
)

NAME = "figure_3"
TITLE = "Figure 3: largest eigenvalue modulus, real vs complex Glorot"

#: Upper-tail level of the complex law at which the two tails are compared.
TAIL = 0.05

SIZES: dict[str, dict[str, int]] = {
    "smoke": {"n": 60, "samples": 200},
    "quick": {"n": 100, "samples": 400},
    "full": {"n": 500, "samples": 300},
}
FIELDS = ("real", "complex")


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

    rho: dict[str, np.ndarray] = {}
    keys: dict[str, list[int]] = {}
    laws: dict[str, Any] = {}
    for i, fld in enumerate(FIELDS):
        seq = stream(seed, NAME, i)
        keys[fld] = [int(k) for k in seq.spawn_key]
        rho[fld] = mc_samples("spectral_radius", n, field=fld, samples=m, seq=seq, method="dense", jobs=jobs, scheduler=scheduler)
        result.numbers[fld] = {
            "mean": float(rho[fld].mean()),
            "std": float(rho[fld].std(ddof=1)),
            "q95": float(np.quantile(rho[fld], 0.95)),
            "max": float(rho[fld].max()),
        }
        desc = f"{fld} Glorot, n = {n}: rho(W) samples vs the finite-n law"
        with guarded(result, f"radius_law_{fld}", desc):
            laws[fld] = require("spectral_radius_law")(n, field=fld)
            result.numbers[fld]["law_mean"] = float(laws[fld].mean())
            result.add(
                ks_check(
                    f"radius_law_{fld}",
                    desc,
                    rho[fld],
                    laws[fld].cdf,
                    tolerance=real_poisson_tolerance(n) if fld == "real" else 0.0,
                    spawn_key=keys[fld],
                    theory_mean=float(laws[fld].mean()),
                    note="exact Kostlan law" if fld == "complex" else "Poisson approximation of the real law",
                )
            )

    if len(laws) == 2:
        diff_mc = float(rho["complex"].mean() - rho["real"].mean())
        se = math.sqrt(rho["complex"].var(ddof=1) / m + rho["real"].var(ddof=1) / m)
        diff_th = float(laws["complex"].mean() - laws["real"].mean())
        result.add(
            z_check(
                "mean_gap_complex_minus_real",
                f"n = {n}: E rho(complex) - E rho(real), Monte Carlo vs laws (paper: positive)",
                diff_mc,
                se,
                diff_th,
                spawn_key=keys["complex"] + keys["real"],
            )
        )
        x0 = float(laws["complex"].isf(TAIL))
        p_real = float(laws["real"].sf(x0))
        k = int(np.sum(rho["real"] > x0))
        result.numbers["tail"] = {
            "x0": x0,
            "level": TAIL,
            "real_law": p_real,
            "real_mc": k / m,
            "complex_mc": float(np.mean(rho["complex"] > x0)),
            "longer_real_tail_in_theory": bool(p_real > TAIL),
        }
        result.add(
            binomial_check(
                "right_tail_real",
                f"n = {n}: fraction of real rho above the complex law's {1 - TAIL:.0%} quantile "
                f"x0 = {x0:.4f} vs the real law's P(rho > x0) (paper: > {TAIL:g})",
                k,
                m,
                p_real,
                spawn_key=keys["real"],
            )
        )
    _figure(result, n, rho, laws, out_dir)
    result.elapsed = time.perf_counter() - t0
    return result


def _figure(result: ExperimentResult, n: int, rho: dict[str, np.ndarray], laws: dict[str, Any], out_dir: Path | None) -> None:
    plt = load_pyplot()
    if plt is None:
        result.notes.append(PLOT_HINT)
        return
    fig, ax = plt.subplots(figsize=(7, 4.2))
    allr = np.concatenate(list(rho.values()))
    lo, hi = allr.min(), allr.max()
    pad = 0.1 * (hi - lo)
    bins = np.linspace(lo - pad / 2, hi + pad / 2, 40)
    grid = np.linspace(lo - pad, hi + pad, 400)
    for fld, r in rho.items():
        ax.hist(r, bins=bins, density=True, alpha=0.45, color=COLORS[fld], label=f"{fld} (MC, {r.size})")
    for fld, law in laws.items():
        style = dict(THEORY_STYLE)
        style["color"] = "black" if fld == "complex" else "dimgray"
        style["ls"] = "-" if fld == "complex" else "-."
        ax.plot(grid, law.pdf(grid), **style, label=f"{fld} law ({'exact' if fld == 'complex' else 'Poisson'})")
    if "tail" in result.numbers:
        ax.axvline(result.numbers["tail"]["x0"], color="gray", lw=0.8, ls=":", label=f"complex {1 - TAIL:.0%} quantile")
    ax.set_xlabel(r"largest eigenvalue modulus $\rho(W)$")
    ax.set_ylabel("density")
    ax.set_title(f"Figure 3: real vs complex Glorot, n = {n}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, result, out_dir, "figure_3.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
