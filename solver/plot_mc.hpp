// solver/plot_mc.hpp -- Monte Carlo overlays of `attnrmt plot` (density,
// alignment, spectrum): the Gaussian-equivalent model of attnrmt/monte_carlo.hpp
// (`attnrmt validate --model gaussian`) at dimension --mc-d.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attnrmt/monte_carlo.hpp"
#include "cli.hpp"
#include "plot_gnuplot.hpp"

namespace attnrmt::cli::plot {

struct McSettings {
  bool on = false;
  long d = 0;
  int seeds = 5;
  std::uint64_t seed = 1;
  int threads = 1;
  int points = 10;  ///< alignment: number of alpha/kappa values
  int bins = 60;    ///< density/spectrum: histogram bins
};

/// --mc-d, --seeds, --seed, --threads, --mc-points, --bins (the others need --mc-d).
McSettings read_mc(const Options& opts);

/// The simulation's configuration; a size the model rejects is a UsageError on --mc-d.
mc::Config mc_config(const McSettings& m, double delta, double gamma, double rho,
                     double alpha_over_kappa, bool full_spectrum);

/// The realised sizes and seeds, as a data block.
DataBlock sizes_block(const mc::Config& c, const McSettings& m);

/// "MC, d = D, S seeds".
std::string mc_title(const McSettings& m);

/// All replicates' eigenvalues (scaled by kappa) and the top eigenvalue of each.
struct McSpectrum {
  std::vector<double> eigenvalues;
  DataBlock top{"mc_top", {"replicate", "top_eigenvalue", "alignment_mu", "alignment_u"}, {}};
};

McSpectrum simulate_spectra(const mc::Config& c, const McSettings& m, double kappa);

/// Histogram of the eigenvalues on [0, xmax) normalised by the total count (so
/// that it estimates the density of the continuous part, whose mass is 1 - atom);
/// eigenvalues within 1e-8 xmax of 0 belong to the atom and are left out.
/// Columns: bin centre, density, its Poisson standard error, count, bin width.
DataBlock histogram_block(const std::vector<double>& ev, double xmax, int bins);

/// The fraction of eigenvalues within 1e-8 xmax of 0.
double zero_fraction(const std::vector<double>& ev, double xmax);

}  // namespace attnrmt::cli::plot
