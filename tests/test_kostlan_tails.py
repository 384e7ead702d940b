"""The exact complex spectral-radius law far from the edge (issue 15).

Before the fix, ``spectral_radius_law(n, field="complex")`` gave NaN for ``sf``/``logsf`` once
``n r^2`` passed 2^63 (numba's ``math.floor`` returns an int64, which wrapped) and then, up to
the float64 maximum, NaN or -inf from differences of logs of size ``n r^2`` (whose ulp exceeds
700 there); ``logsf`` was -inf where the value is finite (-1e20 at n = 1, r = 1e10), and
``logsf`` was 0 below r ~ 1e-140 where it is -cdf.

Checked three ways:

1. against mpmath (``tests/data/kostlan_tail_refs.json``, made by
   ``tests/data/make_kostlan_tail_refs.py`` at 40 and 80 digits with :mod:`rmtedge.mp.edge`),
   n = 1 .. 1000, r = 1e-300 .. 1e300 and both sides of the kernel's branch switch
   ``n r^2 = 2n + 100``: relative error <= 1e-15 on every log that is itself of order one or
   larger; a log that is a tiny probability (``log sf ~ -cdf`` in the lower tail, ``log cdf ~ -sf``
   in the upper tail) is ``exp`` of the other log and inherits its absolute error: the bound
   there is 1e-15 + 2e-16 |other log| relative (measured worst: 6.1e-14 at n = 3, r = 1e-20,
   where log cdf = -548);
2. closed forms: n = 1 (``rho^2 ~ Exp(1)``: ``log sf = -r^2``, ``log pdf = log(2r) - r^2``) and
   n = 2 (``sf = e^-x (2 + x) - e^-2x (1 + x)``) at 4000 radii from 1e-300 to 1e154;
3. identities: monotone logs, ``d log sf / dr = -pdf / sf`` (finite differences) in the far
   upper tail, and ``log sf`` = -inf exactly where n r^2 overflows float64 (the correctly
   rounded value of ``-n r^2 + O(n log(n r^2))``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import mpmath
import numpy as np
import pytest

import rmtedge
from rmtedge._core.jit import python_callable
from rmtedge.laws._kostlan_kernels import kostlan_law as _kostlan_law

kostlan_law = python_callable(_kostlan_law)

REFS = json.loads((Path(__file__).parent / "data" / "kostlan_tail_refs.json").read_text())
POINTS = REFS["points"]


def _law(n):
    return rmtedge.spectral_radius_law(n, field="complex")


def _rel(f: float, ref: mpmath.mpf) -> float:
    with mpmath.workdps(40):
        return float(abs((mpmath.mpf(f) - ref) / ref))


@pytest.mark.parametrize(
    "pt", POINTS, ids=[f"n{p['n']}-r{float.fromhex(p['r']):.3g}" for p in POINTS]
)
def test_far_tails_against_mpmath(pt):
    """log cdf and log sf against 80-digit mpmath (tolerances in the module docstring)."""
    n = pt["n"]
    r = float.fromhex(pt["r"])
    law = _law(n)
    with mpmath.workdps(40):
        refs = {"logcdf": mpmath.mpf(pt["logcdf"]), "logsf": mpmath.mpf(pt["logsf"])}
    other = {"logcdf": "logsf", "logsf": "logcdf"}
    for key, ref in refs.items():
        f = float(getattr(law, key)(r))
        fr = float(ref)  # correctly rounded float64 value (-inf or -0.0 outside the range)
        if math.isinf(fr) or fr == 0.0:
            assert f == fr, (key, f, fr)
            continue
        assert math.isfinite(f), (key, f)
        tol = 1e-15
        if abs(fr) < 1e-3:  # a tiny probability: exp of the other log
            tol += 2e-16 * abs(float(refs[other[key]]))
        assert _rel(f, ref) <= tol, (key, f, mpmath.nstr(ref, 20), _rel(f, ref), tol)


def test_reference_file_covers_far_tails():
    """The references reach n r^2 = 1e603 and 1e-600 and both sides of the branch switch."""
    logx = [math.log(p["n"]) + 2 * math.log(float.fromhex(p["r"])) for p in POINTS]
    assert max(logx) > 600 * math.log(10) and min(logx) < -599 * math.log(10)
    for n in {p["n"] for p in POINTS}:
        near = [
            p
            for p in POINTS
            if p["n"] == n
            and abs(n * float.fromhex(p["r"]) * float.fromhex(p["r"]) - (2 * n + 100)) <= 1.5
        ]
        assert len(near) >= 3, n


# ---------------------------------------------------------------------------------------------
# the reproducers of issue 15


def test_issue15_reproducers():
    """NaN and -inf before the fix; values from the closed form / mpmath now."""
    law = _law(1000)
    assert law.sf(1e10) == 0.0
    # log sf = log pmf(999, x) + log T_S, x = 1e23: -x + 999 log x - lgamma(1000) + O(1e-20)
    x = 1e23
    expected = -x + 999 * math.log(x) - math.lgamma(1000.0)
    assert law.logsf(1e10) == pytest.approx(expected, rel=1e-15)
    assert rmtedge.prob_radius_exceeds_one(10, field="complex", scale_factor=1e100) == 0.0
    assert rmtedge.log_prob_radius_exceeds_one(10, field="complex", scale_factor=1e100) == (
        pytest.approx(-1e201, rel=1e-15)
    )
    assert _law(1).logsf(1e10) == -1e20
    assert _law(1).logsf(1e-150) == pytest.approx(-1e-300, rel=1e-15)
    assert _law(1).logcdf(1e-300) == pytest.approx(2 * math.log(1e-300), rel=1e-15)
    # beyond the float64 range of n r^2 the correctly rounded log sf is -inf, never NaN
    assert _law(1000).logsf(1e300) == -math.inf
    assert _law(1000).logcdf(1e300) == 0.0


def test_kernel_at_and_above_two_to_the_63():
    """The kernel itself: x from 2^62 to 1e308, no NaN, log sf = -x + (n-1) log x - lgamma(n)."""
    for n in (1, 2, 10, 1000):
        for x in (2.0**62, 2.0**63, 2.0**64, 1e19, 1e100, 1e300, 1.7e308):
            lc, ls, ld = kostlan_law(n, x, 0.0)
            expected = -x + (n - 1) * math.log(x) - math.lgamma(n)
            assert ls == pytest.approx(expected, rel=1e-15)
            assert ld == pytest.approx(expected, rel=1e-15)  # log D = log Q(n, x) ~ log pmf(n-1)
            assert lc == 0.0


# ---------------------------------------------------------------------------------------------
# closed forms at n = 1, 2

R_GRID = np.logspace(-300, 154, 4000)


def test_n1_closed_form_everywhere():
    """n = 1: rho^2 ~ Exp(1). log sf = -r^2 (exact), log cdf = log(-expm1(-r^2)),
    log pdf = log(2r) - r^2; measured <= 6e-14 / 4e-16 / 5e-16 relative (the 6e-14 is log sf
    near r = 1e-138, where sf = 1 - cdf comes from exp(log cdf), log cdf ~ -635)."""
    law = _law(1)
    r = R_GRID
    x = r * r
    ls, lc, lp = law.logsf(r), law.logcdf(r), law.logpdf(r)
    ok = x > 0
    assert np.all(np.isfinite(lc)) and np.all(np.isfinite(lp[x < 1e300]))
    rel_sf = np.abs(ls[ok] + x[ok]) / x[ok]
    assert rel_sf.max() <= 1e-13
    with np.errstate(divide="ignore"):
        ref_c = np.where(x > 1e-300, np.log(-np.expm1(-x)), 2 * np.log(r))
    big = x < 1e300
    assert np.max(np.abs(lc - ref_c)[big] / np.maximum(np.abs(ref_c[big]), 1)) <= 1e-15
    ref_p = np.log(2 * r) - x
    assert np.max(np.abs(lp - ref_p) / np.maximum(np.abs(ref_p), 1)) <= 1e-15


def test_n2_closed_form_upper_tail():
    """n = 2: sf = e^-x (2 + x) - e^-2x (1 + x), log sf = -x + log(2 + x - e^-x (1 + x)),
    relative error <= 1e-15 for r >= 1 (up to n r^2 ~ 1.8e308)."""
    law = _law(2)
    r = np.logspace(0, 153.9, 2000)
    x = 2 * r * r
    ref = -x + np.log(2 + x - np.exp(-x) * (1 + x))
    got = law.logsf(r)
    assert np.max(np.abs(got - ref) / np.abs(ref)) <= 1e-15


# ---------------------------------------------------------------------------------------------
# identities


@pytest.mark.parametrize("n", [1, 2, 3, 10, 100, 1000, 10**5])
def test_monotone_and_finite_on_600_decades(n):
    """logcdf non-decreasing, logsf non-increasing, no NaN anywhere in r = 1e-300 .. 1e300;
    logcdf finite everywhere; logsf = -inf exactly where n r^2 overflows."""
    law = _law(n)
    r = np.logspace(-300, 300, 1201)
    lc, ls, lp = law.logcdf(r), law.logsf(r), law.logpdf(r)
    assert not np.any(np.isnan(lc) | np.isnan(ls) | np.isnan(lp))
    assert np.all(lc[1:] >= lc[:-1]) and np.all(ls[1:] <= ls[:-1])
    assert np.all(np.isfinite(lc))
    with np.errstate(over="ignore"):  # the overflow is what is being located
        overflow = n * r * r == np.inf
    assert np.all(np.isfinite(ls[~overflow])) and np.all(ls[overflow] == -np.inf)
    assert np.all(law.pdf(r) >= 0)


@pytest.mark.parametrize("n", [1, 3, 50, 1000])
def test_far_upper_tail_log_derivative(n):
    """d log sf / dr = -pdf / sf (central differences in log r) from n r^2 = 2n + 100 to 1e8,
    across the branch switch; agreement to 1e-6 (the difference quotient's own error). Beyond
    n r^2 ~ 1e10 log pdf - log sf (~ log(2 n r)) is below the ulp of the logs (~ -n r^2) and
    the identity cannot be checked in float64."""
    law = _law(n)
    for x in (2 * n + 99.0, 2 * n + 101.0, 1e4 * n, 1e8):
        r = math.sqrt(x / n)
        h = 1e-7
        d = (law.logsf(r * math.exp(h)) - law.logsf(r * math.exp(-h))) / (2 * h)  # d/d log r
        expect = -r * math.exp(law.logpdf(r) - law.logsf(r))
        assert d == pytest.approx(expect, rel=1e-6), (n, x)
