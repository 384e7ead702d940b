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

Named alternatives (power): every density multiplied by 1.05 (a 5% normalisation error); p_{n,k}
with 5% of the mass of its most likely k moved to the neighbouring k + 2; E_{n-1} in place of
E_n (an off-by-one in n).

Run alone: ``python validation/densities.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from rmtedge.validation._common import (
    COLORS,
    THEORY_STYLE,
    Run,
    chi2_counts_check,
    count_in_bins_check,
    experiment,
    z_check,
)

import rmtedge

SIZES = {
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
    dens = rmtedge.real_eigenvalue_density
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
    dens = rmtedge.complex_eigenvalue_density
    out = np.empty((radii.size - 1, sectors.size - 1))
    for i in range(radii.size - 1):
        r, wr = _gl(radii[i], radii[i + 1])
        for j in range(sectors.size - 1):
            th, wt = _gl(sectors[j], sectors[j + 1])
            z = r[:, None] * np.exp(1j * th[None, :])
            vals = np.asarray(dens(z, n, field=field), dtype=np.float64) * r[:, None]
            out[i, j] = float(wr @ vals @ wt)
    return out


#: factor of the densities under the named alternative (a 5% normalisation error)
ALT_FACTOR = 1.05


def _moved_mass(p: np.ndarray, n: int, amount: float = 0.05) -> np.ndarray:
    """p_{n,k} with ``amount`` of the mass of the most likely k moved to k + 2 (or k - 2 at k = n)."""
    q = np.array(p, dtype=np.float64)
    k = int(np.argmax(q))
    q[k] -= amount
    q[k + 2 if k + 2 <= n else k - 2] += amount
    return q


@experiment("densities", stream_id=4, title="Eigenvalue densities, E_n and p_{n,k} against Monte Carlo", sizes=SIZES)
def run(ex: Run) -> None:
    """Bins of the real line, cells of the plane, counts of real eigenvalues; see the module docstring."""
    cfg = ex.cfg
    fig_data: dict[str, Any] = {}
    alt = f"density x {ALT_FACTOR:g} (a {ALT_FACTOR - 1:.0%} normalisation error)"

    # -- real line -----------------------------------------------------------------------------
    n, m = cfg["n_line"], cfg["line_matrices"]
    desc = f"real Glorot, n = {n}: real eigenvalues per matrix in {LINE_EDGES.size - 1} bins vs the EKS density"
    seq = ex.stream(0)
    ev = rmtedge.eigvals(n, field="real", size=m, method="dense", rng=np.random.default_rng(seq))
    real = np.where(ev.imag == 0, ev.real, np.nan)
    counts = np.stack([np.sum((real >= a) & (real < b), axis=1) for a, b in itertools.pairwise(LINE_EDGES)], axis=1)
    expected = line_bin_integrals(n, LINE_EDGES)
    ex.add(count_in_bins_check("real_line_density", desc, counts, expected, alternative=(alt, ALT_FACTOR * expected),
                               spawn_key=seq.spawn_key))
    ex.numbers["real_line"] = {"n": n, "matrices": m, "edges": LINE_EDGES, "expected_per_matrix": expected,
                               "mc_per_matrix": counts.mean(axis=0)}
    fig_data["line"] = (n, m, counts, expected)

    # -- plane ---------------------------------------------------------------------------------
    n, m = cfg["n_plane"], cfg["plane_matrices"]
    for i, fld in enumerate(("real", "complex")):
        name = f"plane_density_{fld}"
        what = "non-real eigenvalues" if fld == "real" else "eigenvalues"
        d = (RADII.size - 1) * (SECTORS.size - 1)
        desc = f"{fld} Glorot, n = {n}: {what} per matrix in {d} upper-half-plane cells vs the density"
        seq = ex.stream(1, i)
        ev = rmtedge.eigvals(n, field=fld, size=m, method="dense", rng=np.random.default_rng(seq))
        mod, ang = np.abs(ev), np.angle(ev)
        upper = ev.imag > 0
        counts = np.zeros((m, RADII.size - 1, SECTORS.size - 1))
        for a in range(RADII.size - 1):
            in_r = upper & (mod >= RADII[a]) & (mod < RADII[a + 1])
            for b in range(SECTORS.size - 1):
                counts[:, a, b] = np.sum(in_r & (ang >= SECTORS[b]) & (ang < SECTORS[b + 1]), axis=1)
        expected = plane_cell_integrals(n, fld, RADII, SECTORS)
        ex.add(count_in_bins_check(name, desc, counts.reshape(m, -1), expected.ravel(),
                                   alternative=(alt, ALT_FACTOR * expected.ravel()), spawn_key=seq.spawn_key))
        ex.numbers[name] = {"n": n, "matrices": m, "radii": RADII, "sectors": SECTORS,
                            "expected_per_matrix": expected, "mc_per_matrix": counts.mean(axis=0)}
        fig_data[fld] = (n, m, counts.sum(axis=2), expected.sum(axis=1))

    # -- counts of real eigenvalues --------------------------------------------------------------
    m = cfg["count_matrices"]
    rows = []
    for i, n in enumerate(cfg["n_counts"]):
        seq = ex.stream(2, i)
        k = np.asarray(ex.mc_samples("real_count", n, field="real", samples=m, seq=seq, chunk_size=1000), dtype=np.int64)
        p = np.asarray(rmtedge.real_count_distribution(n), dtype=np.float64)
        observed = np.bincount(k, minlength=n + 1)[: n + 1]
        ks = np.arange(n % 2, n + 1, 2)  # only the categories of n's parity can occur
        en = float(rmtedge.expected_real_eigenvalues(n))
        mean, se = float(k.mean()), float(k.std(ddof=1) / math.sqrt(m))
        ex.add(chi2_counts_check(f"real_count_law_n{n}", f"n = {n}: numbers of matrices with k real eigenvalues vs p_(n,k)",
                                 observed[ks], p[ks], spawn_key=seq.spawn_key, theory_mean=float(np.dot(np.arange(n + 1), p)),
                                 mc_mean=mean, mc_stderr=se,
                                 alternative=("p_(n,k) with 5% of the mode's mass moved to k + 2", _moved_mass(p, n)[ks])))
        en_alt = float(rmtedge.expected_real_eigenvalues(n - 1))
        ex.add(z_check(f"expected_real_n{n}", f"n = {n}: mean number of real eigenvalues vs E_n", mean, se, en,
                       alternative=(f"E_(n-1) = {en_alt:.4f} (off-by-one in n)", en_alt), spawn_key=seq.spawn_key))
        ex.numbers[f"real_counts_n{n}"] = {"matrices": m, "k": ks, "p": p[ks], "frequency": observed[ks] / m}
        fig_data.setdefault("counts", []).append((n, ks, p[ks], observed[ks] / m))
        rows.extend([n, int(kk), p[kk], observed[kk] / m] for kk in ks)
    ex.table("Law of the number of real eigenvalues", ["n", "k", "p_(n,k)", "Monte Carlo frequency"], rows,
             note=f"{m} matrices per n.")
    _figure(ex, fig_data)


def _figure(ex: Run, data: dict[str, Any]) -> None:
    with ex.figure("densities.png", figsize=(16, 4.6)) as fig:
        if fig is None:
            return
        axes = fig.subplots(1, 3)
        ax = axes[0]
        n, m, counts, expected = data["line"]
        width = np.diff(LINE_EDGES)
        ax.bar(LINE_EDGES[:-1], counts.mean(axis=0) / width, width=width, align="edge", alpha=0.45,
               color=COLORS["real"], label=f"Monte Carlo: real eigenvalues of {m} matrices")
        ax.plot(0.5 * (LINE_EDGES[:-1] + LINE_EDGES[1:]), expected / width, "o", color="black", ms=4, zorder=6,
                label="theory: bin averages of the density")
        x = np.linspace(LINE_EDGES[0], LINE_EDGES[-1], 400)
        ax.plot(x, rmtedge.real_eigenvalue_density(x, n), **THEORY_STYLE, label="theory: EKS density")
        ax.set_title(f"real eigenvalues of real Glorot, n = {n}")
        ax.set_xlabel("x (real line)")
        ax.set_ylabel("expected number per unit length")
        ax.legend(fontsize=7)
        ax = axes[1]
        area = 0.5 * math.pi * np.diff(RADII**2)  # upper half annuli
        mids = 0.5 * (RADII[:-1] + RADII[1:])
        for fld in ("real", "complex"):
            n, m, counts, expected = data[fld]
            what = "non-real eigenvalues" if fld == "real" else "eigenvalues"
            ax.step(RADII, np.append(counts.mean(axis=0) / area, np.nan), where="post", color=COLORS[fld], lw=1.5,
                    label=f"{fld} Glorot: Monte Carlo, {what} ({m} matrices)")
            ax.plot(mids, expected / area, "o", color="black", mfc=COLORS[fld], ms=5, zorder=5,
                    label=f"{fld} Glorot: theory (annulus averages)")
        ax.axvline(1.0, color="gray", lw=0.8, ls=":", label="|z| = 1 (circular-law edge)")
        ax.set_title(f"eigenvalues per unit area, upper half plane, n = {n}")
        ax.set_xlabel("|z|")
        ax.set_ylabel("expected number per unit area")
        ax.legend(fontsize=7, loc="lower left")
        ax = axes[2]
        groups = data["counts"]
        w = 0.8 / len(groups)
        for j, (n, ks, p, freq) in enumerate(groups):
            off = w * (j - (len(groups) - 1) / 2)
            bars = ax.bar(ks + off, freq, width=w, alpha=0.5, label=f"n = {n}: Monte Carlo frequency")
            ax.plot(ks + off, p, "o", color="black", mfc=bars.patches[0].get_facecolor(), ms=5, zorder=5,
                    label=f"n = {n}: theory p_(n,k)")
        ax.set_yscale("log")
        ax.set_xlabel("k (number of real eigenvalues)")
        ax.set_ylabel("probability")
        ax.set_title("law of the number of real eigenvalues")
        ax.legend(fontsize=7)


if __name__ == "__main__":
    raise SystemExit(run.main())
