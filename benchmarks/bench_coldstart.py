"""Cold start: ``import rmtedge``, ``rmtedge --version`` and the first call of every entry point.

Run: ``.venv/bin/python benchmarks/bench_coldstart.py [--runs 3] [--only LABEL ...]``
(18 minutes with 3 runs on two cores on 2026-12-03, about half that with ``--before-rev none``).

Each measurement is a fresh Python process with an empty numba cache (a new temporary
``NUMBA_CACHE_DIR``) and one BLAS thread, so it is what a user meets on a new machine. Every
entry point of ``rmtedge._warmup.ENTRY_POINTS`` gets its own process and cache (its first call
after ``import rmtedge``, CPU time and wall time: CPU time does not grow when other processes
share the cores); then all of them run one after another in one cold process (kernels shared by
several entry points compile once), and again with that warm cache. Medians over ``--runs``,
beside the figures measured before round two (issue 16: 2-core machine, wall time). A fixed
numba workload independent of rmtedge is timed too ("reference"): the machine this was written on
varied by ~1.5x in compile speed within an hour, and "x ref" (cpu / reference) compares runs.

The issue's figures come from another machine. So that before and after are compared on the same
machine in the same run, the round-one code (``--before-rev``, default the last round-one commit
``d99406e``) is exported from git into a temporary folder (``git archive``) and the same entry
points are timed on it ("r1 [s]": CPU of ``import rmtedge`` plus the first call, fresh cache;
"n/a" where round one had no such entry point or call). Import is included because round one
imported numba, scipy and mpmath with the package, where the current code imports them on first
use; "r1/now" is the speed-up on that same sum. ``--before-rev none`` skips the column (about
halves the run time). Run from a git checkout (the export needs git).
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
c0 = time.process_time()
import rmtedge
imp = time.process_time() - c0
import rmtedge._warmup as w
w.ENTRY_POINTS.extend(w._entry_points())
out = {"__import__": (imp, 0.0)}
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


#: the last commit of round one (before the issue-16 work), timed beside the current code
ROUND_ONE = "d99406e"

# The same entry points, run on an exported older tree: the list is read from the current
# rmtedge/_warmup.py (passed as text), the package imported from the export (first on sys.path,
# and the process starts in the export, so the installed rmtedge is never picked up).
_OLD_CHILD = r"""
import json, os, sys, time
c0 = time.process_time()
import rmtedge
imp = time.process_time() - c0
assert rmtedge.__file__.startswith(os.getcwd()), rmtedge.__file__
ns = {}
exec(warmup_src, ns)
out = {"__import__": imp}
for label, call in ns["_entry_points"]():
    if label not in only:
        continue
    c0 = time.process_time()
    try:
        call()
    except (AttributeError, TypeError, ValueError, ImportError):
        out[label] = None  # not in that version (or not with this call)
        continue
    out[label] = time.process_time() - c0
print(json.dumps(out))
"""


def _export(rev: str, dest: str) -> bool:
    """Export ``rev``'s rmtedge/ into ``dest`` with git archive; False if that is not possible."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        arch = subprocess.run(
            ["git", "-C", root, "archive", rev, "rmtedge"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", dest], input=arch, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"round-one column skipped: cannot export {rev} ({exc})", file=sys.stderr)
        return False
    return True


def _old_first_calls(tree: str, labels: list[str], cache: str) -> dict[str, float | None]:
    """{label: CPU s of its first call} on the exported tree, in ONE process (None: no such
    entry point in that version), and ``"__import__"``: CPU s of ``import rmtedge``."""
    import rmtedge._warmup as w

    with open(w.__file__, encoding="utf-8") as fh:
        src = fh.read()
    code = f"only = {labels!r}\nwarmup_src = {src!r}\n" + _OLD_CHILD
    env = _env(cache)
    env["PYTHONPATH"] = tree
    res = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tree, check=True, capture_output=True,
        text=True,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


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
    """{label: (cpu s, wall s)} of the first calls of ``only`` (all if empty), in ONE process,
    and ``"__import__"``: (cpu s of ``import rmtedge``, 0)."""
    code = f"only = {only!r}\n" + _CHILD
    res = subprocess.run(
        [sys.executable, "-c", code], env=_env(cache), check=True, capture_output=True, text=True
    )
    return {k: tuple(v) for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--before-rev", default=ROUND_ONE,
                    help="git revision timed beside the current code ('none' to skip)")
    args = ap.parse_args()
    from rmtedge._warmup import _entry_points

    labels = [label for label, _ in _entry_points() if not args.only or label in args.only]
    rmtedge_cmd = os.path.join(os.path.dirname(sys.executable), "rmtedge")
    each: dict[str, list[tuple[float, float]]] = {}
    alone: dict[str, list[float]] = {}
    together: list[tuple[float, float]] = []
    # round one against now, import + first calls of the entry points round one had, one process
    together_r1: list[tuple[float, float, int]] = []
    warm: dict[str, list[float]] = {}
    ref: list[float] = []
    imp_now: dict[str, list[float]] = {}  # CPU of `import rmtedge` in each entry point's process
    old: dict[str, list[float | None]] = {}  # round one: import + first call (None: absent)
    old_tree = tempfile.TemporaryDirectory()
    have_old = args.before_rev != "none" and _export(args.before_rev, old_tree.name)
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
                res = _first_calls([label], cache)
                each.setdefault(label, []).append(res[label])
                imp_now.setdefault(label, []).append(res["__import__"][0])
            if have_old:
                with tempfile.TemporaryDirectory() as cache:
                    o = _old_first_calls(old_tree.name, [label], cache)
                    old.setdefault(label, []).append(
                        None if o[label] is None else o[label] + o["__import__"]
                    )
        with tempfile.TemporaryDirectory() as cache:  # all of them, one cold process
            first = _first_calls(labels, cache)
            imp = first.pop("__import__")[0]
            together.append((sum(v[0] for v in first.values()), sum(v[1] for v in first.values())))
            warm_run = _first_calls(labels, cache)
            warm_run.pop("__import__")
            for label, (_cpu, wall) in warm_run.items():
                warm.setdefault(label, []).append(wall)
        if have_old:
            with tempfile.TemporaryDirectory() as cache:
                o = _old_first_calls(old_tree.name, labels, cache)
                o_imp = o.pop("__import__")
                o = {k: v for k, v in o.items() if v is not None}
                together_r1.append(
                    (o_imp + sum(o.values()), imp + sum(first[k][0] for k in o), len(o))
                )
    med = statistics.median
    rmed = med(ref)
    print(f"cold start, median of {args.runs} fresh processes (empty numba cache, 1 BLAS thread)")
    print(f"reference numba workload (machine speed now): {rmed:.2f} s CPU "
          f"(runs: {', '.join(f'{x:.2f}' for x in ref)}); 'x ref' = cpu / reference")
    if have_old:
        print(f"r1 = round-one code ({args.before_rev}) on this machine in the same run, CPU s of "
              "`import rmtedge` + first call (round one imported numba, scipy and mpmath with the "
              "package, so its first calls alone would hide that cost); 'r1/now' compares the same "
              "sum for the current code; 'before' = the issue's figures (another machine)")
    print(f"{'':44s} {'cpu [s]':>8s} {'x ref':>6s} {'wall [s]':>9s} {'warm [s]':>9s} "
          f"{'before [s]':>11s} {'r1 [s]':>7s} {'r1/now':>7s}")

    def before(k: str) -> str:
        b = BEFORE.get(k)
        return "" if b is None else (f"{b[0]:.1f}" if b[0] == b[1] else f"{b[0]:.1f}-{b[1]:.1f}")

    for k, v in alone.items():
        print(f"{k:44s} {'':>8s} {'':>6s} {med(v):9.2f} {'':>9s} {before(k):>11s}")

    def r1(k: str, cpu: float) -> str:
        vals = old.get(k)
        if not vals:
            return ""
        if any(v is None for v in vals):
            return f"{'n/a':>7s}"
        o = med(vals)
        return f"{o:7.2f} {o / (cpu + med(imp_now[k])):6.1f}x"

    for k in labels:
        cpu, wall = med([c for c, _ in each[k]]), med([w for _, w in each[k]])
        print(f"{k:44s} {cpu:8.2f} {cpu / rmed:6.1f} {wall:9.2f} {med(warm[k]):9.3f} "
              f"{before(k):>11s} {r1(k, cpu)}")
    cpu, wall = med([c for c, _ in together]), med([w for _, w in together])
    print(
        f"{'all entry points, one process':44s} {cpu:8.2f} {cpu / rmed:6.1f} {wall:9.2f} "
        f"{'':>9s} {before('all entry points'):>11s}"
    )
    if together_r1:
        o, now = med([t[0] for t in together_r1]), med([t[1] for t in together_r1])
        print(
            f"{f'import + the {together_r1[0][2]} round one had, one process':44s} {now:8.2f} "
            f"{now / rmed:6.1f} {'':>9s} {'':>9s} {'':>11s} {o:7.2f} {o / now:6.1f}x"
        )

if __name__ == "__main__":
    raise SystemExit(bench_main(main))
