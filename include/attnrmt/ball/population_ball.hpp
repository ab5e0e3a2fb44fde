// attnrmt/ball/population_ball.hpp -- thresholds, top outlier and alignments
// for a finite population spectrum H in certified ball arithmetic
// (docs/certified.md "Populations", docs/theory.md §6.2, §6.6).
//
// Same formulas as attnrmt/general_spike.hpp (stated there), for
// H = sum_k h_k delta_{t_k} with exact rational atoms and weights and exact
// rational delta, gamma, rho, a = alpha/kappa (unit kappa):
//   w_nu+ : the root of f1(w) = delta I2(w) - 1 on (t_max, inf),
//   w_+   : the root of f2(w) = x'(w) on (t_max, inf),
//   a1 = 1/T(w_nu+), a2 = 1/T(w_+), table_edge = x_nu(w_nu+), sample_edge = x(w_+),
//   w_s   : the root of f3(w) = N(w) = a rho g_mu + (a-1) delta p_H - 1 on (w_nu+, inf).
// What is proven (docs/theory.md §6.6 derives each fact):
// * On (t_max, inf) every term of I2, p_H, g_mu, J1, I2, I3 is positive and
//   (except J's derivatives) monotone, so f1 strictly decreases from +inf to -1,
//   f2 = x' strictly increases from -inf to 1 (x'' > 0 there), and T strictly
//   decreases on (w_nu+, inf) (-T'(1 + delta p)^2 = rho (J_mu (1 + delta p) -
//   delta g_mu J1) + delta J1 > 0 there): each has exactly one root there.
// * A root is enclosed by Krawczyk's test on X = [m - r, m + r] with X proven
//   above the lower end of its interval (t_max, resp. the ball of w_nu+): the
//   test proves exactly one root of f in X, which by the uniqueness above is the
//   root the theory names, not one on another branch.
// * Regime: a > a1 iff N(w_nu+) > 0, a > a2 iff N(w_+) > 0 (1 + delta p > 0).
//   When the ball of N(w_nu+) (or N(w_+)) contains 0 the tie a = a1 (a = a2) is
//   decided exactly: with the numerator polynomials P (of f1 or f2) and P_N (of N)
//   over D = prod (w - t_k), the tie holds iff G = gcd(P, P_N) (exact, FLINT
//   fmpq_poly) vanishes at the root, i.e. changes sign or vanishes at the exact
//   ends of its proven enclosure (the root is a simple root of P and the only
//   one in the enclosure). At a tie a = a1 exactly there is no outlier (strict
//   inequality, as regime_of for H = delta_1). Otherwise the precision is too low:
//   the outlier is reported undecided (never guessed).
// Seeds: bisection in double on u = w - t_max (geometric while the ends differ by
// more than a factor 2), 128-bit ball bisection when the bracket is outside the
// double range; then Newton on exact midpoints with the precision doubled from
// 128 bits to the target (precision ladder), then the test at the target. Nothing
// about the seed is claimed. Functions return indeterminate balls when no proof
// follows at this precision; the caller raises the precision (certify_ball).
#pragma once

#include <flint/fmpq.h>
#include <flint/fmpq_poly.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/ball/arb.hpp"
#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/population.hpp"
#include "attnrmt/spike.hpp"

namespace attnrmt::ball {

/// The O(K) sums of H at a real ball w (population.hpp's, plus I3 and the signal's).
struct BallPopulationSums {
  Arb g, p, J0, J1, I2, I3;  ///< I3 = ∫ t^2/(w-t)^3 dH (I2' = -2 I3)
  Arb g_mu, J_mu;            ///< g_H, J0 (generic) or 1/(w - s_mu), 1/(w - s_mu)^2
};

/// H with exact atoms and weights, as balls at `prec` bits.
class BallPopulation {
 public:
  BallPopulation(const PopulationSpec& spec, slong prec) : spec_(spec) {
    if (spec.atoms.empty() || spec.atoms.size() != spec.weights.size())
      throw std::invalid_argument("population: atoms and weights must be non-empty and match");
    for (std::size_t k = 0; k < spec.atoms.size(); ++k) {
      if (!(spec.atoms[k] > 0))
        throw std::invalid_argument("population: atom " + rational_to_string(spec.atoms[k]) +
                                    " must be > 0");
      if (k > 0 && !(spec.atoms[k] > spec.atoms[k - 1]))
        throw std::invalid_argument("population: atoms must be strictly increasing");
      if (!(spec.weights[k] > 0))
        throw std::invalid_argument("population: weight " + rational_to_string(spec.weights[k]) +
                                    " must be > 0");
      t_.push_back(to_arb(spec.atoms[k], prec));
      h_.push_back(to_arb(spec.weights[k], prec));
      Arb tt;
      arb_mul(tt, t_.back(), t_.back(), prec);
      ht2_.push_back(Arb());
      arb_mul(ht2_.back(), tt, h_.back(), prec);
      ht_.push_back(Arb());
      arb_mul(ht_.back(), t_.back(), h_.back(), prec);
      td_.push_back(to_double(spec.atoms[k]));
      hd_.push_back(to_double(spec.weights[k]));
    }
    m1_ = spec.power_moment(1);
    if (spec.signal.eigenvector) {
      auto it = std::find(spec.atoms.begin(), spec.atoms.end(), spec.signal.eigenvalue);
      if (it == spec.atoms.end())
        throw std::invalid_argument(
            "signal eigenvalue s_mu = " + rational_to_string(spec.signal.eigenvalue) +
            " must be one of the atoms of H");
      s_mu_index_ = static_cast<std::size_t>(it - spec.atoms.begin());
    }
  }

  const PopulationSpec& spec() const { return spec_; }
  std::size_t size() const { return t_.size(); }
  const Arb& t_max() const { return t_.back(); }
  const Rational& t_max_exact() const { return spec_.atoms.back(); }
  const Rational& m1() const { return m1_; }
  bool eigenvector_signal() const { return spec_.signal.eigenvector; }
  std::size_t s_mu_index() const { return s_mu_index_; }
  /// Atoms and weights in double (seeds only; 0 or inf outside the double range).
  const std::vector<double>& atoms_double() const { return td_; }
  const std::vector<double>& weights_double() const { return hd_; }

  /// The sums at the ball w (w > t_max for finite results).
  BallPopulationSums sums(const Arb& w, slong prec) const {
    BallPopulationSums s;
    Arb inv, inv2, inv3, d;
    for (std::size_t k = 0; k < t_.size(); ++k) {
      arb_sub(d, w, t_[k], prec);
      arb_inv(inv, d, prec);
      arb_mul(inv2, inv, inv, prec);
      arb_mul(inv3, inv2, inv, prec);
      arb_addmul(s.g, h_[k], inv, prec);
      arb_addmul(s.p, ht_[k], inv, prec);
      arb_addmul(s.J0, h_[k], inv2, prec);
      arb_addmul(s.J1, ht_[k], inv2, prec);
      arb_addmul(s.I2, ht2_[k], inv2, prec);
      arb_addmul(s.I3, ht2_[k], inv3, prec);
      if (eigenvector_signal() && k == s_mu_index_) {
        arb_set(s.g_mu, inv);
        arb_set(s.J_mu, inv2);
      }
    }
    if (!eigenvector_signal()) {
      arb_set(s.g_mu, s.g);
      arb_set(s.J_mu, s.J0);
    }
    return s;
  }

 private:
  static double to_double(const Rational& r) {
    return static_cast<double>(r.convert_to<long double>());
  }
  PopulationSpec spec_;
  std::vector<Arb> t_, h_, ht_, ht2_;
  std::vector<double> td_, hd_;
  Rational m1_;
  std::size_t s_mu_index_ = 0;
};

namespace detail {

/// x'(w) of docs/theory.md §6.1 and its derivative from H's sums at w, in balls
/// (d = delta, g = gamma; the sums as in BallPopulationSums):
///   x'  = 1 - (delta + gamma + 2 delta gamma p) I2 - delta gamma p^2,
///   x'' = 2 delta gamma J1 (I2 + p) + 2 (delta + gamma + 2 delta gamma p) I3.
/// The one implementation for the spike's f_sample and the support's edges.
inline void sample_x_prime(const BallPopulationSums& s, const Arb& d, const Arb& g, slong prec,
                           Arb& f, Arb& df) {
  Arb dg, c, t, u;
  arb_mul(dg, d, g, prec);
  arb_mul(c, dg, s.p, prec);
  arb_mul_2exp_si(c, c, 1);
  arb_add(c, c, d, prec);
  arb_add(c, c, g, prec);  // delta + gamma + 2 delta gamma p
  arb_mul(f, c, s.I2, prec);
  arb_mul(t, s.p, s.p, prec);
  arb_addmul(f, dg, t, prec);
  arb_sub_ui(f, f, 1, prec);
  arb_neg(f, f);
  arb_mul(df, c, s.I3, prec);
  arb_add(u, s.I2, s.p, prec);
  arb_mul(u, u, s.J1, prec);
  arb_addmul(df, dg, u, prec);  // delta gamma J1 (I2 + p)
  arb_mul_2exp_si(df, df, 1);
}

/// f and f' at a ball w: f(w, prec, value, derivative).
using BallFunction = std::function<void(const Arb&, slong, Arb&, Arb&)>;

/// Krawczyk's test for a real function on X = m + [-r, r] (m exact): with
/// Y = mid(1/f'(m)), K = m - Y f(m) + (1 - Y f'(X)) (X - m). K inside the
/// interior of X and |1 - Y f'(X)| < 1 prove exactly one root of f in X (a
/// simple one), and it lies in K. X must be proven above `floor` (the caller's
/// uniqueness interval starts there). Returns K and sets `x_out` to X.
inline std::optional<Arb> krawczyk_real(const BallFunction& f, const Arb& m, const mag_t r,
                                        const Arb& floor, slong prec, Arb* x_out) {
  Arb X(m);
  arb_add_error_mag(X, r);
  if (!arb_gt(X, floor)) return std::nullopt;
  Arb fm, dfm, fX, dfX, Y, c, K, t;
  f(m, prec, fm, dfm);
  if (arb_contains_zero(dfm)) return std::nullopt;
  arb_inv(Y, dfm, prec);
  arb_get_mid_arb(Y, Y);
  f(X, prec, fX, dfX);
  if (!dfX.is_finite()) return std::nullopt;
  arb_mul(c, Y, dfX, prec);
  arb_sub_ui(c, c, 1, prec);
  arb_neg(c, c);  // 1 - Y f'(X)
  arb_sub(t, X, m, prec);
  arb_mul(K, c, t, prec);
  arb_submul(K, Y, fm, prec);
  arb_add(K, K, m, prec);
  mag_t bound;
  mag_init(bound);
  arb_get_mag(bound, c);
  const bool contracts = mag_cmp_2exp_si(bound, 0) < 0;
  mag_clear(bound);
  if (!contracts || !arb_contains_interior(X, K)) return std::nullopt;
  if (x_out) arb_set(*x_out, X);
  return K;
}

/// Proves the root near the seed (precision ladder, then Krawczyk at `prec`).
inline std::optional<Arb> prove_real_root(const BallFunction& f, const Arb& seed, const Arb& floor,
                                          slong prec, Arb* x_out) {
  Arb m, prev, fm, dfm, step;
  arb_get_mid_arb(m, seed);
  auto newton = [&](slong bits) {
    f(m, bits, fm, dfm);
    if (arb_contains_zero(dfm) || !fm.is_finite()) return false;
    arb_div(step, fm, dfm, bits);
    arb_set(prev, m);
    arb_sub(m, m, step, prec);  // the point at the target precision: w - t_max may be tiny
    arb_get_mid_arb(m, m);
    return true;
  };
  for (slong bits = 128; bits < prec; bits *= 2)
    for (int it = 0; it < 2; ++it)
      if (!newton(bits + 16)) return std::nullopt;
  for (int it = 0; it < 2; ++it)
    if (!newton(prec)) return std::nullopt;
  // Radius: a few times the last correction and |f(m)|/|f'(m)|, at least a few ulps of m.
  Arb diff;
  arb_sub(diff, m, prev, prec);
  mag_t r, t, lower;
  mag_init(r);
  mag_init(t);
  mag_init(lower);
  arb_get_mag(r, diff);
  mag_mul_2exp_si(r, r, 3);
  f(m, prec, fm, dfm);
  arb_get_mag_lower(lower, dfm);
  if (!mag_is_zero(lower)) {
    arb_get_mag(t, fm);
    mag_div(t, t, lower);
    mag_mul_2exp_si(t, t, 2);
    mag_max(r, r, t);
  }
  arb_get_mag(t, m);
  mag_mul_2exp_si(t, t, -prec + 8);
  mag_max(r, r, t);
  if (mag_is_zero(r)) mag_set_ui_2exp_si(r, 1, -prec);
  std::optional<Arb> out;
  for (int attempt = 0; attempt < 5 && !out; ++attempt) {
    out = krawczyk_real(f, m, r, floor, prec, x_out);
    mag_mul_2exp_si(r, r, 6);
  }
  mag_clear(r);
  mag_clear(t);
  mag_clear(lower);
  return out;
}

/// The root of f on (floor, inf) where f changes sign once, from the bracket
/// u in (u_lo, u_hi) of w = base + u (f(base + u_lo) has sign -sign_hi,
/// f(base + u_hi) has sign sign_hi; `fd` is f in double at u, for the seed).
/// Indeterminate when no proof follows at this precision.
template <class DoubleF>
Arb root_above(const BallFunction& f, const DoubleF& fd, const Arb& base, const Arb& u_lo,
               const Arb& u_hi, int sign_hi, const Arb& floor, slong prec, Arb* x_out = nullptr) {
  auto at = [&](const Arb& u, slong bits) {
    Arb w;
    arb_add(w, base, u, bits);
    return w;
  };
  std::optional<Arb> r;
  const double lo_d = arf_get_d(arb_midref(u_lo.get()), ARF_RND_NEAR);
  const double hi_d = arf_get_d(arb_midref(u_hi.get()), ARF_RND_NEAR);
  if (const auto sd = double_bisection_seed(fd, lo_d, hi_d, sign_hi)) {
    Arb u;
    arb_set_d(u, *sd);
    r = prove_real_root(f, at(u, prec), floor, prec, x_out);
  }
  if (!r) {
    auto fu = [&](const Arb& u) {
      Arb v, dv;
      f(at(u, prec), 128, v, dv);
      return v;
    };
    Acb seed = bisection_seed(fu, u_lo, u_hi, sign_hi);
    Arb su;
    arb_set(su, seed.re());
    r = prove_real_root(f, at(su, prec), floor, prec, x_out);
  }
  return r ? *r : Arb::indeterminate();
}

/// Rational (GMP's mpq) -> fmpq, exactly.
inline void set_fmpq(fmpq_t out, const Rational& r) {
  fmpq_set_mpq(out, r.backend().data());
}

/// Owner of a FLINT rational polynomial.
class Fmpq_poly {
 public:
  Fmpq_poly() { fmpq_poly_init(v_); }
  Fmpq_poly(const Fmpq_poly& o) {
    fmpq_poly_init(v_);
    fmpq_poly_set(v_, o.v_);
  }
  Fmpq_poly& operator=(const Fmpq_poly& o) {
    fmpq_poly_set(v_, o.v_);
    return *this;
  }
  ~Fmpq_poly() { fmpq_poly_clear(v_); }
  fmpq_poly_struct* get() { return v_; }
  const fmpq_poly_struct* get() const { return v_; }

 private:
  fmpq_poly_t v_;
};

}  // namespace detail

/// Thresholds of the population spike (unit kappa).
struct BallPopulationThresholds {
  Arb w_nu_plus, w_plus;      ///< proven roots on (t_max, inf)
  Arb a1, a2;                 ///< 1/T(w_nu+), 1/T(w_+)
  Arb table_edge;             ///< x_nu(w_nu+)
  Arb sample_edge;            ///< x(w_+)
  Arb w_nu_plus_x, w_plus_x;  ///< the Krawczyk intervals X (each isolates its root)
};

/// The top outlier at a = alpha/kappa (unit kappa).
struct BallPopulationOutlier {
  bool decided = false;  ///< false: the regime is undecided at this precision
  Regime regime = Regime::none;
  bool table_outlier = false, sample_outlier = false;
  Arb w;                  ///< w_s (or w_nu+ without a table outlier)
  Arb ell;                ///< table-level outlier x_nu(w_s), or the table edge
  Arb lambda;             ///< sample outlier x(w_s), or the right edge
  Arb a_pop_u, a_pop_mu;  ///< population alignments (0 without a table outlier)
  Arb a_samp;             ///< sample factor (0 without a sample outlier)
  Arb A_u, A_mu;          ///< 0 unless sample_outlier
};

/// The spike on top of H ⊠ MP_delta ⊠ MP_gamma in balls (see the header).
/// gamma = 0 is accepted (the table level alone: w_+ = w_nu+).
class BallPopulationSpike {
 public:
  BallPopulationSpike(const PopulationSpec& spec, const Rational& delta, const Rational& gamma,
                      const Rational& rho, slong prec)
      : H_(spec, prec), delta_(delta), gamma_(gamma), rho_(rho), prec_(prec) {
    detail::require_positive_rational("delta", delta);
    if (gamma < 0)
      throw std::invalid_argument("gamma must be >= 0 (got " + rational_to_string(gamma) + ")");
    if (rho < 0)
      throw std::invalid_argument("rho must be >= 0 (got " + rational_to_string(rho) + ")");
    d_ = to_arb(delta, prec);
    g_ = to_arb(gamma, prec);
    r_ = to_arb(rho, prec);
    compute_thresholds();
  }

  slong precision() const { return prec_; }
  const BallPopulation& population() const { return H_; }
  const Rational& delta() const { return delta_; }
  const Rational& gamma() const { return gamma_; }
  const Rational& rho() const { return rho_; }
  const BallPopulationThresholds& thresholds() const { return th_; }

  /// f1 = delta I2 - 1 and f1' = -2 delta I3.
  void f_table(const Arb& w, slong prec, Arb& f, Arb& df) const {
    auto s = H_.sums(w, prec);
    arb_mul(f, d_, s.I2, prec);
    arb_sub_ui(f, f, 1, prec);
    arb_mul(df, d_, s.I3, prec);
    arb_mul_si(df, df, -2, prec);
  }
  /// f2 = x' = 1 - (delta + gamma + 2 delta gamma p) I2 - delta gamma p^2 and
  /// f2' = 2 delta gamma J1 I2 + 2 (delta + gamma + 2 delta gamma p) I3 + 2 delta gamma p J1.
  void f_sample(const Arb& w, slong prec, Arb& f, Arb& df) const {
    detail::sample_x_prime(H_.sums(w, prec), d_, g_, prec, f, df);
  }
  /// f3 = N(w) = a rho g_mu + (a - 1) delta p - 1 and N' = -(a rho J_mu + (a - 1) delta J1).
  void f_outlier(const Arb& a, const Arb& w, slong prec, Arb& f, Arb& df) const {
    auto s = H_.sums(w, prec);
    Arb ar, am1d;
    arb_mul(ar, a, r_, prec);
    arb_sub_ui(am1d, a, 1, prec);
    arb_mul(am1d, am1d, d_, prec);
    arb_mul(f, ar, s.g_mu, prec);
    arb_addmul(f, am1d, s.p, prec);
    arb_sub_ui(f, f, 1, prec);
    arb_mul(df, ar, s.J_mu, prec);
    arb_addmul(df, am1d, s.J1, prec);
    arb_neg(df, df);
  }

  /// T(w) = (rho g_mu + delta p)/(1 + delta p).
  Arb T(const Arb& w) const {
    auto s = H_.sums(w, prec_);
    Arb num, den, out;
    arb_mul(num, r_, s.g_mu, prec_);
    arb_addmul(num, d_, s.p, prec_);
    arb_mul(den, d_, s.p, prec_);
    arb_add_ui(den, den, 1, prec_);
    arb_div(out, num, den, prec_);
    return out;
  }
  /// x_nu(w) = w (1 + delta p) and x(w) = x_nu(w) (1 + gamma p).
  Arb x_nu(const Arb& w) const { return x_of(w, false); }
  Arb x(const Arb& w) const { return x_of(w, true); }

  /// The top outlier at a = alpha/kappa > 0 (see the header for the regime).
  BallPopulationOutlier outlier(const Rational& a) const {
    if (!(a > 0))
      throw std::invalid_argument("alpha_over_kappa must be > 0 (got " + rational_to_string(a) +
                                  ")");
    BallPopulationOutlier o;
    const Arb ab = to_arb(a, prec_);
    const auto table = side(a, ab, th_.w_nu_plus, th_.w_nu_plus_x, false);
    const auto sample = side(a, ab, th_.w_plus, th_.w_plus_x, true);
    if (!sample || (!table && !*sample)) return undecided(o);
    o.sample_outlier = *sample;
    o.table_outlier = o.sample_outlier || *table;  // N decreases: N(w_nu+) > N(w_+)
    o.decided = true;
    o.regime = o.sample_outlier  ? Regime::detectable
               : o.table_outlier ? Regime::table_only
                                 : Regime::none;
    if (!o.table_outlier) {
      o.w = th_.w_nu_plus;
      o.ell = th_.table_edge;
      o.lambda = th_.sample_edge;
      return o;
    }
    // w_s on (w_nu+, inf): N(w_nu+) > 0 > N there for u = w - t_max beyond
    // 2 (a rho + |a-1| delta t_max) (g_mu <= 1/u, p <= t_max/u).
    detail::BallFunction f = [&](const Arb& w, slong bits, Arb& v, Arb& dv) {
      f_outlier(ab, w, bits, v, dv);
    };
    const Rational bound = 2 * (a * rho_ + abs_rational(a - 1) * delta_ * H_.t_max_exact()) + 1;
    Arb u_lo, u_hi;
    arb_sub(u_lo, th_.w_nu_plus, H_.t_max(), 128);
    arb_get_mid_arb(u_lo, u_lo);
    u_hi = to_arb(bound, 128);
    arb_max(u_hi, u_hi, u_lo, 128);
    arb_mul_2exp_si(u_hi, u_hi, 1);
    const double ad = static_cast<double>(a.convert_to<long double>());
    const double rd = static_cast<double>(rho_.convert_to<long double>());
    const double dd = static_cast<double>(delta_.convert_to<long double>());
    auto fd = [&](double u) {
      double g = 0, p = 0, gmu = 0;
      seed_sums(u, g, p, gmu);
      return ad * rd * gmu + (ad - 1) * dd * p - 1;
    };
    o.w = detail::root_above(f, fd, H_.t_max(), u_lo, u_hi, -1, th_.w_nu_plus, prec_);
    if (!o.w.is_finite()) return undecided(o);
    fill(o, ab);
    return o;
  }

  /// The exact tie a T(w) = 1 at the root of f1 (sample = false) or f2 (true),
  /// given that root's isolating enclosure `x` (see the header).
  bool exact_tie(const Rational& a, const Arb& x, bool sample) const {
    using detail::Fmpq_poly;
    const auto& spec = H_.spec();
    const std::size_t K = spec.atoms.size();
    fmpq_t q;
    fmpq_init(q);
    auto scalar = [&](const Rational& r) {
      detail::set_fmpq(q, r);
      return q;
    };
    // D = prod (w - t_k), D_k = D/(w - t_k).
    std::vector<Fmpq_poly> lin(K), Dk(K);
    Fmpq_poly D, Q, Gp, R, t1, t2;
    fmpq_poly_one(D.get());
    for (std::size_t k = 0; k < K; ++k) {
      fmpq_poly_set_coeff_si(lin[k].get(), 1, 1);
      fmpq_neg(q, scalar(spec.atoms[k]));
      fmpq_poly_set_coeff_fmpq(lin[k].get(), 0, q);
      fmpq_poly_mul(D.get(), D.get(), lin[k].get());
    }
    for (std::size_t k = 0; k < K; ++k) {
      fmpq_poly_one(Dk[k].get());
      for (std::size_t j = 0; j < K; ++j)
        if (j != k) fmpq_poly_mul(Dk[k].get(), Dk[k].get(), lin[j].get());
      const Rational& t = spec.atoms[k];
      const Rational& h = spec.weights[k];
      fmpq_poly_scalar_mul_fmpq(t1.get(), Dk[k].get(), scalar(h * t));
      fmpq_poly_add(Q.get(), Q.get(), t1.get());
      fmpq_poly_scalar_mul_fmpq(t1.get(), Dk[k].get(), scalar(h));
      fmpq_poly_add(Gp.get(), Gp.get(), t1.get());
      fmpq_poly_mul(t1.get(), Dk[k].get(), Dk[k].get());
      fmpq_poly_scalar_mul_fmpq(t1.get(), t1.get(), scalar(h * t * t));
      fmpq_poly_add(R.get(), R.get(), t1.get());
    }
    // P: numerator of f1 (delta R - D^2) or of x' (D^3 - (delta+gamma) R D
    // - 2 delta gamma Q R - delta gamma Q^2 D).
    Fmpq_poly P;
    fmpq_poly_mul(t1.get(), D.get(), D.get());
    if (!sample) {
      fmpq_poly_scalar_mul_fmpq(P.get(), R.get(), scalar(delta_));
      fmpq_poly_sub(P.get(), P.get(), t1.get());
    } else {
      const Rational dg = delta_ * gamma_;
      fmpq_poly_mul(P.get(), t1.get(), D.get());
      fmpq_poly_mul(t1.get(), R.get(), D.get());
      fmpq_poly_scalar_mul_fmpq(t1.get(), t1.get(), scalar(delta_ + gamma_));
      fmpq_poly_sub(P.get(), P.get(), t1.get());
      fmpq_poly_mul(t1.get(), Q.get(), R.get());
      fmpq_poly_scalar_mul_fmpq(t1.get(), t1.get(), scalar(2 * dg));
      fmpq_poly_sub(P.get(), P.get(), t1.get());
      fmpq_poly_mul(t1.get(), Q.get(), Q.get());
      fmpq_poly_mul(t1.get(), t1.get(), D.get());
      fmpq_poly_scalar_mul_fmpq(t1.get(), t1.get(), scalar(dg));
      fmpq_poly_sub(P.get(), P.get(), t1.get());
    }
    // P_N = a rho G_mu + (a - 1) delta Q - D.
    Fmpq_poly PN;
    const Fmpq_poly& Gmu = H_.eigenvector_signal() ? Dk[H_.s_mu_index()] : Gp;
    fmpq_poly_scalar_mul_fmpq(PN.get(), Gmu.get(), scalar(a * rho_));
    fmpq_poly_scalar_mul_fmpq(t1.get(), Q.get(), scalar((a - 1) * delta_));
    fmpq_poly_add(PN.get(), PN.get(), t1.get());
    fmpq_poly_sub(PN.get(), PN.get(), D.get());
    Fmpq_poly G;
    fmpq_poly_gcd(G.get(), P.get(), PN.get());
    bool tie = false;
    if (fmpq_poly_degree(G.get()) >= 1 && x.is_finite()) {
      // The exact ends mid -+ rad of x.
      fmpq_t ql, qh, vl, vh;
      fmpq_init(ql);
      fmpq_init(qh);
      fmpq_init(vl);
      fmpq_init(vh);
      arf_t rad;
      arf_init(rad);
      arf_set_mag(rad, arb_radref(x.get()));
      arf_get_fmpq(vl, rad);
      arf_clear(rad);
      arf_get_fmpq(ql, arb_midref(x.get()));
      fmpq_add(qh, ql, vl);
      fmpq_sub(ql, ql, vl);
      fmpq_poly_evaluate_fmpq(vl, G.get(), ql);
      fmpq_poly_evaluate_fmpq(vh, G.get(), qh);
      tie = fmpq_sgn(vl) == 0 || fmpq_sgn(vh) == 0 || fmpq_sgn(vl) != fmpq_sgn(vh);
      fmpq_clear(ql);
      fmpq_clear(qh);
      fmpq_clear(vl);
      fmpq_clear(vh);
    }
    fmpq_clear(q);
    return tie;
  }

 private:
  static Rational abs_rational(const Rational& r) { return r < 0 ? Rational(-r) : r; }

  static BallPopulationOutlier& undecided(BallPopulationOutlier& o) {
    o.decided = false;
    for (Arb* b : {&o.w, &o.ell, &o.lambda, &o.a_pop_u, &o.a_pop_mu, &o.a_samp, &o.A_u, &o.A_mu})
      *b = Arb::indeterminate();
    return o;
  }

  /// a > a1 (a > a2 with `sample`): the sign of N at the threshold root; an
  /// exact tie is "no"; nothing when undecided at this precision.
  std::optional<bool> side(const Rational& a, const Arb& ab, const Arb& w, const Arb& x,
                           bool sample) const {
    if (!w.is_finite()) return std::nullopt;
    Arb n, dn;
    f_outlier(ab, w, prec_, n, dn);
    if (arb_is_positive(n)) return true;
    if (arb_is_negative(n)) return false;
    if (exact_tie(a, x, sample)) return false;
    return std::nullopt;
  }

  Arb x_of(const Arb& w, bool with_gamma) const {
    auto s = H_.sums(w, prec_);
    Arb out, t;
    arb_mul(t, d_, s.p, prec_);
    arb_add_ui(t, t, 1, prec_);
    arb_mul(out, w, t, prec_);
    if (with_gamma) {
      arb_mul(t, g_, s.p, prec_);
      arb_add_ui(t, t, 1, prec_);
      arb_mul(out, out, t, prec_);
    }
    return out;
  }

  // Double sums at w = t_max + u (seeds only).
  void seed_sums(double u, double& g, double& p, double& g_mu) const {
    const auto& t = H_.atoms_double();
    const auto& h = H_.weights_double();
    const double tm = t.back();
    g = p = 0;
    for (std::size_t k = 0; k < t.size(); ++k) {
      const double inv = 1 / ((tm - t[k]) + u);
      g += h[k] * inv;
      p += h[k] * t[k] * inv;
    }
    g_mu = H_.eigenvector_signal() ? 1 / ((tm - t[H_.s_mu_index()]) + u) : g;
  }
  void seed_I2(double u, double& p, double& I2) const {
    const auto& t = H_.atoms_double();
    const auto& h = H_.weights_double();
    const double tm = t.back();
    p = I2 = 0;
    for (std::size_t k = 0; k < t.size(); ++k) {
      const double q = t[k] / ((tm - t[k]) + u);
      p += h[k] * q;
      I2 += h[k] * q * q;
    }
  }

  void compute_thresholds() {
    const slong lp = 128;
    // w_nu+: with u = w - t_max, h_K t_max^2/u^2 <= I2 <= t_max^2/u^2, so
    // f1 > 0 for u < sqrt(delta h_K) t_max and f1 < 0 for u > sqrt(delta) t_max.
    Arb u_lo, u_hi, t;
    set_rational(t, delta_ * H_.spec().weights.back(), lp);
    arb_sqrt(u_lo, t, lp);
    arb_mul(u_lo, u_lo, H_.t_max(), lp);
    arb_mul_2exp_si(u_lo, u_lo, -1);
    arb_sqrt(u_hi, d_, lp);
    arb_mul(u_hi, u_hi, H_.t_max(), lp);
    arb_mul_2exp_si(u_hi, u_hi, 1);
    const double dd = static_cast<double>(delta_.convert_to<long double>());
    const double gd = static_cast<double>(gamma_.convert_to<long double>());
    auto f1d = [&](double u) {
      double p, I2;
      seed_I2(u, p, I2);
      return dd * I2 - 1;
    };
    detail::BallFunction f1 = [this](const Arb& w, slong bits, Arb& v, Arb& dv) {
      f_table(w, bits, v, dv);
    };
    th_.w_nu_plus = detail::root_above(f1, f1d, H_.t_max(), u_lo, u_hi, -1, H_.t_max(), prec_,
                                       &th_.w_nu_plus_x);
    if (!th_.w_nu_plus.is_finite()) th_.w_nu_plus_x = Arb::indeterminate();
    if (gamma_ == 0) {
      th_.w_plus = th_.w_nu_plus;
      th_.w_plus_x = th_.w_nu_plus_x;
    } else {
      // w_+ > w_nu+ (x' < x_nu' there); x' > 0 once (delta+gamma+delta gamma) v^2
      // + 2 delta gamma v^3 < 1, v = t_max/u (p <= v, I2 <= v^2): each term < 1/2.
      arb_sub(u_lo, th_.w_nu_plus, H_.t_max(), lp);
      if (!u_lo.is_finite()) set_rational(u_lo, delta_ * H_.spec().weights.back(), lp);
      arb_get_mid_arb(u_lo, u_lo);
      Arb v1, v2;
      set_rational(v1, 2 * (delta_ + gamma_ + delta_ * gamma_), lp);
      arb_rsqrt(v1, v1, lp);
      set_rational(v2, 4 * delta_ * gamma_, lp);
      arb_root_ui(v2, v2, 3, lp);
      arb_inv(v2, v2, lp);
      arb_min(v1, v1, v2, lp);
      arb_div(u_hi, H_.t_max(), v1, lp);
      arb_mul_2exp_si(u_hi, u_hi, 1);
      arb_max(u_hi, u_hi, u_lo, lp);
      auto f2d = [&](double u) {
        double p, I2;
        seed_I2(u, p, I2);
        return 1 - (dd + gd + 2 * dd * gd * p) * I2 - dd * gd * p * p;
      };
      detail::BallFunction f2 = [this](const Arb& w, slong bits, Arb& v, Arb& dv) {
        f_sample(w, bits, v, dv);
      };
      th_.w_plus =
          detail::root_above(f2, f2d, H_.t_max(), u_lo, u_hi, 1, H_.t_max(), prec_, &th_.w_plus_x);
      if (!th_.w_plus.is_finite()) th_.w_plus_x = Arb::indeterminate();
    }
    arb_inv(th_.a1, T(th_.w_nu_plus), prec_);
    arb_inv(th_.a2, T(th_.w_plus), prec_);
    th_.table_edge = x_nu(th_.w_nu_plus);
    th_.sample_edge = x(th_.w_plus);
  }

  // Alignments at the proven root (general_spike.hpp's fill):
  //   a_pop_u  = x_nu'(w)(1 + delta p) / (a (rho + delta m1) Dn)
  //   a_pop_mu = a rho g_mu^2 x_nu'(w) / ((1 + delta p) Dn)
  //   a_samp   = x'(w) / ((1 + gamma p) x_nu'(w)),   A = a_pop a_samp.
  void fill(BallPopulationOutlier& o, const Arb& a) const {
    const slong prec = prec_;
    auto s = H_.sums(o.w, prec);
    Arb f, dn, xnu_p, x_p, one_dp, one_gp, t, u;
    f_outlier(a, o.w, prec, f, dn);
    arb_neg(dn, dn);  // Dn
    arb_mul(xnu_p, d_, s.I2, prec);
    arb_sub_ui(xnu_p, xnu_p, 1, prec);
    arb_neg(xnu_p, xnu_p);
    f_sample(o.w, prec, x_p, t);
    arb_mul(one_dp, d_, s.p, prec);
    arb_add_ui(one_dp, one_dp, 1, prec);
    arb_mul(one_gp, g_, s.p, prec);
    arb_add_ui(one_gp, one_gp, 1, prec);
    arb_mul(o.ell, o.w, one_dp, prec);
    // a_pop_u
    set_rational(t, rho_ + delta_ * H_.m1(), prec);
    arb_mul(t, t, a, prec);
    arb_mul(t, t, dn, prec);
    arb_mul(u, xnu_p, one_dp, prec);
    arb_div(o.a_pop_u, u, t, prec);
    // a_pop_mu
    arb_mul(u, s.g_mu, s.g_mu, prec);
    arb_mul(u, u, a, prec);
    arb_mul(u, u, r_, prec);
    arb_mul(u, u, xnu_p, prec);
    arb_mul(t, one_dp, dn, prec);
    arb_div(o.a_pop_mu, u, t, prec);
    if (o.sample_outlier) {
      arb_mul(o.lambda, o.ell, one_gp, prec);
      arb_mul(t, one_gp, xnu_p, prec);
      arb_div(o.a_samp, x_p, t, prec);
      arb_mul(o.A_u, o.a_pop_u, o.a_samp, prec);
      arb_mul(o.A_mu, o.a_pop_mu, o.a_samp, prec);
    } else {
      o.lambda = th_.sample_edge;
    }
  }

  BallPopulation H_;
  Rational delta_, gamma_, rho_;
  slong prec_;
  Arb d_, g_, r_;
  BallPopulationThresholds th_;
};

}  // namespace attnrmt::ball
