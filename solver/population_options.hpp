// solver/population_options.hpp -- the options --population SPEC and --signal DIR
// (anisotropic embeddings, docs/population.md) and the population versions of
// thresholds, outlier, bulk, edges, cauchy and moments. The isotropic commands
// dispatch here when either option is given.
//
// SPEC: isotropic (default, H = delta_1) | atoms:T1@W1,T2@W2,... (exact rationals;
//       weights must sum to 1; atoms:T1,T2,... gives equal weights) |
//       file:PATH (one eigenvalue per line, optional second column weight,
//       '#' comments; at most kMaxPopulationAtoms lines; weights normalised).
// DIR:  generic (default) | eigenvector:S (mu an eigenvector of Sigma with
//       eigenvalue S, which must be an atom of H).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "attnrmt/population.hpp"
#include "attnrmt/quantities.hpp"
#include "cli.hpp"
#include "params.hpp"

namespace attnrmt::cli {

constexpr long kMaxPopulationAtoms = 100000;

std::vector<OptionSpec> population_option_specs();

/// True when --population or --signal is given.
bool has_population(const Options& opts);

/// Parses a SPEC string (see header); throws UsageError naming the problem.
PopulationSpec parse_population(const std::string& spec);
/// Parses a DIR string.
SignalDirection parse_signal(const std::string& text);
/// --population and --signal together (isotropic / generic by default).
PopulationSpec read_population(const Options& opts);

/// What every certified population command shares: the output format and
/// digits and the population, read in this order, and the way out.
struct PopulationRun {
  Format format;
  int digits;
  PopulationSpec spec;
  std::shared_ptr<const PopulationSpec> shared_spec;  ///< the same, for catalogue points
  explicit PopulationRun(const Options& opts);
  /// The catalogue point (quantities.hpp) of a parameter row with this population.
  QuantityPoint point(const ParamRow& row) const;
  /// certify() of compute(H), with H built at each working precision.
  TextTable certified(const std::function<RawTable(const Population<MpReal>&)>& compute) const;
  /// certify() of a table computed from catalogue points (point()), then the
  /// population note and `notes`, emitted to stdout or --out.
  int emit_certified(const Options& opts, const std::function<RawTable()>& compute,
                     const std::vector<std::string>& notes = {}) const;
};

int run_population_thresholds(const Options& opts);
int run_population_outlier(const Options& opts);
int run_population_bulk(const Options& opts);
int run_population_edges(const Options& opts);
int run_population_cauchy(const Options& opts);
int run_population_moments(const Options& opts);

}  // namespace attnrmt::cli
