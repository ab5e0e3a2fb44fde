#!/usr/bin/python3
"""CPU time of the attnrmt command on the workloads that exact rational
arithmetic dominates, for one build or two side by side, plus the mpmath peer
of (b) in the same run.

Usage: cli_costs.py ATTNRMT [OTHER_ATTNRMT] [--repeat R]

Each command runs R times per binary (binaries interleaved, so load changes hit
both alike); the minimum CPU time (user + system of the child) is quoted. With
two binaries the ratio OTHER/ATTNRMT is printed, and the outputs must be
byte-identical apart from the provenance lines that name the build (version,
git_commit, date); a difference is reported and makes the exit status 1.

Workloads:
  (b) outlier  the 20 x 20 x 10 grid of bench/run_certified.sh (b), 50 digits
               (decimal grid: every row carries rationals with 10^12 denominators)
  (c) thresholds  30 x 30 x 3 grid at 50 digits (the grid of run_certified.sh (c))
  moments      exact moments to order 200 of decimal parameters
  table        tau1, tau2, lambda, alignment_u over a 30 x 30 decimal grid, 50 digits
  density      table of density and cdf over a 400-point decimal x grid, 30 digits
"""
import os
import subprocess
import sys
import time

WORKLOADS = [
    ("(b) outlier 20x20x10, 50 digits",
     "outlier --delta 0.1:4:20 --gamma 0.1:4:20 --alpha-over-kappa 0.5:5:10 --digits 50 "
     "--format csv"),
    ("(c) thresholds 30x30x3, 50 digits",
     "thresholds --delta 0.05:4:30 --gamma 0.05:4:30 --rho 0.5,1,2 --digits 50 --format csv"),
    ("moments order 200, decimal parameters",
     "moments --delta 0.123456789012 --gamma 0.987654321098 --order 200 --format csv"),
    ("table tau1,tau2,lambda,alignment_u 30x30, 50 digits",
     "table --quantities tau1,tau2,lambda,alignment_u --vary delta=0.1:4:30 "
     "--vary gamma=0.1:4:30 --set alpha_over_kappa=2 --digits 50 --format csv"),
    ("table density,cdf 400 x, 30 digits",
     "table --quantities density,cdf --set delta=1/2 --set gamma=1/3 --vary x=0.05:4:400 "
     "--digits 30 --format csv"),
]

PROVENANCE = ("# version:", "# git_commit:", "# date:", "# command:")


def run(binary, args):
    """(cpu seconds, stdout) of one run; raises on a non-zero exit."""
    proc = subprocess.Popen([binary] + args.split(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{binary} {args}: exit {proc.returncode}: {err.decode()[:300]}")
    lines = [l for l in out.decode().splitlines() if not l.startswith(PROVENANCE)]
    return usage.ru_utime + usage.ru_stime, "\n".join(lines)


def main():
    argv = sys.argv[1:]
    repeat = 3
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = int(argv[i + 1])
        del argv[i:i + 2]
    if not 1 <= len(argv) <= 2:
        sys.exit(__doc__)
    binaries = argv
    status = 0
    print(f"load average at start: {os.getloadavg()[0]:.2f}; min CPU of {repeat} runs")
    header = "workload".ljust(52) + "".join(f"{os.path.basename(os.path.dirname(b)) or b:>16}"
                                           for b in binaries)
    print(header + ("      ratio" if len(binaries) == 2 else ""))
    outlier_cpu = None
    for name, args in WORKLOADS:
        best = [float("inf")] * len(binaries)
        outputs = [None] * len(binaries)
        for _ in range(repeat):
            for k, b in enumerate(binaries):
                cpu, out = run(b, args)
                best[k] = min(best[k], cpu)
                outputs[k] = out
        line = name.ljust(52) + "".join(f"{t:14.3f} s" for t in best)
        if len(binaries) == 2:
            line += f"  {best[1] / best[0]:8.2f}x"
            if outputs[0] != outputs[1]:
                line += "  OUTPUTS DIFFER"
                status = 1
        print(line, flush=True)
        if outlier_cpu is None:
            outlier_cpu = best
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import peers
    t0 = time.process_time()
    peers.outlier_grid_mp()
    mp = time.process_time() - t0
    print(f"mpmath peer of (b) (bench/peers.py, same run): cpu {mp:.3f} s; "
          + ", ".join(f"{mp / t:.1f}x the CPU of {b}" for b, t in zip(binaries, outlier_cpu)))
    return status


if __name__ == "__main__":
    sys.exit(main())
