"""Shared pytest configuration: deterministic hypothesis profiles and common fixtures."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# CI and the default run are deterministic: the same examples every time, no deadline
# (numba compiles on first call), so the suite is reproducible. Use
# HYPOTHESIS_PROFILE=explore locally to search with fresh random examples.
# Reference-generating scripts under tests/data are run by hand, never collected (they are slow).
collect_ignore_glob = ["data/*"]

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# README's test command runs two pytest-xdist workers (one per core). Each worker pins its BLAS
# pools to one thread: two processes each running multithreaded OpenBLAS oversubscribe the cores
# and slow the eigensolvers down (benchmarks/bench_blas_threads.py). The pin is also set in the
# environment, so processes started by the tests inherit it; tests that need another thread
# count set it themselves (threadpool_limits).
if os.environ.get("PYTEST_XDIST_WORKER"):
    from rmtedge._core.blas import pin_blas_threads

    _BLAS_PIN = pin_blas_threads(1)
