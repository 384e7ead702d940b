"""The exact law p_{n,k} of the number of real eigenvalues of real Ginibre, by the determinant
route in mpmath arithmetic: the engine behind :func:`rmtedge.real_count_distribution` (which runs
it at two precisions and checks them against each other) and the default method of the reference
:func:`rmtedge.mp.real_count_distribution` (whose independent check is its Pfaffian route).

The determinant route
---------------------
In the skew-orthogonal basis ``q_{2j} = x^{2j}``, ``q_{2j+1} = x^{2j+1} - 2j x^{2j-1}`` the
total skew product is block diagonal, ``<q_{2i}, q_{2j+1}> = 2 sqrt(2 pi) (2j)! delta_ij``,
and the real-line part pairs only even with odd polynomials:
``<x^{2i}, q_{2j+1}>_R = 2 Gamma(i + j + 1/2)`` (integrate ``sgn(y - x)`` by parts).  The
Pfaffian then collapses to an ``m x m`` determinant, ``m = floor(n/2)``::

    n = 2m:     Z_n(zeta) = det(I - (1 - zeta^2) S),
                S_ij = Gamma(i + j + 1/2) / (sqrt(2 pi) sqrt((2i)! (2j)!)),  0 <= i, j < m,
    n = 2m + 1: Z_n(zeta) = zeta det(I - (1 - zeta^2) (S - a s^T)),
                s_j = S_mj (row m of the (m+1) x (m+1) matrix),
                a_i = (2i - 1)!! / (2m - 1)!! * sqrt((2m)! / (2i)!),

the odd case coming from the bordered Pfaffian after the unpaired ``x^{2m}`` is used to
clear the border.  The even-n determinant has the form of the generating function of
Forrester & Nagao (2007) (whose full text we did not read; the formula is re-derived here
from de Bruijn's Pfaffian); the odd-n form is derived here.  Both are checked against the
Pfaffian route and Edelman's exact values in the tests.  ``S`` is symmetric positive definite (a Hankel
matrix of the moments of ``t^(-1/2) e^(-t)``, scaled) and its eigenvalues ``sigma_i`` lie
in (0, 1) (observed: the largest is 0.9943 at n = 200), so for even ``n`` the number of real eigenvalues is twice a sum of
independent Bernoulli(``sigma_i``) variables and ``Z_n`` is a product of linear factors
``(1 - sigma_i) + sigma_i zeta^2`` with non-negative coefficients: multiplying them out
involves no cancellation and every ``p_{n,k}``, however small, keeps its relative
accuracy.  For odd ``n`` the rank-one term is added with the matrix determinant lemma
(eigenvectors of ``S`` projected on ``a`` and ``s``), which costs a few digits.

The eigenvalues come from a Householder reduction to tridiagonal form followed by mpmath's
implicit QL iteration (``tridiag_eigen``, the solver behind ``mpmath.eigsy``), whose errors are
absolute (about ``10^-dps``); the smallest ``sigma_i`` is about ``10^(-0.46 n)``, so about
``0.46 n`` digits are lost.  The functions below add guard digits for that.

References
----------
P. J. Forrester, T. Nagao, Phys. Rev. Lett. 99 (2007) 050603; G. Akemann, E. Kanzieper,
J. Stat. Phys. 129 (2007) 1159-1231; N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151.
Derivation: ``docs/theory.md``, "Real eigenvalues of real Ginibre matrices" (the law of their number).
"""

from __future__ import annotations

import math

import mpmath

__all__ = ["distribution_determinant", "guard_digits_determinant"]


def guard_digits_determinant(n: int) -> int:
    """Decimal digits the determinant route loses at dimension ``n`` (an upper estimate): about
    ``0.46 n`` (the smallest eigenvalue of ``S`` is about ``10^(-0.46 n)``; measured against
    120-digit references up to n = 101)."""
    return math.ceil(0.5 * n) + 10


def _s_matrix_rows(m: int, rows: int) -> tuple[list[list[mpmath.mpf]], list[mpmath.mpf]]:
    """Rows 0..rows-1, columns 0..m-1 of S_ij = Gamma(i+j+1/2)/(sqrt(2 pi) sqrt((2i)!(2j)!)).

    Also returns ``1/sqrt((2i)!)`` for ``i < rows``.
    """
    half = mpmath.mpf(1) / 2
    c = 1 / mpmath.sqrt(2 * mpmath.pi)
    inv_sqrt_fact = [1 / mpmath.sqrt(mpmath.factorial(2 * i)) for i in range(rows)]
    gam = [mpmath.gamma(k + half) for k in range(rows + m)]
    mat = [
        [c * gam[i + j] * inv_sqrt_fact[i] * inv_sqrt_fact[j] for j in range(m)]
        for i in range(rows)
    ]
    return mat, inv_sqrt_fact


def _times_linear(poly: list, c0, c1) -> list:
    """Coefficients of poly(s) * (c0 + c1 s)."""
    out = [c0 * poly[0]]
    for k in range(1, len(poly)):
        out.append(c0 * poly[k] + c1 * poly[k - 1])
    out.append(c1 * poly[-1])
    return out


def _tridiagonalize(mat: list[list], vectors: list[list]) -> tuple[list, list, list[list]]:
    """Householder reduction Q^T mat Q = tridiag(e, d, e) of a symmetric matrix (lists of mpf).

    Returns the diagonal ``d``, the sub-diagonal ``e`` (``e[m-1] = 0``) and ``Q^T v`` for each
    of ``vectors``; the reflectors are applied to the vectors directly, never accumulated.
    """
    m = len(mat)
    A = [row[:] for row in mat]
    vecs = [list(v) for v in vectors]
    zero = mpmath.mpf(0)
    for k in range(m - 2):
        x = [A[i][k] for i in range(k + 1, m)]
        norm = mpmath.sqrt(mpmath.fsum(t * t for t in x))
        if not norm:
            continue
        alpha = -norm if x[0] > 0 else norm
        v = x
        v[0] -= alpha
        beta = 2 / mpmath.fsum(t * t for t in v)
        size = m - k - 1
        # p = beta A_sub v, q = p - (beta/2)(v^T p) v, A_sub <- A_sub - v q^T - q v^T
        p = [
            beta * mpmath.fsum(A[k + 1 + i][k + 1 + j] * v[j] for j in range(size))
            for i in range(size)
        ]
        half = beta / 2 * mpmath.fsum(a * b for a, b in zip(v, p, strict=True))
        q = [pi - half * vi for pi, vi in zip(p, v, strict=True)]
        for i in range(size):
            row = A[k + 1 + i]
            vi, qi = v[i], q[i]
            for j in range(i, size):
                val = row[k + 1 + j] - vi * q[j] - qi * v[j]
                row[k + 1 + j] = val
                A[k + 1 + j][k + 1 + i] = val
        A[k + 1][k] = A[k][k + 1] = alpha
        for i in range(k + 2, m):
            A[i][k] = A[k][i] = zero
        for w in vecs:
            dot = beta * mpmath.fsum(v[i] * w[k + 1 + i] for i in range(size))
            for i in range(size):
                w[k + 1 + i] -= dot * v[i]
    d = [A[i][i] for i in range(m)]
    e = [A[i + 1][i] for i in range(m - 1)] + [zero]
    return d, e, vecs


def _symmetric_eigen_projected(mat: list[list], vectors: list[list]):
    """Eigenvalues of the symmetric ``mat`` and the projections ``v^T u_i`` of ``vectors``.

    Householder tridiagonalisation (above) followed by mpmath's implicit QL iteration
    (``tridiag_eigen``), whose rotations are applied to the two transformed vectors only:
    ``O(m^2)`` work after the reduction instead of accumulating all eigenvectors.
    """
    m = len(mat)
    try:
        from mpmath.matrices.eigen_symmetric import tridiag_eigen
    except ImportError:  # pragma: no cover - other mpmath layout: full eigenvectors
        if not vectors:
            lam = mpmath.eigsy(mpmath.matrix(mat), eigvals_only=True)
            return [lam[i] for i in range(m)], []
        lam, U = mpmath.eigsy(mpmath.matrix(mat))
        proj = [[mpmath.fsum(v[k] * U[k, i] for k in range(m)) for i in range(m)] for v in vectors]
        return [lam[i] for i in range(m)], proj
    d, e, vecs = _tridiagonalize(mat, vectors)
    if not vecs:
        tridiag_eigen(mpmath.mp, d, e, False)
        return list(d), []
    z = mpmath.matrix(len(vecs), m)
    for r, w in enumerate(vecs):
        for j in range(m):
            z[r, j] = w[j]
    tridiag_eigen(mpmath.mp, d, e, z)  # d <- eigenvalues, z <- z W (W: eigenvectors of T)
    proj = [[z[r, i] for i in range(m)] for r in range(len(vecs))]
    return list(d), proj


def distribution_determinant(n: int) -> list[mpmath.mpf]:
    """p_{n,0..n} by the determinant route, at the current mpmath precision."""
    m = n // 2
    zero = mpmath.mpf(0)
    out = [zero] * (n + 1)
    if n % 2 == 0:
        if m == 0:  # pragma: no cover - n >= 1 always
            return [mpmath.mpf(1)]
        S, _ = _s_matrix_rows(m, m)
        lam, _ = _symmetric_eigen_projected(S, [])
        poly = [mpmath.mpf(1)]
        for i in range(m):
            poly = _times_linear(poly, 1 - lam[i], lam[i])
        for ell, x in enumerate(poly):
            out[2 * ell] = x
        return out
    if m == 0:
        out[1] = mpmath.mpf(1)
        return out
    rows, inv_sqrt_fact = _s_matrix_rows(m, m + 1)
    S, srow = rows[:m], rows[m]
    # a_i = (2i-1)!!/(2m-1)!! * sqrt((2m)!/(2i)!)
    dfact = [mpmath.mpf(1)]
    for i in range(1, m + 1):
        dfact.append(dfact[-1] * (2 * i - 1))
    a = [dfact[i] / dfact[m] * inv_sqrt_fact[i] / inv_sqrt_fact[m] for i in range(m)]
    lam, (ps, pa) = _symmetric_eigen_projected(S, [srow, a])
    # Z(s) = prod_i f_i(s) + (1 - s) sum_i w_i prod_{j != i} f_j(s),
    # f_i(s) = (1 - lam_i) + lam_i s, w_i = (s^T u_i)(u_i^T a)   (matrix determinant lemma)
    prod = [mpmath.mpf(1)]  # prod_{j < k} f_j
    acc = [zero]  # sum_{i < k} w_i prod_{j < k, j != i} f_j
    for k in range(m):
        w = ps[k] * pa[k]
        acc = _times_linear(acc, 1 - lam[k], lam[k])
        for idx in range(len(prod)):
            acc[idx] += w * prod[idx]
        prod = _times_linear(prod, 1 - lam[k], lam[k])
    corr = _times_linear(acc[:m], mpmath.mpf(1), mpmath.mpf(-1))
    for ell in range(m + 1):
        out[2 * ell + 1] = prod[ell] + corr[ell]
    return out
