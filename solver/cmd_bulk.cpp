// solver/cmd_bulk.cpp -- `attnrmt bulk|edges|moments|cauchy`: the bulk law.
#include <iostream>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/moments.hpp"
#include "cli.hpp"
#include "params.hpp"

namespace attnrmt::cli {
namespace {

using Law = BulkLaw<MpReal>;

std::vector<OptionSpec> law_options(bool lists) {
  std::string suffix = lists ? " (list a,b,c or grid A:B:M[log] for one row each)" : "";
  return {{"delta", "D", "d/V, > 0" + suffix},
          {"gamma", "G", "d/N, > 0" + suffix},
          {"kappa", "K", "||w||^2 scale, > 0 (default 1)" + suffix}};
}

std::vector<ParamAxis> law_axes(const Options& opts) {
  return {read_axis(opts, "delta", "delta", "", false),
          read_axis(opts, "gamma", "gamma", "", false),
          read_axis(opts, "kappa", "kappa", "1", false)};
}

Law make_law(const ParamRow& row) {
  return Law::from_exact(lookup(row, "delta"), lookup(row, "gamma"), lookup(row, "kappa"));
}

int run_bulk(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  auto axes = law_axes(opts);
  for (const auto& a : axes)
    if (a.values.size() != 1) throw UsageError("--" + a.name + " takes a single value for 'bulk'");
  if (opts.has("x") == opts.has("grid"))
    throw UsageError("give exactly one of --x X1,X2,... or --grid A:B:M");
  std::vector<Rational> xs =
      opts.has("x") ? parse_values(opts.get("x"), "--x") : parse_values(opts.get("grid"), "--grid");
  ParamRow row = cartesian(axes).front();
  TextTable t = certify(digits, [&]() {
    Law law = make_law(row);
    RawTable raw;
    raw.columns = {"x", "density", "cdf"};
    for (const auto& x : xs) {
      MpReal xr = to_real<MpReal>(x);
      raw.rows.push_back({rational_value(x), Value::num(law.density(xr)), Value::num(law.cdf(xr))});
    }
    return raw;
  });
  emit(opts, t, format);
  return 0;
}

int run_edges(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  auto axes = law_axes(opts);
  auto rows = cartesian(axes);
  auto vary = varying(axes);
  TextTable t = certify(digits, [&]() {
    RawTable raw;
    raw.columns = vary;
    for (const char* c : {"left_edge", "right_edge", "atom"}) raw.columns.push_back(c);
    for (const auto& row : rows) {
      Law law = make_law(row);
      std::vector<Value> cells;
      for (const auto& v : vary) cells.push_back(rational_value(lookup(row, v)));
      cells.push_back(Value::num(law.left_edge()));
      cells.push_back(Value::num(law.right_edge()));
      cells.push_back(Value::num(law.atom()));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });
  emit(opts, t, format);
  return 0;
}

int run_moments(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  Rational delta = parse_single(opts.get("delta"), "--delta");
  Rational gamma = parse_single(opts.get("gamma"), "--gamma");
  Rational kappa = opts.has("kappa") ? parse_single(opts.get("kappa"), "--kappa") : Rational(1);
  require_range(delta, "--delta", false);
  require_range(gamma, "--gamma", false);
  require_range(kappa, "--kappa", false);
  long order = parse_integer(opts.get("order"), "--order", 1, 200);
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
  TextTable t;
  t.columns = {"k", "moment"};
  auto moments = exact_moments(static_cast<int>(order), delta, gamma, kappa);
  for (int k = 1; k <= order; ++k) {
    const GmpRational& m = moments[k - 1];
    bool integer = boost::multiprecision::denominator(m) == 1;
    t.rows.push_back({{std::to_string(k), true}, {m.str(), integer}});
  }
  emit(opts, t, format);
  return 0;
}

// "X", "X+Yi", "X-Yi", "Yi" with rational X, Y.
std::pair<Rational, Rational> parse_complex(const std::string& text) {
  std::string s = text;
  if (s.empty()) throw UsageError("--z: empty value");
  if (s.back() != 'i') return {parse_rational(s, "--z"), Rational(0)};
  s.pop_back();
  std::size_t split = std::string::npos;
  for (std::size_t i = 1; i < s.size(); ++i)
    if ((s[i] == '+' || s[i] == '-') && s[i - 1] != 'e' && s[i - 1] != 'E') split = i;
  auto imag_part = [&](const std::string& y) {
    if (y == "+" || y.empty()) return Rational(1);
    if (y == "-") return Rational(-1);
    return parse_rational(y, "--z (imaginary part of '" + text + "')");
  };
  if (split == std::string::npos) return {Rational(0), imag_part(s)};
  return {parse_rational(s.substr(0, split), "--z (real part of '" + text + "')"),
          imag_part(s.substr(split))};
}

int run_cauchy(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  auto axes = law_axes(opts);
  for (const auto& a : axes)
    if (a.values.size() != 1)
      throw UsageError("--" + a.name + " takes a single value for 'cauchy'");
  std::vector<std::pair<Rational, Rational>> zs;
  for (const auto& z : opts.all("z")) zs.push_back(parse_complex(z));
  if (zs.empty()) opts.get("z");
  ParamRow row = cartesian(axes).front();
  TextTable t = certify(digits, [&]() {
    Law law = make_law(row);
    RawTable raw;
    raw.columns = {"z_re", "z_im", "g_re", "g_im"};
    for (const auto& [re, im] : zs) {
      Complex<MpReal> g = law.cauchy(Complex<MpReal>(to_real<MpReal>(re), to_real<MpReal>(im)));
      raw.rows.push_back(
          {rational_value(re), rational_value(im), Value::num(g.re), Value::num(g.im)});
    }
    return raw;
  });
  emit(opts, t, format);
  return 0;
}

const CommandRegistrar bulk_cmd{Command{
    "bulk", "density and CDF of the bulk law kappa (MP_delta ⊠ MP_gamma)",
    "bulk --delta D --gamma G [--kappa K] (--x X1,X2,... | --grid A:B:M) [--digits N] [--format F]",
    "Density f(x) = -Im g(x+i0)/pi and CDF (atom at 0 included) of the limiting spectrum of the\n"
    "pooled sample covariance. Columns: x,density,cdf.",
    with(with(law_options(false), {{"x", "X1,X2,...", "points (exact rationals)"},
                                   {"grid", "A:B:M", "M equally spaced points"}}),
         common_output_options()),
    run_bulk}};

const CommandRegistrar edges_cmd{Command{
    "edges", "edges of the continuous support and the atom at 0",
    "edges --delta D --gamma G [--kappa K] [--digits N] [--format F]",
    "Left and right edge of the continuous part of kappa (MP_delta ⊠ MP_gamma) and the mass of "
    "the\n"
    "atom at 0, max(0, 1-1/delta, 1-1/gamma). Columns: left_edge,right_edge,atom (preceded by the\n"
    "parameters that take several values).",
    with(law_options(true), common_output_options()), run_edges}};

const CommandRegistrar moments_cmd{Command{
    "moments", "exact moments (fractions in lowest terms)",
    "moments --delta D --gamma G [--kappa K] --order K [--format F]",
    "Moments kappa^k m_k, k = 1..K, in exact rational arithmetic (inputs such as 1/2, 0.75, 2 are\n"
    "exact). Columns: k,moment.",
    with(with(law_options(false), {{"order", "K", "highest moment, 1..200"}}),
         common_output_options(false)),
    run_moments}};

const CommandRegistrar cauchy_cmd{Command{
    "cauchy", "Cauchy (Stieltjes) transform g(z) anywhere in the complex plane",
    "cauchy --delta D --gamma G [--kappa K] --z X+Yi [--z ...] [--digits N] [--format F]",
    "g(z) = ∫ dmu(t)/(z - t) on the physical branch (g ~ 1/z at infinity, Im g < 0 for Im z > 0);\n"
    "real z on the support gives the boundary value g(x + i0). Columns: z_re,z_im,g_re,g_im.",
    with(
        with(law_options(false), {{"z", "X+Yi", "complex point, e.g. 2, 1.5+0.25i, 3-1/2i", true}}),
        common_output_options()),
    run_cauchy}};

}  // namespace
}  // namespace attnrmt::cli
