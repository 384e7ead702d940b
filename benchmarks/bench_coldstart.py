"""Cold start: ``import rmtedge``, ``rmtedge --version`` and the first call of every entry point.

Run: ``.venv/bin/python benchmarks/bench_coldstart.py [--runs 3] [--only LABEL ...]``
(about 10 minutes with 3 runs on two cores).

Each measurement is a fresh Python process with an empty numba cache (a new temporary
``NUMBA_CACHE_DIR``) and one BLAS thread, so it is what a user meets on a new machine. Every
entry point of ``rmtedge._warmup.ENTRY_POINTS`` gets its own process and cache (its first call
after ``import rmtedge``, CPU time and wall time: CPU time does not grow when other processes
share the cores); then all of them run one after another in one cold process (kernels shared by
several entry points compile once), and again with that warm cache. Medians over ``--runs``,
beside the figures measured before round two (issue 16: 2-core machine, wall time). A fixed
numba workload independent of rmtedge is timed too ("reference"): the machine this was written on
varied by ~1.5x in compile speed within an hour, and "x ref" (cpu / reference) compares runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from _common import bench_main, timed

from rmtedge._core.blas import BLAS_ENV_VARS

#: seconds measured before the round-two work (issue 16), where the issue gives them
BEFORE = {
    "import rmtedge": (1.8, 3.3),
    "rmtedge --version": (5.5, 5.5),
    "real_eigenvalue_density": (32.0, 32.0),
    "complex_eigenvalue_density": (14.0, 14.0),
    "expected_real_outside": (12.5, 12.5),
    "all entry points": (81.0, 81.0),
}

_CHILD = r"""
import json, sys, time
import rmtedge._warmup as w
w.ENTRY_POINTS.extend(w._entry_points())
out = {}
for label, call in w.ENTRY_POINTS:
    if only and label not in only:
        continue
    c0, t0 = time.process_time(), time.perf_counter()
    call()
    out[label] = (time.process_time() - c0, time.perf_counter() - t0)
print(json.dumps(out))
"""


# A fixed numba workload that does not depend on rmtedge (import numba and numpy, compile two
# small functions): its CPU time in a fresh process measures how fast the machine compiles at
# the moment, so that runs made when the machine is busy can be compared (the "x ref" column).
_REF_CHILD = r"""
import time
c0 = time.process_time()
import math
import numba
import numpy as np

@numba.njit(error_model="numpy")
def _h(x):
    s = 0.0
    for k in range(1, 30):
        s += math.exp(-k * x) / k + math.lgamma(k + x)
    return s

@numba.njit(error_model="numpy")
def ref(a):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = _h(a[i]) + math.erfc(a[i])
    return out

ref(np.ones(3))
print(time.process_time() - c0)
"""


def _reference(cache: str) -> float:
    res = subprocess.run(
        [sys.executable, "-c", _REF_CHILD], env=_env(cache), check=True, capture_output=True,
        text=True,
    )
    return float(res.stdout.strip().splitlines()[-1])


def _env(cache: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NUMBA_CACHE_DIR"] = cache
    for var in BLAS_ENV_VARS:
        env[var] = "1"
    return env


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    return timed(subprocess.run, cmd, env=env, check=True, stdout=subprocess.DEVNULL)


def _first_calls(only: list[str], cache: str) -> dict[str, tuple[float, float]]:
    """{label: (cpu s, wall s)} of the first calls of ``only`` (all if empty), in ONE process."""
    code = f"only = {only!r}\n" + _CHILD
    res = subprocess.run(
        [sys.executable, "-c", code], env=_env(cache), check=True, capture_output=True, text=True
    )
    return {k: tuple(v) for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=[])
    args = ap.parse_args()
    from rmtedge._warmup import _entry_points

    labels = [label for label, _ in _entry_points() if not args.only or label in args.only]
    rmtedge_cmd = os.path.join(os.path.dirname(sys.executable), "rmtedge")
    each: dict[str, list[tuple[float, float]]] = {}
    alone: dict[str, list[float]] = {}
    together: list[tuple[float, float]] = []
    warm: dict[str, list[float]] = {}
    ref: list[float] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache:
            ref.append(_reference(cache))
        with tempfile.TemporaryDirectory() as cache:
            env = _env(cache)
            alone.setdefault("import rmtedge", []).append(
                _wall([sys.executable, "-c", "import rmtedge"], env)
            )
            alone.setdefault("rmtedge --version", []).append(_wall([rmtedge_cmd, "--version"], env))
        for label in labels:  # each entry point in its own process with its own empty cache
            with tempfile.TemporaryDirectory() as cache:
                each.setdefault(label, []).append(_first_calls([label], cache)[label])
        with tempfile.TemporaryDirectory() as cache:  # all of them, one cold process
            first = _first_calls(labels, cache)
            together.append((sum(v[0] for v in first.values()), sum(v[1] for v in first.values())))
            for label, (_cpu, wall) in _first_calls(labels, cache).items():
                warm.setdefault(label, []).append(wall)
    med = statistics.median
    rmed = med(ref)
    print(f"cold start, median of {args.runs} fresh processes (empty numba cache, 1 BLAS thread)")
    print(f"reference numba workload (machine speed now): {rmed:.2f} s CPU "
          f"(runs: {', '.join(f'{x:.2f}' for x in ref)}); 'x ref' = cpu / reference")
    print(f"{'':44s} {'cpu [s]':>8s} {'x ref':>6s} {'wall [s]':>9s} {'warm [s]':>9s} "
          f"{'before [s]':>11s}")

    def before(k: str) -> str:
        b = BEFORE.get(k)
        return "" if b is None else (f"{b[0]:.1f}" if b[0] == b[1] else f"{b[0]:.1f}-{b[1]:.1f}")

    for k, v in alone.items():
        print(f"{k:44s} {'':>8s} {'':>6s} {med(v):9.2f} {'':>9s} {before(k):>11s}")
    for k in labels:
        cpu, wall = med([c for c, _ in each[k]]), med([w for _, w in each[k]])
        print(f"{k:44s} {cpu:8.2f} {cpu / rmed:6.1f} {wall:9.2f} {med(warm[k]):9.3f} "
              f"{before(k):>11s}")
    cpu, wall = med([c for c, _ in together]), med([w for _, w in together])
    print(
        f"{'all entry points, one process':44s} {cpu:8.2f} {cpu / rmed:6.1f} {wall:9.2f} "
        f"{'':>9s} {before('all entry points'):>11s}"
    )


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
