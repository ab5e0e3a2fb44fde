// attnrmt/mc_scheme.hpp -- a Monte Carlo configuration from a pooling scheme.
//
// Fills the scheme-dependent fields of mc::Config from the positional
// correlation R and a pooling spec (weights.hpp): the weights w,
// alpha/kappa = w^T R w / w^T w, sigma^2/kappa = (sum w)^2 / w^T w, and the
// token-class sampler of R (used by the tokens model).
#pragma once

#include <Eigen/Dense>
#include <string>

#include "attnrmt/correlation.hpp"
#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/weights.hpp"

namespace attnrmt::mc {

inline void apply_scheme(Config& c, const PositionalCorrelation& R, const std::string& pooling) {
  c.weights = pooling_weights(pooling, R);
  Eigen::Map<const Eigen::VectorXd> w(c.weights.data(), static_cast<long>(c.weights.size()));
  const double kappa = w.squaredNorm(), sigma = w.sum();
  c.alpha_over_kappa = w.dot(R.matrix() * w) / kappa;
  c.mean_strength = sigma * sigma / kappa;
  c.sample_classes = [R](RandomEngine& rng, std::vector<int>& classes) {
    R.sample_classes(rng, classes);
  };
}

}  // namespace attnrmt::mc
