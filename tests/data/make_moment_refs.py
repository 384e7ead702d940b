"""Generate tests/data/moment_refs.json: mpmath references for the real-field eigenvalue moments.

For W = G/sqrt(n), G real Ginibre, m_k(n) = (1/n) E sum_i |lambda_i(W)|^(2k) is split into

    line_k(n)  = n^-(k+1) int_R x^(2k) rho_n(x) dx                (Edelman-Kostlan-Shub, Cor. 4.3)
    plane_k(n) = n^-(k+1) int_C |z|^(2k) rho^c_n(z) dA(z)         (Edelman 1997, Thm 6.2)

and each part is computed twice, by independent routes of ``rmtedge.mp.moments``:

* line: ``mpmath.quad`` of x^(2k) times the EKS density at 50 digits, and the term-by-term
  closed form (Gamma functions and ``mpmath.hyp2f1``) at 60 digits;
* plane: the radial quadrature (angle in closed form, A(s) = 1 - erfcx(sqrt 2 s)) at 50 and at
  60 digits (the layout of the quadrature is the same, the node values and the tanh-sinh
  degrees are not); and for n in NESTED the two-dimensional quadrature of Edelman's density as
  written (inner ``mpmath.quad`` over the angle) at 20 digits, which checks the closed form of
  the angular integral.

The script stops unless the two 50/60-digit routes agree to 1e-45 relative and the nested
route agrees with the radial one to 1e-17. Stored values: the 50-digit quad results (40
significant digits), the relative differences found, and the run times.

Run: ``.venv/bin/python tests/data/make_moment_refs.py`` (writes tests/data/moment_refs.json after
the radial stage, then again after each n of the nested stage; ``--nested-only`` reruns only
the nested stage on the existing file).
Cost: about 15 minutes for the radial and line points and several minutes per n for the nested
route (one core, mpmath without gmpy).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import mpmath

from rmtedge.mp import moments as mpm

# n -> orders k: the brief's grid {0, 1, 2, 5, 10, 20} plus k ~ sqrt(n) .. 10 sqrt(n)
POINTS = {
    1: [0, 1, 2, 5, 10, 20],
    2: [0, 1, 2, 5, 10, 14, 20],
    3: [0, 1, 2, 5, 10, 17, 20],
    5: [0, 1, 2, 5, 10, 20, 22],
    10: [0, 1, 2, 5, 10, 20, 31],
    50: [0, 1, 2, 5, 7, 10, 20, 70],
    100: [0, 1, 2, 5, 10, 20, 50, 100],
    1000: [0, 10, 32, 100, 316],
}
NESTED = {2: [0, 1, 2, 5], 3: [0, 1, 5], 5: [0, 2, 10], 10: [0, 1, 5]}
DPS, DPS_CHECK, DPS_NESTED = 50, 60, 20
TOL_CHECK, TOL_NESTED = mpmath.mpf("1e-45"), mpmath.mpf("1e-17")
OUT = Path(__file__).with_name("moment_refs.json")


def rel(a, b):
    with mpmath.workdps(80):
        return abs(a - b) / abs(b) if b != 0 else abs(a - b)


def plane(n, ks, dps, method):
    with mpmath.workdps(dps + 10):
        vals = mpm._plane_parts(n, ks, dps, method)
    with mpmath.workdps(dps):
        return [+v for v in vals]


def radial_stage() -> list:
    records = []
    for n, ks in POINTS.items():
        t0 = time.perf_counter()
        plane50 = plane(n, ks, DPS, "radial")
        plane60 = plane(n, ks, DPS_CHECK, "radial")
        t1 = time.perf_counter()
        for k, p50, p60 in zip(ks, plane50, plane60, strict=True):
            line50 = mpm.real_line_moment_part(n, k, dps=DPS, method="quad")
            line60 = mpm.real_line_moment_part(n, k, dps=DPS_CHECK, method="closed")
            d_line, d_plane = rel(line50, line60), rel(p50, p60) if n > 1 else mpmath.mpf(0)
            if d_line > TOL_CHECK or d_plane > TOL_CHECK:
                raise SystemExit(f"FAIL n={n} k={k}: line {d_line}, plane {d_plane}")
            with mpmath.workdps(DPS):
                total = line50 + p50
            records.append(
                {
                    "n": n,
                    "k": k,
                    "m": mpmath.nstr(total, 40, strip_zeros=False),
                    "line": mpmath.nstr(line50, 40, strip_zeros=False),
                    "plane": mpmath.nstr(p50, 40, strip_zeros=False) if n > 1 else "0",
                    "rel_diff_line_quad50_closed60": float(d_line),
                    "rel_diff_plane_radial50_radial60": float(d_plane),
                }
            )
        print(
            f"n={n}: {len(ks)} orders, plane {t1 - t0:.1f} s, total {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
    return records


def nested_stage(records: list) -> None:
    by_key = {(r["n"], r["k"]): r for r in records}
    for n, ks in NESTED.items():
        t0 = time.perf_counter()
        nested = plane(n, ks, DPS_NESTED, "nested")
        for k, v in zip(ks, nested, strict=True):
            with mpmath.workdps(DPS):  # parse the stored 40 digits at full precision
                ref = mpmath.mpf(by_key[(n, k)]["plane"])
            d = rel(v, ref)
            if d > TOL_NESTED:
                raise SystemExit(f"FAIL nested n={n} k={k}: {d}")
            by_key[(n, k)]["rel_diff_plane_nested20_radial50"] = float(d)
        print(f"nested n={n}: {time.perf_counter() - t0:.1f} s", flush=True)
        write(records)  # checkpoint: the nested stage is the slow one


def write(records: list) -> None:
    doc = {
        "description": "real-field eigenvalue moments m_k(n) = line + plane of Glorot matrices; "
        "see make_moment_refs.py for the routes and the agreement required",
        "dps": DPS,
        "generator": "tests/data/make_moment_refs.py",
        "mpmath": mpmath.__version__,
        "points": records,
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--nested-only",
        action="store_true",
        help="rerun only the nested stage on the existing file",
    )
    args = parser.parse_args()
    if args.nested_only:
        records = json.loads(OUT.read_text())["points"]
    else:
        records = radial_stage()
        write(records)
        print(f"wrote {OUT} ({len(records)} points, radial stage)", flush=True)
    nested_stage(records)
    print(f"wrote {OUT} ({len(records)} points, with the nested checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
