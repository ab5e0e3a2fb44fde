// solver/bulk_finite_t.cpp -- `attnrmt bulk --law finite-T`: density and CDF of
// the discrete-token model's bulk at fixed T, each with its standard error, and
// the classical location of the top eigenvalue at given sizes d.
#include "bulk_finite_t.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <thread>

#include "attnrmt/finite_t/tabulated_law.hpp"
#include "attnrmt/token_model_reach.hpp"
#include "attnrmt/weights.hpp"
#include "params.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli {

std::vector<OptionSpec> finite_t_option_specs() {
  return {{"pool", "P", "--law finite-T: messages per population, 256..4194304 (default 4096)"},
          {"replicas", "R",
           "--law finite-T: independent replicas, 2..256 (default 8); standard errors come "
           "from their spread"},
          {"seed", "S", "--law finite-T: base seed, 0..2^63 (default 1)"},
          {"threads", "N", "--law finite-T: threads, 1..256 (default: the cores)"},
          {"resolution", "M",
           "--law finite-T: grid points of the CDF tabulation, 16..4096 (default 192)"},
          {"top-at-d", "D1,D2,...",
           "--law finite-T: also give the classical location of the top eigenvalue for these "
           "d (1 - CDF = 1/(2d); needs a pool of at least ~20 d)"}};
}

std::pair<std::string, std::string> format_with_error(double value, double standard_error) {
  char v[64], e[64];
  if (!(standard_error > 0)) {
    std::snprintf(v, sizeof v, "%.6g", value);
    return {v, "0"};
  }
  const int exponent = static_cast<int>(std::floor(std::log10(standard_error)));
  const int decimals = std::max(0, 1 - exponent);
  std::snprintf(v, sizeof v, "%.*f", decimals, value);
  std::snprintf(e, sizeof e, "%.*f", decimals, standard_error);
  std::string vs = v;
  if (vs == "-0" || vs.rfind("-0.", 0) == 0) {  // a rounded negative zero prints as 0
    bool zero = vs.find_first_of("123456789") == std::string::npos;
    if (zero) vs = vs.substr(1);
  }
  return {vs, e};
}

namespace {

double to_double(const Rational& r) {
  return static_cast<double>(r);
}

}  // namespace

int run_finite_t_bulk(const Options& opts) {
  const Format format = parse_format(opts.get_or("format", "table"), false);
  for (const char* o : {"population", "signal", "radius", "q", "digits"})
    if (opts.has(o))
      throw UsageError(std::string("--") + o + " is not taken with --law finite-T" +
                       (std::string(o) == "q" ? " (the CDF is tabulated: read quantiles off --grid)"
                        : std::string(o) == "digits"
                            ? " (values are statistical estimates printed to their "
                              "standard error)"
                            : ""));
  const SchemeInput in = read_finite_t_scheme(opts);
  const SchemeSummary<double> scheme = evaluate_scheme<double>(in.schemes.front(), in.corr);
  const Rational delta = parse_positive_rational(opts.get("delta"), "--delta");
  const Rational gamma = parse_positive_rational(opts.get("gamma"), "--gamma");
  const Rational kappa = parse_positive_rational(opts.get_or("kappa", "1"), "--kappa");
  if (to_double(delta / gamma) > 1e4 || to_double(gamma / delta) > 1e4)
    throw UsageError(
        "--delta/--gamma: the ratio delta/gamma = N/V must be in [1e-4, 1e4] for "
        "--law finite-T (got " +
        rational_to_string(delta / gamma) + ")");
  if (static_cast<int>(opts.has("x")) + opts.has("grid") != 1)
    throw UsageError("give exactly one of --x X1,X2,... or --grid A:B:M");
  const std::vector<Rational> xs =
      opts.has("x") ? parse_values(opts.get("x"), "--x") : parse_values(opts.get("grid"), "--grid");
  require_row_limit(static_cast<double>(xs.size()), "--x/--grid");
  for (const auto& x : xs)
    if (x < 0)
      throw UsageError("--x/--grid: points must be >= 0 (got " + rational_to_string(x) + ")");

  finite_t::CavitySettings s;
  s.pool =
      static_cast<std::size_t>(parse_integer(opts.get_or("pool", "4096"), "--pool", 256, 4194304));
  s.replicas = static_cast<int>(parse_integer(opts.get_or("replicas", "8"), "--replicas", 2, 256));
  s.seed = static_cast<std::uint64_t>(
      parse_integer(opts.get_or("seed", "1"), "--seed", 0, 9223372036854775807L));
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = static_cast<int>(
      parse_integer(opts.get_or("threads", std::to_string(cores)), "--threads", 1, 256));
  const std::size_t resolution = static_cast<std::size_t>(
      parse_integer(opts.get_or("resolution", "192"), "--resolution", 16, 4096));
  std::vector<double> top_d;
  if (opts.has("top-at-d"))
    for (const auto& d : parse_values(opts.get("top-at-d"), "--top-at-d", ">= 1")) {
      if (d < 1 || d > Rational(1000000000))
        throw UsageError("--top-at-d: each d must be in [1, 1e9] (got " + rational_to_string(d) +
                         ")");
      top_d.push_back(to_double(d));
    }

  const double k = to_double(kappa);
  const finite_t::TokenBulkLaw law(scheme.weights, to_double(delta), to_double(gamma), s);
  double x_max = 2 * law.asymptotic().right_edge();
  for (const auto& x : xs) x_max = std::max(x_max, 1.05 * to_double(x) / k);
  const finite_t::TabulatedLaw table(law, x_max, resolution, /*stream=*/0, threads);
  std::vector<double> unit_x;
  for (const auto& x : xs) unit_x.push_back(std::max(to_double(x) / k, 1e-12));
  std::vector<finite_t::cplx> zs;
  for (double x : unit_x) zs.emplace_back(x, s.eta);
  const auto runs = law.cauchy_replicas(zs, /*stream=*/1u << 20, threads);

  TextTable t;
  t.columns = {"x", "density", "density_se", "cdf", "cdf_se"};
  const double pi = 3.141592653589793238462643383279502884;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    std::vector<double> dens;
    for (const auto& r : runs) dens.push_back(std::max(0.0, -r[i].imag() / pi) / k);
    const auto d = mc::mean_and_standard_error(dens);
    const auto c = table.cdf_at(unit_x[i]);
    const auto df = format_with_error(d.mean, d.standard_error);
    const auto cf = format_with_error(c.mean, c.standard_error);
    t.rows.push_back({rational_cell(xs[i]), number_cell(df.first), number_cell(df.second),
                      number_cell(cf.first), number_cell(cf.second)});
  }
  char buf[64];
  auto num = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return number_cell(buf);
  };
  t.meta["law"] = text_cell("finite-T (discrete tokens, population dynamics)");
  t.meta["T"] = number_cell(std::to_string(in.corr.length()));
  t.meta["pooling"] = text_cell(scheme_label(in.schemes.front()));
  t.meta["effective_tokens"] = num(scheme.effective_tokens);
  t.meta["max_weight_share"] = num(scheme.max_weight_share);
  t.meta["pool"] = number_cell(std::to_string(s.pool));
  t.meta["replicas"] = number_cell(std::to_string(s.replicas));
  t.meta["sweeps"] = number_cell(std::to_string(s.burn_in + s.measure));
  t.meta["eta"] = num(s.eta);
  t.meta["seed"] = number_cell(std::to_string(s.seed));
  t.meta["resolution"] = number_cell(std::to_string(resolution));
  const auto mass = table.mass();
  t.meta["mass"] = num(mass.mean);
  t.meta["mass_se"] = num(mass.standard_error);
  t.notes.push_back(
      "finite-T bulk of the discrete-token model (docs/finite_t.md): statistical estimates "
      "by population dynamics on the sparse pooling graph, each with its standard error (*_se) "
      "over " +
      std::to_string(s.replicas) + " independent replicas of " + std::to_string(s.pool) +
      " messages; x in units of C/kappa times --kappa");
  std::snprintf(buf, sizeof buf, "%.4g", scheme.effective_tokens);
  t.notes.push_back(std::string("effective number of tokens ") + buf + "; continuous mass found " +
                    format_with_error(mass.mean, mass.standard_error).first + " +- " +
                    format_with_error(mass.mean, mass.standard_error).second +
                    " (the rest is the atom at 0); tail masses below ~10/pool are not resolved");
  // The top location from a tabulation of the tail alone (all grid points where
  // the mass above x is small): from 0.8 of the asymptotic edge to x_max.
  std::optional<finite_t::TabulatedLaw> tail;
  if (!top_d.empty())
    tail.emplace(law, x_max, resolution, /*stream=*/2u << 20, threads,
                 0.8 * law.asymptotic().right_edge());
  for (double d : top_d) {
    const auto top = tail->top_location(d);
    std::snprintf(buf, sizeof buf, "%.0f", d);
    const std::string key = std::string("top_location_d") + buf;
    if (!top) {
      t.meta[key] = missing_cell("n/a");
      t.notes.push_back("top eigenvalue at d = " + std::string(buf) +
                        ": not resolved (raise --pool)");
      continue;
    }
    const auto f = format_with_error(k * top->mean, k * top->standard_error);
    t.meta[key] = number_cell(f.first);
    t.meta[key + "_se"] = number_cell(f.second);
    std::snprintf(buf, sizeof buf, "%.0f", d);
    t.notes.push_back("top eigenvalue at d = " + std::string(buf) +
                      " (classical location, 1 - "
                      "CDF = 1/(2d)): " +
                      f.first + " +- " + f.second +
                      (static_cast<double>(s.pool) < 20 * d ? " (pool < 20 d: biased low)" : ""));
  }
  emit(opts, t, format);
  return 0;
}

}  // namespace attnrmt::cli
