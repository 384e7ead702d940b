"""Run every benchmark in this folder, one after the other, in fresh interpreters.

Usage: ``python benchmarks/run_all.py [--only NAME ...]``. Each ``bench_*.py`` pins BLAS to one
thread, warms the JIT and prints medians and ratios against its own baseline; this script only
runs them in sequence (never in parallel: two benchmarks at once on a 2-core machine measure
each other) and reports which ones failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="*", default=None, help="benchmark names, e.g. special edge"
    )
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent
    files = sorted(here.glob("bench_*.py"))
    if args.only:
        files = [f for f in files if f.stem.removeprefix("bench_") in set(args.only)]
    failed = []
    for f in files:
        print(f"\n===== {f.name} =====", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(f)])
        print(f"===== {f.name}: exit {rc}, {time.perf_counter() - t0:.0f} s =====", flush=True)
        if rc:
            failed.append(f.name)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
