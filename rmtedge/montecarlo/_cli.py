"""argparse helpers so that ``rmtedge sweep ...`` and ``rmtedge validate --scheduler ADDR`` can
drive :func:`rmtedge.montecarlo.run` (the ``rmtedge`` command itself lives in rmtedge/cli.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from ._aggregate import SweepResult
from ._engine import run

__all__ = [
    "add_executor_arguments",
    "add_sweep_arguments",
    "check_output_path",
    "executor_from_args",
    "format_result",
    "run_from_args",
    "sweep_main",
]


def add_executor_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``--processes N``, ``--scheduler ADDR``, ``--checkpoint DIR``, ``--retries``, ``--progress``."""
    g = parser.add_argument_group("execution")
    where = g.add_mutually_exclusive_group()
    where.add_argument(
        "-j",
        "--processes",
        type=int,
        default=None,
        metavar="N",
        help="run on N local processes (BLAS pinned to one thread each)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDR",
        help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786",
    )
    g.add_argument(
        "--checkpoint",
        default=None,
        metavar="DIR",
        help="save finished chunks in DIR; rerunning resumes from them",
    )
    g.add_argument("--retries", type=int, default=3, help="retries of failed chunks (default 3)")
    g.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="Dask: give up connecting to the scheduler, or waiting while no worker is "
        "connected, after SECONDS (default: wait for workers, with a warning after 10 s)",
    )
    g.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="show a progress bar",
    )
    return parser


def executor_from_args(args: argparse.Namespace) -> Any:
    """The ``executor`` argument of :func:`run` chosen by ``--processes`` / ``--scheduler``."""
    if getattr(args, "scheduler", None):
        return args.scheduler
    if getattr(args, "processes", None) is not None:
        return args.processes
    return None


def add_sweep_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the arguments of ``rmtedge sweep`` (the grid, sampling, output and execution)."""
    parser.add_argument(
        "quantity",
        nargs="+",
        help="quantity name(s): spectral_radius, real_count, energy, log_energy, ...",
    )
    parser.add_argument("-n", "--n", type=int, nargs="+", required=True, help="matrix dimension(s)")
    parser.add_argument("--field", nargs="+", default=["real"], help="real and/or complex")
    parser.add_argument("--method", nargs="+", default=["auto"], help="sampler method(s)")
    parser.add_argument("--samples", type=int, required=True, help="samples per grid point")
    parser.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    parser.add_argument("--chunk-size", type=int, default=None, help="samples per chunk")
    parser.add_argument("-t", "--t", type=int, nargs="+", default=None, help="times for energy")
    parser.add_argument(
        "--inputs",
        type=int,
        default=None,
        help="energy: input sequences per matrix (BLAS-3 batches)",
    )
    parser.add_argument(
        "--scale", default=None, choices=("glorot", "ginibre"), help="spectral_radius: matrix scale"
    )
    parser.add_argument("--keep-samples", action="store_true", help="keep every sample")
    parser.add_argument(
        "--quantiles",
        type=float,
        nargs="+",
        default=[0.05, 0.5, 0.95],
        help="quantiles reported in the JSON output",
    )
    parser.add_argument(
        "-o", "--out", default=None, metavar="FILE", help="write the result as JSON"
    )
    add_executor_arguments(parser)
    return parser


def run_from_args(args: argparse.Namespace) -> SweepResult:
    """Run the sweep described by parsed :func:`add_sweep_arguments` arguments."""
    params: dict[str, Any] = {}
    if getattr(args, "inputs", None) is not None:
        params["inputs"] = args.inputs
    if getattr(args, "scale", None) is not None:
        params["scale"] = args.scale
    t = args.t
    if t is not None and len(t) == 1:
        t = t[0]
    return run(
        args.quantity if len(args.quantity) > 1 else args.quantity[0],
        args.n,
        field=args.field,
        method=args.method,
        samples=args.samples,
        seed=args.seed,
        executor=executor_from_args(args),
        chunk_size=args.chunk_size,
        checkpoint=args.checkpoint,
        t=t,
        keep_samples=args.keep_samples,
        progress=args.progress,
        params=params or None,
        retries=args.retries,
        timeout=getattr(args, "timeout", None),
    )


def check_output_path(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be written as an output file, or None if it can.

    Checked before a sweep starts, so that a long run is not lost to a typo in ``-o``: the
    path must not be a directory, its directory must exist and be writable, and an existing
    file must be writable.

    Parameters
    ----------
    path : str or os.PathLike
        The output file.

    Returns
    -------
    str or None
        A short reason (for a one-line error message), or None.

    Examples
    --------
    >>> from rmtedge.montecarlo import check_output_path
    >>> check_output_path("/nonexistent-dir/r.json")
    "directory '/nonexistent-dir' does not exist"
    """
    p = Path(path)
    if p.is_dir():
        return f"{str(p)!r} is a directory"
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        return f"directory {str(parent)!r} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        return f"{str(p)!r} is not writable"
    return None


def format_result(result: SweepResult, t: Any = None) -> str:
    """A plain-text table of a sweep result (one line per grid point, or per t)."""
    rows = [
        f"{'quantity':<16}{'field':<9}{'method':<11}{'n':>8}{'t':>7}{'count':>9}{'mean':>16}{'stderr':>13}"
    ]
    ts = None if t is None else np.atleast_1d(t)
    for p in result.points:
        mean = np.atleast_1d(p.mean)
        se = np.atleast_1d(p.stderr)
        for j in range(mean.size):
            tt = "" if ts is None or ts.size <= j else str(int(ts[j]))
            rows.append(
                f"{p.quantity:<16}{p.field:<9}{p.method:<11}{p.n:>8}{tt:>7}{p.count:>9}"
                f"{mean[j]:>16.8g}{se[j]:>13.3g}"
            )
    rows.append(
        f"# {result.chunks_computed} chunks computed, {result.chunks_loaded} loaded from checkpoint, "
        f"{result.elapsed:.2f} s on {result.executor}"
    )
    return "\n".join(rows)


def sweep_main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Entry point of ``rmtedge sweep``: parse ``argv``, run, print a table, write JSON.

    Examples
    --------
    >>> import io
    >>> from rmtedge.montecarlo import sweep_main
    >>> buf = io.StringIO()
    >>> sweep_main(["real_count", "-n", "2", "--samples", "100", "--seed", "1"], stdout=buf)
    0
    >>> buf.getvalue().splitlines()[1].split()[:5]
    ['real_count', 'real', 'auto', '2', '100']
    """
    parser = argparse.ArgumentParser(
        prog="rmtedge sweep", description="Monte Carlo sweep over a grid"
    )
    add_sweep_arguments(parser)
    args = parser.parse_args(argv)
    if args.out and (problem := check_output_path(args.out)) is not None:
        parser.error(f"-o/--out: cannot write the result: {problem}")
    out = sys.stdout if stdout is None else stdout
    result = run_from_args(args)
    print(format_result(result, args.t), file=out)
    if args.out:
        data = result.to_dict(quantiles=args.quantiles)
        data["argv"] = list(argv) if argv is not None else sys.argv[1:]
        Path(args.out).write_text(
            json.dumps(data, indent=1, allow_nan=False) + "\n", encoding="utf-8"
        )
    return 0
