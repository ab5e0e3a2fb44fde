// attnrmt/ball/detail/dd_arg.hpp -- the argument of a complex double-double
// ball and pi, rigorously (docs/certified.md §Double-double balls).
//
// arg(w), w = u + i v with v proven < 0 (the only case the grid needs; the
// principal branch is then continuous on the ball):
//   |u| >= |v|, u > 0:  arg w = atan(v/u);  u < 0: atan(v/u) - pi;
//   |u| <  |v|:         arg w = -pi/2 - atan(u/v)
// (the choice between the two is a heuristic on the midpoints: both formulas
// are exact identities wherever their divisor's sign is proven).
// atan(n/d), |n/d| <~ 1: with c = j/N the table point nearest n/d (N = 128),
//   atan(n/d) = atan(c) + atan(t),  t = (n - c d)/(d + c n),
// valid when 1 + c n/d > 0, i.e. d + c n has the sign of d (checked on the
// balls). atan(t) = sum_{k<8} (-1)^k t^(2k+1)/(2k+1) + R with |R| <= |t|^17/17
// for |t| <= 1 (alternating series, decreasing terms); |t| <= 1/128 is
// checked, so |R| < 2^-119. The table atan(j/N) and pi are Arb balls at 192
// bits converted rigorously (ball/detail/dd_arb.hpp), computed once.
// libm is not used for any bound (only to choose the table point).
#pragma once

#include <array>

#include "attnrmt/ball/detail/dd_arb.hpp"

namespace attnrmt::ball::detail {

struct DDConstants {
  static constexpr int table_n = 128;
  static constexpr int terms = 8;
  DDBall pi, half_pi;
  std::array<DDBall, 2 * table_n + 1> atan_table;  ///< atan(j / N), j = -N..N
  std::array<DDBall, terms> inv_odd;               ///< 1/(2k+1)
  DDConstants() {
    const slong prec = 192;
    Arb a;
    arb_const_pi(a, prec);
    pi = dd_from_arb(a);
    half_pi = mul_2exp(pi, -1);
    for (int j = -table_n; j <= table_n; ++j) {
      arb_set_si(a, j);
      arb_div_si(a, a, table_n, prec);
      arb_atan(a, a, prec);
      atan_table[static_cast<std::size_t>(j + table_n)] = dd_from_arb(a);
    }
    for (int k = 0; k < terms; ++k) inv_odd[static_cast<std::size_t>(k)] =
        div(dd_exact(1), dd_exact(2 * k + 1));
  }
};

/// The constants, built once per process (thread-safe static initialisation).
inline const DDConstants& dd_constants() {
  static const DDConstants c;
  return c;
}

/// atan(n/d) for balls with d of proven sign and |n/d| <~ 1; non-finite when
/// the reduction's conditions are not proven.
inline DDBall dd_atan_ratio(const DDBall& n, const DDBall& d) {
  const DDConstants& k = dd_constants();
  const DDBall bad{DD{NAN, NAN}, INFINITY};
  const double ratio = n.m.hi / d.m.hi;
  if (!(std::fabs(ratio) <= 1.01)) return bad;
  int j = static_cast<int>(std::nearbyint(ratio * DDConstants::table_n));
  j = std::max(-DDConstants::table_n, std::min(DDConstants::table_n, j));
  const DDBall c = dd_exact(static_cast<double>(j) / DDConstants::table_n);  // exact
  const DDBall den = add(d, mul(c, n));
  const bool d_pos = is_positive(d), d_neg = is_negative(d);
  if (!((d_pos && is_positive(den)) || (d_neg && is_negative(den)))) return bad;
  const DDBall t = div(sub(n, mul(c, d)), den);
  const double tmax = mag_upper(t);
  if (!(tmax <= 1.0 / 128)) return bad;
  const DDBall t2 = mul(t, t);
  DDBall p = k.inv_odd[DDConstants::terms - 1];
  for (int i = DDConstants::terms - 2; i >= 0; --i)
    p = sub(k.inv_odd[static_cast<std::size_t>(i)], mul(t2, p));
  p = mul(t, p);
  // Remainder |t|^17 / 17 <= |t|^17 (dd_up covers the roundings of the power).
  double rem = tmax;
  for (int i = 0; i < 4; ++i) rem = rem * rem;  // tmax^16
  rem = dd_up(rem * tmax);
  p.r = dd_up(p.r + rem);
  return add(k.atan_table[static_cast<std::size_t>(j + DDConstants::table_n)], p);
}

/// arg(w) for a complex ball with Im w proven < 0 (non-finite otherwise or
/// when a step is not proven).
inline DDBall dd_arg_lower(const DDComplex& w) {
  const DDConstants& k = dd_constants();
  if (!is_negative(w.im) || !finite(w.re)) return DDBall{DD{NAN, NAN}, INFINITY};
  if (std::fabs(w.re.m.hi) >= std::fabs(w.im.m.hi)) {
    const DDBall a = dd_atan_ratio(w.im, w.re);
    return w.re.m.hi > 0 ? a : sub(a, k.pi);
  }
  return sub(neg(k.half_pi), dd_atan_ratio(w.re, w.im));
}

}  // namespace attnrmt::ball::detail
