"""Figure 3 of Bar et al. (2025): the largest eigenvalue modulus, real against complex Glorot.

The paper's observation: at finite n the spectral radius of real Glorot matrices has the SMALLER
mean but the LONGER right tail than that of complex Glorot matrices.

Both statements are checked against the finite-n laws (``rmtedge.spectral_radius_law``: exact
for the complex field, Poisson approximation for the real field):

* KS test of each field's samples against its law (real: with the documented error bound of the
  Poisson approximation as a tolerance); alternative: the other field's law (a field mix-up);
* the difference of the mean radii (complex minus real): z test of the Monte Carlo difference
  against the difference of the laws' means; alternative: no gap (equal means);
* the right tail: with ``x0`` the complex law's upper ``TAIL`` quantile, the fraction of REAL
  samples above ``x0`` against the real law's ``P(rho > x0)`` (exact binomial test);
  alternative: a real tail no longer than the complex one (``P = TAIL``); the real field gets
  more samples than the complex one so that this comparison has power.

Run alone: ``python validation/figure_3.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math

import numpy as np
from rmtedge.validation._common import (
    COLORS,
    THEORY_STYLE,
    Run,
    binomial_check,
    experiment,
    ks_check,
    law_alternative,
    z_check,
)

import rmtedge
from rmtedge.laws.real_radius_poisson import PoissonRealRadiusLaw

#: Upper-tail level of the complex law at which the two tails are compared.
TAIL = 0.05

# samples: radius samples per field; the real field gets ``real_samples`` (the tail comparison
# needs about 3000 to have power against a tail as short as the complex one)
SIZES = {
    "smoke": {"n": 60, "samples": 200, "real_samples": 200},
    "quick": {"n": 100, "samples": 400, "real_samples": 3000},
    "full": {"n": 500, "samples": 300, "real_samples": 2000},
}
FIELDS = ("real", "complex")
OTHER = {"real": "complex", "complex": "real"}


@experiment("figure_3", stream_id=2, title="Figure 3: largest eigenvalue modulus, real vs complex Glorot",
            sizes=SIZES)
def run(ex: Run) -> None:
    """Radius samples of both fields against their laws, the mean gap and the right tail."""
    n = ex.cfg["n"]
    size = {"real": ex.cfg["real_samples"], "complex": ex.cfg["samples"]}
    rho: dict[str, np.ndarray] = {}
    keys: dict[str, list[int]] = {}
    laws = {fld: rmtedge.spectral_radius_law(n, field=fld) for fld in FIELDS}
    for i, fld in enumerate(FIELDS):
        seq = ex.stream(i)
        keys[fld] = list(seq.spawn_key)
        rho[fld] = ex.mc_samples("spectral_radius", n, field=fld, samples=size[fld], seq=seq)
        law = laws[fld]
        ex.numbers[fld] = {"mean": float(rho[fld].mean()), "std": float(rho[fld].std(ddof=1)),
                           "q95": float(np.quantile(rho[fld], 0.95)), "law_mean": float(law.mean())}
        ex.add(ks_check(
            f"radius_law_{fld}", f"{fld} Glorot, n = {n}: rho(W) samples vs the finite-n law", rho[fld], law.cdf,
            alternative=law_alternative(f"the {OTHER[fld]} field's law (field mix-up)", laws[OTHER[fld]]),
            tolerance=PoissonRealRadiusLaw(n).cdf_error_bound if fld == "real" else 0.0,
            spawn_key=keys[fld], theory_mean=float(law.mean()),
            note="exact Kostlan law" if fld == "complex" else "Poisson approximation of the real law"))

    diff_mc = float(rho["complex"].mean() - rho["real"].mean())
    se = math.sqrt(sum(rho[fld].var(ddof=1) / rho[fld].size for fld in FIELDS))
    diff_th = float(laws["complex"].mean() - laws["real"].mean())
    ex.add(z_check("mean_gap_complex_minus_real",
                   f"n = {n}: E rho(complex) - E rho(real), Monte Carlo vs laws (paper: positive)",
                   diff_mc, se, diff_th, alternative=("no gap (equal mean radii)", 0.0),
                   spawn_key=keys["complex"] + keys["real"]))
    x0 = float(laws["complex"].isf(TAIL))
    p_real = float(laws["real"].sf(x0))
    k = int(np.sum(rho["real"] > x0))
    m = size["real"]
    ex.numbers["tail"] = {"x0": x0, "level": TAIL, "real_law": p_real, "real_mc": k / m,
                          "complex_mc": float(np.mean(rho["complex"] > x0))}
    ex.add(binomial_check(
        "right_tail_real",
        f"n = {n}: fraction of real rho above the complex law's {1 - TAIL:.0%} quantile x0 = {x0:.4f} "
        f"vs the real law's P(rho > x0) = {p_real:.4f} (paper: longer real tail, > {TAIL:g})",
        k, m, p_real, alternative=(f"a real tail no longer than the complex one (P = {TAIL:g})", TAIL),
        spawn_key=keys["real"]))
    ex.table("Spectral radius, real vs complex Glorot",
             ["field", "MC mean", "law mean", "MC sd", "MC P(rho > x0)", "law P(rho > x0)"],
             [[fld, rho[fld].mean(), laws[fld].mean(), rho[fld].std(ddof=1), float(np.mean(rho[fld] > x0)),
               float(laws[fld].sf(x0))] for fld in FIELDS],
             note=f"n = {n}, {size['real']} real and {size['complex']} complex samples; x0 = {x0:.4f} is the complex "
                  f"law's {1 - TAIL:.0%} quantile.")

    with ex.figure("figure_3.png", figsize=(7.5, 4.4)) as fig:
        if fig is not None:
            ax = fig.subplots()
            allr = np.concatenate(list(rho.values()))
            lo, hi = allr.min(), allr.max()
            pad = 0.1 * (hi - lo)
            bins = np.linspace(lo - pad / 2, hi + pad / 2, 40)
            grid = np.linspace(lo - pad, hi + pad, 400)
            for fld in FIELDS:
                ax.hist(rho[fld], bins=bins, density=True, alpha=0.45, color=COLORS[fld],
                        label=f"{fld} Glorot: Monte Carlo ({size[fld]} matrices)")
                style = dict(THEORY_STYLE, color=COLORS[fld], ls="-" if fld == "complex" else "-.")
                ax.plot(grid, laws[fld].pdf(grid), **style,
                        label=f"{fld}: finite-n law ({'exact, Kostlan' if fld == 'complex' else 'Poisson approx.'})")
                ax.axvline(laws[fld].mean(), color=COLORS[fld], lw=1, ls=":", label=f"{fld}: law mean")
            ax.axvline(x0, color="gray", lw=1.0, ls="--", label=f"x0 = complex law's {1 - TAIL:.0%} quantile")
            ax.set_xlabel(r"largest eigenvalue modulus $\rho(W)$")
            ax.set_ylabel("probability density")
            ax.set_title(f"Figure 3: real vs complex Glorot, n = {n}")
            ax.legend(fontsize=7)


if __name__ == "__main__":
    raise SystemExit(run.main())
