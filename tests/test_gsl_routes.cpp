// Independent routes by GSL (issue 12: "use GSL where it is the right tool ... an
// independent quadrature route in tests"). Neither route shares code with the
// project: GSL's adaptive Gauss-Kronrod quadrature with Wynn extrapolation
// (gsl_integration_qags) integrates the bulk density, and GSL's companion-
// matrix QR solver (gsl_poly_complex_solve) finds the roots that
// detail::cubic_roots finds by Aberth-Ehrlich iteration. Double precision only:
// the multiprecision quadrature routes are Boost's tanh-sinh (test_bulk_law.cpp).
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_poly.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/moments.hpp"

using namespace attnrmt;

namespace {

/// ∫_a^b f by gsl_integration_qags at relative tolerance `rel`; the GSL
/// error handler is switched off so that a failure is a status, not abort().
template <class F>
double qags(F f, double a, double b, double rel, double* error) {
  gsl_error_handler_t* old = gsl_set_error_handler_off();
  gsl_integration_workspace* w = gsl_integration_workspace_alloc(1000);
  gsl_function g;
  g.function = [](double x, void* p) { return (*static_cast<F*>(p))(x); };
  g.params = &f;
  double result = 0;
  const int status = gsl_integration_qags(&g, a, b, 0, rel, 1000, w, &result, error);
  gsl_integration_workspace_free(w);
  gsl_set_error_handler(old);
  REQUIRE(status == GSL_SUCCESS);
  return result;
}

}  // namespace

TEST_CASE("GSL qags: the density's moments are the closed-form moments, atom included",
          "[gsl][bulk]") {
  // m_k = atom [k = 0] + ∫_L^R t^k f(t) dt; moment_value is Lagrange inversion
  // (moments.hpp), the quadrature sees only the density. Requested relative
  // accuracy 1e-10: the route checks ten digits of every moment.
  const double params[][2] = {{0.5, 0.5}, {0.3, 0.7}, {2, 0.5}, {0.25, 3}};
  for (const auto& p : params) {
    const BulkLaw<double> law(p[0], p[1]);
    const double L = law.left_edge(), R = law.right_edge();
    for (int k = 0; k <= 4; ++k) {
      double error = 0;
      const double integral =
          qags([&](double t) { return std::pow(t, k) * law.density(t); }, L, R, 1e-10, &error);
      const double quad = (k == 0 ? law.atom() : 0.0) + integral;
      const double exact = moment_value<double>(k, p[0], p[1]);
      INFO("delta = " << p[0] << ", gamma = " << p[1] << ", k = " << k << ": qags " << quad
                      << " (error estimate " << error << "), closed form " << exact);
      CHECK(std::abs(quad - exact) <= 1e-10 * exact);
    }
  }
}

TEST_CASE("GSL qags: the closed-form CDF is the integral of the density", "[gsl][bulk]") {
  const double params[][2] = {{0.5, 0.5}, {2, 0.5}, {0.1, 0.2}};
  for (const auto& p : params) {
    const BulkLaw<double> law(p[0], p[1]);
    const double L = law.left_edge(), R = law.right_edge();
    for (double frac : {0.1, 0.37, 0.5, 0.9}) {
      const double x = L + frac * (R - L);
      double error = 0;
      const double quad =
          law.atom() + qags([&](double t) { return law.density(t); }, L, x, 1e-10, &error);
      INFO("delta = " << p[0] << ", gamma = " << p[1] << ", x = " << x << ": qags " << quad
                      << ", cdf " << law.cdf(x));
      CHECK(std::abs(quad - law.cdf(x)) <= 1e-10);
    }
  }
}

TEST_CASE("GSL companion-matrix roots equal cubic_roots on well-conditioned real cubics",
          "[gsl][core]") {
  // Coefficients a3 p^3 + a2 p^2 + a1 p + a0 (three real roots, a complex pair,
  // mixed scales); simple roots, so both solvers are accurate to a few ulps of
  // the coefficient scale S(z) = sum |a_j| |z|^j over |P'(z)|.
  const double eps = std::numeric_limits<double>::epsilon();
  const std::array<double, 4> cases[] = {
      {2, -3, -11, 6}, {1, 0, 1, 1},        {1, -6, 11, -6},     {0.5, 1e3, 2, -7},
      {3, 1, 4, 1},    {1, 1e-3, -4, 2e-3}, {-2, 0.25, 9, 11.5}, {1, -1e2, 1, -1e2}};
  for (const auto& a : cases) {
    const double monic[4] = {a[3], a[2], a[1], a[0]};  // GSL: lowest degree first
    double z[6];
    gsl_poly_complex_workspace* w = gsl_poly_complex_workspace_alloc(4);
    REQUIRE(gsl_poly_complex_solve(monic, 4, w, z) == GSL_SUCCESS);
    gsl_poly_complex_workspace_free(w);
    const auto found = detail::cubic_roots<double>(Complex<double>(a[0]), Complex<double>(a[1]),
                                                   Complex<double>(a[2]), Complex<double>(a[3]));
    for (int i = 0; i < 3; ++i) {
      const std::complex<double> r(z[2 * i], z[2 * i + 1]);
      // Condition of the root r: S(r) / |P'(r)|.
      const double m = std::abs(r);
      const double S =
          std::abs(a[3]) + std::abs(a[2]) * m + std::abs(a[1]) * m * m + std::abs(a[0]) * m * m * m;
      const double dP = std::abs((3.0 * a[0] * r + 2.0 * a[1]) * r + a[2]);
      double nearest = std::numeric_limits<double>::infinity();
      for (const auto& f : found)
        nearest = std::min(nearest, std::abs(std::complex<double>(f.re, f.im) - r));
      INFO("cubic " << a[0] << " p^3 + " << a[1] << " p^2 + " << a[2] << " p + " << a[3]
                    << ": GSL root " << r << ", nearest cubic_roots root at distance " << nearest);
      CHECK(nearest <= 64 * eps * S / dP);
    }
  }
}
