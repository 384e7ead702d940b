"""Private numba kernels: the real-real kernel S of real Ginibre, finite n and edge limit.

Ginibre scale (unit-variance entries). With ``m = n - 2`` and ``e_m(z) = sum_{k<=m} z^k/k!``
(``e_{-1} = 0``), for every n >= 1 (docs/theory.md, "Largest real eigenvalue")

    S(x, y) = E(x, y)/sqrt(2 pi) + g(x) G(y),
    E(x, y) = e^{-(x^2+y^2)/2} e_m(xy),
    g(x)    = x^{n-1} e^{-x^2/2} / (2^{n/2} Gamma(n/2)),
    G(y)    = sgn(y)^{n-1} P((n-1)/2, y^2/2)          (G = 1 for n = 1),

and ``D(x, y) = -dS/dy = (y - x) E(x, y)/sqrt(2 pi)``. Evaluation, all absolute accuracy
~1e-16 relative to the kernel's O(1) scale, no overflow at any n:

* ``xy > 0``: ``E = e^{-(x-y)^2/2} Q(m+1, xy)`` (``rmtedge._core.incgamma.gammainc_q``: Temme's
  uniform expansion near the transition, O(1) cost at every n);
* ``xy < 0``: the alternating sum ``e^{-(x^2+y^2)/2} sum_k (xy)^k/k!`` summed outwards from its
  largest term (found in log space), stopping once the terms fall below 1e-18 of it; every term
  is at most ``e^{-(|x|-|y|)^2/2} <= 1`` in size, so the absolute error is a few ulps;
* ``g`` in log space (``lgamma``), ``G`` from ``gammainc_p``.

Edge limit (``x = sqrt(n) + xi``, ``y = sqrt(n) + eta``, n -> inf):
``E -> e^{-(xi-eta)^2/2} erfc((xi+eta)/sqrt 2)/2``, ``g -> e^{-xi^2}/(2 sqrt pi)``,
``G -> erfc(-eta)/2``.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import INV_SQRT_2PI, SQRT_HALF
from .._core.elementary import lgamma
from .._core.incgamma import gammainc_p, gammainc_q
from .._core.jit import jit

__all__ = [
    "e_scaled",
    "fill_nodes",
    "limit_s_matrix",
    "s_matrix",
]

_INV_2_SQRT_PI = 0.5 / math.sqrt(math.pi)


@jit
def e_scaled(x: float, y: float, m: int) -> float:
    """``e^{-(x^2+y^2)/2} sum_{k=0}^{m} (xy)^k/k!`` (0 for m < 0), absolute error ~1e-16."""
    if m < 0:
        return 0.0
    z = x * y
    if z > 0.0:
        d = x - y
        return math.exp(-0.5 * d * d) * gammainc_q(m + 1.0, z)
    if z == 0.0:
        return math.exp(-0.5 * (x * x + y * y))
    u = -z
    base = -0.5 * (x * x + y * y)
    k0 = int(u)
    if k0 > m:
        k0 = m
    lu = math.log(u)
    lt0 = base + k0 * lu - lgamma(k0 + 1.0)
    if lt0 < -745.0:
        return 0.0
    t0 = math.exp(lt0)
    s = -t0 if k0 % 2 else t0
    tiny = 1e-18 * t0
    t = t0
    k = k0
    while k > 0:
        t *= k / u
        k -= 1
        s += -t if k % 2 else t
        if t < tiny:
            break
    t = t0
    k = k0
    while k < m:
        k += 1
        t *= u / k
        s += -t if k % 2 else t
        if t < tiny:
            break
    return s


@jit
def _g(x: float, n: int) -> float:
    """x^{n-1} e^{-x^2/2} / (2^{n/2} Gamma(n/2))."""
    if n == 1:
        return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    if x == 0.0:
        return 0.0
    lg = (n - 1) * math.log(abs(x)) - 0.5 * x * x - lgamma(0.5 * n) - 0.5 * n * math.log(2.0)
    v = math.exp(lg)
    if x < 0.0 and (n - 1) % 2 == 1:
        return -v
    return v


@jit
def _big_g(y: float, n: int) -> float:
    """sgn(y)^{n-1} P((n-1)/2, y^2/2)."""
    if n == 1:
        return 1.0
    v = gammainc_p(0.5 * (n - 1), 0.5 * y * y)
    if y < 0.0 and (n - 1) % 2 == 1:
        return -v
    return v


@jit
def s_matrix(n: int, xs: np.ndarray, ys: np.ndarray, out: np.ndarray) -> None:
    """out[i, j] = S(xs[i], ys[j]) (finite n, Ginibre scale); out[i, j] = NaN for NaN input."""
    nx = xs.size
    ny = ys.size
    gy = np.empty(ny)
    for j in range(ny):
        gy[j] = _big_g(ys[j], n)
    for i in range(nx):
        gx = _g(xs[i], n)
        for j in range(ny):
            out[i, j] = e_scaled(xs[i], ys[j], n - 2) * INV_SQRT_2PI + gx * gy[j]


@jit
def limit_s_matrix(xs: np.ndarray, ys: np.ndarray, out: np.ndarray) -> None:
    """out[i, j] = S_inf(xs[i], ys[j]), the edge-limit kernel (coordinates relative to sqrt n)."""
    nx = xs.size
    ny = ys.size
    gy = np.empty(ny)
    for j in range(ny):
        gy[j] = 0.5 * math.erfc(-ys[j])
    for i in range(nx):
        x = xs[i]
        gx = _INV_2_SQRT_PI * math.exp(-x * x)
        for j in range(ny):
            d = x - ys[j]
            e = 0.5 * math.exp(-0.5 * d * d) * math.erfc((x + ys[j]) * SQRT_HALF)
            out[i, j] = e * INV_SQRT_2PI + gx * gy[j]


@jit(python=True)
def fill_nodes(n: int, x: np.ndarray, t: float, b: float, out: np.ndarray) -> None:
    """out[i, j] = S(x_i, x_j) for j < m, out[i, m] = S(x_i, t), out[i, m + 1] = S(x_i, b).

    ``n >= 1``: finite-n kernel (Ginibre scale); ``n == 0``: the edge-limit kernel. The
    symmetric factor E(x, y) is computed once per unordered pair of nodes.
    """
    m = x.size
    gx = np.empty(m)
    gy = np.empty(m + 2)
    for i in range(m):
        if n == 0:
            gx[i] = _INV_2_SQRT_PI * math.exp(-x[i] * x[i])
            gy[i] = 0.5 * math.erfc(-x[i])
        else:
            gx[i] = _g(x[i], n)
            gy[i] = _big_g(x[i], n)
    if n == 0:
        gy[m] = 0.5 * math.erfc(-t)
        gy[m + 1] = 0.5 * math.erfc(-b)
    else:
        gy[m] = _big_g(t, n)
        gy[m + 1] = _big_g(b, n)
    for i in range(m):
        for j in range(i, m + 2):
            y = x[j] if j < m else (t if j == m else b)
            dd = x[i] - y
            if dd * dd > 84.0:
                # |E| <= e^{-(x-y)^2/2} < 6e-19 (Q <= 1, erfc <= 2; for xy < 0 the bound is
                # e^{-(|x|-|y|)^2/2}, used below): below the kernel's absolute accuracy
                # (a product, not ** 2: numba compiles an internal power function for that)
                da = abs(x[i]) - abs(y)
                if x[i] * y >= 0.0 or da * da > 84.0:
                    out[i, j] = gx[i] * gy[j]
                    if j < m and j != i:
                        out[j, i] = gx[j] * gy[i]
                    continue
            if n == 0:
                d = x[i] - y
                e = 0.5 * math.exp(-0.5 * d * d) * math.erfc((x[i] + y) * SQRT_HALF)
            else:
                e = e_scaled(x[i], y, n - 2)
            e *= INV_SQRT_2PI
            out[i, j] = e + gx[i] * gy[j]
            if j < m and j != i:
                out[j, i] = e + gx[j] * gy[i]
