"""Largest real eigenvalue of real Ginibre matrices: the exact finite-n laws against Monte Carlo
and against the n -> inf edge limit (issue 14).

For several n, exact samples of lambda_max^R (Hessenberg model + LAPACK eigenvalues, Ginibre
scale, ``rmtedge.eigvals(..., method="hessenberg")``) are compared with
``rmtedge.largest_real_eigenvalue_law(n, scale="ginibre")``:

* KS test of the samples that have a real eigenvalue against the law given a real eigenvalue,
  ``(F_n(x) - p_(n,0)) / (1 - p_(n,0))``. The CDF on the samples comes from a monotone (PCHIP)
  interpolant of exact values on a grid; its largest error at the grid midpoints is measured and
  used as the KS tolerance (conservative). Alternative: the n -> inf limit law
  (``sqrt(n) + largest_real_eigenvalue_limit()``, i.e. the finite-n correction forgotten) when
  the KS test has power against it at that sample size (its sup-distance to the exact law is at
  least ``LIMIT_MARGIN / sqrt(m)``), otherwise the exact law shifted by ``SHIFT_SD`` of its
  standard deviation;
* n even: exact binomial test of the number of samples without a real eigenvalue against the
  atom ``prob_no_real = p_(n,0)``; alternative: no atom at -inf (``p_(n,0) = 0``, the odd-n rule
  applied to even n). Shown, not counted, when the expected count is too small for power;
* convergence: ``sup_t |F_n(sqrt n + t) - F_inf(t)|`` over t in [-10, 5] against n (a
  deterministic measurement: a table and the figure's last panel, no check).

The figure shows, for each n of the Monte Carlo, the empirical CDF of lambda_max^R - sqrt(n)
(samples without a real eigenvalue count as -inf), the exact law and the limit law, and the
sup-distance to the limit against n.

Run alone: ``python validation/largest_real.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import math

import numpy as np
from rmtedge.validation._common import (
    LIMIT_STYLE,
    THEORY_STYLE,
    Alternative,
    Run,
    binomial_check,
    demonstration,
    experiment,
    ks_check,
)
from scipy import interpolate

import rmtedge

#: KS alternative "limit law" is used when sup|F_n^cond - F_inf^cond| >= LIMIT_MARGIN / sqrt(m)
#: (the KS critical value at the suite's per-check levels is about 2 / sqrt(m)).
LIMIT_MARGIN = 3.0
#: otherwise the alternative is the exact law shifted by this fraction of its standard deviation
SHIFT_SD = 0.15
#: points of the exact-CDF table (the interpolant's error is measured at the midpoints)
GRID_POINTS = 161
#: the binomial atom check is counted only if P(no sample without a real eigenvalue) under the
#: theory is below this (otherwise the "no atom" alternative cannot be told apart)
ATOM_MIN_EVIDENCE = 1e-4

# mc: (n, matrices); limit_ns: the n of the convergence table
SIZES = {
    "smoke": {"mc": ((4, 2000), (5, 2000)), "limit_ns": (10, 100)},
    "quick": {"mc": ((4, 5000), (5, 5000), (30, 3000), (100, 800)),
              "limit_ns": (10, 30, 100, 300, 1000, 2000, 10**4)},
    "full": {"mc": ((2, 50000), (4, 50000), (5, 50000), (10, 20000), (30, 10000), (100, 3000), (200, 2000)),
             "limit_ns": (10, 30, 100, 300, 1000, 2000, 10**4, 10**5)},
}


def _samples(n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """``m`` draws of lambda_max^R at Ginibre scale; -inf for a matrix without a real eigenvalue."""
    out = np.empty(m)
    chunk = max(1, 2_000_000 // (n * n))
    for a in range(0, m, chunk):
        b = min(m, a + chunk)
        ev = rmtedge.eigvals(n, field="real", size=b - a, scale="ginibre", method="hessenberg", rng=rng)
        out[a:b] = np.where(ev.imag == 0.0, ev.real, -np.inf).max(axis=-1)
    return out


def _tabulated(grid: np.ndarray, f: np.ndarray) -> tuple:
    """A CDF on the real line from values on ``grid`` (PCHIP, clipped; 0 / 1 outside the grid)."""
    f = np.clip(np.maximum.accumulate(f), 0.0, 1.0)
    pchip = interpolate.PchipInterpolator(grid, f)
    lo, hi = float(grid[0]), float(grid[-1])

    def cdf(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return np.where(x < lo, 0.0, np.where(x > hi, 1.0, np.clip(pchip(np.clip(x, lo, hi)), 0.0, 1.0)))

    return cdf, f


def _alternative(name: str, grid: np.ndarray, f: np.ndarray, shift: float = 0.0) -> Alternative:
    """Draws of the law with CDF values ``f`` on ``grid`` (inverse transform), moved by ``shift``."""
    f = np.maximum.accumulate(np.clip(f, 0.0, 1.0))

    def draw(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        return np.interp(rng.random(shape), f, grid) + shift

    return Alternative(name, draw)


@experiment("largest_real", stream_id=8,
            title="Largest real eigenvalue: exact finite-n laws vs Monte Carlo and the edge limit", sizes=SIZES)
def run(ex: Run) -> None:
    """Monte Carlo of lambda_max^R against the exact laws; the distance of the laws to the limit."""
    lim = rmtedge.largest_real_eigenvalue_limit()
    curves: dict[int, tuple[np.ndarray, object, int]] = {}
    rows = []
    for i, (n, m) in enumerate(ex.cfg["mc"]):
        seq = ex.stream(i)
        key = list(seq.spawn_key)
        law = rmtedge.largest_real_eigenvalue_law(n, scale="ginibre")
        p0 = float(law.prob_no_real)
        x = _samples(n, m, np.random.default_rng(seq))
        fin = x[np.isfinite(x)]
        # the conditional law given a real eigenvalue, tabulated over the samples and the limit's range
        s = math.sqrt(n)
        lo, hi = min(s - 12.0, float(fin.min()) - 0.5), max(s + 8.0, float(fin.max()) + 0.5)
        grid = np.linspace(lo, hi, GRID_POINTS)
        cond = (np.asarray(law.cdf(grid)) - p0) / (1.0 - p0)
        cdf, cond = _tabulated(grid, cond)
        mid = 0.5 * (grid[1:] + grid[:-1])
        interp_err = float(np.max(np.abs(cdf(mid) - (np.asarray(law.cdf(mid)) - p0) / (1.0 - p0))))
        tol = max(2.0 * interp_err, 1e-12)
        dens = np.diff(cond)
        cmid = 0.5 * (grid[1:] + grid[:-1])
        cmean = float(np.sum(cmid * dens) / np.sum(dens))
        csd = float(math.sqrt(np.sum((cmid - cmean) ** 2 * dens) / np.sum(dens)))
        f_lim = np.asarray(lim.cdf(grid - s))
        sup_lim = float(np.max(np.abs(cond - f_lim)))
        if sup_lim >= LIMIT_MARGIN / math.sqrt(fin.size):
            alt = _alternative(f"the n -> inf limit law sqrt(n) + L (sup-distance {sup_lim:.3f})", grid, f_lim)
        else:
            alt = _alternative(f"the exact law shifted by {SHIFT_SD:g} sd (+{SHIFT_SD * csd:.3f})", grid, cond,
                               shift=SHIFT_SD * csd)
        ex.add(ks_check(
            f"law_n{n}", f"n = {n}: KS of the {fin.size} samples of lambda_max^R with a real eigenvalue vs the "
                         f"exact law given a real eigenvalue", fin, cdf,
            alternative=alt, tolerance=tol, spawn_key=key, theory_mean=cmean,
            note=f"CDF from a PCHIP interpolant of {GRID_POINTS} exact values (max error {interp_err:.1e} at the "
                 "midpoints; tolerance twice that)"))
        k = int(np.sum(~np.isfinite(x)))
        if n % 2 == 0:
            desc = f"n = {n}: fraction of matrices without a real eigenvalue vs the atom p_(n,0) = {p0:.4g}"
            if (1.0 - p0) ** m < ATOM_MIN_EVIDENCE:
                ex.add(binomial_check(f"atom_n{n}", desc, k, m, p0,
                                      alternative=("no atom at -inf (p_(n,0) = 0, the odd-n rule)", 0.0),
                                      spawn_key=key))
            else:
                ex.add(demonstration(f"atom_n{n}", desc, theory=p0, monte_carlo=k / m, spawn_key=key,
                                     note=f"{k} of {m}; expected count {m * p0:.2g} is too small for power "
                                          "against 'no atom'"))
        curves[n] = (x - s, law, m)
        ex.numbers.setdefault("mc", {})[str(n)] = {
            "matrices": m, "without_real": k, "prob_no_real": p0, "median_mc": float(np.median(fin)),
            "median_exact_given_real": float(np.interp(0.5, cond, grid)), "interp_error": interp_err,
            "sup_distance_to_limit_given_real": sup_lim}
        rows.append([n, m, k / m, p0, float(np.median(fin)), float(np.interp(0.5, cond, grid)),
                     float(np.mean(fin)), cmean])
    ex.table("Largest real eigenvalue (Ginibre scale): Monte Carlo vs the exact law",
             ["n", "matrices", "MC P(no real)", "p_(n,0)", "MC median (given real)", "law median (given real)",
              "MC mean (given real)", "law mean (given real)"], rows,
             note="given real: conditional on at least one real eigenvalue.")

    t = np.linspace(-10.0, 5.0, 151)
    fi = np.asarray(lim.cdf(t))
    conv = []
    for n in ex.cfg["limit_ns"]:
        law = rmtedge.largest_real_eigenvalue_law(n, scale="ginibre")
        d = np.abs(np.asarray(law.cdf(math.sqrt(n) + t)) - fi)
        j = int(np.argmax(d))
        conv.append({"n": n, "sup": float(d[j]), "t_at_sup": float(t[j]), "sqrt_n_sup": float(d[j] * math.sqrt(n))})
    ex.numbers["limit_distance"] = conv
    ex.table("Distance of the exact law to the edge limit",
             ["n", "sup over t of the distance of F_n(sqrt n + t) to F_inf(t)", "at t", "sqrt(n) x sup"],
             [[r["n"], r["sup"], r["t_at_sup"], r["sqrt_n_sup"]] for r in conv],
             note="t on 151 points of [-10, 5]; F_n includes the atom p_(n,0) at -inf for even n.")

    k = len(curves)
    with ex.figure("largest_real.png", figsize=(3.4 * (k + 1), 3.6)) as fig:
        if fig is not None:
            axes = fig.subplots(1, k + 1)
            for j, (ax, (n, (shifted, law, m))) in enumerate(zip(axes[:k], curves.items(), strict=True)):
                xs = np.sort(shifted)
                fin = xs[np.isfinite(xs)]
                grid = np.linspace(max(-8.0, float(np.quantile(fin, 0.002))), float(fin.max()) + 0.5, 150)
                ecdf = (np.arange(1, xs.size + 1) / xs.size)[np.isfinite(xs)]
                ax.step(fin, ecdf, where="post", color="tab:green", lw=2.5, alpha=0.6, zorder=7,
                        label="Monte Carlo (empirical CDF)")
                ax.plot(grid, law.cdf(grid + math.sqrt(n)), **THEORY_STYLE, label="exact finite-n law")
                ax.plot(grid, lim.cdf(grid), **LIMIT_STYLE, label=r"limit law ($n\to\infty$)")
                atom = f"; P(no real) = {law.prob_no_real:.3g}" if n % 2 == 0 else ""
                ax.set_title(f"n = {n}, {m} matrices{atom}", fontsize=9)
                ax.set_xlim(grid[0], grid[-1])
                ax.set_xlabel(r"$t = \lambda_{\max}^{\mathbb{R}} - \sqrt{n}$")
                ax.set_ylabel(r"$P(\lambda_{\max}^{\mathbb{R}} - \sqrt{n} \leq t)$" if j == 0 else "")
                ax.legend(fontsize=7, loc="upper left")
            ax = axes[k]
            ns = np.array([r["n"] for r in conv], dtype=float)
            sups = np.array([r["sup"] for r in conv])
            ax.loglog(ns, sups, "o-", color="black", label=r"$\sup_t |F_n(\sqrt{n}+t) - F_\infty(t)|$")
            ax.loglog(ns, sups[0] * np.sqrt(ns[0] / ns), ":", color="gray", label=r"slope $n^{-1/2}$ (reference)")
            ax.set_xlabel("n")
            ax.set_ylabel("sup-distance to the limit law")
            ax.set_title("convergence to the edge limit", fontsize=9)
            ax.legend(fontsize=7)


if __name__ == "__main__":
    raise SystemExit(run.main())
