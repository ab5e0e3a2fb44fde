// attnrmt/mc/measure.hpp -- the per-replicate quantities compared with the
// theory: the top two eigenvalues, the top eigenvector's alignments (and the
// vocabulary-mean outlier's, and sums over the top two for a close pair), and, with
// the full spectrum, the bulk's Kolmogorov distance to the law (docs/theory.md
// §2) and its first four moments (docs/theory.md §2, moments.hpp). With a
// population: the law H_d ⊠ MP ⊠ MP (mc/population.hpp) with the gap outliers
// removed from the bulk as well, and each gap outlier's eigenvalue and alignments.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/mc/population.hpp"
#include "attnrmt/mc/predict.hpp"
#include "attnrmt/mc/replicate.hpp"

namespace attnrmt::mc {

/// Kolmogorov distance sup_x |F_n(x) - F(x)| between the empirical CDF of the
/// (sorted ascending) eigenvalues and the law's CDF. Eigenvalues within
/// `zero_tol` of 0 are counted in the atom at 0.
template <class Cdf>
double kolmogorov_distance_to(const std::vector<double>& sorted, Cdf cdf, double atom,
                              double zero_tol);

inline double kolmogorov_distance(const std::vector<double>& sorted, const BulkLaw<double>& law,
                                  double zero_tol) {
  return kolmogorov_distance_to(
      sorted, [&](double x) { return law.cdf(x); }, law.atom(), zero_tol);
}

/// The same for any CDF (the finite-T law's tabulated one), with `atom` its mass at 0.
template <class Cdf>
double kolmogorov_distance_to(const std::vector<double>& sorted, Cdf cdf, double atom,
                              double zero_tol) {
  const double n = static_cast<double>(sorted.size());
  double dist = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double x = sorted[i];
    const bool zero = std::abs(x) <= zero_tol;
    const double f_right = zero ? atom : cdf(x);
    const double f_left = zero ? 0.0 : f_right;
    dist = std::max(dist, static_cast<double>(i + 1) / n - f_right);
    dist = std::max(dist, f_left - static_cast<double>(i) / n);
  }
  return dist;
}

/// The per-replicate quantities compared with theory.
struct Measurement {
  bool sound = true;  ///< Replicate::sound
  std::string unsound_reason;
  double top = 0, second = 0, alignment_mu = 0, alignment_u = 0;
  /// Squared cosine with the vocabulary-mean direction of the eigenvector at the
  /// mean outlier's predicted rank (0 without a predicted mean outlier), and the
  /// sums over the top two eigenvectors of the squared cosines with mu, u and the
  /// vocabulary-mean direction (compared when the two outliers are close).
  double alignment_mean = 0, alignment_mu_pair = 0, alignment_u_pair = 0, alignment_mean_pair = 0;
  bool has_bulk = false;
  double bulk_ks = 0;
  double moments[4] = {0, 0, 0, 0};
  /// One entry per Prediction::gaps entry: eigenvalue and squared cosines.
  std::vector<double> gap_eigenvalue, gap_alignment_mu, gap_alignment_u;
};

inline Measurement measure(const Replicate& r, const Prediction& p) {
  Measurement m;
  m.sound = r.sound;
  m.unsound_reason = r.unsound_reason;
  m.top = r.top_eigenvalues.at(0);
  m.second = r.top_eigenvalues.at(1);
  m.alignment_mu = r.alignment_mu.at(0);
  m.alignment_u = r.alignment_u.at(0);
  if (p.mean_rank >= 0 && static_cast<std::size_t>(p.mean_rank) < r.alignment_mean.size())
    m.alignment_mean = r.alignment_mean[static_cast<std::size_t>(p.mean_rank)];
  for (std::size_t k = 0; k < 2 && k < r.alignment_u.size(); ++k) {
    m.alignment_mu_pair += r.alignment_mu[k];
    m.alignment_u_pair += r.alignment_u[k];
    if (k < r.alignment_mean.size()) m.alignment_mean_pair += r.alignment_mean[k];
  }
  m.gap_eigenvalue = r.gap_eigenvalues;
  m.gap_alignment_mu = r.gap_alignment_mu;
  m.gap_alignment_u = r.gap_alignment_u;
  if (r.full_spectrum) {
    m.has_bulk = true;
    std::vector<double> bulk(r.eigenvalues.begin(), r.eigenvalues.end() - p.outliers);
    if (p.population) {
      // Remove the gap outliers (highest index first), then compare with H_d ⊠ MP ⊠ MP.
      std::vector<long> idx;
      for (const auto& g : p.gaps) idx.push_back(g.index);
      std::sort(idx.rbegin(), idx.rend());
      for (long k : idx)
        if (k >= 0 && k < static_cast<long>(bulk.size())) bulk.erase(bulk.begin() + k);
      m.bulk_ks = kolmogorov_distance(bulk, p.population->law, 1e-9 * bulk_right_edge(p));
    } else if (p.finite_t) {
      const FiniteTReference& ref = *p.finite_t;
      m.bulk_ks = kolmogorov_distance_to(
          bulk, [&](double x) { return ref.cdf(x); }, ref.full->cdf_at(0).mean,
          1e-9 * p.law.right_edge());
    } else {
      m.bulk_ks = kolmogorov_distance(bulk, p.law, 1e-9 * p.law.right_edge());
    }
    for (int k = 0; k < 4; ++k) {
      double acc = 0;
      for (double x : bulk) acc += std::pow(x, k + 1);
      m.moments[k] = acc / static_cast<double>(bulk.size());
    }
  }
  return m;
}

}  // namespace attnrmt::mc
