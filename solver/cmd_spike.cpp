// solver/cmd_spike.cpp -- `attnrmt thresholds|outlier`: the two BBP transitions.
#include <iostream>

#include "attnrmt/spike.hpp"
#include "ball_quantities.hpp"
#include "cli.hpp"
#include "params.hpp"
#include "population_options.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli {
namespace {

MpReal real_of(const ParamRow& row, const std::string& name) {
  return to_real<MpReal>(lookup(row, name));
}

int run_thresholds(const Options& opts) {
  if (has_population(opts)) return run_population_thresholds(opts);
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  std::vector<ParamAxis> axes =
      read_axes(opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::rho});
  const ParamGrid grid = make_grid(axes);
  // With --T/--pooling/--corr: the scheme's alpha/kappa and regime as extra columns.
  const bool scheme = has_scheme_options(opts);
  if (!scheme) {
    // The catalogue's ball route (docs/certified.md).
    emit(opts,
         certified_quantity_table(ball_printing(opts), grid,
                                  catalogue_entries({"tau1", "tau2", "omega1", "omega2"})),
         format);
    return 0;
  }
  SchemeInput in = read_scheme_options(opts, "");
  warn_token_model_reach(in);
  const bool many = in.schemes.size() > 1;
  // The thresholds and the scheme's alpha/kappa from the catalogue (MPFR, two
  // working precisions); the regime at that alpha/kappa, an MPFR number and not
  // an exact parameter, from outlier_report (spike.hpp).
  const auto threshold_quantities = catalogue_entries({"tau1", "tau2", "omega1", "omega2"});
  const auto scheme_quantities = catalogue_entries({"scheme_alpha_over_kappa"});
  TextTable t = certify(digits, [&]() {
    RawTable raw;
    if (many) raw.columns.push_back("pooling");
    for (const auto& v : grid.varying) raw.columns.push_back(v);
    for (const QuantityInfo* q : threshold_quantities) raw.columns.push_back(q->name);
    for (const char* c : {"alpha_over_kappa", "regime"}) raw.columns.push_back(c);
    for (const PoolingScheme& s : in.schemes) {
      const MpReal aok = evaluate_quantities(scheme_quantities, {{"T", in.corr.length()}},
                                             {{"pooling", s.spec()}, {"corr", in.corr.spec()}})
                             .front()
                             .number;
      for (const auto& row : grid.rows) {
        std::vector<Value> cells;
        if (many) cells.push_back(Value::str(scheme_label(s)));
        for (auto& c : grid.leading_cells(row)) cells.push_back(std::move(c));
        for (const auto& v : evaluate_quantities(threshold_quantities, quantity_point(row).numbers))
          cells.push_back(Value::num(v.number));
        BulkLaw<MpReal> law(real_of(row, "delta"), real_of(row, "gamma"), MpReal(1));
        cells.push_back(Value::num(aok));
        cells.push_back(
            Value::str(regime_name(outlier_report(law, real_of(row, "rho"), aok).regime)));
        raw.rows.push_back(std::move(cells));
      }
    }
    return raw;
  });
  t.notes.push_back("T = " + std::to_string(in.corr.length()) + ", corr " + in.corr.spec());
  emit(opts, t, format);
  return 0;
}

int run_outlier(const Options& opts) {
  if (has_population(opts)) return run_population_outlier(opts);
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  // With --T/--pooling/--corr the scheme fixes alpha/kappa and kappa (and, for
  // the uncentred outlier, sigma^2/kappa): those options replace
  // --alpha-over-kappa, --kappa and --mean-strength M.
  const bool scheme = has_scheme_options(opts);
  if (scheme)
    for (const char* o : {"alpha-over-kappa", "kappa", "mean-strength"})
      if (opts.has(o))
        throw UsageError(std::string("--") + o +
                         " cannot be combined with --T/--pooling/--corr (the scheme fixes it)");
  SchemeInput in = scheme ? read_scheme_options(opts, "") : SchemeInput{};
  if (scheme) warn_token_model_reach(in);
  const bool many = in.schemes.size() > 1;
  std::vector<ParamAxis> axes =
      read_axes(opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::rho});
  if (!scheme) {
    axes.push_back(read_axes(opts, {StandardAxis::kappa}).front());
    axes.push_back(read_axis(opts, "alpha-over-kappa", "alpha_over_kappa", "", false));
  }
  bool with_mean = opts.has("mean-strength") || (scheme && opts.has("uncentred"));
  if (opts.has("uncentred") && !scheme)
    throw UsageError("--uncentred needs --T/--pooling/--corr (otherwise give --mean-strength M)");
  if (opts.has("mean-strength"))
    axes.push_back(read_axis(opts, "mean-strength", "mean_strength", "", true));
  const ParamGrid grid = make_grid(axes);
  if (!scheme) {
    // The catalogue's ball route (docs/certified.md); the regime is decided exactly.
    std::vector<std::string> names = {"regime",
                                      "lambda",
                                      "alignment_mu",
                                      "alignment_u",
                                      "population_outlier",
                                      "population_alignment"};
    if (with_mean)
      for (const char* c : {"mean_outlier", "mean_alignment"}) names.push_back(c);
    emit(opts, certified_quantity_table(ball_printing(opts), grid, catalogue_entries(names)),
         format);
    return 0;
  }
  // The scheme's alpha/kappa, kappa and sigma^2/kappa from the catalogue (MPFR,
  // two working precisions); the outlier at those values, MPFR numbers and not
  // exact parameters, from outlier_report and mean_spike (spike.hpp).
  const auto scheme_quantities =
      catalogue_entries({"scheme_alpha_over_kappa", "scheme_kappa", "scheme_mean_strength"});
  TextTable t = certify(digits, [&]() {
    RawTable raw;
    if (many) raw.columns.push_back("pooling");
    for (const auto& v : grid.varying) raw.columns.push_back(v);
    for (const char* c : {"alpha_over_kappa", "kappa"}) raw.columns.push_back(c);
    for (const char* c : {"regime", "lambda", "alignment_mu", "alignment_u", "population_outlier",
                          "population_alignment"})
      raw.columns.push_back(c);
    if (with_mean)
      for (const char* c : {"mean_outlier", "mean_alignment"}) raw.columns.push_back(c);
    for (const PoolingScheme& s : in.schemes) {
      const auto sv = evaluate_quantities(scheme_quantities, {{"T", in.corr.length()}},
                                          {{"pooling", s.spec()}, {"corr", in.corr.spec()}});
      const MpReal &aok = sv[0].number, &kappa = sv[1].number, &m = sv[2].number;
      for (const auto& row : grid.rows) {
        BulkLaw<MpReal> law(real_of(row, "delta"), real_of(row, "gamma"), kappa);
        auto r = outlier_report(law, real_of(row, "rho"), aok);
        std::vector<Value> cells;
        if (many) cells.push_back(Value::str(scheme_label(s)));
        for (auto& c : grid.leading_cells(row)) cells.push_back(std::move(c));
        cells.push_back(Value::num(aok));
        cells.push_back(Value::num(kappa));
        cells.push_back(Value::str(regime_name(r.regime)));
        cells.push_back(Value::num(r.spike.lambda));
        cells.push_back(Value::num(r.alignment_mu));
        cells.push_back(Value::num(r.spike.alignment_u));
        cells.push_back(Value::num(r.spike.population_eigenvalue));
        cells.push_back(Value::num(r.spike.population_alignment));
        if (with_mean) {
          const SpikeOutcome<MpReal> ms = mean_spike(law, m);
          cells.push_back(Value::num(ms.lambda));
          cells.push_back(Value::num(ms.alignment_u));
        }
        raw.rows.push_back(std::move(cells));
      }
    }
    return raw;
  });
  t.notes.push_back("T = " + std::to_string(in.corr.length()) + ", corr " + in.corr.spec() +
                    "; kappa = ||w||^2 of the scheme");
  emit(opts, t, format);
  return 0;
}

const CommandRegistrar thresholds_cmd{Command{
    "thresholds", "the two BBP thresholds tau1 (table level) and tau2 (sample level)",
    "thresholds --delta D --gamma G [--rho R] [--T T --pooling P [--corr C]] [--digits N] "
    "[--format F]",
    "Thresholds in the signal-to-noise ratio alpha/kappa: tau1 = (delta + sqrt(delta))/(rho + "
    "delta)\n"
    "(the signal exists in the vocabulary table) and tau2 = (delta + s*)/(rho + delta) (it shows "
    "as\n"
    "an outlier of the sample covariance), s* the largest root of s^3 - (delta+gamma+gamma delta) "
    "s\n"
    "- 2 gamma delta. omega1, omega2: the spike strengths omega = (alpha/kappa)(rho+delta) at the\n"
    "thresholds. Columns: tau1,tau2,omega1,omega2 (preceded by the parameters that vary).",
    with(standard_axis_options({StandardAxis::delta, StandardAxis::gamma, StandardAxis::rho}),
         with(scheme_option_specs(
                  " (comma list: one block each); adds columns alpha_over_kappa,regime"),
              with(population_option_specs(), with({radius_option()}, common_output_options())))),
    run_thresholds}};

const CommandRegistrar outlier_cmd{Command{
    "outlier", "regime, outlier eigenvalue and eigenvector alignments at a given alpha/kappa",
    "outlier --delta D --gamma G [--rho R] [--kappa K] --alpha-over-kappa A [--mean-strength M]\n"
    "               [--digits N] [--format F]\n"
    "       attnrmt outlier --delta D --gamma G [--rho R] --T T --pooling P [--corr C] "
    "[--uncentred] ...",
    "regime: none (alpha/kappa <= tau1), table-only (tau1 < alpha/kappa <= tau2), detectable.\n"
    "lambda: top eigenvalue of the centred covariance (the outlier when detectable, else the bulk\n"
    "right edge), kappa units included. alignment_mu, alignment_u: squared cosines of the top\n"
    "eigenvector with mu and with u (0 unless detectable). population_outlier/alignment: the same\n"
    "for the population covariance kappa (W_delta + omega uhat uhat^T) (MP_delta edge and 0 below\n"
    "tau1). mean_outlier: top eigenvalue from the vocabulary mean of the uncentred covariance "
    "with\n"
    "sigma^2/kappa = M (mean pooling: M = T), or the bulk edge when that spike is undetectable;\n"
    "mean_alignment: squared cosine of its eigenvector with the vocabulary-mean direction Z 1/V\n"
    "(A_u of a spike of strength delta M; 0 when undetectable).",
    with(
        standard_axis_options(
            {StandardAxis::delta, StandardAxis::gamma, StandardAxis::rho, StandardAxis::kappa}),
        with({{"alpha-over-kappa", "A", "signal-to-noise ratio alpha/kappa, > 0" + kListNote},
              {"mean-strength", "M",
               "sigma^2/kappa for the uncentred vocabulary-mean outlier" + kListNote},
              {"uncentred", "",
               "with --T/--pooling/--corr: add mean_outlier with M = sigma^2/kappa of the scheme"}},
             with(scheme_option_specs(
                      " (comma list: one block each); replaces --alpha-over-kappa and --kappa"),
                  with(population_option_specs(),
                       with({radius_option()}, common_output_options()))))),
    run_outlier}};

}  // namespace
}  // namespace attnrmt::cli
