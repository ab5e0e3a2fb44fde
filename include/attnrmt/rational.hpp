// attnrmt/rational.hpp -- exact parameters.
//
// Every numeric input ("1/2", "0.75", "2", "2.5e-1") is a rational number; it
// is kept exactly (boost::multiprecision::cpp_rational) so that moments come out
// as exact fractions and so that a parameter enters a higher working precision
// without the rounding a double would add (0.1 is 1/10, not 0.1000000000000000055).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cctype>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace attnrmt {

using Rational = boost::multiprecision::cpp_rational;
using BigInt = boost::multiprecision::cpp_int;

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
    // cpp_int reads a leading 0 as octal: strip leading zeros first.
    auto strip = [](std::string d) {
      d.erase(0, d.find_first_not_of('0'));
      return d.empty() ? std::string("0") : d;
    };
    BigInt den(strip(den_digits));
    if (den == 0) throw std::invalid_argument(what + ": denominator is zero in '" + text + "'");
    Rational r(BigInt(strip(int_digits)), den);
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
  // cpp_int reads a leading 0 as octal: strip leading zeros first.
  std::string mantissa_digits = int_digits + frac_digits;
  mantissa_digits.erase(0, mantissa_digits.find_first_not_of('0'));
  if (mantissa_digits.empty()) mantissa_digits = "0";
  BigInt mantissa(mantissa_digits);
  exponent -= static_cast<long>(frac_digits.size());
  if (exponent > 4000 || exponent < -4000)
    throw std::invalid_argument(what + ": exponent out of range in '" + text + "'");
  BigInt scale = boost::multiprecision::pow(BigInt(10), static_cast<unsigned>(std::labs(exponent)));
  Rational r = exponent >= 0 ? Rational(mantissa * scale) : Rational(mantissa, scale);
  return negative ? Rational(-r) : r;
}

/// The rational r rounded to the working precision of Real.
template <class Real>
Real to_real(const Rational& r) {
  if constexpr (std::is_floating_point_v<Real>) {
    return static_cast<Real>(r.template convert_to<long double>());
  } else {
    return Real(boost::multiprecision::numerator(r).str()) /
           Real(boost::multiprecision::denominator(r).str());
  }
}

/// The binary floating-point value x as an exact rational.
template <class Real>
Rational to_rational(const Real& x) {
  if constexpr (std::is_floating_point_v<Real>)
    return Rational(x);
  else
    return x.template convert_to<Rational>();
}

/// "21/4", or "12" for an integer, in lowest terms.
inline std::string rational_to_string(const Rational& r) {
  const BigInt num = boost::multiprecision::numerator(r);
  const BigInt den = boost::multiprecision::denominator(r);
  if (den == 1) return num.str();
  return num.str() + "/" + den.str();
}

}  // namespace attnrmt
