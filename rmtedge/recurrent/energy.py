"""Exact hidden-state energies of the Glorot recurrence, and a Monte Carlo sampler exact in law.

For ``W = G/sqrt(n)`` (``G`` real or complex Ginibre) the *Frobenius energy* is

    e_k(n) = (1/n) E||W^k||_F^2 = E||W^k x||^2 / E||x||^2      (any isotropic x),

the energy of the recurrence ``h_t = W h_{t-1} + x_t``, ``h_0 = 0``, after an impulse. With
i.i.d. inputs ``E x_s x_s^* = I`` ("white"), ``(1/n) E||h_t||^2 = sum_{k<t} e_k(n)``. Schur's
inequality gives only the lower bound ``e_k(n) >= m_k(n)`` (:mod:`rmtedge.moments`); this module
gives the energy itself:

* complex field, exact for every n and k (:func:`frobenius_energy`): Schur form + Pieri's rule
  give ``E tr(G^k G^{*k})`` as a sum over ordered collections of disjoint integer intervals,
  evaluated by a telescoped dynamic programme in O(n K) operations for all k <= K at once, in
  float64 with the 1/n scaling carried inside the recursion and one power-of-two exponent per k
  (no overflow at n = 10^6, k = 10 sqrt(n), nor anywhere else);
* real field, exact for k <= 7 only, from the integer polynomials of Wick's theorem (the real
  Schur form has 2 x 2 blocks with a random number of real eigenvalues, and this package has no
  derivation of the analogue of the interval sum for it); beyond, ``ValueError`` pointing to
* :func:`energy_samples`, both fields: samples of ``||W^k e_1||^2``, k = 0..k_max, whose mean is
  ``e_k(n)``, exact in law and at a cost independent of n (O(k_max^2) random numbers and
  O(k_max^3) flops per sample) through the leading (k_max+1) x k_max block of the Hessenberg
  model.

See ``docs/theory.md``, section "Exact hidden-state energies", for the derivation of the
telescoping and the accuracy measured against exact integer arithmetic (:mod:`rmtedge.mp.energy`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._core.checks import (
    check_choice,
    check_field,
    check_int,
    check_n,
    check_n_array,
    check_nonneg_int_array,
    check_rng,
    check_size,
)
from .._core.gaussian import standard_gaussian
from . import _energy_kernels as _ek

__all__ = [
    "EnergySummary",
    "REAL_EXACT_K_MAX",
    "energy_samples",
    "energy_summary",
    "frobenius_energy",
    "hidden_state_energy",
    "log_frobenius_energy",
    "log_hidden_state_energy",
]

_INPUTS = ("white", "impulse")
_LN2 = math.log(2.0)

# E tr(G^k G^{T k}) = sum_j c_j n^j for real Ginibre G, k = 0..7: Wick's theorem in exact
# integer arithmetic (rmtedge.mp.frobenius_trace_polynomial; the tests recompute every entry).
_REAL_TRACE_POLYNOMIALS: tuple[tuple[int, ...], ...] = (
    (0, 1),
    (0, 0, 1),
    (0, 2, 0, 1),
    (0, 4, 10, 0, 1),
    (0, 48, 28, 28, 0, 1),
    (0, 304, 468, 110, 62, 0, 1),
    (0, 3656, 3880, 2426, 314, 118, 0, 1),
    (0, 41312, 58312, 25512, 9046, 748, 204, 0, 1),
)
#: largest power k for which the real-field energy is exact (Wick polynomials)
REAL_EXACT_K_MAX = len(_REAL_TRACE_POLYNOMIALS) - 1


def _ret(out: np.ndarray) -> Any:
    return out[()] if out.ndim == 0 else out


def _complex_table(n: int, kmax: int) -> tuple[np.ndarray, np.ndarray]:
    """(log e_k(n), e_k(n)), k = 0..kmax, complex field (one run of the DP kernel)."""
    mant = np.empty(kmax + 1)
    expo = np.empty(kmax + 1, dtype=np.int64)
    _ek.complex_energy_dp(np.int64(n), np.int64(kmax + 1), mant, expo)
    with np.errstate(over="ignore"):
        val = np.ldexp(mant, np.clip(expo, -(2**30), 2**30).astype(np.int32))
    return np.log(mant) + expo * _LN2, val


def _real_table(n: int, kmax: int, kname: str = "k", offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(log e_k(n), e_k(n)), k = 0..kmax, real field (Wick polynomials, k <= 7)."""
    if kmax > REAL_EXACT_K_MAX:
        raise ValueError(
            f"{kname} = {kmax + offset}: the exact real-field energy is implemented for k <= {REAL_EXACT_K_MAX} "
            f"(t <= {REAL_EXACT_K_MAX + 1}) only "
            "(integer Wick polynomials; no exact formula for larger k is derived here). Use the "
            "Monte Carlo sampler rmtedge.recurrent.energy.energy_samples(n, k_max, field='real'), "
            "exact in law at a cost independent of n, or field='complex' for the exact complex energy"
        )
    val = np.empty(kmax + 1)
    x = 1.0 / n
    for k in range(kmax + 1):
        # e_k(n) = sum_j c_j x^(k+1-j), x = 1/n: Horner in x, positive coefficients
        s = 0.0
        for c in _REAL_TRACE_POLYNOMIALS[k]:
            s = s * x + c
        val[k] = s
    return np.log(val), val


def _per_n(
    n: Any, k: Any, field: str, kname: str, offset: int
) -> tuple[np.ndarray, np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]]]:
    """Validate and broadcast; (log e_j(n), e_j(n)) for j = 0..max(k) - offset per distinct n."""
    field = check_field(field)
    n_arr = check_n_array(n)
    k_arr = check_nonneg_int_array(k, kname)
    nb, kb = np.broadcast_arrays(n_arr, k_arr)
    tables: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for nv in np.unique(nb):
        sel = nb == nv
        kmax = int(kb[sel].max()) - offset
        if kmax < 0:
            tables[int(nv)] = (np.empty(0), np.empty(0))
        elif field == "complex":
            tables[int(nv)] = _complex_table(int(nv), kmax)
        else:
            tables[int(nv)] = _real_table(int(nv), kmax, kname, offset)
    return nb, kb, tables


def log_frobenius_energy(n: Any, k: Any, *, field: str = "real") -> Any:
    """Natural log of (1/n) E||W^k||_F^2, exact; see :func:`frobenius_energy`.

    Finite for every n and k the complex recursion can reach (the energy may exceed 1.8e308,
    e.g. k = 200 at n = 1 is log(200!)).

    Examples
    --------
    >>> from rmtedge.recurrent.energy import log_frobenius_energy
    >>> import math
    >>> bool(abs(log_frobenius_energy(1, 200, field="complex") - math.lgamma(201)) < 1e-11 * 863)
    True
    """
    nb, kb, tables = _per_n(n, k, field, "k", 0)
    out = np.empty(nb.shape)
    for nv, (logtab, _) in tables.items():
        sel = nb == nv
        out[sel] = logtab[kb[sel]]
    return _ret(out)


def frobenius_energy(n: Any, k: Any, *, field: str = "real") -> Any:
    """Exact Frobenius energy e_k(n) = (1/n) E||W^k||_F^2 of a Glorot matrix W = G/sqrt(n).

    Parameters
    ----------
    n : int or array_like of int
        Width(s), ``n >= 1``.
    k : int or array_like of int
        Power(s), ``k >= 0``; broadcast against ``n``.
    field : {"real", "complex"}
        Complex: exact for every n and k. Real: exact for ``k <= REAL_EXACT_K_MAX`` (= 7), else
        ``ValueError`` (use :func:`energy_samples`).

    Returns
    -------
    float or ndarray
        ``e_k(n)``; ``inf`` where it exceeds the float64 range (use :func:`log_frobenius_energy`).

    Notes
    -----
    Complex field (derivation in ``docs/theory.md``): with the Schur form ``G = U (D + N) U^*``
    and Pieri's rule, ``E tr(G^k G^{*k})`` is the sum over ordered collections of disjoint integer
    intervals ``[l_i, l_i + d_i - 1]``, ``0 <= l_0 < l_1 < ... <= n - 1``, total length k + 1,
    only the last reaching past n - 1, of ``prod_i (l_i+1)...(l_i+d_i-1)``. The telescoped
    dynamic programme evaluates all k <= K in O(n K) operations (n = 10^6, K = 10^4: 10^10
    updates, about 17 s on one core). All terms are positive and the n-term sums are compensated;
    measured against exact rationals for n = 1 .. 10^6 and k up to 10 sqrt(n): relative error
    <= 1e-14 (largest seen 3e-15); a rounding bound grows like ``K eps`` (the chain of
    products along r), i.e. 1e-12 at K = 10^4 in the worst case. Checks: n = 1 gives k!; k = 1 gives 1; k = 2 gives
    ``1 + 1/n^2``; k = 3 gives ``1 + 5/n^2``.

    Real field: ``E tr(G^k G^{Tk})`` from Wick's theorem (integer polynomials in n, k <= 7,
    e.g. ``n^3 + 2n`` for k = 2), summed in float64 with positive coefficients.

    References
    ----------
    Dubach & Peled, arXiv:1904.04312 (the fixed-k limit e_k -> 1; products of Ginibre matrices).
    Schur form of complex Ginibre: Ginibre (1965), Edelman (1997) for the real Schur form.

    Examples
    --------
    >>> from rmtedge.recurrent.energy import frobenius_energy
    >>> float(frobenius_energy(10, 3, field="complex"))   # (n^4 + 5 n^2)/n^4
    1.05
    >>> float(frobenius_energy(10, 2, field="real"))      # (n^3 + 2 n)/n^3
    1.02
    """
    nb, kb, tables = _per_n(n, k, field, "k", 0)
    out = np.empty(nb.shape)
    for nv, (_, valtab) in tables.items():
        sel = nb == nv
        out[sel] = valtab[kb[sel]]
    return _ret(out)


def log_hidden_state_energy(n: Any, t: Any, *, field: str = "real", input: str = "white") -> Any:
    """Natural log of (1/n) E||h_t||^2; see :func:`hidden_state_energy` (``-inf`` at t = 0)."""
    input = check_choice(input, "input", _INPUTS)
    nb, tb, tables = _per_n(n, t, field, "t", 1)
    out = np.empty(nb.shape)
    for nv, (tab, _) in tables.items():
        sel = nb == nv
        tt = tb[sel]
        if input == "impulse":
            cum = np.concatenate(([-np.inf], tab))  # index t -> log e_{t-1}
        else:
            cum = np.concatenate(([-np.inf], np.logaddexp.accumulate(tab))) if tab.size else np.array([-np.inf])
        out[sel] = cum[tt]
    return _ret(out)


def hidden_state_energy(n: Any, t: Any, *, field: str = "real", input: str = "white") -> Any:
    """Exact energy (1/n) E||h_t||^2 of the Glorot recurrence h_t = W h_{t-1} + x_t, h_0 = 0.

    Parameters
    ----------
    n : int or array_like of int
        Width(s), ``n >= 1``.
    t : int or array_like of int
        Time step(s), ``t >= 0``; broadcast against ``n``.
    field : {"real", "complex"}
        As in :func:`frobenius_energy` (real: t - 1 <= 7).
    input : {"white", "impulse"}
        ``"white"``: ``x_1, x_2, ...`` independent, mean 0, ``E x_s x_s^* = I`` (e.g. standard
        Gaussian vectors), independent of W: ``(1/n) E||h_t||^2 = sum_{k=0}^{t-1} e_k(n)``.
        ``"impulse"``: one input at s = 1 (``E x_1 x_1^* = I``), ``x_s = 0`` afterwards, so
        ``h_t = W^(t-1) x_1`` and ``(1/n) E||h_t||^2 = e_{t-1}(n)``.

    Returns
    -------
    float or ndarray
        The energy (0 at t = 0); ``inf`` beyond the float64 range (use the log version).

    Notes
    -----
    The white-input energy is t for W replaced by an infinite-width Glorot matrix at fixed t
    (e_k -> 1), the impulse energy 1; both depart from these once t ~ sqrt(n). Exactness,
    method and accuracy: :func:`frobenius_energy`.

    Examples
    --------
    >>> from rmtedge.recurrent.energy import hidden_state_energy
    >>> float(hidden_state_energy(10, 3, field="complex"))   # e_0 + e_1 + e_2 = 1 + 1 + 1.01
    3.01
    >>> float(hidden_state_energy(10, 3, field="complex", input="impulse"))   # e_2
    1.01
    """
    input = check_choice(input, "input", _INPUTS)
    nb, tb, tables = _per_n(n, t, field, "t", 1)
    out = np.empty(nb.shape)
    for nv, (_, val) in tables.items():
        sel = nb == nv
        series = val if input == "impulse" else np.cumsum(val)  # index t - 1
        out[sel] = np.concatenate(([0.0], series))[tb[sel]]
    return _ret(out)


# -- Monte Carlo, exact in law: the reduced Hessenberg block ------------------------------

#: random numbers per chunk of the sampler (memory: 8 bytes each, twice for complex)
_CHUNK_NUMBERS = 1 << 21


def _draw_block(n: int, K: int, field: str, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Packed leading (K+1) x K blocks of the Glorot-scaled Hessenberg model (section 5 of theory)."""
    M = K * (K + 1) // 2
    scale = 1.0 / math.sqrt(n)
    upper = standard_gaussian(rng, (count, M), field=field, scale=scale)
    sub = np.zeros((count, K))
    dof = n - 1 - np.arange(K)  # H[j+1, j] ~ chi_{n-1-j} (real), sqrt(Gamma(n-1-j)) (complex)
    live = int(np.count_nonzero(dof > 0))
    if live:
        d = dof[:live].astype(np.float64)
        if field == "real":
            sub[:, :live] = np.sqrt(rng.chisquare(d, size=(count, live)))
        else:
            sub[:, :live] = np.sqrt(rng.standard_gamma(d, size=(count, live)))
        sub *= scale
    return upper, sub


def energy_samples(
    n: int,
    k_max: int,
    *,
    field: str = "real",
    size: Any = None,
    rng: Any = None,
    log: bool = False,
) -> np.ndarray:
    """Samples of ||W^k e_1||^2, k = 0..k_max, exact in law, at a cost independent of n.

    Parameters
    ----------
    n : int
        Width, ``n >= 1``.
    k_max : int
        Largest power, ``k_max >= 0``.
    field : {"real", "complex"}
        Real or complex Glorot ``W = G/sqrt(n)``.
    size : None, int or tuple of int
        Batch shape of independent samples.
    rng : None, int, SeedSequence or Generator
        Randomness (normalised by ``check_rng``).
    log : bool
        Return ``log ||W^k e_1||^2`` instead (free of overflow for any k).

    Returns
    -------
    ndarray, shape ``size + (k_max + 1,)``
        Column k holds ``||W^k e_1||^2`` (column 0 is 1). For each k, its mean is
        ``(1/n) E||W^k||_F^2 = e_k(n)`` (W is unitarily invariant, so e_1 may replace any
        isotropic unit input); the k columns of one row come from the same matrix.

    Notes
    -----
    The Householder reduction ``G = Q H Q^*`` with ``Q e_1 = e_1`` gives
    ``||G^k e_1|| = ||H^k e_1||``, where H is upper Hessenberg with independent entries: N(0,1)
    (complex: CN(0,1), E|h|^2 = 1) on and above the diagonal and ``h_{j+1,j} ~ chi_{n-j}``
    (complex: ``sqrt(Gamma(n-j, 1))``) below it (Hessenberg model: e.g. Edelman & Rao, Acta
    Numerica 2005). ``H^k e_1`` only involves the leading (k+1) x k block, so one block of
    size (k_max+1) x k_max gives all k <= k_max: ``k_max (k_max+1)/2`` Gaussians, ``k_max``
    chi variates and about ``k_max^3/6`` multiply-adds per sample, whatever n is (for
    ``k_max >= n`` the subdiagonal entries ``chi_0`` are 0 and the block is the whole matrix).
    The variates are drawn from ``rng`` in Python (per chunk: the upper entries, then the
    subdiagonal) and passed to a pure compiled kernel. The mean is dominated by rare samples
    once k >~ 2 sqrt(n): summarise with :func:`energy_summary` (median and mean of logs).

    Examples
    --------
    >>> from rmtedge.recurrent.energy import energy_samples
    >>> s = energy_samples(10**5, 3, field="complex", size=20000, rng=1)
    >>> s.shape
    (20000, 4)
    >>> bool(abs(s[:, 2].mean() - 1.0) < 0.05)    # e_2(n) = 1 + 1/n^2
    True
    """
    n = check_n(n)
    k_max = check_int(k_max, "k_max", minimum=0)
    field = check_field(field)
    shape = check_size(size)
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"log must be a bool, got {type(log).__name__}")
    gen = check_rng(rng)
    count = math.prod(shape)
    out = np.zeros((count, k_max + 1))
    if k_max > 0 and count:
        per = max(1, k_max * (k_max + 1) // 2 * (2 if field == "complex" else 1) + k_max)
        chunk = max(1, _CHUNK_NUMBERS // per)
        for c0 in range(0, count, chunk):
            c1 = min(count, c0 + chunk)
            upper, sub = _draw_block(n, k_max, field, c1 - c0, gen)
            _ek.reduced_log_norms(upper, sub, out[c0:c1])
    if not log:
        with np.errstate(over="ignore"):
            out = np.exp(out)
    return out.reshape((*shape, k_max + 1))


@dataclass(frozen=True)
class EnergySummary:
    """Summary of energy samples along the sample axis (see :func:`energy_summary`).

    Attributes
    ----------
    count : int
        Number of samples.
    mean, mean_stderr : ndarray
        Sample mean of the energy and its standard error (sample sd / sqrt(count)); the mean is
        carried by rare samples once k >~ 2 sqrt(n), where the standard error is unreliable.
    median : ndarray
        Sample median of the energy.
    mean_log, mean_log_stderr : ndarray
        Mean of ``log`` energy and its standard error (a light-tailed statistic).
    log_mean : ndarray
        ``log`` of the sample mean, computed stably from the logs (finite even past 1.8e308).
    """

    count: int
    mean: np.ndarray
    mean_stderr: np.ndarray
    median: np.ndarray
    mean_log: np.ndarray
    mean_log_stderr: np.ndarray
    log_mean: np.ndarray


def energy_summary(samples: Any, *, log: bool = False) -> EnergySummary:
    """Mean (with standard error), median and log-moments of energy samples along axis 0..-2.

    Parameters
    ----------
    samples : array_like, shape ``size + (K + 1,)``
        Output of :func:`energy_samples` (all leading axes are samples).
    log : bool
        Whether ``samples`` holds log energies (``energy_samples(..., log=True)``).

    Returns
    -------
    EnergySummary
    """
    if samples is None or isinstance(samples, (str, bytes)):
        raise TypeError(f"samples must be an array of real numbers, got {samples!r:.60}")
    try:
        arr = np.asarray(samples, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"samples must be an array of real numbers, got {samples!r:.60}") from exc
    if arr.ndim < 2:
        raise ValueError("samples must have shape size + (K + 1,) with at least one sample axis")
    logs = arr.reshape(-1, arr.shape[-1])
    if not log:
        with np.errstate(divide="ignore"):
            logs = np.log(logs)
    m = logs.shape[0]
    if m < 2:
        raise ValueError("samples must hold at least two samples")
    from scipy.special import logsumexp

    log_mean = logsumexp(logs, axis=0) - math.log(m)
    with np.errstate(over="ignore", invalid="ignore"):
        vals = np.exp(logs)
        mean = vals.mean(axis=0)
        se = vals.std(axis=0, ddof=1) / math.sqrt(m)
    return EnergySummary(
        count=m,
        mean=mean,
        mean_stderr=se,
        median=np.median(vals, axis=0),
        mean_log=logs.mean(axis=0),
        mean_log_stderr=logs.std(axis=0, ddof=1) / math.sqrt(m),
        log_mean=log_mean,
    )
