// attnrmt/moments.hpp -- exact moments of MP_delta ⊠ MP_gamma.
//
// Lagrange inversion of p = 1/z-series (docs/theory.md §2):
//   m_k = (1/k) sum_{b+c <= k-1} C(k, k-1-b-c) C(k, b) C(k, c) delta^b gamma^c.
// m_1 = 1, m_2 = 1 + delta + gamma; delta = gamma = 1 gives the Fuss-Catalan
// numbers 1, 3, 12, 55, 273. The same template evaluates the formula in exact
// rational arithmetic (attnrmt::Rational, GMP) or in any real type.
//
// exact_moments (all orders 1..K at once, the `moments` command): the moment
// series M(u) = sum_{k>=1} m_k u^k is the inverse of w/((1+w)(1+delta w)(1+gamma w))
// (S-transform), i.e. M = u (1 + e1 M + e2 M^2 + e3 M^3) with e1 = 1+delta+gamma,
// e2 = delta+gamma+delta gamma, e3 = delta gamma, so
//   m_k = e1 m_{k-1} + e2 [u^{k-1}] M^2 + e3 [u^{k-1}] M^3   (m_1 = 1).
// With delta = nd/dd, gamma = ng/dg and E = dd dg, a_k = m_k E^(k-1) is an
// integer (m_k is a polynomial of degree <= k-1 in each parameter with integer
// coefficients) and
//   a_k = (e1 E) a_{k-1} + (e2 E^2) S2_{k-1} + (e3 E^3) S3_{k-1},
//   S2_n = sum_{i+j=n} a_i a_j,  S3_n = sum_{i>=1} a_i S2_{n-i},
// all in GMP integers: O(K^2) multiplications instead of the O(K^3) binomial
// sums (docs/theory.md, "Numerically stable forms"; tests check it against
// moment_value<Rational>).
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/rational.hpp"

namespace attnrmt {

/// Highest moment order the catalogue's `moment` and the `moments` command accept.
constexpr int max_moment_order = 200;

namespace detail {
// Binomial coefficient C(n, k) in type T (exact for integer/rational T).
template <class T>
T binomial(int n, int k) {
  if (k < 0 || k > n) return T(0);
  T r(1);
  for (int i = 1; i <= k; ++i) {
    r *= T(n - k + i);
    r /= T(i);
  }
  return r;
}
}  // namespace detail

/// m_k(delta, gamma) for k >= 0 (m_0 = 1), in the arithmetic of T.
template <class T>
T moment_value(int k, const T& delta, const T& gamma) {
  if (k < 0) throw std::invalid_argument("order must be >= 0 (got " + std::to_string(k) + ")");
  if (k == 0) return T(1);
  T total(0);
  T delta_pow(1);
  for (int b = 0; b <= k - 1; ++b) {
    T gamma_pow(1);
    T cb = detail::binomial<T>(k, b);
    for (int c = 0; b + c <= k - 1; ++c) {
      total += detail::binomial<T>(k, k - 1 - b - c) * cb * detail::binomial<T>(k, c) * delta_pow *
               gamma_pow;
      gamma_pow *= gamma;
    }
    delta_pow *= delta;
  }
  return total / T(k);
}

/// kappa^k m_k(delta, gamma), k = 1..order, as exact fractions (recursion of
/// the header; GMP arithmetic throughout).
inline std::vector<Rational> exact_moments(int order, const Rational& delta, const Rational& gamma,
                                           const Rational& kappa = Rational(1)) {
  if (order < 0)
    throw std::invalid_argument("order must be >= 0 (got " + std::to_string(order) + ")");
  if (!(delta > 0) || !(gamma > 0) || !(kappa > 0))
    throw std::invalid_argument("exact_moments: delta, gamma and kappa must be > 0 (got " +
                                rational_to_string(delta) + ", " + rational_to_string(gamma) +
                                ", " + rational_to_string(kappa) + ")");
  using Z = BigInt;
  const Z nd = boost::multiprecision::numerator(delta),
          dd = boost::multiprecision::denominator(delta);
  const Z ng = boost::multiprecision::numerator(gamma),
          dg = boost::multiprecision::denominator(gamma);
  const Rational kap = kappa;
  const Z E = dd * dg;
  const Z c1 = E + nd * dg + ng * dd;                                // e1 E
  const Z c2 = nd * dd * dg * dg + ng * dg * dd * dd + nd * ng * E;  // e2 E^2
  const Z c3 = nd * ng * E * E;                                      // e3 E^3
  std::vector<Z> a(order + 1), s2(order + 1);
  std::vector<Rational> out;
  out.reserve(order);
  Z e_power = 1;         // E^(k-1)
  Rational k_power = 1;  // kappa^k
  for (int k = 1; k <= order; ++k) {
    if (k == 1) {
      a[1] = 1;
    } else {
      const int n = k - 1;
      // S2_n and S3_n from a_1..a_n (S2_m for m < n are kept from earlier steps).
      Z sum2 = 0;
      for (int i = 1; i < n; ++i) sum2 += a[i] * a[n - i];
      s2[n] = sum2;
      Z sum3 = 0;
      for (int i = 1; i + 2 <= n; ++i) sum3 += a[i] * s2[n - i];
      a[k] = c1 * a[n] + c2 * sum2 + c3 * sum3;
      e_power *= E;
    }
    k_power *= kap;
    out.push_back(Rational(a[k], e_power) * k_power);
  }
  return out;
}

}  // namespace attnrmt
