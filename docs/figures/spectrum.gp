# spectrum.png -- written by: attnrmt plot spectrum --delta 1/2 --gamma 1/2 --rho 1 --alpha-over-kappa 2 --mc-d 1000 --seeds 5 --seed 1 --threads 2 --out docs/figures/spectrum.png
# Redraw with `gnuplot spectrum.gp` (from any directory; the image is written beside this script).
# Data: spectrum.dat (blocks addressed with `index N`, see its comments).
scriptdir = ''
do for [i = strlen(ARG0):1:-1] { if (scriptdir eq '' && ARG0[i:i] eq '/') { scriptdir = ARG0[1:i] } }
if (!exists('datafile')) datafile = scriptdir.'spectrum.dat'
if (!exists('outfile')) outfile = scriptdir.'spectrum.png'
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
set xlabel 'eigenvalue λ of C  (units of κ = ‖w‖^2)'
set ylabel 'density'
set xrange [0:5.5801894246968553]
set yrange [0:2.1436465132024138]
set key at graph 0.97, graph 0.84 right top title 'δ = 1/2, γ = 1/2, ρ = 1'
set arrow from 4.4091498636093824, graph 0 to 4.4091498636093824, graph 0.9 nohead dt 2 lw 1 lc rgb '#D55E00'
set label 'λ_+ = 4.409' at 4.4091498636093824, graph 0.95 right offset -0.3,0 tc rgb '#D55E00'
set arrow from 0.028350136390617835, graph 0 to 0.028350136390617835, graph 0.9 nohead dt 2 lw 1 lc rgb '#D55E00'
set label 'λ_- = 0.02835' at 0.028350136390617835, graph 0.95 left offset 0.3,0 tc rgb '#D55E00'
set label 'no atom at 0' at graph 0.97, graph 0.45 right tc rgb '#7F7F7F'
set arrow from 5.04, graph 0.3 to 5.04, graph 0 head filled size screen 0.015,20 lw 2 lc rgb '#009E73'
set label 'α/κ = 2: outlier λ = 5.04' at 5.04, graph 0.3 right offset 1,0.7 tc rgb '#009E73'
plot datafile index 2 using 1:2:5 with boxes lc rgb '#7F7F7F' fs transparent solid 0.4 title 'MC, d = 1000, 5 seeds', \
     '' index 0 using 1:2 with lines lw 2 lc rgb '#0072B2' title 'theory', \
     '' index 3 using 2:(0.08574586052809656) with points pt 2 ps 0.9*psc lw 1.5 lc rgb 'black' title 'MC top eigenvalues'

set output
