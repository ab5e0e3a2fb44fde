// attnrmt/bulk_law.hpp -- the bulk law kappa (MP_delta ⊠ MP_gamma).
//
// Maths (docs/theory.md §2). For kappa = 1 write
//   p(z) = z g(z) - 1 = ∫ t dmu(t) / (z - t),
// the Cauchy transform of the mass-one measure t dmu(t). Free multiplicative
// convolution (S-transform 1/((1+delta w)(1+gamma w))) gives the explicit inverse
//   z = x(p) = (1+p)(1+delta p)(1+gamma p) / p,
// i.e. p is a root of the cubic
//   delta gamma p^3 + (delta+gamma+delta gamma) p^2 + (1+delta+gamma-z) p + 1 = 0,
// which is docs/theory.md's cubic in g after g = (1+p)/z. The code solves this cubic
// in p (relative accuracy of p whatever the scale of delta, gamma: p is tiny
// inside the support of a law with huge delta gamma, huge for tiny delta gamma)
// and, where q = z g = 1 + p is small (|q| < 1/4: near a hard edge at 0 or z
// near 0), the same cubic in q (exact (1-delta), (1-gamma) coefficients), so
// that both p and q keep their significant digits. Physical branch: for Im z > 0 it is the unique
// root with Im q <= 0, Im z/(1+gamma p) >= 0 and Im z/(1+delta p) >= 0 (the latter two: the
// subordination functions of the two factors map the upper half plane into
// itself; uniqueness was checked on 2e5 random (delta, gamma, z) and is
// re-checked by the tests); if rounding leaves the choice ambiguous, the root is
// continued from large Im z instead. On the real axis outside the support the
// root is the unique one in a known interval (see q_on_real_axis).
//
// Edges: critical points of x(p), roots of 2 delta gamma p^3 +
// (delta+gamma+delta gamma) p^2 - 1 = 0: the right edge is x(p_+), the left edge
// of the continuous part is x at the critical point inside (-1/a2, -1/a3),
// where a1 <= a2 <= a3 sorts {1, delta, gamma}; it is 0 when a2 = a3. On that
// interval p = -(a2 + s D32)/(a2 a3), s in (0, 1), D32 = a3 - a2, D21 = a2 - a1:
//   x = s (1-s) D32^2 (a3 D21 + a1 D32 (1-s)) / (a2 a3 (a2 + s D32)),
// free of cancellation, maximised at the unique zero of the decreasing
//   h(s) = a2/(s (a2 + s D32)) - 1/(1-s) - a1 D32/(a3 D21 + a1 D32 (1-s))
// in [a2/(8(a2 + D32)), 1/2]. BulkLaw::from_exact takes the parameters as exact
// rationals: the differences D21, D32, 1 - delta, 1 - gamma, a3 - 1 and the
// hard-edge test D32 = 0 are then exact (docs/theory.md, "Numerically stable
// forms").
// Atom at 0: max(0, 1 - 1/delta, 1 - 1/gamma).
//
// CDF in closed form: along the support, ∫ g(t + i0) dt = F(p) with
//   F(p) = 2p + (1 - 1/delta) log(1 + delta p) + (1 - 1/gamma) log(1 + gamma p) - log p,
// so CDF(x) = 1 - Im F(p(x + i0)) / pi (principal logarithms, p in the lower
// half plane). No quadrature is needed; tests check it against tanh-sinh
// quadrature of the density. Evaluated as
//   Im F = -arg p + sum_{a = delta, gamma} [arg(1 + a p) + Im(p phi(a p))],
//   phi(w) = 1 - log(1 + w)/w = t - 2 t^2/(2 + w) sum_{k>=1} t^(2k-2)/(2k+1),
// t = w/(2 + w) (series for |w| < 1/4): for tiny delta p the terms p and
// log(1 + delta p)/delta cancel to O(delta p^2), which the series keeps.
//
// Range: |log delta|, |log gamma|, |log kappa| <= log(max Real)/4 (about 1e77
// for double; unlimited in practice for mpfr); outside, std::domain_error.
#pragma once

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/detail/rounding_decisions.hpp"
#include "attnrmt/moments.hpp"
#include "attnrmt/rational.hpp"

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

namespace detail {
/// Throws std::invalid_argument unless the quantile level q is in [0, 1].
template <class Real>
void require_probability(const Real& q) {
  using std::isfinite;
  if (!(q >= 0 && q <= 1) || !isfinite(q)) {
    std::ostringstream msg;
    msg << "q must be in [0, 1] (got " << static_cast<double>(q) << ")";
    throw std::invalid_argument(msg.str());
  }
}
}  // namespace detail

template <class Real>
class BulkLaw {
 public:
  using C = Complex<Real>;

  /// The law kappa (MP_delta ⊠ MP_gamma); every parameter must be finite and > 0
  /// (and within the range stated in the header).
  BulkLaw(const Real& delta, const Real& gamma, const Real& kappa = Real(1))
      : delta_(delta), gamma_(gamma), kappa_(kappa) {
    check_parameters();
    set_shape(delta, gamma);
    compute_edges();
  }

  /// The same law from exact rational parameters: the differences 1 - delta,
  /// 1 - gamma, a2 - a1, a3 - a2 and the hard-edge test are exact, so a
  /// parameter within 1e-30 of 1 keeps its atom and left edge at any precision.
  static BulkLaw from_exact(const Rational& delta, const Rational& gamma,
                            const Rational& kappa = Rational(1)) {
    if (!(delta > 0)) throw_parameter("delta", rational_to_string(delta));
    if (!(gamma > 0)) throw_parameter("gamma", rational_to_string(gamma));
    if (!(kappa > 0)) throw_parameter("kappa", rational_to_string(kappa));
    BulkLaw law(to_real<Real>(delta), to_real<Real>(gamma), to_real<Real>(kappa), Exact{});
    law.check_parameters();
    law.set_shape(delta, gamma);
    law.compute_edges();
    return law;
  }

  const Real& delta() const { return delta_; }
  const Real& gamma() const { return gamma_; }
  const Real& kappa() const { return kappa_; }

  /// Mass of the atom at 0: max(0, 1 - 1/delta, 1 - 1/gamma) = (a3 - 1)/a3.
  Real atom() const { return a3m1_ > 0 ? Real(a3m1_ / a3_) : Real(0); }
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
  C zg_unit(const C& z) const { return root_at(z).q; }

  /// p(z) = z g(z) - 1 (unit kappa), with its own relative accuracy.
  C p_unit(const C& z) const { return root_at(z).p; }

  /// Cauchy transform g(z) = ∫ dmu(t)/(z - t) of kappa (MP_delta ⊠ MP_gamma).
  /// Real z gives g(x + i0); z = 0 is rejected when g is singular there.
  C cauchy(const C& z) const {
    C zu = z / kappa_;
    if (zu.re == 0 && zu.im == 0) {
      if (a3m1_ > 0 || hard_left_edge_)
        throw std::invalid_argument(
            "z = 0 is not allowed: the Cauchy transform is singular at 0 when there is an "
            "atom or a hard edge at 0 (delta >= 1 or gamma >= 1)");
      // g(0) = p'(0) = 1/x'(-1) = -1/((1-delta)(1-gamma)).
      return C(-1 / (one_minus_delta_ * one_minus_gamma_ * kappa_));
    }
    Root r = root_at(zu);
    C g = r.q / zu;
    // Near z = 0 (|q| small) g = q/z cancels in its imaginary part when q and
    // z have nearly the same argument (z -> 0: g -> g(0) real); a Newton
    // correction on the cubic in g, whose coefficients carry Im z exactly,
    // restores the digits of Im g (docs/theory.md, "Numerically stable forms").
    if (r.from_q && zu.im != 0) g = polish_g(g, zu);
    return g / kappa_;
  }

  /// Density of the continuous part, -Im g(x + i0)/pi.
  Real density(const Real& x) const {
    Real xu = x / kappa_;
    if (!inside_support(xu)) return Real(0);
    Root r = root_on_real_axis(xu);
    return -r.q.im / (boost::math::constants::pi<Real>() * x);
  }

  /// Cumulative distribution function mu((-inf, x]) (closed form, see header).
  Real cdf(const Real& x) const {
    Real xu = x / kappa_;
    if (xu < 0) return Real(0);
    if (right_of_support(xu)) return Real(1);
    if (left_of_support(xu)) return atom();
    Root r = root_on_real_axis(xu);
    const Real pi = boost::math::constants::pi<Real>();
    // From the nearer edge, to keep the small tail accurate.
    if (!hard_left_edge_ && xu - left_edge_unit_ < right_edge_unit_ - xu) {
      Real mass = (imag_F(edge_root(p_left_)) - imag_F(r)) / pi;
      return atom() + mass;
    }
    return 1 - imag_F(r) / pi;
  }

  /// Smallest x with CDF(x) >= q, for q in [0, 1].
  Real quantile(const Real& q) const {
    detail::require_probability(q);
    Real a = atom();
    if (a > 0 && q <= a) return Real(0);
    if (q <= a) return left_edge();
    if (q >= 1) return right_edge();
    auto f = [&](const Real& xu) { return cdf(kappa_ * xu) - q; };
    // The CDF is continuous across the edges: side decisions inside the search
    // cannot change the root, so they are not reported as undecided.
    detail::IgnoreUndecided continuous;
    return kappa_ * detail::bracketed_root<Real>(f, left_edge_unit_, right_edge_unit_);
  }

  /// k-th moment ∫ t^k dmu(t) in the working precision (kappa^k m_k).
  Real moment(int k) const { return moment_value<Real>(k, delta_, gamma_) * pow_int(kappa_, k); }

  /// Residual of docs/theory.md's cubic in g at (z, g), unit kappa, relative to the
  /// size of its terms; used by tests and by the precision study.
  Real cubic_residual(const C& z, const C& g) const {
    C zu = z / kappa_, gu = g * kappa_;
    C t3 = delta_ * gamma_ * zu * zu * gu * gu * gu;
    C t2 = (delta_ * one_minus_gamma_ + gamma_ * one_minus_delta_) * zu * gu * gu;
    C t1 = (one_minus_delta_ * one_minus_gamma_ - zu) * gu;
    C sum = t3 + t2 + t1 + C(1);
    Real scale = attnrmt::abs(t3) + attnrmt::abs(t2) + attnrmt::abs(t1) + 1;
    return attnrmt::abs(sum) / scale;
  }

 private:
  struct Exact {};
  BulkLaw(const Real& delta, const Real& gamma, const Real& kappa, Exact)
      : delta_(delta), gamma_(gamma), kappa_(kappa) {}

  // A root of the cubic as both p and q = 1 + p, each with relative accuracy
  // (p.im == q.im); from_q: found as a root of the q-form (|q| small).
  struct Root {
    C p, q;
    bool from_q = false;
  };
  enum class Form { p, q };

  [[noreturn]] static void throw_parameter(const char* name, const std::string& value) {
    throw std::invalid_argument(std::string(name) + " must be a finite number > 0 (got " + value +
                                ")");
  }

  void check_parameters() const {
    using std::abs;
    using std::log;
    require_positive("delta", delta_);
    require_positive("gamma", gamma_);
    require_positive("kappa", kappa_);
    // Range: products such as delta gamma z^2 g^3 must stay representable.
    const Real limit = boost::math::tools::log_max_value<Real>() / 4;
    const std::pair<const char*, const Real*> params[] = {
        {"delta", &delta_}, {"gamma", &gamma_}, {"kappa", &kappa_}};
    for (const auto& [name, value] : params) {
      if (abs(log(*value)) > limit) {
        using std::exp;
        std::ostringstream msg;
        msg << name << " = " << static_cast<double>(*value)
            << " is outside the range this working precision supports [" << exp(-limit) << ", "
            << exp(limit) << "]";
        throw std::domain_error(msg.str());
      }
    }
  }

  template <class T>
  void set_shape(const T& delta, const T& gamma) {
    auto real = [](const T& v) -> Real {
      if constexpr (std::is_same_v<T, Rational>)
        return to_real<Real>(v);
      else
        return v;
    };
    T a[3] = {T(1), delta, gamma};
    std::sort(a, a + 3);
    a1_ = real(a[0]);
    a2_ = real(a[1]);
    a3_ = real(a[2]);
    d21_ = real(T(a[1] - a[0]));
    d32_ = real(T(a[2] - a[1]));
    a3m1_ = real(T(a[2] - 1));
    one_minus_delta_ = real(T(1 - delta));
    one_minus_gamma_ = real(T(1 - gamma));
    hard_left_edge_ = a[1] == a[2];
  }

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
    const Real b = delta_ + gamma_ + delta_ * gamma_;
    // f(0) = -1 < 0 and f(p) >= b p^2 - 1 for p > 0, so f(2/sqrt(b)) >= 3 (the
    // bound 1/sqrt(b) itself gives f = 0 up to rounding).
    auto f = [this](const Real& p) { return edge_poly(p); };
    p_right_ = detail::bracketed_root<Real>(f, Real(0), 2 / sqrt(b));
    right_edge_unit_ = inverse_p(p_right_);
    if (hard_left_edge_) {
      p_left_ = -1 / a3_;
      left_edge_unit_ = 0;
      return;
    }
    // Left edge in the parameter s of the header (no cancellation).
    auto h = [this](const Real& s) {
      return a2_ / (s * (a2_ + s * d32_)) - 1 / (1 - s) -
             a1_ * d32_ / (a3_ * d21_ + a1_ * d32_ * (1 - s));
    };
    const Real s_lo = a2_ / (8 * (a2_ + d32_));
    const Real s = detail::bracketed_root<Real>(h, s_lo, Real(1) / 2);
    p_left_ = -(a2_ + s * d32_) / (a2_ * a3_);
    left_edge_unit_ = s * (1 - s) * d32_ * d32_ * (a3_ * d21_ + a1_ * d32_ * (1 - s)) /
                      (a2_ * a3_ * (a2_ + s * d32_));
  }

  // x(p) - x = (1 - x) + 1/p + (delta+gamma)(1+p) + delta gamma p (1+p), the
  // form that decides on which side of an edge x lies even when the support is
  // narrower than the rounding of its centre (tiny delta, gamma: the support
  // is 1 +- 2 sqrt(delta + gamma)).
  Real gap(const Real& x, const Real& p) const {
    return (1 - x) + 1 / p + (delta_ + gamma_) * (1 + p) + delta_ * gamma_ * p * (1 + p);
  }
  // p (x(p) - x), the cubic of the p-form at real x, written through gap().
  Real cubic_p_real(const Real& x, const Real& p) const {
    return 1 + p * ((1 - x) + (delta_ + gamma_) * (1 + p) + delta_ * gamma_ * p * (1 + p));
  }
  // True when |gap| is within the rounding of its terms: the side of the edge
  // is then undecided at this precision and is reported (see
  // detail/rounding_decisions.hpp), unless x is the computed edge itself and
  // the gap is exactly 0. The answer given is the side of the computed edge.
  bool gap_undecided(const Real& x, const Real& p, const Real& g) const {
    using std::abs;
    Real scale = abs(1 - x) + abs(1 / p) + (delta_ + gamma_) * abs(1 + p) +
                 delta_ * gamma_ * abs(p * (1 + p));
    return abs(g) <= 64 * detail::type_epsilon<Real>() * scale;
  }
  bool right_of_support(const Real& x) const {
    if (x < right_edge_unit_ * (1 - 1 / Real(64))) return false;
    Real g = gap(x, p_right_);
    if (gap_undecided(x, p_right_, g)) {
      if (!(g == 0 && x == right_edge_unit_)) detail::note_undecided();
      return x >= right_edge_unit_;
    }
    return !(g > 0);
  }
  bool left_of_support(const Real& x) const {
    if (hard_left_edge_) return !(x > 0);
    if (x > left_edge_unit_ * (1 + 1 / Real(64))) return false;
    Real g = gap(x, p_left_);
    if (gap_undecided(x, p_left_, g)) {
      if (!(g == 0 && x == left_edge_unit_)) detail::note_undecided();
      return x <= left_edge_unit_;
    }
    return !(g < 0);
  }
  bool inside_support(const Real& x) const {
    return x > 0 && !right_of_support(x) && !left_of_support(x);
  }

  Root edge_root(const Real& p) const {
    Root r;
    r.p = C(p);
    r.q = C(1 + p);
    return r;
  }

  // arg with the negative real axis read as -pi (limit from the lower half
  // plane, where p(x + i0) lives).
  static Real arg_lower(const C& w) {
    if (w.im == 0 && w.re < 0) return Real(-boost::math::constants::pi<Real>());
    if (w.im == 0) return Real(0);
    return attnrmt::arg(w);
  }

  // Im(p phi(a p)) = Im(p - log(1 + a p)/a), see the header.
  Real imag_p_phi(const C& p, const Real& a, const C& one_plus_ap) const {
    using std::abs;
    C w = a * p;
    if (attnrmt::abs(w) < Real(1) / 4) {
      C t = w / (Real(2) + w);
      C t2 = t * t;
      C sum(Real(1) / 3), power(1);
      const Real tol = detail::type_epsilon<Real>() / 4;
      for (int k = 2; k < 100000; ++k) {
        power *= t2;
        C term = power / Real(2 * k + 1);
        sum += term;
        if (attnrmt::abs(term) <= tol * attnrmt::abs(sum)) break;
      }
      C phi = t - (Real(2) / (Real(2) + w)) * t2 * sum;
      return (p * phi).im;
    }
    return p.im - arg_lower(one_plus_ap) / a;
  }

  Real imag_F(const Root& r) const {
    Real val = -arg_lower(r.p);
    for (int i = 0; i < 2; ++i) {
      const Real& a = i == 0 ? delta_ : gamma_;
      const Real& one_minus_a = i == 0 ? one_minus_delta_ : one_minus_gamma_;
      C one_plus_ap = r.from_q ? C(one_minus_a) + a * r.q : Real(1) + a * r.p;
      val += arg_lower(one_plus_ap) + imag_p_phi(r.p, a, one_plus_ap);
    }
    return val;
  }

  // Coefficients of the cubic in the unknown of `form`:
  //   p: delta gamma p^3 + (delta+gamma+delta gamma) p^2 + (1+delta+gamma-z) p + 1
  //   q: delta gamma q^3 + (delta(1-gamma) + gamma(1-delta)) q^2
  //        + ((1-delta)(1-gamma) - z) q + z.
  std::array<C, 4> coefficients(const C& z, Form form) const {
    if (form == Form::p)
      return {C(delta_ * gamma_), C(delta_ + gamma_ + delta_ * gamma_), C(1 + delta_ + gamma_) - z,
              C(1)};
    return {C(delta_ * gamma_), C(delta_ * one_minus_gamma_ + gamma_ * one_minus_delta_),
            C(one_minus_delta_ * one_minus_gamma_) - z, z};
  }

  Root make_root(const C& r, Form form) const {
    Root out;
    out.from_q = form == Form::q;
    if (form == Form::p) {
      out.p = r;
      out.q = C(1 + r.re, r.im);
    } else {
      out.q = r;
      out.p = C(r.re - 1, r.im);
    }
    return out;
  }

  // Newton polish of a root of the cubic of `form` at complex z; the stopping
  // test is relative to the root itself.
  C polish(C r, const C& z, Form form) const {
    const auto c = coefficients(z, form);
    for (int it = 0; it < 8; ++it) {
      C f = ((c[0] * r + c[1]) * r + c[2]) * r + c[3];
      C df = (Real(3) * c[0] * r + Real(2) * c[1]) * r + c[2];
      if (df.re == 0 && df.im == 0) break;
      C step = f / df;
      r -= step;
      if (attnrmt::abs(step) <= detail::type_epsilon<Real>() * attnrmt::abs(r)) break;
    }
    return r;
  }

  // Newton on delta gamma z^2 g^3 + (delta(1-gamma) + gamma(1-delta)) z g^2
  //   + ((1-delta)(1-gamma) - z) g + 1 = 0 (unit kappa).
  C polish_g(C g, const C& z) const {
    const C c3 = delta_ * gamma_ * z * z;
    const C c2 = (delta_ * one_minus_gamma_ + gamma_ * one_minus_delta_) * z;
    const C c1 = C(one_minus_delta_ * one_minus_gamma_) - z;
    for (int it = 0; it < 4; ++it) {
      C f = ((c3 * g + c2) * g + c1) * g + C(1);
      C df = (Real(3) * c3 * g + Real(2) * c2) * g + c1;
      if (df.re == 0 && df.im == 0) break;
      C step = f / df;
      g -= step;
      using std::abs;
      const Real tol = detail::type_epsilon<Real>();
      if (attnrmt::abs(step) <= tol * attnrmt::abs(g) &&
          (step.im == 0 || abs(step.im) <= tol * abs(g.im)))
        break;
    }
    return g;
  }

  bool physical(const Root& r, const C& z) const {
    C one_gamma = r.from_q ? C(one_minus_gamma_) + gamma_ * r.q : Real(1) + gamma_ * r.p;
    C one_delta = r.from_q ? C(one_minus_delta_) + delta_ * r.q : Real(1) + delta_ * r.p;
    C w_gamma = z / one_gamma;
    C w_delta = z / one_delta;
    return r.q.im <= 0 && w_gamma.im >= 0 && w_delta.im >= 0;
  }

  std::array<C, 3> all_roots(const C& z, Form form) const {
    const auto c = coefficients(z, form);
    return detail::cubic_roots<Real>(c[0], c[1], c[2], c[3]);
  }

  Root root_at(const C& z) const {
    if (z.im < 0) {
      Root r = root_at(conj(z));
      r.p = conj(r.p);
      r.q = conj(r.q);
      return r;
    }
    if (z.im == 0) return root_on_real_axis(z.re);
    Root r = root_upper(z, Form::p);
    if (attnrmt::abs(r.q) < Real(1) / 4) r = root_upper(z, Form::q);
    return r;
  }

  // The physical root in the upper half plane, Im z > 0.
  Root root_upper(const C& z, Form form) const {
    auto roots = all_roots(z, form);
    int count = 0;
    C chosen;
    for (const C& r : roots)
      if (physical(make_root(r, form), z)) {
        ++count;
        chosen = r;
      }
    if (count == 1) return make_root(polish(chosen, z, form), form);
    return continue_from_above(z, form);
  }

  // Follow the physical branch down the vertical line Re w = Re z from a
  // height where p ~ 1/w is unambiguous, Newton-correcting at each step.
  Root continue_from_above(const C& z, Form form) const {
    Real top = 4 * (1 + attnrmt::abs(z) + right_edge_unit_);
    C w(z.re, top);
    C start = form == Form::p ? C(1) / w : C(1) + C(1) / w;
    C r = polish(start, w, form);
    Real y = top;
    while (y > z.im) {
      y = y * Real(0.8);
      if (y < z.im) y = z.im;
      w = C(z.re, y);
      r = polish(r, w, form);
    }
    return make_root(polish(r, z, form), form);
  }

  // The real root with p in [p_lo, p_hi] (a sign-changing bracket of the
  // cubic), solved for p where p >= -1/2 and for q = 1 + p where p < -1/2.
  Root real_root_between(const Real& p_lo, const Real& p_hi, const Real& x) const {
    auto fp = [&](const Real& p) { return cubic_p_real(x, p); };
    const Real half = Real(-1) / 2;
    bool use_q = p_lo < half;
    Real lo = p_lo;
    if (use_q && p_hi > half) {
      // Which half holds the root? fp changes sign on the bracket.
      Real f_lo = fp(p_lo), f_mid = fp(half);
      if ((f_lo > 0) == (f_mid > 0) && f_mid != 0) {
        use_q = false;
        lo = half;
      }
    }
    if (!use_q) {
      Root r = edge_root(detail::bracketed_root<Real>(fp, lo, p_hi));
      return r;
    }
    const auto cq = coefficients(C(x), Form::q);
    auto fq = [&](const Real& q) {
      return ((cq[0].re * q + cq[1].re) * q + cq[2].re) * q + cq[3].re;
    };
    Real q_hi = p_hi > half ? Real(1) / 2 : Real(1 + p_hi);
    if (p_hi == -1 / a3_) q_hi = a3m1_ / a3_;
    Real q = detail::bracketed_root<Real>(fq, Real(1 + p_lo), q_hi);
    Root r;
    r.q = C(q);
    r.p = C(q - 1);
    r.from_q = true;
    return r;
  }

  // Boundary value at x + i0 on the real axis (x = 0 only where g is regular).
  Root root_on_real_axis(const Real& x) const {
    const bool inside = inside_support(x);
    if (!inside && x == right_edge_unit_) return edge_root(p_right_);
    if (!inside && x == left_edge_unit_ && x > 0) return edge_root(p_left_);
    if (inside) {
      // Inside the support: the root with negative imaginary part.
      Form form = Form::p;
      for (int pass = 0; pass < 2; ++pass) {
        // The cubic has real coefficients: one real root and a conjugate pair,
        // identified as the two roots closest to each other's conjugates (the
        // real root's rounding-level imaginary part can exceed the pair's in
        // absolute terms when the roots differ by many orders of magnitude).
        auto roots = all_roots(C(x), form);
        int lone = 0;
        Real best = -1;
        for (int k = 0; k < 3; ++k) {
          const C& u = roots[(k + 1) % 3];
          const C& v = roots[(k + 2) % 3];
          Real mismatch = attnrmt::abs(u - conj(v)) / (attnrmt::abs(u) + attnrmt::abs(v));
          if (best < 0 || mismatch < best) {
            best = mismatch;
            lone = k;
          }
        }
        const C& u = roots[(lone + 1) % 3];
        const C& v = roots[(lone + 2) % 3];
        C chosen = u.im < v.im ? u : v;
        Root r = make_root(polish(chosen, C(x), form), form);
        // Next to an edge the pair is nearly a double real root and the polish can
        // cross the real axis; its conjugate is the root with Im <= 0 (real
        // coefficients). Without this the CDF one ulp inside an edge jumped by 2.
        if (r.p.im > 0) {
          r.p = conj(r.p);
          r.q = conj(r.q);
        }
        if (form == Form::q || attnrmt::abs(r.q) >= Real(1) / 4) return r;
        form = Form::q;
      }
    }
    if (x > 0 && right_of_support(x)) return real_root_between(Real(0), p_right_, x);
    if (x > 0) return real_root_between(p_left_, -1 / a3_, x);
    if (x < 0) return real_root_between(-1 / a3_, Real(0), x);
    // x == 0 (the caller checked that g is regular here): q(0) = 0.
    Root r;
    r.p = C(-1);
    r.q = C(0);
    r.from_q = true;
    return r;
  }

  Real delta_, gamma_, kappa_;
  Real a1_{}, a2_{}, a3_{}, d21_{}, d32_{}, a3m1_{};
  Real one_minus_delta_{}, one_minus_gamma_{};
  Real p_right_{}, p_left_{};
  Real right_edge_unit_{}, left_edge_unit_{};
  bool hard_left_edge_{false};
};

}  // namespace attnrmt
