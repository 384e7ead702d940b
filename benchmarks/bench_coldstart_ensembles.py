"""Cold-start cost of every public entry point of ``rmtedge.ensembles`` (issue 16).

Run: ``.venv/bin/python benchmarks/bench_coldstart_ensembles.py [--repeats 3] [--only NAME ...]``.

For each entry point, ``--repeats`` fresh Python processes each get an empty numba cache
(``NUMBA_CACHE_DIR`` set to a new temporary directory, which redirects numba's cache) and time,
with ``time.process_time`` (CPU time of the process: compiling is single-threaded, and CPU
time does not grow when other processes share the cores, wall time does), the first call of the function after ``import rmtedge`` and its
argument set-up (the import itself is not counted; it is printed separately). The median over
the processes is reported, together with the total of the medians and the cost of calling all
entry points one after the other in one cold process (kernels shared between entry points are
compiled once there). One BLAS thread.

``--recorded`` prints the before/after table measured when this script was written (below).
``--baseline PATH`` runs the same calls against another checkout (its package directory is put
first on ``PYTHONPATH``), so before and after can be printed side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

# name -> Python statement run once, cold (``rmtedge`` and ``numpy as np`` are imported)
CALLS: dict[str, str] = {
    "ginibre": "rmtedge.ginibre(10, rng=1)",
    "eigvals": "rmtedge.eigvals(10, rng=1)",
    "hessenberg_ginibre": "rmtedge.hessenberg_ginibre(10, rng=1)",
    "spectral_radius": "rmtedge.spectral_radius(10, rng=1)",
    "count_real_eigenvalues": "rmtedge.count_real_eigenvalues(10, rng=1)",
    "real_eigenvalue_density": "rmtedge.real_eigenvalue_density(0.5, 10)",
    "log_real_eigenvalue_density": "rmtedge.log_real_eigenvalue_density(0.5, 10)",
    "complex_eigenvalue_density": "rmtedge.complex_eigenvalue_density(0.5 + 0.5j, 10)",
    "log_complex_eigenvalue_density": "rmtedge.log_complex_eigenvalue_density(0.5 + 0.5j, 10)",
    "expected_real_outside": "rmtedge.expected_real_outside(1.1, 10)",
    "log_expected_real_outside": "rmtedge.log_expected_real_outside(1.1, 10)",
    "expected_nonreal_outside": "rmtedge.expected_nonreal_outside(1.1, 10)",
    "log_expected_nonreal_outside": "rmtedge.log_expected_nonreal_outside(1.1, 10)",
    "expected_real_eigenvalues": "rmtedge.expected_real_eigenvalues(10)",
    "prob_all_real": "rmtedge.prob_all_real(10)",
    "log_prob_all_real": "rmtedge.log_prob_all_real(10)",
    "real_count_distribution": "rmtedge.real_count_distribution(10)",
    "log_real_count_distribution": "rmtedge.log_real_count_distribution(10)",
    "prob_real_count": "rmtedge.prob_real_count(10, 2)",
    "eigenvalue_moment": "rmtedge.eigenvalue_moment(10, 3)",
    "log_eigenvalue_moment": "rmtedge.log_eigenvalue_moment(10, 3)",
    "hidden_state_lower_bound": "rmtedge.hidden_state_lower_bound(10, 5)",
    "log_hidden_state_lower_bound": "rmtedge.log_hidden_state_lower_bound(10, 5)",
}

# Medians (CPU s, 3 cold processes each) measured on the shared 2-core machine, 2026-12-02:
# before = main at 4ab5381, after = this branch; CPU time still varies by ~20% with the load
# (same-period rerun: expected_real_outside 8.35 -> 7.70, eigenvalue_moment 7.98 -> 7.31,
# hidden_state_lower_bound 7.55 -> 7.71). All entry points in one cold process: 13.17 -> 13.65.
RECORDED: dict[str, tuple[float, float]] = {
    "ginibre": (0.02, 0.02),
    "eigvals": (0.19, 0.15),
    "hessenberg_ginibre": (0.02, 0.02),
    "spectral_radius": (0.17, 0.15),
    "count_real_eigenvalues": (0.15, 0.16),
    "real_eigenvalue_density": (12.28, 5.27),
    "log_real_eigenvalue_density": (12.16, 5.45),
    "complex_eigenvalue_density": (13.37, 4.44),
    "log_complex_eigenvalue_density": (5.51, 4.35),
    "expected_real_outside": (10.33, 6.55),
    "log_expected_real_outside": (9.29, 7.66),
    "expected_nonreal_outside": (8.21, 6.62),
    "log_expected_nonreal_outside": (7.93, 6.53),
    "expected_real_eigenvalues": (0.24, 0.25),
    "prob_all_real": (0.25, 0.31),
    "log_prob_all_real": (0.25, 0.24),
    "real_count_distribution": (0.24, 0.25),
    "log_real_count_distribution": (0.25, 0.26),
    "prob_real_count": (0.25, 0.24),
    "eigenvalue_moment": (7.27, 7.40),
    "log_eigenvalue_moment": (7.07, 7.20),
    "hidden_state_lower_bound": (6.90, 8.82),
    "log_hidden_state_lower_bound": (6.64, 8.49),
}

_CHILD = r"""
import os, sys, time, json
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
t0 = time.process_time()
import numpy as np
import rmtedge
t1 = time.process_time()
stmts = json.loads(sys.argv[1])
out = {"import": t1 - t0}
for name, stmt in stmts:
    t = time.process_time()
    exec(stmt)
    out[name] = time.process_time() - t
print(json.dumps(out))
"""


def run_cold(pairs: list[tuple[str, str]], baseline: str | None) -> dict[str, float]:
    """Run the statements one after another in one fresh process with an empty numba cache."""
    with tempfile.TemporaryDirectory(prefix="rmtedge-cold-") as cache:
        env = dict(os.environ)
        env["NUMBA_CACHE_DIR"] = cache
        env["OPENBLAS_NUM_THREADS"] = "1"
        env["OMP_NUM_THREADS"] = "1"
        env["MKL_NUM_THREADS"] = "1"
        if baseline:
            env["PYTHONPATH"] = baseline + os.pathsep + env.get("PYTHONPATH", "")
        res = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(pairs)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--baseline", default=None, help="checkout whose package is timed instead")
    ap.add_argument("--json", default=None, help="write the medians to this file")
    ap.add_argument("--recorded", action="store_true", help="print the recorded table and exit")
    args = ap.parse_args()
    if args.recorded:
        print(f"{'entry point':32s} {'before':>8s} {'after':>8s}")
        for name, (before, after) in RECORDED.items():
            print(f"{name:32s} {before:7.2f}s {after:7.2f}s")
        return
    names = args.only or list(CALLS)
    medians: dict[str, float] = {}
    imports = []
    for name in names:
        times = []
        for _ in range(args.repeats):
            r = run_cold([(name, CALLS[name])], args.baseline)
            times.append(r[name])
            imports.append(r["import"])
        medians[name] = statistics.median(times)
        print(
            f"{name:32s} {medians[name]:7.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times)})",
            flush=True,
        )
    together = run_cold([(k, CALLS[k]) for k in names], args.baseline)
    total_together = sum(v for k, v in together.items() if k != "import")
    print(f"{'median import rmtedge':32s} {statistics.median(imports):7.2f} s")
    print(f"{'sum of the medians':32s} {sum(medians.values()):7.2f} s")
    print(f"{'all in one cold process':32s} {total_together:7.2f} s")
    print(
        f"{'worst entry point':32s} {max(medians.values()):7.2f} s ({max(medians, key=medians.get)})"
    )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"medians": medians, "together": together}, fh, indent=1)


if __name__ == "__main__":
    main()
