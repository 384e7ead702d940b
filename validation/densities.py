"""Eigenvalue densities and real-eigenvalue counts against Monte Carlo.

Theory (rmtedge):

* ``real_eigenvalue_density(x, n)``: intensity of the real eigenvalues of real Glorot matrices
  (Edelman, Kostlan & Shub 1994);
* ``complex_eigenvalue_density(z, n, field=...)``: intensity of the non-real eigenvalues of real
  Glorot matrices (Edelman 1997) and of all eigenvalues of complex Glorot matrices (Ginibre 1965);
* ``expected_real_eigenvalues(n)`` (E_n) and ``real_count_distribution(n)`` (p_{n,k}).

Checks:

* real line: the numbers of real eigenvalues per matrix in bins of the real line against the
  integral of the density over each bin (Gauss-Legendre quadrature of the density itself), with
  Hotelling's T^2 on the per-matrix counts (eigenvalue counts in disjoint bins of one matrix are
  correlated, so a Pearson statistic with Poisson variances would be mis-calibrated);
* plane: the same test on cells (annuli x angular sectors of the upper half plane; the lower half
  is the mirror image for real matrices) for both fields;
* counts: chi-square on the COUNTS of matrices with k real eigenvalues against p_{n,k}
  (multinomial), and a z test of the mean number of real eigenvalues against E_n.

Run alone: ``python validation/densities.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import itertools
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
    chi2_counts_check,
    count_in_bins_check,
    experiment_main,
    guarded,
    load_pyplot,
    mc_samples,
    require,
    save_figure,
    start_experiment,
    stream,
    z_check,
)

NAME = "densities"
TITLE = "Eigenvalue densities, E_n and p_{n,k} against Monte Carlo"

SIZES: dict[str, dict[str, Any]] = {
    "smoke": {"n_line": 12, "line_matrices": 1500, "n_plane": 12, "plane_matrices": 800,
              "n_counts": (7,), "count_matrices": 4000},
    "quick": {"n_line": 20, "line_matrices": 4000, "n_plane": 20, "plane_matrices": 2000,
              "n_counts": (7, 10), "count_matrices": 20000},
    "full": {"n_line": 50, "line_matrices": 20000, "n_plane": 50, "plane_matrices": 10000,
             "n_counts": (7, 10, 20), "count_matrices": 100000},
}
#: Real-line bins (Glorot scale): the support of the real eigenvalues is about [-1, 1].
LINE_EDGES = np.linspace(-1.4, 1.4, 15)
#: Plane cells: annuli in |z| times angular sectors of the upper half plane.
RADII = np.array([0.0, 0.35, 0.6, 0.8, 0.95, 1.1, 1.35])
SECTORS = np.array([0.0, math.pi / 6, math.pi / 2, 5 * math.pi / 6, math.pi])
_GL = np.polynomial.legendre.leggauss(24)


def _gl(a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    x, w = _GL
    return 0.5 * (b - a) * x + 0.5 * (b + a), 0.5 * (b - a) * w


def line_bin_integrals(n: int, edges: np.ndarray) -> np.ndarray:
    """Integral of ``rmtedge.real_eigenvalue_density(., n)`` over each bin (24-point Gauss-Legendre
    per bin, in two halves; the density is smooth, so this is accurate to ~1e-12)."""
    dens = require("real_eigenvalue_density")
    out = np.empty(edges.size - 1)
    for i, (a, b) in enumerate(itertools.pairwise(edges)):
        mid = 0.5 * (a + b)
        tot = 0.0
        for lo, hi in ((a, mid), (mid, b)):
            x, w = _gl(lo, hi)
            tot += float(np.dot(w, dens(x, n)))
        out[i] = tot
    return out


def plane_cell_integrals(n: int, field: str, radii: np.ndarray, sectors: np.ndarray) -> np.ndarray:
    """Integral of ``rmtedge.complex_eigenvalue_density(., n, field=field)`` over each polar cell
    (tensor Gauss-Legendre in r and theta, 24 x 24 nodes per cell). Shape (annuli, sectors)."""
    dens = require("complex_eigenvalue_density")
    out = np.empty((radii.size - 1, sectors.size - 1))
    for i in range(radii.size - 1):
        r, wr = _gl(radii[i], radii[i + 1])
        for j in range(sectors.size - 1):
            th, wt = _gl(sectors[j], sectors[j + 1])
            z = r[:, None] * np.exp(1j * th[None, :])
            vals = np.asarray(dens(z, n, field=field), dtype=np.float64) * r[:, None]
            out[i, j] = float(wr @ vals @ wt)
    return out


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
    fig_data: dict[str, Any] = {}

    # -- real line -----------------------------------------------------------------------------
    n, m = cfg["n_line"], cfg["line_matrices"]
    desc = f"real Glorot, n = {n}: real eigenvalues per matrix in {LINE_EDGES.size - 1} bins vs the EKS density"
    with guarded(result, "real_line_density", desc):
        eigvals = require("eigvals")
        rng = np.random.default_rng(seq := stream(seed, NAME, 0))
        ev = eigvals(n, field="real", size=m, method="dense", rng=rng)
        real = np.where(ev.imag == 0, ev.real, np.nan)
        counts = np.stack([np.sum((real >= a) & (real < b), axis=1) for a, b in itertools.pairwise(LINE_EDGES)], axis=1)
        expected = line_bin_integrals(n, LINE_EDGES)
        result.add(count_in_bins_check("real_line_density", desc, counts, expected, spawn_key=list(seq.spawn_key)))
        result.numbers["real_line"] = {"n": n, "matrices": m, "edges": LINE_EDGES, "expected_per_matrix": expected, "mc_per_matrix": counts.mean(axis=0)}
        fig_data["line"] = (n, m, counts, expected)

    # -- plane ---------------------------------------------------------------------------------
    n, m = cfg["n_plane"], cfg["plane_matrices"]
    for i, fld in enumerate(("real", "complex")):
        name = f"plane_density_{fld}"
        what = "non-real eigenvalues" if fld == "real" else "eigenvalues"
        d = (RADII.size - 1) * (SECTORS.size - 1)
        desc = f"{fld} Glorot, n = {n}: {what} per matrix in {d} upper-half-plane cells vs the density"
        with guarded(result, name, desc):
            eigvals = require("eigvals")
            rng = np.random.default_rng(seq := stream(seed, NAME, 1, i))
            ev = eigvals(n, field=fld, size=m, method="dense", rng=rng)
            ev = ev[..., None] if ev.ndim == 1 else ev
            mod, ang = np.abs(ev), np.angle(ev)
            upper = ev.imag > 0
            counts = np.zeros((m, RADII.size - 1, SECTORS.size - 1))
            for a in range(RADII.size - 1):
                in_r = upper & (mod >= RADII[a]) & (mod < RADII[a + 1])
                for b in range(SECTORS.size - 1):
                    counts[:, a, b] = np.sum(in_r & (ang >= SECTORS[b]) & (ang < SECTORS[b + 1]), axis=1)
            expected = plane_cell_integrals(n, fld, RADII, SECTORS)
            result.add(count_in_bins_check(name, desc, counts.reshape(m, -1), expected.ravel(), spawn_key=list(seq.spawn_key)))
            result.numbers[name] = {"n": n, "matrices": m, "radii": RADII, "sectors": SECTORS,
                                    "expected_per_matrix": expected, "mc_per_matrix": counts.mean(axis=0)}
            fig_data[fld] = (n, m, counts.sum(axis=2), expected.sum(axis=1))

    # -- counts of real eigenvalues --------------------------------------------------------------
    m = cfg["count_matrices"]
    for i, n in enumerate(cfg["n_counts"]):
        seq = stream(seed, NAME, 2, i)
        key = [int(k) for k in seq.spawn_key]
        desc_p = f"n = {n}: numbers of matrices with k real eigenvalues vs p_(n,k)"
        desc_e = f"n = {n}: mean number of real eigenvalues vs E_n"
        k = None
        with guarded(result, f"real_count_law_n{n}", desc_p):
            k = np.asarray(mc_samples("real_count", n, field="real", samples=m, seq=seq, method="dense", chunk_size=1000), dtype=np.int64)
            p = np.asarray(require("real_count_distribution")(n), dtype=np.float64)
            observed = np.bincount(k, minlength=n + 1)[: n + 1]
            # only the categories of n's parity can occur
            ks = np.arange(n % 2, n + 1, 2)
            en_from_p = float(np.dot(np.arange(n + 1), p))
            result.add(chi2_counts_check(f"real_count_law_n{n}", desc_p, observed[ks], p[ks], spawn_key=key,
                                         theory_mean=en_from_p, mc_mean=float(k.mean()), mc_stderr=float(k.std(ddof=1) / math.sqrt(m))))
            result.numbers[f"real_counts_n{n}"] = {"matrices": m, "k": ks, "p": p[ks], "frequency": observed[ks] / m}
            fig_data.setdefault("counts", []).append((n, ks, p[ks], observed[ks] / m))
        with guarded(result, f"expected_real_n{n}", desc_e):
            if k is None:
                k = np.asarray(mc_samples("real_count", n, field="real", samples=m, seq=seq, method="dense", chunk_size=1000))
            en = float(require("expected_real_eigenvalues")(n))
            result.add(z_check(f"expected_real_n{n}", desc_e, float(k.mean()), float(k.std(ddof=1) / math.sqrt(m)), en, spawn_key=key))

    _figure(result, fig_data, out_dir)
    result.elapsed = time.perf_counter() - t0
    return result


def _figure(result: ExperimentResult, data: dict[str, Any], out_dir: Path | None) -> None:
    plt = load_pyplot()
    if plt is None:
        result.notes.append(PLOT_HINT)
        return
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    ax = axes[0]
    if "line" in data:
        n, m, counts, expected = data["line"]
        width = np.diff(LINE_EDGES)
        ax.bar(LINE_EDGES[:-1], counts.mean(axis=0) / width, width=width, align="edge", alpha=0.45,
               color=COLORS["real"], label=f"MC ({m} matrices)")
        x = np.linspace(LINE_EDGES[0], LINE_EDGES[-1], 400)
        try:
            ax.plot(x, require("real_eigenvalue_density")(x, n), **THEORY_STYLE, label="EKS density")
        except Exception:  # pragma: no cover - figure only
            pass
        ax.set_title(f"real eigenvalues of real Glorot, n = {n}")
        ax.set_xlabel("x")
        ax.set_ylabel("expected number per unit length")
        ax.legend(fontsize=8)
    ax = axes[1]
    for fld in ("real", "complex"):
        if fld not in data:
            continue
        n, m, counts, expected = data[fld]
        area = 0.5 * math.pi * np.diff(RADII**2)  # upper half annuli
        mids = 0.5 * (RADII[:-1] + RADII[1:])
        ax.step(RADII, np.append(counts.mean(axis=0) / area, np.nan), where="post", color=COLORS[fld], lw=1.5,
                label=f"{fld}: MC ({m} matrices)")
        ax.plot(mids, expected / area, "o", color="black", mfc=COLORS[fld], ms=5, zorder=5,
                label=f"{fld}: theory (annulus averages)")
    ax.set_title(f"intensity per unit area, upper half plane, n = {data.get('complex', data.get('real', [0]))[0]}")
    ax.set_xlabel("|z|")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    ax = axes[2]
    for j, (n, ks, p, freq) in enumerate(data.get("counts", [])):
        off = 0.25 * (j - 0.5)
        ax.bar(ks + off, freq, width=0.25, alpha=0.5, label=f"n = {n}: MC frequency")
        ax.plot(ks + off, p, "o", color="black", ms=4, zorder=5, label=f"n = {n}: p_(n,k)" if j == 0 else None)
    ax.set_yscale("log")
    ax.set_xlabel("k (number of real eigenvalues)")
    ax.set_title("law of the number of real eigenvalues")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, result, out_dir, "densities.png")


if __name__ == "__main__":
    raise SystemExit(experiment_main(run))
