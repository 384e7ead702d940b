"""Edge-law convergence table: the finite-n laws of rho(W) against the Gumbel limit.

For Glorot matrices W (entries of variance 1/n) the paper's edge claim is a Gumbel limit in
the variable x = (rho - a_n)/b_n, a_n = 1 + sqrt(gamma_n/(4n)), b_n = 1/sqrt(4 n gamma_n)
(Rider 2003 complex, Rider-Sinclair 2014 real). This experiment measures how far the finite-n
laws are from that limit for n from 200 to 10^6 (10^7 in --full):

* complex field: the exact law (Kostlan's product) -- sup_r |F_n(r) - G(r)|, the median and the
  0.9-quantile of rho, exact against Gumbel;
* real field: the Poisson approximation with exact intensities (the package's finite-n real
  law) against Gumbel, and Monte Carlo (Hessenberg sampler) for n <= 1000 with standard errors:
  KS distance of the samples to the Poisson law and to the Gumbel limit, sample median and
  0.9-quantile with order-statistic standard errors;
* calibration of the Poisson idea where the truth is known: the complex exact law against its
  own Poisson approximation exp(-E_c(r)) (E_c = expected number of eigenvalues outside r).

Checks (each with its power against the Gumbel limit, the law the finite-n laws replace): KS of
Kostlan-sampler radii against the exact complex law, and KS of Hessenberg-sampler real radii
against the Poisson law (with its documented error bound as a tolerance). Demonstrations (shown,
not counted): the sup-distance of the complex law to its limit decreases with n; the real Gumbel
limit is rejected by the Monte Carlo samples at n = 200 (slow convergence).

Run: ``.venv/bin/python validation/edge_convergence.py [--full] [--seed S]`` (prints the checks
and the tables). The validation suite calls :func:`run`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rmtedge.validation._common import Run, demonstration, experiment, ks_check, law_alternative
from scipy import optimize, stats

import rmtedge
from rmtedge.laws.complex_radius_kostlan import ExactComplexRadiusLaw
from rmtedge.laws.real_radius_poisson import PoissonRealRadiusLaw

TITLE = "Edge-law convergence: finite-n laws of rho(W) vs the Gumbel limit"

SIZES = {
    "smoke": {"ns": (200, 1000), "mc": ((200, 100),), "kostlan": (1000, 300)},
    "quick": {
        "ns": (200, 500, 1000, 2000, 10**4, 10**5, 10**6),
        "mc": ((200, 300),),
        "kostlan": (1000, 1000),
    },
    "full": {
        "ns": (200, 500, 1000, 2000, 5000, 10**4, 10**5, 10**6, 10**7),
        "mc": (
            (2, 20000),
            (5, 20000),
            (10, 10000),
            (50, 4000),
            (100, 2000),
            (200, 2000),
            (500, 1000),
            (1000, 500),
        ),
        "kostlan": (1000, 5000),
    },
}


def sup_distance(law_f: Any, law_g: Any, center: float, scale: float) -> tuple[float, float]:
    """sup_r |F(r) - G(r)| and the standardized x = (r - center)/scale where it is attained.

    A grid of 1601 points in x in [-8, 24] (both laws are within 1e-9 of 0 or 1 outside it),
    then a bounded scalar maximisation around the best grid point.
    """
    x = np.linspace(-8.0, 24.0, 1601)
    r = center + scale * x
    d = np.abs(law_f.cdf(r) - law_g.cdf(r))
    i = int(np.argmax(d))
    lo, hi = x[max(i - 1, 0)], x[min(i + 1, x.size - 1)]

    def neg(t: float) -> float:
        rr = center + scale * t
        return -abs(float(law_f.cdf(rr)) - float(law_g.cdf(rr)))

    res = optimize.minimize_scalar(neg, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
    if -res.fun > d[i]:
        return float(-res.fun), float(res.x)
    return float(d[i]), float(x[i])


def _law_row(n: int, law: Any, gumbel: Any) -> dict[str, Any]:
    a, b = float(gumbel.a_n), float(gumbel.b_n)
    sup, x_at = sup_distance(law, gumbel, a, b)
    return {
        "n": n,
        "sup_cdf_distance": sup,
        "x_at_sup": x_at,
        "median": float(law.median()),
        "median_gumbel": float(gumbel.median()),
        "q90": float(law.ppf(0.9)),
        "q90_gumbel": float(gumbel.ppf(0.9)),
        "median_std_units": (float(law.median()) - a) / b,
        "median_gumbel_std_units": (float(gumbel.median()) - a) / b,
        "q90_std_units": (float(law.ppf(0.9)) - a) / b,
        "q90_gumbel_std_units": (float(gumbel.ppf(0.9)) - a) / b,
        "p_exceeds_one": float(law.sf(1.0)),
        "p_exceeds_one_gumbel": float(gumbel.sf(1.0)),
        "p_at_most_one": float(law.cdf(1.0)),
        "p_at_most_one_gumbel": float(gumbel.cdf(1.0)),
    }


def complex_row(n: int) -> dict[str, Any]:
    """Exact complex law vs its Gumbel limit at dimension n."""
    return _law_row(n, ExactComplexRadiusLaw(n), rmtedge.gumbel_edge_law(n, field="complex"))


def real_row(n: int) -> dict[str, Any]:
    """Real Poisson law vs its Gumbel limit at dimension n."""
    return _law_row(n, PoissonRealRadiusLaw(n), rmtedge.gumbel_edge_law(n, field="real"))


class _ComplexPoisson:
    """exp(-E_c(r)): Poisson approximation of the complex law (for calibration only)."""

    def __init__(self, n: int):
        self.n = n

    def cdf(self, r: Any) -> Any:
        return np.exp(-np.asarray(rmtedge.expected_nonreal_outside(r, self.n, field="complex")))


def complex_poisson_row(n: int) -> dict[str, Any]:
    """sup |F_exact - exp(-E_c)| for the complex field: how good the Poisson idea is."""
    law = ExactComplexRadiusLaw(n)
    g = rmtedge.gumbel_edge_law(n, field="complex") if n >= 164 else None
    center = float(g.a_n) if g is not None else float(law.median())
    scale = float(g.b_n) if g is not None else float(law.std())
    sup, x_at = sup_distance(_ComplexPoisson(n), law, center, scale)
    return {"n": n, "sup_cdf_distance_poisson_vs_exact": sup, "x_at_sup": x_at}


def _quantile_se(sorted_x: np.ndarray, p: float) -> tuple[float, float]:
    """Sample p-quantile and a distribution-free standard error from the order statistics
    j = N p +- sqrt(N p (1 - p)) (half the distance between them)."""
    m = sorted_x.size
    q = float(np.quantile(sorted_x, p))
    h = math.sqrt(m * p * (1 - p))
    lo = int(max(0, math.floor(m * p - h)))
    hi = int(min(m - 1, math.ceil(m * p + h)))
    return q, 0.5 * float(sorted_x[hi] - sorted_x[lo])


def real_mc_row(n: int, size: int, seq: np.random.SeedSequence) -> tuple[dict[str, Any], np.ndarray]:
    """Monte Carlo (Hessenberg sampler) of the real radius vs the Poisson law and Gumbel."""
    x = np.sort(rmtedge.spectral_radius(n, field="real", size=size, method="hessenberg", rng=np.random.default_rng(seq)))
    poisson = PoissonRealRadiusLaw(n)
    gumbel = rmtedge.gumbel_edge_law(n, field="real") if n >= 164 else None
    ks_p = stats.kstest(x, poisson.cdf)
    ks_g = stats.kstest(x, gumbel.cdf) if gumbel is not None else None
    nan = float("nan")
    med, med_se = _quantile_se(x, 0.5)
    q90, q90_se = _quantile_se(x, 0.9)
    row = {
        "n": n,
        "samples": size,
        "ks_vs_poisson": float(ks_p.statistic),
        "ks_vs_poisson_p": float(ks_p.pvalue),
        "ks_vs_gumbel": float(ks_g.statistic) if ks_g is not None else nan,
        "ks_vs_gumbel_p": float(ks_g.pvalue) if ks_g is not None else nan,
        "ks_band_95": float(stats.kstwo.isf(0.05, size)),
        "median_mc": med,
        "median_mc_se": med_se,
        "q90_mc": q90,
        "q90_mc_se": q90_se,
        "median_poisson": float(poisson.median()),
        "q90_poisson": float(poisson.ppf(0.9)),
        "median_gumbel": float(gumbel.median()) if gumbel is not None else nan,
        "q90_gumbel": float(gumbel.ppf(0.9)) if gumbel is not None else nan,
        "p_exceeds_one_mc": float(np.mean(x > 1.0)),
        "p_exceeds_one_mc_se": float(
            math.sqrt(max(np.mean(x > 1) * np.mean(x <= 1), 1 / size) / size)
        ),
        "p_exceeds_one_poisson": float(poisson.sf(1.0)),
    }
    return row, x


_LAW_HEAD = ["n", "sup_r abs(F_n - G)", "at x", "median (finite n)", "median (Gumbel)", "q0.9 (finite n)",
             "q0.9 (Gumbel)", "P(rho <= 1) (finite n)", "P(rho <= 1) (Gumbel)"]


def _law_table_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r["n"], r["sup_cdf_distance"], r["x_at_sup"], f"{r['median']:.6f}", f"{r['median_gumbel']:.6f}",
             f"{r['q90']:.6f}", f"{r['q90_gumbel']:.6f}", r["p_at_most_one"], r["p_at_most_one_gumbel"]] for r in rows]


@experiment("edge_convergence", stream_id=5, title=TITLE, sizes=SIZES)
def run(ex: Run) -> None:
    """Convergence tables of the finite-n edge laws, Monte Carlo checks of the laws, the figure."""
    cfg = ex.cfg
    out: dict[str, Any] = {"complex": [complex_row(n) for n in cfg["ns"]]}
    sups = [r["sup_cdf_distance"] for r in out["complex"]]
    ex.add(demonstration("complex_sup_distance_decreases",
                         "sup |F_n - Gumbel| of the exact complex law decreases with n (slow convergence)",
                         statistic="monotone in n", value=float(sups[-1]),
                         note="deterministic; sup distances " + ", ".join(f"{s:.3f}" for s in sups)))

    # exact complex law vs Kostlan samples (the law used as ground truth below)
    n_k, m_k = cfg["kostlan"]
    seq = ex.stream(2)
    xk = rmtedge.spectral_radius(n_k, field="complex", size=m_k, method="kostlan", rng=np.random.default_rng(seq))
    law_k = ExactComplexRadiusLaw(n_k)
    ex.add(ks_check(f"complex_exact_law_ks_n{n_k}", f"Kostlan-sampler radii at n = {n_k} vs the exact complex law",
                    xk, law_k.cdf, alternative=law_alternative("the Gumbel limit",
                                                               rmtedge.gumbel_edge_law(n_k, field="complex")),
                    spawn_key=seq.spawn_key, theory_mean=float(law_k.mean()), note=f"{m_k} samples"))

    out["real"] = [real_row(n) for n in cfg["ns"]]
    out["complex_poisson"] = [complex_poisson_row(n) for n in cfg["ns"]]
    out["real_mc"] = []
    for key, (n, m) in enumerate(cfg["mc"]):
        seq = ex.stream(1, key)
        row, x = real_mc_row(n, m, seq)
        out["real_mc"].append(row)
        poisson = PoissonRealRadiusLaw(n)
        if n >= 164:
            alt = law_alternative("the Gumbel limit", rmtedge.gumbel_edge_law(n, field="real"))
        else:
            alt = law_alternative("the complex field's law (field mix-up)", ExactComplexRadiusLaw(n))
        ex.add(ks_check(f"real_poisson_law_ks_n{n}", f"real Glorot radii (Hessenberg sampler, n = {n}) vs the Poisson law",
                        x, poisson.cdf, alternative=alt, tolerance=poisson.cdf_error_bound, spawn_key=seq.spawn_key,
                        theory_mean=float(poisson.mean()), note=f"{m} samples"))
        if n >= 164:
            ex.add(demonstration(f"real_gumbel_limit_far_n{n}",
                                 f"at n = {n} the real Gumbel limit is far from the Monte Carlo radii (slow convergence)",
                                 statistic="KS D to the Gumbel limit", value=row["ks_vs_gumbel"],
                                 p_value=row["ks_vs_gumbel_p"], spawn_key=seq.spawn_key,
                                 note="a property of the limit, not a test of rmtedge: a small p-value is the expected outcome"))
    ex.numbers.update(out)

    ex.table("Complex field: exact law (Kostlan) vs its Gumbel limit exp(-e^-x)", _LAW_HEAD,
             _law_table_rows(out["complex"]), note="x = (r - a_n)/b_n is the standardized radius.")
    ex.table("Real field: Poisson law (exact intensities) vs its Gumbel limit exp(-e^-x / 2)", _LAW_HEAD,
             _law_table_rows(out["real"]))
    ex.table("Real field, Monte Carlo (Hessenberg sampler), +- one standard error",
             ["n", "samples", "KS D to Poisson (p)", "KS D to Gumbel (p)", "95% KS band", "median MC",
              "median Poisson", "q0.9 MC", "q0.9 Poisson"],
             [[r["n"], r["samples"], f"{r['ks_vs_poisson']:.4f} ({fmt_p(r['ks_vs_poisson_p'])})",
               "n/a (n < 164)" if math.isnan(r["ks_vs_gumbel"]) else f"{r['ks_vs_gumbel']:.4f} ({fmt_p(r['ks_vs_gumbel_p'])})",
               r["ks_band_95"], f"{r['median_mc']:.5f} +- {r['median_mc_se']:.5f}", f"{r['median_poisson']:.5f}",
               f"{r['q90_mc']:.5f} +- {r['q90_mc_se']:.5f}", f"{r['q90_poisson']:.5f}"] for r in out["real_mc"]])
    ex.table("Calibration of the Poisson approximation on the complex field (exact law known)",
             ["n", "sup_r abs(exp(-E_c(r)) - F_exact(r))", "at x"],
             [[r["n"], r["sup_cdf_distance_poisson_vs_exact"], r["x_at_sup"]] for r in out["complex_poisson"]])
    _figure(ex, out)


def fmt_p(p: float) -> str:
    """A p-value in two significant digits."""
    return f"{p:.2g}"


def _figure(ex: Run, out: dict[str, Any]) -> None:
    with ex.figure("edge_convergence.png", figsize=(7.5, 4.6)) as fig:
        if fig is None:
            return
        ax = fig.subplots()
        ns = np.array([r["n"] for r in out["complex"]], dtype=float)
        ax.semilogx(ns, [r["sup_cdf_distance"] for r in out["complex"]], "o-", color="tab:purple",
                    label="complex: exact law vs its Gumbel limit")
        nr = np.array([r["n"] for r in out["real"]], dtype=float)
        ax.semilogx(nr, [r["sup_cdf_distance"] for r in out["real"]], "s-", color="tab:green",
                    label="real: Poisson law vs its Gumbel limit")
        nc = np.array([r["n"] for r in out["complex_poisson"]], dtype=float)
        ax.semilogx(nc, [r["sup_cdf_distance_poisson_vs_exact"] for r in out["complex_poisson"]], "^:",
                    color="gray", label="complex: Poisson approximation vs exact law")
        grid = np.geomspace(ns.min(), ns.max(), 100)
        ax.semilogx(grid, (2 / math.e) * np.log(np.log(grid)) / np.log(grid), "k--", lw=1,
                    label="reference rate (2/e) log log n / log n")
        ax.set_xlabel("matrix dimension n")
        ax.set_ylabel("sup-distance of CDFs")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)
        ax.set_title("Convergence of the spectral-radius law to its Gumbel limit")


if __name__ == "__main__":
    raise SystemExit(run.main())
