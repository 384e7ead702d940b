"""Generate tests/data/kostlan_tail_refs.json: mpmath references for the exact complex
spectral-radius law in its FAR tails (issue 15: n r^2 from 1e-600 to 1e308).

Reference (Kostlan 1992, ``docs/theory.md``, "Complex Ginibre matrices"), for W = G/sqrt(n), G complex Ginibre, x = n r^2:

    log P(rho(W) <= r) = sum_{k=1}^n log P(k, x),   log P(rho(W) > r) = log(1 - P(rho <= r)),

evaluated by :mod:`rmtedge.mp.edge` (one mpmath.gammainc per factor, each factor on its small
side, no cut: ``rtol=None``), independently of the float64 kernels (which use a closed-form sum
``pmf(n-1) sum_i (i+1)(n-1)...(n-i)/x^i`` above x = 2n + 100 and ``k log x - lgamma(k+1)``
below x = 1e-280). Every point is computed at 40 and at 80 digits; the two must agree to
1e-35 relative or the script stops. The stored values are the 80-digit ones, as decimal strings
with 30 significant digits (they may lie outside the float64 range: log sf = -1e600 at
r = 1e300; the test then expects -inf, the correctly rounded float64 value).

Radii: fixed decades from 1e-300 to 1e300, plus the two sides of the switch x = 2n + 100 of
the float64 kernel. Each radius is stored exactly (``float.hex``). Cost: about a minute.

Run: ``.venv/bin/python tests/data/make_kostlan_tail_refs.py``.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import mpmath

from rmtedge.mp import spectral_radius_logcdf, spectral_radius_logsf

NS = (1, 2, 3, 10, 100, 1000)
DECADES = (-300, -200, -150, -100, -50, -20, -5, 2, 5, 9, 10, 20, 50, 100, 150, 153, 200, 300)
OUT = Path(__file__).with_name("kostlan_tail_refs.json")


def radii(n: int) -> list[float]:
    rs = [10.0**d for d in DECADES]
    for x in (2 * n + 99.0, 2 * n + 100.0, 2 * n + 101.0, 1e19, 1e30):
        rs.append(math.sqrt(x / n))
    return rs


def main() -> None:
    points = []
    for n in NS:
        for r in radii(n):
            vals = {}
            for dps in (40, 80):
                lc = spectral_radius_logcdf(r, n, dps=dps)
                ls = spectral_radius_logsf(r, n, dps=dps)
                vals[dps] = (lc, ls)
            with mpmath.workdps(80):
                for a, b in zip(vals[40], vals[80], strict=True):
                    if b != 0 and abs(a - b) > mpmath.mpf(10) ** -35 * abs(b):
                        sys.exit(f"precision check failed at n={n}, r={r!r}: {a} vs {b}")
            lc, ls = vals[80]
            points.append(
                {
                    "n": n,
                    "r": float(r).hex(),
                    "logcdf": mpmath.nstr(lc, 30, min_fixed=1, max_fixed=0),
                    "logsf": mpmath.nstr(ls, 30, min_fixed=1, max_fixed=0),
                }
            )
            print(n, r, mpmath.nstr(lc, 12), mpmath.nstr(ls, 12), flush=True)
    OUT.write_text(
        json.dumps(
            {"source": "tests/data/make_kostlan_tail_refs.py", "dps": [40, 80], "points": points},
            indent=1,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
