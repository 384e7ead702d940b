"""Generate tests/data/special_refs.npz: mpmath references for the incomplete gamma kernels.

Run from the repository root: ``.venv/bin/python tests/data/make_special_refs.py`` (a few
minutes, single process). For every (a, x) on the grid below we store log P, log Q, P, Q with

    P(a, x) = mpmath.gammainc(a, 0, x, regularized=True),  Q = 1 - P,

evaluated with explicit high-precision sums because mpmath.gammainc itself raises
NoConvergence for a >~ 1e5 near x ~ a:

* log prefactor  L = a log x - x - log Gamma(a + 1)                  (mpmath.loggamma)
* x <= a:  P = e^L * sum_{n >= 0} x^n / ((a + 1) ... (a + n)),        log Q = log1p(-P)
* x >  a:  Q = a e^L * K,  K Legendre's continued fraction for Gamma(a, x) e^x x^-a,
           evaluated by the modified Lentz method,                     log P = log1p(-Q)

Each value is computed at 50 and at 70 significant digits and the two must agree to 1e-40
relative (log values: absolute 1e-40 * max(1, |log|)); for a <= 1000 (where it converges) the
result is also checked against mpmath.gammainc itself. The stored floats are the 70-digit
values rounded to float64 (P, Q stored as 0.0 where they underflow float64).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import mpmath as mp
import numpy as np

ORDERS = [
    0.5,
    1.0,
    1.5,
    2.0,
    3.0,
    7.5,
    10.0,
    19.5,
    20.0,
    30.0,
    100.0,
    163.5,
    1000.0,
    1e4 + 0.5,
    1e5,
    1e6,
    1e7,
    1e8,
]
# x = a (1 + s): far lower tail .. far upper tail
S_REL = [-1 + 1e-12, -1 + 1e-6, -1 + 1e-3, -0.99, -0.9, -0.7, -0.5, -0.3, 1.0, 1.5, 3.0, 9.0, 99.0]
# x = a + z sqrt(a): the transition region on several sqrt(a) scales
Z_SQRT = [-40, -20, -10, -5, -3, -2, -1, -0.5, -0.1, 0.0, 0.1, 0.5, 1, 2, 3, 5, 10, 20, 40]
# absolute x (x = 0 is tested separately: P = 0, Q = 1)
X_ABS = [1e-300, 1e-100, 1e-10, 0.1, 1.0, 10.0]
# eta = +-1 is the edge of the region of Temme's expansion (a >= 20): x just inside and outside
ETA_EDGE = [-1.0, 1.0]


def _lambda_of_eta(eta: float) -> mp.mpf:
    """lambda with lambda - 1 - log(lambda) = eta^2/2, on the side of sign(eta)."""
    guess = 1.8 if eta > 0 else 0.4
    return mp.findroot(lambda lam: lam - 1 - mp.log(lam) - mp.mpf(eta) ** 2 / 2, guess)


def grid() -> list[tuple[float, float]]:
    pts = set()
    for a in ORDERS:
        xs = [a * (1.0 + s) for s in S_REL]
        xs += [a + z * math.sqrt(a) for z in Z_SQRT]
        xs += X_ABS
        if a >= 20:
            for eta in ETA_EDGE:
                x0 = float(a * _lambda_of_eta(eta))
                xs += [x0 * (1 - 1e-9), x0 * (1 + 1e-9)]
        for x in xs:
            if x > 0 and math.isfinite(x):
                pts.add((float(a), float(x)))
    return sorted(pts)


def _series_sum(a: mp.mpf, x: mp.mpf) -> mp.mpf:
    s = term = mp.mpf(1)
    n = 1
    eps = mp.eps
    while True:
        term = term * x / (a + n)
        s += term
        r = x / (a + n + 1)
        if r < 1 and term * r <= eps * s * (1 - r):
            return s
        n += 1


def _legendre_cf(a: mp.mpf, x: mp.mpf) -> mp.mpf:
    tiny = mp.mpf(10) ** (-mp.mp.dps * 4)
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    i = 1
    eps = mp.eps
    while True:
        an = -i * (i - a)
        b += 2
        d = an * d + b
        if abs(d) < tiny:
            d = tiny
        c = b + an / c
        if abs(c) < tiny:
            c = tiny
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < eps:
            return h
        i += 1


def ref_logpq(a: float, x: float, dps: int) -> tuple[mp.mpf, mp.mpf]:
    """(log P, log Q) at ``dps`` digits (10 guard digits inside)."""
    with mp.workdps(dps + 10):
        am, xm = mp.mpf(a), mp.mpf(x)
        lpref = am * mp.log(xm) - xm - mp.loggamma(am + 1)
        if xm <= am:
            lp = lpref + mp.log(_series_sum(am, xm))
            lq = mp.log1p(-mp.exp(lp))
        else:
            lq = lpref + mp.log(am) + mp.log(_legendre_cf(am, xm))
            lp = mp.log1p(-mp.exp(lq))
    return lp, lq


def _close(u: mp.mpf, v: mp.mpf, tol: float) -> bool:
    return abs(u - v) <= mp.mpf(tol) * max(1, abs(u))


def main() -> None:
    pts = grid()
    out = {k: np.empty(len(pts)) for k in ("a", "x", "logp", "logq", "p", "q")}
    for i, (a, x) in enumerate(pts):
        lp50, lq50 = ref_logpq(a, x, 50)
        lp, lq = ref_logpq(a, x, 70)
        with mp.workdps(80):
            assert _close(lp, lp50, 1e-40) and _close(lq, lq50, 1e-40), (a, x)
            if a <= 1000:
                p = mp.gammainc(mp.mpf(a), 0, mp.mpf(x), regularized=True)
                q = mp.gammainc(mp.mpf(a), mp.mpf(x), mp.inf, regularized=True)
                assert _close(mp.log(p), lp, 1e-35) and _close(mp.log(q), lq, 1e-35), (a, x)
            out["a"][i], out["x"][i] = a, x
            out["logp"][i], out["logq"][i] = float(lp), float(lq)
            out["p"][i], out["q"][i] = float(mp.exp(lp)), float(mp.exp(lq))
        if i % 50 == 0:
            print(f"{i}/{len(pts)} a={a:g} x={x:g}", file=sys.stderr, flush=True)
    path = Path(__file__).with_name("special_refs.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(pts)} points to {path}")


if __name__ == "__main__":
    main()
