// solver/cmd_weights.cpp -- `attnrmt weights|compare`: from an attention scheme and a
// positional correlation R to alpha/kappa, and the practitioner's comparison table.
#include <iostream>

#include "attnrmt/spike.hpp"
#include "attnrmt/weights.hpp"
#include "cli.hpp"
#include "params.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli {
namespace {

// Provenance lines: how R is sampled, how each `optimal` vector was normalised.
void add_notes(TextTable& t, const SchemeInput& in) {
  t.notes.push_back("T = " + std::to_string(in.corr.length()) + ", corr " + in.corr.spec() + " (" +
                    in.corr.sampler_note() + ")");
  for (const auto& s : in.schemes) {
    if (s.kind() != PoolingScheme::Kind::optimal) continue;
    auto summary = evaluate_scheme<double>(s, in.corr);
    t.notes.push_back(
        "optimal: top eigenvector of R (Rayleigh-quotient iteration at working "
        "precision), normalised to " +
        summary.normalisation +
        (summary.normalisation == "sum 1" ? " (entries of one sign)"
                                          : " (entries of both signs; positive sum, or first "
                                            "largest entry positive when the sum is 0)"));
  }
}

int run_weights(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  SchemeInput in = read_scheme_options(opts, "");
  warn_token_model_reach(in);
  const bool many = in.schemes.size() > 1;
  const bool show = opts.has("show-weights");
  TextTable t = certify(digits, [&]() {
    RawTable raw;
    if (many) raw.columns.push_back("pooling");
    if (show) {
      raw.columns.push_back("t");
      raw.columns.push_back("w");
    } else {
      for (const char* c : {"alpha", "kappa", "alpha_over_kappa", "sigma"})
        raw.columns.push_back(c);
    }
    for (const auto& s : in.schemes) {
      auto r = evaluate_scheme<MpReal>(s, in.corr);
      if (show) {
        for (std::size_t i = 0; i < r.weights.size(); ++i) {
          std::vector<Value> cells;
          if (many) cells.push_back(Value::str(scheme_label(s)));
          cells.push_back(Value::str(std::to_string(i + 1), false));
          cells.push_back(Value::num(r.weights[i]));
          raw.rows.push_back(std::move(cells));
        }
      } else {
        std::vector<Value> cells;
        if (many) cells.push_back(Value::str(scheme_label(s)));
        for (const MpReal* x : {&r.alpha, &r.kappa, &r.alpha_over_kappa, &r.sigma})
          cells.push_back(Value::num(*x));
        raw.rows.push_back(std::move(cells));
      }
    }
    return raw;
  });
  add_notes(t, in);
  emit(opts, t, format);
  return 0;
}

int run_compare(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  SchemeInput in = read_scheme_options(opts, "mean,causal,optimal");
  warn_token_model_reach(in);
  const bool spectral = opts.has("delta") || opts.has("gamma");
  std::vector<ParamAxis> axes;
  if (spectral)
    axes = read_axes(opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::rho});
  else if (opts.has("rho"))
    throw UsageError("--rho needs --delta and --gamma (compare)");
  const ParamGrid grid = make_grid(axes);
  TextTable t = certify(digits, [&]() {
    RawTable raw;
    raw.columns = grid.varying;
    raw.columns.push_back("pooling");
    raw.columns.push_back("alpha_over_kappa");
    if (spectral)
      for (const char* c : {"regime", "lambda_over_kappa", "alignment_mu"})
        raw.columns.push_back(c);
    std::vector<SchemeSummary<MpReal>> summaries;
    for (const auto& s : in.schemes) summaries.push_back(evaluate_scheme<MpReal>(s, in.corr));
    for (const auto& row : grid.rows) {
      for (std::size_t k = 0; k < in.schemes.size(); ++k) {
        std::vector<Value> cells = grid.leading_cells(row);
        cells.push_back(Value::str(scheme_label(in.schemes[k])));
        const MpReal& aok = summaries[k].alpha_over_kappa;
        cells.push_back(Value::num(aok));
        if (spectral) {
          BulkLaw<MpReal> law(to_real<MpReal>(lookup(row, "delta")),
                              to_real<MpReal>(lookup(row, "gamma")), MpReal(1));
          auto r = outlier_report(law, to_real<MpReal>(lookup(row, "rho")), aok);
          cells.push_back(Value::str(regime_name(r.regime)));
          cells.push_back(Value::num(r.spike.lambda));
          cells.push_back(Value::num(r.alignment_mu));
        }
        raw.rows.push_back(std::move(cells));
      }
    }
    return raw;
  });
  add_notes(t, in);
  emit(opts, t, format);
  return 0;
}

const std::string kSchemes =
    "Schemes: mean (w_t = 1/T); causal[:TAU] (parameter-free causal self-attention with score\n"
    "scaling tau/d averaged over queries, w_s = (1/T)[e^tau/(s-1+e^tau) + sum_{t>s} "
    "1/(t-1+e^tau)];\n"
    "TAU = 0 by default: harmonic weights (H_T - H_{s-1})/T); last[:TAU] (last-token readout:\n"
    "1/(T-1+e^tau) for s < T, e^tau/(T-1+e^tau) for s = T); optimal (top eigenvector of R,\n"
    "alpha/kappa = lambda_max(R); normalised to sum 1 when its entries have one sign, otherwise "
    "to\n"
    "unit norm; the choice is printed as a note); file:PATH (T numbers).\n"
    "Correlations: identity; latent:P1,...,PT (R = p p^T + diag(1-p^2)); latent-exp:A,L\n"
    "(p_t = A exp(-(t-1)/L)); markov:R (R_st = r^|s-t|); file:PATH (T x T, symmetric, unit\n"
    "diagonal, PSD).";

const CommandRegistrar weights_cmd{Command{
    "weights",
    "alpha = w^T R w, kappa = ||w||^2, alpha/kappa and sigma = sum w of a pooling scheme",
    "weights --T T --pooling P [--corr C] [--show-weights] [--digits N] [--format F]",
    "Columns alpha,kappa,alpha_over_kappa,sigma (with a leading pooling column when --pooling is\n"
    "a list); with --show-weights one row per position instead, columns t,w.\n" +
        kSchemes,
    with(with(scheme_option_specs(" (a comma list gives one row each)"),
              {{"show-weights", "", "print the weights w_t, one row per position"}}),
         common_output_options()),
    run_weights}};

const CommandRegistrar compare_cmd{Command{
    "compare", "pooling schemes side by side: alpha/kappa, regime, outlier, alignment with mu",
    "compare --T T --corr C [--pooling mean,causal,optimal] [--delta D --gamma G [--rho R]]\n"
    "               [--digits N] [--format F]",
    "One row per scheme: alpha_over_kappa and, when --delta and --gamma are given, the regime\n"
    "(none / table-only / detectable), lambda_over_kappa (top eigenvalue of the centred\n"
    "covariance in units of the scheme's kappa: the outlier, or the bulk edge) and alignment_mu\n"
    "(squared cosine of the top eigenvector with mu). Lists in --delta/--gamma/--rho give one\n"
    "block of rows each.\n" +
        kSchemes,
    with(with(scheme_option_specs(" (comma list; default mean,causal,optimal)"),
              {{"delta", "D", "d/V, > 0 (list or grid)"},
               {"gamma", "G", "d/N, > 0 (list or grid)"},
               {"rho", "R", "||mu||^2, >= 0 (default 1)"}}),
         common_output_options()),
    run_compare}};

}  // namespace
}  // namespace attnrmt::cli
