"""Linear recurrences h_t = W h_{t-1} + x_t: simulation, energies, instability threshold, initializers."""
