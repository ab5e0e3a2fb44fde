// solver/plot_spectrum.cpp -- `attnrmt plot spectrum`: the bulk density and the predicted outlier
// at one alpha/kappa, optionally over simulated spectra.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/spike.hpp"
#include "plot_bulk.hpp"
#include "plot_inputs.hpp"
#include "plot_kinds.hpp"
#include "plot_mc.hpp"
#include "plot_style.hpp"

namespace attnrmt::cli::plot {

int plot_spectrum(const Options& opts) {
  Param delta = read_param(opts, "delta", "", false), gamma = read_param(opts, "gamma", "", false);
  Param kappa = read_param(opts, "kappa", "1", false);
  Param rho = read_param(opts, "rho", "1", true);
  Param snr = read_param(opts, "alpha-over-kappa", "", false);
  McSettings mcs = read_mc(opts);
  Figure fig = read_figure(opts);
  BulkLaw<double> law(delta.value, gamma.value, kappa.value);
  auto r = outlier_report(law, rho.value, snr.value);
  DataBlock dens = density_block(law, read_points(opts, 400));
  DataBlock top{
      "top_eigenvalue",
      {"alpha_over_kappa", "lambda", "right_edge", "regime(0=none,1=table-only,2=detectable)",
       "alignment_mu", "alignment_u"},
      {{snr.value, r.spike.lambda, law.right_edge(),
        static_cast<double>(static_cast<int>(r.regime)), r.alignment_mu, r.spike.alignment_u}}};
  const bool outlier = r.regime == Regime::detectable;
  double xmax = 1.1 * std::max(law.right_edge(), r.spike.lambda);
  std::vector<DataBlock> blocks{dens, top};
  std::vector<std::string> items;
  if (mcs.on) {
    mc::Config cfg = mc_config(mcs, delta.value, gamma.value, rho.value, snr.value, true);
    McSpectrum sp = simulate_spectra(cfg, mcs, kappa.value);
    double largest = *std::max_element(sp.eigenvalues.begin(), sp.eigenvalues.end());
    xmax = std::max(xmax, 1.05 * largest);
    blocks.push_back(histogram_block(sp.eigenvalues, xmax, mcs.bins));
    blocks.push_back(sp.top);
    blocks.push_back(sizes_block(cfg, mcs));
    items.push_back("index 2 using 1:2:5 with boxes lc rgb '" + std::string(kGrey) +
                    "' fs transparent solid 0.4 title " + fig.text.key(mc_title(mcs)));
  } else {
    items.push_back("index 0 using 1:2 with filledcurves y=0 lc rgb '" + std::string(kSky) +
                    "' notitle");
  }
  items.push_back("index 0 using 1:2 with lines lw 2 lc rgb '" + std::string(kBlue) + "' title " +
                  fig.text.key("theory"));
  std::ostringstream s;
  s << fig.text.common_style() << "set xlabel " << fig.text.label(kappa_axis_label(kappa)) << "\n"
    << "set ylabel " << fig.text.label("density") << "\n"
    << "set xrange [" << gp_num(law.atom() > 0 ? -0.04 * xmax : 0.0) << ":" << gp_num(xmax)
    << "]\nset yrange [0:" << gp_num(density_ymax(law, dens)) << "]\n"
    << "set key at graph 0.97, graph 0.84 right top title "
    << fig.text.key(law_title(delta, gamma) + ", ρ = " + rho.text) << "\n"
    << edge_markers(law, fig.text);
  if (outlier) {
    s << "set arrow from " << gp_num(r.spike.lambda) << ", graph 0.3 to " << gp_num(r.spike.lambda)
      << ", graph 0 head filled size screen 0.015,20 lw 2 lc rgb '" << kGreen << "'\n"
      << "set label "
      << fig.text.label("α/κ = " + snr.text + ": outlier λ = " + label_num(r.spike.lambda))
      << " at " << gp_num(r.spike.lambda) << ", graph 0.3 right offset 1,0.7 tc rgb '" << kGreen
      << "'\n";
  } else {
    s << "set label "
      << fig.text.label("α/κ = " + snr.text + " ≤ τ_2 = " +
                        label_num(thresholds(delta.value, gamma.value, rho.value).tau2) +
                        ": no outlier (" + regime_name(r.regime) + ")")
      << " at graph 0.97, graph 0.55 right tc rgb '" << kGreen << "'\n";
  }
  if (mcs.on) {
    const double y0 = 0.04 * density_ymax(law, dens);
    items.push_back("index 3 using 2:(" + gp_num(y0) +
                    ") with points pt 2 ps 0.9*psc lw 1.5 lc rgb 'black' title " +
                    fig.text.key("MC top eigenvalues"));
  }
  s << fig.text.plot_command(items);
  finish(fig, blocks, s.str());
  return 0;
}

}  // namespace attnrmt::cli::plot
