"""Figure 4 of Bar et al. (2025): hidden-state norms of real and complex Glorot recurrences.

``h_t = W h_{t-1} + x_t`` (``h_0 = 0``) with ``W = G/sqrt(n)`` and i.i.d. standard Gaussian inputs;
the paper averages ``||h_t||`` over 100 matrices x 5 input sequences and observes that both fields
explode once t is of order sqrt(n).

Checks (per field):

* exact energy at t = 3: ``E||h_3||^2 / n = 1 + 1 + (1/n) E||W^2||_F^2 = 3 + c/n^2`` with c = 1
  (complex) or 2 (real) (``E tr(G^2 G*^2) = n^3 + n`` or ``n^3 + 2n``; docs/theory.md), z test
  with the standard error over matrices (inputs of one matrix are not independent of each
  other); alternative: entries of variance 1.05/n (``E = 1 + 1.05 + 1.05^2 (1 + c/n^2)``);
* the lower bound ``E||h_t||^2/n >= sum_{k<t} m_k(n)`` (``rmtedge.hidden_state_lower_bound``)
  at t = ceil(sqrt(n)), one-sided z test; alternative: a simulated energy half the bound;
* demonstration (the paper's claim, not a test of rmtedge): most matrices have
  ``median_x ||h_T||^2 / (n T) > 10`` at the horizon T (an orthogonal W would give 1).

Run alone: ``python validation/figure_4.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rmtedge.validation._common import COLORS, Run, demonstration, experiment, z_check

import rmtedge

SIZES = {
    "smoke": {"n": 100, "matrices": 40, "inputs": 5, "horizon": 200},
    "quick": {"n": 100, "matrices": 100, "inputs": 5, "horizon": 200},
    "full": {"n": 200, "matrices": 100, "inputs": 5, "horizon": 300},
}
FIELDS = ("real", "complex")
#: Explosion threshold on ||h_T||^2 / (n T) (1 for an orthogonal W).
EXPLOSION_FACTOR = 10.0
#: entry variance (times 1/n) of the alternative of the exact-energy check
ALT_VARIANCE = 1.05


@experiment("figure_4", stream_id=3, sizes=SIZES,
            title="Figure 4: hidden-state norms of real and complex Glorot recurrences")
def run(ex: Run) -> None:
    """Energies at t = 3 and t = sqrt(n), the explosion claim, and the figure."""
    n, m, p, T = ex.cfg["n"], ex.cfg["matrices"], ex.cfg["inputs"], ex.cfg["horizon"]
    t_sqrt = math.ceil(math.sqrt(n))
    traces: dict[str, Any] = {}
    rows = []
    for i, fld in enumerate(FIELDS):
        seq = ex.stream(i)
        key = list(seq.spawn_key)
        tr = rmtedge.simulate_hidden_states(n=n, field=fld, T=T, n_matrices=m, n_inputs=p, rng=np.random.default_rng(seq))
        traces[fld] = tr
        times = np.asarray(tr.times)
        log_energy = 2.0 * np.asarray(tr.log_norms) - math.log(n)  # log(||h_t||^2 / n), (m, p, L)

        j3 = int(np.searchsorted(times, 3))
        e3 = np.exp(log_energy[:, :, j3]).mean(axis=1)  # per matrix
        c = 1.0 if fld == "complex" else 2.0
        v = ALT_VARIANCE
        ex.add(z_check(f"energy_t3_{fld}", f"{fld} Glorot, n = {n}: E||h_3||^2/n = 3 + {c:g}/n^2 (exact)",
                       float(e3.mean()), float(e3.std(ddof=1) / math.sqrt(m)), 3.0 + c / n**2,
                       alternative=(f"entries of variance {v:g}/n", 1.0 + v + v * v * (1.0 + c / n**2)),
                       spawn_key=key, note=f"{m} matrices x {p} inputs; standard error over matrices"))

        jt = int(np.searchsorted(times, t_sqrt))
        et = np.exp(log_energy[:, :, jt]).mean(axis=1)
        bound = float(rmtedge.hidden_state_lower_bound(n, t_sqrt, field=fld))
        ex.add(z_check(f"lower_bound_t_sqrt_n_{fld}",
                       f"{fld} Glorot, n = {n}: E||h_t||^2/n >= sum_(k<t) m_k(n) at t = {t_sqrt}",
                       float(et.mean()), float(et.std(ddof=1) / math.sqrt(m)), bound,
                       alternative=("a simulated energy half the bound", 0.5 * bound), lower_bound=True,
                       spawn_key=key, note="one-sided: fails only if the simulated energy is significantly below the bound"))

        per_matrix = np.median(log_energy[:, :, -1], axis=1) - math.log(times[-1])
        k = int(np.sum(per_matrix > math.log(EXPLOSION_FACTOR)))
        ex.add(demonstration(f"explosion_{fld}",
                             f"{fld} Glorot, n = {n}: most matrices have median ||h_T||^2/(n T) > {EXPLOSION_FACTOR:g} "
                             f"at T = {T} (the paper's claim)",
                             monte_carlo=k / m, statistic="fraction of matrices", value=k / m, spawn_key=key,
                             note=f"{k} of {m} matrices; a claim about simulations, not a test of rmtedge's formulas"))
        ex.numbers[fld] = {"energy_t3": float(e3.mean()), "energy_t_sqrt_n": float(et.mean()), "bound_t_sqrt_n": bound,
                           "fraction_exploded": k / m}
        rows.append([fld, 3.0 + c / n**2, e3.mean(), t_sqrt, bound, et.mean(), k / m])
    ex.table("Energies of the driven recurrence", ["field", "E||h_3||^2/n exact", "Monte Carlo", "t = ceil(sqrt n)",
             "lower bound at t", "Monte Carlo at t", "fraction exploded at T"], rows,
             note=f"n = {n}, {m} matrices x {p} inputs, horizon T = {T}.")

    with ex.figure("figure_4.png", figsize=(8, 4.8)) as fig:
        if fig is None:
            return
        ax = fig.subplots()
        for fld, tr in traces.items():
            times = np.asarray(tr.times)
            ln = np.asarray(tr.log_norms)
            q = np.quantile(ln, [0.1, 0.9], axis=(0, 1))
            ax.plot(times, np.exp(ln.mean(axis=(0, 1))), color=COLORS[fld], lw=1.6,
                    label=f"{fld}: exp(mean log ||h_t||) over {m} x {p} runs")
            with np.errstate(over="ignore"):
                ax.plot(times, np.exp(ln).mean(axis=(0, 1)), color=COLORS[fld], lw=0.9, ls="--",
                        label=f"{fld}: mean ||h_t|| (as in the paper)")
            ax.fill_between(times, np.exp(q[0]), np.exp(q[1]), color=COLORS[fld], alpha=0.2,
                            label=f"{fld}: 10%-90% of runs")
        times = np.asarray(next(iter(traces.values())).times)
        ax.plot(times, np.sqrt(n * times), color="gray", lw=1.0, ls="-.", label=r"$\sqrt{n t}$ (orthogonal W)")
        ax.axvline(math.sqrt(n), color="black", lw=0.8, ls=":", label=r"$t = \sqrt{n}$" + f" = {math.sqrt(n):.0f}")
        ax.set_yscale("log")
        ax.set_xlabel("time t")
        ax.set_ylabel(r"hidden-state norm $\|h_t\|_2$")
        ax.set_title(f"Figure 4: n = {n}, {m} matrices x {p} inputs per field")
        ax.legend(fontsize=7)


if __name__ == "__main__":
    raise SystemExit(run.main())
