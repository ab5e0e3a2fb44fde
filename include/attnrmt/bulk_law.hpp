// attnrmt/bulk_law.hpp -- the bulk law kappa (MP_delta ⊠ MP_gamma).
//
// Maths (docs/theory.md §2, THEORY.md §2). For kappa = 1 write
//   p(z) = z g(z) - 1 = ∫ t dmu(t) / (z - t),
// the Cauchy transform of the mass-one measure t dmu(t). Free multiplicative
// convolution (S-transform 1/((1+delta w)(1+gamma w))) gives the explicit inverse
//   z = x(p) = (1+p)(1+delta p)(1+gamma p) / p,
// i.e. p is a root of the cubic
//   delta gamma p^3 + (delta+gamma+delta gamma) p^2 + (1+delta+gamma-z) p + 1 = 0,
// which is THEORY.md's cubic in g after g = (1+p)/z. The code solves for
// q = z g = 1 + p (exact (1-delta), (1-gamma) coefficients; accurate at a hard
// edge). Physical branch: for Im z > 0 it is the unique root with Im q <= 0,
// Im z/(1+gamma p) >= 0 and Im z/(1+delta p) >= 0 (the latter two: the
// subordination functions of the two factors map the upper half plane into
// itself; uniqueness was checked on 2e5 random (delta, gamma, z) and is
// re-checked by the tests); if rounding leaves the choice ambiguous, the root is
// continued from large Im z instead. On the real axis outside the support the
// root is the unique one in a known interval (see q_on_real_axis).
//
// Edges: critical points of x(p), roots of 2 delta gamma p^3 +
// (delta+gamma+delta gamma) p^2 - 1 = 0: the right edge is x(p_+), the left edge
// of the continuous part is x at the critical point inside (-1/a2, -1/a3),
// where a1 <= a2 <= a3 sorts {1, delta, gamma}; it is 0 when a2 = a3.
// Atom at 0: max(0, 1 - 1/delta, 1 - 1/gamma).
//
// CDF in closed form: along the support, ∫ g(t + i0) dt = F(p) with
//   F(p) = 2p + (1 - 1/delta) log(1 + delta p) + (1 - 1/gamma) log(1 + gamma p) - log p,
// so CDF(x) = 1 - Im F(p(x + i0)) / pi (principal logarithms, p in the lower
// half plane). No quadrature is needed; tests check it against tanh-sinh
// quadrature of the density.
#pragma once

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/moments.hpp"

namespace attnrmt {

/// Throws std::invalid_argument unless value is finite and > 0.
template <class Real>
void require_positive(const char* name, const Real& value) {
  using std::isfinite;
  if (!(value > 0) || !isfinite(value)) {
    std::ostringstream msg;
    msg << name << " must be a finite number > 0 (got " << static_cast<double>(value) << ")";
    throw std::invalid_argument(msg.str());
  }
}

template <class Real>
class BulkLaw {
 public:
  using C = Complex<Real>;

  /// The law kappa (MP_delta ⊠ MP_gamma); every parameter must be finite and > 0.
  BulkLaw(const Real& delta, const Real& gamma, const Real& kappa = Real(1))
      : delta_(delta), gamma_(gamma), kappa_(kappa) {
    require_positive("delta", delta);
    require_positive("gamma", gamma);
    require_positive("kappa", kappa);
    compute_edges();
  }

  const Real& delta() const { return delta_; }
  const Real& gamma() const { return gamma_; }
  const Real& kappa() const { return kappa_; }

  /// Mass of the atom at 0: max(0, 1 - 1/delta, 1 - 1/gamma).
  Real atom() const {
    Real a = 1 - 1 / a3_;
    return a > 0 ? a : Real(0);
  }
  Real right_edge() const { return kappa_ * right_edge_unit_; }
  /// Left edge of the continuous part (0 for a hard edge).
  Real left_edge() const { return kappa_ * left_edge_unit_; }
  /// Critical points of x(p): p_+ > 0 (right edge) and p_L < 0 (left edge).
  const Real& right_edge_parameter() const { return p_right_; }
  const Real& left_edge_parameter() const { return p_left_; }
  bool hard_left_edge() const { return hard_left_edge_; }

  /// x(p) = (1+p)(1+delta p)(1+gamma p)/p, the inverse of p(z), unit kappa.
  template <class T>
  T inverse_p(const T& p) const {
    return (Real(1) + p) * (Real(1) + delta_ * p) * (Real(1) + gamma_ * p) / p;
  }

  /// q(z) = z g(z) = 1 + p(z) for the unit-kappa law. Real z gives the
  /// boundary value q(x + i0).
  C zg_unit(const C& z) const {
    if (z.im < 0) return conj(zg_unit(conj(z)));
    if (z.im == 0) return q_on_real_axis(z.re);
    return q_upper(z);
  }

  /// Cauchy transform g(z) = ∫ dmu(t)/(z - t) of kappa (MP_delta ⊠ MP_gamma).
  /// Real z gives g(x + i0); z = 0 is rejected when g is singular there.
  C cauchy(const C& z) const {
    C zu = z / kappa_;
    if (zu.re == 0 && zu.im == 0) {
      if (atom() > 0 || hard_left_edge_)
        throw std::invalid_argument(
            "z = 0 is not allowed: the Cauchy transform is singular at 0 when there is an "
            "atom or a hard edge at 0 (delta >= 1 or gamma >= 1)");
      // g(0) = p'(0) = 1/x'(-1) = -1/((1-delta)(1-gamma)).
      return C(-1 / ((1 - delta_) * (1 - gamma_) * kappa_));
    }
    return zg_unit(zu) / z;
  }

  /// Density of the continuous part, -Im g(x + i0)/pi.
  Real density(const Real& x) const {
    Real xu = x / kappa_;
    if (!(xu > left_edge_unit_) || !(xu < right_edge_unit_)) return Real(0);
    C q = q_on_real_axis(xu);
    return -q.im / (boost::math::constants::pi<Real>() * x);
  }

  /// Cumulative distribution function mu((-inf, x]) (closed form, see header).
  Real cdf(const Real& x) const {
    Real xu = x / kappa_;
    if (xu < 0) return Real(0);
    if (xu <= left_edge_unit_) return atom();
    if (xu >= right_edge_unit_) return Real(1);
    C q = q_on_real_axis(xu);
    const Real pi = boost::math::constants::pi<Real>();
    // From the nearer edge, to keep the small tail accurate.
    if (!hard_left_edge_ && xu - left_edge_unit_ < right_edge_unit_ - xu) {
      Real mass = (imag_F(C(1 + p_left_)) - imag_F(q)) / pi;
      return atom() + mass;
    }
    return 1 - imag_F(q) / pi;
  }

  /// Smallest x with CDF(x) >= q, for q in [0, 1].
  Real quantile(const Real& q) const {
    using std::isfinite;
    if (!(q >= 0 && q <= 1) || !isfinite(q)) {
      std::ostringstream msg;
      msg << "q must be in [0, 1] (got " << static_cast<double>(q) << ")";
      throw std::invalid_argument(msg.str());
    }
    Real a = atom();
    if (a > 0 && q <= a) return Real(0);
    if (q <= a) return left_edge();
    if (q >= 1) return right_edge();
    auto f = [&](const Real& xu) { return cdf(kappa_ * xu) - q; };
    return kappa_ * detail::bracketed_root<Real>(f, left_edge_unit_, right_edge_unit_);
  }

  /// k-th moment ∫ t^k dmu(t) in the working precision (kappa^k m_k).
  Real moment(int k) const { return moment_value<Real>(k, delta_, gamma_) * pow_int(kappa_, k); }

  /// Residual of THEORY.md's cubic in g at (z, g), unit kappa, relative to the
  /// size of its terms; used by tests and by the precision study.
  Real cubic_residual(const C& z, const C& g) const {
    C zu = z / kappa_, gu = g * kappa_;
    C t3 = delta_ * gamma_ * zu * zu * gu * gu * gu;
    C t2 = (delta_ * (1 - gamma_) + gamma_ * (1 - delta_)) * zu * gu * gu;
    C t1 = ((1 - delta_) * (1 - gamma_) - zu) * gu;
    C sum = t3 + t2 + t1 + C(1);
    Real scale = attnrmt::abs(t3) + attnrmt::abs(t2) + attnrmt::abs(t1) + 1;
    return attnrmt::abs(sum) / scale;
  }

 private:
  static Real pow_int(Real base, int k) {
    Real r = 1;
    for (int i = 0; i < k; ++i) r *= base;
    return r;
  }

  // Edge parameter polynomial f(p) = 2 delta gamma p^3 + (delta+gamma+delta gamma) p^2 - 1.
  Real edge_poly(const Real& p) const {
    return (2 * delta_ * gamma_ * p + (delta_ + gamma_ + delta_ * gamma_)) * p * p - 1;
  }

  void compute_edges() {
    using std::sqrt;
    Real a[3] = {Real(1), delta_, gamma_};
    std::sort(a, a + 3);
    a2_ = a[1];
    a3_ = a[2];
    const Real b = delta_ + gamma_ + delta_ * gamma_;
    // f(0) = -1 < 0 and f(p) >= b p^2 - 1 for p > 0, so f(2/sqrt(b)) >= 3 (the
    // bound 1/sqrt(b) itself gives f = 0 up to rounding).
    auto f = [this](const Real& p) { return edge_poly(p); };
    p_right_ = detail::bracketed_root<Real>(f, Real(0), 2 / sqrt(b));
    right_edge_unit_ = inverse_p(p_right_);
    hard_left_edge_ = (a2_ == a3_);
    if (hard_left_edge_) {
      p_left_ = -1 / a3_;
      left_edge_unit_ = 0;
      return;
    }
    // The two negative roots of f: f(p) = 2 delta gamma (p - p_+)(p^2 + B p + c).
    const Real lo = -1 / a2_, hi = -1 / a3_;
    const Real dg2 = 2 * delta_ * gamma_;
    const Real B = b / dg2 + p_right_;
    const Real c = 1 / (dg2 * p_right_);
    Real disc = B * B - 4 * c;
    if (disc < 0) disc = 0;
    Real sq = sqrt(disc);
    Real r1 = -(B + sq) / 2;  // both roots are negative (B > 0, c > 0)
    Real r2 = c / r1;
    // The edge is the root inside [lo, hi] where x > 0 (the other root can sit
    // exactly on lo, where x = 0, e.g. delta = gamma < 1).
    Real best = 0;
    bool found = false;
    for (Real r : {r1, r2}) {
      Real width = hi - lo;
      if (r < lo - width / 8 || r > hi + width / 8) continue;
      if (r < lo) r = lo;
      if (r > hi) r = hi;
      Real xr = inverse_p(r);
      if (!found || xr > inverse_p(best)) {
        best = r;
        found = true;
      }
    }
    if (!found) throw std::domain_error("internal: left-edge critical point not found");
    // Polish: Newton on f from the deflated estimate, staying inside [lo, hi].
    for (int it = 0; it < 200; ++it) {
      Real fp = edge_poly(best);
      Real dfp = (3 * dg2 * best + 2 * b) * best;
      if (dfp == 0) break;
      Real step = fp / dfp;
      Real next = best - step;
      if (next < lo) next = (best + lo) / 2;
      if (next > hi) next = (best + hi) / 2;
      using std::abs;
      bool done = abs(next - best) <= 4 * detail::type_epsilon<Real>() * abs(best);
      best = next;
      if (done) break;
    }
    p_left_ = best;
    left_edge_unit_ = inverse_p(p_left_);
  }

  // Im F(p), p = q - 1, with principal arguments; arg of a negative real is
  // -pi (the limit from the lower half plane, where p(x + i0) lives).
  Real imag_F(const C& q) const {
    auto arg_lower = [](const C& w) {
      if (w.im == 0 && w.re < 0) return Real(-boost::math::constants::pi<Real>());
      if (w.im == 0) return Real(0);
      return attnrmt::arg(w);
    };
    Real val = 2 * q.im - arg_lower(q - C(1));
    if (delta_ != 1) val += (1 - 1 / delta_) * arg_lower(C(1 - delta_) + delta_ * q);
    if (gamma_ != 1) val += (1 - 1 / gamma_) * arg_lower(C(1 - gamma_) + gamma_ * q);
    return val;
  }

  // The cubic is solved for q = z g(z) = 1 + p, whose coefficients
  //   delta gamma q^3 + (delta(1-gamma) + gamma(1-delta)) q^2 + ((1-delta)(1-gamma) - z) q + z
  // carry the factors (1 - delta), (1 - gamma) exactly, so the hard edge at 0
  // (delta or gamma = 1) keeps full relative accuracy.
  Real coef3() const { return delta_ * gamma_; }
  Real coef2() const { return delta_ * (1 - gamma_) + gamma_ * (1 - delta_); }
  Real coef1_const() const { return (1 - delta_) * (1 - gamma_); }

  Real q_real(const Real& q, const Real& x) const {
    return ((coef3() * q + coef2()) * q + (coef1_const() - x)) * q + x;
  }

  // Newton polish of a root of the cubic in q at complex z.
  C polish(C q, const C& z) const {
    const Real c3 = coef3(), c2 = coef2();
    const C c1 = C(coef1_const()) - z;
    for (int it = 0; it < 8; ++it) {
      C f = ((c3 * q + C(c2)) * q + c1) * q + z;
      C df = (Real(3) * c3 * q + C(2 * c2)) * q + c1;
      if (df.re == 0 && df.im == 0) break;
      C step = f / df;
      q -= step;
      Real scale = attnrmt::abs(q);
      if (scale < 1) scale = 1;
      if (attnrmt::abs(step) <= detail::type_epsilon<Real>() * scale) break;
    }
    return q;
  }

  bool physical(const C& q, const C& z) const {
    C w_gamma = z / (C(1 - gamma_) + gamma_ * q);
    C w_delta = z / (C(1 - delta_) + delta_ * q);
    return q.im <= 0 && w_gamma.im >= 0 && w_delta.im >= 0;
  }

  std::array<C, 3> all_roots(const C& z) const {
    return detail::cubic_roots<Real>(C(coef3()), C(coef2()), C(coef1_const()) - z, z);
  }

  // q(z) in the upper half plane, Im z > 0.
  C q_upper(const C& z) const {
    auto roots = all_roots(z);
    int count = 0;
    C chosen;
    for (const C& r : roots)
      if (physical(r, z)) {
        ++count;
        chosen = r;
      }
    if (count == 1) return polish(chosen, z);
    return continue_from_above(z);
  }

  // Follow the physical branch down the vertical line Re w = Re z from a
  // height where q ~ 1 + 1/w is unambiguous, Newton-correcting at each step.
  C continue_from_above(const C& z) const {
    Real top = 4 * (1 + attnrmt::abs(z) + right_edge_unit_);
    C w(z.re, top);
    C q = polish(C(1) + C(1) / w, w);
    Real y = top;
    while (y > z.im) {
      y = y * Real(0.8);
      if (y < z.im) y = z.im;
      w = C(z.re, y);
      q = polish(q, w);
    }
    return polish(q, z);
  }

  // Boundary value q(x + i0) on the real axis (x = 0 only where g is regular).
  C q_on_real_axis(const Real& x) const {
    if (x == right_edge_unit_) return C(1 + p_right_);
    if (x == left_edge_unit_ && x > 0) return C(1 + p_left_);
    if (x > left_edge_unit_ && x < right_edge_unit_) {
      // Inside the support: the root with negative imaginary part.
      auto roots = all_roots(C(x));
      C chosen = roots[0];
      for (const C& r : roots)
        if (r.im < chosen.im) chosen = r;
      return polish(chosen, C(x));
    }
    auto f = [&](const Real& q) { return q_real(q, x); };
    if (x > right_edge_unit_) return C(detail::bracketed_root<Real>(f, Real(1), 1 + p_right_));
    if (x > 0) return C(detail::bracketed_root<Real>(f, 1 + p_left_, 1 - 1 / a3_));
    if (x < 0) return C(detail::bracketed_root<Real>(f, 1 - 1 / a3_, Real(1)));
    // x == 0 (the caller checked that g is regular here): q(0) = 0.
    return C(0);
  }

  Real delta_, gamma_, kappa_;
  Real a2_{}, a3_{};
  Real p_right_{}, p_left_{};
  Real right_edge_unit_{}, left_edge_unit_{};
  bool hard_left_edge_{false};
};

}  // namespace attnrmt
