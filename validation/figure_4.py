"""Figure 4 of Bar et al. (2025): hidden-state norms of real and complex Glorot recurrences.

``h_t = W h_{t-1} + x_t`` (``h_0 = 0``) with ``W = G/sqrt(n)`` and i.i.d. standard Gaussian inputs;
the paper averages ``||h_t||`` over 100 matrices x 5 input sequences and observes that both fields
explode once t is of order sqrt(n).

Checks (per field):

* exact energy at t = 3: ``E||h_3||^2 / n = 1 + 1 + (1/n) E||W^2||_F^2 = 3 + c/n^2`` with c = 1
  (complex) or 2 (real) (formulas.md sec. 6: E tr(G^2 G*^2) = n^3 + n or n^3 + 2n), z test with
  the standard error over matrices (inputs of one matrix are not independent of each other);
* the lower bound ``E||h_t||^2/n >= sum_{k<t} m_k(n)`` (``rmtedge.hidden_state_lower_bound``;
  a reconstruction, paper.md claim 4) at t = ceil(sqrt(n)), one-sided z test;
* the explosion claim: most matrices have ``median_x ||h_T||^2 / (n T) > 10`` at the horizon T
  (an orthogonal W would give 1): a one-sided sign test (claim check).

Run alone: ``python validation/figure_4.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
from rmtedge.validation._common import (
    COLORS,
    PLOT_HINT,
    ExperimentResult,
    claim_sign_check,
    experiment_main,
    guarded,
    load_pyplot,
    require,
    save_figure,
    start_experiment,
    stream,
    z_check,
)

NAME = "figure_4"
TITLE = "Figure 4: hidden-state norms of real and complex Glorot recurrences"

SIZES: dict[str, dict[str, int]] = {
    "smoke": {"n": 100, "matrices": 40, "inputs": 5, "horizon": 200},
    "quick": {"n": 100, "matrices": 100, "inputs": 5, "horizon": 200},
    "full": {"n": 200, "matrices": 100, "inputs": 5, "horizon": 300},
}
FIELDS = ("real", "complex")
#: Explosion threshold on ||h_T||^2 / (n T) (1 for an orthogonal W).
EXPLOSION_FACTOR = 10.0


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
    n, m, p, T = cfg["n"], cfg["matrices"], cfg["inputs"], cfg["horizon"]
    t_sqrt = math.ceil(math.sqrt(n))
    traces = {}
    for i, fld in enumerate(FIELDS):
        with guarded(result, f"energy_t3_{fld}", f"{fld}: E||h_3||^2/n"):
            simulate = require("simulate_hidden_states")
            seq = stream(seed, NAME, i)
            key = [int(k) for k in seq.spawn_key]
            tr = simulate(n=n, field=fld, T=T, n_matrices=m, n_inputs=p, rng=np.random.default_rng(seq))
            traces[fld] = tr
            times = np.asarray(tr.times)
            log_norms = np.asarray(tr.log_norms)  # (m, p, len(times))
            log_energy = 2.0 * log_norms - math.log(n)  # log(||h_t||^2 / n)

            # exact energy at t = 3
            j3 = int(np.searchsorted(times, 3))
            e3 = np.exp(log_energy[:, :, j3]).mean(axis=1)  # per matrix
            c = 1.0 if fld == "complex" else 2.0
            result.add(
                z_check(
                    f"energy_t3_{fld}",
                    f"{fld} Glorot, n = {n}: E||h_3||^2/n = 3 + {c:g}/n^2 (exact)",
                    float(e3.mean()),
                    float(e3.std(ddof=1) / math.sqrt(m)),
                    3.0 + c / n**2,
                    spawn_key=key,
                    note=f"{m} matrices x {p} inputs; standard error over matrices",
                )
            )
            nums = result.numbers.setdefault(fld, {})
            nums["median_log_energy"] = {int(t): float(v) for t, v in zip(times[:: max(1, T // 20)], np.median(log_energy, axis=(0, 1))[:: max(1, T // 20)], strict=True)}

            # lower bound at t = ceil(sqrt(n))
            jt = int(np.searchsorted(times, t_sqrt))
            et = np.exp(log_energy[:, :, jt]).mean(axis=1)
            name = f"lower_bound_t_sqrt_n_{fld}"
            desc = f"{fld} Glorot, n = {n}: E||h_t||^2/n >= sum_(k<t) m_k(n) at t = {t_sqrt}"
            with guarded(result, name, desc):
                bound = float(require("hidden_state_lower_bound")(n, t_sqrt, field=fld))
                nums["lower_bound_t_sqrt_n"] = {"t": t_sqrt, "bound": bound, "mc": float(et.mean())}
                result.add(
                    z_check(name, desc, float(et.mean()), float(et.std(ddof=1) / math.sqrt(m)), bound,
                            alternative="greater", spawn_key=key,
                            note="one-sided: fails only if the simulated energy is significantly below the bound")
                )

            # explosion claim at the horizon
            per_matrix = np.median(log_energy[:, :, -1], axis=1) - math.log(times[-1])
            k = int(np.sum(per_matrix > math.log(EXPLOSION_FACTOR)))
            nums["fraction_exploded"] = k / m
            result.add(
                claim_sign_check(
                    f"explosion_{fld}",
                    f"{fld} Glorot, n = {n}: most matrices have median ||h_T||^2/(n T) > {EXPLOSION_FACTOR:g} at T = {T}",
                    k,
                    m,
                    spawn_key=key,
                )
            )
    _figure(result, n, traces, out_dir)
    result.elapsed = time.perf_counter() - t0
    return result


def _figure(result, n, traces, out_dir) -> None:
    plt = load_pyplot()
    if plt is None:
        result.notes.append(PLOT_HINT)
        return
    if not traces:
        return
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for fld, tr in traces.items():
        times = np.asarray(tr.times)
        ln = np.asarray(tr.log_norms)
        q = np.quantile(ln, [0.1, 0.5, 0.9], axis=(0, 1))
        mean_log = ln.mean(axis=(0, 1))
        ax.plot(times, np.exp(mean_log), color=COLORS[fld], lw=1.5, label=f"{fld}: exp(mean log ||h_t||)")
        with np.errstate(over="ignore"):
            ax.plot(times, np.exp(ln).mean(axis=(0, 1)), color=COLORS[fld], lw=0.9, ls="--",
                    label=f"{fld}: mean ||h_t|| (as in the paper)")
        ax.fill_between(times, np.exp(q[0]), np.exp(q[2]), color=COLORS[fld], alpha=0.2, label=f"{fld}: 10%-90% over realizations")
    ax.plot(times, np.sqrt(n * times), color="gray", lw=1.0, ls="--", label=r"$\sqrt{n t}$ (orthogonal W)")
    ax.axvline(math.sqrt(n), color="gray", lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xlabel("t")
    ax.set_ylabel(r"$\|h_t\|_2$")
    m, p = np.asarray(next(iter(traces.values())).log_norms).shape[:2]
    ax.set_title(f"Figure 4: n = {n}, {m} matrices x {p} inputs per field")
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, result, out_dir, "figure_4.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
