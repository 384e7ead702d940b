"""rmtedge: numerics of random non-Hermitian matrices at their spectral edge.

This module is the map of the public API; every name below is a stable contract.

Error policy
------------
* Bad types (a float or bool where an integer size is needed, a non-string option) raise
  ``TypeError``; bad values (``n < 1``, an unknown ``field``, a risk outside (0, 1), negative
  ``t``) raise ``ValueError``. Messages name the argument.
* NaN in a continuous argument (``x``, ``z``, ``r``) propagates to NaN in the result.
* A method asked for outside its domain of validity raises ``ValueError`` naming a method that
  works, never returns NaN.

Conventions
-----------
``field`` is ``"real"`` or ``"complex"``; ``scale`` is ``"glorot"`` (``W = G/sqrt(n)``, the
default) or ``"ginibre"`` (``G`` with unit-variance entries). Samplers take ``size`` (a numpy
batch shape) and ``rng`` (None, an int seed, a ``SeedSequence`` or a ``numpy.random.Generator``).
"""

from ._version import __version__

# -- samplers (rmtedge/samplers.py) ---------------------------------------------------------
from .samplers import (
    count_real_eigenvalues,
    eigvals,
    ginibre,
    hessenberg_ginibre,
    spectral_radius,
)

# -- eigenvalue densities (rmtedge/densities.py) --------------------------------------------
from .densities import (
    complex_eigenvalue_density,
    expected_nonreal_outside,
    expected_real_outside,
    log_complex_eigenvalue_density,
    log_expected_nonreal_outside,
    log_expected_real_outside,
    log_real_eigenvalue_density,
    real_eigenvalue_density,
)

# -- real-eigenvalue counts (rmtedge/real_counts.py) ----------------------------------------
from .real_counts import (
    expected_real_eigenvalues,
    log_prob_all_real,
    log_real_count_distribution,
    prob_all_real,
    prob_real_count,
    real_count_distribution,
)

# -- edge laws (rmtedge/gumbel.py, rmtedge/spectral_radius_law.py) -----------------------------
from .gumbel import (
    PAPER_GUMBEL_C,
    gamma_n,
    gumbel_edge_law,
    rider_centering,
    rider_scale,
)
from .spectral_radius_law import (
    log_prob_radius_exceeds_one,
    prob_radius_exceeds_one,
    spectral_radius_law,
)

# -- largest real eigenvalue (rmtedge/laws/largest_real.py) -------------------------------------
from .laws.largest_real import (
    largest_real_eigenvalue_law,
    largest_real_eigenvalue_limit,
    largest_real_eigenvalue_sf,
)

# -- moments, growth bound, recurrences (rmtedge/moments.py, rmtedge/recurrence.py) ----------
from .moments import (
    eigenvalue_moment,
    hidden_state_lower_bound,
    log_eigenvalue_moment,
    log_hidden_state_lower_bound,
)
from .recurrence import HiddenStateTrace, PowerTrace, power_norms, simulate_hidden_states
from .threshold import ThresholdFit, instability_threshold, threshold_exponent

# -- initializers (rmtedge/initializers.py) -------------------------------------------------
from .initializers import (
    diagonal_glorot_eigenvalues,
    diagonal_uniform,
    halved_glorot,
    rescale_factor,
    rescaled_glorot,
)

__all__ = [
    "__version__",
    "ginibre",
    "eigvals",
    "spectral_radius",
    "count_real_eigenvalues",
    "hessenberg_ginibre",
    "real_eigenvalue_density",
    "log_real_eigenvalue_density",
    "complex_eigenvalue_density",
    "log_complex_eigenvalue_density",
    "expected_real_outside",
    "log_expected_real_outside",
    "expected_nonreal_outside",
    "log_expected_nonreal_outside",
    "PAPER_GUMBEL_C",
    "gamma_n",
    "gumbel_edge_law",
    "rider_centering",
    "rider_scale",
    "spectral_radius_law",
    "prob_radius_exceeds_one",
    "log_prob_radius_exceeds_one",
    "largest_real_eigenvalue_sf",
    "largest_real_eigenvalue_law",
    "largest_real_eigenvalue_limit",
    "eigenvalue_moment",
    "log_eigenvalue_moment",
    "hidden_state_lower_bound",
    "log_hidden_state_lower_bound",
    "instability_threshold",
    "threshold_exponent",
    "ThresholdFit",
    "simulate_hidden_states",
    "power_norms",
    "HiddenStateTrace",
    "PowerTrace",
    "rescale_factor",
    "rescaled_glorot",
    "diagonal_glorot_eigenvalues",
    "halved_glorot",
    "diagonal_uniform",
    "expected_real_eigenvalues",
    "prob_all_real",
    "log_prob_all_real",
    "prob_real_count",
    "real_count_distribution",
    "log_real_count_distribution",
]
