"""Cold start: ``import rmtedge``, ``rmtedge --version`` and the first call of every entry point.

Run: ``.venv/bin/python benchmarks/bench_coldstart.py [--runs 3] [--only LABEL ...]``
(about 10 minutes with 3 runs on two cores).

Each measurement is a fresh Python process with an empty numba cache (a new temporary
``NUMBA_CACHE_DIR``) and one BLAS thread, so it is what a user meets on a new machine. The first
call of an entry point (``rmtedge._warmup.ENTRY_POINTS``) is timed inside that process, after
``import rmtedge``; the medians over ``--runs`` processes are printed beside the figures measured
before round two (issue 16: 2-core machine, same method), and the sum of all first calls.
A second table repeats the first calls with a warm cache (the cost of every later process).
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
    t0 = time.perf_counter(); call(); out[label] = time.perf_counter() - t0
print(json.dumps(out))
"""


def _env(cache: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NUMBA_CACHE_DIR"] = cache
    for var in BLAS_ENV_VARS:
        env[var] = "1"
    return env


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    return timed(subprocess.run, cmd, env=env, check=True, stdout=subprocess.DEVNULL)


def _first_calls(only: list[str], cache: str) -> dict[str, float]:
    code = f"only = {only!r}\n" + _CHILD
    res = subprocess.run(
        [sys.executable, "-c", code], env=_env(cache), check=True, capture_output=True, text=True
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=[])
    args = ap.parse_args()
    rmtedge_cmd = os.path.join(os.path.dirname(sys.executable), "rmtedge")
    rows: dict[str, list[float]] = {}
    warm: dict[str, list[float]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache:
            env = _env(cache)
            rows.setdefault("import rmtedge", []).append(
                _wall([sys.executable, "-c", "import rmtedge"], env)
            )
            rows.setdefault("rmtedge --version", []).append(_wall([rmtedge_cmd, "--version"], env))
            for label, t in _first_calls(args.only, cache).items():
                rows.setdefault(label, []).append(t)
            for label, t in _first_calls(args.only, cache).items():
                warm.setdefault(label, []).append(t)
    med = {k: statistics.median(v) for k, v in rows.items()}
    calls = [k for k in med if k not in ("import rmtedge", "rmtedge --version")]
    med["all entry points"] = sum(med[k] for k in calls)
    print(f"cold start, median of {args.runs} fresh processes (empty numba cache, 1 BLAS thread)")
    print(f"{'':44s} {'now [s]':>9s} {'warm [s]':>9s} {'before [s]':>12s}")
    for k, v in med.items():
        b = BEFORE.get(k)
        before = "" if b is None else (f"{b[0]:.1f}" if b[0] == b[1] else f"{b[0]:.1f}-{b[1]:.1f}")
        w = statistics.median(warm[k]) if k in warm else None
        ws = "" if w is None else f"{w:9.3f}"
        print(f"{k:44s} {v:9.2f} {ws:>9s} {before:>12s}")


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
