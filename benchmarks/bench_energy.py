"""Exact hidden-state energies and the reduced Hessenberg sampler (rmtedge.recurrent.energy).

Run:  .venv/bin/python benchmarks/bench_energy.py [--quick]

BLAS pinned to one thread (``_common.bench_main``); each kernel is warmed up first; medians of
repeats (``_common.median_time``, wall clock).

1. ``log_frobenius_energy(n, k, field="complex")`` for every k <= 10 sqrt(n) at once (one run
   of the O(n K) DP), n = 10^2 .. 10^6 (``--quick``: up to 10^5). Targets: n = 10^4 in <= 1 s,
   n = 10^6 in <= 60 s. Baseline: the same DP in exact Python integers
   (``rmtedge.mp.energy``), n <= 10^3.
2. ``energy_samples(n, 4 sqrt(n), field)`` (leading (K+1) x K Hessenberg block) against the
   dense simulation of ``||W^k e_1||^2``, k <= K (draw W, then K matrix-vector products: the
   cheapest dense route to the same samples), equal numbers of samples, n = 1000 (target:
   >= 100x); and the reduced sampler alone at n = 10^5 (a dense W would need 80 GB).
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from _common import bench_main, median_time

from rmtedge.ensembles.samplers import ginibre
from rmtedge.mp import energy as mpe
from rmtedge.recurrent import energy as en


def bench_exact(ns):
    print("exact complex energies, all k <= 10 sqrt(n) (one DP run)")
    print(f"{'n':>9} {'K':>6} {'seconds':>9} {'ns/update':>10} {'log e_K':>9} {'exact-int s':>12} {'ratio':>8}")
    en.log_frobenius_energy(10, np.arange(5), field="complex")  # warm-up (JIT cache)
    for n in ns:
        K = int(10 * math.sqrt(n))
        ks = np.arange(K + 1)
        reps = 5 if n <= 10**4 else (3 if n <= 10**5 else 1)
        out = {}

        def run(n=n, ks=ks, out=out):
            out["v"] = en.log_frobenius_energy(n, ks, field="complex")

        t = median_time(run, repeats=reps)
        base = ""
        ratio = ""
        if n <= 1000:
            tb = median_time(mpe._complex_traces, n, K, repeats=1)
            base = f"{tb:12.3f}"
            ratio = f"{tb / t:8.0f}"
        print(f"{n:9d} {K:6d} {t:9.3f} {1e9 * t / (n * (K + 1)):10.2f} {out['v'][-1]:9.3f} {base:>12} {ratio:>8}")


def _dense(n, K, field, count, rng):
    w = ginibre(n, field=field, size=None, rng=rng)
    out = np.empty((count, K + 1))
    for s in range(count):
        if s:
            w = ginibre(n, field=field, rng=rng)
        v = np.zeros(n, dtype=w.dtype)
        v[0] = 1.0
        out[s, 0] = 1.0
        for k in range(1, K + 1):
            v = w @ v
            out[s, k] = float(np.vdot(v, v).real)
    return out


def bench_sampler(n, count, fields, dense=True, agree_samples=0):
    K = int(4 * math.sqrt(n))
    print(f"\nsampler: n = {n}, k <= {K} = 4 sqrt(n), {count} samples")
    for field in fields:
        en.energy_samples(n, 3, field=field, size=2, rng=0)  # warm-up
        t_red = median_time(en.energy_samples, n, K, field=field, size=count, rng=1, repeats=3)
        line = f"  {field:8s} reduced {t_red / count * 1e3:9.3f} ms/sample"
        if dense:
            t_den = median_time(lambda field=field: _dense(n, K, field, count, np.random.default_rng(2)), repeats=3)
            line += f"   dense {t_den / count * 1e3:9.3f} ms/sample   speed-up {t_den / t_red:7.0f}x"
        else:
            line += f"   dense: W alone needs {n * n * (16 if field == 'complex' else 8) / 1e9:.0f} GB"
        print(line)
        if agree_samples:
            _agreement(n, K, field, agree_samples, count)


def _agreement(n, K, field, m_red, m_den):
    """Exact (complex) vs reduced MC vs dense MC: mean +/- se, median, mean log."""
    red = en.energy_samples(n, K, field=field, size=m_red, rng=3)
    den = _dense(n, K, field, m_den, np.random.default_rng(4))
    print(f"    agreement ({m_red} reduced, {m_den} dense samples of ||W^k e_1||^2):")
    print(f"    {'k':>5} {'exact':>9} {'reduced mean+/-se':>20} {'median':>8} {'E log':>8} "
          f"{'dense mean+/-se':>20} {'median':>8} {'E log':>8}")
    for k in sorted({K // 8, K // 4, K // 2, K}):
        ex = f"{en.frobenius_energy(n, k, field='complex'):9.4f}" if field == "complex" else f"{'-':>9}"
        cols = []
        for s in (red[:, k], den[:, k]):
            cols.append(f"{s.mean():10.4f}+/-{s.std(ddof=1) / math.sqrt(len(s)):<7.4f} {np.median(s):8.4f} "
                        f"{np.log(s).mean():8.4f}")
        print(f"    {k:5d} {ex} {cols[0]} {cols[1]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n <= 10^5 for the DP, fewer samples")
    args = ap.parse_args()
    bench_exact([100, 1000, 10**4, 10**5] + ([] if args.quick else [10**6]))
    bench_sampler(1000, 10 if args.quick else 40, ("real", "complex"), agree_samples=500 if args.quick else 4000)
    bench_sampler(10**5, 2 if args.quick else 5, ("real", "complex"), dense=False)


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
