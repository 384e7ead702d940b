"""Monte Carlo sweeps over grids of random-matrix quantities: in process, on local processes,
on any ``concurrent.futures`` executor or on a Dask cluster, with bit-identical results.

Public API
----------
run
    Run a sweep of a quantity over a grid ``quantity x field x method x n``.
SweepResult, PointResult
    Results (``n``, ``mean``, ``var``, ``count``, ``stderr``, ``quantile``, ``samples``,
    ``to_dict``).
register_quantity, unregister_quantity, available_quantities, get_quantity, Quantity
    The quantity registry (built-ins: spectral_radius, real_count, energy, log_energy).
default_chunk_size
    The default chunk size of a grid point.
CheckpointMismatchError
    Raised when a checkpoint directory belongs to another sweep (or its manifest is unreadable).
CheckpointLockedError
    Raised when another sweep is writing the checkpoint directory.
SweepTerminated
    Raised by SIGTERM during a sweep after a clean shutdown (a SystemExit with code 143).
add_sweep_arguments, add_executor_arguments, executor_from_args, run_from_args, sweep_main, check_output_path
    argparse helpers for the ``rmtedge`` command line.

Importing this package does not import dask; ``distributed`` is imported only when a Dask
scheduler is used.
"""

from ._aggregate import PointResult, SweepResult
from ._checkpoint import CheckpointLockedError, CheckpointMismatchError
from ._cli import (
    add_executor_arguments,
    add_sweep_arguments,
    check_output_path,
    executor_from_args,
    format_result,
    run_from_args,
    sweep_main,
)
from ._engine import SweepTerminated, default_chunk_size, run
from ._executors import pin_blas_threads
from ._quantities import (
    Quantity,
    available_quantities,
    get_quantity,
    register_quantity,
    unregister_quantity,
)

__all__ = [
    "CheckpointLockedError",
    "CheckpointMismatchError",
    "PointResult",
    "Quantity",
    "SweepResult",
    "SweepTerminated",
    "add_executor_arguments",
    "add_sweep_arguments",
    "available_quantities",
    "check_output_path",
    "default_chunk_size",
    "executor_from_args",
    "format_result",
    "get_quantity",
    "pin_blas_threads",
    "register_quantity",
    "run",
    "run_from_args",
    "sweep_main",
    "unregister_quantity",
]
