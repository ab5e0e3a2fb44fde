// attnrmt/ball/spike_ball.hpp -- thresholds, outlier and alignments in
// certified ball arithmetic (docs/certified.md, docs/theory.md §3).
//
// Formulas as in attnrmt/spike.hpp (stated there):
//   tau1 = (delta + sqrt delta)/(rho + delta),  omega1 = delta + sqrt delta,
//   s* = largest root of P(s) = s^3 - (delta+gamma+gamma delta) s - 2 gamma delta
//      = 1/p_+ (P(1/p) p^3 = -f(p), f the edge polynomial, so s* is computed once,
//        from the certified right-edge parameter),
//   tau2 = (delta + s*)/(rho + delta),  omega2 = delta + s*.
// Outlier at alpha/kappa: s = (alpha/kappa)(rho + delta) - delta, rational. The
// regime comes from regime_of in exact rational arithmetic (no ball decides
// it); above tau2 the eigenvalue kappa (s+delta)(s+1)(s+gamma)/s^2 and the
// alignments A_u = P(s)/(s^2 (s+gamma)), A_mu = rho/(rho+delta) A_u are exact
// rationals; below it the eigenvalue is the certified right edge, the
// alignments are exactly 0.
#pragma once

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/spike.hpp"

namespace attnrmt::ball {

struct BallThresholds {
  Arb tau1, tau2, omega1, omega2, s_star;
  /// Exact values of s*, tau2, omega2 when s* = 1/p_+ is rational.
  std::optional<Rational> s_star_exact, tau2_exact, omega2_exact;
};

inline BallThresholds thresholds(const BallLaw& law, const Rational& rho) {
  if (rho < 0)
    throw std::invalid_argument("rho must be >= 0 (got " + rational_to_string(rho) + ")");
  const slong prec = law.precision();
  BallThresholds t;
  Arb d, den;
  set_rational(d, law.delta(), prec);
  set_rational(den, rho + law.delta(), prec);
  arb_inv(t.s_star, law.right_edge_parameter(), prec);
  arb_sqrt(t.omega1, d, prec);
  arb_add(t.omega1, t.omega1, d, prec);
  arb_add(t.omega2, t.s_star, d, prec);
  arb_div(t.tau1, t.omega1, den, prec);
  arb_div(t.tau2, t.omega2, den, prec);
  if (const auto& p = law.right_edge_parameter_exact()) {
    t.s_star_exact = 1 / *p;
    t.omega2_exact = law.delta() + *t.s_star_exact;
    t.tau2_exact = alpha_over_kappa_at(*t.omega2_exact, law.delta(), rho);
  }
  return t;
}

struct BallOutlier {
  Regime regime;
  Arb lambda;        ///< top eigenvalue: outlier, or the bulk right edge
  Arb alignment_u;   ///< A_u
  Arb alignment_mu;  ///< A_mu
  bool exact;        ///< lambda is an exact rational (lambda_exact)
  Rational lambda_exact, alignment_u_exact, alignment_mu_exact;
  Arb population_eigenvalue;      ///< ell = kappa omega (s+1)/s, or kappa (1 + sqrt delta)^2
  Rational population_alignment;  ///< 1 - delta/s^2, or 0
};

/// Top eigenvalue for a spike of strength omega (exact rational): kappa x(1/s)
/// when s = omega - delta > s* (decided exactly: s > 0 and P(s) > 0), else the
/// certified right edge. Used for the vocabulary-mean outlier, omega = delta M.
inline Arb spike_eigenvalue(const BallLaw& law, const Rational& omega) {
  const Rational& delta = law.delta();
  const Rational& gamma = law.gamma();
  Rational s = omega - delta;
  if (s > 0 && sample_polynomial(s, delta, gamma) > 0)
    return to_arb(law.kappa() * sample_outlier_location(s, delta, gamma), law.precision());
  return law.right_edge();
}

inline BallOutlier outlier(const BallLaw& law, const Rational& rho,
                           const Rational& alpha_over_kappa) {
  if (rho < 0)
    throw std::invalid_argument("rho must be >= 0 (got " + rational_to_string(rho) + ")");
  if (!(alpha_over_kappa > 0))
    throw std::invalid_argument("alpha_over_kappa must be > 0 (got " +
                                rational_to_string(alpha_over_kappa) + ")");
  const Rational& delta = law.delta();
  const Rational& gamma = law.gamma();
  const slong prec = law.precision();
  BallOutlier out;
  out.regime = regime_of<Rational>(delta, gamma, rho, alpha_over_kappa);
  if (out.regime == Regime::detectable) {
    Rational s = spike_strength(alpha_over_kappa, delta, rho) - delta;
    out.lambda_exact = law.kappa() * sample_outlier_location(s, delta, gamma);
    out.alignment_u_exact = sample_alignment_u(sample_polynomial(s, delta, gamma), s, gamma);
    out.alignment_mu_exact = mu_share(delta, rho) * out.alignment_u_exact;
    out.exact = true;
  } else {
    out.exact = false;
  }
  if (out.exact) {
    out.lambda = to_arb(out.lambda_exact, prec);
  } else {
    out.lambda = law.right_edge();
  }
  out.alignment_u = to_arb(out.alignment_u_exact, prec);
  out.alignment_mu = to_arb(out.alignment_mu_exact, prec);
  // Population level: outlier iff s > sqrt(delta), i.e. s > 0 and s^2 > delta.
  Rational s = spike_strength(alpha_over_kappa, delta, rho) - delta;
  if (s > 0 && s * s > delta) {
    out.population_eigenvalue =
        to_arb(law.kappa() * population_outlier_location(s, delta), prec);
    out.population_alignment = 1 - delta / (s * s);
  } else {
    Arb e;
    set_rational(e, delta, prec);
    arb_sqrt(e, e, prec);
    arb_add_ui(e, e, 1, prec);
    arb_mul(e, e, e, prec);
    Arb k;
    set_rational(k, law.kappa(), prec);
    arb_mul(out.population_eigenvalue, e, k, prec);
    out.population_alignment = 0;
  }
  return out;
}

}  // namespace attnrmt::ball
