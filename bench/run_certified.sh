#!/bin/sh
# bench/run_certified.sh -- the certified engine's benchmarks and their peers,
# side by side in one run (issue 13). Usage: bench/run_certified.sh [BUILD_DIR] [N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../build"}
n=${2:-1000000}
py=${PYTHON:-/usr/bin/python3}  # Debian python3-numpy, python3-mpmath
cmake --build "$build" --target bench_certified attnrmt_cli >/dev/null
echo "== attnrmt ball engine (certified digits) =="
"$build/bench/bench_certified" "$n"
# (d) the CLI itself: two certification runs of the contour rule in MPFR.
"$py" - "$build/attnrmt" <<'PY'
import csv, io, resource, subprocess, sys
cmd = [sys.argv[1], "integrate", "--delta", "1/2", "--gamma", "1/2", "--f", "log",
       "--digits", "1000", "--format", "csv"]
out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
use = resource.getrusage(resource.RUSAGE_CHILDREN)
row = next(csv.DictReader(l for l in io.StringIO(out) if not l.startswith("#")))
cpu = use.ru_utime + use.ru_stime
import mpmath
mpmath.mp.dps = 1010
closed = 2 * (-1 + mpmath.log(2))  # L(1/2) + L(1/2), L(c) = -1 - (1 - c)/c log(1 - c)
agree = mpmath.nstr(closed, 1000, strip_zeros=False) == mpmath.nstr(mpmath.mpf(row["value"]), 1000, strip_zeros=False)
print(f"(d) integrate --f log --digits 1000: cpu {cpu:.1f} s, {row['nodes']} nodes in the "
      f"final run (two runs: about {1e3 * cpu / (2 * int(row['nodes'])):.1f} ms per node); "
      f"1000 digits equal to the closed form: {agree}")
PY
echo "== peers (numpy double, uncertified; mpmath closed forms; mpmath contour node) =="
"$py" "$here/peers.py" "$n"
