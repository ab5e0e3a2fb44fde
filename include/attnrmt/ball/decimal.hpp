// attnrmt/ball/decimal.hpp -- correctly rounded decimals from balls and from
// exact rationals (docs/certified.md §Printing).
//
// Rounding to n significant decimal digits (round half to even) is a
// non-decreasing function of the value. Hence if both endpoints of a ball round
// to the same n-digit decimal, so does every point of the ball, the exact value
// included: that decimal is the exact value correctly rounded. Endpoints are
// dyadic numbers, rounded exactly by MPFR (mpfr_get_str, MPFR_RNDN). A ball
// that contains 0 (or touches it) has no such decimal unless it is the exact
// point 0. An exact rational is rounded exactly in integer arithmetic.
#pragma once

#include <mpfr.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include "attnrmt/ball/arb.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt::ball {

/// value = (negative ? -1 : 1) * 0.d1 d2 ... dn * 10^(exponent + 1), i.e.
/// d1.d2...dn * 10^exponent; `digits` has exactly n characters; zero: all fields empty.
struct Decimal {
  bool zero = false;
  bool negative = false;
  std::string digits;
  long exponent = 0;
  bool operator==(const Decimal& o) const {
    return zero == o.zero && negative == o.negative && digits == o.digits && exponent == o.exponent;
  }
};

/// The finite MPFR number x correctly rounded to n >= 1 significant digits:
/// mpfr_get_str with MPFR_RNDN, i.e. round half to even on x's exact binary
/// value. Non-finite x is a std::domain_error; n < 1 a std::invalid_argument.
inline Decimal round_mpfr(mpfr_srcptr x, int n) {
  if (n < 1)
    throw std::invalid_argument("round_mpfr: n must be >= 1 (got " + std::to_string(n) + ")");
  if (!mpfr_number_p(x)) throw std::domain_error("round_mpfr: x must be finite (got NaN or inf)");
  Decimal d;
  if (mpfr_zero_p(x)) {
    d.zero = true;
    return d;
  }
  mpfr_exp_t e = 0;
  char* s =
      mpfr_get_str(nullptr, &e, 10, static_cast<size_t>(n) /* MPFR >= 4: n >= 1 */, x, MPFR_RNDN);
  std::string str(s);
  mpfr_free_str(s);
  if (!str.empty() && str[0] == '-') {
    d.negative = true;
    str.erase(0, 1);
  }
  d.digits = str;
  d.exponent = static_cast<long>(e) - 1;
  return d;
}

namespace detail {
inline Decimal round_arf(const arf_t x, int n) {
  if (arf_is_zero(x)) {
    Decimal d;
    d.zero = true;
    return d;
  }
  mpfr_t m;
  slong bits = arf_bits(x);
  mpfr_init2(m, bits < 2 ? 2 : bits);
  arf_get_mpfr(m, x, MPFR_RNDN);  // exact: enough bits
  Decimal d = round_mpfr(m, n);
  mpfr_clear(m);
  return d;
}
}  // namespace detail

/// The n-digit decimal (n >= 1) shared by every point of the ball, if any.
inline std::optional<Decimal> round_ball(const Arb& x, int n) {
  if (!x.is_finite()) return std::nullopt;
  if (arb_is_zero(x)) {
    Decimal d;
    d.zero = true;
    return d;
  }
  if (arb_contains_zero(x)) return std::nullopt;
  arf_t a, b;
  arf_init(a);
  arf_init(b);
  // Enough bits for mid +- rad to be nearly exact (outward rounding keeps [a, b]
  // a superset of the ball in any case).
  // An exact ball (radius 0) reports ARF_PREC_EXACT (WORD_MAX) here: its
  // midpoint's own bits are enough then.
  slong rel = mag_is_zero(arb_radref(x.get())) ? 0 : arb_rel_accuracy_bits(x);
  if (rel < 0) rel = 0;
  if (rel > (slong(1) << 24)) rel = slong(1) << 24;
  slong prec = arf_bits(arb_midref(x.get())) + rel + 64;
  arb_get_interval_arf(a, b, x, prec);  // outward rounding: [a, b] contains the ball
  std::optional<Decimal> out;
  Decimal da = detail::round_arf(a, n), db = detail::round_arf(b, n);
  if (da == db) out = da;
  arf_clear(a);
  arf_clear(b);
  return out;
}

/// The exact rational r correctly rounded to n >= 1 significant digits (half to even).
inline Decimal round_rational(const Rational& r, int n) {
  Decimal d;
  if (r == 0) {
    d.zero = true;
    return d;
  }
  d.negative = r < 0;
  Rational a = d.negative ? Rational(-r) : r;
  BigInt num = boost::multiprecision::numerator(a), den = boost::multiprecision::denominator(a);
  // e = floor(log10 a): start from the bit lengths (a in [2^(m-1), 2^(m+1)),
  // m = msb(num) - msb(den), so the estimate is off by at most one) and correct.
  const long m = static_cast<long>(boost::multiprecision::msb(num)) -
                 static_cast<long>(boost::multiprecision::msb(den));
  long e = static_cast<long>(std::floor(static_cast<double>(m) * 0.30102999566398120));
  auto pow10 = [](long k) -> BigInt {
    return boost::multiprecision::pow(BigInt(10), static_cast<unsigned>(k));
  };
  auto ge_pow10 = [&](long k) {  // a >= 10^k
    return k >= 0 ? num >= den * pow10(k) : num * pow10(-k) >= den;
  };
  while (!ge_pow10(e)) --e;
  while (ge_pow10(e + 1)) ++e;
  // scaled = a * 10^(n-1-e), rounded half to even.
  long shift = n - 1 - e;
  BigInt sn = shift >= 0 ? num * pow10(shift) : num;
  BigInt sd = shift >= 0 ? den : den * pow10(-shift);
  BigInt q = sn / sd, rem = sn % sd;
  BigInt twice = 2 * rem;
  if (twice > sd || (twice == sd && (q % 2) == 1)) ++q;
  if (q == pow10(n)) {
    q /= 10;
    ++e;
  }
  d.digits = q.str();
  d.exponent = e;
  return d;
}

/// Digits without trailing zeros: positional notation for 1e-5 <= |x| < 1e15,
/// otherwise d.ddde+XX; "0" for zero. The one layout of a decimal: the CLI's
/// format_number (solver/cli/certify.hpp) prints through it.
inline std::string layout_decimal(const Decimal& d) {
  if (d.zero) return "0";
  std::string digs = d.digits;
  while (digs.size() > 1 && digs.back() == '0') digs.pop_back();
  const long exponent = d.exponent;
  std::string out;
  if (exponent >= -5 && exponent < 15) {
    if (exponent >= 0) {
      std::string ip = digs.substr(0, std::min<std::size_t>(digs.size(), exponent + 1));
      while (static_cast<long>(ip.size()) < exponent + 1) ip += '0';
      std::string fp = digs.size() > static_cast<std::size_t>(exponent + 1)
                           ? digs.substr(static_cast<std::size_t>(exponent + 1))
                           : "";
      out = fp.empty() ? ip : ip + "." + fp;
    } else {
      out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digs;
    }
  } else {
    out = digs.substr(0, 1);
    if (digs.size() > 1) out += "." + digs.substr(1);
    char buf[24];
    std::snprintf(buf, sizeof buf, "e%+03ld", exponent);
    out += buf;
  }
  return d.negative ? "-" + out : out;
}

/// Largest k <= n such that the ball has a common k-digit decimal (0 if none).
inline int proven_digits(const Arb& x, int n) {
  for (int k = n; k >= 1; --k)
    if (round_ball(x, k)) return k;
  return 0;
}

}  // namespace attnrmt::ball
