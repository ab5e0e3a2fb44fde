// attnrmt/mc/simulate.hpp -- one replicate, simulated: H drawn (mc/draws.hpp),
// the covariance C = (1/N) H (I - 11^T/N) H^T (or H H^T / N uncentred) and its
// spectrum by one of two solvers: dense (C formed by BLAS dsyrk, all eigenvalues
// by LAPACK dsyevd, top eigenvectors by Spectra) or matrix-free (block Krylov on
// products with H and H^T, C never formed). Models and solvers are described in
// monte_carlo.hpp's header and docs/monte_carlo.md "How it is computed".
#pragma once

#include <Eigen/Dense>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/mc/blas.hpp"
#include "attnrmt/mc/column_split.hpp"
#include "attnrmt/mc/config.hpp"
#include "attnrmt/mc/draws.hpp"
#include "attnrmt/mc/eigensolvers.hpp"
#include "attnrmt/mc/float_matrix.hpp"
#include "attnrmt/mc/memory.hpp"
#include "attnrmt/mc/parallel_for.hpp"
#include "attnrmt/mc/population.hpp"
#include "attnrmt/mc/predict.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/mc/reducer.hpp"
#include "attnrmt/mc/replicate.hpp"
#include "attnrmt/spike.hpp"

namespace attnrmt::mc {

namespace detail {

inline double squared_cosine(const Eigen::VectorXd& v, const Eigen::VectorXd& x) {
  const double nx = x.squaredNorm();
  if (!(nx > 0)) return 0;
  const double p = v.dot(x);
  return p * p / (nx * v.squaredNorm());
}

inline void record_alignments(Replicate& r, const Draw& dr, const Eigen::MatrixXd& vectors,
                              const Eigen::VectorXd& values) {
  const long k = values.size();
  // Spectra returns the largest first.
  for (long j = 0; j < k; ++j) {
    Eigen::VectorXd v = vectors.col(j);
    r.top_eigenvalues.push_back(values[j]);
    r.alignment_mu.push_back(squared_cosine(v, dr.mu));
    r.alignment_u.push_back(squared_cosine(v, dr.u));
    r.alignment_mean.push_back(squared_cosine(v, dr.mean_direction));
  }
}

/// Marks the replicate unsound when any computed number is not finite.
inline void check_finite(Replicate& r) {
  auto finite = [](const std::vector<double>& v) {
    for (double x : v)
      if (!std::isfinite(x)) return false;
    return true;
  };
  if (!finite(r.eigenvalues) || !finite(r.top_eigenvalues) || !finite(r.alignment_mu) ||
      !finite(r.alignment_u) || !finite(r.alignment_mean) || !finite(r.gap_eigenvalues) ||
      !finite(r.gap_alignment_mu) || !finite(r.gap_alignment_u)) {
    r.sound = false;
    r.unsound_reason = "non-finite eigenvalue or alignment";
  }
}

/// `gap_indices`: positions (ascending spectrum) of predicted gap outliers whose
/// eigenvectors are measured by inverse iteration (population runs).
inline Replicate simulate_dense(const Config& c, const Sizes& s, std::uint64_t seed,
                                std::uint64_t rep, const std::vector<long>& gap_indices = {}) {
  const long d = s.d, N = s.N;
  Replicate r;
  r.sizes = s;
  r.full_spectrum = true;
  Eigen::MatrixXd H(d, N);
  Draw dr;
  if (c.model == Model::gaussian && c.population) {
    // H = A G + u a^T + sigma m 1^T (mc/population.hpp), G from the column streams.
    dr = draw_gaussian_population(c, s, seed, rep);
    const long m = dr.noise_factor.cols();
    Eigen::MatrixXd G(m, N);
    parallel_for(N, c.threads, [&](long b, long e) {
      for (long i = b; i < e; ++i) {
        NormalSource normal(
            stream_seed(seed, rep, Stream::noise_column, static_cast<std::uint64_t>(i)));
        for (long k = 0; k < m; ++k) G(k, i) = normal();
      }
    });
    if (m == d)
      H.noalias() = dr.noise_factor.triangularView<Eigen::Lower>() * G;
    else
      H.noalias() = dr.noise_factor * G;
    G.resize(0, 0);
    parallel_for(N, c.threads, [&](long b, long e) {
      for (long i = b; i < e; ++i)
        H.col(i) += dr.u * dr.labels[i] + dr.mean_scale * dr.mean_direction;
    });
  } else if (c.model == Model::gaussian) {
    dr = draw_gaussian(c, s, seed, rep);
    parallel_for(N, c.threads, [&](long b, long e) {
      for (long i = b; i < e; ++i) gaussian_column(dr, seed, rep, i, H.col(i).data());
    });
  } else {
    Eigen::MatrixXd E(d, s.V);
    dr = draw_tokens(c, s, seed, rep, [&E](long v, const Eigen::VectorXd& col) { E.col(v) = col; });
    const long T = dr.T;
    parallel_for(N, c.threads, [&](long b, long e) {
      for (long i = b; i < e; ++i) {
        auto h = H.col(i);
        h.setZero();
        for (long t = 0; t < T; ++t)
          h += dr.weights[t] * E.col(dr.tokens[static_cast<std::size_t>(i * T + t)]);
      }
    });
  }
  if (c.centered) {
    Eigen::VectorXd mean = H.rowwise().mean();
    parallel_for(N, c.threads, [&](long b, long e) {
      for (long i = b; i < e; ++i) H.col(i) -= mean;
    });
  }
  Eigen::MatrixXd C(d, d);
  symmetric_rank_k(static_cast<int>(d), static_cast<int>(N), 1.0 / static_cast<double>(N), H.data(),
                   C.data());
  H.resize(0, 0);
  DenseCovarianceOp op{static_cast<int>(d), C.data()};
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
  const auto solve_start = std::chrono::steady_clock::now();
  top_eigenpairs(op, c.eigenvectors, d, c.lanczos_tolerance, values, vectors, r.lanczos_operations);
  r.seconds_lanczos =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - solve_start).count();
  record_alignments(r, dr, vectors, values);
  Eigen::MatrixXd C_full;
  if (!gap_indices.empty()) C_full = C.selfadjointView<Eigen::Lower>();
  r.eigenvalues = symmetric_eigenvalues(static_cast<int>(d), C.data());
  for (std::size_t g = 0; g < gap_indices.size(); ++g) {
    const long k = gap_indices[g];
    const double lam = r.eigenvalues.at(static_cast<std::size_t>(k));
    double sep = std::numeric_limits<double>::infinity();
    if (k > 0) sep = std::min(sep, lam - r.eigenvalues[static_cast<std::size_t>(k - 1)]);
    if (k + 1 < d) sep = std::min(sep, r.eigenvalues[static_cast<std::size_t>(k + 1)] - lam);
    Eigen::VectorXd v = interior_eigenvector(
        C_full, lam, sep, gaussian_vector(d, stream_seed(seed, rep, Stream::signal, 16 + g)));
    r.gap_eigenvalues.push_back(lam);
    r.gap_alignment_mu.push_back(squared_cosine(v, dr.mu));
    r.gap_alignment_u.push_back(squared_cosine(v, dr.u));
  }
  // Two routes to the top eigenvalue: Spectra's Lanczos and LAPACK's dsyevd.
  const double top = r.eigenvalues.back();
  if (!(std::abs(r.top_eigenvalues[0] - top) <= 100 * c.lanczos_tolerance * std::abs(top))) {
    r.sound = false;
    std::ostringstream m;
    m.precision(6);
    m << "the top eigenvalue by Lanczos (" << r.top_eigenvalues[0] << ") and by LAPACK (" << top
      << ") disagree";
    r.unsound_reason = m.str();
  }
  check_finite(r);
  return r;
}

inline Replicate simulate_matrix_free(const Config& c, const Sizes& s, std::uint64_t seed,
                                      std::uint64_t rep, const Reducer& reducer) {
  const long d = s.d, N = s.N, V = s.V;
  Replicate r;
  r.sizes = s;
  r.full_spectrum = false;
  // Block products Y = C X = H P H^T X / N (P: centring), with the stored
  // matrix M split by column blocks over the reducer's parts
  // (mc/column_split.hpp): each part applies its columns, partial sums are
  // added by reducer.sum (one part: the whole matrix, sum is the identity).
  std::function<void(const Eigen::MatrixXd&, Eigen::MatrixXd&)> block_op;
  FloatMatrix M;
  Draw dr;
  const double inv_n = 1.0 / static_cast<double>(N);
  if (c.model == Model::gaussian) {
    // M = G (d x N), split by sequences; H = u a^T + diag(scale) G + mean_scale m 1^T.
    const ColumnSplit split = split_columns(N, reducer.parts(), reducer.part());
    const long n0 = split.begin, nl = split.local();
    dr = draw_gaussian(c, s, seed, rep);
    M.rows = d;
    M.cols = nl;
    M.data.resize(static_cast<std::size_t>(d * nl));
    parallel_for(nl, c.threads, [&](long b, long e) {
      for (long i = b; i < e; ++i) {
        NormalSource normal(
            stream_seed(seed, rep, Stream::noise_column, static_cast<std::uint64_t>(n0 + i)));
        float* col = M.col(i);
        for (long k = 0; k < d; ++k) col[k] = static_cast<float>(normal());
      }
    });
    block_op = [&, split, n0, nl, inv_n](const Eigen::MatrixXd& X, Eigen::MatrixXd& Y) {
      const auto labels = dr.labels.segment(n0, nl);
      // Ht = H^T X, this part's rows (nl x b).
      Eigen::MatrixXd Ht;
      split_transpose_product(M, split, dr.noise_scale.asDiagonal() * X, Ht);
      const Eigen::RowVectorXd ux = dr.u.transpose() * X,
                               mx = dr.mean_scale * (dr.mean_direction.transpose() * X);
      Ht += labels * ux;
      Ht.rowwise() += mx;
      if (c.centered) {
        Eigen::RowVectorXd mean = Ht.colwise().sum();
        reducer.sum(mean.data(), static_cast<std::size_t>(mean.size()));
        Ht.rowwise() -= mean * inv_n;
      }
      // Y = H Ht / N, this part's columns, then summed over the parts.
      split_product(M, split, Ht, Y);
      Y = dr.noise_scale.asDiagonal() * Y;
      Y += dr.u * (labels.transpose() * Ht);
      Y += (dr.mean_scale * dr.mean_direction) * Ht.colwise().sum();
      Y *= inv_n;
      reducer.sum(Y.data(), static_cast<std::size_t>(Y.size()));
    };
  } else {
    // M = E (d x V), split by tokens. Each part draws its own columns from
    // their per-token streams (the draws are those of one process); the sums
    // behind u and the vocabulary mean are summed over the parts.
    const ColumnSplit split = split_columns(V, reducer.parts(), reducer.part());
    const long v0 = split.begin;
    M.rows = d;
    M.cols = split.local();
    M.data.resize(static_cast<std::size_t>(d * M.cols));
    dr = draw_tokens(
        c, s, seed, rep,
        [&M, &split, d, v0](long v, const Eigen::VectorXd& col) {
          if (!split.holds(v)) return;
          float* out = M.col(v - v0);
          for (long k = 0; k < d; ++k) out[k] = static_cast<float>(col[k]);
        },
        split.begin, split.end, reducer);
    const long T = dr.T;
    block_op = [&, split, T, v0, inv_n](const Eigen::MatrixXd& X, Eigen::MatrixXd& Y) {
      // Ht = H^T X = S E^T X (N x b; S pools the tokens): this part's tokens,
      // summed over the parts.
      Eigen::MatrixXd t;
      split_transpose_product(M, split, X, t);  // local tokens x b
      Eigen::MatrixXd Ht = Eigen::MatrixXd::Zero(N, X.cols());
      for (long i = 0; i < N; ++i)
        for (long tt = 0; tt < T; ++tt) {
          const long v = dr.tokens[static_cast<std::size_t>(i * T + tt)];
          if (split.holds(v)) Ht.row(i) += dr.weights[tt] * t.row(v - v0);
        }
      reducer.sum(Ht.data(), static_cast<std::size_t>(Ht.size()));
      if (c.centered) Ht.rowwise() -= Ht.colwise().mean();
      // Y = E S^T Ht / N: this part's tokens, summed over the parts.
      Eigen::MatrixXd rv = Eigen::MatrixXd::Zero(M.cols, X.cols());
      for (long i = 0; i < N; ++i)
        for (long tt = 0; tt < T; ++tt) {
          const long v = dr.tokens[static_cast<std::size_t>(i * T + tt)];
          if (split.holds(v)) rv.row(v - v0) += dr.weights[tt] * Ht.row(i);
        }
      split_product(M, split, rv, Y);
      Y *= inv_n;
      reducer.sum(Y.data(), static_cast<std::size_t>(Y.size()));
    };
  }
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
  const auto solve_start = std::chrono::steady_clock::now();
  r.eigensolver_converged = block_krylov_top(
      block_op, d, c.eigenvectors, c.krylov_block, c.lanczos_tolerance,
      stream_seed(seed, rep, Stream::signal, 9), values, vectors, r.lanczos_operations, reducer);
  r.seconds_lanczos =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - solve_start).count();
  record_alignments(r, dr, vectors, values);
  r.eigenvalues.assign(r.top_eigenvalues.rbegin(), r.top_eigenvalues.rend());
  if (!r.eigensolver_converged) {
    r.sound = false;
    r.unsound_reason =
        "the block Krylov solver stopped at its basis limit before its residual test (the top "
        "eigenvalues are lower bounds only)";
  }
  check_finite(r);
  return r;
}

}  // namespace detail

/// Simulates replicate `replicate` of the configuration with base seed `seed`
/// and returns its eigenvalues (kappa units) and top-eigenvector overlaps.
/// The dense solver returns all d eigenvalues; the matrix-free one the top k.
/// Throws std::invalid_argument for bad parameters or when the run would not
/// fit in the available memory.
///
/// With a `reducer` of P > 1 parts (processes), every part calls this with the
/// same arguments: the matrix-free solver's stored matrix is split by column
/// blocks over the parts (mc/column_split.hpp), each part holds and applies
/// only its columns, and the block products are summed by reducer.sum; every
/// part returns the replicate, equal to the single-process one to double
/// rounding. The memory check is per part. The dense solver cannot be split.
inline Replicate simulate_replicate(const Config& c, std::uint64_t seed, int replicate,
                                    const Reducer& reducer = single_process()) {
  Sizes s = realised_sizes(c);
  require_nonnegative("rho", c.rho);
  if (c.threads < 1 || c.threads > 256)
    throw std::invalid_argument("threads must be in [1, 256] (got " + std::to_string(c.threads) +
                                ")");
  if (c.eigenvectors < 2 || c.eigenvectors > 20)
    throw std::invalid_argument("eigenvectors must be in [2, 20] (got " +
                                std::to_string(c.eigenvectors) + ")");
  if (reducer.parts() > 1 && resolved_solver(c) == Solver::dense)
    throw std::invalid_argument(
        "a replicate split over " + std::to_string(reducer.parts()) +
        " processes needs the matrix-free solver (solver lanczos), not the dense one");
  check_memory(c, 1, reducer.parts());
  const Prediction p = predict(c);
  check_dynamic_range(c, p);
  if (c.population && resolved_solver(c) != Solver::dense)
    throw std::invalid_argument(
        "population runs use the dense solver only (d = " + std::to_string(c.d) +
        " > dense_limit = " + std::to_string(c.dense_limit) +
        " or solver lanczos): use d <= dense_limit and the dense solver");
  std::vector<long> gap_indices;
  for (const auto& g : p.gaps) gap_indices.push_back(g.index);
  detail::set_blas_threads(c.threads);
  auto start = std::chrono::steady_clock::now();
  Replicate r =
      resolved_solver(c) == Solver::dense
          ? detail::simulate_dense(c, s, seed, static_cast<std::uint64_t>(replicate), gap_indices)
          : detail::simulate_matrix_free(c, s, seed, static_cast<std::uint64_t>(replicate),
                                         reducer);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace attnrmt::mc
