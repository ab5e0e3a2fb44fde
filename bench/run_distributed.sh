#!/usr/bin/env bash
# bench/run_distributed.sh [BUILD_DIR] [d,d,...] -- one replicate split over MPI ranks, side by
# side in one run: P = 1 with 1 and 2 threads, P = 2 with 1 thread per rank (the same 2 cores),
# and P = 2 again with Open MPI's yield_when_idle (a waiting rank yields its core instead of polling),
# tokens model (T = 16, causal, latent-exp:0.9,4), delta = gamma = 1/2, default d = 4000, 20000.
# Prints bench_distributed's rows: seconds, eigen-solver seconds, block steps, VmHWM per rank,
# MB each rank passes to MPI_Allreduce per block step. Figures: docs/monte_carlo.md.
set -eu
build=${1:-build}
sizes=${2:-4000,20000}
bench=$build/bench/bench_distributed
[ -x "$bench" ] || { echo "run_distributed: $bench not found (MPI build, bench_distributed target)" >&2; exit 2; }
mpi() { mpirun --allow-run-as-root --oversubscribe -n "$@"; }
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
header=1
for d in ${sizes//,/ }; do
  for run in "1 1" "1 2" "2 1" "2 1 yield"; do
    set -- $run
    if [ $# = 3 ]; then
      out=$(OMPI_MCA_mpi_yield_when_idle=1 mpi "$1" "$bench" tokens "$d" "$2")
    else
      out=$(mpi "$1" "$bench" tokens "$d" "$2")
    fi
    if [ $header = 1 ]; then echo "threads_per_rank $(echo "$out" | head -1)"; header=0; fi
    echo "$out" | sed -n '2,$p' | grep -v '^#' | sed "s/^/$2                /"
    echo "$out" | grep '^#' | sed "s/^# /#   P = $1, $2 thread(s)${3:+, $3}: /"
  done
done
