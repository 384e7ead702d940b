"""Private foundations: JIT policy, constants, special-function kernels, argument checks."""
