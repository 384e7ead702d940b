"""Generate tests/data/energy_refs.json: exact Frobenius energies e_k(n) = (1/n) E||W^k||_F^2.

Every value is an exact rational number ``E tr(G^k G^{*k}) / n^(k+1)`` computed in Python
integers by ``rmtedge.mp.energy``, then rounded to mpmath numbers at two precisions (30 and
50 digits; the script stops unless they agree to 1e-29 relative) and stored with 40
significant digits, with its natural log.

Routes (independent where both apply; the script stops on any disagreement):

* complex field: the telescoped interval-sum DP in exact integers (``complex_frobenius_trace``),
  checked against Wick's pairing enumeration (``frobenius_trace_polynomial``, k <= 6) and, for
  n <= 5, k <= 6, against the direct enumeration of the intervals;
* real field, k <= 7: Wick's pairing enumeration; checked at n = 1 against the Gaussian moment
  E g^(2k) = (2k-1)!! of a 1 x 1 matrix.

Run: ``.venv/bin/python tests/data/make_energy_refs.py`` (about a minute, one core).
"""

from __future__ import annotations

import json
import math
import time
from fractions import Fraction
from pathlib import Path

import mpmath

from rmtedge.mp import energy as mpe

COMPLEX_POINTS = {
    1: [*range(13), 20, 50],
    2: [0, 1, 2, 3, 5, 10, 20, 50],
    3: [0, 1, 2, 3, 5, 10, 17, 40],
    5: [0, 1, 2, 3, 4, 5, 6, 10, 22, 50],
    10: [0, 1, 2, 3, 4, 5, 6, 10, 31, 100],
    50: [0, 1, 2, 5, 7, 14, 20, 70, 150],
    100: [0, 1, 2, 5, 10, 20, 30, 50, 100],
    1000: [0, 1, 2, 6, 32, 63, 100, 200, 316],
    10000: [0, 1, 2, 6, 100, 200, 300, 632, 1000],
    100000: [0, 1, 2, 6, 50, 100],
    1000000: [0, 1, 2, 3, 4, 5, 6],
}
REAL_POINTS = {n: list(range(0, mpe.WICK_K_MAX + 1)) for n in (1, 2, 3, 5, 10, 100, 1000, 10**6)}
OUT = Path(__file__).with_name("energy_refs.json")


def _round_twice(q: Fraction) -> tuple[str, str]:
    vals = []
    logs = []
    for dps in (30, 50):
        with mpmath.workdps(dps):
            v = mpmath.mpf(q.numerator) / q.denominator
            vals.append(v)
            logs.append(mpmath.log(v))
    with mpmath.workdps(60):
        if abs(vals[0] - vals[1]) > mpmath.mpf("1e-29") * abs(vals[1]):
            raise SystemExit(f"precision check failed for {q}")
        if abs(logs[0] - logs[1]) > mpmath.mpf("1e-29") * max(1, abs(logs[1])):
            raise SystemExit(f"log precision check failed for {q}")
    with mpmath.workdps(50):
        return mpmath.nstr(vals[1], 40), mpmath.nstr(logs[1], 40)


def main() -> None:
    t0 = time.perf_counter()
    out: dict[str, list[dict[str, object]]] = {"complex": [], "real": []}
    for n, ks in COMPLEX_POINTS.items():
        traces = mpe._complex_traces(n, max(ks))
        for k in ks:
            tr = traces[k]
            if k <= 6:
                poly = mpe.frobenius_trace_polynomial(k, field="complex")
                if sum(c * n**j for j, c in enumerate(poly)) != tr:
                    raise SystemExit(f"DP != Wick at n={n}, k={k}")
            if n <= 5 and k <= 6 and mpe.complex_frobenius_trace_bruteforce(n, k) != tr:
                raise SystemExit(f"DP != brute force at n={n}, k={k}")
            if n == 1 and tr != math.factorial(k):
                raise SystemExit(f"n = 1 must give k!, k={k}")
            v, lv = _round_twice(Fraction(tr, n ** (k + 1)))
            out["complex"].append({"n": n, "k": k, "value": v, "log": lv})
        print(f"complex n={n}: done ({time.perf_counter() - t0:.1f} s)")
    for n, ks in REAL_POINTS.items():
        for k in ks:
            poly = mpe.frobenius_trace_polynomial(k, field="real")
            tr = sum(c * n**j for j, c in enumerate(poly))
            if n == 1 and tr != math.prod(range(1, 2 * k, 2)):
                raise SystemExit(f"real n = 1 must give (2k-1)!!, k={k}")
            v, lv = _round_twice(Fraction(tr, n ** (k + 1)))
            out["real"].append({"n": n, "k": k, "value": v, "log": lv})
        print(f"real n={n}: done ({time.perf_counter() - t0:.1f} s)")
    meta = {
        "generator": "tests/data/make_energy_refs.py",
        "precisions": [30, 50],
        "seconds": round(time.perf_counter() - t0, 1),
    }
    OUT.write_text(json.dumps({"meta": meta, **out}, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
