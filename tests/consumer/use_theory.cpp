// tests/consumer/use_theory.cpp -- uses the installed attnrmt::theory target
// (headers, Boost.Multiprecision with MPFR) and checks what it computes
// against closed forms evaluated here, independently of the library:
//   tau1 = (delta + sqrt(delta)) / (rho + delta);
//   s*   = largest root of s^3 - b s - c, b = delta + gamma + gamma delta,
//          c = 2 gamma delta, by the trigonometric (Viete) formula
//          s* = 2 sqrt(b/3) cos(acos((3c / (2b)) sqrt(3/b)) / 3),
//   tau2 = (delta + s*) / (rho + delta);
// and exact rational moments (GMP) against their polynomial closed forms.
// Exit 0 when everything agrees to a few ulps of the type, 1 otherwise.
// It includes every header of attnrmt::theory: none may need Eigen or BLAS
// (those come with attnrmt::mc), so a stray include fails to compile here.
#include <attnrmt/bulk_law.hpp>
#include <attnrmt/complex.hpp>
#include <attnrmt/contour.hpp>
#include <attnrmt/marchenko_pastur.hpp>
#include <attnrmt/moments.hpp>
#include <attnrmt/precision.hpp>
#include <attnrmt/rational.hpp>
#include <attnrmt/spectral_integrals.hpp>
#include <attnrmt/spike.hpp>
#include <attnrmt/version.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>

namespace {

template <class Real>
bool check_thresholds(const char* type_name) {
  using std::abs;
  using std::acos;
  using std::cos;
  using std::sqrt;
  const Real delta = Real(1) / 2, gamma = Real(1) / 3, rho = Real(3) / 4;
  const auto t = attnrmt::thresholds(delta, gamma, rho);
  const Real tau1 = (delta + sqrt(delta)) / (rho + delta);
  const Real b = delta + gamma + gamma * delta, c = 2 * gamma * delta;
  const Real s_star = 2 * sqrt(b / 3) * cos(acos((3 * c / (2 * b)) * sqrt(3 / b)) / 3);
  const Real tau2 = (delta + s_star) / (rho + delta);
  // acos loses about half the digits near argument 1; here the argument is
  // 0.73, so a few hundred ulps bound both routes.
  const Real tol = 256 * std::numeric_limits<Real>::epsilon();
  const bool ok = abs(t.tau1 - tau1) <= tol * tau1 && abs(t.tau2 - tau2) <= tol * tau2;
  std::cout << type_name << ": tau1 " << t.tau1 << " (closed form " << tau1 << "), tau2 " << t.tau2
            << " (closed form " << tau2 << ")" << (ok ? "" : "  MISMATCH") << "\n";
  return ok;
}

// Exact rationals (GMP through the installed target's link line): the first
// moments of MP_delta ⊠ MP_gamma are m1 = 1, m2 = 1 + delta + gamma and
// m3 = 1 + 3(delta + gamma) + delta^2 + gamma^2 + 3 delta gamma (docs/theory.md §2).
bool check_exact_moments() {
  using attnrmt::Rational;
  const Rational delta = attnrmt::parse_rational("0.5", "delta");
  const Rational gamma = attnrmt::parse_rational("3/4", "gamma");
  const auto m = attnrmt::exact_moments(3, delta, gamma);
  const Rational m3 = 1 + 3 * (delta + gamma) + delta * delta + gamma * gamma + 3 * delta * gamma;
  const bool ok = m.size() == 3 && m[0] == 1 && m[1] == 1 + delta + gamma && m[2] == m3;
  std::cout << "exact moments at delta = 1/2, gamma = 3/4: "
            << (m.size() == 3 ? attnrmt::rational_to_string(m[2]) : std::string("-"))
            << " (closed form " << attnrmt::rational_to_string(m3) << ")"
            << (ok ? "" : "  MISMATCH") << "\n";
  return ok;
}

}  // namespace

int main() {
  bool ok = true;
  if (std::strcmp(attnrmt::version_string, EXPECTED_VERSION) != 0) {
    std::cout << "attnrmt/version.hpp says " << attnrmt::version_string << ", expected "
              << EXPECTED_VERSION << "\n";
    ok = false;
  }
  std::cout.precision(std::numeric_limits<double>::max_digits10);
  ok = check_thresholds<double>("double") && ok;
  std::cout.precision(52);
  ok = check_thresholds<boost::multiprecision::mpfr_float_50>("mpfr_float_50") && ok;
  ok = check_exact_moments() && ok;
  return ok ? 0 : 1;
}
