"""Generate tests/data/largest_real_refs.json: mpmath references for the law of the largest real
eigenvalue of real Ginibre matrices (Ginibre scale), n = 1..10, both parities.

Two independent routes of :mod:`rmtedge.mp.largest_real`:

* ``fredholm``: the reduced Fredholm Pfaffian with the real-real kernel from its defining sums
  over the skew-orthogonal functions, Gauss-Legendre at high precision. Every point is computed
  twice -- (30 digits, 70 nodes) and (36 digits, 90 nodes, the cut at b 2 units further out) --
  and the two must agree to 1e-16 relative in cdf and in sf = 1 - cdf (the script stops
  otherwise); the stored value is the second one.
* ``pfaffian``: de Bruijn's exact Pfaffian (no Fredholm quadrature), at 45 digits, sf = 1 - cdf
  (sf >= 1e-9 at the points, so >= 35 digits survive the subtraction); all points for n <= 4, the point t = sqrt(n) for n = 5..10 (it
  costs ~n^2 quadratures per point). It must agree with ``fredholm`` to 1e-15 relative.

Also: the atom p_{n,0} = cdf(-inf) for n even (de Bruijn), and quantiles of n = 4 and 5 by
mpmath.findroot on the Fredholm cdf at 30 digits (q = 0.3 for ppf, 1e-6 for isf).

The thresholds t are chosen in the law's bulk and tails (sqrt(n) +- a few units); each is an
exact float. Cost: ~20 minutes on one core.

Run: ``.venv/bin/python tests/data/make_largest_real_refs.py`` (writes the JSON beside it); with
arguments ``odd`` / ``even`` it computes only those n and writes a partial file, and ``merge``
joins the two partial files (two processes in parallel). ``even-lean`` is ``even`` with the de
Bruijn cross-check only at t = sqrt(n) for n = 4 (all points for n = 2), none for n >= 6, and
without the atoms of n >= 6 (which the tests compare with
rmtedge.prob_real_count instead): the stored even-n part was made that way for lack of time,
after a full ``even`` run had passed the cross-check at every point of n = 2, 4 and at
t = sqrt(n) for n = 6, 8 before it was stopped.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import mpmath

from rmtedge.mp import largest_real as mlr

OUT = Path(__file__).with_name("largest_real_refs.json")
NS = range(1, 11)


def ts(n: int) -> list[float]:
    e = math.sqrt(n)
    return [round(v, 6) for v in (-2.0, 0.5, e, e + 1.5, e + 4.0)]


def fred(t: float, n: int, dps: int, nodes: int, extra: float) -> mpmath.mpf:
    with mpmath.workdps(dps + 10):
        b = max(mpmath.mpf(t), mpmath.sqrt(n)) + 12 + extra
    return mlr.largest_real_cdf(t, n, dps=dps, method="fredholm", nodes=nodes, upper=b)


def main(which: str = "all") -> None:
    if which == "merge":
        parts = [json.loads(OUT.with_suffix(f".{w}.json").read_text()) for w in ("odd", "even")]
        pts = sorted(parts[0]["points"] + parts[1]["points"], key=lambda r: (r["n"], r["t"]))
        out = dict(parts[1])
        out["points"] = pts
        out["quantiles"] = sorted(parts[0]["quantiles"] + parts[1]["quantiles"], key=lambda r: r["n"])
        OUT.write_text(json.dumps(out, indent=1) + "\n")
        return
    lean = which == "even-lean"
    if lean:
        which = "even"
    ns = [n for n in NS if which == "all" or (n % 2 == 1) == (which == "odd")]
    t0 = time.time()
    points = []
    for n in ns:
        for i, t in enumerate(ts(n)):
            a = fred(t, n, 30, 70, 0.0)
            b = fred(t, n, 36, 90, 2.0)
            with mpmath.workdps(50):
                rel_c = abs(a / b - 1)
                rel_s = abs((1 - a) / (1 - b) - 1)
            if rel_c > 1e-16 or rel_s > 1e-16:
                sys.exit(f"fredholm precision check failed n={n} t={t}: {rel_c}, {rel_s}")
            row = {"n": n, "t": t, "cdf": mpmath.nstr(b, 30), "sf": mpmath.nstr(1 - b, 25, min_fixed=-1, max_fixed=1)}
            if (n <= 2 if lean else n <= 4) or (i == 2 and not (lean and n >= 6)):
                with mpmath.workdps(50):
                    pc = mlr.largest_real_cdf(t, n, dps=45)
                    ps = 1 - pc
                with mpmath.workdps(50):
                    dc, ds = abs(pc / b - 1), abs(ps / (1 - b) - 1)
                if dc > 1e-15 or ds > 1e-15:
                    sys.exit(f"pfaffian vs fredholm failed n={n} t={t}: {dc}, {ds}")
                row["pfaffian_cdf"] = mpmath.nstr(pc, 30)
                row["pfaffian_sf"] = mpmath.nstr(ps, 25)
            points.append(row)
            print(n, t, mpmath.nstr(b, 15), f"{time.time() - t0:.0f}s", flush=True)
    atoms = {str(n): mpmath.nstr(mlr.largest_real_prob_no_real(n, dps=30), 30) for n in (2, 4, 6, 8, 10) if n in ns and not (lean and n >= 6)}
    quantiles = []
    for n in [k for k in (4, 5) if k in ns]:
        with mpmath.workdps(40):
            def cdf(t, n=n):
                return mlr.largest_real_cdf(t, n, dps=30, method="fredholm", nodes=70)

            med = mpmath.findroot(lambda t: cdf(t) - mpmath.mpf("0.3"), 1.0, tol=1e-28)
            up = mpmath.findroot(lambda t: (1 - cdf(t)) / mpmath.mpf("1e-6") - 1, math.sqrt(n) + 3.5, tol=1e-28)
        quantiles.append({"n": n, "ppf_q": 0.3, "ppf": mpmath.nstr(med, 25), "isf_q": 1e-6, "isf": mpmath.nstr(up, 25)})
        print("quantiles", n, f"{time.time() - t0:.0f}s", flush=True)
    target = OUT if which == "all" else OUT.with_suffix(f".{which}.json")
    target.write_text(json.dumps({
        "description": "largest real eigenvalue of real Ginibre (Ginibre scale): mpmath references; see make_largest_real_refs.py",
        "points": points, "prob_no_real": atoms, "quantiles": quantiles}, indent=1) + "\n")
    print("wrote", target, f"{time.time() - t0:.0f}s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "all")
