"""Tests of the private special-function kernels in rmtedge/_special.py.

References are mpmath at >= 40 digits. The incomplete-gamma references for the full grid
(a = 0.5 .. 1e8, lower tail .. transition .. upper tail) are precomputed by
tests/data/make_special_refs.py into tests/data/special_refs.npz (50- and 70-digit values that
agree, cross-checked with mpmath.gammainc where it converges); everything else is computed
here with mpmath at 50 digits.

The contract asked of the kernels is a relative error <= 1e-13 for P, Q where they are normal
floats and an absolute error <= 1e-13 * max(1, |log|) for log P, log Q. We assert the measured
accuracy instead (~20x tighter, a few times the worst error seen), so a regression shows up
long before the contract is broken.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rmtedge._core import _temme_table, ufuncs
from rmtedge._core import doubledouble as _doubledouble
from rmtedge._core import elementary as _elementary
from rmtedge._core import erf as _erf
from rmtedge._core import incgamma as _incgamma
from rmtedge._core.jit import python_callable

doubledouble, elementary, erf, incgamma = python_callable(
    _doubledouble, _elementary, _erf, _incgamma
)

mp.mp.dps = 50

DATA = Path(__file__).with_name("data")
TINY = 2.2250738585072014e-308  # smallest normal float64

# measured worst cases on the reference grid: 2.6e-15 (values), 1.2e-15 (logs)
VALUE_RTOL = 1e-14
LOG_TOL = 5e-15


@pytest.fixture(scope="module")
def refs() -> dict[str, np.ndarray]:
    with np.load(DATA / "special_refs.npz") as d:
        return {k: d[k] for k in d.files}


def _log_err(got: np.ndarray, ref: np.ndarray) -> np.ndarray:
    err = np.abs(got - ref) / np.maximum(1.0, np.abs(ref))
    err[got == ref] = 0.0  # both -inf or both 0
    return err


# ---------------------------------------------------------------------------------------------
# incomplete gamma against the precomputed mpmath grid
# ---------------------------------------------------------------------------------------------


def test_reference_grid_covers_the_spec(refs: dict[str, np.ndarray]) -> None:
    """The stored grid spans every order asked for, both tails and the transition."""
    orders = set(refs["a"].tolist())
    for a in [0.5, 1, 1.5, 2, 3, 7.5, 10, 30, 100, 163.5, 1000, 1e4 + 0.5, 1e5, 1e6, 1e7, 1e8]:
        assert a in orders
    assert refs["logp"].min() < -1e7  # deep lower tail (P ~ 10^-5e6 and below)
    assert refs["logq"].min() < -1e7  # deep upper tail
    assert np.any(refs["x"] == 1e-300)
    assert len(refs["a"]) > 600


def test_log_gammainc_vs_mpmath_grid(refs: dict[str, np.ndarray]) -> None:
    """log P, log Q against mpmath (gammainc(a, 0, x, regularized=True), 70 digits): abs error
    <= LOG_TOL * max(1, |log|) on the whole grid, including where P or Q underflows."""
    a, x = refs["a"], refs["x"]
    err_p = _log_err(ufuncs.log_gammainc_p_vec(a, x), refs["logp"])
    err_q = _log_err(ufuncs.log_gammainc_q_vec(a, x), refs["logq"])
    worst = np.argmax(np.maximum(err_p, err_q))
    assert err_p.max() <= LOG_TOL, (a[worst], x[worst], err_p.max())
    assert err_q.max() <= LOG_TOL, (a[worst], x[worst], err_q.max())


def test_gammainc_values_vs_mpmath_grid(refs: dict[str, np.ndarray]) -> None:
    """P, Q against mpmath: relative error <= VALUE_RTOL wherever the reference is normal
    (down to 2.2e-308: the exp of the log is taken in double-double), 0 where it underflows
    below the subnormals."""
    a, x = refs["a"], refs["x"]
    for got, ref in (
        (ufuncs.gammainc_p_vec(a, x), refs["p"]),
        (ufuncs.gammainc_q_vec(a, x), refs["q"]),
    ):
        normal = ref >= TINY
        rel = np.abs(got[normal] - ref[normal]) / ref[normal]
        assert rel.max() <= VALUE_RTOL, (a[normal][np.argmax(rel)], x[normal][np.argmax(rel)])
        assert np.all(got[ref == 0.0] < TINY)
        assert np.all((got >= 0.0) & (got <= 1.0))


@pytest.mark.parametrize("a", [0.5, 1.0, 7.5, 163.5, 1000.0, 1e4 + 0.5])
def test_log_gammainc_vs_mpmath_gammainc(a: float) -> None:
    """Spot check against mpmath.gammainc itself (not the generator's sums), a <= 1e4."""
    for x in [1e-300, 0.3 * a, 0.9 * a, a, a + 2 * math.sqrt(a), 3 * a + 10]:
        p = mp.gammainc(mp.mpf(a), 0, mp.mpf(x), regularized=True)
        q = mp.gammainc(mp.mpf(a), mp.mpf(x), mp.inf, regularized=True)
        lp, lq = incgamma.log_gammainc_pq(a, x)
        assert abs(lp - mp.log(p)) <= LOG_TOL * max(1, abs(mp.log(p))), x
        assert abs(lq - mp.log(q)) <= LOG_TOL * max(1, abs(mp.log(q))), x


def test_poisson_log_probability_huge_order() -> None:
    """log P(1e6, 10) = log Prob(Poisson(10) >= 1e6) (about -1.05e7)."""
    ref = mp.log(mp.gammainc(mp.mpf(10**6), 0, 10, regularized=True))
    got = incgamma.log_gammainc_p(1e6, 10.0)
    assert -1.1e7 < got < -1.0e7
    assert abs(got - ref) <= LOG_TOL * abs(ref)


# ---------------------------------------------------------------------------------------------
# special values and domain
# ---------------------------------------------------------------------------------------------


def test_edge_values() -> None:
    """Limits at x = 0 and inf, a = inf; NaN for NaN or out-of-domain arguments."""
    nan, inf = math.nan, math.inf
    assert incgamma.log_gammainc_pq(2.0, 0.0) == (-inf, 0.0)
    assert incgamma.log_gammainc_pq(2.0, inf) == (0.0, -inf)
    assert incgamma.log_gammainc_pq(inf, 5.0) == (-inf, 0.0)
    assert (incgamma.gammainc_p(2.0, 0.0), incgamma.gammainc_q(2.0, 0.0)) == (0.0, 1.0)
    assert (incgamma.gammainc_p(2.0, inf), incgamma.gammainc_q(2.0, inf)) == (1.0, 0.0)
    for a, x in [(nan, 1.0), (1.0, nan), (-1.0, 1.0), (0.0, 1.0), (1.0, -1.0), (inf, inf)]:
        assert all(math.isnan(v) for v in incgamma.log_gammainc_pq(a, x)), (a, x)
        assert math.isnan(incgamma.gammainc_p(a, x)) and math.isnan(incgamma.gammainc_q(a, x))
    assert math.isnan(incgamma.log_gamma_prefactor(-1.0, 1.0))
    assert incgamma.log_gamma_prefactor(3.0, 0.0) == -inf
    assert incgamma.log_gamma_prefactor(3.0, inf) == -inf
    assert math.isnan(elementary.stirling_corr(0.0)) and elementary.stirling_corr(inf) == 0.0
    assert (
        math.isnan(elementary.log1pmx(-1.5))
        and elementary.log1pmx(-1.0) == -inf
        and elementary.log1pmx(inf) == -inf
    )
    assert elementary.log1pmx(0.0) == 0.0
    assert erf.erfcx(-30.0) == inf and erf.erfcx(inf) == 0.0 and math.isnan(erf.erfcx(nan))
    assert elementary.log1mexp(0.0) == -inf and math.isnan(elementary.log1mexp(1.0))
    assert elementary.log1mexp(-inf) == 0.0
    assert math.isnan(erf.log_erf(-1.0)) and erf.log_erf(0.0) == -inf and erf.log_erf(inf) == 0.0
    assert erf.log_erfc(-inf) == math.log(2.0) and erf.log_erfc(inf) == -inf


@pytest.mark.parametrize("x", [1e-300, 1e-100, 1e-20])
def test_tiny_x(x: float) -> None:
    """x -> 0: log P(a, x) = a log x - lgamma(a + 1) + log(1 + x/(a + 1) + ...) and
    log Q = log(1 - P) = -P."""
    for a in [0.5, 1.5, 30.0, 1e7]:
        ref = a * mp.log(x) - mp.loggamma(a + 1) + mp.log1p(mp.mpf(x) / (a + 1))
        lp, lq = incgamma.log_gammainc_pq(a, x)
        assert abs(lp - ref) <= LOG_TOL * abs(ref)
        ref_q = mp.log1p(-mp.exp(ref))
        assert abs(lq - ref_q) <= 1e-15 * abs(ref_q) + 1e-320  # -P or -0.0 once P underflows


# ---------------------------------------------------------------------------------------------
# identities
# ---------------------------------------------------------------------------------------------

GRID = [
    (a, a * f) for a in [0.5, 1.5, 3.0, 19.5, 20.0, 250.0, 1e5] for f in [0.1, 0.7, 1.0, 1.3, 3.0]
]


@pytest.mark.parametrize(("a", "x"), GRID)
def test_identity_p_plus_q(a: float, x: float) -> None:
    """Identity P(a, x) + Q(a, x) = 1 (both computed, one of them as the complement)."""
    assert abs(incgamma.gammainc_p(a, x) + incgamma.gammainc_q(a, x) - 1.0) <= 2.3e-16
    lp, lq = incgamma.log_gammainc_pq(a, x)
    assert abs(math.exp(lp) + math.exp(lq) - 1.0) <= 4.5e-16


@pytest.mark.parametrize(("a", "x"), GRID)
def test_identity_recurrence_in_a(a: float, x: float) -> None:
    """Recurrence P(a + 1, x) = P(a, x) - x^a e^{-x} / Gamma(a + 1) (DLMF 8.8.11, integration by
    parts), in value space where P(a + 1, x) is not tiny against the prefactor."""
    p0 = incgamma.gammainc_p(a, x)
    pref = math.exp(incgamma.log_gamma_prefactor(a, x))
    p1 = incgamma.gammainc_p(a + 1.0, x)
    assert abs(p1 - (p0 - pref)) <= 4 * VALUE_RTOL * max(p0, 1e-300)
    # the same identity for Q: Q(a + 1, x) = Q(a, x) + prefactor
    q0, q1 = incgamma.gammainc_q(a, x), incgamma.gammainc_q(a + 1.0, x)
    assert abs(q1 - (q0 + pref)) <= 4 * VALUE_RTOL * q1


def test_identity_recurrence_in_log_space_huge_order() -> None:
    """log Q(a + 1, x) = logaddexp(log Q(a, x), log prefactor(a, x)) at a ~ x ~ 1e7 (the same
    recurrence in log space, where values underflow), to 4 ulp of the log."""
    for a in [1e7, 1e7 + 0.5]:
        for z in [-40.0, -3.0, 0.0, 3.0, 40.0]:
            x = a + z * math.sqrt(a)
            lhs = incgamma.log_gammainc_q(a + 1.0, x)
            rhs = elementary.logaddexp(
                incgamma.log_gammainc_q(a, x), incgamma.log_gamma_prefactor(a, x)
            )
            assert abs(lhs - rhs) <= 1e-15 * max(1.0, abs(lhs)), (a, z)


@pytest.mark.parametrize("x", [1e-10, 0.01, 0.3, 1.0, 2.5, 10.0, 100.0, 700.0])
def test_half_integer_orders_reduce_to_erf(x: float) -> None:
    """Identities P(1/2, x) = erf(sqrt x), Q(1/2, x) = erfc(sqrt x),
    Q(3/2, x) = erfc(sqrt x) + 2 sqrt(x/pi) e^{-x} (DLMF 8.4.6, 8.8.2)."""
    r = mp.sqrt(mp.mpf(x))
    refs = {
        "P(0.5)": (incgamma.gammainc_p(0.5, x), mp.erf(r)),
        "Q(0.5)": (incgamma.gammainc_q(0.5, x), mp.erfc(r)),
        "Q(1.5)": (incgamma.gammainc_q(1.5, x), mp.erfc(r) + 2 * r / mp.sqrt(mp.pi) * mp.exp(-x)),
        "P(1.5)": (incgamma.gammainc_p(1.5, x), mp.erf(r) - 2 * r / mp.sqrt(mp.pi) * mp.exp(-x)),
    }
    for name, (got, ref) in refs.items():
        assert abs(got - ref) <= VALUE_RTOL * ref, name


@pytest.mark.parametrize("k", [0, 1, 5, 40])
def test_poisson_cdf_identity(k: int) -> None:
    """Identity Q(k + 1, x) = e^{-x} sum_{j <= k} x^j / j! (Poisson CDF), exact sum in mpmath."""
    for x in [0.5, float(k) + 0.5, 3.0 * k + 7.0]:
        ref = mp.exp(-x) * mp.fsum(mp.mpf(x) ** j / mp.factorial(j) for j in range(k + 1))
        assert abs(incgamma.gammainc_q(k + 1.0, x) - ref) <= VALUE_RTOL * ref


@pytest.mark.parametrize("x", [1e-12, 0.3, 1.0, 7.5, 400.0, 2.0e4])
@pytest.mark.parametrize("s0", [0.0, 0.5])
def test_log_gammainc_run_vs_mpmath(x: float, s0: float) -> None:
    """A run of orders s0 + k (the exact real radius law's use): log P and log Q of every order
    against mpmath (40 digits), both runs (orders below and above x) and a start inside the
    range. Measured: |error of the log| <= 8.5e-16 * max(1, |log|) (worst at x = 2e4: 9.9e-13
    on a log of -1180); bound 2e-15 * max(1, |log|)."""
    k_top = int(x + 12 * math.sqrt(x) + 30)
    k_first = 1 if s0 == 0.0 else 0
    for k0 in (k_first, max(k_first, int(x - 3 * math.sqrt(x)))):
        lp = np.empty(k_top - k0 + 1)
        lq = np.empty(k_top - k0 + 1)
        incgamma.log_gammainc_run(x, s0, k0, k_top, lp, lq)
        ks = {k0, k0 + 1, int(x), int(x) + 1, int(x + 4 * math.sqrt(x)), k_top}
        for k in sorted(k for k in ks if k0 <= k <= k_top):
            a = mp.mpf(s0 + k)
            with mp.workdps(40):
                refs = (
                    mp.log(mp.gammainc(a, 0, x, regularized=True)),
                    mp.log(mp.gammainc(a, x, mp.inf, regularized=True)),
                )
            tol = 2e-15
            for got, ref in zip((lp[k - k0], lq[k - k0]), refs, strict=True):
                assert abs(got - ref) <= tol * max(1.0, abs(ref)), (k0, k, got, float(ref))


def test_log_gammainc_run_identities() -> None:
    """P + Q = 1 along the run, Q increasing and P decreasing in the order, the two runs meet
    without a jump at a ~ x (the single-order routine on both sides), nothing is written for an
    empty run, and x = 0, inf, NaN give the limits (NaN)."""
    x = 250.0
    lp = np.empty(600)
    lq = np.empty(600)
    incgamma.log_gammainc_run(x, 0.0, 1, 600, lp, lq)
    assert np.all(np.abs(np.exp(lp) + np.exp(lq) - 1.0) <= 4e-16)
    assert np.all(np.diff(lq) > 0) and np.all(np.diff(lp) < 0)
    for k in (249, 250, 251, 252):
        ref = incgamma.log_gammainc_pq(float(k), x)
        assert abs(lp[k - 1] - ref[0]) <= 1e-14 and abs(lq[k - 1] - ref[1]) <= 1e-14
    out = np.full(2, 7.0)
    incgamma.log_gammainc_run(x, 0.5, 5, 4, out, out)
    assert np.all(out == 7.0)
    # the limits: x = 0 (an underflowed R^2 / 2 in the exact real law), x = inf; NaN stays NaN
    lp, lq = np.empty(3), np.empty(3)
    for xv, want in ((0.0, (-math.inf, 0.0)), (math.inf, (0.0, -math.inf))):
        incgamma.log_gammainc_run(xv, 0.5, 0, 2, lp, lq)
        assert np.all(lp == want[0]) and np.all(lq == want[1]), xv
    incgamma.log_gammainc_run(math.nan, 0.0, 1, 3, lp, lq)
    assert np.all(np.isnan(lp)) and np.all(np.isnan(lq))


# ---------------------------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x", [-0.999, -0.75, -0.5, -1e-3, -1e-9, 1e-100, 1e-9, 0.1, 0.5, 1.0, 1.5, 10.0, 1e6, 1e300]
)
def test_log1pmx_vs_mpmath(x: float) -> None:
    """log1pmx(x) = log(1 + x) - x to 2 ulp relative (full accuracy near 0)."""
    with mp.workdps(450):  # log1p(x) - x cancels ~2 log10(1/|x|) digits
        ref = mp.log1p(mp.mpf(x)) - mp.mpf(x)
    assert abs((elementary.log1pmx(x) - ref) / ref) <= 4.5e-16


def test_log1pmx_double_double_vs_mpmath() -> None:
    """The double-double log1pmx behind the prefactor: relative error <= 2e-17 on (-0.75, 5]."""
    for t in np.concatenate([np.linspace(-0.74, 5.0, 301), [-0.5, 1.0, 1e-3, -1e-7, 1e-12]]):
        h, lo = elementary.log1pmx_dd(float(t), 0.0)
        ref = mp.log1p(mp.mpf(t)) - mp.mpf(t)
        assert abs((mp.mpf(h) + lo - ref) / ref) <= 2e-17, t


@pytest.mark.parametrize("v", [5e-324, 1e-300, 0.5, 0.7071, 0.99999, 1.0, 1.0000001, 3.0, 1e300])
def test_log_double_double_vs_mpmath(v: float) -> None:
    """The double-double log: |hi + lo - log v| <= 4e-18 * max(1, |log v|) (measured 3e-18)."""
    h, lo = elementary.log_dd(v)
    ref = mp.log(mp.mpf(v))
    assert abs(mp.mpf(h) + lo - ref) <= 4e-18 * max(1, abs(ref))


@pytest.mark.parametrize(
    "a", [0.5, 0.9, 1.0, 2.5, 9.0, 9.999, 10.0, 10.001, 11.0, 37.5, 1e3, 1e8, 1e15]
)
def test_stirling_corr_vs_mpmath(a: float) -> None:
    """stirling_corr(a) = lgamma(a) - [(a - 1/2) log a - a + log(2 pi)/2], both sides of the
    switch a = 10 (series above, upward recurrence below)."""
    am = mp.mpf(a)
    ref = mp.loggamma(am) - ((am - 0.5) * mp.log(am) - am + mp.log(2 * mp.pi) / 2)
    tol = 4.5e-16 if a >= 1 else 4e-15
    assert abs((elementary.stirling_corr(a) - ref) / ref) <= tol


def test_lgamma_vs_mpmath() -> None:
    """math.lgamma (wrapped as lgamma): abs error <= 4e-16 * max(1, |lgamma|) for x >= 0.5."""
    for x in np.concatenate([np.linspace(0.5, 30.0, 291), np.geomspace(30.0, 1e12, 60)]):
        ref = mp.loggamma(mp.mpf(float(x)))
        assert abs(elementary.lgamma(float(x)) - ref) <= 4e-16 * max(1, abs(ref)), x


@pytest.mark.parametrize("a", [0.5, 1.0, 5.5, 100.0, 1e4, 1e7, 1e8])
def test_log_gamma_prefactor_vs_mpmath(a: float) -> None:
    """log_gamma_prefactor(a, x) = a log x - x - lgamma(a + 1): abs error <= 1e-15 (1 + |value|)
    (the contract), and in fact ~1e-16 (1 + log a) + 1 ulp of the value."""
    for x in [1e-300, 1e-3 * a, 0.3 * a, 0.5 * a, 0.99 * a, a, a + math.sqrt(a), 2.5 * a, 1e3 * a]:
        am, xm = mp.mpf(a), mp.mpf(x)
        ref = am * mp.log(xm) - xm - mp.loggamma(am + 1)
        got = incgamma.log_gamma_prefactor(a, x)
        assert abs(got - ref) <= 1e-15 * (1 + abs(ref)), (a, x)
        assert abs(got - ref) <= 2.3e-16 * (3 + math.log(a + 1) + abs(ref)), (a, x)


@pytest.mark.parametrize(
    "x",
    [
        -26.5,
        -5.0,
        -1.0,
        -1e-5,
        0.0,
        1e-8,
        0.3,
        0.5,
        2.0,
        5.0,
        9.99,
        10.0,
        10.01,
        26.0,
        30.0,
        1e3,
        1e10,
    ],
)
def test_erfcx_vs_mpmath(x: float) -> None:
    """erfcx(x) = exp(x^2) erfc(x) to 3 ulp relative, both sides of the switch x = 10."""
    xm = mp.mpf(x)
    ref = mp.exp(xm * xm) * mp.erfc(xm)
    assert abs((erf.erfcx(x) - ref) / ref) <= 6.7e-16


def test_erfcx_dense_vs_mpmath() -> None:
    """erfcx on a dense grid of [-26, 40]: relative error <= 3 ulp; far tail 1/(x sqrt(pi))."""
    assert math.isclose(erf.erfcx(1e200), 1.0 / (1e200 * math.sqrt(math.pi)), rel_tol=2.3e-16)
    for x in np.linspace(-26.0, 40.0, 331):
        xm = mp.mpf(float(x))
        ref = mp.exp(xm * xm) * mp.erfc(xm)
        assert abs((erf.erfcx(float(x)) - ref) / ref) <= 6.7e-16, x


def test_one_minus_erfcx_vs_mpmath() -> None:
    """1 - erfcx(w) to 4 ulp relative on [0, 40], both sides of the series switch w = 0.5
    (where the naive 1 - erfcx(w) ~ 2w/sqrt(pi) loses all digits as w -> 0)."""
    ws = np.concatenate([[1e-300, 1e-12, 1e-6], np.linspace(0.01, 0.49999, 40), [0.5]])
    ws = np.concatenate([ws, np.geomspace(0.50001, 40.0, 40)])
    for w in ws:
        with mp.workdps(40 + max(0, int(-math.log10(w)))):  # the reference cancels too
            wm = mp.mpf(float(w))
            ref = 1 - mp.exp(wm * wm) * mp.erfc(wm)
            assert abs(erf.one_minus_erfcx(float(w)) / ref - 1) <= 9e-16, w
    assert erf.one_minus_erfcx(0.0) == 0.0


@pytest.mark.parametrize(
    ("a", "d"),
    [(1.0, 3.0), (3.0, 0.5), (5.0, 160.0), (5.0, 161.0), (2.0, 100.0), (10.0, 1e4), (2.0, 1e6),
     (1e6, 1e3), (1e6, 2e6), (1e4, 1e5), (0.5, 0.5)],
)  # fmt: skip
def test_log_gamma_ratio_vs_mpmath(a: float, d: float) -> None:
    """log_gamma_ratio(a, d) = lgamma(a + d) - lgamma(a) - d log a to 1e-15 (1 + |L|) on both
    sides of its switch d = 32 a (the Stirling form cancels for d >> a: 3e-12 at (2, 10^6)
    before the switch existed)."""
    with mp.workdps(50):
        ref = mp.loggamma(mp.mpf(a) + d) - mp.loggamma(a) - d * mp.log(a)
    assert abs(elementary.log_gamma_ratio(a, d) - float(ref)) <= 1e-15 * (1 + abs(float(ref)))


def test_log1mexp_neg_vs_mpmath() -> None:
    """log(1 - e^-s) from (s, log s) to 2 ulp-ish (3e-16 relative) on both sides of the series
    switch s = 1e-4, and exact where s underflows (log s = -800: the value is log s)."""
    for s_ in np.concatenate(
        [np.geomspace(1e-300, 1e-4, 20), [9.99e-5, 1.0001e-4], np.geomspace(1e-4, 40, 20)]
    ):
        with mp.workdps(40):
            ref = mp.log(-mp.expm1(-mp.mpf(float(s_))))
        got = elementary.log1mexp_neg(float(s_), math.log(s_))
        assert abs(got / float(ref) - 1) <= 3e-16, s_
        assert ufuncs.log1mexp_neg_vec(np.array([s_]), np.array([math.log(s_)]))[0] == got
    assert elementary.log1mexp_neg(0.0, -800.0) == -800.0
    assert elementary.log1mexp_neg(math.inf, math.inf) == 0.0
    assert math.isnan(elementary.log1mexp_neg(math.nan, math.nan))


def test_two_prod_is_exact() -> None:
    """Identity: p + e = a b exactly (checked in exact rational arithmetic) with p = fl(a b),
    over magnitudes 1e-140 .. 1e140 and both signs; e = 0 beyond |p| = 1e300 and for inf."""
    from fractions import Fraction

    rng = np.random.default_rng(7)
    a = rng.standard_normal(2000) * 10.0 ** rng.integers(-140, 140, 2000)
    b = rng.standard_normal(2000) * 10.0 ** rng.integers(-140, 140, 2000)
    for x, y in zip(a, b, strict=True):
        p, e = doubledouble.two_prod(float(x), float(y))
        assert p == float(x) * float(y)
        assert Fraction(p) + Fraction(e) == Fraction(float(x)) * Fraction(float(y)), (x, y)
    assert doubledouble.two_prod(1e200, 1e200) == (math.inf, 0.0)
    assert doubledouble.two_prod(3e150, 1e151)[1] == 0.0
    assert doubledouble.two_prod(math.inf, 2.0) == (math.inf, 0.0)


@pytest.mark.parametrize("x", [-30.0, -3.0, 0.0, 0.4999, 0.5, 3.0, 27.0, 1e3, 1e150])
def test_log_erfc_vs_mpmath(x: float) -> None:
    """log_erfc(x) = log erfc(x), including x up to 1e150 where erfc underflows."""
    ref = mp.log(mp.erfc(mp.mpf(x)))
    assert abs(erf.log_erfc(x) - ref) <= 4.5e-16 * max(1, abs(ref))


@pytest.mark.parametrize("x", [1e-300, 1e-5, 0.3, 0.4999, 0.5, 2.0, 6.0, 30.0])
def test_log_erf_vs_mpmath(x: float) -> None:
    """log_erf(x) = log erf(x) for x > 0, including x -> 0 and erf -> 1."""
    ref = mp.log(mp.erf(mp.mpf(x)))
    assert abs(erf.log_erf(x) - ref) <= 6.7e-16 * max(1e-300, abs(ref))


@pytest.mark.parametrize("x", [-1e-300, -1e-10, -0.5, -0.6931, -0.6932, -1.0, -50.0, -800.0])
def test_log1mexp_vs_mpmath(x: float) -> None:
    """log1mexp(x) = log(1 - e^x), both sides of Maechler's switch at -log 2."""
    ref = mp.log(-mp.expm1(mp.mpf(x)))
    assert abs(elementary.log1mexp(x) - ref) <= 4.5e-16 * abs(ref) + 1e-320


def test_logaddexp_and_logsumexp() -> None:
    """logaddexp(x, y) = log(e^x + e^y) and logsumexp = log sum e^v, against mpmath."""
    for x, y in [(0.0, 0.0), (-1e4, -1e4 - 3.0), (700.0, 710.0), (-math.inf, 2.0), (1.0, -40.0)]:
        ref = mp.log(mp.exp(x) + mp.exp(y))
        assert abs(elementary.logaddexp(x, y) - ref) <= 4.5e-16 * max(1, abs(ref))
    assert elementary.logaddexp(math.inf, 1.0) == math.inf
    assert math.isnan(elementary.logaddexp(math.nan, 1.0))
    v = np.linspace(-2000.0, -1990.0, 10_001)
    ref = mp.log(mp.fsum(mp.exp(mp.mpf(float(t))) for t in v))
    assert abs(elementary.logsumexp(v) - ref) <= 4.5e-16 * abs(ref)
    assert elementary.logsumexp(np.array([])) == -math.inf
    assert math.isnan(elementary.logsumexp(np.array([1.0, math.nan])))


def test_temme_table_matches_generator() -> None:
    """_TEMME_D is exactly what tests/data/make_temme_coeffs.py generates (exact rationals)."""
    sys.path.insert(0, str(DATA))
    try:
        import make_temme_coeffs as gen
    finally:
        sys.path.pop(0)
    table = gen.truncated_table(gen.temme_coefficients())
    assert len(table) == len(_temme_table.TEMME_D)
    for row, stored in zip(table, _temme_table.TEMME_D, strict=True):
        assert tuple(row) == tuple(stored)
    # known values C_0(0) = -1/3, C_1(0) = -1/540, C_2(0) = 25/6048 (Temme 1979)
    assert _temme_table.TEMME_D[0][0] == -1 / 3 and _temme_table.TEMME_D[1][0] == -1 / 540
    assert _temme_table.TEMME_D[2][0] == 25 / 6048


def test_callable_from_jitted_code() -> None:
    """The kernels compose inside other numba code (how the densities use them): the complex
    Ginibre log-CDF of the spectral radius, sum_k log P(k, r^2) (Kostlan), agrees with the
    ufunc sum."""
    import numba

    @numba.njit(cache=False)
    def log_cdf(n: int, r2: float) -> float:
        s = 0.0
        for k in range(1, n + 1):
            s += _incgamma.log_gammainc_p(float(k), r2)
        return s

    n, r2 = 500, 480.0
    with pytest.raises(TypeError, match="without a Python entry point"):
        _incgamma.log_gammainc_pq(1.0, 2.0)  # a helper: compiled code only (no crash)
    expected = float(np.sum(ufuncs.log_gammainc_p_vec(np.arange(1.0, n + 1), r2)))
    assert math.isclose(log_cdf(n, r2), expected, rel_tol=1e-14)
    assert log_cdf(n, r2) < 0.0


def test_helper_compiles_once_per_argument_type() -> None:
    """Constant arguments at call sites (typed Literal[int](1), Literal[bool](True)) do not give
    a helper one compiled copy per value (issue 16: each copy re-links and re-optimises the
    closure below it). Fails against plain numba.njit helpers, which compile a copy per literal."""
    import numba

    from rmtedge._core.jit import jit

    @jit
    def scaled(x: float, k: int, flag: bool) -> float:
        return x * k if flag else x / k

    @numba.njit(cache=False)
    def caller(x: float) -> float:
        return scaled(x, 1, True) + scaled(x, 2, False) + scaled(x, 3, True)

    assert caller(6.0) == 6.0 + 3.0 + 18.0
    sigs = [tuple(str(t) for t in sig) for sig in scaled.signatures]
    assert sigs == [("float64", "int64", "bool")]


def test_scalar_operator_shortcut_only_while_rmtedge_compiles(monkeypatch) -> None:
    """While an rmtedge kernel compiles, numba's numpy array-operator template declines scalar
    operands without resolving a ufunc loop (issue 16: about 1 s of the Poisson law's cold
    start); numba's own compiles still resolve them; array operands still type as ufuncs, and
    both compile to the same signature and the same results."""
    import numba
    from numba.core.typing import npydecl

    from rmtedge._core import jit as jitmod

    assert jitmod._SCALAR_OPERATOR_SHORTCUT
    calls = []
    original = npydecl.ufunc_find_matching_loop

    def counting(ufunc, arg_types):
        calls.append((ufunc.__name__, jitmod._COMPILING[0]))
        return original(ufunc, arg_types)

    monkeypatch.setattr(npydecl, "ufunc_find_matching_loop", counting)

    def scalar(x: float, k: int) -> float:
        y = x * k + 1.5
        return y / (k - 0.5) if y < 10.0 else -y

    def array(a: np.ndarray, x: float) -> np.ndarray:
        return (a + x) * (a < x)

    ours = jitmod.jit(python=True, cache=False)(scalar)
    theirs = numba.njit(cache=False)(scalar)
    assert ours(2.0, 3) == theirs(2.0, 3) == 7.5 / 2.5
    assert ours(4.0, 3) == theirs(4.0, 3) == -13.5
    assert ours.nopython_signatures == theirs.nopython_signatures
    assert [c for c in calls if c[1]] == []  # ours: no ufunc loop resolved for scalars
    assert any(not depth for _, depth in calls)  # numba's: resolved (and declined) as before
    assert jitmod._COMPILING[0] == 0
    calls.clear()
    a = np.array([0.5, 1.0, 3.0])
    out = jitmod.jit(python=True, cache=False)(array)(a, 2.0)
    np.testing.assert_array_equal(out, [2.5, 3.0, 0.0])
    assert {name for name, depth in calls if depth} >= {"add", "multiply", "less"}


def test_kernels_have_no_runtime_power_operator() -> None:
    """No compiled kernel raises to an integer power: numba lowers ``x ** 2`` (an int exponent) by
    compiling an internal power function (0.1 s of a cold first call, issue 16); kernels write
    products. Allowed: constant expressions (``2.0**-900``, folded by Python) and float
    exponents (``** (1.0 / 3.0)``, LLVM's pow)."""
    import ast
    import pathlib

    import rmtedge

    root = pathlib.Path(rmtedge.__file__).parent

    def is_jit(dec: ast.expr) -> bool:
        f = dec.func if isinstance(dec, ast.Call) else dec
        return isinstance(f, ast.Name) and f.id == "jit"

    def const(e: ast.expr) -> bool:
        return all(
            isinstance(x, (ast.Constant, ast.UnaryOp, ast.BinOp, ast.unaryop, ast.operator))
            for x in ast.walk(e)
        )

    def value(e: ast.expr) -> object:  # a constant expression (checked by const)
        return eval(compile(ast.Expression(e), "<kernel>", "eval"))

    offenders = []
    checked = 0
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and any(is_jit(d) for d in fn.decorator_list):
                checked += 1
                for node in ast.walk(fn):
                    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
                        if const(node.left) and const(node.right):
                            continue
                        if const(node.right) and isinstance(value(node.right), float):
                            continue
                        offenders.append(f"{path.relative_to(root)}:{node.lineno} {fn.name}")
    assert checked > 100  # the scan sees the kernels
    assert offenders == []


def test_cache_stamp_covers_helper_sources(tmp_path, monkeypatch) -> None:
    """A cached kernel is reused only for the sources it was compiled from. numba's own stamp
    covers the kernel's file only, while its machine code contains the helpers it calls from
    other files: an edited helper left callers in other files running its old code. The stamp
    now carries a digest of every module compiled code can come from."""
    import numba

    from rmtedge._core import jit as jitmod
    from rmtedge.ensembles import _outside_kernels

    # the digest follows _core modules and kernel modules, not wrappers without kernels
    (tmp_path / "_core").mkdir()
    (tmp_path / "_core" / "helper.py").write_text("X = 1\n")
    (tmp_path / "_k_kernels.py").write_text("from ._core.jit import jit\n")
    (tmp_path / "wrapper.py").write_text("Y = 1\n")
    d0 = jitmod.kernel_sources_digest(tmp_path)
    seen = {d0}
    for name, text in [
        ("_core/helper.py", "X = 2\n"),
        ("_k_kernels.py", "from ._core.jit import jit  # edited\n"),
    ]:
        (tmp_path / name).write_text(text)
        jitmod._DIGESTS.pop(tmp_path.resolve())
        d = jitmod.kernel_sources_digest(tmp_path)
        assert d not in seen
        seen.add(d)
    (tmp_path / "wrapper.py").write_text("Y = 2\n")
    jitmod._DIGESTS.pop(tmp_path.resolve())
    assert jitmod.kernel_sources_digest(tmp_path) == d

    # every kernel and helper of the package carries the digest in its cache stamp
    digest = jitmod.kernel_sources_digest()
    for mod in (_incgamma, _erf, _elementary, _outside_kernels):
        disps = [v for v in vars(mod).values() if isinstance(v, numba.core.registry.CPUDispatcher)]
        assert disps
        for disp in disps:
            assert disp._cache._cache_file._source_stamp[1] == digest, disp

    # an index written under one digest is not read under another (numba then recompiles)
    @jitmod.jit(python=True)
    def plus_one(x: float) -> float:
        return x + 1.0

    assert plus_one(1.0) == 2.0
    cfile = plus_one._cache._cache_file
    assert cfile._load_index()  # written just now, read back under the same stamp
    monkeypatch.setitem(jitmod._DIGESTS, jitmod._PACKAGE_ROOT, "f" * 64)
    fresh = numba.core.caching.FunctionCache(plus_one.py_func)
    jitmod._stamp_with_sources(fresh)
    assert fresh._cache_file._load_index() == {}


_HELPER_MODULE = """
import math
from rmtedge._core.jit import jit

@jit
def helper(x, n):
    s = 0.0
    for i in range(n):
        s += math.exp(-x * i) / (1.0 + i)
    return s

@jit(python=True)
def first(x):
    return helper(x, 50)

@jit(python=True)
def second(x):
    return 2.0 * helper(x, 50)
"""

_HELPER_RUN = """
import math, sys
sys.path.insert(0, {path!r})
import helpermod as h
ref = sum(math.exp(-0.25 * i) / (1 + i) for i in range(50))
v = h.{name}(0.25) / {factor}
assert abs(v - ref) <= 4e-16 * ref, (v, ref)
print(sorted(h.helper.stats.cache_hits.values()), sorted(h.{name}.stats.cache_hits.values()))
"""


def test_helpers_get_no_machine_code_and_round_trip_through_the_cache(tmp_path) -> None:
    """Helpers (no Python entry point) are compiled to optimised IR that their callers link, and
    no machine code of their own (rmtedge._core.jit._HelperLibrary): the mechanism is active on
    this numba (a silent fallback would only cost compile time, so it is checked here), the
    helper's environment global is in the engine (numba writes its address there: it crashed
    without it), callers get correct code, and the helper's cache entry (its IR) serves a caller
    compiled in a later process."""
    import numba

    from rmtedge._core import jit as jitmod

    assert jitmod._HELPER_PIPELINE is not None

    def body(x: float, n: int) -> float:
        s = 0.0
        for i in range(n):
            s += math.exp(-x * i) / (1.0 + i)
        return s

    helper = jitmod.jit(cache=False)(body)

    @numba.njit(cache=False)
    def caller(x: float) -> float:
        return helper(x, 50)

    ref = sum(math.exp(-0.25 * i) / (1 + i) for i in range(50))  # same order of operations
    assert abs(caller(0.25) - ref) <= 4e-16 * ref
    (cres,) = helper.overloads.values()
    assert type(cres.library).__name__ == "_HelperLibrary"
    engine = cres.library.codegen._engine
    assert not engine.is_symbol_defined(cres.fndesc.mangled_name)  # no machine code
    assert engine.is_symbol_defined(cres.fndesc.env_name)  # its environment's home
    # the cache: process 1 compiles `first` (and the helper), process 2 compiles `second` with
    # the helper from the cache (one hit), process 3 finds both entry points cached
    (tmp_path / "helpermod.py").write_text(_HELPER_MODULE)
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    hits = []
    for name, factor in (("first", 1.0), ("second", 2.0), ("second", 2.0)):
        code = _HELPER_RUN.format(path=str(tmp_path), name=name, factor=factor)
        res = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
        assert res.returncode == 0, res.stderr
        hits.append(res.stdout.strip())
    assert hits == ["[] []", "[1] []", "[] [1]"]


def test_vectorized_matches_scalar() -> None:
    """The ufunc wrappers agree bit for bit with the scalar kernels and broadcast."""
    a = np.array([0.5, 10.0, 1e5])
    x = np.array([0.1, 12.0, 1e5 + 300])
    for vec, scal in [
        (ufuncs.log_gammainc_p_vec, incgamma.log_gammainc_p),
        (ufuncs.log_gammainc_q_vec, incgamma.log_gammainc_q),
        (ufuncs.gammainc_p_vec, incgamma.gammainc_p),
        (ufuncs.gammainc_q_vec, incgamma.gammainc_q),
        (ufuncs.log_gamma_prefactor_vec, incgamma.log_gamma_prefactor),
    ]:
        assert np.array_equal(vec(a, x), [scal(ai, xi) for ai, xi in zip(a, x, strict=True)])
    assert ufuncs.log_gammainc_p_vec(3.0, np.ones((2, 3))).shape == (2, 3)
    assert np.array_equal(ufuncs.erfcx_vec(x), [erf.erfcx(v) for v in x])
    assert np.array_equal(ufuncs.log1pmx_vec(x), [elementary.log1pmx(v) for v in x])
    assert np.array_equal(ufuncs.log_erfc_vec(x), [erf.log_erfc(v) for v in x])


# ---------------------------------------------------------------------------------------------
# hypothesis: finiteness, monotonicity, complementarity
# ---------------------------------------------------------------------------------------------

orders = st.one_of(
    st.floats(0.5, 1e8, allow_nan=False),
    st.integers(1, 10**8).map(float),
    st.integers(1, 2 * 10**6).map(lambda k: k + 0.5),
)
rel_x = st.floats(-12.0, 3.0)  # x = a * 10^s: far lower tail .. far upper tail
near = st.floats(-50.0, 50.0)  # x = a + z sqrt(a): the transition


def _x_of(a: float, s: float, z: float, use_z: bool) -> float:
    return max(a + z * math.sqrt(a), 0.0) if use_z else a * 10.0**s


@given(orders, rel_x, near, st.booleans())
@example(1.0, 0.0, 0.0, True)
@example(1e8, 0.0, 0.0, True)
@example(0.5, -12.0, 0.0, False)
@example(20.0, 0.0, -2.0, True)
def test_hypothesis_finite_and_complementary(a: float, s: float, z: float, use_z: bool) -> None:
    """log P, log Q are finite (or -inf exactly at x = 0), <= 0, and P + Q = 1."""
    x = _x_of(a, s, z, use_z)
    lp, lq = incgamma.log_gammainc_pq(a, x)
    assert lp <= 0.0 and lq <= 0.0
    assert math.isfinite(lq)
    assert math.isfinite(lp) or x == 0.0
    assert abs(math.exp(lp) + math.exp(lq) - 1.0) <= 4.5e-16
    assert abs(incgamma.gammainc_p(a, x) + incgamma.gammainc_q(a, x) - 1.0) <= 2.3e-16


@given(orders, rel_x, near, st.booleans(), st.floats(1e-9, 0.5))
@example(30.0, 0.0, 0.0, True, 1e-9)  # across eta = 0
@example(1e6, 0.0, -1.0, True, 1e-6)
def test_hypothesis_monotone_in_x(a: float, s: float, z: float, use_z: bool, h: float) -> None:
    """log P(a, x) is non-decreasing and log Q(a, x) non-increasing in x (checked on x < x'),
    across the switches between series, continued fraction and Temme's expansion."""
    x = _x_of(a, s, z, use_z)
    x2 = x * (1.0 + h) + h
    lp1, lq1 = incgamma.log_gammainc_pq(a, x)
    lp2, lq2 = incgamma.log_gammainc_pq(a, x2)
    # allow rounding noise: 4 ulp of the log
    assert lp2 >= lp1 - 9e-16 * max(1.0, abs(lp1))
    assert lq2 <= lq1 + 9e-16 * max(1.0, abs(lq1))


def _log_pq_from(which: int, h: float, lo: float) -> tuple[float, float]:
    v = h + lo
    return (v, elementary.log1mexp(v)) if which == 0 else (elementary.log1mexp(v), v)


@pytest.mark.parametrize("a", [20.0, 20.5, 37.0, 163.5, 1e3, 1e5, 1e7])
def test_temme_and_classic_agree_at_the_switch(a: float) -> None:
    """Both sides of the switch to Temme's expansion: at |eta| = 1 (x = 0.2987 a, 2.3586 a) and,
    for moderate a, well inside (eta = +-0.5, 0), Temme's expansion and the series / continued
    fraction give the same log P, log Q to 4 ulp of max(1, |log|). (At x ~ a the series loses
    ~sqrt(a) eps to its O(sqrt(a)) terms, which is one reason Temme's expansion is used there.)"""
    lams = [0.29872935255, 2.35861416853]
    if a <= 1e3:
        lams += [0.6, 1.6]
    for lam in lams:
        x = a * lam
        th, tl = incgamma.t_dd(a, x)
        lh, ll = elementary.log1pmx_dd(th, tl)
        temme = _log_pq_from(*incgamma._temme_dd(a, th, lh, ll))
        classic = _log_pq_from(*incgamma._classic_dd(a, x))
        for u, v in zip(temme, classic, strict=True):
            assert abs(u - v) <= 9e-16 * max(1.0, abs(v)), (lam, u, v)


def test_temme_switch_in_a() -> None:
    """At a = 20, the smallest order given to Temme's expansion, it agrees with the series /
    continued fraction used below 20 over the whole region |eta| <= 1, to 9 ulp (the series
    near x ~ a carries ~sqrt(a) rounding errors)."""
    for x in [6.0, 10.0, 18.0, 20.0, 22.0, 40.0, 47.0]:
        th, tl = incgamma.t_dd(20.0, x)
        lh, ll = elementary.log1pmx_dd(th, tl)
        temme = _log_pq_from(*incgamma._temme_dd(20.0, th, lh, ll))
        classic = _log_pq_from(*incgamma._classic_dd(20.0, x))
        for u, v in zip(temme, classic, strict=True):
            assert abs(u - v) <= 2e-15 * max(1.0, abs(v)), (x, u, v)


def test_log1mexp_neg_array_matches_scalar_kernel() -> None:
    """The numpy twin used by the Poisson and Gumbel laws (no ufunc to compile) takes the same
    branches as the scalar kernel: bit-identical on 0, subnormals, both sides of 1e-4 and ln 2,
    large s, inf and NaN (measured: 2015 of 2015 points equal)."""
    from rmtedge._core.elementary import log1mexp_neg_array

    s = np.concatenate(
        [[0.0, 1e-320, 1e-300, 1e-4, 1.0001e-4, math.log(2.0), 0.7, 800.0, np.inf, np.nan],
         np.logspace(-20, 3, 2000)]
    )
    with np.errstate(divide="ignore"):
        ls = np.log(s)
    a = log1mexp_neg_array(s, ls)
    b = ufuncs.log1mexp_neg_vec(s, ls)
    assert np.array_equal(a, b, equal_nan=True)
