# finite_t_T2.png -- written by: attnrmt plot finite-t --T 2 --pooling mean --delta 1/2 --gamma 1/2 --mc-d 1000 --seeds 4 --pool 16384 --out docs/figures/finite_t_T2.png
# Redraw with `gnuplot finite_t_T2.gp` (from any directory; the image is written beside this script).
# Data: finite_t_T2.dat (blocks addressed with `index N`, see its comments).
scriptdir = ''
do for [i = strlen(ARG0):1:-1] { if (scriptdir eq '' && ARG0[i:i] eq '/') { scriptdir = ARG0[1:i] } }
if (!exists('datafile')) datafile = scriptdir.'finite_t_T2.dat'
if (!exists('outfile')) outfile = scriptdir.'finite_t_T2.png'
set encoding utf8
set terminal pngcairo enhanced color size 700,520 font 'Helvetica,8' fontscale 2.083 linewidth 1.67
psc = 1
set output outfile
set border 3 lw 1
set tics nomirror out scale 0.6
set mxtics 2
set mytics 2
set key samplen 2.5 spacing 1.1 opaque box lw 0.5
set style fill transparent solid 0.25 noborder
set xlabel 'eigenvalue of C / kappa'
set ylabel 'density (log scale)'
set xrange [0:5.511437329511728]
set logscale y
set yrange [1e-4:64.301086470403305]
set key at graph 0.97, graph 0.97 right top title 'T = 2, mean, 2 effective tokens'
plot datafile index 2 using 1:2:5 with boxes lc rgb '#7F7F7F' fs transparent solid 0.4 title 'tokens model, MC, d = 1000, 4 seeds', \
     '' index 0 using 1:2 with lines lw 1.5 dt 2 lc rgb '#7F7F7F' title 'asymptotic law', \
     '' index 1 using 1:2 with lines lw 2 lc rgb '#0072B2' title 'finite-T law'

set output
