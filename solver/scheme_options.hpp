// solver/scheme_options.hpp -- the options --T, --pooling, --corr shared by the
// commands that start from an attention scheme instead of alpha/kappa
// (weights, compare, outlier, thresholds). See docs/weights.md.
#pragma once

#include <string>
#include <vector>

#include "attnrmt/correlation.hpp"
#include "attnrmt/weights.hpp"
#include "cli.hpp"

namespace attnrmt::cli {

struct SchemeInput {
  PositionalCorrelation corr;
  std::vector<PoolingScheme> schemes;
};

/// --T, --pooling (help mentions `pooling_help`), --corr.
std::vector<OptionSpec> scheme_option_specs(const std::string& pooling_help);

/// True when any of --T, --pooling, --corr is given.
bool has_scheme_options(const Options& opts);

/// The positional correlation of --corr `spec` at sequence length T (0: let
/// latent:... or file:... fix it). The library's errors name the mathematical
/// parameters ("corr markov: r = 2 ...", "T: ..."); the UsageError thrown here
/// names the options the user gave ("--corr markov: r = 2 ...", "--T: ...").
PositionalCorrelation correlation_from_options(const std::string& spec, int T);

/// Splits a --pooling list on commas: mean,causal,optimal.
std::vector<std::string> split_pooling_list(const std::string& text);

/// Reads --T (optional when --corr latent:... or file:... fixes it), --corr
/// (default identity) and --pooling (default `default_pooling`; empty means
/// required). Any invalid value throws UsageError naming it.
SchemeInput read_scheme_options(const Options& opts, const std::string& default_pooling);

/// Reads the single attention scheme of --law finite-T (bulk, moments): --T or
/// --corr must be given, and --pooling (default mean) must name exactly one
/// scheme. Throws UsageError otherwise; the returned input holds one scheme.
SchemeInput read_finite_t_scheme(const Options& opts);

/// Writes one warning line on stderr for each scheme whose weights are too
/// concentrated for the asymptotic law to describe the discrete-token model
/// (effective number of tokens below the calibrated bound, docs/finite_t.md).
void warn_token_model_reach(const SchemeInput& in);

/// Column label of a scheme: its spec string.
inline std::string scheme_label(const PoolingScheme& s) {
  return s.spec();
}

}  // namespace attnrmt::cli
