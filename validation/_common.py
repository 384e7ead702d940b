"""The experiment contract of the validation suite: one decorator, one run context, one check API.

Every experiment module in ``validation/`` defines ``run`` with the :func:`experiment` decorator.
The decorator gives every experiment the same signature, size handling, clock, error-free
figure handling and stand-alone command line; the body only computes and records::

    import rmtedge
    from rmtedge.validation._common import Run, experiment, ks_check, law_alternative

    SIZES = {"smoke": {"n": 60, "samples": 200}, "quick": {"n": 100, "samples": 400},
             "full": {"n": 500, "samples": 2000}}

    @experiment("my_experiment", stream_id=9, title="What it shows", sizes=SIZES)
    def run(ex: Run) -> None:
        n, m = ex.cfg["n"], ex.cfg["samples"]
        seq = ex.stream(0)                                   # fixed random stream (9, 0)
        rho = ex.mc_samples("spectral_radius", n, field="complex", samples=m, seq=seq)
        law = rmtedge.spectral_radius_law(n, field="complex")
        ex.add(ks_check("radius_law", f"n = {n}: rho vs the exact law", rho, law.cdf,
                        alternative=law_alternative("the real field's law (field mix-up)",
                                                    rmtedge.spectral_radius_law(n, field="real")),
                        spawn_key=seq.spawn_key))
        ex.numbers["mean"] = float(rho.mean())              # raw numbers -> results.json
        ex.table("Summary", ["n", "mean"], [[n, rho.mean()]])  # human table -> report.md
        with ex.figure("my_experiment.png", figsize=(6, 4)) as fig:
            if fig is not None:                              # None without matplotlib
                ax = fig.subplots()
                ...

    if __name__ == "__main__":
        raise SystemExit(run.main())

and is registered in ``validation/_suite.py`` (``EXPERIMENTS``). ``run(*, quick=True, seed=0,
out_dir=None, jobs=1, size=None, scheduler=None)`` then returns an :class:`ExperimentResult`.

Checks
------
A counted check is a statistical test of rmtedge's theory against Monte Carlo that states, beside
its p-value, its POWER against a named wrong alternative (computed with the check's own statistic
under that alternative: analytically, or by a small simulation with a fixed seed). The check
builders (:func:`ks_check`, :func:`z_check`, :func:`binomial_check`, :func:`chi2_counts_check`,
:func:`count_in_bins_check`) all take ``alternative=``. What is not a test of the code (a claim
of the paper about simulations, a deterministic table, a check that cannot have power at the
chosen size) is recorded with :func:`demonstration`: shown in the report, not counted.

Family-wise false-alarm rate
----------------------------
The verdicts are decided for the whole run at once (:func:`apply_family`): the counted checks
form one family tested with Holm's step-down procedure at the family-wise false-alarm rate
:data:`FAMILY_ALPHA` = 0.01, so a correct implementation fails ANY check of a run with
probability at most 1%. Each check's power is stated at the Bonferroni level
``FAMILY_ALPHA / m`` (m = number of counted checks), a lower bound on its power under Holm. A
check whose power there is below :data:`MIN_POWER` = 0.5 is not counted: it is shown as a
demonstration with the reason (sizes are chosen so that this does not happen in ``--quick``).
Running one experiment alone makes it its own family.

Random numbers
--------------
All randomness comes from ``numpy.random.SeedSequence(seed, spawn_key=(stream_id, *keys))``
(:meth:`Run.stream`), with a fixed ``stream_id`` per experiment, so a report is reproducible from
its seed, and ``--only``, ``--jobs`` and ``--scheduler`` do not change the numbers.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import rmtedge
from rmtedge._core.blas import pin_blas_threads
from rmtedge._core.jsonio import to_jsonable

__all__ = [
    "FAMILY_ALPHA",
    "MIN_POWER",
    "SIZES",
    "Alternative",
    "Check",
    "Experiment",
    "ExperimentResult",
    "Power",
    "Run",
    "apply_family",
    "binomial_check",
    "chi2_counts_check",
    "count_in_bins_check",
    "demonstration",
    "experiment",
    "fmt",
    "ks_check",
    "law_alternative",
    "load_pyplot",
    "pin_blas_threads",
    "progress",
    "to_jsonable",
    "z_check",
]

#: Family-wise false-alarm rate of one run: P(a correct implementation fails any counted check).
FAMILY_ALPHA = 0.01

#: A check whose power against its named alternative is below this is shown, not counted.
MIN_POWER = 0.5

#: Sizes of a run: "smoke" (tests, seconds), "quick" (the default report, minutes), "full"
#: (the paper's sample sizes).
SIZES = ("smoke", "quick", "full")

#: entropy mixed into the seeds of power simulations (fixed: power does not depend on --seed)
_POWER_ENTROPY = 20251202


def fmt(x: Any, digits: int = 4) -> str:
    """A number for people: ints as ints, floats with ``digits`` significant digits, tiny or huge
    floats in scientific notation, numpy scalars unwrapped, None as an empty string."""
    if x is None:
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if math.isnan(v):
            return "n/a"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v == 0:
            return "0"
        if abs(v) >= 1e5 or abs(v) < 1e-3:
            return f"{v:.{max(digits - 2, 1)}e}"
        return f"{v:.{digits}g}"
    return str(x)


# ---------------------------------------------------------------------------------------------
# power
# ---------------------------------------------------------------------------------------------
@dataclass
class Power:
    """Power of a check's statistic under its named alternative, as a function of the level.

    ``kind`` selects the model: ``"normal"`` (z statistic ~ N(shift, 1) under the alternative;
    ``params = {"shift": float, "sided": "two-sided" | "lower"}``), ``"pvalues"`` (the law of
    the p-value under the alternative as atoms ``params = {"p": array, "w": array}``, exact for a
    discrete statistic, equal weights for a simulation), ``"ncx2"`` (``{"dof", "nc"}``) and
    ``"ncf"`` (``{"d1", "d2", "nc"}``) and ``"max_normal"`` (the largest of independent one-sided z
statistics with Bonferroni over them, ``{"shifts": array}``).
    """

    alternative: str
    method: str
    kind: str
    params: dict[str, Any]

    def at(self, alpha: float) -> float:
        """Probability that the check fails at level ``alpha`` when the alternative is true."""
        from scipy import stats

        p = self.params
        if self.kind == "normal":
            shift = float(p["shift"])
            if p.get("sided", "two-sided") == "two-sided":
                z = stats.norm.isf(alpha / 2)
                return float(stats.norm.sf(z - abs(shift)) + stats.norm.cdf(-z - abs(shift)))
            return float(stats.norm.sf(stats.norm.isf(alpha) - shift))
        if self.kind == "pvalues":
            return float(np.sum(np.asarray(p["w"])[np.asarray(p["p"]) < alpha]))
        if self.kind == "max_normal":  # Bonferroni max of independent one-sided z's
            shifts = np.asarray(p["shifts"], dtype=np.float64)
            z = stats.norm.isf(alpha / shifts.size)
            return float(1.0 - np.prod(stats.norm.cdf(z - shifts)))
        if self.kind == "ncx2":
            return float(stats.ncx2.sf(stats.chi2.isf(alpha, p["dof"]), p["dof"], p["nc"]))
        if self.kind == "ncf":
            return float(stats.ncf.sf(stats.f.isf(alpha, p["d1"], p["d2"]), p["d1"], p["d2"], p["nc"]))
        raise ValueError(f"unknown power model {self.kind!r}")


@dataclass
class Alternative:
    """A named wrong law of the samples, for the power of a distribution check.

    ``draw(rng, shape)`` returns samples of the alternative law; build it with
    :func:`law_alternative`.
    """

    name: str
    draw: Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]


def law_alternative(name: str, law: Any, *, stretch: float = 1.0) -> Alternative:
    """The alternative "samples follow ``law`` (times ``stretch``)", drawn by inverse transform.

    The CDF of ``law`` is tabulated once on 4001 points between its 1e-9 and 1 - 1e-9 quantiles
    and inverted by linear interpolation, which is accurate far beyond what a power estimate
    needs and cheap even for laws whose ``ppf`` is slow.
    """
    lo, hi = (float(v) for v in np.asarray(law.ppf(np.array([1e-9, 1.0 - 1e-9])), dtype=np.float64))
    x = np.linspace(lo, hi, 4001)
    f = np.maximum.accumulate(np.asarray(law.cdf(x), dtype=np.float64))
    x, f = stretch * x, f

    def draw(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        return np.interp(rng.random(shape), f, x)

    return Alternative(name, draw)


# ---------------------------------------------------------------------------------------------
# checks and results
# ---------------------------------------------------------------------------------------------
@dataclass
class Check:
    """One comparison of rmtedge's theory with Monte Carlo (or a demonstration).

    Attributes
    ----------
    name, description : str
        Identifier (unique within the experiment) and one sentence saying what is compared.
    theory, monte_carlo, uncertainty : float or None
        Predicted value, Monte Carlo estimate and its standard error.
    statistic : str
        Name of the test statistic; ``value`` its value; ``p_value`` its p-value under the theory.
    kind : {"check", "demonstration"}
        What the experiment recorded: a statistical check, or a demonstration.
    counted : bool
        True for a check of the family; False for a demonstration or a check without power at this
        size (decided by :func:`apply_family`).
    alternative, power, power_method : str, float, str
        The named wrong alternative, the power against it at ``alpha``, and how it was computed.
    alpha : float or None
        Bonferroni level of the run's family (``FAMILY_ALPHA / m``); power is stated there.
    p_holm : float or None
        Holm-adjusted p-value; a counted check FAILS when ``p_holm < FAMILY_ALPHA``.
    seed, spawn_key :
        Root seed and spawn key of the ``SeedSequence`` of the samples.
    status : {"pass", "fail", "shown"}
        Verdict; "shown" for a demonstration. Decided by :func:`apply_family`.
    note : str
        Tolerances, caveats, why a check is a demonstration.
    status_reason : str
        Why a check was not counted in this run (set by :func:`apply_family`).
    """

    name: str
    description: str
    theory: float | None = None
    monte_carlo: float | None = None
    uncertainty: float | None = None
    statistic: str = ""
    value: float | None = None
    p_value: float | None = None
    kind: str = "check"
    counted: bool = True
    alternative: str = ""
    power: float | None = None
    power_method: str = ""
    alpha: float | None = None
    p_holm: float | None = None
    seed: int | None = None
    spawn_key: list[int] = field(default_factory=list)
    status: str = "pending"
    note: str = ""
    status_reason: str = ""
    power_model: Power | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        """True unless the check failed."""
        return self.status != "fail"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the ``checks`` entries of results.json)."""
        keys = [k for k in self.__dataclass_fields__ if k != "power_model"]
        return to_jsonable({k: getattr(self, k) for k in keys})


def _make(name: str, description: str, *, power: Power | None, spawn_key: Sequence[int], note: str,
          **fields: Any) -> Check:
    return Check(name=name, description=description, spawn_key=[int(k) for k in spawn_key], note=note,
                 power_model=power, alternative=power.alternative if power else "",
                 power_method=power.method if power else "", **fields)


def demonstration(name: str, description: str, *, note: str = "", theory: float | None = None,
                  monte_carlo: float | None = None, uncertainty: float | None = None, statistic: str = "",
                  value: float | None = None, p_value: float | None = None, spawn_key: Sequence[int] = ()) -> Check:
    """A comparison shown in the report but not counted (a claim of the paper about simulations, a
    deterministic property, or a test without power at this size). ``note`` says why."""
    return _make(name, description, power=None, spawn_key=spawn_key, note=note, theory=theory,
                 monte_carlo=monte_carlo, uncertainty=uncertainty, statistic=statistic, value=value,
                 p_value=p_value, kind="demonstration", counted=False)


def apply_family(checks: Sequence[Check], *, family_alpha: float = FAMILY_ALPHA,
                 min_power: float = MIN_POWER) -> dict[str, Any]:
    """Decide every verdict of one run: Holm's procedure at ``family_alpha`` over the counted checks.

    Checks without a power model, or whose power at the Bonferroni level ``family_alpha / m`` is
    below ``min_power``, are demoted to demonstrations one at a time (lowest power first, since
    every demotion raises the level of the others). Returns the family's description (recorded in
    results.json as ``family``).
    """
    for c in checks:
        c.counted = c.kind == "check" and c.power_model is not None
    family = [c for c in checks if c.counted]
    demoted: list[Check] = []
    while family:
        alpha = family_alpha / len(family)
        powers = [c.power_model.at(alpha) for c in family]  # type: ignore[union-attr]
        j = int(np.argmin(powers))
        if powers[j] >= min_power:
            break
        demoted.append(family.pop(j))
    m = len(family)
    alpha = family_alpha / m if m else family_alpha
    for c in checks:
        c.alpha = alpha
        c.power = c.power_model.at(alpha) if c.power_model is not None else None
        c.p_holm = None
        c.status_reason = "shown, not counted: no power stated" if c.kind == "check" and c.power_model is None else ""
    for c in demoted:
        c.counted = False
        c.status_reason = (f"shown, not counted: power {c.power:.2f} < {min_power:g} against "
                           f"{c.alternative} at this sample size")
    # Holm step-down: adjusted p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))
    order = sorted(family, key=lambda c: (c.p_value if c.p_value is not None and math.isfinite(c.p_value) else 0.0))
    running = 0.0
    for i, c in enumerate(order):
        p = c.p_value if c.p_value is not None and math.isfinite(c.p_value) else 0.0
        running = max(running, min(1.0, (m - i) * p))
        c.p_holm = running
        c.status = "fail" if running < family_alpha else "pass"
    for c in checks:
        if not c.counted:
            c.status = "shown"
    return {
        "family_wise_alpha": family_alpha,
        "procedure": "Holm step-down over the counted checks of the run",
        "counted_checks": m,
        "per_check_alpha_bonferroni": alpha,
        "min_power": min_power,
        "demonstrations": sum(not c.counted for c in checks),
        "demoted_for_low_power": [c.name for c in demoted],
        "failed": sum(c.status == "fail" for c in checks),
    }


def _join(a: str, b: str) -> str:
    return "; ".join(x for x in (a, b) if x)


@dataclass
class ExperimentResult:
    """What an experiment returns: its numbers, tables for people, figures, checks and notes."""

    name: str
    title: str
    size: str
    seed: int
    numbers: dict[str, Any] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    error: str | None = None
    traceback: str | None = None

    @property
    def status(self) -> str:
        """"error", "fail" (a counted check failed) or "pass"."""
        if self.error is not None:
            return "error"
        return "fail" if any(c.status == "fail" for c in self.checks) else "pass"

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (one entry of ``experiments`` in results.json)."""
        return {
            "name": self.name,
            "title": self.title,
            "size": self.size,
            "seed": self.seed,
            "status": self.status,
            "elapsed_s": round(self.elapsed, 3),
            "error": self.error,
            "traceback": self.traceback,
            "figures": list(self.figures),
            "notes": list(self.notes),
            "tables": to_jsonable(self.tables),
            "numbers": to_jsonable(self.numbers),
            "checks": [c.to_dict() for c in self.checks],
        }


# ---------------------------------------------------------------------------------------------
# the run context and the decorator
# ---------------------------------------------------------------------------------------------
class Run:
    """What an experiment body receives: its configuration, random streams, recorders, figures.

    Attributes: ``name``, ``title``, ``size`` ("smoke"/"quick"/"full"), ``cfg`` (the size's
    dict from the experiment's ``sizes``), ``seed``, ``out_dir``, ``jobs``, ``scheduler``,
    ``numbers`` (raw numbers for results.json), ``result`` (the :class:`ExperimentResult`).
    """

    def __init__(self, spec: Experiment, size: str, seed: int, out_dir: Path | None, jobs: int,
                 scheduler: str | None) -> None:
        self.spec = spec
        self.name, self.title, self.size = spec.name, spec.title, size
        self.cfg: dict[str, Any] = dict(spec.sizes[size])
        self.seed, self.out_dir, self.jobs, self.scheduler = int(seed), out_dir, jobs, scheduler
        self.result = ExperimentResult(name=spec.name, title=spec.title, size=size, seed=int(seed))
        self.result.numbers["config"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.cfg.items()}
        self.numbers = self.result.numbers

    # -- random streams --------------------------------------------------------------------
    def stream(self, *keys: int) -> np.random.SeedSequence:
        """``SeedSequence(seed, spawn_key=(stream_id, *keys))``: one fixed Monte Carlo stream."""
        return np.random.SeedSequence(self.seed, spawn_key=(self.spec.stream_id, *(int(k) for k in keys)))

    def rng(self, *keys: int) -> np.random.Generator:
        """A fresh ``Generator`` on :meth:`stream`."""
        return np.random.default_rng(self.stream(*keys))

    def mc_samples(self, quantity: str, n: int, *, field: str, samples: int, seq: np.random.SeedSequence,
                   method: str = "dense", chunk_size: int = 10) -> np.ndarray:
        """``samples`` draws of ``quantity`` ("spectral_radius", "real_count", ...) through
        :func:`rmtedge.montecarlo.run` with a FIXED ``chunk_size`` on the stream ``seq``: identical
        numbers in process (``jobs=1``), on ``jobs`` local processes, or on the Dask cluster."""
        executor: Any = self.scheduler if self.scheduler else (self.jobs if self.jobs > 1 else None)
        res = rmtedge.montecarlo.run(quantity, n, field=field, samples=samples, seed=seq, executor=executor,
                                     chunk_size=chunk_size, method=method, keep_samples=True)
        return np.asarray(res.samples[0]).reshape(samples)

    # -- recorders -------------------------------------------------------------------------
    def add(self, check: Check) -> Check:
        """Record a check (or a demonstration), stamping the run's seed on it."""
        if check.seed is None:
            check.seed = self.seed
        self.result.checks.append(check)
        return check

    def table(self, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, note: str = "") -> None:
        """A table for report.md (cells formatted with :func:`fmt`; raw numbers go in ``numbers``)."""
        self.result.tables.append({"title": title, "header": list(header),
                                   "rows": [[c if isinstance(c, str) else fmt(c) for c in r] for r in rows],
                                   "note": note})

    def note(self, text: str) -> None:
        """A sentence for the report's section of this experiment."""
        self.result.notes.append(text)

    @contextlib.contextmanager
    def figure(self, filename: str, **subplots_kw: Any) -> Iterator[Any]:
        """Yield a matplotlib ``Figure`` (None without matplotlib or without ``out_dir``); on exit
        lay it out, save it as ``out_dir/filename`` and record it in the result."""
        plt = load_pyplot()
        if plt is None:
            if PLOT_HINT not in self.result.notes:
                self.result.notes.append(PLOT_HINT)
            yield None
            return
        if self.out_dir is None:
            yield None
            return
        fig = plt.figure(**subplots_kw)
        try:
            yield fig
            out = Path(self.out_dir)
            out.mkdir(parents=True, exist_ok=True)
            fig.tight_layout()
            fig.savefig(out / filename, dpi=110)
            self.result.figures.append(filename)
        finally:
            plt.close(fig)


@dataclass(frozen=True)
class Experiment:
    """An experiment of the suite: ``run(*, quick, seed, out_dir, jobs, size, scheduler)``."""

    name: str
    stream_id: int
    title: str
    sizes: dict[str, dict[str, Any]]
    body: Callable[[Run], None]

    def __call__(self, *, quick: bool = True, seed: int = 0, out_dir: Path | None = None, jobs: int = 1,
                 size: str | None = None, scheduler: str | None = None) -> ExperimentResult:
        """Run the experiment; an exception in the body becomes an "error" result (never raised).

        The verdicts are decided with this experiment as its own family; the suite re-decides
        them over all experiments of the run (:func:`apply_family`).
        """
        size = resolve_size(quick, size)
        t0 = time.perf_counter()
        ex = Run(self, size, seed, Path(out_dir) if out_dir is not None else None, jobs, scheduler)
        try:
            self.body(ex)
        except Exception as exc:  # an experiment must not take the suite down
            ex.result.error = f"{type(exc).__name__}: {exc}"
            ex.result.traceback = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-8:])
        apply_family(ex.result.checks)
        ex.result.elapsed = time.perf_counter() - t0
        return ex.result

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Command line of the experiment file: ``python validation/<file>.py [--full] [--out DIR]``."""
        import argparse

        parser = argparse.ArgumentParser(prog=f"validation/{self.name}.py", description=self.title)
        g = parser.add_mutually_exclusive_group()
        g.add_argument("--quick", action="store_true", help="small sizes (default)")
        g.add_argument("--full", action="store_true", help="the paper's sample sizes")
        g.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", type=Path, default=Path("rmtedge-report"))
        parser.add_argument("--jobs", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        args = parser.parse_args(argv)
        size = "smoke" if args.smoke else ("full" if args.full else "quick")
        with pin_blas_threads():
            result = self(size=size, seed=args.seed, out_dir=args.out, jobs=args.jobs)
        if args.json:
            import json

            print(json.dumps(result.to_dict(), indent=2))
        else:
            print(format_checks(result))
            for t in result.tables:
                print(f"\n{t['title']}\n| " + " | ".join(t["header"]) + " |")
                print("\n".join("| " + " | ".join(r) + " |" for r in t["rows"]))
            for f in result.figures:
                print(f"  figure: {Path(args.out) / f}")
        return 0 if result.passed else 1


def experiment(name: str, *, stream_id: int, title: str, sizes: dict[str, dict[str, Any]]
               ) -> Callable[[Callable[[Run], None]], Experiment]:
    """Decorator making ``body(ex: Run) -> None`` an :class:`Experiment` (see the module docstring).

    ``stream_id`` is the experiment's fixed spawn-key root (unique in the suite; never renumber:
    that would change every published report); ``sizes`` maps "smoke", "quick" and "full" to
    the experiment's configuration.
    """
    missing = [s for s in SIZES if s not in sizes]
    if missing:
        raise ValueError(f"experiment {name!r}: sizes lacks {missing}")

    def wrap(body: Callable[[Run], None]) -> Experiment:
        return Experiment(name=name, stream_id=int(stream_id), title=title, sizes=sizes, body=body)

    return wrap


def resolve_size(quick: bool, size: str | None) -> str:
    """``size`` if given (one of :data:`SIZES`), else "quick" or "full" from ``quick``."""
    if size is None:
        return "quick" if quick else "full"
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, got {size!r}")
    return size


def progress(iterable: Iterable[Any], *, desc: str, total: int | None = None, enabled: bool | None = None):
    """Wrap ``iterable`` in a tqdm bar on stderr if tqdm is installed and stderr is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("RMTEDGE_NO_PROGRESS")
    if not enabled:
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, total=total, leave=False, file=sys.stderr)


def format_checks(result: ExperimentResult) -> str:
    """Plain-text table of an experiment's checks."""
    lines = [f"{result.title}  [{result.status.upper()}]  ({result.elapsed:.1f} s, seed {result.seed})"]
    for c in result.checks:
        if c.counted:
            lines.append(f"  {c.status:6s} {c.name:36s} p={fmt(c.p_value, 3):10s} power={fmt(c.power, 2):6s} "
                         f"vs {c.alternative}")
        else:
            lines.append(f"  {c.status:6s} {c.name:36s} {c.status_reason or c.note}")
    if result.error:
        lines.append(f"  ERROR: {result.error}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# statistical checks (every counted check states its power against a named alternative)
# ---------------------------------------------------------------------------------------------
def _power_rng(spawn_key: Sequence[int]) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(_POWER_ENTROPY, spawn_key=tuple(int(k) for k in spawn_key)))


def _zero_leading_nan(table: np.ndarray) -> np.ndarray:
    """A CDF tabulated on an increasing grid, with a leading run of NaN set to 0.

    The alternative's samples can reach below the null's range, into the deep lower tail where
    the exact real radius law returns NaN (documented: there its cdf is below ~1e-12, beyond what
    its float64 determinant resolves). 0 is within 1e-12 of the truth there. Left as NaN, those
    points made the simulated p-values NaN, counted as acceptances: a power that was too low.
    NaN anywhere else is left alone (a defect shows up as a NaN p-value)."""
    nan = np.isnan(table)
    if nan.any() and not nan.all():
        first = int(np.argmax(~nan))
        if not nan[first:].any():
            table = table.copy()
            table[:first] = 0.0
    return table


def ks_check(name: str, description: str, samples: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray], *,
             alternative: Alternative, tolerance: float = 0.0, spawn_key: Sequence[int] = (),
             theory_mean: float | None = None, note: str = "", power_reps: int = 200) -> Check:
    """Kolmogorov-Smirnov test of ``samples`` against the continuous ``cdf``.

    p-value: ``P(D_m >= D - tolerance)`` under the exact one-sample KS law of ``m`` samples.
    With ``tolerance = 0`` this is the usual exact KS p-value. A positive ``tolerance`` is a
    documented bound on sup|F_theory - F_true| (an approximate law); then D - tolerance is at
    most the KS distance to the true law, so the p-value is conservative. Power: ``power_reps``
    simulated samples of size m from ``alternative`` (fixed seed), the same statistic on each.
    """
    from scipy import stats

    x = np.sort(np.asarray(samples, dtype=np.float64))
    m = x.size

    def dstat(sorted_x: np.ndarray, F: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        f = np.asarray(F(sorted_x), dtype=np.float64)
        i = np.arange(1, m + 1)
        return np.maximum(np.max(i / m - f, axis=-1), np.max(f - (i - 1) / m, axis=-1))

    d = float(dstat(x, cdf))
    p = float(stats.kstwo.sf(max(d - tolerance, 0.0), m))
    alt = np.sort(alternative.draw(_power_rng(spawn_key), (power_reps, m)), axis=1)
    # the null CDF tabulated on 4001 points over the range of the alternative's samples
    grid = np.linspace(alt.min(), alt.max(), 4001)
    with warnings.catch_warnings():  # the deep lower tail is handled just below
        warnings.filterwarnings("ignore", message=".*deep lower tail", category=RuntimeWarning)
        table = np.asarray(cdf(grid), dtype=np.float64)
    table = _zero_leading_nan(table)
    p_alt = stats.kstwo.sf(np.maximum(dstat(alt, lambda t: np.interp(t, grid, table)) - tolerance, 0.0), m)
    power = Power(alternative.name, f"simulation: {power_reps} samples of {m} from the alternative, fixed seed; null CDF interpolated from 4001 points",
                  "pvalues", {"p": p_alt, "w": np.full(power_reps, 1.0 / power_reps)})
    if tolerance > 0:
        note = _join(f"tolerance {tolerance:g} on the sup-distance (documented error of the approximate law)", note)
    return _make(name, description, power=power, spawn_key=spawn_key, note=note, theory=theory_mean,
                 monte_carlo=float(np.mean(x)),
                 uncertainty=float(np.std(x, ddof=1) / math.sqrt(m)) if m > 1 else None,
                 statistic="KS D" if tolerance == 0 else f"KS D (tolerance {tolerance:g})", value=d, p_value=p)


def z_check(name: str, description: str, monte_carlo: float, stderr: float, theory: float, *,
            alternative: tuple[str, float], lower_bound: bool = False, spawn_key: Sequence[int] = (),
            note: str = "") -> Check:
    """z test of a Monte Carlo mean against a theoretical value.

    ``alternative = (name, value)``: the value the Monte Carlo mean would have under the named
    wrong alternative; power is the normal-approximation power of the same z test.
    ``lower_bound=True`` tests the one-sided claim ``E[MC] >= theory`` (a lower bound): it fails
    only when the estimate lies significantly BELOW the theory; its alternative must be a mean
    below ``theory``.
    """
    from scipy import stats

    if stderr > 0:
        z = (monte_carlo - theory) / stderr
    else:
        z = 0.0 if monte_carlo == theory else math.copysign(math.inf, monte_carlo - theory)
    alt_name, alt_value = alternative
    shift = (alt_value - theory) / stderr if stderr > 0 else math.inf
    if lower_bound:
        p = float(stats.norm.cdf(z))
        power = Power(alt_name, "normal approximation", "normal", {"shift": -shift, "sided": "lower"})
    else:
        p = float(2.0 * stats.norm.sf(abs(z)))
        power = Power(alt_name, "normal approximation", "normal", {"shift": shift, "sided": "two-sided"})
    return _make(name, description, power=power, spawn_key=spawn_key, note=note, theory=float(theory),
                 monte_carlo=float(monte_carlo), uncertainty=float(stderr),
                 statistic="z (one-sided, fails if MC < theory)" if lower_bound else "z",
                 value=float(z), p_value=p)


def _binom_two_sided_pvalues(trials: int, prob: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact two-sided binomial p-values (scipy's binomtest rule) for every k = 0..trials."""
    from scipy import stats

    k = np.arange(trials + 1)
    pmf = stats.binom.pmf(k, trials, prob)
    order = np.sort(pmf)
    csum = np.cumsum(order)
    idx = np.searchsorted(order, pmf * (1 + 1e-7), side="right") - 1
    return np.minimum(1.0, csum[idx]), pmf


def binomial_check(name: str, description: str, successes: int, trials: int, probability: float, *,
                   alternative: tuple[str, float], spawn_key: Sequence[int] = (), note: str = "") -> Check:
    """Exact two-sided binomial test of ``successes`` out of ``trials`` against ``probability``.

    ``alternative = (name, p1)``; power is exact: the Bin(trials, p1) probability of the k whose
    p-value is below the level.
    """
    pvals, _ = _binom_two_sided_pvalues(int(trials), float(probability))
    p = float(pvals[int(successes)])
    alt_name, p1 = alternative
    from scipy import stats

    w = stats.binom.pmf(np.arange(trials + 1), trials, float(p1))
    power = Power(alt_name, "exact (binomial)", "pvalues", {"p": pvals, "w": w})
    phat = successes / trials
    return _make(name, description, power=power, spawn_key=spawn_key,
                 note=_join(f"{successes} of {trials}", note), theory=float(probability), monte_carlo=float(phat),
                 uncertainty=float(math.sqrt(max(phat * (1 - phat), 1.0 / trials) / trials)),
                 statistic="binomial", value=float(successes), p_value=p)


def merge_small_bins(observed: np.ndarray, expected: np.ndarray, minimum: float = 5.0) -> list[list[int]]:
    """Groups of adjacent categories (left to right, the tail into its neighbour) whose expected
    counts are each >= ``minimum``. Returns the list of index groups."""
    groups: list[list[int]] = []
    cur: list[int] = []
    acc = 0.0
    for i, e in enumerate(expected):
        cur.append(i)
        acc += e
        if acc >= minimum:
            groups.append(cur)
            cur, acc = [], 0.0
    if cur:
        if groups:
            groups[-1].extend(cur)
        else:
            groups.append(cur)
    return groups


def chi2_counts_check(name: str, description: str, observed: np.ndarray, probabilities: np.ndarray, *,
                      alternative: tuple[str, np.ndarray], spawn_key: Sequence[int] = (),
                      theory_mean: float | None = None, mc_mean: float | None = None,
                      mc_stderr: float | None = None, note: str = "") -> Check:
    """Pearson chi-square test of multinomial COUNTS against category probabilities.

    Categories with expected count below 5 are merged with their neighbours (dof = merged
    categories - 1). Probabilities are not renormalised: missing mass becomes an extra category.
    ``alternative = (name, probabilities under the alternative)``; power from the noncentral
    chi-square with noncentrality ``N sum (p1 - p0)^2 / p0`` over the merged categories.
    """
    from scipy import stats

    observed = np.asarray(observed, dtype=np.float64)
    p0 = np.asarray(probabilities, dtype=np.float64)
    alt_name, p1 = alternative
    p1 = np.asarray(p1, dtype=np.float64)
    total = observed.sum()
    rest0, rest1 = 1.0 - p0.sum(), 1.0 - p1.sum()
    if abs(rest0) > 1e-12 or abs(rest1) > 1e-12:
        observed = np.append(observed, 0.0)
        p0 = np.append(p0, max(rest0, 0.0))
        p1 = np.append(p1, max(rest1, 0.0))
    groups = merge_small_bins(observed, p0 * total)
    obs = np.array([observed[g].sum() for g in groups])
    q0 = np.array([p0[g].sum() for g in groups])
    q1 = np.array([p1[g].sum() for g in groups])
    exp = q0 * total
    stat = float(np.sum((obs - exp) ** 2 / exp))
    dof = max(obs.size - 1, 1)
    p = float(stats.chi2.sf(stat, dof))
    nc = float(total * np.sum((q1 - q0) ** 2 / q0))
    power = Power(alt_name, "noncentral chi-square approximation", "ncx2", {"dof": dof, "nc": nc})
    return _make(name, description, power=power, spawn_key=spawn_key,
                 note=_join(note, f"{obs.size} categories after merging expected < 5; dof = {dof}"),
                 theory=theory_mean, monte_carlo=mc_mean, uncertainty=mc_stderr, statistic="chi2",
                 value=stat, p_value=p)


def count_in_bins_check(name: str, description: str, per_sample_counts: np.ndarray, expected: np.ndarray, *,
                        alternative: tuple[str, np.ndarray], spawn_key: Sequence[int] = (), note: str = "") -> Check:
    """Hotelling T^2 test of per-matrix eigenvalue counts in bins against their theoretical means.

    ``per_sample_counts[i, j]``: eigenvalues of matrix ``i`` in bin ``j``; ``expected[j]``: the
    integral of the density over bin ``j``. Counts in disjoint bins of one matrix are correlated
    (eigenvalues repel), so the covariance ``S`` is estimated from the i.i.d. matrices:
    ``T^2 = m d^T S^-1 d``, ``(m - k)/(k (m - 1)) T^2 ~ F(k, m - k)`` (k bins). ``alternative =
    (name, expected counts under the alternative)``; power from the noncentral F with
    noncentrality ``m d1^T S^-1 d1``.
    """
    from scipy import stats

    counts = np.asarray(per_sample_counts, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    m, d = counts.shape
    mean = counts.mean(axis=0)
    cov = np.cov(counts, rowvar=False, ddof=1).reshape(d, d)
    cov = cov + np.diag(np.where(np.diag(cov) > 0, 0.0, np.maximum(expected, 1.0 / m)))
    diff = mean - expected
    t2 = float(m * diff @ np.linalg.solve(cov, diff))
    f = (m - d) / (d * (m - 1)) * t2
    p = float(stats.f.sf(f, d, m - d))
    alt_name, alt_expected = alternative
    d1 = np.asarray(alt_expected, dtype=np.float64) - expected
    nc = float(m * d1 @ np.linalg.solve(cov, d1))
    power = Power(alt_name, "noncentral F approximation (sample covariance)", "ncf", {"d1": d, "d2": m - d, "nc": nc})
    return _make(name, description, power=power, spawn_key=spawn_key,
                 note=_join(note, "theory and Monte Carlo columns: total count per matrix over the bins"),
                 theory=float(expected.sum()), monte_carlo=float(counts.sum(axis=1).mean()),
                 uncertainty=float(counts.sum(axis=1).std(ddof=1) / math.sqrt(m)),
                 statistic=f"Hotelling T2 ({d} bins)", value=t2, p_value=p)


# ---------------------------------------------------------------------------------------------
# figures (matplotlib optional)
# ---------------------------------------------------------------------------------------------
PLOT_HINT = 'figures skipped: matplotlib is not installed (pip install "rmtedge[plot]")'


def load_pyplot() -> Any | None:
    """``matplotlib.pyplot`` with the non-interactive Agg backend, or None if not installed."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


THEORY_STYLE = {"color": "black", "lw": 1.8, "zorder": 5}
LIMIT_STYLE = {"color": "tab:red", "lw": 1.4, "ls": "--", "zorder": 6}
COLORS = {"glorot": "tab:orange", "rescaled": "tab:blue", "real": "tab:green", "complex": "tab:purple"}
