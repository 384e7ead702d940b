"""Figures 1-2 of Bar et al. (2025): Glorot against rescaled Glorot, real (Fig. 1) and complex (Fig. 2).

For each field the figure has three panels:

* left: histogram of the spectral radius rho(W) of Glorot matrices and of rho(W / r_n) for the
  rescaled initializer (r_n = ``rmtedge.rescale_factor(n, field=..., method="paper")``), with the
  finite-n law of rho (``rmtedge.spectral_radius_law``) and the Gumbel limit
  (``rmtedge.gumbel_edge_law``) drawn on top;
* middle: ``||W^k x||`` against k for a few matrices (mean and spread over the input vectors);
* right: ``||h_t||`` of the driven recurrence ``h_t = W h_{t-1} + x_t`` (mean and spread over
  the input sequences).

Checks (per field): Kolmogorov-Smirnov test of the radius samples against the finite-n law
(exact for the complex field; the real field's Poisson approximation gets the documented
tolerance of :func:`rmtedge.validation._common.real_poisson_tolerance`, documented in docs/edge_laws.md),
and exact binomial tests of the fraction of samples
with rho > 1, for Glorot and for rescaled Glorot, against ``rmtedge.prob_radius_exceeds_one``.

Run alone: ``python validation/figures_1_2.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from rmtedge.validation._common import (
    COLORS,
    LIMIT_STYLE,
    PLOT_HINT,
    THEORY_STYLE,
    ExperimentResult,
    binomial_check,
    experiment_main,
    guarded,
    have,
    ks_check,
    load_pyplot,
    mc_samples,
    real_poisson_tolerance,
    require,
    save_figure,
    start_experiment,
    stream,
)

NAME = "figures_1_2"
TITLE = "Figures 1-2: spectral radius and signal growth, Glorot vs rescaled Glorot"


# n: dimension; samples: radius samples per field; matrices: matrices in the middle and right
# panels; inputs: input realizations per matrix; horizon: largest k and t (about 15 sqrt(n)).
SIZES: dict[str, dict[str, int]] = {
    "smoke": {"n": 170, "samples": 40, "matrices": 2, "inputs": 10, "horizon": 60},
    "quick": {"n": 200, "samples": 150, "matrices": 3, "inputs": 50, "horizon": 200},
    "full": {"n": 500, "samples": 100, "matrices": 5, "inputs": 50, "horizon": 350},
}
FIELDS = ("real", "complex")
FIGURE_NUMBER = {"real": 1, "complex": 2}


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
    for i, fld in enumerate(FIELDS):
        _one_field(result, fld, i, cfg, seed, out_dir, jobs, scheduler)
    result.elapsed = time.perf_counter() - t0
    return result


def _one_field(
    result: ExperimentResult,
    fld: str,
    index: int,
    cfg: dict[str, int],
    seed: int,
    out_dir: Path | None,
    jobs: int,
    scheduler: str | None,
) -> None:
    n, m = cfg["n"], cfg["samples"]
    nums: dict[str, Any] = {"n": n, "samples": m}
    result.numbers[fld] = nums

    # -- Monte Carlo: spectral radii of Glorot matrices (dense eigenvalues, as in the paper) ----
    seq = stream(seed, NAME, index, 0)
    key = [int(k) for k in seq.spawn_key]
    rho = mc_samples("spectral_radius", n, field=fld, samples=m, seq=seq, method="dense", jobs=jobs, scheduler=scheduler)
    nums["radius_mean"] = float(rho.mean())
    nums["radius_std"] = float(rho.std(ddof=1))

    s = None
    with guarded(result, f"rescale_factor_{fld}", "rescale factor r_n of the paper"):
        s = float(require("rescale_factor")(n, field=fld, method="paper"))
        nums["rescale_factor_paper"] = s
    rho_rescaled = rho / s if s is not None else None

    law = gumbel = None
    desc = f"{fld} Glorot, n = {n}: rho(W) samples vs the finite-n law"
    with guarded(result, f"radius_law_{fld}", desc):
        law = require("spectral_radius_law")(n, field=fld)
        nums["law"] = repr(law)
        tol = real_poisson_tolerance(n) if fld == "real" else 0.0
        note = "exact Kostlan law" if fld == "complex" else "Poisson approximation of the real law"
        result.add(
            ks_check(
                f"radius_law_{fld}",
                desc,
                rho,
                law.cdf,
                tolerance=tol,
                spawn_key=key,
                theory_mean=_safe_mean(law),
                note=note,
            )
        )
    if n >= 164:
        gumbel = require("gumbel_edge_law")(n, field=fld)
        from scipy import stats

        d_gumbel = stats.kstest(rho, gumbel.cdf)
        nums["ks_vs_gumbel_limit"] = {"D": float(d_gumbel.statistic), "p": float(d_gumbel.pvalue)}

    # -- P(rho > 1): Glorot and rescaled ----------------------------------------------------
    for label, sample, factor in (("glorot", rho, 1.0), ("rescaled", rho_rescaled, s)):
        name = f"p_exceed_one_{label}_{fld}"
        desc = f"{fld} {label} Glorot, n = {n}: fraction of rho > 1 vs P(rho > 1)"
        if sample is None:
            result.skip(name, desc, "not available: rmtedge.rescale_factor")
            continue
        with guarded(result, name, desc):
            p1 = float(require("prob_radius_exceeds_one")(n, field=fld, scale_factor=factor))
            k = int(np.sum(sample > 1.0))
            nums[f"p_exceed_one_{label}"] = {"theory": p1, "mc": k / m}
            if gumbel is not None:
                nums[f"p_exceed_one_{label}"]["gumbel_limit"] = float(gumbel.sf(factor))
            result.add(binomial_check(name, desc, k, m, p1, spawn_key=key))

    # -- middle and right panels: ||W^k x|| and ||h_t|| -------------------------------------
    panels: dict[str, Any] = {}
    horizon, mats, inputs = cfg["horizon"], cfg["matrices"], cfg["inputs"]
    if have("power_norms", "simulate_hidden_states"):
        power_norms = require("power_norms")
        simulate = require("simulate_hidden_states")
        for label, factor in (("glorot", 1.0), ("rescaled", s)):
            if factor is None:
                continue
            # Same stream for both labels: the rescaled curves use the same W and inputs.
            pw = power_norms(n=n, field=fld, K=horizon, n_matrices=mats, n_inputs=inputs,
                             rng=stream(seed, NAME, index, 1), scale_factor=factor)
            hs = simulate(n=n, field=fld, T=horizon, n_matrices=mats, n_inputs=inputs,
                          rng=stream(seed, NAME, index, 2), scale_factor=factor)
            panels[label] = (pw, hs)
            lp = pw.log_norms  # (matrices, inputs, K+1)
            lh = hs.log_norms
            nums[f"{label}_log_power_norm_at_K"] = _summ(lp[..., -1])
            nums[f"{label}_log_hidden_norm_at_T"] = _summ(lh[..., -1])
        nums["horizon"] = horizon
    else:
        result.notes.append("power_norms / simulate_hidden_states not available: panels 2-3 omitted")

    _figure(result, fld, n, rho, rho_rescaled, s, law, gumbel, panels, out_dir)


def _safe_mean(law: Any) -> float | None:
    try:
        return float(law.mean())
    except (NotImplementedError, AttributeError, ValueError):
        return None


def _summ(x: np.ndarray) -> dict[str, float]:
    x = np.asarray(x, dtype=np.float64)
    return {"mean": float(x.mean()), "min": float(x.min()), "max": float(x.max())}


def _figure(result, fld, n, rho, rho_rescaled, s, law, gumbel, panels, out_dir) -> None:
    plt = load_pyplot()
    if plt is None:
        if PLOT_HINT not in result.notes:
            result.notes.append(PLOT_HINT)
        return
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    ax = axes[0]
    lo = min(rho.min(), rho_rescaled.min() if rho_rescaled is not None else rho.min())
    hi = rho.max()
    pad = 0.15 * (hi - lo)
    grid = np.linspace(lo - pad, hi + pad, 400)
    bins = np.linspace(lo - pad / 3, hi + pad / 3, 30)
    ax.hist(rho, bins=bins, density=True, alpha=0.45, color=COLORS["glorot"], label="Glorot (MC)")
    if rho_rescaled is not None:
        ax.hist(rho_rescaled, bins=bins, density=True, alpha=0.45, color=COLORS["rescaled"], label="rescaled (MC)")
    if law is not None:
        ax.plot(grid, law.pdf(grid), **THEORY_STYLE, label="finite-n law")
        if s is not None:
            ax.plot(grid, s * law.pdf(s * grid), **THEORY_STYLE)
    if gumbel is not None:
        ax.plot(grid, gumbel.pdf(grid), **LIMIT_STYLE, label="Gumbel limit")
        if s is not None:
            ax.plot(grid, s * gumbel.pdf(s * grid), **LIMIT_STYLE)
    ax.axvline(1.0, color="gray", lw=0.8, ls=":")
    ax.set_xlabel(r"spectral radius $\rho$")
    ax.set_ylabel("density")
    ax.set_title(f"{fld} Glorot, n = {n}: rho over {rho.size} samples")
    ax.legend(fontsize=8)
    for ax, idx, ylabel in ((axes[1], 0, r"$\|W^k x\|_2$"), (axes[2], 1, r"$\|h_t\|_2$")):
        if not panels:
            ax.text(0.5, 0.5, "not available", ha="center", transform=ax.transAxes)
            continue
        for label, traces in panels.items():
            tr = traces[idx]
            steps = np.asarray(tr.ks if idx == 0 else tr.times)
            logn = tr.log_norms  # (matrices, inputs, steps)
            for j in range(logn.shape[0]):
                mean = np.exp(logn[j]).mean(axis=0) if np.all(np.isfinite(np.exp(logn[j]))) else np.exp(logn[j].mean(axis=0))
                sd = np.exp(logn[j]).std(axis=0)
                ax.plot(steps, mean, color=COLORS[label], lw=1.0, label=label if j == 0 else None)
                ax.fill_between(steps, np.maximum(mean - sd, mean * 1e-3), mean + sd, color=COLORS[label], alpha=0.15)
        ax.set_yscale("log")
        ax.set_xlabel("k" if idx == 0 else "t")
        ax.set_ylabel(ylabel)
        ax.set_title(("powers" if idx == 0 else "driven recurrence") + ": mean +/- sd over inputs")
        ax.legend(fontsize=8)
    fig.suptitle(f"Figure {FIGURE_NUMBER[fld]} ({fld}): Glorot vs rescaled Glorot (r_n = {s:.4f})" if s else f"Figure {FIGURE_NUMBER[fld]} ({fld})")
    fig.tight_layout()
    save_figure(fig, result, out_dir, f"figure_{FIGURE_NUMBER[fld]}_{fld}.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
