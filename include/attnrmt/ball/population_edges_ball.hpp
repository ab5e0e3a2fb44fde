// attnrmt/ball/population_edges_ball.hpp -- every support interval of
// H ⊠ MP_delta ⊠ MP_gamma (and of nu = H ⊠ MP_delta, gamma = 0) for a finite
// rational H, each edge a proven ball (docs/theory.md §6.1, §6.7).
//
// The edges are x(w_c) at the real roots w_c of x'(w) (§6.1) with
// 1 - M I2(w_c) > 0 (M = max(delta, gamma); for gamma = 0 the roots of
// x_nu' = 1 - delta I2 themselves) and x(w_c) > 0; sorted, consecutive pairs are
// the intervals, after the hard edge 0 when the two largest of {1, delta, gamma}
// coincide. x' and x'' = 2 (delta + gamma + 2 delta gamma p) I3 + 2 delta gamma
// J1 (I2 + p) are O(K) sums, valid on the whole real line off the atoms.
//
// Root isolation, region by region (what is proven, docs/theory.md §6.7):
// * (t_k, t_k + e_k] and [t_{k+1} - e_{k+1}, t_{k+1}) hold no admissible point:
//   I2 >= h_k t_k^2/(w - t_k)^2 > 1/M there (checked in balls for the chosen
//   dyadic ends). A gap is dropped at once when the two neighbouring atoms alone
//   force M I2 >= 1: M (a^{1/3} + b^{1/3})^3/L^2 >= 1 in balls.
// * (-inf, -B] holds no root of x' (x' >= 1 - 1/8 - 1/16 there, v = t_max/|w|).
// * (t_max, inf): the one root w_+ of population_ball.hpp (x' increases there).
// * The rest is cut into pieces P = [a, b] with exact dyadic ends; on each, in
//   balls over the whole piece: M I2 - 1 > 0 (no admissible point), or x' != 0
//   (no root), or x'' != 0 and then x' of strictly equal signs at a and b (no
//   root) or of strictly opposite signs (exactly one root), or the interval
//   Newton image N(P) = m - x'(m)/x''(P) misses P (no root) or lies inside P
//   (exactly one root); otherwise P is halved. Pieces below 2^-60 of their
//   region, or more than `evaluation_budget` O(K) evaluations, leave the support
//   undecided (a double root, a tangency): never guessed.
// * A piece with exactly one root is contracted by interval Newton
//   (P <- P ∩ N(P)) at the working precision: the root stays in P, which becomes
//   a ball of a few ulps. Its admissibility (1 - M I2 > 0) and x(w_c) > 0 are
//   then decided in balls (a root isolated by two adjacent pieces is recognised:
//   overlapping enclosures inside one piece's ball). Exact exceptions: w = 0 is a root of x' iff delta = 1
//   or gamma = 1 (x'(0) = (1 - delta)(1 - gamma), p_H(0) = -1, I2(0) = 1); it is
//   then never admissible (M I2(0) = M >= 1) and x(0) = 0: the region is cut at 0
//   and a piece ending at 0 with x'' != 0 holds no other root.
// * delta = gamma: x = w (1 + delta p)^2 and (w J1 = p + I2)
//   x' = (1 + delta p)(1 - delta p - 2 delta I2); the roots of the first factor
//   have x = 0 (never an edge, and a double root of x' at w = 0 when
//   delta = gamma = 1), so the second factor F = 1 - delta p - 2 delta I2
//   (F' = delta (J1 + 4 I3)) takes x' 's place above; F(0) = 1 - delta,
//   F'(0) = -3 delta ∫ dH/t != 0.
// Cost: O(K) per evaluation; the O(1) test drops most gaps of a large K.
#pragma once

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/ball/arb.hpp"
#include "attnrmt/ball/population_ball.hpp"
#include "attnrmt/population.hpp"

namespace attnrmt::ball {

/// One support interval: proven edges and the proven critical points x(w) = edge.
struct BallSupportInterval {
  Arb left, right;
  Arb w_left, w_right;     ///< enclosures of the critical points (w_left = 0 on a hard edge)
  bool hard_left = false;  ///< left = 0 exactly
};

/// The support of the law, or undecided with the reason.
struct BallSupport {
  bool decided = false;
  std::string reason;  ///< why undecided (empty when decided)
  std::vector<BallSupportInterval> intervals;
  Rational atom;           ///< mass at 0: max(0, 1 - 1/delta, 1 - 1/gamma), exact
  bool hard_edge = false;  ///< the first interval starts at 0
  long evaluations = 0;    ///< O(K) evaluations of the sums used
};

/// All support edges of H ⊠ MP_delta ⊠ MP_gamma in balls (see the header).
class BallPopulationEdges {
 public:
  BallPopulationEdges(const PopulationSpec& spec, const Rational& delta, const Rational& gamma,
                      slong prec, long evaluation_budget = 2000000)
      : H_(spec, prec), delta_(delta), gamma_(gamma), prec_(prec), budget_(evaluation_budget) {
    detail::require_positive_rational("delta", delta);
    if (gamma < 0)
      throw std::invalid_argument("gamma must be >= 0 (got " + rational_to_string(gamma) + ")");
    M_ = std::max(delta, gamma);
    d_ = to_arb(delta, prec);
    g_ = to_arb(gamma, prec);
    m_ = to_arb(M_, prec);
    equal_ = gamma > 0 && delta == gamma;
    compute();
  }

  slong precision() const { return prec_; }
  const BallPopulation& population() const { return H_; }
  const Rational& delta() const { return delta_; }
  const Rational& gamma() const { return gamma_; }
  const BallSupport& support() const { return sup_; }

  /// x'(w) and x''(w) at the ball w (any real w off the atoms); also M I2 - 1.
  /// For delta = gamma instead the factor 1 - delta p - 2 delta I2 of
  /// x' = (1 + delta p)(1 - delta p - 2 delta I2) and its derivative (see the header).
  void x_prime(const Arb& w, slong prec, Arb& f, Arb& df, Arb* mI2m1 = nullptr) const {
    auto s = H_.sums(w, prec);
    ++evals_;
    x_prime_from(s, prec, f, df);
    if (mI2m1) {
      arb_mul(*mI2m1, m_, s.I2, prec);
      arb_sub_ui(*mI2m1, *mI2m1, 1, prec);
    }
  }
  /// x(w) = w (1 + delta p)(1 + gamma p).
  Arb x(const Arb& w, slong prec) const {
    auto s = H_.sums(w, prec);
    ++evals_;
    Arb out, t;
    arb_mul(t, d_, s.p, prec);
    arb_add_ui(t, t, 1, prec);
    arb_mul(out, w, t, prec);
    arb_mul(t, g_, s.p, prec);
    arb_add_ui(t, t, 1, prec);
    arb_mul(out, out, t, prec);
    return out;
  }

 private:
  struct Piece {
    Arb a, b;                       // exact ends
    bool root_at_a = false, root_at_b = false;  // x'(end) = 0 exactly (the end is w = 0)
    int depth = 0;
  };

  void x_prime_from(const BallPopulationSums& s, slong prec, Arb& f, Arb& df) const {
    if (equal_) {
      // delta = gamma: the factor 1 - delta p - 2 delta I2 of x' and its derivative
      // delta (J1 + 4 I3).
      arb_add(f, s.p, s.I2, prec);
      arb_add(f, f, s.I2, prec);
      arb_mul(f, f, d_, prec);
      arb_sub_ui(f, f, 1, prec);
      arb_neg(f, f);
      arb_mul_2exp_si(df, s.I3, 2);
      arb_add(df, df, s.J1, prec);
      arb_mul(df, df, d_, prec);
      return;
    }
    detail::sample_x_prime(s, d_, g_, prec, f, df);
  }

  static Arb exact_mid(const Arb& a, const Arb& b) {
    Arb m;
    arf_add(arb_midref(m.get()), arb_midref(a.get()), arb_midref(b.get()), ARF_PREC_EXACT,
            ARF_RND_DOWN);
    arf_mul_2exp_si(arb_midref(m.get()), arb_midref(m.get()), -1);
    return m;
  }
  static Arb hull(const Arb& a, const Arb& b) {
    Arb w;
    arb_union(w, a, b, ARF_PREC_EXACT);
    return w;
  }
  static Arb upper_point(const Arb& x) {
    Arb u;
    arf_t t;
    arf_init(t);
    arb_get_ubound_arf(t, x, ARF_PREC_EXACT);
    arb_set_arf(u, t);
    arf_clear(t);
    return u;
  }
  static Arb lower_point(const Arb& x) {
    Arb u;
    arf_t t;
    arf_init(t);
    arb_get_lbound_arf(t, x, ARF_PREC_EXACT);
    arb_set_arf(u, t);
    arf_clear(t);
    return u;
  }
  static int sign(const Arb& v) { return arb_is_positive(v) ? 1 : arb_is_negative(v) ? -1 : 0; }

  void undecided(const std::string& why) {
    if (sup_.reason.empty()) sup_.reason = why;
  }

  // Is (t, t + s e] (s = +1) or [t - e, t) (s = -1) proven free of admissible
  // points for the exact end `end`?  M h t^2 - (end - t)^2 > 0 and end on the
  // right side of t.
  bool excluded_near_atom(std::size_t k, const Arb& end) const {
    const slong lp = 128;
    Arb t = to_arb(H_.spec().atoms[k], lp), d, lhs;
    arb_sub(d, end, t, lp);
    arb_sqr(d, d, lp);
    set_rational(lhs, M_ * H_.spec().weights[k] * H_.spec().atoms[k] * H_.spec().atoms[k], lp);
    arb_sub(lhs, lhs, d, lp);
    return arb_is_positive(lhs);
  }
  // A dyadic end t +- e with e = t sqrt(M h)/2, proven excluded (see above).
  std::optional<Arb> atom_margin(std::size_t k, int side) const {
    const slong lp = 128;
    Arb e, t = to_arb(H_.spec().atoms[k], lp), end;
    set_rational(e, M_ * H_.spec().weights[k], lp);
    arb_sqrt(e, e, lp);
    arb_mul(e, e, t, lp);
    arb_mul_2exp_si(e, e, -1);
    if (side > 0)
      arb_add(end, t, e, lp);
    else
      arb_sub(end, t, e, lp);
    arb_get_mid_arb(end, end);
    Arb d;
    arb_sub(d, end, t, lp);
    if (side > 0 ? !arb_is_positive(d) : !arb_is_negative(d)) return std::nullopt;
    if (!excluded_near_atom(k, end)) return std::nullopt;
    return end;
  }

  // The roots of x' in [a, b] (exact ends), appended as isolating pieces.
  void isolate(Piece root, std::vector<std::pair<Arb, Arb>>& out) {
    const slong lp = std::min<slong>(prec_, 128);
    Arb width;
    arb_sub(width, root.b, root.a, lp);
    std::vector<Piece> stack{root};
    Arb W, f, df, mI, fa, fb, dfa, m, fm, dfm, N;
    while (!stack.empty()) {
      Piece P = std::move(stack.back());
      stack.pop_back();
      if (evals_ > budget_) {
        undecided("the evaluation budget ran out while isolating the roots of x'");
        return;
      }
      W = hull(P.a, P.b);
      x_prime(W, lp, f, df, &mI);
      if (arb_is_positive(mI)) continue;   // no admissible point
      if (!arb_contains_zero(f)) continue;  // no root
      if (!arb_contains_zero(df) && df.is_finite()) {
        if (P.root_at_a || P.root_at_b) continue;  // its only root is that end (w = 0)
        x_prime(P.a, lp, fa, dfa);
        x_prime(P.b, lp, fb, dfa);
        const int sa = sign(fa), sb = sign(fb);
        if (sa != 0 && sa == sb) continue;
        if (sa != 0 && sb != 0) {
          out.emplace_back(P.a, P.b);
          continue;
        }
        m = exact_mid(P.a, P.b);
        x_prime(m, lp, fm, dfm);
        arb_div(N, fm, df, lp);
        arb_sub(N, m, N, lp);
        if (!arb_overlaps(N, W)) continue;
        if (arb_contains_interior(W, N)) {
          out.emplace_back(P.a, P.b);
          continue;
        }
      }
      // Halve.
      Arb w;
      arb_sub(w, P.b, P.a, lp);
      arb_div(w, w, width, lp);
      if (P.depth > 8 && arf_cmpabs_2exp_si(arb_midref(w.get()), -60) < 0) {
        undecided("x' has a root that bisection cannot isolate (a double root or a tangency)");
        return;
      }
      Arb mid = exact_mid(P.a, P.b);
      Piece lo{P.a, mid, P.root_at_a, false, P.depth + 1};
      Piece hi{mid, P.b, false, P.root_at_b, P.depth + 1};
      stack.push_back(std::move(hi));
      stack.push_back(std::move(lo));
    }
  }

  // Contracts an isolating piece [a, b] at prec_: interval Newton W <- W ∩ N(W),
  // or, when that makes no progress, the half of W where the monotone function
  // changes sign (its derivative keeps one sign on W); the root stays inside.
  Arb contract(const Arb& a, const Arb& b) {
    Arb W = hull(a, b), m, fm, dfm, f, df, N, next;
    for (int it = 0; it < 4 * prec_; ++it) {
      arb_get_mid_arb(m, W);
      x_prime(m, prec_, fm, dfm);
      x_prime(W, prec_, f, df);
      if (arb_contains_zero(df)) return Arb::indeterminate();
      arb_div(N, fm, df, prec_);
      arb_sub(N, m, N, prec_);
      if (!arb_intersection(next, N, W, prec_)) return Arb::indeterminate();
      if (mag_cmp(arb_radref(next.get()), arb_radref(W.get())) < 0) {
        W = next;
        continue;
      }
      const int sm = sign(fm), sd = sign(df);
      if (sm == 0) break;  // f(m) ~ 0 at this precision: W is as tight as it gets
      // f increasing (sd > 0) and f(m) > 0: the root is below m.
      Arb end = sm * sd > 0 ? lower_point(W) : upper_point(W);
      W = hull(end, m);
    }
    return W;
  }

  void compute() {
    const slong lp = 128;
    const auto& spec = H_.spec();
    const std::size_t K = spec.atoms.size();
    {
      Rational a = 1 - 1 / M_;
      sup_.atom = a > 0 ? a : Rational(0);
      std::vector<Rational> abc = {Rational(1), delta_, gamma_};
      std::sort(abc.begin(), abc.end());
      sup_.hard_edge = abc[1] == abc[2];
    }
    // x'(0) = (1 - delta)(1 - gamma); for delta = gamma the factor's value at 0 is 1 - delta.
    const bool zero_root = equal_ ? delta_ == 1 : (delta_ == 1 || gamma_ == 1);
    std::vector<std::pair<Arb, Arb>> pieces;            // isolating pieces
    // (-inf, t_1): [-B, t_1 - e_1] with x' > 0 below -B.
    {
      Arb v1, v2, B;
      set_rational(v1, 2 * (delta_ + gamma_ + delta_ * gamma_), lp);
      arb_rsqrt(v1, v1, lp);
      if (gamma_ > 0) {
        set_rational(v2, 4 * delta_ * gamma_, lp);
        arb_root_ui(v2, v2, 3, lp);
        arb_inv(v2, v2, lp);
        arb_min(v1, v1, v2, lp);
      }
      arb_div(B, H_.t_max(), v1, lp);
      arb_mul_2exp_si(B, B, 1);
      B = upper_point(B);
      arb_neg(B, B);
      auto hi = atom_margin(0, -1);
      if (!hi) {
        undecided("no margin below the first atom");
      } else if (arb_gt(*hi, B)) {
        Arb zero;
        if (zero_root && arb_is_negative(B) && arb_is_positive(*hi)) {
          isolate(Piece{B, zero, false, true, 0}, pieces);
          isolate(Piece{zero, *hi, true, false, 0}, pieces);
        } else {
          isolate(Piece{B, *hi, false, false, 0}, pieces);
        }
      }
    }
    // Gaps (t_k, t_{k+1}).
    for (std::size_t k = 0; k + 1 < K && sup_.reason.empty(); ++k) {
      // O(1) rejection: M (a^{1/3} + b^{1/3})^3 / L^2 >= 1.
      {
        Arb a, b, L, c;
        set_rational(a, spec.weights[k] * spec.atoms[k] * spec.atoms[k], lp);
        set_rational(b, spec.weights[k + 1] * spec.atoms[k + 1] * spec.atoms[k + 1], lp);
        set_rational(L, spec.atoms[k + 1] - spec.atoms[k], lp);
        arb_root_ui(a, a, 3, lp);
        arb_root_ui(b, b, 3, lp);
        arb_add(c, a, b, lp);
        arb_pow_ui(c, c, 3, lp);
        arb_mul(c, c, m_, lp);
        arb_sqr(L, L, lp);
        arb_div(c, c, L, lp);
        Arb one;
        arb_one(one);
        if (arb_ge(c, one)) continue;
      }
      auto lo = atom_margin(k, 1), hi = atom_margin(k + 1, -1);
      if (!lo || !hi) {
        undecided("no margin at an atom");
        break;
      }
      if (!arb_lt(*lo, *hi)) continue;  // the two excluded margins cover the gap
      isolate(Piece{*lo, *hi, false, false, 0}, pieces);
    }
    if (!sup_.reason.empty()) return finish_undecided();
    // Critical points: contract, decide admissibility and x > 0.
    std::vector<std::pair<Arb, Arb>> edges;  // (x, w)
    std::vector<std::pair<Arb, Arb>> roots;  // (enclosure, the ball of its piece)
    for (const auto& [a, b] : pieces) {
      Arb w = contract(a, b);
      if (!w.is_finite()) {
        undecided("interval Newton failed on an isolated root of x'");
        return finish_undecided();
      }
      // Two adjacent pieces (balls slightly wider than [a, b]) can isolate the same
      // root (e.g. an exact root at their common end): overlapping enclosures both
      // inside one piece's ball, which holds exactly one root, are that one root.
      bool duplicate = false, clash = false;
      const Arb P = hull(a, b);
      for (const auto& [w0, P0] : roots)
        if (arb_overlaps(w, w0)) {
          if ((arb_contains(P0, w) && arb_contains(P0, w0)) ||
              (arb_contains(P, w) && arb_contains(P, w0)))
            duplicate = true;
          else
            clash = true;
        }
      if (clash) {
        undecided("two roots of x' are not separated at this precision");
        return finish_undecided();
      }
      if (duplicate) continue;
      roots.emplace_back(w, P);
      Arb xv = x(w, prec_);
      if (gamma_ > 0) {
        Arb f, df, mI;
        x_prime(w, prec_, f, df, &mI);
        if (arb_is_nonnegative(mI)) continue;  // not admissible
        if (!arb_is_negative(mI)) {
          undecided("the admissibility 1 - max(delta, gamma) I2 > 0 of a critical point");
          return finish_undecided();
        }
      }
      if (arb_is_nonpositive(xv)) continue;
      if (!arb_is_positive(xv)) {
        undecided("the sign of x at a critical point");
        return finish_undecided();
      }
      edges.emplace_back(xv, w);
    }
    // (t_max, inf): w_+ (w_nu+ for gamma = 0), proven in population_ball.hpp.
    {
      BallPopulationSpike top(spec_without_signal(spec), delta_, gamma_, Rational(1), prec_);
      const auto& th = top.thresholds();
      if (!th.w_plus.is_finite() || !th.sample_edge.is_finite()) {
        undecided("the right edge");
        return finish_undecided();
      }
      edges.emplace_back(th.sample_edge, th.w_plus);
    }
    std::sort(edges.begin(), edges.end(), [](const auto& l, const auto& r) {
      return arf_cmp(arb_midref(l.first.get()), arb_midref(r.first.get())) < 0;
    });
    for (std::size_t i = 0; i + 1 < edges.size(); ++i)
      if (!arb_lt(edges[i].first, edges[i + 1].first)) {
        undecided("two edges are not separated at this precision");
        return finish_undecided();
      }
    if (sup_.hard_edge) {
      if (!edges.empty() && !arb_is_positive(edges.front().first)) {
        undecided("an edge near the hard edge 0");
        return finish_undecided();
      }
      edges.insert(edges.begin(), std::make_pair(Arb(), Arb()));
    }
    if (edges.size() % 2 != 0) {
      undecided("an odd number of edges (a tangency not resolved)");
      return finish_undecided();
    }
    for (std::size_t i = 0; i < edges.size(); i += 2)
      sup_.intervals.push_back(BallSupportInterval{edges[i].first, edges[i + 1].first,
                                                   edges[i].second, edges[i + 1].second,
                                                   sup_.hard_edge && i == 0});
    sup_.decided = true;
    sup_.evaluations = evals_;
  }

  static PopulationSpec spec_without_signal(PopulationSpec s) {
    s.signal = SignalDirection{};
    return s;
  }

  void finish_undecided() {
    sup_.decided = false;
    sup_.intervals.clear();
    sup_.evaluations = evals_;
  }

  BallPopulation H_;
  Rational delta_, gamma_, M_;
  slong prec_;
  long budget_;
  Arb d_, g_, m_;
  bool equal_ = false;  ///< delta = gamma: isolate the roots of 1 - delta p - 2 delta I2
  mutable long evals_ = 0;
  BallSupport sup_;
};

}  // namespace attnrmt::ball
