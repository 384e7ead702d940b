"""Tests of rmtedge.recurrent.simulate: simulate_hidden_states and power_norms.

Identities used (each test names its own):
* the recurrence h_t = W h_{t-1} + x_t, h_0 = 0 (checked against a per-step matrix-vector loop);
* E||h_t||^2 / n = sum_{k<t} (1/n) E||W^k||_F^2 for isotropic i.i.d. inputs;
* (1/n) E tr(W W*) = 1, (1/n) E tr(W^2 W*^2) = 1 + 1/n^2 (complex), 1 + 2/n^2 (real)
  (``docs/theory.md``, "Moments, the growth bound and the instability threshold": E tr(G^2 G*^2) = n^3 + n, resp. n^3 + 2n).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from threadpoolctl import threadpool_limits

import rmtedge
from rmtedge._core.checks import check_rng
from rmtedge.ensembles.samplers import ginibre
from rmtedge.recurrent import simulate as rec

ALPHA = 1e-3  # significance level of every Monte Carlo test in this file
Z_CRIT = stats.norm.isf(ALPHA / 2)  # two-sided


@pytest.fixture(autouse=True)
def _one_blas_thread():
    # Oversubscribed multithreaded BLAS is ~20x slower on a shared 2-core machine.
    with threadpool_limits(1):
        yield


def _naive(W, X):
    """Per-step matrix-vector loop: returns states (m, p, T, n) for W (m, n, n), X (p, T, n)."""
    m, n, _ = W.shape
    p, T, _ = X.shape
    out = np.zeros((m, p, T, n), dtype=np.result_type(W, X))
    for j in range(m):
        for i in range(p):
            h = np.zeros(n, dtype=out.dtype)
            for t in range(T):
                h = W[j] @ h + X[i, t]
                out[j, i, t] = h
    return out


def _rel(a, b):
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))


# ------------------------------------------------------------------------------------------------
# exact checks against the naive loop
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("wfield", ["real", "complex"])
@pytest.mark.parametrize("xfield", ["real", "complex"])
def test_matches_naive_loop(wfield, xfield):
    """Identity h_t = W h_{t-1} + x_t (h_0 = 0): norms and kept states equal a per-step
    matrix-vector loop to 1e-12 relative, for real/complex W and inputs (real W with complex
    states goes through the interleaved real-GEMM path)."""
    rng = np.random.default_rng(11)
    n, m, p, T = 7, 3, 4, 25
    W = ginibre(n, field=wfield, size=m, rng=rng) * 1.1
    X = rng.standard_normal((p, T, n))
    if xfield == "complex":
        X = X + 1j * rng.standard_normal((p, T, n))
    tr = rmtedge.simulate_hidden_states(W, T=T, inputs=X, keep=True)
    ref = _naive(W, X)
    assert tr.log_norms.shape == (m, p, T)
    assert np.array_equal(tr.times, np.arange(1, T + 1))
    assert _rel(tr.norms, np.linalg.norm(ref, axis=-1)) < 1e-12
    assert tr.states.shape == (m, p, T, n)
    assert np.max(np.abs(tr.states - ref)) <= 1e-12 * np.max(np.abs(ref))


@pytest.mark.parametrize("field", ["real", "complex"])
def test_default_gaussian_stream(field, monkeypatch):
    """Identity with the documented random stream: one child generator per matrix draws W_j
    (ginibre), then the inputs in (t, coordinate, input) order; CN(0,1) inputs are
    (a + ib)/sqrt(2). Tiny chunk and batch budgets must not change the result."""
    n, m, p, T, seed = 5, 3, 4, 9, 2024
    gens = check_rng(seed).spawn(m)
    Ws, Xs = [], []
    for g in gens:
        Ws.append(ginibre(n, field=field, rng=g))
        if field == "complex":
            z = g.standard_normal((T, n, p, 2)).view(np.complex128)[..., 0] / math.sqrt(2)
        else:
            z = g.standard_normal((T, n, p))
        Xs.append(z.transpose(2, 0, 1))  # (p, T, n)
    ref = np.stack([_naive(Ws[j][None], Xs[j])[0] for j in range(m)])
    tr = rmtedge.simulate_hidden_states(n=n, field=field, T=T, n_matrices=m, n_inputs=p, rng=seed)
    assert _rel(tr.norms, np.linalg.norm(ref, axis=-1)) < 1e-12
    # chunk length 1 step and one matrix per batch: same numbers
    monkeypatch.setattr(rec, "_INPUT_CHUNK_BYTES", 1)
    monkeypatch.setattr(rec, "_MATRIX_BATCH_BYTES", 1)
    tr2 = rmtedge.simulate_hidden_states(n=n, field=field, T=T, n_matrices=m, n_inputs=p, rng=seed)
    assert np.array_equal(tr.log_norms, tr2.log_norms)
    # more matrices: the first m are unchanged
    tr3 = rmtedge.simulate_hidden_states(
        n=n, field=field, T=T, n_matrices=m + 2, n_inputs=p, rng=seed
    )
    assert np.array_equal(tr3.log_norms[:m], tr.log_norms)


def test_times_subset_and_time_zero():
    """Recording a subset of times gives the same values as recording all times; h_0 = 0 has
    norm 0 (log-norm -inf); the recursion only runs to max(times)."""
    W = ginibre(6, size=2, rng=1)
    full = rmtedge.simulate_hidden_states(W, T=12, n_inputs=3, rng=5)
    sub = rmtedge.simulate_hidden_states(W, T=12, n_inputs=3, rng=5, times=[7, 0, 3, 7])
    assert np.array_equal(sub.times, [0, 3, 7])
    assert np.all(sub.log_norms[..., 0] == -np.inf)
    assert np.all(sub.norms[..., 0] == 0)
    assert np.array_equal(sub.log_norms[..., 1:], full.log_norms[..., [2, 6]])


def test_scale_factor_and_callable_inputs():
    """Identity: scale_factor s runs the recurrence with W/s. A callable inputs(t) is called
    once per step, t = 1..T in order, and equals the same inputs given as an array."""
    rng = np.random.default_rng(3)
    n, T = 6, 10
    W = ginibre(n, size=2, rng=rng)
    X = rng.standard_normal((2, T, n))
    calls = []

    def f(t):
        calls.append(t)
        return X[:, t - 1, :]

    a = rmtedge.simulate_hidden_states(W, T=T, inputs=f, n_inputs=2, scale_factor=1.7)
    b = rmtedge.simulate_hidden_states(W / 1.7, T=T, inputs=X)
    assert calls == list(range(1, T + 1))
    assert _rel(a.norms, b.norms) < 1e-13
    # broadcasting: a (n,) vector is the same input for every realization
    c = rmtedge.simulate_hidden_states(W, T=3, inputs=lambda t: np.ones(n), n_inputs=2)
    assert np.array_equal(c.log_norms[:, 0], c.log_norms[:, 1])
    with pytest.raises(TypeError, match="complex"):
        rmtedge.simulate_hidden_states(W, T=2, inputs=lambda t: 1j * np.ones(n))
    with pytest.raises(ValueError, match="broadcastable"):
        rmtedge.simulate_hidden_states(W, T=2, inputs=lambda t: np.ones(n + 1))


@pytest.mark.parametrize("field", ["real", "complex"])
def test_no_overflow_log_space(field):
    """Identity: for W = 2I and x_t = e_1, h_t = (2^t - 1) e_1, so log||h_t|| = log(2^t - 1);
    checked to 1e-12 relative up to t = 3000 (||h_t|| ~ 1e903, far beyond float range)."""
    n, T = 3, 3000
    W = 2.0 * np.eye(n, dtype=np.complex128 if field == "complex" else np.float64)
    X = np.zeros((T, n))
    X[:, 0] = 1.0
    ts = [1, 2, 10, 1000, 1023, 1024, 1100, 3000]
    tr = rmtedge.simulate_hidden_states(W, T=T, inputs=X, times=ts, keep=True)
    ref = np.array([math.log(2**t - 1) for t in ts])
    assert _rel(tr.log_norms[0, 0], ref) < 1e-12
    assert np.all(np.isinf(tr.norms[0, 0, -3:]))
    assert np.all(np.isfinite(tr.log_energy))
    # kept states: exact below the float limit, inf (not NaN) above; zeros stay zero
    assert tr.states[0, 0, 3, 0] == 2.0**1000 - 1
    assert np.isinf(tr.states[0, 0, -1, 0]) and np.all(tr.states[0, 0, :, 1:] == 0)


def test_impulse_after_deep_decay():
    """Identity for W = I/2 with x_1 = e_1, x_2001 = e_2, other inputs 0:
    h_t = 2^{-(t-1)} e_1 (+ 2^{-(t-2001)} e_2 for t >= 2001). log||h_t|| is exact to 1e-12 while
    the state is above ~1e-380 (t = 1000: 2^-999), decays to 0 without NaN below that, and a
    later input is added correctly (no inf * 0 from the renormalisation)."""
    n, T = 2, 2500

    def x(t):
        v = np.zeros(n)
        if t == 1:
            v[0] = 1.0
        elif t == 2001:
            v[1] = 1.0
        return v

    ts = [1, 500, 1000, 2000, 2001, 2500]
    tr = rmtedge.simulate_hidden_states(0.5 * np.eye(n), T=T, inputs=x, times=ts)
    got = tr.log_norms[0, 0]
    assert not np.any(np.isnan(got))
    assert _rel(got[:3], -(np.array(ts[:3]) - 1) * math.log(2)) < 1e-12
    assert got[3] < -1000 * math.log(2)
    assert abs(got[4]) < 1e-15 and abs(got[5] / (-499 * math.log(2)) - 1) < 1e-12


def test_power_norms_identities():
    """Identities for W = I/2: ||W^k x|| = 2^{-k} ||x|| and (1/n)||W^k||_F^2 = 4^{-k}, up to
    k = 5000 (2^{-5000} underflows in float64; the log-space record does not)."""
    n, K = 4, 5000
    x = np.array([[1.0, 2.0, 2.0, 4.0], [0.0, 0.0, 3.0, 4.0]])
    ks = [0, 1, 50, 1074, 5000]
    tr = rmtedge.power_norms(0.5 * np.eye(n), T=K, x=x, times=ks, frobenius=True)
    k = np.array(ks)
    ref = np.log(np.linalg.norm(x, axis=1))[:, None] - k * math.log(2)
    assert _rel(tr.log_norms[0], ref) < 1e-13
    assert np.allclose(tr.log_frobenius_energy[0], -2 * k * math.log(2), rtol=1e-13, atol=1e-13)
    assert tr.frobenius_energy[0, -1] == 0.0  # exp underflow only at the very end


def test_power_norms_matches_matrix_powers():
    """Identity: ||W^k x|| and (1/n)||W^k||_F^2 equal the values from explicit matrix powers
    (numpy.linalg.matrix_power), to 1e-12 relative, sampled complex Glorot matrices."""
    n, m, K = 8, 3, 12
    tr = rmtedge.power_norms(
        n=n, field="complex", T=K, n_matrices=m, n_inputs=4, frobenius=True, keep=True, rng=9
    )
    gens = check_rng(9).spawn(m)
    for j, g in enumerate(gens):
        W = ginibre(n, field="complex", rng=g)
        z = g.standard_normal((n, 4, 2)).view(np.complex128)[..., 0] / math.sqrt(2)
        for k in range(K + 1):
            P = np.linalg.matrix_power(W, k)
            v = P @ z
            assert _rel(tr.norms[j, :, k], np.linalg.norm(v, axis=0)) < 1e-12
            assert _rel(tr.states[j, :, k], v.T) < 1e-11
            assert abs(tr.frobenius_energy[j, k] / (np.linalg.norm(P) ** 2 / n) - 1) < 1e-12


def test_summaries_match_numpy():
    """Summaries are their definitions: mean/median/quantiles over (matrices x inputs) equal
    numpy's on `norms`; energy = mean ||h||^2 / n; mean_log_norm = mean log||h||."""
    tr = rmtedge.simulate_hidden_states(
        n=10, T=15, n_matrices=3, n_inputs=7, rng=4, quantiles=(0.0, 0.25, 0.5, 0.9, 1.0)
    )
    v = tr.norms.reshape(-1, 15)
    assert np.allclose(tr.mean, v.mean(axis=0), rtol=1e-13)
    assert np.allclose(tr.median, np.median(v, axis=0), rtol=1e-13)
    assert np.allclose(tr.quantiles, np.quantile(v, [0, 0.25, 0.5, 0.9, 1], axis=0), rtol=1e-13)
    assert np.allclose(tr.energy, (v**2).mean(axis=0) / 10, rtol=1e-13)
    assert np.allclose(tr.mean_log_norm, np.log(v).mean(axis=0), rtol=1e-13)
    assert tr.n_realizations == 21


def test_quantiles_with_overflowed_norms():
    """Quantiles interpolating towards an overflowed norm are inf (numpy gives NaN), exact
    order statistics stay finite, and NaN propagates."""
    logs = np.array([0.0, 1.0, 1000.0, 2000.0])[None, :, None]
    tr = rec.HiddenStateTrace(
        times=np.array([1]), log_norms=logs, n=1, quantile_levels=(0.0, 1 / 3, 0.5, 1.0)
    )
    q = tr.quantiles[:, 0]
    assert q[0] == 1.0 and abs(q[1] - math.e) < 1e-15 and np.isinf(q[2]) and np.isinf(q[3])
    assert np.isinf(tr.mean[0]) and abs(tr.log_energy[0] - (4000 - math.log(4))) < 1e-12
    logs[0, 0, 0] = np.nan
    assert np.isnan(tr.quantiles).all() and np.isnan(tr.median).all()


# ------------------------------------------------------------------------------------------------
# argument validation
# ------------------------------------------------------------------------------------------------
def test_bad_arguments():
    """Bad input raises ValueError/TypeError naming the argument."""
    W = np.eye(3)
    sim = rmtedge.simulate_hidden_states
    with pytest.raises(ValueError, match="T"):
        sim(W, T=-1)
    with pytest.raises(TypeError, match="T"):
        sim(W, T=2.0)
    with pytest.raises(TypeError, match="T"):
        sim(W, T=True)
    with pytest.raises(ValueError, match="times"):
        sim(W, T=3, times=[1, 4])
    with pytest.raises(ValueError, match="times"):
        sim(W, T=3, times=[-1, 2])
    with pytest.raises(ValueError, match="square"):
        sim(np.ones((3, 4)), T=2)
    with pytest.raises(ValueError, match="W"):
        sim(np.ones(3), T=2)
    with pytest.raises(ValueError, match="n ="):
        sim(W, n=4, T=2)
    with pytest.raises(ValueError, match="n_matrices"):
        sim(W, n_matrices=2, T=2)
    with pytest.raises(TypeError, match="W"):
        sim(np.ones((2, 2), dtype=bool), T=2)
    with pytest.raises(TypeError, match=r"pass either W .* or n\b"):
        sim(T=2)
    with pytest.raises(ValueError, match=r"^n\b"):
        sim(n=0, T=2)
    with pytest.raises(ValueError, match="field"):
        sim(n=3, field="quaternion", T=2)
    with pytest.raises(ValueError, match="quantiles"):
        sim(W, T=2, quantiles=(0.5, 1.5))
    with pytest.raises(ValueError, match="scale_factor"):
        sim(W, T=2, scale_factor=0.0)
    with pytest.raises(ValueError, match="inputs"):
        sim(W, T=4, inputs=np.ones((3, 3)))  # fewer steps than T
    with pytest.raises(ValueError, match="inputs"):
        sim(W, T=2, inputs=np.ones((2, 4)))  # wrong n
    with pytest.raises(ValueError, match="n_inputs"):
        sim(W, T=2, inputs=np.ones((2, 2, 3)), n_inputs=3)
    with pytest.raises(ValueError, match="n_inputs"):
        sim(W, T=2, n_inputs=0)
    pw = rmtedge.power_norms
    with pytest.raises(ValueError, match="T"):
        pw(W, T=-1)
    with pytest.raises(ValueError, match="times"):
        pw(W, T=2, times=[3])
    with pytest.raises(TypeError, match="T is required"):
        pw(W)
    with pytest.raises(TypeError, match="give T only"):
        pw(W, T=2, K=2)
    # the names before 0.3 still work, with a DeprecationWarning, and mean the same
    with pytest.warns(DeprecationWarning, match="K= is deprecated"):
        old = pw(W, K=3, ks=[1, 3], x=np.ones(3))
    new = pw(W, T=3, times=[1, 3], x=np.ones(3))
    assert np.array_equal(old.ks, new.times) and np.array_equal(old.log_norms, new.log_norms)
    with pytest.raises(ValueError, match=r"^x\b"):
        pw(W, T=2, x=np.ones(4))
    # T = 0: only h_0 can be recorded
    tr = sim(W, T=0, times=[0])
    assert tr.log_norms.shape == (1, 50, 1) and np.all(tr.norms == 0)
    assert sim(W, T=0).log_norms.shape == (1, 50, 0)


# ------------------------------------------------------------------------------------------------
# Monte Carlo
# ------------------------------------------------------------------------------------------------
def _z(sample, mean):
    sample = np.asarray(sample, dtype=float)
    return (sample.mean() - mean) / (sample.std(ddof=1) / math.sqrt(sample.size))


@pytest.mark.parametrize("field", ["real", "complex"])
def test_frobenius_energy_k2_monte_carlo(field):
    """Identity (1/n) E||W||_F^2 = 1 and (1/n) E||W^2||_F^2 = 1 + 1/n^2 (complex),
    1 + 2/n^2 (real), at n = 4 with 5000 independent matrices: two-sided z-tests at
    alpha = 1e-3 (seeded). Power check: the other field's constant (differing by 1/n^2 =
    0.0625, about 7 standard errors) must be rejected, so the test can fail."""
    n, m = 4, 5000
    tr = rmtedge.power_norms(
        n=n,
        field=field,
        T=2,
        n_matrices=m,
        n_inputs=0,
        frobenius=True,
        rng=20240 + (field == "real"),
    )
    e = tr.frobenius_energy
    c_true, c_other = (1, 2) if field == "complex" else (2, 1)
    assert np.all(e[:, 0] == 1.0)
    assert abs(_z(e[:, 1], 1.0)) < Z_CRIT
    assert abs(_z(e[:, 2], 1 + c_true / n**2)) < Z_CRIT
    assert abs(_z(e[:, 2], 1 + c_other / n**2)) > Z_CRIT


@pytest.mark.parametrize("field", ["real", "complex"])
def test_hidden_energy_small_t_monte_carlo(field):
    """Identity E||h_t||^2 / n = sum_{k<t} (1/n) E||W^k||_F^2 for isotropic inputs, at
    t = 1, 2, 3: exact values 1, 2, 3 + c/n^2 (c = 1 complex, 2 real), n = 4, 40000 matrices
    with one input each (independent realizations). Two-sided z-tests at alpha = 1e-3 per
    time (seeded). Power check: at t = 3 the other field's constant (1/n^2 = 0.0625 apart, about
    6 standard errors) must be rejected."""
    n, m = 4, 40000
    tr = rmtedge.simulate_hidden_states(
        n=n, field=field, T=3, n_matrices=m, n_inputs=1, rng=777 + (field == "real")
    )
    c, c_other = (1, 2) if field == "complex" else (2, 1)
    exact = [1.0, 2.0, 3.0 + c / n**2]
    e = tr.norms[:, 0, :] ** 2 / n
    for t in range(3):
        assert abs(_z(e[:, t], exact[t])) < Z_CRIT
    assert abs(_z(e[:, 2], 3.0 + c_other / n**2)) > Z_CRIT
    assert np.allclose(tr.energy, e.mean(axis=0), rtol=1e-13)


def test_glorot_grows_rescaled_decays_n200():
    """Claim 3 (instability) at n = 200, complex field, 30 matrices x 8 start vectors. Per
    matrix, a = mean over x of ||W^t x||^2 / n estimates (1/n)||W^t||_F^2. One-sided sign
    tests at alpha = 1e-3 (seeded), robust to the heavy upper tail of the mean:
    Glorot: P(a_60 > a_14) > 1/2 (growth after t ~ sqrt(n) ~ 14; ``docs/theory.md``, "Facts found while checking": mean
    energy ~ 2 at t = 30 and ~ 500 at t = 60; measured P ~ 0.9); rescaled Glorot (paper
    factor): P(a_60 < a_14 / 4) > 1/2 (decay; measured P ~ 1)."""
    n, m, ks = 200, 30, [0, 14, 30, 60]
    g = rmtedge.power_norms(n=n, field="complex", T=60, times=ks, n_matrices=m, n_inputs=8, rng=31)
    r = rmtedge.rescale_factor(n, field="complex")
    s = rmtedge.power_norms(
        n=n, field="complex", T=60, times=ks, n_matrices=m, n_inputs=8, rng=32, scale_factor=r
    )
    ag = (g.norms**2).mean(axis=1) / n
    as_ = (s.norms**2).mean(axis=1) / n
    up = int(np.sum(ag[:, 3] > ag[:, 1]))
    down = int(np.sum(as_[:, 3] < as_[:, 1] / 4))
    assert stats.binomtest(up, m, 0.5, alternative="greater").pvalue < ALPHA
    assert stats.binomtest(down, m, 0.5, alternative="greater").pvalue < ALPHA
    # log-moment ordering of the pooled realizations (medians): growth vs decay
    assert g.median[3] > g.median[2] > g.median[1]
    assert s.median[3] < s.median[2] < s.median[1]


@pytest.mark.slow
def test_glorot_energy_facts_n200_slow():
    """``docs/theory.md``, "Facts found while checking", complex Glorot n = 200, 300 matrices x 20 start vectors (seeded):
    (1/n) E||W^t||_F^2 is near 1 at t = 14 ~ sqrt(n) and about 2 at t = 30. Interval check:
    the two-sided z-interval (alpha = 1e-3) of the mean of the per-matrix estimates must meet
    [0.8, 1.4] at t = 14 and [1.5, 2.5] at t = 30; the median at t = 60 must exceed 10."""
    n, m = 200, 300
    tr = rmtedge.power_norms(
        n=n, field="complex", T=60, times=[14, 30, 60], n_matrices=m, n_inputs=20, rng=2025
    )
    a = (tr.norms**2).mean(axis=1) / n
    for k, lo, hi in [(0, 0.8, 1.4), (1, 1.5, 2.5)]:
        mean, se = a[:, k].mean(), a[:, k].std(ddof=1) / math.sqrt(m)
        assert mean - Z_CRIT * se < hi and mean + Z_CRIT * se > lo
    assert np.median(a[:, 2]) > 10


# ------------------------------------------------------------------------------------------------
# property-based (deterministic hypothesis profile from conftest)
# ------------------------------------------------------------------------------------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(
    n=st.integers(1, 5),
    m=st.integers(1, 3),
    p=st.integers(1, 3),
    T=st.integers(0, 8),
    cplx=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_matches_naive(n, m, p, T, cplx, seed):
    """Identity h_t = W h_{t-1} + x_t for arbitrary small shapes (n = 1 and T = 0 included):
    kept states equal the naive loop to 1e-12 relative, log_norms = log ||h_t||."""
    rng = np.random.default_rng(seed)
    W = ginibre(n, field="complex" if cplx else "real", size=m, rng=rng) * 1.5
    X = rng.standard_normal((p, max(T, 1), n))
    tr = rmtedge.simulate_hidden_states(W, T=T, inputs=X, keep=True)
    assert tr.log_norms.shape == (m, p, T)
    if T:
        ref = _naive(W, X[:, :T])
        scale = np.max(np.abs(ref))
        assert np.max(np.abs(tr.states - ref)) <= 1e-12 * scale
        with np.errstate(divide="ignore"):
            lref = np.log(np.linalg.norm(ref, axis=-1))
        finite = np.isfinite(lref)
        assert np.array_equal(finite, np.isfinite(tr.log_norms))
        assert np.all(
            np.abs(tr.log_norms[finite] - lref[finite]) < 1e-12 * (1 + np.abs(lref[finite]))
        )
