// Tests of the core pieces that everything else stands on (issue 12):
// detail::cubic_roots and detail::bracketed_root (detail/polynomial.hpp),
// exp and log of Complex (complex.hpp), the spec syntax
// (detail/spec_syntax.hpp) and the errors of its parsers, the causal weights
// against the query-averaged attention matrix (weights.hpp), and the
// certification and number formatting of the CLI (solver/cli.hpp).
// Each test checks a computed number against an independent source: known
// factors and the defining residual, closed forms, std::complex, identities, a
// direct construction, exact decimal arithmetic.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/math/constants/constants.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/detail/spec_syntax.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/rational.hpp"
#include "attnrmt/spectral_integrals.hpp"
#include "attnrmt/weights.hpp"
#include "cli.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;

namespace {

// ---- cubic_roots ---------------------------------------------------------------

template <class Real>
Real number(const char* text) {
  return Real(text);
}
template <>
double number<double>(const char* text) {
  return std::stod(text);
}

template <class Real>
struct CubicCase {
  const char* name;
  std::array<Complex<Real>, 3> roots;  ///< the known factors (z - r_k)
  Complex<Real> lead;                  ///< a3
  /// Known roots closer than this form one cluster (a multiple root, or two
  /// roots the working precision cannot separate); 0 for exact equality only.
  Real cluster;
};

// Coefficients of lead (z - r0)(z - r1)(z - r2), multiplied left to right so that
// huge roots with a tiny lead stay within the exponent range.
template <class Real>
std::array<Complex<Real>, 4> coefficients(const CubicCase<Real>& c) {
  const auto& r = c.roots;
  Complex<Real> a3 = c.lead;
  Complex<Real> a2 = -(c.lead * r[0] + c.lead * r[1] + c.lead * r[2]);
  Complex<Real> a1 = c.lead * r[0] * r[1] + c.lead * r[0] * r[2] + c.lead * r[1] * r[2];
  Complex<Real> a0 = -(c.lead * r[0] * r[1] * r[2]);
  return {a3, a2, a1, a0};
}

// Checks the three computed roots against the known factors and the residual of
// the defining equation (backward error), with bounds of the Boost.Math kind
// k * eps * condition:
// * residual: |P(z)| <= 64 eps S(z), S(z) = sum_k |a_k| |z|^k (a backward-stable
//   root is an exact root of a polynomial whose coefficients moved by O(eps));
// * forward error of a root r in a cluster of m known roots (a multiple root
//   when m > 1): moving the coefficients by eps S shifts it by at most about
//   (eps S(r) / c)^(1/m), c = |a3| prod over known roots r_k outside the
//   cluster of |r - r_k| (= |P^(m)(r)/m!|), plus the cluster's own spread.
template <class Real>
void check_cubic(const CubicCase<Real>& c) {
  using std::abs;
  using std::pow;
  const Real eps = detail::type_epsilon<Real>();
  const auto a = coefficients(c);
  const auto found = detail::cubic_roots<Real>(a[0], a[1], a[2], a[3]);
  // S(z) = |a0| + |a1| |z| + |a2| |z|^2 + |a3| |z|^3 (a[0] holds a3).
  auto scale = [&](const Complex<Real>& z) {
    const Real m = attnrmt::abs(z);
    return attnrmt::abs(a[3]) + attnrmt::abs(a[2]) * m + attnrmt::abs(a[1]) * m * m +
           attnrmt::abs(a[0]) * m * m * m;
  };
  for (const auto& z : found) {
    const Complex<Real> p = ((a[0] * z + a[1]) * z + a[2]) * z + a[3];
    INFO(c.name << ": root " << static_cast<double>(z.re) << " + " << static_cast<double>(z.im)
                << "i, |P(z)|/S(z) = " << static_cast<double>(attnrmt::abs(p) / scale(z))
                << " eps = " << static_cast<double>(eps));
    REQUIRE(attnrmt::abs(p) <= 64 * eps * scale(z));
  }
  // Match every computed root to the nearest known root not yet taken.
  std::array<bool, 3> taken{false, false, false};
  for (const auto& z : found) {
    int best = -1;
    for (int k = 0; k < 3; ++k)
      if (!taken[k] && (best < 0 || attnrmt::abs(z - c.roots[k]) < attnrmt::abs(z - c.roots[best])))
        best = k;
    taken[best] = true;
    const Complex<Real>& r = c.roots[best];
    int m = 0;
    Real spread = 0;
    Real separation = attnrmt::abs(c.lead);
    for (int k = 0; k < 3; ++k) {
      const Real d = attnrmt::abs(r - c.roots[k]);
      if (d <= c.cluster) {
        ++m;
        if (d > spread) spread = d;
      } else {
        separation *= d;
      }
    }
    const Real bound = 64 * pow(eps * scale(r) / separation, Real(1) / m) + spread;
    const Real error = attnrmt::abs(z - r);
    INFO(c.name << ": known root " << static_cast<double>(r.re) << " + "
                << static_cast<double>(r.im) << "i (cluster of " << m << "), error "
                << static_cast<double>(error) << ", bound " << static_cast<double>(bound));
    REQUIRE(error <= bound);
  }
}

template <class Real>
void check_cubic_family() {
  using C = Complex<Real>;
  const Real one(1), zero(0);
  const Real split = number<Real>("1e-8");
  // In double eps/split^2 > 1: the split pair is a cluster; at 50 digits two roots.
  const Real split_cluster =
      split * split > 64 * detail::type_epsilon<Real>() ? Real(0) : 2 * split;
  std::vector<CubicCase<Real>> cases = {
      {"(z-1)^3", {C(one), C(one), C(one)}, C(one), zero},
      {"(z-1)^2 (z+2)", {C(one), C(one), C(Real(-2))}, C(one), zero},
      {"triple complex root, complex lead",
       {C(Real(0.5), Real(-1.5)), C(Real(0.5), Real(-1.5)), C(Real(0.5), Real(-1.5))},
       C(Real(2), one),
       zero},
      {"(z-1)(z-1-1e-8)(z+3)", {C(one), C(one + split), C(Real(-3))}, C(one), split_cluster},
      {"(z^2+2z+5)(z-3)", {C(Real(-1), Real(2)), C(Real(-1), Real(-2)), C(Real(3))}, C(one), zero},
      {"complex coefficients",
       {C(zero, one), C(Real(2), one), C(Real(-1), Real(0.5))},
       C(number<Real>("0.3"), number<Real>("-0.7")),
       zero},
      {"zero root", {C(zero), C(Real(2)), C(Real(-5))}, C(Real(3)), zero},
      {"roots 1e-100, 1, 1e100, lead 1e-200",
       {C(number<Real>("1e-100")), C(one), C(number<Real>("1e100"))},
       C(number<Real>("1e-200")),
       zero},
      {"tiny cluster-free roots 1e-20 (1 +- i), 3e-20",
       {C(number<Real>("1e-20"), number<Real>("1e-20")),
        C(number<Real>("1e-20"), number<Real>("-1e-20")), C(number<Real>("3e-20"))},
       C(one),
       zero},
  };
  for (const auto& c : cases) check_cubic(c);
}

}  // namespace

namespace {
// Roots within double's range whose monic coefficients (b0 = -2e450) or cubes
// (1e450) are not: the range is the type's, so double reports it and MpReal
// solves them.
template <class Real>
std::vector<CubicCase<Real>> beyond_double_cubes() {
  using C = Complex<Real>;
  return {{"roots +-1e150, 2e150, lead 1e-300",
           {C(number<Real>("1e150")), C(number<Real>("2e150")), C(number<Real>("-1e150"))},
           C(number<Real>("1e-300")),
           Real(0)},
          {"roots 1e-150, 1, 1e150",
           {C(number<Real>("1e-150")), C(Real(1)), C(number<Real>("1e150"))},
           C(Real(1)),
           Real(0)}};
}
}  // namespace

TEST_CASE("cubic_roots: multiple, near-multiple, complex, tiny and huge roots (double)", "[core]") {
  check_cubic_family<double>();
  // Beyond double's exponent range: a clear std::domain_error, never NaN.
  for (const auto& c : beyond_double_cubes<double>()) {
    INFO(c.name);
    const auto a = coefficients(c);
    REQUIRE_THROWS_AS(detail::cubic_roots<double>(a[0], a[1], a[2], a[3]), std::domain_error);
  }
}

TEST_CASE("cubic_roots: the same family at 50 digits, and roots beyond double's range", "[core]") {
  ScopedPrecision prec(50);
  check_cubic_family<MpReal>();
  for (const auto& c : beyond_double_cubes<MpReal>()) check_cubic(c);
  using C = Complex<MpReal>;
  // Roots 500 decades apart (the first stage runs in MpReal, not in double) and
  // beyond double's exponent range.
  check_cubic(CubicCase<MpReal>{"roots 1e-300, 1e-20, 1e200",
                                {C(MpReal("1e-300")), C(MpReal("1e-20")), C(MpReal("1e200"))},
                                C(MpReal(1)),
                                MpReal(0)});
  check_cubic(CubicCase<MpReal>{"roots 1e-400, -2e-400, 1e-399 (below double's range)",
                                {C(MpReal("1e-400")), C(MpReal("-2e-400")), C(MpReal("1e-399"))},
                                C(MpReal(1)),
                                MpReal(0)});
  check_cubic(CubicCase<MpReal>{"triple root 1e500",
                                {C(MpReal("1e500")), C(MpReal("1e500")), C(MpReal("1e500"))},
                                C(MpReal("1e-1000")),
                                MpReal(0)});
}

// ---- bracketed_root ------------------------------------------------------------

namespace {
template <class Real>
void check_bracketed_root_accuracy() {
  using std::abs;
  using std::exp;
  using std::log;
  using std::sqrt;
  const Real eps = detail::type_epsilon<Real>();
  // x^2 - 2 on [1, 2]: sqrt(2); exp(x) - 3 on [0, 5]: log 3 (closed forms).
  const Real r2 = detail::bracketed_root<Real>([](const Real& x) { return x * x - 2; }, 1, 2);
  REQUIRE(abs(r2 - sqrt(Real(2))) <= 8 * eps * sqrt(Real(2)));
  const Real r3 = detail::bracketed_root<Real>([](const Real& x) { return exp(x) - 3; }, 0, 5);
  REQUIRE(abs(r3 - log(Real(3))) <= 8 * eps * log(Real(3)));
  // A quintic zero (x - 3/10)^5: TOMS 748 falls back to bisection; the default
  // limit still suffices and the answer is the bracketed point.
  const Real third = Real(3) / 10;
  long calls = 0;
  auto quintic = [&](const Real& x) {
    ++calls;
    Real d = x - third;
    return d * d * d * d * d;
  };
  const Real r5 = detail::bracketed_root<Real>(quintic, 0, 1);
  INFO("quintic: " << calls << " evaluations");
  REQUIRE(abs(r5 - third) <= 8 * eps * third);
  // The same function with a budget of 20 evaluations: a clear error naming the
  // limit, and no more than 20 evaluations besides the two at the endpoints.
  calls = 0;
  try {
    detail::bracketed_root<Real>(quintic, Real(0), Real(1), 20);
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    REQUIRE_THAT(e.what(), Catch::Contains("limit of 20 evaluations"));
  }
  REQUIRE(calls <= 22);
  REQUIRE(calls >= 20);  // the budget was used, not refused up front
  // A root 10^-300 (double) or 10^-4000 (MpReal) of the width of a bracket of one
  // sign, where f = (a/x)^2 - 1 defeats interpolation (the left edge of the
  // bulk law at delta = gamma = 1e-4000 looks like this): the default budget,
  // derived from the bracket, still reaches the root a.
  {
    const Real a = number<Real>(detail::type_bits<Real>() > 64 ? "1e-4000" : "1e-300");
    auto steep = [&](const Real& x) {
      const Real q = a / x;
      return q * q - 1;
    };
    const Real root = detail::bracketed_root<Real>(steep, a / 8, Real(1) / 2);
    REQUIRE(abs(root - a) <= 16 * eps * a);
  }
  // Bad input is still a domain error.
  REQUIRE_THROWS_AS(detail::bracketed_root<Real>([](const Real& x) { return x * x + 1; }, 0, 1),
                    std::domain_error);
}
}  // namespace

TEST_CASE("bracketed_root: accuracy on known roots and an honoured evaluation limit", "[core]") {
  check_bracketed_root_accuracy<double>();
  ScopedPrecision prec(50);
  check_bracketed_root_accuracy<MpReal>();
}

// ---- Complex exp and log ---------------------------------------------------------

TEST_CASE("Complex exp and log agree with std::complex in double", "[core]") {
  const double eps = std::numeric_limits<double>::epsilon();
  const double values[] = {-7.5, -2, -1, -0.3, -1e-5, 0, 1e-7, 0.25, 1, 3, 40};
  for (double x : values)
    for (double y : values) {
      const std::complex<double> s(x, y);
      const Complex<double> z(x, y);
      const std::complex<double> es = std::exp(s);
      const Complex<double> ez = attnrmt::exp(z);
      INFO("z = " << x << " + " << y << "i");
      // exp: relative to |exp z| (both routes round cos, sin, exp).
      REQUIRE(std::abs(std::complex<double>(ez.re, ez.im) - es) <= 8 * eps * std::abs(es));
      if (x == 0 && y == 0) continue;
      const std::complex<double> ls = std::log(s);
      const Complex<double> lz = attnrmt::log(z);
      // log: absolute error of a few eps in the real part even near |z| = 1.
      REQUIRE(std::abs(std::complex<double>(lz.re, lz.im) - ls) <=
              8 * eps * std::max(1.0, std::abs(ls)));
    }
  // The branch cut: from above on the negative axis, from below with -0 imaginary part.
  const double pi = boost::math::constants::pi<double>();
  REQUIRE(attnrmt::log(Complex<double>(-2.0, 0.0)).im == pi);
  REQUIRE(attnrmt::log(Complex<double>(-2.0, -0.0)).im == -pi);
  REQUIRE(attnrmt::log(Complex<double>(-2.0, 0.0)).re == std::log(2.0));
  REQUIRE_THROWS_AS(attnrmt::log(Complex<double>(0.0)), std::domain_error);
}

namespace {
template <class Real>
void check_exp_log_identities() {
  using std::abs;
  using std::cos;
  using std::log;
  using C = Complex<Real>;
  const Real eps = detail::type_epsilon<Real>();
  const Real pi = boost::math::constants::pi<Real>();
  // log(-1) = i pi, log(i) = i pi/2, log(e) = 1, exp(i pi) = -1.
  const C lm1 = attnrmt::log(C(Real(-1)));
  REQUIRE(lm1.re == 0);
  REQUIRE(abs(lm1.im - pi) <= 2 * eps * pi);
  const C li = attnrmt::log(C(Real(0), Real(1)));
  REQUIRE(abs(li.re) <= 2 * eps);
  REQUIRE(abs(li.im - pi / 2) <= 2 * eps * pi);
  const C eipi = attnrmt::exp(C(Real(0), pi));
  REQUIRE(abs(eipi.re + 1) <= 4 * eps);
  REQUIRE(abs(eipi.im) <= 4 * eps);
  REQUIRE(abs(attnrmt::log(attnrmt::exp(C(Real(1)))).re - 1) <= 4 * eps);
  const Real samples[] = {Real(-3), Real(-1) / 3, Real(0), Real(1) / 7, Real(2), Real(25) / 4};
  for (const Real& x : samples)
    for (const Real& t : samples) {
      // |exp(i t)| = 1, arg exp(i t) = t (|t| < pi).
      const C eit = attnrmt::exp(C(Real(0), t));
      REQUIRE(abs(attnrmt::abs(eit) - 1) <= 4 * eps);
      // log(exp z) = z for |Im z| < pi (t = 25/4 > pi is reduced by 2 pi).
      const Real y = abs(t) < pi ? t : t - 2 * pi;
      const C z(x, y);
      const C back = attnrmt::log(attnrmt::exp(z));
      INFO("z = " << static_cast<double>(x) << " + " << static_cast<double>(y) << "i");
      REQUIRE(attnrmt::abs(back - z) <= 16 * eps * (1 + attnrmt::abs(z)));
      // log(exp(x + i t)) for t outside (-pi, pi] returns t - 2 pi k.
      const C wrapped = attnrmt::log(attnrmt::exp(C(x, t)));
      REQUIRE(abs(cos(wrapped.im) - cos(t)) <= 16 * eps);
      REQUIRE(wrapped.im > -pi);
      REQUIRE(wrapped.im <= pi);
      if (x == 0 && t == 0) continue;
      // exp(log z) = z, and the product rule exp(a + b) = exp(a) exp(b).
      const C w(x, t);
      REQUIRE(attnrmt::abs(attnrmt::exp(attnrmt::log(w)) - w) <= 16 * eps * attnrmt::abs(w));
      const C b(t, x / 2);
      const C lhs = attnrmt::exp(w + b), rhs = attnrmt::exp(w) * attnrmt::exp(b);
      REQUIRE(attnrmt::abs(lhs - rhs) <= 64 * eps * attnrmt::abs(lhs));
      // log|z| from the real log of the modulus squared (second route).
      REQUIRE(abs(attnrmt::log(w).re - log(x * x + t * t) / 2) <=
              8 * eps * (1 + abs(log(x * x + t * t))));
    }
}
}  // namespace

TEST_CASE("Complex exp and log: identities in double and at 50 digits", "[core]") {
  check_exp_log_identities<double>();
  ScopedPrecision prec(50);
  check_exp_log_identities<MpReal>();
}

// ---- spec syntax and the errors of its parsers -----------------------------------

TEST_CASE("spec syntax: head, args and items", "[core]") {
  auto s = detail::split_spec("mean");
  REQUIRE(s.head == "mean");
  REQUIRE(!s.has_args);
  REQUIRE_NOTHROW(s.require_no_args("pooling"));
  s = detail::split_spec("causal:");
  REQUIRE(s.head == "causal");
  REQUIRE(s.has_args);
  REQUIRE(s.args.empty());
  REQUIRE_THROWS_WITH(s.require_no_args("pooling"),
                      "pooling: causal takes no argument (got 'causal:')");
  REQUIRE_THROWS_WITH(s.require_args("pooling", "causal[:TAU]"),
                      "pooling: missing argument after 'causal:' (expected causal[:TAU], got "
                      "'causal:')");
  // The args after the first ':' are kept whole (a path may hold ':' and ',').
  s = detail::split_spec("file:/tmp/a:b,c.txt");
  REQUIRE(s.head == "file");
  REQUIRE(s.require_args("pooling", "file:PATH") == "/tmp/a:b,c.txt");
  s = detail::split_spec("latent-exp:0.9,4");
  REQUIRE(s.require_items("corr", "latent-exp:A,L", 2, 2) == std::vector<std::string>{"0.9", "4"});
  REQUIRE_THROWS_WITH(s.require_items("corr", "latent-exp:A,L,M", 3, 3),
                      "corr: latent-exp takes 3 items (expected latent-exp:A,L,M, got "
                      "'latent-exp:0.9,4')");
  s = detail::split_spec("latent:1,,0.5");
  REQUIRE_THROWS_WITH(s.require_items("corr", "latent:P1,P2,...", 1, 10000),
                      "corr: item 2 of '1,,0.5' is empty (expected latent:P1,P2,...)");
  REQUIRE(detail::split_items(",a,") == std::vector<std::string>{"", "a", ""});
}

TEST_CASE("library errors name the parameter, and the CLI names the option", "[core]") {
  auto pooling_error = [](const std::string& spec) {
    try {
      PoolingScheme::parse(spec);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto integrand_error = [](const std::string& spec) {
    try {
      parse_integrand(spec);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  REQUIRE(pooling_error("harmonic") ==
          "pooling must be mean, causal[:TAU], optimal, last[:TAU] or file:PATH (got 'harmonic')");
  REQUIRE(pooling_error("mean:2") == "pooling: mean takes no argument (got 'mean:2')");
  REQUIRE(pooling_error("causal:20000") ==
          "pooling causal: tau must be in [-10000, 10000] (got 20000)");
  REQUIRE(pooling_error("last:") ==
          "pooling: missing argument after 'last:' (expected last[:TAU], got 'last:')");
  REQUIRE(pooling_error("file") ==
          "pooling: missing argument after 'file:' (expected file:PATH, got 'file')");
  REQUIRE(integrand_error("power:201") == "f power: K must be an integer in [0, 200] (got '201')");
  REQUIRE(integrand_error("log:2") == "f: log takes no argument (got 'log:2')");
  REQUIRE(integrand_error("sin:1") ==
          "f must be power:K, log, resolvent:L, resolvent2:L, stieltjes-t:L or stieltjes-t2:L "
          "(got 'sin:1')");
  // Every message starts with the parameter's name and never with an option.
  for (const char* spec : {"harmonic", "mean:2", "optimal:1", "causal:x", "last:1e9", "file",
                           "file:/nonexistent/w.txt", "causal:"}) {
    INFO(spec);
    REQUIRE(pooling_error(spec).rfind("pooling", 0) == 0);
  }
  for (const char* spec : {"power", "power:", "power:-1", "power:x", "resolvent", "resolvent:x",
                           "stieltjes-t2:", "logx"}) {
    INFO(spec);
    const std::string message = integrand_error(spec);
    const bool names_f = message.rfind("f ", 0) == 0 || message.rfind("f:", 0) == 0;
    REQUIRE(names_f);
  }
  REQUIRE(integrand_error("power:200") == "no error");
  REQUIRE(integrand_error("resolvent:9/2") == "no error");
  // The CLI prefixes the option's name: one line on stderr, exit code 2.
  auto r = attnrmt_test::run_cli("weights --T 4 --pooling harmonic");
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.err, Catch::Contains("--pooling must be mean, causal[:TAU]"));
  r = attnrmt_test::run_cli("weights --T 4 --pooling causal:20000");
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.err, Catch::Contains("--pooling causal: tau must be in [-10000, 10000]"));
  r = attnrmt_test::run_cli("integrate --delta 1/2 --gamma 1/2 --f power:300");
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.err, Catch::Contains("--f power: K must be an integer in [0, 200]"));
  REQUIRE(r.out.empty());
}

// ---- causal weights from the attention matrix -------------------------------------

namespace {
// Direct construction (docs/theory.md §4): query t (1-based) attends to keys
// s <= t with scores tau [s = t] (the limit of tau x_s.x_t/d); its attention row
// is the softmax of those scores (computed stably, max subtracted), and the
// pooling weights are the columns of the T x T causal attention matrix averaged
// over the T queries.
template <class Real>
std::vector<Real> attention_averaged_weights(int T, const Real& tau) {
  using std::exp;
  std::vector<Real> A(static_cast<std::size_t>(T) * T, Real(0));
  for (int t = 0; t < T; ++t) {
    const Real top = tau > 0 ? tau : Real(0);
    Real den = 0;
    for (int s = 0; s <= t; ++s) {
      const Real score = s == t ? tau : Real(0);
      A[t * T + s] = exp(score - top);
      den += A[t * T + s];
    }
    for (int s = 0; s <= t; ++s) A[t * T + s] /= den;
  }
  std::vector<Real> w(T, Real(0));
  for (int s = 0; s < T; ++s) {
    for (int t = 0; t < T; ++t) w[s] += A[t * T + s];
    w[s] /= T;
  }
  return w;
}

template <class Real>
void check_causal_against_attention(const Real& tolerance) {
  using std::abs;
  for (const char* tau_text : {"1/2", "-3", "2.5", "7", "-1/10", "0"})
    for (int T : {1, 2, 3, 8, 33}) {
      const Real tau = to_real<Real>(parse_rational(tau_text, "tau"));
      const auto scheme = PoolingScheme::parse(std::string("causal:") + tau_text);
      const auto summary =
          evaluate_scheme<Real>(scheme, PositionalCorrelation::from_spec("identity", T));
      const auto direct = attention_averaged_weights<Real>(T, tau);
      for (int s = 0; s < T; ++s) {
        INFO("tau " << tau_text << " T " << T << " s " << s + 1);
        REQUIRE(abs(summary.weights[s] - direct[s]) <= tolerance * abs(direct[s]));
      }
    }
}
}  // namespace

TEST_CASE("causal weights at tau != 0 equal the query-averaged causal attention matrix",
          "[core][weights]") {
  check_causal_against_attention<double>(1e-12);
  ScopedPrecision prec(50);
  check_causal_against_attention<MpReal>(MpReal("1e-40"));
}

// ---- certify and format_number (solver/cli.cpp) ------------------------------------

namespace {
using attnrmt::cli::format_number;

// x rounded to `digits` significant digits by exact decimal arithmetic on the
// rational value of the decimal string `text` (an independent route: integer
// arithmetic, round half away from zero), printed like format_number promises:
// positional for 1e-5 <= |rounded| < 1e15, otherwise d.ddde+XX, trailing zeros
// dropped.
std::string reference_round(const std::string& text, int digits) {
  Rational x = parse_rational(text, "x");
  if (x == 0) return "0";
  const bool negative = x < 0;
  if (negative) x = -x;
  // Find e with 10^e <= x < 10^(e+1).
  long e = 0;
  Rational p(1);
  while (p > x) {
    p /= 10;
    --e;
  }
  while (p * 10 <= x) {
    p *= 10;
    ++e;
  }
  // Scaled integer mantissa: round(x / 10^(e - digits + 1)), halves away from 0.
  Rational unit = 1;
  const long shift = e - digits + 1;
  for (long i = 0; i < (shift > 0 ? shift : -shift); ++i) unit *= 10;
  if (shift < 0) unit = 1 / unit;
  Rational q = x / unit;
  BigInt m = numerator(q) / denominator(q);
  if (2 * (q - Rational(m)) >= 1) ++m;
  std::string digs = m.str();
  if (static_cast<int>(digs.size()) > digits) {  // rounded up to a new decade
    ++e;
    digs.pop_back();
  }
  while (digs.size() > 1 && digs.back() == '0') digs.pop_back();
  std::string out;
  if (e >= -5 && e < 15) {
    if (e >= 0) {
      std::string ip = digs.substr(0, std::min<std::size_t>(digs.size(), e + 1));
      while (static_cast<long>(ip.size()) < e + 1) ip += '0';
      const std::string fp =
          digs.size() > static_cast<std::size_t>(e + 1) ? digs.substr(e + 1) : "";
      out = fp.empty() ? ip : ip + "." + fp;
    } else {
      out = "0." + std::string(static_cast<std::size_t>(-e - 1), '0') + digs;
    }
  } else {
    out = digs.substr(0, 1) + (digs.size() > 1 ? "." + digs.substr(1) : "");
    char buf[16];
    std::snprintf(buf, sizeof buf, "e%+03ld", e);
    out += buf;
  }
  return negative ? "-" + out : out;
}
}  // namespace

TEST_CASE("format_number rounds like exact decimal arithmetic, at several digit counts", "[core]") {
  ScopedPrecision prec(60);
  // Decimal inputs whose exact value is not a tie at any tested digit count (a
  // binary number with 200 bits cannot hold a decimal tie exactly except
  // dyadic ones; the inputs below are far from ties).
  const char* inputs[] = {"9.9999999999999999999",
                          "-9.9999999999999999999",
                          "0.99996",
                          "9.96e-6",
                          "9.999999e-6",
                          "1.0000000001e-5",
                          "999999999999999.7",
                          "99999.96",
                          "-0.000123456789",
                          "1.23456789e-300",
                          "-4.8e-199",
                          "7.5e-31",
                          "123456.789",
                          "3.14159265358979323846264338327950288",
                          "-2.71828182845904523536",
                          "1e15",
                          "9.9999999999999999e14",
                          "5e-324",
                          "6.02214076e23"};
  for (const char* text : inputs)
    for (int digits : {1, 2, 3, 6, 15, 40}) {
      const MpReal x(text);
      INFO("x = " << text << ", digits = " << digits);
      REQUIRE(format_number(x, digits) == reference_round(text, digits));
    }
  // Exact zeros (both signs) print as "0".
  REQUIRE(format_number(MpReal(0), 15) == "0");
  REQUIRE(format_number(-MpReal(0), 15) == "0");
  REQUIRE(format_number(MpReal(0), 1) == "0");
}

TEST_CASE("certify: exact zeros, tiny, negative and decade-crossing values", "[core]") {
  using attnrmt::cli::certify;
  using attnrmt::cli::RawTable;
  using attnrmt::cli::Value;
  for (int digits : {3, 15, 30}) {
    auto table = certify(digits, [] {
      using std::exp;
      using std::sqrt;
      RawTable t;
      t.columns = {"zero", "tiny", "negative", "decade", "near_one", "text"};
      const MpReal one(1);
      // zero: exactly 0 at every precision; tiny: e^-1000 ~ 5.08e-435 (its own
      // digits at any magnitude); negative: -sqrt(2); decade: 10 - 10^-100 ->
      // "10"; near_one: 1 - 2^-300 -> "1".
      t.rows.push_back({Value::num(MpReal(0)), Value::num(exp(MpReal(-1000))),
                        Value::num(-sqrt(MpReal(2))), Value::num(MpReal(10) - MpReal("1e-100")),
                        Value::num(one - ldexp(one, -300)), Value::str("regime")});
      return t;
    });
    INFO("digits " << digits);
    REQUIRE(table.rows.size() == 1);
    const auto& row = table.rows[0];
    REQUIRE(row[0].text == "0");
    // e^-1000 and sqrt 2 to 60 digits (mpmath, mp.dps = 60).
    const std::string tiny = "5.07595889754945676529180947957433691930559928289283736183239e-435";
    REQUIRE(row[1].text == reference_round(tiny, digits));
    REQUIRE(
        row[2].text ==
        reference_round("-1.41421356237309504880168872420969807856967187537694807317668", digits));
    REQUIRE(row[3].text == "10");
    REQUIRE(row[4].text == "1");
    REQUIRE(row[5].text == "regime");
    REQUIRE(table.notes.empty());
  }
}
