// solver/plot_density.cpp -- `attnrmt plot density`: the bulk density with its edges and atom,
// optionally over a Monte Carlo histogram.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "attnrmt/bulk_law.hpp"
#include "plot_bulk.hpp"
#include "plot_inputs.hpp"
#include "plot_kinds.hpp"
#include "plot_mc.hpp"
#include "plot_style.hpp"

namespace attnrmt::cli::plot {

int plot_density(const Options& opts) {
  Param delta = read_param(opts, "delta", "", false), gamma = read_param(opts, "gamma", "", false);
  Param kappa = read_param(opts, "kappa", "1", false);
  McSettings mcs = read_mc(opts);
  Figure fig = read_figure(opts);
  BulkLaw<double> law(delta.value, gamma.value, kappa.value);
  DataBlock dens = density_block(law, read_points(opts, 400));
  DataBlock edges{
      "edges",
      {"left_edge", "right_edge", "atom", "hard_left_edge"},
      {{law.left_edge(), law.right_edge(), law.atom(), law.hard_left_edge() ? 1.0 : 0.0}}};
  std::vector<DataBlock> blocks{dens, edges};
  double xmax = 1.08 * law.right_edge();
  std::ostringstream mc_layer, mc_labels;
  if (mcs.on) {
    // No signal (alpha/kappa = 0): the spectrum is the bulk alone.
    mc::Config cfg = mc_config(mcs, delta.value, gamma.value, 1.0, 0.0, true);
    McSpectrum sp = simulate_spectra(cfg, mcs, kappa.value);
    double top = *std::max_element(sp.eigenvalues.begin(), sp.eigenvalues.end());
    xmax = std::max(xmax, 1.03 * top);
    blocks.push_back(histogram_block(sp.eigenvalues, xmax, mcs.bins));
    blocks.push_back(sizes_block(cfg, mcs));
    mc_layer << "index 2 using 1:2:5 with boxes lc rgb '" << kGrey
             << "' fs transparent solid 0.4 title " << fig.text.key(mc_title(mcs));
    double zf = zero_fraction(sp.eigenvalues, xmax);
    if (law.atom() > 0)
      mc_labels << "set label " << fig.text.label("MC zero eigenvalues: " + label_num(zf, 3))
                << " at graph 0.97, graph 0.38 right tc rgb '" << kGrey << "'\n";
  }
  std::ostringstream s;
  s << fig.text.common_style() << "set xlabel " << fig.text.label(kappa_axis_label(kappa)) << "\n"
    << "set ylabel " << fig.text.label("density") << "\n"
    << "set xrange [" << gp_num(law.atom() > 0 ? -0.04 * xmax : 0.0) << ":" << gp_num(xmax)
    << "]\nset yrange [0:" << gp_num(density_ymax(law, dens)) << "]\n"
    << "set key at graph 0.97, graph 0.84 right top title " << fig.text.key(law_title(delta, gamma))
    << "\n"
    << edge_markers(law, fig.text) << mc_labels.str();
  std::vector<std::string> items;
  if (mcs.on)
    items.push_back(mc_layer.str());
  else
    items.push_back("index 0 using 1:2 with filledcurves y=0 lc rgb '" + std::string(kSky) +
                    "' notitle");
  items.push_back("index 0 using 1:2 with lines lw 2 lc rgb '" + std::string(kBlue) + "' title " +
                  fig.text.key("theory"));
  s << fig.text.plot_command(items);
  finish(fig, blocks, s.str());
  return 0;
}

}  // namespace attnrmt::cli::plot
