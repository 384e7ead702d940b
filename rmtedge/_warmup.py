"""Compile every numba kernel of rmtedge into the on-disk cache (``rmtedge warmup``).

rmtedge's kernels are compiled on their first call in a process and cached on disk
(``cache=True``, see :mod:`rmtedge._core.jit`), so only the very first use on a machine pays the
compile time. :data:`ENTRY_POINTS` calls each public entry point once on a small argument, which
compiles exactly the specialisations ordinary calls use; ``rmtedge warmup`` runs them with a
progress bar (useful when building a cluster image or a CI cache), and
``benchmarks/bench_coldstart.py`` times each of them in a fresh process with an empty cache.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["ENTRY_POINTS", "warmup"]


def _entry_points() -> list[tuple[str, Callable[[], Any]]]:
    import rmtedge as r

    return [
        ("ginibre / eigvals / spectral_radius", lambda: r.spectral_radius(8, size=2, rng=0)),
        ("hessenberg spectral_radius", lambda: r.spectral_radius(8, method="hessenberg", rng=0)),
        ("kostlan spectral_radius", lambda: r.spectral_radius(8, field="complex", rng=0)),
        ("count_real_eigenvalues", lambda: r.count_real_eigenvalues(8, size=2, rng=0)),
        ("real_eigenvalue_density", lambda: r.real_eigenvalue_density([0.5, 3.0], 10)),
        ("log_real_eigenvalue_density", lambda: r.log_real_eigenvalue_density(0.5, 10)),
        ("complex_eigenvalue_density", lambda: r.complex_eigenvalue_density([0.5 + 0.5j], 10)),
        (
            "log_complex_eigenvalue_density",
            lambda: r.log_complex_eigenvalue_density(0.5j, 10, field="complex"),
        ),
        ("expected_real_outside", lambda: r.expected_real_outside(1.0, 10)),
        ("expected_nonreal_outside", lambda: r.expected_nonreal_outside(1.0, 10)),
        ("expected_real_eigenvalues", lambda: r.expected_real_eigenvalues(10)),
        ("real_count_distribution", lambda: r.real_count_distribution(6)),
        ("eigenvalue_moment (real)", lambda: r.eigenvalue_moment(10, 2)),
        ("hidden_state_lower_bound", lambda: r.hidden_state_lower_bound(10, 3, field="complex")),
        (
            "spectral_radius_law (complex)",
            lambda: r.spectral_radius_law(10, field="complex").sf(1.0),
        ),
        ("spectral_radius_law (real, exact)", lambda: r.spectral_radius_law(10).sf(1.0)),
        (
            "spectral_radius_law (real, poisson)",
            lambda: r.spectral_radius_law(10, method="poisson").sf(1.0),
        ),
        ("prob_radius_exceeds_one", lambda: r.prob_radius_exceeds_one(10)),
        ("gumbel_edge_law", lambda: r.gumbel_edge_law(200).sf(1.0)),
        ("largest_real_eigenvalue_law", lambda: r.largest_real_eigenvalue_law(10).cdf(0.5)),
        ("largest_real_eigenvalue_limit", lambda: r.largest_real_eigenvalue_limit().cdf(0.0)),
        ("rescale_factor", lambda: r.rescale_factor(64)),
        ("frobenius_energy", lambda: r.frobenius_energy(100, 10, field="complex")),
        ("energy_samples", lambda: r.energy_samples(100, 5, size=4, rng=0)),
        ("simulate_hidden_states", lambda: r.simulate_hidden_states(n=8, T=4, n_inputs=2, rng=0)),
        ("power_norms", lambda: r.power_norms(n=8, T=4, n_inputs=2, rng=0)),
        ("instability_threshold", lambda: r.instability_threshold(64)),
    ]


#: (label, zero-argument callable) for every public entry point with compiled kernels
ENTRY_POINTS: list[tuple[str, Callable[[], Any]]] = []


def warmup(*, progress: bool = True, stream: Any = None) -> dict[str, float]:
    """Call every entry point of :data:`ENTRY_POINTS` once; return the seconds each took.

    With ``progress=True`` a one-line progress bar is written to ``stream`` (default stderr).
    A second run in a later process costs only the cache loads (well under a second each).
    """
    if not ENTRY_POINTS:
        ENTRY_POINTS.extend(_entry_points())
    out = sys.stderr if stream is None else stream
    times: dict[str, float] = {}
    total = len(ENTRY_POINTS)
    for i, (label, call) in enumerate(ENTRY_POINTS, 1):
        if progress:
            bar = "#" * (20 * (i - 1) // total)
            out.write(f"\rwarmup [{bar:<20}] {i}/{total} {label:<40.40}")
            out.flush()
        t0 = time.perf_counter()
        call()
        times[label] = time.perf_counter() - t0
    if progress:
        out.write(
            f"\rwarmup [{'#' * 20}] {total}/{total} done in {sum(times.values()):.1f} s{' ' * 30}\n"
        )
        out.flush()
    return times
