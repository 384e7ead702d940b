"""The growth bound against simulated energies, and the instability threshold against sqrt(n).

Reconstructed statement (``docs/theory.md``, "The setting of the paper", claim 4, ``docs/theory.md``, "Moments, the growth bound and the instability threshold"): for isotropic inputs

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
* exact energies (``rmtedge.recurrent.energy``): the exact complex energy e_k(n) =
  (1/n) E||W^k||_F^2 (``frobenius_energy``) against the dense Monte Carlo mean and the mean of the
  reduced Hessenberg sampler (``energy_samples``: ||W^k e_1||^2 from the leading (k+1) x k block,
  exact in law, cost independent of n), two-sided z tests at the k of the bound checks; the real
  field: the same against the exact real energy (Wick polynomials) at k <= ``REAL_EXACT_K_MAX``
  and reduced against dense means (two-sample z) beyond. At k ~ 2.5 sqrt(n) the mean is carried
  by rare samples, so there the LAWS are compared: two-sample KS of log ||W^k e_1||^2, reduced
  sampler against dense W (one column per matrix); medians and mean logs are tabulated.
* t*(n) from the exact complex energy (``instability_threshold(method="exact")``) for n = 16 ..
  10^5: the fitted exponent (``threshold_exponent``; plain on n >= 256 and on the whole range,
  and log-corrected) is a deterministic number, shown (not counted) with its tolerance. t*(n)
  from the reduced sampler (both fields) on a grid up to 1.6 x 10^4 (quick) or 10^5 (full). The
  counted check there is on the energies the thresholds come from: the sampler's mean at
  k = round(sqrt(n)) against the exact e_k(n), pooled over the grid (Stouffer z of the per-n z
  statistics). The sampler threshold against the exact one, and against the dense Monte Carlo
  threshold at the n of the dense grid, are shown, not counted: a threshold is the first
  crossing of a heavy-tailed mean, and neither its bootstrap sd (anti-conservative in an
  11-seed study: max-|z| p < 0.05 in 4 seeds) nor the censored dense estimate is a calibrated
  error; the mean at k = sqrt(n) is (40-seed study: per-n z sd 0.9..1.2), while at k = t*(n)
  ~ 2.09 sqrt(n) a z test of the mean is not (z down to -5 for a correct sampler).

Named alternatives (power): the circular-law limit 1/(k+1) for the moments; entries of variance
1.02/n for the exact energies; a simulated energy half the bound for the one-sided bound checks;
linear growth (a = 1) for the exponent; a bound threshold 25% below the simulated one; an energy
10% above the exact (or dense) one for the exact-vs-reduced-vs-dense means; the other field's law
for the KS test of logs (power by resampling the other field's reduced samples).

Run alone: ``python validation/growth_bound.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rmtedge.validation._common import (
    COLORS,
    THEORY_STYLE,
    Check,
    Power,
    Run,
    demonstration,
    experiment,
    z_check,
)

import rmtedge
from rmtedge.recurrent import energy as en

#: widths of the exact complex threshold t*(n) (cheap: one O(n t) recursion per n)
EXACT_GRID = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 100000)
SIZES = {
    "smoke": {"n": 40, "matrices": 40, "moment_matrices": 200, "grid": (16, 32, 64), "grid_matrices": 12,
              "grid_inputs": 10, "threshold_fields": ("complex",), "reduced_samples": 1000, "law_matrices": 200,
              "exact_grid": (16, 64, 256, 1024, 4096), "mc_grid": (16, 64, 256), "mc_samples": 200},
    "quick": {"n": 100, "matrices": 60, "moment_matrices": 400, "grid": (25, 50, 100, 200), "grid_matrices": 20,
              "grid_inputs": 10, "threshold_fields": ("complex", "real"), "reduced_samples": 4000, "law_matrices": 400,
              "exact_grid": EXACT_GRID, "mc_grid": (16, 64, 256, 1024, 4096, 16384), "mc_samples": 300},
    "full": {"n": 200, "matrices": 200, "moment_matrices": 2000, "grid": (25, 50, 100, 200, 400, 800),
             "grid_matrices": 40, "grid_inputs": 20, "threshold_fields": ("complex", "real"), "reduced_samples": 20000,
             "law_matrices": 1000, "exact_grid": EXACT_GRID,
             "mc_grid": (16, 64, 256, 1024, 4096, 16384, 100000), "mc_samples": 600},
}
FIELDS = ("real", "complex")
#: instability level of the threshold: (1/n) E||W^t||_F^2 >= LEVEL (``instability_threshold``'s factor)
LEVEL = 2.0
#: entry variance (times 1/n) of the alternative of the exact Frobenius energies
ALT_VARIANCE = 1.02
#: the alternative of the threshold check: a bound threshold this fraction below the simulated one
ALT_THRESHOLD_DROP = 0.25
#: the alternative of the exact-vs-reduced-vs-dense energy checks: an energy this factor too high
ALT_ENERGY_FACTOR = 1.1
#: tolerance of the (deterministic) exponent of the exact complex threshold on n >= 256
EXACT_EXPONENT_TOL = 0.01
#: seeds of the power simulations (fixed: the power does not depend on --seed)
_POWER_SEED = 20261202


@experiment("growth_bound", stream_id=6, sizes=SIZES,
            title="Growth bound vs simulated energy; instability threshold t*(n) vs sqrt(n)")
def run(ex: Run) -> None:
    """Moments, exact energies, the Schur and hidden-state bounds, the threshold; see the docstring."""
    cfg = ex.cfg
    n, m = cfg["n"], cfg["matrices"]
    ks_check = sorted({1, 2, max(3, round(0.5 * math.sqrt(n))), round(math.sqrt(n)), round(1.5 * math.sqrt(n))})
    K = max(ks_check[-1], math.ceil(2.5 * math.sqrt(n)))  # the figure shows the growth past sqrt(n)
    fig: dict[str, Any] = {"bound": {}, "threshold": {}, "checked_up_to": ks_check[-1]}
    moment_rows, bound_rows, energy_rows, law_rows = [], [], [], []

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
        _exact_and_reduced(ex, i, fld, n, ks, fe, ks_check, fig["bound"][fld], energy_rows, law_rows)
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
    ex.table("Energy (1/n) E||W^k||_F^2: exact vs reduced Hessenberg sampler vs dense W",
             ["field", "k", "exact", "reduced mean", "reduced std. error", "dense mean", "dense std. error"],
             energy_rows,
             note=f"n = {n}; reduced: {cfg['reduced_samples']} samples of ||W^k e_1||^2; dense: {m} matrices "
                  "((1/n)||W^k||_F^2 per matrix). The exact real energy is known for k <= "
                  f"{en.REAL_EXACT_K_MAX} only.")
    ex.table("Heavy-tailed powers: law of log ||W^k e_1||^2, reduced sampler vs dense W",
             ["field", "k", "log exact mean", "reduced median", "dense median", "reduced mean log",
              "dense mean log", "KS D", "KS p"], law_rows,
             note=f"n = {n}; the mean is dominated by rare samples here, so medians and mean logs are compared "
                  "(log of the exact mean shown for scale; complex only).")
    _threshold(ex, fig)
    _threshold_energy(ex, fig)
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
        fig["threshold"][fld] = {"n": grid, "bound": t_bound, "mc": t_mc, "a_bound": a_bound, "a_mc": a_mc,
                                 "mc_censored": t_mc_c, "sd": sd_t}
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


def _exact_and_reduced(ex: Run, i: int, fld: str, n: int, ks: np.ndarray, fe: np.ndarray, ks_check: list[int],
                       figd: dict[str, Any], energy_rows: list[list[Any]], law_rows: list[list[Any]]) -> None:
    """Exact energy vs the reduced Hessenberg sampler vs dense W (means), and the laws of the logs.

    ``fe``: dense (1/n)||W^k||_F^2 per matrix, columns ``ks``; the checks are made at
    ``ks_check[2:]``; the law comparison at the largest power ``ks[-1]`` (~2.5 sqrt(n)).
    """
    from scipy import stats

    cfg = ex.cfg
    K = int(ks[-1])
    rs = cfg["reduced_samples"]
    seq = ex.stream(i, 3)
    key = list(seq.spawn_key)
    red = en.energy_samples(n, K, field=fld, size=rs, rng=np.random.default_rng(seq))  # (rs, K+1)
    red_mean, red_se = red.mean(axis=0), red.std(axis=0, ddof=1) / math.sqrt(rs)
    m = fe.shape[0]
    den_mean, den_se = fe.mean(axis=0), fe.std(axis=0, ddof=1) / math.sqrt(m)
    k_exact = ks if fld == "complex" else ks[ks <= en.REAL_EXACT_K_MAX]
    exact = np.asarray(en.frobenius_energy(n, k_exact, field=fld), dtype=np.float64)
    figd.update(reduced=red_mean, reduced_median=np.median(red, axis=0), exact_ks=k_exact, exact=exact)
    f = ALT_ENERGY_FACTOR
    rows = []
    # the checked powers, and for the real field also the largest power with an exact energy
    k_list = sorted(set(ks_check[2:]) | ({en.REAL_EXACT_K_MAX} if fld == "real" and en.REAL_EXACT_K_MAX < K else set()))
    for k in k_list:
        j = int(np.searchsorted(ks, k))
        row: dict[str, Any] = {"k": int(k), "reduced": float(red_mean[j]), "reduced_se": float(red_se[j]),
                               "dense": float(den_mean[j]), "dense_se": float(den_se[j])}
        if k <= k_exact[-1]:
            e = float(exact[j])
            row["exact"] = e
            for label, mu, se, what in (("reduced", red_mean[j], red_se[j], f"mean of ||W^{k} e_1||^2 over {rs} reduced samples"),
                                        ("dense", den_mean[j], den_se[j], f"mean of (1/n)||W^{k}||_F^2 over {m} dense matrices")):
                ex.add(z_check(f"energy_{label}_vs_exact_k{k}_{fld}",
                               f"{fld} Glorot, n = {n}: {what} vs the exact energy e_{k}(n) = {e:.5g}",
                               float(mu), float(se), e,
                               alternative=(f"an energy {f - 1:.0%} above the exact one ({f * e:.5g})", f * e),
                               spawn_key=key))
        else:
            se = math.hypot(float(red_se[j]), float(den_se[j]))
            ex.add(z_check(f"energy_reduced_vs_dense_k{k}_{fld}",
                           f"{fld} Glorot, n = {n}: reduced-sampler mean minus dense mean of (1/n)E||W^{k}||_F^2 = 0",
                           float(red_mean[j] - den_mean[j]), se, 0.0,
                           alternative=(f"a reduced-sampler energy {f - 1:.0%} above the dense one",
                                        (f - 1.0) * float(den_mean[j])),
                           spawn_key=key,
                           note=f"two-sample (independent streams); no exact real energy beyond k = {en.REAL_EXACT_K_MAX}"))
        energy_rows.append([fld, int(k), row.get("exact"), row["reduced"], row["reduced_se"], row["dense"], row["dense_se"]])
        rows.append(row)
    ex.numbers.setdefault(fld, {})["energy_exact_reduced_dense"] = rows

    # -- the law at the largest power, where the mean is heavy-tailed ----------------------------
    # dense: ||W^K e_1||^2 from one column of each of `law_matrices` fresh matrices (independent)
    seq_d = ex.stream(i, 4)
    md = cfg["law_matrices"]
    gen_d = np.random.default_rng(seq_d)
    dense_log = np.empty(md)
    for c0 in range(0, md, 100):  # chunks of 100 matrices (memory)
        g = rmtedge.ginibre(n, field=fld, size=min(100, md - c0), rng=gen_d)
        v = np.array(g[:, :, 0])  # W e_1
        for _ in range(K - 1):
            v = np.einsum("sij,sj->si", g, v)
        dense_log[c0:c0 + g.shape[0]] = np.log(np.sum(np.abs(v) ** 2, axis=1))
    red_log = np.log(red[:, K])
    res = stats.ks_2samp(red_log, dense_log, method="asymp")
    other = "real" if fld == "complex" else "complex"
    # power: resample the other field's reduced samples (the alternative "the sampler draws the
    # other field") against resamples of this field's reduced samples (the law under the null)
    alt_log = np.log(en.energy_samples(n, K, field=other, size=rs, rng=np.random.default_rng(ex.stream(i, 5)))[:, K])
    prng = np.random.default_rng(np.random.SeedSequence(_POWER_SEED, spawn_key=(i, 5)))
    reps = 200
    p_alt = np.array([stats.ks_2samp(prng.choice(alt_log, rs), prng.choice(red_log, md), method="asymp").pvalue
                      for _ in range(reps)])
    power = Power(f"the {other} field's law of the reduced samples (field mix-up)",
                  f"simulation: {reps} resamples of the {other} field's {rs} reduced samples against resamples of "
                  f"this field's; fixed seed", "pvalues", {"p": p_alt, "w": np.full(reps, 1.0 / reps)})
    ex.add(Check(
        name=f"energy_law_reduced_vs_dense_k{K}_{fld}",
        description=f"{fld} Glorot, n = {n}: law of log||W^{K} e_1||^2, reduced Hessenberg sampler ({rs}) vs "
                    f"dense W ({md} matrices, one column each)",
        theory=float(np.median(dense_log)), monte_carlo=float(np.median(red_log)),
        statistic="two-sample KS D (asymptotic p)", value=float(res.statistic), p_value=float(res.pvalue),
        spawn_key=list(seq_d.spawn_key), power_model=power, alternative=power.alternative,
        power_method=power.method,
        note=f"k = {K} ~ 2.5 sqrt(n): the mean is dominated by rare samples, so the laws are compared; "
             "theory column: dense median of the log, Monte Carlo column: reduced median of the log"))
    log_exact = float(np.log(exact[-1])) if fld == "complex" else None
    law_rows.append([fld, K, log_exact, float(np.median(red_log)), float(np.median(dense_log)), float(red_log.mean()),
                     float(dense_log.mean()), float(res.statistic), float(res.pvalue)])
    ex.numbers[fld]["log_energy_law"] = {"k": K, "reduced_median_log": float(np.median(red_log)),
                                          "dense_median_log": float(np.median(dense_log)),
                                          "reduced_mean_log": float(red_log.mean()),
                                          "dense_mean_log": float(dense_log.mean()), "log_exact_mean": log_exact}


def _reduced_threshold(n: int, K: int, fld: str, samples: int, seq: np.random.SeedSequence
                       ) -> tuple[float, float, np.ndarray]:
    """Threshold from ``samples`` reduced-sampler draws (first k with the mean >= LEVEL; K + 1 if
    none up to K), its bootstrap standard deviation over the samples (at least 0.5) and the
    samples (``samples`` x (K + 1))."""
    gen = np.random.default_rng(seq)
    s = en.energy_samples(int(n), K, field=fld, size=samples, rng=gen)
    t = _first_mean_crossing(s, LEVEL)
    boot = np.array([_first_mean_crossing(s[gen.integers(0, samples, samples)], LEVEL) for _ in range(100)])
    boot = np.where(np.isnan(boot), K + 1.0, boot)
    return (K + 1.0 if math.isnan(t) else t), max(float(np.std(boot, ddof=1)), 0.5), s


def _threshold_energy(ex: Run, fig: dict[str, Any]) -> None:
    """t*(n) from the exact complex energy (n = 16 .. 10^5) and from the reduced sampler (both fields)."""
    cfg = ex.cfg
    grid = np.array(cfg["exact_grid"])
    t_exact = np.array([float(rmtedge.instability_threshold(int(n), field="complex", method="exact",
                                                           quantity="impulse", factor=LEVEL)) for n in grid])
    big = grid >= 256
    fit = rmtedge.threshold_exponent(grid[big], field="complex", method="exact", quantity="impulse", factor=LEVEL)
    fit_all = rmtedge.threshold_exponent(grid, field="complex", method="exact", quantity="impulse", factor=LEVEL)
    fit_log = rmtedge.threshold_exponent(grid, field="complex", method="exact", quantity="impulse", factor=LEVEL,
                                         log_correction=True)
    ok = abs(fit.alpha - 0.5) <= EXACT_EXPONENT_TOL
    ex.add(demonstration(
        "threshold_exact_exponent_complex",
        f"complex Glorot: exponent of the exact threshold t*(n) (first t with e_t(n) >= {LEVEL:g}), "
        f"n in [256, {int(grid.max())}], vs the paper's 1/2",
        theory=0.5, value=float(fit.alpha), statistic="fitted exponent (deterministic)",
        note=f"exact thresholds, no sampling error, so not a statistical check: |alpha - 1/2| = "
             f"{abs(fit.alpha - 0.5):.4f} {'<=' if ok else '>'} {EXACT_EXPONENT_TOL} (integer rounding of t* and the "
             f"O(n^-1/2) excess of t*/sqrt(n)); 95% interval {fit.interval[0]:.4f}..{fit.interval[1]:.4f}; "
             f"over n = {int(grid.min())}..{int(grid.max())}: {fit_all.alpha:.4f}, log-corrected {fit_log.alpha:.4f}"))
    ex.numbers["threshold_exact_complex"] = {
        "n": grid, "t_exact": t_exact, "t_over_sqrt_n": t_exact / np.sqrt(grid),
        "exponent_n_ge_256": float(fit.alpha), "interval_n_ge_256": fit.interval,
        "exponent_all": float(fit_all.alpha), "interval_all": fit_all.interval,
        "exponent_log_corrected_all": float(fit_log.alpha), "interval_log_corrected_all": fit_log.interval}
    fig["threshold_exact"] = {"n": grid, "t": t_exact, "alpha": float(fit_all.alpha)}

    # -- reduced-sampler thresholds, both fields, on mc_grid and on the dense grid -------------------
    dense = fig["threshold"]
    mc_grid = np.array(sorted(set(cfg["mc_grid"]) | set(cfg["grid"])))
    samples = cfg["mc_samples"]
    fig["threshold_reduced"] = {}
    rows = []
    for i, fld in enumerate(("complex", "real")):
        t_ref = np.array([float(rmtedge.instability_threshold(int(n), field="complex", method="exact",
                                                             quantity="impulse", factor=LEVEL)) for n in mc_grid])
        t_mc, sd = np.empty(mc_grid.size), np.empty(mc_grid.size)
        z_sqrt, shift_sqrt = np.empty(mc_grid.size), np.empty(mc_grid.size)
        k_sqrt = np.rint(np.sqrt(mc_grid)).astype(int)
        for j, n in enumerate(mc_grid):
            K = int(math.ceil(1.25 * t_ref[j])) + 6
            t_mc[j], sd[j], draws = _reduced_threshold(int(n), K, fld, samples, ex.stream(8, i, j))
            if fld == "complex":  # the sampler's mean at k = sqrt(n) against the exact energy
                col = draws[:, k_sqrt[j]]
                e = float(en.frobenius_energy(int(n), int(k_sqrt[j]), field="complex"))
                se = float(col.std(ddof=1) / math.sqrt(samples))
                z_sqrt[j], shift_sqrt[j] = (float(col.mean()) - e) / se, (ALT_ENERGY_FACTOR - 1.0) * e / se
        fig["threshold_reduced"][fld] = {"n": mc_grid, "t": t_mc, "sd": sd}
        ex.numbers[f"threshold_reduced_{fld}"] = {"n": mc_grid, "t_reduced_mc": t_mc, "bootstrap_sd": sd,
                                                  "t_over_sqrt_n": t_mc / np.sqrt(mc_grid),
                                                  "exponent": _slope(mc_grid, t_mc), "samples": samples}
        rows.extend([fld, int(nn), tm, s, (te if fld == "complex" else None), tm / math.sqrt(nn)]
                    for nn, tm, s, te in zip(mc_grid, t_mc, sd, t_ref, strict=True))
        key = [ex.spec.stream_id, 8, i]
        if fld == "complex":
            g = mc_grid.size
            ex.add(z_check(
                "energy_reduced_vs_exact_sqrt_n_complex",
                f"complex Glorot: reduced-sampler mean of ||W^k e_1||^2 at k = round(sqrt(n)) vs the exact e_k(n), "
                f"pooled over n = {[int(x) for x in mc_grid]} (Stouffer z)",
                float(z_sqrt.sum() / math.sqrt(g)), 1.0, 0.0,
                alternative=(f"an energy {ALT_ENERGY_FACTOR - 1:.0%} above the exact one at every n",
                             float(shift_sqrt.sum() / math.sqrt(g))),
                spawn_key=key,
                note=f"{samples} samples per n (the threshold draws); per-n z: "
                     + ", ".join(f"{z:+.2f}" for z in z_sqrt)
                     + "; at k = sqrt(n) the mean is not yet heavy-tailed (a 40-seed study: per-n z sd 0.9..1.2)"))
            # shown, not counted: the bootstrap sd of a crossing index is not a calibrated error
            # (an 11-seed study of this design: max-|z| p < 0.05 in 4 seeds, 0.0035 in one)
            zt = (t_mc - t_ref) / sd
            ex.add(demonstration(
                "threshold_reduced_vs_exact_complex",
                f"complex Glorot: reduced-sampler threshold t*(n) vs the exact threshold at n = {[int(x) for x in mc_grid]}",
                statistic="max |t_mc - t_exact| / bootstrap sd", value=float(np.max(np.abs(zt))), spawn_key=key,
                note=f"{samples} samples per n; differences (steps) "
                     + ", ".join(f"{int(nn)}: {a - b:+.0f}" for nn, a, b in zip(mc_grid, t_mc, t_ref, strict=True))
                     + "; not counted: the bootstrap sd of the first crossing of a heavy-tailed mean is not a "
                       "calibrated error (the threshold is checked through the energies, see the pooled check)"))
        if fld in dense:
            # shown, not counted: the dense threshold is the crossing of a heavy-tailed mean over
            # only grid_matrices x grid_inputs samples, censored at the simulated horizon, and its
            # bootstrap sd is not a calibrated error (seed 4 of the quick size: a dense real
            # threshold beyond the horizon gave |z| = 6 although both estimate the same t*)
            d = dense[fld]
            sel = np.isin(mc_grid, d["n"])
            z = (t_mc[sel] - d["mc_censored"]) / np.hypot(sd[sel], d["sd"])
            ex.add(demonstration(
                f"threshold_reduced_vs_dense_{fld}",
                f"{fld} Glorot: reduced-sampler threshold vs dense Monte Carlo threshold at n = "
                f"{[int(x) for x in d['n']]}",
                statistic="max |z| (bootstrap sds combined)", value=float(np.max(np.abs(z))), spawn_key=key,
                note=f"not counted: the dense threshold ({cfg['grid_matrices']} x {cfg['grid_inputs']} matrices x "
                     "inputs) is the crossing of a heavy-tailed mean, censored at the simulated horizon, so its "
                     "bootstrap sd is not a calibrated error; reduced - dense = "
                     + ", ".join(f"{int(nn)}: {a - b:+.0f}" for nn, a, b in zip(d["n"], t_mc[sel], d["mc_censored"], strict=True))))
    ex.table("Instability threshold t*(n) from the reduced sampler (and exact, complex)",
             ["field", "n", "reduced-sampler threshold", "bootstrap sd", "exact threshold", "reduced / sqrt(n)"], rows,
             note=f"first t with (1/n) E||W^t||_F^2 >= {LEVEL:g}; {samples} reduced samples per n. Exact complex "
                  f"thresholds over n = {int(grid.min())}..{int(grid.max())}: "
                  + ", ".join(f"{int(nn)}: {int(t)}" for nn, t in zip(grid, t_exact, strict=True)) + ".")


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
    with ex.figure("growth_bound.png", figsize=(20, 6.2)) as fig:
        if fig is None:
            return
        from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

        axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.25, 1.0, 1.0]})
        ax = axes[0]
        for fld, d in data["bound"].items():
            c = COLORS[fld]
            ax.errorbar(d["ks"], d["mc"], yerr=2 * d["se"], fmt=".", color=c, ms=3,
                        label=f"{fld}: dense W, mean (+/- 2 std. errors)")
            ax.plot(d["ks"], d["median"], "x", color=c, ms=4, label=f"{fld}: dense W, median of (1/n)||W^k||_F^2")
            ax.plot(d["ks"], d["reduced"], "s", mfc="none", color=c, ms=4, mew=0.8,
                    label=f"{fld}: reduced Hessenberg sampler, mean of ||W^k e_1||^2")
            ax.plot(d["ks"], d["reduced_median"], "+", color=c, ms=6, label=f"{fld}: reduced Hessenberg sampler, median of ||W^k e_1||^2")
            ax.plot(d["exact_ks"], d["exact"], color=c, lw=4, alpha=0.35, zorder=4,
                    label=f"{fld}: exact energy e_k(n) (theory" + (")" if fld == "complex" else ", k <= 7 only)"))
            ax.plot(d["ks"], d["bound"], **dict(THEORY_STYLE, color=c, ls="-" if fld == "complex" else "-."),
                    label=f"{fld}: Schur lower bound m_k(n) (theory)")
        ax.axvline(math.sqrt(n), color="gray", lw=0.9, ls=":", label=r"$k = \sqrt{n}$" + f" = {math.sqrt(n):.0f}")
        ax.axvline(data["checked_up_to"], color="gray", lw=0.9, ls="--",
                   label=f"k = {data['checked_up_to']}: means checked up to here (laws at k = {int(d['ks'][-1])})")
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("power k")
        ax.set_ylabel(r"energy $(1/n)\,E\|W^k\|_F^2$ (means) and medians")
        ax.set_title(f"energy: exact, reduced sampler, dense W and the Schur bound; n = {n}", fontsize=10)
        top = max(float(np.max(d["mc"] + 2 * d["se"])) for d in data["bound"].values())
        ax.set_ylim(top=6.0 * top)  # room above the curves for the legend
        _ordered_legend(ax, fontsize=6.5, loc="upper left")

        # t*(n) on log-log axes and t*(n)/sqrt(n), n = 16 .. 10^5
        exact, red, th = data["threshold_exact"], data["threshold_reduced"], data["threshold"]
        for ax, scaled in ((axes[1], False), (axes[2], True)):
            def y(nn: np.ndarray, t: np.ndarray, scaled: bool = scaled) -> np.ndarray:
                return np.asarray(t, dtype=float) / (np.sqrt(nn) if scaled else 1.0)

            ne = np.asarray(exact["n"], dtype=float)
            ax.plot(ne, y(ne, exact["t"]), color=COLORS["complex"], lw=4, alpha=0.35, marker="o", ms=3,
                    label=f"complex: exact energy, theory (fitted slope {exact['alpha']:.3f})")
            for fld, d in red.items():
                nn = np.asarray(d["n"], dtype=float)
                ax.errorbar(nn, y(nn, d["t"]), yerr=y(nn, 2 * d["sd"]), fmt="s", mfc="none", color=COLORS[fld], ms=5,
                            capsize=2, label=f"{fld}: reduced sampler, Monte Carlo (+/- 2 bootstrap sd)")
            for fld, d in th.items():
                nn = np.asarray(d["n"], dtype=float)
                ax.plot(nn, y(nn, d["mc"]), "o", color=COLORS[fld], ms=5, label=f"{fld}: dense W, Monte Carlo")
                ax.plot(nn, y(nn, d["bound"]), marker="^", mfc="none", ms=6,
                        **dict(THEORY_STYLE, color=COLORS[fld], ls="-" if fld == "complex" else "-."),
                        label=f"{fld}: certified Schur-bound threshold, theory")
            ax.set_xscale("log")
            ax.set_xlabel("matrix dimension n")
            if scaled:
                ax.axhline(1.0, color="gray", ls="--", lw=1, label=r"reference $t = \sqrt{n}$")
                ax.set_ylabel(r"$t^*(n)/\sqrt{n}$")
                ax.set_ylim(0.0, None)
                ax.set_title(r"$t^*(n)/\sqrt{n}$: flat means $t^* \propto \sqrt{n}$", fontsize=10)
            else:
                ax.set_yscale("log")
                ax.plot(ne, np.sqrt(ne), color="gray", ls="--", lw=1, label=r"reference $t = \sqrt{n}$ (slope 1/2)")
                ax.yaxis.set_major_formatter(ScalarFormatter())
                ax.yaxis.set_minor_formatter(NullFormatter())
                ax.set_ylabel("threshold t*(n) (time steps)")
                ax.set_title(rf"instability threshold: first t with $(1/n)E\|W^t\|_F^2 \geq {LEVEL:g}$", fontsize=10)
            _ordered_legend(ax, fontsize=6.5, loc="upper left" if not scaled else "lower right")


def _ordered_legend(ax: Any, **kw: Any) -> None:
    """Legend grouped by field (complex, real, then the references); matplotlib would otherwise put
    every error-bar entry last."""
    handles, labels = ax.get_legend_handles_labels()
    group = {"complex": 0, "real": 1}
    order = sorted(range(len(handles)), key=lambda j: group.get(labels[j].split(":")[0], 2))
    ax.legend([handles[j] for j in order], [labels[j] for j in order], **kw)


if __name__ == "__main__":
    raise SystemExit(run.main())
