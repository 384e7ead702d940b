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
Names are loaded lazily (PEP 562): ``import rmtedge`` imports no numerical module; the first
use of a name imports the module that defines it (the table below says which).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

#: public name -> module (relative to rmtedge) that defines it
_EXPORTS: dict[str, str] = {
    # rmtedge/ensembles/samplers.py
    "ginibre": "ensembles.samplers",
    "eigvals": "ensembles.samplers",
    "spectral_radius": "ensembles.samplers",
    "count_real_eigenvalues": "ensembles.samplers",
    "hessenberg_ginibre": "ensembles.samplers",
    # rmtedge/ensembles/densities.py
    "real_eigenvalue_density": "ensembles.densities",
    "log_real_eigenvalue_density": "ensembles.densities",
    "complex_eigenvalue_density": "ensembles.densities",
    "log_complex_eigenvalue_density": "ensembles.densities",
    "expected_real_outside": "ensembles.densities",
    "log_expected_real_outside": "ensembles.densities",
    "expected_nonreal_outside": "ensembles.densities",
    "log_expected_nonreal_outside": "ensembles.densities",
    # rmtedge/ensembles/real_counts.py
    "expected_real_eigenvalues": "ensembles.real_counts",
    "prob_all_real": "ensembles.real_counts",
    "log_prob_all_real": "ensembles.real_counts",
    "prob_real_count": "ensembles.real_counts",
    "real_count_distribution": "ensembles.real_counts",
    "log_real_count_distribution": "ensembles.real_counts",
    # rmtedge/laws/gumbel.py
    "PAPER_GUMBEL_C": "laws.gumbel",
    "gamma_n": "laws.gumbel",
    "gumbel_edge_law": "laws.gumbel",
    "rider_centering": "laws.gumbel",
    "rider_scale": "laws.gumbel",
    # rmtedge/laws/radius.py
    "spectral_radius_law": "laws.radius",
    "prob_radius_exceeds_one": "laws.radius",
    "log_prob_radius_exceeds_one": "laws.radius",
    "largest_real_eigenvalue_sf": "laws.largest_real",
    "largest_real_eigenvalue_law": "laws.largest_real",
    "largest_real_eigenvalue_limit": "laws.largest_real",
    # rmtedge/ensembles/moments.py
    "eigenvalue_moment": "ensembles.moments",
    "log_eigenvalue_moment": "ensembles.moments",
    "hidden_state_lower_bound": "ensembles.moments",
    "log_hidden_state_lower_bound": "ensembles.moments",
    # rmtedge/recurrent/simulate.py
    "simulate_hidden_states": "recurrent.simulate",
    "power_norms": "recurrent.simulate",
    "HiddenStateTrace": "recurrent.simulate",
    "PowerTrace": "recurrent.simulate",
    # rmtedge/recurrent/energy.py
    "frobenius_energy": "recurrent.energy",
    "log_frobenius_energy": "recurrent.energy",
    "hidden_state_energy": "recurrent.energy",
    "log_hidden_state_energy": "recurrent.energy",
    "energy_samples": "recurrent.energy",
    "energy_summary": "recurrent.energy",
    "EnergySummary": "recurrent.energy",
    # rmtedge/recurrent/threshold.py
    "instability_threshold": "recurrent.threshold",
    "threshold_exponent": "recurrent.threshold",
    "ThresholdFit": "recurrent.threshold",
    # rmtedge/recurrent/initializers.py
    "rescale_factor": "recurrent.initializers",
    "rescaled_glorot": "recurrent.initializers",
    "diagonal_glorot_eigenvalues": "recurrent.initializers",
    "halved_glorot": "recurrent.initializers",
    "diagonal_uniform": "recurrent.initializers",
}

#: public subpackages and adapter modules, importable as attributes (``rmtedge.montecarlo.run``)
_SUBMODULES = ("mp", "montecarlo", "torch", "jax", "validation")

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first access (PEP 562) and cache the name."""
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS, *_SUBMODULES})


if TYPE_CHECKING:  # static analysers and IDEs see the eager imports
    from .ensembles.samplers import (
        ginibre,
        eigvals,
        spectral_radius,
        count_real_eigenvalues,
        hessenberg_ginibre,
    )
    from .ensembles.densities import (
        real_eigenvalue_density,
        log_real_eigenvalue_density,
        complex_eigenvalue_density,
        log_complex_eigenvalue_density,
        expected_real_outside,
        log_expected_real_outside,
        expected_nonreal_outside,
        log_expected_nonreal_outside,
    )
    from .ensembles.real_counts import (
        expected_real_eigenvalues,
        prob_all_real,
        log_prob_all_real,
        prob_real_count,
        real_count_distribution,
        log_real_count_distribution,
    )
    from .laws.gumbel import (
        PAPER_GUMBEL_C,
        gamma_n,
        gumbel_edge_law,
        rider_centering,
        rider_scale,
    )
    from .laws.radius import (
        spectral_radius_law,
        prob_radius_exceeds_one,
        log_prob_radius_exceeds_one,
        largest_real_eigenvalue_sf,
    )
    from .ensembles.moments import (
        eigenvalue_moment,
        log_eigenvalue_moment,
        hidden_state_lower_bound,
        log_hidden_state_lower_bound,
    )
    from .recurrent.simulate import (
        simulate_hidden_states,
        power_norms,
        HiddenStateTrace,
        PowerTrace,
    )
    from .recurrent.energy import (
        EnergySummary,
        energy_samples,
        energy_summary,
        frobenius_energy,
        hidden_state_energy,
        log_frobenius_energy,
        log_hidden_state_energy,
    )
    from .recurrent.threshold import (
        instability_threshold,
        threshold_exponent,
        ThresholdFit,
    )
    from .recurrent.initializers import (
        rescale_factor,
        rescaled_glorot,
        diagonal_glorot_eigenvalues,
        halved_glorot,
        diagonal_uniform,
    )
