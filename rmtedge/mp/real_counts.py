"""High-precision (mpmath) reference for the real eigenvalues of real Ginibre matrices.

Everything here works in an explicit mpmath precision and returns ``mpf`` numbers. The float
functions of :mod:`rmtedge.ensembles.real_counts` call these routines (at two precisions, to validate
themselves) and the tests use them as the reference.

Two independent routes to the law ``p_{n,k}`` of the number ``k`` of real eigenvalues are
implemented:

``method="pfaffian"`` (de Bruijn)
    The generating function ``Z_n(zeta) = sum_k p_{n,k} zeta^k`` is a ratio of Pfaffians of
    skew Gram matrices of the monomials ``1, x, ..., x^{n-1}`` (bordered by the Gaussian moments
    when ``n`` is odd).  The Gram matrix is the sum of a real-line part ``R`` and a
    complex-plane part ``C``; each real eigenvalue carries a factor ``zeta`` (so ``R`` gets
    ``zeta^2``)::

        Z_n(zeta) = Pf(C + zeta^2 R) / Pf(C + R)                          (n even)
        Z_n(zeta) = zeta Pf([[C + zeta^2 R, c], [-c^T, 0]]) / (same at zeta = 1)   (n odd)

    with ``c_j = int x^j exp(-x^2/2) dx``.  The Pfaffian is expanded as a power series in
    ``s = zeta^2`` by skew Gaussian elimination with 2 x 2 pivots whose constant terms are
    non-zero (they are the leading Pfaffians of ``C``, i.e. multiples of ``p_{2j,0} > 0``).
    Slow (``O(n^5)`` multiplications) and ill-conditioned (the monomial basis loses about
    ``0.092 n^2`` digits): a check, not a workhorse.

``method="determinant"`` (default)
    ``Z_n(zeta) = det(I - (1 - zeta^2) S)`` in the skew-orthogonal basis (n odd: a rank-one
    bordered form), evaluated in mpmath by the engine the float64 law runs on,
    :mod:`rmtedge.ensembles._real_counts_determinant` (its docstring has the formula, the
    derivation and the conditioning); here it is checked against the independent Pfaffian route.

References
----------
A. Edelman, E. Kostlan, M. Shub, "How many eigenvalues of a random matrix are real?",
J. Amer. Math. Soc. 7 (1994) 247-267, Theorem 5.1 (E_n as a 2F1).
A. Edelman, "The probability that a random real Gaussian matrix has k real eigenvalues,
related distributions, and the circular law", J. Multivariate Anal. 60 (1997) 203-232.
E. Kanzieper, G. Akemann, Phys. Rev. Lett. 95 (2005) 230201; G. Akemann, E. Kanzieper,
J. Stat. Phys. 129 (2007) 1159-1231 (p_{n,k} from a Pfaffian integration theorem).
P. J. Forrester, T. Nagao, Phys. Rev. Lett. 99 (2007) 050603 (skew-orthogonal polynomials,
generating function of p_{n,k}).
N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151 (Pfaffian integration).
"""

from __future__ import annotations

import math

import mpmath

from .._core.checks import check_choice, check_n
from ..ensembles._real_counts_determinant import distribution_determinant, guard_digits_determinant
from ._common import MIN_DPS as MIN_DPS
from ._common import check_dps

__all__ = [
    "expected_real_eigenvalues",
    "real_count_distribution",
]

_METHODS = ("determinant", "pfaffian")


def guard_digits(n: int, *, method: str = "determinant") -> int:
    """Decimal digits lost by the ``p_{n,k}`` algorithms at dimension ``n`` (an upper estimate).

    Measured against 120-digit references: the determinant route loses about ``0.46 n`` digits
    (the smallest eigenvalue of ``S`` is about ``10^(-0.46 n)``; checked up to n = 101), the
    monomial Pfaffian about ``0.092 n^2`` (8.6 digits at n = 10, 37 at n = 20, 83 at n = 30).
    """
    if method == "pfaffian":
        return math.ceil(0.1 * n * n) + 10
    return guard_digits_determinant(n)


# --------------------------------------------------------------------------------------------
# E_n
# --------------------------------------------------------------------------------------------


def expected_real_eigenvalues(n: int, *, dps: int = 50) -> mpmath.mpf:
    """Expected number of real eigenvalues of an n x n real Ginibre matrix, in mpmath.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    dps : int, optional
        Decimal digits of working precision (>= 20). Default 50.

    Returns
    -------
    mpmath.mpf
        ``E_n`` to about ``dps`` digits.

    Notes
    -----
    Evaluates Edelman, Kostlan & Shub (1994), Theorem 5.1 as written::

        E_n = 1/2 + sqrt(2) Gamma(n + 1/2) / (Gamma(n) sqrt(pi)) 2F1(1, -1/2; n; 1/2),

    with the gamma ratio taken through ``mpmath.gammaprod`` (no overflow) and ``2F1`` through
    ``mpmath.hyp2f1``. Valid for every ``n`` (it was checked up to ``10^12``).

    References
    ----------
    A. Edelman, E. Kostlan, M. Shub, J. Amer. Math. Soc. 7 (1994) 247-267, Thm 5.1.

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge import mp as rmp
    >>> E2 = rmp.expected_real_eigenvalues(2)         # E_2 = sqrt(2)
    >>> with mpmath.workdps(50):
    ...     print(abs(E2 - mpmath.sqrt(2)) < mpmath.mpf(10) ** -45)
    True
    """
    n = check_n(n)
    dps = check_dps(dps)
    with mpmath.workdps(dps + 10):
        half = mpmath.mpf(1) / 2
        ratio = mpmath.gammaprod([n + half], [n])
        f = mpmath.hyp2f1(1, -half, n, half)
        value = half + mpmath.sqrt(2) * ratio * f / mpmath.sqrt(mpmath.pi)
    with mpmath.workdps(dps):
        return +value


# --------------------------------------------------------------------------------------------
# p_{n,k}: de Bruijn Pfaffian in the monomial basis
# --------------------------------------------------------------------------------------------


def _real_skew_moments(n: int) -> list[list[mpmath.mpf]]:
    """R_ij = int int exp(-(x^2+y^2)/2) x^i y^j sgn(y - x) dx dy, 0 <= i, j < n.

    Integrating by parts in x: R_ij = (i-1) R_{i-2,j} - 2 Gamma((i+j)/2) (i + j odd), with
    R_{1j} = -2 Gamma((j+1)/2) for even j; R is antisymmetric and vanishes for i + j even.
    """
    R = [[mpmath.mpf(0)] * n for _ in range(n)]
    for j in range(0, n, 2):
        if n > 1:
            R[1][j] = -2 * mpmath.gamma(mpmath.mpf(j + 1) / 2)
        for i in range(3, n, 2):
            R[i][j] = (i - 1) * R[i - 2][j] - 2 * mpmath.gamma(mpmath.mpf(i + j) / 2)
    for i in range(1, n, 2):
        for j in range(0, n, 2):
            R[j][i] = -R[i][j]
    return R


def _erfcx_moments(count: int) -> list[mpmath.mpf]:
    """M_b = int_0^inf y^b exp(y^2) erfc(sqrt(2) y) dy for b < count.

    M_0 = log(1 + sqrt 2)/sqrt(pi), M_1 = (sqrt 2 - 1)/2, and differentiating
    exp(y^2) erfc(sqrt 2 y) gives 2 M_{b+1} = -b M_{b-1} + sqrt(2/pi) Gamma((b+1)/2).
    """
    M = [mpmath.log(1 + mpmath.sqrt(2)) / mpmath.sqrt(mpmath.pi), (mpmath.sqrt(2) - 1) / 2]
    b = 1
    while len(M) < count:
        M.append(
            (-b * M[b - 1] + mpmath.sqrt(2 / mpmath.pi) * mpmath.gamma(mpmath.mpf(b + 1) / 2)) / 2
        )
        b += 1
    return M[:count]


def _complex_skew_moments(n: int) -> list[list[mpmath.mpf]]:
    """C_ij = 2i int int_{y>0} exp(y^2 - x^2) erfc(sqrt 2 y) (z^i zbar^j - zbar^i z^j) dx dy.

    Expanding z^i zbar^j in x and y: only terms with an even power of x and an odd power of
    y survive, giving Gamma((p+1)/2) (the x integral) times M_q (the y integral).
    """
    M = _erfcx_moments(2 * n + 2)
    C = [[mpmath.mpf(0)] * n for _ in range(n)]
    binom = [[mpmath.binomial(i, a) for a in range(i + 1)] for i in range(n)]
    gam_half = [mpmath.gamma(mpmath.mpf(p + 1) / 2) for p in range(2 * n)]
    for i in range(n):
        for j in range(i + 1, n):
            if (i + j) % 2 == 0:
                continue
            total = mpmath.mpf(0)
            for a in range(i + 1):
                for b in range(j + 1):
                    q = a + b
                    if q % 2 == 0:
                        continue
                    # Im(i^a (-i)^b) = (-1)^b sin(pi q / 2) = (-1)^b (-1)^((q-1)/2)
                    sign = (-1) ** b * (-1) ** ((q - 1) // 2)
                    total += sign * binom[i][a] * binom[j][b] * gam_half[i + j - q] * M[q]
            C[i][j] = -4 * total
            C[j][i] = -C[i][j]
    return C


def _series_mul(a: list, b: list, deg: int) -> list:
    out = [mpmath.mpf(0)] * (deg + 1)
    for i, x in enumerate(a):
        if not x:
            continue
        for j in range(deg + 1 - i):
            out[i + j] += x * b[j]
    return out


def _series_inv(a: list, deg: int) -> list:
    if not a[0]:
        raise ZeroDivisionError("Pfaffian pivot with zero constant term")
    inv0 = 1 / a[0]
    out = [inv0]
    for k in range(1, deg + 1):
        out.append(-inv0 * mpmath.fsum(a[i] * out[k - i] for i in range(1, min(k, len(a) - 1) + 1)))
    return out


def _pfaffian_series(K: list[list[list]], deg: int) -> list:
    """Pfaffian of a skew matrix of power series (upper triangle K[i][j], i < j), mod s^(deg+1)."""
    N = len(K)
    result = [mpmath.mpf(1)] + [mpmath.mpf(0)] * deg
    for p in range(0, N, 2):
        pivot = K[p][p + 1]
        result = _series_mul(result, pivot, deg)
        if p + 2 >= N:
            break
        inv = _series_inv(pivot, deg)
        q = p + 1
        for i in range(p + 2, N):
            for j in range(i + 1, N):
                num = [
                    x - y
                    for x, y in zip(
                        _series_mul(K[q][i], K[p][j], deg),
                        _series_mul(K[p][i], K[q][j], deg),
                        strict=True,
                    )
                ]
                upd = _series_mul(num, inv, deg)
                K[i][j] = [x + y for x, y in zip(K[i][j], upd, strict=True)]
    return result


def _distribution_pfaffian(n: int) -> list[mpmath.mpf]:
    """p_{n,0..n} from the de Bruijn Pfaffian in the monomial basis, at the current precision."""
    m = n // 2
    R = _real_skew_moments(n)
    C = _complex_skew_moments(n)
    zero = mpmath.mpf(0)
    size = n + (n % 2)
    # entry (i, j) is the series C_ij + s R_ij (s = zeta^2); border column: c_i (constant)
    K = [[None] * size for _ in range(size)]
    for i in range(n):
        for j in range(i + 1, n):
            K[i][j] = [C[i][j], R[i][j]] + [zero] * (m - 1)
    if n % 2:
        for i in range(n):
            ci = mpmath.sqrt(2 * mpmath.pi) * mpmath.fac2(i - 1) if i % 2 == 0 else zero
            K[i][n] = [ci] + [zero] * m
    numer = _pfaffian_series(K, m)
    norm = mpmath.fsum(numer)  # the same Pfaffian at s = 1 (zeta = 1)
    out = [zero] * (n + 1)
    for ell in range(m + 1):
        out[2 * ell + (n % 2)] = numer[ell] / norm
    return out


def real_count_distribution(
    n: int, *, dps: int = 50, method: str = "determinant"
) -> list[mpmath.mpf]:
    """Law of the number of real eigenvalues of an n x n real Ginibre matrix, in mpmath.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    dps : int, optional
        Decimal digits wanted in every ``p_{n,k}`` (>= 20). The computation runs at
        ``dps + guard_digits(n, method=method)`` digits. Default 50.
    method : {"determinant", "pfaffian"}
        ``"determinant"``: ``Z_n(zeta) = det(I - (1 - zeta^2) S)`` (Forrester & Nagao 2007;
        Akemann & Kanzieper 2007), fast. ``"pfaffian"``: de Bruijn's Pfaffian of the monomial
        skew Gram matrix, written directly from the definition; slow, for checks (n <= 30:
        it needs about ``0.1 n^2`` guard digits).

    Returns
    -------
    list of mpmath.mpf
        ``[p_{n,0}, ..., p_{n,n}]``; entries whose parity differs from ``n`` are exactly 0.

    Notes
    -----
    See the module docstring for both algorithms. Cost of the determinant route: a symmetric
    eigenproblem of size ``floor(n/2)`` at ``dps + 0.5 n + 10`` digits; at ``dps = 20``,
    measured on one core: 0.02 s (n = 10), 0.2 s (n = 30), 0.6 s (n = 50), 2-4 s (n = 100),
    8-10 s (n = 150). Measured accuracy: relative error of every ``p_{n,k}`` below
    ``10^-(dps+10)`` before the final rounding, for n up to 150 (the guard digits are
    conservative). The
    Pfaffian route costs ``O(n^5)`` operations at ``dps + 0.1 n^2 + 10`` digits (about 3 s at
    n = 25).

    References
    ----------
    P. J. Forrester, T. Nagao, Phys. Rev. Lett. 99 (2007) 050603;
    G. Akemann, E. Kanzieper, J. Stat. Phys. 129 (2007) 1159-1231;
    A. Edelman, J. Multivariate Anal. 60 (1997) 203-232 (p_{n,n} = 2^(-n(n-1)/4)).

    Examples
    --------
    >>> import mpmath
    >>> from rmtedge import mp as rmp
    >>> p = rmp.real_count_distribution(4)
    >>> bool(abs(p[4] - mpmath.mpf(1) / 8) < mpmath.mpf(10) ** -45)   # p_{4,4} = 2^(-3)
    True
    >>> bool(abs(mpmath.fsum(p) - 1) < mpmath.mpf(10) ** -45)          # sum_k p_{4,k} = 1
    True
    """
    n = check_n(n)
    dps = check_dps(dps)
    method = check_choice(method, "method", _METHODS)
    with mpmath.workdps(dps + guard_digits(n, method=method)):
        if method == "determinant":
            values = distribution_determinant(n)
        else:
            values = _distribution_pfaffian(n)
    with mpmath.workdps(dps):
        return [+v for v in values]
