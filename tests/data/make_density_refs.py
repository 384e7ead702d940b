"""Generate tests/data/density_refs.json: mpmath references for tests/test_densities.py.

Run from the repository root (it takes a while: the counts need mpmath.quad with an mpmath
incomplete gamma at every node, tens of milliseconds each at n ~ 10^6):

    .venv/bin/python tests/data/make_density_refs.py            # all references
    .venv/bin/python tests/data/make_density_refs.py --quick    # densities only

Every value is computed with the high-precision back end :mod:`rmtedge.mp.densities`
(written straight from the papers) at ``DPS`` = 40 digits and again at ``DPS_CHECK`` = 50
digits; the file keeps the natural log of the 40-digit value as a decimal string with 30
significant digits and the relative difference between the two precisions (``"check"``).
The mp expressions are (Ginibre scale; Glorot points are x -> sqrt(n) x, densities times
sqrt(n) on the line and n in the plane):

* ``real_density``: Q(n-1, x^2)/sqrt(2 pi) + |x|^(n-1) e^(-x^2/2) P((n-1)/2, x^2/2)
  / (Gamma(n/2) 2^(n/2))  (Edelman-Kostlan-Shub 1994, Cor. 4.3; standard normal for n = 1);
* ``complex_density`` field real: sqrt(2/pi) |y| e^(2 y^2) erfc(sqrt 2 |y|) Q(n-1, |z|^2)
  (Edelman 1997, Thm 6.2, with e^(-s) e_(n-2)(s) = Q(n-1, s)); field complex: Q(n, |z|^2)/pi;
* ``real_outside``: 2 int_R^inf rho_n(x) dx (mpmath.quad);
* ``nonreal_outside`` field real: int_R^inf 2 s (1 - erfcx(sqrt 2 s)) Q(n-1, s^2) ds
  (mpmath.quad); field complex: n Q(n+1, R^2) - R^2 Q(n, R^2).

Points are Glorot-scale floats (stored with repr, so they round-trip exactly).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import mpmath

from rmtedge.mp import densities as mpd

DPS = 40
DPS_CHECK = 50
OUT = Path(__file__).with_name("density_refs.json")

NS = [1, 2, 3, 5, 10, 100, 1000, 10**4, 10**5, 10**6]


def real_points(n: int) -> list[float]:
    pts = [0.0, 1e-9, 0.3, -0.7, 0.9, 1.0, 1.2, 1.5, 2.0, 3.0]
    if n >= 2:
        pts += [1.0 + c / math.sqrt(n) for c in (-3.0, -1.0, 1.0, 3.0, 6.0)]
    if n >= 100:
        pts += [1.0 + 20.0 / math.sqrt(n)]
    return sorted(set(pts), key=abs)


def complex_points(n: int) -> list[complex]:
    c = 1.0 / math.sqrt(n)
    pts = [
        0j,
        0.5 + 0j,  # real axis: 0 for the real field
        0.4 + 1e-10j,  # next to the real axis
        -0.3 + 0.2 * c * 1j,
        0.1 + 0.6j,
        0.6 - 0.6j,
        complex(math.cos(1.0), math.sin(1.0)),  # |z| = 1
        1.5j,
        2.0 + 2.0j,  # far tail
    ]
    for t in (-2.0, 2.0, 5.0):
        rad = 1.0 + t * c
        pts.append(complex(rad * math.cos(0.7), rad * math.sin(0.7)))
    return pts


def radius_points(n: int) -> list[float]:
    if n >= 10**5:
        return [0.0, 1.0, 1.0 + 3.0 / math.sqrt(n), 1.5]
    pts = [0.0, 0.5, 1.0, 1.3, 3.0]
    if n >= 2:
        pts += [1.0 - 2.0 / math.sqrt(n), 1.0 + 2.0 / math.sqrt(n), 1.0 + 5.0 / math.sqrt(n)]
    return sorted(set(pts))


def log_str(v) -> str:
    if v == 0:
        return "-inf"
    return mpmath.nstr(mpmath.log(v), 30)


def record(kind: str, n: int, point, fn, check: bool, **kw) -> dict:
    t0 = time.time()
    v = fn(point, n, dps=DPS, **kw)
    entry = {"kind": kind, "n": n, "log_value": log_str(v), **kw}
    if isinstance(point, complex):
        entry["z"] = [repr(point.real), repr(point.imag)]
    else:
        entry["x"] = repr(point)
    if check:
        v2 = fn(point, n, dps=DPS_CHECK, **kw)
        with mpmath.workdps(DPS):
            rel = abs(v - v2) / abs(v2) if v2 != 0 else abs(v - v2)
        entry["check"] = mpmath.nstr(rel, 3)
    entry["seconds"] = round(time.time() - t0, 2)
    return entry


def main() -> None:
    quick = "--quick" in sys.argv
    out: list[dict] = []
    if OUT.exists():
        out = [e for e in json.loads(OUT.read_text())["refs"]]
    done = {
        (e["kind"], e["n"], e.get("x"), tuple(e.get("z", ())), e.get("field"), e.get("scale"))
        for e in out
    }

    def add(e: dict) -> None:
        key = (e["kind"], e["n"], e.get("x"), tuple(e.get("z", ())), e.get("field"), e.get("scale"))
        if key not in done:
            out.append(e)
            done.add(key)
            OUT.write_text(json.dumps({"dps": DPS, "dps_check": DPS_CHECK, "refs": out}, indent=0))
            print(e, flush=True)

    def todo(kind, n, point, field=None, scale="glorot") -> bool:
        x = repr(point) if not isinstance(point, complex) else None
        z = (repr(point.real), repr(point.imag)) if isinstance(point, complex) else ()
        return (kind, n, x, z, field, scale) not in done

    for n in NS:
        for x in real_points(n):
            if todo("real_density", n, x, scale="glorot"):
                add(record("real_density", n, x, mpd.real_eigenvalue_density, True, scale="glorot"))
        for z in complex_points(n):
            for field in ("real", "complex"):
                if todo("complex_density", n, z, field, "glorot"):
                    add(
                        record(
                            "complex_density",
                            n,
                            z,
                            mpd.complex_eigenvalue_density,
                            True,
                            field=field,
                            scale="glorot",
                        )
                    )
    # a few Ginibre-scale points
    for n, x in ((7, 2.5), (50, 8.0), (1000, 40.0)):
        if todo("real_density", n, x, scale="ginibre"):
            add(record("real_density", n, x, mpd.real_eigenvalue_density, True, scale="ginibre"))
    if quick:
        return
    # counts: quadrature of the densities for n <= 1000, the series / Fubini forms above (much
    # faster; they are compared with the quadrature in tests/test_densities.py)
    for n in NS:
        big = n > 1000
        for r in radius_points(n):
            check = n <= 100
            if todo("real_outside", n, r, scale="glorot"):
                fn = real_outside_series if big else mpd.expected_real_outside
                add(record("real_outside", n, r, fn, check, scale="glorot"))
            for field in ("real", "complex"):
                if todo("nonreal_outside", n, r, field, "glorot"):
                    fn = (
                        nonreal_outside_fubini
                        if big and field == "real"
                        else mpd.expected_nonreal_outside
                    )
                    add(record("nonreal_outside", n, r, fn, check, field=field, scale="glorot"))


def real_outside_series(r, n, dps, scale):
    return mpd.expected_real_outside(r, n, dps=dps, scale=scale, method="series")


def nonreal_outside_fubini(r, n, dps, field, scale):
    return mpd.expected_nonreal_outside(r, n, dps=dps, field=field, scale=scale, method="fubini")


if __name__ == "__main__":
    main()
