"""The ``rmtedge`` command line.

Subcommands::

    rmtedge validate   run the validation suite, write report.md/.html, results.json and figures
    rmtedge edge       law of the spectral radius at a given n: summary, quantiles, P(rho > 1)
    rmtedge init       rescale factor of the rescaled Glorot initializer for n, field and risk
    rmtedge density    eigenvalue densities at given points
    rmtedge threshold  instability threshold t*(n) of the Glorot recurrence
    rmtedge sweep      Monte Carlo sweep over a grid (local processes or a Dask cluster)
    rmtedge warmup     compile every numba kernel into the on-disk cache (first use costs)

Exit codes: 0 success (for ``validate``: every check passed), 1 a validation check failed, an
experiment raised or rmtedge failed (a bug: the traceback is shown), 2 bad input (unknown option
or field, n < 1, unwritable output directory, ...). Bad input is reported as ONE line on stderr,
without a traceback; an error is bad input when rmtedge's argument checks raised it (the
``ValueError``/``TypeError`` of a public function's own validation). ``--debug`` shows the
traceback of every error.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["build_parser", "main"]

PROG = "rmtedge"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input found after parsing (reported on one line, exit code 2)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


# ---------------------------------------------------------------------------------------------
# argument types
# ---------------------------------------------------------------------------------------------
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"must lie in (0, 1), got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {value}")
    return value


def _point(text: str) -> complex:
    t = text.replace(" ", "")
    try:
        return complex(float(t))  # also "inf", "-inf", "nan"
    except ValueError:
        pass
    if t.endswith("i") and not t.lower().endswith("inf"):
        t = t[:-1] + "j"  # 0.3+0.4i, as mathematicians write it
    try:
        return complex(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a real or complex number like 0.5 or 0.3+0.4j, got {text!r}") from None


FIELD_HELP = "real or complex Glorot matrices W = G/sqrt(n) (default: %(default)s)"


def _add_field(p: argparse.ArgumentParser, default: str = "real") -> None:
    p.add_argument("--field", choices=("real", "complex"), default=default, help=FIELD_HELP)


def _add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON instead of text")


def _emit_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON (numpy values converted; inf as "inf", NaN as null)."""
    from ._core.jsonio import dumps

    print(dumps(obj, indent=2))


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------
def _experiment_names() -> list[str]:
    from rmtedge.validation._suite import names

    return names()


def _cmd_validate(args: argparse.Namespace) -> int:
    from rmtedge.validation._common import load_pyplot
    from rmtedge.validation._suite import EXPERIMENTS, run_suite

    from .validation._report import format_summary, write_report

    if args.list:
        for e in EXPERIMENTS:
            print(f"{e.name:18s} {e.summary}")
        return EXIT_OK
    out = Path(args.out)
    _check_writable(out)
    if args.scheduler:
        _check_scheduler(args.scheduler)
    if load_pyplot() is None:
        print(f'{PROG} validate: matplotlib is not installed: writing the report without figures (pip install "rmtedge[plot]")',
              file=sys.stderr)
    size = "smoke" if args.smoke else ("full" if args.full else "quick")
    quiet = args.json

    def on_result(res: Any) -> None:
        if quiet:
            return
        line = f"  {res.name:18s} {res.status.upper():7s} {res.elapsed:7.1f} s"
        try:  # print above a running progress bar without breaking it
            from tqdm import tqdm

            tqdm.write(line, file=sys.stderr)
        except ImportError:
            print(line, file=sys.stderr, flush=True)

    if not quiet:
        which = ", ".join(args.only) if args.only else "all experiments"
        print(f"{PROG} validate: size {size}, seed {args.seed}, {which} -> {out}/", file=sys.stderr, flush=True)
    suite = run_suite(args.only, size=size, seed=args.seed, out_dir=out, jobs=args.jobs, scheduler=args.scheduler,
                      show_progress=False if args.no_progress or quiet else None, on_result=on_result)
    command = "rmtedge validate " + " ".join(shlex.quote(a) for a in args._argv)
    paths = write_report(suite, out, command=command.strip())
    if args.json:
        print(paths["json"].read_text(encoding="utf-8"), end="")
    else:
        print(format_summary(suite))
        print(f"report: {paths['markdown']}  (also {paths['html'].name}, {paths['json'].name})")
    return EXIT_OK if suite.passed else EXIT_FAILED


def _check_writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".rmtedge-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None


def _check_scheduler(address: str) -> None:
    try:
        import distributed
    except ImportError:
        raise UsageError('--scheduler needs dask.distributed: pip install "rmtedge[dask]"') from None
    if "://" not in address and ":" not in address:
        raise UsageError(f"--scheduler expects an address like tcp://host:8786, got {address!r}")
    try:  # fail fast, before any experiment runs
        client = distributed.Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--scheduler {address}: cannot connect ({exc})") from None
    client.close()


# ---------------------------------------------------------------------------------------------
# edge
# ---------------------------------------------------------------------------------------------
def _cmd_edge(args: argparse.Namespace) -> int:
    import rmtedge

    law_fn = rmtedge.spectral_radius_law
    kwargs: dict[str, Any] = {"field": args.field}
    if args.method:
        kwargs["method"] = args.method
    law = law_fn(args.n, **kwargs)
    qs = args.quantiles
    out: dict[str, Any] = {
        "n": args.n,
        "field": args.field,
        "method": getattr(law, "method", args.method or "default"),
        "law": repr(law),
        "mean": float(law.mean()),
        "std": float(law.std()),
        "median": float(law.median()),
        "quantiles": {str(q): float(law.ppf(q)) for q in qs},
    }
    s = args.scale_factor
    p1 = float(law.sf(s))
    out["scale_factor"] = s
    out["prob_radius_exceeds_one"] = p1
    if args.at:
        out["at"] = [{"r": r, "cdf": float(law.cdf(r)), "sf": float(law.sf(r)), "pdf": float(law.pdf(r))} for r in args.at]
    if args.n >= 164:
        g = rmtedge.gumbel_edge_law(args.n, field=args.field)
        out["gumbel_limit"] = {"mean": g.mean(), "std": g.std(), "median": g.median(), "prob_radius_exceeds_one": float(g.sf(s))}
    if args.json:
        _emit_json(out)
        return EXIT_OK
    print(f"spectral radius of {args.field} Glorot W, n = {args.n}: {out['law']}")
    print(f"  mean {out['mean']:.8g}   std {out['std']:.6g}   median {out['median']:.8g}")
    for q, v in out["quantiles"].items():
        print(f"  quantile {q:>6s}: {v:.8g}")
    what = "P(rho(W) > 1)" if s == 1.0 else f"P(rho(W/{s:g}) > 1)"
    print(f"  {what} = {p1:.6g}")
    for row in out.get("at", []):
        print(f"  r = {row['r']:<10g} cdf {row['cdf']:.6g}   sf {row['sf']:.6g}   pdf {row['pdf']:.6g}")
    if "gumbel_limit" in out:
        gl = out["gumbel_limit"]
        print(f"  Gumbel limit for comparison: mean {gl['mean']:.8g}, std {gl['std']:.6g}, {what} = {gl['prob_radius_exceeds_one']:.6g}")
    else:
        print("  (the Gumbel limit is defined only for n >= 164)")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# init
# ---------------------------------------------------------------------------------------------
def _cmd_init(args: argparse.Namespace) -> int:
    import rmtedge

    s = float(rmtedge.rescale_factor(args.n, field=args.field, risk=args.risk, method=args.method))
    out: dict[str, Any] = {
        "n": args.n,
        "field": args.field,
        "method": args.method,
        "risk": args.risk,
        "rescale_factor": s,
        "entry_variance": 1.0 / (args.n * s * s),
        "entry_std": 1.0 / (math.sqrt(args.n) * s),
    }
    out["prob_radius_exceeds_one"] = float(
        rmtedge.prob_radius_exceeds_one(args.n, field=args.field, scale_factor=s)
    )
    if args.json:
        _emit_json(out)
        return EXIT_OK
    print(f"rescaled Glorot, {args.field} field, n = {args.n}, method {args.method}"
          + (f", requested risk {args.risk:g}" if args.risk is not None else ""))
    print(f"  rescale factor s        = {s:.12g}   (W = G / (sqrt(n) * s))")
    print(f"  entry variance 1/(n s^2) = {out['entry_variance']:.12g}")
    print(f"  entry std               = {out['entry_std']:.12g}")
    if out.get("prob_radius_exceeds_one") is not None:
        print(f"  P(rho(W) > 1) under the finite-n law = {out['prob_radius_exceeds_one']:.6g}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# density
# ---------------------------------------------------------------------------------------------
def _cmd_density(args: argparse.Namespace) -> int:
    import numpy as np

    import rmtedge

    pts = np.asarray(args.points, dtype=np.complex128)
    plane = args.plane or args.field == "complex"
    rows = []
    if plane:
        kw = {"field": args.field, "scale": args.scale}
        vals = np.atleast_1d(rmtedge.complex_eigenvalue_density(pts, args.n, **kw))
        logs = np.atleast_1d(rmtedge.log_complex_eigenvalue_density(pts, args.n, **kw))
        what = ("non-real eigenvalues of real" if args.field == "real" else "eigenvalues of complex") + " Ginibre, per unit area"
        for z, v, lv in zip(pts, vals, logs, strict=True):
            rows.append({"z": [z.real, z.imag], "density": float(v), "log_density": float(lv)})
    else:
        if np.any(pts.imag != 0):
            raise UsageError("points with an imaginary part need --plane (density of non-real eigenvalues)")
        x = pts.real
        vals = np.atleast_1d(rmtedge.real_eigenvalue_density(x, args.n, scale=args.scale))
        logs = np.atleast_1d(rmtedge.log_real_eigenvalue_density(x, args.n, scale=args.scale))
        what = "real eigenvalues of real Ginibre, per unit length"
        for xx, v, lv in zip(x, vals, logs, strict=True):
            rows.append({"x": float(xx), "density": float(v), "log_density": float(lv)})
    if args.json:
        _emit_json({"n": args.n, "field": args.field, "scale": args.scale, "kind": "plane" if plane else "real_line",
                    "points": rows})
        return EXIT_OK
    print(f"intensity of {what}, n = {args.n}, scale {args.scale}")
    for r in rows:
        where = f"x = {r['x']:<12g}" if "x" in r else f"z = {complex(*r['z'])!s:<22}"
        print(f"  {where} density {r['density']:.10g}   log density {r['log_density']:.10g}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# threshold
# ---------------------------------------------------------------------------------------------
def _cmd_threshold(args: argparse.Namespace) -> int:
    import rmtedge

    fn = rmtedge.instability_threshold
    kw: dict[str, Any] = {"field": args.field, "factor": args.factor, "quantity": args.quantity, "method": args.method}
    if args.method == "monte_carlo":
        kw["rng"] = args.seed
    rows = []
    for n in args.n:
        t = float(fn(n, **kw))
        rows.append({"n": n, "threshold": t, "sqrt_n": math.sqrt(n), "ratio": t / math.sqrt(n)})
    out: dict[str, Any] = {"field": args.field, "factor": args.factor, "quantity": args.quantity,
                           "method": args.method, "rows": rows}
    fit_fn = rmtedge.threshold_exponent
    if args.fit:
        if len(set(args.n)) < 3:
            raise UsageError("--fit needs at least three distinct values of -n")
        fit = fit_fn(args.n, **kw)
        out["fit"] = {"alpha": float(fit.alpha), "interval": [float(v) for v in fit.interval],
                      "prefactor": float(fit.prefactor)}
    if args.json:
        _emit_json(out)
        return EXIT_OK
    energy = "E||h_t||^2/n (driven recurrence)" if args.quantity == "driven" else "(1/n)E||W^t||_F^2 (powers)"
    how = "eigenvalue lower bound: a certified upper bound on t*" if args.method == "bound" else "Monte Carlo estimate"
    print(f"instability threshold t*(n), {args.field} Glorot: first t where {energy}")
    print(f"exceeds {args.factor:g} x its infinite-width value ({how})")
    print(f"  {'n':>10s} {'t*(n)':>12s} {'sqrt(n)':>10s} {'t*/sqrt(n)':>11s}")
    for r in rows:
        print(f"  {r['n']:>10d} {r['threshold']:>12.6g} {r['sqrt_n']:>10.4g} {r['ratio']:>11.4g}")
    if "fit" in out:
        f = out["fit"]
        print(f"  fitted t* ~ C n^a: a = {f['alpha']:.4f} (95% interval {f['interval'][0]:.4f} .. {f['interval'][1]:.4f})")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# sweep
# ---------------------------------------------------------------------------------------------
def _cmd_sweep(args: argparse.Namespace) -> int:
    from rmtedge import montecarlo
    from rmtedge.montecarlo._executors import SchedulerUnreachableError

    if args.out and (problem := montecarlo.check_output_path(args.out)) is not None:
        raise UsageError(f"--out: cannot write the result: {problem}")  # before the work
    try:
        result = montecarlo.run_from_args(args)
    except (
        montecarlo.CheckpointMismatchError,
        montecarlo.CheckpointLockedError,
        SchedulerUnreachableError,
        TimeoutError,
    ) as exc:
        # one line: a mismatch lists every differing parameter, separated by "; "
        raise UsageError("; ".join(ln.strip() for ln in str(exc).splitlines() if ln.strip())) from None
    if args.json:
        _emit_json(result.to_dict(quantiles=args.quantiles))
    else:
        print(montecarlo.format_result(result, args.t))
    if args.out:
        data = result.to_dict(quantiles=args.quantiles)
        data["argv"] = list(args._argv)
        try:
            Path(args.out).write_text(json.dumps(data, indent=1, allow_nan=False) + "\n", encoding="utf-8")
        except OSError as exc:  # the result was printed above, so it is not lost
            raise UsageError(f"--out: cannot write the result: {exc}") from None
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------------------------
_MAIN_EPILOG = """\
examples:
  rmtedge validate                     # quick validation report in ./rmtedge-report (1-3 minutes)
  rmtedge validate --full --jobs 2     # the paper's sample sizes on two processes
  rmtedge edge -n 500 --field complex  # law of the spectral radius, P(rho > 1)
  rmtedge init -n 1024 --risk 0.01 --method exact
  rmtedge density -n 100 0 0.5 1.0     # density of real eigenvalues at x = 0, 0.5, 1
  rmtedge sweep spectral_radius -n 100 200 --samples 1000 --processes 2

Run 'rmtedge COMMAND --help' for the options of one command.
Conventions: W = G/sqrt(n) ("Glorot"), G real or complex Ginibre; rho(W) = max |eigenvalue|.
"""

_VALIDATE_EPILOG = """\
examples:
  rmtedge validate                              # = --quick: every experiment, small sizes
  rmtedge validate --only figure_3 densities    # two experiments
  rmtedge validate --full --out paper-report    # the paper's sample sizes (tens of minutes)
  rmtedge validate --scheduler tcp://host:8786  # Monte Carlo on a running Dask cluster
  rmtedge validate --list                       # list the experiments

Writes DIR/report.md, DIR/report.html, DIR/results.json and PNG figures (figures need
matplotlib: pip install "rmtedge[plot]"; without it the report is written without figures).
Every counted check compares theory with Monte Carlo and states its power against a named wrong
alternative; the verdicts of a run are decided together (Holm) at a family-wise false-alarm rate
of 0.01, so a correct implementation fails any check with probability at most 1%. --quick has 67
counted checks and 19 demonstrations (shown, not counted) and took 67 s wall (65 s CPU) on a
2-core machine with a warm numba cache (2-3 minutes when the machine is shared; the first run on
a new install adds 20-50 s of kernel compilation, by the machine's compile speed: 181 s in all
measured on a slow day). The same seed gives the same report.
Exit code: 0 all counted checks passed, 1 a check failed or an experiment raised, 2 bad input.
"""


def _cmd_warmup(args: argparse.Namespace) -> int:
    from ._warmup import warmup

    times = warmup(progress=not (args.no_progress or args.json))
    if args.json:
        _emit_json({"seconds": times, "total": sum(times.values())})
    return EXIT_OK


def _is_argument_error(exc: BaseException) -> bool:
    """True if ``exc`` is one of rmtedge's own input errors (bad input), False if it is a failure.

    rmtedge's error policy (``rmtedge/__init__.py``) makes every ``ValueError``/``TypeError``
    that the package raises itself an error about an argument, with a message naming it. So an
    error counts as bad input when its raising frame is a ``raise`` statement in rmtedge's source;
    one raised by numpy, scipy, the standard library or a builtin called from rmtedge (a math
    domain error, a shape mismatch) is a failure of rmtedge, shown with its traceback.
    """
    import linecache

    tb = exc.__traceback__
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    if last is None:
        return False
    path = os.path.abspath(last.tb_frame.f_code.co_filename)
    package = os.path.dirname(os.path.abspath(__file__))
    if not path.startswith(package + os.sep):
        return False
    return linecache.getline(path, last.tb_lineno).lstrip().startswith("raise")


def build_parser() -> argparse.ArgumentParser:
    """The ``rmtedge`` argument parser (exposed for the docs and the tests)."""
    from . import __version__

    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog=PROG, description="Numerics of random non-Hermitian (Ginibre / Glorot) matrices at "
                     "their spectral edge, and the validation of the paper's claims.", epilog=_MAIN_EPILOG,
                     formatter_class=fmt)
    parser.add_argument("--version", action="version", version=f"rmtedge {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of every error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    # validate
    p = sub.add_parser("validate", help="run the validation suite and write the report",
                       description="Compare rmtedge's theory with Monte Carlo (the paper's figures, densities, "
                       "edge laws, growth bound, initializer risk) and write a report.",
                       epilog=_VALIDATE_EPILOG, formatter_class=fmt)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="small sample sizes, 1-3 minutes on 2 cores (default)")
    g.add_argument("--full", action="store_true", help="the paper's sample sizes (much longer)")
    g.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", metavar="DIR", default="rmtedge-report", help="output directory (default: %(default)s)")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="root seed of every random stream (default: 0)")
    p.add_argument("--jobs", type=_positive_int, default=1, metavar="N",
                   help="run experiments on N local processes (default: 1)")
    p.add_argument("--scheduler", metavar="ADDR", default=None,
                   help="send the Monte Carlo sampling to the Dask scheduler at ADDR (e.g. tcp://host:8786)")
    p.add_argument("--only", nargs="+", metavar="NAME", choices=_experiment_names(),
                   help="run only these experiments (see --list)")
    p.add_argument("--list", action="store_true", help="list the experiments and exit")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    _add_json(p)
    p.set_defaults(func=_cmd_validate)

    # edge
    p = sub.add_parser("edge", help="law of the spectral radius: summary, quantiles, P(rho > 1)",
                       description="Finite-n law of the spectral radius rho(W) of an n x n Glorot matrix (exact "
                       "Kostlan product for complex matrices, Pfaffian law for real ones), with the "
                       "Gumbel limit for comparison.",
                       epilog="examples:\n  rmtedge edge -n 500 --field complex\n"
                       "  rmtedge edge -n 1000 --method gumbel --quantiles 0.01 0.99\n"
                       "  rmtedge edge -n 500 --scale-factor 1.05      # P(rho(W/1.05) > 1)\n"
                       "  rmtedge edge -n 200 --at 1.0 1.1 --json", formatter_class=fmt)
    p.add_argument("-n", type=_positive_int, required=True, help="matrix dimension n >= 1")
    _add_field(p)
    p.add_argument("--method", default=None, help="law: exact (both fields), auto, poisson (real) or gumbel (n >= 164); "
                   "default: the best finite-n law of the field")
    p.add_argument("--quantiles", type=_probability, nargs="+", default=[0.01, 0.05, 0.5, 0.95, 0.99], metavar="Q",
                   help="quantile levels to print (default: 0.01 0.05 0.5 0.95 0.99)")
    p.add_argument("--at", type=float, nargs="+", metavar="R", help="also print cdf, sf and pdf at these radii")
    p.add_argument("--scale-factor", type=_positive_float, default=1.0, metavar="S",
                   help="report P(rho(W/S) > 1) (default 1)")
    _add_json(p)
    p.set_defaults(func=_cmd_edge)

    # init
    p = sub.add_parser("init", help="rescale factor of the rescaled Glorot initializer",
                       description="Rescale factor s of the rescaled Glorot initializer W = G/(sqrt(n) s): "
                       "method 'paper' is the authors' Gumbel-limit factor r_n(c) (n >= 164); method 'exact' "
                       "makes P(rho(W) > 1) equal to --risk under the finite-n law (any n).",
                       epilog="examples:\n  rmtedge init -n 512                          # the authors' factor\n"
                       "  rmtedge init -n 512 --risk 0.01 --method exact\n"
                       "  rmtedge init -n 100 --field complex --risk 0.05 --method exact --json",
                       formatter_class=fmt)
    p.add_argument("-n", type=_positive_int, required=True, help="matrix dimension n >= 1")
    _add_field(p)
    p.add_argument("--risk", type=_probability, default=None, help="target P(rho > 1) in (0, 1)")
    p.add_argument("--method", choices=("paper", "exact"), default="paper", help="calibration (default: %(default)s)")
    _add_json(p)
    p.set_defaults(func=_cmd_init)

    # density
    p = sub.add_parser("density", help="eigenvalue densities at given points",
                       description="Expected number of eigenvalues per unit length (real eigenvalues of real "
                       "matrices) or per unit area (non-real eigenvalues, or complex matrices) at the given points.",
                       epilog="examples:\n  rmtedge density -n 100 0 0.5 1.0          # real eigenvalues, real field\n"
                       "  rmtedge density -n 100 --plane 0.5+0.3j 1.1j  # non-real eigenvalues, real field\n"
                       "  rmtedge density -n 100 --field complex 0.9 1.0 1.1\n"
                       "Put '--' before points that start with a minus sign and contain 'j':\n"
                       "  rmtedge density -n 50 --plane -- -0.5+0.5j", formatter_class=fmt)
    p.add_argument("-n", type=_positive_int, required=True, help="matrix dimension n >= 1")
    _add_field(p)
    p.add_argument("--plane", action="store_true", help="real field: density of the non-real eigenvalues at complex points")
    p.add_argument("--scale", choices=("glorot", "ginibre"), default="glorot",
                   help="points in the scale of W = G/sqrt(n) (glorot) or of G (default: %(default)s)")
    p.add_argument("points", type=_point, nargs="+", metavar="POINT", help="x (real line) or z = a+bj (plane)")
    _add_json(p)
    p.set_defaults(func=_cmd_density)

    # threshold
    p = sub.add_parser("threshold", help="instability threshold t*(n) of the Glorot recurrence",
                       description="Time t*(n) after which the hidden-state energy of the Glorot recurrence "
                       "grows (the paper: t = O(sqrt(n))), compared with sqrt(n).",
                       epilog="examples:\n  rmtedge threshold -n 100 1000 10000 --fit\n"
                       "  rmtedge threshold -n 512 --field real --quantity impulse --json\n"
                       "  rmtedge threshold -n 200 --method monte_carlo --seed 1", formatter_class=fmt)
    p.add_argument("-n", type=_positive_int, nargs="+", required=True, help="matrix dimension(s)")
    _add_field(p)
    p.add_argument("--factor", type=_positive_float, default=2.0,
                   help="energy ratio to the infinite-width value that counts as unstable (default 2)")
    p.add_argument("--quantity", choices=("driven", "impulse"), default="driven",
                   help="driven: E||h_t||^2/n vs t; impulse: (1/n)E||W^t||_F^2 vs 1 (default: %(default)s)")
    p.add_argument("--method", choices=("bound", "monte_carlo"), default="bound",
                   help="bound: exact eigenvalue lower bound (certified upper bound on t*); "
                   "monte_carlo: simulate (default: %(default)s)")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="seed for --method monte_carlo (default 0)")
    p.add_argument("--fit", action="store_true", help="also fit t*(n) ~ C n^a over the given n (>= 3 values)")
    _add_json(p)
    p.set_defaults(func=_cmd_threshold)

    # warmup
    p = sub.add_parser("warmup", help="compile every numba kernel into the on-disk cache",
                       description="Call every public entry point once on a small argument, which "
                       "compiles the numba kernels rmtedge uses and stores them in the on-disk cache "
                       "(next to the package, or in NUMBA_CACHE_DIR). Run it once on a new machine, "
                       "cluster image or CI cache; later processes load the compiled code in well "
                       "under a second per kernel.", formatter_class=fmt,
                       epilog="examples:\n  rmtedge warmup                  # progress bar, then the total time\n"
                       "  NUMBA_CACHE_DIR=/cache rmtedge warmup --json   # per-entry seconds, cache elsewhere\n")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    _add_json(p)
    p.set_defaults(func=_cmd_warmup)

    # sweep
    try:
        from rmtedge import montecarlo
    except ImportError:  # pragma: no cover - ships with rmtedge
        montecarlo = None
    if montecarlo is not None and hasattr(montecarlo, "add_sweep_arguments"):
        p = sub.add_parser("sweep", help="Monte Carlo sweep over n, field, method (processes or Dask)",
                           description="Monte Carlo sweep of a random-matrix quantity over a grid of n, field and "
                           "sampler method; reproducible from --seed on any executor.",
                           epilog="examples:\n  rmtedge sweep spectral_radius -n 100 200 400 --samples 2000\n"
                           "  rmtedge sweep real_count -n 10 --samples 100000 --processes 2 -o counts.json\n"
                           "  rmtedge sweep energy -n 200 --field complex -t 10 20 40 --samples 200 "
                           "--scheduler tcp://host:8786\nSee docs/montecarlo.md.", formatter_class=fmt)
        montecarlo.add_sweep_arguments(p)
        if not any("--json" in a.option_strings for a in p._actions):
            _add_json(p)
        p.set_defaults(func=_cmd_sweep)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``rmtedge`` command with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # answered without building the parser (no numpy, no validation)
        from . import __version__

        print(f"rmtedge {__version__}")
        return EXIT_OK
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    args._argv = argv[1:] if argv and argv[0] == args.command else argv
    sub = f"{PROG} {args.command}"
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"{sub}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, TypeError) as exc:
        # rmtedge's argument checks raise these with a message naming the argument: one line.
        # Anything else is a failure of rmtedge itself and keeps its traceback.
        if args.debug or not _is_argument_error(exc):
            raise
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"{sub}: error: {msg}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{sub}: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # SIGTERM during a sweep: clean shutdown, then status 143
        if type(exc).__name__ != "SweepTerminated":
            raise
        print(f"{sub}: terminated (SIGTERM); finished chunks are kept in the checkpoint", file=sys.stderr)
        return 143
    except BrokenPipeError:  # e.g. `rmtedge edge ... | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
