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
// edge at 0. CDF (docs/theory.md §"MP CDF"): with m = 1 + c, h = 2 sqrt c,
// s = |1 - c| = sqrt(ab), R = sqrt((b - x)(x - a)), for a < x < b
//   F(x) = atom + [R + 2m asin sqrt((x-a)/(2h)) - 2s asin sqrt(b(x-a)/(2hx))] / (2 pi c)
//   1 - F(x) = [-R + 2m asin sqrt((b-x)/(2h)) - 2s asin sqrt(a(b-x)/(2hx))] / (2 pi c)
// (the antiderivative of R/x, written with half-angle arcsines so that each
// term is accurate near its edge; the nearer edge's form is used). The law
// kappa MP_c (kappa > 0, default 1) is the image under x -> kappa x: edges and
// quantiles scale by kappa, the density by 1/kappa, m(z) -> m(z/kappa)/kappa.
// Moments: the Narayana polynomials
//   m_k = sum_{j=0}^{k-1} C(k,j) C(k-1,j) c^j / (j+1),
// i.e. moment_value(k, c, 0) of moments.hpp. It is the population law W_delta of
// the spiked model (psi-functions, spectral_integrals.hpp).
#pragma once

#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/detail/rounding_decisions.hpp"

namespace attnrmt {

template <class Real>
class MarchenkoPastur {
 public:
  using C = Complex<Real>;

  /// kappa MP_c (mean kappa); c and kappa must be finite and > 0.
  explicit MarchenkoPastur(const Real& c, const Real& kappa = Real(1)) : c_(c), kappa_(kappa) {
    using std::sqrt;
    require_positive("c", c);
    require_positive("kappa", kappa);
    Real r = sqrt(c_);
    left_ = (1 - r) * (1 - r);
    right_ = (1 + r) * (1 + r);
  }

  const Real& ratio() const { return c_; }
  const Real& kappa() const { return kappa_; }
  Real left_edge() const { return kappa_ * left_; }
  Real right_edge() const { return kappa_ * right_; }
  bool hard_left_edge() const { return c_ == 1; }
  /// Mass at 0: max(0, 1 - 1/c).
  Real atom() const { return c_ > 1 ? Real(1 - 1 / c_) : Real(0); }

  /// m(z) = ∫ dMP(t)/(z - t) off the support (and off 0 when there is an atom or a hard edge).
  C cauchy(const C& z) const {
    // Real z < a: both factors are i * positive, so S = -sqrt((a-z)(b-z)) < 0,
    // the limit from the upper half plane, as required.
    C zu = z / kappa_;
    C s = attnrmt::sqrt(zu - left_) * attnrmt::sqrt(zu - right_);
    return C(2) / ((zu - Real(1) + c_ + s) * kappa_);
  }

  /// Density of the continuous part.
  Real density(const Real& x) const {
    using std::sqrt;
    Real xu = x / kappa_;
    if (!(xu > left_) || !(xu < right_)) return Real(0);
    return sqrt((right_ - xu) * (xu - left_)) /
           (2 * boost::math::constants::pi<Real>() * c_ * xu * kappa_);
  }

  /// Cumulative distribution function MP((-inf, x]) (closed form, see header).
  Real cdf(const Real& x) const {
    using std::asin;
    using std::sqrt;
    const Real xu = x / kappa_;
    if (xu < 0) return Real(0);
    if (!(xu > left_)) return atom();
    if (!(xu < right_)) return Real(1);
    const Real m = 1 + c_, h = 2 * sqrt(c_), s = abs_one_minus_c();
    const Real R = sqrt((right_ - xu) * (xu - left_));
    const Real two_pi_c = 2 * boost::math::constants::pi<Real>() * c_;
    if (xu - left_ <= right_ - xu) {
      Real t = R + 2 * m * asin(sqrt((xu - left_) / (2 * h)));
      if (s != 0) t -= 2 * s * asin(sqrt(right_ * (xu - left_) / (2 * h * xu)));
      return atom() + t / two_pi_c;
    }
    Real t = -R + 2 * m * asin(sqrt((right_ - xu) / (2 * h)));
    if (s != 0) t -= 2 * s * asin(sqrt(left_ * (right_ - xu) / (2 * h * xu)));
    return 1 - t / two_pi_c;
  }

  /// Smallest x with CDF(x) >= q, for q in [0, 1].
  Real quantile(const Real& q) const {
    detail::require_probability(q);
    const Real a = atom();
    if (a > 0 && q <= a) return Real(0);
    if (q <= a) return left_edge();
    if (q >= 1) return right_edge();
    auto f = [&](const Real& xu) { return cdf(kappa_ * xu) - q; };
    detail::IgnoreUndecided continuous;  // the CDF is continuous across the edges
    return kappa_ * detail::bracketed_root<Real>(f, left_, right_);
  }

 private:
  /// |1 - c| = sqrt(a b), from c exactly (not from the rounded edges).
  Real abs_one_minus_c() const { return c_ > 1 ? Real(c_ - 1) : Real(1 - c_); }

  Real c_, kappa_, left_{}, right_{};
};

}  // namespace attnrmt
