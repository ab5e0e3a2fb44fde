#!/bin/sh
# bench/run_certified.sh -- the certified engine's benchmarks and their peers,
# side by side in one run (issue 13). Usage: bench/run_certified.sh [BUILD_DIR] [N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../build"}
n=${2:-1000000}
cmake --build "$build" --target bench_certified >/dev/null
echo "== attnrmt ball engine (certified digits) =="
"$build/bench/bench_certified" "$n"
echo "== peers (numpy double, uncertified; mpmath closed forms) =="
"${PYTHON:-/usr/bin/python3}" "$here/peers.py" "$n"  # Debian python3-numpy, python3-mpmath
