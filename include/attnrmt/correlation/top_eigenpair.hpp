// attnrmt/correlation/top_eigenpair.hpp -- lambda_max(R) and its unit eigenvector
// at working precision (docs/theory.md §4: the optimal pooling weights are this
// eigenvector; docs/weights.md). Eigen's double eigenpair is refined by
// Rayleigh-quotient iteration in Real (x <- (R - mu I)^{-1} x, mu <- x^T R x;
// cubic convergence for symmetric R: Parlett, "The Symmetric Eigenvalue
// Problem", §4.7), each step one Gaussian elimination with partial pivoting.
// Every tolerance derives from the epsilon of the type in which the quantity it
// judges was computed (the comment at each use says why).
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "attnrmt/detail/polynomial.hpp"

namespace attnrmt {

namespace detail {

/// Solves A x = b in place (Gaussian elimination, partial pivoting). Returns
/// false when a pivot is exactly zero (A singular at working precision).
template <class Real>
bool solve_linear(std::vector<Real> a, std::vector<Real>& b, int n) {
  using std::abs;
  for (int k = 0; k < n; ++k) {
    int piv = k;
    for (int i = k + 1; i < n; ++i)
      if (abs(a[i * n + k]) > abs(a[piv * n + k])) piv = i;
    if (a[piv * n + k] == 0) return false;
    if (piv != k) {
      for (int j = 0; j < n; ++j) std::swap(a[k * n + j], a[piv * n + j]);
      std::swap(b[k], b[piv]);
    }
    for (int i = k + 1; i < n; ++i) {
      Real f = a[i * n + k] / a[k * n + k];
      if (f == 0) continue;
      for (int j = k; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (int i = n - 1; i >= 0; --i) {
    Real s = b[i];
    for (int j = i + 1; j < n; ++j) s -= a[i * n + j] * b[j];
    b[i] = s / a[i * n + i];
  }
  return true;
}

}  // namespace detail

/// Largest eigenvalue of R and a unit eigenvector.
template <class Real>
struct TopEigenpair {
  Real eigenvalue;
  std::vector<Real> vector;  ///< unit norm; sum > 0 (or, sum ~ 0: largest entry > 0)
  Real residual;             ///< ||R v - lambda v|| after refinement
  int iterations = 0;        ///< Rayleigh-quotient steps in Real
};

/// lambda_max and a unit eigenvector of the symmetric n x n matrix R, given in
/// double (`approx`, for the start vector) and at working precision (`r`,
/// row-major). When the top eigenvalue is (numerically) repeated, the start
/// vector is the projection of the all-ones vector onto the top eigenspace
/// (identity -> mean pooling); then the answer is that projection.
template <class Real>
TopEigenpair<Real> refined_top_eigenpair(const Eigen::MatrixXd& approx,
                                         const std::vector<Real>& r) {
  using std::abs;
  using std::sqrt;
  const int n = static_cast<int>(approx.rows());
  const double eps_double = std::numeric_limits<double>::epsilon();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(approx);
  const Eigen::VectorXd& ev = es.eigenvalues();
  const double top = ev(n - 1);
  // Repeated top eigenvalue: the double eigensolver is backward stable, each
  // computed eigenvalue lies within about n eps_double ||R|| of an exact one
  // (Golub and Van Loan, Matrix Computations, §8.4), ||R|| = max(1, |top|) for
  // a PSD correlation matrix. Computed eigenvalues within 64 times that bound
  // of the top one cannot be told apart from it: they count as repeated.
  const double repeated = 64 * n * eps_double * std::max(1.0, std::abs(top));
  Eigen::VectorXd start = Eigen::VectorXd::Zero(n);
  int multiplicity = 0;
  for (int k = n - 1; k >= 0 && top - ev(k) <= repeated; --k) {
    Eigen::VectorXd v = es.eigenvectors().col(k);
    start += v * v.sum();
    ++multiplicity;
  }
  // The projection of the ones vector vanishes when that vector is orthogonal
  // to the top eigenspace; computed, it is then rounding noise of the double
  // eigenvectors, whose error grows like eps_double / (gap to the rest of the
  // spectrum). A norm below sqrt(eps_double) = 1.5e-8 (half the double digits)
  // is treated as that noise.
  if (multiplicity > 1 && start.norm() < std::sqrt(eps_double))
    start = es.eigenvectors().col(n - 1);
  if (multiplicity == 1) start = es.eigenvectors().col(n - 1);
  if (start.sum() < 0) start = -start;

  auto apply = [&](const std::vector<Real>& x) {
    std::vector<Real> y(n, Real(0));
    for (int s = 0; s < n; ++s) {
      Real acc = 0;
      for (int t = 0; t < n; ++t) acc += r[s * n + t] * x[t];
      y[s] = acc;
    }
    return y;
  };
  auto dot = [&](const std::vector<Real>& a, const std::vector<Real>& b) {
    Real acc = 0;
    for (int i = 0; i < n; ++i) acc += a[i] * b[i];
    return acc;
  };
  auto normalise = [&](std::vector<Real>& x) {
    Real nrm = sqrt(dot(x, x));
    for (auto& xi : x) xi /= nrm;
  };
  std::vector<Real> x(n);
  for (int i = 0; i < n; ++i) x[i] = Real(start(i));
  normalise(x);
  TopEigenpair<Real> out;
  // The residual ||R x - mu x|| of a converged pair is rounding noise of the
  // products R x in Real: about n eps_Real max|R_st|; 16 times that ends the
  // iteration. (type_epsilon is std::numeric_limits<Real>::epsilon() for the
  // built-in types and the current precision's epsilon for MPFR reals.)
  const Real eps = detail::type_epsilon<Real>();
  Real scale = 0;
  for (const auto& e : r) scale = std::max<Real>(scale, abs(e));
  scale *= n;
  Real mu = dot(x, apply(x));
  auto residual_of = [&](const std::vector<Real>& v, const Real& m) {
    std::vector<Real> y = apply(v);
    Real acc = 0;
    for (int i = 0; i < n; ++i) acc += (y[i] - m * v[i]) * (y[i] - m * v[i]);
    return sqrt(acc);
  };
  Real res = residual_of(x, mu);
  // At most 60 steps: convergence is cubic from a double start (3 steps reach
  // thousands of digits); the cap only bounds a pathological case.
  for (int it = 0; it < 60 && res > 16 * eps * scale; ++it) {
    std::vector<Real> a = r;
    for (int i = 0; i < n; ++i) a[i * n + i] -= mu;
    std::vector<Real> y = x;
    if (!detail::solve_linear<Real>(a, y, n)) break;  // mu is an exact eigenvalue
    normalise(y);
    if (dot(y, x) < 0)
      for (auto& yi : y) yi = -yi;
    Real mu_new = dot(y, apply(y));
    Real res_new = residual_of(y, mu_new);
    ++out.iterations;
    if (!(res_new < res)) break;  // attained accuracy
    x = std::move(y);
    mu = mu_new;
    res = res_new;
  }
  // Sign: positive sum; when the sum vanishes (e.g. an alternating vector),
  // the largest entry in absolute value (first of ties) positive. Both tests
  // must decide alike at every working precision (a table at 50 digits and
  // one in double print the same vector), so their threshold is set by the
  // coarsest precision in use, double (or Real, if coarser): sqrt(eps) = 1.5e-8,
  // far above the rounding of the entries and their sum (~n eps) and far below
  // a sum or an entry gap that is nonzero by construction.
  const Real tie = std::max<Real>(Real(std::sqrt(eps_double)), Real(sqrt(eps)));
  Real sum = 0, largest = 0;
  int lead = 0;
  for (int i = 0; i < n; ++i) {
    sum += x[i];
    if (abs(x[i]) > largest * (1 + tie)) {
      largest = abs(x[i]);
      lead = i;
    }
  }
  const bool flip = abs(sum) > tie ? sum < 0 : x[lead] < 0;
  if (flip)
    for (auto& xi : x) xi = -xi;
  out.eigenvalue = mu;
  out.vector = std::move(x);
  out.residual = res;
  return out;
}

}  // namespace attnrmt
