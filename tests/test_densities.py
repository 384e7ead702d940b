"""Tests of rmtedge.ensembles.densities (numba kernels) and of its mpmath back end rmtedge.mp.densities.

* accuracy against mpmath references at 40 digits (tests/data/density_refs.json, produced by
  tests/data/make_density_refs.py, which records the mp expressions and re-checks each value
  at 50 digits) plus a few references computed live;
* identities, each named in its test's docstring;
* Monte Carlo: counts of eigenvalues in bins/cells of fixed-seed samples against the integrals
  of the densities (Hotelling's T^2 on per-matrix count vectors, which accounts for the
  correlations between eigenvalues of one matrix; significance alpha = 1e-3), and a check
  that the same statistic rejects a density off by 5%;
* hypothesis properties (deterministic profile) and properties against small simulations;
* bad input.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

import rmtedge
from rmtedge.mp import densities as mpd

DATA = json.loads((Path(__file__).parent / "data" / "density_refs.json").read_text())
REFS = DATA["refs"]
LOG_TINY = math.log(np.finfo(np.float64).tiny)  # below this the value is not a normal float
RTOL = 1e-12  # relative error of values (normal floats) and of logs (underflow), brief h6
SQRT2 = math.sqrt(2.0)
ALPHA = 1e-3  # significance level of every Monte Carlo test


def expected_real(n: int) -> float:
    """E_n from rmtedge.ensembles.real_counts (another engineer's module), checked here against the
    closed forms of ``docs/theory.md`` at small n."""
    return float(rmtedge.expected_real_eigenvalues(n))


# ------------------------------------------------------------------------------------------
# accuracy against the mpmath references
# ------------------------------------------------------------------------------------------


def _evaluate(entry: dict) -> tuple[float, float]:
    """(value, log value) of the float64 function for one reference entry."""
    kind, n, scale = entry["kind"], entry["n"], entry.get("scale", "glorot")
    if kind == "real_density":
        x = float(entry["x"])
        return (
            rmtedge.real_eigenvalue_density(x, n, scale=scale),
            rmtedge.log_real_eigenvalue_density(x, n, scale=scale),
        )
    if kind == "complex_density":
        z = complex(float(entry["z"][0]), float(entry["z"][1]))
        f = entry["field"]
        return (
            rmtedge.complex_eigenvalue_density(z, n, field=f, scale=scale),
            rmtedge.log_complex_eigenvalue_density(z, n, field=f, scale=scale),
        )
    r = float(entry["x"])
    if kind == "real_outside":
        return rmtedge.expected_real_outside(r, n, scale=scale), rmtedge.log_expected_real_outside(
            r, n, scale=scale
        )
    f = entry["field"]
    return (
        rmtedge.expected_nonreal_outside(r, n, scale=scale, field=f),
        rmtedge.log_expected_nonreal_outside(r, n, scale=scale, field=f),
    )


def _errors(entry: dict) -> tuple[str, float]:
    """('zero' | 'value' | 'log', error) for one entry (value error where normal, else log)."""
    value, log_value = _evaluate(entry)
    if entry["log_value"] == "-inf":
        return "zero", 0.0 if (value == 0.0 and log_value == -np.inf) else np.inf
    with mpmath.workdps(40):
        ref_log = mpmath.mpf(entry["log_value"])
        if ref_log > LOG_TINY + 2:
            return "value", float(abs(mpmath.mpf(float(value)) / mpmath.exp(ref_log) - 1))
        return "log", float(abs((mpmath.mpf(float(log_value)) - ref_log) / ref_log))


GROUPS = sorted({(e["kind"], e.get("field", "")) for e in REFS})


@pytest.mark.parametrize(("kind", "field"), GROUPS)
def test_against_mpmath_references(kind, field):
    """float64 vs mpmath at 40 digits, n = 1 .. 10^6, points from 0 through the edge to the far
    tail: relative error <= 1e-12 for normal floats, log relative error <= 1e-12 below."""
    entries = [e for e in REFS if e["kind"] == kind and e.get("field", "") == field]
    assert entries
    worst = {}
    bad = []
    for e in entries:
        which, err = _errors(e)
        if err > worst.get(which, (-1.0,))[0]:
            worst[which] = (err, e["n"], e.get("x", e.get("z")))
        if err > RTOL:
            bad.append((which, err, e["n"], e.get("x", e.get("z"))))
    print(kind, field, {k: f"{v[0]:.2e} at n={v[1]}, {v[2]}" for k, v in worst.items()})
    assert not bad, bad
    # every n of the brief is covered
    assert {e["n"] for e in entries} >= {1, 2, 3, 5, 10, 100, 1000, 10**4, 10**5, 10**6}


def test_references_stable_at_higher_precision():
    """Provenance: each reference was recomputed at 50 digits and agrees to 1e-30."""
    checks = [float(e["check"]) for e in REFS if "check" in e]
    assert len(checks) > 200
    assert max(checks) < 1e-30


@pytest.mark.parametrize(
    ("x", "n", "scale"),
    [
        (0.3, 2, "glorot"),
        (1.1, 7, "glorot"),
        (-2.5, 7, "ginibre"),
        (1.04, 50, "glorot"),
        (1.3, 400, "glorot"),
    ],
)
def test_real_density_live_mpmath(x, n, scale):
    """A few references recomputed now (dps 40), independent of the stored file."""
    ref = mpd.real_eigenvalue_density(x, n, dps=40, scale=scale)
    val = rmtedge.real_eigenvalue_density(x, n, scale=scale)
    assert float(abs(mpmath.mpf(float(val)) / ref - 1)) < RTOL


@pytest.mark.parametrize(
    ("z", "n", "field"),
    [
        (0.2 + 0.3j, 3, "real"),
        (0.7 - 0.75j, 40, "real"),
        (1e-9 + 0.01j, 9, "real"),
        (0.9 + 0.5j, 40, "complex"),
    ],
)
def test_complex_density_live_mpmath(z, n, field):
    """Edelman / Ginibre densities recomputed now at 40 digits."""
    ref = mpd.complex_eigenvalue_density(z, n, field=field, dps=40)
    val = rmtedge.complex_eigenvalue_density(z, n, field=field)
    assert float(abs(mpmath.mpf(float(val)) / ref - 1)) < RTOL


# ------------------------------------------------------------------------------------------
# identities
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 10])
def test_expected_real_eigenvalues_closed_form(n):
    """Identity (EKS Cor. 5.2 sums): E_n = sqrt2 sum_{k<n/2} (4k-1)!!/(4k)!! (n even),
    1 + sqrt2 sum_{k=1}^{(n-1)/2} (4k-3)!!/(4k-2)!! (n odd); the E_n used below."""

    def dfact(m):
        return 1.0 if m <= 0 else float(np.prod(np.arange(m, 0, -2, dtype=float)))

    if n % 2 == 0:
        closed = SQRT2 * sum(dfact(4 * k - 1) / dfact(4 * k) for k in range(n // 2))
    else:
        closed = 1 + SQRT2 * sum(
            dfact(4 * k - 3) / dfact(4 * k - 2) for k in range(1, (n - 1) // 2 + 1)
        )
    assert expected_real(n) == pytest.approx(closed, rel=1e-14)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 40])
def test_real_density_integrates_to_expected_count(n):
    """Identity: int_R rho_n(x) dx = E_n (EKS 1994, Thm 5.1), by adaptive quadrature."""
    f = lambda x: rmtedge.real_eigenvalue_density(x, n, scale="ginibre")  # noqa: E731
    edge = math.sqrt(n)
    pieces = [0.0, max(edge - 4, 0.0), edge, edge + 4, np.inf]
    total = 2 * sum(
        integrate.quad(f, a, b, epsabs=0, epsrel=1e-13, limit=200)[0]
        for a, b in itertools.pairwise(pieces)
        if b > a
    )
    assert total == pytest.approx(expected_real(n), rel=1e-10)


def _gl(a: float, b: float, panels: int, order: int = 24) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, panels + 1)
    lo, hi = edges[:-1, None], edges[1:, None]
    return ((hi - lo) / 2 * x + (hi + lo) / 2).ravel(), ((hi - lo) / 2 * w).ravel()


def _plane_integral(
    n: int, field: str, r_lo: float, r_hi: float, t_lo: float = 0.0, t_hi: float = math.pi
) -> float:
    """int over the polar cell r_lo < |z| < r_hi, t_lo < arg z < t_hi of the Glorot density
    (tensor Gauss-Legendre; the density is smooth in (s, t) for 0 < t < pi)."""
    r_hi = min(r_hi, 1.0 + 12.0 / math.sqrt(n) + 3.0)
    s, ws = _gl(r_lo, r_hi, 40)
    t, wt = _gl(t_lo, t_hi, 4)
    z = s[:, None] * np.exp(1j * t[None, :])
    dens = rmtedge.complex_eigenvalue_density(z, n, field=field)
    return float(np.sum(dens * s[:, None] * ws[:, None] * wt[None, :]))


@pytest.mark.parametrize("n", [2, 5, 20])
def test_plane_density_integrates_to_totals(n):
    """Identities: int_C rho^c_n = n - E_n (Edelman 1997; both members of each pair counted),
    int_C Q(n, |z|^2)/pi = n (Ginibre 1965). Upper half plane doubled (conjugation symmetry)."""
    real_total = 2 * _plane_integral(n, "real", 0.0, np.inf)
    assert real_total == pytest.approx(n - expected_real(n), rel=1e-11)
    cplx_total = 2 * _plane_integral(n, "complex", 0.0, np.inf)
    assert cplx_total == pytest.approx(n, rel=1e-11)


@pytest.mark.parametrize("n", [1, 2, 7, 64])
def test_symmetries(n):
    """Identities: rho(x) = rho(-x); rho(z) = rho(conj z) = rho(-z) (real matrices have a
    spectrum symmetric under conjugation; the Ginibre laws are invariant under z -> -z)."""
    x = np.linspace(0, 3, 31)
    assert np.array_equal(
        rmtedge.real_eigenvalue_density(x, n), rmtedge.real_eigenvalue_density(-x, n)
    )
    z = (np.linspace(-2, 2, 17)[:, None] + 1j * np.linspace(0.01, 2, 9)[None, :]).ravel()
    for field in ("real", "complex"):
        d = rmtedge.log_complex_eigenvalue_density(z, n, field=field)
        assert np.array_equal(d, rmtedge.log_complex_eigenvalue_density(np.conj(z), n, field=field))
        assert np.array_equal(d, rmtedge.log_complex_eigenvalue_density(-z, n, field=field))


@pytest.mark.parametrize("n", [4, 25, 100, 10**4])
def test_glorot_vs_ginibre_scale(n):
    """Identity: rho_W(x) = sqrt(n) rho_G(sqrt(n) x) (line), n rho_G(sqrt(n) z) (plane), and the
    counts outside r (Glorot) equal the counts outside sqrt(n) r (Ginibre). x = k/64 so that
    sqrt(n) x is exact."""
    c = math.isqrt(n)
    x = np.arange(0, 160) / 64.0
    lg = rmtedge.log_real_eigenvalue_density(x, n)
    lh = math.log(c) + rmtedge.log_real_eigenvalue_density(c * x, n, scale="ginibre")
    np.testing.assert_allclose(lg, lh, rtol=1e-14, atol=1e-14)
    z = x + 0.5j * x
    for field in ("real", "complex"):
        lz = rmtedge.log_complex_eigenvalue_density(z[1:], n, field=field)
        lzg = math.log(n) + rmtedge.log_complex_eigenvalue_density(
            c * z[1:], n, field=field, scale="ginibre"
        )
        np.testing.assert_allclose(lz, lzg, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(
        rmtedge.log_expected_real_outside(x, n),
        rmtedge.log_expected_real_outside(c * x, n, scale="ginibre"),
        rtol=1e-13,
        atol=1e-14,
    )
    for field in ("real", "complex"):
        np.testing.assert_allclose(
            rmtedge.log_expected_nonreal_outside(x, n, field=field),
            rmtedge.log_expected_nonreal_outside(c * x, n, field=field, scale="ginibre"),
            rtol=1e-13,
            atol=1e-14,
        )


def test_pair_of_counts_equals_the_counts_one_at_a_time():
    """The Poisson radius law takes both counts of the real field from one kernel (one compiled
    entry instead of two, issue 16): bit for bit what log_expected_real_outside and
    log_expected_nonreal_outside(field="real") give, on both scales, at the edges of their
    domains (r <= 0, NaN, inf, n = 1) and on both sides of the far-tail switch."""
    from rmtedge.ensembles.densities import _log_outside_counts_real_field

    r = np.array([np.nan, -1.0, 0.0, 1e-300, 0.3, 0.99, 1.0, 1.07, 1.6, 3.0, 40.0, 1e200, np.inf])
    n = np.array([1, 2, 3, 7, 60, 1000, 10**6])[:, None]
    for scale in ("glorot", "ginibre"):
        lr, lc = _log_outside_counts_real_field(r, n, scale)
        assert lr.shape == lc.shape == (7, 13)
        np.testing.assert_array_equal(lr, rmtedge.log_expected_real_outside(r, n, scale=scale))
        np.testing.assert_array_equal(
            lc, rmtedge.log_expected_nonreal_outside(r, n, scale=scale, field="real")
        )
    assert np.isnan(lr[:, 0]).all() and np.isfinite(lr[:, 1:-2]).all()
    assert (lr[:, -1] == -np.inf).all()  # r = inf


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 100, 1000, 10**4, 10**5, 10**6])
def test_counts_at_zero_are_totals(n):
    """Identities: expected_real_outside(0) = E_n, expected_nonreal_outside(0) = n - E_n (real)
    and n (complex); any r <= 0 gives the same."""
    en = expected_real(n)
    assert rmtedge.expected_real_outside(0.0, n) == pytest.approx(en, rel=1e-14)
    assert rmtedge.expected_real_outside(-3.0, n) == rmtedge.expected_real_outside(0.0, n)
    if n == 1:
        assert rmtedge.expected_nonreal_outside(0.0, n) == 0.0
    else:
        assert rmtedge.expected_nonreal_outside(0.0, n) == pytest.approx(n - en, rel=1e-14)
    assert rmtedge.expected_nonreal_outside(-0.5, n, field="complex") == pytest.approx(n, rel=1e-14)


@pytest.mark.parametrize("n", [2, 5, 30])
def test_counts_match_quadrature_of_densities(n):
    """Identities: E_R(r) = 2 int_r^inf rho_n(x) dx; E_C(r) = int_{|z|>r} rho(z) dA (both fields)."""
    for r in (0.3, 0.9, 1.2, 2.0):
        x, w = _gl(r, r + 1.0 + 12.0 / math.sqrt(n) + 3.0, 40)
        line = 2 * float(np.sum(w * rmtedge.real_eigenvalue_density(x, n)))
        assert rmtedge.expected_real_outside(r, n) == pytest.approx(line, rel=1e-11)
        for field in ("real", "complex"):
            plane = 2 * _plane_integral(n, field, r, np.inf)
            assert rmtedge.expected_nonreal_outside(r, n, field=field) == pytest.approx(
                plane, rel=1e-10
            )


def test_complex_count_closed_form():
    """Identity (integration by parts): int_{|z|>R} Q(n, |z|^2)/pi dA = n Q(n+1, R^2) - R^2 Q(n, R^2)
    (Ginibre scale), checked inside the disc where the two terms do not cancel."""
    for n in (1, 3, 20, 500):
        for r in np.linspace(0.0, 0.9, 7) * math.sqrt(n):
            x = r * r
            closed = n * special.gammaincc(n + 1, x) - x * special.gammaincc(n, x)
            val = rmtedge.expected_nonreal_outside(r, n, field="complex", scale="ginibre")
            assert val == pytest.approx(closed, rel=1e-12)


def test_count_derivative_is_density():
    """Identity: d/dr E_R(r) = -2 rho_n(r) (fourth-order central differences, step 1e-3/sqrt(n))."""
    for n in (3, 50, 10**4):
        for r in (0.5, 1.0, 1.0 + 2 / math.sqrt(n)):
            h = 1e-3 / math.sqrt(n)
            f = rmtedge.expected_real_outside(r + h * np.array([-2.0, -1.0, 1.0, 2.0]), n)
            d = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h)
            assert d == pytest.approx(-2 * rmtedge.real_eigenvalue_density(r, n), rel=1e-8)


def test_mp_angular_integral_identity():
    """Identity used by the plane counts: int_0^{2 pi} rho^c_n(s e^{it}) dt
    = 2 (1 - erfcx(sqrt2 s)) Q(n-1, s^2), checked by mpmath quadrature of Edelman's density."""
    with mpmath.workdps(30):
        for n, s_float in ((2, 0.4), (5, 1.7), (12, 3.1)):
            s = mpmath.mpf(s_float)

            def on_circle(t, s=s, n=n):
                z = mpmath.mpc(mpmath.cos(t) * s, mpmath.sin(t) * s)
                return mpd.complex_eigenvalue_density(z, n, dps=30, scale="ginibre")

            circle = mpmath.quad(on_circle, [0, mpmath.pi / 2, mpmath.pi])
            w = mpmath.sqrt(2) * s
            closed = (
                2
                * (1 - mpmath.exp(w * w) * mpmath.erfc(w))
                * mpmath.gammainc(n - 1, s * s, mpmath.inf, regularized=True)
            )
            assert abs(2 * circle / closed - 1) < mpmath.mpf(10) ** -20


def test_mp_edelman_literal_sum():
    """Identity: e^{y^2-x^2} erfc(sqrt2 |y|) e_{n-2}(x^2+y^2) (Edelman's literal form, finite sum)
    equals the Q(n-1, .) form used by the mp back end."""
    with mpmath.workdps(40):
        for n, z in ((2, 0.3 + 0.4j), (6, -1.2 + 0.7j), (15, 2.5 + 1.5j)):
            x, y = mpmath.mpf(z.real), mpmath.mpf(z.imag)
            s = x * x + y * y
            literal = (
                mpmath.sqrt(2 / mpmath.pi)
                * abs(y)
                * mpmath.exp(y * y - x * x)
                * mpmath.erfc(mpmath.sqrt(2) * abs(y))
                * mpmath.fsum(s**k / mpmath.factorial(k) for k in range(n - 1))
            )
            val = mpd.complex_eigenvalue_density(z, n, dps=40, scale="ginibre")
            assert abs(val / literal - 1) < mpmath.mpf(10) ** -35


def test_mp_count_methods_agree():
    """Identities behind the n > 1000 references: the real-line count by integration by parts
    plus the power series of P (method "series") equals quadrature of the EKS density, and the
    Fubini form of the plane count equals the radial quadrature (25 digits)."""
    for n, r in ((4, 0.8), (9, 1.2)):
        a = mpd.expected_real_outside(r, n, dps=25, method="series")
        b = mpd.expected_real_outside(r, n, dps=25, method="quad")
        assert abs(a / b - 1) < mpmath.mpf(10) ** -22
        c = mpd.expected_nonreal_outside(r, n, dps=25, method="fubini")
        d = mpd.expected_nonreal_outside(r, n, dps=25, method="quad")
        assert abs(c / d - 1) < mpmath.mpf(10) ** -22


# ------------------------------------------------------------------------------------------
# special values and bad input
# ------------------------------------------------------------------------------------------


def test_special_values():
    """NaN -> NaN; +-inf -> 0 (log -inf); the real axis -> 0 for the real field; n = 1 has no
    non-real eigenvalues; r = inf -> 0 counts."""
    for n in (1, 5):
        assert np.isnan(rmtedge.real_eigenvalue_density(np.nan, n))
        assert np.isnan(rmtedge.log_real_eigenvalue_density(np.nan, n))
        assert rmtedge.real_eigenvalue_density(np.inf, n) == 0.0
        assert rmtedge.log_real_eigenvalue_density(-np.inf, n) == -np.inf
        assert np.isnan(rmtedge.complex_eigenvalue_density(complex(np.nan, 1.0), n))
        assert np.isnan(
            rmtedge.complex_eigenvalue_density(complex(1.0, np.nan), n, field="complex")
        )
        assert rmtedge.complex_eigenvalue_density(complex(np.inf, 1.0), n) == 0.0
        assert rmtedge.complex_eigenvalue_density(complex(0.0, np.inf), n, field="complex") == 0.0
        assert rmtedge.complex_eigenvalue_density(0.5 + 0j, n) == 0.0
        assert rmtedge.log_complex_eigenvalue_density(0.5, n) == -np.inf
        for fn in (rmtedge.expected_real_outside, rmtedge.expected_nonreal_outside):
            assert np.isnan(fn(np.nan, n))
            assert fn(np.inf, n) == 0.0
        assert rmtedge.log_expected_real_outside(np.inf, n) == -np.inf
    assert rmtedge.complex_eigenvalue_density(0.3 + 0.4j, 1) == 0.0
    assert rmtedge.expected_nonreal_outside(0.0, 1) == 0.0
    assert rmtedge.log_expected_nonreal_outside(0.0, 1) == -np.inf


def test_broadcasting_and_types():
    """x broadcasts against an integer array n; scalar input gives a numpy scalar."""
    v = rmtedge.real_eigenvalue_density(np.array([[0.0], [1.0]]), np.array([1, 10, 100]))
    assert v.shape == (2, 3)
    assert v[1, 2] == rmtedge.real_eigenvalue_density(1.0, 100)
    assert np.ndim(rmtedge.real_eigenvalue_density(0.5, 3)) == 0
    c = rmtedge.expected_nonreal_outside([0.0, 1.0], np.int32(7), field="complex")
    assert c.shape == (2,)
    assert rmtedge.complex_eigenvalue_density([0.1, 0.2], 3).shape == (2,)  # real input allowed


@pytest.mark.parametrize(
    "fn",
    [
        lambda n: rmtedge.real_eigenvalue_density(0.5, n),
        lambda n: rmtedge.log_real_eigenvalue_density(0.5, n),
        lambda n: rmtedge.complex_eigenvalue_density(0.5j, n),
        lambda n: rmtedge.log_complex_eigenvalue_density(0.5j, n, field="complex"),
        lambda n: rmtedge.expected_real_outside(0.5, n),
        lambda n: rmtedge.log_expected_real_outside(0.5, n),
        lambda n: rmtedge.expected_nonreal_outside(0.5, n),
        lambda n: rmtedge.log_expected_nonreal_outside(0.5, n),
        lambda n: mpd.real_eigenvalue_density(0.5, n),
        lambda n: mpd.complex_eigenvalue_density(0.5j, n),
        lambda n: mpd.expected_real_outside(0.5, n),
        lambda n: mpd.expected_nonreal_outside(0.5, n, field="complex"),
    ],
)
def test_bad_n(fn):
    """n < 1 -> ValueError, non-integer or bool n -> TypeError, each naming n."""
    with pytest.raises(ValueError, match="n must be"):
        fn(0)
    with pytest.raises(ValueError, match="n must be"):
        fn(-3)
    with pytest.raises(TypeError, match="n must be"):
        fn(3.0)
    with pytest.raises(TypeError, match="n must be"):
        fn(True)


def test_bad_n_arrays_and_options():
    """Integer arrays with an entry < 1, float or bool arrays, unknown field/scale/method, dps < 20."""
    with pytest.raises(ValueError, match="n must be"):
        rmtedge.real_eigenvalue_density(0.5, np.array([3, 0]))
    with pytest.raises(TypeError, match="n must"):
        rmtedge.real_eigenvalue_density(0.5, np.array([3.0, 4.0]))
    with pytest.raises(TypeError, match="n must"):
        rmtedge.expected_real_outside(0.5, np.array([True, False]))
    with pytest.raises(ValueError, match="scale"):
        rmtedge.real_eigenvalue_density(0.5, 3, scale="unit")
    with pytest.raises(ValueError, match="field"):
        rmtedge.complex_eigenvalue_density(0.5j, 3, field="quaternion")
    with pytest.raises(ValueError, match="field"):
        rmtedge.expected_nonreal_outside(0.5, 3, field="Real")
    with pytest.raises(TypeError, match="x must be real"):
        rmtedge.real_eigenvalue_density(0.5 + 1j, 3)
    with pytest.raises(ValueError, match="dps"):
        mpd.real_eigenvalue_density(0.5, 3, dps=15)
    with pytest.raises(ValueError, match="method"):
        mpd.expected_real_outside(0.5, 3, method="fubini")


# ------------------------------------------------------------------------------------------
# Monte Carlo
# ------------------------------------------------------------------------------------------


def hotelling_pvalue(counts: np.ndarray, mean: np.ndarray) -> float:
    """p-value of Hotelling's T^2 test that per-matrix count vectors (rows) have mean ``mean``.

    T^2 = N (cbar - mean)^T S^-1 (cbar - mean) with the sample covariance S; under the null,
    T^2 (N - K)/(K (N - 1)) is F(K, N - K) for Gaussian rows and asymptotically for these
    bounded counts (N >> K here). Unlike Pearson's statistic it needs no Poisson assumption
    (eigenvalues of one matrix repel, so bin counts are not independent Poisson).
    """
    n_mat, k = counts.shape
    diff = counts.mean(axis=0) - mean
    cov = np.cov(counts, rowvar=False)
    t2 = n_mat * diff @ np.linalg.solve(cov, diff)
    return float(stats.f.sf(t2 * (n_mat - k) / (k * (n_mat - 1)), k, n_mat - k))


def _cell_counts(index: np.ndarray, valid: np.ndarray, n_cells: int) -> np.ndarray:
    """Per-matrix histogram: index[i, j] is the cell of eigenvalue j of matrix i."""
    rows = np.broadcast_to(np.arange(index.shape[0])[:, None], index.shape)
    flat = rows[valid] * n_cells + index[valid]
    return np.bincount(flat, minlength=index.shape[0] * n_cells).reshape(index.shape[0], n_cells)


LINE_EDGES = np.array([-np.inf, -1.3, -1.0, -0.7, -0.35, 0.0, 0.35, 0.7, 1.0, 1.3, np.inf])


def _line_bin_means(n: int, edges: np.ndarray) -> np.ndarray:
    f = lambda x: rmtedge.real_eigenvalue_density(x, n)  # noqa: E731
    return np.array(
        [
            integrate.quad(f, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
            for a, b in itertools.pairwise(edges)
        ]
    )


@pytest.mark.parametrize(("n", "n_mat", "seed"), [(3, 20000, 11), (10, 8000, 12), (50, 1500, 13)])
def test_monte_carlo_real_eigenvalue_histogram(n, n_mat, seed):
    """Real eigenvalues of real Glorot matrices in 10 bins vs the integrals of the EKS density
    over the bins. Hotelling T^2 on per-matrix bin counts, alpha = 1e-3; a density scaled by
    1.05 must be rejected by the same statistic (the test can fail)."""
    ev = rmtedge.eigvals(n, size=n_mat, rng=seed)
    real = ev.imag == 0.0
    idx = np.searchsorted(LINE_EDGES, ev.real, side="right") - 1
    counts = _cell_counts(idx, real, LINE_EDGES.size - 1)
    mean = _line_bin_means(n, LINE_EDGES)
    keep = mean * n_mat > 20  # drop bins that are (nearly) empty at this n
    counts, mean = counts[:, keep], mean[keep]
    p = hotelling_pvalue(counts, mean)
    print(f"n={n}: real-eigenvalue histogram p = {p:.3f}")
    assert p > ALPHA
    assert hotelling_pvalue(counts, 1.05 * mean) < ALPHA


RADII = np.array([0.0, 0.4, 0.7, 0.9, 1.1, np.inf])
ANGLES = np.array([0.0, math.pi / 3, 2 * math.pi / 3, math.pi])


@pytest.mark.parametrize(("n", "n_mat", "seed"), [(3, 20000, 21), (10, 8000, 22), (50, 1500, 23)])
def test_monte_carlo_nonreal_cells(n, n_mat, seed):
    """Non-real eigenvalues in the upper half plane (one per conjugate pair) in 5 annuli x 3
    sectors vs the integrals of Edelman's density over the cells; Hotelling T^2, alpha = 1e-3;
    a density off by 5% is rejected."""
    ev = rmtedge.eigvals(n, size=n_mat, rng=seed)
    upper = ev.imag > 0
    ri = np.searchsorted(RADII, np.abs(ev), side="right") - 1
    ti = np.minimum(np.searchsorted(ANGLES, np.angle(ev), side="right") - 1, ANGLES.size - 2)
    n_t = ANGLES.size - 1
    counts = _cell_counts(ri * n_t + ti, upper, (RADII.size - 1) * n_t)
    mean = np.array(
        [
            _plane_integral(n, "real", RADII[i], RADII[i + 1], ANGLES[j], ANGLES[j + 1])
            for i in range(RADII.size - 1)
            for j in range(n_t)
        ]
    )
    keep = mean * n_mat > 20  # drop cells that are (nearly) empty at this n
    counts, mean = counts[:, keep], mean[keep]
    p = hotelling_pvalue(counts, mean)
    print(f"n={n}: non-real cells p = {p:.3f}")
    assert p > ALPHA
    assert hotelling_pvalue(counts, 1.05 * mean) < ALPHA


@pytest.mark.parametrize(("n", "n_mat", "seed"), [(4, 10000, 31), (30, 2000, 32)])
def test_monte_carlo_complex_annuli(n, n_mat, seed):
    """Complex Ginibre: eigenvalues in 5 annuli vs differences of expected_nonreal_outside
    (field complex); Hotelling T^2, alpha = 1e-3; a 5% error is rejected."""
    ev = rmtedge.eigvals(n, field="complex", size=n_mat, rng=seed)
    idx = np.searchsorted(RADII, np.abs(ev), side="right") - 1
    counts = _cell_counts(idx, np.ones(ev.shape, dtype=bool), RADII.size - 1)
    outside = rmtedge.expected_nonreal_outside(RADII, n, field="complex")
    mean = outside[:-1] - outside[1:]
    p = hotelling_pvalue(counts[:, :-1], mean[:-1])  # the counts sum to n: drop one cell
    print(f"n={n}: complex annuli p = {p:.3f}")
    assert p > ALPHA
    assert hotelling_pvalue(counts[:, :-1], 1.05 * mean[:-1]) < ALPHA


# ------------------------------------------------------------------------------------------
# hypothesis properties
# ------------------------------------------------------------------------------------------

N_ANY = st.integers(min_value=1, max_value=10**6)
X_ANY = st.floats(min_value=-12.0, max_value=12.0, allow_nan=False)


@given(n=N_ANY, x=X_ANY)
@example(n=1, x=0.0)
@example(n=10**6, x=3.0)
@example(n=10**6, x=1.0)
@example(n=2, x=1e-300)
@example(n=257, x=1.465515999289123e-160)  # n x^2 subnormal on the general path
def test_real_density_properties(n, x):
    """Positive, finite log, even in x, and log consistent with the value."""
    lv = rmtedge.log_real_eigenvalue_density(x, n)
    assert np.isfinite(lv)
    assert lv == rmtedge.log_real_eigenvalue_density(-x, n)
    v = rmtedge.real_eigenvalue_density(x, n)
    assert v >= 0
    if lv > LOG_TINY:
        assert v > 0 and math.log(v) == pytest.approx(lv, rel=1e-13, abs=1e-13)


@given(n=N_ANY, a=st.floats(1.0, 6.0), b=st.floats(1.0, 6.0))
@example(n=10**6, a=1.0, b=1.0001)
def test_real_density_decreases_beyond_edge(n, a, b):
    """Beyond the edge (|x| >= 1, Glorot scale) the density decreases in |x|."""
    lo, hi = min(a, b), max(a, b)
    la, lb = rmtedge.log_real_eigenvalue_density([lo, hi], n)
    assert lb <= la + 1e-13 * max(1.0, abs(la))


@given(n=N_ANY, x=X_ANY, y=st.floats(min_value=1e-300, max_value=8.0))
@example(n=2, x=0.0, y=1e-300)
@example(n=10**6, x=2.0, y=2.0)
@example(n=300, x=1e-160, y=1e-160)
def test_complex_density_properties(n, x, y):
    """Positive off the real axis (n >= 2), symmetric under conj and z -> -z, log finite."""
    z = complex(x, y)
    for field in ("real", "complex"):
        lv = rmtedge.log_complex_eigenvalue_density(z, n, field=field)
        if field == "real" and n == 1:
            assert lv == -np.inf
            continue
        assert np.isfinite(lv)
        assert lv == rmtedge.log_complex_eigenvalue_density(z.conjugate(), n, field=field)
        assert lv == rmtedge.log_complex_eigenvalue_density(-z, n, field=field)


@given(n=N_ANY, r1=st.floats(0.0, 4.0), r2=st.floats(0.0, 4.0))
@example(n=10**6, r1=1.0, r2=1.002)
@example(n=1, r1=0.0, r2=30.0)
def test_counts_properties(n, r1, r2):
    """Counts outside r decrease in r, lie between 0 and the totals, logs are consistent."""
    lo, hi = min(r1, r2), max(r1, r2)
    totals = {
        "real": rmtedge.log_expected_real_outside(0.0, n),
        "nonreal": rmtedge.log_expected_nonreal_outside(0.0, n),
        "complex": rmtedge.log_expected_nonreal_outside(0.0, n, field="complex"),
    }
    vals = {
        "real": rmtedge.log_expected_real_outside([lo, hi], n),
        "nonreal": rmtedge.log_expected_nonreal_outside([lo, hi], n),
        "complex": rmtedge.log_expected_nonreal_outside([lo, hi], n, field="complex"),
    }
    for key, (l_lo, l_hi) in vals.items():
        if key == "nonreal" and n == 1:
            assert l_lo == l_hi == -np.inf
            continue
        assert np.isfinite(l_lo) and np.isfinite(l_hi)
        tol = 1e-13 * max(1.0, abs(l_lo))
        assert l_hi <= l_lo + tol
        assert l_lo <= totals[key] + tol


@settings(max_examples=12)
@given(n=st.integers(2, 12), a=st.floats(-1.6, 1.4), width=st.floats(0.2, 1.0))
def test_property_real_counts_vs_simulation(n, a, width):
    """Simulated number of real eigenvalues in [a, a + width] (3000 Glorot matrices, seed fixed
    by the example) vs 3000 x the integral of the density: within 4.5 sigma, sigma^2 =
    3000 x max(sample variance, mean) (the Poisson variance bounds the repelling counts from
    above; per-example false-alarm probability < 1e-5). Detects errors of ~15% of the mean."""
    n_mat = 3000
    b = a + width
    ev = rmtedge.eigvals(
        n, size=n_mat, rng=np.random.default_rng([n, int(1e6 * (a + 2)), int(1e6 * width)])
    )
    inside = (ev.imag == 0) & (ev.real >= a) & (ev.real < b)
    per = inside.sum(axis=1)
    mean = integrate.quad(
        lambda x: rmtedge.real_eigenvalue_density(x, n), a, b, epsabs=1e-13, epsrel=1e-12
    )[0]
    sigma = math.sqrt(n_mat * max(per.var(ddof=1), mean))
    assert abs(per.sum() - n_mat * mean) <= 4.5 * sigma


@settings(max_examples=12)
@given(n=st.integers(2, 12), r1=st.floats(0.0, 1.6), width=st.floats(0.15, 0.8))
def test_property_nonreal_counts_vs_simulation(n, r1, width):
    """Simulated number of non-real eigenvalues with r1 < |z| < r1 + width (3000 Glorot
    matrices) vs the difference of expected_nonreal_outside: within 4.5 sigma as above."""
    n_mat = 3000
    r2 = r1 + width
    ev = rmtedge.eigvals(
        n, size=n_mat, rng=np.random.default_rng([n, int(1e6 * r1), int(1e6 * width)])
    )
    mod = np.abs(ev)
    per = ((ev.imag != 0) & (mod > r1) & (mod < r2)).sum(axis=1)
    mean = float(rmtedge.expected_nonreal_outside(r1, n) - rmtedge.expected_nonreal_outside(r2, n))
    sigma = math.sqrt(n_mat * max(per.var(ddof=1), mean))
    assert abs(per.sum() - n_mat * mean) <= 4.5 * sigma


def _assert_value_is_exp_of_log(a: np.ndarray, b: np.ndarray) -> None:
    """a (value kernel) vs b = exp(log kernel): same NaN and zero sets, and relative difference
    <= 5e-16 (|log b| + 100) where b is a normal float (exp of a log of size L carries ~L ulps)."""
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_array_equal(a == 0, b == 0)
    normal = b >= np.finfo(np.float64).tiny
    rel = np.abs(a[normal] / b[normal] - 1)
    assert np.all(rel <= 5e-16 * (np.abs(np.log(b[normal])) + 100)), rel.max()


@pytest.mark.parametrize("n", [1, 2, 9, 50, 128, 129, 200, 1000, 10**4, 10**6])
@pytest.mark.parametrize("field", ["real", "complex"])
def test_value_path_agrees_with_exp_of_log_path(n, field):
    """Identity: complex_eigenvalue_density == exp(log_complex_eigenvalue_density).

    The two are separate kernels (the values are summed as numbers; the logs in log space), so
    they agree to rounding where the value is a normal float: relative difference
    <= 5e-16 (|log rho| + 100), since exp of a log of size L carries ~L ulps (both are within
    ~2e-13 of mpmath there, test_against_mpmath_references), identical zeros
    (the Chernoff early-out of the value path proves underflow; |z| up to 3 reaches it for
    n >= 1000) and identical NaN points.
    """
    rng = np.random.default_rng(n)
    z = rng.uniform(-3, 3, 4000) + 1j * rng.uniform(-3, 3, 4000)
    edge = (1 + rng.uniform(-6, 6, 2000) / math.sqrt(n)) * np.exp(1j * rng.uniform(0, 6.3, 2000))
    z = np.concatenate([z, edge, [np.nan, np.inf, 1j * np.inf, 0.0, 1.0 + 1e-9j, 1e-200j]])
    with np.errstate(invalid="ignore"):
        zg = z * np.sqrt(n)
    for scale, zz in (("glorot", z), ("ginibre", zg)):
        a = rmtedge.complex_eigenvalue_density(zz, n, field=field, scale=scale)
        with np.errstate(invalid="ignore"):
            b = np.exp(rmtedge.log_complex_eigenvalue_density(zz, n, field=field, scale=scale))
        _assert_value_is_exp_of_log(a, b)
        # the broadcast path (an array of n) runs the same kernel
        c = rmtedge.complex_eigenvalue_density(zz, np.full(zz.shape, n), field=field, scale=scale)
        np.testing.assert_array_equal(a, c)
    if n >= 1000:  # the early-out region was exercised
        assert np.sum(a == 0) > 100


@pytest.mark.parametrize("n", [1, 2, 3, 10, 100, 255, 256, 257, 1000, 10**4, 10**6])
def test_real_value_path_agrees_with_exp_of_log_path(n):
    """Identity: real_eigenvalue_density == exp(log_real_eigenvalue_density): relative
    difference <= 5e-16 (|log rho| + 100) where the value is a normal float (the value-space
    sums for n <= N_FAST), identical zeros (the underflow bound of vec_real_density; |x| up to
    40 reaches it for every n) and identical NaN points; the array-n path is the same kernel."""
    rng = np.random.default_rng(n)
    x = np.concatenate([rng.uniform(-40, 40, 3000), 1 + rng.uniform(-6, 6, 2000) / math.sqrt(n)])
    x = np.concatenate([x, [np.nan, np.inf, -np.inf, 0.0, 1e-300, math.sqrt(500.0 / n)]])
    for scale, xx in (("glorot", x), ("ginibre", x * math.sqrt(n))):
        a = rmtedge.real_eigenvalue_density(xx, n, scale=scale)
        b = np.exp(rmtedge.log_real_eigenvalue_density(xx, n, scale=scale))
        _assert_value_is_exp_of_log(a, b)
        c = rmtedge.real_eigenvalue_density(xx, np.full(xx.shape, n), scale=scale)
        np.testing.assert_array_equal(a, c)
    assert np.sum(a == 0) > 50  # the underflow region was exercised


@pytest.mark.parametrize("n", [1, 2, 10, 129, 256, 257, 1000, 10**4, 10**6])
@pytest.mark.parametrize("field", ["real", "complex"])
def test_count_value_path_agrees_with_exp_of_log_path(n, field):
    """Identity: expected_nonreal_outside == exp(log_expected_nonreal_outside): relative
    difference <= 5e-16 (|log E| + 100) where the count is a normal float, identical zeros (the
    complex-field underflow bound; r up to 40 reaches it) and identical NaN points."""
    r = np.concatenate([np.linspace(-1, 40, 4001), 1 + np.linspace(-8, 8, 401) / math.sqrt(n)])
    r = np.concatenate([r, [np.nan, np.inf, 0.0]])
    a = rmtedge.expected_nonreal_outside(r, n, field=field)
    b = np.exp(rmtedge.log_expected_nonreal_outside(r, n, field=field))
    _assert_value_is_exp_of_log(a, b)
    if n > 1:
        assert np.sum(a == 0) > 100


@pytest.mark.parametrize("n", [2, 7, 100, 128, 129, 200, 256, 257, 1000, 10**4])
def test_complex_count_inside_disc_vs_mpmath(n):
    """Complex-field count at X = n r^2 <= n (the closed form (n - X) Q(n, X) + X^n e^-X/(n-1)!,
    two non-negative terms), against the mpmath back end at 40 digits: relative error <= 1e-13."""
    x_lo = n - 10.0 * math.sqrt(n)  # deep inside: Q(n, X) = 1 to ~e^-50
    rs = [0.0, 0.3, math.sqrt(max(x_lo, 0.0) / n)]
    rs += list(1 - np.linspace(0.0, 10.0, 9) / math.sqrt(n))
    for r in rs:
        if not 0 <= r <= 1:
            continue
        ref = mpd.expected_nonreal_outside(float(r), n, field="complex", dps=40)
        got = rmtedge.expected_nonreal_outside(float(r), n, field="complex")
        assert abs(mpmath.mpf(float(got)) / ref - 1) <= 1e-13, (n, r)


@pytest.mark.slow
def test_random_sweep_vs_mpmath():
    """300 random (n, z) with n log-uniform in [1, 2e5] and z in the bulk, at the edge, at the
    kernels' switch points (X = 500, 690, 0.31 n, n, 1.5 n) and in the tail, against the mpmath
    back end at 30 digits: relative error <= 1e-12 for the real and plane densities and the
    complex-field count where the value is a normal float (measured worst with this seed:
    1.3e-13, in a 300-point sweep with another seed 1.8e-13, both
    where the value is ~e^-500 and exp of the log carries ~500 ulps).
    """
    rng = np.random.default_rng(20261129)
    worst = 0.0
    for _ in range(300):
        n = int(np.exp(rng.uniform(0, math.log(2e5))))
        mode = rng.integers(4)
        if mode == 0:
            r = rng.uniform(0, 3)
        elif mode == 1:
            r = 1 + rng.uniform(-8, 8) / math.sqrt(n)
        elif mode == 2:
            big_x = rng.choice([500.0, 690.0, 0.31 * n, float(n), 1.5 * n])
            r = math.sqrt(big_x / n) * (1 + rng.uniform(-1e-3, 1e-3))
        else:
            r = rng.uniform(0, 1)
        th = rng.uniform(0, math.pi)
        z = r * complex(math.cos(th), math.sin(th))
        pairs = [
            (mpd.complex_eigenvalue_density(z, n, field="real", dps=30),
             rmtedge.complex_eigenvalue_density(z, n, field="real")),
            (mpd.complex_eigenvalue_density(z, n, field="complex", dps=30),
             rmtedge.complex_eigenvalue_density(z, n, field="complex")),
            (mpd.real_eigenvalue_density(z.real, n, dps=30),
             rmtedge.real_eigenvalue_density(z.real, n)),
            (mpd.expected_nonreal_outside(r, n, field="complex", dps=30),
             rmtedge.expected_nonreal_outside(r, n, field="complex")),
        ]  # fmt: skip
        for ref, got in pairs:
            if ref > 1e-300:
                err = float(abs(mpmath.mpf(float(got)) / ref - 1))
                assert err <= RTOL, (n, z, err)
                worst = max(worst, err)
    print(f"worst relative error {worst:.2e}")
