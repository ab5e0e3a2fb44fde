// attnrmt/mc/statistics.hpp -- the mean of S Monte Carlo replicates and its
// standard error, sd / sqrt(S) with the sample standard deviation
// sd^2 = sum (x_i - mean)^2 / (S - 1) (0 for S = 1: no standard error).
// The one place the validator (mc/compare.hpp) computes them.
#pragma once

#include <cmath>
#include <stdexcept>
#include <vector>

namespace attnrmt::mc {

struct MeanAndError {
  double mean = 0;
  double standard_error = 0;  ///< sample sd / sqrt(S); 0 for S = 1
};

/// Mean and standard error of `values` (S >= 1 of them; throws
/// std::invalid_argument when empty). Two passes: the mean, then the squared
/// deviations from it (no cancellation of a one-pass sum of squares).
inline MeanAndError mean_and_standard_error(const std::vector<double>& values) {
  if (values.empty())
    throw std::invalid_argument("mean_and_standard_error: no values (need S >= 1)");
  const double S = static_cast<double>(values.size());
  double sum = 0;
  for (double x : values) sum += x;
  MeanAndError out;
  out.mean = sum / S;
  double ss = 0;
  for (double x : values) ss += (x - out.mean) * (x - out.mean);
  out.standard_error = values.size() > 1 ? std::sqrt(ss / (S - 1) / S) : 0.0;
  return out;
}

}  // namespace attnrmt::mc
