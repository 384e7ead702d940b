"""High-precision law of the largest real eigenvalue of a real Ginibre matrix (small n).

Two independent routes, both at Ginibre scale (unit-variance entries), both for ``n <= 10``:

* ``method="pfaffian"`` (exact, no quadrature over the plane): de Bruijn's integration
  formula for the real Ginibre ensemble with the real weight restricted to ``(-inf, t)``,

      P(lambda_max^R <= t) = Pf M(t) / Pf M(inf),
      M(t) = T - A + A(t)                       (n even; n odd: bordered by c(t)),

  where, in the skew-orthogonal basis ``q_{2j} = x^{2j}``, ``q_{2j+1} = x^{2j+1} - 2j x^{2j-1}``,
  ``T = blockdiag(r_j [[0, 1], [-1, 0]])`` (``r_j = 2 sqrt(2 pi) (2j)!``, last row zero for n
  odd) is the total skew product (real plus complex part), ``A`` its real part and ``A(t)``
  the real part with both eigenvalues restricted to ``(-inf, t)``:

      A(t)_{ab} = int int_{x, y < t} e^{-(x^2+y^2)/2} q_a(x) q_b(y) sgn(y - x) dx dy,

  and for n odd the border is ``c(t)_a = int_{-inf}^t q_a(x) e^{-x^2/2} dx``. The complex part
  of the skew product does not depend on t, so it never has to be computed. Inner integrals
  are incomplete gamma functions; the outer one is ``mpmath.quad``.
* ``method="fredholm"``: the Fredholm Pfaffian ``sqrt(det(I - K chi_J))`` with the real-real
  kernel ``K = [[S, D], [I, S^T]]`` evaluated from its *defining sums* over the skew-orthogonal
  functions (not from the closed forms used in float64), in the reduced scalar form of
  ``docs/theory.md`` (Gauss-Legendre with ``nodes`` points on ``(t, b)``).

The agreement of the two is a check of the sign conventions and of the reduction; the float64
law (:func:`rmtedge.laws.largest_real.largest_real_eigenvalue_law`) is tested against both.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import mpmath

from .._core.checks import check_choice, check_int
from ._common import check_dps, check_real

__all__ = [
    "largest_real_cdf",
    "largest_real_kernel",
    "largest_real_prob_no_real",
    "largest_real_sf",
]

#: largest n accepted (cost grows like n^2 quadratures; the monomial basis needs n/2 extra digits)
MAX_N = 10


def _check(n: Any, dps: Any) -> tuple[int, int]:
    n = check_int(n, "n", minimum=1)
    if n > MAX_N:
        raise ValueError(f"n must be <= {MAX_N} for the mpmath reference, got {n}")
    return n, check_dps(dps)


# ---------------------------------------------------------------------------------------------
# one-dimensional pieces: monomial moments and the skew-orthogonal polynomials
# ---------------------------------------------------------------------------------------------
def _mono_cum(b: int, u: Any) -> Any:
    """int_{-inf}^u y^b e^{-y^2/2} dy (incomplete gamma functions)."""
    a = mpmath.mpf(b + 1) / 2
    c = mpmath.power(2, mpmath.mpf(b - 1) / 2)
    sign_neg = -1 if b % 2 else 1  # (-1)^b
    if mpmath.isinf(u):
        if u < 0:
            return mpmath.mpf(0)
        return c * mpmath.gamma(a) * (1 + sign_neg)
    if u >= 0:
        return c * (sign_neg * mpmath.gamma(a) + mpmath.gammainc(a, 0, u * u / 2))
    return sign_neg * c * mpmath.gammainc(a, u * u / 2, mpmath.inf)


def _q_coeffs(n: int) -> list[list[Any]]:
    """Monomial coefficients of q_0 .. q_{n-1} (rows)."""
    rows = []
    for j in range(n):
        row = [mpmath.mpf(0)] * n
        row[j] = mpmath.mpf(1)
        if j % 2 == 1 and j >= 3:
            row[j - 2] = -mpmath.mpf(j - 1)
        rows.append(row)
    return rows


def _r(j: int) -> Any:
    return 2 * mpmath.sqrt(2 * mpmath.pi) * mpmath.factorial(2 * j)


def _poly(coef: list[Any], x: Any) -> Any:
    return mpmath.fsum(c * x**k for k, c in enumerate(coef) if c != 0)


# ---------------------------------------------------------------------------------------------
# route 1: de Bruijn's Pfaffian
# ---------------------------------------------------------------------------------------------
def _pfaffian(a: list[list[Any]]) -> Any:
    """Pfaffian of a skew-symmetric matrix (Parlett-Reid elimination with pivoting)."""
    m = len(a)
    if m % 2:
        return mpmath.mpf(0)
    a = [row[:] for row in a]
    pf = mpmath.mpf(1)
    for k in range(0, m - 1, 2):
        kp = max(range(k + 1, m), key=lambda j: abs(a[k][j]))
        if kp != k + 1:
            a[k + 1], a[kp] = a[kp], a[k + 1]
            for row in a:
                row[k + 1], row[kp] = row[kp], row[k + 1]
            pf = -pf
        piv = a[k][k + 1]
        if piv == 0:
            return mpmath.mpf(0)
        pf *= piv
        if k + 2 < m:
            tau = [a[k][j] / piv for j in range(k + 2, m)]
            v = [a[k + 1][j] for j in range(k + 2, m)]
            for ii, i in enumerate(range(k + 2, m)):
                for jj, j in enumerate(range(k + 2, m)):
                    a[i][j] += v[ii] * tau[jj] - tau[ii] * v[jj]
    return pf


def _mono_skew(n: int, t: Any) -> list[list[Any]]:
    """A_mono(t)_{ab} = int int_{x,y<t} e^{-(x^2+y^2)/2} x^a y^b sgn(y - x) dx dy."""
    out = [[mpmath.mpf(0)] * n for _ in range(n)]
    if mpmath.isinf(t) and t < 0:
        return out
    mt = [_mono_cum(b, t) for b in range(n)]
    for a in range(n):
        for b in range(a + 1, n):
            if mpmath.isinf(t):
                pts = [-mpmath.inf, 0, mpmath.inf]
            else:
                pts = [-mpmath.inf, min(t, 0), t] if t > 0 else [-mpmath.inf, t]
            integ = mpmath.quad(lambda x, a=a, b=b: x**a * mpmath.exp(-x * x / 2) * _mono_cum(b, x), pts)
            v = mt[a] * mt[b] - 2 * integ
            out[a][b] = v
            out[b][a] = -v
    return out


def _bruijn_matrix(n: int, t: Any) -> list[list[Any]]:
    """M(t) (n even) or the bordered M(t) (n odd), in the q basis."""
    c = _q_coeffs(n)
    full = _mono_skew(n, mpmath.inf)
    part = _mono_skew(n, t) if not (mpmath.isinf(t) and t > 0) else full

    def congr(mat: list[list[Any]]) -> list[list[Any]]:
        return [
            [mpmath.fsum(c[i][a] * mat[a][b] * c[j][b] for a in range(n) for b in range(n) if c[i][a] and c[j][b])
             for j in range(n)]
            for i in range(n)
        ]

    fq, pq = congr(full), congr(part)
    m = [[-fq[i][j] + pq[i][j] for j in range(n)] for i in range(n)]
    for k in range(n // 2):
        m[2 * k][2 * k + 1] += _r(k)
        m[2 * k + 1][2 * k] -= _r(k)
    if n % 2 == 0:
        return m
    border = [mpmath.fsum(c[i][a] * _mono_cum(a, t) for a in range(n) if c[i][a]) for i in range(n)]
    m = [[*row, border[i]] for i, row in enumerate(m)]
    m.append([-v for v in border] + [mpmath.mpf(0)])
    return m


@lru_cache(maxsize=64)
def _bruijn_norm(n: int, dps: int) -> Any:
    with mpmath.workdps(dps):
        return _pfaffian(_bruijn_matrix(n, mpmath.inf))


def _cdf_pfaffian(t: Any, n: int, wdps: int) -> Any:
    return _pfaffian(_bruijn_matrix(n, t)) / _bruijn_norm(n, wdps)


# ---------------------------------------------------------------------------------------------
# route 2: the real-real kernel from its defining sums, and the reduced Fredholm form
# ---------------------------------------------------------------------------------------------
class _Funcs:
    """The functions of the defining sums at one point.

    n even: ``psi_j = e^{-x^2/2} q_j``; n odd: ``psi~_j = psi_j - (c_j/c_{n-1}) psi_{n-1}``
    (zero integral, ``c_j = int psi_j``) for ``j < n - 1``. ``values(x)`` returns, for the
    functions of the sums, ``(psi(x), tau psi(x), F(x))`` with ``F(x) = int_{-inf}^x psi``, plus
    the same three numbers for ``psi_{n-1}`` (n odd; zeros for n even).
    """

    def __init__(self, n: int):
        self.n = n
        self.coef = _q_coeffs(n)
        self.cint = [
            mpmath.fsum(self.coef[j][a] * _mono_cum(a, mpmath.inf) for a in range(n)) for j in range(n)
        ]
        self.nsum = 2 * (n // 2)

    def values(self, x: Any) -> tuple[list[Any], list[Any], list[Any], tuple[Any, Any, Any]]:
        n = self.n
        e = mpmath.exp(-x * x / 2) if not mpmath.isinf(x) else mpmath.mpf(0)
        cum_mono = [_mono_cum(a, x) for a in range(n)]
        psi, cum = [], []
        for j in range(n):
            psi.append(e * _poly(self.coef[j], x) if e != 0 else mpmath.mpf(0))
            cum.append(mpmath.fsum(self.coef[j][a] * cum_mono[a] for a in range(n) if self.coef[j][a]))
        # tau f(y) = -1/2 int sgn(y - s) f(s) ds = -(2 F(y) - F(inf)) / 2
        tau = [-(2 * cum[j] - self.cint[j]) / 2 for j in range(n)]
        last = (mpmath.mpf(0),) * 3
        if n % 2:
            c = self.cint[n - 1]
            for j in range(n - 1):
                f = self.cint[j] / c
                psi[j] -= f * psi[n - 1]
                cum[j] -= f * cum[n - 1]
                tau[j] -= f * tau[n - 1]
            last = (psi[n - 1], tau[n - 1], cum[n - 1])
        m = self.nsum
        return psi[:m], tau[:m], cum[:m], last


@lru_cache(maxsize=16)
def _funcs(n: int, dps: int) -> _Funcs:
    with mpmath.workdps(dps):
        return _Funcs(n)


def _pair(f: _Funcs, a: list[Any], b: list[Any]) -> Any:
    """2 sum_k [a_{2k} b_{2k+1} - a_{2k+1} b_{2k}] / r_k."""
    return mpmath.fsum(2 * (a[2 * k] * b[2 * k + 1] - a[2 * k + 1] * b[2 * k]) / _r(k) for k in range(f.n // 2))


def _kernel_from(f: _Funcs, vx: Any, vy: Any, sgn: Any) -> tuple[Any, Any, Any]:
    px, tx, _, lx = vx
    py, ty, _, ly = vy
    s = _pair(f, px, ty)
    d = _pair(f, px, py)
    i = -_pair(f, tx, ty) - sgn / 2
    if f.n % 2:
        c = f.cint[f.n - 1]
        s += lx[0] / c
        i += (-lx[1] + ly[1]) / c  # eps psi = -tau psi
    return s, d, i


def largest_real_kernel(x: Any, y: Any, n: int, *, dps: int = 30) -> tuple[Any, Any, Any]:
    """The real-real kernel entries (S(x, y), D(x, y), I(x, y)) from their defining sums.

    n even (Forrester & Nagao 2007; ``docs/theory.md``-style conventions, Ginibre scale), with
    ``psi_j = e^{-x^2/2} q_j``, ``tau f(y) = -1/2 int sgn(y - s) f(s) ds``::

        S = 2 sum_{k<n/2} [psi_{2k}(x) tau psi_{2k+1}(y) - psi_{2k+1}(x) tau psi_{2k}(y)] / r_k
        D = 2 sum_{k<n/2} [psi_{2k}(x) psi_{2k+1}(y) - psi_{2k+1}(x) psi_{2k}(y)] / r_k
        I = -2 sum_{k<n/2} [tau psi_{2k}(x) tau psi_{2k+1}(y) - tau psi_{2k+1}(x) tau psi_{2k}(y)] / r_k
            - sgn(x - y)/2

    n odd (bordered de Bruijn formula, derived in docs/theory.md): the same sums over
    ``psi~_j = psi_j - (c_j/c_{n-1}) psi_{n-1}`` (``c_j = int psi_j``), plus
    ``psi_{n-1}(x)/c_{n-1}`` in S and ``(eps psi_{n-1}(x) - eps psi_{n-1}(y))/c_{n-1}`` in I
    (``eps = -tau``); D has no extra term.

    Parameters
    ----------
    x, y : real
    n : int
        ``1 <= n <= 10``.
    dps : int
        Working digits (>= 20).

    Returns
    -------
    tuple of mpmath.mpf

    Examples
    --------
    S(x, x) is the Edelman-Kostlan-Shub density (n = 2: ``Q(1, x^2)/sqrt(2 pi) + ...``):

    >>> import mpmath
    >>> from rmtedge.mp import largest_real_kernel, real_eigenvalue_density
    >>> s, d, i = largest_real_kernel(0.7, 0.7, 3, dps=30)
    >>> bool(abs(s - real_eigenvalue_density(0.7, 3, scale="ginibre", dps=30)) < 1e-25)
    True
    """
    n, dps = _check(n, dps)
    with mpmath.workdps(dps + 10):
        f = _funcs(n, dps + 10)
        x, y = check_real(x, "x"), check_real(y, "y")
        out = _kernel_from(f, f.values(x), f.values(y), mpmath.sign(x - y))
    with mpmath.workdps(dps):
        return tuple(+v for v in out)


def _leggauss(m: int) -> tuple[list[Any], list[Any]]:
    """Gauss-Legendre nodes and weights on [-1, 1] at the current precision (Newton)."""
    xs, ws = [], []
    for i in range(1, m + 1):
        x = mpmath.cos(mpmath.pi * (i - mpmath.mpf(1) / 4) / (m + mpmath.mpf(1) / 2))
        for _ in range(100):
            p0, p1 = mpmath.mpf(1), x
            for k in range(2, m + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = m * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < mpmath.eps * 4:
                break
        xs.append(x)
        ws.append(2 / ((1 - x * x) * dp * dp))
    return xs[::-1], ws[::-1]


def _cdf_fredholm(t: Any, n: int, nodes: int, b: Any) -> Any:
    """Reduced Fredholm form (docs/theory.md) with S from the defining sums:

    P^2 = det(1 - S_J) * (1 - int_J kappa + <rho, (1 - S_J)^{-1} D1>),
    kappa(y) = (S(y, t) + S(y, b))/2, D1(x) = S(x, t) - S(x, b),
    rho(y) = (1/2) int_J sgn(y - s) S(s, y) ds  (exact: S(., y) is a combination of psi_j).
    """
    f = _funcs(n, mpmath.mp.dps)
    xi, wi = _leggauss(nodes)
    half = (b - t) / 2
    x = [t + half * (u + 1) for u in xi]
    w = [half * v for v in wi]
    sw = [mpmath.sqrt(v) for v in w]
    vals = [f.values(y) for y in x]
    vt, vb = f.values(t), f.values(b)
    m = nodes
    c = f.cint[n - 1] if n % 2 else None

    def s_of(vx: Any, vy: Any) -> Any:
        s = _pair(f, vx[0], vy[1])
        if c is not None:
            s += vx[3][0] / c
        return s

    def int_s(va: Any, vb_: Any, vy: Any) -> Any:
        """int_a^b S(s, y) ds from the antiderivatives F of the psi's."""
        diff = [q - p for p, q in zip(va[2], vb_[2], strict=True)]
        s = _pair(f, diff, vy[1])
        if c is not None:
            s += (vb_[3][2] - va[3][2]) / c
        return s

    one = mpmath.matrix(m, m)
    for i in range(m):
        for j in range(m):
            one[i, j] = (1 if i == j else 0) - sw[i] * s_of(vals[i], vals[j]) * sw[j]
    kappa = [(s_of(v, vt) + s_of(v, vb)) / 2 for v in vals]
    d1 = [s_of(v, vt) - s_of(v, vb) for v in vals]
    rho = [(int_s(vt, v, v) - int_s(v, vb, v)) / 2 for v in vals]
    det = mpmath.det(one)
    v = mpmath.lu_solve(one, mpmath.matrix([sw[i] * d1[i] for i in range(m)]))
    beta = 1 - mpmath.fsum(w[i] * kappa[i] for i in range(m))
    beta += mpmath.fsum(sw[i] * rho[i] * v[i] for i in range(m))
    return mpmath.sqrt(det * beta)


# ---------------------------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------------------------
def largest_real_cdf(
    t: Any, n: int, *, dps: int = 30, method: str = "pfaffian", nodes: int = 60, upper: Any = None
) -> Any:
    """P(lambda_max^R <= t) for an n x n real Ginibre matrix (Ginibre scale), at ``dps`` digits.

    For n even this includes the event that there is no real eigenvalue at all (the atom at
    ``-inf``, :func:`largest_real_prob_no_real`).

    Parameters
    ----------
    t : real
        Threshold (Ginibre scale: the real edge is at ``sqrt(n)``); ``-inf`` gives the atom.
    n : int
        ``1 <= n <= 10``.
    dps : int
        Working digits (>= 20; the computation uses ``dps + 10``).
    method : {"pfaffian", "fredholm"}
        ``"pfaffian"``: de Bruijn's exact Pfaffian (module docstring); its only numerical step
        is ``mpmath.quad`` of smooth one-dimensional integrands, accurate to ~dps digits.
        ``"fredholm"``: the reduced Fredholm Pfaffian with the kernel from its defining sums,
        Gauss-Legendre with ``nodes`` points on ``(t, upper)`` (``upper`` defaults to
        ``max(t, sqrt(n)) + 12``); its error is the quadrature error (about 1e-20 with 60 nodes
        for n <= 10, measured against ``"pfaffian"``) plus the truncation at ``upper``
        (below 1e-30).

    Returns
    -------
    mpmath.mpf

    References
    ----------
    N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151 (integration over Pfaffians).
    C. D. Sinclair, IMRN 2007; A. Borodin & C. D. Sinclair, CMP 291 (2009) 177 (real Ginibre
    as a Pfaffian point process). P. J. Forrester & T. Nagao, PRL 99 (2007) 050603 (kernel).
    F. Bornemann, Math. Comp. 79 (2010) 871 (quadrature of Fredholm determinants).

    Examples
    --------
    n = 1: the single entry is N(0, 1):

    >>> import mpmath
    >>> from rmtedge.mp import largest_real_cdf
    >>> v = largest_real_cdf(0.3, 1, dps=25)
    >>> with mpmath.workdps(30):
    ...     bool(abs(v - mpmath.ncdf(mpmath.mpf(0.3))) < 1e-22)
    True
    """
    n, dps = _check(n, dps)
    method = check_choice(method, "method", ("pfaffian", "fredholm"))
    nodes = check_int(nodes, "nodes", minimum=4)
    wdps = dps + 10
    with mpmath.workdps(wdps):
        t = check_real(t, "t")
        if mpmath.isnan(t):
            return mpmath.nan
        if method == "pfaffian" or mpmath.isinf(t):
            out = _cdf_pfaffian(t, n, wdps)
        else:
            b = check_real(upper, "upper") if upper is not None else max(t, mpmath.sqrt(n)) + 12
            out = _cdf_fredholm(t, n, nodes, b)
    with mpmath.workdps(dps):
        return +out


def largest_real_sf(t: Any, n: int, *, dps: int = 30) -> Any:
    """P(lambda_max^R > t) = 1 - cdf, computed at ``dps + 10 + 60`` digits so that the
    subtraction keeps ``dps`` significant digits for survival probabilities down to 1e-60.

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp import largest_real_sf
    >>> v = largest_real_sf(6.0, 1, dps=25)          # N(0, 1) tail, 1e-9
    >>> with mpmath.workdps(30):
    ...     bool(abs(v / mpmath.ncdf(-6) - 1) < 1e-20)
    True
    """
    n, dps = _check(n, dps)
    with mpmath.workdps(dps + 70):
        out = 1 - _cdf_pfaffian(check_real(t, "t"), n, dps + 70)
    with mpmath.workdps(dps):
        return +out


def largest_real_prob_no_real(n: int, *, dps: int = 30) -> Any:
    """P(no real eigenvalue) = cdf(-inf), from de Bruijn's Pfaffian (0 for n odd).

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge.mp import largest_real_prob_no_real
    >>> v = largest_real_prob_no_real(2, dps=25)     # p_{2,0} = 1 - sqrt(2)/2
    >>> with mpmath.workdps(30):
    ...     bool(abs(v - (1 - mpmath.sqrt(2) / 2)) < 1e-22)
    True
    """
    n, dps = _check(n, dps)
    if n % 2:
        return mpmath.mpf(0)
    return largest_real_cdf(-mpmath.inf, n, dps=dps)
