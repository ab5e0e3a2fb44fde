// attnrmt/finite_t/sparse_gram.hpp -- the spectrum nu_T of the discrete-token
// model's sparse pooling Gram matrix, by population dynamics on its cavity
// equations (derivation: docs/theory.md §7 "The finite-T bulk").
//
// B = (V / (N kappa)) S S^T (V x V), S the V x N pooling matrix: column i holds
// w_t at the row of the token drawn at position t of sequence i. In the limit
// V, N -> inf with N/V = lambda (= delta/gamma) and T fixed, the bipartite graph
// tokens -- sequences is locally a tree: a sequence has one edge per position
// with w_t != 0 (weight q_t = w_t^2 / (lambda kappa), sum_t q_t = 1/lambda); a
// token has, for each such position, a Poisson(lambda) number of edges. With the
// linearisation K = [[-zeta I, S~], [S~^T, -I]] (S~^2 = q), whose top-left block of
// K^{-1} is (B - zeta)^{-1}, Schur complements on the tree give, for Im zeta > 0,
//
//   token -> sequence:  g  = 1 / ( -zeta - sum_{edges e} q_{t_e} h_{t_e} ),
//   sequence -> token at position t:  h_t = 1 / ( -1 - sum_{s != t} q_s g_s ),
//
// with independent copies on the right, the edges of a token being Poisson(lambda)
// per position. Poisson excess degrees are Poisson, so the full diagonal
// resolvent (B - zeta)^{-1}_ii has the law of g, and g_nu(zeta) = E g. Both maps
// send the upper half plane into itself, so every message stays in C+.
//
// Population dynamics: a pool of P token messages and, for each position, a pool
// of P sequence messages; a sweep redraws all sequence messages from the token
// pool (one sequence gives the messages of all its positions at O(T) cost) and
// then all token messages from the sequence pools. Randomness: the project's
// reproducible xoshiro256** stream (mc/random.hpp) and a Poisson sampler by
// inversion written out here (means above 32 are split into sums of Poissons).
#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/mc/random.hpp"

namespace attnrmt::finite_t {

using cplx = std::complex<double>;

/// 1/z and z*w written out: std::complex's operators check for infinities and
/// NaN through library calls (C99 Annex G), which dominated the sweep's cost;
/// the messages here are finite and bounded away from 0 and infinity.
inline cplx recip(cplx z) {
  const double a = z.real(), b = z.imag(), n = a * a + b * b;
  return cplx(a / n, -b / n);
}
inline cplx mul(cplx z, cplx w) {
  return cplx(z.real() * w.real() - z.imag() * w.imag(), z.real() * w.imag() + z.imag() * w.real());
}

/// Poisson(mean) variates by sequential inversion; a mean above 32 is split into
/// equal parts (a sum of independent Poissons is Poisson) so that exp(-part)
/// never underflows.
class PoissonSampler {
 public:
  explicit PoissonSampler(double mean) {
    if (!(mean >= 0) || !std::isfinite(mean))
      throw std::invalid_argument("Poisson mean must be a finite number >= 0 (got " +
                                  std::to_string(mean) + ")");
    parts_ = mean > 32 ? static_cast<int>(std::ceil(mean / 32)) : 1;
    part_ = mean / parts_;
    p0_ = std::exp(-part_);
  }
  int operator()(mc::detail::Xoshiro256& rng) const {
    int total = 0;
    for (int j = 0; j < parts_; ++j) {
      const double u = rng.uniform();
      double p = p0_, cdf = p0_;
      int k = 0;
      while (u > cdf) {
        ++k;
        p *= part_ / k;
        if (p == 0) break;  // u beyond the representable tail: k is the last reachable
        cdf += p;
      }
      total += k;
    }
    return total;
  }

 private:
  int parts_ = 1;
  double part_ = 0, p0_ = 1;
};

/// The sparse Gram spectrum nu_T of squared weights q (positions with w_t != 0)
/// at token-per-sequence ratio lambda = N/V, and its population-dynamics state
/// for a block of `width` spectral parameters at once: the random tree (Poisson
/// counts, pool indices) is drawn once per update and shared by the block, so its
/// cost is spread over the block and the estimates of neighbouring points share
/// their randomness (smooth curves; their errors are correlated).
class SparseGramCavity {
 public:
  /// `weights`: the pooling weights w_t (zeros allowed and skipped, at least one
  /// nonzero); `lambda` = N/V > 0; `pool` = P >= 64 messages per pool.
  SparseGramCavity(const std::vector<double>& weights, double lambda, std::size_t pool,
                   std::uint64_t seed, std::size_t width = 1)
      : lambda_(lambda), poisson_(lambda), rng_(seed), P_(pool), B_(width) {
    if (!(lambda > 0) || !std::isfinite(lambda))
      throw std::invalid_argument("lambda = delta/gamma must be a finite number > 0");
    if (pool < 64) throw std::invalid_argument("population size must be >= 64");
    if (width < 1) throw std::invalid_argument("block width must be >= 1");
    double kappa = 0;
    for (double w : weights) {
      if (!std::isfinite(w)) throw std::invalid_argument("weights must be finite");
      kappa += w * w;
    }
    if (!(kappa > 0)) throw std::invalid_argument("weights: at least one must be nonzero");
    for (double w : weights)
      if (w != 0) q_.push_back(w * w / (lambda * kappa));
    g_.assign(P_ * B_, cplx(0, 1));
    h_.assign(q_.size(), std::vector<cplx>(P_ * B_, cplx(0, 1)));
    idx_.resize(q_.size());
    total_.resize(B_);
  }

  std::size_t positions() const { return q_.size(); }
  std::size_t pool_size() const { return P_; }
  std::size_t width() const { return B_; }
  const std::vector<double>& edge_weights() const { return q_; }
  double lambda() const { return lambda_; }

  /// The annealed (mean-field) solution of the two equations at zeta: every
  /// message replaced by its mean, Poisson sums by their means. A starting guess
  /// for the population only; iterated from g = -1/zeta, it stays in C+.
  cplx mean_field_guess(cplx zeta, int iterations = 200) const {
    double qsum = 0;
    for (double q : q_) qsum += q;
    cplx g = -1.0 / zeta;
    for (int it = 0; it < iterations; ++it) {
      cplx field = 0;
      for (double q : q_) field += lambda_ * q / (-1.0 - (qsum - q) * g);
      g = 1.0 / (-zeta - field);
    }
    return g;
  }

  /// Sets every message of block column b to a guess g0 of the token message
  /// (the sequence messages follow with all g = g0).
  void reset(std::size_t b, cplx g0) {
    cplx total = 0;
    for (double q : q_) total += q * g0;
    for (std::size_t j = 0; j < P_; ++j) {
      g_[j * B_ + b] = g0;
      for (std::size_t t = 0; t < q_.size(); ++t)
        h_[t][j * B_ + b] = recip(-1.0 - (total - q_[t] * g0));
    }
  }

  /// Pool means after a sweep: of g (an estimate of g_nu(zeta) = -G_nu(zeta)) and
  /// of g^2, the derivative of g in zeta at fixed incoming messages (exact when
  /// one position carries all the weight; otherwise a slope for Newton's method).
  struct Means {
    cplx g, g2;
  };

  /// One sweep at the spectral parameters zeta[0..width) (Im > 0): all sequence
  /// messages, then all token messages. Writes the pool means to `out`.
  void sweep(const std::vector<cplx>& zeta, std::vector<Means>& out) {
    if (zeta.size() != B_) throw std::invalid_argument("sweep: one zeta per block column");
    const std::size_t nq = q_.size();
    for (std::size_t r = 0; r < P_; ++r) {
      for (std::size_t b = 0; b < B_; ++b) total_[b] = 0;
      for (std::size_t t = 0; t < nq; ++t) {
        idx_[t] = rng_.below(P_) * B_;
        const cplx* g = &g_[idx_[t]];
        for (std::size_t b = 0; b < B_; ++b) total_[b] += q_[t] * g[b];
      }
      for (std::size_t t = 0; t < nq; ++t) {
        const cplx* g = &g_[idx_[t]];
        cplx* h = &h_[t][r * B_];
        for (std::size_t b = 0; b < B_; ++b) h[b] = recip(-1.0 - (total_[b] - q_[t] * g[b]));
      }
    }
    out.assign(B_, Means{0, 0});
    for (std::size_t j = 0; j < P_; ++j) {
      for (std::size_t b = 0; b < B_; ++b) total_[b] = 0;
      for (std::size_t t = 0; t < nq; ++t) {
        const int k = poisson_(rng_);
        for (int e = 0; e < k; ++e) {
          const cplx* h = &h_[t][rng_.below(P_) * B_];
          for (std::size_t b = 0; b < B_; ++b) total_[b] += q_[t] * h[b];
        }
      }
      for (std::size_t b = 0; b < B_; ++b) {
        const cplx g = recip(-zeta[b] - total_[b]);
        g_[j * B_ + b] = g;
        out[b].g += g;
        out[b].g2 += mul(g, g);
      }
    }
    for (auto& m : out) {
      m.g /= static_cast<double>(P_);
      m.g2 /= static_cast<double>(P_);
    }
  }

 private:
  double lambda_;
  PoissonSampler poisson_;
  mc::detail::Xoshiro256 rng_;
  std::size_t P_, B_;
  std::vector<double> q_;
  std::vector<cplx> g_;
  std::vector<std::vector<cplx>> h_;
  std::vector<std::size_t> idx_;
  std::vector<cplx> total_;
};

}  // namespace attnrmt::finite_t
