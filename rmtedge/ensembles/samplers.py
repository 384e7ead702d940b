"""Samplers of real and complex Ginibre / Glorot matrices, their eigenvalues and spectral radii.

Conventions (used throughout rmtedge):

* real Ginibre ``G``: i.i.d. N(0, 1) entries;
* complex Ginibre ``G``: i.i.d. (N(0, 1) + i N(0, 1)) / sqrt(2) entries, so E|g|^2 = 1 and the
  real and imaginary parts are independent with variance 1/2;
* ``scale="glorot"``: ``W = G / sqrt(n)`` (entry variance 1/n, Glorot-normal with
  fan_in = fan_out = n); ``scale="ginibre"``: ``G`` itself.

Three exact samplers of the spectrum are offered (``method=``):

* ``"dense"``: sample ``G`` with :func:`ginibre` and take ``numpy.linalg.eigvals`` of the whole
  stack (LAPACK ``?geev``, looped over the batch in C). O(n^3) per matrix, lowest overhead for
  tiny n.
* ``"hessenberg"``: sample the upper Hessenberg matrix that Householder reduction of ``G`` would
  produce (its entries are independent, see :func:`hessenberg_ginibre`) and hand it straight to
  LAPACK ``?hseqr``; this skips the reduction, about a third of the dense flops.
* ``"kostlan"``: complex spectral radii only, from Kostlan's theorem (the squared moduli are
  independent Gamma(k, 1), k = 1..n); O(n) per sample.

``"auto"`` picks the fastest exact method (measured, see ``benchmarks/bench_samplers.py``).
Random variates are drawn in Python from the normalised ``Generator`` in batches of bounded
memory (about 4 million matrix entries, or Kostlan variates, at a time); the chunking depends
on ``n`` only, so the same seed gives the same samples whatever the batch ``size``'s shape.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._core.blas import check_blas_threads, limit_blas_threads
from .._core.checks import (
    check_choice,
    check_field,
    check_n,
    check_rng,
    check_scale,
    check_size,
)
from .._core.gaussian import standard_gaussian
from . import _lapack

__all__ = [
    "count_real_eigenvalues",
    "eigvals",
    "ginibre",
    "hessenberg_ginibre",
    "spectral_radius",
]

METHODS = ("auto", "dense", "hessenberg", "kostlan")

# Smallest n for which method="auto" uses "hessenberg" rather than "dense" for eigenvalues,
# radii of real matrices and real-eigenvalue counts. Measured single-threaded (OpenBLAS) with
# benchmarks/bench_samplers.py --crossover: below it the per-matrix cost of the ctypes call and
# the per-chunk scatter outweigh the saved Householder reduction. Two runs on a loaded 2-core
# machine gave dense/hessenberg ~0.6-0.95 for real n <= 6, 1.05-1.1 at n = 8-10, 1.1-1.35 for
# n = 12..64; complex ~1.0 at n = 5, 1.05-1.3 from n = 6 on. Near the switch both are within 10%.
_CROSSOVER = {"real": 10, "complex": 6}

#: Largest n for which the batch samplers (eigvals, spectral_radius, count_real_eigenvalues with
#: a batch of two or more matrices) run LAPACK on one BLAS thread by default
#: (``blas_threads="auto"``): one small matrix gains nothing from a thread pool, and a pool that
#: shares its cores with another process waits for threads that are not running.
#: Measured with benchmarks/bench_blas_threads.py (see docs/api.md, "BLAS threads").
PIN_MAX_N = 1000

# Upper bound on the number of matrix entries (or Kostlan variates) held per batch chunk.
_CHUNK_ELEMENTS = 1 << 22


def _scale_factor(n: int, scale: str) -> float:
    return 1.0 / math.sqrt(n) if scale == "glorot" else 1.0


def ginibre(
    n: int,
    *,
    field: str = "real",
    size: int | tuple[int, ...] | None = None,
    scale: str = "glorot",
    rng: Any = None,
) -> np.ndarray:
    """Sample real or complex Ginibre (or Glorot-scaled) matrices.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    field : {"real", "complex"}
        Real Ginibre (i.i.d. N(0, 1) entries) or complex Ginibre (i.i.d. entries
        ``(a + i b)/sqrt(2)`` with ``a, b`` i.i.d. N(0, 1)).
    size : int or tuple of ints, optional
        Batch shape; the result has shape ``size + (n, n)``.
    scale : {"glorot", "ginibre"}
        ``"glorot"`` divides by ``sqrt(n)`` (entry variance ``1/n``); ``"ginibre"`` keeps unit
        variance.
    rng : None, int, SeedSequence or numpy.random.Generator
        Source of randomness (see :func:`numpy.random.default_rng`).

    Returns
    -------
    ndarray
        ``float64`` (real) or ``complex128`` (complex) array of shape ``size + (n, n)``.

    References
    ----------
    J. Ginibre, "Statistical ensembles of complex, quaternion, and real matrices",
    J. Math. Phys. 6 (1965) 440-449. X. Glorot and Y. Bengio, AISTATS 2010 (Glorot-normal).
    N. Bar et al., arXiv:2505.19827 (2025), Section 2 (the Glorot recurrence matrix).

    Examples
    --------
    >>> import numpy as np, rmtedge
    >>> W = rmtedge.ginibre(400, size=20, rng=0)
    >>> W.shape
    (20, 400, 400)
    >>> bool(abs(np.mean(W**2) * 400 - 1) < 0.01)   # E w_ij^2 = 1/n
    True
    """
    n = check_n(n)
    field = check_field(field)
    scale = check_scale(scale)
    shape = (*check_size(size), n, n)
    gen = check_rng(rng)
    c = _scale_factor(n, scale)
    return standard_gaussian(gen, shape, field=field, scale=c)


# ---------------------------------------------------------------------------------------------
# method selection and batching


def _chunks(batch: int, per_item: int) -> list[tuple[int, int]]:
    """Split ``range(batch)`` into consecutive slices of at most ``_CHUNK_ELEMENTS // per_item``."""
    step = max(1, _CHUNK_ELEMENTS // max(per_item, 1))
    return [(a, min(a + step, batch)) for a in range(0, batch, step)]


def _resolve_method(method: Any, field: str, n: int, quantity: str) -> str:
    """Validate ``method`` for ``quantity`` in {"eigvals", "radius", "count"}; resolve "auto"."""
    method = check_choice(method, "method", METHODS)
    if method == "kostlan":
        if quantity != "radius":
            what = "eigenvalues" if quantity == "eigvals" else "real-eigenvalue counts"
            raise ValueError(
                f"method='kostlan' samples only spectral radii (moduli), not {what}; "
                "use method='hessenberg' or method='dense'"
            )
        if field != "complex":
            raise ValueError(
                "method='kostlan' holds only for field='complex' (Kostlan's theorem); "
                "for field='real' use method='hessenberg' or method='dense'"
            )
        return method
    if method == "auto":
        if quantity == "radius" and field == "complex":
            return "kostlan"
        if n >= _CROSSOVER[field] and _lapack.hseqr_available():
            return "hessenberg"
        return "dense"
    if method == "hessenberg" and not _lapack.hseqr_available():
        raise _lapack._missing()
    return method


def _hessenberg_variates(
    n: int, field: str, count: int, c: float, gen: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw the free entries of ``count`` Hessenberg models, already multiplied by ``c``.

    Returns ``upper`` of shape (count, n(n+1)/2): the entries h_ij, i <= j, packed column by
    column (LAPACK "U" packed order: column j holds rows 0..j), and ``sub`` of shape
    (count, n-1): the subdiagonal h_{k+1,k}, k = 0..n-2 (0-based), distributed as chi_{n-1-k}
    (real) or sqrt(Gamma(n-1-k, 1)) (complex). The upper entries are drawn first, then ``sub``.
    """
    m = n * (n + 1) // 2
    dof = np.arange(n - 1, 0, -1, dtype=np.float64)
    upper = standard_gaussian(gen, (count, m), field=field, scale=c)
    if field == "real":
        sub = np.sqrt(gen.chisquare(dof, size=(count, n - 1)))
    else:
        sub = np.sqrt(gen.standard_gamma(dof, size=(count, n - 1)))
    if c != 1.0:
        sub *= c
    return upper, sub


def _fill_hessenberg(
    upper: np.ndarray, sub: np.ndarray, out: np.ndarray, *, colmajor: bool
) -> None:
    """Scatter packed variates into a zeroed (count, n, n) ``out``.

    ``colmajor=False`` writes ``out[b, i, j] = H_b[i, j]``; ``colmajor=True`` writes the
    transpose, i.e. each ``out[b]`` is ``H_b`` in Fortran order, ready for LAPACK. One slice
    assignment per column, each vectorised over the batch (no index arrays of size n^2).
    """
    n = out.shape[-1]
    for j in range(n):
        col = upper[:, j * (j + 1) // 2 : (j + 1) * (j + 2) // 2]
        if colmajor:
            out[:, j, : j + 1] = col
        else:
            out[:, : j + 1, j] = col
    k = np.arange(n - 1)
    if colmajor:
        out[:, k, k + 1] = sub
    else:
        out[:, k + 1, k] = sub


def _blas_limit(blas_threads: Any, n: int, batch: int) -> int | None:
    """The BLAS thread limit of one sampler call (None: leave the pools alone)."""
    blas_threads = check_blas_threads(blas_threads)
    if blas_threads == "auto":
        return 1 if batch >= 2 and n <= PIN_MAX_N else None
    return blas_threads


def _eigvals_chunks(
    n: int,
    field: str,
    batch: int,
    scale: str,
    method: str,
    gen: np.random.Generator,
    threads: int | None = None,
):
    """Yield ``(start, stop, eigenvalues)`` chunk by chunk (complex128, shape (stop-start, n)),
    with the BLAS pools limited to ``threads`` during each solve (None: unchanged)."""
    if method == "dense":
        for a, b in _chunks(batch, n * n):
            g = ginibre(n, field=field, size=b - a, scale=scale, rng=gen)
            with limit_blas_threads(threads):
                ev = np.linalg.eigvals(g)
            yield a, b, ev.astype(np.complex128, copy=False)
        return
    solver = _lapack.HseqrSolver(n, field == "complex")
    dtype = np.complex128 if field == "complex" else np.float64
    c = _scale_factor(n, scale)
    for a, b in _chunks(batch, n * n):
        upper, sub = _hessenberg_variates(n, field, b - a, c, gen)
        buf = np.zeros((b - a, n, n), dtype=dtype)
        _fill_hessenberg(upper, sub, buf, colmajor=True)
        del upper, sub
        ev = np.empty((b - a, n), dtype=np.complex128)
        with limit_blas_threads(threads):
            solver.solve_into(buf, ev)
        yield a, b, ev


# ---------------------------------------------------------------------------------------------
# public samplers


def hessenberg_ginibre(
    n: int,
    *,
    field: str = "real",
    size: int | tuple[int, ...] | None = None,
    scale: str = "glorot",
    rng: Any = None,
) -> np.ndarray:
    """Sample the upper Hessenberg model of a real or complex Ginibre (or Glorot) matrix.

    The returned ``H`` has the same eigenvalue law as :func:`ginibre` (it is the law of the
    Householder reduction ``Q^T G Q`` of a Ginibre matrix), with independent entries:

    * ``h_ij`` for ``i <= j``: N(0, 1) (real) or (N(0, 1) + i N(0, 1))/sqrt(2) (complex);
    * subdiagonal ``h_{k+1,k}`` (1-based, k = 1..n-1): chi with ``n - k`` degrees of freedom
      (real), or ``sqrt(Gamma(n - k, 1))`` (complex), which is positive;
    * zero below the subdiagonal;

    all multiplied by ``1/sqrt(n)`` for ``scale="glorot"``.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    field : {"real", "complex"}
        Real or complex Ginibre model.
    size : int or tuple of ints, optional
        Batch shape; the result has shape ``size + (n, n)``.
    scale : {"glorot", "ginibre"}
        ``"glorot"`` divides every entry by ``sqrt(n)``; ``"ginibre"`` keeps unit variance.
    rng : None, int, SeedSequence or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    ndarray
        ``float64`` (real) or ``complex128`` (complex) upper Hessenberg matrices, shape
        ``size + (n, n)``.

    See Also
    --------
    eigvals : with ``method="hessenberg"`` and the same seed, returns the eigenvalues of exactly
        these matrices.

    Notes
    -----
    Householder reduction to Hessenberg form (Golub & Van Loan, Sec. 7.4.3) applied to ``G``:
    step k reflects column k below the diagonal onto ``e_{k+1}``, so the new subdiagonal entry
    is (up to a sign or phase) the norm of ``n - k`` i.i.d. standard entries -- chi_{n-k} in the
    real case, sqrt of a sum of ``n - k`` unit exponentials, i.e. sqrt(Gamma(n - k, 1)), in the
    complex case (E|g|^2 = 1). The reflector depends only on that column, and orthogonal
    (unitary) invariance of the remaining i.i.d. Gaussian block keeps its entries i.i.d.
    standard and independent of what was reflected; the sign/phase of the subdiagonal is removed
    by a diagonal orthogonal (unitary) similarity. The construction is exact in law for every n
    (the same argument gives the tridiagonal models of Dumitriu & Edelman for the Hermitian
    ensembles); the float64 entries are exact up to rounding of the variates.
    Memory is ``size * n^2`` entries, as for :func:`ginibre`.

    The variates are drawn in chunks of at most about 4 million matrix entries: for each
    chunk, the upper-triangular entries (LAPACK "U" packed order) and then the subdiagonal.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed. (2013), Sec. 7.4.3
    (Householder reduction to Hessenberg form).
    I. Dumitriu and A. Edelman, "Matrix models for beta ensembles", J. Math. Phys. 43 (2002)
    5830-5847 (the same reduction applied to Gaussian Hermitian matrices).

    Examples
    --------
    Orthogonal similarity keeps the Frobenius norm, so E||H||_F^2 = E||G||_F^2 = n^2 for
    ``scale="ginibre"``:

    >>> import numpy as np, rmtedge
    >>> H = rmtedge.hessenberg_ginibre(30, size=2000, scale="ginibre", rng=1)
    >>> bool(np.all(np.tril(H, -2) == 0))
    True
    >>> bool(abs(np.mean(np.sum(H**2, axis=(-2, -1))) / 30**2 - 1) < 0.01)
    True
    """
    n = check_n(n)
    field = check_field(field)
    scale = check_scale(scale)
    size_t = check_size(size)
    gen = check_rng(rng)
    batch = math.prod(size_t)
    c = _scale_factor(n, scale)
    out = np.zeros((batch, n, n), dtype=np.complex128 if field == "complex" else np.float64)
    for a, b in _chunks(batch, n * n):
        upper, sub = _hessenberg_variates(n, field, b - a, c, gen)
        _fill_hessenberg(upper, sub, out[a:b], colmajor=False)
    return out.reshape((*size_t, n, n))


def eigvals(
    n: int,
    *,
    field: str = "real",
    size: int | tuple[int, ...] | None = None,
    scale: str = "glorot",
    method: str = "auto",
    rng: Any = None,
    blas_threads: int | str | None = "auto",
) -> np.ndarray:
    """Eigenvalues of freshly sampled real or complex Ginibre (Glorot) matrices.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    field : {"real", "complex"}
        Real or complex Ginibre ensemble (conventions of :mod:`rmtedge.ensembles.samplers`).
    size : int or tuple of ints, optional
        Batch shape; the result has shape ``size + (n,)``.
    scale : {"glorot", "ginibre"}
        ``"glorot"``: eigenvalues of ``W = G/sqrt(n)`` (the circular law fills the unit disc);
        ``"ginibre"``: eigenvalues of ``G``.
    method : {"auto", "dense", "hessenberg"}
        Sampler (module docstring). ``"auto"`` uses ``"dense"`` for small n and
        ``"hessenberg"`` from a measured crossover on. ``"kostlan"`` gives moduli only and is
        refused (ValueError).
    rng : None, int, SeedSequence or numpy.random.Generator
        Source of randomness.
    blas_threads : "auto", None or int, default "auto"
        BLAS threads used by LAPACK during the call (the previous limits are restored after).
        ``"auto"``: one thread for batches of two or more matrices with ``n <= PIN_MAX_N``
        (1000), where a thread pool gains nothing per matrix and loses much when another process
        shares the cores (``benchmarks/bench_blas_threads.py``); otherwise unchanged. ``None``:
        never touch the pools. An int: that many threads.

    Returns
    -------
    ndarray
        complex128, shape ``size + (n,)``. Order within a sample is LAPACK's (not sorted); for
        real matrices a real eigenvalue has imaginary part exactly 0.

    Notes
    -----
    Both methods are exact in law: ``"dense"`` is literally ``numpy.linalg.eigvals`` of
    :func:`ginibre` samples (the same seed gives the same matrices), ``"hessenberg"`` takes
    the eigenvalues of :func:`hessenberg_ginibre` samples with LAPACK ``dhseqr``/``zhseqr``
    (``JOB='E'``, ``COMPZ='N'``), which skips the O(n^3) Householder reduction (about 1.3-1.5x
    faster for n >= 500 single-threaded). The QR algorithm is backward stable: each computed
    eigenvalue is exact for a matrix within about ``eps * n * ||W||`` of the sample, so an
    eigenvalue moves by at most that times its condition number (for Ginibre matrices of order
    n, typically O(sqrt(n))). Cost O(n^3) per sample limits practical use to n of a few
    thousand; for complex spectral radii use :func:`spectral_radius` (O(n)).

    References
    ----------
    J. Ginibre, J. Math. Phys. 6 (1965) 440-449 (the ensembles). G. H. Golub and C. F. Van
    Loan, *Matrix Computations*, 4th ed. (2013), Secs. 7.4-7.5 (Hessenberg reduction, QR
    algorithm). N. Bar et al., arXiv:2505.19827 (2025), Sec. 2: the spectrum of the Glorot
    recurrence matrix ``W``.

    Examples
    --------
    The non-real eigenvalues of a real matrix come in conjugate pairs, and the eigenvalues of
    ``method="hessenberg"`` are those of :func:`hessenberg_ginibre` with the same seed:

    >>> import numpy as np, rmtedge
    >>> ev = rmtedge.eigvals(40, method="hessenberg", rng=7)
    >>> bool(np.allclose(np.sort_complex(ev), np.sort_complex(ev.conj())))
    True
    >>> H = rmtedge.hessenberg_ginibre(40, rng=7)
    >>> bool(np.allclose(np.sort_complex(ev), np.sort_complex(np.linalg.eigvals(H))))
    True
    """
    n = check_n(n)
    field = check_field(field)
    scale = check_scale(scale)
    size_t = check_size(size)
    gen = check_rng(rng)
    method = _resolve_method(method, field, n, "eigvals")
    batch = math.prod(size_t)
    out = np.empty((batch, n), dtype=np.complex128)
    threads = _blas_limit(blas_threads, n, batch)
    for a, b, ev in _eigvals_chunks(n, field, batch, scale, method, gen, threads):
        out[a:b] = ev
    return out.reshape((*size_t, n))


def spectral_radius(
    n: int,
    *,
    field: str = "real",
    size: int | tuple[int, ...] | None = None,
    scale: str = "glorot",
    method: str = "auto",
    rng: Any = None,
    blas_threads: int | str | None = "auto",
) -> np.ndarray | float:
    """Samples of the spectral radius ``max_i |lambda_i|`` of Ginibre (Glorot) matrices.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    field : {"real", "complex"}
        Real or complex Ginibre ensemble.
    size : int or tuple of ints, optional
        Batch shape of the result.
    scale : {"glorot", "ginibre"}
        Radius of ``W = G/sqrt(n)`` (``"glorot"``) or of ``G`` (``"ginibre"``).
    method : {"auto", "dense", "hessenberg", "kostlan"}
        ``"kostlan"`` (complex only; O(n) per sample) is the ``"auto"`` choice for
        ``field="complex"``; for ``field="real"`` ``"auto"`` means ``"dense"`` below the
        measured crossover and ``"hessenberg"`` above it.
    rng : None, int, SeedSequence or numpy.random.Generator
        Source of randomness.
    blas_threads : "auto", None or int, default "auto"
        BLAS threads during the call, as in :func:`eigvals` (one thread for batches with
        ``n <= PIN_MAX_N`` by default).

    Returns
    -------
    ndarray or numpy.float64
        float64 array of shape ``size``; a numpy float if ``size`` is None.

    Notes
    -----
    ``"dense"`` and ``"hessenberg"``: ``max |lambda|`` over the eigenvalues of :func:`eigvals`
    (same seed, same matrices), with the accuracy of the QR algorithm discussed there.

    ``"kostlan"``: by Kostlan's theorem the moduli squared of the eigenvalues of an n x n
    complex Ginibre matrix are jointly distributed as independent ``Gamma(k, 1)``, k = 1..n
    (Kostlan 1992, main theorem), so ``rho(G)^2`` is the largest of n independent gamma variates
    and ``rho(W) = rho(G)/sqrt(n)``. Exact in law, O(n) time and memory per sample (no matrix
    is formed), usable for n up to 10^6 and beyond. Its CDF is
    ``prod_k P(k, n r^2)`` (Glorot scale), the exact finite-n law the paper's Gumbel limit
    approximates.

    References
    ----------
    E. Kostlan, "On the spectra of Gaussian matrices", Linear Algebra Appl. 162-164 (1992)
    385-388. N. Bar et al., arXiv:2505.19827 (2025): histograms of rho(W) for Glorot matrices
    (Figs. 1-3); the Gumbel edge law of B. Rider, J. Phys. A 36 (2003) 3401.

    Examples
    --------
    The radius is the largest modulus of the eigenvalues of the same sample:

    >>> import numpy as np, rmtedge
    >>> r = rmtedge.spectral_radius(50, size=3, method="hessenberg", rng=3)
    >>> ev = rmtedge.eigvals(50, size=3, method="hessenberg", rng=3)
    >>> bool(np.array_equal(r, np.abs(ev).max(axis=-1)))
    True

    For n = 1 (complex) the radius is ``|g|`` with ``|g|^2 ~ Exp(1)``, so E rho^2 = 1:

    >>> rho = rmtedge.spectral_radius(1, field="complex", size=100_000, rng=0)
    >>> bool(abs(np.mean(rho**2) - 1) < 0.02)
    True
    """
    n = check_n(n)
    field = check_field(field)
    scale = check_scale(scale)
    size_t = check_size(size)
    gen = check_rng(rng)
    method = _resolve_method(method, field, n, "radius")
    batch = math.prod(size_t)
    threads = _blas_limit(blas_threads, n, batch)  # checked on every path
    out = np.empty(batch, dtype=np.float64)
    if method == "kostlan":
        shape_k = np.arange(1, n + 1, dtype=np.float64)
        for a, b in _chunks(batch, n):
            g = gen.standard_gamma(shape_k, size=(b - a, n))
            out[a:b] = np.sqrt(g.max(axis=-1))
        if scale == "glorot":
            out /= math.sqrt(n)
    else:
        for a, b, ev in _eigvals_chunks(n, field, batch, scale, method, gen, threads):
            out[a:b] = np.abs(ev).max(axis=-1)
    return out.reshape(size_t)[()] if size is None else out.reshape(size_t)


def count_real_eigenvalues(
    n: int,
    *,
    size: int | tuple[int, ...] | None = None,
    method: str = "auto",
    rng: Any = None,
    blas_threads: int | str | None = "auto",
) -> np.ndarray:
    """Samples of the number of real eigenvalues of a real Ginibre matrix.

    Parameters
    ----------
    n : int
        Matrix dimension, ``n >= 1``.
    size : int or tuple of ints, optional
        Batch shape of the result.
    method : {"auto", "dense", "hessenberg"}
        As in :func:`eigvals`. The count does not depend on the scale; the matrices sampled are
        those of :func:`eigvals` with ``scale="glorot"`` and the same seed.
    rng : None, int, SeedSequence or numpy.random.Generator
        Source of randomness.
    blas_threads : "auto", None or int, default "auto"
        BLAS threads during the call, as in :func:`eigvals` (one thread for batches with
        ``n <= PIN_MAX_N`` by default).

    Returns
    -------
    ndarray of int64
        Shape ``size`` (a numpy int64 scalar if ``size`` is None). Same parity as n.

    Notes
    -----
    An eigenvalue counts as real if and only if LAPACK's real Schur form (``dhseqr``, also
    inside ``numpy.linalg.eigvals``) returns it with imaginary part exactly 0, i.e. it comes
    from a 1 x 1 diagonal block. The count is therefore exact for a matrix within the QR
    algorithm's backward error (about ``eps * n * ||G||``) of the sample; it can differ from the
    sample's own count only when two real eigenvalues (or a conjugate pair) lie within about
    that distance of each other, an event of probability O(eps) or less per matrix. The law
    sampled has mean E_n (Edelman, Kostlan and Shub 1994, Thm 5.1) and the probabilities
    p_{n,k} of Edelman 1997.

    References
    ----------
    A. Edelman, E. Kostlan, M. Shub, J. Amer. Math. Soc. 7 (1994) 247-267. A. Edelman,
    J. Multivariate Anal. 60 (1997) 203-232.

    Examples
    --------
    The count has the parity of n, and equals the number of eigenvalues with zero imaginary
    part from :func:`eigvals` with the same seed and method:

    >>> import numpy as np, rmtedge
    >>> k = rmtedge.count_real_eigenvalues(7, size=1000, rng=2)
    >>> bool(np.all(k % 2 == 1))
    True
    >>> ev = rmtedge.eigvals(7, size=1000, rng=2)
    >>> bool(np.array_equal(k, np.sum(ev.imag == 0, axis=-1)))
    True
    """
    n = check_n(n)
    size_t = check_size(size)
    gen = check_rng(rng)
    method = _resolve_method(method, "real", n, "count")
    batch = math.prod(size_t)
    out = np.empty(batch, dtype=np.int64)
    threads = _blas_limit(blas_threads, n, batch)
    for a, b, ev in _eigvals_chunks(n, "real", batch, "glorot", method, gen, threads):
        out[a:b] = np.count_nonzero(ev.imag == 0, axis=-1)
    return out.reshape(size_t)[()] if size is None else out.reshape(size_t)
