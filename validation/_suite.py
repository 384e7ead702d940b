"""The validation suite: the registry of experiments and the driver that runs them.

``run_suite`` is what ``rmtedge validate`` calls. Each experiment runs in its own ``try`` block: an
exception becomes an experiment with status "error" (reported, non-zero exit) instead of
stopping the suite.

Parallelism: with ``jobs > 1`` (and no scheduler) whole experiments are spread over a pool of
``jobs`` local processes (BLAS pinned to one thread in each); with ``scheduler="tcp://..."`` the
experiments run here one after the other and their Monte Carlo sampling is sent to that Dask
cluster through :func:`rmtedge.montecarlo.run`. The numbers do not depend on either choice: every
random stream is fixed by the seed and the experiment (see :mod:`rmtedge.validation._common`).

Verdicts: each experiment decides its checks as its own family; the suite then decides them
again over ALL counted checks of the run (Holm at the family-wise false-alarm rate
``FAMILY_ALPHA``), which is what the report shows.

Adding an experiment: write ``validation/<name>.py`` following the contract of
:mod:`rmtedge.validation._common` (the ``experiment`` decorator) and add one
:class:`SuiteEntry` line to ``EXPERIMENTS`` below (its ``stream_id`` must be new).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmtedge.validation._common import (
    Check,
    ExperimentResult,
    apply_family,
    pin_blas_threads,
    progress,
)

__all__ = ["EXPERIMENTS", "SuiteEntry", "SuiteResult", "run_experiment", "run_suite"]


@dataclass(frozen=True)
class SuiteEntry:
    """One entry of the suite: the module that implements it and a one-line summary."""

    name: str
    module: str
    summary: str
    #: rough relative cost in the quick size (used to start the longest first in a pool)
    weight: float = 1.0


EXPERIMENTS: tuple[SuiteEntry, ...] = (
    SuiteEntry("figures_1_2", "rmtedge.validation.figures_1_2",
               "Figs. 1-2: radius histograms (Glorot vs rescaled) with finite-n and Gumbel laws; ||W^k x||; ||h_t||", 4.0),
    SuiteEntry("figure_3", "rmtedge.validation.figure_3",
               "Fig. 3: largest modulus, real vs complex (mean gap, right tail)", 1.5),
    SuiteEntry("figure_4", "rmtedge.validation.figure_4",
               "Fig. 4: hidden-state norms of real and complex Glorot recurrences", 1.0),
    SuiteEntry("densities", "rmtedge.validation.densities",
               "Eigenvalue densities (line, plane), E_n and p_(n,k) vs counts", 1.5),
    SuiteEntry("edge_convergence", "rmtedge.validation.edge_convergence",
               "Edge-law convergence table: finite-n laws vs Gumbel limit", 2.0),
    SuiteEntry("growth_bound", "rmtedge.validation.growth_bound",
               "Schur growth bound vs simulated energy; threshold t*(n) vs sqrt(n)", 2.0),
    SuiteEntry("initializer_risk", "rmtedge.validation.initializer_risk",
               "Rescaled initializer: realised vs requested P(rho > 1)", 3.0),
    SuiteEntry("largest_real", "rmtedge.validation.largest_real",
               "Largest real eigenvalue: exact finite-n laws vs Monte Carlo and the edge limit", 1.5),
)
_BY_NAME = {e.name: e for e in EXPERIMENTS}


@dataclass
class SuiteResult:
    """All experiments of one ``rmtedge validate`` run."""

    experiments: list[ExperimentResult]
    family: dict[str, Any]
    size: str
    seed: int
    jobs: int
    scheduler: str | None
    elapsed: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def checks(self) -> list[Check]:
        return [c for e in self.experiments for c in e.checks]

    @property
    def passed(self) -> bool:
        """True when no counted check failed and no experiment errored."""
        return all(e.passed for e in self.experiments)


def names() -> list[str]:
    """Names of the experiments, in report order."""
    return [e.name for e in EXPERIMENTS]


def run_experiment(
    name: str,
    *,
    size: str = "quick",
    seed: int = 0,
    out_dir: Path | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
) -> ExperimentResult:
    """Run one experiment by name with BLAS pinned to one thread, never raising: an exception
    becomes an "error" result. The verdicts are those of the experiment as its own family."""
    exp = _BY_NAME[name]
    module = importlib.import_module(exp.module)
    with pin_blas_threads():
        return module.run(size=size, seed=seed, out_dir=out_dir, jobs=jobs, scheduler=scheduler)


def run_suite(
    only: Sequence[str] | None = None,
    *,
    size: str = "quick",
    seed: int = 0,
    out_dir: Path | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    show_progress: bool | None = None,
    on_result: Callable[[ExperimentResult], None] | None = None,
) -> SuiteResult:
    """Run the selected experiments (all by default) and collect their results in report order."""
    selected = list(only) if only else names()
    unknown = [s for s in selected if s not in _BY_NAME]
    if unknown:
        raise ValueError(f"unknown experiment(s) {unknown}; choose from {names()}")
    selected = [n for n in names() if n in selected]  # report order, no duplicates
    t0 = time.perf_counter()
    results: dict[str, ExperimentResult] = {}
    common = {"size": size, "seed": seed, "out_dir": out_dir}
    if jobs > 1 and scheduler is None and len(selected) > 1:
        import multiprocessing as mp

        order = sorted(selected, key=lambda n: -_BY_NAME[n].weight)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"), initializer=_worker_init) as pool:
            futures = {pool.submit(run_experiment, n, jobs=1, scheduler=None, **common): n for n in order}
            for fut in progress(as_completed(futures), desc="rmtedge validate", total=len(futures), enabled=show_progress):
                res = fut.result()
                results[futures[fut]] = res
                if on_result:
                    on_result(res)
    else:
        bar = progress(selected, desc="rmtedge validate", total=len(selected), enabled=show_progress)
        for n in bar:
            if hasattr(bar, "set_postfix_str"):
                bar.set_postfix_str(f"running {n}")
            res = run_experiment(n, jobs=jobs, scheduler=scheduler, **common)
            results[n] = res
            if on_result:
                on_result(res)
    experiments = [results[n] for n in selected]
    family = apply_family([c for e in experiments for c in e.checks])
    return SuiteResult(
        experiments=experiments,
        family=family,
        size=size,
        seed=seed,
        jobs=jobs,
        scheduler=scheduler,
        elapsed=time.perf_counter() - t0,
    )


def _worker_init() -> None:
    """Process-pool initializer: one BLAS/OpenMP thread per worker for its whole life."""
    pin_blas_threads()
