"""The growth bound against simulated energies, and the instability threshold against sqrt(n).

Reconstructed statement (paper.md claim 4, formulas.md sec. 6): for isotropic inputs

    (1/n) E||W^k||_F^2  >=  m_k(n) := (1/n) E sum_i |lambda_i(W)|^{2k}        (Schur's inequality)

and for the driven recurrence E||h_t||^2 / n = sum_{k<t} (1/n) E||W^k||_F^2 >= sum_{k<t} m_k(n).

Checks:

* eigenvalue moments: Monte Carlo (1/n) sum_i |lambda_i|^{2k} against ``rmtedge.eigenvalue_moment``
  (two-sided z tests, a few k, both fields);
* exact Frobenius energies at k = 1, 2: (1/n) E||W||_F^2 = 1 and (1/n) E||W^2||_F^2 = 1 + c/n^2
  (c = 1 complex, 2 real), z tests of ``rmtedge.power_norms(frobenius=True)``;
* the bound: simulated (1/n) E||W^k||_F^2 >= m_k(n) and E||h_t||^2/n >=
  ``rmtedge.hidden_state_lower_bound(n, t)`` at k, t up to about 1.5 sqrt(n) (one-sided z tests;
  beyond ~2 sqrt(n) the mean is carried by rare matrices and a z test is not calibrated);
* the threshold: the Monte Carlo threshold (first t at which the mean of (1/n)||W^t x||^2/||x||^2
  reaches the level of ``rmtedge.instability_threshold``, factor 2) over a grid of n, drawn with
  the theory's certified threshold (``method="bound"``, which can only be later) on log-log axes.
  Checks: the fitted exponent of the Monte Carlo threshold against the paper's 1/2 (z test with a
  bootstrap standard error over matrices), and t_mc <= t_bound at every n up to Monte Carlo
  noise (one-sided, bootstrap standard deviation of t_mc, Bonferroni over the grid). The
  bound's own exponent (with and without the sqrt(log) correction of
  ``rmtedge.threshold_exponent``) is recorded.

Run alone: ``python validation/growth_bound.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import inspect
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from rmtedge.validation._common import (
    ALPHA,
    COLORS,
    PLOT_HINT,
    THEORY_STYLE,
    Check,
    ExperimentResult,
    experiment_main,
    guarded,
    have,
    load_pyplot,
    require,
    save_figure,
    start_experiment,
    stream,
    z_check,
)

NAME = "growth_bound"
EXP_ID = 6
TITLE = "Growth bound vs simulated energy; instability threshold t*(n) vs sqrt(n)"

SIZES: dict[str, dict[str, Any]] = {
    "smoke": {"n": 40, "matrices": 40, "moment_matrices": 200, "grid": (16, 32, 64), "grid_matrices": 12,
              "grid_inputs": 10, "threshold_fields": ("complex",)},
    "quick": {"n": 100, "matrices": 60, "moment_matrices": 400, "grid": (25, 50, 100, 200), "grid_matrices": 20,
              "grid_inputs": 10, "threshold_fields": ("complex", "real")},
    "full": {"n": 200, "matrices": 200, "moment_matrices": 2000, "grid": (25, 50, 100, 200, 400, 800),
             "grid_matrices": 40, "grid_inputs": 20, "threshold_fields": ("complex", "real")},
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
    n, m = cfg["n"], cfg["matrices"]
    ks_check = sorted({1, 2, max(3, round(0.5 * math.sqrt(n))), round(math.sqrt(n)), round(1.5 * math.sqrt(n))})
    K = max(ks_check[-1], math.ceil(2.5 * math.sqrt(n)))  # the figure shows the growth past sqrt(n)
    fig: dict[str, Any] = {"bound": {}, "threshold": {}}

    for i, fld in enumerate(FIELDS):
        nums = result.numbers.setdefault(fld, {})
        # -- eigenvalue moments m_k(n) against Monte Carlo --------------------------------------
        name = f"eigenvalue_moments_{fld}"
        desc = f"{fld} Glorot, n = {n}: (1/n) sum |lambda|^(2k) vs m_k(n), k in {ks_check[1:]}"
        with guarded(result, name, desc):
            moment = require("eigenvalue_moment")
            eigvals = require("eigvals")
            mm = cfg["moment_matrices"]
            seq = stream(seed, NAME, i, 0)
            ev = eigvals(n, field=fld, size=mm, method="dense", rng=np.random.default_rng(seq))
            a2 = np.abs(ev) ** 2
            rows = []
            for k in ks_check[1:]:
                per = np.mean(a2**k, axis=1)
                th = float(moment(n, k, field=fld))
                c = z_check(f"{name}_k{k}", f"{fld} Glorot, n = {n}: (1/n) E sum |lambda|^{2 * k} vs m_{k}(n)",
                            float(per.mean()), float(per.std(ddof=1) / math.sqrt(mm)), th, spawn_key=list(seq.spawn_key))
                result.add(c)
                rows.append({"k": k, "theory": th, "mc": c.monte_carlo, "se": c.uncertainty})
            nums["eigenvalue_moments"] = rows

        # -- Frobenius energies: exact values and the Schur bound -----------------------------------
        with guarded(result, f"frobenius_k1_{fld}", f"{fld}: (1/n) E||W||_F^2 = 1"):
            power_norms = require("power_norms")
            seq = stream(seed, NAME, i, 1)
            key = list(seq.spawn_key)
            tr = power_norms(n=n, field=fld, K=K, n_matrices=m, n_inputs=1, frobenius=True, rng=np.random.default_rng(seq))
            fe = np.asarray(tr.frobenius_energy)  # (m, K+1)
            ks = np.asarray(tr.ks)
            c = 1.0 if fld == "complex" else 2.0
            for k, exact in ((1, 1.0), (2, 1.0 + c / n**2)):
                col = fe[:, int(np.searchsorted(ks, k))]
                result.add(z_check(f"frobenius_k{k}_{fld}", f"{fld} Glorot, n = {n}: (1/n) E||W^{k}||_F^2 = {exact:.6g} (exact)",
                                   float(col.mean()), float(col.std(ddof=1) / math.sqrt(m)), exact, spawn_key=key))
            nums["frobenius_energy_mean"] = {int(k): float(v) for k, v in zip(ks, fe.mean(axis=0), strict=True)}
            fig["bound"][fld] = {"ks": ks, "mc": fe.mean(axis=0), "se": fe.std(axis=0, ddof=1) / math.sqrt(m), "median": np.median(fe, axis=0)}
            with guarded(result, f"schur_bound_{fld}", f"{fld}: (1/n) E||W^k||_F^2 >= m_k(n)"):
                moment = require("eigenvalue_moment")
                bound = np.array([float(moment(n, int(k), field=fld)) for k in ks])
                fig["bound"][fld]["bound"] = bound
                for k in ks_check[2:]:
                    j = int(np.searchsorted(ks, k))
                    col = fe[:, j]
                    result.add(z_check(f"schur_bound_k{k}_{fld}", f"{fld} Glorot, n = {n}: (1/n) E||W^{k}||_F^2 >= m_{k}(n)",
                                       float(col.mean()), float(col.std(ddof=1) / math.sqrt(m)), float(bound[j]),
                                       alternative="greater", spawn_key=key,
                                       note="one-sided: fails only if the simulation is significantly below the bound"))

        # -- driven recurrence energy against the lower bound ------------------------------------
        name = f"hidden_bound_{fld}"
        desc = f"{fld} Glorot, n = {n}: E||h_t||^2/n >= sum_(k<t) m_k(n)"
        with guarded(result, name, desc):
            bound_fn = require("hidden_state_lower_bound")
            simulate = require("simulate_hidden_states")
            seq = stream(seed, NAME, i, 2)
            times = np.array(ks_check[2:])
            hs = simulate(n=n, field=fld, T=int(times[-1]), n_matrices=m, n_inputs=5, times=times, rng=np.random.default_rng(seq))
            e = np.exp(2.0 * np.asarray(hs.log_norms)) / n  # (m, p, len(times))
            per = e.mean(axis=1)
            rows = []
            for j, t in enumerate(times):
                b = float(bound_fn(n, int(t), field=fld))
                result.add(z_check(f"{name}_t{t}", f"{desc} at t = {t}", float(per[:, j].mean()),
                                   float(per[:, j].std(ddof=1) / math.sqrt(m)), b, alternative="greater",
                                   spawn_key=list(seq.spawn_key)))
                rows.append({"t": int(t), "bound": b, "mc": float(per[:, j].mean())})
            nums["hidden_state_bound"] = rows

    _threshold(result, cfg, seed, fig)
    _figure(result, n, fig, out_dir)
    result.elapsed = time.perf_counter() - t0
    return result


def _threshold(result: ExperimentResult, cfg: dict[str, Any], seed: int, fig: dict[str, Any]) -> None:
    """Theory (certified bound) and Monte Carlo thresholds over a grid of n, with fitted exponents."""
    grid = np.array(cfg["grid"])
    for i, fld in enumerate(cfg["threshold_fields"]):
        name = f"threshold_exponent_{fld}"
        desc = (f"{fld} Glorot: exponent a of the Monte Carlo threshold t*(n) ~ n^a, n in {list(grid)}, "
                "vs the paper's sqrt(n) (a = 1/2)")
        with guarded(result, name, desc):
            threshold = require("instability_threshold")
            power_norms = require("power_norms")
            level = _threshold_level(threshold)
            t_bound = np.array([float(threshold(int(n), field=fld, quantity="impulse")) for n in grid])
            per_n = []
            t_mc = np.empty(grid.size)
            for j, n in enumerate(grid):
                seq = stream(seed, NAME, 5, i, j)
                K = int(t_bound[j]) + 2
                tr = power_norms(n=int(n), field=fld, K=K, n_matrices=cfg["grid_matrices"],
                                 n_inputs=cfg["grid_inputs"], rng=np.random.default_rng(seq))
                ln = np.asarray(tr.log_norms)  # (matrices, inputs, K+1); k = 0 is ||x||
                e = np.mean(np.exp(2.0 * (ln - ln[..., :1])), axis=1)  # per matrix, E over inputs
                per_n.append(e)
                t_mc[j] = _first_mean_crossing(e, level)
            rng_boot = np.random.default_rng(stream(seed, NAME, 9, i))
            boot, boot_t = [], []
            for _ in range(300):
                tb = [_first_mean_crossing(e[rng_boot.integers(0, e.shape[0], e.shape[0])], level) for e in per_n]
                boot.append(_slope(grid, np.array(tb)))
                boot_t.append(tb)
            # a crossing beyond the simulated horizon (t_bound + 2) counts as t_bound + 3
            horizon = t_bound + 3.0
            boot_t_arr = np.where(np.isnan(np.array(boot_t)), horizon, np.array(boot_t))
            t_mc_c = np.where(np.isnan(t_mc), horizon, t_mc)
            sd_t = np.maximum(boot_t_arr.std(axis=0, ddof=1), 0.5)  # thresholds are integers
            a_mc, a_bound = _slope(grid, t_mc), _slope(grid, t_bound)
            se = float(np.nanstd(boot, ddof=1))
            nums: dict[str, Any] = {"field": fld, "level": level, "n": grid, "bound_threshold": t_bound,
                                    "monte_carlo_threshold": t_mc, "mc_over_sqrt_n": t_mc / np.sqrt(grid),
                                    "exponent_mc": a_mc, "exponent_mc_se": se, "exponent_bound": a_bound}
            if have("threshold_exponent"):
                fit = require("threshold_exponent")(grid, field=fld, quantity="impulse", log_correction=True)
                nums["exponent_bound_log_corrected"] = float(fit.alpha)
            result.numbers[f"threshold_{fld}"] = nums
            fig["threshold"][fld] = {"n": grid, "bound": t_bound, "mc": t_mc, "a_bound": a_bound, "a_mc": a_mc}
            result.add(z_check(name, desc, a_mc, max(se, 1e-3), 0.5, spawn_key=[EXP_ID, 5, i],
                               note=f"first t with mean (1/n)||W^t x||^2/||x||^2 >= {level:g}; bootstrap se over matrices"))
            from scipy import stats

            z = (t_mc_c - t_bound) / sd_t
            zmax = float(np.max(z))
            p_val = float(min(1.0, grid.size * stats.norm.sf(zmax)))  # Bonferroni over the grid
            nums["threshold_bootstrap_sd"] = sd_t
            result.add(Check(
                name=f"threshold_below_bound_{fld}",
                description=f"{fld} Glorot: Monte Carlo threshold <= the certified bound threshold "
                            "(instability_threshold, method 'bound') at every n of the grid",
                theory=float(np.min(t_bound - t_mc_c)), monte_carlo=None,
                statistic="max_n (t_mc - t_bound)/sd_boot (one-sided)",
                value=zmax, p_value=p_val, spawn_key=[EXP_ID, 5, i],
                status="pass" if p_val >= ALPHA else "fail",
                note="the bound is below the energy, so t_mc <= t_bound up to Monte Carlo noise; fails if some "
                     "t_mc exceeds t_bound significantly (bootstrap sd over matrices, Bonferroni over n); "
                     "theory column: min_n (t_bound - t_mc)",
            ))


def _threshold_level(threshold: Any) -> float:
    """The ratio at which ``instability_threshold`` declares instability (its ``factor`` default)."""
    try:
        default = inspect.signature(threshold).parameters["factor"].default
    except (KeyError, TypeError, ValueError):
        return 2.0
    return 2.0 if default is inspect.Parameter.empty else float(default)


def _first_mean_crossing(per_matrix_energy: np.ndarray, level: float) -> float:
    """First k >= 1 where the mean over matrices of the energy reaches ``level`` (NaN if never)."""
    mean = per_matrix_energy.mean(axis=0)
    hit = np.nonzero(mean[1:] >= level)[0]
    return float(hit[0] + 1) if hit.size else math.nan


def _slope(n: np.ndarray, t: np.ndarray) -> float:
    ok = np.isfinite(t) & (t > 0)
    if ok.sum() < 2:
        return math.nan
    return float(np.polyfit(np.log(n[ok]), np.log(t[ok]), 1)[0])


def _figure(result: ExperimentResult, n: int, fig_data: dict[str, Any], out_dir: Path | None) -> None:
    plt = load_pyplot()
    if plt is None:
        result.notes.append(PLOT_HINT)
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    ax = axes[0]
    for fld, d in fig_data["bound"].items():
        ax.errorbar(d["ks"], d["mc"], yerr=2 * d["se"], fmt=".", color=COLORS[fld], ms=3, label=f"{fld}: MC mean (1/n)||W^k||_F^2 (+/- 2 se)")
        ax.plot(d["ks"], d["median"], "x", color=COLORS[fld], ms=4, label=f"{fld}: MC median")
        if "bound" in d:
            style = dict(THEORY_STYLE)
            style["ls"] = "-" if fld == "complex" else "-."
            ax.plot(d["ks"], d["bound"], **style, label=f"{fld}: bound m_k(n)")
    ax.axvline(math.sqrt(n), color="gray", lw=0.8, ls=":")
    ax.axvline(1.5 * math.sqrt(n), color="gray", lw=0.8, ls="--")
    ax.text(1.5 * math.sqrt(n), ax.get_ylim()[1], " checks up to here", fontsize=7, va="top")
    ax.set_yscale("log")
    ax.set_xlabel("k")
    ax.set_title(f"Schur bound vs simulated energy, n = {n}")
    ax.legend(fontsize=8)
    ax = axes[1]
    th = fig_data.get("threshold") or {}
    for fld, d in th.items():
        nn = np.asarray(d["n"], dtype=float)
        ax.loglog(nn, d["mc"], "o", color=COLORS[fld], label=f"{fld}: Monte Carlo (slope {d['a_mc']:.3f})")
        style = dict(THEORY_STYLE)
        style["ls"] = "-" if fld == "complex" else "-."
        ax.loglog(nn, d["bound"], **style, label=f"{fld}: bound threshold (slope {d['a_bound']:.3f})")
    if th:
        d = next(iter(th.values()))
        nn = np.asarray(d["n"], dtype=float)
        ax.loglog(nn, 2.0 * np.sqrt(nn), color="gray", ls="--", lw=1, label="2 sqrt(n) (slope 1/2)")
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "instability_threshold not available", ha="center", transform=ax.transAxes)
    ax.set_xlabel("n")
    ax.set_ylabel("t*(n)")
    ax.set_title("instability threshold t*(n): (1/n)E||W^t||_F^2 >= 2")
    fig.tight_layout()
    save_figure(fig, result, out_dir, "growth_bound.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
