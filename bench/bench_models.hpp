// bench/bench_models.hpp -- the two Monte Carlo models the replicate benchmarks
// time (bench_replicate.cpp, bench_distributed.cpp), defined once: delta = gamma
// = 1/2, rho = 1; tokens: T = 16, causal weights, corr latent-exp:0.9,4;
// gaussian: the same alpha/kappa = w^T R w / w^T w as the tokens case.
#pragma once

#include <Eigen/Dense>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/correlation.hpp"
#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/weights.hpp"

namespace attnrmt::bench {

/// mc::Config of `model` ("tokens" or "gaussian") at dimension d.
inline mc::Config replicate_model(const std::string& model, long d, mc::Solver solver,
                                  int threads) {
  if (model != "tokens" && model != "gaussian")
    throw std::invalid_argument("model must be tokens or gaussian (got '" + model + "')");
  mc::Config c;
  c.d = d;
  c.delta = c.gamma = 0.5;
  c.rho = 1;
  c.solver = solver;
  c.threads = threads;
  const auto R = PositionalCorrelation::from_spec("latent-exp:0.9,4", 16);
  const std::vector<double> w = pooling_weights("causal", R);
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), 16);
  c.alpha_over_kappa = wv.dot(R.matrix() * wv) / wv.squaredNorm();
  if (model == "tokens") {
    c.model = mc::Model::tokens;
    c.weights = w;
    c.sample_classes = [R](mc::RandomEngine& rng, std::vector<int>& cl) {
      R.sample_classes(rng, cl);
    };
  }
  return c;
}

}  // namespace attnrmt::bench
