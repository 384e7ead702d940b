"""Private numba kernels of :mod:`rmtedge.recurrent.energy` (pure: no random numbers).

* :func:`complex_energy_dp` -- the telescoped O(n K) dynamic programme of the exact complex
  Frobenius energies (1/n) E||W^k||_F^2, k = 0..K, with the Glorot scaling carried inside and one
  power-of-two exponent per column so nothing overflows or underflows.
* :func:`reduced_log_norms` -- log ||H^k e_1||^2, k = 0..K, for a batch of leading (K+1) x K
  blocks of the Glorot-scaled Hessenberg model (one power-of-two exponent per sample).
"""

from __future__ import annotations

import math

import numpy as np

from .._core.constants import LN2
from .._core.jit import fma, jit

__all__ = ["complex_energy_dp", "reduced_log_norms"]

#: a column (or a sample's state) is renormalised once it exceeds 2**_HI_EXP
_HI_EXP = 600
_HI = 2.0**_HI_EXP
_LO = 2.0**-_HI_EXP


@jit(python=True)
def complex_energy_dp(n, R, mant, expo):  # pragma: no cover - compiled
    """Exact complex energies e_k(n) = mant[k] * 2**expo[k] for k = 0..R-1.

    DP variables (Ginibre scale; see rmtedge/mp/energy.py): F(l, r), A(l, r) for positions
    l = n-1 .. 0 and lengths r = 0..R. Stored scaled: f[r] + cf[r] = F(l, r) inv_n^r 2^-e[r]
    (cf the running compensation of a Knuth two-sum, so the n-term sums of positive values do
    not lose n eps) and a[r] = A(l, r) inv_n^r 2^-e[r], with inv_n = fl(1/n); the bias
    (n inv_n)^r is removed at the end (delta = n inv_n - 1 is exact through one fma). Update for
    position l, in place from r = R down to 1 (r - 1 still holds position l + 1):

        a[r] = ((f[r-1] + cf[r-1]) + (l+1) a[r-1]) * inv_n * 2^(e[r-1]-e[r]),   f[r] += a[r]

    Whenever some f exceeds 2**600, such columns get their exponent raised (exact power-of-two
    rescaling), so neither overflow nor loss to underflow can occur for any n, R.
    """
    inv_n = 1.0 / n
    delta = fma(float(n), inv_n, -1.0)  # n * inv_n = 1 + delta exactly
    f = np.zeros(R + 1)
    cf = np.zeros(R + 1)
    a = np.zeros(R + 1)
    e = np.zeros(R + 1, dtype=np.int64)
    sc = np.zeros(R + 1)  # sc[r] = inv_n * 2^(e[r-1] - e[r])
    # position p = n: F(n, 0) = 1, F(n, r > 0) = 0, A(n, r) = (n+1)...(n+r-1)
    f[0] = 1.0
    m = inv_n
    ex = 0
    for r in range(1, R + 1):
        if r >= 2:
            m *= (n + r - 1) * inv_n
        if m > _HI:
            fr, ee = math.frexp(m)
            m = fr
            ex += ee
        a[r] = m
        e[r] = ex
    for r in range(1, R + 1):
        sc[r] = math.ldexp(inv_n, int(e[r - 1] - e[r]))
    for pos in range(n - 1, -1, -1):
        c = float(pos + 1)
        flag = False
        for r in range(R, 0, -1):
            x = ((f[r - 1] + cf[r - 1]) + c * a[r - 1]) * sc[r]
            a[r] = x
            g = f[r]
            t = g + x
            z = t - g
            cf[r] += (g - (t - z)) + (x - z)
            f[r] = t
            flag |= t > _HI
        if flag:
            for r in range(1, R + 1):
                if f[r] > _HI:
                    fr, ee = math.frexp(f[r])
                    f[r] = fr
                    cf[r] = math.ldexp(cf[r], -ee)
                    a[r] = math.ldexp(a[r], -ee)
                    e[r] += ee
            for r in range(1, R + 1):
                sc[r] = math.ldexp(inv_n, int(e[r - 1] - e[r]))
    lcorr = -math.log1p(delta)  # per power of inv_n
    for r in range(1, R + 1):
        v = (f[r] + cf[r]) * math.exp(r * lcorr)
        fr, ee = math.frexp(v)
        mant[r - 1] = fr
        expo[r - 1] = e[r] + ee


@jit(python=True)
def reduced_log_norms(upper, sub, out):  # pragma: no cover - compiled
    """out[s, k] = log ||H_s^k e_1||^2, k = 0..K, for blocks H_s given in packed form.

    ``upper[s]`` holds the on-and-above-diagonal entries column by column (column j: rows
    0..j, offset j(j+1)/2; length K(K+1)/2), ``sub[s, j]`` = H[j+1, j] (length K); real or
    complex ``upper`` (one compilation each). The state v_t = H v_{t-1} has support on
    rows 0..t; it is renormalised by a power of two when ||v||^2 leaves [2**-600, 2**600].
    """
    S = upper.shape[0]
    K = sub.shape[1]
    v = np.zeros(K + 1, dtype=upper.dtype)
    w = np.zeros(K + 1, dtype=upper.dtype)
    for s in range(S):
        v[:] = 0.0
        v[0] = 1.0
        ex = 0  # true state = 2^ex v
        out[s, 0] = 0.0
        for t in range(1, K + 1):
            # w = H[:t+1, :t] v[:t]
            for i in range(t + 1):
                w[i] = 0.0
            for j in range(t):
                vj = v[j]
                off = (j * (j + 1)) // 2
                for i in range(j + 1):
                    w[i] += upper[s, off + i] * vj
                w[j + 1] += sub[s, j] * vj
            ss = 0.0
            for i in range(t + 1):
                v[i] = w[i]
                ss += v[i].real * v[i].real + v[i].imag * v[i].imag
            if ss > _HI or (ss < _LO and ss > 0.0):
                ee = math.frexp(ss)[1]
                sh = ee // 2
                scale = math.ldexp(1.0, -sh)
                for i in range(t + 1):
                    v[i] *= scale
                ex += sh
                ss = math.ldexp(ss, -2 * sh)
            if ss > 0.0:
                out[s, t] = math.log(ss) + 2.0 * ex * LN2
            else:
                out[s, t] = -math.inf
                for tt in range(t + 1, K + 1):
                    out[s, tt] = -math.inf
                break
