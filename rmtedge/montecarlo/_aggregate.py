"""Order-independent, bit-reproducible aggregation of per-chunk Monte Carlo results.

Each chunk is reduced to ``(count, mean, M2)`` (two-pass, in float64) plus a quantile sketch.
Chunks may arrive in any order; they are folded into the running totals strictly in chunk-index
order (out-of-order arrivals wait in a buffer keyed by index), with the pairwise update of Chan,
Golub and LeVeque (1979):

    n = n_a + n_b,  d = mean_b - mean_a,
    mean = mean_a + d n_b / n,  M2 = M2_a + M2_b + d^2 n_a n_b / n.

The floating-point operations are therefore the same whatever the executor, the number of
workers, the completion order or the retries, so the results are bit-identical.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._core.jsonio import to_jsonable

__all__ = ["PointResult", "SweepResult"]

#: number of quantile points a chunk larger than this is compressed to
SKETCH_SIZE = 256


@dataclass(frozen=True)
class ChunkStats:
    """Sufficient statistics of one chunk (float64) and its quantile sketch."""

    count: int
    mean: np.ndarray
    m2: np.ndarray
    sketch_x: np.ndarray  # (k,) + value_shape
    sketch_w: np.ndarray  # (k,)

    @classmethod
    def from_values(cls, values: np.ndarray) -> ChunkStats:
        x = np.asarray(values, dtype=np.float64)
        count = x.shape[0]
        with np.errstate(invalid="ignore", over="ignore"):  # inf samples give inf/NaN moments
            mean = x.mean(axis=0)
            m2 = ((x - mean) ** 2).sum(axis=0)
        if count <= SKETCH_SIZE:
            sx = np.sort(x, axis=0)
            sw = np.ones(count)
        else:
            levels = (np.arange(SKETCH_SIZE) + 0.5) / SKETCH_SIZE
            sx = np.quantile(x, levels, axis=0, method="hazen")
            sw = np.full(SKETCH_SIZE, count / SKETCH_SIZE)
        return cls(count, np.asarray(mean), np.asarray(m2), sx, sw)


def _chan(
    a: tuple[int, np.ndarray, np.ndarray], b: ChunkStats
) -> tuple[int, np.ndarray, np.ndarray]:
    na, ma, m2a = a
    if na == 0:
        return b.count, b.mean, b.m2
    n = na + b.count
    with np.errstate(invalid="ignore", over="ignore"):
        d = b.mean - ma
        mean = ma + d * (b.count / n)
        m2 = m2a + b.m2 + d * d * (na * b.count / n)
    return n, mean, m2


def _weighted_hazen_quantile(x: np.ndarray, w: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles of the weighted points (x, w) with Hazen plotting positions.

    Point i (sorted) sits at probability ``(W_i - w_i/2)/W`` (``W_i`` the cumulative weight);
    quantiles interpolate linearly between points and are clamped at the extremes. With unit
    weights this equals ``numpy.quantile(x, q, method="hazen")``.
    """
    order = np.argsort(x, kind="stable")
    xs = x[order]
    ws = w[order]
    cum = np.cumsum(ws)
    pos = (cum - 0.5 * ws) / cum[-1]
    return np.interp(q, pos, xs)


@dataclass(frozen=True)
class PointResult:
    """Aggregated results of one grid point ``(quantity, field, method, n)``."""

    quantity: str
    field: str
    method: str
    n: int
    count: int
    mean: np.ndarray
    var: np.ndarray
    chunk_size: int
    samples: np.ndarray | None = None
    _sketch_x: np.ndarray | None = field(default=None, repr=False)
    _sketch_w: np.ndarray | None = field(default=None, repr=False)

    @property
    def stderr(self) -> np.ndarray:
        """Standard error of the mean, ``sqrt(var / count)``."""
        return np.sqrt(self.var / self.count)

    @property
    def value_shape(self) -> tuple[int, ...]:
        return tuple(np.shape(self.mean))

    def quantile(self, q: Any) -> np.ndarray:
        """Quantiles (Hazen definition): exact from the kept samples, else from the sketch."""
        qa = np.asarray(q, dtype=np.float64)
        if np.any((qa < 0) | (qa > 1)):
            raise ValueError(f"q must lie in [0, 1], got {q!r}")
        if self.samples is not None:
            r = np.quantile(np.asarray(self.samples, dtype=np.float64), qa, axis=0, method="hazen")
            # numpy puts the q axis first; rmtedge puts it right after the point axis anyway
            return np.asarray(r)
        assert self._sketch_x is not None and self._sketch_w is not None
        sx = self._sketch_x.reshape(self._sketch_x.shape[0], -1)
        cols = [
            _weighted_hazen_quantile(sx[:, j], self._sketch_w, qa.ravel())
            for j in range(sx.shape[1])
        ]
        out = np.stack(cols, axis=-1).reshape(qa.shape + self.value_shape)
        return out


class PointAccumulator:
    """Folds chunk results of one grid point in chunk-index order (see module docstring)."""

    def __init__(
        self,
        key: tuple[str, str, str, int],
        n_chunks: int,
        chunk_size: int,
        keep_samples: bool,
    ) -> None:
        self.key = key
        self.n_chunks = n_chunks
        self.chunk_size = chunk_size
        self.keep_samples = keep_samples
        self._pending: dict[int, ChunkStats] = {}
        self._pending_values: dict[int, np.ndarray] = {}
        self._next = 0
        self._state: tuple[int, Any, Any] = (0, None, None)
        self._sketch_x: list[np.ndarray] = []
        self._sketch_w: list[np.ndarray] = []
        self._samples: list[np.ndarray] = []
        self._seen: set[int] = set()
        self._value_shape: tuple[int, ...] | None = None

    @property
    def done(self) -> bool:
        return self._next == self.n_chunks

    def add(self, chunk_index: int, values: np.ndarray) -> None:
        if (
            chunk_index in self._seen
        ):  # a duplicate delivery (e.g. a retried task): identical values
            return
        shape = tuple(np.shape(values)[1:])
        if self._value_shape is None:
            self._value_shape = shape
        elif shape != self._value_shape:
            raise ValueError(
                f"grid point {self.key}: chunk {chunk_index} has values of shape {shape}, "
                f"earlier chunks {self._value_shape}"
            )
        self._seen.add(chunk_index)
        self._pending[chunk_index] = ChunkStats.from_values(values)
        if self.keep_samples:
            self._pending_values[chunk_index] = np.asarray(values)
        while self._next in self._pending:
            st = self._pending.pop(self._next)
            self._state = _chan(self._state, st)
            self._sketch_x.append(st.sketch_x)
            self._sketch_w.append(st.sketch_w)
            if self.keep_samples:
                self._samples.append(self._pending_values.pop(self._next))
            self._next += 1

    def finalize(self) -> PointResult:
        if not self.done:
            raise RuntimeError(
                f"grid point {self.key} has {self.n_chunks - self._next} missing chunks"
            )
        count, mean, m2 = self._state
        with np.errstate(invalid="ignore", divide="ignore"):
            var = m2 / (count - 1) if count > 1 else np.full_like(m2, np.nan)
        q, f, m, n = self.key
        return PointResult(
            quantity=q,
            field=f,
            method=m,
            n=n,
            count=count,
            mean=np.asarray(mean, dtype=np.float64),
            var=np.asarray(var, dtype=np.float64),
            chunk_size=self.chunk_size,
            samples=np.concatenate(self._samples, axis=0) if self.keep_samples else None,
            _sketch_x=np.concatenate(self._sketch_x, axis=0),
            _sketch_w=np.concatenate(self._sketch_w, axis=0),
        )


@dataclass
class SweepResult:
    """Results of :func:`rmtedge.montecarlo.run`.

    The grid points are ordered quantity, field, method, then n (n varies fastest). The array
    attributes stack the points along axis 0: for a sweep over n only, ``result.mean[i]`` is the
    mean at ``result.n[i]``. ``"energy"`` with a sequence ``t`` adds a trailing axis (one entry
    per requested t). Stacking points whose values have different shapes raises ValueError:
    use :meth:`select` first.

    Attributes
    ----------
    points : tuple of PointResult
        One entry per grid point.
    seed : dict
        ``{"entropy": ..., "spawn_key": [...]}`` of the root ``SeedSequence`` (pass
        ``numpy.random.SeedSequence(**seed)`` back as ``seed=`` to reproduce a run made with
        ``seed=None``).
    samples_per_point : int
    params : dict
        Quantity parameters (``t``, ``inputs``, ...).
    chunks_computed, chunks_loaded : int
        Chunks computed in this call and chunks loaded from the checkpoint.
    elapsed : float
        Wall-clock seconds.
    executor : str
        Description of the executor used.
    """

    points: tuple[PointResult, ...]
    seed: dict[str, Any]
    samples_per_point: int
    params: dict[str, Any]
    chunks_computed: int = 0
    chunks_loaded: int = 0
    elapsed: float = 0.0
    executor: str = "serial"
    retried_chunks: int = 0

    def _stack(self, name: str) -> np.ndarray:
        arrs = [np.asarray(getattr(p, name)) for p in self.points]
        shapes = {a.shape for a in arrs}
        if len(shapes) > 1:
            raise ValueError(
                f"cannot stack {name!r} over grid points with value shapes {sorted(shapes)}; "
                "use result.select(quantity=...) first"
            )
        return np.stack(arrs, axis=0)

    @property
    def n(self) -> np.ndarray:
        """Matrix dimension of each grid point."""
        return np.array([p.n for p in self.points], dtype=np.int64)

    @property
    def quantity(self) -> tuple[str, ...]:
        return tuple(p.quantity for p in self.points)

    @property
    def field(self) -> tuple[str, ...]:
        return tuple(p.field for p in self.points)

    @property
    def method(self) -> tuple[str, ...]:
        return tuple(p.method for p in self.points)

    @property
    def count(self) -> np.ndarray:
        """Number of samples aggregated at each grid point."""
        return np.array([p.count for p in self.points], dtype=np.int64)

    @property
    def mean(self) -> np.ndarray:
        """Sample mean per grid point (float64)."""
        return self._stack("mean")

    @property
    def var(self) -> np.ndarray:
        """Unbiased sample variance (``ddof=1``) per grid point."""
        return self._stack("var")

    @property
    def stderr(self) -> np.ndarray:
        """Standard error of the mean, ``sqrt(var / count)``."""
        return self._stack("stderr")

    @property
    def samples(self) -> list[np.ndarray] | None:
        """Per grid point arrays of all samples in chunk order (``keep_samples=True``), else None."""
        if any(p.samples is None for p in self.points):
            return None
        return [p.samples for p in self.points]  # type: ignore[misc]

    def quantile(self, q: Any) -> np.ndarray:
        """Quantiles per grid point, shape ``(points,) + shape(q) + value_shape``.

        Exact (``numpy.quantile(..., method="hazen")``) when the samples were kept; otherwise from
        the per-chunk sketches (each chunk of more than 256 samples is summarised by its Hazen
        quantiles at the 256 levels (i + 1/2)/256), with an error of at most about 1/256 in
        probability.
        """
        arrs = [p.quantile(q) for p in self.points]
        shapes = {a.shape for a in arrs}
        if len(shapes) > 1:
            raise ValueError(
                "cannot stack quantiles over different value shapes; use select() first"
            )
        return np.stack(arrs, axis=0)

    def select(
        self,
        *,
        quantity: str | None = None,
        field: str | None = None,
        method: str | None = None,
        n: int | Sequence[int] | None = None,
    ) -> SweepResult:
        """The sub-result of the grid points matching all given coordinates."""
        ns = None if n is None else set(np.atleast_1d(n).tolist())
        pts = tuple(
            p
            for p in self.points
            if (quantity is None or p.quantity == quantity)
            and (field is None or p.field == field)
            and (method is None or p.method == method)
            and (ns is None or p.n in ns)
        )
        if not pts:
            raise ValueError("select matched no grid point")
        return SweepResult(
            points=pts,
            seed=self.seed,
            samples_per_point=self.samples_per_point,
            params=self.params,
            chunks_computed=self.chunks_computed,
            chunks_loaded=self.chunks_loaded,
            elapsed=self.elapsed,
            executor=self.executor,
            retried_chunks=self.retried_chunks,
        )

    def to_dict(self, quantiles: Sequence[float] = (0.05, 0.5, 0.95)) -> dict[str, Any]:
        """JSON-safe summary (non-finite floats become None)."""
        pts = []
        for p in self.points:
            pts.append(
                {
                    "quantity": p.quantity,
                    "field": p.field,
                    "method": p.method,
                    "n": p.n,
                    "count": p.count,
                    "chunk_size": p.chunk_size,
                    "mean": p.mean,
                    "var": p.var,
                    "stderr": p.stderr,
                    "quantiles": {str(q): p.quantile(q) for q in quantiles},
                }
            )
        return to_jsonable(
            {
                "seed": {
                    "entropy": str(self.seed["entropy"]),
                    "spawn_key": list(self.seed["spawn_key"]),
                },
                "samples_per_point": self.samples_per_point,
                "params": self.params,
                "chunks_computed": self.chunks_computed,
                "chunks_loaded": self.chunks_loaded,
                "retried_chunks": self.retried_chunks,
                "elapsed_s": self.elapsed,
                "executor": self.executor,
                "points": pts,
            }
        )

    def to_json(self, **kwargs: Any) -> str:
        """``json.dumps(self.to_dict())`` (strict JSON: no NaN)."""
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)
