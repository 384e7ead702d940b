"""Largest real eigenvalue of real Ginibre matrices: the exact finite-n laws against Monte Carlo
and against the n -> inf edge limit.

For several n, exact samples of lambda_max^R (Hessenberg model + LAPACK eigenvalues, Ginibre
scale) are compared with ``rmtedge.largest_real_eigenvalue_law(n)``:

* KS test of the samples that have a real eigenvalue against the law given a real eigenvalue
  (level ALPHA = 1e-3 each; the cdf on the samples comes from a monotone interpolant of 400 exact
  values, interpolation error < 1e-6);
* n even: exact binomial test of the number of samples without a real eigenvalue against the
  atom ``prob_no_real = p_{n,0}``;
* convergence: sup_t |F_n(sqrt n + t) - F_inf(t)| over t in [-10, 5] against n (no check: a
  measurement, reported in the numbers and docs/edge_laws.md).

The figure shows, for each n, the empirical cdf of lambda_max^R - sqrt(n), the exact law and the
limit law.

Run alone: ``python validation/largest_real.py [--full] [--out DIR]``.

Registration (not done in this file): add ``"largest_real": 8`` to ``EXPERIMENT_IDS`` in
validation/_common.py and ``Experiment("largest_real", "rmtedge.validation.largest_real",
"Largest real eigenvalue: exact finite-n laws vs Monte Carlo and the edge limit", 1.5)`` to
``EXPERIMENTS`` in validation/_suite.py. Until then the streams use the key root 8 directly.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
from rmtedge.validation._common import (
    LIMIT_STYLE,
    PLOT_HINT,
    THEORY_STYLE,
    ExperimentResult,
    binomial_check,
    experiment_main,
    guarded,
    ks_check,
    load_pyplot,
    require,
    save_figure,
    start_experiment,
)

NAME = "largest_real"
TITLE = "Largest real eigenvalue: exact finite-n laws vs Monte Carlo and the edge limit"
#: spawn-key root (to be added to validation._common.EXPERIMENT_IDS)
EXPERIMENT_ID = 8

SIZES: dict[str, dict[str, object]] = {
    "smoke": {"mc": ((4, 2000), (5, 2000)), "limit_ns": (10, 100)},
    "quick": {"mc": ((4, 20000), (5, 20000), (30, 4000), (100, 1000)), "limit_ns": (10, 30, 100, 300, 1000, 2000, 10**4)},
    "full": {
        "mc": ((2, 50000), (4, 50000), (5, 50000), (10, 20000), (30, 10000), (100, 3000), (200, 2000)),
        "limit_ns": (10, 30, 100, 300, 1000, 2000, 10**4, 10**5),
    },
}


def _stream(seed: int, *keys: int) -> tuple[np.random.Generator, list[int]]:
    try:
        from rmtedge.validation._common import stream

        ss = stream(seed, NAME, *keys)
    except KeyError:  # not registered yet: same key root as it will have
        ss = np.random.SeedSequence(int(seed), spawn_key=(EXPERIMENT_ID, *keys))
    return np.random.default_rng(ss), [int(k) for k in ss.spawn_key]


def _samples(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    import rmtedge

    out = np.empty(size)
    chunk = max(1, 2_000_000 // (n * n))
    for a in range(0, size, chunk):
        b = min(size, a + chunk)
        ev = np.linalg.eigvals(rmtedge.hessenberg_ginibre(n, size=b - a, scale="ginibre", rng=rng))
        out[a:b] = np.where(ev.imag == 0.0, ev.real, -np.inf).max(axis=-1)
    return out


def _conditional_cdf(law, lo: float, hi: float):
    from scipy import interpolate

    p0 = law.prob_no_real
    grid = np.linspace(lo - 1e-9, hi + 1e-9, 400)
    return interpolate.PchipInterpolator(grid, (law.cdf(grid) - p0) / (1.0 - p0))


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
    curves = {}
    for i, (n, m) in enumerate(cfg["mc"]):
        name = f"ks_n{n}"
        desc = f"n = {n}: KS of {m} samples of lambda_max^R (given a real eigenvalue) vs the exact law"
        with guarded(result, name, desc):
            law = require("largest_real_eigenvalue_law")(n, scale="ginibre")
            rng, key = _stream(seed, i)
            x = _samples(n, m, rng)
            fin = np.sort(x[np.isfinite(x)])
            cdf = _conditional_cdf(law, float(fin[0]), float(fin[-1]))
            result.add(ks_check(name, desc, fin, cdf, spawn_key=key,
                                note="cdf from a monotone interpolant of 400 exact values"))
            if n % 2 == 0:
                k = int(np.sum(~np.isfinite(x)))
                result.add(binomial_check(f"atom_n{n}", f"n = {n}: P(no real eigenvalue) = p_(n,0)",
                                          k, m, law.prob_no_real, spawn_key=key))
            curves[n] = (fin - math.sqrt(n), law)
            result.numbers.setdefault("mc", {})[str(n)] = {
                "samples": m, "median_mc": float(np.median(fin)), "median_exact": float(law.median()),
            }
    with guarded(result, "limit_distance", "sup |F_n - F_inf| against n"):
        lim = require("largest_real_eigenvalue_limit")()
        t = np.linspace(-10.0, 5.0, 151)
        fi = lim.cdf(t)
        rows = []
        for n in cfg["limit_ns"]:
            law = require("largest_real_eigenvalue_law")(n, scale="ginibre")
            d = np.abs(law.cdf(math.sqrt(n) + t) - fi)
            j = int(np.argmax(d))
            rows.append({"n": n, "sup": float(d[j]), "t_at_sup": float(t[j]), "sqrt_n_sup": float(d[j] * math.sqrt(n))})
        result.numbers["limit_distance"] = rows
    _figure(result, curves, out_dir)
    result.elapsed = time.perf_counter() - t0
    return result


def _figure(result: ExperimentResult, curves, out_dir) -> None:
    plt = load_pyplot()
    if plt is None:
        result.notes.append(PLOT_HINT)
        return
    if not curves:
        return
    import rmtedge

    lim = rmtedge.largest_real_eigenvalue_limit()
    k = len(curves)
    fig, axes = plt.subplots(1, k, figsize=(3.4 * k, 3.4), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (n, (shifted, law)) in zip(axes, curves.items(), strict=True):
        grid = np.linspace(max(-8.0, float(shifted.min())), float(shifted.max()) + 0.5, 200)
        ecdf = np.arange(1, shifted.size + 1) / shifted.size
        p0 = law.prob_no_real
        ax.step(shifted, p0 + (1 - p0) * ecdf, where="post", color="tab:green", lw=2.5, alpha=0.6, zorder=7, label="Monte Carlo")
        ax.plot(grid, law.cdf(grid + math.sqrt(n)), **THEORY_STYLE, label="exact law")
        ax.plot(grid, lim.cdf(grid), **LIMIT_STYLE, label="edge limit")
        ax.set_title(f"n = {n} ({shifted.size} with a real eigenvalue)", fontsize=9)
        ax.set_xlabel(r"$\lambda_{\max}^{R} - \sqrt{n}$")
    axes[0].set_ylabel("P(. <= t)")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, result, out_dir, "largest_real.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
