// attnrmt/mc/float_matrix.hpp -- the single-precision random matrix of the
// matrix-free solver and its block products through BLAS sgemm (the
// single-precision error budget is in mc/predict.hpp, max_dynamic_range).
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "attnrmt/mc/blas.hpp"

namespace attnrmt::mc::detail {

/// Column-major single-precision matrix; block products through BLAS sgemm
/// (the matrix-free path is memory-bound: one pass serves a whole block).
struct FloatMatrix {
  long rows = 0, cols = 0;
  std::vector<float> data;
  float* col(long j) { return data.data() + j * rows; }
  const float* col(long j) const { return data.data() + j * rows; }

  /// Out (cols x b) = M^T X (X: rows x b).
  void transpose_product(const Eigen::MatrixXd& X, Eigen::MatrixXd& out) const {
    Eigen::MatrixXf xf = X.cast<float>(), of(cols, X.cols());
    float_product(true, static_cast<int>(cols), static_cast<int>(X.cols()), static_cast<int>(rows),
                  data.data(), static_cast<int>(rows), xf.data(), static_cast<int>(rows), of.data(),
                  static_cast<int>(cols));
    out = of.cast<double>();
  }
  /// Out (rows x b) = M R (R: cols x b).
  void product(const Eigen::MatrixXd& R, Eigen::MatrixXd& out) const {
    Eigen::MatrixXf rf = R.cast<float>(), of(rows, R.cols());
    float_product(false, static_cast<int>(rows), static_cast<int>(R.cols()), static_cast<int>(cols),
                  data.data(), static_cast<int>(rows), rf.data(), static_cast<int>(cols), of.data(),
                  static_cast<int>(rows));
    out = of.cast<double>();
  }
};

}  // namespace attnrmt::mc::detail
