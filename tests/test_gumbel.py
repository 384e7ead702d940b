"""Tests of the Gumbel edge limits (rmtedge/gumbel.py)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

import rmtedge
from rmtedge.laws.gumbel import GAMMA_N_MIN_N

NS = [164, 165, 200, 500, 1000, 4096, 10**5, 10**6, 10**9]


def _mp_params(n: int) -> tuple[mp.mpf, mp.mpf]:
    """a_n, b_n at 50 digits straight from the definitions."""
    with mp.workdps(50):
        g = mp.log(mp.mpf(n) / (2 * mp.pi)) - 2 * mp.log(mp.log(n))
        return 1 + mp.sqrt(g / (4 * n)), 1 / mp.sqrt(4 * n * g)


@pytest.mark.parametrize("n", NS)
def test_gamma_n_and_rider_constants_vs_mpmath(n):
    """gamma_n, a_n, b_n agree with a 50-digit evaluation to 1e-14 relative."""
    with mp.workdps(50):
        g = mp.log(mp.mpf(n) / (2 * mp.pi)) - 2 * mp.log(mp.log(n))
    a, b = _mp_params(n)
    # Full relative accuracy even at n = 164, where the two logs cancel to 3 digits.
    assert abs(rmtedge.gamma_n(n) / float(g) - 1) <= 1e-15
    assert abs(rmtedge.rider_centering(n) - float(a)) <= 1e-15
    assert abs(rmtedge.rider_scale(n) / float(b) - 1) <= 1e-15


def test_gamma_n_domain_boundary():
    """gamma_163 < 0 < gamma_164 (identity of the domain), and n < 164 is refused by name."""
    with mp.workdps(30):
        assert mp.log(mp.mpf(163) / (2 * mp.pi)) - 2 * mp.log(mp.log(163)) < 0
    assert rmtedge.gamma_n(GAMMA_N_MIN_N) > 0
    for f in (rmtedge.gamma_n, rmtedge.rider_centering, rmtedge.rider_scale):
        with pytest.raises(ValueError, match="n must be >= 164"):
            f(163)
    with pytest.raises(ValueError, match="spectral_radius_law"):
        rmtedge.gumbel_edge_law(100, field="complex")


def test_gamma_n_vectorized_and_bad_input():
    out = rmtedge.gamma_n(np.array([164, 1000, 10**6]))
    assert out.shape == (3,)
    np.testing.assert_allclose(out[1], rmtedge.gamma_n(1000), rtol=0, atol=0)
    with pytest.raises(TypeError, match=r"^n\b"):
        rmtedge.gamma_n(1000.0)
    with pytest.raises(TypeError, match=r"^n\b"):
        rmtedge.gamma_n(True)
    with pytest.raises(ValueError, match=r"^n\b"):
        rmtedge.gamma_n(0)
    with pytest.raises(ValueError, match="field"):
        rmtedge.gumbel_edge_law(500, field="quaternion")


@pytest.mark.parametrize("field", ["complex", "real"])
@pytest.mark.parametrize("n", [164, 1000, 10**6])
def test_standardized_cdf_is_the_rider_limit(field, n):
    """Identity: law.cdf(a_n + x b_n) = exp(-e^{-x}) (complex), exp(-e^{-x}/2) (real), in mpmath."""
    law = rmtedge.gumbel_edge_law(n, field=field)
    k = 1 if field == "complex" else 2
    for x in [-3.0, -1.0, 0.0, 0.5, 2.0, 6.0]:
        r = law.a_n + x * law.b_n
        xs = law.standardize(r)
        with mp.workdps(40):
            ref_cdf = mp.exp(-mp.exp(-mp.mpf(xs)) / k)
            ref_sf = 1 - ref_cdf
        assert law.cdf(r) == pytest.approx(float(ref_cdf), rel=1e-13)
        assert law.sf(r) == pytest.approx(float(ref_sf), rel=1e-12)


@pytest.mark.parametrize("field", ["complex", "real"])
def test_far_tails_in_log_space_vs_mpmath(field):
    """logsf/logcdf stay finite and accurate (1e-12 relative) where sf/cdf underflow."""
    law = rmtedge.gumbel_edge_law(1000, field=field)
    k = 1 if field == "complex" else 2
    for x in [40.0, 300.0, 800.0, 5000.0]:
        r = law.a_n + x * law.b_n
        xs = law.standardize(r)
        with mp.workdps(60):
            ref = mp.log(-mp.expm1(-mp.exp(-mp.mpf(xs)) / k))
        assert math.isfinite(law.logsf(r))
        assert law.logsf(r) == pytest.approx(float(ref), rel=1e-12)
    for x in [-5.0, -20.0, -600.0]:
        r = law.a_n + x * law.b_n
        xs = law.standardize(r)
        with mp.workdps(60):
            ref = -mp.exp(-mp.mpf(xs)) / k
        assert law.logcdf(r) == pytest.approx(float(ref), rel=1e-12)


@pytest.mark.parametrize("field", ["complex", "real"])
def test_matches_scipy_gumbel_r(field):
    """Identity: the law is scipy.stats.gumbel_r(loc, scale) with loc = a_n (+ b_n * -log 2 real)."""
    n = 2000
    law = rmtedge.gumbel_edge_law(n, field=field)
    shift = 0.0 if field == "complex" else -math.log(2)
    ref = stats.gumbel_r(loc=law.a_n + shift * law.b_n, scale=law.b_n)
    r = np.linspace(law.a_n - 4 * law.b_n, law.a_n + 10 * law.b_n, 41)
    np.testing.assert_allclose(law.cdf(r), ref.cdf(r), rtol=1e-13)
    np.testing.assert_allclose(law.sf(r), ref.sf(r), rtol=1e-12)
    np.testing.assert_allclose(law.pdf(r), ref.pdf(r), rtol=1e-12)
    q = np.array([1e-12, 1e-3, 0.1, 0.5, 0.9, 0.999])
    np.testing.assert_allclose(law.ppf(q), ref.ppf(q), rtol=1e-13)
    np.testing.assert_allclose(law.isf(q), ref.isf(q), rtol=1e-13)
    assert law.mean() == pytest.approx(ref.mean(), rel=1e-14)
    assert law.std() == pytest.approx(ref.std(), rel=1e-14)
    assert law.median() == pytest.approx(ref.median(), rel=1e-14)


def test_quantile_round_trips_and_nan():
    """ppf(cdf(r)) = r and isf(sf(r)) = r in the body of the law; NaN propagates."""
    law = rmtedge.gumbel_edge_law(800, field="real")
    r = law.a_n + law.b_n * np.linspace(-2, 5, 15)
    np.testing.assert_allclose(law.ppf(law.cdf(r)), r, rtol=1e-12)
    np.testing.assert_allclose(law.isf(law.sf(r)), r, rtol=1e-12)
    assert np.isnan(law.cdf(np.nan)) and np.isnan(law.ppf(1.5))


def test_rvs_ks_against_cdf():
    """Monte Carlo: 20000 exact Gumbel samples pass a KS test of the law's cdf at alpha = 1e-3.

    Seed 12345; the false-alarm rate of this check is 1e-3. A shift of the location by 0.1 b_n
    is detected (asserted below), so the test can fail.
    """
    law = rmtedge.gumbel_edge_law(1000, field="complex")
    x = law.rvs(size=20000, rng=12345)
    assert stats.kstest(x, law.cdf).pvalue > 1e-3
    assert stats.kstest(x + 0.1 * law.b_n, law.cdf).pvalue < 1e-3
    np.testing.assert_array_equal(x, law.rvs(size=20000, rng=12345))


def test_paper_constant():
    """PAPER_GUMBEL_C = euler_gamma + pi/sqrt(6) = mean + one standard deviation of Gumbel(0,1)."""
    with mp.workdps(30):
        ref = mp.euler + mp.pi / mp.sqrt(6)
    assert rmtedge.PAPER_GUMBEL_C == pytest.approx(float(ref), rel=1e-15)
    assert rmtedge.PAPER_GUMBEL_C == pytest.approx(
        stats.gumbel_r.mean() + stats.gumbel_r.std(), rel=1e-14
    )
