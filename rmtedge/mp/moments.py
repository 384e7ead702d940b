"""High-precision eigenvalue moments of Glorot matrices, written straight from the densities.

For ``W = G/sqrt(n)`` (``G`` real or complex Ginibre) the eigenvalue moment is

    m_k(n) = (1/n) E sum_i |lambda_i(W)|^(2k) = n^-(k+1) E sum_i |lambda_i(G)|^(2k),

and the hidden-state growth bound is ``B_t(n) = sum_{k<t} m_k(n)`` (see :mod:`rmtedge.ensembles.moments`
for why it bounds ``E||h_t||^2 / n``; that statement is a reconstruction of Bar et al. 2025).
Every function here works inside ``mpmath.workdps`` (the global context is left alone), takes
``dps`` decimal digits (refused below 20) and returns an ``mpf``. It is the reference that the
float64 functions of :mod:`rmtedge.ensembles.moments` are tested against.

Formulas (Ginibre scale; divide by ``n^(k+1)`` for Glorot)
-----------------------------------------------------------
Complex field, Kostlan (1992): the ``|lambda_i(G)|^2`` are independent Gamma(j, 1), j = 1..n, so
``E sum |lambda|^(2k) = sum_j Gamma(j+k)/Gamma(j) = (n+k)!/((k+1) (n-1)!)`` and
``m_k(n) = prod_{j=1}^k (1 + j/n) / (k+1)``, evaluated here as that product in exact integer
arithmetic, ``(n+1)(n+2)...(n+k) / (n^k (k+1))``, with a single rounding.

Real field: the sum over the real eigenvalues plus the sum over the non-real ones,

    int_R x^(2k) rho_n(x) dx  +  int_C |z|^(2k) rho^c_n(z) dA(z),

with the Edelman-Kostlan-Shub intensity of real eigenvalues (EKS 1994, Cor. 4.3; n >= 2)

    rho_n(x) = Q(n-1, x^2)/sqrt(2 pi) + |x|^(n-1) e^(-x^2/2) P((n-1)/2, x^2/2) / (Gamma(n/2) 2^(n/2)),

(the standard normal density for n = 1) and Edelman's intensity of non-real eigenvalues
(Edelman 1997, Thm 6.2; per unit area, both members of a conjugate pair)

    rho^c_n(x + iy) = sqrt(2/pi) |y| erfcx(sqrt(2) |y|) Q(n-1, x^2 + y^2),

where ``e^(y^2-x^2) erfc(sqrt 2 |y|) e_(n-2)(x^2+y^2)`` of the paper was rewritten with
``e^(-s) e_(n-2)(s) = Q(n-1, s)`` and ``erfcx(u) = e^(u^2) erfc(u)``. ``P``, ``Q`` are the
regularized incomplete gamma functions (:func:`mpmath.gammainc`).

* Real-line part: ``method="quad"`` integrates ``x^(2k) rho_n(x)`` with :func:`mpmath.quad`;
  ``method="closed"`` uses the term-by-term integral of the EKS density,
  ``Gamma(n+k-1/2)/sqrt(2 pi) [1/((k+1/2) Gamma(n-1)) + 2F1(1, n+k-1/2; (n+1)/2; 1/2)/Gamma(n)]``
  (``(2k-1)!!`` for n = 1).
* Plane part, in polar coordinates ``z = s e^(i theta)``:
  ``int_0^inf 2 s^(2k+1) Q(n-1, s^2) A(s) ds``,
  ``A(s) = (2/pi) int_0^(pi/2) g(sqrt(2) s sin theta) d theta``, ``g(u) = sqrt(pi) u erfcx(u)``.
  ``method="nested"`` evaluates ``A(s)`` by an inner :func:`mpmath.quad` at every outer node (a
  two-dimensional quadrature of Edelman's density as written); ``method="radial"`` uses the
  closed form ``A(s) = 1 - erfcx(sqrt(2) s)`` (integrate the power series of ``g`` term by term
  with ``int_0^(pi/2) sin^j = sqrt(pi) Gamma((j+1)/2) / (2 Gamma(j/2 + 1))``; the tests check
  it against the inner quadrature), a one-dimensional quadrature that is about a hundred times
  faster.

Quadrature layout: the integrands are located on a coarse grid (low precision) to find their
peak and the point beyond the edge ``sqrt(n)`` where they fall below ``10^-(dps+20)`` of it
(the integral is truncated there: beyond, the integrand decays like a Gaussian of width ~1/2);
tanh-sinh intervals cover ``[0, sqrt(n) - 4]`` in a few pieces and then the edge and the peak
in unit steps. The integrand is divided by its peak value so that
mpmath's absolute tolerance is relative, and mpmath's error estimate is checked (``ArithmeticError``
if it exceeds ``10^-(dps+3)`` of the result). Work is done with ``dps + 10`` digits.

Cost (one core, mpmath without gmpy, measured on a loaded 2-core machine): ``method="radial"``
takes a few seconds per (n, k) at 20-60 digits and n <= 10^3, most of it in the real-line
quadrature (two incomplete gamma functions per node); ``"nested"`` takes about three minutes
per call at 20 digits for n <= 10 (a few hundred erfc evaluations per outer node; the orders
of one call share the node values). :func:`hidden_state_lower_bound` of the real field needs
one real-line quadrature per order k < t.

References
----------
E. Kostlan, Linear Algebra Appl. 162-164 (1992) 385-388. A. Edelman, E. Kostlan, M. Shub,
J. Amer. Math. Soc. 7 (1994) 247-267, Cor. 4.3. A. Edelman, J. Multivariate Anal. 60 (1997)
203-232, Thm 6.2. N. Bar et al., arXiv:2505.19827 (2025) (the growth bound, reconstructed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import mpmath

from .._core.checks import (
    check_choice,
    check_field,
    check_int,
    check_n,
)
from ._common import MIN_DPS as MIN_DPS
from ._common import check_dps, eks_density, gammainc_q

__all__ = [
    "eigenvalue_moment",
    "hidden_state_lower_bound",
    "nonreal_moment_part",
    "real_line_moment_part",
]

_GUARD = 10
_PLANE_METHODS = ("radial", "nested")
_LINE_METHODS = ("quad", "closed")


def _check_k(k: Any, name: str = "k") -> int:
    return check_int(k, name, minimum=0)


def _round(value: Any, dps: int) -> Any:
    with mpmath.workdps(dps):
        return +value


# ----------------------------------------------------------------------------------------------
# special functions (current precision)
# ----------------------------------------------------------------------------------------------


def _erfcx(u: Any) -> Any:
    return mpmath.exp(u * u) * mpmath.erfc(u)


def _angular_nested(s: Any) -> Any:
    """A(s) = (2/pi) int_0^(pi/2) sqrt(pi) c sin(t) erfcx(c sin t) dt, c = sqrt(2) s, by mpmath.quad.

    The integrand has a layer of width ~1/c at t = 0 (where c sin t is O(1)); breakpoints at
    1/c, 4/c, 16/c, ... let tanh-sinh resolve it.
    """
    if s == 0:
        return mpmath.mpf(0)
    c = mpmath.sqrt(2) * s
    root_pi = mpmath.sqrt(mpmath.pi)

    def g(t: Any) -> Any:
        u = c * mpmath.sin(t)
        return root_pi * u * _erfcx(u)

    half_pi = mpmath.pi / 2
    pts = [mpmath.mpf(0)]
    edge = 1 / c
    while edge < half_pi:
        pts.append(edge)
        edge *= 4
    pts.append(half_pi)
    val, err = mpmath.quad(g, pts, error=True)
    _check_quad(val, err, "angular integral A(s)")
    return 2 * val / mpmath.pi


def _angular_radial(s: Any) -> Any:
    """A(s) = 1 - erfcx(sqrt(2) s) (closed form of the angular integral of Edelman's density).

    For small s, 1 - erfcx(u) ~ 2u/sqrt(pi) cancels: about -log10(u) extra digits are used.
    """
    if s == 0:
        return mpmath.mpf(0)
    u = mpmath.sqrt(2) * s
    extra = max(0, int(-mpmath.log10(u))) + 5 if u < 1 else 0
    with mpmath.extradps(extra):
        return +(1 - _erfcx(u))


# ----------------------------------------------------------------------------------------------
# quadrature helpers
# ----------------------------------------------------------------------------------------------


def _check_quad(val: Any, err: Any, what: str) -> None:
    tol = mpmath.mpf(10) ** (-(mpmath.mp.dps - _GUARD + 3))
    if not err <= tol * abs(val) + mpmath.mpf(10) ** (-(mpmath.mp.dps - 3)):
        raise ArithmeticError(
            f"mpmath.quad did not converge for the {what}: estimate {val}, error {err}"
        )


def _scan(log_base: Callable[[Any], Any], n: int, dps: int, kmax: int) -> tuple[list, list]:
    """Coarse grid s_j = j/4 and log_base(s_j) (low precision), far enough for orders <= kmax.

    The integrands are ``e^(log_base(s)) s^(2k)``. The grid runs until it is past the edge
    sqrt(n) and past the peak of the kmax integrand by at least 1, and that integrand has
    fallen ``(dps + 20) ln 10`` below its peak (it decays like a Gaussian there; the peaks of
    smaller k lie further in).
    """
    edge = math.sqrt(n)
    drop = (dps + 20) * math.log(10.0)
    h = 0.25
    grid: list = []
    logs: list = []
    peak = -math.inf
    s_peak = 0.0
    j = 1
    with mpmath.workdps(20):
        while True:
            s = j * h
            b = float(log_base(mpmath.mpf(s)))
            v = b + 2 * kmax * math.log(s)
            grid.append(s)
            logs.append(b)
            if v > peak:
                peak, s_peak = v, s
            if s > edge + 2.0 and s > s_peak + 1.0 and v < peak - drop:
                break
            j += 1
    return grid, logs


def _log_peak(grid: list, logs: list, k: int) -> float:
    return max(b + 2 * k * math.log(s) for s, b in zip(grid, logs, strict=True))


def _breakpoints(grid: list, logs: list, n: int, kmax: int) -> list:
    """[0, a few pieces up to min(edge, peak) - 4, unit steps to the end of the grid].

    The integral is truncated at the end of the grid, where the integrand is below
    ``10^-(dps+20)`` of its peak and decays like a Gaussian (width ~1/2 in s beyond the edge):
    the neglected tail is smaller still.
    """
    edge = math.sqrt(n)
    s_peak = max(zip(grid, logs, strict=True), key=lambda p: p[1] + 2 * kmax * math.log(p[0]))[0]
    hi = grid[-1]
    a0 = min(edge, s_peak) - 4.0
    pts: list = [mpmath.mpf(0)]
    if a0 > 1.0:
        pts += [mpmath.mpf(a0) * f for f in (0.125, 0.25, 0.5, 0.75, 1.0)]
    start = pts[-1]
    steps = max(1, math.ceil(hi - float(start)))
    pts += [start + (mpmath.mpf(hi) - start) * i / steps for i in range(1, steps + 1)]
    return pts


def _scaled_quad(f: Callable[[Any], Any], pts: list, log_scale: float, what: str) -> Any:
    """int f over pts, with f divided by e^log_scale (mpmath.quad's tolerance is absolute)."""
    scale = mpmath.exp(mpmath.mpf(log_scale))
    val, err = mpmath.quad(lambda s: f(s) / scale, pts, error=True)
    _check_quad(val, err, what)
    return val * scale


# ----------------------------------------------------------------------------------------------
# the two parts of the real-field moment (Ginibre scale, then divided by n^(k+1))
# ----------------------------------------------------------------------------------------------


def _real_line_closed(n: int, k: int) -> Any:
    """(1/n^(k+1)) int x^(2k) rho_n(x) dx from the term-by-term integral of the EKS density."""
    if n == 1:
        # int x^(2k) phi(x) dx = (2k-1)!! = 2^k Gamma(k+1/2)/sqrt(pi)
        return mpmath.power(2, k) * mpmath.gamma(k + mpmath.mpf(1) / 2) / mpmath.sqrt(mpmath.pi)
    half = mpmath.mpf(1) / 2
    b = n + k - half
    first = 1 / ((k + half) * mpmath.gamma(n - 1))
    second = mpmath.hyp2f1(1, b, mpmath.mpf(n + 1) / 2, half, maxterms=10**7) / mpmath.gamma(n)
    total = mpmath.gamma(b) / mpmath.sqrt(2 * mpmath.pi) * (first + second)
    return total / mpmath.power(n, k + 1)


def _real_line_quad(n: int, k: int, dps: int) -> Any:
    """(1/n^(k+1)) 2 int_0^inf x^(2k) rho_n(x) dx by mpmath.quad."""

    def log_base(x: Any) -> Any:
        return mpmath.log(2 * eks_density(x, n))

    def f(x: Any) -> Any:
        return 2 * x ** (2 * k) * eks_density(x, n)

    grid, logs = _scan(log_base, n, dps, k)
    pts = _breakpoints(grid, logs, n, k)
    val = _scaled_quad(f, pts, _log_peak(grid, logs, k), "real-line part")
    return val / mpmath.power(n, k + 1)


def _plane_parts(n: int, ks: Sequence[int], dps: int, method: str) -> list:
    """(1/n^(k+1)) int_C |z|^(2k) rho^c_n(z) dA for each k in ks (current precision).

    One breakpoint layout (built for max(ks)) serves every k, and the factor
    2 s Q(n-1, s^2) A(s) is cached by node, so the k share their (expensive) evaluations.
    """
    if n == 1:
        return [mpmath.mpf(0) for _ in ks]
    angular = _angular_radial if method == "radial" else _angular_nested
    cache: dict = {}

    def base(s: Any) -> Any:
        hit = cache.get(s)
        if hit is None:
            hit = 2 * s * gammainc_q(n - 1, s * s) * angular(s)
            cache[s] = hit
        return hit

    def log_base(s: Any) -> Any:
        return mpmath.log(2 * s * gammainc_q(n - 1, s * s) * _angular_radial(s))

    kmax = max(ks)
    grid, logs = _scan(log_base, n, dps, kmax)
    pts = _breakpoints(grid, logs, n, kmax)
    out = []
    for k in ks:
        val = _scaled_quad(
            lambda s, k=k: base(s) * s ** (2 * k), pts, _log_peak(grid, logs, k), "plane part"
        )
        out.append(val / mpmath.power(n, k + 1))
    return out


# ----------------------------------------------------------------------------------------------
# public functions
# ----------------------------------------------------------------------------------------------


def real_line_moment_part(n: int, k: int, *, dps: int = 50, method: str = "quad") -> mpmath.mpf:
    """Real-eigenvalue part of m_k(n) for real Glorot matrices, in mpmath.

    ``(1/n) E sum over the real eigenvalues of W of lambda^(2k)`` (Ginibre-scale integral of
    ``x^(2k)`` against the Edelman-Kostlan-Shub intensity, divided by ``n^(k+1)``).

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    k : int
        Order, ``k >= 0``.
    dps : int
        Decimal digits (``>= 20``); the work is done with 10 more.
    method : {"quad", "closed"}
        ``"quad"``: :func:`mpmath.quad` of EKS Cor. 4.3 as written. ``"closed"``: its
        term-by-term integral with :func:`mpmath.hyp2f1` (module docstring).

    Returns
    -------
    mpf
        At ``k = 0`` this is ``E_n / n`` (EKS Thm 5.1).

    References
    ----------
    A. Edelman, E. Kostlan, M. Shub, J. Amer. Math. Soc. 7 (1994) 247-267, Cor. 4.3, Thm 5.1.

    Examples
    --------
    For n = 2, ``E_2 = sqrt(2)`` real eigenvalues are expected, so the k = 0 part is
    ``sqrt(2)/2``; both methods give it:

    >>> import mpmath
    >>> from rmtedge.mp import moments as mpm
    >>> vals = [mpm.real_line_moment_part(2, 0, dps=30, method=m) for m in ("quad", "closed")]
    >>> with mpmath.workdps(40):  # compare at full precision
    ...     all(abs(v - mpmath.sqrt(2) / 2) < mpmath.mpf(10) ** -28 for v in vals)
    True
    """
    n = check_n(n)
    k = _check_k(k)
    dps = check_dps(dps)
    method = check_choice(method, "method", _LINE_METHODS)
    with mpmath.workdps(dps + _GUARD):
        val = _real_line_closed(n, k) if method == "closed" else _real_line_quad(n, k, dps)
    return _round(val, dps)


def nonreal_moment_part(n: int, k: int, *, dps: int = 50, method: str = "radial") -> mpmath.mpf:
    """Non-real-eigenvalue part of m_k(n) for real Glorot matrices, in mpmath.

    ``(1/n) E sum over the non-real eigenvalues of W of |lambda|^(2k)``: the integral of
    ``|z|^(2k)`` against Edelman's intensity (Edelman 1997, Thm 6.2), divided by ``n^(k+1)``.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1`` (0 for n = 1).
    k : int
        Order, ``k >= 0``.
    dps : int
        Decimal digits (``>= 20``); the work is done with 10 more.
    method : {"radial", "nested"}
        ``"nested"``: two-dimensional quadrature in polar coordinates (inner :func:`mpmath.quad`
        over the angle at every radial node; slow). ``"radial"``: the angle in closed form.

    Returns
    -------
    mpf
        At ``k = 0`` this is ``(n - E_n)/n``.

    References
    ----------
    A. Edelman, J. Multivariate Anal. 60 (1997) 203-232, Thm 6.2.

    Examples
    --------
    For n = 2 the expected number of non-real eigenvalues is ``2 - sqrt(2)``:

    >>> import mpmath
    >>> from rmtedge.mp import moments as mpm
    >>> v = mpm.nonreal_moment_part(2, 0, dps=30)
    >>> with mpmath.workdps(40):
    ...     bool(abs(v - (2 - mpmath.sqrt(2)) / 2) < mpmath.mpf(10) ** -28)
    True
    """
    n = check_n(n)
    k = _check_k(k)
    dps = check_dps(dps)
    method = check_choice(method, "method", _PLANE_METHODS)
    with mpmath.workdps(dps + _GUARD):
        val = _plane_parts(n, [k], dps, method)[0]
    return _round(val, dps)


def _complex_moment(n: int, k: int) -> Any:
    """prod_{j=1}^k (1 + j/n) / (k+1) = [(n+1)(n+2)...(n+k)] / (n^k (k+1)), the numerator and
    n^k as exact integers (one rounding in the division)."""
    return mpmath.mpf(math.prod(range(n + 1, n + k + 1))) / (mpmath.mpf(n**k) * (k + 1))


def _moments(n: int, ks: Sequence[int], field: str, dps: int, method: str) -> list:
    if field == "complex":
        return [_complex_moment(n, k) for k in ks]
    plane = _plane_parts(n, ks, dps, method)
    return [_real_line_quad(n, k, dps) + p for k, p in zip(ks, plane, strict=True)]


def eigenvalue_moment(
    n: int, k: int, *, field: str = "real", dps: int = 50, method: str = "radial"
) -> mpmath.mpf:
    """Eigenvalue moment m_k(n) = (1/n) E sum_i |lambda_i(W)|^(2k) of Glorot W, in mpmath.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    k : int
        Order, ``k >= 0``.
    field : {"real", "complex"}
    dps : int
        Decimal digits (``>= 20``); the work is done with 10 more.
    method : {"radial", "nested"}
        Real field only: how the non-real part is integrated (see
        :func:`nonreal_moment_part`). The real-line part is always ``mpmath.quad`` of the EKS
        density.

    Returns
    -------
    mpf

    Notes
    -----
    Complex: ``prod_{j=1}^k (1 + j/n) / (k + 1)`` (Kostlan 1992), the product taken in exact
    integer arithmetic and rounded once. Real: the
    sum of :func:`real_line_moment_part` (``method="quad"``) and :func:`nonreal_moment_part`.
    See the module docstring for formulas, quadrature layout and cost.

    References
    ----------
    E. Kostlan (1992); A. Edelman, E. Kostlan, M. Shub (1994), Cor. 4.3; A. Edelman (1997),
    Thm 6.2 (module docstring for the full citations).

    Examples
    --------
    For real 2 x 2 matrices ``m_1(2) = 1/sqrt(2)``; for complex ones ``m_1(n) = (1 + 1/n)/2``:

    >>> import mpmath
    >>> from rmtedge import mp as rmp
    >>> m1 = rmp.eigenvalue_moment(2, 1, field="real", dps=30)
    >>> with mpmath.workdps(40):
    ...     bool(abs(m1 - 1 / mpmath.sqrt(2)) < mpmath.mpf(10) ** -28)
    True
    >>> rmp.eigenvalue_moment(4, 1, field="complex") == mpmath.mpf(5) / 8
    True
    """
    n = check_n(n)
    k = _check_k(k)
    field = check_field(field)
    dps = check_dps(dps)
    method = check_choice(method, "method", _PLANE_METHODS)
    with mpmath.workdps(dps + _GUARD):
        val = _moments(n, [k], field, dps, method)[0]
    return _round(val, dps)


def hidden_state_lower_bound(
    n: int, t: int, *, field: str = "real", dps: int = 50, method: str = "radial"
) -> mpmath.mpf:
    """Growth bound B_t(n) = sum_{k<t} m_k(n) on E||h_t||^2 / n, in mpmath.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    t : int
        Time step, ``t >= 0`` (``B_0 = 0``).
    field : {"real", "complex"}
    dps : int
        Decimal digits (``>= 20``).
    method : {"radial", "nested"}
        As in :func:`eigenvalue_moment`.

    Returns
    -------
    mpf

    Notes
    -----
    The sum of :func:`eigenvalue_moment` over ``k = 0..t-1``; for the real field the ``t``
    plane integrals share one quadrature layout and their node values. The inequality
    ``E||h_t||^2/n >= B_t(n)`` is Schur's inequality applied to ``W^k`` (a reconstruction of
    the paper's variance bound; see :mod:`rmtedge.ensembles.moments`).

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025), variance lower bound (reconstructed).

    Examples
    --------
    ``B_2 = m_0 + m_1 = 1 + (1 + 1/n)/2`` for the complex field:

    >>> import mpmath
    >>> from rmtedge import mp as rmp
    >>> rmp.hidden_state_lower_bound(4, 2, field="complex") == 1 + mpmath.mpf(5) / 8
    True
    """
    n = check_n(n)
    t = check_int(t, "t", minimum=0)
    field = check_field(field)
    dps = check_dps(dps)
    method = check_choice(method, "method", _PLANE_METHODS)
    if t == 0:
        return mpmath.mpf(0)
    with mpmath.workdps(dps + _GUARD):
        val = mpmath.fsum(_moments(n, list(range(t)), field, dps, method))
    return _round(val, dps)
