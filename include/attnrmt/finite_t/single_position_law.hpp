// attnrmt/finite_t/single_position_law.hpp -- the exact finite-T bulk when one
// position carries all the weight (T = 1, or a scheme with one nonzero weight):
// derivation in docs/theory.md §7.3.
//
// Then S S^T is diagonal: token v's entry is w^2 times its number of occurrences,
// Poisson(lambda) with lambda = N/V = delta/gamma, so nu (the spectrum of
// B = (V/(N kappa)) S S^T) puts mass e^{-lambda} lambda^k / k! at k/lambda. The
// unit-kappa noise covariance M = (1/V) Z B Z^T keeps only the V' = (1 - p0) V
// tokens that occur (p0 = e^{-lambda}); its nonzero eigenvalues are delta times
// those of X = D^{1/2} (Z'^T Z'/d) D^{1/2} (V' x V'), the law nu' ⊠ MP with ratio
// V'/d = (1 - p0)/delta, nu' = nu conditioned on k >= 1: exactly the general
// population solver's H ⊠ MP_{delta''} at gamma'' = 0 (general_bulk.hpp). With
// delta' = delta/(1 - p0) = d/V':
//
//   density_M(x) = rho_X(x/delta) / (delta delta'),
//   1 - F_M(x)   = (1 - F_X(x/delta)) / delta'                    (x >= 0),
//   G_M(z)       = G_X(z/delta) / (delta delta') + (1 - 1/delta')/z,
//   atom at 0    = max(0, 1 - 1/delta').
//
// The Poisson law is cut where its tail mass falls below 1e-40 (relative to the
// weights kept, which are renormalised): far below double precision and below the
// 30 digits the tests use.
#pragma once

#include <cmath>
#include <stdexcept>
#include <vector>

#include "attnrmt/general_bulk.hpp"
#include "attnrmt/population.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt::finite_t {

/// The atoms k/lambda, k = 1..K, and weights lambda^k/k! (unnormalised, exact) of
/// the occurrence law conditioned on k >= 1; K: Poisson tail mass below 1e-40.
inline PopulationSpec occurrence_population(const Rational& lambda) {
  if (!(lambda > 0)) throw std::invalid_argument("lambda = delta/gamma must be > 0");
  const double l = static_cast<double>(lambda);
  // Smallest K with P(k > K) < 1e-40 (the terms decrease geometrically past the mode).
  int K = 1;
  for (;; ++K) {
    const double log_term = (K + 1) * std::log(l) - l - std::lgamma(K + 2.0);
    if (K + 1 > l && log_term < std::log(1e-40) - 1) break;
    if (K > 100000) throw std::invalid_argument("lambda = delta/gamma is too large (> 1e4)");
  }
  std::vector<Rational> atoms, weights;
  Rational term(1);
  for (int k = 1; k <= K; ++k) {
    term *= lambda / k;
    atoms.push_back(Rational(k) / lambda);
    weights.push_back(term);
  }
  auto spec = PopulationSpec::from_atoms(atoms, weights);
  spec.label = "occurrences";
  return spec;
}

template <class Real>
class SinglePositionLaw {
 public:
  using C = Complex<Real>;

  SinglePositionLaw(const Rational& delta, const Rational& gamma)
      : delta_(to_real<Real>(delta)),
        p0_(exp(-to_real<Real>(Rational(delta / gamma)))),
        delta_prime_(delta_ / (1 - p0_)),
        H_(occurrence_population(Rational(delta / gamma))),
        X_(H_, 1 / delta_prime_, Real(0)) {}

  const Real& delta_prime() const { return delta_prime_; }
  /// Mass of nu at 0: the tokens that never occur, e^{-lambda}.
  const Real& unused_tokens() const { return p0_; }
  const GeneralBulkLaw<Real>& table_law() const { return X_; }

  Real atom() const {
    Real a = 1 - 1 / delta_prime_;
    return a > 0 ? a : Real(0);
  }
  Real density(const Real& x) const {
    if (!(x > 0)) return Real(0);
    return X_.density(x / delta_) / (delta_ * delta_prime_);
  }
  Real cdf(const Real& x) const {
    if (x < 0) return Real(0);
    return 1 - (1 - X_.cdf(x / delta_)) / delta_prime_;
  }
  /// Smallest x with cdf(x) >= q.
  Real quantile(const Real& q) const {
    if (!(q >= 0) || !(q <= 1)) throw std::invalid_argument("quantile: q must be in [0, 1]");
    if (q <= atom()) return Real(0);
    Real qx = 1 - delta_prime_ * (1 - q);
    if (qx < 0) qx = 0;
    return delta_ * X_.quantile(qx);
  }
  C cauchy(const C& z) const {
    C gx = X_.cauchy(z / delta_);
    return gx / (delta_ * delta_prime_) + (1 - 1 / delta_prime_) / z;
  }
  /// Support intervals (unit kappa), ascending.
  std::vector<std::pair<Real, Real>> support() const {
    std::vector<std::pair<Real, Real>> out;
    for (const auto& iv : X_.support()) out.emplace_back(delta_ * iv.left, delta_ * iv.right);
    return out;
  }

 private:
  static Real exp(const Real& x) {
    using std::exp;
    return exp(x);
  }
  Real delta_, p0_, delta_prime_;
  Population<Real> H_;
  GeneralBulkLaw<Real> X_;
};

}  // namespace attnrmt::finite_t
