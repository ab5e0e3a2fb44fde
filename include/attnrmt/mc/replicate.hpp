// attnrmt/mc/replicate.hpp -- what one simulated replicate returns: the
// eigenvalues of C/kappa, the squared cosines of its top eigenvectors with mu,
// u and the vocabulary-mean direction (docs/theory.md §3), timing and
// soundness.
#pragma once

#include <string>
#include <vector>

#include "attnrmt/mc/config.hpp"

namespace attnrmt::mc {

/// One replicate: eigenvalues of C/kappa and the overlaps of its top eigenvectors.
struct Replicate {
  Sizes sizes;
  bool full_spectrum = false;           ///< dense solver: all d eigenvalues
  std::vector<double> eigenvalues;      ///< ascending; all (dense) or the top k (lanczos)
  std::vector<double> top_eigenvalues;  ///< descending, k of them
  /// Squared cosines of the i-th top eigenvector with mu, u = mu + Z y/V and
  /// the vocabulary-mean direction Z 1/V (alignment_mu is 0 when rho = 0).
  std::vector<double> alignment_mu, alignment_u, alignment_mean;
  /// With a population: the eigenvalue at each predicted gap outlier's position
  /// (Prediction::gaps) and the squared cosines of its eigenvector with mu and u.
  std::vector<double> gap_eigenvalues, gap_alignment_mu, gap_alignment_u;
  double seconds = 0;
  int lanczos_operations = 0;         ///< products with C used by the eigen-solver
  double seconds_lanczos = 0;         ///< of `seconds`: the top eigenpairs (Lanczos)
  bool eigensolver_converged = true;  ///< false: top eigenvalues are lower bounds only
  /// false when the replicate's numbers cannot be trusted (non-finite values,
  /// or the two routes to the top eigenvalue disagree); `unsound_reason` says why.
  bool sound = true;
  std::string unsound_reason;
};

}  // namespace attnrmt::mc
