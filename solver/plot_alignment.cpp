// solver/plot_alignment.cpp -- `attnrmt plot alignment`: alignments of the top eigenvector against
// alpha/kappa, thresholds marked, optional Monte Carlo points.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/mc/statistics.hpp"
#include "attnrmt/spike.hpp"
#include "plot_bulk.hpp"
#include "plot_inputs.hpp"
#include "plot_kinds.hpp"
#include "plot_mc.hpp"
#include "plot_style.hpp"

namespace attnrmt::cli::plot {

int plot_alignment(const Options& opts) {
  Param delta = read_param(opts, "delta", "", false), gamma = read_param(opts, "gamma", "", false);
  Param rho = read_param(opts, "rho", "1", true);
  McSettings mcs = read_mc(opts);
  BulkLaw<double> law(delta.value, gamma.value);
  auto th = thresholds(delta.value, gamma.value, rho.value);
  std::pair<double, double> range{0.0, std::max(4.0, 4 * th.tau2)};
  if (opts.has("range")) range = read_range(opts, "range", 0);
  Figure fig = read_figure(opts);
  const int n = read_points(opts, 401);

  std::vector<double> xs;
  for (int i = 0; i < n; ++i)
    xs.push_back(range.first + (range.second - range.first) * i / (n - 1));
  // The thresholds themselves, so that the kink at tau2 is drawn sharply.
  for (double t : {th.tau1, th.tau2})
    if (t > range.first && t < range.second) xs.push_back(t);
  std::sort(xs.begin(), xs.end());
  DataBlock curve{"alignment",
                  {"alpha_over_kappa", "alignment_mu", "alignment_u", "population_alignment",
                   "lambda_over_kappa", "regime(0=none,1=table-only,2=detectable)"},
                  {}};
  for (double x : xs) {
    if (x <= 0) continue;  // alpha/kappa > 0 (outlier_report's domain)
    auto r = outlier_report(law, rho.value, x);
    curve.rows.push_back({x, r.alignment_mu, r.spike.alignment_u, r.spike.population_alignment,
                          r.spike.lambda, static_cast<double>(static_cast<int>(r.regime))});
  }
  const double cap = rho.value / (rho.value + delta.value);
  DataBlock marks{
      "thresholds", {"tau1", "tau2", "cap_rho_over_rho_plus_delta"}, {{th.tau1, th.tau2, cap}}};

  // Key: bottom right, or, when the cap is low, in the gap between the cap
  // (A_mu stays below it) and the lowest A_u over the right half of the range.
  std::string key_position = "set key at graph 0.98, graph 0.04 right bottom";
  {
    double au_min = 1;
    for (const auto& r : curve.rows)
      if (r[0] >= (range.first + range.second) / 2) au_min = std::min(au_min, r[2]);
    const double low = cap / 1.05, high = au_min / 1.05;
    const double key_height = 0.08 * (mcs.on ? 6 : 3) + 0.04;
    if (low < key_height + 0.08 && high - low > key_height + 0.04)
      key_position =
          "set key at graph 0.98, graph " + label_num((low + high) / 2) + " right center";
  }
  std::ostringstream s;
  s << fig.text.common_style() << "set xlabel " << fig.text.label("α/κ = w^TRw / ‖w‖^2") << "\n"
    << "set ylabel " << fig.text.label("alignment of the top eigenvector") << "\n"
    << "set xrange [" << gp_num(range.first) << ":" << gp_num(range.second)
    << "]\nset yrange [0:1.05]\n"
    << key_position << " title "
    << (mcs.on && !fig.text.latex()
            ? "\"" + law_title(delta, gamma) + ", ρ = " + rho.text + "\\n" + mc_title(mcs) + "\""
            : fig.text.key(law_title(delta, gamma) + ", ρ = " + rho.text))
    << "\n";
  // Regime bands (behind), threshold lines and names.
  s << "set object 1 rect from graph 0, graph 0 to first " << gp_num(th.tau1)
    << ", graph 1 behind fc rgb '" << kGrey << "' fs transparent solid 0.15 noborder\n"
    << "set object 2 rect from first " << gp_num(th.tau1) << ", graph 0 to first "
    << gp_num(th.tau2) << ", graph 1 behind fc rgb '" << kOrange
    << "' fs transparent solid 0.2 noborder\n"
    << "set object 3 rect from first " << gp_num(th.tau2)
    << ", graph 0 to graph 1, graph 1 behind fc rgb '" << kGreen
    << "' fs transparent solid 0.12 noborder\n";
  for (auto [t, name] : {std::pair<double, const char*>{th.tau1, "τ_1"}, {th.tau2, "τ_2"}})
    s << "set arrow from " << gp_num(t) << ", graph 0 to " << gp_num(t)
      << ", graph 1 nohead dt 2 lw 1 lc rgb 'black'\n"
      << "set label " << fig.text.label(std::string(name) + " = " + label_num(t)) << " at "
      << gp_num(t) << ", graph 0.97 right rotate by 90 offset 1.3,0 front\n";
  s << "set label " << fig.text.label("none") << " at "
    << gp_num((std::max(range.first, 0.0) + th.tau1) / 2)
    << ", graph 0.03 left rotate by 90 tc rgb '#505050'\n"
    << "set label " << fig.text.label("table only") << " at " << gp_num((th.tau1 + th.tau2) / 2)
    << ", graph 0.03 left rotate by 90 tc rgb '#505050'\n"
    << "set arrow from graph 0, first " << gp_num(cap) << " to graph 1, first " << gp_num(cap)
    << " nohead dt 3 lw 1 lc rgb '" << kGrey << "'\n"
    << "set label " << fig.text.label("cap ρ/(ρ+δ) = " + label_num(cap)) << " at graph 0.98, first "
    << gp_num(cap) << " right offset 0,0.6 tc rgb '" << kGrey << "'\n";
  std::vector<DataBlock> blocks{curve, marks};
  std::vector<std::string> items{"index 0 using 1:3 with lines lw 2 dt 2 lc rgb '" +
                                     std::string(kOrange) + "' title " + fig.text.key("A_u theory"),
                                 "index 0 using 1:2 with lines lw 2 lc rgb '" + std::string(kBlue) +
                                     "' title " + fig.text.key("A_μ theory")};
  if (mcs.on) {
    // Common random numbers: every alpha/kappa uses the same seeds.
    DataBlock pts{"mc_alignment",
                  {"alpha_over_kappa", "alignment_mu", "stderr_mu", "alignment_u", "stderr_u",
                   "top_eigenvalue", "stderr_top", "seeds"},
                  {}};
    mc::Config cfg = mc_config(mcs, delta.value, gamma.value, rho.value, 1.0, false);
    std::cerr << "attnrmt plot: simulating " << mcs.points << " x " << mcs.seeds
              << " replicate(s) at d = " << mcs.d << "\n";
    for (int j = 0; j < mcs.points; ++j) {
      double x = range.first + (range.second - range.first) * (j + 1) / mcs.points;
      cfg.alpha_over_kappa = x;
      std::vector<double> amu, au, top;
      for (int r = 0; r < mcs.seeds; ++r) {
        mc::Replicate rep = mc::simulate_replicate(cfg, mcs.seed, r);
        amu.push_back(rep.alignment_mu.at(0));
        au.push_back(rep.alignment_u.at(0));
        top.push_back(rep.top_eigenvalues.at(0));
      }
      const mc::MeanAndError a1 = mc::mean_and_standard_error(amu);
      const mc::MeanAndError a2 = mc::mean_and_standard_error(au);
      const mc::MeanAndError a3 = mc::mean_and_standard_error(top);
      pts.rows.push_back({x, a1.mean, a1.standard_error, a2.mean, a2.standard_error, a3.mean,
                          a3.standard_error, static_cast<double>(mcs.seeds)});
    }
    blocks.push_back(pts);
    blocks.push_back(sizes_block(cfg, mcs));
    items.push_back("index 2 using 1:4:5 with yerrorbars pt 6 ps 0.6*psc lc rgb '" +
                    std::string(kOrange) + "' title " + fig.text.key("A_u MC"));
    items.push_back(
        "index 2 using 1:2:3 with yerrorbars pt 7 ps 0.6*psc lc rgb '" + std::string(kBlue) +
        "' title " +
        fig.text.key(fig.text.latex() ? "A_μ " + mc_title(mcs) : std::string("A_μ MC")));
  }
  s << fig.text.plot_command(items);
  finish(fig, blocks, s.str());
  return 0;
}

}  // namespace attnrmt::cli::plot
