// solver/plot_finite_t.cpp -- `attnrmt plot finite-t`: the discrete-token
// model's finite-T bulk density (docs/theory.md §7) beside the asymptotic law
// kappa (MP_delta ⊠ MP_gamma), optionally over a histogram of simulated
// tokens-model spectra (no signal: the bulk alone). Unit kappa; the density on
// a log scale, where the two laws part (near the edges and in the tail).
#include <algorithm>
#include <cmath>
#include <sstream>
#include <thread>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/finite_t/token_bulk.hpp"
#include "attnrmt/mc_scheme.hpp"
#include "attnrmt/weights.hpp"
#include "plot_bulk.hpp"
#include "plot_inputs.hpp"
#include "plot_kinds.hpp"
#include "plot_mc.hpp"
#include "plot_style.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli::plot {

int plot_finite_t(const Options& opts) {
  Param delta = read_param(opts, "delta", "", false), gamma = read_param(opts, "gamma", "", false);
  if (!opts.has("T") && !opts.has("corr"))
    throw UsageError("plot finite-t needs the attention scheme: --T T and --pooling SCHEME");
  const SchemeInput in = read_scheme_options(opts, "mean");
  if (in.schemes.size() != 1) throw UsageError("--pooling takes one scheme for plot finite-t");
  const SchemeSummary<double> scheme = evaluate_scheme<double>(in.schemes.front(), in.corr);
  finite_t::CavitySettings s;
  s.pool =
      static_cast<std::size_t>(parse_integer(opts.get_or("pool", "4096"), "--pool", 256, 4194304));
  McSettings mcs = read_mc(opts);
  Figure fig = read_figure(opts);
  BulkLaw<double> law(delta.value, gamma.value, 1.0);
  const finite_t::TokenBulkLaw ft(scheme.weights, delta.value, gamma.value, s);
  double xmax = 1.25 * law.right_edge();
  std::ostringstream mc_layer;
  std::vector<DataBlock> blocks{density_block(law, read_points(opts, 160))};
  std::vector<double> xs;
  const int n = read_points(opts, 160);
  // The finite-T density on a grid reaching past the asymptotic edge (its tail).
  for (int i = 1; i <= n; ++i) xs.push_back(xmax * i / n);
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto d = ft.density(xs, 0, threads);
  DataBlock fb{"finite_t_density", {"x", "density", "standard_error"}, {}};
  for (std::size_t i = 0; i < xs.size(); ++i) fb.rows.push_back({xs[i], d[i].first, d[i].second});
  blocks.push_back(fb);
  if (mcs.on) {
    mc::Config cfg = mc_config(mcs, delta.value, gamma.value, 0.0, 0.0, true);
    cfg.model = mc::Model::tokens;
    mc::apply_scheme(cfg, in.corr, scheme_label(in.schemes.front()));
    cfg.rho = 0;
    McSpectrum sp = simulate_spectra(cfg, mcs, 1.0);
    const double top = *std::max_element(sp.eigenvalues.begin(), sp.eigenvalues.end());
    xmax = std::max(xmax, 1.03 * top);
    blocks.push_back(histogram_block(sp.eigenvalues, xmax, mcs.bins));
    blocks.push_back(sizes_block(cfg, mcs));
    mc_layer << "index 2 using 1:2:5 with boxes lc rgb '" << kGrey
             << "' fs transparent solid 0.4 title "
             << fig.text.key("tokens model, " + mc_title(mcs));
  }
  char teff[64];
  std::snprintf(teff, sizeof teff, "%.3g effective tokens", scheme.effective_tokens);
  std::ostringstream st;
  st << fig.text.common_style() << "set xlabel " << fig.text.label("eigenvalue of C / kappa")
     << "\nset ylabel " << fig.text.label("density (log scale)")
     << "\nset xrange [0:" << gp_num(xmax)
     << "]\nset logscale y\nset yrange [1e-4:" << gp_num(30 * density_ymax(law, blocks[0])) << "]\n"
     << "set key at graph 0.97, graph 0.97 right top title "
     << fig.text.key("T = " + std::to_string(in.corr.length()) + ", " +
                     scheme_label(in.schemes.front()) + ", " + teff)
     << "\n";
  std::vector<std::string> items;
  if (mcs.on) items.push_back(mc_layer.str());
  items.push_back("index 0 using 1:2 with lines lw 1.5 dt 2 lc rgb '" + std::string(kGrey) +
                  "' title " + fig.text.key("asymptotic law"));
  items.push_back("index 1 using 1:2 with lines lw 2 lc rgb '" + std::string(kBlue) + "' title " +
                  fig.text.key("finite-T law"));
  st << fig.text.plot_command(items);
  finish(fig, blocks, st.str());
  return 0;
}

}  // namespace attnrmt::cli::plot
