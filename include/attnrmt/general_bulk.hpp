// attnrmt/general_bulk.hpp -- the bulk law H ⊠ MP_delta ⊠ MP_gamma for a finite
// population spectrum H (docs/theory.md "Anisotropic embeddings" §A.1).
// Unit kappa: multiply eigenvalues by kappa outside.
//
// Subordination (the one equation): with p(z) = z g(z) - 1,
//   p(z) = p_H(w),   z = x(w) := w (1 + delta p_H(w)) (1 + gamma p_H(w)).
// Branch: for Im z > 0 the root with Im w > 0, reached by continuation from
// z + iL (w ≈ z - (delta+gamma) m1 there) down to z, Newton at every step
// (each step O(K)). Real z inside the support: x + i0 (Im w > 0); real z outside:
// the real root in the admissible set A, found by bisection on the component of A
// that x maps increasingly onto that gap.
//   x'(w)    = 1 - (delta + gamma + 2 delta gamma p_H) I2 - delta gamma p_H^2,
//   x_nu'(w) = 1 - delta I2.
// Edges: x(w_c) at the real roots of x' = 0 with 1 - max(delta,gamma) I2(w_c) > 0 and
// x(w_c) > 0. {max(delta,gamma) I2 < 1} is an interval inside each gap between atoms
// (I2 is convex there) and its ends have x' = -(min/max)(1 + max p_H)^2 <= 0; x' is
// sampled inside it and sign changes are bisected. A gap is rejected in O(1) when the
// two neighbouring atoms alone already force max(delta,gamma) I2 >= 1 everywhere in it
// (min over the gap of a/u^2 + b/(L-u)^2 is (a^{1/3} + b^{1/3})^3 / L^2). Cost:
// O(K) per evaluation, O(K) evaluations per surviving gap.
// Hard edge at 0 iff the two largest of {1, delta, gamma} coincide; atom at 0 of mass
// max(0, 1 - 1/delta, 1 - 1/gamma) (both independent of H).
#pragma once

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/population.hpp"

namespace attnrmt {

namespace detail {

/// Double-exponential (tanh-sinh) quadrature of f over [a, b], written out here
/// because Boost's tanh_sinh tables need a compile-time precision and MpReal's is
/// chosen at run time. x = c + r tanh(u), u = (pi/2) sinh(t); the distance to the
/// nearer end is r * 2/(e^{2|u|} + 1), computed directly (endpoint singularities
/// such as a hard edge are harmless). Levels halve the step until two successive
/// sums agree to sqrt(eps) (the error then is ~eps: it squares per level).
template <class Real, class F>
Real tanh_sinh_integral(F f, const Real& a, const Real& b) {
  using std::abs;
  using std::cosh;
  using std::exp;
  using std::sinh;
  using std::sqrt;
  const Real eps = type_epsilon<Real>();
  const Real half_pi = boost::math::constants::half_pi<Real>();
  const Real c = (a + b) / 2, r = (b - a) / 2;
  // One node pair at +-t (or the centre for t = 0): weight times f.
  auto node = [&](const Real& t) {
    Real u = half_pi * sinh(t);
    Real e = exp(2 * abs(u));
    Real dist = 2 * r / (e + 1);      // distance to the nearer end
    if (!(dist > 0)) return Real(0);  // beyond the representable: the weight is ~0 there
    Real ch = cosh(u);
    Real weight = r * half_pi * cosh(t) / (ch * ch);
    if (t == 0) return weight * f(c);
    return weight * (f(b - dist) + f(a + dist));
  };
  Real h(1);
  Real sum = node(Real(0));
  // Nodes up to |t| = 8 (weights ~ exp(-pi/2 e^8) ~ 1e-2000 beyond).
  for (int k = 1; k <= 8; ++k) {
    Real term = node(Real(k));
    sum += term;
    if (abs(term) <= eps * abs(sum) / 16 && k > 2) break;
  }
  Real estimate = h * sum;
  for (int level = 1; level <= 14; ++level) {
    h /= 2;
    Real add(0);
    for (int k = 1; h * k <= 8; k += 2) {
      Real t = h * Real(k);
      Real term = node(t);
      add += term;
      if (abs(term) <= eps * abs(sum + add) / 16 && t > 2) break;
    }
    sum += add;
    Real next = h * sum;
    Real diff = abs(next - estimate);
    estimate = next;
    if (diff <= sqrt(eps) * abs(estimate) || estimate == 0) break;
    if (!(diff == diff)) throw std::domain_error("internal: quadrature of a non-finite integrand");
  }
  return estimate;
}

}  // namespace detail

/// One interval of the support with the critical points w_c of its two edges.
template <class Real>
struct SupportInterval {
  Real left, right;      ///< edges (unit kappa)
  Real w_left, w_right;  ///< critical points: x(w_left) = left (w_left unused on a hard edge)
  bool hard_left = false;
};

template <class Real>
class GeneralBulkLaw {
 public:
  using C = Complex<Real>;

  /// delta > 0, gamma >= 0 (gamma = 0 gives the table-level law H ⊠ MP_delta).
  GeneralBulkLaw(const Population<Real>& H, const Real& delta, const Real& gamma)
      : H_(H), delta_(delta), gamma_(gamma) {
    require_positive("delta", delta);
    if (!(gamma >= 0) || !(gamma < std::numeric_limits<double>::infinity()))
      throw std::invalid_argument("gamma must be a finite number >= 0 (got " +
                                  std::to_string(static_cast<double>(gamma)) + ")");
    compute_edges();
  }

  const Population<Real>& population() const { return H_; }
  const Real& delta() const { return delta_; }
  const Real& gamma() const { return gamma_; }

  /// x(w) = w (1 + delta p_H)(1 + gamma p_H) from the sums at w.
  template <class T>
  T x_of(const T& w, const PopulationTransforms<T>& tr) const {
    return w * (Real(1) + delta_ * tr.p) * (Real(1) + gamma_ * tr.p);
  }
  template <class T>
  T x_of(const T& w) const {
    return x_of(w, H_.transforms(w));
  }
  /// x'(w) = 1 - (delta + gamma + 2 delta gamma p) I2 - delta gamma p^2.
  template <class T>
  T x_prime(const PopulationTransforms<T>& tr) const {
    return Real(1) - (delta_ + gamma_ + 2 * delta_ * gamma_ * tr.p) * tr.I2 -
           delta_ * gamma_ * tr.p * tr.p;
  }
  Real x_prime(const Real& w) const { return x_prime(H_.transforms(w)); }
  /// x_nu(w) = w (1 + delta p_H(w)), the table-level (H ⊠ MP_delta) map; x_nu' = 1 - delta I2.
  Real x_nu(const Real& w) const { return w * (1 + delta_ * H_.transforms(w).p); }

  /// Atom at 0: max(0, 1 - 1/delta, 1 - 1/gamma).
  Real atom() const {
    Real a = 1 - 1 / std::max(delta_, gamma_);
    return a > 0 ? a : Real(0);
  }
  bool hard_left_edge() const { return hard_; }
  const std::vector<SupportInterval<Real>>& support() const { return support_; }
  Real right_edge() const { return support_.back().right; }
  Real left_edge() const { return support_.front().left; }
  /// w_+: the root of x' = 0 in (t_max, inf); x(w_+) is the right edge.
  const Real& right_edge_w() const { return support_.back().w_right; }

  /// The subordination root w(z) (see header). Real z gives w(x + i0).
  C solve_w(const C& z) const {
    if (z.im < 0) return conj(solve_w(conj(z)));
    if (z.im == 0) {
      if (auto w = real_root(z.re)) return C(*w);
    }
    return continuation(z);
  }

  /// Cauchy transform g(z) = (1 + p_H(w(z)))/z. z = 0 is rejected.
  C cauchy(const C& z) const {
    if (z.re == 0 && z.im == 0)
      throw std::invalid_argument("z = 0 is not allowed for the population bulk law");
    C w = solve_w(z);
    return (Real(1) + H_.transforms(w).p) / z;
  }

  /// Density -Im g(x + i0)/pi = -Im p_H(w)/(pi x) of the continuous part.
  Real density(const Real& x) const {
    if (!in_support(x) || !(x > 0)) return Real(0);
    C w = continuation(C(x));
    Real f = -H_.transforms(w).p.im / (boost::math::constants::pi<Real>() * x);
    return f > 0 ? f : Real(0);
  }

  /// ∫_a^b phi(x) f(x) dx over the support ∩ [a, b] (tanh-sinh per interval piece).
  template <class F>
  Real integrate(F phi, const Real& a, const Real& b) const {
    Real total(0);
    for (const auto& iv : support_) {
      Real lo = std::max(a, iv.left), hi = std::min(b, iv.right);
      if (!(hi > lo)) continue;
      auto f = [&](const Real& x) { return phi(x) * density(x); };
      total += detail::tanh_sinh_integral<Real>(f, lo, hi);
    }
    return total;
  }

  /// CDF mu((-inf, x]) (atom at 0 included), by quadrature of the density.
  Real cdf(const Real& x) const {
    if (x < 0) return Real(0);
    Real c = atom();
    if (x >= right_edge()) return Real(1);
    return c + integrate([](const Real&) { return Real(1); }, Real(0), x);
  }

  /// Smallest x with cdf(x) >= q, q in [0, 1].
  Real quantile(const Real& q) const {
    if (!(q >= 0) || !(q <= 1))
      throw std::invalid_argument("quantile: q must be in [0, 1] (got " +
                                  std::to_string(static_cast<double>(q)) + ")");
    if (q <= atom()) return Real(0);
    if (q >= 1) return right_edge();
    auto f = [&](const Real& x) { return cdf(x) - q; };
    return detail::bracketed_root<Real>(f, left_edge(), right_edge());
  }

  bool in_support(const Real& x) const {
    for (const auto& iv : support_)
      if (x > iv.left && x < iv.right) return true;
    return false;
  }

  /// The bounded interval inside (t_k, t_{k+1}) where c I2 < 1 (convexity of I2).
  std::optional<std::pair<Real, Real>> sublevel_in_gap(std::size_t k, const Real& c) const {
    using std::cbrt;
    const auto& t = H_.atoms();
    const auto& h = H_.weights();
    Real L = t[k + 1] - t[k];
    Real a = h[k] * t[k] * t[k], b = h[k + 1] * t[k + 1] * t[k + 1];
    Real s = cbrt(a) + cbrt(b);
    if (c * s * s * s / (L * L) >= 1) return std::nullopt;  // O(1) rejection
    // I2' increases from -inf to +inf on the gap: bisect for the minimum.
    Real lo = t[k] + L * tiny(), hi = t[k + 1] - L * tiny();
    auto d = [&](const Real& w) { return H_.I2_derivative(w); };
    Real wmin = d(lo) >= 0 ? lo : d(hi) <= 0 ? hi : detail::bracketed_root<Real>(d, lo, hi);
    auto f = [&](const Real& w) { return c * H_.I2(w) - 1; };
    if (!(f(wmin) < 0)) return std::nullopt;
    Real wl = f(lo) <= 0 ? lo : detail::bracketed_root<Real>(f, lo, wmin);
    Real wr = f(hi) <= 0 ? hi : detail::bracketed_root<Real>(f, wmin, hi);
    return std::make_pair(wl, wr);
  }

  /// The root of c I2(w) = 1 in (t_max, inf) (I2 decreases there from inf to 0).
  Real sublevel_right_end(const Real& c) const {
    const Real tm = H_.t_max();
    auto f = [&](const Real& w) { return c * H_.I2(w) - 1; };
    Real hi = 2 * tm;
    while (f(hi) > 0) hi = tm + 2 * (hi - tm);
    // An atom of tiny weight h has c I2 < 1 already within ~sqrt(c h) t of it:
    // move the lower end towards t_max until c I2 > 1 there.
    Real lo = tm + (hi - tm) * tiny();
    while (!(f(lo) > 0)) {
      Real next = tm + (lo - tm) / 1024;
      if (!(next > tm)) return lo;  // the sublevel set reaches t_max to working precision
      lo = next;
    }
    return detail::bracketed_root<Real>(f, lo, hi);
  }

 private:
  static Real tiny() {
    using std::sqrt;
    return sqrt(detail::type_epsilon<Real>());
  }

  Real scale() const {
    using std::sqrt;
    Real a = 1 + sqrt(delta_), b = 1 + sqrt(gamma_);
    return H_.t_max() * a * a * b * b;
  }

  // Real roots of x' on (lo, hi) by sampling n points and bisecting sign changes.
  void critical_points(const Real& lo, const Real& hi, int n, std::vector<Real>& out) const {
    auto f = [&](const Real& w) { return x_prime(w); };
    Real prev_w = lo, prev = f(lo);
    for (int i = 1; i <= n; ++i) {
      Real w = lo + (hi - lo) * Real(i) / Real(n);
      Real v = f(w);
      if ((prev > 0) != (v > 0)) out.push_back(detail::bracketed_root<Real>(f, prev_w, w));
      prev_w = w;
      prev = v;
    }
  }

  void compute_edges() {
    using std::abs;
    const Real M = std::max(delta_, gamma_);
    // Hard edge iff the two largest of {1, delta, gamma} coincide.
    std::vector<Real> abc = {Real(1), delta_, gamma_};
    std::sort(abc.begin(), abc.end());
    hard_ = abc[1] == abc[2];
    const auto& t = H_.atoms();
    std::vector<Real> wc;
    // (-inf, t_1): I2 increases from 0 to inf; x' -> 1 at -inf.
    {
      const Real t1 = t.front();
      auto f = [&](const Real& w) { return M * H_.I2(w) - 1; };
      Real lo = t1 - 1;
      while (f(lo) > 0) lo = t1 - 2 * (t1 - lo);
      Real hi = t1 - (t1 - lo) * tiny();
      while (!(f(hi) > 0)) {  // a first atom of tiny weight: see sublevel_right_end
        Real next = t1 - (t1 - hi) / 1024;
        if (!(next < t1)) break;
        hi = next;
      }
      Real wr = f(hi) > 0 ? detail::bracketed_root<Real>(f, lo, hi) : hi;
      Real far = -8 * scale() * (1 + delta_ + gamma_);
      if (gamma_ == 0) {
        wc.push_back(wr);  // x' = x_nu' = 1 - delta I2: the edges are the sublevel ends
      } else {
        if (wr > 0) critical_points(Real(0), wr, 400, wc);
        critical_points(far, std::min(Real(0), wr), 400, wc);
      }
    }
    // Gaps between atoms.
    for (std::size_t k = 0; k + 1 < t.size(); ++k)
      if (auto iv = sublevel_in_gap(k, M)) {
        if (gamma_ == 0) {
          wc.push_back(iv->first);
          wc.push_back(iv->second);
        } else {
          critical_points(iv->first, iv->second, 64, wc);
        }
      }
    // (t_max, inf): x' rises from -inf to 1: one root w_+.
    Real w_plus;
    {
      auto f = [&](const Real& w) { return x_prime(w); };
      Real lo = sublevel_right_end(M), hi = 2 * lo;
      if (gamma_ == 0) {
        w_plus = lo;
      } else {
        while (f(hi) <= 0) hi = lo + 2 * (hi - lo);
        w_plus = detail::bracketed_root<Real>(f, lo, hi);
      }
    }
    wc.push_back(w_plus);
    std::vector<std::pair<Real, Real>> edges;  // (x, w)
    const Real floor = 64 * detail::type_epsilon<Real>() * scale();
    for (const Real& w : wc) {
      Real x = x_of(w);
      if (x > floor) edges.emplace_back(x, w);
    }
    std::sort(edges.begin(), edges.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (hard_) edges.insert(edges.begin(), std::make_pair(Real(0), Real(0)));
    if (edges.size() % 2 != 0)
      throw std::domain_error("internal: odd number of support edges (please report this H)");
    support_.clear();
    for (std::size_t i = 0; i < edges.size(); i += 2) {
      SupportInterval<Real> iv{edges[i].first, edges[i + 1].first, edges[i].second,
                               edges[i + 1].second, hard_ && i == 0};
      support_.push_back(iv);
    }
  }

  // The real root of x(w) = x in A, when x > 0 is outside the support.
  std::optional<Real> real_root(const Real& x) const {
    if (!(x > 0) || in_support(x)) return std::nullopt;
    auto f = [&](const Real& w) { return x_of(w) - x; };
    if (x >= right_edge()) {
      if (x == right_edge()) return right_edge_w();
      Real lo = right_edge_w(), hi = lo + (x + 1);
      while (f(hi) < 0) hi = lo + 2 * (hi - lo);
      return detail::bracketed_root<Real>(f, lo, hi);
    }
    for (std::size_t i = 0; i + 1 < support_.size(); ++i)
      if (x >= support_[i].right && x <= support_[i + 1].left)
        return detail::bracketed_root<Real>(f, support_[i].w_right, support_[i + 1].w_left);
    return std::nullopt;  // below the first edge: continuation handles it
  }

  // Continuation from z + iL down to z with Newton at each step (eta divided by 4
  // per step down to 1e-8 of the scale, then z itself).
  C continuation(const C& z) const {
    using std::max;
    const Real S = scale() + attnrmt::abs(z);
    Real eta = max(Real(4 * S), z.im);
    C w = C(z.re, eta) - (delta_ + gamma_) * H_.m1();
    const Real eta_floor = S / Real(100000000);
    for (;;) {
      w = newton(w, C(z.re, eta));
      if (eta == z.im) break;
      eta /= 4;
      if (eta <= z.im || eta < eta_floor) eta = z.im;
    }
    // On the real axis x(conj w) = x: the boundary value x + i0 is the root with Im w >= 0.
    if (z.im == 0 && w.im < 0) w = conj(w);
    if (w.im < 0) throw std::domain_error("internal: subordination root left the upper half-plane");
    return w;
  }

  C newton(C w, const C& target) const {
    const Real eps = detail::type_epsilon<Real>();
    auto tr = H_.transforms(w);
    C F = x_of(w, tr) - target;
    Real res = attnrmt::abs(F);
    for (int it = 0; it < 200 && res > 0; ++it) {
      C step = F / x_prime(tr);
      if (attnrmt::abs(step) <= 16 * eps * (1 + attnrmt::abs(w))) {
        w = w - step;
        break;
      }
      Real lambda(1);
      bool accepted = false;
      for (int damp = 0; damp < 40 && !accepted; ++damp, lambda /= 2) {
        C wn = w - lambda * step;
        if (target.im > 0 && !(wn.im > 0)) continue;
        auto trn = H_.transforms(wn);
        C Fn = x_of(wn, trn) - target;
        Real resn = attnrmt::abs(Fn);
        if (resn < res || damp == 39) {
          w = wn;
          tr = trn;
          F = Fn;
          res = resn;
          accepted = true;
        }
      }
      if (!accepted) break;
    }
    return w;
  }

  Population<Real> H_;
  Real delta_, gamma_;
  bool hard_ = false;
  std::vector<SupportInterval<Real>> support_;
};

}  // namespace attnrmt
