"""Linear recurrences driven by random matrices: hidden states ``h_t`` and powers ``W^k x``.

The setting of Bar et al. (arXiv:2505.19827, Section 2) is the linear recurrence

    h_t = W h_{t-1} + x_t,   h_0 = 0,   so   h_t = sum_{k=0}^{t-1} W^k x_{t-k},

with ``W`` a (possibly rescaled) Glorot matrix. Two public simulators live here:

* :func:`simulate_hidden_states` streams ``||h_t||`` for many matrices and input sequences;
* :func:`power_norms` streams ``||W^k x||`` and, on request, the Frobenius energy
  ``(1/n) ||W^k||_F^2``.

Design (shared by both)
-----------------------
* **BLAS-3.** The ``p`` input realizations of one matrix are the columns of an ``n x p`` state
  block ``H``; one step is ``H <- W @ H + X_t``, a matrix-matrix product, done for a batch of
  matrices with one :func:`numpy.matmul` call. The input addition and the squared column norms
  are fused in one pass by a numba kernel (``rmtedge/_recurrence_kernels.py``).
* **Streaming.** Only ``log ||h_t||`` at the requested ``times`` is stored (``n_matrices x
  n_inputs x len(times)`` numbers); states are kept only with ``keep=True``.
* **No overflow.** Each column carries a power-of-two exponent ``E`` (state ``= 2**E * H``); a
  column whose norm leaves ``[2**-300, 2**300]`` is renormalised exactly (multiplication by a
  power of two). Norms are therefore stored as logs and stay finite when ``||h_t||`` exceeds
  ``1e308`` (Glorot recurrences at ``t >> sqrt(n)`` do), and ``W^k x`` does not underflow for
  contracting ``W``. While no column is renormalised the arithmetic is the plain recurrence.
* **Randomness.** ``rng`` is normalised once; one child generator is spawned per matrix
  (:meth:`numpy.random.Generator.spawn`) and draws that matrix (when sampled) and then its
  inputs, time chunk by time chunk. Results for matrix ``j`` therefore do not depend on the
  chunk length, on how matrices are batched, or on ``n_matrices`` (the first ``m`` matrices of
  a run with ``n_matrices > m`` are the run with ``n_matrices = m``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import logsumexp

from .._core.checks import (
    check_field,
    check_int,
    check_n,
    check_nonneg_int_array,
    check_positive_float,
    check_probability,
    check_rng,
)
from .._core.gaussian import standard_gaussian
from ..ensembles.samplers import ginibre
from ._simulate_kernels import (
    HI_SUMSQ,
    LO_SUMSQ,
    add_inputs_sumsq,
    record_log_norms,
    sumsq_columns,
    transpose_inputs,
)

__all__ = ["HiddenStateTrace", "PowerTrace", "power_norms", "simulate_hidden_states"]

# Memory budgets (bytes) that set the matrix batch and the time chunk of pre-drawn inputs.
_MATRIX_BATCH_BYTES = 32 * 2**20
_INPUT_CHUNK_BYTES = 8 * 2**20
_E_MIN_DRIVEN = -960  # lower bound of the column exponent when inputs are added (see below)
_DEFAULT_N_INPUTS = 50  # the paper's Figures 1-2 average over 50 input realizations


# ---------------------------------------------------------------------------------------------
# result objects
# ---------------------------------------------------------------------------------------------
def _quantiles_from_logs(log_norms: np.ndarray, levels: tuple[float, ...]) -> np.ndarray:
    """numpy's 'linear' quantiles of ``exp(log_norms)`` over axes (0, 1), exact at inf.

    Sorting is done on the logs (monotone); interpolation between the two bracketing order
    statistics is done on the norms, so the result equals ``numpy.quantile(norms)`` whenever
    the norms are finite, and is ``inf`` (not NaN) when it interpolates towards an overflowed
    norm with positive weight.
    """
    L = log_norms.shape[-1]
    flat = np.sort(log_norms.reshape(-1, L), axis=0)
    count = flat.shape[0]
    out = np.empty((len(levels), L))
    if count == 0:
        out.fill(np.nan)
        return out
    with np.errstate(over="ignore"):
        vals = np.exp(flat)
    for i, q in enumerate(levels):
        h = (count - 1) * q
        lo = math.floor(h)
        frac = h - lo
        hi = min(lo + 1, count - 1)
        a = vals[lo]
        if frac == 0.0:
            out[i] = a
        else:
            b = vals[hi]
            with np.errstate(invalid="ignore", over="ignore"):
                out[i] = np.where(np.isinf(b) & (b > 0), np.inf, a + (b - a) * frac)
    # NaN in the data propagates (numpy semantics)
    out[:, np.isnan(log_norms).any(axis=(0, 1))] = np.nan
    return out


class _NormSummaries:
    """Summaries over realizations (matrices x inputs) shared by the trace classes."""

    log_norms: np.ndarray
    n: int
    quantile_levels: tuple[float, ...]

    @property
    def norms(self) -> np.ndarray:
        """Norms, shape ``(n_matrices, n_inputs, n_steps)`` (``inf`` beyond float range)."""
        with np.errstate(over="ignore"):
            return np.exp(self.log_norms)

    @property
    def n_realizations(self) -> int:
        """Number of realizations ``n_matrices * n_inputs`` the summaries pool."""
        return int(self.log_norms.shape[0] * self.log_norms.shape[1])

    def _log_count(self) -> float:
        return math.log(self.n_realizations) if self.n_realizations else math.nan

    @property
    def mean(self) -> np.ndarray:
        """Mean norm over all realizations, per step (computed in log space)."""
        with np.errstate(over="ignore"):
            return np.exp(logsumexp(self.log_norms, axis=(0, 1)) - self._log_count())

    @property
    def median(self) -> np.ndarray:
        """Median norm over all realizations, per step."""
        return _quantiles_from_logs(self.log_norms, (0.5,))[0]

    @property
    def quantiles(self) -> np.ndarray:
        """Norm quantiles at ``quantile_levels``, shape ``(len(quantile_levels), n_steps)``."""
        return _quantiles_from_logs(self.log_norms, self.quantile_levels)

    @property
    def mean_log_norm(self) -> np.ndarray:
        """Log-moment ``E log ||.||`` per step (robust to the heavy upper tail)."""
        return np.mean(self.log_norms, axis=(0, 1))

    @property
    def log_energy(self) -> np.ndarray:
        """``log`` of the energy (mean of ``||.||^2 / n``), finite even beyond float range."""
        return logsumexp(2.0 * self.log_norms, axis=(0, 1)) - self._log_count() - math.log(self.n)

    @property
    def energy(self) -> np.ndarray:
        """Energy: mean over realizations of ``||.||^2 / n``, per step."""
        with np.errstate(over="ignore"):
            return np.exp(self.log_energy)


@dataclass(frozen=True, eq=False)
class HiddenStateTrace(_NormSummaries):
    """Result of :func:`simulate_hidden_states`.

    Attributes
    ----------
    times : ndarray of int, shape (L,)
        Sorted recorded times ``t`` (``h_0 = 0`` if 0 is among them).
    log_norms : ndarray, shape (n_matrices, n_inputs, L)
        ``log ||h_t||`` (``-inf`` for a zero state). The primary record: it never overflows.
    n : int
        State dimension.
    quantile_levels : tuple of float
        Levels of :attr:`quantiles`.
    states : ndarray or None
        With ``keep=True``: ``h_t`` at the recorded times, shape
        ``(n_matrices, n_inputs, L, n)``; otherwise None.

    Summaries pool the ``n_matrices * n_inputs`` realizations at each recorded time:
    ``norms``, ``mean``, ``median``, ``quantiles``, ``mean_log_norm``, ``energy``
    (``mean ||h_t||^2 / n``) and ``log_energy``.
    """

    times: np.ndarray
    log_norms: np.ndarray
    n: int
    quantile_levels: tuple[float, ...]
    states: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class PowerTrace(_NormSummaries):
    """Result of :func:`power_norms`.

    Attributes
    ----------
    times : ndarray of int, shape (L,)
        Sorted recorded powers ``k`` (the steps ``t`` of the homogeneous recurrence
        ``h_t = W h_{t-1}``, ``h_0 = x``); ``ks`` is the same array under its old name.
    log_norms : ndarray, shape (n_matrices, n_inputs, L)
        ``log ||W^k x||``.
    n : int
        Dimension.
    quantile_levels : tuple of float
        Levels of :attr:`quantiles`.
    log_frobenius_energy : ndarray or None
        With ``frobenius=True``: ``log((1/n) ||W^k||_F^2)``, shape ``(n_matrices, L)``.
    states : ndarray or None
        With ``keep=True``: ``W^k x``, shape ``(n_matrices, n_inputs, L, n)``.

    Summaries as in :class:`HiddenStateTrace` (``energy`` is the mean of
    ``||W^k x||^2 / n``), plus ``frobenius_energy`` and ``mean_frobenius_energy``.
    """

    times: np.ndarray
    log_norms: np.ndarray
    n: int
    quantile_levels: tuple[float, ...]
    log_frobenius_energy: np.ndarray | None = None
    states: np.ndarray | None = None

    @property
    def ks(self) -> np.ndarray:
        """The recorded powers, :attr:`times` under the name used before rmtedge 0.3."""
        return self.times

    @property
    def frobenius_energy(self) -> np.ndarray | None:
        """``(1/n) ||W^k||_F^2`` per matrix, shape ``(n_matrices, L)`` (None if not computed)."""
        if self.log_frobenius_energy is None:
            return None
        with np.errstate(over="ignore"):
            return np.exp(self.log_frobenius_energy)

    @property
    def mean_frobenius_energy(self) -> np.ndarray | None:
        """Mean over matrices of ``(1/n) ||W^k||_F^2``, an estimate of ``(1/n) E||W^k||_F^2``."""
        if self.log_frobenius_energy is None:
            return None
        m = self.log_frobenius_energy.shape[0]
        with np.errstate(over="ignore"):
            return np.exp(logsumexp(self.log_frobenius_energy, axis=0) - math.log(m))


# ---------------------------------------------------------------------------------------------
# argument handling
# ---------------------------------------------------------------------------------------------
def _check_levels(quantiles: Any) -> tuple[float, ...]:
    if np.ndim(quantiles) == 0:
        quantiles = (quantiles,)
    return tuple(check_probability(q, "quantiles", open_interval=False) for q in quantiles)


def _check_steps(steps: Any, name: str, horizon: int, horizon_name: str, first: int) -> np.ndarray:
    if steps is None:
        return np.arange(first, horizon + 1, dtype=np.int64)
    arr = check_nonneg_int_array(steps, name)
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a 1-D sequence of integers, got shape {arr.shape}")
    arr = np.unique(np.atleast_1d(arr))
    if arr.size and arr[-1] > horizon:
        raise ValueError(f"{name} must be <= {horizon_name} = {horizon}, got {int(arr[-1])}")
    return arr


def _check_matrices(
    W: Any, n: Any, field: Any, n_matrices: Any, scale_factor: Any
) -> tuple[np.ndarray | None, int, int, str, float]:
    """Return (W stack or None, n, m, field, scale_factor)."""
    scale_factor = check_positive_float(scale_factor, "scale_factor")
    if W is None:
        if n is None:
            raise TypeError("pass either W (the matrices) or n (to sample Glorot matrices)")
        n = check_n(n)
        field = "real" if field is None else check_field(field)
        m = 1 if n_matrices is None else check_int(n_matrices, "n_matrices", minimum=1)
        return None, n, m, field, scale_factor
    arr = np.asarray(W)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or np.issubdtype(arr.dtype, np.complexfloating)
    ):
        raise TypeError(f"W must be a real or complex numeric array, got dtype {arr.dtype}")
    if arr.ndim not in (2, 3):
        raise ValueError(f"W must have shape (n, n) or (n_matrices, n, n), got {arr.shape}")
    if arr.shape[-1] != arr.shape[-2] or arr.shape[-1] == 0:
        raise ValueError(f"W must be square (shape (..., n, n) with n >= 1), got {arr.shape}")
    if arr.ndim == 2:
        arr = arr[None]
    wn, m = arr.shape[-1], arr.shape[0]
    if m == 0:
        raise ValueError("W must hold at least one matrix")
    if n is not None and check_n(n) != wn:
        raise ValueError(f"n = {n} does not match W of shape {np.shape(W)}")
    if n_matrices is not None and check_int(n_matrices, "n_matrices", minimum=1) != m:
        raise ValueError(f"n_matrices = {n_matrices} does not match W of shape {np.shape(W)}")
    cplx = np.iscomplexobj(arr)
    if field is None:
        field = "complex" if cplx else "real"
    else:
        field = check_field(field)
    dtype = np.complex128 if cplx else np.float64
    arr = np.array(arr, dtype=dtype, order="C", copy=True)
    if scale_factor != 1.0:
        arr /= scale_factor
    return arr, wn, m, field, scale_factor


def _matrix_batch(n: int, m: int, q: int, itemsize: int) -> int:
    per = (n * n + 2 * n * q) * itemsize
    return max(1, min(m, _MATRIX_BATCH_BYTES // max(per, 1)))


class _Sampled:
    """Glorot matrices drawn on demand, one child generator per matrix."""

    def __init__(self, n: int, field: str, scale_factor: float, gens: list) -> None:
        self.n, self.field, self.scale_factor, self.gens = n, field, scale_factor, gens

    def batch(self, j0: int, j1: int) -> np.ndarray:
        dtype = np.complex128 if self.field == "complex" else np.float64
        out = np.empty((j1 - j0, self.n, self.n), dtype=dtype)
        for j in range(j0, j1):
            out[j - j0] = ginibre(self.n, field=self.field, scale="glorot", rng=self.gens[j])
        if self.scale_factor != 1.0:
            out /= self.scale_factor
        return out


class _Given:
    def __init__(self, W: np.ndarray) -> None:
        self.W = W

    def batch(self, j0: int, j1: int) -> np.ndarray:
        return self.W[j0:j1]


# ---------------------------------------------------------------------------------------------
# input sources: each yields blocks X of shape (1 or mb, chunk, n, p) plus a real factor
# ---------------------------------------------------------------------------------------------
class _GaussianInputs:
    """i.i.d. N(0, 1) (real) or CN(0, 1) (complex, E|x|^2 = 1) entries, drawn chunk-wise."""

    def __init__(self, n: int, p: int, complex_: bool, gens: list, T: int) -> None:
        self.n, self.p, self.complex_, self.gens, self.T = n, p, complex_, gens, T
        self.xbase = 1.0 / math.sqrt(2.0) if complex_ else 1.0

    def chunk_len(self, mb: int) -> int:
        per = mb * self.n * self.p * (16 if self.complex_ else 8)
        return max(1, min(self.T, _INPUT_CHUNK_BYTES // max(per, 1)))

    def start(self, j0: int, j1: int) -> None:
        self.j0 = j0
        c = self.chunk_len(j1 - j0)
        shape = (j1 - j0, c, self.n, self.p) + ((2,) if self.complex_ else ())
        self.buf = np.empty(shape)
        self.view = self.buf.view(np.complex128)[..., 0] if self.complex_ else self.buf
        self.clen = c

    def fill(self, t0: int, t1: int) -> np.ndarray:
        L = t1 - t0
        for j in range(self.buf.shape[0]):
            self.gens[self.j0 + j].standard_normal(out=self.buf[j, :L])
        return self.view


class _ArrayInputs:
    """User inputs of shape (p, T', n), T' >= T, shared by all matrices; copied chunk-wise
    into the (time, coordinate, input) layout of the engine."""

    def __init__(self, arr: np.ndarray, n: int, T: int) -> None:
        self.arr, self.n, self.T = np.ascontiguousarray(arr), n, T
        self.p = arr.shape[0]
        self.xbase = 1.0

    def start(self, j0: int, j1: int) -> None:
        per = self.n * self.p * self.arr.itemsize
        self.clen = max(1, min(self.T, _INPUT_CHUNK_BYTES // max(per, 1)))
        self.buf = np.empty((1, self.clen, self.n, self.p), dtype=self.arr.dtype)

    def fill(self, t0: int, t1: int) -> np.ndarray:
        # x_t is arr[:, t - 1, :]; the returned block starts at time t0
        transpose_inputs(self.arr, t0 - 1, t1 - t0, self.buf)
        return self.buf


class _CallableInputs:
    """``inputs(t)`` -> x_t broadcastable to (n_inputs, n) or (n_matrices, n_inputs, n)."""

    def __init__(self, fn: Callable, n: int, p: int, m: int, complex_: bool) -> None:
        self.fn, self.n, self.p, self.m, self.complex_ = fn, n, p, m, complex_
        self.xbase = 1.0

    def start(self, j0: int, j1: int) -> None:
        self.clen = 1
        dtype = np.complex128 if self.complex_ else np.float64
        self.buf = np.empty((self.m, 1, self.n, self.p), dtype=dtype)

    def fill(self, t0: int, t1: int) -> np.ndarray:
        x = np.asarray(self.fn(t0))
        if np.iscomplexobj(x) and not self.complex_:
            raise TypeError(
                "inputs returned complex values for a real recurrence; pass field='complex'"
            )
        if x.dtype == np.bool_ or not np.issubdtype(x.dtype, np.number):
            raise TypeError(f"inputs must return numbers, got dtype {x.dtype}")
        try:
            xb = np.broadcast_to(x, (self.m, self.p, self.n))
        except ValueError:
            raise ValueError(
                f"inputs(t) must return an array broadcastable to (n_inputs, n) = "
                f"({self.p}, {self.n}) or (n_matrices, n_inputs, n), got shape {x.shape}"
            ) from None
        np.copyto(self.buf[:, 0], xb.transpose(0, 2, 1))
        return self.buf


# ---------------------------------------------------------------------------------------------
# the engine
# ---------------------------------------------------------------------------------------------
def _matmul(W: np.ndarray, H: np.ndarray, out: np.ndarray) -> None:
    if np.iscomplexobj(H) and not np.iscomplexobj(W):
        # real W times complex H: one real GEMM on the interleaved (re, im) view
        np.matmul(W, H.view(np.float64), out=out.view(np.float64))
    else:
        np.matmul(W, H, out=out)


def _renormalise(Y: np.ndarray, sumsq: np.ndarray, E: np.ndarray, e_min: int | None = None) -> None:
    """Scale out-of-range columns by a power of two (exact) and update E and sumsq in place.

    ``e_min`` (driven recurrences) bounds E from below: inputs enter multiplied by ``2**-E``,
    which must stay finite. A state that would need ``E < e_min`` is below ``2**(e_min - 300)``
    relative to unit inputs and is left to underflow instead.
    """
    bad = ~((sumsq <= HI_SUMSQ) & ((sumsq >= LO_SUMSQ) | (sumsq == 0.0)))
    if np.any(np.isinf(sumsq) & bad):
        # the squared norm overflowed although the entries are finite: rescale by the max entry
        with np.errstate(invalid="ignore"):
            big = np.max(np.abs(Y), axis=1)
        sel = np.isinf(sumsq) & np.isfinite(big) & (big > 0)
        e = np.where(sel, np.frexp(np.where(sel, big, 1.0))[1], 0)
        Y *= np.ldexp(1.0, -e)[:, None, :]
        E += e
        sumsq_columns(Y, sumsq)
        bad = ~((sumsq <= HI_SUMSQ) & ((sumsq >= LO_SUMSQ) | (sumsq == 0.0)))
    bad &= np.isfinite(sumsq) & (sumsq > 0)
    if not np.any(bad):
        return
    with np.errstate(divide="ignore"):
        e = np.where(bad, np.round(0.5 * np.log2(np.where(bad, sumsq, 1.0))), 0.0).astype(np.int64)
    if e_min is not None:
        e = np.maximum(e, np.minimum(e_min - E, 0))
    Y *= np.ldexp(1.0, -e)[:, None, :]
    sumsq *= np.ldexp(1.0, -2 * e)
    E += e


def _true_states(Y: np.ndarray, E: np.ndarray) -> np.ndarray:
    """``2**E * Y`` column-wise, shape (mb, q, n); exact, overflow to inf, zeros stay zero."""
    with np.errstate(over="ignore"):
        if np.iscomplexobj(Y):
            out = np.empty(Y.shape, dtype=Y.dtype)
            out.real = np.ldexp(Y.real, E[:, None, :])
            out.imag = np.ldexp(Y.imag, E[:, None, :])
        else:
            out = np.ldexp(Y, E[:, None, :])
    return np.ascontiguousarray(out.transpose(0, 2, 1))


def _run(
    matrices: Any,
    m: int,
    n: int,
    q: int,
    dtype: Any,
    horizon: int,
    record: np.ndarray,
    init: Callable[[int, int], np.ndarray] | None,
    source: Any,
    keep: int,
    batch: int,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Iterate ``H <- W @ H (+ X_t)`` for ``horizon`` steps; return log column norms at
    ``record`` (shape (m, q, L)) and, if ``keep`` > 0, the first ``keep`` columns' states."""
    L = record.size
    logn = np.empty((m, q, L))
    states = np.empty((m, keep, L, n), dtype=dtype) if keep else None
    for j0 in range(0, m, batch):
        j1 = min(m, j0 + batch)
        mb = j1 - j0
        Wb = matrices.batch(j0, j1)
        H = np.zeros((mb, n, q), dtype=dtype) if init is None else init(j0, j1)
        Y = np.empty_like(H)
        E = np.zeros((mb, q), dtype=np.int64)
        sumsq = np.empty((mb, q))
        if sumsq_columns(H, sumsq):
            _renormalise(H, sumsq, E)
        ptr = 0
        if L and record[0] == 0:
            record_log_norms(sumsq, E, logn[j0:j1, :, 0])
            if keep:
                states[j0:j1, :, 0] = _true_states(H[:, :, :keep], E[:, :keep])
            ptr = 1
        if source is not None:
            source.start(j0, j1)
            xscale = np.full((mb, q), source.xbase)
            t_chunk_end = 0
        last = int(record[-1]) if L else 0
        for t in range(1, last + 1):
            _matmul(Wb, H, Y)
            if source is not None:
                if t > t_chunk_end:
                    t_chunk_start = t
                    t_chunk_end = min(horizon, t + source.clen - 1)
                    X = source.fill(t_chunk_start, t_chunk_end + 1)
                flag = add_inputs_sumsq(Y, X, t - t_chunk_start, xscale, sumsq)
            else:
                flag = sumsq_columns(Y, sumsq)
            if flag:
                _renormalise(Y, sumsq, E, None if source is None else _E_MIN_DRIVEN)
                if source is not None:
                    xscale = source.xbase * np.ldexp(1.0, -E)
            H, Y = Y, H
            if t == record[ptr]:
                record_log_norms(sumsq, E, logn[j0:j1, :, ptr])
                if keep:
                    states[j0:j1, :, ptr] = _true_states(H[:, :, :keep], E[:, :keep])
                ptr += 1
    return logn, states


# ---------------------------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------------------------
def simulate_hidden_states(
    W: Any = None,
    *,
    n: int | None = None,
    field: str | None = None,
    T: int,
    inputs: Any = None,
    n_matrices: int | None = None,
    n_inputs: int | None = None,
    times: Any = None,
    quantiles: Any = (0.1, 0.5, 0.9),
    keep: bool = False,
    rng: Any = None,
    scale_factor: float = 1.0,
) -> HiddenStateTrace:
    """Norms of the hidden states of the linear recurrence ``h_t = W h_{t-1} + x_t``.

    Implements the recurrence of Bar et al. (2025), Section 2 (``h_0 = 0``,
    ``h_t = sum_{k<t} W^k x_{t-k}``), for many matrices and input sequences at once, and
    records ``||h_t||`` at the requested times.

    Parameters
    ----------
    W : array_like, optional
        Recurrence matrix ``(n, n)`` or stack ``(n_matrices, n, n)`` (real or complex; computed
        in float64/complex128). If omitted, ``n_matrices`` Glorot matrices of dimension ``n``
        and field ``field`` are sampled with :func:`rmtedge.ginibre`.
    n : int, optional
        Dimension (required when ``W`` is omitted; checked against ``W`` otherwise).
    field : {"real", "complex"}, optional
        Field of the sampled matrices and of the default inputs. Default: ``"real"`` when
        sampling, and the field of ``W`` (complex iff ``W`` is complex) when ``W`` is given.
    T : int
        Horizon, ``T >= 0``.
    inputs : None, array_like or callable, optional
        * None (default): i.i.d. standard Gaussian inputs, ``N(0, 1)`` entries (real field) or
          ``CN(0, 1)`` entries with ``E|x|^2 = 1`` (complex field), independent across
          matrices, inputs and times, drawn chunk-wise (memory independent of ``T``).
        * array of shape ``(T', n)`` (one sequence) or ``(n_inputs, T', n)`` with ``T' >= T``:
          ``x_t = inputs[..., t - 1, :]``, the same sequences for every matrix.
        * callable ``inputs(t)`` returning ``x_t`` broadcastable to ``(n_inputs, n)`` or
          ``(n_matrices, n_inputs, n)``; called exactly once per step, ``t = 1, ..., max(times)``
          in order (all matrices are then processed in one batch).
    n_matrices : int, optional
        Number of sampled matrices (default 1; inferred from ``W`` when given).
    n_inputs : int, optional
        Input realizations per matrix (default 50 for Gaussian inputs, as in the paper's
        figures; 1 for a callable; inferred from an array).
    times : sequence of int, optional
        Times ``0 <= t <= T`` at which ``||h_t||`` is recorded (sorted, duplicates dropped).
        Default: every ``t = 1, ..., T``. The recursion stops at ``max(times)``.
    quantiles : sequence of float
        Levels in ``[0, 1]`` of the :attr:`~HiddenStateTrace.quantiles` summary.
    keep : bool
        Also return the states ``h_t`` at the recorded times (memory
        ``n_matrices * n_inputs * len(times) * n`` numbers).
    rng : None, int, SeedSequence or numpy.random.Generator
        Randomness (matrices and inputs); see the module notes for the stream layout.
    scale_factor : float
        The recurrence uses ``W / scale_factor`` (given or sampled ``W``); e.g.
        ``scale_factor=rmtedge.rescale_factor(n, field=...)`` simulates rescaled Glorot.

    Returns
    -------
    HiddenStateTrace
        ``times``, ``log_norms`` ``(n_matrices, n_inputs, len(times))``, ``norms``, and the
        summaries over realizations ``mean``, ``median``, ``quantiles``, ``mean_log_norm``,
        ``energy`` (mean of ``||h_t||^2 / n``); ``states`` with ``keep=True``.

    Raises
    ------
    ValueError
        ``T < 0``, a time outside ``[0, T]``, non-square ``W``, inconsistent shapes.
    TypeError
        Neither ``W`` nor ``n`` given; non-integer ``T``/``times``; non-numeric ``W``.

    Notes
    -----
    One step is ``H <- W H + X_t`` on the ``n x n_inputs`` block of states of each matrix (one
    BLAS-3 product per step for a batch of matrices), followed by one fused pass adding the
    inputs and accumulating squared column norms (numba). Cost ``2 n^2 n_inputs`` real flops
    per step and matrix (four times that for complex ``W``); real ``W`` with complex states
    uses one real GEMM on the interleaved real/imaginary view.

    Accuracy: each step has the rounding error of a matrix product (``~ n eps ||W|| ||h||``);
    the recurrence itself amplifies errors like ``||W^k||``, i.e. exactly as it amplifies the
    inputs, so relative accuracy of ``||h_t||`` is that of a backward-stable product
    sequence. Norms are kept as logarithms with an exact power-of-two renormalisation of each
    state column, so there is no overflow or underflow at any ``t`` (``||h_t||`` beyond
    ``1e308`` is reported through ``log_norms``/``log_energy``; ``norms``, ``mean``, ``energy``
    are then ``inf``). For Glorot ``W`` the mean energy is dominated by rare matrices once
    ``t >~ 2 sqrt(n)`` (``docs/theory.md``, "Moments, the growth bound and the instability threshold"): use ``median`` or ``mean_log_norm`` there.

    Memory: one batch of matrices (about 32 MiB), two ``n x n_inputs`` state blocks per
    matrix, an input chunk of at most 8 MiB, and the record, ``8 * n_matrices * n_inputs *
    len(times)`` bytes: pass sparse ``times`` for long horizons.

    For isotropic i.i.d. inputs ``E ||h_t||^2 / n = sum_{k<t} (1/n) E ||W^k||_F^2``, which
    :func:`power_norms` estimates directly.

    References
    ----------
    N. Bar, M. Seleznova, Y. Alexander, G. Kutyniok, R. Giryes, "Revisiting Glorot
    Initialization for Long-Range Linear Recurrences", arXiv:2505.19827 (2025), Section 2
    (recurrence) and Figures 1-2, 4 (the experiments this function reproduces).

    Examples
    --------
    With ``W = 0`` the state is the last input, ``h_t = x_t``:

    >>> import numpy as np, rmtedge
    >>> x = np.arange(12.0).reshape(4, 3)          # T' = 4 steps, n = 3
    >>> tr = rmtedge.simulate_hidden_states(np.zeros((3, 3)), T=4, inputs=x)
    >>> bool(np.allclose(tr.norms[0, 0], np.linalg.norm(x, axis=1)))
    True
    """
    mats, n, m, field, scale_factor = _check_matrices(W, n, field, n_matrices, scale_factor)
    T = check_int(T, "T", minimum=0)
    record = _check_steps(times, "times", T, "T", 1)
    levels = _check_levels(quantiles)
    gen = check_rng(rng)
    complex_work = field == "complex" or (mats is not None and np.iscomplexobj(mats))
    batch_all = False
    if inputs is None:
        p = _DEFAULT_N_INPUTS if n_inputs is None else check_int(n_inputs, "n_inputs", minimum=1)
        source_kind = "gaussian"
    elif callable(inputs):
        p = 1 if n_inputs is None else check_int(n_inputs, "n_inputs", minimum=1)
        source_kind = "callable"
        batch_all = True
    else:
        arr = np.asarray(inputs)
        if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"inputs must be a numeric array or a callable, got dtype {arr.dtype}")
        if arr.ndim == 2:
            arr = arr[None]
        if arr.ndim != 3 or arr.shape[-1] != n:
            raise ValueError(
                f"inputs must have shape (T, n) or (n_inputs, T, n) with n = {n}, got "
                f"{np.shape(inputs)}"
            )
        if arr.shape[1] < (int(record[-1]) if record.size else 0):
            raise ValueError(f"inputs has {arr.shape[1]} time steps, fewer than T = {T}")
        if n_inputs is not None and check_int(n_inputs, "n_inputs", minimum=1) != arr.shape[0]:
            raise ValueError(f"n_inputs = {n_inputs} does not match inputs of shape {arr.shape}")
        complex_work = complex_work or np.iscomplexobj(arr)
        arr = arr.astype(np.complex128 if np.iscomplexobj(arr) else np.float64, copy=False)
        p = arr.shape[0]
        source_kind = "array"
    keep_flag = bool(keep)
    dtype = np.complex128 if complex_work else np.float64
    gens = gen.spawn(m)
    matrices = _Given(mats) if mats is not None else _Sampled(n, field, scale_factor, gens)
    if source_kind == "gaussian":
        source: Any = _GaussianInputs(n, p, field == "complex", gens, T)
    elif source_kind == "callable":
        source = _CallableInputs(inputs, n, p, m, complex_work)
    else:
        source = _ArrayInputs(arr, n, T)
    itemsize = np.dtype(dtype).itemsize
    batch = m if batch_all else _matrix_batch(n, m, p, itemsize)
    logn, states = _run(
        matrices, m, n, p, dtype, T, record, None, source, p if keep_flag else 0, batch
    )
    return HiddenStateTrace(
        times=record, log_norms=logn, n=n, quantile_levels=levels, states=states
    )


def _renamed(new: Any, old: Any, new_name: str, old_name: str, *, required: bool = True) -> Any:
    """The value of an argument renamed from ``old_name`` to ``new_name`` (old name deprecated)."""
    if old is not None:
        if new is not None:
            raise TypeError(f"give {new_name} only ({old_name} is its deprecated name)")
        warnings.warn(
            f"{old_name}= is deprecated; use {new_name}=", DeprecationWarning, stacklevel=3
        )
        return old
    if new is None and required:
        raise TypeError(f"{new_name} is required")
    return new


def power_norms(
    W: Any = None,
    *,
    n: int | None = None,
    field: str | None = None,
    T: int | None = None,
    x: Any = None,
    n_matrices: int | None = None,
    n_inputs: int | None = None,
    times: Any = None,
    frobenius: bool = False,
    quantiles: Any = (0.1, 0.5, 0.9),
    keep: bool = False,
    rng: Any = None,
    scale_factor: float = 1.0,
    K: int | None = None,
    ks: Any = None,
) -> PowerTrace:
    """Norms ``||W^k x||`` for ``k = 0..T`` and, optionally, the energy ``(1/n)||W^k||_F^2``.

    The middle panels of Bar et al. (2025), Figures 1-2, and the quantity bounded in their
    variance statement: for isotropic ``x`` (``E x x^* = I``),
    ``E ||W^k x||^2 = E ||W^k||_F^2``; Schur's inequality gives
    ``(1/n) E ||W^k||_F^2 >= (1/n) E sum_i |lambda_i|^{2k}`` (reconstructed statement, see
    ``docs/theory.md``, "The setting of the paper", claim 4).

    Parameters
    ----------
    W : array_like, optional
        Matrix ``(n, n)`` or stack ``(n_matrices, n, n)``; sampled Glorot matrices if omitted.
    n : int, optional
        Dimension (required when ``W`` is omitted).
    field : {"real", "complex"}, optional
        As in :func:`simulate_hidden_states` (field of sampled ``W`` and of Gaussian ``x``).
    T : int
        Horizon: the largest power, ``T >= 0`` (the same name as in
        :func:`simulate_hidden_states`: ``W^t x`` is the state at step ``t`` of
        ``h_t = W h_{t-1}`` from ``h_0 = x``).
    x : array_like, optional
        Start vectors: ``(n,)``, ``(n_inputs, n)`` (shared by all matrices) or
        ``(n_matrices, n_inputs, n)``. Default: ``n_inputs`` i.i.d. standard Gaussian vectors
        (complex ``CN(0, 1)`` entries for the complex field) per matrix.
    n_matrices : int, optional
        Number of sampled matrices (default 1; inferred from ``W``).
    n_inputs : int, optional
        Number of start vectors per matrix (default 50 for Gaussian ``x``; may be 0 with
        ``frobenius=True``).
    times : sequence of int, optional
        Powers ``0 <= t <= T`` to record (default all ``t = 0..T``).
    frobenius : bool
        Also compute ``(1/n) ||W^k||_F^2`` per matrix, by iterating ``P <- W P`` from
        ``P = I`` (``n`` extra columns in the same GEMM: ``2 n^3`` flops per step).
    quantiles, keep, rng, scale_factor
        As in :func:`simulate_hidden_states` (``W / scale_factor`` is used).
    K, ks : deprecated
        The names of ``T`` and ``times`` before rmtedge 0.3; accepted with a
        ``DeprecationWarning``.

    Returns
    -------
    PowerTrace
        ``times``, ``log_norms`` ``(n_matrices, n_inputs, len(times))`` and the summaries;
        ``log_frobenius_energy``/``frobenius_energy`` ``(n_matrices, len(times))`` and
        ``mean_frobenius_energy`` with ``frobenius=True``.

    Notes
    -----
    Iterates ``X <- W X`` on the ``n x n_inputs`` block (BLAS-3), with the same exact
    power-of-two renormalisation of each column as :func:`simulate_hidden_states`: ``||W^k x||``
    neither overflows (Glorot, ``k >> sqrt(n)``) nor underflows (contracting ``W``, large
    ``k``). The Frobenius energy sums the ``n`` column norms of ``W^k`` in log space. Accuracy is
    that of repeated matrix products (relative error ``~ k n eps`` in the worst case, much
    smaller in practice); for ``k >~ 2 sqrt(n)`` the Glorot mean is dominated by rare matrices
    (report medians or ``mean_log_norm``).

    References
    ----------
    N. Bar et al., arXiv:2505.19827 (2025), Figures 1-2 (middle panels). A. Dubach and
    Y. Peled, arXiv:1904.04312 (moments ``(1/n) E||W^k||_F^2 -> 1`` for fixed ``k``).

    Examples
    --------
    ``(1/n)||W^k||_F^2`` of ``W = I/2`` is ``4^{-k}``, and ``||W^k x|| = 2^{-k} ||x||``:

    >>> import numpy as np, rmtedge
    >>> tr = rmtedge.power_norms(0.5 * np.eye(4), T=3, x=np.ones(4), frobenius=True)
    >>> bool(np.allclose(tr.frobenius_energy[0], 4.0 ** -np.arange(4)))
    True
    >>> bool(np.allclose(tr.norms[0, 0], 2.0 * 2.0 ** -np.arange(4)))
    True
    """
    mats, n, m, field, scale_factor = _check_matrices(W, n, field, n_matrices, scale_factor)
    T = _renamed(T, K, "T", "K")
    times = _renamed(times, ks, "times", "ks", required=False)
    K = check_int(T, "T", minimum=0)
    record = _check_steps(times, "times", K, "T", 0)
    levels = _check_levels(quantiles)
    frobenius = bool(frobenius)
    gen = check_rng(rng)
    complex_work = field == "complex" or (mats is not None and np.iscomplexobj(mats))
    x_arr = None
    if x is None:
        p = (
            _DEFAULT_N_INPUTS
            if n_inputs is None
            else check_int(n_inputs, "n_inputs", minimum=0 if frobenius else 1)
        )
    else:
        x_arr = np.asarray(x)
        if x_arr.dtype == np.bool_ or not np.issubdtype(x_arr.dtype, np.number):
            raise TypeError(f"x must be a numeric array, got dtype {x_arr.dtype}")
        if x_arr.ndim == 1:
            x_arr = x_arr[None, None]
        elif x_arr.ndim == 2:
            x_arr = x_arr[None]
        if x_arr.ndim != 3 or x_arr.shape[-1] != n or x_arr.shape[0] not in (1, m):
            raise ValueError(
                f"x must have shape (n,), (n_inputs, n) or (n_matrices, n_inputs, n) with "
                f"n = {n}, n_matrices = {m}; got {np.shape(x)}"
            )
        if n_inputs is not None and check_int(n_inputs, "n_inputs", minimum=0) != x_arr.shape[1]:
            raise ValueError(f"n_inputs = {n_inputs} does not match x of shape {np.shape(x)}")
        complex_work = complex_work or np.iscomplexobj(x_arr)
        p = x_arr.shape[1]
    dtype = np.complex128 if complex_work else np.float64
    q = p + (n if frobenius else 0)
    gens = gen.spawn(m)
    matrices = _Given(mats) if mats is not None else _Sampled(n, field, scale_factor, gens)
    x_complex = field == "complex"

    def init(j0: int, j1: int) -> np.ndarray:
        H = np.zeros((j1 - j0, n, q), dtype=dtype)
        if x_arr is not None:
            src = x_arr if x_arr.shape[0] == 1 else x_arr[j0:j1]
            H[:, :, :p] = np.broadcast_to(src, (j1 - j0, p, n)).transpose(0, 2, 1)
        else:
            for j in range(j0, j1):
                # drawn after the matrix from the same child generator (see module notes)
                H[j - j0, :, :p] = standard_gaussian(
                    gens[j], (n, p), field="complex" if x_complex else "real"
                )
        if frobenius:
            H[:, np.arange(n), p + np.arange(n)] = 1.0
        return H

    itemsize = np.dtype(dtype).itemsize
    batch = _matrix_batch(n, m, q, itemsize)
    keep_n = p if keep else 0
    logn, states = _run(matrices, m, n, q, dtype, K, record, init, None, keep_n, batch)
    log_frob = None
    if frobenius:
        with np.errstate(divide="ignore"):
            log_frob = logsumexp(2.0 * logn[:, p:, :], axis=1) - math.log(n)
    return PowerTrace(
        times=record,
        log_norms=np.ascontiguousarray(logn[:, :p, :]),
        n=n,
        quantile_levels=levels,
        log_frobenius_energy=log_frob,
        states=states,
    )
