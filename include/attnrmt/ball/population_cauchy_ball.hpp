// attnrmt/ball/population_cauchy_ball.hpp -- the Cauchy transform and the
// density of H ⊠ MP_delta ⊠ MP_gamma in balls, for a finite rational H
// (docs/theory.md §6.1, §6.8).
//
// Subordination (§6.1): p(z) = p_H(w) with z = x(w) = w (1 + delta p_H)(1 + gamma p_H),
// g(z) = (1 + p_H(w))/z, density f(x) = -Im p_H(w(x + i0))/(pi x).
// What is proven (docs/theory.md §6.8):
// * z in C+: Krawczyk's test in complex balls proves a root w of x(w) - z in a
//   rectangle X (K(X) inside the interior of X, |1 - Y x'(X)| < 1, so x' != 0 on X).
//   If Im w > 0 and Im v > 0 (v = w (1 + delta p_H(w)); gamma = 0: Im w > 0
//   alone, z = v) hold on the enclosure, w is
//   the physical root: each of the two steps nu = H ⊠ MP_delta, mu = nu ⊠ MP_gamma
//   has at most one solution in C+ (Silverstein-Choi's argument, written out in
//   §6.8). Otherwise the result is indeterminate (never another branch).
// * Real x > 0 proven inside a support interval (edges of population_edges_ball.hpp):
//   the same test at z = x; a simple root with Im w > 0, Im v > 0 continues
//   analytically to z = x + i eta with both signs kept, so it is the boundary
//   value x + i0 (§6.8). Real x proven outside every interval (or x < 0): the
//   density is 0 exactly. An x inside an edge's ball, or a hard edge at x = 0:
//   indeterminate.
// Seeds: GeneralBulkLaw<double>'s continuation (nothing claimed), then Newton in
// complex balls with the precision doubled from 64 bits to the target, then the
// test. Cost: O(K) complex operations per evaluation.
#pragma once

#include <optional>
#include <stdexcept>
#include <vector>

#include "attnrmt/ball/arb.hpp"
#include "attnrmt/ball/population_edges_ball.hpp"
#include "attnrmt/general_bulk.hpp"
#include "attnrmt/population.hpp"

namespace attnrmt::ball {

/// The law H ⊠ MP_delta ⊠ MP_gamma in balls: support, Cauchy transform, density.
class BallPopulationLaw {
 public:
  BallPopulationLaw(const PopulationSpec& spec, const Rational& delta, const Rational& gamma,
                    slong prec)
      : edges_(spec, delta, gamma, prec),
        delta_(delta),
        gamma_(gamma),
        prec_(prec),
        H_double_(spec) {
    try {  // seeds only: a failure of the double route leaves every value indeterminate
      seed_law_.emplace(H_double_, to_double(delta), to_double(gamma));
    } catch (const std::domain_error&) {
    }
    for (std::size_t k = 0; k < spec.atoms.size(); ++k) {
      t_.push_back(to_arb(spec.atoms[k], prec));
      Arb ht = to_arb(spec.weights[k] * spec.atoms[k], prec);
      ht_.push_back(ht);
      ht2_.push_back(to_arb(spec.weights[k] * spec.atoms[k] * spec.atoms[k], prec));
    }
    d_ = to_arb(delta, prec);
    g_ = to_arb(gamma, prec);
  }

  slong precision() const { return prec_; }
  const BallSupport& support() const { return edges_.support(); }
  const BallPopulationEdges& edges() const { return edges_; }

  /// The proven physical root w(z) for z = re + i im, im > 0 (im < 0: the
  /// conjugate; im = 0: x + i0 for x proven inside the support). Indeterminate
  /// when no proof follows at this precision.
  Acb solve_w(const Rational& re, const Rational& im) const {
    if (im < 0) {
      Acb w = solve_w(re, -im);
      acb_conj(w, w);
      return w;
    }
    if (im == 0 && inside(re) != 1) return Acb::indeterminate();
    if (!seed_law_) return Acb::indeterminate();
    Acb z;
    set_rational(z.re(), re, prec_);
    set_rational(z.im(), im, prec_);
    const Complex<double> seed =
        seed_law_->solve_w(Complex<double>(to_double(re), to_double(im)));
    Acb m;
    arb_set_d(m.re(), seed.re);
    arb_set_d(m.im(), seed.im);
    auto K = prove_root(z, m);
    if (!K) return Acb::indeterminate();
    // Branch: Im w > 0 and Im v > 0 on the enclosure.
    Acb p, I2;
    sums(*K, prec_, p, I2);
    Acb v;
    acb_mul_arb(v, p, d_, prec_);  // delta p
    acb_add_ui(v, v, 1, prec_);
    acb_mul(v, v, *K, prec_);
    // (gamma = 0: nu itself, z = v, only Im w > 0 is needed.)
    if (!arb_is_positive(K->im()) || (gamma_ > 0 && !arb_is_positive(v.im())))
      return Acb::indeterminate();
    return *K;
  }

  /// g(z) = (1 + p_H(w))/z (see solve_w for im <= 0); z = 0 is rejected.
  Acb cauchy(const Rational& re, const Rational& im) const {
    if (re == 0 && im == 0)
      throw std::invalid_argument("z = 0 is not allowed for the population bulk law");
    Acb w = solve_w(re, im);
    if (!w.is_finite()) return Acb::indeterminate();
    Acb p, I2, z, out;
    sums(w, prec_, p, I2);
    set_rational(z.re(), re, prec_);
    set_rational(z.im(), im, prec_);
    acb_add_ui(out, p, 1, prec_);
    acb_div(out, out, z, prec_);
    return out;
  }

  /// Density of the continuous part at real x: -Im p_H(w(x + i0))/(pi x) inside
  /// the support, exactly 0 outside it (see the header).
  Arb density(const Rational& x) const {
    if (x < 0) return Arb();
    const int in = inside(x);
    if (in == 0) return Arb();
    if (in < 0) return Arb::indeterminate();
    Acb w = solve_w(x, Rational(0));
    if (!w.is_finite()) return Arb::indeterminate();
    Acb p, I2;
    sums(w, prec_, p, I2);
    Arb out, pi, xb;
    arb_const_pi(pi, prec_);
    set_rational(xb, x, prec_);
    arb_mul(pi, pi, xb, prec_);
    arb_div(out, p.im(), pi, prec_);
    arb_neg(out, out);
    return out;
  }

  /// 1: x proven inside a support interval; 0: proven outside every one (x < 0
  /// included); -1: undecided (the support, or x in an edge's ball, or x = 0 on
  /// a hard edge).
  int inside(const Rational& x) const {
    const auto& s = support();
    if (!s.decided) return -1;
    if (x < 0) return 0;
    Arb xb = to_arb(x, prec_);
    if (x == 0) return s.hard_edge ? -1 : (arb_lt(xb, s.intervals.front().left) ? 0 : -1);
    for (const auto& iv : s.intervals) {
      const bool above_left = iv.hard_left || arb_gt(xb, iv.left);
      if (above_left && arb_lt(xb, iv.right)) return 1;
      if (arb_overlaps(xb, iv.right) || (!iv.hard_left && arb_overlaps(xb, iv.left))) return -1;
    }
    return 0;  // proven off every closed interval
  }

 private:
  static double to_double(const Rational& r) {
    return static_cast<double>(r.convert_to<long double>());
  }

  /// p_H(w) and I2(w) at the complex ball w (O(K)).
  void sums(const Acb& w, slong prec, Acb& p, Acb& I2) const {
    acb_zero(p);
    acb_zero(I2);
    Acb d, inv;
    for (std::size_t k = 0; k < t_.size(); ++k) {
      acb_sub_arb(d, w, t_[k], prec);
      acb_inv(inv, d, prec);
      Acb term;
      acb_mul_arb(term, inv, ht_[k], prec);
      acb_add(p, p, term, prec);
      acb_sqr(inv, inv, prec);
      acb_mul_arb(term, inv, ht2_[k], prec);
      acb_add(I2, I2, term, prec);
    }
  }

  /// f = x(w) - z and f' = x'(w) = 1 - (delta + gamma + 2 delta gamma p) I2 - delta gamma p^2.
  void f_and_derivative(const Acb& w, const Acb& z, slong prec, Acb& f, Acb& df) const {
    Acb p, I2, a, b;
    sums(w, prec, p, I2);
    acb_mul_arb(a, p, d_, prec);
    acb_add_ui(a, a, 1, prec);
    acb_mul_arb(b, p, g_, prec);
    acb_add_ui(b, b, 1, prec);
    acb_mul(f, w, a, prec);
    acb_mul(f, f, b, prec);
    acb_sub(f, f, z, prec);
    Arb dg;
    arb_mul(dg, d_, g_, prec);
    Acb c;
    acb_mul_arb(c, p, dg, prec);
    acb_mul_2exp_si(c, c, 1);
    acb_add_arb(c, c, d_, prec);
    acb_add_arb(c, c, g_, prec);
    acb_mul(df, c, I2, prec);
    acb_sqr(c, p, prec);
    acb_mul_arb(c, c, dg, prec);
    acb_add(df, df, c, prec);
    acb_neg(df, df);
    acb_add_ui(df, df, 1, prec);
  }

  /// Krawczyk on X = m + r [-1, 1](1 + i): the enclosure K of a root in X with
  /// |1 - Y f'(X)| < 1 (so f' != 0 on X), or nothing.
  std::optional<Acb> krawczyk(const Acb& z, const Acb& m, const mag_t r) const {
    Acb X(m);
    arb_add_error_mag(X.re(), r);
    arb_add_error_mag(X.im(), r);
    Acb fm, dfm, fX, dfX, Y, c, K, t;
    f_and_derivative(m, z, prec_, fm, dfm);
    if (acb_contains_zero(dfm)) return std::nullopt;
    acb_inv(Y, dfm, prec_);
    acb_get_mid(Y, Y);
    f_and_derivative(X, z, prec_, fX, dfX);
    if (!dfX.is_finite()) return std::nullopt;
    acb_mul(c, Y, dfX, prec_);
    acb_sub_ui(c, c, 1, prec_);
    acb_neg(c, c);
    acb_sub(t, X, m, prec_);
    acb_mul(K, c, t, prec_);
    acb_mul(t, Y, fm, prec_);
    acb_sub(K, K, t, prec_);
    acb_add(K, K, m, prec_);
    mag_t bound;
    mag_init(bound);
    acb_get_mag(bound, c);
    const bool contracts = mag_cmp_2exp_si(bound, 0) < 0;
    mag_clear(bound);
    if (!contracts || !acb_contains_interior(X, K)) return std::nullopt;
    return K;
  }

  /// Newton from the seed (precision ladder 64, 128, ... bits), then Krawczyk.
  std::optional<Acb> prove_root(const Acb& z, Acb m) const {
    Acb f, df, step, prev;
    auto newton = [&](slong bits) {
      f_and_derivative(m, z, bits, f, df);
      if (acb_contains_zero(df) || !f.is_finite()) return false;
      acb_div(step, f, df, bits);
      acb_set(prev, m);
      acb_sub(m, m, step, prec_);
      acb_get_mid(m, m);
      return true;
    };
    for (slong bits = 64; bits < prec_; bits *= 2)
      for (int it = 0; it < 3; ++it)
        if (!newton(bits + 16)) return std::nullopt;
    for (int it = 0; it < 2; ++it)
      if (!newton(prec_)) return std::nullopt;
    Acb diff;
    acb_sub(diff, m, prev, prec_);
    mag_t r, t, lower;
    mag_init(r);
    mag_init(t);
    mag_init(lower);
    acb_get_mag(r, diff);
    mag_mul_2exp_si(r, r, 3);
    f_and_derivative(m, z, prec_, f, df);
    acb_get_mag_lower(lower, df);
    if (!mag_is_zero(lower)) {
      acb_get_mag(t, f);
      mag_div(t, t, lower);
      mag_mul_2exp_si(t, t, 2);
      mag_max(r, r, t);
    }
    acb_get_mag(t, m);
    mag_mul_2exp_si(t, t, -prec_ + 8);
    mag_max(r, r, t);
    if (mag_is_zero(r)) mag_set_ui_2exp_si(r, 1, -prec_);
    std::optional<Acb> out;
    for (int attempt = 0; attempt < 5 && !out; ++attempt) {
      out = krawczyk(z, m, r);
      mag_mul_2exp_si(r, r, 6);
    }
    mag_clear(r);
    mag_clear(t);
    mag_clear(lower);
    return out;
  }

  BallPopulationEdges edges_;
  Rational delta_, gamma_;
  slong prec_;
  Population<double> H_double_;
  std::optional<GeneralBulkLaw<double>> seed_law_;
  std::vector<Arb> t_, ht_, ht2_;
  Arb d_, g_;
};

}  // namespace attnrmt::ball
