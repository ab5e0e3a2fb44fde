// tests/consumer/use_mc.cpp -- uses the installed attnrmt::mc target: the
// Monte Carlo headers must compile from the install prefix with Eigen and
// Spectra found through the target, and its LAPACK route (OpenBLAS) must link
// and give the eigenvalues of [[2, 1], [1, 2]], which are 1 and 3.
#include <attnrmt/monte_carlo.hpp>
#include <cmath>
#include <iostream>
#include <limits>

int main() {
  double a[4] = {2, 1, 1, 2};  // column-major; the lower triangle is read
  const auto w = attnrmt::mc::detail::symmetric_eigenvalues(2, a);
  const double tol = 8 * std::numeric_limits<double>::epsilon();
  const bool ok = w.size() == 2 && std::abs(w[0] - 1) <= tol && std::abs(w[1] - 3) <= 3 * tol;
  std::cout << "eigenvalues of [[2,1],[1,2]]: " << (w.size() > 0 ? w[0] : 0) << ", "
            << (w.size() > 1 ? w[1] : 0) << (ok ? "" : "  MISMATCH (expected 1, 3)") << "\n";
  return ok ? 0 : 1;
}
