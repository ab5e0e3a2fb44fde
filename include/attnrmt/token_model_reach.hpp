// attnrmt/token_model_reach.hpp -- when the asymptotic bulk law describes the
// discrete-token model (docs/finite_t.md).
//
// The bulk kappa (MP_delta ⊠ MP_gamma) is exact for the Gaussian-equivalent
// model. For discrete tokens the pooling matrix is sparse: a token occurring in
// a sequence contributes w_t^2 to its diagonal entry of S S^T, and the
// fluctuation of those entries is governed by sum_t w_t^4 / kappa^2 =
// 1 / T_eff (the effective number of tokens, SchemeSummary::effective_tokens).
// A Monte Carlo calibration (scripts/calibrate_concentration, delta = gamma =
// 1/2, d = 500..2000, T_eff from 1 to 16; table in docs/finite_t.md) gives the
// Kolmogorov distance between the discrete-token bulk and the asymptotic law,
// in excess of the finite-size part, as
//
//     KS_excess(T_eff) ≈ c / T_eff^2,    c = 0.04 (within 30 % for T_eff <= 4),
//
// not shrinking with d; for T_eff < 2 the top of the spectrum also moves above
// the asymptotic edge by 3-9 % at d = 2000 and keeps growing with d (the
// support is unbounded). The asymptotic law is declared within reach when the
// predicted excess is below a stated accuracy (default 0.005, i.e. T_eff >= 3).
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace attnrmt {

/// Effective number of tokens of pooling weights w (the participation ratio
/// kappa^2 / sum_t w_t^4, kappa = sum_t w_t^2): T for equal weights, 1 when one
/// position carries all the weight. Throws for all-zero weights.
template <class Real>
Real effective_number_of_tokens(const std::vector<Real>& w) {
  Real kappa = 0, fourth_powers = 0;
  for (const Real& x : w) {
    const Real square = x * x;
    kappa += square;
    fourth_powers += square * square;
  }
  if (!(fourth_powers > 0))
    throw std::invalid_argument("pooling weights: all zero (no effective tokens)");
  return kappa * kappa / fourth_powers;
}

/// Calibrated coefficient c of KS_excess ≈ c / T_eff^2 (docs/finite_t.md).
inline constexpr double token_model_ks_coefficient = 0.04;
/// Default accuracy (Kolmogorov distance) at which the warning is issued.
inline constexpr double token_model_default_accuracy = 0.005;

/// Predicted Kolmogorov distance between the discrete-token bulk and the
/// asymptotic law, beyond finite-size effects, for T_eff effective tokens.
inline double token_model_ks_excess(double effective_tokens) {
  if (!(effective_tokens >= 1.0) || !std::isfinite(effective_tokens))
    throw std::invalid_argument("effective number of tokens must be a finite number >= 1 (got " +
                                std::to_string(effective_tokens) + ")");
  return token_model_ks_coefficient / (effective_tokens * effective_tokens);
}

/// True when the asymptotic bulk law describes the discrete-token model to
/// the Kolmogorov accuracy `accuracy` (> 0).
inline bool token_model_within_reach(double effective_tokens,
                                     double accuracy = token_model_default_accuracy) {
  if (!(accuracy > 0.0) || !std::isfinite(accuracy))
    throw std::invalid_argument("accuracy must be a finite number > 0 (got " +
                                std::to_string(accuracy) + ")");
  return token_model_ks_excess(effective_tokens) <= accuracy;
}

/// The smallest effective number of tokens within reach at `accuracy`.
inline double token_model_minimum_effective_tokens(double accuracy = token_model_default_accuracy) {
  if (!(accuracy > 0.0) || !std::isfinite(accuracy))
    throw std::invalid_argument("accuracy must be a finite number > 0 (got " +
                                std::to_string(accuracy) + ")");
  return std::sqrt(token_model_ks_coefficient / accuracy);
}

}  // namespace attnrmt
