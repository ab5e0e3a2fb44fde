// attnrmt/ball/detail/dd_arb.hpp -- conversions between Arb balls, exact
// rationals and double-double balls (ball/detail/dd_interval.hpp), each
// direction rigorous: the result contains the input.
#pragma once

#include <gmp.h>

#include "attnrmt/ball/arb.hpp"
#include "attnrmt/ball/detail/dd_interval.hpp"

namespace attnrmt::ball::detail {

/// A double-double ball containing the Arb ball x (non-finite when x is not
/// finite or out of the double range).
inline DDBall dd_from_arb(const Arb& x) {
  if (!x.is_finite()) return DDBall{DD{NAN, NAN}, INFINITY};
  DDBall out;
  arf_t rest, lo;
  arf_init(rest);
  arf_init(lo);
  out.m.hi = arf_get_d(arb_midref(x.get()), ARF_RND_NEAR);
  arf_set_d(lo, out.m.hi);
  arf_sub(rest, arb_midref(x.get()), lo, ARF_PREC_EXACT, ARF_RND_DOWN);  // exact
  out.m.lo = arf_get_d(rest, ARF_RND_NEAR);
  arf_set_d(lo, out.m.lo);
  arf_sub(rest, rest, lo, ARF_PREC_EXACT, ARF_RND_DOWN);  // exact: what m.hi + m.lo misses
  mag_t r;
  mag_init(r);
  arf_get_mag(r, rest);  // upper bound
  mag_add(r, r, arb_radref(x.get()));
  out.r = mag_get_d(r);  // upper bound (Arb: "a double giving an upper bound")
  mag_clear(r);
  arf_clear(rest);
  arf_clear(lo);
  if (!(std::fabs(out.m.hi) < 0x1p1000)) return DDBall{DD{NAN, NAN}, INFINITY};
  return out;
}

/// An Arb ball containing the double-double ball a (not finite if a is not).
inline Arb arb_from_dd(const DDBall& a) {
  Arb out;
  if (!finite(a)) {
    arb_indeterminate(out);
    return out;
  }
  arf_t t;
  arf_init(t);
  arf_set_d(arb_midref(out.get()), a.m.hi);
  arf_set_d(t, a.m.lo);
  arf_add(arb_midref(out.get()), arb_midref(out.get()), t, ARF_PREC_EXACT, ARF_RND_DOWN);  // exact
  arf_clear(t);
  mag_set_d(arb_radref(out.get()), a.r);  // upper bound
  return out;
}

/// A double-double ball containing the rational x: a ball quotient of two
/// exact doubles when numerator and denominator have at most 53 bits,
/// otherwise through a 192-bit Arb ball.
inline DDBall dd_from_rational(const Rational& x) {
  const mpq_srcptr q = x.backend().data();
  const mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
  if (mpz_sizeinbase(num, 2) <= 53 && mpz_sizeinbase(den, 2) <= 53) {
    const double n = mpz_get_d(num), d = mpz_get_d(den);  // exact
    if (d == 1) return dd_exact(n);
    return div(dd_exact(n), dd_exact(d));
  }
  return dd_from_arb(to_arb(x, 192));
}

}  // namespace attnrmt::ball::detail
