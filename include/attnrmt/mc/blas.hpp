// attnrmt/mc/blas.hpp -- the BLAS/LAPACK routines of the Monte Carlo validator (internal:
// namespace mc::detail): symmetric rank-k update, single-precision block
// products, all eigenvalues of a dense or tridiagonal symmetric matrix.
//
// The dense path uses LAPACK/BLAS (Debian liblapacke-dev + libopenblas-dev):
// measured on this 2-core machine (bench/bench_dense.cpp, docs/monte_carlo.md),
// OpenBLAS dsyrk + dsyevd is 4-5x faster than Eigen's rankUpdate +
// SelfAdjointEigenSolver at d = 4000 (2.6 s + 9.2 s against 12.6 s + 34 s),
// because Eigen's tridiagonalisation is unblocked and single-threaded.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
// BLAS / LAPACK (Fortran interface, column-major), provided by OpenBLAS.
void dsyrk_(const char* uplo, const char* trans, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* beta, double* c, const int* ldc);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
             double* work, const int* lwork, int* iwork, const int* liwork, int* info);
void dsymv_(const char* uplo, const int* n, const double* alpha, const double* a, const int* lda,
            const double* x, const int* incx, const double* beta, double* y, const int* incy);
void dsterf_(const int* n, double* d, double* e, int* info);
void sgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const float* alpha, const float* a, const int* lda, const float* b, const int* ldb,
            const float* beta, float* c, const int* ldc);
void openblas_set_num_threads(int num_threads);
}

namespace attnrmt::mc::detail {

inline void set_blas_threads(int threads) {
  openblas_set_num_threads(threads);
}

/// C (lower triangle) = alpha H H^T, H is n x k column-major.
inline void symmetric_rank_k(int n, int k, double alpha, const double* h, double* c) {
  const char uplo = 'L', trans = 'N';
  const double beta = 0;
  dsyrk_(&uplo, &trans, &n, &k, &alpha, h, &n, &beta, c, &n);
}

/// C (m x n) = op(A) B, op(A) = A^T (A: k x m) when transpose, else A (m x k);
/// single precision (BLAS sgemm), column-major.
inline void float_product(bool transpose, int m, int n, int k, const float* a, int lda,
                          const float* b, int ldb, float* c, int ldc) {
  const char ta = transpose ? 'T' : 'N', tb = 'N';
  const float one = 1, zero = 0;
  sgemm_(&ta, &tb, &m, &n, &k, &one, a, &lda, b, &ldb, &zero, c, &ldc);
}

/// y = A x with A symmetric, lower triangle stored.
inline void symmetric_product(int n, const double* a, const double* x, double* y) {
  const char uplo = 'L';
  const double one = 1, zero = 0;
  const int inc = 1;
  dsymv_(&uplo, &n, &one, a, &n, x, &inc, &zero, y, &inc);
}

/// All eigenvalues (ascending) of the symmetric matrix whose lower triangle is
/// in `a` (destroyed). Throws std::runtime_error if LAPACK reports failure.
inline std::vector<double> symmetric_eigenvalues(int n, double* a) {
  const char jobz = 'N', uplo = 'L';
  std::vector<double> w(static_cast<std::size_t>(n));
  int info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0;
  dsyevd_(&jobz, &uplo, &n, a, &n, w.data(), &work_query, &lwork, &iwork_query, &liwork, &info);
  lwork = static_cast<int>(work_query) + 1;
  liwork = iwork_query + 1;
  std::vector<double> work(static_cast<std::size_t>(lwork));
  std::vector<int> iwork(static_cast<std::size_t>(liwork));
  dsyevd_(&jobz, &uplo, &n, a, &n, w.data(), work.data(), &lwork, iwork.data(), &liwork, &info);
  if (info != 0)
    throw std::runtime_error("LAPACK dsyevd failed with info = " + std::to_string(info));
  return w;
}

/// Eigenvalues (ascending) of the symmetric tridiagonal matrix with diagonal
/// `diag` and off-diagonal `off` (size n - 1); both are destroyed.
inline std::vector<double> tridiagonal_eigenvalues(std::vector<double> diag,
                                                   std::vector<double> off) {
  int n = static_cast<int>(diag.size()), info = 0;
  if (off.empty()) off.push_back(0);
  dsterf_(&n, diag.data(), off.data(), &info);
  if (info != 0)
    throw std::runtime_error("LAPACK dsterf failed with info = " + std::to_string(info));
  return diag;
}

}  // namespace attnrmt::mc::detail
