"""Throughput of rmtedge.montecarlo sweeps and per-chunk overhead of its executors.

Run:  .venv/bin/python benchmarks/bench_montecarlo.py [--samples 96] [--repeats 3] [--no-dask]

1. spectral_radius at n = 200, real Glorot, methods "dense" and "hessenberg": samples/s in
   process (the baseline), on 1 and 2 local processes (``executor=k``: pool start-up included)
   and on a warm 2-process pool passed as ``executor`` (start-up excluded). Ratios are against
   the in-process run measured in the same session; on 2 idle cores expect about 2x.
2. Per-chunk overhead with tiny chunks (n = 4, one sample per chunk): wall time per chunk on a
   Dask LocalCluster (2 worker processes, 1 thread each) and on a warm process pool, minus the
   in-process time per chunk of the same sweep (the compute).

BLAS is pinned to one thread in the driver (threadpoolctl) and in every worker. Medians over
``--repeats`` runs. Timings on a shared machine are noisy: the load average is printed. With
Linux autogroup scheduling on a busy machine, all processes of one session share one session's
CPU slice, so the process-pool speed-up cannot show there (the script says so).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import time

from _common import bench_main, median_time, pin_blas_threads
from threadpoolctl import threadpool_info

from rmtedge import montecarlo as mc
from rmtedge.montecarlo._executors import process_context


def throughput(samples: int, repeats: int) -> None:
    n, chunk = 200, 8
    print(
        f"\n[1] spectral_radius, n = {n} real, {samples} samples, chunk_size = {chunk} (samples/s, median of {repeats})"
    )
    print(f"{'method':<12}{'executor':<26}{'samples/s':>12}{'vs in-process':>15}")
    ctx = process_context()
    with cf.ProcessPoolExecutor(2, mp_context=ctx, initializer=pin_blas_threads) as warm:
        for method in ("dense", "hessenberg"):
            kw = {
                "quantity": "spectral_radius",
                "n": n,
                "method": method,
                "samples": samples,
                "seed": 1,
                "chunk_size": chunk,
            }
            mc.run(**{**kw, "samples": chunk})  # warm-up (imports, LAPACK workspace queries)
            mc.run(**{**kw, "samples": 2 * chunk}, executor=warm)
            base = median_time(lambda kw=kw: mc.run(**kw), repeats=repeats)
            rows = [("in process", base)]
            for k in (1, 2):
                rows.append(
                    (
                        f"{k} process(es), new pool",
                        median_time(lambda kw=kw, k=k: mc.run(**kw, executor=k), repeats),
                    )
                )
            rows.append(
                (
                    "2 processes, warm pool",
                    median_time(lambda kw=kw: mc.run(**kw, executor=warm), repeats=repeats),
                )
            )
            for label, t in rows:
                print(f"{method:<12}{label:<26}{samples / t:>12.1f}{base / t:>14.2f}x")


def overhead(repeats: int, use_dask: bool) -> None:
    chunks = 200
    kw = {"quantity": "spectral_radius", "n": 4, "samples": chunks, "seed": 2, "chunk_size": 1}
    print(f"\n[2] per-chunk overhead: {chunks} chunks of 1 sample (n = 4), median of {repeats}")
    mc.run(**kw)
    compute = median_time(lambda: mc.run(**kw), repeats=repeats) / chunks
    print(f"{'in process (compute + bookkeeping)':<44}{compute * 1e3:>9.3f} ms/chunk")
    ctx = process_context()
    with cf.ProcessPoolExecutor(2, mp_context=ctx, initializer=pin_blas_threads) as warm:
        mc.run(**kw, executor=warm)
        wall = median_time(lambda: mc.run(**kw, executor=warm), repeats=repeats) / chunks
    print(
        f"{'warm 2-process pool: wall':<44}{wall * 1e3:>9.3f} ms/chunk   overhead {1e3 * (wall - compute):.3f} ms/chunk"
    )
    if not use_dask:
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed not installed: skipped")
        return
    t0 = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        start = time.perf_counter() - t0
        mc.run(**kw, executor=client)  # warm the workers (imports)
        wall = median_time(lambda: mc.run(**kw, executor=client), repeats=repeats) / chunks
    print(
        f"{'Dask LocalCluster (2 x 1 thread): wall':<44}{wall * 1e3:>9.3f} ms/chunk   overhead {1e3 * (wall - compute):.3f} ms/chunk"
    )
    print(f"{'Dask LocalCluster start-up':<44}{start:>9.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=96)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    info = threadpool_info()
    print("BLAS:", [(d.get("internal_api"), d.get("version"), d.get("architecture")) for d in info])
    print(
        "OPENBLAS_CORETYPE =",
        os.environ.get("OPENBLAS_CORETYPE"),
        "| cpus =",
        os.cpu_count(),
        "| load average =",
        os.getloadavg(),
    )
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as fh:
            autogroup = fh.read().strip() == "1"
    except OSError:
        autogroup = False
    if autogroup and os.getloadavg()[0] > (os.cpu_count() or 1):
        print(
            "NOTE: Linux autogroup scheduling is on and the machine is busy: CPU is shared per "
            "session, so extra processes of this run cannot get more CPU; parallel ratios "
            "are only meaningful on an idle machine."
        )
    with pin_blas_threads():
        throughput(args.samples, args.repeats)
        overhead(args.repeats, not args.no_dask)
    print("load average at the end =", os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(bench_main(main))
