// solver/moments_finite_t.cpp -- `attnrmt moments --law finite-T`: the moments
// kappa^k m_k of the discrete-token model's bulk at fixed T for a pooling scheme,
// from the exact moments of nu_T (finite_t/token_moments.hpp, docs/theory.md §7.4).
// Rational weights (mean, causal, last:0, file) give exact fractions (columns as
// the plain `moments`: k, moment, moment_exact); other schemes give the digits on
// which two MPFR working precisions agree (columns k, moment).
#include "moments_finite_t.hpp"

#include <optional>

#include "attnrmt/finite_t/token_moments.hpp"
#include "attnrmt/weights.hpp"
#include "params.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli {
namespace {

// The scheme's weights as exact fractions when they are rational.
std::optional<std::vector<Rational>> rational_weights(const PoolingScheme& scheme, int T) {
  switch (scheme.kind()) {
    case PoolingScheme::Kind::mean:
      return std::vector<Rational>(static_cast<std::size_t>(T), Rational(1, T));
    case PoolingScheme::Kind::last:  // e^tau = 1: every weight 1/T
      if (scheme.tau() == 0)
        return std::vector<Rational>(static_cast<std::size_t>(T), Rational(1, T));
      return std::nullopt;
    case PoolingScheme::Kind::causal:
      if (scheme.tau() == 0) return harmonic_weights_exact(T);
      return std::nullopt;
    case PoolingScheme::Kind::file:
      return scheme.file_weights();
    case PoolingScheme::Kind::optimal:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

int run_finite_t_moments(const Options& opts) {
  const Format format = parse_format(opts.get_or("format", "table"), false);
  if (opts.has("population")) throw UsageError("--population is not taken with --law finite-T");
  const SchemeInput in = read_finite_t_scheme(opts);
  const PoolingScheme& scheme = in.schemes.front();
  const Rational delta = parse_positive_rational(opts.get("delta"), "--delta");
  const Rational gamma = parse_positive_rational(opts.get("gamma"), "--gamma");
  const Rational kappa = parse_positive_rational(opts.get_or("kappa", "1"), "--kappa");
  const int order = static_cast<int>(
      parse_integer(opts.get("order"), "--order", 1, finite_t::max_token_moment_order));
  const int digits = requested_digits(opts);
  const int T = in.corr.length();

  if (const auto w = rational_weights(scheme, T)) {
    bool nonzero = false;
    for (const auto& x : *w) nonzero = nonzero || x != 0;
    if (!nonzero) throw UsageError("--pooling " + scheme.spec() + ": every weight is zero");
    const auto m = finite_t::token_bulk_moments<Rational>(*w, delta, gamma, order);
    TextTable t;
    t.columns = {"k", "moment", "moment_exact"};
    ScopedPrecision prec(static_cast<unsigned>(digits + 30));
    Rational kappa_power = 1;
    for (int k = 1; k <= order; ++k) {
      kappa_power *= kappa;
      const Rational v = m[static_cast<std::size_t>(k - 1)] * kappa_power;
      TextCell decimal = rational_cell(v);
      if (!decimal.numeric || decimal.text.size() > static_cast<std::size_t>(digits) + 2)
        decimal = {format_number(to_real<MpReal>(v), digits), true};
      t.rows.push_back({{std::to_string(k), true}, decimal, {rational_to_string(v), false}});
    }
    t.notes.push_back("exact moments of the finite-T bulk of pooling " + scheme.spec() +
                      " at T = " + std::to_string(T) + " (docs/theory.md §7.4)");
    emit(opts, t, format);
    return 0;
  }
  TextTable t = certify(digits, [&]() {
    const SchemeSummary<MpReal> s = evaluate_scheme<MpReal>(scheme, in.corr);
    const auto m = finite_t::token_bulk_moments<MpReal>(s.weights, to_real<MpReal>(delta),
                                                        to_real<MpReal>(gamma), order);
    RawTable raw;
    raw.columns = {"k", "moment"};
    MpReal kappa_power = 1;
    const MpReal kappa_value = to_real<MpReal>(kappa);
    for (int k = 1; k <= order; ++k) {
      kappa_power *= kappa_value;
      raw.rows.push_back({Value::str(std::to_string(k), false),
                          Value::num(m[static_cast<std::size_t>(k - 1)] * kappa_power)});
    }
    return raw;
  });
  t.notes.push_back("moments of the finite-T bulk of pooling " + scheme.spec() +
                    " at T = " + std::to_string(T) +
                    " (docs/theory.md §7.4; digits on which two working precisions agree)");
  emit(opts, t, format);
  return 0;
}

}  // namespace attnrmt::cli
