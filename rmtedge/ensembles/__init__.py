"""Random-matrix ensembles: samplers, eigenvalue densities, real-eigenvalue counts, moments."""
