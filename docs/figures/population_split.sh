#!/bin/sh
# population_split.sh -- data and figure for docs/population.md: the split-support
# density of H = 0.5 delta_0.1 + 0.45 delta_1 + 0.05 delta_10, delta = gamma = 1/4,
# with its outliers at alpha/kappa = 2 (gap outlier only) and 8 (top and gap).
# Usage: sh docs/figures/population_split.sh path/to/attnrmt   (writes beside this script)
set -eu
bin=${1:-build/attnrmt}
dir=$(dirname "$0")
pop='--delta 1/4 --gamma 1/4 --population atoms:0.1@0.5,1@0.45,10@0.05'
dat="$dir/population_split.dat"
{
  echo "# attnrmt figure data: written by docs/figures/population_split.sh"
  echo "# block 0: density on each support interval (x density; blank line between intervals)"
  $bin edges $pop --format csv | grep -v '^#' | tail -n +2 | while IFS=, read -r i a b atom; do
    # density = -Im g(x + i0)/pi from `cauchy` (no CDF quadrature needed for the picture)
    zs=$(python3 -c "import math; a,b=$a,$b; print(' '.join('--z %.10g'%(a+(b-a)*(1-math.cos(math.pi*k/80))/2) for k in range(1,80)))")
    echo "$a 0"
    $bin cauchy $pop $zs --digits 8 --format csv | grep -v '^#' | tail -n +2 |
      awk -F, '{ printf "%s %.10g\n", $1, -$4 / 3.141592653589793 }'
    echo "$b 0"
    echo
  done
  echo
  echo "# block 1: outliers (alpha_over_kappa kind lambda alignment_mu)"
  $bin outlier $pop --alpha-over-kappa 2,8 --digits 8 --format csv | grep -v '^#' | tail -n +2 |
    awk -F, '$4 != "none" && $3 == "detectable" { print $1, $2, $4, $5 }'
} > "$dat"
gnuplot -e "datafile='$dat'; outfile='$dir/population_split.png'" "$dir/population_split.gp"
