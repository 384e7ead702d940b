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
* the threshold: ``rmtedge.instability_threshold(n)`` for a grid of n against the Monte Carlo
  threshold (first t at which the median over matrices of the simulated energy crosses the same
  level), with the exponent of t* ~ n^a fitted on log-log axes for both (recorded; the check is a
  z test of the Monte Carlo exponent against the theoretical one with the bootstrap standard
  error).

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
    COLORS,
    PLOT_HINT,
    THEORY_STYLE,
    ExperimentResult,
    experiment_main,
    guarded,
    have,
    load_pyplot,
    require,
    resolve_size,
    save_figure,
    stream,
    z_check,
)

NAME = "growth_bound"
TITLE = "Growth bound vs simulated energy; instability threshold t*(n) vs sqrt(n)"

SIZES: dict[str, dict[str, Any]] = {
    "smoke": {"n": 40, "matrices": 40, "moment_matrices": 200, "grid": (16, 32, 64), "grid_matrices": 12, "grid_inputs": 10},
    "quick": {"n": 100, "matrices": 60, "moment_matrices": 400, "grid": (25, 50, 100, 200), "grid_matrices": 20, "grid_inputs": 10},
    "full": {"n": 200, "matrices": 200, "moment_matrices": 2000, "grid": (25, 50, 100, 200, 400, 800), "grid_matrices": 40, "grid_inputs": 20},
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
    t0 = time.perf_counter()
    size = resolve_size(quick, size)
    cfg = SIZES[size]
    result = ExperimentResult(name=NAME, title=TITLE, size=size, seed=seed)
    result.numbers["config"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()}
    n, m = cfg["n"], cfg["matrices"]
    ks_check = sorted({1, 2, max(3, round(0.5 * math.sqrt(n))), round(math.sqrt(n)), round(1.5 * math.sqrt(n))})
    K = ks_check[-1]
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
    """Theory and Monte Carlo thresholds over a grid of n, with fitted exponents."""
    grid = np.array(cfg["grid"])
    fld = "complex"
    name = "threshold_exponent"
    desc = f"{fld} Glorot: exponent a of t*(n) ~ n^a, Monte Carlo vs theory, n in {list(grid)}"
    with guarded(result, name, desc):
        threshold = require("instability_threshold")
        power_norms = require("power_norms")
        level = _threshold_level(threshold)
        t_theory = np.array([float(threshold(int(n), field=fld)) for n in grid])
        t_mc = np.empty(grid.size)
        boot = []
        rng_boot = np.random.default_rng(stream(seed, NAME, 9))
        per_n = []
        for j, n in enumerate(grid):
            K = int(max(4 * math.sqrt(n), 2 * t_theory[j]))
            seq = stream(seed, NAME, 5, j)
            tr = power_norms(n=int(n), field=fld, K=K, n_matrices=cfg["grid_matrices"], n_inputs=cfg["grid_inputs"],
                             rng=np.random.default_rng(seq))
            # per matrix: log of the mean over inputs of ||W^k x||^2 / ||x||^2 (x isotropic)
            ln = np.asarray(tr.log_norms)
            e = np.log(np.mean(np.exp(2.0 * (ln - ln[..., :1])), axis=1))  # (matrices, K+1)
            per_n.append(e)
            t_mc[j] = _crossing(np.median(e, axis=0), math.log(level))
        for _ in range(200):
            tb = [_crossing(np.median(e[rng_boot.integers(0, e.shape[0], e.shape[0])], axis=0), math.log(level)) for e in per_n]
            boot.append(_slope(grid, np.array(tb)))
        a_mc, a_th = _slope(grid, t_mc), _slope(grid, t_theory)
        se = float(np.nanstd(boot, ddof=1))
        result.numbers["threshold"] = {"field": fld, "level": level, "n": grid, "theory": t_theory, "monte_carlo": t_mc,
                                       "exponent_theory": a_th, "exponent_mc": a_mc, "exponent_mc_se": se}
        fig["threshold"] = {"n": grid, "theory": t_theory, "mc": t_mc, "a_th": a_th, "a_mc": a_mc}
        result.add(z_check(name, desc, a_mc, max(se, 1e-3), a_th,
                           note=f"threshold level {level:g} of the median energy; bootstrap se over matrices"))
        if have("fit_growth_exponent"):
            result.numbers["threshold"]["library_fit"] = _jsonable_fit(require("fit_growth_exponent")(grid, t_theory))


def _threshold_level(threshold: Any) -> float:
    """The energy level at which ``instability_threshold`` declares instability (its default)."""
    try:
        sig = inspect.signature(threshold)
    except (TypeError, ValueError):
        return 2.0
    for pname in ("level", "factor", "energy", "growth"):
        if pname in sig.parameters and sig.parameters[pname].default is not inspect.Parameter.empty:
            return float(sig.parameters[pname].default)
    return 2.0


def _crossing(log_curve: np.ndarray, log_level: float) -> float:
    """First index where ``log_curve`` exceeds ``log_level`` (linear interpolation), NaN if never."""
    above = np.nonzero(log_curve >= log_level)[0]
    above = above[above > 0]
    if above.size == 0:
        return math.nan
    j = int(above[0])
    y0, y1 = log_curve[j - 1], log_curve[j]
    return float(j - 1 + (log_level - y0) / (y1 - y0)) if y1 != y0 else float(j)


def _slope(n: np.ndarray, t: np.ndarray) -> float:
    ok = np.isfinite(t) & (t > 0)
    if ok.sum() < 2:
        return math.nan
    return float(np.polyfit(np.log(n[ok]), np.log(t[ok]), 1)[0])


def _jsonable_fit(fit: Any) -> Any:
    if hasattr(fit, "_asdict"):
        return dict(fit._asdict())
    if hasattr(fit, "__dict__"):
        return dict(vars(fit))
    return fit


def _figure(result: ExperimentResult, n: int, fig_data: dict[str, Any], out_dir: Path | None) -> None:
    plt = load_pyplot()
    if plt is None:
        result.notes.append(PLOT_HINT)
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    ax = axes[0]
    for fld, d in fig_data["bound"].items():
        ax.errorbar(d["ks"], d["mc"], yerr=2 * d["se"], fmt=".", color=COLORS[fld], ms=3, label=f"{fld}: MC mean (1/n)||W^k||_F^2 (+/- 2 se)")
        if "bound" in d:
            style = dict(THEORY_STYLE)
            style["ls"] = "-" if fld == "complex" else "-."
            ax.plot(d["ks"], d["bound"], **style, label=f"{fld}: bound m_k(n)")
    ax.axvline(math.sqrt(n), color="gray", lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xlabel("k")
    ax.set_title(f"Schur bound vs simulated energy, n = {n}")
    ax.legend(fontsize=8)
    ax = axes[1]
    th = fig_data.get("threshold") or {}
    if th:
        nn = np.asarray(th["n"], dtype=float)
        ax.loglog(nn, th["mc"], "o", color=COLORS["complex"], label=f"Monte Carlo (slope {th['a_mc']:.3f})")
        ax.loglog(nn, th["theory"], **THEORY_STYLE, label=f"theory t*(n) (slope {th['a_th']:.3f})")
        ax.loglog(nn, np.sqrt(nn) * th["theory"][0] / math.sqrt(nn[0]), color="gray", ls="--", lw=1, label="sqrt(n) (slope 1/2)")
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "instability_threshold not available", ha="center", transform=ax.transAxes)
    ax.set_xlabel("n")
    ax.set_ylabel("t*(n)")
    ax.set_title("instability threshold (complex Glorot)")
    fig.tight_layout()
    save_figure(fig, result, out_dir, "growth_bound.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
