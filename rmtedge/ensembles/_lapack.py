"""Private: eigenvalues of upper Hessenberg matrices with LAPACK ``dhseqr`` / ``zhseqr``.

``scipy.linalg.lapack`` does not wrap ``?hseqr``; ``scipy.linalg.cython_lapack`` exports it as a
C function pointer inside a PyCapsule (``__pyx_capi__``). We unwrap that pointer with the
CPython capsule API (through ``ctypes.pythonapi``) and call it with ``ctypes``. A ``CFUNCTYPE``
foreign call releases the GIL, so several threads may run :class:`HseqrSolver` instances at once.

Calling convention of the cython wrappers (all arguments are pointers, arrays column-major):

* ``dhseqr(job, compz, n, ilo, ihi, h, ldh, wr, wi, z, ldz, work, lwork, info)``
* ``zhseqr(job, compz, n, ilo, ihi, h, ldh, w, z, ldz, work, lwork, info)``

with ``job = "E"`` (eigenvalues only) and ``compz = "N"`` (no Schur vectors; ``z`` is not
referenced). ``h`` is overwritten. Integers are 32-bit C ``int`` (scipy's LAPACK interface).
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any

import numpy as np

__all__ = ["HseqrSolver", "hseqr_available", "hseqr_eigvals"]

_VOIDP = ctypes.c_void_p
_ARGC = {"dhseqr": 14, "zhseqr": 13}

# Private prototypes of the two capsule functions (not the shared ``ctypes.pythonapi`` attributes,
# whose restype/argtypes other code may rely on).
_capsule_get_name = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object)(
    ("PyCapsule_GetName", ctypes.pythonapi)
)
_capsule_get_pointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object, ctypes.c_void_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi)
)


@functools.cache
def _routine(name: str) -> Any:
    """The ctypes callable for ``name`` ("dhseqr" or "zhseqr"), or None if scipy lacks it."""
    try:
        from scipy.linalg import cython_lapack

        capsule = cython_lapack.__pyx_capi__[name]
    except (ImportError, AttributeError, KeyError):
        return None
    address = _capsule_get_pointer(capsule, _capsule_get_name(capsule))
    if not address:
        return None
    return ctypes.CFUNCTYPE(None, *([_VOIDP] * _ARGC[name]))(address)


def hseqr_available() -> bool:
    """True if both ``dhseqr`` and ``zhseqr`` can be called through scipy's cython_lapack."""
    return _routine("dhseqr") is not None and _routine("zhseqr") is not None


def _missing() -> RuntimeError:
    return RuntimeError(
        "method='hessenberg' needs LAPACK ?hseqr from scipy.linalg.cython_lapack.__pyx_capi__, "
        "which this scipy does not provide; use method='dense'"
    )


# Character arguments; module-level so they outlive every call.
_JOB_E = ctypes.create_string_buffer(b"E")
_COMPZ_N = ctypes.create_string_buffer(b"N")


class HseqrSolver:
    """Eigenvalues only (``JOB='E'``, ``COMPZ='N'``) of n x n upper Hessenberg matrices.

    One solver serves one ``(n, dtype)``: the optimal workspace is queried once (``lwork=-1``)
    and reused by every call, so the per-matrix overhead is one foreign call.

    Parameters
    ----------
    n : int
        Matrix order (>= 1).
    complex_ : bool
        ``False``: float64 matrices (``dhseqr``); ``True``: complex128 (``zhseqr``).
    """

    def __init__(self, n: int, complex_: bool) -> None:
        name = "zhseqr" if complex_ else "dhseqr"
        fn = _routine(name)
        if fn is None:
            raise _missing()
        self.n = n
        self.complex_ = complex_
        self._fn = fn
        self._dtype = np.dtype(np.complex128 if complex_ else np.float64)
        # n, ilo, ihi, ldh, ldz, lwork, info
        self._ints = np.array([n, 1, n, n, 1, -1, 0], dtype=np.intc)
        a = self._ints.ctypes.data
        s = self._ints.itemsize
        self._p_n, self._p_ilo, self._p_ihi, self._p_ldh = a, a + s, a + 2 * s, a + 3 * s
        self._p_ldz, self._p_lwork, self._p_info = a + 4 * s, a + 5 * s, a + 6 * s
        self._z = np.zeros(2, dtype=self._dtype)  # not referenced with COMPZ='N'
        self._wr = np.empty(n)
        self._wi = np.empty(n)
        self._w = np.empty(n, dtype=np.complex128)
        # Raw addresses, computed once: the arrays above live as long as the solver.
        self._p_job, self._p_compz = ctypes.addressof(_JOB_E), ctypes.addressof(_COMPZ_N)
        self._p_z = self._z.ctypes.data
        self._p_wr, self._p_wi, self._p_w = (
            self._wr.ctypes.data,
            self._wi.ctypes.data,
            self._w.ctypes.data,
        )
        lwork = self._query_lwork()
        self._work = np.empty(max(lwork, n, 1), dtype=self._dtype)
        self._p_work = self._work.ctypes.data
        self._ints[5] = self._work.size

    def _call(self, h_address: int, work_address: int) -> int:
        head = (
            self._p_job,
            self._p_compz,
            self._p_n,
            self._p_ilo,
            self._p_ihi,
            h_address,
            self._p_ldh,
        )
        tail = (self._p_z, self._p_ldz, work_address, self._p_lwork, self._p_info)
        if self.complex_:
            self._fn(*head, self._p_w, *tail)
        else:
            self._fn(*head, self._p_wr, self._p_wi, *tail)
        return int(self._ints[6])

    def _query_lwork(self) -> int:
        h = np.zeros((self.n, self.n), dtype=self._dtype)
        work = np.zeros(2, dtype=self._dtype)
        info = self._call(h.ctypes.data, work.ctypes.data)
        if info != 0:
            raise RuntimeError(f"?hseqr workspace query failed with info={info}")
        return int(work[0].real)

    def solve_into(self, h_colmajor: np.ndarray, out: np.ndarray) -> None:
        """Write the eigenvalues of each matrix of a batch into ``out`` (complex128, (B, n)).

        ``h_colmajor`` is a C-contiguous (B, n, n) array whose slice ``b`` holds matrix b in
        column-major order (``h_colmajor[b, j, i] = H_b[i, j]``); it is overwritten. Entries below
        the subdiagonal must be zero. Eigenvalues come in LAPACK's order: a complex-conjugate pair
        of a real matrix is consecutive, positive imaginary part first, and a real eigenvalue has
        imaginary part exactly 0.
        """
        n = self.n
        if h_colmajor.dtype != self._dtype or not h_colmajor.flags.c_contiguous:
            raise TypeError(f"h_colmajor must be a C-contiguous {self._dtype} array")
        if h_colmajor.shape[1:] != (n, n) or out.shape != (h_colmajor.shape[0], n):
            raise ValueError("h_colmajor and out have inconsistent shapes")
        base = h_colmajor.ctypes.data
        stride = n * n * self._dtype.itemsize
        work = self._p_work
        for b in range(h_colmajor.shape[0]):
            info = self._call(base + b * stride, work)
            if info != 0:
                raise np.linalg.LinAlgError(
                    f"?hseqr did not converge (info={info}) on a {n}x{n} Hessenberg matrix"
                )
            if self.complex_:
                out[b] = self._w
            else:
                out[b].real = self._wr
                out[b].imag = self._wi


def hseqr_eigvals(h: np.ndarray) -> np.ndarray:
    """Eigenvalues (complex128) of one upper Hessenberg matrix ``h`` (not modified).

    Entries of ``h`` below the subdiagonal are ignored (treated as zero).
    """
    h = np.asarray(h)
    if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] < 1:
        raise ValueError(f"h must be a non-empty square matrix, got shape {h.shape}")
    complex_ = np.iscomplexobj(h)
    dtype = np.complex128 if complex_ else np.float64
    buf = np.ascontiguousarray(np.triu(h, -1).T, dtype=dtype)[None]
    out = np.empty((1, h.shape[0]), dtype=np.complex128)
    HseqrSolver(h.shape[0], complex_).solve_into(buf, out)
    return out[0]
