"""Shared machinery of the validation experiments: results, checks, seeds, statistics, figures.

Every experiment module in ``validation/`` exposes

    run(*, quick=True, seed=0, out_dir=None, jobs=1, size=None, scheduler=None) -> ExperimentResult

and records its comparisons of theory against Monte Carlo as :class:`Check` objects. A check holds
the theory value, the Monte Carlo value and its standard error, the test statistic and its p-value
(or a z score), the significance level, the random stream that produced the samples, and the
verdict. The verdict rule is uniform: a check passes when its p-value is at least its significance
level ``alpha`` (two-sided unless the check says otherwise); a check with a documented systematic
tolerance (an approximate law compared with exact samples) passes when its statistic is within the
sampling critical value plus that tolerance.

Random numbers
--------------
All randomness comes from ``numpy.random.SeedSequence(seed, spawn_key=key)`` with a FIXED key per
experiment and per Monte Carlo stream (see :func:`stream`), so a report is reproducible from its
seed alone, and running one experiment (``--only``) gives the same numbers as running the suite.

Significance
------------
The default per-check level is :data:`ALPHA` = 1e-3. The quick suite has about thirty checks, so
the chance that a correct theory fails at least one check for a random seed is at most about 3%
(Bonferroni); with the default seed the result is deterministic.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ALPHA",
    "SIZES",
    "Check",
    "ExperimentResult",
    "NotAvailable",
    "binomial_check",
    "chi2_counts_check",
    "claim_sign_check",
    "count_in_bins_check",
    "experiment_main",
    "have",
    "ks_check",
    "load_pyplot",
    "progress",
    "real_poisson_tolerance",
    "require",
    "resolve_size",
    "start_experiment",
    "rng_for",
    "save_figure",
    "stream",
    "z_check",
]

#: Default significance level of every statistical check.
ALPHA = 1e-3

#: Sizes of a run: "smoke" (tests, seconds), "quick" (the default report, minutes), "full"
#: (the paper's sample sizes).
SIZES = ("smoke", "quick", "full")

#: Fixed spawn-key roots of the experiments, so each experiment's random streams do not depend on
#: which other experiments run. Never renumber: that would change every published report.
EXPERIMENT_IDS = {
    "figures_1_2": 1,
    "figure_3": 2,
    "figure_4": 3,
    "densities": 4,
    "edge_convergence": 5,
    "growth_bound": 6,
    "initializer_risk": 7,
}


class NotAvailable(RuntimeError):
    """A library function an experiment needs is not part of this rmtedge version."""


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays (and nested containers) into plain JSON types."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if math.isfinite(v) else (None if math.isnan(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(value, complex):
        return [value.real, value.imag]
    if isinstance(value, Path):
        return str(value)
    return value


@dataclass
class Check:
    """One comparison of a theoretical prediction with a Monte Carlo estimate.

    Attributes
    ----------
    name : str
        Short identifier, unique within its experiment.
    description : str
        What is compared, in one sentence.
    theory, monte_carlo : float or None
        The predicted and the simulated value of the compared quantity (for a distribution test:
        a summary such as the mean, or None).
    uncertainty : float or None
        Standard error of ``monte_carlo``.
    statistic : str
        Name of the test statistic (``"KS D"``, ``"chi2"``, ``"z"``, ``"binomial"``, ...).
    value : float or None
        Value of the statistic.
    p_value : float or None
        p-value of the statistic under the theory (None for tolerance-only checks).
    alpha : float
        Significance level.
    seed : int
        Root seed of the run.
    spawn_key : list of int
        Spawn key of the ``SeedSequence`` that produced the samples.
    status : {"pass", "fail", "skipped", "error"}
        The verdict; "skipped" when the function under test is not available.
    note : str
        Tolerance used, caveats, or the reason for a skip.
    """

    name: str
    description: str
    theory: float | None = None
    monte_carlo: float | None = None
    uncertainty: float | None = None
    statistic: str = ""
    value: float | None = None
    p_value: float | None = None
    alpha: float = ALPHA
    seed: int | None = None
    spawn_key: list[int] = field(default_factory=list)
    status: str = "pass"
    note: str = ""

    @property
    def passed(self) -> bool:
        """True unless the check failed or errored (a skip is not a failure)."""
        return self.status in ("pass", "skipped")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the ``checks`` entries of results.json)."""
        return _jsonable(asdict(self))


@dataclass
class ExperimentResult:
    """What an experiment returns: its numbers, the figures it wrote and its checks."""

    name: str
    title: str
    size: str
    seed: int
    numbers: dict[str, Any] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    error: str | None = None

    @property
    def status(self) -> str:
        """"error", "fail", "skipped" (no check ran) or "pass"."""
        if self.error is not None:
            return "error"
        if any(c.status in ("fail", "error") for c in self.checks):
            return "fail"
        if self.checks and all(c.status == "skipped" for c in self.checks):
            return "skipped"
        return "pass"

    @property
    def passed(self) -> bool:
        return self.status in ("pass", "skipped")

    def add(self, check: Check) -> Check:
        """Append a check, stamping this run's seed on it."""
        if check.seed is None:
            check.seed = self.seed
        self.checks.append(check)
        return check

    def skip(self, name: str, description: str, reason: str) -> Check:
        """Record a check that could not run (e.g. the function has not landed)."""
        return self.add(Check(name=name, description=description, status="skipped", note=reason))

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
            "figures": list(self.figures),
            "notes": list(self.notes),
            "numbers": _jsonable(self.numbers),
            "checks": [c.to_dict() for c in self.checks],
        }


@contextlib.contextmanager
def guarded(result: ExperimentResult, name: str, description: str):
    """Run a check's code; turn a missing library function into a "skipped" check.

    Any other exception propagates (the suite records the experiment as an error).
    """
    try:
        yield
    except NotAvailable as exc:
        result.skip(name, description, f"not available: {exc}")
    except NotImplementedError as exc:  # a function that exists but whose back end has not landed
        result.skip(name, description, f"not available: {exc}")


# ---------------------------------------------------------------------------------------------
# the library under test (looked up at call time so tests can perturb it)
# ---------------------------------------------------------------------------------------------
def have(*names: str) -> bool:
    """True if every public name exists in ``rmtedge`` (or ``rmtedge.montecarlo.run``)."""
    import rmtedge

    for name in names:
        obj: Any = rmtedge
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return False
    return True


def require(name: str) -> Any:
    """Return ``rmtedge.<name>`` (dotted names allowed) or raise :class:`NotAvailable`."""
    import rmtedge

    obj: Any = rmtedge
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            raise NotAvailable(f"rmtedge.{name}")
    return obj


# ---------------------------------------------------------------------------------------------
# seeds and sizes
# ---------------------------------------------------------------------------------------------
def stream(seed: int, experiment: str, *keys: int) -> np.random.SeedSequence:
    """The ``SeedSequence`` of one Monte Carlo stream: entropy ``seed``, key (experiment, *keys)."""
    return np.random.SeedSequence(int(seed), spawn_key=(EXPERIMENT_IDS[experiment], *keys))


def rng_for(seed: int, experiment: str, *keys: int) -> tuple[np.random.Generator, list[int]]:
    """A fresh ``Generator`` on :func:`stream` and the spawn key to record in checks."""
    ss = stream(seed, experiment, *keys)
    return np.random.default_rng(ss), [int(k) for k in ss.spawn_key]


def start_experiment(
    name: str,
    title: str,
    sizes: dict[str, dict[str, Any]],
    *,
    quick: bool,
    size: str | None,
    seed: int,
) -> tuple[ExperimentResult, dict[str, Any], float]:
    """The common opening of every experiment's ``run``: resolve the size, record its
    configuration in ``result.numbers["config"]`` (tuples as lists) and start the clock.

    Returns ``(result, cfg, t0)``; the experiment sets ``result.elapsed`` from ``t0`` at the end.
    """
    t0 = time.perf_counter()
    size = resolve_size(quick, size)
    cfg = sizes[size]
    result = ExperimentResult(name=name, title=title, size=size, seed=seed)
    result.numbers["config"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()}
    return result, cfg, t0


def resolve_size(quick: bool, size: str | None) -> str:
    """``size`` if given (one of :data:`SIZES`), else "quick" or "full" from ``quick``."""
    if size is None:
        return "quick" if quick else "full"
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, got {size!r}")
    return size


def pin_blas_threads() -> Any:
    """Limit BLAS/OpenMP thread pools of this process to one thread (returns the limiter)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


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


def real_poisson_tolerance(n: int) -> float:
    """Documented bound on sup |F_poisson - F_true| for the real field's Poisson law at dimension n:
    the law's own :attr:`~rmtedge.laws.real_radius_poisson.PoissonRealRadiusLaw.cdf_error_bound`."""
    from rmtedge.laws.real_radius_poisson import PoissonRealRadiusLaw

    return float(PoissonRealRadiusLaw(n).cdf_error_bound)


# ---------------------------------------------------------------------------------------------
# statistical checks
# ---------------------------------------------------------------------------------------------
def _verdict(p: float | None, alpha: float) -> str:
    if p is None or not np.isfinite(p):
        return "fail"
    return "pass" if p >= alpha else "fail"


def ks_check(
    name: str,
    description: str,
    samples: np.ndarray,
    cdf: Callable[[np.ndarray], np.ndarray],
    *,
    alpha: float = ALPHA,
    tolerance: float = 0.0,
    spawn_key: Sequence[int] = (),
    theory_mean: float | None = None,
    note: str = "",
) -> Check:
    """Kolmogorov-Smirnov test of ``samples`` against the continuous ``cdf``.

    With ``tolerance = 0`` the check passes when the exact KS p-value is >= ``alpha``. With a
    positive ``tolerance`` (a documented bound on the systematic error of an approximate law, in
    sup-distance of CDFs) it passes when ``D <= D_crit(alpha, m) + tolerance``, where ``D_crit`` is
    the exact critical value of the one-sample KS statistic for ``m`` samples.
    """
    from scipy import stats

    x = np.sort(np.asarray(samples, dtype=np.float64))
    m = x.size
    res = stats.kstest(x, lambda t: np.asarray(cdf(np.asarray(t)), dtype=np.float64))
    d, p = float(res.statistic), float(res.pvalue)
    crit = float(stats.kstwo.isf(alpha, m))
    if tolerance > 0:
        status = "pass" if d <= crit + tolerance else "fail"
        tol_note = f"passes if D <= D_crit({alpha:g}, m={m}) + tolerance = {crit:.4f} + {tolerance:g}"
        note = f"{tol_note}; {note}" if note else tol_note
    else:
        status = _verdict(p, alpha)
    return Check(
        name=name,
        description=description,
        theory=theory_mean,
        monte_carlo=float(np.mean(x)),
        uncertainty=float(np.std(x, ddof=1) / math.sqrt(m)) if m > 1 else None,
        statistic="KS D",
        value=d,
        p_value=p,
        alpha=alpha,
        spawn_key=list(spawn_key),
        status=status,
        note=note,
    )


def z_check(
    name: str,
    description: str,
    monte_carlo: float,
    stderr: float,
    theory: float,
    *,
    alpha: float = ALPHA,
    alternative: str = "two-sided",
    spawn_key: Sequence[int] = (),
    note: str = "",
) -> Check:
    """z test of a Monte Carlo mean against a theoretical value.

    ``alternative="greater"`` tests the one-sided claim ``E[MC] >= theory`` (used for lower
    bounds): it fails only when the estimate lies significantly BELOW the theory.
    """
    from scipy import stats

    z = (monte_carlo - theory) / stderr if stderr > 0 else (0.0 if monte_carlo == theory else math.copysign(math.inf, monte_carlo - theory))
    if alternative == "two-sided":
        p = float(2.0 * stats.norm.sf(abs(z)))
    elif alternative == "greater":
        p = float(stats.norm.cdf(z))
    else:
        raise ValueError(f"alternative must be 'two-sided' or 'greater', got {alternative!r}")
    return Check(
        name=name,
        description=description,
        theory=float(theory),
        monte_carlo=float(monte_carlo),
        uncertainty=float(stderr),
        statistic="z" if alternative == "two-sided" else "z (one-sided, H1: MC < theory)",
        value=float(z),
        p_value=p,
        alpha=alpha,
        spawn_key=list(spawn_key),
        status=_verdict(p, alpha),
        note=note,
    )


def binomial_check(
    name: str,
    description: str,
    successes: int,
    trials: int,
    probability: float,
    *,
    alpha: float = ALPHA,
    spawn_key: Sequence[int] = (),
    note: str = "",
) -> Check:
    """Exact two-sided binomial test of ``successes`` out of ``trials`` against ``probability``."""
    from scipy import stats

    p = float(stats.binomtest(int(successes), int(trials), float(probability)).pvalue)
    phat = successes / trials
    return Check(
        name=name,
        description=description,
        theory=float(probability),
        monte_carlo=float(phat),
        uncertainty=float(math.sqrt(max(phat * (1 - phat), 1.0 / trials) / trials)),
        statistic="binomial k/m",
        value=float(successes),
        p_value=p,
        alpha=alpha,
        spawn_key=list(spawn_key),
        status=_verdict(p, alpha),
        note=note or f"{successes} of {trials}",
    )


def claim_sign_check(
    name: str,
    description: str,
    successes: int,
    trials: int,
    *,
    null_probability: float = 0.5,
    alpha: float = ALPHA,
    spawn_key: Sequence[int] = (),
    note: str = "",
) -> Check:
    """CLAIM check: the paper says most samples have a property; test it against chance.

    The null hypothesis is the NEGATION of the claim, "a sample has the property with probability
    at most ``null_probability``"; the one-sided binomial p-value is ``P(Bin(trials,
    null_probability) >= successes)``. Unlike the other checks, a claim check passes when this
    p-value is BELOW ``alpha`` (the data reject the negation of the claim).
    """
    from scipy import stats

    p = float(stats.binom.sf(int(successes) - 1, int(trials), float(null_probability)))
    return Check(
        name=name,
        description=description,
        theory=float(null_probability),
        monte_carlo=float(successes / trials),
        uncertainty=float(math.sqrt(max(successes * (trials - successes), 1) / trials) / trials),
        statistic="sign test (claim)",
        value=float(successes),
        p_value=p,
        alpha=alpha,
        spawn_key=list(spawn_key),
        status="pass" if p < alpha else "fail",
        note=note or f"claim check: passes if p < alpha ({successes} of {trials}; theory column = null probability)",
    )


def merge_small_bins(observed: np.ndarray, expected: np.ndarray, minimum: float = 5.0):
    """Merge adjacent bins (left to right, then the tail into its neighbour) until every expected
    count is >= ``minimum``. Returns the merged (observed, expected) arrays."""
    obs, exp = [], []
    o_acc = e_acc = 0.0
    for o, e in zip(observed, expected, strict=True):
        o_acc += o
        e_acc += e
        if e_acc >= minimum:
            obs.append(o_acc)
            exp.append(e_acc)
            o_acc = e_acc = 0.0
    if e_acc > 0 or o_acc > 0:
        if exp:
            obs[-1] += o_acc
            exp[-1] += e_acc
        else:
            obs.append(o_acc)
            exp.append(e_acc)
    return np.asarray(obs), np.asarray(exp)


def chi2_counts_check(
    name: str,
    description: str,
    observed: np.ndarray,
    probabilities: np.ndarray,
    *,
    alpha: float = ALPHA,
    spawn_key: Sequence[int] = (),
    theory_mean: float | None = None,
    mc_mean: float | None = None,
    mc_stderr: float | None = None,
    note: str = "",
) -> Check:
    """Pearson chi-square test of multinomial COUNTS against category probabilities.

    Categories with expected count below 5 are merged with their neighbours; the degrees of
    freedom are (merged categories - 1). The probabilities must sum to one (checked: a theory
    whose probabilities do not sum to one is itself a failure to report, so it is not
    renormalised; the mass missing from the listed categories becomes an extra category).
    """
    from scipy import stats

    observed = np.asarray(observed, dtype=np.float64)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    total = observed.sum()
    rest = 1.0 - probabilities.sum()
    if abs(rest) > 1e-12:
        observed = np.append(observed, 0.0)
        probabilities = np.append(probabilities, max(rest, 0.0))
    obs, exp = merge_small_bins(observed, probabilities * total)
    stat = float(np.sum((obs - exp) ** 2 / exp))
    dof = max(obs.size - 1, 1)
    p = float(stats.chi2.sf(stat, dof))
    extra = f"{obs.size} categories after merging expected < 5; dof = {dof}"
    return Check(
        name=name,
        description=description,
        theory=theory_mean,
        monte_carlo=mc_mean,
        uncertainty=mc_stderr,
        statistic="chi2",
        value=stat,
        p_value=p,
        alpha=alpha,
        spawn_key=list(spawn_key),
        status=_verdict(p, alpha),
        note=f"{note}; {extra}" if note else extra,
    )


def count_in_bins_check(
    name: str,
    description: str,
    per_sample_counts: np.ndarray,
    expected: np.ndarray,
    *,
    alpha: float = ALPHA,
    spawn_key: Sequence[int] = (),
    note: str = "",
) -> Check:
    """Chi-square test of eigenvalue counts in bins, with the covariance estimated from the samples.

    ``per_sample_counts[i, j]`` is the number of eigenvalues of matrix ``i`` in bin ``j`` and
    ``expected[j]`` the theoretical mean count (integral of the density over bin ``j``). Counts of
    eigenvalues in disjoint bins of one matrix are not independent Poisson variables (eigenvalues
    repel), so the Pearson statistic with variance = expected would be mis-calibrated. Instead the
    matrices are i.i.d., and Hotelling's statistic

        T^2 = m (mean - expected)^T S^{-1} (mean - expected),

    with ``S`` the sample covariance of the per-matrix counts, has (m - d) / (d (m - 1)) T^2 ~
    F(d, m - d) approximately (exactly for Gaussian counts; the CLT makes it accurate for m >> d).
    """
    from scipy import stats

    counts = np.asarray(per_sample_counts, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    m, d = counts.shape
    mean = counts.mean(axis=0)
    cov = np.cov(counts, rowvar=False, ddof=1).reshape(d, d)
    diff = mean - expected
    # A bin that never varies in the sample but should hold eigenvalues gets the Poisson variance
    # of its expected count so the statistic stays finite (and large).
    cov = cov + np.diag(np.where(np.diag(cov) > 0, 0.0, np.maximum(expected, 1.0 / m)))
    t2 = float(m * diff @ np.linalg.solve(cov, diff))
    f = (m - d) / (d * (m - 1)) * t2
    p = float(stats.f.sf(f, d, m - d))
    return Check(
        name=name,
        description=description,
        theory=float(expected.sum()),
        monte_carlo=float(counts.sum(axis=1).mean()),
        uncertainty=float(counts.sum(axis=1).std(ddof=1) / math.sqrt(m)),
        statistic=f"Hotelling T2 ({d} bins)",
        value=t2,
        p_value=p,
        alpha=alpha,
        spawn_key=list(spawn_key),
        status=_verdict(p, alpha),
        note=note or "theory/MC columns: expected total count over the bins per matrix",
    )


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


def save_figure(fig: Any, result: ExperimentResult, out_dir: Path | None, filename: str) -> None:
    """Save ``fig`` as ``out_dir/filename`` (PNG) and record its path relative to ``out_dir``."""
    plt = load_pyplot()
    if out_dir is None or fig is None:
        if plt is not None and fig is not None:
            plt.close(fig)
        return
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / filename, dpi=110)
    if plt is not None:
        plt.close(fig)
    result.figures.append(filename)


# ---------------------------------------------------------------------------------------------
# stand-alone entry point of an experiment file
# ---------------------------------------------------------------------------------------------
def format_checks(result: ExperimentResult) -> str:
    """Plain-text table of an experiment's checks."""
    lines = [f"{result.title}  [{result.status.upper()}]  ({result.elapsed:.1f} s, seed {result.seed})"]
    for c in result.checks:
        p = "" if c.p_value is None else f"p={c.p_value:.3g}"
        th = "" if c.theory is None else f"theory={c.theory:.6g}"
        mc = "" if c.monte_carlo is None else f"MC={c.monte_carlo:.6g}"
        lines.append(f"  {c.status:7s} {c.name:34s} {th:20s} {mc:18s} {p}")
        if c.status == "skipped":
            lines.append(f"          {c.note}")
    if result.error:
        lines.append(f"  ERROR: {result.error}")
    return "\n".join(lines)


def experiment_main(run: Callable[..., ExperimentResult], argv: Sequence[str] | None = None) -> int:
    """Command line of one experiment file: ``python validation/<file>.py [--full] [--out DIR]``."""
    import argparse

    parser = argparse.ArgumentParser(description=(run.__module__ or "").split(".")[-1])
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
        t0 = time.perf_counter()
        result = run(quick=size != "full", size=size, seed=args.seed, out_dir=args.out, jobs=args.jobs)
        result.elapsed = result.elapsed or time.perf_counter() - t0
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(format_checks(result))
        for f in result.figures:
            print(f"  figure: {Path(args.out) / f}")
    return 0 if result.passed else 1


# ---------------------------------------------------------------------------------------------
# Monte Carlo sampling (through the sweep engine when it is available)
# ---------------------------------------------------------------------------------------------
def mc_samples(
    quantity: str,
    n: int,
    *,
    field: str,
    samples: int,
    seq: np.random.SeedSequence,
    method: str = "dense",
    jobs: int = 1,
    scheduler: str | None = None,
    chunk_size: int = 10,
) -> np.ndarray:
    """``samples`` Monte Carlo draws of ``quantity`` ("spectral_radius" or "real_count").

    The draws go through :func:`rmtedge.montecarlo.run` with a FIXED ``chunk_size`` and the
    stream ``seq``, so they are identical whatever the executor: in process (``jobs=1``), a pool
    of ``jobs`` local processes, or the Dask cluster at ``scheduler``. If the engine is not
    installed the samplers are called directly in process (same law, other numbers).
    """
    run = _engine_run()
    if run is not None:
        executor: Any = scheduler if scheduler else (jobs if jobs > 1 else None)
        res = run(
            quantity,
            n,
            field=field,
            samples=samples,
            seed=seq,
            executor=executor,
            chunk_size=chunk_size,
            method=method,
            keep_samples=True,
        )
        return np.asarray(res.samples[0]).reshape(samples)
    rng = np.random.default_rng(seq)
    if quantity == "spectral_radius":
        return np.asarray(require("spectral_radius")(n, field=field, size=samples, method=method, rng=rng))
    if quantity == "real_count":
        return np.asarray(require("count_real_eigenvalues")(n, size=samples, method=method, rng=rng))
    raise ValueError(f"unknown quantity {quantity!r}")


def _engine_run() -> Callable[..., Any] | None:
    try:
        import rmtedge.montecarlo as mc
    except ImportError:  # pragma: no cover - the subpackage ships with rmtedge
        return None
    return getattr(mc, "run", None)
