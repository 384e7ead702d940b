"""Laws of the spectral edge: spectral radius, largest real eigenvalue, Gumbel limits."""
