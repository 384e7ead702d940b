"""High-precision (mpmath) back end of rmtedge: the same quantities, written straight from the papers."""

# -- spectral-radius law of complex Glorot matrices (rmtedge/mp/edge.py) --------------------
from .edge import (  # noqa: E402
    spectral_radius_cdf,
    spectral_radius_logcdf,
    spectral_radius_logsf,
    spectral_radius_sf,
)
# -- end spectral-radius law ------------------------------------------------------------------
