// attnrmt/ball/detail/dd_interval.hpp -- double-double midpoint-radius balls
// with rigorous a-posteriori error bounds (docs/certified.md §Double-double balls).
//
// A DDBall {m, r} stands for every real v with |v - (m.hi + m.lo)| <= r, where
// m.hi, m.lo, r are doubles (m.hi + m.lo is evaluated exactly, not in double).
// Every operation returns a ball containing op(a, b) for every a, b in the
// input balls, provided the result is finite (finite() below); a non-finite
// intermediate (overflow) propagates into a non-finite result, and every test
// in this header is written so that NaN fails it.
//
// The bounds are not the published worst cases of double-double algorithms
// (Joldes, Muller and Popescu 2017 prove relative errors of about 3u^2 for the
// accurate sum and 4u^2..5u^2 for the product, u = 2^-53); they are computed a
// posteriori from the intermediate values, which is simpler to prove:
//  * Round to nearest (the C++ default, never changed here): an addition,
//    subtraction or fma with finite result y has error <= u |y| (an addition
//    is exact when y is subnormal); a multiplication or division has error
//    <= u |y| + eta, eta = 2^-1075 (subnormal results).
//  * TwoSum (Knuth's six-operation error-free sum) returns s + e = a + b
//    exactly for finite a, b and s. TwoProd through fma returns p + e = a b
//    exactly unless e is below the subnormal range (then |error| <= eta).
//  * add: (s, e1) = TwoSum(ah, bh); (t, te) = TwoSum(al, bl);
//    (e, ee) = TwoSum(e1, t); (h, l) = TwoSum(s, e). Then h + l = a + b - te - ee
//    exactly, so |error| <= |te| + |ee| (0 when the sum is exact, e.g. 1 + x - 1).
//  * mul: (p, e1) = TwoProd(ah, bh); t1 = RN(ah bl); t2 = RN(al bh);
//    t = RN(t1 + t2); e = RN(e1 + t); (h, l) = TwoSum(p, e), al bl dropped:
//    |error| <= u (|t1| + |t2| + |t| + |e|) + |al| |bl| + 3 eta.
//  * input radii: |a b - ma mb| <= |ma| rb + |mb| ra + ra rb, with
//    |ma| <= |ah| + |al|.
//  * A radius is a sum/product of at most 12 such non-negative terms evaluated
//    in round to nearest; up(x) = RN(RN(x (1 + 2^-40)) + 2^-1000) is an upper
//    bound of the exact expression: each rounding loses at most a factor
//    (1 - u), (1 - u)^14 (1 + 2^-40) > 1, and the absolute 2^-1000 covers every
//    eta (and the subnormal losses of the radius terms) many times over.
//  * division X / Y: an approximate quotient m (two double divisions), then the
//    residual R = X - m Y in balls and |X/Y - m| <= (|R| + rad R) / (|Y|_low),
//    |Y|_low a rigorous lower bound of |Y| (must be > 0).
// Callers check finite() and the magnitudes they need; results whose values
// are near the subnormal range are simply wide (the absolute 2^-1000) and fail
// the callers' accuracy tests, which then take the Arb path.
#pragma once

#include <cmath>

namespace attnrmt::ball::detail {

constexpr double dd_u = 0x1p-53;

struct DD {
  double hi = 0, lo = 0;
};

struct DDBall {
  DD m;
  double r = 0;
};

struct DDComplex {
  DDBall re, im;
};

/// Upper bound of a non-negative expression of at most 12 rounded operations
/// (see the header comment).
inline double dd_up(double x) {
  return x * (1 + 0x1p-40) + 0x1p-1000;
}
/// Lower bound of a - b from a computed RN(a - b) >= 0 (a and b exact or b an upper bound):
/// RN(a - b) <= (a - b)(1 + u), times (1 - 2^-40) with one more rounding.
inline double dd_down_diff(double a, double b) {
  const double d = a - b;
  return d * (1 - 0x1p-40);
}

inline __attribute__((always_inline)) void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

inline DDBall dd_exact(double x) {
  return DDBall{DD{x, 0}, 0};
}

inline bool finite(const DDBall& a) {
  return std::isfinite(a.m.hi) && std::isfinite(a.m.lo) && std::isfinite(a.r);
}
inline bool finite(const DDComplex& z) {
  return finite(z.re) && finite(z.im);
}

/// Upper bound of |m| (m.hi + m.lo exactly).
inline double mag_mid(const DD& m) {
  return dd_up(std::fabs(m.hi) + std::fabs(m.lo));
}
/// Upper bound of every |v| in the ball.
inline double mag_upper(const DDBall& a) {
  return dd_up(std::fabs(a.m.hi) + std::fabs(a.m.lo) + a.r);
}
/// Lower bound of every |v| in the ball (0 or negative when the ball reaches 0).
inline double mag_lower(const DDBall& a) {
  return dd_down_diff(std::fabs(a.m.hi), dd_up(std::fabs(a.m.lo) + a.r));
}
/// Every point of the ball is > 0 (resp. < 0); false for non-finite balls.
inline bool is_positive(const DDBall& a) {
  return finite(a) && a.m.hi > 0 && mag_lower(a) > 0;
}
inline bool is_negative(const DDBall& a) {
  return finite(a) && a.m.hi < 0 && mag_lower(a) > 0;
}

inline DDBall neg(const DDBall& a) {
  return DDBall{DD{-a.m.hi, -a.m.lo}, a.r};
}

inline __attribute__((always_inline)) DDBall add(const DDBall& a, const DDBall& b) {
  double s, e1, t, te, e, ee;
  two_sum(a.m.hi, b.m.hi, s, e1);
  two_sum(a.m.lo, b.m.lo, t, te);
  two_sum(e1, t, e, ee);
  DDBall out;
  two_sum(s, e, out.m.hi, out.m.lo);
  out.r = dd_up(a.r + b.r + (std::fabs(te) + std::fabs(ee)));
  return out;
}

inline DDBall sub(const DDBall& a, const DDBall& b) {
  return add(a, neg(b));
}

inline __attribute__((always_inline)) DDBall mul(const DDBall& a, const DDBall& b) {
  const double p = a.m.hi * b.m.hi;
  const double e1 = std::fma(a.m.hi, b.m.hi, -p);
  const double t1 = a.m.hi * b.m.lo, t2 = a.m.lo * b.m.hi;
  const double t = t1 + t2;
  const double e = e1 + t;
  DDBall out;
  two_sum(p, e, out.m.hi, out.m.lo);
  const double ma = std::fabs(a.m.hi) + std::fabs(a.m.lo);
  const double mb = std::fabs(b.m.hi) + std::fabs(b.m.lo);
  const double rounding = dd_u * (std::fabs(t1) + std::fabs(t2) + std::fabs(t) + std::fabs(e)) +
                          std::fabs(a.m.lo) * std::fabs(b.m.lo);
  // ma, mb: one rounding each (counted by dd_up's margin).
  out.r = dd_up(rounding + ma * b.r + mb * a.r + a.r * b.r);
  return out;
}

/// a times 2^k (exact unless it overflows or reaches the subnormal range, where
/// the absolute margin of the radius covers it).
inline DDBall mul_2exp(const DDBall& a, int k) {
  DDBall out{DD{std::ldexp(a.m.hi, k), std::ldexp(a.m.lo, k)}, std::ldexp(a.r, k)};
  if (k < 0) out.r = dd_up(out.r + 0x1p-1074);
  return out;
}

/// x / y; a non-finite ball when |y| is not proven > 0.
inline DDBall div(const DDBall& x, const DDBall& y) {
  const double ylow = mag_lower(y);
  if (!(ylow > 0x1p-900) || !finite(x) || !finite(y)) return DDBall{DD{NAN, NAN}, INFINITY};
  // Approximate quotient (nothing is claimed): q1 + q2.
  const double q1 = x.m.hi / y.m.hi;
  const DDBall r1 = sub(DDBall{x.m, 0}, mul(dd_exact(q1), DDBall{y.m, 0}));
  const double q2 = (r1.m.hi + r1.m.lo) / y.m.hi;
  DDBall m;
  two_sum(q1, q2, m.m.hi, m.m.lo);
  // Rigorous: every x / y - m = (x - m y) / y.
  const DDBall res = sub(x, mul(DDBall{m.m, 0}, y));
  m.r = dd_up(mag_upper(res) / ylow);
  return m;
}

// Complex balls (rectangles).
inline DDComplex add(const DDComplex& a, const DDComplex& b) {
  return DDComplex{add(a.re, b.re), add(a.im, b.im)};
}
inline DDComplex sub(const DDComplex& a, const DDComplex& b) {
  return DDComplex{sub(a.re, b.re), sub(a.im, b.im)};
}
inline DDComplex mul(const DDComplex& a, const DDComplex& b) {
  return DDComplex{sub(mul(a.re, b.re), mul(a.im, b.im)), add(mul(a.re, b.im), mul(a.im, b.re))};
}
inline DDComplex mul(const DDBall& a, const DDComplex& b) {
  return DDComplex{mul(a, b.re), mul(a, b.im)};
}
/// Upper bound of |z| over the rectangle (|re| + |im|, at most sqrt 2 too large).
inline double mag_upper(const DDComplex& z) {
  return dd_up(mag_upper(z.re) + mag_upper(z.im));
}
/// x / y for a complex ball y whose |y|^2 is proven > 0: x conj(y) / |y|^2.
inline DDComplex div(const DDComplex& x, const DDComplex& y) {
  const DDBall n2 = add(mul(y.re, y.re), mul(y.im, y.im));
  const DDComplex num = mul(x, DDComplex{y.re, neg(y.im)});
  return DDComplex{div(num.re, n2), div(num.im, n2)};
}

}  // namespace attnrmt::ball::detail
