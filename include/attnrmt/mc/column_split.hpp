// attnrmt/mc/column_split.hpp -- the matrix-free solver's stored matrix (the
// tokens model's d x V table, the Gaussian model's d x N noise matrix) cut
// into fixed blocks of columns, a contiguous run of blocks per part (process),
// and its block products block by block (docs/monte_carlo.md "One replicate
// over ranks").
//
// The block width depends on the number of columns only, never on the number
// of parts. Each block's single-precision product (BLAS sgemm) is therefore
// the same call, on the same operands, whatever the split; the products of the
// blocks are summed in double precision, so a split changes only the order of
// double additions (relative rounding ~1e-16 per sum), not the single-precision
// rounding (~6e-8), and a distributed replicate agrees with the single-process
// one to double rounding.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <stdexcept>
#include <string>

#include "attnrmt/mc/blas.hpp"
#include "attnrmt/mc/float_matrix.hpp"

namespace attnrmt::mc {

/// Width of the column blocks of a matrix with `cols` columns: ceil(cols/64)
/// clamped to [32, 1024] (and to cols): about 64 blocks, so that up to 64
/// parts get equal shares, and at most 1024 columns, so that the d x b double
/// sum per block costs little next to the block's pass (d x 1024 floats).
inline long column_block_width(long cols) {
  const long w = std::clamp((cols + 63) / 64, 32L, 1024L);
  return std::max(1L, std::min(w, cols));
}

/// The columns [begin, end) held by one part: whole blocks
/// [B p / P, B (p + 1) / P) of the B = ceil(cols / width) blocks.
struct ColumnSplit {
  long cols = 0, width = 1, begin = 0, end = 0;
  long blocks() const { return (cols + width - 1) / width; }
  long local() const { return end - begin; }
  bool holds(long j) const { return j >= begin && j < end; }
};

/// The share of part `part` of `parts` of a matrix with `cols` columns.
/// Throws std::invalid_argument when there are fewer blocks than parts.
inline ColumnSplit split_columns(long cols, int parts, int part) {
  if (cols < 1) throw std::invalid_argument("split_columns: cols must be >= 1");
  if (parts < 1 || part < 0 || part >= parts)
    throw std::invalid_argument("split_columns: part " + std::to_string(part) + " of " +
                                std::to_string(parts) + " is not in [0, parts)");
  ColumnSplit s;
  s.cols = cols;
  s.width = column_block_width(cols);
  const long B = s.blocks();
  if (parts > B)
    throw std::invalid_argument(
        "one replicate over " + std::to_string(parts) + " processes: its " + std::to_string(cols) +
        " stored columns make only " + std::to_string(B) + " blocks of " + std::to_string(s.width) +
        "; use at most " + std::to_string(B) + " processes (or a larger d)");
  s.begin = std::min(cols, B * part / parts * s.width);
  s.end = std::min(cols, B * (part + 1) / parts * s.width);
  return s;
}

namespace detail {

/// Out (local x b) = M^T X, where M (rows x local, single precision) holds the
/// columns [split.begin, split.end): one sgemm per block.
inline void split_transpose_product(const FloatMatrix& M, const ColumnSplit& split,
                                    const Eigen::MatrixXd& X, Eigen::MatrixXd& out) {
  const Eigen::MatrixXf xf = X.cast<float>();
  Eigen::MatrixXf of(M.cols, X.cols());
  const int rows = static_cast<int>(M.rows), b = static_cast<int>(X.cols());
  for (long j = 0; j < M.cols; j += split.width) {
    const int w = static_cast<int>(std::min(split.width, M.cols - j));
    float_product(true, w, b, rows, M.col(j), rows, xf.data(), rows, of.data() + j,
                  static_cast<int>(M.cols));
  }
  out = of.cast<double>();
}

/// Out (rows x b) = M R (R: local x b, the rows of the held columns): one sgemm
/// per block, the blocks summed in double precision in block order. This
/// part's share only; the sum over parts is the caller's (Reducer::sum).
inline void split_product(const FloatMatrix& M, const ColumnSplit& split, const Eigen::MatrixXd& R,
                          Eigen::MatrixXd& out) {
  const Eigen::MatrixXf rf = R.cast<float>();
  const int rows = static_cast<int>(M.rows), b = static_cast<int>(R.cols());
  Eigen::MatrixXf of(M.rows, R.cols());
  out.setZero(M.rows, R.cols());
  for (long j = 0; j < M.cols; j += split.width) {
    const int w = static_cast<int>(std::min(split.width, M.cols - j));
    float_product(false, rows, b, w, M.col(j), rows, rf.data() + j, static_cast<int>(M.cols),
                  of.data(), rows);
    out += of.cast<double>();
  }
}

}  // namespace detail
}  // namespace attnrmt::mc
