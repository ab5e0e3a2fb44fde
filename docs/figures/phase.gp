# phase.png -- written by: attnrmt plot phase --gamma 1/2 --rho 1 --delta 1/2 --delta-range 0:2 --T 16 --corr latent-exp:0.9,4 --pooling mean,causal,optimal --out docs/figures/phase.png
# Redraw with `gnuplot phase.gp` (from any directory; the image is written beside this script).
# Data: phase.dat (blocks addressed with `index N`, see its comments).
scriptdir = ''
do for [i = strlen(ARG0):1:-1] { if (scriptdir eq '' && ARG0[i:i] eq '/') { scriptdir = ARG0[1:i] } }
if (!exists('datafile')) datafile = scriptdir.'phase.dat'
if (!exists('outfile')) outfile = scriptdir.'phase.png'
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
set xlabel 'δ = d/V'
set ylabel 'α/κ = w^TRw / ‖w‖^2'
set xrange [0:2]
set yrange [0:3.2403101420013201]
set key bottom right title 'γ = 1/2, ρ = 1'
set label 'no signal' at 0.66889632107023411,0.44543124770816594 center
set label 'table only' at 0.66889632107023411,1.0672827132188321 center
set label 'detectable' at 0.66889632107023411,2.242006536511326 center
set arrow from graph 0, first 1.8684866692723177 to graph 1, first 1.8684866692723177 nohead dt 4 lw 1.2 lc rgb 'black' front
set label 'mean: 1.868' at graph 0.02, first 1.8684866692723177 left offset 0,0.6 tc rgb 'black' front
set arrow from graph 0, first 2.5500695106120039 to graph 1, first 2.5500695106120039 nohead dt 4 lw 1.2 lc rgb 'black' front
set label 'causal: 2.55' at graph 0.35, first 2.5500695106120039 left offset 0,0.6 tc rgb 'black' front
set arrow from graph 0, first 2.5922481136010562 to graph 1, first 2.5922481136010562 nohead dt 4 lw 1.2 lc rgb 'black' front
set label 'optimal: 2.592' at graph 0.68, first 2.5922481136010562 left offset 0,0.6 tc rgb 'black' front
set label 'markers: T = 16, corr latent-exp:0.9,4' at graph 0.98, graph 0.97 right front
set label 'τ_1 = 0.8047' at 0.5,0.80473785412436494 left offset 0.6,-0.5 front
set label 'τ_2 = 1.187' at 0.5,1.1871842709362765 right offset -0.6,0.8 front
plot datafile index 0 using 1:(0):2 with filledcurves lc rgb '#7F7F7F' notitle, \
     '' index 0 using 1:2:3 with filledcurves lc rgb '#E69F00' notitle, \
     '' index 0 using 1:3:(3.2403101420013201) with filledcurves lc rgb '#009E73' notitle, \
     '' index 0 using 1:2 with lines lw 2 lc rgb 'black' title 'τ_1 (table)', \
     '' index 0 using 1:3 with lines lw 2 lc rgb '#0072B2' title 'τ_2 (sample)', \
     '' index 1 using 1:2 with points pt 7 ps 0.8*psc lc rgb 'black' notitle, \
     '' index 1 using 1:3 with points pt 7 ps 0.8*psc lc rgb '#0072B2' notitle

set output
