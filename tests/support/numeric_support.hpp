// tests/support/numeric_support.hpp -- helpers shared by the numerical tests:
// the type's machine epsilon and Gaussian test matrices.
#pragma once

#include <Eigen/Dense>
#include <random>

#include "attnrmt/detail/polynomial.hpp"

namespace attnrmt_test {

/// The machine epsilon of Real (attnrmt::detail::type_epsilon), the unit of
/// every tolerance in the tests.
template <class Real>
Real eps() {
  return attnrmt::detail::type_epsilon<Real>();
}

/// Fills M with independent N(0, 1) draws, column by column (the order in
/// which the tests' fixed seeds were drawn).
inline void fill_gaussian(Eigen::MatrixXd& M, std::mt19937_64& rng,
                          std::normal_distribution<double>& normal) {
  for (Eigen::Index j = 0; j < M.cols(); ++j)
    for (Eigen::Index i = 0; i < M.rows(); ++i) M(i, j) = normal(rng);
}

}  // namespace attnrmt_test
