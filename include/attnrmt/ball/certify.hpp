// attnrmt/ball/certify.hpp -- the precision loop behind every printed digit
// (docs/certified.md §Printing).
//
// certify_decimal(digits, eval) evaluates eval(prec) -> Arb at
// prec = bits_for_digits(digits) and, while the ball has no common
// `digits`-digit decimal (ball/decimal.hpp), at twice the precision, up to
// `max_doublings` times. The result carries the correctly rounded decimal with
// `proven` digits (== digits on success; fewer, possibly 0, when the limit was
// reached) and the last ball, so callers can expose its radius.
#pragma once

#include <utility>

#include "attnrmt/ball/decimal.hpp"

namespace attnrmt::ball {

struct CertifiedDecimal {
  Decimal value;        ///< meaningful when proven > 0
  int proven = 0;       ///< number of correctly rounded digits in value
  Arb ball;             ///< the last ball computed
  slong precision = 0;  ///< bits of the last evaluation
};

template <class Eval>
CertifiedDecimal certify_decimal(int digits, const Eval& eval, int max_doublings = 5) {
  CertifiedDecimal out;
  slong prec = bits_for_digits(digits);
  for (int attempt = 0; attempt <= max_doublings; ++attempt, prec *= 2) {
    out.ball = eval(prec);
    out.precision = prec;
    if (auto d = round_ball(out.ball, digits)) {
      out.value = *d;
      out.proven = digits;
      return out;
    }
  }
  out.proven = proven_digits(out.ball, digits);
  if (out.proven > 0) out.value = *round_ball(out.ball, out.proven);
  return out;
}

/// The ball's radius rounded up to 3 significant digits ("0" for an exact
/// value, "inf" for an undecided one): an upper bound of the error of the midpoint.
inline std::string radius_string(const Arb& x) {
  if (!x.is_finite()) return "inf";
  if (mag_is_zero(arb_radref(x.get()))) return "0";
  arf_t r;
  arf_init(r);
  arf_set_mag(r, arb_radref(x.get()));
  mpfr_t m;
  mpfr_init2(m, 64);
  arf_get_mpfr(m, r, MPFR_RNDU);  // a mag has a 30-bit mantissa: exact
  mpfr_exp_t e = 0;
  char* s = mpfr_get_str(nullptr, &e, 10, 3, m, MPFR_RNDU);
  Decimal d;
  d.digits = s;
  d.exponent = static_cast<long>(e) - 1;
  mpfr_free_str(s);
  mpfr_clear(m);
  arf_clear(r);
  return layout_decimal(d);
}

}  // namespace attnrmt::ball
