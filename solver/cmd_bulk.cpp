// solver/cmd_bulk.cpp -- `attnrmt bulk|edges|moments|cauchy`: the bulk law.
#include <iostream>

#include "attnrmt/ball/grid.hpp"
#include "attnrmt/bulk_law.hpp"
#include "attnrmt/moments.hpp"
#include "ball_quantities.hpp"
#include "bulk_finite_t.hpp"
#include "bulk_quantile.hpp"
#include "certify_ball.hpp"
#include "cli.hpp"
#include "moments_finite_t.hpp"
#include "params.hpp"
#include "population_options.hpp"
#include "scheme_options.hpp"
#include "table_quantities.hpp"

namespace attnrmt::cli {
namespace {

std::vector<OptionSpec> law_options(bool lists) {
  std::string suffix = lists ? " (list a,b,c or grid A:B:M[log] for one row each)" : "";
  return {{"delta", "D", "d/V, > 0" + suffix},
          {"gamma", "G", "d/N, > 0" + suffix},
          {"kappa", "K", "||w||^2 scale, > 0 (default 1)" + suffix}};
}

std::vector<ParamAxis> law_axes(const Options& opts) {
  return read_axes(opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::kappa});
}

// bulk --q: quantiles, certified by two working precisions (bulk_quantile.hpp).
int run_quantiles(const Options& opts, Format format, const ParamRow& row) {
  if (opts.has("radius"))
    throw UsageError("--radius is not available with --q (quantiles are certified by two "
                     "working precisions, not by balls)");
  std::vector<Rational> qs = parse_values(opts.get("q"), "--q");
  require_row_limit(static_cast<double>(qs.size()), "--q");
  require_levels(qs, "--q");
  TextTable t = quantile_table(lookup(row, "delta"), lookup(row, "gamma"), lookup(row, "kappa"),
                               qs, requested_digits(opts));
  t.notes.push_back("quantile: the smallest x with CDF(x) >= q (the atom at 0 included)");
  emit(opts, t, format);
  return 0;
}

// bulk --law mp:C: the plain Marchenko-Pastur law kappa MP_C through the
// catalogue's mp_density, mp_cdf and mp_quantile (marchenko_pastur.hpp),
// certified by two working precisions.
int run_mp_law(const Options& opts, Format format, const std::string& law) {
  const Rational c = parse_positive_rational(law.substr(3), "--law mp:C");
  for (const char* o : {"delta", "gamma", "population", "signal"})
    if (opts.has(o))
      throw UsageError(std::string("--") + o + " is not taken with --law " + law +
                       " (the law is kappa MP_C)");
  if (opts.has("radius"))
    throw UsageError("--radius is not available with --law mp:C (certified by two working "
                     "precisions, not by balls)");
  const Rational kappa = parse_positive_rational(opts.get_or("kappa", "1"), "--kappa");
  if (static_cast<int>(opts.has("x")) + opts.has("grid") + opts.has("q") != 1)
    throw UsageError("give exactly one of --x X1,X2,..., --grid A:B:M or --q Q1,Q2,...");
  const bool quantiles = opts.has("q");
  std::vector<Rational> points = quantiles     ? parse_values(opts.get("q"), "--q")
                                 : opts.has("x") ? parse_values(opts.get("x"), "--x")
                                                 : parse_values(opts.get("grid"), "--grid");
  require_row_limit(static_cast<double>(points.size()), quantiles ? "--q" : "--x/--grid");
  if (quantiles) require_levels(points, "--q");
  std::vector<const QuantityInfo*> qs;
  for (const char* name : quantiles ? std::vector<const char*>{"mp_quantile"}
                                    : std::vector<const char*>{"mp_density", "mp_cdf"})
    qs.push_back(find_quantity(name));
  TextTable t = certify(requested_digits(opts), [&]() {
    RawTable raw;
    raw.columns = quantiles ? std::vector<std::string>{"q", "quantile"}
                            : std::vector<std::string>{"x", "density", "cdf"};
    for (const auto& v : points) {
      std::map<std::string, Rational> numbers = {{"c", c}, {"kappa", kappa}};
      numbers[quantiles ? "q" : "x"] = v;
      std::vector<Value> row{rational_value(v)};
      for (const auto& value : evaluate_quantities(qs, numbers, {}))
        row.push_back(Value::num(value.number));
      raw.rows.push_back(std::move(row));
    }
    return raw;
  });
  t.notes.push_back("law kappa MP_c, c = " + rational_to_string(c) +
                    ", kappa = " + rational_to_string(kappa) + " (docs/theory.md §2)");
  emit(opts, t, format);
  return 0;
}

int run_bulk(const Options& opts) {
  const std::string law = opts.get_or("law", "bulk");
  if (law.rfind("mp:", 0) == 0)
    return run_mp_law(opts, parse_format(opts.get_or("format", "table"), false), law);
  if (law == "finite-T") return run_finite_t_bulk(opts);
  if (law != "bulk")
    throw UsageError("--law must be bulk, mp:C or finite-T (got '" + law + "')");
  if (has_population(opts)) return run_population_bulk(opts);
  Format format = parse_format(opts.get_or("format", "table"), false);
  auto axes = law_axes(opts);
  for (const auto& a : axes)
    if (a.values.size() != 1) throw UsageError("--" + a.name + " takes a single value for 'bulk'");
  if (static_cast<int>(opts.has("x")) + opts.has("grid") + opts.has("q") != 1)
    throw UsageError("give exactly one of --x X1,X2,..., --grid A:B:M or --q Q1,Q2,...");
  if (opts.has("q")) return run_quantiles(opts, format, cartesian(axes).front());
  std::vector<Rational> xs =
      opts.has("x") ? parse_values(opts.get("x"), "--x") : parse_values(opts.get("grid"), "--grid");
  require_row_limit(static_cast<double>(xs.size()), "--x/--grid");
  ParamRow row = cartesian(axes).front();
  // Certified ball engine (docs/certified.md): the fast grid path certifies
  // most points; the rest are recomputed at rising precision.
  ball::LawLadder ladder(lookup(row, "delta"), lookup(row, "gamma"), lookup(row, "kappa"));
  BallPrinting how = ball_printing(opts);
  auto grid = ball::density_cdf_grid(ladder, xs, how.digits);
  TextTable t = certify_ball(how, [&](slong prec) {
    BallTable raw;
    raw.columns = {"x", "density", "cdf"};
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const bool done = grid[i].density.proven == how.digits && grid[i].cdf.proven == how.digits;
      const ball::BallLaw& law = ladder.at(prec);
      raw.rows.push_back({BallValue::from(rational_value(xs[i])),
                          BallValue::of(done ? grid[i].density.ball : law.density(xs[i])),
                          BallValue::of(done ? grid[i].cdf.ball : law.cdf(xs[i]))});
    }
    return raw;
  });
  emit(opts, t, format);
  return 0;
}

int run_edges(const Options& opts) {
  if (has_population(opts)) return run_population_edges(opts);
  Format format = parse_format(opts.get_or("format", "table"), false);
  auto axes = law_axes(opts);
  const ParamGrid grid = make_grid(axes);
  // The catalogue's ball route (docs/certified.md).
  emit(opts,
       certified_quantity_table(ball_printing(opts), grid,
                                catalogue_entries({"left_edge", "right_edge", "atom"})),
       format);
  return 0;
}

int run_moments(const Options& opts) {
  const std::string law = opts.get_or("law", "bulk");
  if (law == "finite-T") return run_finite_t_moments(opts);
  if (law != "bulk") throw UsageError("--law must be bulk or finite-T (got '" + law + "')");
  if (has_scheme_options(opts))
    throw UsageError("--T, --pooling and --corr are taken with --law finite-T only");
  if (has_population(opts)) return run_population_moments(opts);
  Format format = parse_format(opts.get_or("format", "table"), false);
  Rational delta = parse_positive_rational(opts.get("delta"), "--delta");
  Rational gamma = parse_positive_rational(opts.get("gamma"), "--gamma");
  Rational kappa =
      opts.has("kappa") ? parse_positive_rational(opts.get("kappa"), "--kappa") : Rational(1);
  long order = parse_integer(opts.get("order"), "--order", 1, max_moment_order);
  // The k-th exact moment has about k times the digits of the parameters'
  // numerators and denominators: refuse lists that cannot be printed in seconds.
  std::size_t param_digits = 0;
  for (const Rational* r : {&delta, &gamma, &kappa})
    param_digits += boost::multiprecision::numerator(*r).str().size() +
                    boost::multiprecision::denominator(*r).str().size();
  const double estimate = 0.5 * double(order) * double(order + 1) * double(param_digits);
  const double limit = 2e6;
  if (estimate > limit)
    throw UsageError("--order: the exact moments up to order " + std::to_string(order) +
                     " of these parameters would have about " +
                     std::to_string(static_cast<long long>(estimate)) +
                     " digits (limit 2000000); use a smaller --order or simpler fractions");
  const int digits = requested_digits(opts);
  // moment: a decimal number (exact when the moment is a terminating decimal,
  // else rounded to --digits from the exact value); moment_exact: the exact
  // fraction as text, so every column holds one type.
  TextTable t;
  t.columns = {"k", "moment", "moment_exact"};
  // The catalogue's exact `moment` (one evaluation for all orders, O(order^2)).
  const auto moments = exact_moment_list(
      QuantityPoint{{{"delta", delta}, {"gamma", gamma}, {"kappa", kappa}}, {}, nullptr},
      static_cast<int>(order));
  ScopedPrecision prec(static_cast<unsigned>(digits + 30));
  for (int k = 1; k <= order; ++k) {
    const Rational& g = moments[k - 1];
    const Rational& m = g;
    TextCell decimal = rational_cell(m);
    if (!decimal.numeric || decimal.text.size() > static_cast<std::size_t>(digits) + 2)
      decimal = {format_number(to_real<MpReal>(m), digits), true};
    t.rows.push_back({{std::to_string(k), true}, decimal, {g.str(), false}});
  }
  emit(opts, t, format);
  return 0;
}

// cauchy: the catalogue's cauchy_re, cauchy_im, printed as g_re, g_im.
const std::vector<const QuantityInfo*>& cauchy_quantities() {
  static const std::vector<const QuantityInfo*> qs = catalogue_entries({"cauchy_re", "cauchy_im"});
  return qs;
}

QuantityPoint cauchy_point(const ParamRow& row, const Rational& re, const Rational& im) {
  QuantityPoint p = quantity_point(row);
  p.numbers["z_re"] = re;
  p.numbers["z_im"] = im;
  return p;
}

TextTable cauchy_in_balls(const ParamRow& row, const std::vector<std::pair<Rational, Rational>>& zs,
                          const BallPrinting& how);

int run_cauchy(const Options& opts) {
  if (has_population(opts)) return run_population_cauchy(opts);
  Format format = parse_format(opts.get_or("format", "table"), false);
  auto axes = law_axes(opts);
  for (const auto& a : axes)
    if (a.values.size() != 1)
      throw UsageError("--" + a.name + " takes a single value for 'cauchy'");
  std::vector<std::pair<Rational, Rational>> zs;
  for (const auto& z : opts.all("z")) zs.push_back(parse_complex(z, "--z"));
  if (zs.empty()) opts.get("z");
  ParamRow row = cartesian(axes).front();
  const BallPrinting how = ball_printing(opts);
  TextTable t;
  try {
    t = cauchy_in_balls(row, zs, how);
  } catch (const std::domain_error& e) {
    // The ball engine could not separate the roots (z/kappa extremely close to
    // 0): fall back to the two-run MPFR agreement, and say so.
    if (how.radius || std::string(e.what()).find("undecided") == std::string::npos) throw;
    std::cerr << "attnrmt: warning: the ball engine could not decide the branch at this z; the "
                 "digits below come from the two-run MPFR agreement (README, Precision)\n";
    t = certify(how.digits, [&]() {
      RawTable raw;
      raw.columns = {"z_re", "z_im", "g_re", "g_im"};
      for (const auto& [re, im] : zs) {
        const auto g = evaluate_quantities(cauchy_quantities(), cauchy_point(row, re, im).numbers);
        raw.rows.push_back({rational_value(re), rational_value(im), Value::num(g[0].number),
                            Value::num(g[1].number)});
      }
      return raw;
    });
  }
  emit(opts, t, format);
  return 0;
}

TextTable cauchy_in_balls(const ParamRow& row, const std::vector<std::pair<Rational, Rational>>& zs,
                          const BallPrinting& how) {
  return certify_ball(how, [&](slong prec) {
    BallTable raw;
    raw.columns = {"z_re", "z_im", "g_re", "g_im"};
    BallLawCache laws(prec);  // one law for every z
    for (const auto& [re, im] : zs) {
      std::vector<BallValue> cells = {BallValue::from(rational_value(re)),
                                      BallValue::from(rational_value(im))};
      for (auto& g :
           evaluate_in_balls(cauchy_quantities(), cauchy_point(row, re, im), prec, &laws))
        cells.push_back(std::move(g));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });
}

const CommandRegistrar bulk_cmd{Command{
    "bulk", "density and CDF of the bulk law kappa (MP_delta ⊠ MP_gamma)",
    "bulk (--delta D --gamma G | --law mp:C) [--kappa K] (--x X1,X2,... | --grid A:B:M[log] |\n"
    "            --q Q1,Q2,...) [--digits N] [--format F]\n"
    "       bulk --law finite-T --T T --pooling SCHEME --delta D --gamma G (--x ... | --grid ...)\n"
    "            [--pool P] [--replicas R] [--seed S] [--top-at-d D1,...]",
    "Density f(x) = -Im g(x+i0)/pi and CDF (atom at 0 included) of the limiting spectrum of the\n"
    "pooled sample covariance. Columns: x,density,cdf. With --q: the quantiles, the smallest x\n"
    "with CDF(x) >= q (0 for q up to the atom); columns q,quantile. --law mp:C gives the same for\n"
    "the plain Marchenko-Pastur law kappa MP_C (no --delta/--gamma).\n"
    "--law finite-T: the bulk of the discrete-token model at fixed T for the scheme's weights\n"
    "(short or concentrated attention, where the asymptotic law fails: docs/finite_t.md), by\n"
    "population dynamics; columns x,density,density_se,cdf,cdf_se (statistical estimates and\n"
    "their standard errors, x in units of C/kappa times --kappa).",
    with(with(law_options(false), {{"x", "X1,X2,...", "points (exact rationals)"},
                                   {"grid", "A:B:M[log]",
                                    "M equally spaced points (A:B:Mlog: log-spaced); points that "
                                    "are not terminating decimals are rounded to 12 digits"},
                                   {"q", "Q1,Q2,...",
                                    "quantile levels in [0, 1] (list or grid) instead of points"},
                                   {"law", "NAME",
                                    "bulk (default), mp:C (the plain Marchenko-Pastur law "
                                    "kappa MP_C, C > 0) or finite-T (discrete tokens)"},
                                   radius_option()}),
         with(with(population_option_specs(), scheme_option_specs("one scheme, --law finite-T")),
              with(finite_t_option_specs(), common_output_options()))),
    run_bulk}};

const CommandRegistrar edges_cmd{Command{
    "edges", "edges of the continuous support and the atom at 0",
    "edges --delta D --gamma G [--kappa K] [--digits N] [--format F]",
    "Left and right edge of the continuous part of kappa (MP_delta ⊠ MP_gamma) and the mass of "
    "the\n"
    "atom at 0, max(0, 1-1/delta, 1-1/gamma). Columns: left_edge,right_edge,atom (preceded by the\n"
    "parameters that take several values).",
    with(with(law_options(true), {radius_option()}),
         with(population_option_specs(), common_output_options())),
    run_edges}};

const CommandRegistrar moments_cmd{Command{
    "moments", "exact moments (fractions in lowest terms)",
    "moments --delta D --gamma G [--kappa K] --order K [--format F]\n"
    "       moments --law finite-T --T T --pooling SCHEME --delta D --gamma G --order K",
    "Moments kappa^k m_k, k = 1..K, in exact rational arithmetic (inputs such as 1/2, 0.75, 2 are\n"
    "exact). Columns: k, moment (a decimal: exact when it terminates within --digits digits, else\n"
    "rounded to --digits), moment_exact (the exact fraction in lowest terms, text).\n"
    "--law finite-T: the moments of the discrete-token model's bulk at fixed T for the scheme's\n"
    "weights (exact sums over closed walks on the pooling graph, docs/theory.md §7.4), K <= 10.\n"
    "Rational weights (mean, causal, last:0, file) give exact fractions with the columns above;\n"
    "other schemes (last:TAU, causal:TAU, optimal) give columns k, moment with the digits on\n"
    "which two MPFR working precisions agree (--digits).",
    with(with(law_options(false),
              {{"order", "K", "highest moment, 1..200 (1..10 with --law finite-T)"},
               {"law", "NAME", "bulk (default) or finite-T (discrete tokens at fixed T)"}}),
         with(with(population_option_specs(), scheme_option_specs(", one scheme, --law finite-T")),
              common_output_options())),
    run_moments}};

const CommandRegistrar cauchy_cmd{Command{
    "cauchy", "Cauchy (Stieltjes) transform g(z) anywhere in the complex plane",
    "cauchy --delta D --gamma G [--kappa K] --z X+Yi [--z ...] [--digits N] [--format F]",
    "g(z) = ∫ dmu(t)/(z - t) on the physical branch (g ~ 1/z at infinity, Im g < 0 for Im z > 0);\n"
    "real z on the support gives the boundary value g(x + i0). Columns: z_re,z_im,g_re,g_im.",
    with(with(law_options(false),
              {{"z", "X+Yi", "complex point, e.g. 2, 1.5+0.25i, 3-1/2i", true}, radius_option()}),
         with(population_option_specs(), common_output_options())),
    run_cauchy}};

}  // namespace
}  // namespace attnrmt::cli
