// attnrmt/mc/draws.hpp -- the random objects of one replicate, in kappa units:
// for the Gaussian-equivalent model the signal vectors, labels and the noise
// scales (singular values of a Gaussian matrix from the Dumitriu-Edelman
// bidiagonal model), its columns generated on demand; for the tokens model the
// embedding table and the sampled sequences. The exact equivalence of the
// cheaper Gaussian representation is derived in monte_carlo.hpp's header and
// docs/monte_carlo.md "How it is computed"; every stream is seeded by
// mc/random.hpp's stream_seed. With a population (Config::population) the
// Gaussian model's noise is A G with the factor A of mc/population.hpp and the
// table's columns are Sigma^{1/2} z_v + y_v mu.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/mc/blas.hpp"
#include "attnrmt/mc/config.hpp"
#include "attnrmt/mc/parallel_for.hpp"
#include "attnrmt/mc/population.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/mc/reducer.hpp"
#include "attnrmt/spike.hpp"

namespace attnrmt::mc::detail {

/// The random objects of one replicate, in kappa units.
struct Draw {
  Sizes sizes;
  Eigen::VectorXd mu, u, mean_direction;  ///< mean_direction = Z 1 / V (unscaled)
  // gaussian
  Eigen::VectorXd noise_scale;  ///< sqrt(1/V) * singular values of Z Q
  Eigen::VectorXd labels;       ///< a_i / sqrt(kappa) = +-sqrt(alpha/kappa)
  double mean_scale = 0;        ///< sigma/sqrt(kappa)
  // tokens
  long T = 0;
  std::vector<int> tokens;      ///< N x T token indices (sequence-major)
  std::vector<double> weights;  ///< w / sqrt(kappa)
  // population (Config::population); noise_factor empty without one
  Eigen::MatrixXd noise_factor;  ///< gaussian: A (d x m), noise columns A g, g ~ N(0, I_m)
};

inline Eigen::VectorXd gaussian_vector(long n, std::uint64_t seed) {
  NormalSource normal(seed);
  Eigen::VectorXd v(n);
  for (long i = 0; i < n; ++i) v[i] = normal();
  return v;
}

/// Singular values of a Gaussian m x n matrix (Dumitriu-Edelman, beta = 1),
/// padded with zeros to `out_size`.
inline Eigen::VectorXd gaussian_singular_values(long m, long n, long out_size, std::uint64_t seed) {
  const long p = std::min(m, n), q = std::max(m, n);
  NormalSource normal(seed);
  auto chi = [&normal](long k) { return chi_variate(static_cast<double>(k), normal); };
  // Lower bidiagonal B: diagonal chi_q, chi_{q-1}, ..., chi_{q-p+1}; subdiagonal
  // chi_{p-1}, ..., chi_1. Squared singular values = eigenvalues of B^T B,
  // tridiagonal with diagonal a_j^2 + b_j^2 (b_p = 0) and off-diagonal a_{j+1} b_j.
  std::vector<double> a(p), b(p, 0.0);
  for (long j = 0; j < p; ++j) a[j] = chi(q - j);
  for (long j = 0; j + 1 < p; ++j) b[j] = chi(p - 1 - j);
  std::vector<double> diag(p), off(p > 1 ? p - 1 : 0);
  for (long j = 0; j < p; ++j) diag[j] = a[j] * a[j] + b[j] * b[j];
  for (long j = 0; j + 1 < p; ++j) off[j] = a[j + 1] * b[j];
  std::vector<double> ev = tridiagonal_eigenvalues(diag, off);
  Eigen::VectorXd s = Eigen::VectorXd::Zero(out_size);
  for (long j = 0; j < p && j < out_size; ++j) s[j] = std::sqrt(std::max(0.0, ev[p - 1 - j]));
  return s;
}

/// The class labels y_i = +-sqrt(alpha/kappa) (fair signs from their own
/// stream) and the vocabulary-mean scale of both Gaussian models.
inline void draw_labels(Draw& dr, const Config& c, const Sizes& s, std::uint64_t seed,
                        std::uint64_t rep) {
  Xoshiro256 lab(stream_seed(seed, rep, Stream::signal, 3));
  dr.labels.resize(s.N);
  const double amp = std::sqrt(c.alpha_over_kappa);
  for (long i = 0; i < s.N; ++i) dr.labels[i] = (lab() >> 63) ? amp : -amp;
  dr.mean_scale = std::sqrt(c.mean_strength);
}

/// Gaussian model: the signal vectors, labels and noise scales (the noise
/// columns are generated on demand from their own streams).
inline Draw draw_gaussian(const Config& c, const Sizes& s, std::uint64_t seed, std::uint64_t rep) {
  require_nonnegative("alpha_over_kappa", c.alpha_over_kappa);
  require_nonnegative("mean_strength", c.mean_strength);
  Draw dr;
  dr.sizes = s;
  const double invsqrtV = 1.0 / std::sqrt(static_cast<double>(s.V));
  Eigen::VectorXd dir = gaussian_vector(s.d, stream_seed(seed, rep, Stream::signal, 0));
  dr.mu = dir * (std::sqrt(c.rho) / dir.norm());
  dr.u = dr.mu + gaussian_vector(s.d, stream_seed(seed, rep, Stream::signal, 1)) * invsqrtV;
  dr.mean_direction = gaussian_vector(s.d, stream_seed(seed, rep, Stream::signal, 2)) * invsqrtV;
  dr.noise_scale =
      gaussian_singular_values(s.d, s.V - 2, s.d, stream_seed(seed, rep, Stream::singular, 0)) *
      invsqrtV;
  draw_labels(dr, c, s, seed, rep);
  return dr;
}

/// The signal mu of a population run: uniform on the sphere of radius sqrt(rho)
/// (generic), or sqrt(rho) times the coordinate vector of s_mu (eigenvector).
inline Eigen::VectorXd population_signal(const Config& c, const RealisedPopulation& pop, long d,
                                         std::uint64_t seed, std::uint64_t rep) {
  if (pop.signal_index >= 0) {
    Eigen::VectorXd mu = Eigen::VectorXd::Zero(d);
    mu[pop.signal_index] = std::sqrt(c.rho);
    return mu;
  }
  Eigen::VectorXd dir = gaussian_vector(d, stream_seed(seed, rep, Stream::signal, 0));
  return dir * (std::sqrt(c.rho) / dir.norm());
}

/// Gaussian model with a population: E = mu y^T + Sigma^{1/2} Z, so
/// u = mu + Sigma^{1/2} g / sqrt(V), mean direction Sigma^{1/2} g' / sqrt(V), and
/// the noise factor A (mc/population.hpp); labels as without a population.
inline Draw draw_gaussian_population(const Config& c, const Sizes& s, std::uint64_t seed,
                                     std::uint64_t rep) {
  require_nonnegative("alpha_over_kappa", c.alpha_over_kappa);
  require_nonnegative("mean_strength", c.mean_strength);
  const RealisedPopulation pop = realise_population(*c.population, s.d);
  Draw dr;
  dr.sizes = s;
  const double invsqrtV = 1.0 / std::sqrt(static_cast<double>(s.V));
  Eigen::VectorXd root(s.d);
  for (long k = 0; k < s.d; ++k) root[k] = std::sqrt(pop.sigma[static_cast<std::size_t>(k)]);
  dr.mu = population_signal(c, pop, s.d, seed, rep);
  dr.u = dr.mu +
         (root.array() * gaussian_vector(s.d, stream_seed(seed, rep, Stream::signal, 1)).array())
                 .matrix() *
             invsqrtV;
  dr.mean_direction =
      (root.array() * gaussian_vector(s.d, stream_seed(seed, rep, Stream::signal, 2)).array())
          .matrix() *
      invsqrtV;
  dr.noise_factor = population_noise_factor(pop.sigma, s.V, seed, rep, c.threads);
  draw_labels(dr, c, s, seed, rep);
  return dr;
}

/// Column i of the Gaussian model's H (kappa units) into out (length d).
inline void gaussian_column(const Draw& dr, std::uint64_t seed, std::uint64_t rep, long i,
                            double* out) {
  NormalSource normal(stream_seed(seed, rep, Stream::noise_column, static_cast<std::uint64_t>(i)));
  const long d = dr.sizes.d;
  const double a = dr.labels[i];
  for (long k = 0; k < d; ++k)
    out[k] = dr.u[k] * a + dr.noise_scale[k] * normal() + dr.mean_scale * dr.mean_direction[k];
}

/// Tokens model: the table (into `table`, float or double columns via the
/// setter) and the sequences. `set_column(v, z)` receives column v of E.
/// Split over processes (mc/column_split.hpp): this process draws only the
/// columns [v_begin, v_end) (v_end < 0: V), and `reducer` sums the partial
/// sums Z y and Z 1 behind u and the vocabulary mean over the processes.
template <class SetColumn>
Draw draw_tokens(const Config& c, const Sizes& s, std::uint64_t seed, std::uint64_t rep,
                 const SetColumn& set_column, long v_begin = 0, long v_end = -1,
                 const Reducer& reducer = single_process()) {
  if (c.weights.empty())
    throw std::invalid_argument("tokens model: the pooling weights are empty (need T >= 1)");
  if (!c.sample_classes) throw std::invalid_argument("tokens model: no class sampler given");
  Draw dr;
  dr.sizes = s;
  const long d = s.d, V = s.V, N = s.N, T = static_cast<long>(c.weights.size());
  double kappa = 0;
  for (double w : c.weights) kappa += w * w;
  require_positive("kappa = ||w||^2", kappa);
  dr.T = T;
  dr.weights.resize(T);
  for (long t = 0; t < T; ++t) dr.weights[t] = c.weights[t] / std::sqrt(kappa);
  const long v_plus = V / 2;  // tokens 0..v_plus-1 have class +1
  dr.mu = Eigen::VectorXd::Zero(d);
  dr.mu[0] = std::sqrt(c.rho);  // the law of Z is rotation invariant
  // With a population the columns are Sigma^{1/2} z_v + y_v mu (Sigma diagonal).
  Eigen::VectorXd root;
  if (c.population) {
    const RealisedPopulation pop = realise_population(*c.population, d);
    root.resize(d);
    for (long k = 0; k < d; ++k) root[k] = std::sqrt(pop.sigma[static_cast<std::size_t>(k)]);
    dr.mu = population_signal(c, pop, d, seed, rep);
  }
  // Table columns: z_v from stream v; u = mu + Z y / V, mean direction Z 1 / V,
  // accumulated in token order (deterministic).
  Eigen::VectorXd zy = Eigen::VectorXd::Zero(d), z1 = Eigen::VectorXd::Zero(d);
  const long chunk = 256;
  if (v_end < 0) v_end = V;
  const long first_chunk = v_begin / chunk;
  std::vector<Eigen::VectorXd> zy_part((v_end + chunk - 1) / chunk - first_chunk),
      z1_part(zy_part.size());
  parallel_for(static_cast<long>(zy_part.size()), c.threads, [&](long b, long e) {
    Eigen::VectorXd z(d), col(d);
    for (long blk = b; blk < e; ++blk) {
      zy_part[blk] = Eigen::VectorXd::Zero(d);
      z1_part[blk] = Eigen::VectorXd::Zero(d);
      for (long v = std::max(v_begin, (first_chunk + blk) * chunk);
           v < std::min(v_end, (first_chunk + blk + 1) * chunk); ++v) {
        NormalSource normal(
            stream_seed(seed, rep, Stream::table_column, static_cast<std::uint64_t>(v)));
        for (long k = 0; k < d; ++k) z[k] = normal();
        if (root.size() == d) z.array() *= root.array();
        const double y = v < v_plus ? 1.0 : -1.0;
        zy_part[blk] += y * z;
        z1_part[blk] += z;
        col = z + y * dr.mu;
        set_column(v, col);
      }
    }
  });
  for (std::size_t blk = 0; blk < zy_part.size(); ++blk) {
    zy += zy_part[blk];
    z1 += z1_part[blk];
  }
  reducer.sum(zy.data(), static_cast<std::size_t>(d));
  reducer.sum(z1.data(), static_cast<std::size_t>(d));
  dr.u = dr.mu + zy / static_cast<double>(V);
  dr.mean_direction = z1 / static_cast<double>(V);
  // Sequences: blocks of 64, one stream each.
  dr.tokens.assign(static_cast<std::size_t>(N * T), 0);
  const long block = 64, blocks = (N + block - 1) / block;
  parallel_for(blocks, c.threads, [&](long b, long e) {
    std::vector<int> classes;
    for (long blk = b; blk < e; ++blk) {
      Xoshiro256 rng(stream_seed(seed, rep, Stream::sequences, static_cast<std::uint64_t>(blk)));
      auto pick_plus = [&rng, v_plus]() { return static_cast<long>(rng.below(v_plus)); };
      auto pick_minus = [&rng, v_plus, V]() {
        return v_plus + static_cast<long>(rng.below(static_cast<std::uint64_t>(V - v_plus)));
      };
      for (long i = blk * block; i < std::min(N, (blk + 1) * block); ++i) {
        classes.assign(T, 0);
        c.sample_classes(rng, classes);
        if (static_cast<long>(classes.size()) != T)
          throw std::invalid_argument(
              "tokens model: the class sampler returned " + std::to_string(classes.size()) +
              " classes, expected T = " + std::to_string(T) + " (the number of weights)");
        for (long t = 0; t < T; ++t)
          dr.tokens[static_cast<std::size_t>(i * T + t)] =
              static_cast<int>(classes[t] > 0 ? pick_plus() : pick_minus());
      }
    }
  });
  return dr;
}

}  // namespace attnrmt::mc::detail
