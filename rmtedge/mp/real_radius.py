"""High-precision (mpmath) reference for the spectral-radius law of real Ginibre / Glorot matrices.

Two independent routes to ``P(rho(W) <= r)``, ``W = G/sqrt(n)``, ``G`` real Ginibre, with the
Ginibre disc radius ``R = sqrt(n) r``:

``method="arc"`` (default; the formula of :class:`rmtedge.laws.real_radius_pfaffian.ExactRealRadiusLaw`)
    ``det(I - K)`` with, for ``i, j < m = floor(n/2)``,
    ``K_ij = delta_ij Q(2i+1, R^2) + alpha_i v_j - (R/sqrt(2 pi)) v_i v_j F_{2(i-j)+1}(R)``
    (bordered for odd n), where ``F_d(R) = int_0^pi sin(d th) erfcx(sqrt(2) R sin th) dth`` is
    computed by Gauss-Legendre quadrature at the working precision on [0, pi/2] split at
    ``2^k/R`` (all orders from one set of erfcx values). ``sf`` is formed from
    ``K`` (``1 - det(I - K)`` at a working precision raised by the number of digits that
    cancel), ``cdf`` from ``I - K`` with its diagonal ``P(2i+1, R^2)`` computed directly.
    Every value is computed at two working precisions and accepted when they agree to ``dps``
    digits (otherwise both are raised by 30 digits, up to 3000).

``method="disc"`` (independent check of the reduction, small R)
    de Bruijn's Pfaffian over the disc straight from the definitions: the skew products of the
    monomials ``x^a, x^b`` restricted to the disc -- the real-line part
    ``int int_{[-R, R]^2} e^{-(x^2+y^2)/2} x^a y^b sgn(y - x)`` (inner integral in closed form,
    outer by :func:`mpmath.quad`) and the half-disc part
    ``2i int int e^{y^2-x^2} erfc(sqrt(2) y) [z^a zbar^b - zbar^a z^b]`` (the power series
    of erfcx integrated term by term in polar coordinates) -- transformed to the
    skew-orthogonal polynomials ``q_{2j} = x^{2j}``, ``q_{2j+1} = x^{2j+1} - 2j x^{2j-1}``,
    bordered by ``c_j = int_{-R}^{R} q_j e^{-x^2/2}`` for odd n, and a Pfaffian by skew
    Gaussian elimination, divided by its value over the whole plane. The series needs about
    ``R^2 / ln 10`` guard digits; use it for ``R <= 6`` (it refuses ``R > 8``) and n <= 12.

References
----------
N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151. C. D. Sinclair, IMRN 2007.
P. J. Forrester, T. Nagao, Phys. Rev. Lett. 99 (2007) 050603. A. Borodin, C. D. Sinclair,
Commun. Math. Phys. 291 (2009) 177. A. Edelman, J. Multivariate Anal. 60 (1997) 203 (the
non-real weight ``e^{y^2 - x^2} erfc(sqrt(2) y)``).
"""

from __future__ import annotations

import itertools
from typing import Any

import mpmath

from .._core.checks import check_choice, check_n, check_scale
from ._common import check_dps, check_real

__all__ = [
    "real_spectral_radius_cdf",
    "real_spectral_radius_logcdf",
    "real_spectral_radius_logsf",
    "real_spectral_radius_sf",
]

_METHODS = ("arc", "disc")
_MAX_WP = 3000


# --------------------------------------------------------------------------------------------
# the arc formula
# --------------------------------------------------------------------------------------------


def _arc_F_all(dmax: int, R: Any, degree: int = 6) -> dict[int, Any]:
    """{d: F_d(R)} for odd 1 <= d <= dmax, F_d(R) = int_0^pi sin(d t) erfcx(sqrt(2) R sin t) dt.

    Twice the [0, pi/2] integral (odd d). Gauss-Legendre with 3 * 2^(degree-1) nodes (mpmath's
    nodes at the working precision) on panels [0, 1/R, 2/R, 4/R, ..., pi/2], each cut so that
    it holds at most two periods of sin(dmax t); erfcx is evaluated once per node and the
    sines for all d by the three-term recurrence. Accuracy is confirmed by the two-precision
    agreement of the public functions (and by the disc route).
    """
    from mpmath.calculus.quadrature import GaussLegendre

    half = mpmath.pi / 2
    pts = [mpmath.mpf(0)]
    if R > 0:
        p = 1 / R
        while p < half:
            pts.append(p)
            p *= 2
    pts.append(half)
    step = 4 * mpmath.pi / dmax
    fine = [pts[0]]
    for a, b in itertools.pairwise(pts):
        k = max(1, int(mpmath.ceil((b - a) / step)))
        for i in range(1, k + 1):
            fine.append(a + (b - a) * i / k)
    gl = GaussLegendre(mpmath.mp)
    s2 = mpmath.sqrt(2) * R
    out = dict.fromkeys(range(1, dmax + 1, 2), mpmath.mpf(0))
    for a, b in itertools.pairwise(fine):
        for t, w in gl.get_nodes(a, b, degree, mpmath.mp.prec):
            st = mpmath.sin(t)
            u = s2 * st
            g = w * mpmath.erfc(u) * mpmath.exp(u * u)
            c2 = 2 * mpmath.cos(2 * t)
            sp, sc = -st, st
            for d in range(1, dmax + 1, 2):
                out[d] += g * sc
                sp, sc = sc, c2 * sc - sp
    return {d: 2 * v for d, v in out.items()}


def _arc_matrices(n: int, R: Any) -> tuple[Any, Any]:
    """(K, B = I - K) of the arc formula at the current precision (R > 0)."""
    m = n // 2
    odd = n % 2
    R2 = R * R
    x = R2 / 2
    c = R / mpmath.sqrt(2 * mpmath.pi)
    size = m + odd

    def v(k: int) -> Any:
        return R ** (2 * k) * mpmath.exp(-x) / mpmath.sqrt(mpmath.factorial(2 * k))

    def t(k: int) -> Any:
        return mpmath.sqrt(mpmath.factorial(2 * k)) / (2**k * mpmath.factorial(k))

    def P(a: Any, z: Any) -> Any:
        return mpmath.gammainc(a, 0, z, regularized=True)

    def Q(a: Any, z: Any) -> Any:
        return mpmath.gammainc(a, z, mpmath.inf, regularized=True)

    F = _arc_F_all(2 * m + 1, R)

    def f(d: int) -> Any:
        return F[d] if d > 0 else -F[-d]

    vs = [v(k) for k in range(m + 1)]
    ts = [t(k) for k in range(m + 1)]
    K = mpmath.zeros(size, size)
    B = mpmath.zeros(size, size)
    if odd == 0:
        for i in range(m):
            alpha = ts[i] * P(i + mpmath.mpf(1) / 2, x)
            for j in range(m):
                nij = alpha * vs[j] - c * vs[i] * vs[j] * f(2 * (i - j) + 1)
                K[i, j] = nij
                B[i, j] = -nij
            K[i, i] += Q(2 * i + 1, R2)
            B[i, i] += P(2 * i + 1, R2)
        return K, B
    half = mpmath.mpf(1) / 2
    # Delta_i = P(i+1/2, x) - P(m+1/2, x) as a sum of positive terms
    terms = [x ** (k + half) * mpmath.exp(-x) / mpmath.gamma(k + 1 + half) for k in range(m)]
    delta = [mpmath.fsum(terms[i:]) for i in range(m)]
    for i in range(m):
        for j in range(m):
            nij = ts[i] * delta[i] * vs[j] - c * vs[j] * (
                vs[i] * f(2 * (i - j) + 1) - ts[i] / ts[m] * vs[m] * f(2 * (m - j) + 1)
            )
            K[i, j] = nij
            B[i, j] = -nij
        K[i, i] += Q(2 * i + 1, R2)
        B[i, i] += P(2 * i + 1, R2)
        K[i, m] = -ts[i] / ts[m] * delta[i]
        B[i, m] = -K[i, m]
    alpha_m = ts[m] * P(m + half, x)
    for j in range(m):
        nmj = alpha_m * vs[j] - c * vs[m] * vs[j] * f(2 * (m - j) + 1)
        K[m, j] = nmj
        B[m, j] = -nmj
    K[m, m] = Q(m + half, x)
    B[m, m] = P(m + half, x)
    return K, B


def _arc_pair(n: int, R: Any) -> tuple[Any, Any]:
    """(cdf, sf) at the current precision by the arc formula."""
    K, B = _arc_matrices(n, R)
    cdf = mpmath.det(B)
    size = K.rows
    sf = 1 - mpmath.det(mpmath.eye(size) - K)
    return cdf, sf


# --------------------------------------------------------------------------------------------
# the disc route (de Bruijn's Pfaffian from the definitions)
# --------------------------------------------------------------------------------------------


def _half_moment(b: int, lo: Any, hi: Any) -> Any:
    """int_lo^hi y^b e^{-y^2/2} dy in closed form (incomplete gamma)."""

    def prim(y: Any) -> Any:
        # F(y) = int_0^y t^b e^{-t^2/2} dt = sgn(y)^{b+1} 2^{(b-1)/2} gamma((b+1)/2, y^2/2)
        if y == 0:
            return mpmath.mpf(0)
        g = 2 ** (mpmath.mpf(b - 1) / 2) * mpmath.gammainc(mpmath.mpf(b + 1) / 2, 0, y * y / 2)
        return g if (y > 0 or b % 2 == 1) else -g

    return prim(hi) - prim(lo)


def _real_part(a: int, b: int, R: Any) -> Any:
    """int_{-R}^{R} x^a e^{-x^2/2} [int_x^R - int_{-R}^x] y^b e^{-y^2/2} dy dx."""

    def inner(xx: Any) -> Any:
        return _half_moment(b, xx, R) - _half_moment(b, -R, xx)

    return mpmath.quad(lambda xx: xx**a * mpmath.exp(-xx * xx / 2) * inner(xx), [-R, 0, R])


def _sin_power_integral(d: int, k: int) -> Any:
    """J(d, k) = int_0^pi sin(d t) sin(t)^k dt, exactly (binomial expansion of sin^k)."""
    # sin^k t = (2i)^{-k} sum_l C(k, l) (-1)^{k-l} e^{i(2l-k)t}
    total = mpmath.mpc(0)
    for l_ in range(k + 1):
        p = 2 * l_ - k
        coef = mpmath.binomial(k, l_) * (-1) ** (k - l_)
        # int_0^pi sin(d t) e^{i p t} dt = (1/2i) int (e^{i(d+p)t} - e^{-i(d-p)t})
        total += coef * (_exp_int(d + p) - _exp_int(p - d)) / (2j)
    return (total / (2j) ** k).real


def _exp_int(q: int) -> Any:
    """int_0^pi e^{i q t} dt for integer q."""
    if q == 0:
        return mpmath.pi
    return (mpmath.mpf(-1) ** q - 1) / (1j * q)


def _complex_part(a: int, b: int, R: Any) -> Any:
    """-4 int_0^R int_0^pi s^{a+b+1} sin((a-b) t) e^{-s^2} erfcx(sqrt(2) s sin t) dt ds,
    with erfcx(u) = sum_k (-u)^k / Gamma(k/2 + 1) integrated term by term."""
    d = a - b
    total = mpmath.mpf(0)
    R2 = R * R
    tol = mpmath.mpf(10) ** (-mpmath.mp.dps - 5)
    k = 0
    biggest = mpmath.mpf(0)
    while True:
        J = _sin_power_integral(d, k)
        radial = mpmath.gammainc(mpmath.mpf(a + b + k + 2) / 2, 0, R2) / 2
        term = (-mpmath.sqrt(2)) ** k / mpmath.gamma(mpmath.mpf(k) / 2 + 1) * J * radial
        total += term
        biggest = max(biggest, abs(term))
        if k > 4 * R2 + 20 and abs(term) < tol * max(biggest, 1):
            break
        k += 1
    return -4 * total


def _pfaffian(A: Any) -> Any:
    """Pfaffian of an even-dimension skew matrix by skew Gaussian elimination with pivoting."""
    A = A.copy()
    n = A.rows
    pf = mpmath.mpf(1)
    for k in range(0, n - 1, 2):
        p = max(range(k + 1, n), key=lambda j: abs(A[k, j]))
        if p != k + 1:
            q = k + 1
            for j in range(n):
                A[q, j], A[p, j] = A[p, j], A[q, j]
            for i in range(n):
                A[i, q], A[i, p] = A[i, p], A[i, q]
            pf = -pf
        a = A[k, k + 1]
        if a == 0:
            return mpmath.mpf(0)
        pf *= a
        for i in range(k + 2, n):
            for j in range(k + 2, n):
                A[i, j] += (A[i, k] * A[k + 1, j] - A[i, k + 1] * A[k, j]) / a
    return pf


def _q_coeffs(n: int) -> Any:
    """Monomial coefficients C (q_j = sum_a C[j, a] x^a) of the skew-orthogonal polynomials."""
    C = mpmath.zeros(n, n)
    for j in range(n):
        C[j, j] = 1
        if j % 2 == 1 and j >= 3:
            C[j, j - 2] = -(j - 1)
    return C


def _disc_pf(n: int, R: Any) -> Any:
    """Bordered (odd n) or plain Pfaffian of the disc skew products in the q basis."""
    Mm = mpmath.zeros(n, n)
    for a in range(n):
        for b in range(a + 1, n):
            if (a + b) % 2 == 1:
                val = _real_part(a, b, R) + _complex_part(a, b, R)
                Mm[a, b] = val
                Mm[b, a] = -val
    C = _q_coeffs(n)
    M = C * Mm * C.T
    if n % 2 == 0:
        return _pfaffian(M)
    A = mpmath.zeros(n + 1, n + 1)
    for i in range(n):
        for j in range(n):
            A[i, j] = M[i, j]
    for i in range(n):
        ci = mpmath.fsum(C[i, a] * _half_moment(a, -R, R) for a in range(n))
        A[i, n] = ci
        A[n, i] = -ci
    return _pfaffian(A)


def _disc_norm(n: int) -> Any:
    """The same Pfaffian over the whole plane: prod_j r_j (times c_{n-1}(inf) for odd n)."""
    m = n // 2
    val = mpmath.mpf(1)
    for j in range(m):
        val *= 2 * mpmath.sqrt(2 * mpmath.pi) * mpmath.factorial(2 * j)
    if n % 2 == 1:
        val *= mpmath.sqrt(2 * mpmath.pi) * mpmath.fac2(2 * m - 1)
    return val


def _disc_pair(n: int, R: Any) -> tuple[Any, Any]:
    cdf = _disc_pf(n, R) / _disc_norm(n)
    return cdf, 1 - cdf


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------


def _radius(r: Any, n: int, scale: str) -> Any:
    r = mpmath.mpf(r)
    return r * mpmath.sqrt(n) if scale == "glorot" else r


def _value(r: Any, n: Any, dps: Any, scale: Any, method: Any, which: int) -> Any:
    n = check_n(n)
    dps = check_dps(dps)
    scale = check_scale(scale)
    method = check_choice(method, "method", _METHODS)
    r = check_real(r, "r")
    if mpmath.isnan(r):
        return mpmath.nan
    if r <= 0:
        return mpmath.mpf(which)  # cdf 0, sf 1
    if mpmath.isinf(r):
        return mpmath.mpf(1 - which)
    pair = _arc_pair if method == "arc" else _disc_pair
    base = dps
    if method == "disc":
        with mpmath.workdps(30):
            Rchk = _radius(r, n, scale)
        if Rchk > 8:
            raise ValueError(f"method='disc' needs R = sqrt(n) r <= 8 (Ginibre scale), got {Rchk}")
        base += int(float(Rchk) ** 2 / 2.302585) + 10

    def compute(wp: int) -> Any:
        with mpmath.workdps(wp):
            return pair(n, _radius(r, n, scale))[which]

    # a first pass shows how many digits cancel (sf = 1 - det(I - K) when sf is tiny)
    cur = compute(base + 15)
    with mpmath.workdps(base + 15):
        lost = 0 if cur == 0 else max(0, int(-mpmath.log10(abs(cur))))
    extra = 0
    while True:
        wp = base + 20 + lost + extra
        a = compute(wp)
        b = compute(wp + 25)
        with mpmath.workdps(wp + 25):
            if b != 0 and abs(a - b) <= abs(b) * mpmath.mpf(10) ** (-dps - 2):
                break
        if wp > _MAX_WP:
            raise ArithmeticError(f"no {dps}-digit agreement up to {_MAX_WP} working digits")
        extra += 40
    with mpmath.workdps(dps):
        return +b


def real_spectral_radius_cdf(
    r: Any, n: int, *, dps: int = 40, scale: str = "glorot", method: str = "arc"
) -> mpmath.mpf:
    """P(rho <= r) for an n x n real Ginibre/Glorot matrix, to ``dps`` digits (mpmath).

    Parameters
    ----------
    r : number
        Radius (Glorot scale by default: ``W = G/sqrt(n)``).
    n : int
        Dimension, ``n >= 1`` (intended for n <= 12; cost grows fast with n).
    dps : int, optional
        Decimal digits (>= 20). Default 40.
    scale : {"glorot", "ginibre"}
    method : {"arc", "disc"}
        See the module docstring. ``"disc"`` only for Ginibre radius ``R <= 8``.

    Returns
    -------
    mpmath.mpf

    Examples
    --------
    n = 1: the radius is |N(0, 1)|, so ``cdf(r) = erf(r/sqrt(2))``:

    >>> import mpmath
    >>> from rmtedge import mp as rmp
    >>> v = rmp.real_spectral_radius_cdf(mpmath.mpf("1.5"), 1, dps=30)
    >>> with mpmath.workdps(30):
    ...     bool(abs(v - mpmath.erf(mpmath.mpf("1.5") / mpmath.sqrt(2))) < mpmath.mpf(10) ** -28)
    True
    """
    return _value(r, n, dps, scale, method, 0)


def real_spectral_radius_sf(
    r: Any, n: int, *, dps: int = 40, scale: str = "glorot", method: str = "arc"
) -> mpmath.mpf:
    """P(rho > r), computed from ``K`` with the cancelling digits added (see module docstring)."""
    return _value(r, n, dps, scale, method, 1)


def real_spectral_radius_logcdf(
    r: Any, n: int, *, dps: int = 40, scale: str = "glorot", method: str = "arc"
) -> mpmath.mpf:
    """log P(rho <= r) (see :func:`real_spectral_radius_cdf`)."""
    v = real_spectral_radius_cdf(r, n, dps=dps, scale=scale, method=method)
    with mpmath.workdps(dps):
        return mpmath.log(v) if v > 0 else mpmath.ninf


def real_spectral_radius_logsf(
    r: Any, n: int, *, dps: int = 40, scale: str = "glorot", method: str = "arc"
) -> mpmath.mpf:
    """log P(rho > r) (see :func:`real_spectral_radius_sf`)."""
    v = real_spectral_radius_sf(r, n, dps=dps, scale=scale, method=method)
    with mpmath.workdps(dps):
        return mpmath.log(v) if v > 0 else mpmath.ninf
