# population_split.gp -- drawn by population_split.sh (data: population_split.dat).
if (!exists('datafile')) datafile = 'population_split.dat'
if (!exists('outfile')) outfile = 'population_split.png'
set encoding utf8
set terminal pngcairo enhanced color size 900,520 font 'Helvetica,10'
set output outfile
set border 3
set tics nomirror out
set logscale x
set xrange [0.015:20]
set yrange [0:0.8]
set xlabel 'eigenvalue λ of C  (units of κ)'
set ylabel 'x f(x)  (density per unit log x)'
set title 'H = 0.5 δ_{0.1} + 0.45 δ_1 + 0.05 δ_{10},  δ = γ = 1/4: three support intervals'
set key at graph 0.98, graph 0.98 right top
plot datafile index 0 using 1:($1*$2) with filledcurves y1=0 lc rgb '#0072B2' fs transparent solid 0.3 notitle, \
     '' index 0 using 1:($1*$2) with lines lw 2 lc rgb '#0072B2' title 'bulk density', \
     '' index 1 using ($1==2 ? $3 : 1/0):(0):(0):(0.55) with vectors nohead lw 2 dt 2 lc rgb '#D55E00' title 'outliers at α/κ = 2 (gap only)', \
     '' index 1 using ($1==8 ? $3 : 1/0):(0):(0):(0.45) with vectors nohead lw 2 lc rgb '#009E73' title 'outliers at α/κ = 8 (top and gap)', \
     '' index 1 using 3:(($1==2)?0.58:0.48):(sprintf('%s, A_μ = %.2f', stringcolumn(2), $4)) with labels font ',8' notitle
