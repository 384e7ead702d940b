"""Exact hidden-state energies of Glorot matrices in integer arithmetic (the reference).

For ``W = G/sqrt(n)`` with ``G`` an n x n real or complex Ginibre matrix, the Frobenius energy is

    e_k(n) = (1/n) E||W^k||_F^2 = n^-(k+1) E tr(G^k G^{*k}),

and ``E tr(G^k G^{*k})`` is an integer polynomial in n of degree k + 1 with leading coefficient 1.
This module computes it exactly, two independent ways, in Python integers:

* :func:`frobenius_trace_polynomial` -- Wick's theorem. ``tr(G^k G^{*k})`` is a product of 2k
  entries of ``G`` around a closed index cycle; its expectation is a sum over the pairings of
  the 2k entries that the field allows (complex: each ``G`` with a ``conj(G)``, k! pairings;
  real: any two entries, (2k-1)!! pairings), and a pairing contributes ``n^c`` with c the
  number of free indices left once each pair identifies the row and column indices of its two
  entries (a union-find over the 2k cycle indices). Cost grows like (2k-1)!!: k <= 7.
* :func:`complex_frobenius_trace` -- the Schur-form / Pieri formula of the complex field
  (see ``docs/theory.md``, "Exact hidden-state energies"): the sum over ordered collections of
  disjoint integer intervals ``[l_i, l_i + d_i - 1]`` (starts ``0 <= l_0 < l_1 < ... <= n-1``,
  ``l_{i+1} >= l_i + d_i``, only the last may reach past n - 1, total length k + 1) of
  ``prod_i (l_i+1)(l_i+2)...(l_i+d_i-1)``, evaluated by the O(n k) telescoped dynamic programme
  (the same recursion as the float64 kernel, here in exact integers), for any n and k.
  :func:`complex_frobenius_trace_bruteforce` enumerates the intervals directly (tiny n, k).

The float64 functions of :mod:`rmtedge.recurrent.energy` are tested against these.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any

import mpmath

from .._core.checks import check_choice, check_field, check_int, check_n
from ._common import check_dps

__all__ = [
    "complex_frobenius_trace",
    "complex_frobenius_trace_bruteforce",
    "frobenius_energy",
    "frobenius_trace_polynomial",
    "hidden_state_energy",
]

#: largest k for which :func:`frobenius_trace_polynomial` enumerates the (2k-1)!! real pairings
WICK_K_MAX = 7


def complex_frobenius_trace(n: int, k: int) -> int:
    """``E tr(G^k G^{*k})`` for complex Ginibre G (unit-variance entries), exactly, any n, k.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    k : int
        Power, ``k >= 0``.

    Returns
    -------
    int
        The exact expectation (an integer).

    Notes
    -----
    Dynamic programme of the interval sum (module docstring). With ``F(l, r)`` the sum over
    collections of total length r whose first start is ``>= l``, and ``A(l, r)`` the part whose
    first interval starts exactly at l (``F(p, 0) = 1``; ``F(p, r) = 0`` for ``p >= n``, r > 0):

        F(l, r) = F(l+1, r) + A(l, r),
        A(l, r) = F(l+1, r-1) + (l+1) A(l+1, r-1),   A(l, 1) = F(l+1, 0) = 1

    (the telescoping: ``(l+1)...(l+d-1) = (l+1) * [(l+2)...(l+d-1)]`` turns the inner sum over
    the first length d into one step along an anti-diagonal). ``A(p, r)`` for ``p >= n`` keeps
    only the single interval reaching past n - 1: ``A(p, r) = (p+1)...(p+r-1)``.
    The result is ``F(0, k+1)``. Cost O(n k) big-integer operations.
    """
    n = check_n(n)
    k = check_int(k, "k", minimum=0)
    return _complex_traces(n, k)[k]


def _complex_traces(n: int, kmax: int) -> list[int]:
    """``[E tr(G^k G^{*k}) for k = 0..kmax]`` by the telescoped DP in exact integers."""
    R = kmax + 1
    # state at position p = l+1: F[r] = F(p, r), A[r] = A(p, r), r = 0..R
    # start at p = n: F(n, 0) = 1, F(n, r>0) = 0, A(n, r) = (n+1)...(n+r-1), A(n, 0) = 0
    F = [1] + [0] * R
    A = [0] * (R + 1)
    if R >= 1:
        A[1] = 1
        for r in range(2, R + 1):
            A[r] = A[r - 1] * (n + r - 1)
    for l_ in range(n - 1, -1, -1):
        newA = [0] * (R + 1)
        for r in range(1, R + 1):
            newA[r] = F[r - 1] + (l_ + 1) * A[r - 1]
        F = [F[0]] + [F[r] + newA[r] for r in range(1, R + 1)]
        A = newA
    return [F[k + 1] for k in range(kmax + 1)]


def complex_frobenius_trace_bruteforce(n: int, k: int) -> int:
    """The interval sum of :func:`complex_frobenius_trace` by direct enumeration (tiny n, k)."""
    n = check_n(n)
    k = check_int(k, "k", minimum=0)

    def rec(start: int, remaining: int) -> int:
        if remaining == 0:
            return 1
        total = 0
        for l_ in range(start, n):
            for d in range(1, remaining + 1):
                if d < remaining and l_ + d > n - 1:
                    continue  # a later interval would need a start <= n - 1
                w = math.prod(range(l_ + 1, l_ + d))
                total += w * rec(l_ + d, remaining - d)
        return total

    return rec(0, k + 1)


@lru_cache(maxsize=32)
def _wick_coefficients(k: int, field: str) -> tuple[int, ...]:
    # index cycle i_0 .. i_{2k-1}; entry m joins i_m and i_{m+1 mod 2k}. For m < k it is
    # G[i_m, i_{m+1}]; for m >= k it is G^*[i_m, i_{m+1}] = conj(G[i_{m+1}, i_m]).
    if k == 0:
        return (0, 1)  # tr(I) = n
    L = 2 * k

    def rowcol(m: int) -> tuple[int, int]:
        a, b = m, (m + 1) % L
        return (a, b) if m < k else (b, a)

    coeffs = [0] * (k + 2)
    for pairing in _pairings(list(range(L)), k if field == "complex" else None):
        parent = list(range(L))
        for m1, m2 in pairing:
            r1, c1 = rowcol(m1)
            r2, c2 = rowcol(m2)
            for u, v in ((r1, r2), (c1, c2)):
                fu, fv = _find(parent, u), _find(parent, v)
                if fu != fv:
                    parent[fu] = fv
        c = sum(1 for x in range(L) if _find(parent, x) == x)
        coeffs[c] += 1
    return tuple(coeffs)


def _find(parent: list[int], x: int) -> int:
    """Union-find root of x (with path halving)."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _pairings(items: list[int], split: int | None):
    """Perfect matchings of ``items``; with ``split``, only pairs (a < split <= b)."""
    if not items:
        yield []
        return
    a = items[0]
    for j in range(1, len(items)):
        b = items[j]
        if split is not None and not (a < split <= b):
            continue
        rest = items[1:j] + items[j + 1 :]
        for p in _pairings(rest, split):
            yield [(a, b), *p]


def frobenius_trace_polynomial(k: int, *, field: str = "real") -> list[int]:
    """Integer coefficients ``c_j`` of ``E tr(G^k G^{*k}) = sum_j c_j n^j`` by Wick's theorem.

    Parameters
    ----------
    k : int
        Power, ``0 <= k <= 7`` (the real field enumerates (2k-1)!! pairings).
    field : {"real", "complex"}
        Real (N(0,1) entries) or complex (CN(0,1), E|g|^2 = 1) Ginibre ``G``.

    Returns
    -------
    list of int
        ``[c_0, c_1, ..., c_{k+1}]`` (``c_{k+1} = 1``).

    Examples
    --------
    >>> frobenius_trace_polynomial(2, field="real")
    [0, 2, 0, 1]
    >>> frobenius_trace_polynomial(3, field="complex")
    [0, 0, 5, 0, 1]
    """
    k = check_int(k, "k", minimum=0)
    field = check_field(field)
    if k > WICK_K_MAX:
        raise ValueError(f"k must be <= {WICK_K_MAX} for the Wick enumeration, got {k}")
    return list(_wick_coefficients(k, field))


def _exact_trace(n: int, k: int, field: str, exact_method: str) -> int:
    if exact_method == "wick" or field == "real":
        if field == "real" and exact_method == "dp":
            raise ValueError("method 'dp' (the Schur/Pieri interval sum) needs field='complex'")
        coeffs = frobenius_trace_polynomial(k, field=field)
        return sum(c * n**j for j, c in enumerate(coeffs))
    return complex_frobenius_trace(n, k)


def frobenius_energy(
    n: int, k: int, *, field: str = "real", method: str = "auto", dps: int = 30
) -> Any:
    """``(1/n) E||W^k||_F^2 = n^-(k+1) E tr(G^k G^{*k})`` exactly, rounded once to ``dps`` digits.

    Parameters
    ----------
    n : int
        Width, ``n >= 1``.
    k : int
        Power, ``k >= 0``.
    field : {"real", "complex"}
        The real field is available for ``k <= 7`` only (Wick enumeration; ``ValueError``
        beyond); the complex field for every k.
    method : {"auto", "dp", "wick"}
        ``"dp"``: the interval-sum dynamic programme (complex only, any k); ``"wick"``: the pairing
        enumeration (both fields, k <= 7); ``"auto"``: dp for complex, wick for real.
    dps : int
        Decimal digits of the returned ``mpf`` (>= 20).

    Returns
    -------
    mpmath.mpf
    """
    n = check_n(n)
    k = check_int(k, "k", minimum=0)
    field = check_field(field)
    method = check_choice(method, "method", ("auto", "dp", "wick"))
    dps = check_dps(dps)
    exact = Fraction(_exact_trace(n, k, field, method), n ** (k + 1))
    with mpmath.workdps(dps):
        return mpmath.mpf(exact.numerator) / exact.denominator


def hidden_state_energy(
    n: int, t: int, *, field: str = "real", input: str = "white", dps: int = 30
) -> Any:
    """``(1/n) E||h_t||^2`` for ``h_t = W h_{t-1} + x_t``, ``h_0 = 0``, exactly (``dps`` digits).

    ``input="white"``: ``x_1, ..., x_t`` i.i.d. with ``E x x^* = I``, giving
    ``sum_{k<t} e_k(n)``; ``input="impulse"``: ``x_1`` with ``E x x^* = I`` and ``x_s = 0`` for
    s > 1, giving ``e_{t-1}(n)`` (``t >= 1``; the energy at ``t = 0`` is 0 for both).
    """
    n = check_n(n)
    t = check_int(t, "t", minimum=0)
    field = check_field(field)
    input = check_choice(input, "input", ("white", "impulse"))
    dps = check_dps(dps)
    if t == 0:
        total = Fraction(0)
    elif input == "impulse":
        total = Fraction(_exact_trace(n, t - 1, field, "auto"), n**t)
    else:
        traces = (
            _complex_traces(n, t - 1)
            if field == "complex"
            else [_exact_trace(n, k, field, "wick") for k in range(t)]
        )
        total = sum((Fraction(tr, n ** (k + 1)) for k, tr in enumerate(traces)), Fraction(0))
    with mpmath.workdps(dps):
        return mpmath.mpf(total.numerator) / total.denominator

