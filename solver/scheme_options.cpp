#include "scheme_options.hpp"

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "attnrmt/token_model_reach.hpp"

namespace attnrmt::cli {

std::vector<OptionSpec> scheme_option_specs(const std::string& pooling_help) {
  return {{"T", "T",
           "sequence length, 1.." + std::to_string(max_sequence_length) +
               " (optional when --corr latent:... or file:... fixes it)"},
          {"pooling", "P",
           "pooling scheme: mean | causal[:TAU] | optimal | last[:TAU] | file:PATH" + pooling_help},
          {"corr", "C",
           "positional correlation R of token classes: identity (default) | latent:P1,P2,... | "
           "latent-exp:A,L | markov:R | file:PATH"}};
}

bool has_scheme_options(const Options& opts) {
  return opts.has("T") || opts.has("pooling") || opts.has("corr");
}

PositionalCorrelation correlation_from_options(const std::string& spec, int T) {
  try {
    return PositionalCorrelation::from_spec(spec, T);
  } catch (const std::invalid_argument& e) {
    // Every message of from_spec starts with the parameter it is about, "corr"
    // or "T"; the option carries the same name after "--".
    const std::string m = e.what();
    const bool named = m.rfind("corr", 0) == 0 || m.rfind("T:", 0) == 0 || m.rfind("T ", 0) == 0;
    throw UsageError(named ? "--" + m : "--corr " + spec + ": " + m);
  }
}

std::vector<std::string> split_pooling_list(const std::string& text) {
  std::vector<std::string> items = detail::split_items(text);
  for (const auto& s : items)
    if (s.empty()) throw UsageError("--pooling: empty entry in the list '" + text + "'");
  return items;
}

SchemeInput read_scheme_options(const Options& opts, const std::string& default_pooling) {
  int T = 0;
  if (opts.has("T"))
    T = static_cast<int>(parse_integer(opts.get("T"), "--T", 1, max_sequence_length));
  std::string corr_spec = opts.get_or("corr", "identity");
  std::string pooling = opts.has("pooling") ? opts.get("pooling") : default_pooling;
  if (pooling.empty()) opts.get("pooling");  // throws "missing required option"
  try {
    SchemeInput in{correlation_from_options(corr_spec, T), {}};
    for (const auto& spec : split_pooling_list(pooling)) try {
        in.schemes.push_back(PoolingScheme::parse(spec));
      } catch (const std::invalid_argument& e) {  // the library names "pooling"; the user --pooling
        throw UsageError("--" + std::string(e.what()));
      }
    for (const auto& s : in.schemes)
      if (s.kind() == PoolingScheme::Kind::file &&
          static_cast<int>(s.file_weights().size()) != in.corr.length())
        throw std::invalid_argument("--pooling " + s.spec() + ": the file holds " +
                                    std::to_string(s.file_weights().size()) + " weights but T is " +
                                    std::to_string(in.corr.length()));
    return in;
  } catch (const UsageError&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

SchemeInput read_finite_t_scheme(const Options& opts) {
  if (!opts.has("T") && !opts.has("corr"))
    throw UsageError("--law finite-T needs the attention scheme: --T T and --pooling SCHEME");
  SchemeInput in = read_scheme_options(opts, "mean");
  if (in.schemes.size() != 1)
    throw UsageError("--pooling takes one scheme with --law finite-T (got " +
                     std::to_string(in.schemes.size()) + ")");
  return in;
}

void warn_token_model_reach(const SchemeInput& in) {
  for (const auto& scheme : in.schemes) {
    const SchemeSummary<double> s = evaluate_scheme<double>(scheme, in.corr);
    if (token_model_within_reach(s.effective_tokens)) continue;
    char numbers[160];
    std::snprintf(numbers, sizeof numbers,
                  "%.3g effective tokens (largest weight share %.3g of kappa)", s.effective_tokens,
                  s.max_weight_share);
    char excess[32], bound[32];
    std::snprintf(excess, sizeof excess, "%.2g", token_model_ks_excess(s.effective_tokens));
    std::snprintf(bound, sizeof bound, "%.3g", token_model_minimum_effective_tokens());
    std::cerr << "attnrmt: warning: pooling " << scheme_label(scheme).substr(0, 40)
              << " at T = " << in.corr.length() << " has " << numbers << ", fewer than the "
              << bound
              << " needed: for discrete tokens the bulk differs from the printed asymptotic law by "
                 "about "
              << excess
              << " in Kolmogorov distance and its top eigenvalue lies above the printed edge "
                 "(the values are exact for the Gaussian-equivalent model; the token model's own "
                 "bulk: 'attnrmt bulk --law finite-T'; measure it with 'attnrmt validate --model "
                 "tokens', docs/finite_t.md)\n";
  }
}

}  // namespace attnrmt::cli
