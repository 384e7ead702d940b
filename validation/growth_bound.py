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

Named alternatives (power): the circular-law limit 1/(k+1) for the moments; entries of variance
1.02/n for the exact energies; a simulated energy half the bound for the one-sided bound checks;
linear growth (a = 1) for the exponent; a bound threshold 25% below the simulated one.

Run alone: ``python validation/growth_bound.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rmtedge.validation._common import COLORS, THEORY_STYLE, Check, Power, Run, experiment, z_check

import rmtedge

SIZES = {
    "smoke": {"n": 40, "matrices": 40, "moment_matrices": 200, "grid": (16, 32, 64), "grid_matrices": 12,
              "grid_inputs": 10, "threshold_fields": ("complex",)},
    "quick": {"n": 100, "matrices": 60, "moment_matrices": 400, "grid": (25, 50, 100, 200), "grid_matrices": 20,
              "grid_inputs": 10, "threshold_fields": ("complex", "real")},
    "full": {"n": 200, "matrices": 200, "moment_matrices": 2000, "grid": (25, 50, 100, 200, 400, 800),
             "grid_matrices": 40, "grid_inputs": 20, "threshold_fields": ("complex", "real")},
}
FIELDS = ("real", "complex")
#: instability level of the threshold: (1/n) E||W^t||_F^2 >= LEVEL (``instability_threshold``'s factor)
LEVEL = 2.0
#: entry variance (times 1/n) of the alternative of the exact Frobenius energies
ALT_VARIANCE = 1.02
#: the alternative of the threshold check: a bound threshold this fraction below the simulated one
ALT_THRESHOLD_DROP = 0.25


@experiment("growth_bound", stream_id=6, sizes=SIZES,
            title="Growth bound vs simulated energy; instability threshold t*(n) vs sqrt(n)")
def run(ex: Run) -> None:
    """Moments, exact energies, the Schur and hidden-state bounds, the threshold; see the docstring."""
    cfg = ex.cfg
    n, m = cfg["n"], cfg["matrices"]
    ks_check = sorted({1, 2, max(3, round(0.5 * math.sqrt(n))), round(math.sqrt(n)), round(1.5 * math.sqrt(n))})
    K = max(ks_check[-1], math.ceil(2.5 * math.sqrt(n)))  # the figure shows the growth past sqrt(n)
    fig: dict[str, Any] = {"bound": {}, "threshold": {}, "checked_up_to": ks_check[-1]}
    moment_rows, bound_rows = [], []

    for i, fld in enumerate(FIELDS):
        nums = ex.numbers.setdefault(fld, {})
        # -- eigenvalue moments m_k(n) against Monte Carlo ------------------------------------------
        mm = cfg["moment_matrices"]
        seq = ex.stream(i, 0)
        ev = rmtedge.eigvals(n, field=fld, size=mm, method="dense", rng=np.random.default_rng(seq))
        a2 = np.abs(ev) ** 2
        rows = []
        for k in ks_check[1:]:
            per = np.mean(a2**k, axis=1)
            th = float(rmtedge.eigenvalue_moment(n, k, field=fld))
            c = ex.add(z_check(f"eigenvalue_moments_{fld}_k{k}",
                               f"{fld} Glorot, n = {n}: (1/n) E sum |lambda|^{2 * k} vs m_{k}(n)",
                               float(per.mean()), float(per.std(ddof=1) / math.sqrt(mm)), th,
                               alternative=(f"the circular-law limit 1/(k+1) = {1 / (k + 1):.4g}", 1.0 / (k + 1)),
                               spawn_key=seq.spawn_key))
            rows.append({"k": k, "theory": th, "mc": c.monte_carlo, "se": c.uncertainty})
            moment_rows.append([fld, k, th, c.monte_carlo, c.uncertainty, 1.0 / (k + 1)])
        nums["eigenvalue_moments"] = rows

        # -- Frobenius energies: exact values and the Schur bound -----------------------------------
        seq = ex.stream(i, 1)
        tr = rmtedge.power_norms(n=n, field=fld, T=K, n_matrices=m, n_inputs=1, frobenius=True,
                                 rng=np.random.default_rng(seq))
        fe = np.asarray(tr.frobenius_energy)  # (m, K+1)
        ks = np.asarray(tr.times)
        c = 1.0 if fld == "complex" else 2.0
        v = ALT_VARIANCE
        for k, exact, alt in ((1, 1.0, v), (2, 1.0 + c / n**2, v * v * (1.0 + c / n**2))):
            col = fe[:, int(np.searchsorted(ks, k))]
            ex.add(z_check(f"frobenius_k{k}_{fld}", f"{fld} Glorot, n = {n}: (1/n) E||W^{k}||_F^2 = {exact:.6g} (exact)",
                           float(col.mean()), float(col.std(ddof=1) / math.sqrt(m)), exact,
                           alternative=(f"entries of variance {v:g}/n", alt), spawn_key=seq.spawn_key))
        bound = np.array([float(rmtedge.eigenvalue_moment(n, int(k), field=fld)) for k in ks])
        nums["frobenius_energy_mean"] = {int(k): float(x) for k, x in zip(ks, fe.mean(axis=0), strict=True)}
        fig["bound"][fld] = {"ks": ks, "mc": fe.mean(axis=0), "se": fe.std(axis=0, ddof=1) / math.sqrt(m),
                             "median": np.median(fe, axis=0), "bound": bound}
        for k in ks_check[2:]:
            j = int(np.searchsorted(ks, k))
            col = fe[:, j]
            ex.add(z_check(f"schur_bound_k{k}_{fld}", f"{fld} Glorot, n = {n}: (1/n) E||W^{k}||_F^2 >= m_{k}(n)",
                           float(col.mean()), float(col.std(ddof=1) / math.sqrt(m)), float(bound[j]),
                           alternative=("a simulated energy half the bound", 0.5 * float(bound[j])),
                           lower_bound=True, spawn_key=seq.spawn_key,
                           note="one-sided: fails only if the simulation is significantly below the bound"))
            bound_rows.append([fld, "(1/n) E||W^k||_F^2", k, float(bound[j]), float(col.mean())])

        # -- driven recurrence energy against the lower bound ------------------------------------
        seq = ex.stream(i, 2)
        times = np.array(ks_check[2:])
        hs = rmtedge.simulate_hidden_states(n=n, field=fld, T=int(times[-1]), n_matrices=m, n_inputs=5, times=times,
                                            rng=np.random.default_rng(seq))
        per = (np.exp(2.0 * np.asarray(hs.log_norms)) / n).mean(axis=1)  # (m, len(times))
        rows = []
        for j, t in enumerate(times):
            b = float(rmtedge.hidden_state_lower_bound(n, int(t), field=fld))
            ex.add(z_check(f"hidden_bound_{fld}_t{t}", f"{fld} Glorot, n = {n}: E||h_t||^2/n >= sum_(k<t) m_k(n) at t = {t}",
                           float(per[:, j].mean()), float(per[:, j].std(ddof=1) / math.sqrt(m)), b,
                           alternative=("a simulated energy half the bound", 0.5 * b), lower_bound=True,
                           spawn_key=seq.spawn_key))
            rows.append({"t": int(t), "bound": b, "mc": float(per[:, j].mean())})
            bound_rows.append([fld, "E||h_t||^2/n", int(t), b, float(per[:, j].mean())])
        nums["hidden_state_bound"] = rows

    ex.table("Eigenvalue moments m_k(n) = (1/n) E sum |lambda|^(2k)",
             ["field", "k", "m_k(n)", "Monte Carlo", "std. error", "circular limit 1/(k+1)"], moment_rows,
             note=f"n = {n}, {cfg['moment_matrices']} matrices.")
    ex.table("Lower bounds against simulated energies", ["field", "quantity", "k or t", "bound", "Monte Carlo mean"],
             bound_rows, note=f"n = {n}, {m} matrices.")
    _threshold(ex, fig)
    _figure(ex, n, fig)


def _threshold(ex: Run, fig: dict[str, Any]) -> None:
    """Theory (certified bound) and Monte Carlo thresholds over a grid of n, with fitted exponents."""
    from scipy import stats

    cfg = ex.cfg
    grid = np.array(cfg["grid"])
    rows = []
    for i, fld in enumerate(cfg["threshold_fields"]):
        t_bound = np.array([float(rmtedge.instability_threshold(int(n), field=fld, quantity="impulse", factor=LEVEL))
                            for n in grid])
        per_n = []
        t_mc = np.empty(grid.size)
        for j, n in enumerate(grid):
            K = int(t_bound[j]) + 2
            tr = rmtedge.power_norms(n=int(n), field=fld, T=K, n_matrices=cfg["grid_matrices"],
                                     n_inputs=cfg["grid_inputs"], rng=ex.rng(5, i, j))
            ln = np.asarray(tr.log_norms)  # (matrices, inputs, K+1); k = 0 is ||x||
            e = np.mean(np.exp(2.0 * (ln - ln[..., :1])), axis=1)  # per matrix, E over inputs
            per_n.append(e)
            t_mc[j] = _first_mean_crossing(e, LEVEL)
        rng_boot = ex.rng(9, i)
        boot, boot_t = [], []
        for _ in range(300):
            tb = [_first_mean_crossing(e[rng_boot.integers(0, e.shape[0], e.shape[0])], LEVEL) for e in per_n]
            boot.append(_slope(grid, np.array(tb)))
            boot_t.append(tb)
        # a crossing beyond the simulated horizon (t_bound + 2) counts as t_bound + 3
        horizon = t_bound + 3.0
        boot_t_arr = np.where(np.isnan(np.array(boot_t)), horizon, np.array(boot_t))
        t_mc_c = np.where(np.isnan(t_mc), horizon, t_mc)
        sd_t = np.maximum(boot_t_arr.std(axis=0, ddof=1), 0.5)  # thresholds are integers
        a_mc, a_bound = _slope(grid, t_mc), _slope(grid, t_bound)
        se = max(float(np.nanstd(boot, ddof=1)), 1e-3)
        fit = rmtedge.threshold_exponent(grid, field=fld, quantity="impulse", log_correction=True)
        ex.numbers[f"threshold_{fld}"] = {
            "field": fld, "level": LEVEL, "n": grid, "bound_threshold": t_bound, "monte_carlo_threshold": t_mc,
            "mc_over_sqrt_n": t_mc / np.sqrt(grid), "exponent_mc": a_mc, "exponent_mc_se": se,
            "exponent_bound": a_bound, "exponent_bound_log_corrected": float(fit.alpha), "threshold_bootstrap_sd": sd_t}
        fig["threshold"][fld] = {"n": grid, "bound": t_bound, "mc": t_mc, "a_bound": a_bound, "a_mc": a_mc}
        key = list(ex.stream(5, i).spawn_key)
        ex.add(z_check(f"threshold_exponent_{fld}",
                       f"{fld} Glorot: exponent a of the Monte Carlo threshold t*(n) ~ n^a, n in {[int(x) for x in grid]}, "
                       "vs the paper's sqrt(n) (a = 1/2)", a_mc, se, 0.5,
                       alternative=("linear growth t* ~ n (a = 1)", 1.0), spawn_key=key,
                       note=f"first t with mean (1/n)||W^t x||^2/||x||^2 >= {LEVEL:g}; bootstrap standard error over matrices"))
        z = (t_mc_c - t_bound) / sd_t
        zmax = float(np.max(z))
        p_val = float(min(1.0, grid.size * stats.norm.sf(zmax)))  # Bonferroni over the grid
        shifts = ALT_THRESHOLD_DROP * t_mc_c / sd_t
        power = Power(f"a bound threshold {ALT_THRESHOLD_DROP:.0%} below the simulated one", "normal approximation",
                      "max_normal", {"shifts": shifts})
        ex.add(Check(
            name=f"threshold_below_bound_{fld}",
            description=f"{fld} Glorot: Monte Carlo threshold <= the certified bound threshold "
                        "(instability_threshold, method 'bound') at every n of the grid",
            theory=float(np.min(t_bound - t_mc_c)), statistic="max_n (t_mc - t_bound)/sd_boot (one-sided)",
            value=zmax, p_value=p_val, spawn_key=key, power_model=power, alternative=power.alternative,
            power_method=power.method,
            note="the bound is below the energy, so t_mc <= t_bound up to Monte Carlo noise; fails if some "
                 "t_mc exceeds t_bound significantly (bootstrap sd over matrices, Bonferroni over n); "
                 "theory column: min_n (t_bound - t_mc)"))
        rows.extend([fld, int(nn), tb, tm, tm / math.sqrt(nn)] for nn, tb, tm in zip(grid, t_bound, t_mc, strict=True))
    ex.table("Instability threshold t*(n): certified bound vs Monte Carlo",
             ["field", "n", "bound threshold", "Monte Carlo threshold", "Monte Carlo / sqrt(n)"], rows,
             note=f"first t with (1/n) E||W^t||_F^2 >= {LEVEL:g} (Monte Carlo: mean over matrices and inputs).")


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


def _figure(ex: Run, n: int, data: dict[str, Any]) -> None:
    with ex.figure("growth_bound.png", figsize=(14, 5)) as fig:
        if fig is None:
            return
        from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

        axes = fig.subplots(1, 2)
        ax = axes[0]
        for fld, d in data["bound"].items():
            ax.errorbar(d["ks"], d["mc"], yerr=2 * d["se"], fmt=".", color=COLORS[fld], ms=3,
                        label=f"{fld}: Monte Carlo mean (+/- 2 std. errors)")
            ax.plot(d["ks"], d["median"], "x", color=COLORS[fld], ms=4, label=f"{fld}: Monte Carlo median")
            ax.plot(d["ks"], d["bound"], **dict(THEORY_STYLE, color=COLORS[fld], ls="-" if fld == "complex" else "-."),
                    label=f"{fld}: lower bound m_k(n) (theory)")
        ax.axvline(math.sqrt(n), color="gray", lw=0.9, ls=":", label=r"$k = \sqrt{n}$" + f" = {math.sqrt(n):.0f}")
        ax.axvline(data["checked_up_to"], color="gray", lw=0.9, ls="--",
                   label=f"k = {data['checked_up_to']}: bound checked up to here")
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("power k")
        ax.set_ylabel(r"energy $(1/n)\,E\|W^k\|_F^2$")
        ax.set_title(f"Schur lower bound vs simulated energy, n = {n}")
        ax.legend(fontsize=7)
        ax = axes[1]
        th = data["threshold"]
        for fld, d in th.items():
            nn = np.asarray(d["n"], dtype=float)
            ax.loglog(nn, d["mc"], "o", color=COLORS[fld], ms=6, label=f"{fld}: Monte Carlo threshold (slope {d['a_mc']:.3f})")
            ax.loglog(nn, d["bound"], marker="s", mfc="none", ms=7,
                      **dict(THEORY_STYLE, color=COLORS[fld], ls="-" if fld == "complex" else "-."),
                      label=f"{fld}: certified bound threshold, theory (slope {d['a_bound']:.3f})")
        d = next(iter(th.values()))
        nn = np.asarray(d["n"], dtype=float)
        ax.loglog(nn, 2.0 * np.sqrt(nn), color="gray", ls="--", lw=1, label=r"$2\sqrt{n}$ (slope 1/2, the paper's rate)")
        for axis in (ax.xaxis, ax.yaxis):  # plain numbers on the log axes
            axis.set_major_formatter(ScalarFormatter())
            axis.set_minor_formatter(NullFormatter())
        ax.set_xticks(nn)
        ax.set_yticks([t for t in (5, 10, 15, 20, 30, 40, 60, 80, 120, 160) if 0.8 * ax.get_ylim()[0] <= t <= ax.get_ylim()[1]])
        ax.set_xlabel("matrix dimension n")
        ax.set_ylabel("threshold t*(n) (time steps)")
        ax.set_title(rf"instability threshold: first t with $(1/n)E\|W^t\|_F^2 \geq {LEVEL:g}$")
        ax.legend(fontsize=7)


if __name__ == "__main__":
    raise SystemExit(run.main())
