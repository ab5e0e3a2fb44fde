// attnrmt/mc/population.hpp -- Monte Carlo with a population spectrum H
// (docs/theory.md §6 and "Monte Carlo with a population"): Sigma realised at
// dimension d, the noise factor of the Gaussian-equivalent model, the law
// H_d ⊠ MP ⊠ MP the simulated bulk is compared with, and the interior
// eigenvector of a gap outlier.
//
// Realisation. Sigma = diag(sigma_1..sigma_d) (ascending) with n_k = d h_k
// rounded by largest remainder coordinates equal to t_k; atoms with n_k = 0
// are dropped. The theory is evaluated at the realised law H_d = sum_k (n_k/d)
// delta_{t_k} (exact rationals), as the isotropic validator uses the realised
// ratios d/V, d/N. A generic mu is uniform on the sphere: the same law as Sigma
// diagonal in a Haar-random basis with mu fixed. An eigenvector mu is the first
// coordinate vector whose sigma equals s_mu.
//
// Gaussian-equivalent noise. Sigma^{1/2} Z_perp G / sqrt(V) has, given
// W = Sigma^{1/2} Z' Z'^T Sigma^{1/2} / V (Z' Gaussian d x n, n = V - 2), columns
// N(0, W) independent of u and the mean direction; any factor A A^T = W gives
// the same joint law. For n >= d, Z' Z'^T is Wishart(n, I_d) and equals L L^T
// with L lower triangular (Bartlett): L_ii = chi_{n-i} (i = 0..d-1), L_ij ~ N(0,1)
// (j < i), all independent, O(d^2) draws: A = Sigma^{1/2} L / sqrt(V). For
// n < d, A = Sigma^{1/2} Z' / sqrt(V) (d x n) is drawn explicitly.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/general_bulk.hpp"
#include "attnrmt/general_spike.hpp"
#include "attnrmt/mc/config.hpp"
#include "attnrmt/mc/parallel_for.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/population.hpp"

namespace attnrmt::mc {

/// H realised at dimension d (see the header comment).
struct RealisedPopulation {
  PopulationSpec spec;        ///< atoms t_k with weights n_k / d (exact), signal as given
  std::vector<long> counts;   ///< n_k, summing to d
  std::vector<double> sigma;  ///< diagonal of Sigma, ascending, length d
  long signal_index = -1;     ///< eigenvector mu: its coordinate; -1 generic
};

inline RealisedPopulation realise_population(const PopulationSpec& H, long d) {
  if (H.atoms.empty() || H.atoms.size() != H.weights.size())
    throw std::invalid_argument("population: no atoms, or atoms and weights differ in number");
  const std::size_t K = H.atoms.size();
  std::vector<long> n(K);
  std::vector<std::pair<double, std::size_t>> rest;
  long used = 0;
  for (std::size_t k = 0; k < K; ++k) {
    const double x = static_cast<double>(d) * to_real<double>(H.weights[k]);
    n[k] = static_cast<long>(std::floor(x));
    used += n[k];
    rest.push_back({x - std::floor(x), k});
  }
  std::stable_sort(rest.begin(), rest.end(), [](auto a, auto b) { return a.first > b.first; });
  for (std::size_t j = 0; used < d && j < rest.size(); ++j, ++used) ++n[rest[j].second];
  RealisedPopulation r;
  std::vector<Rational> atoms, weights;
  for (std::size_t k = 0; k < K; ++k) {
    if (n[k] == 0) continue;
    atoms.push_back(H.atoms[k]);
    weights.push_back(Rational(n[k]));
    r.counts.push_back(n[k]);
    const double t = to_real<double>(H.atoms[k]);
    if (H.signal.eigenvector && H.atoms[k] == H.signal.eigenvalue)
      r.signal_index = static_cast<long>(r.sigma.size());
    r.sigma.insert(r.sigma.end(), static_cast<std::size_t>(n[k]), t);
  }
  if (H.signal.eigenvector && r.signal_index < 0)
    throw std::invalid_argument(
        "population: the signal eigenvalue s_mu = " + rational_to_string(H.signal.eigenvalue) +
        " gets no coordinate of Sigma at d = " + std::to_string(d) +
        " (its weight times d rounds to 0); use a larger d");
  r.spec = PopulationSpec::from_atoms(atoms, weights);  // weights n_k / d
  r.spec.signal = H.signal;
  r.spec.label = H.label;
  return r;
}

/// The population theory of one configuration (shared, never copied: the
/// spike holds a reference to the law).
struct PopulationTheory {
  RealisedPopulation realised;
  GeneralBulkLaw<double> law;
  GeneralSpike<double> spike;
  PopulationTheory(RealisedPopulation r, double delta, double gamma, double rho)
      : realised(std::move(r)),
        law(Population<double>(realised.spec), delta, gamma),
        spike(law, rho) {}
  PopulationTheory(const PopulationTheory&) = delete;
  PopulationTheory& operator=(const PopulationTheory&) = delete;
};

/// Exact moments 1..4 of H_d ⊠ MP_delta ⊠ MP_gamma (double).
inline std::vector<double> population_bulk_moments(const PopulationSpec& H, double delta,
                                                   double gamma) {
  std::vector<double> h;
  for (int j = 0; j <= 4; ++j) h.push_back(to_real<double>(H.power_moment(j)));
  return population_moments<double>(h, delta, gamma, 4);
}

/// Kolmogorov distance of the (ascending) eigenvalues to the general law. The
/// CDF is accumulated interval by interval between consecutive eigenvalues
/// (one tanh-sinh quadrature per step, not one per point from 0); eigenvalues
/// within `zero_tol` of 0 count in the atom.
inline double kolmogorov_distance(const std::vector<double>& sorted,
                                  const GeneralBulkLaw<double>& law, double zero_tol) {
  const double n = static_cast<double>(sorted.size());
  const double atom = law.atom(), right = law.right_edge();
  double dist = 0, F = atom, x_prev = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double x = sorted[i];
    const bool zero = std::abs(x) <= zero_tol;
    double f_right;
    if (zero) {
      f_right = atom;
    } else if (x >= right) {
      f_right = 1;
    } else {
      if (x > x_prev) F += law.integrate([](const double&) { return 1.0; }, x_prev, x);
      x_prev = std::max(x_prev, x);
      f_right = std::min(1.0, F);
    }
    const double f_left = zero ? 0.0 : f_right;
    dist = std::max(dist, static_cast<double>(i + 1) / n - f_right);
    dist = std::max(dist, f_left - static_cast<double>(i) / n);
  }
  return dist;
}

namespace detail {

/// The Gaussian-equivalent noise factor A (d x m) with A A^T = W in law (header
/// comment): lower triangular d x d when V - 2 >= d.
inline Eigen::MatrixXd population_noise_factor(const std::vector<double>& sigma, long V,
                                               std::uint64_t seed, std::uint64_t rep, int threads) {
  const long d = static_cast<long>(sigma.size()), n = V - 2;
  const double invsqrtV = 1.0 / std::sqrt(static_cast<double>(V));
  Eigen::MatrixXd A;
  if (n >= d) {
    A = Eigen::MatrixXd::Zero(d, d);
    parallel_for(d, threads, [&](long b, long e) {
      for (long i = b; i < e; ++i) {  // row i from its own stream
        NormalSource normal(
            stream_seed(seed, rep, Stream::singular, 1 + static_cast<std::uint64_t>(i)));
        for (long j = 0; j < i; ++j) A(i, j) = normal();
        A(i, i) = chi_variate(static_cast<double>(n - i), normal);
      }
    });
  } else {
    A.resize(d, n);
    parallel_for(n, threads, [&](long b, long e) {
      for (long j = b; j < e; ++j) {  // column j from its own stream
        NormalSource normal(
            stream_seed(seed, rep, Stream::singular, 1 + static_cast<std::uint64_t>(j)));
        for (long i = 0; i < d; ++i) A(i, j) = normal();
      }
    });
  }
  for (long i = 0; i < d; ++i) A.row(i) *= std::sqrt(sigma[static_cast<std::size_t>(i)]) * invsqrtV;
  return A;
}

/// Unit eigenvector of the symmetric matrix C (full storage) for its simple
/// eigenvalue `lambda`, separated from the others by `separation`: inverse
/// iteration with the shift lambda + 1e-9 (|lambda| + separation) from the start
/// vector `start`; each step contracts the other components by at least
/// 1e-9 (|lambda| + separation) / separation, so three steps reach rounding.
inline Eigen::VectorXd interior_eigenvector(const Eigen::MatrixXd& C, double lambda,
                                            double separation, Eigen::VectorXd start) {
  const long d = C.rows();
  const double shift = lambda + 1e-9 * (std::abs(lambda) + separation);
  Eigen::MatrixXd M = C;
  M.diagonal().array() -= shift;
  Eigen::PartialPivLU<Eigen::MatrixXd> lu(M);
  Eigen::VectorXd x = start.normalized();
  for (int it = 0; it < 3; ++it) {
    x = lu.solve(x);
    const double nx = x.norm();
    if (!(nx > 0) || !std::isfinite(nx)) return Eigen::VectorXd::Constant(d, std::nan(""));
    x /= nx;
  }
  return x;
}

}  // namespace detail
}  // namespace attnrmt::mc
