"""High-precision (mpmath) back end of rmtedge: the same quantities, written straight from the papers."""
