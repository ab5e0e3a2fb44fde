// attnrmt/marchenko_pastur.hpp -- the mean-one Marchenko-Pastur law MP_c alone.
//
// Maths (docs/theory.md §2-3; Bai & Silverstein, Spectral Analysis of Large
// Dimensional Random Matrices, §3.1). MP_c, c > 0, has support
// [(1-sqrt c)^2, (1+sqrt c)^2], an atom 1 - 1/c at 0 when c > 1, density
//   sqrt((b - x)(x - a)) / (2 pi c x),
// and Cauchy transform m(z) = ∫ dMP_c(t)/(z - t), the root of
//   c z m^2 - (z - 1 + c) m + 1 = 0
// with m ~ 1/z at infinity:
//   m(z) = 2 / (z - 1 + c + S(z)),   S(z) = sqrt(z - a) sqrt(z - b)
// (principal square roots: S has its cut exactly on [a, b] and S ~ z at
// infinity; this form has no cancellation for large |z|). c = 1 has a hard
// edge at 0. Moments: the Narayana polynomials
//   m_k = sum_{j=0}^{k-1} C(k,j) C(k-1,j) c^j / (j+1),
// i.e. moment_value(k, c, 0) of moments.hpp. It is the population law W_delta of
// the spiked model (psi-functions, spectral_integrals.hpp).
#pragma once

#include <boost/math/constants/constants.hpp>
#include <cmath>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/complex.hpp"

namespace attnrmt {

template <class Real>
class MarchenkoPastur {
 public:
  using C = Complex<Real>;

  /// MP_c with mean 1; c must be finite and > 0.
  explicit MarchenkoPastur(const Real& c) : c_(c) {
    using std::sqrt;
    require_positive("c", c);
    Real r = sqrt(c_);
    left_ = (1 - r) * (1 - r);
    right_ = (1 + r) * (1 + r);
  }

  const Real& ratio() const { return c_; }
  Real left_edge() const { return left_; }
  Real right_edge() const { return right_; }
  bool hard_left_edge() const { return c_ == 1; }
  /// Mass at 0: max(0, 1 - 1/c).
  Real atom() const { return c_ > 1 ? Real(1 - 1 / c_) : Real(0); }

  /// m(z) = ∫ dMP_c(t)/(z - t) off [a, b] (and off 0 when there is an atom or a hard edge).
  C cauchy(const C& z) const {
    // Real z < a: both factors are i * positive, so S = -sqrt((a-z)(b-z)) < 0,
    // the limit from the upper half plane, as required.
    C s = attnrmt::sqrt(z - left_) * attnrmt::sqrt(z - right_);
    return C(2) / (z - Real(1) + c_ + s);
  }

  /// Density of the continuous part.
  Real density(const Real& x) const {
    using std::sqrt;
    if (!(x > left_) || !(x < right_)) return Real(0);
    return sqrt((right_ - x) * (x - left_)) / (2 * boost::math::constants::pi<Real>() * c_ * x);
  }

 private:
  Real c_, left_{}, right_{};
};

}  // namespace attnrmt
