"""One BLAS/OpenMP thread-pool pin for the whole package (validation, Monte Carlo, benchmarks).

:func:`pin_blas_threads` limits the BLAS/OpenMP pools to ``threads`` threads *now* and returns a
handle that is also a context manager:

* called plainly (``pin_blas_threads()``, e.g. as a process-pool ``initializer``) the pin lasts
  for the life of the process;
* used in a ``with`` block the previous limits and environment variables are restored on exit.

It does two things, because a process has two kinds of thread pools: it sets the usual
environment variables (they govern libraries loaded later in this process and every child
process it starts), and it applies :func:`threadpoolctl.threadpool_limits` to the libraries
already loaded. One thread per worker avoids oversubscription on a shared machine (an
oversubscribed OpenBLAS can make ``eigvals`` on small matrices many times slower) and makes
LAPACK's floating-point results independent of the number of threads, so Monte Carlo numbers do
not depend on where a chunk ran.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import TracebackType
from typing import Any

import numpy as np

__all__ = [
    "BLAS_ENV_VARS",
    "BlasPin",
    "check_blas_threads",
    "limit_blas_threads",
    "pin_blas_threads",
]

#: Environment variables read by OpenBLAS, MKL, BLIS, Accelerate, OpenMP and numexpr at load time.
BLAS_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


class BlasPin:
    """The handle returned by :func:`pin_blas_threads` (already applied when you get it).

    As a context manager it restores, on exit, the thread limits of the loaded libraries and the
    environment variables as they were before the pin.
    """

    def __init__(self, threads: int) -> None:
        from threadpoolctl import threadpool_limits

        self.threads = threads
        self._saved_env = {var: os.environ.get(var) for var in BLAS_ENV_VARS}
        for var in BLAS_ENV_VARS:
            os.environ[var] = str(threads)
        self._limiter: Any = threadpool_limits(limits=threads)

    def restore(self) -> None:
        """Undo the pin: previous pool sizes and environment variables."""
        self._limiter.restore_original_limits()
        for var, value in self._saved_env.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value

    def __enter__(self) -> BlasPin:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.restore()


def pin_blas_threads(threads: int = 1) -> BlasPin:
    """Limit BLAS/OpenMP thread pools to ``threads`` threads, now; undo on exit of a ``with``.

    Parameters
    ----------
    threads : int, keyword or positional, default 1
        Threads per pool (one per process is the right choice for Monte Carlo on many processes).

    Returns
    -------
    BlasPin
        Already applied. Use ``with pin_blas_threads(): ...`` for a scoped pin; call it plainly
        (for example as ``ProcessPoolExecutor(initializer=pin_blas_threads)``) to pin for the life
        of the process.

    Raises
    ------
    TypeError, ValueError
        If ``threads`` is not a positive integer.

    Examples
    --------
    >>> from rmtedge._core.blas import pin_blas_threads
    >>> with pin_blas_threads():
    ...     pass  # single-threaded BLAS here
    """
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int, got {type(threads).__name__}")
    if threads < 1:
        raise ValueError(f"threads must be >= 1, got {threads}")
    return BlasPin(threads)


# A cached threadpoolctl controller: building one inspects every loaded library (~0.6 ms), a
# limit from a cached one costs ~20 us, cheap enough for every batch call of the samplers. It is
# rebuilt once scipy.linalg (which loads scipy's own OpenBLAS, used by the Hessenberg solver) has
# been imported since it was built.
_CONTROLLER: Any = None
_CONTROLLER_HAS_SCIPY = False


def _controller() -> Any:
    global _CONTROLLER, _CONTROLLER_HAS_SCIPY
    has_scipy = "scipy.linalg" in sys.modules
    if _CONTROLLER is None or has_scipy != _CONTROLLER_HAS_SCIPY:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
        _CONTROLLER_HAS_SCIPY = has_scipy
    return _CONTROLLER


def check_blas_threads(blas_threads: Any) -> int | str | None:
    """Validate the ``blas_threads`` option of the batch samplers: "auto", None or an int >= 1."""
    if blas_threads is None or (isinstance(blas_threads, str) and blas_threads == "auto"):
        return blas_threads
    if isinstance(blas_threads, str):
        raise ValueError(f"blas_threads must be 'auto', None or a positive int, got {blas_threads!r}")
    if isinstance(blas_threads, bool) or not isinstance(blas_threads, (int, np.integer)):
        raise TypeError(
            f"blas_threads must be 'auto', None or a positive int, got {type(blas_threads).__name__}"
        )
    if blas_threads < 1:
        raise ValueError(f"blas_threads must be >= 1, got {blas_threads}")
    return int(blas_threads)


def limit_blas_threads(threads: int | None) -> Any:
    """Context manager: BLAS pools limited to ``threads`` inside the block (None: unchanged).

    Unlike :func:`pin_blas_threads` it leaves the environment alone and is meant for one call
    (the batch samplers use it); the previous limits are restored on exit.
    """
    if threads is None:
        return contextlib.nullcontext()
    return _controller().limit(limits=threads, user_api="blas")
