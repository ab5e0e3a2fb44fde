# alignment.png -- written by: attnrmt plot alignment --delta 1/2 --gamma 1/2 --rho 1 --mc-d 1000 --seeds 5 --seed 1 --threads 2 --mc-points 10 --out docs/figures/alignment.png
# Redraw with `gnuplot alignment.gp` (from any directory; the image is written beside this script).
# Data: alignment.dat (blocks addressed with `index N`, see its comments).
scriptdir = ''
do for [i = strlen(ARG0):1:-1] { if (scriptdir eq '' && ARG0[i:i] eq '/') { scriptdir = ARG0[1:i] } }
if (!exists('datafile')) datafile = scriptdir.'alignment.dat'
if (!exists('outfile')) outfile = scriptdir.'alignment.png'
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
set xlabel 'α/κ = w^TRw / ‖w‖^2'
set ylabel 'alignment of the top eigenvector'
set xrange [0:4.7487370837451062]
set yrange [0:1.05]
set key at graph 0.98, graph 0.04 right bottom title "δ = 1/2, γ = 1/2, ρ = 1\nMC, d = 1000, 5 seeds"
set object 1 rect from graph 0, graph 0 to first 0.80473785412436494, graph 1 behind fc rgb '#7F7F7F' fs transparent solid 0.15 noborder
set object 2 rect from first 0.80473785412436494, graph 0 to first 1.1871842709362765, graph 1 behind fc rgb '#E69F00' fs transparent solid 0.2 noborder
set object 3 rect from first 1.1871842709362765, graph 0 to graph 1, graph 1 behind fc rgb '#009E73' fs transparent solid 0.12 noborder
set arrow from 0.80473785412436494, graph 0 to 0.80473785412436494, graph 1 nohead dt 2 lw 1 lc rgb 'black'
set label 'τ_1 = 0.8047' at 0.80473785412436494, graph 0.97 right rotate by 90 offset 1.3,0 front
set arrow from 1.1871842709362765, graph 0 to 1.1871842709362765, graph 1 nohead dt 2 lw 1 lc rgb 'black'
set label 'τ_2 = 1.187' at 1.1871842709362765, graph 0.97 right rotate by 90 offset 1.3,0 front
set label 'none' at 0.40236892706218247, graph 0.03 left rotate by 90 tc rgb '#505050'
set label 'table only' at 0.9959610625303208, graph 0.03 left rotate by 90 tc rgb '#505050'
set arrow from graph 0, first 0.66666666666666663 to graph 1, first 0.66666666666666663 nohead dt 3 lw 1 lc rgb '#7F7F7F'
set label 'cap ρ/(ρ+δ) = 0.6667' at graph 0.98, first 0.66666666666666663 right offset 0,0.6 tc rgb '#7F7F7F'
plot datafile index 0 using 1:3 with lines lw 2 dt 2 lc rgb '#E69F00' title 'A_u theory', \
     '' index 0 using 1:2 with lines lw 2 lc rgb '#0072B2' title 'A_μ theory', \
     '' index 2 using 1:4:5 with yerrorbars pt 6 ps 0.6*psc lc rgb '#E69F00' title 'A_u MC', \
     '' index 2 using 1:2:3 with yerrorbars pt 7 ps 0.6*psc lc rgb '#0072B2' title 'A_μ MC'

set output
