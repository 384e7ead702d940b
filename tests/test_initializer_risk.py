"""The rescaled initializer keeps the risk it promises: Monte Carlo P(rho(W/s) > 1) vs the requested risk.

Issue requirement: at n in {50, 200, 1000}, the realised P(rho > 1) of
``rescale_factor(n, method="exact", risk)`` must match the requested risk within its standard
error -- for the complex field (Kostlan's exact law) and the real field (the exact Pfaffian law
of rmtedge.laws.real_radius_pfaffian; the Poisson approximation is no longer the default).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from threadpoolctl import threadpool_limits

import rmtedge

ALPHA = 1e-3
RISK = 0.2


@pytest.mark.parametrize("n, seed", [(50, 501), (200, 2001), (1000, 10001)])
def test_exact_complex_risk_is_realised(n, seed):
    """Complex, exact law: 20000 Kostlan radii (exact in law); exact two-sided binomial test at
    alpha = 1e-3 of the exceedance count against risk = 0.2. The standard error of the realised
    risk is 0.0028, so a factor whose true risk were 0.21 would fail with probability ~0.5 and
    0.215 with probability ~0.95."""
    N = 20000
    s = rmtedge.rescale_factor(n, field="complex", method="exact", risk=RISK)
    rho = rmtedge.spectral_radius(n, field="complex", size=N, method="kostlan", rng=seed)
    k = int(np.sum(rho > s))
    assert stats.binomtest(k, N, RISK).pvalue > ALPHA, (n, k / N)


def _check_real_risk(n: int, N: int, seed: int) -> None:
    s = rmtedge.rescale_factor(n, field="real", method="exact", risk=RISK)
    with threadpool_limits(1):
        rho = rmtedge.spectral_radius(n, field="real", size=N, method="hessenberg", rng=seed)
    k = int(np.sum(rho > s))
    assert stats.binomtest(k, N, RISK).pvalue > ALPHA, (n, k / N)


@pytest.mark.parametrize("n, N, seed", [(50, 4000, 502), (200, 1000, 2002)])
def test_exact_real_risk_is_realised(n, N, seed):
    """Real field, exact (Pfaffian) law: exact two-sided binomial test at alpha = 1e-3 of the
    exceedance count among N Hessenberg radii (exact in law, seeded) against risk = 0.2. The
    standard error is 0.0063 (n = 50) and 0.0126 (n = 200): a factor whose true risk were 0.23
    (n = 50) fails with probability ~0.6. The Poisson approximation's factor is off by
    +0.0086 +- 0.0020 in realised risk at n = 50 (measured before this law existed)."""
    _check_real_risk(n, N, seed)


@pytest.mark.slow
def test_exact_real_risk_is_realised_n1000():
    """As above at n = 1000 with 400 samples (about a minute on one core)."""
    _check_real_risk(1000, 400, 10002)
