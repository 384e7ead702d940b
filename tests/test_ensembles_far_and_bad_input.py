"""Regression tests for issue 15 (ensembles part): wrong numbers far from the edge, accepted bad
input, wrapping integers and the real-field moment kernel's memory. Each test failed on the code
before the fix (commit 4ab5381); the failure it caught is named in its docstring.
"""

from __future__ import annotations

import math
import time

import mpmath
import numpy as np
import pytest

import rmtedge
from rmtedge._core import incgamma as _incgamma
from rmtedge._core.checks import INT64_MAX
from rmtedge._core.jit import python_callable
from rmtedge.mp import _common as mp_common
from rmtedge.mp import densities as mpd

incgamma = python_callable(_incgamma)

# ------------------------------------------------------------------------------------------
# counts and densities far beyond the edge
# ------------------------------------------------------------------------------------------


def test_real_count_far_tail_is_tiny_not_inf():
    """expected_real_outside(4e8, 2) was inf and its log +5.3e20; (1e77, 10) was NaN.

    Far out the count is Q(n/2, n r^2/2) to rounding; for n = 2 that is exp(-r^2) exactly,
    so log E = -1.6e17 (relative error <= 1e-15); for n = 10, log Q(5, 5e154) = -5e154 (+ a
    negligible log term)."""
    assert rmtedge.expected_real_outside(4e8, 2) == 0.0
    assert rmtedge.log_expected_real_outside(4e8, 2) == pytest.approx(-1.6e17, rel=1e-15)
    assert rmtedge.expected_real_outside(1e77, 10) == 0.0
    assert rmtedge.log_expected_real_outside(1e77, 10) == pytest.approx(-5e154, rel=1e-15)


def test_nonreal_count_far_tail_is_tiny_not_inf():
    """expected_nonreal_outside(4e7, 1000) was inf (log +inf); now 0 with a finite negative log
    close to -n r^2 = -1.6e18 (Q(n - 1, X) ~ e^-X X^(n-2)/(n-2)!, relative error of the log
    <= 1e-12 against that leading form)."""
    assert rmtedge.expected_nonreal_outside(4e7, 1000) == 0.0
    lv = rmtedge.log_expected_nonreal_outside(4e7, 1000)
    x = 1000 * 4e7**2
    lead = -x + 998 * math.log(x) - math.lgamma(999)
    assert math.isfinite(lv) and lv < 0
    assert lv == pytest.approx(lead, rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1000, 10**6])
def test_counts_beyond_1e16_finite_negative_and_monotone(n):
    """From n r^2 ~ 1e16 on the real-field counts broke (inf, NaN, positive logs). Every log is
    now finite and negative, and decreasing in r, up to where n r^2 overflows (log -inf)."""
    rs = np.geomspace(2.0, 1e150 / math.sqrt(n), 400)  # beyond the edge up to n r^2 = 1e300
    for fn in (
        rmtedge.log_expected_real_outside,
        rmtedge.log_expected_nonreal_outside,
        lambda r, n: rmtedge.log_expected_nonreal_outside(r, n, field="complex"),
    ):
        lv = fn(rs, n)
        if n == 1 and fn is rmtedge.log_expected_nonreal_outside:
            assert np.all(lv == -np.inf)
            continue
        assert np.all(np.isfinite(lv)) and np.all(lv < 0)
        assert np.all(np.diff(lv) < 0)
    assert rmtedge.log_expected_real_outside(1e160, n) == -np.inf


def _check_real_count_vs_mpmath(n: int, factors: tuple[float, ...]) -> None:
    x_switch = 2.0 * n + 60.0
    for f in factors:
        r = math.sqrt(x_switch * f / n)
        ref = mpd.expected_real_outside(r, n, dps=40)
        got = rmtedge.log_expected_real_outside(r, n)
        assert abs((mpmath.mpf(got) - mpmath.log(ref)) / mpmath.log(ref)) <= 1e-12, (n, r)


@pytest.mark.parametrize("n", [10, 1000])
def test_real_count_far_tail_switch_vs_mpmath(n):
    """On both sides of the switch to the closed far-tail form (X = n r^2 = 2n + 60), against
    the mpmath back end at 40 digits: relative error of the log <= 1e-12."""
    _check_real_count_vs_mpmath(n, (1 - 1e-9, 1 + 1e-9))


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 10, 100, 1000])
def test_real_count_far_tail_vs_mpmath_slow(n):
    """As above, further out (3 and 50 times the switch point) and at more n."""
    _check_real_count_vs_mpmath(n, (1 - 1e-9, 1 + 1e-9, 3.0, 50.0))


@pytest.mark.parametrize("n", [1, 10])
def test_log_plane_density_near_overflow_is_not_nan(n):
    """log_complex_eigenvalue_density was NaN near the |z|^2 overflow (z = 1e154 (1 + i)); now
    -inf there (the log is below -1.8e308) and finite just below."""
    for field in ("real", "complex"):
        assert rmtedge.log_complex_eigenvalue_density(1e154 * (1 + 1j), n, field=field) == -np.inf
        v = rmtedge.log_complex_eigenvalue_density(1e153 * (1 + 1j), n, field=field)
        assert (v == -np.inf) if (field == "real" and n == 1) else (v == pytest.approx(-2e306 * n))
    assert rmtedge.log_real_eigenvalue_density(1e153, 10) == pytest.approx(-5e306)


def test_derivative_corrected_incomplete_gamma_vs_mpmath():
    """log_gammainc_pq_dd(a, xh, xl) = (log P, log Q) at X = xh + xl to first order in xl, against
    mpmath at 40 digits at X = xh + xl exactly: error <= 2e-15 max(1, |log|); and its capped
    derivative keeps huge arguments finite (X = 3.2e17, where the logs are rounded by ~30)."""
    with mpmath.workdps(40):
        for a in (0.5, 3.0, 30.0, 1e4):
            for t in (0.3, 0.9, 1.0, 1.1, 2.0):
                xh = a * t
                xl = xh * 2**-60
                lp, lq = incgamma.log_gammainc_pq_dd(a, xh, xl)
                xx = mpmath.mpf(xh) + mpmath.mpf(xl)
                rp = mpmath.log(mp_common.gammainc_p(a, xx))
                rq = mpmath.log(mp_common.gammainc_q(a, xx))
                assert abs(lp - rp) <= 2e-15 * max(1, abs(rp)), (a, t)
                assert abs(lq - rq) <= 2e-15 * max(1, abs(rq)), (a, t)
                lg = incgamma.log_gamma_prefactor_dd(a, xh, xl)
                rg = a * mpmath.log(xx) - xx - mpmath.loggamma(a + 1)
                assert abs(lg - rg) <= 2e-15 * max(1, abs(rg)), (a, t)
    lp, lq = incgamma.log_gammainc_pq_dd(1.0, 1.6e17, 16.0)
    assert lp == 0.0 and lq == pytest.approx(-1.6e17, rel=1e-15)


# ------------------------------------------------------------------------------------------
# bad input: points that are not numbers, integers beyond int64
# ------------------------------------------------------------------------------------------

POINT_FUNCS = [
    (rmtedge.real_eigenvalue_density, "x"),
    (rmtedge.log_real_eigenvalue_density, "x"),
    (rmtedge.complex_eigenvalue_density, "z"),
    (rmtedge.log_complex_eigenvalue_density, "z"),
    (rmtedge.expected_real_outside, "r"),
    (rmtedge.log_expected_real_outside, "r"),
    (rmtedge.expected_nonreal_outside, "r"),
    (rmtedge.log_expected_nonreal_outside, "r"),
]


@pytest.mark.parametrize(("fn", "name"), POINT_FUNCS)
@pytest.mark.parametrize("bad", ["0.5", None, b"1", ["0.5", 1.0], [None, 1.0], np.array(["1"])])
def test_points_must_be_numbers(fn, name, bad):
    """real_eigenvalue_density("0.5", 10) returned a number and None gave NaN: now TypeError
    naming the argument."""
    with pytest.raises(TypeError, match=rf"^{name} "):
        fn(bad, 10)


def test_points_still_accept_numbers():
    """Ints, floats, numpy scalars, lists and (for z) complex numbers are still points; NaN
    propagates."""
    assert rmtedge.real_eigenvalue_density(1, 10) == rmtedge.real_eigenvalue_density(1.0, 10)
    assert np.isnan(rmtedge.real_eigenvalue_density(np.nan, 10))
    assert rmtedge.complex_eigenvalue_density(0.5, 10) == rmtedge.complex_eigenvalue_density(
        0.5 + 0j, 10
    )
    assert rmtedge.expected_real_outside([0.5, np.float32(1.5)], 10).shape == (2,)
    with pytest.raises(TypeError, match=r"^x "):
        rmtedge.real_eigenvalue_density(1j, 10)


def test_prob_real_count_refuses_k_beyond_int64():
    """prob_real_count(5, np.uint64(2**64 - 1)) wrapped to k = -1 and returned p_{5,5}."""
    with pytest.raises(ValueError, match=r"^k "):
        rmtedge.prob_real_count(5, np.uint64(2**64 - 1))
    with pytest.raises(ValueError, match=r"^k "):
        rmtedge.prob_real_count(5, np.array([1, 2**64 - 1], dtype=np.uint64))
    with pytest.raises(ValueError, match=r"^k "):
        rmtedge.prob_real_count(5, [1, 2**70])
    assert rmtedge.prob_real_count(5, INT64_MAX) == 0.0  # k > n: probability 0


@pytest.mark.parametrize(
    "call",
    [
        lambda: rmtedge.eigenvalue_moment(10, 2**63),
        lambda: rmtedge.log_eigenvalue_moment(10, np.uint64(2**63)),
        lambda: rmtedge.hidden_state_lower_bound(10, 2**63),
        lambda: rmtedge.log_hidden_state_lower_bound(10, [1, 2**63]),
    ],
)
def test_moments_refuse_orders_beyond_their_maximum(call):
    """eigenvalue_moment(10, 2**63) was NaN and hidden_state_lower_bound(10, 2**63) raised
    IndexError: now a ValueError naming k or t."""
    with pytest.raises(ValueError, match=r"^(k|t) must be <="):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: rmtedge.real_eigenvalue_density(0.5, 2**63),
        lambda: rmtedge.complex_eigenvalue_density(0.5, np.uint64(2**64 - 1)),
        lambda: rmtedge.expected_real_outside(0.5, [2, 2**64]),
        lambda: rmtedge.eigenvalue_moment(2**63, 1),
        lambda: rmtedge.real_count_distribution(2**63),
        lambda: rmtedge.ginibre(2**63),
    ],
)
def test_n_beyond_int64_is_a_value_error_naming_n(call):
    """n >= 2^63 was a bare OverflowError (or wrapped): now ValueError naming n."""
    with pytest.raises(ValueError, match=r"^n must"):
        call()


def test_expected_real_eigenvalues_still_accepts_n_beyond_int64():
    """E_n is defined by its asymptotic series for any n: Python ints beyond int64 stay valid."""
    assert rmtedge.expected_real_eigenvalues(2**70) == pytest.approx(
        0.5 + math.sqrt(2**71 / math.pi), rel=1e-15
    )


# ------------------------------------------------------------------------------------------
# real-field moments: memory O(sqrt(n + k)), not O(k^2/n)
# ------------------------------------------------------------------------------------------


def test_real_moment_large_order_is_fast_and_small():
    """log_eigenvalue_moment(10, 10**4, field="real") took 34 s and 4.1 GB (k = 10^6:
    MemoryError): the quadrature grid now has O(sqrt(n) + sqrt(n + k)) nodes. Checked: it runs
    in well under a second here, and the value agrees with the k >> n asymptotics
    log m_k ~ log E|lambda|^(2k)/n^(k+1) ~ lgamma(k + n) - lgamma(n) - k log n - log(k + 1)
    to within the real field's extra factor (its log is within [0, k log 2] of it)."""
    t0 = time.process_time()
    lv = rmtedge.log_eigenvalue_moment(10, [10**4, 10**6], field="real")
    assert time.process_time() - t0 < 5.0
    for k, v in zip([10**4, 10**6], lv, strict=True):
        lc = rmtedge.log_eigenvalue_moment(10, k, field="complex")
        assert lc < v < lc + k * math.log(2)


def test_real_moment_grid_matches_the_dense_grid():
    """The windowed grid gives the same moments as the full grid for k up to 10 sqrt(n) (where
    the windows cover everything): relative agreement 1e-13 with the stored mpmath references is
    in tests/test_moments.py; here the large-k path agrees with a direct sum at k = 2500, n = 50
    on a dense grid (trapezoid-free: the moment is a smooth function of k, so m_k is checked
    against the geometric mean of its neighbours, log-convexity in k: Cauchy-Schwarz)."""
    lv = rmtedge.log_eigenvalue_moment(50, [2499, 2500, 2501], field="real")
    assert 2 * lv[1] <= lv[0] + lv[2] + 1e-9 * abs(lv[1])
