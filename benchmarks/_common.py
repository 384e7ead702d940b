"""Shared set-up of the benchmarks: BLAS pinning, timing medians (wall or CPU), ratio printing.

Every ``bench_*.py`` runs as a script (``python benchmarks/bench_<name>.py``) and imports these
helpers with ``from _common import ...`` (the script's folder is on ``sys.path``):

* :func:`bench_main` pins BLAS/OpenMP to one thread (:func:`rmtedge._core.blas.pin_blas_threads`),
  prints the environment (Python, numpy, the BLAS libraries and their thread counts), runs the
  benchmark and prints its total wall time;
* :func:`median_time` is the median over ``repeats`` calls of the wall clock
  (``time.perf_counter``) or, with ``clock="cpu"``, of this process's CPU time
  (``time.process_time``: robust when other processes share the cores, but blind to work done
  in other processes or threads);
* :func:`timed` times one call; :func:`ratio` and :func:`print_ratio` format "ours vs baseline".

Speed is measured here and never asserted in tests.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from rmtedge._core.blas import pin_blas_threads

__all__ = ["bench_main", "blas_description", "median_time", "pin_blas_threads", "print_ratio", "ratio", "timed"]

_CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def median_time(fn: Callable[..., Any], *args: Any, repeats: int = 7, clock: str = "wall", **kwargs: Any) -> float:
    """Median over ``repeats`` calls ``fn(*args, **kwargs)`` of the elapsed ``clock`` ("wall" or "cpu"), in s."""
    tick = _CLOCKS[clock]
    times = []
    for _ in range(repeats):
        t0 = tick()
        fn(*args, **kwargs)
        times.append(tick() - t0)
    return float(statistics.median(times))


def timed(fn: Callable[..., Any], *args: Any, clock: str = "wall", **kwargs: Any) -> float:
    """Elapsed ``clock`` time of one call ``fn(*args, **kwargs)``, in s."""
    return median_time(fn, *args, repeats=1, clock=clock, **kwargs)


def ratio(baseline: float, ours: float) -> str:
    """``baseline / ours`` as "12.3x" (how many times faster ours is)."""
    if ours <= 0:
        return "inf"
    r = baseline / ours
    return f"{r:.3g}x" if r < 100 else f"{r:.0f}x"


def print_ratio(label: str, ours: float, baseline: float, *, baseline_name: str = "baseline") -> None:
    """One line: label, both times and the speed-up of ours over the baseline."""
    print(f"{label}: ours {ours * 1e3:.3f} ms, {baseline_name} {baseline * 1e3:.3f} ms, speed-up {ratio(baseline, ours)}")


def blas_description() -> str:
    """The loaded BLAS/OpenMP libraries and their current thread counts (threadpoolctl)."""
    from threadpoolctl import threadpool_info

    parts = [f"{d.get('internal_api')} {d.get('version')} ({d.get('num_threads')} thread(s))" for d in threadpool_info()]
    return ", ".join(parts) or "no BLAS loaded yet"


def bench_main(main: Callable[[], Any], *, threads: int = 1) -> int:
    """Run ``main()`` with BLAS pinned to ``threads`` thread(s); print the environment and total time."""
    import numpy as np

    with pin_blas_threads(threads):
        print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
              f"{os.cpu_count()} cpus; BLAS: {blas_description()}", flush=True)
        t0 = time.perf_counter()
        rc = main()
        print(f"total {time.perf_counter() - t0:.1f} s", flush=True)
    return int(rc or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run a bench_*.py file, not this helper")
