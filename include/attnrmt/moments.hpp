// attnrmt/moments.hpp -- exact moments of MP_delta ⊠ MP_gamma.
//
// Lagrange inversion of p = 1/z-series (docs/theory.md §2, THEORY.md §2):
//   m_k = (1/k) sum_{b+c <= k-1} C(k, k-1-b-c) C(k, b) C(k, c) delta^b gamma^c.
// m_1 = 1, m_2 = 1 + delta + gamma; delta = gamma = 1 gives the Fuss-Catalan
// numbers 1, 3, 12, 55, 273. The same template evaluates the formula in exact
// rational arithmetic (boost::multiprecision::cpp_rational) or in any real type.
#pragma once

#include <stdexcept>
#include <string>

namespace attnrmt {

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

}  // namespace attnrmt
