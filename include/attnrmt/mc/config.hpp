// attnrmt/mc/config.hpp -- what one Monte Carlo run simulates: the model
// (Gaussian-equivalent or discrete tokens), the dimensions d, V = round(d/delta),
// N = round(d/gamma), the signal and mean strengths in kappa units, the solver
// and its stopping rule. The models are defined in docs/theory.md §1 and
// docs/monte_carlo.md "How it is computed".
#pragma once

#include <cmath>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/population.hpp"

namespace attnrmt::mc {

enum class Model { gaussian, tokens };
enum class Solver { automatic, dense, lanczos };

/// The project's random engine (xoshiro256**, mc/random.hpp).
using RandomEngine = detail::Xoshiro256;

/// Fills `classes` (resized to T) with the +-1 classes of one sequence, drawing
/// from the engine only (so that a seed gives the same classes everywhere).
using ClassSampler = std::function<void(RandomEngine&, std::vector<int>&)>;

struct Config {
  Model model = Model::gaussian;
  long d = 500;
  double delta = 0.5;  ///< d/V; V = round(d/delta)
  double gamma = 0.5;  ///< d/N; N = round(d/gamma)
  double rho = 1;      ///< ||mu||^2
  bool centered = true;
  /// alpha/kappa = w^T R w / w^T w: the Gaussian model's signal and, for both
  /// models, the value the theory uses.
  double alpha_over_kappa = 0;
  /// sigma^2/kappa = (sum w)^2/||w||^2: the uncentred vocabulary-mean spike.
  double mean_strength = 0;
  std::vector<double> weights;  ///< tokens: pooling weights w (length T)
  ClassSampler sample_classes;  ///< tokens: class sampler for one sequence
  int threads = 1;
  Solver solver = Solver::automatic;
  int eigenvectors = 2;  ///< number of top eigenpairs measured (>= 2)
  /// Dense solver up to this d, matrix-free Lanczos above (Solver::automatic).
  long dense_limit = 4000;
  /// Lanczos stopping rule: residual ||C v - theta v|| <= tol |theta| for each
  /// of the top pairs. Ritz values are lower bounds within the residual of an
  /// eigenvalue, so eigenvalues are accurate to ~tol relative (much better for
  /// the separated outlier), squared cosines to ~(tol lambda / gap)^2.
  double lanczos_tolerance = 1e-6;
  /// Matrix-free path: vectors per block product (one pass over the stored matrix).
  int krylov_block = 16;
  /// Population spectrum H of Sigma and the direction of mu (docs/theory.md §6,
  /// mc/population.hpp); unset: Sigma = I, the isotropic model above.
  std::optional<PopulationSpec> population;
};

/// Realised sizes: V = round(d/delta), N = round(d/gamma), and the ratios d/V, d/N.
struct Sizes {
  long d = 0, V = 0, N = 0;
  double delta = 0, gamma = 0;
};

inline Sizes realised_sizes(const Config& c) {
  if (c.d < 2 || c.d > 1000000) {
    throw std::invalid_argument("d must be an integer in [2, 1000000] (got " + std::to_string(c.d) +
                                ")");
  }
  require_positive("delta", c.delta);
  require_positive("gamma", c.gamma);
  Sizes s;
  s.d = c.d;
  s.V = std::lround(static_cast<double>(c.d) / c.delta);
  s.N = std::lround(static_cast<double>(c.d) / c.gamma);
  if (s.V < 4) {
    std::ostringstream m;
    m << "delta = " << c.delta << " gives V = round(d/delta) = " << s.V
      << " < 4 tokens at d = " << c.d << "; use delta <= d/4";
    throw std::invalid_argument(m.str());
  }
  if (s.N < 2) {
    std::ostringstream m;
    m << "gamma = " << c.gamma << " gives N = round(d/gamma) = " << s.N
      << " < 2 sequences at d = " << c.d << "; use gamma <= d/2";
    throw std::invalid_argument(m.str());
  }
  s.delta = static_cast<double>(s.d) / static_cast<double>(s.V);
  s.gamma = static_cast<double>(s.d) / static_cast<double>(s.N);
  return s;
}

inline Solver resolved_solver(const Config& c) {
  if (c.solver != Solver::automatic) return c.solver;
  return c.d <= c.dense_limit ? Solver::dense : Solver::lanczos;
}

}  // namespace attnrmt::mc
