// Tests of the bulk law MP_delta ⊠ MP_gamma (include/attnrmt/bulk_law.hpp)
// against closed forms, special cases, quadrature and a defining-equation residual.
#include <Eigen/Dense>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <catch2/catch.hpp>
#include <random>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/rational.hpp"
#include "support/numeric_support.hpp"

using attnrmt::BulkLaw;
using attnrmt::Complex;
using attnrmt::MpReal;
using attnrmt::Rational;
using attnrmt::ScopedPrecision;

using attnrmt_test::eps;

namespace {

// ∫_a^b f by tanh-sinh, as ∫_0^{b-a} f(a + t) dt. Boost 1.74's
// tanh_sinh::integrate (tanh_sinh.hpp, the lambda `u`) lacks an `else` after
// its z < -0.5 branch: for a finite left end |a| >= 1/2 the abscissa is
// recomputed as avg + diff z, which rounds to a itself near z = -1, and the
// Debug build aborts on BOOST_ASSERT(position != a) (e.g. the left edge 0.57
// of delta = 0.05, gamma = 4). With the left end at 0 the "small left end"
// branch is taken, which returns before the faulty code.
template <class F>
double integrate_from(boost::math::quadrature::tanh_sinh<double>& ts, F f, double a, double b,
                      double tol) {
  return ts.integrate([&](double t) { return f(a + t); }, 0.0, b - a, tol);
}

// Relative difference, safe at 0.
template <class Real>
Real rel(const Real& a, const Real& b) {
  using std::abs;
  Real scale = abs(b) > 1 ? abs(b) : Real(1);
  return abs(a - b) / scale;
}

template <class Real>
void check_fuss_catalan() {
  BulkLaw<Real> law(Real(1), Real(1));
  CHECK(rel(law.right_edge(), Real(27) / 4) < 16 * eps<Real>());
  CHECK(law.left_edge() == 0);
  CHECK(law.atom() == 0);
  const int fc[] = {1, 3, 12, 55, 273};
  for (int k = 1; k <= 5; ++k) CHECK(rel(law.moment(k), Real(fc[k - 1])) < 16 * eps<Real>());
}

template <class Real>
void check_half_half_edges() {
  using std::sqrt;
  BulkLaw<Real> law(Real(1) / 2, Real(1) / 2);
  Real s17 = sqrt(Real(17));
  CHECK(rel(law.left_edge(), (71 - 17 * s17) / 32) < 64 * eps<Real>());
  CHECK(rel(law.right_edge(), (71 + 17 * s17) / 32) < 16 * eps<Real>());
}

// Residual of docs/theory.md's cubic and Herglotz property on a grid of complex z.
template <class Real>
void check_cubic_and_herglotz(const Real& delta, const Real& gamma) {
  BulkLaw<Real> law(delta, gamma);
  const Real right = law.right_edge();
  for (int i = -3; i <= 12; ++i) {
    for (int j : {-6, -3, -1, 0, 1, 3}) {
      Real x = right * Real(i) / 8;
      Real y = j == 0 ? Real(1) / 1000 : Real(j) / 2;
      if (j < 0) y = -Real(1) / (1 << (-j));
      Complex<Real> z(x, y);
      Complex<Real> g = law.cauchy(z);
      INFO("delta=" << double(delta) << " gamma=" << double(gamma) << " z=" << double(x) << "+"
                    << double(y) << "i");
      CHECK(law.cubic_residual(z, g) < 1000 * eps<Real>());
      // Herglotz: sign(Im g) = -sign(Im z).
      if (y > 0) CHECK(g.im < 0);
      if (y < 0) CHECK(g.im > 0);
      // |g(z)| <= 1/|Im z| for a probability measure.
      using std::abs;
      CHECK(attnrmt::abs(g) <= (1 + 1000 * eps<Real>()) / abs(y));
    }
  }
  // g ~ 1/z + m1/z^2 at infinity.
  Complex<Real> zbig(Real(1000) * right, Real(700) * right);
  Complex<Real> g = law.cauchy(zbig);
  Complex<Real> approx = Complex<Real>(1) / zbig + Complex<Real>(1) / (zbig * zbig);
  CHECK(attnrmt::abs(g - approx) <
        Real(10) * law.moment(2) / (attnrmt::abs(zbig) * attnrmt::abs(zbig) * attnrmt::abs(zbig)));
}

}  // namespace

TEST_CASE("delta = gamma = 1 is the Fuss-Catalan law at several precisions", "[bulk]") {
  check_fuss_catalan<double>();
  {
    ScopedPrecision p(50);
    check_fuss_catalan<MpReal>();
  }
  {
    ScopedPrecision p(100);
    check_fuss_catalan<MpReal>();
  }
  // Exact moments in rational arithmetic.
  const int fc[] = {1, 3, 12, 55, 273, 1428};
  for (int k = 1; k <= 6; ++k)
    CHECK(attnrmt::moment_value<Rational>(k, Rational(1), Rational(1)) == Rational(fc[k - 1]));
  // m_2 = 1 + delta + gamma exactly.
  Rational d(3, 7), g(5, 2);
  CHECK(attnrmt::moment_value<Rational>(2, d, g) == 1 + d + g);
}

TEST_CASE("delta = gamma = 1/2 edges are (71 -+ 17 sqrt 17)/32", "[bulk]") {
  check_half_half_edges<double>();
  ScopedPrecision p(50);
  check_half_half_edges<MpReal>();
  ScopedPrecision q(100);
  check_half_half_edges<MpReal>();
}

TEST_CASE("delta -> 0 reduces to Marchenko-Pastur MP_gamma", "[bulk]") {
  ScopedPrecision p(50);
  const MpReal delta = MpReal(1) / MpReal("1e20");
  for (MpReal gamma : {MpReal(1) / 4, MpReal(1) / 2, MpReal(3) / 2}) {
    BulkLaw<MpReal> law(delta, gamma);
    MpReal a = pow(1 - sqrt(gamma), 2), b = pow(1 + sqrt(gamma), 2);
    CHECK(abs(law.right_edge() - b) < MpReal("1e-8"));
    if (gamma < 1) CHECK(abs(law.left_edge() - a) < MpReal("1e-8"));
    for (int i = 1; i < 8; ++i) {
      MpReal x = a + (b - a) * i / 8;
      MpReal mp_density =
          sqrt((b - x) * (x - a)) / (2 * boost::math::constants::pi<MpReal>() * gamma * x);
      CHECK(abs(law.density(x) - mp_density) < MpReal("1e-8"));
    }
  }
}

TEST_CASE("atom and hard edges", "[bulk]") {
  // atom = max(0, 1 - 1/delta, 1 - 1/gamma); hard left edge iff the two largest of {1, delta,
  // gamma} tie.
  struct Case {
    double delta, gamma, atom;
    bool hard;
  } cases[] = {{0.5, 0.5, 0, false}, {2, 0.5, 0.5, false},  {0.5, 4, 0.75, false},
               {3, 4, 0.75, false},  {1, 0.5, 0, true},     {2, 2, 0.5, true},
               {1, 1, 0, true},      {4, 0.25, 0.75, false}};
  for (const auto& c : cases) {
    BulkLaw<double> law(c.delta, c.gamma);
    INFO("delta=" << c.delta << " gamma=" << c.gamma);
    CHECK(law.atom() == Approx(c.atom).margin(1e-15));
    CHECK((law.left_edge() == 0) == c.hard);
    CHECK(law.cdf(0) == Approx(c.atom).margin(1e-15));
    CHECK(law.cdf(law.right_edge()) == 1);
  }
}

TEST_CASE("Cauchy transform: cubic residual and Herglotz property", "[bulk]") {
  const double params[][2] = {{0.5, 0.5}, {1, 1},      {2, 0.5}, {0.3, 3},
                              {4, 4},     {0.05, 0.1}, {1, 0.5}};
  for (const auto& p : params) check_cubic_and_herglotz<double>(p[0], p[1]);
  ScopedPrecision prec(60);
  for (const auto& p : params) check_cubic_and_herglotz<MpReal>(MpReal(p[0]), MpReal(p[1]));
}

TEST_CASE("Cauchy transform equals the quadrature of the density (branch check)", "[bulk]") {
  // Independent route: g(z) = atom/z + ∫ f(t)/(z - t) dt by tanh-sinh quadrature.
  boost::math::quadrature::tanh_sinh<double> ts;
  const double params[][2] = {{0.5, 0.5}, {2, 0.5}, {0.3, 3}, {0.1, 0.2}};
  for (const auto& p : params) {
    BulkLaw<double> law(p[0], p[1]);
    double L = law.left_edge(), R = law.right_edge();
    for (Complex<double> z : {Complex<double>(1.0, 0.5), Complex<double>(-2.0, 1.0),
                              Complex<double>(R + 1, 0.25), Complex<double>(0.3 * R, 2.0),
                              Complex<double>(R + 0.5, 0.0), Complex<double>(-1.0, 0.0)}) {
      auto re = [&](double t) {
        return law.density(t) * ((z.re - t) / ((z.re - t) * (z.re - t) + z.im * z.im));
      };
      auto im = [&](double t) {
        return law.density(t) * (-z.im / ((z.re - t) * (z.re - t) + z.im * z.im));
      };
      Complex<double> quad(integrate_from(ts, re, L, R, 1e-13),
                           integrate_from(ts, im, L, R, 1e-13));
      quad += Complex<double>(law.atom()) / z;
      Complex<double> g = law.cauchy(z);
      INFO("delta=" << p[0] << " gamma=" << p[1] << " z=" << z.re << "+" << z.im << "i");
      CHECK(attnrmt::abs(g - quad) < 1e-10);
    }
  }
}

TEST_CASE(
    "density integrates to 1 - atom, its moments are the exact moments, CDF closed form = "
    "quadrature",
    "[bulk]") {
  boost::math::quadrature::tanh_sinh<double> ts;
  const double params[][2] = {{0.5, 0.5}, {2, 0.5},   {0.5, 2},  {3, 4},
                              {0.05, 4},  {0.1, 0.2}, {1.5, 0.7}};
  for (const auto& p : params) {
    BulkLaw<double> law(p[0], p[1]);
    double L = law.left_edge(), R = law.right_edge();
    INFO("delta=" << p[0] << " gamma=" << p[1]);
    double mass = integrate_from(
        ts, [&](double t) { return law.density(t); }, L, R, 1e-14);
    CHECK(mass + law.atom() == Approx(1).epsilon(1e-12));
    for (int k = 1; k <= 4; ++k) {
      double mk = integrate_from(
          ts, [&](double t) { return std::pow(t, k) * law.density(t); }, L, R, 1e-14);
      CHECK(mk == Approx(law.moment(k)).epsilon(1e-11));
    }
    for (double frac : {0.05, 0.3, 0.5, 0.8, 0.99}) {
      double x = L + frac * (R - L);
      double quad = law.atom() + integrate_from(
                                     ts, [&](double t) { return law.density(t); }, L, x, 1e-14);
      CHECK(law.cdf(x) == Approx(quad).margin(1e-12));
      // The quantile inverts the CDF.
      CHECK(law.quantile(law.cdf(x)) == Approx(x).epsilon(1e-10));
    }
  }
}

TEST_CASE("hard edge: delta = gamma = 1 density ~ x^(-2/3) integrates to 1", "[bulk]") {
  // At the hard edge the double-precision density loses accuracy near 0, so the
  // check runs in 50-digit binary floating point with a Boost quadrature.
  using R50 = boost::multiprecision::cpp_bin_float_50;
  BulkLaw<R50> law(R50(1), R50(1));
  boost::math::quadrature::tanh_sinh<R50> ts;
  R50 mass = ts.integrate([&](const R50& t) { return law.density(t); }, R50(0), law.right_edge(),
                          R50(1e-20));
  CHECK(abs(mass - 1) < R50(1e-15));
  R50 half = law.right_edge() / 3;
  R50 quad = ts.integrate([&](const R50& t) { return law.density(t); }, R50(0), half, R50(1e-20));
  CHECK(abs(law.cdf(half) - quad) < R50(1e-15));
}

TEST_CASE("double, 50 and 100 digits agree on their common digits", "[bulk]") {
  auto values = [](auto tag) {
    using Real = decltype(tag);
    BulkLaw<Real> law(Real(3) / 10, Real(7) / 5, Real(2));
    Complex<Real> g = law.cauchy(Complex<Real>(Real(1), Real(1) / 3));
    return std::vector<Real>{law.right_edge(),
                             law.left_edge(),
                             law.cdf(Real(2)),
                             law.density(Real(2)),
                             g.re,
                             g.im,
                             law.quantile(Real(1) / 2)};
  };
  auto d = values(0.0);
  std::vector<MpReal> v50, v100;
  {
    ScopedPrecision p(50);
    v50 = values(MpReal(0));
  }
  {
    ScopedPrecision p(100);
    v100 = values(MpReal(0));
    for (std::size_t i = 0; i < d.size(); ++i) {
      INFO("value " << i);
      CHECK(abs(v100[i] - MpReal(d[i])) < MpReal(1e-13) * (1 + abs(v100[i])));
      CHECK(abs(v100[i] - v50[i]) < MpReal("1e-46") * (1 + abs(v100[i])));
    }
  }
}

TEST_CASE("Monte Carlo smoke: Gaussian-equivalent noise spectrum matches the CDF", "[bulk][mc]") {
  // C = W^{1/2} X X^T W^{1/2} / N with W = Z Z^T / V: d = 300, V = 600, N = 600
  // (delta = gamma = 1/2). The Kolmogorov distance of the empirical spectral CDF
  // to the limit is O(1/d) plus edge fluctuations; tolerance 0.02.
  const int d = 300, V = 600, N = 600;
  std::mt19937_64 rng(20261125);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd Z(d, V), X(d, N);
  attnrmt_test::fill_gaussian(Z, rng, normal);
  attnrmt_test::fill_gaussian(X, rng, normal);
  // H = Z G / sqrt(V) with G (V x N) Gaussian has the same law as W^{1/2} X.
  Eigen::MatrixXd G(V, N);
  attnrmt_test::fill_gaussian(G, rng, normal);
  Eigen::MatrixXd H = Z * G / std::sqrt(double(V));
  Eigen::MatrixXd C = H * H.transpose() / double(N);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C, Eigen::EigenvaluesOnly);
  Eigen::VectorXd ev = es.eigenvalues();
  BulkLaw<double> law(double(d) / V, double(d) / N);
  double ks = 0;
  for (int i = 0; i < d; ++i) {
    double F = law.cdf(ev(i));
    ks = std::max({ks, std::abs(F - double(i) / d), std::abs(F - double(i + 1) / d)});
  }
  INFO("Kolmogorov distance " << ks << ", top eigenvalue " << ev(d - 1) << " vs edge "
                              << law.right_edge());
  CHECK(ks < 0.02);
  CHECK(std::abs(ev(d - 1) - law.right_edge()) < 0.3);
}

TEST_CASE(
    "CDF one ulp inside an edge and quantiles at kappa != 1 (a polished root crossed the axis)",
    "[bulk]") {
  // x = kappa (left/kappa) lands one ulp inside the left edge; the conjugate pair
  // there is nearly a double root and the CDF used to come out as 2, which broke
  // the quantile search for kappa = 3, 3/2, 1/3 at some working precisions.
  for (int digits : {20, 25, 35, 45}) {
    attnrmt::ScopedPrecision prec(digits);
    for (auto kappa : {attnrmt::Rational(3), attnrmt::Rational(3, 2), attnrmt::Rational(1, 3)}) {
      auto law = attnrmt::BulkLaw<attnrmt::MpReal>::from_exact(attnrmt::Rational(1, 2),
                                                               attnrmt::Rational(1, 2), kappa);
      const attnrmt::MpReal k = attnrmt::to_real<attnrmt::MpReal>(kappa);
      const attnrmt::MpReal left = k * (law.left_edge() / k), right = k * (law.right_edge() / k);
      INFO("digits " << digits << " kappa " << kappa);
      CHECK(law.cdf(left) >= 0);
      CHECK(law.cdf(left) <= 1e-6);
      CHECK(law.cdf(right) >= 1 - 1e-6);
      CHECK(law.cdf(right) <= 1);
      for (const char* q : {"0.25", "0.5", "0.9"}) {
        const attnrmt::MpReal level(q);
        const attnrmt::MpReal x = law.quantile(level);
        CHECK(abs(law.cdf(x) - level) <= 1e-15);
      }
    }
  }
}
