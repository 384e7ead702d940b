"""The validation suite: the registry of experiments and the driver that runs them.

``run_suite`` is what ``rmtedge validate`` calls. Each experiment runs in its own ``try`` block: an
exception becomes an experiment with status "error" (reported, non-zero exit) instead of
stopping the suite.

Parallelism: with ``jobs > 1`` (and no scheduler) whole experiments are spread over a pool of
``jobs`` local processes (BLAS pinned to one thread in each); with ``scheduler="tcp://..."`` the
experiments run here one after the other and their Monte Carlo sampling is sent to that Dask
cluster through :func:`rmtedge.montecarlo.run`. The numbers do not depend on either choice: every
random stream is fixed by the seed and the experiment (see :mod:`rmtedge.validation._common`).
"""

from __future__ import annotations

import importlib
import inspect
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmtedge.validation._common import (
    Check,
    ExperimentResult,
    pin_blas_threads,
    progress,
)

__all__ = ["EXPERIMENTS", "Experiment", "SuiteResult", "run_experiment", "run_suite"]


@dataclass(frozen=True)
class Experiment:
    """One entry of the suite: the module that implements it and a one-line summary."""

    name: str
    module: str
    summary: str
    #: rough relative cost in the quick size (used to start the longest first in a pool)
    weight: float = 1.0


EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment("figures_1_2", "rmtedge.validation.figures_1_2",
               "Figs. 1-2: radius histograms (Glorot vs rescaled) with finite-n and Gumbel laws; ||W^k x||; ||h_t||", 4.0),
    Experiment("figure_3", "rmtedge.validation.figure_3",
               "Fig. 3: largest modulus, real vs complex (mean gap, right tail)", 1.5),
    Experiment("figure_4", "rmtedge.validation.figure_4",
               "Fig. 4: hidden-state norms of real and complex Glorot recurrences", 1.0),
    Experiment("densities", "rmtedge.validation.densities",
               "Eigenvalue densities (line, plane), E_n and p_(n,k) vs counts", 1.5),
    Experiment("edge_convergence", "rmtedge.validation.edge_convergence",
               "Edge-law convergence table: finite-n laws vs Gumbel limit", 2.0),
    Experiment("growth_bound", "rmtedge.validation.growth_bound",
               "Schur growth bound vs simulated energy; threshold t*(n) vs sqrt(n)", 2.0),
    Experiment("initializer_risk", "rmtedge.validation.initializer_risk",
               "Rescaled initializer: realised vs requested P(rho > 1)", 3.0),
)
_BY_NAME = {e.name: e for e in EXPERIMENTS}


@dataclass
class SuiteResult:
    """All experiments of one ``rmtedge validate`` run."""

    experiments: list[ExperimentResult]
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
        """True when no check failed and no experiment errored."""
        return all(e.passed for e in self.experiments)


def names() -> list[str]:
    """Names of the experiments, in report order."""
    return [e.name for e in EXPERIMENTS]


def _call_run(run: Callable[..., Any], **kwargs: Any) -> Any:
    """Call ``run`` with the keyword arguments its signature accepts."""
    params = inspect.signature(run).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return run(**kwargs)
    return run(**{k: v for k, v in kwargs.items() if k in params})


def _from_foreign(name: str, title: str, size: str, seed: int, out: Any) -> ExperimentResult:
    """Wrap a plain dict returned by an experiment written against the ``run() -> dict`` contract."""
    res = ExperimentResult(name=name, title=title, size=size, seed=seed)
    if not isinstance(out, dict):
        res.numbers["result"] = out
        return res
    data = dict(out)
    for c in data.pop("checks", []) or []:
        if isinstance(c, Check):
            res.add(c)
        elif isinstance(c, dict):
            known = {k: c[k] for k in Check.__dataclass_fields__ if k in c}
            known.setdefault("name", str(c.get("name", "check")))
            known.setdefault("description", str(c.get("description", "")))
            if "status" not in known and "passed" in c:
                known["status"] = "pass" if c["passed"] else "fail"
            res.add(Check(**known))
    for meta in ("name", "title", "size", "seed", "elapsed_s"):
        data.pop(meta, None)
    figs = data.pop("figures", None) or []
    res.figures.extend(str(f) for f in figs)
    res.notes.extend(str(x) for x in data.pop("notes", []) or [])
    res.numbers.update(data)
    return res


def run_experiment(
    name: str,
    *,
    size: str = "quick",
    seed: int = 0,
    out_dir: Path | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
) -> ExperimentResult:
    """Run one experiment by name, never raising: errors become an "error" result."""
    exp = _BY_NAME[name]
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(exp.module)
    except ImportError as exc:
        res = ExperimentResult(name=name, title=exp.summary, size=size, seed=seed)
        res.skip(name, exp.summary, f"not available: module {exp.module} ({exc})")
        return res
    title = getattr(module, "TITLE", exp.summary)
    try:
        with pin_blas_threads():
            out = _call_run(module.run, quick=size != "full", size=size, seed=seed, out_dir=out_dir,
                            jobs=jobs, scheduler=scheduler)
        res = out if isinstance(out, ExperimentResult) else _from_foreign(name, title, size, seed, out)
    except Exception as exc:  # an experiment must not take the suite down
        res = ExperimentResult(name=name, title=title, size=size, seed=seed)
        tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
        res.error = f"{type(exc).__name__}: {exc}"
        res.notes.append("".join(tb[-6:]))
    res.elapsed = time.perf_counter() - t0
    return res


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
    return SuiteResult(
        experiments=[results[n] for n in selected],
        size=size,
        seed=seed,
        jobs=jobs,
        scheduler=scheduler,
        elapsed=time.perf_counter() - t0,
    )


def _worker_init() -> None:
    """Process-pool initializer: one BLAS/OpenMP thread per worker (no oversubscription)."""
    import os

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    global _LIMITER
    _LIMITER = pin_blas_threads()


_LIMITER: Any = None
