"""Shared pieces of the mpmath back end: the dps check, the regularized incomplete gamma
functions (with a series fallback where mpmath.gammainc gives up) and the Edelman-Kostlan-Shub
density. Every function works at the current mpmath precision.
"""

from __future__ import annotations

import numbers
from typing import Any

import mpmath
import numpy as np

from .._core.checks import check_int

#: smallest working precision the public functions of rmtedge.mp accept
MIN_DPS = 20


def check_dps(dps: Any) -> int:
    """``dps`` as an int >= MIN_DPS (TypeError for bool/non-integers, ValueError below)."""
    dps = check_int(dps, "dps")
    if dps < MIN_DPS:
        raise ValueError(
            f"dps must be >= {MIN_DPS} (this back end is a high-precision reference), got {dps}"
        )
    return dps


def check_real(value: Any, name: str) -> Any:
    """``value`` as an exact mpmath.mpf: Python/numpy reals and mpf are accepted (NaN too);
    strings, None, bools, complex numbers and sequences are a TypeError naming ``name``.

    A float is taken exactly (its binary value); pass ``mpmath.mpf("0.1")`` for a decimal.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, not bool")
    if isinstance(value, mpmath.mpf):
        return +value
    if isinstance(value, (numbers.Integral, np.integer)):
        return mpmath.mpf(int(value))
    if isinstance(value, (numbers.Real, np.floating)):
        return mpmath.mpf(float(value))
    raise TypeError(
        f"{name} must be a real number (int, float or mpmath.mpf), got "
        f"{type(value).__name__} {value!r}"
    )


def check_rtol(rtol: Any) -> Any:
    """``rtol`` as None or an mpf in (0, 1): a real number or a decimal string such as
    ``"1e-25"`` (a tolerance below the float range); ValueError outside (0, 1) or for a string
    that is not a number, TypeError for other types."""
    if rtol is None:
        return None
    if isinstance(rtol, str):
        try:
            r = mpmath.mpf(rtol)
        except ValueError:
            raise ValueError(f"rtol must be None or a number in (0, 1), got {rtol!r}") from None
    else:
        r = check_real(rtol, "rtol")
    if not (0 < r < 1):
        raise ValueError(f"rtol must be None or a number in (0, 1), got {rtol!r}")
    return r


def _kummer_p(a: Any, x: Any) -> Any:
    """P(a, x) from Kummer's series, DLMF 8.5.1: gamma(a, x) = a^-1 x^a e^-x M(1, 1 + a, x).

    mpmath.gammainc gives up (NoConvergence) for orders ~10^6 within a few sqrt(a) of the
    transition x ~ a; this series always converges (slowly there: ~|x - a| + 10 sqrt(a) terms).
    """
    m = mpmath.hyp1f1(1, a + 1, x, maxterms=10**8)
    return mpmath.exp(a * mpmath.log(x) - x - mpmath.loggamma(a + 1)) * m


def _lower_p_small_side(a: Any, x: Any) -> Any:
    """P(a, x) for x <= a (where it is the smaller of P and Q)."""
    try:
        return mpmath.gammainc(a, 0, x, regularized=True)
    except mpmath.libmp.NoConvergence:
        return _kummer_p(a, x)


def _upper_q_small_side(a: Any, x: Any) -> Any:
    """Q(a, x) for x >= a."""
    try:
        return mpmath.gammainc(a, x, mpmath.inf, regularized=True)
    except mpmath.libmp.NoConvergence:
        # only happens near the transition, where Q is not small: 1 - P with guard digits
        with mpmath.extradps(20):
            return 1 - _kummer_p(a, x)


def gammainc_p(a: Any, x: Any) -> Any:
    """Regularized lower incomplete gamma P(a, x), a >= 0 (P(0, x) = 1 for x > 0)."""
    if a == 0:
        return mpmath.mpf(1)
    if x == 0:
        return mpmath.mpf(0)
    if mpmath.isinf(x):
        return mpmath.mpf(1)
    if x <= a:
        return _lower_p_small_side(a, x)
    return 1 - _upper_q_small_side(a, x)


def gammainc_q(a: Any, x: Any) -> Any:
    """Regularized upper incomplete gamma Q(a, x), a >= 0 (Q(0, x) = 0 for x > 0)."""
    if a == 0:
        return mpmath.mpf(0)
    if x == 0:
        return mpmath.mpf(1)
    if mpmath.isinf(x):
        return mpmath.mpf(0)
    if x <= a:
        return 1 - _lower_p_small_side(a, x)
    return _upper_q_small_side(a, x)


def eks_density(x: Any, n: int) -> Any:
    """Edelman-Kostlan-Shub intensity of real eigenvalues, Ginibre scale (mp, current precision)."""
    if mpmath.isnan(x):
        return mpmath.nan
    if mpmath.isinf(x):
        return mpmath.mpf(0)
    x2 = x * x
    if n == 1:
        return mpmath.exp(-x2 / 2) / mpmath.sqrt(2 * mpmath.pi)
    first = gammainc_q(n - 1, x2) / mpmath.sqrt(2 * mpmath.pi)
    half_n = mpmath.mpf(n) / 2
    second = (
        abs(x) ** (n - 1)
        * mpmath.exp(-x2 / 2)
        * gammainc_p(mpmath.mpf(n - 1) / 2, x2 / 2)
        / (mpmath.gamma(half_n) * mpmath.power(2, half_n))
    )
    return first + second
