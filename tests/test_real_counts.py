"""Tests of rmtedge.ensembles.real_counts (E_n, p_{n,k}) and its mpmath back end rmtedge.mp.real_counts.

References are mpmath at >= 40 digits (rmtedge.mp, itself checked against closed forms and
against the independent de Bruijn Pfaffian route), the exact values of Edelman-Kostlan-Shub
(1994) and Edelman (1997), and Monte Carlo counts of real eigenvalues.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

import rmtedge
from rmtedge._core import constants
from rmtedge.ensembles import real_counts as rc
from rmtedge.mp import real_counts as rmp

SQRT2 = math.sqrt(2.0)


def rel_err(value, ref) -> float:
    with mpmath.workdps(50):
        return float(abs((mpmath.mpf(value) - ref) / ref))


# ------------------------------------------------------------------------------------------
# E_n
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, 1.0),
        (2, SQRT2),
        (3, 1.0 + 1.0 / SQRT2),
        (10, 2.92799349097),
        (100, 8.44890644816),
    ],
)
def test_expected_known_values(n, expected):
    """Identity: E_1 = 1, E_2 = sqrt 2, E_3 = 1 + 1/sqrt 2 (EKS 1994); E_10, E_100 to 12 digits."""
    value = rmtedge.expected_real_eigenvalues(n)
    assert isinstance(value, float)
    assert value == pytest.approx(expected, rel=1e-15 if n <= 3 else 1e-11)


# n values of the brief, plus both sides of the table/asymptotic switch at 50.
MP_N = [1, 2, 3, 5, 10, 49, 50, 51, 52, 100, 10**3, 10**4, 10**5, 10**6, 10**9, 10**12]


@pytest.mark.parametrize("n", MP_N)
def test_expected_vs_mpmath(n):
    """E_n (float) equals EKS Thm 5.1 evaluated by mpmath at 50 digits, to 1e-15 relative."""
    ref = rmp.expected_real_eigenvalues(n, dps=50)
    assert rel_err(rmtedge.expected_real_eigenvalues(n), ref) <= 1e-15


def test_expected_mp_higher_precision_agrees():
    """The mpmath reference at 50 digits agrees with itself at 80 digits (to 1e-45)."""
    for n in [1, 7, 1000, 10**12]:
        a = rmp.expected_real_eigenvalues(n, dps=50)
        b = rmp.expected_real_eigenvalues(n, dps=80)
        with mpmath.workdps(80):
            assert abs(a - b) <= mpmath.mpf(10) ** -45 * b


def test_expected_forms_agree_across_switch():
    """Identity: the double-factorial sums, the 2F1/gamma-ratio form and the asymptotic series
    give the same E_n (EKS Thm 5.1 / Cor 5.2) to 1e-15, on both sides of the switch n = 50."""
    for n in range(1, 151):
        ref = rmp.expected_real_eigenvalues(n, dps=40)
        public = rmtedge.expected_real_eigenvalues(n)
        assert rel_err(rc._expected_real_sum(n), ref) <= 1e-15
        assert rel_err(rc._expected_real_hyp2f1(n), ref) <= 1e-15
        assert rel_err(public, ref) <= 1e-15
        if n >= 20:  # the series (14 terms) is accurate to 1e-16 from n = 20 on
            assert rel_err(float(rc._expected_real_asymptotic(n)), ref) <= 1e-15
    assert rc._TABLE_MAX == 50


def test_expected_asymptotic_coefficients():
    """The 14 hard-coded series coefficients equal a fresh exact derivation, and the first five
    are EKS's: 1 - 3/(8n) - 3/(128 n^2) + 27/(1024 n^3) + 499/(32768 n^4)."""
    derived = rc._asymptotic_coefficients(len(rc._ASYMPTOTIC_FRACTIONS) - 1)
    assert derived == [Fraction(a, b) for a, b in rc._ASYMPTOTIC_FRACTIONS]
    assert derived[:5] == [
        Fraction(1),
        Fraction(-3, 8),
        Fraction(-3, 128),
        Fraction(27, 1024),
        Fraction(499, 32768),
    ]


def test_expected_asymptotic_series_error_decays():
    """Identity check of the series: (E_n - series with K terms) ~ a_K sqrt(2/pi) n^(1/2-K).

    With 13 of the 14 terms, the remainder at n = 10^4 matches the 14th term to 1e-3 relative
    (the next term is 4e-4 of it; mpmath at 100 digits), which checks the last coefficient
    independently of the algebra."""
    n = 10**4
    with mpmath.workdps(100):
        exact = rmp.expected_real_eigenvalues(n, dps=100)
        coeffs = [mpmath.mpf(a) / b for a, b in rc._ASYMPTOTIC_FRACTIONS]
        partial = mpmath.mpf(1) / 2 + mpmath.sqrt(2 * mpmath.mpf(n) / mpmath.pi) * mpmath.fsum(
            c / mpmath.mpf(n) ** k for k, c in enumerate(coeffs[:-1])
        )
        last = (
            mpmath.sqrt(2 * mpmath.mpf(n) / mpmath.pi)
            * coeffs[-1]
            / mpmath.mpf(n) ** (len(coeffs) - 1)
        )
        assert abs((exact - partial) / last - 1) < 1e-3


def test_expected_constants_correctly_rounded():
    """sqrt(2/pi) and sqrt(pi) constants are the correctly rounded doubles (mpmath 50 digits)."""
    with mpmath.workdps(50):
        assert constants.SQRT_2_OVER_PI == float(mpmath.sqrt(2 / mpmath.pi))
        assert constants.SQRT_PI == float(mpmath.sqrt(mpmath.pi))


def test_expected_array_broadcast():
    """Array input: same shape, float64, elementwise equal to the scalar calls; 0-d arrays too."""
    n = np.array([[1, 2, 50], [51, 10**6, 10**12]], dtype=np.int64)
    out = rmtedge.expected_real_eigenvalues(n)
    assert out.shape == (2, 3) and out.dtype == np.float64
    for idx in np.ndindex(n.shape):
        assert out[idx] == rmtedge.expected_real_eigenvalues(int(n[idx]))
    assert rmtedge.expected_real_eigenvalues(np.int32(7)) == rmtedge.expected_real_eigenvalues(7)
    assert rmtedge.expected_real_eigenvalues(np.array(7)) == rmtedge.expected_real_eigenvalues(7)
    assert rmtedge.expected_real_eigenvalues(np.array([], dtype=int)).shape == (0,)


def test_beyond_int64():
    """Python ints beyond int64 are accepted: E_n and log p_{n,n} stay finite (n = 10^20)."""
    n = 10**20
    assert rmtedge.expected_real_eigenvalues(n) == pytest.approx(
        0.5 + math.sqrt(2 * n / math.pi), rel=1e-15
    )
    assert rmtedge.log_prob_all_real(n) == pytest.approx(-1e40 * math.log(2) / 4, rel=1e-15)
    assert rmtedge.prob_all_real(n) == 0.0


def test_expected_large_n_limit():
    """Identity: E_n / sqrt(2n/pi) -> 1 with the 1/2 offset, E_n = 1/2 + sqrt(2n/pi)(1 - 3/(8n) + O(n^-2))."""
    n = 10**12
    value = rmtedge.expected_real_eigenvalues(n)
    lead = math.sqrt(2 * n / math.pi)
    assert value == pytest.approx(0.5 + lead * (1 - 3 / (8 * n)), rel=1e-16, abs=0)


# ------------------------------------------------------------------------------------------
# p_{n,n}
# ------------------------------------------------------------------------------------------


def test_prob_all_real_closed_form():
    """Identity (Edelman 1997): p_{n,n} = 2^(-n(n-1)/4), also equal to the computed p_{n,n}."""
    assert rmtedge.prob_all_real(1) == 1.0
    assert rmtedge.prob_all_real(2) == pytest.approx(SQRT2 / 2, rel=1e-15)
    assert rmtedge.prob_all_real(4) == 0.125
    for n in [3, 7, 12, 25]:
        assert rmtedge.real_count_distribution(n)[n] == pytest.approx(
            rmtedge.prob_all_real(n), rel=1e-14
        )
    n = np.array([1, 2, 66, 67])
    p = rmtedge.prob_all_real(n)
    assert p.shape == (4,)
    assert p[2] == 2.0**-1072.5 and p[3] == 0.0  # subnormal, then 2^(-1105.5) underflows


def test_log_prob_all_real_huge_n():
    """Identity: log p_{n,n} = -n(n-1) log(2)/4, finite for n = 10^6 and 10^12 (no underflow)."""
    assert rmtedge.log_prob_all_real(4) == pytest.approx(-3 * math.log(2), rel=1e-15)
    for n in [10**6, 10**12]:
        assert rmtedge.log_prob_all_real(n) == pytest.approx(
            -n * (n - 1) * math.log(2) / 4, rel=1e-15
        )
    logs = rmtedge.log_prob_all_real(np.array([2, 10**6]))
    assert np.all(np.isfinite(logs)) and logs.shape == (2,)


# ------------------------------------------------------------------------------------------
# p_{n,k}
# ------------------------------------------------------------------------------------------


def R2():
    return mpmath.sqrt(2)  # at the caller's working precision


# Closed forms (Edelman 1997 tables; ``docs/theory.md``, "Real eigenvalues of real Ginibre matrices"), with p_{n,n} = 2^(-n(n-1)/4).
CLOSED_FORMS = {
    1: {1: lambda: mpmath.mpf(1)},
    2: {0: lambda: 1 - R2() / 2, 2: lambda: R2() / 2},
    3: {1: lambda: 1 - R2() / 4, 3: lambda: R2() / 4},
    4: {
        0: lambda: mpmath.mpf(9) / 8 - 11 * R2() / 16,
        2: lambda: -mpmath.mpf(1) / 4 + 11 * R2() / 16,
        4: lambda: mpmath.mpf(1) / 8,
    },
    5: {
        1: lambda: mpmath.mpf(33) / 32 - 13 * R2() / 32,
        3: lambda: -mpmath.mpf(1) / 16 + 13 * R2() / 32,
        5: lambda: mpmath.mpf(1) / 32,
    },
}


@pytest.mark.parametrize("n", sorted(CLOSED_FORMS))
def test_distribution_closed_forms_small_n(n):
    """Identity: p_{n,k} for n <= 5 equal Edelman's closed forms (float to 1e-14, mp to 1e-45)."""
    p = rmtedge.real_count_distribution(n)
    with mpmath.workdps(60):
        pm = rmp.real_count_distribution(n, dps=50)
        pf = rmp.real_count_distribution(n, dps=50, method="pfaffian")
        for k, form in CLOSED_FORMS[n].items():
            ref = form()
            assert rel_err(p[k], ref) <= 1e-14
            assert abs(pm[k] - ref) <= mpmath.mpf(10) ** -45
            assert abs(pf[k] - ref) <= mpmath.mpf(10) ** -45
        assert sum(1 for v in p if v > 0) == len(CLOSED_FORMS[n])


@pytest.mark.parametrize("n", [1, 2, 3, 6, 9, 16, 17, 30, 31, 50, 51])
def test_distribution_sum_mean_parity(n):
    """Identities: sum_k p_{n,k} = 1; sum_k k p_{n,k} = E_n; p_{n,k} = 0 when k - n is odd."""
    p = rmtedge.real_count_distribution(n)
    k = np.arange(n + 1)
    assert p.shape == (n + 1,)
    assert np.all(p >= 0)
    assert np.all(p[(k - n) % 2 == 1] == 0.0)
    assert math.fsum(p) == pytest.approx(1.0, rel=1e-14)
    assert math.fsum(k * p) == pytest.approx(rmtedge.expected_real_eigenvalues(n), rel=1e-14)


@pytest.mark.parametrize("n", list(range(1, 15)))
def test_mp_determinant_equals_pfaffian(n):
    """Identity: det(I - (1 - zeta^2) S) (Forrester-Nagao / Akemann-Kanzieper form) equals de
    Bruijn's Pfaffian ratio in the monomial basis, coefficient by coefficient, to 1e-25."""
    a = rmp.real_count_distribution(n, dps=30)
    b = rmp.real_count_distribution(n, dps=30, method="pfaffian")
    with mpmath.workdps(30):
        for x, y in zip(a, b, strict=True):
            assert (x == 0) == (y == 0)
            if y:
                assert abs(x - y) <= mpmath.mpf(10) ** -25 * y


def test_mp_skew_orthogonality_of_q_basis():
    """Identities behind the determinant form, from the real and complex skew moments:
    <q_2i, q_2j+1> = 2 sqrt(2 pi) (2j)! delta_ij, <q_2i, q_2j> = <q_2i+1, q_2j+1> = 0, and
    <x^2i, q_2j+1>_R = 2 Gamma(i + j + 1/2), with q_2j = x^2j, q_2j+1 = x^2j+1 - 2j x^2j-1."""
    n = 10
    with mpmath.workdps(60):
        R = mpmath.matrix(rmp._real_skew_moments(n))
        C = mpmath.matrix(rmp._complex_skew_moments(n))
        B = mpmath.eye(n)
        for j in range(3, n, 2):
            B[j, j - 2] = -(j - 1)
        total = B * (R + C) * B.T
        real = B * R * B.T
        tol = mpmath.mpf(10) ** -50
        for a in range(n):
            for b in range(n):
                if a % 2 == 0 and b == a + 1:
                    expected = 2 * mpmath.sqrt(2 * mpmath.pi) * mpmath.factorial(a)
                elif b % 2 == 0 and a == b + 1:
                    expected = -2 * mpmath.sqrt(2 * mpmath.pi) * mpmath.factorial(b)
                else:
                    expected = 0
                assert abs(total[a, b] - expected) <= tol * max(1, abs(expected))
        for i in range(n // 2):
            for j in range(n // 2):
                expected = 2 * mpmath.gamma(i + j + mpmath.mpf(1) / 2)
                assert abs(real[2 * i, 2 * j + 1] - expected) <= tol * expected


def test_mp_skew_moments_by_quadrature():
    """The closed forms of the real skew moment R_32, of the complex moment C_14 and of the
    one-dimensional moments M_b agree with numerical integration of their definitions
    (scipy 2-D quadrature in float64 to 1e-8; mpmath quad at 30 digits for M_b)."""
    from scipy import integrate, special

    with mpmath.workdps(30):
        R = rmp._real_skew_moments(4)
        C = rmp._complex_skew_moments(5)
        M = rmp._erfcx_moments(8)
        for b in [0, 1, 4, 7]:
            direct = mpmath.quad(
                lambda y, b=b: y**b * mpmath.exp(y * y) * mpmath.erfc(mpmath.sqrt(2) * y),
                [0, 1, mpmath.inf],
            )
            assert abs(direct / M[b] - 1) < mpmath.mpf(10) ** -25
    # R_32 = int int exp(-(x^2+y^2)/2) x^3 y^2 sgn(y - x) dx dy
    val, _ = integrate.dblquad(
        lambda y, x: np.exp(-(x * x + y * y) / 2) * x**3 * y**2 * np.sign(y - x),
        -12,
        12,
        lambda x: -12,
        lambda x: x,
        epsabs=1e-13,
    )
    val2, _ = integrate.dblquad(
        lambda y, x: np.exp(-(x * x + y * y) / 2) * x**3 * y**2 * np.sign(y - x),
        -12,
        12,
        lambda x: x,
        lambda x: 12,
        epsabs=1e-13,
    )
    assert (val + val2) / float(R[3][2]) == pytest.approx(1, rel=1e-8)

    # C_14 = 2i int int_{y>0} e^{y^2-x^2} erfc(sqrt2 y) (z zbar^4 - zbar z^4) dx dy, with
    # e^{y^2} erfc(sqrt2 y) = erfcx(sqrt2 y) e^{-y^2}
    def integrand(y, x):
        z = complex(x, y)
        w = z * z.conjugate() ** 4 - z.conjugate() * z**4
        return (2j * w).real * np.exp(-x * x - y * y) * special.erfcx(np.sqrt(2) * y)

    val, _ = integrate.dblquad(integrand, -12, 12, 0, 12, epsabs=1e-13)
    assert val / float(C[1][4]) == pytest.approx(1, rel=1e-8)


@pytest.mark.parametrize(
    "n",
    [40, 41, 70, *(pytest.param(n, marks=pytest.mark.slow) for n in (100, 101, 150, 200))],
)
def test_float_distribution_vs_mp_reference(n):
    """Float p_{n,k} and log p_{n,k} equal the mpmath determinant route at 60 digits (relative
    1e-14 on every non-zero entry; logs to 1e-14 absolute + relative), including entries that
    underflow float64 (n = 70: p_{70,70} = 2^(-1207.5))."""
    p = rmtedge.real_count_distribution(n)
    logp = rmtedge.log_real_count_distribution(n)
    ref = rmp.real_count_distribution(n, dps=60)
    with mpmath.workdps(60):
        for k, r in enumerate(ref):
            if r == 0:
                assert p[k] == 0.0 and logp[k] == -np.inf
                continue
            assert logp[k] == pytest.approx(float(mpmath.log(r)), rel=1e-14, abs=1e-14)
            if r > mpmath.mpf(1e-300):
                assert rel_err(p[k], r) <= 1e-14
            elif r < mpmath.mpf(1e-330):
                assert p[k] == 0.0
    assert logp[n] == pytest.approx(rmtedge.log_prob_all_real(n), rel=1e-14)


def test_mp_two_precisions_agree():
    """The mpmath law at 50 and at 80 digits agrees to 1e-45 (n = 25 and 26)."""
    for n in [25, 26]:
        a = rmp.real_count_distribution(n, dps=50)
        b = rmp.real_count_distribution(n, dps=80)
        with mpmath.workdps(80):
            for x, y in zip(a, b, strict=True):
                assert abs(x - y) <= mpmath.mpf(10) ** -45 * abs(y)


def test_validation_detects_disagreement(monkeypatch):
    """The two-precision check raises ArithmeticError when the two runs disagree beyond 1e-13."""
    calls = []
    original = rc._distribution_mp

    def perturbed(n, dps):
        values = original(n, dps)
        calls.append(dps)
        if len(calls) == 2:  # corrupt the second run by 1e-12 relative
            values = [v * (1 + mpmath.mpf(10) ** -12) for v in values]
        return values

    rc._distribution_cached.cache_clear()
    monkeypatch.setattr(rc, "_distribution_mp", perturbed)
    try:
        with pytest.raises(ArithmeticError, match="disagrees"):
            rmtedge.real_count_distribution(8)
    finally:
        rc._distribution_cached.cache_clear()


def test_distribution_returns_copies():
    """The cached law is not exposed: modifying a returned array does not change later calls."""
    p = rmtedge.real_count_distribution(6)
    p[:] = -1.0
    assert np.all(rmtedge.real_count_distribution(6) >= 0)
    logp = rmtedge.log_real_count_distribution(6)
    logp[:] = 0.0
    assert rmtedge.log_real_count_distribution(6)[1] == -np.inf


def test_prob_real_count_vectorized_and_support():
    """prob_real_count(n, k) reads p_{n,k}; k > n or of the wrong parity gives 0.0."""
    n = 7
    p = rmtedge.real_count_distribution(n)
    k = np.array([[0, 1, 2], [7, 8, 100]])
    out = rmtedge.prob_real_count(n, k)
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out, [[0.0, p[1], 0.0], [p[7], 0.0, 0.0]])
    assert rmtedge.prob_real_count(n, 3) == p[3]
    assert isinstance(rmtedge.prob_real_count(n, 3), float)
    assert rmtedge.prob_real_count(n, np.int64(4)) == 0.0


# ------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "func",
    [
        rmtedge.expected_real_eigenvalues,
        rmtedge.prob_all_real,
        rmtedge.log_prob_all_real,
        rmtedge.real_count_distribution,
        rmtedge.log_real_count_distribution,
        lambda n: rmtedge.prob_real_count(n, 0),
        rmp.expected_real_eigenvalues,
        rmp.real_count_distribution,
    ],
)
def test_bad_n(func):
    """n < 1 is a ValueError, float or bool n a TypeError; messages name n."""
    for bad in [0, -3]:
        with pytest.raises(ValueError, match="n must be"):
            func(bad)
    for bad in [2.0, True, "3", None]:
        with pytest.raises(TypeError, match="n must be"):
            func(bad)


def test_bad_array_n():
    """Array n: floats or bools are TypeError, entries < 1 a ValueError naming n."""
    with pytest.raises(TypeError, match="n must"):
        rmtedge.expected_real_eigenvalues(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="n must"):
        rmtedge.prob_all_real(np.array([True]))
    with pytest.raises(ValueError, match="n must be >= 1"):
        rmtedge.expected_real_eigenvalues(np.array([3, 0]))


def test_bad_k_and_limits():
    """Negative k is a ValueError and float k a TypeError (naming k); n above the documented
    limit is a ValueError naming REAL_COUNT_MAX_N; mp refuses dps < 20 and unknown methods."""
    with pytest.raises(ValueError, match="k must be >= 0"):
        rmtedge.prob_real_count(4, -2)
    with pytest.raises(TypeError, match="k must"):
        rmtedge.prob_real_count(4, 2.0)
    with pytest.raises(ValueError, match="REAL_COUNT_MAX_N"):
        rmtedge.real_count_distribution(rc.REAL_COUNT_MAX_N + 1)
    with pytest.raises(ValueError, match="REAL_COUNT_MAX_N"):
        rmtedge.log_real_count_distribution(10**6)
    with pytest.raises(ValueError, match="dps must be >= 20"):
        rmp.real_count_distribution(4, dps=19)
    with pytest.raises(ValueError, match="dps must be >= 20"):
        rmp.expected_real_eigenvalues(4, dps=15)
    with pytest.raises(TypeError, match="dps"):
        rmp.expected_real_eigenvalues(4, dps=30.0)
    with pytest.raises(ValueError, match="method"):
        rmp.real_count_distribution(4, method="qr")


# ------------------------------------------------------------------------------------------
# hypothesis
# ------------------------------------------------------------------------------------------


@given(n=st.integers(min_value=1, max_value=40))
@example(n=1)
@example(n=40)
def test_distribution_properties_hypothesis(n):
    """Identities for n in 1..40: p_{n,k} >= 0, sum_k p_{n,k} = 1, sum_k k p_{n,k} = E_n,
    p_{n,n} = 2^(-n(n-1)/4)."""
    p = rmtedge.real_count_distribution(n)
    assert np.all(p >= 0)
    assert math.fsum(p) == pytest.approx(1.0, rel=1e-14)
    assert math.fsum(np.arange(n + 1) * p) == pytest.approx(
        rmtedge.expected_real_eigenvalues(n), rel=1e-14
    )
    assert p[n] == pytest.approx(2.0 ** (-n * (n - 1) / 4), rel=1e-14)


@given(n=st.integers(min_value=1, max_value=10**12))
@example(n=1)
@example(n=50)
@example(n=51)
@example(n=10**12)
def test_expected_monotone_and_bounded_hypothesis(n):
    """E_n is increasing in n, 1 <= E_n <= n, and E_n/sqrt(2n/pi) -> 1 (within 0.5/sqrt(n) + 3/(8n))."""
    e, e_next = rmtedge.expected_real_eigenvalues(np.array([n, n + 1]))
    assert 1.0 <= e <= n
    assert e_next > e
    lead = math.sqrt(2 * n / math.pi)
    assert abs(e / lead - 1) <= 0.5 / lead + 3 / (8 * n) + 1e-15


# ------------------------------------------------------------------------------------------
# Monte Carlo
# ------------------------------------------------------------------------------------------

ALPHA = 1e-3


def _sample_real_counts(n: int, size: int, seed: int) -> np.ndarray:
    """Number of real eigenvalues (imag == 0 exactly: LAPACK's real Schur form) of `size`
    real Ginibre matrices."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        G = rmtedge.ginibre(n, size=size, scale="ginibre", rng=seed)
        ev = np.linalg.eigvals(G)
    return np.count_nonzero(ev.imag == 0, axis=-1)


def _merged_chisquare(counts: np.ndarray, p: np.ndarray) -> tuple[float, int]:
    """Chi-square test of observed counts against probabilities p (support with p > 0); adjacent
    bins are merged until every expected count is >= 5. Returns (p-value, number of bins)."""
    total = counts.size
    support = np.flatnonzero(p > 0)
    observed = np.bincount(counts, minlength=p.size)
    assert observed[p == 0].sum() == 0  # no count of the wrong parity or beyond n
    obs_bins, exp_bins = [], []
    acc_o = acc_e = 0.0
    for k in support:
        acc_o += observed[k]
        acc_e += total * p[k]
        if acc_e >= 5:
            obs_bins.append(acc_o)
            exp_bins.append(acc_e)
            acc_o = acc_e = 0.0
    if acc_e > 0 or acc_o > 0:
        if exp_bins:
            obs_bins[-1] += acc_o
            exp_bins[-1] += acc_e
        else:
            obs_bins.append(acc_o)
            exp_bins.append(acc_e)
    obs_bins, exp_bins = np.array(obs_bins), np.array(exp_bins)
    exp_bins *= total / exp_bins.sum()
    if obs_bins.size < 2:
        return 1.0, 1
    return float(stats.chisquare(obs_bins, exp_bins).pvalue), obs_bins.size


def _mean_ztest(counts: np.ndarray, p: np.ndarray, mean: float) -> float:
    """Two-sided z-test p-value of the sample mean against E_n, with the exact variance."""
    k = np.arange(p.size)
    var = math.fsum(k * k * p) - mean * mean
    z = (counts.mean() - mean) / math.sqrt(var / counts.size)
    return float(2 * stats.norm.sf(abs(z)))


MC_CASES = [(2, 4000, 11), (3, 4000, 12), (5, 4000, 13), (10, 4000, 14), (20, 3000, 15)]


@pytest.mark.parametrize(("n", "size", "seed"), MC_CASES)
def test_monte_carlo_counts(n, size, seed):
    """Monte Carlo, significance alpha = 1e-3 for each test: the number of real eigenvalues of
    `size` real Ginibre matrices (seeded) follows p_{n,k} (chi-square on counts, bins merged to
    expected >= 5) and its sample mean matches E_n (z-test with the exact variance).
    The chi-square uses counts, so a wrong law (e.g. p_{n+2,k}) fails it; see the power test."""
    counts = _sample_real_counts(n, size, seed)
    p = rmtedge.real_count_distribution(n)
    pval, bins = _merged_chisquare(counts, p)
    assert bins >= 2
    assert pval > ALPHA, f"chi-square p = {pval:.2e} with {bins} bins"
    assert _mean_ztest(counts, p, rmtedge.expected_real_eigenvalues(n)) > ALPHA


def test_monte_carlo_has_power():
    """The Monte Carlo test can fail: samples of n = 10 tested against the law of n = 12
    (same parity, mean 3.19 vs 2.93) are rejected at alpha = 1e-3 (chi-square and z-test)."""
    counts = _sample_real_counts(10, 4000, 14)
    wrong = rmtedge.real_count_distribution(12)[:11]
    wrong = wrong / wrong.sum()
    pval, _ = _merged_chisquare(counts, wrong)
    assert pval < ALPHA
    assert (
        _mean_ztest(
            counts, rmtedge.real_count_distribution(12), rmtedge.expected_real_eigenvalues(12)
        )
        < ALPHA
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("n", "size", "seed"), [(3, 200000, 21), (10, 100000, 22), (20, 50000, 23), (50, 20000, 24)]
)
def test_monte_carlo_counts_slow(n, size, seed):
    """Larger Monte Carlo runs, alpha = 1e-3 per test: chi-square on counts (merged bins) and
    z-test of the mean against p_{n,k} and E_n."""
    counts = _sample_real_counts(n, size, seed)
    p = rmtedge.real_count_distribution(n)
    pval, _ = _merged_chisquare(counts, p)
    assert pval > ALPHA
    assert _mean_ztest(counts, p, rmtedge.expected_real_eigenvalues(n)) > ALPHA
