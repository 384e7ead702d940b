"""Tests of rmtedge.ensembles.samplers: Ginibre / Hessenberg / Kostlan samplers of spectra and radii.

Every Monte Carlo test uses a fixed seed and rejects at the significance level ``ALPHA`` stated
in its docstring (two-sided z-tests, KS or chi-square on counts); the sample sizes are chosen so
that the wrong normalisations we guard against (factor 2 in a variance, a chi degree of freedom
off by one) are rejected (checked by mutation when the tests were written).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from scipy import optimize, special, stats
from threadpoolctl import threadpool_limits

import rmtedge
from rmtedge.ensembles import _lapack, samplers
from rmtedge.ensembles.samplers import (
    count_real_eigenvalues,
    eigvals,
    ginibre,
    hessenberg_ginibre,
    spectral_radius,
)

ALPHA = 1e-3  # significance level of every statistical test in this file
Z_CRIT = stats.norm.isf(ALPHA / 2)  # two-sided z critical value, 3.29

FIELDS = ("real", "complex")
MATRIX_METHODS = ("dense", "hessenberg")


@pytest.fixture(autouse=True, scope="module")
def _single_threaded_blas():
    """Many small eigenproblems: BLAS threads only add oversubscription on a shared machine."""
    with threadpool_limits(1):
        yield


def _match_error(a: np.ndarray, b: np.ndarray) -> float:
    """Largest distance between two multisets of complex numbers after optimal matching."""
    cost = np.abs(a[:, None] - b[None, :])
    r, c = optimize.linear_sum_assignment(cost)
    return float(cost[r, c].max())


def _z(sample: np.ndarray, mean: float) -> float:
    """z statistic of the sample mean against ``mean`` (sample standard deviation)."""
    return float((sample.mean() - mean) / (sample.std(ddof=1) / math.sqrt(sample.size)))


# ---------------------------------------------------------------------------------------------
# deterministic checks of the LAPACK access


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("n", [1, 2, 3, 10, 60, 120])
def test_hseqr_equals_numpy_eigvals(field, n):
    """?hseqr eigenvalues of a Hessenberg matrix equal numpy.linalg.eigvals of it (to 1e-10)."""
    h = hessenberg_ginibre(n, field=field, rng=100 + n)
    ev = _lapack.hseqr_eigvals(h)
    assert ev.dtype == np.complex128 and ev.shape == (n,)
    assert _match_error(ev, np.linalg.eigvals(h).astype(complex)) <= 1e-10


def test_hseqr_special_matrices():
    """Identities: eigenvalues of a triangular matrix are its diagonal (exactly); the rotation
    [[0, -1], [1, 0]] has eigenvalues +-i; real Schur form gives real eigenvalues with imaginary
    part exactly 0."""
    d = np.array([3.0, -1.0, 0.5, 2.0])
    t = np.triu(np.arange(16.0).reshape(4, 4), 1) + np.diag(d)
    assert np.array_equal(np.sort(_lapack.hseqr_eigvals(t).real), np.sort(d))
    assert np.all(_lapack.hseqr_eigvals(t).imag == 0)
    rot = _lapack.hseqr_eigvals(np.array([[0.0, -1.0], [1.0, 0.0]]))
    assert _match_error(rot, np.array([1j, -1j])) <= 1e-15
    zt = np.triu(np.ones((3, 3)) * (1 + 2j), 1) + np.diag([1j, 2.0, -3 - 1j])
    assert _match_error(_lapack.hseqr_eigvals(zt), np.array([1j, 2.0, -3 - 1j])) == 0.0


def test_hseqr_ignores_entries_below_subdiagonal():
    """hseqr_eigvals treats entries below the subdiagonal as zero (it works on triu(h, -1))."""
    rng = np.random.default_rng(5)
    a = rng.standard_normal((6, 6))
    assert _match_error(_lapack.hseqr_eigvals(a), np.linalg.eigvals(np.triu(a, -1))) <= 1e-12


def test_hseqr_available_on_this_scipy():
    """The cython_lapack capsules exist (scipy >= 1.11): the fast path is really tested."""
    assert _lapack.hseqr_available()


# ---------------------------------------------------------------------------------------------
# identities between the samplers (same seed, same matrices)


@pytest.mark.parametrize("field", FIELDS)
def test_dense_is_numpy_eigvals_of_ginibre(field, monkeypatch):
    """method="dense" is exactly numpy.linalg.eigvals of ginibre() with the same seed, also when
    the batch is split into several chunks (the Generator stream is concatenative)."""
    n, size = 9, (3, 4)
    ref = np.linalg.eigvals(ginibre(n, field=field, size=size, rng=11))
    assert np.array_equal(eigvals(n, field=field, size=size, method="dense", rng=11), ref)
    monkeypatch.setattr(samplers, "_CHUNK_ELEMENTS", 5 * n * n)
    assert np.array_equal(eigvals(n, field=field, size=size, method="dense", rng=11), ref)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("chunk", [None, 3])
def test_hessenberg_method_uses_hessenberg_ginibre(field, chunk, monkeypatch):
    """eigvals(method="hessenberg") are the eigenvalues of hessenberg_ginibre() with the same
    seed (to 1e-10), with one or several chunks; spectral_radius and count_real_eigenvalues are
    max |lambda| and #(Im lambda == 0) of the same eigenvalues (exact equality)."""
    n, size = 12, 7
    if chunk is not None:
        monkeypatch.setattr(samplers, "_CHUNK_ELEMENTS", chunk * n * n)
    h = hessenberg_ginibre(n, field=field, size=size, rng=3)
    ev = eigvals(n, field=field, size=size, method="hessenberg", rng=3)
    for b in range(size):
        assert _match_error(ev[b], np.linalg.eigvals(h[b]).astype(complex)) <= 1e-10
    r = spectral_radius(n, field=field, size=size, method="hessenberg", rng=3)
    assert np.array_equal(r, np.abs(ev).max(axis=-1))
    if field == "real":
        k = count_real_eigenvalues(n, size=size, method="hessenberg", rng=3)
        assert np.array_equal(k, np.count_nonzero(ev.imag == 0, axis=-1))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("n", [1, 5, 6, 9, 10, 30])
def test_auto_is_dense_below_crossover_and_hessenberg_above(field, n):
    """method="auto" returns exactly what the method it resolves to returns (same seed)."""
    expected = "hessenberg" if n >= samplers._CROSSOVER[field] else "dense"
    auto = eigvals(n, field=field, size=3, rng=8)
    assert np.array_equal(auto, eigvals(n, field=field, size=3, method=expected, rng=8))


def test_auto_falls_back_to_dense_without_hseqr(monkeypatch):
    """Without the cython_lapack capsule: "auto" silently uses "dense", explicit "hessenberg"
    raises an error that names the working method."""
    monkeypatch.setattr(_lapack, "hseqr_available", lambda: False)
    assert np.array_equal(eigvals(40, size=2, rng=1), eigvals(40, size=2, method="dense", rng=1))
    with pytest.raises(RuntimeError, match="method='dense'"):
        eigvals(40, method="hessenberg", rng=1)


def test_hessenberg_structure():
    """Identities of the Hessenberg model: zero below the subdiagonal, positive real subdiagonal,
    and Glorot scale equals Ginibre scale divided by sqrt(n) (same seed)."""
    n = 7
    for field in FIELDS:
        h = hessenberg_ginibre(n, field=field, size=5, scale="ginibre", rng=4)
        assert np.all(np.tril(h, -2) == 0)
        sub = np.diagonal(h, offset=-1, axis1=-2, axis2=-1)
        assert np.all(sub.real > 0) and np.all(sub.imag == 0)
        w = hessenberg_ginibre(n, field=field, size=5, rng=4)
        np.testing.assert_allclose(w, h / math.sqrt(n), rtol=1e-15, atol=0)


# ---------------------------------------------------------------------------------------------
# shapes, types, reproducibility


@pytest.mark.parametrize("size", [None, 0, 3, (2, 3), (2, 0)])
def test_shapes_and_dtypes(size):
    """Result shapes follow numpy's ``size`` convention; dtypes are complex128/float64/int64."""
    shape = () if size is None else ((size,) if isinstance(size, int) else size)
    for method in MATRIX_METHODS:
        assert eigvals(5, size=size, method=method, rng=0).shape == (*shape, 5)
        assert eigvals(5, size=size, method=method, rng=0).dtype == np.complex128
        r = spectral_radius(5, size=size, method=method, rng=0)
        assert np.shape(r) == shape and np.asarray(r).dtype == np.float64
        k = count_real_eigenvalues(5, size=size, method=method, rng=0)
        assert np.shape(k) == shape and np.asarray(k).dtype == np.int64
    r = spectral_radius(5, field="complex", size=size, method="kostlan", rng=0)
    assert np.shape(r) == shape
    h = hessenberg_ginibre(5, field="complex", size=size, rng=0)
    assert h.shape == (*shape, 5, 5) and h.dtype == np.complex128


def test_scalar_results_for_size_none():
    """size=None gives a numpy float radius and a numpy int count (0-d results)."""
    assert isinstance(spectral_radius(6, rng=0), float)
    assert isinstance(spectral_radius(6, field="complex", rng=0), float)
    assert isinstance(count_real_eigenvalues(6, rng=0), np.int64)


CASES = [
    ("eigvals", "real", "dense"),
    ("eigvals", "real", "hessenberg"),
    ("eigvals", "complex", "dense"),
    ("eigvals", "complex", "hessenberg"),
    ("radius", "real", "dense"),
    ("radius", "real", "hessenberg"),
    ("radius", "complex", "dense"),
    ("radius", "complex", "hessenberg"),
    ("radius", "complex", "kostlan"),
    ("count", "real", "dense"),
    ("count", "real", "hessenberg"),
    ("hessenberg_ginibre", "real", None),
    ("hessenberg_ginibre", "complex", None),
]


def _sample(what, field, method, rng):
    if what == "eigvals":
        return eigvals(8, field=field, size=4, method=method, rng=rng)
    if what == "radius":
        return spectral_radius(8, field=field, size=4, method=method, rng=rng)
    if what == "count":
        return count_real_eigenvalues(8, size=40, method=method, rng=rng)
    return hessenberg_ginibre(8, field=field, size=4, rng=rng)


@pytest.mark.parametrize(("what", "field", "method"), CASES)
def test_reproducible(what, field, method):
    """Same seed -> identical arrays; different seed -> different arrays; a Generator advances."""
    a = _sample(what, field, method, 123)
    assert np.array_equal(a, _sample(what, field, method, 123))
    assert np.array_equal(a, _sample(what, field, method, np.random.default_rng(123)))
    assert not np.array_equal(a, _sample(what, field, method, 124))
    gen = np.random.default_rng(9)
    assert not np.array_equal(_sample(what, field, method, gen), _sample(what, field, method, gen))


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    "func", [eigvals, spectral_radius, count_real_eigenvalues, hessenberg_ginibre]
)
def test_bad_n(func):
    """n < 1 is a ValueError, a float or bool n a TypeError; messages name ``n``."""
    with pytest.raises(ValueError, match=r"^n must"):
        func(0)
    with pytest.raises(ValueError, match=r"^n must"):
        func(-3)
    with pytest.raises(TypeError, match=r"^n must"):
        func(3.0)
    with pytest.raises(TypeError, match=r"^n must"):
        func(True)


@pytest.mark.parametrize(
    "func", [eigvals, spectral_radius, count_real_eigenvalues, hessenberg_ginibre]
)
def test_bad_size_and_rng(func):
    """Negative or float sizes and bad seeds raise errors naming ``size`` / ``rng``."""
    with pytest.raises(ValueError, match=r"^size must"):
        func(3, size=-1)
    with pytest.raises(ValueError, match=r"^size must"):
        func(3, size=(2, -1))
    with pytest.raises(TypeError, match=r"^size must"):
        func(3, size=2.0)
    with pytest.raises(TypeError, match=r"^rng must"):
        func(3, rng="seed")
    with pytest.raises(ValueError, match=r"^rng seed must"):
        func(3, rng=-1)


def test_bad_options():
    """Unknown field/scale/method strings are ValueErrors naming the argument; non-strings are
    TypeErrors."""
    with pytest.raises(ValueError, match=r"^field must"):
        eigvals(3, field="quaternion")
    with pytest.raises(ValueError, match=r"^scale must"):
        spectral_radius(3, scale="he")
    with pytest.raises(ValueError, match=r"^scale must"):
        hessenberg_ginibre(3, scale="lecun")
    with pytest.raises(ValueError, match=r"^method must"):
        eigvals(3, method="qr")
    with pytest.raises(ValueError, match=r"^method must"):
        count_real_eigenvalues(3, method="fast")
    with pytest.raises(TypeError, match=r"^method must"):
        spectral_radius(3, method=None)
    with pytest.raises(TypeError, match=r"^field must"):
        hessenberg_ginibre(3, field=1)


def test_kostlan_domain_errors():
    """method="kostlan" outside its domain (real field, eigenvalues, counts) is a ValueError that
    names the method and suggests "hessenberg" or "dense"."""
    with pytest.raises(ValueError, match=r"method='kostlan'.*field='real'.*'hessenberg'"):
        spectral_radius(5, field="real", method="kostlan")
    with pytest.raises(ValueError, match=r"method='kostlan'.*'hessenberg'.*'dense'"):
        eigvals(5, field="complex", method="kostlan")
    with pytest.raises(ValueError, match=r"method='kostlan'.*'hessenberg'"):
        count_real_eigenvalues(5, method="kostlan")


# ---------------------------------------------------------------------------------------------
# laws: entries


@pytest.mark.parametrize("sampler", ["ginibre", "hessenberg_ginibre"])
@pytest.mark.parametrize("n", [1, 6, 40])
def test_glorot_entry_variance(sampler, n):
    """Glorot scale: E|w_ij|^2 = 1/n for the (free, i <= j for Hessenberg) entries, z-test at
    ALPHA; complex: real and imaginary parts each have variance 1/(2n) and correlation 0
    (z-tests of n*Re^2, n*Im^2 against 1/2 and sqrt(N)*corr against N(0, 1), at ALPHA)."""
    count = max(2, 60_000 // (n * n))
    for field in FIELDS:
        rng = np.random.default_rng(1000 + n)
        if sampler == "ginibre":
            w = ginibre(n, field=field, size=count, rng=rng).reshape(-1)
        else:
            h = hessenberg_ginibre(n, field=field, size=count, rng=rng)
            iu = np.triu_indices(n)
            w = h[:, iu[0], iu[1]].reshape(-1)
        assert abs(_z(n * np.abs(w) ** 2, 1.0)) < Z_CRIT
        if field == "complex":
            assert abs(_z(n * w.real**2, 0.5)) < Z_CRIT
            assert abs(_z(n * w.imag**2, 0.5)) < Z_CRIT
            corr = np.corrcoef(w.real, w.imag)[0, 1]
            assert abs(corr) * math.sqrt(w.size) < Z_CRIT
            assert abs(_z(math.sqrt(n) * w.real, 0.0)) < Z_CRIT


@pytest.mark.parametrize("field", FIELDS)
def test_hessenberg_subdiagonal_law(field):
    """Subdiagonal of the Ginibre-scale Hessenberg model: h_{k+1,k}^2 ~ chi^2_{n-k} (real) or
    Gamma(n-k, 1) (complex). The probability-integral transforms of all k, pooled, must be
    uniform: KS test at ALPHA."""
    n, count = 12, 3000
    h = hessenberg_ginibre(n, field=field, size=count, scale="ginibre", rng=77)
    s2 = np.diagonal(h, offset=-1, axis1=-2, axis2=-1).real ** 2  # (count, n-1)
    dof = np.arange(n - 1, 0, -1)
    u = stats.chi2.cdf(s2, dof) if field == "real" else special.gammainc(dof, s2)
    assert stats.kstest(u.reshape(-1), "uniform").pvalue > ALPHA


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("n", [3, 25])
def test_hessenberg_frobenius_norm_law(field, n):
    """Householder reduction is an orthogonal (unitary) similarity, so ||H||_F^2 has the law of
    ||G||_F^2: chi^2 with n^2 degrees of freedom (real) or Gamma(n^2, 1) (complex). KS at ALPHA."""
    h = hessenberg_ginibre(n, field=field, size=3000, scale="ginibre", rng=55 + n)
    f2 = np.sum(np.abs(h) ** 2, axis=(-2, -1))
    law = stats.chi2(n * n) if field == "real" else stats.gamma(n * n)
    assert stats.kstest(f2, law.cdf).pvalue > ALPHA


@pytest.mark.parametrize("method", MATRIX_METHODS)
def test_complex_second_moment_of_eigenvalues(method):
    """Kostlan: E sum_i |lambda_i(G)|^2 = sum_{k=1}^n k = n(n+1)/2 (complex Ginibre scale);
    z-test at ALPHA."""
    n = 15
    ev = eigvals(n, field="complex", size=4000, scale="ginibre", method=method, rng=21)
    assert abs(_z(np.sum(np.abs(ev) ** 2, axis=-1), n * (n + 1) / 2)) < Z_CRIT


# ---------------------------------------------------------------------------------------------
# laws: spectral radius and real eigenvalues


def _samples_for(n: int) -> int:
    return 4000 if n <= 10 else 800


@functools.cache
def _dense_radii(n: int, field: str) -> np.ndarray:
    return spectral_radius(n, field=field, size=_samples_for(n), method="dense", rng=500 + n)


def _complex_radius_cdf(r: np.ndarray, n: int) -> np.ndarray:
    """Exact Glorot-scale law P(rho(W) <= r) = prod_{k=1}^n P(k, n r^2) (Kostlan)."""
    k = np.arange(1, n + 1)
    return np.exp(np.sum(np.log(special.gammainc(k, n * np.asarray(r)[..., None] ** 2)), axis=-1))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("n", [1, 2, 10, 50])
def test_radius_hessenberg_vs_dense(field, n):
    """Spectral radius of the Hessenberg model and of the dense Ginibre matrix have the same law:
    two-sample KS at ALPHA (independent seeds)."""
    hess = spectral_radius(n, field=field, size=_samples_for(n), method="hessenberg", rng=900 + n)
    assert stats.ks_2samp(hess, _dense_radii(n, field)).pvalue > ALPHA


@pytest.mark.parametrize("n", [1, 2, 10, 50])
def test_radius_kostlan_vs_dense(n):
    """Kostlan radius vs dense complex radius: two-sample KS at ALPHA."""
    kos = spectral_radius(n, field="complex", size=_samples_for(n), method="kostlan", rng=700 + n)
    assert stats.ks_2samp(kos, _dense_radii(n, "complex")).pvalue > ALPHA


@pytest.mark.parametrize("method", ["dense", "hessenberg", "kostlan"])
@pytest.mark.parametrize("n", [1, 2, 10, 50])
def test_complex_radius_exact_law(method, n):
    """Every complex sampler against the exact law P(rho(W) <= r) = prod_k P(k, n r^2)
    (Kostlan 1992; ``docs/theory.md``, "Complex Ginibre matrices"): one-sample KS at ALPHA."""
    if method == "dense":
        r = _dense_radii(n, "complex")
    else:
        r = spectral_radius(n, field="complex", size=_samples_for(n), method=method, rng=300 + n)
    assert stats.kstest(r, lambda x: _complex_radius_cdf(x, n)).pvalue > ALPHA


def test_complex_radius_exact_law_rejects_wrong_scale():
    """Power check of the exact-law KS test: radii of a matrix with entry variance 2/n (a
    mis-normalised complex Ginibre) are rejected at ALPHA with 1200 samples of n = 10."""
    r = math.sqrt(2.0) * spectral_radius(10, field="complex", size=1200, method="kostlan", rng=1)
    assert stats.kstest(r, lambda x: _complex_radius_cdf(x, 10)).pvalue < ALPHA


def _uniform_eigenvalue(ev: np.ndarray, seed: int) -> np.ndarray:
    """One eigenvalue per sample, at an index drawn uniformly (independently of the matrix)."""
    j = np.random.default_rng(seed).integers(0, ev.shape[-1], size=ev.shape[0])
    return ev[np.arange(ev.shape[0]), j]


@pytest.mark.parametrize("field", FIELDS)
def test_typical_eigenvalue_hessenberg_vs_dense(field):
    """Beyond the radius: a uniformly chosen eigenvalue of the Hessenberg model and of the dense
    matrix (n = 10, 4000 samples each) have the same law of |lambda| and of Re(lambda)
    (two-sample KS tests, each at ALPHA)."""
    n, m = 10, 4000
    lh = _uniform_eigenvalue(eigvals(n, field=field, size=m, method="hessenberg", rng=81), 1)
    ld = _uniform_eigenvalue(eigvals(n, field=field, size=m, method="dense", rng=82), 2)
    assert stats.ks_2samp(np.abs(lh), np.abs(ld)).pvalue > ALPHA
    assert stats.ks_2samp(lh.real, ld.real).pvalue > ALPHA


@pytest.mark.parametrize("method", MATRIX_METHODS)
def test_typical_complex_modulus_exact_law(method):
    """Kostlan: the squared moduli of complex Ginibre eigenvalues are independent Gamma(k, 1),
    k = 1..n, so a uniformly chosen one has CDF (1/n) sum_k P(k, x). One-sample KS at ALPHA
    (n = 10, 4000 samples, Ginibre scale)."""
    n = 10
    ev = eigvals(n, field="complex", size=4000, scale="ginibre", method=method, rng=83)
    x = np.abs(_uniform_eigenvalue(ev, 3)) ** 2
    k = np.arange(1, n + 1)

    def cdf(t):
        return special.gammainc(k, np.asarray(t)[..., None]).mean(axis=-1)

    assert stats.kstest(x, cdf).pvalue > ALPHA


# Exact p_{n,k} (Edelman 1997; ``docs/theory.md``, "Real eigenvalues of real Ginibre matrices"), k = number of real eigenvalues.
_S2 = math.sqrt(2.0)
EXACT_P = {
    2: {0: 1 - _S2 / 2, 2: _S2 / 2},
    3: {1: 1 - _S2 / 4, 3: _S2 / 4},
    4: {0: 9 / 8 - 11 * _S2 / 16, 2: -1 / 4 + 11 * _S2 / 16, 4: 1 / 8},
    5: {1: 33 / 32 - 13 * _S2 / 32, 3: -1 / 16 + 13 * _S2 / 32, 5: 1 / 32},
}


@pytest.mark.parametrize("method", MATRIX_METHODS)
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_real_count_exact_law(method, n):
    """Counts of real eigenvalues against Edelman's exact p_{n,k} (p_{1,1} = 1): chi-square on
    the observed counts at ALPHA, 20000 matrices. Every count has the parity of n."""
    k = count_real_eigenvalues(n, size=20_000, method=method, rng=40 + n)
    assert np.all(k % 2 == n % 2) and np.all((k >= 0) & (k <= n))
    if n == 1:
        assert np.all(k == 1)
        return
    support = sorted(EXACT_P[n])
    observed = np.array([np.count_nonzero(k == j) for j in support])
    expected = k.size * np.array([EXACT_P[n][j] for j in support])
    assert stats.chisquare(observed, expected).pvalue > ALPHA


def test_real_count_hessenberg_vs_dense_and_mean():
    """n = 10: the count distributions of "hessenberg" and "dense" agree (chi-square test of
    homogeneity on the 2 x K table of counts, at ALPHA), and each mean matches
    E_10 = 2.92799349097 (Edelman-Kostlan-Shub; z-test at ALPHA)."""
    n, m = 10, 12_000
    kh = count_real_eigenvalues(n, size=m, method="hessenberg", rng=61)
    kd = count_real_eigenvalues(n, size=m, method="dense", rng=62)
    values = np.arange(0, n + 1, 2)
    table = np.array([[np.count_nonzero(k == v) for v in values] for k in (kh, kd)])
    # pool sparse high counts so that every expected cell is >= 5
    keep = table.sum(axis=0) >= 20
    pooled = np.column_stack([table[:, keep], table[:, ~keep].sum(axis=1)])
    pooled = pooled[:, pooled.sum(axis=0) > 0]
    assert stats.chi2_contingency(pooled).pvalue > ALPHA
    e10 = 2.92799349097
    assert abs(_z(kh.astype(float), e10)) < Z_CRIT
    assert abs(_z(kd.astype(float), e10)) < Z_CRIT


def test_kostlan_huge_n():
    """n = 10^6: Kostlan radii are finite and sit just above the unit circle. P(rho(W) <= 1) =
    prod_k P(k, n) is astronomically small and rho(W) - 1 ~ sqrt(gamma_n / (4n)) ~ 2e-3."""
    r = spectral_radius(10**6, field="complex", size=2, rng=0)
    assert np.all(np.isfinite(r)) and np.all((r > 1.0) & (r < 1.01))


@pytest.mark.slow
@pytest.mark.parametrize("field", FIELDS)
def test_radius_hessenberg_vs_dense_n200(field):
    """n = 200 (slow): Hessenberg and dense radii agree in law, two-sample KS at ALPHA with 600
    samples each; complex radii also against the exact Kostlan law."""
    hess = spectral_radius(200, field=field, size=600, method="hessenberg", rng=1)
    dense = spectral_radius(200, field=field, size=600, method="dense", rng=2)
    assert stats.ks_2samp(hess, dense).pvalue > ALPHA
    if field == "complex":
        assert stats.kstest(hess, lambda x: _complex_radius_cdf(x, 200)).pvalue > ALPHA


def test_public_names_exported():
    """The sampler functions are part of rmtedge's public API."""
    for name in ("eigvals", "spectral_radius", "count_real_eigenvalues", "hessenberg_ginibre"):
        assert getattr(rmtedge, name) is getattr(samplers, name)
        assert name in rmtedge.__all__


# ---------------------------------------------------------------------------------------------
# BLAS threads of the batch samplers (issue 16)


def _blas_threads_now() -> int:
    from threadpoolctl import threadpool_info

    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


@pytest.mark.parametrize("method", MATRIX_METHODS)
def test_batch_runs_on_one_blas_thread_by_default(monkeypatch, method):
    """The default pins BLAS to one thread inside the solve of a batch and restores the limit
    after; blas_threads=None leaves it, an int sets it; one matrix is not pinned."""
    from rmtedge.ensembles import _lapack

    seen = []
    if method == "dense":
        orig = np.linalg.eigvals

        def spy(a):
            seen.append(_blas_threads_now())
            return orig(a)

        monkeypatch.setattr(np.linalg, "eigvals", spy)
    else:
        orig_solve = _lapack.HseqrSolver.solve_into

        def spy(self, *args):
            seen.append(_blas_threads_now())
            return orig_solve(self, *args)

        monkeypatch.setattr(_lapack.HseqrSolver, "solve_into", spy)
    with threadpool_limits(2):
        outside = _blas_threads_now()
        rmtedge.spectral_radius(12, size=3, method=method, rng=0)
        rmtedge.spectral_radius(12, method=method, rng=0)
        rmtedge.spectral_radius(12, size=3, method=method, rng=0, blas_threads=None)
        rmtedge.eigvals(12, size=3, method=method, rng=0, blas_threads=2)
        rmtedge.count_real_eigenvalues(12, size=3, method=method, rng=0)
        after = _blas_threads_now()
    assert seen == [1, outside, outside, 2, 1]
    assert after == outside


def test_blas_threads_do_not_change_the_sample():
    """Same seed, same radii whatever the thread count (to rounding of LAPACK)."""
    a = rmtedge.spectral_radius(40, size=20, rng=3)
    b = rmtedge.spectral_radius(40, size=20, rng=3, blas_threads=None)
    np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize(
    ("value", "err"), [("many", ValueError), (0, ValueError), (True, TypeError), (1.5, TypeError)]
)
def test_blas_threads_bad_input(value, err):
    for call in (rmtedge.eigvals, rmtedge.spectral_radius, rmtedge.count_real_eigenvalues):
        with pytest.raises(err, match=r"^blas_threads"):
            call(8, size=2, rng=0, blas_threads=value)
    with pytest.raises(ValueError, match=r"^blas_threads"):
        rmtedge.spectral_radius(8, field="complex", size=2, rng=0, blas_threads="many")
