// attnrmt/correlation/class_sampler.hpp -- samplers of one sequence's token
// classes y_1..y_T in {+1,-1} with balanced marginals and E[y_s y_t] = R_st
// (docs/theory.md §4, docs/monte_carlo.md "How it is computed"):
//   independent   y_t independent fair signs (R = I);
//   latent        label c = +-1, y_t = c with probability (1 + p_t)/2
//                 (R = p p^T + diag(1 - p^2));
//   Markov        y_{t+1} = y_t with probability (1 + r)/2 (R_st = r^|s-t|);
//   copula        y_t = sign(g_t), g ~ N(0, sin(pi R / 2)) (arcsine law:
//                 E[sign g_s sign g_t] = (2/pi) asin(Sigma_st) = R_st), possible
//                 only when sin(pi R / 2) is PSD; otherwise not samplable.
// Variates come from correlation/variates.hpp (portable across standard
// libraries); the engine is any 64-bit generator (mc/random.hpp's in practice).
#pragma once

#include <Eigen/Dense>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/correlation/spec_text.hpp"
#include "attnrmt/correlation/variates.hpp"

namespace attnrmt {

class TokenClassSampler {
 public:
  TokenClassSampler() = default;

  static TokenClassSampler independent(int T) {
    TokenClassSampler s;
    s.kind_ = Kind::independent;
    s.T_ = T;
    s.note_ = "independent balanced classes";
    return s;
  }
  /// Latent label with profile p (entries in [-1, 1]).
  static TokenClassSampler latent(std::vector<double> profile) {
    TokenClassSampler s;
    s.kind_ = Kind::latent;
    s.T_ = static_cast<int>(profile.size());
    s.profile_ = std::move(profile);
    s.note_ = "latent label: y_t = c with probability (1 + p_t)/2";
    return s;
  }
  /// Markov chain of length T with correlation r in [-1, 1] between neighbours.
  static TokenClassSampler markov(int T, double r) {
    TokenClassSampler s;
    s.kind_ = Kind::markov;
    s.T_ = T;
    s.stay_ = (1 + r) / 2;
    s.note_ = "Markov chain: y_{t+1} = y_t with probability (1 + r)/2";
    return s;
  }
  /// Gaussian copula of the correlation matrix R (unit diagonal). Not samplable
  /// (samplable() false, note() says why) when sin(pi R / 2) has an eigenvalue
  /// below -1e-10 T (rounding of a PSD matrix stays far above that).
  static TokenClassSampler copula(const Eigen::MatrixXd& R) {
    TokenClassSampler s;
    s.kind_ = Kind::copula;
    s.T_ = static_cast<int>(R.rows());
    const double half_pi = 1.5707963267948966192;
    Eigen::MatrixXd sigma = (R * half_pi).array().sin().matrix();
    for (int i = 0; i < s.T_; ++i) sigma(i, i) = 1;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(sigma);
    const double lo = es.eigenvalues()(0);
    if (lo < -1e-10 * s.T_) {
      s.samplable_ = false;
      s.note_ = "Gaussian copula cannot realise R: sin(pi R/2) has eigenvalue " +
                detail::format_double(lo) + " < 0";
      return s;
    }
    Eigen::VectorXd root = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
    s.copula_factor_ = es.eigenvectors() * root.asDiagonal();
    s.note_ = "Gaussian copula: y_t = sign(g_t), g ~ N(0, sin(pi R/2))";
    return s;
  }

  /// One sequence's classes (resized to T). Throws std::domain_error when
  /// !samplable().
  template <class Engine>
  void operator()(Engine& rng, std::vector<int>& classes) const {
    const int n = T_;
    classes.resize(n);
    auto sign = [&]() { return detail::uniform01(rng) < 0.5 ? 1 : -1; };
    switch (kind_) {
      case Kind::independent:
        for (int t = 0; t < n; ++t) classes[t] = sign();
        return;
      case Kind::latent: {
        const int c = sign();
        for (int t = 0; t < n; ++t)
          classes[t] = detail::uniform01(rng) < (1 + profile_[t]) / 2 ? c : -c;
        return;
      }
      case Kind::markov: {
        classes[0] = sign();
        for (int t = 1; t < n; ++t)
          classes[t] = detail::uniform01(rng) < stay_ ? classes[t - 1] : -classes[t - 1];
        return;
      }
      case Kind::copula: {
        if (!samplable_) throw std::domain_error(note_);
        std::vector<double> z(n);
        for (auto& zi : z) zi = detail::standard_normal(rng);
        for (int s = 0; s < n; ++s) {
          double g = 0;
          for (int k = 0; k < n; ++k) g += copula_factor_(s, k) * z[k];
          // g = 0 has probability zero; break the tie fairly anyway.
          classes[s] = g > 0 ? 1 : g < 0 ? -1 : sign();
        }
        return;
      }
    }
  }

  bool samplable() const { return samplable_; }
  /// How the sampler realises R (or why it cannot).
  const std::string& note() const { return note_; }

 private:
  enum class Kind { independent, latent, markov, copula };
  Kind kind_ = Kind::independent;
  int T_ = 0;
  std::vector<double> profile_;
  double stay_ = 0.5;
  Eigen::MatrixXd copula_factor_;
  bool samplable_ = true;
  std::string note_;
};

}  // namespace attnrmt
