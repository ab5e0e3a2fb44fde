#!/usr/bin/env python3
"""Python benchmarks (docs/python.md, README): run side by side in one process.

1. BulkLaw(0.5, 0.5).density over 1,000,000 points (float64, vectorised, GIL
   released, threads; certified = correctly rounded by the ball engine, the
   default, and certified=False, the plain double path) against a numpy
   do-it-yourself density: the roots of the
   cubic of docs/theory.md §2,
       delta gamma q^3 + (delta(1-gamma) + gamma(1-delta)) q^2 + ((1-delta)(1-gamma) - x) q + x = 0,
   by batched companion-matrix eigenvalues (numpy.linalg.eigvals), density
   max_i(-Im q_i)/(pi x). Both are checked to agree before timing.
2. Per-call time of a scalar attnrmt.thresholds(0.5, 0.5) (float64 path), and,
   for scale, of the certified path digits=15 and of an empty Python call.

    PYTHONPATH=build/python python3 bench/bench_python.py [--points N] [--repeat R]
"""

import argparse
import os
import subprocess
import time
import timeit

import numpy as np

import attnrmt
from peers import density_cdf_numpy  # bench/ is on sys.path when run as a script


def diy_density(x, delta, gamma):
    """The numpy peer (companion-matrix eigenvalues of the bulk cubic, bench/peers.py)."""
    return density_cdf_numpy(delta, gamma, x)[0]


def best_of(f, repeat):
    """Best (wall, CPU) seconds of `repeat` runs. CPU time (time.process_time, all
    threads of this process) is what to compare on a machine shared with other jobs."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu)


def per_call(f, calls, repeat):
    def loop():
        for _ in range(calls):
            f()
    wall, cpu = best_of(loop, repeat)
    return wall / calls, cpu / calls


def main():
    p = argparse.ArgumentParser(description="attnrmt Python benchmarks")
    p.add_argument("--points", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--cli", default=os.path.join(os.path.dirname(__file__), "..", "build", "attnrmt"),
                   help="the attnrmt CLI, timed on `bulk --grid` (default build/attnrmt)")
    p.add_argument("--cli-points", type=int, default=20_000)
    a = p.parse_args()
    law = attnrmt.BulkLaw(0.5, 0.5)
    left, right = law.edges()
    x = np.linspace(left * 0.5, right * 1.05, a.points)
    x = x[x > 0]
    small = x[:: max(1, x.size // 20000)]
    err = np.max(np.abs(law.density(small) - diy_density(small, 0.5, 0.5)))
    print(f"agreement on {small.size} points: max |attnrmt - numpy DIY| = {err:.2e}")
    t_cert, c_cert = best_of(lambda: law.density(x), a.repeat)
    t_lib, c_lib = best_of(lambda: law.density(x, certified=False), a.repeat)
    t_diy, c_diy = best_of(lambda: diy_density(x, 0.5, 0.5), a.repeat)
    n = x.size
    print(f"density over {n} points (wall / CPU): attnrmt certified (correctly rounded) "
          f"{t_cert:.3f} / {c_cert:.3f} s ({c_cert / n * 1e9:.0f} CPU ns/point), "
          f"attnrmt certified=False {t_lib:.3f} / {c_lib:.3f} s "
          f"({c_lib / n * 1e9:.0f} CPU ns/point), numpy companion-matrix DIY {t_diy:.3f} / {c_diy:.3f} s "
          f"({c_diy / n * 1e9:.0f} CPU ns/point); CPU ratios DIY/certified {c_diy / c_cert:.2f}x, "
          f"DIY/certified=False {c_diy / c_lib:.1f}x; wall ratios {t_diy / t_cert:.2f}x, {t_diy / t_lib:.1f}x")
    if os.path.exists(a.cli):
        cmd = [a.cli, "bulk", "--delta", "0.5", "--gamma", "0.5", "--grid",
               f"{left * 0.5:.6f}:{right * 1.05:.6f}:{a.cli_points}", "--format", "csv"]
        t_cli, _ = best_of(lambda: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL), 1)
        print(f"CLI `bulk --grid` (certified 15 digits, density and cdf) over {a.cli_points} points: "
              f"{t_cli:.2f} s wall ({t_cli / a.cli_points * 1e9:.0f} ns/point)")

    w_fast, c_fast = per_call(lambda: attnrmt.thresholds(0.5, 0.5), 100_000, a.repeat)
    w_empty, c_empty = per_call(lambda: None, 100_000, a.repeat)
    w_hp, c_hp = per_call(lambda: attnrmt.thresholds(0.5, 0.5, digits=15), 200, a.repeat)
    print(f"scalar thresholds(0.5, 0.5): {c_fast * 1e6:.2f} us CPU/call ({w_fast * 1e6:.2f} us wall; "
          f"empty lambda {c_empty * 1e6:.2f} us); certified digits=15: {c_hp * 1e6:.0f} us CPU/call")


if __name__ == "__main__":
    main()
