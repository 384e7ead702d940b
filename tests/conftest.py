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
