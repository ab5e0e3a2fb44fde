// attnrmt/mc/eigensolvers.hpp -- top eigenpairs of the covariance C: Spectra's
// Lanczos on the dense C (dense solver), and a block Krylov iteration with full
// reorthogonalisation and Rayleigh-Ritz that needs only block products with C
// (matrix-free solver). Stopping rules below and in docs/monte_carlo.md "How
// it is computed" (measured residual / eigenvalue error).
#pragma once

#include <Spectra/SymEigsSolver.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

#include "attnrmt/mc/blas.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/mc/reducer.hpp"

namespace attnrmt::mc::detail {

/// Product with the dense symmetric C (lower triangle), for Spectra.
struct DenseCovarianceOp {
  using Scalar = double;
  int n;
  const double* c;
  Eigen::Index rows() const { return n; }
  Eigen::Index cols() const { return n; }
  void perform_op(const double* x, double* y) const { symmetric_product(n, c, x, y); }
};

template <class Op>
void top_eigenpairs(Op& op, int k, long n, double tol, Eigen::VectorXd& values,
                    Eigen::MatrixXd& vectors, int& ops) {
  const int nev = static_cast<int>(std::min<long>(k, n - 1));
  const int ncv = static_cast<int>(std::min<long>(n, std::max(2 * nev + 1, 20)));
  Spectra::SymEigsSolver<Op> eigs(op, nev, ncv);
  eigs.init();
  eigs.compute(Spectra::SortRule::LargestAlge, 3000, tol, Spectra::SortRule::LargestAlge);
  if (eigs.info() != Spectra::CompInfo::Successful)
    throw std::runtime_error("Lanczos (Spectra) did not converge for the top eigenpairs");
  values = eigs.eigenvalues();
  vectors = eigs.eigenvectors();
  ops = static_cast<int>(eigs.num_operations());
}

/// Top-k eigenpairs of a symmetric d x d operator given by block products
/// (Y = C X for X of b columns), by block Krylov iteration with full
/// reorthogonalisation and Rayleigh-Ritz on the whole Krylov basis (Musco and
/// Musco 2015; Golub and Underwood 1977). Stops when the top Ritz pair has
/// residual ||C v - theta v|| <= tol |theta| (or <= 300 tol |theta| with its
/// Ritz value no longer moving by more than tol |theta|: a top eigenvalue in
/// the bulk edge, where an exact eigenvector is not needed) and the next k - 1 pairs
/// <= 300 tol |theta| (computed exactly from the stored products C K, no extra
/// products): the second eigenvalue sits in the bulk edge, where convergence
/// is slow; Ritz values converge quadratically in the residual (at d = 4000 a
/// relative residual of 1.5e-3 left an eigenvalue error of 7e-6), so 3e-4 is
/// far below its Tracy-Widom fluctuation.
/// `ops` counts single-vector products (block products times b). Returns false
/// (with the current Ritz pairs, whose values are lower bounds) when the basis
/// reaches 1000 vectors first. Set ATTNRMT_KRYLOV_TRACE=1 to print residuals.
///
/// Distributed (`agree` of P > 1 parts, `apply` summing over the parts): every
/// part runs this loop on the same replicated data, so its decisions (how many
/// new vectors to keep, whether to stop) must be the same on every part, or
/// the parts would call the collective sum with different sizes and hang.
/// Each step sums (keep, keep^2, stop, stop^2) over the parts: all equal iff
/// P sum(x^2) = (sum x)^2 (exact for these small integers), a test every part
/// evaluates on the same sums; on disagreement every part throws
/// std::runtime_error.
template <class BlockOp>
bool block_krylov_top(const BlockOp& apply, long d, int k, int block, double tol,
                      std::uint64_t seed, Eigen::VectorXd& values, Eigen::MatrixXd& vectors,
                      int& ops, const Reducer& agree = single_process()) {
  auto same_everywhere = [&agree](double x, const char* what) {
    if (agree.parts() == 1) return;
    double v[2] = {x, x * x};
    agree.sum(v, 2);
    if (static_cast<double>(agree.parts()) * v[1] != v[0] * v[0])
      throw std::runtime_error(std::string("block Krylov: the processes disagree on ") + what +
                               " (the reduction left different bytes on different processes)");
  };
  const long max_basis = std::min<long>(d, 1000);
  const bool trace = std::getenv("ATTNRMT_KRYLOV_TRACE") != nullptr;
  double previous_top = -std::numeric_limits<double>::infinity();
  bool converged = false;
  Eigen::MatrixXd K(d, 0), CK(d, 0), Hm(0, 0);
  Eigen::MatrixXd X(d, block);
  NormalSource normal(seed);
  for (long j = 0; j < block; ++j)
    for (long i = 0; i < d; ++i) X(i, j) = normal();
  ops = 0;
  for (;;) {
    // Orthonormalise X against K (twice) and within itself.
    for (int pass = 0; pass < 2 && K.cols() > 0; ++pass) X -= K * (K.transpose() * X);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(X);
    Eigen::MatrixXd Q = qr.householderQ() * Eigen::MatrixXd::Identity(d, X.cols());
    Eigen::VectorXd rdiag = qr.matrixQR().diagonal().cwiseAbs();
    const double scale = X.colwise().norm().maxCoeff();
    long keep = 0;
    for (long j = 0; j < rdiag.size(); ++j)
      if (rdiag[j] > 1e-10 * std::max(scale, 1e-300)) ++keep;
    same_everywhere(static_cast<double>(keep), "the block size");
    if (keep == 0) {  // invariant subspace: the Ritz pairs are exact
      converged = true;
      break;
    }
    Eigen::MatrixXd Qk = keep == Q.cols() ? Q : Eigen::MatrixXd(Q.leftCols(keep));
    Eigen::MatrixXd Y;
    apply(Qk, Y);
    ops += static_cast<int>(Qk.cols());
    const long m = K.cols(), nb = Qk.cols();
    K.conservativeResize(d, m + nb);
    K.rightCols(nb) = Qk;
    CK.conservativeResize(d, m + nb);
    CK.rightCols(nb) = Y;
    // Rayleigh-Ritz: the projected matrix K^T C K grows by the new block's
    // rows and columns (symmetrised).
    Eigen::MatrixXd newcols = K.transpose() * Y;  // (m + nb) x nb
    Hm.conservativeResize(m + nb, m + nb);
    Hm.rightCols(nb) = newcols;
    Hm.bottomLeftCorner(nb, m) = newcols.topRows(m).transpose();
    Hm.bottomRightCorner(nb, nb) =
        0.5 * (newcols.bottomRows(nb) + newcols.bottomRows(nb).transpose());
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(Hm);
    const long mm = Hm.rows(), kk = std::min<long>(k, mm);
    values.resize(kk);
    vectors.resize(d, kk);
    converged = mm >= k;
    for (long j = 0; j < kk; ++j) {
      const Eigen::VectorXd y = es.eigenvectors().col(mm - 1 - j);
      const double theta = es.eigenvalues()[mm - 1 - j];
      vectors.col(j) = K * y;
      values[j] = theta;
      const double res = (CK * y - theta * vectors.col(j)).norm();
      const double rel = res / std::abs(theta);
      bool ok = rel <= 300 * tol;
      if (j == 0) {
        ok = rel <= tol || (ok && std::abs(theta - previous_top) <= tol * std::abs(theta));
        previous_top = theta;
      }
      if (!ok) converged = false;
      if (trace)
        std::fprintf(stderr, "block Krylov: basis %ld pair %ld theta %.10f residual/theta %.3e\n",
                     static_cast<long>(K.cols()), j, theta, rel);
    }
    const bool stop = converged || K.cols() + block > max_basis;
    same_everywhere(stop ? 1.0 : 0.0, "stopping");
    if (stop) break;
    X = Y;
  }
  return converged;
}

}  // namespace attnrmt::mc::detail
