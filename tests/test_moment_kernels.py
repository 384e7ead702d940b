"""Private kernels behind rmtedge.ensembles.moments: the angular factor and the log-gamma ratio."""

from __future__ import annotations

import math

import mpmath as mp
import pytest

from rmtedge._core.jit import python_callable
from rmtedge.ensembles import _moment_kernels

mk = python_callable(_moment_kernels)


@pytest.mark.parametrize("s", [1e-8, 1e-3, 0.1, 0.35, 0.5, 1.0, 3.0, 30.0, 1000.0])
def test_angular_factor_is_its_defining_integral(s):
    """Identity: (1/pi) int_0^pi sqrt(pi) x erfcx(x) dtheta, x = sqrt(2) s sin(theta), equals 1 - erfcx(sqrt 2 s).

    The defining integral is evaluated by mpmath quadrature at 30 digits (with a breakpoint at
    the boundary layer theta ~ 1/s); the kernel must agree to 1e-14 relative.
    """
    with mp.workdps(30):
        s_mp = mp.mpf(s)

        def h(th):
            x = mp.sqrt(2) * s_mp * mp.sin(th)
            return mp.sqrt(mp.pi) * x * mp.exp(x * x) * mp.erfc(x)

        layer = min(mp.pi / 2, 1 / s_mp)
        ref = 2 / mp.pi * mp.quad(h, [0, layer / 10, layer, mp.pi / 2])
    assert mk.angular_factor(s) == pytest.approx(float(ref), rel=1e-14)


@pytest.mark.parametrize(
    "a, d", [(1.0, 0.5), (9.5, 3.0), (10.0, 0.5), (99.0, 30.5), (1e6, 1e4 + 0.5), (1e6, -0.5)]
)
def test_log_gamma_ratio_vs_mpmath(a, d):
    """L(a, d) = lgamma(a+d) - lgamma(a) - d log a to 1e-13 absolute times (1 + |L|), both branches."""
    with mp.workdps(40):
        ref = mp.loggamma(mp.mpf(a) + d) - mp.loggamma(a) - d * mp.log(a)
    assert abs(mk.log_gamma_ratio(a, d) - float(ref)) <= 1e-13 * (1 + abs(float(ref)))


def test_log_gamma_ratio_small_branch():
    """Below a = 1 the direct lgamma difference is used; check it against math.lgamma."""
    a, d = 0.5, 0.25
    ref = math.lgamma(a + d) - math.lgamma(a) - d * math.log(a)
    assert mk.log_gamma_ratio(a, d) == pytest.approx(ref, rel=1e-14)
