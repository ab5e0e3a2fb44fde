// attnrmt/rational.hpp -- exact parameters.
//
// Every numeric input ("1/2", "0.75", "2", "2.5e-1") is a rational number; it
// is kept exactly (boost::multiprecision::mpq_rational, GMP's mpq_t) so that
// moments come out as exact fractions and so that a parameter enters a higher
// working precision without the rounding a double would add (0.1 is 1/10, not
// 0.1000000000000000055). GMP (already required by MPFR and by Arb/FLINT) does
// the arithmetic: numbers with 10^12 denominators, as on every decimal grid,
// cost a fraction of what Boost's own cpp_rational costs, and the conversions to
// MPFR (mpfr_set_q) and to Arb (fmpz_set_mpz, ball/arb.hpp) are direct.
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <cctype>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace attnrmt {

using Rational = boost::multiprecision::mpq_rational;
using BigInt = boost::multiprecision::mpz_int;

namespace detail {
/// The decimal digit string `digits` (non-empty, digits only) as an integer.
inline BigInt decimal_integer(const std::string& digits) {
  BigInt out;
  // Base 10 explicitly: Boost's string constructor would read a leading 0 as octal.
  if (mpz_set_str(out.backend().data(), digits.c_str(), 10) != 0)
    throw std::invalid_argument("decimal_integer: not a decimal integer: '" + digits + "'");
  return out;
}
}  // namespace detail

/// Parses "[+-]digits[.digits][e[+-]digits]" or "[+-]digits/digits" exactly.
/// Throws std::invalid_argument naming `what` on anything else.
inline Rational parse_rational(const std::string& text, const std::string& what) {
  auto fail = [&]() {
    throw std::invalid_argument(what + ": expected a number such as 0.5, 1/2 or 2.5e-1 (got '" +
                                text + "')");
  };
  std::size_t i = 0, n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string int_digits, frac_digits;
  while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) int_digits += text[i++];
  if (i < n && text[i] == '/') {
    ++i;
    std::string den_digits;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) den_digits += text[i++];
    if (int_digits.empty() || den_digits.empty() || i != n) fail();
    const BigInt den = detail::decimal_integer(den_digits);
    if (den == 0) throw std::invalid_argument(what + ": denominator is zero in '" + text + "'");
    Rational r(detail::decimal_integer(int_digits), den);
    return negative ? Rational(-r) : r;
  }
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) frac_digits += text[i++];
  }
  if (int_digits.empty() && frac_digits.empty()) fail();
  long exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    std::string exp_digits;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) exp_digits += text[i++];
    if (exp_digits.empty() || exp_digits.size() > 5) fail();
    exponent = std::stol(exp_digits);
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) fail();
  const BigInt mantissa = detail::decimal_integer(int_digits + frac_digits);
  exponent -= static_cast<long>(frac_digits.size());
  if (exponent > 4000 || exponent < -4000)
    throw std::invalid_argument(what + ": exponent out of range in '" + text + "'");
  BigInt scale = boost::multiprecision::pow(BigInt(10), static_cast<unsigned>(std::labs(exponent)));
  Rational r = exponent >= 0 ? Rational(mantissa * scale) : Rational(mantissa, scale);
  return negative ? Rational(-r) : r;
}

/// The rational r rounded to the working precision of Real. For MPFR types
/// this is mpfr_set_q (correctly rounded to nearest); for other
/// Boost.Multiprecision floats Boost's exact rational-to-float conversion.
template <class Real>
Real to_real(const Rational& r) {
  if constexpr (std::is_floating_point_v<Real>) {
    return static_cast<Real>(r.template convert_to<long double>());
  } else {
    return Real(r);
  }
}

/// The binary floating-point value x as an exact rational. Throws
/// std::domain_error when x is not finite.
template <class Real>
Rational to_rational(const Real& x) {
  using std::isfinite;
  if (!isfinite(x))
    throw std::domain_error("to_rational: the value must be finite (got a NaN or an infinity)");
  if constexpr (std::is_floating_point_v<Real>)
    return Rational(x);
  else
    return x.template convert_to<Rational>();
}

/// "21/4", or "12" for an integer, in lowest terms.
/// (GMP's mpq_get_str writes exactly this form.)
inline std::string rational_to_string(const Rational& r) {
  return r.str();
}

}  // namespace attnrmt
