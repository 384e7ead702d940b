"""Tests of rmtedge.recurrent.initializers: the rescale factor, rescaled Glorot and diagonal baselines.

The reference for the authors' factor is an independent straight-line transcription of
``docs/theory.md``, "The setting of the paper", claim 5 (and claim 2 for gamma_n), evaluated with mpmath at 50 digits and rechecked
at 80 digits:

    gamma_n = log(n / (2 pi)) - 2 log log n
    r_n(c)  = 1 + sqrt(gamma_n / (4 n)) + c / sqrt(4 n gamma_n),   c = euler_gamma + pi/sqrt(6)
    variance factor = r_n(c)^(-2)
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from scipy import stats
from threadpoolctl import threadpool_limits

import rmtedge
from rmtedge.recurrent.initializers import DEFAULT_EXACT_RISK

ALPHA = 1e-3  # significance level of every Monte Carlo test in this file
Z_CRIT = stats.norm.isf(ALPHA / 2)
PAPER_NS = [164, 165, 200, 500, 1000, 4096, 10**6, 10**9]


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with threadpool_limits(1):
        yield


def _mp_variance_factor(n, c=None, dps=50):
    """r_n(c)^(-2) straight from ``docs/theory.md``, "The setting of the paper", claim 5, at `dps` digits (c exact if None)."""
    with mpmath.workdps(dps):
        N = mpmath.mpf(n)
        gam = mpmath.log(N / (2 * mpmath.pi)) - 2 * mpmath.log(mpmath.log(N))
        cc = mpmath.euler + mpmath.pi / mpmath.sqrt(6) if c is None else mpmath.mpf(c)
        r = 1 + mpmath.sqrt(gam / (4 * N)) + cc / mpmath.sqrt(4 * N * gam)
        return r**-2


def _authors_float(n):
    """The authors' variance factor as plain float64 arithmetic (same formula, their form
    gamma = log(n / (2 pi (log n)^2)))."""
    gam = math.log(n / (2 * math.pi * math.log(n) ** 2))
    c = 0.5772156649015329 + math.pi / math.sqrt(6)
    return (1 + math.sqrt(gam / (4 * n)) + c / math.sqrt(4 * gam * n)) ** -2


@pytest.mark.parametrize("n", PAPER_NS)
@pytest.mark.parametrize("field", ["real", "complex"])
def test_paper_factor_matches_mpmath(n, field):
    """Identity r^(-2) = r_n(c)^(-2) of ``docs/theory.md``, "The setting of the paper", claim 5 with c = euler_gamma + pi/sqrt(6) for
    both fields (the authors' code), to 1e-15 relative, against the 50-digit reference
    (itself stable to 1e-40 between 50 and 80 digits)."""
    ref50 = _mp_variance_factor(n)
    ref80 = _mp_variance_factor(n, dps=80)
    assert abs(ref50 / ref80 - 1) < 1e-40
    r = rmtedge.rescale_factor(n, field=field, method="paper")
    assert abs(r**-2 / float(ref50) - 1) <= 1e-15


def test_authors_float_formula():
    """The authors' float64 formula agrees with ours to 1e-15 for n >= 500; at n = 164-165
    gamma_n (about 0.0036) cancels in float64 and the authors' float value itself is off by
    ~1e-14, while ours stays correctly rounded (closer to the 50-digit reference)."""
    for n in [500, 1000, 4096, 10**6]:
        assert abs(rmtedge.rescale_factor(n, method="paper") ** -2 / _authors_float(n) - 1) <= 1e-15
    for n in [164, 165]:
        ref = float(_mp_variance_factor(n))
        ours = rmtedge.rescale_factor(n, method="paper") ** -2
        theirs = _authors_float(n)
        assert abs(theirs / ref - 1) < 1e-13
        assert abs(ours / ref - 1) <= abs(theirs / ref - 1) + 2.3e-16


@pytest.mark.parametrize("n", [164, 500, 4096, 10**6])
@pytest.mark.parametrize("risk", [1e-300, 1e-6, 0.01, 0.144, 0.5, 0.9])
def test_risk_uses_field_quantile(n, risk):
    """Identity with a risk: c is the standardized Gumbel quantile of the field, c =
    -log(-log(1 - risk)) (complex), -log(-2 log(1 - risk)) (real): r matches the mpmath
    straight-line r_n(c) to 1e-15 (also when r_n(c) cancels to ~0.003 at risk 0.9, n = 164),
    and gumbel_edge_law(n, field).isf(risk) where r > 0.5 (that law uses float64 gamma_n,
    which loses ~1e-14 near n = 164, hence the looser tolerance there)."""
    for field, k in [("complex", 1), ("real", 2)]:
        with mpmath.workdps(50):
            c = -mpmath.log(-k * mpmath.log1p(-mpmath.mpf(risk)))
        ref = float(_mp_variance_factor(n, c=c) ** mpmath.mpf(-0.5))
        if ref <= 0:
            continue
        r = rmtedge.rescale_factor(n, field=field, risk=risk, method="paper")
        assert abs(r / ref - 1) <= 1e-15
        if r > 0.5:  # no cancellation in 1 + a_n + c b_n: the float64 law must agree too
            law = rmtedge.gumbel_edge_law(n, field=field)
            tol = 1e-13 if n < 200 else 2e-15
            assert abs(r / law.isf(risk) - 1) <= tol


def test_default_c_is_paper_constant_for_real_field():
    """Identity: risk=None uses c = PAPER_GUMBEL_C for both fields (as the authors' code), i.e.
    a nominal real-field risk of 1 - exp(-e^{-c}/2), not 1 - exp(-e^{-c})."""
    n = 1000
    c = rmtedge.PAPER_GUMBEL_C
    assert rmtedge.rescale_factor(n, field="real", method="paper") == rmtedge.rescale_factor(n, field="complex", method="paper")
    nominal_complex = -math.expm1(-math.exp(-c))
    nominal_real = -math.expm1(-math.exp(-c) / 2)
    r = rmtedge.rescale_factor(n, field="complex", method="paper")
    assert abs(rmtedge.rescale_factor(n, field="complex", risk=nominal_complex, method="paper") / r - 1) < 1e-15
    assert abs(rmtedge.rescale_factor(n, field="real", risk=nominal_real, method="paper") / r - 1) < 1e-15


def test_paper_refuses_small_n_and_bad_risk():
    """n < 164 (gamma_n <= 0: the authors' code returns NaN) is a ValueError suggesting
    method='exact'; bad risk/method/field/n raise errors naming the argument."""
    for n in [1, 10, 163]:
        with pytest.raises(ValueError, match="method='exact'"):
            rmtedge.rescale_factor(n, method="paper")
    for bad in [0.0, 1.0, -0.1, 1.5, float("nan"), float("inf")]:
        with pytest.raises(ValueError, match="risk"):
            rmtedge.rescale_factor(500, risk=bad, method="paper")
        with pytest.raises(ValueError, match="risk"):
            rmtedge.rescale_factor(500, risk=bad, method="exact")
    with pytest.raises(TypeError, match="risk"):
        rmtedge.rescale_factor(500, risk="0.1", method="paper")
    with pytest.raises(ValueError, match="method"):
        rmtedge.rescale_factor(500, method="gumbel")
    with pytest.raises(ValueError, match="field"):
        rmtedge.rescale_factor(500, field="quaternion", method="paper")
    with pytest.raises(TypeError, match=r"^n\b"):
        rmtedge.rescale_factor(500.0, method="paper")
    with pytest.raises(TypeError, match=r"^n\b"):
        rmtedge.rescale_factor(True, method="paper")
    with pytest.raises(ValueError, match=r"^n\b"):
        rmtedge.rescale_factor(0, method="exact")
    # risk so close to 1 that the asymptotic factor would be <= 0
    with pytest.raises(ValueError, match="method='exact'"):
        rmtedge.rescale_factor(164, field="complex", risk=0.999, method="paper")


def test_exact_complex_is_law_isf_and_valid_for_all_n():
    """Identity: method='exact' returns spectral_radius_law(n, field).isf(risk), for every
    n >= 1 (default risk DEFAULT_EXACT_RISK = 0.01); P(rho(W) > s) = risk back."""
    for n in [1, 2, 10, 163, 164, 500, 10**5]:
        law = rmtedge.spectral_radius_law(n, field="complex")
        s = rmtedge.rescale_factor(n, field="complex", method="exact")
        assert s == float(law.isf(DEFAULT_EXACT_RISK))
        assert abs(law.sf(s) / DEFAULT_EXACT_RISK - 1) < 1e-10
        s2 = rmtedge.rescale_factor(n, field="complex", method="exact", risk=0.2)
        assert s2 < s and abs(law.sf(s2) / 0.2 - 1) < 1e-10


def test_exact_real_is_law_isf():
    """Identity: method='exact' for the real field is the finite-n real law's isf."""
    try:
        law = rmtedge.spectral_radius_law(300, field="real")
        expected = float(law.isf(0.05))
    except (
        ModuleNotFoundError
    ) as exc:  # the real law needs rmtedge.ensembles.densities (another module)
        pytest.skip(f"real spectral_radius_law not available yet: {exc}")
    assert rmtedge.rescale_factor(300, field="real", method="exact", risk=0.05) == expected


def test_exact_risk_monte_carlo():
    """P(rho(W / s) > 1) = risk for s = rescale_factor(n, 'complex', method='exact', risk),
    n = 50, risk = 0.2: two-sided exact binomial test on the count of exceedances among 4000
    Kostlan samples of rho(W), alpha = 1e-3 (seeded). Power: a factor whose true risk were
    0.23 instead of 0.2 (a shift of ~4.5 standard deviations of the count) would be rejected
    with probability ~0.9, so the test can fail."""
    n, N, risk = 50, 4000, 0.2
    s = rmtedge.rescale_factor(n, field="complex", method="exact", risk=risk)
    rho = rmtedge.spectral_radius(n, field="complex", size=N, method="kostlan", rng=123)
    k = int(np.sum(rho / s > 1))
    assert stats.binomtest(k, N, risk).pvalue > ALPHA


# ------------------------------------------------------------------------------------------------
# samplers
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["real", "complex"])
def test_rescaled_glorot_is_ginibre_over_r(field):
    """Identity rescaled_glorot = ginibre(scale='glorot') / r with the same rng stream; entry
    variance 1/(n r^2): z-test on E|w|^2 over 4 x n^2 entries, alpha = 1e-3 (seeded)."""
    n = 300
    r = rmtedge.rescale_factor(n, field=field)
    W = rmtedge.rescaled_glorot(n, field=field, size=4, rng=8)
    G = rmtedge.ginibre(n, field=field, size=4, rng=8)
    assert W.shape == (4, n, n) and W.dtype == G.dtype
    assert np.max(np.abs(W * r - G)) <= 1e-15 * np.max(np.abs(G))
    y = (np.abs(W) ** 2 * n * r**2).ravel()
    z = (y.mean() - 1) / (y.std(ddof=1) / math.sqrt(y.size))
    assert abs(z) < Z_CRIT
    # risk / method are forwarded
    W2 = rmtedge.rescaled_glorot(n, field=field, risk=0.05, rng=8)
    r2 = rmtedge.rescale_factor(n, field=field, risk=0.05)
    assert np.allclose(W2 * r2, G[0], rtol=1e-15, atol=0)
    with pytest.raises(ValueError, match="exact"):
        rmtedge.rescaled_glorot(100, field=field, method="paper")


@pytest.mark.parametrize("field", ["real", "complex"])
def test_default_method_is_exact_at_every_width(field):
    """Issue 16: the default is method='exact' (risk 0.01), which works at every n, including
    the authors' own default width 128 where 'paper' raises; it equals the law's isf(0.01)."""
    for n in (1, 2, 16, 128, 163, 164, 1000):
        r = rmtedge.rescale_factor(n, field=field)
        assert r == rmtedge.rescale_factor(n, field=field, method="exact", risk=0.01)
        assert r == pytest.approx(float(rmtedge.spectral_radius_law(n, field=field).isf(0.01)), rel=0)
        assert rmtedge.prob_radius_exceeds_one(n, field=field, scale_factor=r) == pytest.approx(0.01, rel=1e-9)
    W = rmtedge.rescaled_glorot(128, field=field, rng=0)
    assert W.shape == (128, 128)


def test_exact_factor_is_positive_or_refused(monkeypatch):
    """Issue 15: a factor is positive or the call is refused naming risk (rescale_factor(1,
    field='real', method='exact', risk=0.7) returned 0.0 under the Poisson law's atom at 0)."""
    from rmtedge.recurrent import initializers

    class AtomAtZero:  # a law whose isf(0.7) is 0, as the Poisson approximation's at n = 1
        def isf(self, q):
            return np.float64(0.0)

    monkeypatch.setattr(initializers, "spectral_radius_law", lambda n, field, method: AtomAtZero())
    with pytest.raises(ValueError, match=r"risk = 0\.7 is too large"):
        rmtedge.rescale_factor(1, field="real", method="exact", risk=0.7)
    monkeypatch.undo()
    for field in ("real", "complex"):
        for n in (1, 2, 3):
            for risk in (0.01, 0.3, 0.6):
                assert rmtedge.rescale_factor(n, field=field, method="exact", risk=risk) > 0


def test_halved_glorot():
    """Identity halved_glorot = ginibre(scale='glorot') / sqrt(2) (variance 1/(2n))."""
    for field in ["real", "complex"]:
        W = rmtedge.halved_glorot(20, field=field, size=(2, 3), rng=5)
        G = rmtedge.ginibre(20, field=field, size=(2, 3), rng=5)
        assert W.shape == (2, 3, 20, 20)
        assert np.allclose(W * math.sqrt(2), G, rtol=1e-15, atol=0)
    with pytest.raises(ValueError, match=r"^n\b"):
        rmtedge.halved_glorot(0)


@pytest.mark.parametrize("field", ["real", "complex"])
def test_diagonal_glorot_eigenvalues(field):
    """Identity: the eigenvalues are rmtedge.eigvals(n, field, size, rng) / r (same stream);
    complex field: E (1/n) sum |lambda|^2 = (1 + 1/n) / (2 r^2) (``docs/theory.md``, "Moments, the growth bound and the instability threshold", m_1(n)),
    one-sample t-test over 16 independent matrices, alpha = 1e-3 (seeded)."""
    n = 164
    r = rmtedge.rescale_factor(n, field=field)
    lam = rmtedge.diagonal_glorot_eigenvalues(n, field=field, size=16, rng=6)
    assert lam.shape == (16, n) and lam.dtype == np.complex128
    ref = rmtedge.eigvals(n, field=field, size=16, rng=6)
    assert np.allclose(lam * r, ref, rtol=1e-14, atol=0)
    if field == "complex":
        y = np.mean(np.abs(lam) ** 2, axis=1) * 2 * r**2
        assert stats.ttest_1samp(y, 1 + 1 / n).pvalue > ALPHA
    else:  # real matrices: eigenvalues closed under conjugation
        s = np.sort_complex(lam[0])
        assert np.allclose(s, np.sort_complex(np.conj(lam[0])), atol=1e-12)
    lam_exact = rmtedge.diagonal_glorot_eigenvalues(10, field="complex", method="exact", rng=1)
    assert lam_exact.shape == (10,)


def test_diagonal_uniform_law():
    """LRU ring law (Orvieto et al. 2023, Lemma 3.2): |lambda|^2 uniform on
    [r_min^2, r_max^2] and arg(lambda) uniform on [0, max_phase], independent: KS tests at
    alpha = 1e-3 on 20000 samples (seeded) and a chi-square independence test on a 4x4
    contingency table of counts."""
    r_min, r_max, ph = 0.4, 0.95, 1.5 * math.pi
    lam = rmtedge.diagonal_uniform(20000, r_min=r_min, r_max=r_max, max_phase=ph, rng=17)
    assert lam.shape == (20000,) and lam.dtype == np.complex128
    s = (np.abs(lam) ** 2 - r_min**2) / (r_max**2 - r_min**2)
    theta = np.mod(np.angle(lam), 2 * math.pi) / ph
    assert stats.kstest(s, "uniform").pvalue > ALPHA
    assert stats.kstest(theta, "uniform").pvalue > ALPHA
    table = np.histogram2d(s, theta, bins=4, range=[[0, 1], [0, 1]])[0]
    assert stats.chi2_contingency(table).pvalue > ALPHA
    # power check: a modulus uniform on [r_min, r_max] (not area-uniform) is rejected
    bad = r_min + (r_max - r_min) * np.random.default_rng(1).random(20000)
    assert stats.kstest((bad**2 - r_min**2) / (r_max**2 - r_min**2), "uniform").pvalue < ALPHA
    # batch shape and defaults (unit disk); reproducible
    a = rmtedge.diagonal_uniform(8, size=(2, 3), rng=0)
    assert a.shape == (2, 3, 8) and np.all(np.abs(a) <= 1)
    assert np.array_equal(a, rmtedge.diagonal_uniform(8, size=(2, 3), rng=0))
    # r_min == r_max: a circle
    assert np.allclose(np.abs(rmtedge.diagonal_uniform(5, r_min=0.7, r_max=0.7, rng=0)), 0.7)


def test_diagonal_uniform_bad_args():
    """Bad radii / phases raise errors naming the argument."""
    f = rmtedge.diagonal_uniform
    with pytest.raises(ValueError, match="r_min"):
        f(4, r_min=0.9, r_max=0.5)
    with pytest.raises(ValueError, match="r_min"):
        f(4, r_min=-0.1)
    with pytest.raises(ValueError, match="r_max"):
        f(4, r_max=float("nan"))
    with pytest.raises(ValueError, match="max_phase"):
        f(4, max_phase=0.0)
    with pytest.raises(TypeError, match="max_phase"):
        f(4, max_phase="pi")
    with pytest.raises(TypeError, match="r_max"):
        f(4, r_max=None)
    with pytest.raises(ValueError, match=r"^n\b"):
        f(0)


# ------------------------------------------------------------------------------------------------
# property-based (deterministic hypothesis profile from conftest)
# ------------------------------------------------------------------------------------------------
from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(
    n=st.one_of(st.integers(164, 10**4), st.integers(10**4, 10**18)),
    risks=st.lists(st.floats(1e-300, 0.1), min_size=2, max_size=2, unique=True),
    field=st.sampled_from(["real", "complex"]),
)
@example(n=164, risks=[1e-300, 0.1], field="real")
@example(n=10**18, risks=[1e-300, 0.1], field="complex")
def test_property_paper_factor(n, risks, field):
    """r_n(c) is decreasing in risk, finite and > 1 for risk <= 0.1 (then c > 0 for both
    fields) at every n from 164 to 1e18 (no overflow, no NaN), and r_n(c) at n = 1e18 is
    below its value at smaller n (centring and scale decrease to 0)."""
    lo, hi = sorted(risks)
    r_lo = rmtedge.rescale_factor(n, field=field, risk=lo, method="paper")
    r_hi = rmtedge.rescale_factor(n, field=field, risk=hi, method="paper")
    assert math.isfinite(r_lo) and r_hi > 1.0
    assert r_lo >= r_hi
    if n < 10**17:
        assert rmtedge.rescale_factor(10**18, field=field, risk=hi, method="paper") < r_hi


def test_paper_factor_below_one_for_large_risk():
    """With a large risk the Gumbel quantile c is negative and r < 1 is legitimate (e.g. real
    field, n = 164, risk = 1/2: c = -log(2 log 2), r ~ 0.79): returned, not refused."""
    r = rmtedge.rescale_factor(164, field="real", risk=0.5, method="paper")
    assert 0.0 < r < 1.0
