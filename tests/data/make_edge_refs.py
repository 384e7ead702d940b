"""Generate tests/data/edge_refs.json: mpmath references for the exact complex spectral-radius law.

Reference (Kostlan 1992, ``docs/theory.md``, "Complex Ginibre matrices"), for W = G/sqrt(n), G complex Ginibre, x = n r^2:

    log P(rho(W) <= r) = sum_{k=1}^n log P(k, x)
    log P(rho(W) >  r) = log(-expm1(sum_k log P(k, x)))

each factor taken on its small side (``log P(k, x)`` for k > x, ``log1p(-Q(k, x))`` for
k <= x), and the factors of small k dropped by the Chernoff cut of ``rmtedge.mp.edge``
(``rtol=1e-22``; independent of the float64 algorithm's cut).

* n <= 1000: ``rmtedge.mp.edge`` (one mpmath.gammainc per factor) at 50 digits; every point is
  recomputed at 70 digits without any cut and the two must agree to 1e-21 relative (the cut
  is 1e-22; the script stops otherwise).
* n >= 10^5 (one mpmath.gammainc per factor would take hours on a shared machine): the exact
  identities ``P(k-1, x) = P(k, x) + pmf(k-1)`` and ``Q(k-1, x) = Q(k, x) - pmf(k-1)``
  (``pmf(j) = x^j e^-x / j!``) run downward from mpmath.gammainc at k = n at 90 digits; every
  128th factor, and the first one of the Q side, is recomputed with mpmath.gammainc and must
  agree to 1e-45 relative (the script stops otherwise).

The radii are chosen with rmtedge's float64 law (quantiles at probabilities from 1e-5000 to
1 - 1e-5000) plus fixed radii; each radius is stored as the exact float (``float.hex``), so the
choice does not influence the reference values. Cost: a few minutes on one core.

Run: ``.venv/bin/python tests/data/make_edge_refs.py`` (writes tests/data/edge_refs.json).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import mpmath

from rmtedge.laws.radius import ExactComplexRadiusLaw
from rmtedge.mp import edge as mpedge
from rmtedge.mp.edge import _log_chernoff_neglected, _lower_p, _upper_q

NS = (1, 2, 10, 164, 1000, 10**5, 10**6)
# log probabilities of the lower tail (cdf) and of the upper tail (sf) at which radii are taken
LOG_LOWER = (-6908.0, -690.8, -23.0, math.log(0.1), math.log(0.5))
LOG_UPPER = (math.log(0.1), -23.0, -690.8, -11513.0)
FIXED_R = {
    1: (1e-160, 1e-150, 1e-3, 0.5, 1.0, 2.0, 30.0, 100.0),
    2: (1e-60, 1e-50, 0.01, 1.0, 3.0, 25.0, 80.0),
    10: (0.05, 0.3, 1.0, 1.3, 5.0, 30.0),
    164: (0.5, 0.9, 1.0, 1.1, 1.5),
    1000: (0.9, 0.98, 1.0, 1.05, 1.2),
    10**5: (1.0,),
    10**6: (1.0,),
}
DPS = 50
RTOL = "1e-22"
OUT = Path(__file__).with_name("edge_refs.json")


def checked_recurrence_logs(r: float, n: int, rtol: str, check_every: int = 128) -> tuple:
    """(log cdf, log sf) by the downward recurrences, checked against mpmath.gammainc."""
    with mpmath.workdps(90):
        x = n * mpmath.mpf(r) ** 2
        log_rtol = mpmath.log(mpmath.mpf(rtol))
        tol = mpmath.mpf("1e-45")
        total = mpmath.mpf(0)
        pmf = mpmath.exp(n * mpmath.log(x) - x - mpmath.loggamma(n + 1))  # pmf(n)
        side = None
        val = None
        for k in range(n, 0, -1):
            if k > x:
                if side is None:
                    val = _lower_p(k, x)
                    side = "P"
                elif (n - k) % check_every == 0:
                    ref = _lower_p(k, x)
                    if abs(val / ref - 1) > tol:
                        raise SystemExit(f"P recurrence check failed n={n} r={r!r} k={k}")
                total += -mpmath.log(val)
            else:
                if side != "Q":
                    val = _upper_q(k, x)
                    side = "Q"
                elif (n - k) % check_every == 0:
                    ref = _upper_q(k, x)
                    if abs(val / ref - 1) > tol:
                        raise SystemExit(f"Q recurrence check failed n={n} r={r!r} k={k}")
                total += -mpmath.log1p(-val)
                if k > 1 and _log_chernoff_neglected(k - 1, x) < log_rtol + mpmath.log(total):
                    break
            # step to k - 1: pmf(k-1) = pmf(k) k / x
            pmf = pmf * k / x
            if k - 1 > x:
                val = val + pmf
            elif side == "Q":
                val = val - pmf
            else:
                val = None  # crossing to the Q side: restart from mpmath.gammainc
                side = "crossing"
        logcdf = -total
        logsf = (
            mpmath.log1p(-mpmath.exp(-total))
            if total > mpmath.ln2
            else mpmath.log(-mpmath.expm1(-total))
        )
    return logcdf, logsf


def radii(n: int) -> list[float]:
    law = ExactComplexRadiusLaw(n)
    rs = set(FIXED_R.get(n, ()))
    for lq in LOG_LOWER:
        r = float(law.ppf(math.exp(lq))) if lq > -700 else None
        if r is None:
            import numpy as np

            from rmtedge.laws._kostlan_kernels import kostlan_quantile_array

            out = np.empty(1)
            kostlan_quantile_array(n, np.array([lq]), False, out)
            r = float(out[0])
        if r > 1e-300 and math.isfinite(r):
            rs.add(r)
    for lq in LOG_UPPER:
        import numpy as np

        from rmtedge.laws._kostlan_kernels import kostlan_quantile_array

        out = np.empty(1)
        kostlan_quantile_array(n, np.array([lq]), True, out)
        r = float(out[0])
        if math.isfinite(r) and r > 0:
            rs.add(r)
    return sorted(rs)


def main() -> None:
    only = {int(a) for a in sys.argv[1:]}
    data = json.loads(OUT.read_text()) if OUT.exists() else {"points": []}
    done = {(p["n"], p["r_hex"]) for p in data["points"]}
    data["meta"] = {
        "expression": "logcdf = sum_k log P(k, n r^2); logsf = log(-expm1(logcdf))",
        "generator": "tests/data/make_edge_refs.py (n <= 1000: rmtedge.mp.edge at dps=50; n >= 1e5: checked recurrences at dps=90; rtol=1e-22)",
        "dps": DPS,
        "rtol": RTOL,
    }
    for n in NS:
        if only and n not in only:
            continue
        for r in radii(n):
            key = (n, float.hex(r))
            if key in done:
                continue
            t0 = time.time()
            if n <= 1000:
                with mpmath.workdps(DPS):
                    lc = mpedge.spectral_radius_logcdf(r, n, dps=DPS, rtol=RTOL)
                    ls = mpedge.spectral_radius_logsf(r, n, dps=DPS, rtol=RTOL)
            else:
                lc, ls = checked_recurrence_logs(r, n, RTOL)
            if n <= 1000:
                with mpmath.workdps(70):
                    lc2 = mpedge.spectral_radius_logcdf(r, n, dps=70)
                    ls2 = mpedge.spectral_radius_logsf(r, n, dps=70)
                    for a, b in ((lc, lc2), (ls, ls2)):
                        if b != 0 and abs((a - b) / b) > mpmath.mpf("1e-21"):
                            raise SystemExit(f"precision check failed at n={n} r={r!r}: {a} {b}")
            data["points"].append(
                {
                    "n": n,
                    "r": repr(r),
                    "r_hex": float.hex(r),
                    "logcdf": mpmath.nstr(lc, 40),
                    "logsf": mpmath.nstr(ls, 40),
                }
            )
            data["points"].sort(key=lambda p: (p["n"], float.fromhex(p["r_hex"])))
            OUT.write_text(json.dumps(data, indent=1) + "\n")
            print(
                f"n={n} r={r!r} logcdf={mpmath.nstr(lc, 12)} logsf={mpmath.nstr(ls, 12)} "
                f"({time.time() - t0:.1f} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
