"""High-precision eigenvalue densities of the Ginibre ensembles, written straight from the papers.

Every function works in an explicit mpmath precision (``dps`` decimal digits, at least 20) inside
``mpmath.workdps`` (the global mpmath context is left alone) and returns an ``mpf``. Arguments are
converted to mpmath numbers exactly (a float ``x`` is the binary number it stores), so these values
are the references the float64 kernels of :mod:`rmtedge.ensembles.densities` are tested against.

Conventions: real Ginibre ``G`` has i.i.d. N(0, 1) entries, complex Ginibre i.i.d.
``(N(0,1) + i N(0,1))/sqrt(2)``; ``scale="glorot"`` means ``W = G/sqrt(n)``, whose intensities are
``sqrt(n) rho(sqrt(n) x)`` on the real line and ``n rho(sqrt(n) z)`` in the plane.
``P(a, x)``, ``Q(a, x)`` are the regularized lower and upper incomplete gamma functions.

Formulas
--------
Real eigenvalues of real Ginibre, Edelman-Kostlan-Shub (1994), Corollary 4.3 (n >= 2)::

    rho_n(x) = Q(n-1, x^2)/sqrt(2 pi)
               + |x|^(n-1) e^(-x^2/2) P((n-1)/2, x^2/2) / (Gamma(n/2) 2^(n/2)),

and the standard normal density for ``n = 1``.

Non-real eigenvalues of real Ginibre, Edelman (1997), Theorem 6.2, per unit area (both members
of a conjugate pair counted)::

    rho^c_n(x + iy) = sqrt(2/pi) |y| e^(y^2 - x^2) erfc(sqrt(2) |y|) e_(n-2)(x^2 + y^2),

with ``e_m(s) = sum_{k<=m} s^k/k!``. It is evaluated through the identity
``e^(-s) e_(n-2)(s) = Q(n-1, s)`` (the sum has n - 1 terms; the identity is checked against the
literal sum in the tests).

Complex Ginibre, Ginibre (1965): ``rho_n(z) = Q(n, |z|^2)/pi``.

Expected numbers outside a radius (Ginibre-scale radius ``R``; ``R = sqrt(n) r`` for Glorot):

* real eigenvalues: ``2 int_R^inf rho_n(x) dx`` by :func:`mpmath.quad` (tanh-sinh) on intervals
  placed around the edge ``x = sqrt(n)``;
* non-real eigenvalues of real Ginibre: the integral of ``rho^c_n`` over ``|z| > R`` in polar
  coordinates. Its angular part has the closed form (term-by-term integration of the power
  series of erfcx, ``int_0^pi sin^j = sqrt(pi) Gamma((j+1)/2)/Gamma(j/2+1)``)::

      int_0^(2 pi) rho^c_n(s e^(i t)) dt = 2 (1 - erfcx(sqrt(2) s)) Q(n-1, s^2),

  so the count is ``int_R^inf 2 s (1 - erfcx(sqrt 2 s)) Q(n-1, s^2) ds`` (mpmath.quad). The tests
  check this against a two-dimensional quadrature of Edelman's density.
* complex Ginibre: ``int_{|z|>R} Q(n,|z|^2)/pi = n Q(n+1, R^2) - R^2 Q(n, R^2)`` (integration by
  parts), evaluated with 30 guard digits because the two terms cancel beyond the edge.

References
----------
A. Edelman, E. Kostlan, M. Shub, "How many eigenvalues of a random matrix are real?",
J. Amer. Math. Soc. 7 (1994) 247-267, Corollary 4.3.
A. Edelman, "The probability that a random real Gaussian matrix has k real eigenvalues,
related distributions, and the circular law", J. Multivariate Anal. 60 (1997) 203-232,
Theorem 6.2.
J. Ginibre, "Statistical ensembles of complex, quaternion, and real matrices",
J. Math. Phys. 6 (1965) 440-449.

Examples
--------
>>> from rmtedge.mp import densities as mpd
>>> import mpmath
>>> e2 = mpd.expected_real_outside(0.0, 2, scale="ginibre", method="series")   # E_2 = sqrt(2)
>>> with mpmath.workdps(50):
...     ok = abs(e2 - mpmath.sqrt(2)) < mpmath.mpf(10) ** -40
>>> ok
True
"""

from __future__ import annotations

import numbers
from typing import Any

import mpmath
import numpy as np

from .._core.checks import (
    check_choice,
    check_field,
    check_n,
    check_scale,
)
from ._common import check_dps, eks_density, gammainc_q

__all__ = [
    "complex_eigenvalue_density",
    "expected_nonreal_outside",
    "expected_real_outside",
    "real_eigenvalue_density",
]


# ----------------------------------------------------------------------------------------------
# argument handling
# ----------------------------------------------------------------------------------------------


def _to_real(value: Any, name: str) -> Any:
    """Exact mpmath conversion of a real scalar (NaN allowed)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, not bool")
    if isinstance(value, mpmath.mpf):
        return +value
    if isinstance(value, (numbers.Real, np.floating, np.integer)):
        return (
            mpmath.mpf(float(value))
            if not isinstance(value, numbers.Integral)
            else mpmath.mpf(int(value))
        )
    raise TypeError(f"{name} must be a real number, got {type(value).__name__}")


def _to_complex(value: Any, name: str) -> Any:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number, not bool")
    if isinstance(value, (mpmath.mpc, mpmath.mpf)):
        return mpmath.mpc(value)
    if isinstance(value, (numbers.Complex, np.number)):
        c = complex(value)
        return mpmath.mpc(mpmath.mpf(c.real), mpmath.mpf(c.imag))
    raise TypeError(f"{name} must be a number, got {type(value).__name__}")


# ----------------------------------------------------------------------------------------------
# incomplete gamma functions (mpmath, with a fallback for huge orders near the transition)
# ----------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------
# densities in the Ginibre scale
# ----------------------------------------------------------------------------------------------


def _edelman_density(z: Any, n: int) -> Any:
    """Edelman 1997 intensity of non-real eigenvalues of real Ginibre, Ginibre scale."""
    x, y = z.real, z.imag
    if mpmath.isnan(x) or mpmath.isnan(y):
        return mpmath.nan
    if mpmath.isinf(x) or mpmath.isinf(y) or y == 0 or n == 1:
        return mpmath.mpf(0)
    ay = abs(y)
    s = x * x + y * y
    # e^(y^2 - x^2) e_{n-2}(s) = e^(2 y^2) * e^(-s) e_{n-2}(s) = e^(2 y^2) Q(n - 1, s)
    return (
        mpmath.sqrt(2 / mpmath.pi)
        * ay
        * mpmath.exp(2 * ay * ay)
        * mpmath.erfc(mpmath.sqrt(2) * ay)
        * gammainc_q(n - 1, s)
    )


def _ginibre_density(z: Any, n: int) -> Any:
    """Complex Ginibre intensity Q(n, |z|^2)/pi, Ginibre scale."""
    x, y = z.real, z.imag
    if mpmath.isnan(x) or mpmath.isnan(y):
        return mpmath.nan
    if mpmath.isinf(x) or mpmath.isinf(y):
        return mpmath.mpf(0)
    return gammainc_q(n, x * x + y * y) / mpmath.pi


def real_eigenvalue_density(x: Any, n: int, *, dps: int = 50, scale: str = "glorot") -> Any:
    """Intensity of the real eigenvalues of an n x n real Ginibre/Glorot matrix, in mpmath.

    Parameters
    ----------
    x : real scalar (float, int or mpf; converted exactly)
        Point on the real line (Glorot scale if ``scale="glorot"``).
    n : int
        Matrix dimension, ``n >= 1``.
    dps : int
        Decimal digits of the working precision, ``>= 20``.
    scale : {"glorot", "ginibre"}
        ``"glorot"``: the intensity of ``W = G/sqrt(n)``, ``sqrt(n) rho_n(sqrt(n) x)``.

    Returns
    -------
    mpf
        Expected number of real eigenvalues per unit length at ``x`` (NaN for NaN ``x``,
        0 at infinity).

    References
    ----------
    Edelman, Kostlan, Shub, J. Amer. Math. Soc. 7 (1994), Corollary 4.3.

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp.densities import real_eigenvalue_density
    >>> v = real_eigenvalue_density(0.0, 5, scale="ginibre")   # rho_n(0) = 1/sqrt(2 pi)
    >>> with mpmath.workdps(50):
    ...     ok = abs(v - 1 / mpmath.sqrt(2 * mpmath.pi)) < mpmath.mpf(10) ** -45
    >>> ok
    True
    """
    n = check_n(n)
    dps = check_dps(dps)
    scale = check_scale(scale)
    with mpmath.workdps(dps + 10):
        xm = _to_real(x, "x")
        if scale == "glorot":
            c = mpmath.sqrt(n)
            val = c * eks_density(c * xm, n)
        else:
            val = eks_density(xm, n)
    with mpmath.workdps(dps):
        return +val


def complex_eigenvalue_density(
    z: Any, n: int, *, field: str = "real", dps: int = 50, scale: str = "glorot"
) -> Any:
    """Intensity (per unit area) of the eigenvalues in the complex plane, in mpmath.

    Parameters
    ----------
    z : complex scalar (converted exactly)
        Point of the plane (Glorot scale if ``scale="glorot"``).
    n : int
        Matrix dimension, ``n >= 1``.
    field : {"real", "complex"}
        ``"real"``: Edelman's intensity of the NON-real eigenvalues of real Ginibre (both
        members of each conjugate pair counted; 0 on the real axis). ``"complex"``: complex
        Ginibre intensity ``Q(n, |z|^2)/pi``.
    dps : int
        Decimal digits, ``>= 20``.
    scale : {"glorot", "ginibre"}
        ``"glorot"``: the intensity for ``W = G/sqrt(n)``, ``n rho_n(sqrt(n) z)``.

    Returns
    -------
    mpf

    References
    ----------
    Edelman, J. Multivariate Anal. 60 (1997), Theorem 6.2; Ginibre, J. Math. Phys. 6 (1965).

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp.densities import complex_eigenvalue_density
    >>> v = complex_eigenvalue_density(0j, 4, field="complex", scale="ginibre")   # Q(n, 0)/pi
    >>> with mpmath.workdps(50):
    ...     ok = abs(v - 1 / mpmath.pi) < mpmath.mpf(10) ** -45
    >>> ok
    True
    """
    n = check_n(n)
    dps = check_dps(dps)
    field = check_field(field)
    scale = check_scale(scale)
    dens = _edelman_density if field == "real" else _ginibre_density
    with mpmath.workdps(dps + 10):
        zm = _to_complex(z, "z")
        if scale == "glorot":
            c = mpmath.sqrt(n)
            val = n * dens(c * zm, n)
        else:
            val = dens(zm, n)
    with mpmath.workdps(dps):
        return +val


# ----------------------------------------------------------------------------------------------
# expected numbers outside a radius
# ----------------------------------------------------------------------------------------------


def _breakpoints(lo: Any, n: int, decay_scale: Any) -> list:
    """Interval ends for mpmath.quad of a function of a radius in [lo, inf) that is flat up to
    the edge sqrt(n), changes on a unit scale there, and decays like a Gaussian beyond."""
    edge = mpmath.sqrt(n)
    pts = [lo]
    if lo < edge + 2:
        for d in (-24, -12, -6, -3, -1.5, 0, 1.5, 3, 6, 12, 24):
            p = edge + d
            if p > pts[-1] + mpmath.mpf("1e-3"):
                pts.append(p)
    else:
        # beyond the edge the integrand decays at least like exp(-(lo - edge) (s - lo))
        h = decay_scale / (lo - edge)
        for k in (0.5, 1, 2, 4, 8, 16, 32, 64, 128):
            pts.append(lo + k * h)
    pts.append(mpmath.inf)
    return pts


def _quad_scaled(f: Any, pts: list) -> Any:
    """mpmath.quad of f over pts, with f divided by its largest value at the first breakpoints.

    mpmath.quad stops when its error estimate falls below an ABSOLUTE tolerance (about
    10^-dps), so an integral of 1e-70 would come back with only a few correct digits. Scaling
    the integrand to order one makes the tolerance relative.
    """
    scale = max(abs(f(p)) for p in pts[:4] if not mpmath.isinf(p))
    if scale == 0:
        scale = mpmath.mpf(1)
    return scale * mpmath.quad(lambda t: f(t) / scale, pts)


def _radius(r: Any, n: int, scale: str) -> Any:
    rm = _to_real(r, "r")
    if mpmath.isnan(rm):
        return rm
    if rm < 0:
        rm = mpmath.mpf(0)
    return mpmath.sqrt(n) * rm if scale == "glorot" else rm


def _real_outside_series(big_r: Any, n: int) -> Any:
    """2 int_R^inf rho_n = sqrt(2/pi) T1 + T2 without quadrature (current precision + guards).

    T1 = int_R^inf Q(n-1, s^2) ds = Gamma(n-1/2)/Gamma(n-1) Q(n-1/2, R^2) - R Q(n-1, R^2)
    (integration by parts; the two terms cancel beyond the edge, so guard digits are added
    until the difference is resolved). T2 = 2 int_R^inf (second EKS term) is, with the series
    P(a, u) = e^-u sum_j u^(a+j)/Gamma(a+j+1) (a = (n-1)/2) integrated term by term,

        T2 = sum_{j>=0} b_j Q(n - 1/2 + j, R^2),
        b_j = Gamma(n - 1/2 + j) / (Gamma(n/2) Gamma((n+1)/2 + j) 2^(n - 1/2 + j)),

    a series of positive terms (b_(j+1)/b_j = (n - 1/2 + j)/(n + 1 + 2j) < 1), summed with
    upward recurrences in j until the tail bound b_(j+1)/(1 - ratio) is negligible.
    """
    dps = mpmath.mp.dps
    x = big_r * big_r
    m = n - 1
    half = mpmath.mpf(1) / 2
    guard = 20
    while True:
        with mpmath.workdps(dps + guard):
            big_a = mpmath.exp(mpmath.loggamma(m + half) - mpmath.loggamma(m)) * gammainc_q(
                m + half, x
            )
            big_b = big_r * gammainc_q(m, x)
            t1 = big_a - big_b
        if t1 != 0 and abs(big_a) / abs(t1) < mpmath.mpf(10) ** (guard - 10):
            break
        guard *= 2
        if guard > 100000:
            raise mpmath.libmp.NoConvergence("T1 cancellation")
    with mpmath.workdps(dps + 10):
        s = n - half
        log_b = (
            mpmath.loggamma(s)
            - mpmath.loggamma(mpmath.mpf(n) / 2)
            - mpmath.loggamma(mpmath.mpf(n + 1) / 2)
            - s * mpmath.log(2)
        )
        b = mpmath.exp(log_b)
        q = gammainc_q(s, x)
        pmf = mpmath.exp(s * mpmath.log(x) - x - mpmath.loggamma(s + 1)) if x > 0 else mpmath.mpf(0)
        total = mpmath.mpf(0)
        tol = mpmath.mpf(10) ** (-(dps + 5))
        j = 0
        while True:
            total += b * q
            b_next = b * (s + j) / (n + 1 + 2 * j)
            ratio_next = (s + j + 1) / (n + 3 + 2 * j)
            if b_next / (1 - ratio_next) <= tol * total:
                break
            # Q(s+j+1, x) = Q(s+j, x) + x^(s+j) e^-x / Gamma(s+j+1)
            q += pmf
            pmf *= x / (s + j + 1)
            b = b_next
            j += 1
        return mpmath.sqrt(2 / mpmath.pi) * t1 + total


def expected_real_outside(
    r: Any, n: int, *, dps: int = 50, scale: str = "glorot", method: str = "quad"
) -> Any:
    """E #{real eigenvalues with |x| > r} = 2 int_r^inf rho_n(x) dx, in mpmath.

    ``r <= 0`` gives the expected total number of real eigenvalues E_n.

    Parameters
    ----------
    r : real scalar
        Radius (Glorot scale if ``scale="glorot"``).
    n : int
        Matrix dimension, ``n >= 1``.
    dps : int
        Decimal digits, ``>= 20``.
    scale : {"glorot", "ginibre"}
    method : {"quad", "series"}
        ``"quad"``: quadrature of the density (straight from the paper); ``"series"``: the
        closed form and positive series of Notes (no quadrature; fast at n ~ 10^6).

    Returns
    -------
    mpf

    Notes
    -----
    ``"quad"``: tanh-sinh quadrature of the Edelman-Kostlan-Shub density at ``dps + 10`` digits on
    intervals placed around the edge, with the integrand scaled to order one (mpmath.quad's
    tolerance is absolute). Each node costs two mpmath incomplete gamma functions,
    which take tens of milliseconds at n ~ 10^6: this is a reference, not a workhorse.

    ``"series"`` (n >= 2): with ``X = R^2``, the first EKS term integrates by parts to
    ``Gamma(n-1/2)/Gamma(n-1) Q(n-1/2, X) - R Q(n-1, X)`` (evaluated with guard digits
    until the cancellation beyond the edge is absorbed), and the second to the positive
    series ``sum_j b_j Q(n-1/2+j, X)``, ``b_j = Gamma(n-1/2+j)/(Gamma(n/2)
    Gamma((n+1)/2+j) 2^(n-1/2+j))``, from the power series of ``P((n-1)/2, u)``. The two
    methods are compared in the tests.

    References
    ----------
    Edelman, Kostlan, Shub, J. Amer. Math. Soc. 7 (1994), Corollary 4.3 and Theorem 5.1.

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp.densities import expected_real_outside
    >>> e3 = expected_real_outside(-1.0, 3, method="series")   # E_3 = 1 + 1/sqrt(2)
    >>> with mpmath.workdps(50):
    ...     ok = abs(e3 - (1 + 1 / mpmath.sqrt(2))) < mpmath.mpf(10) ** -40
    >>> ok
    True
    """
    n = check_n(n)
    dps = check_dps(dps)
    scale = check_scale(scale)
    method = check_choice(method, "method", ("quad", "series"))
    with mpmath.workdps(dps + 10):
        big_r = _radius(r, n, scale)
        if mpmath.isnan(big_r):
            val = mpmath.nan
        elif mpmath.isinf(big_r):
            val = mpmath.mpf(0)
        elif n == 1:
            val = mpmath.erfc(big_r / mpmath.sqrt(2))
        elif method == "series":
            val = _real_outside_series(big_r, n)
        else:
            pts = _breakpoints(big_r, n, mpmath.mpf(1) / 2)
            val = 2 * _quad_scaled(lambda x: eks_density(x, n), pts)
    with mpmath.workdps(dps):
        return +val


def _nonreal_radial(s: Any, n: int) -> Any:
    """2 s (1 - erfcx(sqrt 2 s)) Q(n-1, s^2): Edelman's density integrated over the circle |z| = s
    (times s, the polar Jacobian)."""
    w = mpmath.sqrt(2) * s
    one_minus_erfcx = 1 - mpmath.exp(w * w) * mpmath.erfc(w)
    return 2 * s * one_minus_erfcx * gammainc_q(n - 1, s * s)


def _plane_k(w: Any) -> Any:
    """K(w) = int_0^w v (1 - erfcx(v)) dv = w^2/2 - w/sqrt(pi) + (1 - erfcx(w))/2."""
    return w * w / 2 - w / mpmath.sqrt(mpmath.pi) + (1 - mpmath.exp(w * w) * mpmath.erfc(w)) / 2


def _nonreal_outside_fubini(big_r: Any, n: int) -> Any:
    """int_R^inf 2 s L(sqrt2 s) Q(n-1, s^2) ds with Q(n-1, s^2) = Pr(T > s^2), T ~ Gamma(n-1),
    integrated over s first: E[K(sqrt(2T)) - K(sqrt2 R); T > R^2] (mpmath.quad over t)."""
    m = n - 1
    x = big_r * big_r
    kr = _plane_k(mpmath.sqrt(2) * big_r)
    lg = mpmath.loggamma(m)

    def f(t: Any) -> Any:
        log_w = -t - lg if m == 1 else (m - 1) * mpmath.log(t) - t - lg
        return mpmath.exp(log_w) * (_plane_k(mpmath.sqrt(2 * t)) - kr)

    mode = mpmath.mpf(m - 1)
    sd = mpmath.sqrt(mpmath.mpf(m))
    if x < mode:
        pts = [x] + [
            mode + k * sd for k in (-40, -20, -10, -5, -2, 0, 2, 5, 10, 20, 40) if mode + k * sd > x
        ]
    else:
        # decay at rate 1 - (m-1)/x beyond the mode, and the Gaussian width sqrt(m) near it
        h = min(sd, 1 / (1 - mode / x)) if x > mode else sd
        pts = [x + k * h for k in (0, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64)]
    pts.append(mpmath.inf)
    return _quad_scaled(f, pts)


def expected_nonreal_outside(
    r: Any,
    n: int,
    *,
    field: str = "real",
    dps: int = 50,
    scale: str = "glorot",
    method: str = "quad",
) -> Any:
    """E #{non-real eigenvalues with |z| > r} (both members of each conjugate pair counted).

    ``r <= 0`` gives the totals: ``n - E_n`` (real Ginibre) and ``n`` (complex Ginibre; every
    eigenvalue is non-real almost surely).

    Parameters
    ----------
    r : real scalar
        Radius (Glorot scale if ``scale="glorot"``).
    n : int
        Matrix dimension, ``n >= 1``.
    field : {"real", "complex"}
    dps : int
        Decimal digits, ``>= 20``.
    scale : {"glorot", "ginibre"}
    method : {"quad", "fubini"}
        Real field only. ``"quad"``: quadrature over the modulus ``s`` of the circle
        integral of Edelman's density (an incomplete gamma per node); ``"fubini"``: the same
        integral with ``Q(n-1, s^2) = Pr(T > s^2)``, ``T ~ Gamma(n-1)``, written out and the
        ``s`` integral done in closed form, leaving a quadrature over ``t`` of elementary
        functions (fast at large n).

    Returns
    -------
    mpf

    Notes
    -----
    Real field, ``"quad"``: mpmath.quad of ``2 s (1 - erfcx(sqrt 2 s)) Q(n-1, s^2)`` over ``s > R``, the
    polar form of Edelman's density with the angle integrated in closed form (see the module
    docstring). Complex field: ``n Q(n+1, R^2) - R^2 Q(n, R^2)`` at ``dps + 30`` digits.

    References
    ----------
    Edelman, J. Multivariate Anal. 60 (1997), Theorem 6.2; Ginibre, J. Math. Phys. 6 (1965).

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp.densities import expected_nonreal_outside
    >>> v = expected_nonreal_outside(0.0, 2, dps=30, method="fubini")   # n - E_2 = 2 - sqrt(2)
    >>> with mpmath.workdps(50):
    ...     ok = abs(v - (2 - mpmath.sqrt(2))) < mpmath.mpf(10) ** -28
    >>> ok
    True
    """
    n = check_n(n)
    dps = check_dps(dps)
    field = check_field(field)
    scale = check_scale(scale)
    method = check_choice(method, "method", ("quad", "fubini"))
    with mpmath.workdps(dps + 10):
        big_r = _radius(r, n, scale)
        if mpmath.isnan(big_r):
            val = mpmath.nan
        elif mpmath.isinf(big_r):
            val = mpmath.mpf(0)
        elif field == "complex":
            with mpmath.workdps(dps + 40):
                x = big_r * big_r
                val = n * gammainc_q(n + 1, x) - x * gammainc_q(n, x)
        elif n == 1:
            val = mpmath.mpf(0)
        elif method == "fubini":
            val = _nonreal_outside_fubini(big_r, n)
        else:
            pts = _breakpoints(big_r, n, mpmath.mpf(1) / 4)
            val = _quad_scaled(lambda s: _nonreal_radial(s, n), pts)
    with mpmath.workdps(dps):
        return +val
