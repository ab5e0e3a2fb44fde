// attnrmt/ball/bulk_law_ball.hpp -- the bulk law kappa (MP_delta ⊠ MP_gamma) in
// certified ball arithmetic (docs/certified.md, docs/theory.md §2).
//
// Same formulas as attnrmt/bulk_law.hpp (that header states them), evaluated so
// that each result is a ball guaranteed to contain the exact value for the
// exact rational parameters:
// * q = z g(z) is a root of  c3 q^3 + c2 q^2 + (c1 - z) q + z,
//   c3 = delta gamma, c2 = delta(1-gamma) + gamma(1-delta), c1 = (1-delta)(1-gamma);
//   roots are proven by Krawczyk's test (ball/cubic.hpp).
// * Physical branch, Im z > 0: the three roots are isolated in disjoint balls;
//   the physical root satisfies Im q < 0, Im z/(1-gamma+gamma q) > 0 and
//   Im z/(1-delta+delta q) > 0 (p = q - 1 is the Cauchy transform of t dmu(t), and
//   the two subordination functions map the upper half plane into itself), so
//   when two of the roots provably violate one of these conditions the third
//   is the physical one. Otherwise: undecided at this precision.
// * Real x > 0: the boundary value q(x + i0) is non-real exactly inside the
//   support (L, R), where it is the unique root with Im q < 0; a proven root with
//   Im q < 0 therefore proves x inside. Otherwise the sign of the discriminant of
//   the cubic, computed exactly in rationals, decides: < 0 inside, = 0 at an
//   edge, > 0 outside (three real roots). Outside, the physical root is the
//   unique root in (1, 1 + p_+) (x > R), (1 + p_L, 1 - 1/a3) (0 < x < L) or
//   (1 - 1/a3, 1) (x < 0), where x(p) is monotone.
// * Edge parameters: p_+ is the unique positive root of
//   2 delta gamma p^3 + (delta+gamma+delta gamma) p^2 - 1; p_L its unique root in
//   (-1/a2, -1/a3) when a2 < a3 (x(p) is 0 at both ends and positive inside, so
//   it has an odd number of critical points there, and f has only two negative
//   roots). a2 = a3 (hard edge) is decided exactly.
// * CDF = 1 - Im F(q)/pi, F(p) = 2p + (1-1/delta) log(1+delta p) +
//   (1-1/gamma) log(1+gamma p) - log p; inside the support every logarithm's
//   argument has a proven negative imaginary part, so the principal branch is
//   continuous on each ball.
// Functions return Arb::indeterminate() when the precision cannot decide; the
// caller raises the precision (solver/certify_ball.hpp does).
#pragma once

#include <acb.h>
#include <arb.h>
#include <flint/fmpq.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/ball/arb.hpp"
#include "attnrmt/ball/cubic.hpp"
#include "attnrmt/moments.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt::ball {

namespace detail {
inline void require_positive_rational(const char* name, const Rational& v) {
  if (!(v > 0))
    throw std::invalid_argument(std::string(name) + " must be > 0 (got " + rational_to_string(v) +
                                ")");
}

/// Cubic with rational coefficients c[0..3] at `prec` bits.
inline Cubic rational_cubic(const Rational& c0, const Rational& c1, const Rational& c2,
                            const Rational& c3, slong prec) {
  Cubic p;
  const Rational* cs[4] = {&c0, &c1, &c2, &c3};
  for (int k = 0; k < 4; ++k) {
    set_rational(p.c[k].re(), *cs[k], prec);
    arb_zero(p.c[k].im());
  }
  return p;
}

/// Root of a real cubic proven real and inside the open interval (lo, hi)
/// (balls); nothing if no seed gives one at this precision.
template <class CoeffsAt>
std::optional<Arb> real_root_in(const CoeffsAt& coeffs, const Arb& lo, const Arb& hi, slong prec) {
  slong seed_prec = seed_precision(prec);
  auto seeds = seed_roots(coeffs(seed_prec), seed_prec);
  // Try the seeds whose real part lies in the interval first.
  std::sort(seeds.begin(), seeds.end(), [&](const Acb& a, const Acb& b) {
    auto inside = [&](const Acb& s) { return arb_gt(s.re(), lo) && arb_lt(s.re(), hi); };
    return inside(a) && !inside(b);
  });
  for (const Acb& s : seeds) {
    auto r = certify_root(coeffs, s, true, prec, seed_prec);
    if (!r) continue;
    if (arb_gt(r->re(), lo) && arb_lt(r->re(), hi)) {
      Arb out;
      arb_set(out, r->re());
      return out;
    }
  }
  return std::nullopt;
}

/// The simplest rational in the ball (FLINT's fmpq_simplest_between on its
/// endpoints): a candidate for an exact root, to be verified exactly by the caller.
inline std::optional<Rational> simplest_rational_in(const Arb& x) {
  if (!x.is_finite()) return std::nullopt;
  arf_t a, b;
  arf_init(a);
  arf_init(b);
  arb_get_interval_arf(a, b, x, arf_bits(arb_midref(x.get())) + 64);
  fmpq_t l, r, m;
  fmpq_init(l);
  fmpq_init(r);
  fmpq_init(m);
  Fmpz man, ex;
  std::optional<Rational> out;
  auto to_fmpq = [&](fmpq_t q, const arf_t v) {
    arf_get_fmpz_2exp(man, ex, v);
    if (!fmpz_fits_si(ex) || fmpz_get_si(ex) > 4096 || fmpz_get_si(ex) < -4096) return false;
    slong e = fmpz_get_si(ex);
    fmpz_set(fmpq_numref(q), man);
    fmpz_one(fmpq_denref(q));
    if (e >= 0)
      fmpq_mul_2exp(q, q, static_cast<ulong>(e));
    else
      fmpq_div_2exp(q, q, static_cast<ulong>(-e));
    return true;
  };
  if (to_fmpq(l, a) && to_fmpq(r, b)) {
    fmpq_simplest_between(m, l, r);
    // Small candidates only: a root of a cubic with these coefficients that is
    // rational has a denominator dividing the leading coefficient's numerator.
    if (fmpz_bits(fmpq_denref(m)) <= 64 && fmpz_bits(fmpq_numref(m)) <= 256) {
      char* ns = fmpz_get_str(nullptr, 10, fmpq_numref(m));
      char* ds = fmpz_get_str(nullptr, 10, fmpq_denref(m));
      out = Rational(BigInt(ns), BigInt(ds));
      flint_free(ns);
      flint_free(ds);
    }
  }
  fmpq_clear(l);
  fmpq_clear(r);
  fmpq_clear(m);
  arf_clear(a);
  arf_clear(b);
  return out;
}

/// Seed for the unique sign change of f in (lo, hi), 0 < lo < hi or
/// lo < hi < 0 (finite balls; the seed is only a starting point, nothing is
/// claimed): bisection at the geometric mean (any exponent range) while the
/// ends differ by more than a factor 2, then at the arithmetic mean; `sign_hi`
/// is the sign of f just below hi. Stops when f's ball at the midpoint contains 0.
template <class F>
Acb bisection_seed(const F& f, Arb lo, Arb hi, int sign_hi) {
  const slong prec = 128;
  const bool negative = arb_is_negative(hi);
  Arb mid, val, ratio;
  for (int it = 0; it < 400; ++it) {
    arb_div(ratio, hi, lo, prec);
    bool geometric = negative ? arf_cmp_2exp_si(arb_midref(ratio.get()), -1) < 0
                              : arf_cmp_2exp_si(arb_midref(ratio.get()), 1) > 0;
    if (geometric) {
      arb_mul(mid, lo, hi, prec);
      arb_sqrt(mid, mid, prec);
      if (negative) arb_neg(mid, mid);
    } else {
      arb_add(mid, lo, hi, prec);
      arb_mul_2exp_si(mid, mid, -1);
    }
    arb_get_mid_arb(mid, mid);
    if (arb_equal(mid, lo) || arb_equal(mid, hi)) break;
    val = f(mid);
    if (arb_contains_zero(val)) break;
    int sign = arb_is_positive(val) ? 1 : -1;
    if (sign == sign_hi)
      hi = mid;
    else
      lo = mid;
  }
  Acb seed;
  acb_set_arb(seed, mid);
  return seed;
}

/// The same seed found in double: f(lo) and f(hi) have opposite signs (`sign_hi`
/// is the sign of f just below hi), 0 < lo < hi or lo < hi < 0; bisection,
/// geometric while the ends differ by more than a factor 2, until the ends are
/// adjacent doubles (at most about 1100 steps, about 70 for ends within a
/// factor 2^16). Nothing is claimed: the caller proves a root near it.
/// nullopt when the ends are not normal doubles.
template <class F>
std::optional<double> double_bisection_seed(const F& f, double lo, double hi, int sign_hi) {
  if (!std::isnormal(lo) || !std::isnormal(hi) || !(lo < hi) || (lo < 0) != (hi < 0))
    return std::nullopt;
  const bool negative = hi < 0;
  double mid = 0.5 * (lo + hi);
  for (int it = 0; it < 1200; ++it) {
    const double ratio = hi / lo;
    const bool geometric = negative ? ratio < 0.5 : ratio > 2;
    mid = geometric ? (negative ? -std::sqrt(lo * hi) : std::sqrt(lo * hi)) : lo + 0.5 * (hi - lo);
    if (!(mid > lo && mid < hi)) break;  // adjacent doubles
    const double v = f(mid);
    if (v == 0) break;
    if ((v > 0 ? 1 : -1) == sign_hi)
      hi = mid;
    else
      lo = mid;
  }
  if (!std::isnormal(mid)) return std::nullopt;
  return mid;
}
}  // namespace detail

/// Exact discriminant of a q^3 + b q^2 + c q + d.
inline Rational cubic_discriminant(const Rational& a, const Rational& b, const Rational& c,
                                   const Rational& d) {
  return 18 * a * b * c * d - 4 * b * b * b * d + b * b * c * c - 4 * a * c * c * c -
         27 * a * a * d * d;
}

class BallLaw {
 public:
  /// Where a real unit-kappa point lies relative to the support.
  enum class Side { negative, below_left, at_left, inside, at_right, above_right, undecided };

  /// The law kappa (MP_delta ⊠ MP_gamma) at a working precision of `prec` bits.
  BallLaw(const Rational& delta, const Rational& gamma, const Rational& kappa, slong prec)
      : delta_(delta), gamma_(gamma), kappa_(kappa), prec_(prec) {
    detail::require_positive_rational("delta", delta);
    detail::require_positive_rational("gamma", gamma);
    detail::require_positive_rational("kappa", kappa);
    Rational a[3] = {Rational(1), delta, gamma};
    std::sort(a, a + 3);
    a2_ = a[1];
    a3_ = a[2];
    hard_left_ = a2_ == a3_;
    atom_ = 1 - 1 / a3_;
    if (atom_ < 0) atom_ = 0;
    c3_ = delta * gamma;
    c2_ = delta * (1 - gamma) + gamma * (1 - delta);
    c1_ = (1 - delta) * (1 - gamma);
    // The terms (1 - 1/a) arg(1 - a + a q) of Im F, a = delta, gamma (a = 1: none).
    for (const Rational* a : {&delta_, &gamma_})
      if (*a != 1)
        log_terms_.push_back({to_arb(*a, prec_), to_arb(1 - *a, prec_), to_arb(1 - 1 / *a, prec_)});
    compute_edges();
  }

  slong precision() const { return prec_; }
  const Rational& delta() const { return delta_; }
  const Rational& gamma() const { return gamma_; }
  const Rational& kappa() const { return kappa_; }
  bool hard_left_edge() const { return hard_left_; }

  /// Atom at 0, max(0, 1 - 1/delta, 1 - 1/gamma), exact.
  const Rational& atom_exact() const { return atom_; }
  Arb atom() const { return to_arb(atom_, prec_); }
  Arb right_edge() const { return scaled(right_edge_unit_); }
  Arb left_edge() const { return hard_left_ ? Arb() : scaled(left_edge_unit_); }
  /// p_+ > 0, the right-edge critical point of x(p) (s* = 1/p_+).
  const Arb& right_edge_parameter() const { return p_right_; }
  /// p_+ exactly, when it is a rational number (recognised and verified exactly).
  const std::optional<Rational>& right_edge_parameter_exact() const { return p_right_exact_; }
  /// The right edge exactly, when p_+ is rational.
  std::optional<Rational> right_edge_exact() const {
    if (!p_right_exact_) return std::nullopt;
    const Rational& p = *p_right_exact_;
    return kappa_ * (1 + p) * (1 + delta_ * p) * (1 + gamma_ * p) / p;
  }

  /// Moment kappa^k m_k, exact.
  Rational moment(int k) const {
    Rational kp = 1;
    for (int i = 0; i < k; ++i) kp *= kappa_;
    return moment_value<Rational>(k, delta_, gamma_) * kp;
  }

  /// Density of the continuous part at x.
  Arb density(const Rational& x) const {
    Arb out;
    Acb q;
    Side side = locate(x / kappa_, q);
    if (side == Side::undecided) return Arb::indeterminate();
    if (side != Side::inside) return out;  // exact 0
    return density_from_q(q, x);
  }

  /// CDF mu((-inf, x]) (atom included).
  Arb cdf(const Rational& x) const {
    if (x == 0) return atom();
    Acb q;
    Side side = locate(x / kappa_, q);
    switch (side) {
      case Side::undecided:
        return Arb::indeterminate();
      case Side::negative:
        return Arb();
      case Side::below_left:
      case Side::at_left:
        return atom();
      case Side::at_right:
      case Side::above_right: {
        Arb one;
        arb_one(one);
        return one;
      }
      case Side::inside:
        break;
    }
    return cdf_from_q(q);
  }

  /// Cauchy transform g(z), z = re + i im (real z: boundary value g(x + i0)).
  Acb cauchy(const Rational& re, const Rational& im) const {
    if (im < 0) {
      Acb g = cauchy(re, -im);
      acb_conj(g, g);
      return g;
    }
    Acb z;
    set_rational(z.re(), re, prec_);
    set_rational(z.im(), im, prec_);
    Acb q;
    if (im == 0) {
      if (re == 0) {
        if (atom_ > 0 || hard_left_)
          throw std::invalid_argument(
              "z = 0 is not allowed: the Cauchy transform is singular at 0 when there is an "
              "atom or a hard edge at 0 (delta >= 1 or gamma >= 1)");
        Acb g;
        set_rational(g.re(), -1 / (c1_ * kappa_), prec_);
        return g;
      }
      if (locate(re / kappa_, q) == Side::undecided) return Acb::indeterminate();
    } else {
      auto qu = q_upper(re / kappa_, im / kappa_);
      if (!qu) return Acb::indeterminate();
      q = *qu;
    }
    Acb g;
    acb_div(g, q, z, prec_);
    return g;
  }

  /// -Im q / (pi x): the density from a proven physical root at real x.
  Arb density_from_q(const Acb& q, const Rational& x) const {
    return density_from_q(q, to_arb(x, prec_));
  }
  /// The same with x given as a ball (exact, or containing the rational x).
  Arb density_from_q(const Acb& q, const Arb& x) const {
    Arb out, pi;
    arb_const_pi(pi, prec_);
    arb_mul(pi, pi, x, prec_);
    arb_div(out, q.im(), pi, prec_);
    arb_neg(out, out);
    return out;
  }

  /// 1 - Im F(q)/pi for a proven physical root q with Im q < 0.
  Arb cdf_from_q(const Acb& q) const {
    Arb val, t, pi;
    Acb w;
    arb_mul_2exp_si(val, q.im(), 1);  // 2 Im q
    acb_sub_ui(w, q, 1, prec_);
    acb_arg(t, w, prec_);
    arb_sub(val, val, t, prec_);
    for (const LogTerm& term : log_terms_) {
      acb_mul_arb(w, q, term.a, prec_);
      arb_add(acb_realref(w.get()), acb_realref(w.get()), term.one_minus_a, prec_);
      acb_arg(t, w, prec_);
      arb_addmul(val, term.coefficient, t, prec_);
    }
    arb_const_pi(pi, prec_);
    arb_div(val, val, pi, prec_);
    arb_sub_ui(val, val, 1, prec_);
    arb_neg(val, val);
    return val;
  }

  /// The cubic in q at unit-kappa z = re + i im, at `bits` bits.
  Cubic q_cubic(const Rational& re, const Rational& im, slong bits) const {
    Cubic p = detail::rational_cubic(re, c1_ - re, c2_, c3_, bits);
    if (im != 0) {
      set_rational(p.c[0].im(), im, bits);
      arb_neg(p.c[1].im(), p.c[0].im());
    }
    return p;
  }

  /// Locates real unit-kappa x and sets q = q(x + i0) (not for x = 0).
  Side locate(const Rational& xu, Acb& q) const {
    if (xu < 0) {
      auto r = real_root(xu, one_minus_inv_a3(), one());
      if (!r) return Side::undecided;
      acb_set_arb(q, *r);
      return Side::negative;
    }
    if (xu == 0) {
      acb_zero(q);
      return Side::negative;  // callers treat x = 0 separately
    }
    auto coeffs = [&](slong bits) { return q_cubic(xu, Rational(0), bits); };
    // Fast route: a proven root with Im q < 0 proves x inside the support.
    slong seed_prec = seed_precision(prec_);
    auto seeds = seed_roots(coeffs(seed_prec), seed_prec);
    int lowest = 0;
    for (int k = 1; k < 3; ++k)
      if (arf_cmp(arb_midref(seeds[k].im()), arb_midref(seeds[lowest].im())) < 0) lowest = k;
    if (arf_sgn(arb_midref(seeds[lowest].im())) < 0) {
      auto r = certify_root(coeffs, seeds[lowest], false, prec_, seed_prec);
      if (r && arb_is_negative(r->im())) {
        q = *r;
        return Side::inside;
      }
    }
    Rational disc = cubic_discriminant(c3_, c2_, c1_ - xu, xu);
    if (disc < 0) return Side::undecided;  // inside, but not proven at this precision
    // Outside or at an edge: which side? (L < R, so a ball between decides.)
    bool left;
    if (hard_left_) {
      left = false;
    } else {
      Arb mid, xb;
      arb_add(mid, left_edge_unit_, right_edge_unit_, prec_);
      arb_mul_2exp_si(mid, mid, -1);
      set_rational(xb, xu, prec_);
      if (arb_lt(xb, mid))
        left = true;
      else if (arb_gt(xb, mid))
        left = false;
      else
        return Side::undecided;
    }
    if (disc == 0) {
      Arb v;
      arb_add_ui(v, left ? p_left_ : p_right_, 1, prec_);
      acb_set_arb(q, v);
      return left ? Side::at_left : Side::at_right;
    }
    Arb lo, hi;
    if (left) {
      arb_add_ui(lo, p_left_, 1, prec_);
      hi = one_minus_inv_a3();
    } else {
      arb_one(lo);
      arb_add_ui(hi, p_right_, 1, prec_);
    }
    auto r = real_root(xu, lo, hi);
    if (!r) return Side::undecided;
    acb_set_arb(q, *r);
    return left ? Side::below_left : Side::above_right;
  }

  /// Physical q at unit-kappa z = re + i im, im > 0.
  std::optional<Acb> q_upper(const Rational& re, const Rational& im) const {
    auto coeffs = [&](slong bits) { return q_cubic(re, im, bits); };
    auto roots = isolate_roots(coeffs, prec_);
    if (!roots) return std::nullopt;
    Acb z;
    set_rational(z.re(), re, prec_);
    set_rational(z.im(), im, prec_);
    int kept = -1, excluded = 0;
    for (int k = 0; k < 3; ++k) {
      if (violates_branch((*roots)[k], z))
        ++excluded;
      else
        kept = k;
    }
    if (excluded != 2) return std::nullopt;
    return (*roots)[kept];
  }

 private:
  Arb scaled(const Arb& unit) const {
    Arb out, k;
    set_rational(k, kappa_, prec_);
    arb_mul(out, unit, k, prec_);
    return out;
  }
  Arb one() const {
    Arb o;
    arb_one(o);
    return o;
  }
  Arb one_minus_inv_a3() const { return to_arb(1 - 1 / a3_, prec_); }

  std::optional<Arb> real_root(const Rational& xu, const Arb& lo, const Arb& hi) const {
    auto coeffs = [&](slong bits) { return q_cubic(xu, Rational(0), bits); };
    return detail::real_root_in(coeffs, lo, hi, prec_);
  }

  // A root provably off the physical branch at z (Im z > 0).
  bool violates_branch(const Acb& q, const Acb& z) const {
    if (arb_is_positive(q.im())) return true;
    for (const Rational* a : {&gamma_, &delta_}) {
      Acb w, s;
      Arb ab;
      set_rational(ab, *a, prec_);
      acb_mul_arb(w, q, ab, prec_);
      Arb one_minus;
      set_rational(one_minus, 1 - *a, prec_);
      arb_add(acb_realref(w.get()), acb_realref(w.get()), one_minus, prec_);
      acb_div(s, z, w, prec_);
      if (arb_is_negative(s.im())) return true;
    }
    return false;
  }

  void compute_edges() {
    const Rational b = delta_ + gamma_ + delta_ * gamma_;
    const Rational dg2 = 2 * delta_ * gamma_;
    auto coeffs = [&](slong bits) {
      return detail::rational_cubic(Rational(-1), Rational(0), b, dg2, bits);
    };
    const Cubic low = coeffs(128);
    const double dg2d = to_double(dg2), bd = to_double(b);
    auto f = [&](const Arb& p) {
      Acb x, v, dv;
      acb_set_arb(x, p);
      cubic_eval(v, dv, low, x, 128);
      Arb out;
      arb_set(out, v.re());
      return out;
    };
    // p_+: f < 0 below min((4 delta gamma)^(-1/3), (2b)^(-1/2)) (each term of f
    // + 1 is below 1/2), f > 0 above min((2 delta gamma)^(-1/3), b^(-1/2)).
    Arb lo, hi, t, u;
    set_rational(t, 2 * dg2, 128);
    arb_root_ui(t, t, 3, 128);
    arb_inv(t, t, 128);
    set_rational(u, 2 * b, 128);
    arb_rsqrt(u, u, 128);
    arb_min(lo, t, u, 128);
    arb_mul_2exp_si(lo, lo, -1);  // margin for the balls
    set_rational(t, dg2, 128);
    arb_root_ui(t, t, 3, 128);
    arb_inv(t, t, 128);
    set_rational(u, b, 128);
    arb_rsqrt(u, u, 128);
    arb_min(hi, t, u, 128);
    arb_mul_2exp_si(hi, hi, 1);
    // Seed in double when the bracket is in the double range (cheap), else (or
    // when no proof follows) by bisection at 128 bits.
    const auto fd = [&](double p) { return (dg2d * p + bd) * p * p - 1; };
    std::optional<Acb> pr;
    if (const auto sd =
            detail::double_bisection_seed(fd, arf_get_d(arb_midref(lo.get()), ARF_RND_NEAR),
                                          arf_get_d(arb_midref(hi.get()), ARF_RND_NEAR), 1))
      pr = certify_root(coeffs, double_seed(*sd), true, prec_);
    if (!(pr && arb_is_positive(pr->re())))
      pr = certify_root(coeffs, detail::bisection_seed(f, lo, hi, 1), true, prec_);
    if (pr && arb_is_positive(pr->re()))
      arb_set(p_right_, pr->re());
    else
      p_right_ = Arb::indeterminate();
    // Exact recognition: the simplest rational in the ball, kept only if it is
    // exactly a root (then it is p_+, the only root in the ball). Exact values
    // let ties such as 3/2 at one digit be rounded (decimal.hpp).
    if (auto cand = detail::simplest_rational_in(p_right_))
      if (*cand > 0 && (dg2 * *cand + b) * *cand * *cand - 1 == 0) {
        p_right_exact_ = *cand;
        set_rational(p_right_, *cand, prec_);
      }
    right_edge_unit_ = inverse_p(p_right_);
    if (hard_left_) {
      set_rational(p_left_, -1 / a3_, prec_);
      return;
    }
    // p_L: the unique root in (-1/a2, -1/a3); f(-1/a3) != 0 (a2 < a3).
    Arb lo_l = to_arb(-1 / a2_, prec_), hi_l = to_arb(-1 / a3_, prec_);
    const Rational h = -1 / a3_;
    const int sign_hi = (dg2 * h + b) * h * h - 1 > 0 ? 1 : -1;
    auto inside_l = [&](const std::optional<Acb>& r) {
      return r && arb_gt(r->re(), lo_l) && arb_lt(r->re(), hi_l);
    };
    std::optional<Acb> pl;
    if (const auto sd =
            detail::double_bisection_seed(fd, to_double(-1 / a2_), to_double(-1 / a3_), sign_hi))
      pl = certify_root(coeffs, double_seed(*sd), true, prec_);
    if (!inside_l(pl)) {
      auto pl_seed =
          detail::bisection_seed(f, to_arb(-1 / a2_, 128), to_arb(-1 / a3_, 128), sign_hi);
      pl = certify_root(coeffs, pl_seed, true, prec_);
    }
    if (inside_l(pl))
      arb_set(p_left_, pl->re());
    else
      p_left_ = Arb::indeterminate();
    left_edge_unit_ = inverse_p(p_left_);
  }

  static double to_double(const Rational& r) {
    return static_cast<double>(r.convert_to<long double>());
  }
  static Acb double_seed(double p) {
    Acb seed;
    acb_set_d(seed, p);
    return seed;
  }

  // x(p) = (1+p)(1+delta p)(1+gamma p)/p.
  Arb inverse_p(const Arb& p) const {
    Arb out, t, a;
    arb_add_ui(out, p, 1, prec_);
    for (const Rational* r : {&delta_, &gamma_}) {
      set_rational(a, *r, prec_);
      arb_mul(t, a, p, prec_);
      arb_add_ui(t, t, 1, prec_);
      arb_mul(out, out, t, prec_);
    }
    arb_div(out, out, p, prec_);
    return out;
  }

  struct LogTerm {
    Arb a, one_minus_a, coefficient;
  };

  Rational delta_, gamma_, kappa_;
  slong prec_;
  std::vector<LogTerm> log_terms_;
  Rational a2_, a3_, atom_, c3_, c2_, c1_;
  bool hard_left_ = false;
  Arb p_right_, p_left_, right_edge_unit_, left_edge_unit_;
  std::optional<Rational> p_right_exact_;
};

}  // namespace attnrmt::ball
