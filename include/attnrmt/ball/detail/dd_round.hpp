// attnrmt/ball/detail/dd_round.hpp -- correctly rounded decimals and doubles
// decided directly from a double-double ball (docs/certified.md §Printing).
//
// Rounding is non-decreasing, so a ball strictly inside one rounding cell
// rounds, with every point in it, to that cell's value (ball/decimal.hpp).
// Decimal, d <= 15 digits: with e ~ floor(log10 |v|) and S = |v| 10^(d-1-e)
// (a ball; 10^k is an exact double for 0 <= k <= 22), the cell of the integer
// k is (k - 1/2, k + 1/2); S - k is a ball and |S - k| < 1/2 is checked. k
// must lie in [10^(d-1), 10^d], S >= 10^(d-1) proven (10^d is the decimal 1 followed by zeros at the
// next exponent: its cell straddles 10^d, and both halves round to it);
// otherwise e is corrected once each way. Double: the cell of the double y
// nearest the midpoint is (y - gap_down/2, y + gap_up/2) (gaps are exact).
// The ball's radius is inflated by 2^-20 relative first, so that the Arb ball
// arb_from_dd gives the caller (its radius rounded up to a 30-bit magnitude)
// decides the same value. Anything not decided: nullopt (the caller falls back).
#pragma once

#include <optional>
#include <string>

#include "attnrmt/ball/decimal.hpp"
#include "attnrmt/ball/detail/dd_interval.hpp"

namespace attnrmt::ball::detail {

inline DDBall dd_inflate(DDBall v) {
  v.r = dd_up(v.r * (1 + 0x1p-20));
  return v;
}

/// 10^k as a ball, 0 <= k <= 44 (exact for k <= 22).
inline DDBall dd_pow10(int k) {
  double p = 1;
  for (int i = 0; i < (k < 22 ? k : 22); ++i) p *= 10;  // exact: 10^i < 2^53 * 2^i
  if (k <= 22) return dd_exact(p);
  double q = 1;
  for (int i = 0; i < k - 22; ++i) q *= 10;
  return mul(dd_exact(p), dd_exact(q));
}

/// The `digits`-digit decimal (1 <= digits <= 15) of every point of v, if v decides it.
inline std::optional<Decimal> dd_round_decimal(const DDBall& value, int digits) {
  if (digits < 1 || digits > 15 || !finite(value)) return std::nullopt;
  const bool negative = is_negative(value);
  if (!negative && !is_positive(value)) return std::nullopt;
  const DDBall v = dd_inflate(negative ? neg(value) : value);
  if (!(v.m.hi > 0x1p-900 && v.m.hi < 0x1p900)) return std::nullopt;
  long e = static_cast<long>(std::floor(std::log10(v.m.hi)));
  const double low = dd_pow10(digits - 1).m.hi, high = dd_pow10(digits).m.hi;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const long n = digits - 1 - e;
    DDBall s;
    if (n >= 0 && n <= 44)
      s = mul(v, dd_pow10(static_cast<int>(n)));
    else if (n < 0 && n >= -22)
      s = div(v, dd_pow10(static_cast<int>(-n)));
    else
      return std::nullopt;
    if (!finite(s)) return std::nullopt;
    double k = std::nearbyint(s.m.hi);
    const double frac = (s.m.hi - k) + s.m.lo;  // a guess; checked below
    if (frac > 0.5) k += 1;
    if (frac < -0.5) k -= 1;
    if (k < low || (k == low && !is_positive(sub(s, dd_exact(low))))) {
      --e;
      continue;
    }
    if (k > high) {
      ++e;
      continue;
    }
    if (!(mag_upper(sub(s, dd_exact(k))) < 0.5)) return std::nullopt;
    Decimal d;
    d.negative = negative;
    if (k == high) {
      d.digits = "1" + std::string(static_cast<std::size_t>(digits - 1), '0');
      d.exponent = e + 1;
    } else {
      d.digits = std::to_string(static_cast<long long>(k));
      d.exponent = e;
    }
    return d;
  }
  return std::nullopt;
}

/// The double nearest to every point of v (ties excluded), if v decides it;
/// zero and subnormal results are left to the caller.
inline std::optional<double> dd_round_double(const DDBall& value) {
  if (!finite(value)) return std::nullopt;
  const DDBall v = dd_inflate(value);
  const double y = v.m.hi + v.m.lo;
  if (!(std::fabs(y) > 0x1p-1000 && std::fabs(y) < 0x1p1000)) return std::nullopt;
  const double up = std::nextafter(y, HUGE_VAL) - y, down = y - std::nextafter(y, -HUGE_VAL);
  const double half = 0.5 * (up < down ? up : down);
  if (!(mag_upper(sub(v, dd_exact(y))) < half)) return std::nullopt;
  return y;
}

}  // namespace attnrmt::ball::detail
