// solver/cmd_infer.cpp -- `attnrmt infer`: the inverse problem. From an observed
// outlier eigenvalue (and optionally its squared overlap with the signal) and
// delta, gamma, H, infer alpha/kappa (and rho). See include/attnrmt/general_inverse.hpp.
#include "attnrmt/general_inverse.hpp"
#include "cli.hpp"
#include "params.hpp"
#include "population_options.hpp"

namespace attnrmt::cli {
namespace {

int run_infer(const Options& opts) {
  const PopulationRun run(opts);
  const bool with_alignment = opts.has("alignment-mu");
  if (with_alignment && opts.has("rho"))
    throw UsageError("--rho cannot be combined with --alignment-mu (rho is inferred then)");
  std::vector<ParamAxis> axes =
      read_axes(opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::kappa});
  axes.push_back(read_axis(opts, "lambda", "lambda", "", false));
  if (with_alignment) {
    axes.push_back(read_axis(opts, "alignment-mu", "alignment_mu", "", false));
    for (const auto& v : axes.back().values)
      if (!(v < 1))
        throw UsageError("--alignment-mu must be in (0, 1) (got " + rational_to_string(v) + ")");
  } else {
    axes.push_back(read_axes(opts, {StandardAxis::rho}).front());
  }
  const ParamGrid grid = make_grid(axes);
  TextTable t = run.certified([&](const Population<MpReal>& H) {
    RawTable raw;
    raw.columns = grid.varying;
    for (const char* c : {"status", "alpha_over_kappa", "rho", "tau1", "tau2", "regime",
                          "alignment_mu", "alignment_u"})
      raw.columns.push_back(c);
    for (const auto& row : grid.rows) {
      GeneralBulkLaw<MpReal> bulk(H, to_real<MpReal>(lookup(row, "delta")),
                                  to_real<MpReal>(lookup(row, "gamma")));
      MpReal lambda =
          to_real<MpReal>(lookup(row, "lambda")) / to_real<MpReal>(lookup(row, "kappa"));
      Inference<MpReal> inf =
          with_alignment
              ? infer_signal_and_rho(bulk, lambda, to_real<MpReal>(lookup(row, "alignment_mu")))
              : infer_signal(bulk, to_real<MpReal>(lookup(row, "rho")), lambda);
      std::vector<Value> cells = grid.leading_cells(row);
      const bool ok = inf.status == InferStatus::ok;
      cells.push_back(Value::str(infer_status_name(inf.status)));
      cells.push_back(ok ? Value::num(inf.alpha_over_kappa) : Value::str("none"));
      cells.push_back(ok || !with_alignment ? Value::num(inf.rho) : Value::str("none"));
      cells.push_back(Value::num(inf.a1));
      cells.push_back(Value::num(inf.a2));
      cells.push_back(Value::str(ok ? regime_name(inf.regime) : "none"));
      cells.push_back(ok ? Value::num(inf.outlier.A_mu) : Value::str("none"));
      cells.push_back(ok ? Value::num(inf.outlier.A_u) : Value::str("none"));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });
  t.notes.push_back(
      "status inside-bulk: lambda is not above the right edge, so alpha/kappa <= tau2 (at the "
      "given rho) and nothing more follows from lambda alone");
  emit(opts, t, run.format);
  return 0;
}

const CommandRegistrar infer_cmd{Command{
    "infer", "inverse problem: alpha/kappa (and rho) from an observed outlier eigenvalue",
    "infer --delta D --gamma G [--kappa K] --lambda L [--rho R | --alignment-mu A]\n"
    "               [--population SPEC] [--signal DIR] [--digits N] [--format F]",
    "lambda: observed top eigenvalue of the centred sample covariance (kappa units included).\n"
    "Above the bulk right edge it fixes w_s with x(w_s) = lambda/kappa and alpha/kappa =\n"
    "1/T(w_s) (docs/population.md). With --alignment-mu A (the observed squared cosine of the\n"
    "top eigenvector with mu) rho is inferred as well. Columns: status (ok | inside-bulk |\n"
    "no-rho), alpha_over_kappa, rho, tau1, tau2 (thresholds at that rho), regime, alignment_mu,\n"
    "alignment_u (the forward prediction at the inferred values).",
    with(standard_axis_options({StandardAxis::delta, StandardAxis::gamma, StandardAxis::kappa}),
         with({{"lambda", "L", "observed outlier eigenvalue, > 0" + kListNote}},
              with(standard_axis_options({StandardAxis::rho}),
                   with({{"alignment-mu", "A",
                          "observed squared overlap with mu, in (0, 1)" + kListNote}},
                        with(population_option_specs(), common_output_options()))))),
    run_infer}};

}  // namespace
}  // namespace attnrmt::cli
