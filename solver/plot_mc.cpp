// solver/plot_mc.cpp -- Monte Carlo overlays (plot_mc.hpp).
#include "plot_mc.hpp"

#include <cmath>
#include <iostream>
#include <thread>

namespace attnrmt::cli::plot {

McSettings read_mc(const Options& opts) {
  McSettings m;
  m.on = opts.has("mc-d");
  if (!m.on) {
    for (const char* o : {"seeds", "seed", "threads", "mc-points", "bins"})
      if (opts.has(o))
        throw UsageError(std::string("--") + o + " needs --mc-d (the Monte Carlo dimension)");
    return m;
  }
  m.d = parse_integer(opts.get("mc-d"), "--mc-d", 10, 20000);
  m.seeds = static_cast<int>(parse_integer(opts.get_or("seeds", "5"), "--seeds", 1, 10000));
  m.seed =
      static_cast<std::uint64_t>(parse_integer(opts.get_or("seed", "1"), "--seed", 0, 1L << 62));
  unsigned hw = std::thread::hardware_concurrency();
  m.threads = static_cast<int>(
      parse_integer(opts.get_or("threads", std::to_string(hw ? hw : 1)), "--threads", 1, 256));
  m.points =
      static_cast<int>(parse_integer(opts.get_or("mc-points", "10"), "--mc-points", 1, 1000));
  m.bins = static_cast<int>(parse_integer(opts.get_or("bins", "60"), "--bins", 5, 10000));
  return m;
}

mc::Config mc_config(const McSettings& m, double delta, double gamma, double rho,
                     double alpha_over_kappa, bool full_spectrum) {
  mc::Config c;
  c.model = mc::Model::gaussian;
  c.d = m.d;
  c.delta = delta;
  c.gamma = gamma;
  c.rho = rho;
  c.alpha_over_kappa = alpha_over_kappa;
  c.threads = m.threads;
  if (full_spectrum) c.solver = mc::Solver::dense;
  try {
    mc::realised_sizes(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--mc-d: ") + e.what());
  }
  return c;
}

DataBlock sizes_block(const mc::Config& c, const McSettings& m) {
  mc::Sizes s = mc::realised_sizes(c);
  return {"mc_sizes",
          {"d", "V", "N", "realised_delta", "realised_gamma", "seeds", "seed"},
          {{static_cast<double>(s.d), static_cast<double>(s.V), static_cast<double>(s.N), s.delta,
            s.gamma, static_cast<double>(m.seeds), static_cast<double>(m.seed)}}};
}

std::string mc_title(const McSettings& m) {
  return "MC, d = " + std::to_string(m.d) + ", " + std::to_string(m.seeds) +
         (m.seeds == 1 ? " seed" : " seeds");
}

McSpectrum simulate_spectra(const mc::Config& c, const McSettings& m, double kappa) {
  McSpectrum out;
  std::cerr << "attnrmt plot: simulating " << m.seeds << " replicate(s) at d = " << m.d << "\n";
  for (int r = 0; r < m.seeds; ++r) {
    mc::Replicate rep = mc::simulate_replicate(c, m.seed, r);
    for (double e : rep.eigenvalues) out.eigenvalues.push_back(kappa * e);
    out.top.rows.push_back({static_cast<double>(r), kappa * rep.top_eigenvalues.at(0),
                            rep.alignment_mu.at(0), rep.alignment_u.at(0)});
  }
  return out;
}

DataBlock histogram_block(const std::vector<double>& ev, double xmax, int bins) {
  DataBlock b{"mc_histogram", {"bin_center", "density", "stderr", "count", "bin_width"}, {}};
  std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
  const double width = xmax / bins, zero = 1e-8 * xmax;
  for (double e : ev) {
    if (e <= zero) continue;
    long k = static_cast<long>(e / width);
    if (k >= 0 && k < bins) counts[static_cast<std::size_t>(k)] += 1;
  }
  const double total = static_cast<double>(ev.size());
  for (int k = 0; k < bins; ++k) {
    double n = counts[static_cast<std::size_t>(k)];
    b.rows.push_back(
        {(k + 0.5) * width, n / (total * width), std::sqrt(n) / (total * width), n, width});
  }
  return b;
}

double zero_fraction(const std::vector<double>& ev, double xmax) {
  double n = 0;
  for (double e : ev) n += e <= 1e-8 * xmax ? 1 : 0;
  return ev.empty() ? 0 : n / static_cast<double>(ev.size());
}

}  // namespace attnrmt::cli::plot
