"""Throughput of rmtedge.simulate_hidden_states against the machine's GEMM rate.

Run:  .venv/bin/python benchmarks/bench_recurrence.py [--quick]

For each shape (n, n_matrices, n_inputs) it times, in the same run and with BLAS pinned to
1 thread (then 2 threads):

* ``gemm``   -- the bare BLAS-3 work of the recurrence: T calls of
  ``numpy.matmul(W, H, out=Y)`` with W (m, n, n) and H (m, n, p) (the attainable rate);
* ``array``  -- ``simulate_hidden_states`` with pre-drawn inputs (the recurrence machinery:
  GEMM + fused input addition and column norms + streaming record);
* ``gauss``  -- ``simulate_hidden_states`` with its default Gaussian inputs (adds drawing
  n * p normals per step and matrix, which is memory/RNG bound);
* ``naive``  -- a per-step matrix-vector Python loop (``h = W @ h + x``; norm) on a subset,
  the obvious baseline.

Flops are counted as 2 n^2 p per step and matrix (real field). Medians of several repeats
are printed, with the fraction of the GEMM rate and the speed-up over the naive loop.
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import bench_main, median_time, pin_blas_threads

import rmtedge

REPEATS = 5


def median_rep(fn, repeats=REPEATS):
    """Median wall time of ``fn()`` over REPEATS calls."""
    return median_time(fn, repeats=repeats)


def _gemm(W, p, T):
    H = np.zeros((*W.shape[:2], p))
    Y = np.empty_like(H)

    def run():
        nonlocal H, Y
        for _ in range(T):
            np.matmul(W, H, out=Y)
            H, Y = Y, H

    return run


def _naive(W, X):
    def run():
        for j in range(W.shape[0]):
            for i in range(X.shape[0]):
                h = np.zeros(W.shape[1])
                for t in range(X.shape[1]):
                    h = W[j] @ h + X[i, t]
                    np.linalg.norm(h)

    return run


def bench(n, m, p, T, threads, naive_inputs=2):
    rng = np.random.default_rng(0)
    W = rmtedge.ginibre(n, size=m, rng=rng)
    X = rng.standard_normal((p, T, n))
    flops = 2.0 * n * n * p * m * T
    with pin_blas_threads(threads):
        # warm-up: JIT kernels (cached after the first process) and BLAS buffers
        rmtedge.simulate_hidden_states(W, T=2, inputs=X[:, :2])
        rmtedge.simulate_hidden_states(W, T=2, n_inputs=p, rng=1)
        t_gemm = median_rep(_gemm(W, p, T))
        t_array = median_rep(lambda: rmtedge.simulate_hidden_states(W, T=T, inputs=X))
        t_gauss = median_rep(lambda: rmtedge.simulate_hidden_states(W, T=T, n_inputs=p, rng=1))
        # naive loop on 1 matrix x `naive_inputs` inputs, scaled to the full work by flops
        Tn = max(1, min(T, 200))
        t_naive_sub = median_rep(_naive(W[:1], X[:naive_inputs, :Tn]), repeats=3)
        t_naive = t_naive_sub * (m * p * T) / (naive_inputs * Tn)
    gf = flops / 1e9
    return {
        "n": n,
        "m": m,
        "p": p,
        "T": T,
        "threads": threads,
        "gemm": gf / t_gemm,
        "array": gf / t_array,
        "gauss": gf / t_gauss,
        "naive": gf / t_naive,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller shapes, for a smoke run")
    args = ap.parse_args()
    shapes = [(64, 8, 50, 400), (256, 4, 50, 100), (1024, 2, 64, 20)]
    if args.quick:
        shapes = [(64, 4, 50, 100), (256, 2, 50, 30)]
    print(
        f"{'n':>5} {'m':>3} {'p':>3} {'T':>4} {'thr':>3} | {'GEMM':>7} {'array':>7} "
        f"{'gauss':>7} {'naive':>7} GFlop/s | {'array/GEMM':>10} {'gauss/GEMM':>10} "
        f"{'array/naive':>11}"
    )
    for threads in (1, 2):
        for n, m, p, T in shapes:
            r = bench(n, m, p, T, threads)
            print(
                f"{n:5d} {m:3d} {p:3d} {T:4d} {threads:3d} | {r['gemm']:7.2f} {r['array']:7.2f} "
                f"{r['gauss']:7.2f} {r['naive']:7.3f}         | {r['array'] / r['gemm']:10.2f} "
                f"{r['gauss'] / r['gemm']:10.2f} {r['array'] / r['naive']:11.1f}"
            )


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
