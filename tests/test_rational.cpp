// Exact rationals (attnrmt/rational.hpp, GMP) and their conversions:
// * parse_rational against values built independently from integers (leading
//   zeros are decimal, never octal; the exponent limit stays 4000);
// * rational_to_string prints lowest terms and round-trips;
// * ordering agrees with cross-multiplication of the integer parts;
// * to_real<MpReal> is correctly rounded: the exact error, computed in
//   rationals, is at most half an ulp at 15, 50, 100 and 1000 digits;
// * to_rational is exact (0.1 is 3602879701896397/2^55) and refuses NaN/inf;
// * the Arb ball of a rational (ball/arb.hpp) contains it, is exact for a
//   dyadic value that fits and is within 2^-prec relative otherwise, also for
//   numerators and denominators beyond 64 bits (checked with FLINT's own
//   decimal parser as the independent route).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "attnrmt/ball/arb.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/rational.hpp"

using attnrmt::BigInt;
using attnrmt::MpReal;
using attnrmt::parse_rational;
using attnrmt::Rational;

namespace {

BigInt pow10(unsigned k) {
  return boost::multiprecision::pow(BigInt(10), k);
}

// A few rationals with large, coprime-ish numerators and denominators.
std::vector<Rational> hard_rationals() {
  std::vector<Rational> out;
  out.push_back(Rational(1, 3));
  out.push_back(Rational(-2, 7));
  out.push_back(Rational(pow10(40) + 1, 3));
  out.push_back(Rational(BigInt(1), pow10(300) + 7));
  out.push_back(parse_rational("0.123456789012", "x"));
  out.push_back(parse_rational("-98765432109876543210987654321/1234567890123456789", "x"));
  out.push_back(Rational(boost::multiprecision::pow(BigInt(2), 200) + 1,
                         boost::multiprecision::pow(BigInt(3), 100)));
  return out;
}

}  // namespace

TEST_CASE("rational: parse_rational reads decimals, fractions and exponents exactly",
          "[rational]") {
  CHECK(parse_rational("00012/0003", "x") == 4);
  CHECK(parse_rational("010", "x") == 10);  // decimal, not octal 8
  CHECK(parse_rational("0010/0010", "x") == 1);
  CHECK(parse_rational("0.75", "x") == Rational(3, 4));
  CHECK(parse_rational("-2.5e-1", "x") == Rational(-1, 4));
  CHECK(parse_rational("+.5E+1", "x") == 5);
  CHECK(parse_rational("-0/5", "x") == 0);
  CHECK(parse_rational("1e4000", "x") == Rational(pow10(4000)));
  CHECK(parse_rational("0.0000001e-3993", "x") == Rational(BigInt(1), pow10(4000)));
  const std::string long_digits(5000, '7');
  CHECK(parse_rational(long_digits + "/3", "x") ==
        Rational(BigInt((pow10(5000) - 1) / 9 * 7), BigInt(3)));
  CHECK_THROWS_AS(parse_rational("1e4001", "x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_rational("1e-4001", "x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_rational("1/0", "x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_rational("0/000", "x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_rational("0x10", "x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_rational("1/-2", "x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_rational("", "x"), std::invalid_argument);
  try {
    parse_rational("1/0", "--delta");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "--delta: denominator is zero in '1/0'");
  }
}

TEST_CASE("rational: text in lowest terms, round trip and ordering", "[rational]") {
  CHECK(attnrmt::rational_to_string(Rational(-6, 4)) == "-3/2");
  CHECK(attnrmt::rational_to_string(Rational(12, 4)) == "3");
  CHECK(attnrmt::rational_to_string(Rational(0, 7)) == "0");
  CHECK(attnrmt::rational_to_string(Rational(-5)) == "-5");
  CHECK(attnrmt::rational_to_string(parse_rational("0.125", "x")) == "1/8");
  std::vector<Rational> rs = hard_rationals();
  for (const Rational& r : rs) CHECK(parse_rational(attnrmt::rational_to_string(r), "x") == r);
  // Sorting by operator< agrees with comparing n1 d2 and n2 d1 (denominators > 0).
  std::sort(rs.begin(), rs.end());
  for (std::size_t i = 0; i + 1 < rs.size(); ++i) {
    const BigInt lhs = numerator(rs[i]) * denominator(rs[i + 1]);
    const BigInt rhs = numerator(rs[i + 1]) * denominator(rs[i]);
    CHECK(lhs < rhs);
  }
}

TEST_CASE("rational: to_real<MpReal> is correctly rounded at 15 to 1000 digits", "[rational]") {
  for (unsigned digits : {15u, 50u, 100u, 1000u}) {
    attnrmt::ScopedPrecision prec(digits);
    for (const Rational& r : hard_rationals()) {
      const MpReal x = attnrmt::to_real<MpReal>(r);
      const long bits = static_cast<long>(mpfr_get_prec(x.backend().data()));
      // x = m 2^e with 1/2 <= |m| < 1: one ulp is 2^(e - bits).
      const long e = static_cast<long>(mpfr_get_exp(x.backend().data()));
      const Rational error = abs(attnrmt::to_rational(x) - r);
      const long k = e - bits - 1;  // half an ulp is 2^k
      const BigInt two_k =
          boost::multiprecision::pow(BigInt(2), static_cast<unsigned>(std::labs(k)));
      const Rational half_ulp = k >= 0 ? Rational(two_k) : Rational(BigInt(1), two_k);
      INFO("digits " << digits << ", r = " << attnrmt::rational_to_string(r).substr(0, 40));
      CHECK(error <= half_ulp);
    }
  }
}

TEST_CASE("rational: to_rational is exact and refuses non-finite values", "[rational]") {
  CHECK(attnrmt::to_rational(0.1) ==
        Rational(BigInt(3602879701896397LL), boost::multiprecision::pow(BigInt(2), 55)));
  for (double x : {0.1, -1.0 / 3, 1e300, 4.9406564584124654e-324, 2.2250738585072014e-308})
    CHECK(attnrmt::to_real<double>(attnrmt::to_rational(x)) == x);
  CHECK_THROWS_AS(attnrmt::to_rational(std::numeric_limits<double>::quiet_NaN()),
                  std::domain_error);
  CHECK_THROWS_AS(attnrmt::to_rational(-std::numeric_limits<double>::infinity()),
                  std::domain_error);
  attnrmt::ScopedPrecision prec(50);
  const MpReal third = MpReal(1) / 3;
  CHECK(attnrmt::to_real<MpReal>(attnrmt::to_rational(third)) == third);
  CHECK_THROWS_AS(attnrmt::to_rational(MpReal(1) / MpReal(0)), std::domain_error);
}

TEST_CASE("rational: the Arb ball of a rational contains it and is tight", "[rational][ball]") {
  // Independent route: FLINT parses the decimal text of the fraction itself.
  auto flint_fraction = [](const std::string& text, fmpq_t out) {
    REQUIRE(fmpq_set_str(out, text.c_str(), 10) == 0);
  };
  for (slong prec : {53, 128, 3400}) {
    for (const Rational& r : hard_rationals()) {
      attnrmt::ball::Arb b = attnrmt::ball::to_arb(r, prec);
      fmpq_t q;
      fmpq_init(q);
      flint_fraction(attnrmt::rational_to_string(r), q);
      INFO("prec " << prec << ", r = " << attnrmt::rational_to_string(r).substr(0, 40));
      CHECK(arb_contains_fmpq(b, q));
      // Radius at most 2^-prec relative (arb_fmpz_div_fmpz rounds the midpoint once).
      CHECK(arb_rel_accuracy_bits(b) >= prec - 2);
      fmpq_clear(q);
    }
  }
  // Dyadic values that fit the precision are exact, far beyond 64 bits too.
  const Rational big = Rational(boost::multiprecision::pow(BigInt(2), 100) + 1);
  attnrmt::ball::Arb b = attnrmt::ball::to_arb(-big / 8, 128);
  CHECK(arb_is_exact(b));
  fmpq_t q;
  fmpq_init(q);
  flint_fraction("-1267650600228229401496703205377/8", q);
  CHECK(arb_contains_fmpq(b, q));
  fmpq_clear(q);
  // ... and rounded (not exact) when they do not fit.
  CHECK_FALSE(arb_is_exact(attnrmt::ball::to_arb(big, 64)));
}
