// attnrmt/mc/predict.hpp -- the asymptotic theory a Monte Carlo run is compared
// with, at the realised ratios d/V and d/N: the bulk law and its moments
// (docs/theory.md §2), the outliers, their eigenvalues and alignments
// (docs/theory.md §3); and the largest outlier-to-edge ratio each solver
// resolves (derivation in max_dynamic_range's comment, calibration in
// docs/monte_carlo.md). With a population spectrum H (Config::population) the
// law H_d ⊠ MP ⊠ MP, the top and gap outliers of docs/theory.md §6
// (general_bulk.hpp, general_spike.hpp, mc/population.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/mc/config.hpp"
#include "attnrmt/mc/finite_t_reference.hpp"
#include "attnrmt/mc/population.hpp"
#include "attnrmt/spike.hpp"
#include "attnrmt/token_model_reach.hpp"

namespace attnrmt::mc {

/// The asymptotic predictions at the realised ratios (kappa units).
struct Prediction {
  Sizes sizes;
  BulkLaw<double> law{0.5, 0.5};
  Regime regime = Regime::none;
  bool signal_outlier = false, mean_outlier = false;
  int outliers = 0;            ///< predicted outliers above the bulk
  double top = 0, second = 0;  ///< top two eigenvalues (outliers, else the right edge)
  double alignment_mu = 0, alignment_u = 0;  ///< of the top eigenvector
  double signal_eigenvalue = 0, mean_eigenvalue = 0;
  /// The signal outlier's own A_u, A_mu (whatever its rank; 0 without it), and
  /// the squared cosine of the vocabulary-mean outlier's eigenvector with the
  /// vocabulary-mean direction Z 1/V (mean_outlier_alignment; 0 without it).
  double signal_alignment_mu = 0, signal_alignment_u = 0, mean_alignment = 0;
  /// Rank of each outlier among the top eigenvalues: 0 top, 1 second, -1 absent.
  int signal_rank = -1, mean_rank = -1;
  /// Both outliers present and close (close_outlier_pair): their eigenvectors
  /// mix at finite d, so the alignments are compared summed over the top two.
  bool close_pair = false;
  double pair_mixing = 0;  ///< the mixing-weight estimate of close_outlier_pair
  double moments[4] = {0, 0, 0, 0};
  /// With a population: its theory (null for Sigma = I) and the sample-level
  /// outliers inside gaps of a split support, ascending.
  std::shared_ptr<const PopulationTheory> population;
  /// With `validate --law finite-T`: the discrete-token model's finite-T law
  /// (bulk CDF, top locations, moments); null for the asymptotic law.
  std::shared_ptr<const FiniteTReference> finite_t;
  /// The tokens model outside the asymptotic law's reach (token_model_reach.hpp):
  /// its effective number of tokens T_eff < token_model_minimum_effective_tokens();
  /// 0 for the Gaussian model and within reach. The allowances that could hide
  /// a deviation from §2/§3 are then dropped (verdict.hpp, finite_size_allowance).
  double out_of_reach_tokens = 0;
  struct Gap {
    double lambda = 0, alignment_mu = 0, alignment_u = 0;
    long index = 0;  ///< its position in the ascending spectrum: round(d F(lambda)) - 1
  };
  std::vector<Gap> gaps;
};

/// Right edge of the bulk the prediction compares with.
inline double bulk_right_edge(const Prediction& p) {
  return p.population ? p.population->law.right_edge() : p.law.right_edge();
}

/// predict() with a population (docs/theory.md §6).
/// The top two eigenvalues from the predicted outliers (eigenvalue, 0 for the
/// signal / 1 for the vocabulary mean), the edge where there are fewer; the
/// alignments are 0 unless the top eigenvalue is the signal's outlier.
/// Close-pair rule (docs/theory.md "The vocabulary-mean outlier's alignment"):
/// the estimate w = lambda_s lambda_m / (N (lambda_s - lambda_m)^2) (kappa
/// units, N = d/gamma sequences) of the weight with which the two outliers'
/// eigenvectors mix at finite size (second-order perturbation theory with the
/// O(N^-1/2) sample cross term between the two spike directions; the measured
/// mixing is 1-3.5 w, docs/finite_t_outliers.md). Close when w > 1e-3.
inline double outlier_pair_mixing(double lambda_s, double lambda_m, double N) {
  const double gap = lambda_s - lambda_m;
  return gap == 0 ? std::numeric_limits<double>::infinity() : lambda_s * lambda_m / (N * gap * gap);
}
inline constexpr double close_pair_mixing = 1e-3;

inline void rank_outliers(Prediction& p, std::vector<std::pair<double, int>> outl, double edge) {
  std::sort(outl.begin(), outl.end(), [](auto a, auto b) { return a.first > b.first; });
  p.outliers = static_cast<int>(outl.size());
  p.top = outl.size() > 0 ? outl[0].first : edge;
  p.second = outl.size() > 1 ? outl[1].first : edge;
  if (outl.empty() || outl[0].second != 0) {
    p.alignment_mu = 0;
    p.alignment_u = 0;
  }
  for (std::size_t k = 0; k < outl.size() && k < 2; ++k)
    (outl[k].second == 0 ? p.signal_rank : p.mean_rank) = static_cast<int>(k);
  if (p.signal_rank >= 0 && p.mean_rank >= 0) {
    p.pair_mixing =
        outlier_pair_mixing(p.signal_eigenvalue, p.mean_eigenvalue, static_cast<double>(p.sizes.N));
    p.close_pair = p.pair_mixing > close_pair_mixing;
  }
}

inline Prediction predict_population(const Config& c) {
  Prediction p;
  p.sizes = realised_sizes(c);
  p.law = BulkLaw<double>(p.sizes.delta, p.sizes.gamma, 1.0);
  auto th = std::make_shared<const PopulationTheory>(realise_population(*c.population, c.d),
                                                     p.sizes.delta, p.sizes.gamma, c.rho);
  p.population = th;
  const double edge = th->law.right_edge();
  std::vector<std::pair<double, int>> outl;
  if (c.alpha_over_kappa > 0) {
    auto rep = th->spike.report(c.alpha_over_kappa);
    p.regime = rep.regime;
    if (rep.top.sample_outlier) {
      p.signal_outlier = true;
      p.signal_eigenvalue = rep.top.lambda;
      p.alignment_u = p.signal_alignment_u = rep.top.A_u;
      p.alignment_mu = p.signal_alignment_mu = rep.top.A_mu;
      outl.push_back({rep.top.lambda, 0});
    }
    for (const auto& g : rep.gaps) {
      if (!g.sample_outlier) continue;
      Prediction::Gap gp;
      gp.lambda = g.lambda;
      gp.alignment_mu = g.A_mu;
      gp.alignment_u = g.A_u;
      // A positive rank-one signal lifts one eigenvalue out of the block below
      // the gap (interlacing): the outlier is the top one of the d F(lambda).
      gp.index = std::lround(static_cast<double>(c.d) * th->law.cdf(g.lambda)) - 1;
      if (gp.index < 0 || gp.index >= c.d) continue;
      p.gaps.push_back(gp);
    }
  }
  if (!c.centered && c.mean_strength > 0) {
    const auto ms = GeneralSpike<double>::mean_spike(th->law, c.mean_strength);
    const double lam = ms.lambda;
    if (lam > edge * (1 + 1e-12)) {
      p.mean_outlier = true;
      p.mean_eigenvalue = lam;
      p.mean_alignment = ms.A_u;
      outl.push_back({lam, 1});
    }
  }
  rank_outliers(p, outl, edge);
  const auto m = population_bulk_moments(th->realised.spec, p.sizes.delta, p.sizes.gamma);
  for (int k = 0; k < 4; ++k) p.moments[k] = m[static_cast<std::size_t>(k)];
  return p;
}

/// predict() with Sigma = I (docs/theory.md §2-§3).
inline Prediction predict_sigma_identity(const Config& c) {
  Prediction p;
  p.sizes = realised_sizes(c);
  p.law = BulkLaw<double>(p.sizes.delta, p.sizes.gamma, 1.0);
  const double edge = p.law.right_edge();
  std::vector<std::pair<double, int>> outl;  // (eigenvalue, 0 signal / 1 mean)
  if (c.alpha_over_kappa > 0) {
    auto rep = outlier_report(p.law, c.rho, c.alpha_over_kappa);
    p.regime = rep.regime;
    if (rep.spike.sample_outlier) {
      p.signal_outlier = true;
      p.signal_eigenvalue = rep.spike.lambda;
      p.signal_alignment_u = rep.spike.alignment_u;
      p.signal_alignment_mu = rep.alignment_mu;
      outl.push_back({rep.spike.lambda, 0});
    }
    p.alignment_u = rep.spike.alignment_u;
    p.alignment_mu = rep.alignment_mu;
  }
  if (!c.centered) {
    auto sp = mean_spike(p.law, c.mean_strength);
    if (sp.sample_outlier) {
      p.mean_outlier = true;
      p.mean_eigenvalue = sp.lambda;
      p.mean_alignment = sp.alignment_u;
      outl.push_back({sp.lambda, 1});
    }
  }
  rank_outliers(p, outl, edge);
  for (int k = 1; k <= 4; ++k) p.moments[k - 1] = p.law.moment(k);
  return p;
}

/// The theory's predictions for the run `c` (Sigma = I or a population), with
/// the reach of the asymptotic law for the tokens model marked.
inline Prediction predict(const Config& c) {
  Prediction p = c.population ? predict_population(c) : predict_sigma_identity(c);
  if (c.model == Model::tokens && !c.weights.empty()) {
    const double t_eff = effective_number_of_tokens(c.weights);
    if (!token_model_within_reach(t_eff)) p.out_of_reach_tokens = t_eff;
  }
  return p;
}

/// Largest ratio (top eigenvalue) / (bulk right edge) at which a replicate is
/// numerically sound. The computed spectrum carries absolute errors of about
/// eps ||C|| = eps lambda_top: with the dense solver (double precision)
/// eps_d ratio must stay below 1e-8 so that bulk eigenvalues keep 8 digits
/// relative to the edge, ratio <= 1e-8 / eps_d = 4.5e7. The matrix-free solver
/// stores the random matrix and applies it in single precision: the rounding
/// of H^T x and of H (H^T x) perturbs C by about eps_f sqrt(lambda_top edge),
/// relative error eps_f sqrt(ratio) at the edge; it must stay below 1e-5, a
/// tenth of the smallest fluctuation the report resolves (the Tracy-Widom scale
/// d^(-2/3) >= 1e-4 for d <= 1e6): ratio <= (1e-5 / eps_f)^2 = 7.0e3.
/// Calibrated against the dense solver in docs/monte_carlo.md.
inline double max_dynamic_range(Solver solver) {
  if (solver == Solver::dense) return 1e-8 / std::numeric_limits<double>::epsilon();
  const double r = 1e-5 / static_cast<double>(std::numeric_limits<float>::epsilon());
  return r * r;
}

/// Throws std::invalid_argument (before any work) when the predicted top
/// eigenvalue is so far above the bulk that the simulated spectrum would not be
/// numerically sound (max_dynamic_range).
inline void check_dynamic_range(const Config& c, const Prediction& p) {
  const double edge = bulk_right_edge(p), top = std::max(p.top, edge);
  const Solver solver = resolved_solver(c);
  const double ratio = top / edge, limit = max_dynamic_range(solver);
  if (std::isfinite(ratio) && ratio <= limit) return;
  std::ostringstream m;
  m.precision(3);
  m << "alpha_over_kappa = " << c.alpha_over_kappa;
  if (!c.centered) m << ", mean_strength = " << c.mean_strength;
  m << " put the top eigenvalue (" << top << ") at " << ratio << " times the bulk edge (" << edge
    << "); the "
    << (solver == Solver::dense ? "dense (double-precision)" : "matrix-free (single-precision)")
    << " solver resolves the bulk beside an outlier only up to a ratio of " << limit
    << ", so the simulation would not be numerically sound; use a smaller alpha/kappa";
  throw std::invalid_argument(m.str());
}

}  // namespace attnrmt::mc
