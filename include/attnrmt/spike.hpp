// attnrmt/spike.hpp -- the two BBP transitions (docs/theory.md §3).
//
// Conditional on the table the pooled samples have population covariance
// kappa (W_delta + omega uhat uhat^T), W_delta ~ MP_delta, with
//   omega = (alpha/kappa)(rho + delta),   s = omega - delta.
// * table level (population): outlier iff s > sqrt(delta), at ell = omega(s+1)/s,
//   alignment 1 - delta/s^2; threshold tau1 = (delta + sqrt(delta))/(rho + delta).
// * sample level: outlier of C iff P(s) = s^3 - (delta+gamma+gamma delta) s -
//   2 gamma delta > 0, i.e. s > s* (largest root of P, s* = 1/p_+);
//   tau2 = (delta + s*)/(rho + delta).
// Above tau2: lambda = kappa (s+delta)(s+1)(s+gamma)/s^2 = kappa x(1/s),
//   A_u = P(s)/(s^2 (s+gamma)),   A_mu = rho/(rho+delta) A_u.
// Below tau2 the top eigenvalue sticks to the bulk right edge, alignments 0.
// Uncentred covariance: an extra signal-free spike omega_mean = delta M
// (M = sigma^2/kappa) with the same formulas; its eigenvector's squared cosine
// with the vocabulary-mean direction is A_u at s = omega_mean - delta
// (mean_outlier_alignment).
//
// Second route (tests): lambda solves lambda g_d(lambda) g_N(lambda) = 1/omega
// (kappa = 1), g_N = gamma g_d + (1-gamma)/lambda, with g_d the bulk Cauchy
// transform (outlier_by_rank_one_equation below).
#pragma once

#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt {

enum class Regime { none, table_only, detectable };

inline const char* regime_name(Regime r) {
  switch (r) {
    case Regime::none:
      return "none";
    case Regime::table_only:
      return "table-only";
    case Regime::detectable:
      return "detectable";
  }
  return "?";
}

/// Every regime, in order of increasing signal.
inline constexpr Regime all_regimes[] = {Regime::none, Regime::table_only, Regime::detectable};

/// The regime named `name` ("none", "table-only", "detectable"), or nullopt.
inline std::optional<Regime> regime_from_name(const std::string& name) {
  for (Regime r : all_regimes)
    if (name == regime_name(r)) return r;
  return std::nullopt;
}

/// The regime names, comma-separated ("none, table-only, detectable"), for messages.
inline std::string regime_names() {
  std::string out;
  for (Regime r : all_regimes) out += (out.empty() ? "" : ", ") + std::string(regime_name(r));
  return out;
}

/// Throws std::invalid_argument unless value is finite and >= 0.
template <class Real>
void require_nonnegative(const char* name, const Real& value) {
  using std::isfinite;
  if (!(value >= 0) || !isfinite(value)) {
    std::ostringstream msg;
    msg << name << " must be a finite number >= 0 (got " << static_cast<double>(value) << ")";
    throw std::invalid_argument(msg.str());
  }
}

/// P(s) = s^3 - (delta + gamma + gamma delta) s - 2 gamma delta.
template <class Real>
Real sample_polynomial(const Real& s, const Real& delta, const Real& gamma) {
  return (s * s - (delta + gamma + gamma * delta)) * s - 2 * gamma * delta;
}

/// s*, the largest root of P: the sample-level threshold in s = omega - delta.
template <class Real>
Real sample_threshold_s(const Real& delta, const Real& gamma) {
  using std::sqrt;
  require_positive("delta", delta);
  require_positive("gamma", gamma);
  // P(s) = s (s^2 - b) - 2 gamma delta < 0 on [0, sqrt(b)], b = delta + gamma +
  // gamma delta, and P increases beyond: the only positive root lies above
  // sqrt(b). P(0) = -2 gamma delta < 0 is the lower end (sqrt(b) itself is not
  // safe: rounding in s^2 - b can exceed 2 gamma delta when both are tiny); the
  // upper end grows until P is positive.
  const Real b = delta + gamma + gamma * delta;
  Real lo = 0, hi = 2 * sqrt(b) + 1;
  while (sample_polynomial(hi, delta, gamma) <= 0) hi *= 2;
  auto f = [&](const Real& s) { return sample_polynomial(s, delta, gamma); };
  return detail::bracketed_root<Real>(f, lo, hi);
}

/// The spike strength omega = (alpha/kappa)(rho + delta) of a signal-to-noise
/// ratio alpha/kappa (docs/theory.md §3.1); any field type (Rational: exact).
template <class T>
T spike_strength(const T& alpha_over_kappa, const T& delta, const T& rho) {
  return alpha_over_kappa * (rho + delta);
}

/// The signal-to-noise ratio alpha/kappa at which the spike strength equals
/// omega: the inverse of spike_strength, omega/(rho + delta).
template <class T>
T alpha_over_kappa_at(const T& omega, const T& delta, const T& rho) {
  return omega / (rho + delta);
}

/// omega1 = delta + sqrt(delta): the strength at which the spike leaves the
/// population (table) bulk, s = sqrt(delta) (docs/theory.md §3.2).
template <class Real>
Real table_threshold_strength(const Real& delta) {
  using std::sqrt;
  require_positive("delta", delta);
  return delta + sqrt(delta);
}

/// Above the sample threshold: the outlier x(1/s) = (s + delta)(s + 1)(s + gamma)/s^2
/// of the unit-kappa bulk, s = omega - delta (docs/theory.md §3.3).
template <class T>
T sample_outlier_location(const T& s, const T& delta, const T& gamma) {
  return (s + delta) * (s + 1) * (s + gamma) / (s * s);
}

/// Above the sample threshold: A_u = P(s)/(s^2 (s + gamma)), given P(s) (passed
/// in so that callers can supply a cancellation-free P(s); docs/theory.md §3.4).
template <class T>
T sample_alignment_u(const T& p_of_s, const T& s, const T& gamma) {
  return p_of_s / (s * s * (s + gamma));
}

/// Above the table threshold: the population eigenvalue ell = omega (s + 1)/s of
/// the unit-kappa population covariance, omega = s + delta (docs/theory.md §3.2).
template <class T>
T population_outlier_location(const T& s, const T& delta) {
  return (s + delta) * (s + 1) / s;
}

/// omega2 = delta + s*: the strength at which the outlier leaves the sample
/// bulk (docs/theory.md §3.3).
template <class Real>
Real sample_threshold_strength(const Real& delta, const Real& gamma) {
  return delta + sample_threshold_s(delta, gamma);
}

/// The share rho/(rho + delta) of the spike direction u that lies along mu:
/// A_mu = mu_share A_u (docs/theory.md §3.4).
template <class T>
T mu_share(const T& delta, const T& rho) {
  return rho / (rho + delta);
}

template <class Real>
struct Thresholds {
  Real tau1;    ///< table-level threshold in alpha/kappa
  Real tau2;    ///< sample-level threshold in alpha/kappa
  Real omega1;  ///< omega at tau1: delta + sqrt(delta)
  Real omega2;  ///< omega at tau2: delta + s*
  Real s_star;  ///< largest root of P
};

/// tau1(delta, rho), tau2(delta, gamma, rho); rho >= 0.
template <class Real>
Thresholds<Real> thresholds(const Real& delta, const Real& gamma, const Real& rho) {
  using std::sqrt;
  require_positive("delta", delta);
  require_positive("gamma", gamma);
  require_nonnegative("rho", rho);
  Thresholds<Real> t;
  t.s_star = sample_threshold_s(delta, gamma);
  t.omega1 = table_threshold_strength(delta);
  t.omega2 = delta + t.s_star;  // sample_threshold_strength, reusing s*
  t.tau1 = alpha_over_kappa_at(t.omega1, delta, rho);
  t.tau2 = alpha_over_kappa_at(t.omega2, delta, rho);
  return t;
}

/// A rank-one spike of strength omega on top of the bulk (kappa units).
template <class Real>
struct SpikeOutcome {
  Real s;                      ///< omega - delta
  bool population_outlier;     ///< s > sqrt(delta)
  bool sample_outlier;         ///< s > s*
  Real lambda;                 ///< top eigenvalue (outlier, or bulk right edge)
  Real alignment_u;            ///< squared overlap of the top eigenvector with uhat
  Real population_eigenvalue;  ///< ell, or the MP_delta edge (1+sqrt(delta))^2
  Real population_alignment;   ///< 1 - delta/s^2, or 0
};

/// Regime from field operations only (no square roots): s > sqrt(delta) is
/// tested as s > 0 and s^2 > delta, s > s* as s > 0 and P(s) > 0. With a
/// rational T (attnrmt::Rational) the answer is exact even
/// exactly at a threshold, where a floating-point sign depends on rounding.
template <class T>
Regime regime_of(const T& delta, const T& gamma, const T& rho, const T& alpha_over_kappa) {
  T s = spike_strength(alpha_over_kappa, delta, rho) - delta;
  if (s > 0 && sample_polynomial(s, delta, gamma) > 0) return Regime::detectable;
  if (s > 0 && s * s > delta) return Regime::table_only;
  return Regime::none;
}

/// Exact regime and the exact quantities whose rounding would cancel near a
/// threshold: s = omega - delta and s^2 - delta (from exact_spike).
struct ExactSpike {
  Regime regime;
  Rational s;
  Rational s2_minus_delta;
};

/// The regime (regime_of) and s, s^2 - delta in exact rational arithmetic.
inline ExactSpike exact_spike(const Rational& delta, const Rational& gamma, const Rational& rho,
                              const Rational& alpha_over_kappa) {
  ExactSpike e;
  e.regime = regime_of<Rational>(delta, gamma, rho, alpha_over_kappa);
  e.s = spike_strength(alpha_over_kappa, delta, rho) - delta;
  e.s2_minus_delta = e.s * e.s - delta;
  return e;
}

/// Outcome of a spike of strength omega for the bulk `law` (any kappa). The
/// optional `exact_regime` (from regime_of in exact arithmetic) overrides the
/// floating-point threshold tests; `exact` (from exact_spike) also gives the
/// alignments without cancellation near the thresholds: with the exact s,
///   P(s) = (s - s*) (s^2 + s s* + s*^2 - b),  s - s* = s - (s* as an exact rational),
///   1 - delta/s^2 = (s^2 - delta)/s^2,
/// so an alignment 1e-30 above its threshold keeps its significant digits
/// (docs/theory.md, "Numerically stable forms").
template <class Real>
SpikeOutcome<Real> spike_outcome(const BulkLaw<Real>& law, const Real& omega,
                                 std::optional<Regime> exact_regime = std::nullopt,
                                 const ExactSpike* exact = nullptr) {
  if (exact) exact_regime = exact->regime;
  using std::sqrt;
  require_nonnegative("omega", omega);
  const Real& delta = law.delta();
  const Real& gamma = law.gamma();
  const Real& kappa = law.kappa();
  SpikeOutcome<Real> out;
  out.s = omega - delta;
  const Real& s = out.s;
  if (exact_regime) {
    out.population_outlier = *exact_regime != Regime::none;
    out.sample_outlier = *exact_regime == Regime::detectable;
  } else {
    // Floating-point tests with a margin of a few units of rounding: a point
    // exactly at a threshold (where the exact P(s) or s^2 - delta is 0) must
    // read as "no outlier" whatever the rounding of omega.
    const Real margin = 64 * detail::type_epsilon<Real>();
    const Real b = delta + gamma + gamma * delta;
    const Real p_scale = s * s * s + b * s + 2 * gamma * delta;
    out.population_outlier = s > 0 && s * s - delta > margin * (s * s + delta);
    out.sample_outlier = s > 0 && sample_polynomial(s, delta, gamma) > margin * p_scale;
  }
  if (out.population_outlier) {
    out.population_eigenvalue = kappa * population_outlier_location(s, delta);
    out.population_alignment =
        exact ? Real(to_real<Real>(exact->s2_minus_delta) / (s * s)) : Real(1 - delta / (s * s));
  } else {
    Real edge = 1 + sqrt(delta);
    out.population_eigenvalue = kappa * edge * edge;
    out.population_alignment = 0;
  }
  if (out.sample_outlier) {
    out.lambda = kappa * sample_outlier_location(s, delta, gamma);
    Real p_of_s;
    if (exact) {
      const Real s_star = sample_threshold_s(delta, gamma);
      const Rational s_star_exact = to_rational(s_star);
      const Real above = to_real<Real>(Rational(exact->s - s_star_exact));
      const Real b = delta + gamma + gamma * delta;
      p_of_s = above * (s * s + s * s_star + s_star * s_star - b);
    } else {
      p_of_s = sample_polynomial(s, delta, gamma);
    }
    out.alignment_u = sample_alignment_u(p_of_s, s, gamma);
  } else {
    out.lambda = law.right_edge();
    out.alignment_u = 0;
  }
  return out;
}

template <class Real>
struct OutlierReport {
  Regime regime;
  Real omega;
  SpikeOutcome<Real> spike;
  Real alignment_mu;  ///< rho/(rho+delta) A_u
};

/// The model's regime, outlier and alignments at signal-to-noise alpha/kappa.
template <class Real>
OutlierReport<Real> outlier_report(const BulkLaw<Real>& law, const Real& rho,
                                   const Real& alpha_over_kappa,
                                   std::optional<Regime> exact_regime = std::nullopt,
                                   const ExactSpike* exact = nullptr) {
  require_nonnegative("rho", rho);
  require_positive("alpha_over_kappa", alpha_over_kappa);
  const Real& delta = law.delta();
  OutlierReport<Real> r;
  r.omega = spike_strength(alpha_over_kappa, delta, rho);
  r.spike = spike_outcome(law, r.omega, exact_regime, exact);
  r.regime = r.spike.sample_outlier       ? Regime::detectable
             : r.spike.population_outlier ? Regime::table_only
                                          : Regime::none;
  r.alignment_mu = mu_share(delta, rho) * r.spike.alignment_u;
  return r;
}

/// The vocabulary-mean spike of the uncentred covariance, M = sigma^2/kappa: the
/// spike of strength omega_mean = delta M along m = sigma Z 1/V (docs/theory.md
/// "The vocabulary-mean outlier's alignment"). Its `alignment_u` is the squared
/// cosine of the outlier's eigenvector with the vocabulary-mean direction m
/// (the whole spike direction: no share as for mu), 0 below the threshold.
template <class Real>
SpikeOutcome<Real> mean_spike(const BulkLaw<Real>& law, const Real& mean_strength) {
  require_nonnegative("mean_strength", mean_strength);
  return spike_outcome(law, Real(law.delta() * mean_strength));
}

/// Vocabulary-mean outlier of the uncentred covariance, M = sigma^2/kappa:
/// omega_mean = delta M; returns kappa x(1/s) above the sample threshold, the
/// bulk right edge otherwise.
template <class Real>
Real mean_outlier(const BulkLaw<Real>& law, const Real& mean_strength) {
  return mean_spike(law, mean_strength).lambda;
}

/// Squared cosine of the vocabulary-mean outlier's eigenvector with the
/// vocabulary-mean direction Z 1/V: A_u of a spike of strength delta M,
/// P(s)/(s^2 (s + gamma)) with s = delta (M - 1), 0 when the outlier is absent.
template <class Real>
Real mean_outlier_alignment(const BulkLaw<Real>& law, const Real& mean_strength) {
  return mean_spike(law, mean_strength).alignment_u;
}

/// The same in any field (Rational: exact, for the certified engine): the
/// regime is decided by field operations (s > 0 and P(s) > 0, as regime_of).
template <class T>
T mean_outlier_alignment_exact(const T& delta, const T& gamma, const T& mean_strength) {
  const T s = delta * mean_strength - delta;
  if (!(s > 0)) return T(0);
  const T p = sample_polynomial(s, delta, gamma);
  return p > 0 ? sample_alignment_u(p, s, gamma) : T(0);
}

/// Route 2: solve lambda g(lambda) (gamma g(lambda) + (1-gamma)/lambda) = 1/omega
/// for lambda above the right edge by bracketed root finding on the bulk
/// Cauchy transform (unit kappa). Returns the right edge when there is no
/// solution (omega at or below the threshold).
template <class Real>
Real outlier_by_rank_one_equation(const BulkLaw<Real>& unit_law, const Real& omega) {
  const Real gamma = unit_law.gamma();
  const Real edge = unit_law.right_edge();
  auto h = [&](const Real& lambda) {
    Real g = unit_law.cauchy(Complex<Real>(lambda)).re;
    return lambda * g * (gamma * g + (1 - gamma) / lambda) - 1 / omega;
  };
  // h decreases from its value at the edge to -1/omega at infinity.
  if (!(h(edge) > 0)) return edge;
  Real hi = 2 * edge + 2 * omega + 1;
  while (h(hi) > 0) hi *= 2;
  return detail::bracketed_root<Real>(h, edge, hi);
}

}  // namespace attnrmt
