"""Figures 1-2 of Bar et al. (2025): Glorot against rescaled Glorot, real (Fig. 1) and complex (Fig. 2).

For each field the figure has three panels:

* left: histogram of the spectral radius rho(W) of Glorot matrices and of rho(W / r_n) for the
  rescaled initializer (r_n = ``rmtedge.rescale_factor(n, field=..., method="paper")``), with the
  finite-n law of rho (``rmtedge.spectral_radius_law``) and the Gumbel limit
  (``rmtedge.gumbel_edge_law``) drawn on top;
* middle: ``||W^k x||`` against k for a few matrices (one line per matrix: mean over inputs);
* right: ``||h_t||`` of the driven recurrence ``h_t = W h_{t-1} + x_t`` (one line per matrix).

Checks (per field), each against the Gumbel limit as the named wrong alternative (the paper's
n -> infinity law, which the finite-n laws replace):

* Kolmogorov-Smirnov test of the radius samples against the finite-n law (exact for the complex
  field; the real field's Poisson approximation with its documented error bound
  ``PoissonRealRadiusLaw.cdf_error_bound`` as a tolerance);
* exact binomial tests of the fraction of samples with rho > 1, for Glorot and for rescaled
  Glorot, against ``rmtedge.prob_radius_exceeds_one``. For rescaled Glorot the theory is tiny
  (about 5e-5) and the test fails at two exceedances; its power is stated against the Gumbel
  limit's P(rho > r_n), the probability the paper's calibration assumes.

Run alone: ``python validation/figures_1_2.py [--full] [--out DIR]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rmtedge.validation._common import (
    COLORS,
    LIMIT_STYLE,
    THEORY_STYLE,
    Run,
    binomial_check,
    experiment,
    ks_check,
    law_alternative,
)

import rmtedge
from rmtedge.laws.real_radius_poisson import PoissonRealRadiusLaw

# n: dimension (>= 164: the paper's factor and the Gumbel limit need it); samples: radius samples
# per field; matrices: matrices in the middle and right panels; inputs: input realizations per
# matrix; horizon: largest k and t (about 15 sqrt(n)).
SIZES = {
    "smoke": {"n": 170, "samples": 40, "matrices": 2, "inputs": 10, "horizon": 60},
    "quick": {"n": 200, "samples": 150, "matrices": 3, "inputs": 50, "horizon": 200},
    "full": {"n": 500, "samples": 100, "matrices": 5, "inputs": 50, "horizon": 350},
}
FIELDS = ("real", "complex")
FIGURE_NUMBER = {"real": 1, "complex": 2}


@experiment("figures_1_2", stream_id=1, sizes=SIZES,
            title="Figures 1-2: spectral radius and signal growth, Glorot vs rescaled Glorot")
def run(ex: Run) -> None:
    """Both fields: radius histograms with laws, P(rho > 1), powers and driven recurrences."""
    rows = []
    for i, fld in enumerate(FIELDS):
        rows.extend(_one_field(ex, fld, i))
    ex.table("P(rho > 1) before and after rescaling by the paper's r_n",
             ["field", "matrix", "scale s", "finite-n law", "Gumbel limit", "Monte Carlo", "samples"], rows,
             note="P(rho(W)/s > 1) from prob_radius_exceeds_one(n, scale_factor=s); s = 1 for Glorot, "
                  "s = r_n for rescaled Glorot.")


def _one_field(ex: Run, fld: str, index: int) -> list[list[Any]]:
    n, m = ex.cfg["n"], ex.cfg["samples"]
    nums: dict[str, Any] = {"n": n, "samples": m}
    ex.numbers[fld] = nums
    seq = ex.stream(index, 0)
    key = list(seq.spawn_key)
    rho = ex.mc_samples("spectral_radius", n, field=fld, samples=m, seq=seq)
    s = float(rmtedge.rescale_factor(n, field=fld, method="paper"))
    law = rmtedge.spectral_radius_law(n, field=fld)
    gumbel = rmtedge.gumbel_edge_law(n, field=fld)
    nums.update(radius_mean=float(rho.mean()), radius_std=float(rho.std(ddof=1)), rescale_factor_paper=s)

    ex.add(ks_check(f"radius_law_{fld}", f"{fld} Glorot, n = {n}: rho(W) samples vs the finite-n law", rho, law.cdf,
                    alternative=law_alternative("the Gumbel limit", gumbel),
                    tolerance=PoissonRealRadiusLaw(n).cdf_error_bound if fld == "real" else 0.0,
                    spawn_key=key, theory_mean=float(law.mean()),
                    note="exact Kostlan law" if fld == "complex" else "Poisson approximation of the real law"))
    rows = []
    for label, factor in (("Glorot", 1.0), ("rescaled Glorot", s)):
        tag = "glorot" if factor == 1.0 else "rescaled"
        p1 = float(rmtedge.prob_radius_exceeds_one(n, field=fld, scale_factor=factor))
        pg = float(gumbel.sf(factor))
        k = int(np.sum(rho > factor))
        nums[f"p_exceed_one_{tag}"] = {"theory": p1, "gumbel_limit": pg, "mc": k / m}
        ex.add(binomial_check(f"p_exceed_one_{tag}_{fld}",
                              f"{fld} {label}, n = {n}: fraction of rho > 1 vs P(rho > 1)", k, m, p1,
                              alternative=(f"the Gumbel limit (P = {pg:.3g})", pg), spawn_key=key))
        rows.append([fld, label, factor, p1, pg, k / m, m])

    # -- middle and right panels: ||W^k x|| and ||h_t|| (same W and inputs for both scalings) ---
    horizon, mats, inputs = ex.cfg["horizon"], ex.cfg["matrices"], ex.cfg["inputs"]
    panels: dict[str, Any] = {}
    for tag, factor in (("glorot", 1.0), ("rescaled", s)):
        pw = rmtedge.power_norms(n=n, field=fld, T=horizon, n_matrices=mats, n_inputs=inputs,
                                 rng=ex.stream(index, 1), scale_factor=factor)
        hs = rmtedge.simulate_hidden_states(n=n, field=fld, T=horizon, n_matrices=mats, n_inputs=inputs,
                                            rng=ex.stream(index, 2), scale_factor=factor)
        panels[tag] = (pw, hs)
        nums[f"{tag}_log_power_norm_at_K"] = _summ(pw.log_norms[..., -1])
        nums[f"{tag}_log_hidden_norm_at_T"] = _summ(hs.log_norms[..., -1])
    _figure(ex, fld, n, rho, s, law, gumbel, panels)
    return rows


def _summ(x: np.ndarray) -> dict[str, float]:
    x = np.asarray(x, dtype=np.float64)
    return {"mean": float(x.mean()), "min": float(x.min()), "max": float(x.max())}


def _figure(ex: Run, fld: str, n: int, rho: np.ndarray, s: float, law: Any, gumbel: Any, panels: dict[str, Any]) -> None:
    with ex.figure(f"figure_{FIGURE_NUMBER[fld]}_{fld}.png", figsize=(16, 6.2)) as fig:
        if fig is None:
            return
        axes = fig.subplots(1, 3)
        ax = axes[0]
        lo, hi = (rho / s).min(), rho.max()
        pad = 0.15 * (hi - lo)
        grid = np.linspace(lo - pad, hi + pad, 500)  # starts below the smallest rescaled radius
        bins = np.linspace(lo - pad / 3, hi + pad / 3, 36)
        ax.hist(rho, bins=bins, density=True, alpha=0.45, color=COLORS["glorot"],
                label=f"Glorot: Monte Carlo ({rho.size} matrices)")
        ax.hist(rho / s, bins=bins, density=True, alpha=0.45, color=COLORS["rescaled"],
                label=f"rescaled Glorot W/r_n: Monte Carlo (r_n = {s:.4f})")
        ax.plot(grid, law.pdf(grid), **THEORY_STYLE, label="finite-n law of rho")
        ax.plot(grid, s * law.pdf(s * grid), **dict(THEORY_STYLE, ls=(0, (4, 1.5))), label="finite-n law of rho/r_n")
        ax.plot(grid, gumbel.pdf(grid), **LIMIT_STYLE, label="Gumbel limit of rho")
        ax.plot(grid, s * gumbel.pdf(s * grid), **dict(LIMIT_STYLE, ls=":"), label="Gumbel limit of rho/r_n")
        ax.axvline(1.0, color="gray", lw=0.8, ls="-.", label="rho = 1 (stability edge)")
        ax.set_xlim(grid[0], grid[-1])
        ax.set_xlabel(r"spectral radius $\rho$")
        ax.set_ylabel("probability density")
        ax.set_title(f"{fld} Glorot, n = {n}: spectral radius")
        ax.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.16))
        mats = next(iter(panels.values()))[0].log_norms.shape[0]
        styles = ("-", "--", ":", "-.", (0, (1, 3)))
        for ax, idx, ylabel in ((axes[1], 0, r"$\|W^k x\|_2$"), (axes[2], 1, r"$\|h_t\|_2$")):
            for tag, traces in panels.items():
                tr = traces[idx]
                steps = np.asarray(tr.times)
                logn = np.asarray(tr.log_norms)  # (matrices, inputs, steps)
                name = "Glorot" if tag == "glorot" else "rescaled Glorot"
                for j in range(logn.shape[0]):
                    with np.errstate(over="ignore"):
                        mean = np.exp(logn[j]).mean(axis=0)
                    ax.plot(steps, mean, color=COLORS[tag], lw=1.1, ls=styles[j % len(styles)],
                            label=f"{name}, matrix {j + 1} of {mats}")
            ax.axvline(np.sqrt(n), color="gray", lw=0.8, ls=":", label=r"$\sqrt{n}$" + f" = {np.sqrt(n):.1f}")
            ax.set_yscale("log")
            ax.set_xlabel("power k" if idx == 0 else "time t")
            ax.set_ylabel(ylabel + " (mean over inputs)")
            ax.set_title(("powers of W" if idx == 0 else r"driven recurrence $h_t = W h_{t-1} + x_t$")
                         + f": {mats} matrices")
            ax.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.16))
        fig.suptitle(f"Figure {FIGURE_NUMBER[fld]} ({fld}): Glorot vs rescaled Glorot, n = {n}")


if __name__ == "__main__":
    raise SystemExit(run.main())
