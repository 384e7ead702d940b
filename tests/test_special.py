"""Tests of the private special-function kernels in rmtedge/_special.py.

References are mpmath at 40+ digits. Tolerances follow the module's contract: relative error
of a value <= 1e-13 where it is a normal float, absolute error of a log <= 1e-13 * max(1, |log|).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from rmtedge import _special as S

mp.mp.dps = 50

A_SMALL = [0.5, 1.0, 1.5, 2.0, 3.0, 7.5, 10.0, 30.0, 100.0, 163.5, 1000.0]
S_GRID = [-0.999, -0.9, -0.5, -0.2, -0.05, 0.0, 0.05, 0.2, 0.5, 1.0, 3.0, 10.0]


def _mp_logpq(a: float, x: float) -> tuple[mp.mpf, mp.mpf]:
    """(log P, log Q) from mpmath.gammainc(a, 0, x, regularized=True) and its complement."""
    p = mp.gammainc(mp.mpf(a), 0, mp.mpf(x), regularized=True)
    q = mp.gammainc(mp.mpf(a), mp.mpf(x), mp.inf, regularized=True)
    return mp.log(p), mp.log(q)


def _log_err(got: float, ref: mp.mpf) -> float:
    return float(abs(mp.mpf(got) - ref) / max(1, abs(ref)))


@pytest.mark.parametrize("a", A_SMALL)
def test_log_gammainc_small_orders_vs_mpmath(a: float) -> None:
    """log P, log Q against mpmath.gammainc(a, 0, x, regularized=True) at 50 digits."""
    for s in S_GRID:
        x = a * (1.0 + s)
        rp, rq = _mp_logpq(a, x)
        lp, lq = S.log_gammainc_pq(a, x)
        assert _log_err(lp, rp) <= 1e-13, (a, x)
        assert _log_err(lq, rq) <= 1e-13, (a, x)


@pytest.mark.parametrize(
    "x", [-0.75, -0.5, -1e-3, -1e-9, 1e-100, 1e-9, 0.1, 0.5, 1.0, 1.5, 10.0, 1e6]
)
def test_log1pmx_vs_mpmath(x: float) -> None:
    """log1pmx(x) = log(1 + x) - x to 2 ulp relative, against mpmath at 50 digits."""
    with mp.workdps(450):  # log1p(x) - x cancels ~2 log10(1/|x|) digits
        ref = mp.log1p(mp.mpf(x)) - mp.mpf(x)
    assert abs((S.log1pmx(x) - ref) / ref) <= 4.5e-16


@pytest.mark.parametrize("a", [0.5, 1.0, 2.5, 9.999, 10.0, 10.001, 37.5, 1e3, 1e8])
def test_stirling_corr_vs_mpmath(a: float) -> None:
    """stirling_corr(a) = lgamma(a) - [(a - 1/2) log a - a + log(2 pi)/2] (both sides of a = 10)."""
    am = mp.mpf(a)
    ref = mp.loggamma(am) - ((am - 0.5) * mp.log(am) - am + mp.log(2 * mp.pi) / 2)
    tol = 4e-16 if a >= 1 else 4e-15
    assert abs((S.stirling_corr(a) - ref) / ref) <= tol


@pytest.mark.parametrize("a", [1.0, 5.5, 100.0, 1e4, 1e7])
def test_log_gamma_prefactor_vs_mpmath(a: float) -> None:
    """log_gamma_prefactor(a, x) = a log x - x - lgamma(a + 1), absolute 1e-15 (1 + |value|)."""
    for s in [-0.999, -0.5, -1e-3, 0.0, 1e-3, 0.5, 5.0]:
        x = a * (1.0 + s)
        am, xm = mp.mpf(a), mp.mpf(x)
        ref = am * mp.log(xm) - xm - mp.loggamma(am + 1)
        got = S.log_gamma_prefactor(a, x)
        assert abs(got - ref) <= 1e-15 * (1 + abs(ref)), (a, x)


@pytest.mark.parametrize(
    "x", [-26.0, -5.0, -1.0, -1e-5, 0.0, 0.3, 0.5, 2.0, 9.99, 10.0, 30.0, 1e3, 1e10]
)
def test_erfcx_vs_mpmath(x: float) -> None:
    """erfcx(x) = exp(x^2) erfc(x) to 4e-16 relative against mpmath."""
    xm = mp.mpf(x)
    ref = mp.exp(xm * xm) * mp.erfc(xm)
    assert abs((S.erfcx(x) - ref) / ref) <= 6e-16


def test_edge_values() -> None:
    """Limits at x = 0 and inf, and NaN for NaN or out-of-domain arguments."""
    assert S.log_gammainc_pq(2.0, 0.0) == (-math.inf, 0.0)
    assert S.log_gammainc_pq(2.0, math.inf) == (0.0, -math.inf)
    assert all(math.isnan(v) for v in S.log_gammainc_pq(math.nan, 1.0))
    assert all(math.isnan(v) for v in S.log_gammainc_pq(1.0, math.nan))
    assert all(math.isnan(v) for v in S.log_gammainc_pq(-1.0, 1.0))
    assert all(math.isnan(v) for v in S.log_gammainc_pq(1.0, -1.0))
    assert S.erfcx(-30.0) == math.inf
    assert math.isnan(S.erfcx(math.nan))
    assert S.log1mexp(0.0) == -math.inf
    assert math.isnan(S.log1mexp(1.0))


def test_poisson_identity_recurrence() -> None:
    """Recurrence P(a + 1, x) = P(a, x) - x^a e^{-x} / Gamma(a + 1) (integration by parts)."""
    for a in [0.5, 3.0, 40.0, 1e3]:
        for x in [0.3 * a, a, 2 * a]:
            p0 = S.gammainc_p(a, x)
            lhs = S.gammainc_p(a + 1, x)
            rhs = p0 - math.exp(S.log_gamma_prefactor(a, x))
            # values come from exp(log), whose relative error is ~eps * |log|
            tol = 4e-16 * max(1.0, abs(math.log(p0))) * p0
            assert abs(lhs - rhs) <= tol, (a, x)


def test_vectorized_matches_scalar() -> None:
    """The ufunc wrappers agree bit for bit with the scalar kernels."""
    a = np.array([0.5, 10.0, 1e5])
    x = np.array([0.1, 12.0, 1e5 + 300])
    got = S.log_gammainc_p_vec(a, x)
    assert np.array_equal(got, [S.log_gammainc_p(ai, xi) for ai, xi in zip(a, x, strict=True)])
