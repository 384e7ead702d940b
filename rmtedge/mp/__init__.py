"""High-precision (mpmath) back end of rmtedge: the same quantities, written straight from the papers.

Each submodule's public names are imported in its own marked section below. Every function
takes a ``dps`` (decimal digits, refused below 20) and returns mpmath numbers.
"""

# -- real-eigenvalue counts of real Ginibre matrices (rmtedge/mp/real_counts.py) -----------
from .real_counts import expected_real_eigenvalues, real_count_distribution
# -- end real-eigenvalue counts -----------------------------------------------------------

# -- eigenvalue densities (rmtedge/mp/densities.py) ----------------------------------------
from .densities import (
    complex_eigenvalue_density,
    expected_nonreal_outside,
    expected_real_outside,
    real_eigenvalue_density,
)
# -- end eigenvalue densities -------------------------------------------------------------

# -- spectral-radius law of complex Glorot matrices (rmtedge/mp/edge.py) --------------------
from .edge import (
    spectral_radius_cdf,
    spectral_radius_logcdf,
    spectral_radius_logsf,
    spectral_radius_sf,
)
# -- end spectral-radius law ------------------------------------------------------------------

# -- spectral-radius law of real Glorot matrices (rmtedge/mp/real_radius.py) ---------------
from .real_radius import (
    real_spectral_radius_cdf,
    real_spectral_radius_logcdf,
    real_spectral_radius_logsf,
    real_spectral_radius_sf,
)
# -- end real spectral-radius law --------------------------------------------------------------

# -- largest real eigenvalue of real Ginibre matrices (rmtedge/mp/largest_real.py) ----------
from .largest_real import (
    largest_real_cdf,
    largest_real_kernel,
    largest_real_prob_no_real,
    largest_real_sf,
)
# -- end largest real eigenvalue --------------------------------------------------------------

# -- eigenvalue moments and the growth bound (rmtedge/mp/moments.py) ------------------------
from .moments import (
    eigenvalue_moment,
    hidden_state_lower_bound,
    nonreal_moment_part,
    real_line_moment_part,
)
# -- end eigenvalue moments -------------------------------------------------------------------

# -- exact hidden-state energies in integer arithmetic (rmtedge/mp/energy.py) -----------------
from .energy import (
    complex_frobenius_trace,
    complex_frobenius_trace_bruteforce,
    frobenius_energy,
    frobenius_trace_polynomial,
    hidden_state_energy,
)
# -- end exact hidden-state energies ------------------------------------------------------------

__all__ = [
    "complex_eigenvalue_density",
    "complex_frobenius_trace",
    "complex_frobenius_trace_bruteforce",
    "eigenvalue_moment",
    "expected_nonreal_outside",
    "expected_real_eigenvalues",
    "expected_real_outside",
    "frobenius_energy",
    "frobenius_trace_polynomial",
    "hidden_state_energy",
    "hidden_state_lower_bound",
    "largest_real_cdf",
    "largest_real_kernel",
    "largest_real_prob_no_real",
    "largest_real_sf",
    "nonreal_moment_part",
    "real_count_distribution",
    "real_eigenvalue_density",
    "real_spectral_radius_cdf",
    "real_spectral_radius_logcdf",
    "real_spectral_radius_logsf",
    "real_spectral_radius_sf",
    "real_line_moment_part",
    "spectral_radius_cdf",
    "spectral_radius_logcdf",
    "spectral_radius_logsf",
    "spectral_radius_sf",
]
