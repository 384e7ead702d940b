"""Monte Carlo sweep engine (in process, local processes, Dask)."""
