// Tests of the anisotropic (population H) solver: include/attnrmt/population.hpp,
// general_bulk.hpp, general_spike.hpp, general_inverse.hpp (docs/theory.md
// "Anisotropic embeddings", docs/theory.md §6).
// * H = delta_1 against the isotropic closed forms (bulk_law.hpp, spike.hpp) at 50 digits;
// * docs/theory.md §6's example numbers (20 digits, computed at 30);
// * the three routes of §6.3 (closed w-route; rank-one equation by quadrature over the
//   sample bulk; psi-function by quadrature over the table-level law H ⊠ MP_delta);
// * mass, quadrature moments against exact moments, edge residuals;
// * the inverse problem (round trip), a 4096-eigenvalue file through the CLI;
// * a dense Monte Carlo at d = 800 (Eigen) for the split-support law.
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <random>

#include "attnrmt/general_inverse.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/moments.hpp"
#include "attnrmt/precision.hpp"
#include "support/cli_runner.hpp"
#include "support/numeric_support.hpp"
#include "support/population_examples.hpp"

using attnrmt::BulkLaw;
using attnrmt::Complex;
using attnrmt::GeneralBulkLaw;
using attnrmt::GeneralSpike;
using attnrmt::MarchenkoPastur;
using attnrmt::MpReal;
using attnrmt::Population;
using attnrmt::PopulationSpec;
using attnrmt::Rational;
using attnrmt::ScopedPrecision;

using attnrmt_test::eps;

namespace {

template <class Real>
Real rel(const Real& a, const Real& b) {
  using std::abs;
  return abs(a - b) / (abs(b) > 0 ? abs(b) : Real(1));
}

template <class Real>
Real num(const char* text) {
  return Real(text);
}

using attnrmt_test::split_three;
using attnrmt_test::two_atoms;
PopulationSpec with_eigenvector(PopulationSpec s, const Rational& t) {
  s.signal.eigenvector = true;
  s.signal.eigenvalue = t;
  return s;
}

}  // namespace

TEST_CASE("H = delta_1 reproduces the isotropic solver to 50 digits", "[population]") {
  ScopedPrecision prec(50);
  using R = MpReal;
  const R tol = 1e6 * eps<R>();
  Population<R> H(PopulationSpec::isotropic());
  const std::vector<std::pair<Rational, Rational>> params = {{Rational(1, 2), Rational(1, 2)},
                                                             {Rational(1, 4), Rational(2)},
                                                             {Rational(3, 2), Rational(1, 3)}};
  for (const auto& [dq, gq] : params) {
    R delta = attnrmt::to_real<R>(dq), gamma = attnrmt::to_real<R>(gq), rho(1);
    INFO("delta=" << double(delta) << " gamma=" << double(gamma));
    attnrmt::BulkLaw<R> iso(delta, gamma);
    GeneralBulkLaw<R> gen(H, delta, gamma);
    REQUIRE(gen.support().size() == 1);
    CHECK(rel(gen.right_edge(), iso.right_edge()) < tol);
    CHECK(rel(gen.left_edge(), iso.left_edge()) < tol);
    CHECK(abs(gen.atom() - iso.atom()) < tol);  // both 1 - 1/max(1, delta, gamma), by two routes
    for (Complex<R> z : {Complex<R>(R(2), R(1) / 2), Complex<R>(R(1) / 3, R(1) / 100),
                         Complex<R>(iso.right_edge() + 1), Complex<R>(R(-1), R(2))}) {
      Complex<R> a = gen.cauchy(z), b = iso.cauchy(z);
      CHECK(attnrmt::abs(a - b) / attnrmt::abs(b) < tol);
    }
    R x = (iso.left_edge() + iso.right_edge()) / 3;
    CHECK(rel(gen.density(x), iso.density(x)) < tol);
    // Exact moments.
    std::vector<Rational> h(7, Rational(1));
    auto m = attnrmt::population_moments<Rational>(h, dq, gq, 6);
    for (int k = 1; k <= 6; ++k)
      CHECK(m[static_cast<std::size_t>(k - 1)] == attnrmt::moment_value<Rational>(k, dq, gq));
    // Spike: thresholds, outlier, alignments, table level, uncentred mean spike.
    auto th = attnrmt::thresholds(delta, gamma, rho);
    GeneralSpike<R> spike(gen, rho);
    CHECK(rel(spike.thresholds().a1, th.tau1) < tol);
    CHECK(rel(spike.thresholds().a2, th.tau2) < tol);
    for (R a : {R(th.tau1 + th.tau2) / 2, R(2) * th.tau2, R(5) * th.tau2}) {
      auto iso_r = attnrmt::outlier_report(iso, rho, a);
      auto gen_r = spike.report(a);
      CHECK(gen_r.regime == iso_r.regime);
      CHECK(gen_r.gaps.empty());
      CHECK(rel(gen_r.top.lambda, iso_r.spike.lambda) < tol);
      CHECK(rel(gen_r.top.ell, iso_r.spike.population_eigenvalue) < tol);
      CHECK(rel(gen_r.top.a_pop_u, iso_r.spike.population_alignment) < tol);
      if (iso_r.regime == attnrmt::Regime::detectable) {
        CHECK(rel(gen_r.top.A_u, iso_r.spike.alignment_u) < tol);
        CHECK(rel(gen_r.top.A_mu, iso_r.alignment_mu) < tol);
      } else {
        CHECK(gen_r.top.A_mu == 0);
      }
    }
    R M(20);
    CHECK(rel(GeneralSpike<R>::mean_outlier(gen, M), attnrmt::mean_outlier(iso, M)) < tol);
  }
}

TEST_CASE("docs/theory.md §6 example numbers (20 digits at 30)", "[population]") {
  ScopedPrecision prec(30);
  using R = MpReal;
  const R tol = num<R>("1e-19");  // 20 significant digits: rounding up to 5e-20 relative
  const R half(R(1) / 2), quarter(R(1) / 4);
  {
    Population<R> H(two_atoms());
    GeneralBulkLaw<R> bulk(H, half, half);
    REQUIRE(bulk.support().size() == 1);
    CHECK(rel(bulk.left_edge(), num<R>("0.019992695958192762310")) < tol);
    CHECK(rel(bulk.right_edge(), num<R>("5.0482378379269934423")) < tol);
    CHECK(rel(bulk.right_edge_w(), num<R>("2.8255754183971394135")) < tol);
    GeneralSpike<R> spike(bulk, R(1));
    const auto& th = spike.thresholds();
    CHECK(rel(th.table_edge, num<R>("3.5356360812103810200")) < tol);
    CHECK(rel(th.w_nu_plus, num<R>("2.2577032025545114929")) < tol);
    CHECK(rel(th.a1, num<R>("1.0368442077840408043")) < tol);
    CHECK(rel(th.a2, num<R>("1.4390467201812252285")) < tol);
    auto r = spike.report(R(2));
    using std::sqrt;
    CHECK(rel(r.top.w, R((R(4.5) + sqrt(R(7.75))) / 2)) < tol);
    CHECK(rel(r.top.ell, num<R>("4.4244455167152094383")) < tol);
    CHECK(rel(r.top.lambda, num<R>("5.3750781912231368252")) < tol);
    CHECK(rel(r.top.a_pop_u, num<R>("0.85272592822144702961")) < tol);
    CHECK(rel(r.top.a_pop_mu, num<R>("0.53424933175308636470")) < tol);
    CHECK(rel(r.top.a_samp, num<R>("0.60531588135210595777")) < tol);
    CHECK(rel(r.top.A_u, num<R>("0.51616854679315785149")) < tol);
    CHECK(rel(r.top.A_mu, num<R>("0.32338960511189311996")) < tol);
    CHECK(rel(bulk.density(R(1)), num<R>("0.24252192321368617888")) < tol);
    CHECK(rel(bulk.cauchy(Complex<R>(R(6))).re, num<R>("0.21907582364421943090")) < tol);
    Complex<R> g = bulk.cauchy(Complex<R>(R(2), half));
    CHECK(rel(g.re, num<R>("0.38573510421061058521")) < tol);
    CHECK(rel(g.im, num<R>("-0.41430300425804748229")) < tol);
    // Exact moments and §6.1's closed forms m1..m4 in the power sums h_j.
    PopulationSpec s = two_atoms();
    std::vector<Rational> h;
    for (int j = 0; j <= 6; ++j) h.push_back(s.power_moment(j));
    Rational d(1, 2), gm(1, 2);
    auto m = attnrmt::population_moments<Rational>(h, d, gm, 6);
    std::vector<Rational> expected = {Rational(1),       Rational(9, 4),     Rational(27, 4),
                                      Rational(371, 16), Rational(5517, 64), Rational(43209, 128)};
    for (std::size_t k = 0; k < 6; ++k) CHECK(m[k] == expected[k]);
    CHECK(m[1] == h[2] + (d + gm) * h[1] * h[1]);
    CHECK(m[2] ==
          h[3] + 3 * (d + gm) * h[1] * h[2] + (d * d + 3 * d * gm + gm * gm) * h[1] * h[1] * h[1]);
    CHECK(m[3] == h[4] + 4 * (d + gm) * h[1] * h[3] + 2 * (d + gm) * h[2] * h[2] +
                      (6 * d * d + 16 * d * gm + 6 * gm * gm) * h[1] * h[1] * h[2] +
                      (d * d * d + 6 * d * d * gm + 6 * d * gm * gm + gm * gm * gm) * h[1] * h[1] *
                          h[1] * h[1]);
  }
  {
    Population<R> H(with_eigenvector(two_atoms(), Rational(3, 2)));
    GeneralBulkLaw<R> bulk(H, half, half);
    GeneralSpike<R> spike(bulk, R(1));
    CHECK(rel(spike.thresholds().a1, num<R>("0.83042939927534853879")) < tol);
    CHECK(rel(spike.thresholds().a2, num<R>("1.2251169918723578155")) < tol);
    auto r = spike.report(R(2));
    CHECK(rel(r.top.lambda, num<R>("5.5971137112606901970")) < tol);
    CHECK(rel(r.top.A_u, num<R>("0.60749742625766996044")) < tol);
    CHECK(rel(r.top.A_mu, num<R>("0.42521128367272441982")) < tol);
  }
  {
    Population<R> H(split_three());
    GeneralBulkLaw<R> bulk(H, quarter, quarter);
    const auto& sup = bulk.support();
    REQUIRE(sup.size() == 3);
    const char* edges[6] = {"0.019251602375947440882", "0.18013285636355675176",
                            "0.32209556382197541405",  "2.2258625771332322670",
                            "7.4023951878341062939",   "13.775465073626931246"};
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(rel(sup[i].left, num<R>(edges[2 * i])) < tol);
      CHECK(rel(sup[i].right, num<R>(edges[2 * i + 1])) < tol);
    }
    GeneralSpike<R> spike(bulk, R(1));
    CHECK(rel(spike.thresholds().a1, num<R>("4.3474600715982780423")) < tol);
    CHECK(rel(spike.thresholds().a2, num<R>("5.3613359416302355153")) < tol);
    // a = 2: no top outlier; the gap above the middle block holds one.
    auto r2 = spike.report(R(2));
    CHECK(r2.regime == attnrmt::Regime::none);
    const attnrmt::GeneralOutlier<R>* upper = nullptr;
    for (const auto& g : r2.gaps)
      if (g.lambda > sup[1].right && g.lambda < sup[2].left) upper = &g;
    REQUIRE(upper != nullptr);
    CHECK(upper->sample_outlier);
    CHECK(rel(upper->lambda, num<R>("2.9240281087255541822")) < tol);
    CHECK(rel(upper->A_u, num<R>("0.61892076838840809009")) < tol);
    CHECK(rel(upper->A_mu, num<R>("0.61383370902765968246")) < tol);
    auto r8 = spike.report(R(8));
    CHECK(r8.regime == attnrmt::Regime::detectable);
    CHECK(rel(r8.top.lambda, num<R>("14.867412394752313859")) < tol);
    CHECK(rel(r8.top.A_mu, num<R>("0.29852360269930321432")) < tol);
    upper = nullptr;
    for (const auto& g : r8.gaps)
      if (g.lambda > sup[1].right && g.lambda < sup[2].left) upper = &g;
    REQUIRE(upper != nullptr);
    CHECK(rel(upper->lambda, num<R>("6.4900089449529238152")) < tol);
    CHECK(rel(upper->A_mu, num<R>("0.35539124116067798696")) < tol);
  }
}

namespace {

// Route 2 (§6.3): with mu_a the spectral measure of u w.r.t. the sample bulk,
// density -(1/pi) Im[(w/x)(rho g_mu(w) + delta p_H(w))/||u||^2] at w = w(x+i0) (atom at 0 =
// the missing mass), f_a = ∫ dmu_a/(lambda-x), f_N = gamma g + (1-gamma)/lambda, g by
// quadrature of the bulk density plus its atom: D = lambda f_a f_N = 1/(a ||u||^2) at the
// outlier, A_u = -f_a/(a ||u||^2 D'), and a2 = 1/(||u||^2 D(edge)).
template <class Real>
void check_rank_one_route(const GeneralBulkLaw<Real>& bulk, const Real& rho, const Real& a,
                          const attnrmt::GeneralOutlier<Real>& o, const Real& a2, const Real& tol) {
  using std::abs;
  const auto& H = bulk.population();
  const Real delta = bulk.delta(), gamma = bulk.gamma();
  const Real u2 = rho + delta * H.m1();
  const Real pi = boost::math::constants::pi<Real>();
  auto mu_a_density = [&](const Real& x) {
    Complex<Real> w = bulk.solve_w(Complex<Real>(x));
    auto tr = H.transforms(w);
    auto gm = H.signal_sums(w, tr).first;
    Complex<Real> v = (w / x) * (rho * gm + delta * tr.p) / u2;
    return -v.im / pi;
  };
  auto integrate = [&](auto phi) {
    Real total(0);
    for (const auto& iv : bulk.support())
      total += attnrmt::detail::tanh_sinh_integral<Real>(
          [&](const Real& x) { return phi(x) * mu_a_density(x); }, iv.left, iv.right);
    return total;
  };
  const Real mass = integrate([](const Real&) { return Real(1); });
  auto D_at = [&](const Real& lambda) {
    Real fa = integrate([&](const Real& x) { return 1 / (lambda - x); }) + (1 - mass) / lambda;
    Real g = bulk.integrate([&](const Real& x) { return 1 / (lambda - x); }, Real(0),
                            bulk.right_edge()) +
             bulk.atom() / lambda;
    return lambda * fa * (gamma * g + (1 - gamma) / lambda);
  };
  auto sums_at = [&](const Real& lambda) {
    Real fa = integrate([&](const Real& x) { return 1 / (lambda - x); }) + (1 - mass) / lambda;
    Real dfa = -integrate([&](const Real& x) { return 1 / ((lambda - x) * (lambda - x)); }) -
               (1 - mass) / (lambda * lambda);
    Real g = bulk.integrate([&](const Real& x) { return 1 / (lambda - x); }, Real(0),
                            bulk.right_edge()) +
             bulk.atom() / lambda;
    Real dg = -bulk.integrate([&](const Real& x) { return 1 / ((lambda - x) * (lambda - x)); },
                              Real(0), bulk.right_edge()) -
              bulk.atom() / (lambda * lambda);
    Real fN = gamma * g + (1 - gamma) / lambda;
    Real dfN = gamma * dg - (1 - gamma) / (lambda * lambda);
    Real D = lambda * fa * fN;
    Real dD = fa * fN + lambda * dfa * fN + lambda * fa * dfN;
    return std::make_tuple(fa, D, dD);
  };
  auto [fa, D, dD] = sums_at(o.lambda);
  CHECK(abs(D * a * u2 - 1) < tol);
  CHECK(rel(Real(-fa / (a * u2 * dD)), o.A_u) < tol);
  // Threshold: D just above the square-root edge (at the edge itself 1/(lambda - x) meets
  // the rounding of the nodes); D - D(edge) = O(sqrt(1e-10)).
  CHECK(rel(Real(1 / (u2 * D_at(bulk.right_edge() * (1 + Real(1e-10))))), a2) < 1e-4);
}

// Route 3 (§6.3): the table-level law nu = H ⊠ MP_delta (gamma = 0), psi(ell) =
// ell (1 + gamma ∫ t/(ell-t) dnu), psi' = 1 - gamma ∫ t^2/(ell-t)^2 dnu: lambda = psi(ell),
// a_samp = ell psi'(ell)/psi(ell).
template <class Real>
void check_psi_route(const GeneralBulkLaw<Real>& bulk, const attnrmt::GeneralOutlier<Real>& o,
                     const Real& tol) {
  GeneralBulkLaw<Real> nu(bulk.population(), bulk.delta(), Real(0));
  const Real gamma = bulk.gamma(), ell = o.ell;
  Real top = nu.right_edge();
  Real s1 = nu.integrate([&](const Real& t) { return t / (ell - t); }, Real(0), top);
  Real s2 =
      nu.integrate([&](const Real& t) { return t * t / ((ell - t) * (ell - t)); }, Real(0), top);
  Real psi = ell * (1 + gamma * s1), dpsi = 1 - gamma * s2;
  CHECK(rel(psi, o.lambda) < tol);
  CHECK(rel(Real(ell * dpsi / psi), o.a_samp) < tol);
}

}  // namespace

TEST_CASE("the three routes of §6.3 agree on a grid of H, delta, gamma, signals", "[population]") {
  using R = double;
  const R tol = 1e-9;
  struct Case {
    PopulationSpec H;
    Rational delta, gamma;
  };
  std::vector<Case> cases = {
      {two_atoms(), Rational(1, 2), Rational(1, 2)},
      {two_atoms(), Rational(1, 3), Rational(2)},
      {with_eigenvector(two_atoms(), Rational(3, 2)), Rational(1, 2), Rational(1, 2)},
      {with_eigenvector(two_atoms(), Rational(1, 2)), Rational(1, 4), Rational(3, 2)},
      {split_three(), Rational(1, 4), Rational(1, 4)},
      {with_eigenvector(split_three(), Rational(10)), Rational(1, 4), Rational(1, 4)},
  };
  for (const auto& c : cases) {
    Population<R> H(c.H);
    R delta = attnrmt::to_real<R>(c.delta), gamma = attnrmt::to_real<R>(c.gamma), rho = 1;
    INFO("atoms=" << H.size() << " delta=" << delta << " gamma=" << gamma
                  << " eigenvector=" << H.eigenvector_signal());
    GeneralBulkLaw<R> bulk(H, delta, gamma);
    GeneralSpike<R> spike(bulk, rho);
    R a = 1.5 * spike.thresholds().a2;
    auto rep = spike.report(a);
    REQUIRE(rep.top.sample_outlier);
    check_rank_one_route(bulk, rho, a, rep.top, spike.thresholds().a2, tol);
    check_psi_route(bulk, rep.top, tol);
    for (const auto& g : rep.gaps)
      if (g.sample_outlier) check_psi_route(bulk, g, tol);
  }
}

TEST_CASE("mass, quadrature moments and edge residuals", "[population]") {
  auto run = [](auto zero, const PopulationSpec& spec, double dq, double gq, double tol) {
    using R = decltype(zero);
    using std::abs;
    using std::pow;
    Population<R> H(spec);
    R delta(dq), gamma(gq);
    GeneralBulkLaw<R> bulk(H, delta, gamma);
    R top = bulk.right_edge();
    R mass = bulk.integrate([](const R&) { return R(1); }, R(0), top);
    CHECK(abs(mass + bulk.atom() - 1) < tol);
    std::vector<R> h;
    for (int j = 0; j <= 4; ++j) h.push_back(attnrmt::to_real<R>(spec.power_moment(j)));
    auto m = attnrmt::population_moments<R>(h, delta, gamma, 4);
    for (int k = 1; k <= 4; ++k) {
      R q = bulk.integrate([k](const R& x) { return R(pow(x, k)); }, R(0), top);
      CHECK(rel(q, m[static_cast<std::size_t>(k - 1)]) < tol);
    }
    // Edges: x'(w_c) = 0 at working precision; just outside an edge the density is 0 and
    // just inside it is positive.
    for (const auto& iv : bulk.support()) {
      const R scale = 1 + top;
      for (const R* w : {&iv.w_left, &iv.w_right}) {
        if (iv.hard_left && w == &iv.w_left) continue;
        auto tr = H.transforms(*w);
        CHECK(abs(bulk.x_prime(tr)) * (1 + abs(*w)) < 1e3 * eps<R>() * scale * (1 + tr.I2));
      }
      R width = iv.right - iv.left;
      CHECK(bulk.density(iv.left + width / 1000) > 0);
      CHECK(bulk.density(iv.right - width / 1000) > 0);
      CHECK(bulk.density(iv.right + width / 1000) == 0);
    }
  };
  run(double(0), two_atoms(), 0.5, 0.5, 1e-11);
  run(double(0), split_three(), 0.25, 0.25, 1e-11);
  run(double(0), two_atoms(), 2.0, 0.5, 1e-11);  // atom at 0
}

TEST_CASE("inverse problem: alpha/kappa and rho back from the forward prediction", "[population]") {
  ScopedPrecision prec(30);
  using R = MpReal;
  const R tol = 1e-22;
  for (const PopulationSpec& spec :
       {PopulationSpec::isotropic(), two_atoms(), with_eigenvector(two_atoms(), Rational(3, 2))}) {
    Population<R> H(spec);
    GeneralBulkLaw<R> bulk(H, R(1) / 2, R(1) / 2);
    R rho = R(3) / 4, a(3);
    auto fwd = GeneralSpike<R>(bulk, rho).report(a);
    auto inf = attnrmt::infer_signal(bulk, rho, fwd.top.lambda);
    REQUIRE(inf.status == attnrmt::InferStatus::ok);
    CHECK(rel(inf.alpha_over_kappa, a) < tol);
    auto both = attnrmt::infer_signal_and_rho(bulk, fwd.top.lambda, fwd.top.A_mu);
    REQUIRE(both.status == attnrmt::InferStatus::ok);
    CHECK(rel(both.rho, rho) < tol);
    CHECK(rel(both.alpha_over_kappa, a) < tol);
    if (spec.is_isotropic()) {
      // Closed form: lambda = (s+delta)(s+1)(s+gamma)/s^2, a = (s + delta)/(rho + delta).
      R s = a * (rho + R(1) / 2) - R(1) / 2;
      R lambda = (s + R(1) / 2) * (s + 1) * (s + R(1) / 2) / (s * s);
      CHECK(rel(fwd.top.lambda, lambda) < tol);
    }
    auto inside = attnrmt::infer_signal(bulk, rho, bulk.right_edge() / 2);
    CHECK(inside.status == attnrmt::InferStatus::inside_bulk);
  }
}

TEST_CASE("CLI: --population on thresholds, edges, outlier, infer, and bad input exits 2",
          "[population][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  auto r = run_cli(
      "thresholds --delta 1/2 --gamma 1/2 --population atoms:0.5@1/2,1.5@1/2 --digits 20 "
      "--format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == "1.0368442077840408043");
  CHECK(rows[1][1] == "1.4390467201812252285");
  r = run_cli(
      "edges --delta 1/4 --gamma 1/4 --population atoms:0.1@0.5,1@0.45,10@0.05 --format csv");
  REQUIRE(r.exit_code == 0);
  rows = parse_csv(r.out);
  REQUIRE(rows.size() == 4);  // header + three intervals
  CHECK(rows[3][1] == "7.40239518783411");
  r = run_cli(
      "outlier --delta 1/4 --gamma 1/4 --population atoms:0.1@0.5,1@0.45,10@0.05 "
      "--alpha-over-kappa 8 --format csv");
  REQUIRE(r.exit_code == 0);
  rows = parse_csv(r.out);
  REQUIRE(rows.size() == 4);  // top + two gap rows
  CHECK(rows[1][0] == "top");
  CHECK(rows[1][2] == "14.8674123947523");
  CHECK(rows[3][0] == "gap");
  CHECK(rows[3][2] == "6.49000894495292");
  r = run_cli(
      "infer --delta 1/2 --gamma 1/2 --population atoms:0.5@1/2,1.5@1/2 "
      "--lambda 5.3750781912231368252 --format csv");
  REQUIRE(r.exit_code == 0);
  rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == "ok");
  CHECK(rows[1][1] == "2");
  for (const char* bad :
       {"thresholds --delta 1/2 --gamma 1/2 --population atoms:0.5@1/2,1.5@1/3",
        "thresholds --delta 1/2 --gamma 1/2 --population atoms:0.5@1/2,1.5",
        "thresholds --delta 1/2 --gamma 1/2 --population atoms:-1@1",
        "thresholds --delta 1/2 --gamma 1/2 --population atoms:0.5@1/2,1.5@1/2 --signal "
        "eigenvector:1",
        "thresholds --delta 1/2 --gamma 1/2 --population file:/nonexistent/eigs.txt",
        "thresholds --delta 1/2 --gamma 1/2 --population gauss:3"}) {
    auto e = run_cli(bad);
    INFO(bad);
    CHECK(e.exit_code == 2);
    CHECK(e.out.empty());
    CHECK(e.err.find('\n') == e.err.size() - 1);
  }
}

TEST_CASE("a file of 4096 eigenvalues: library and CLI", "[population][cli]") {
  // Eigenvalues drawn with a fixed seed from H0 = 0.5 delta_{0.5} + 0.5 U[1, 2] (a known law).
  std::mt19937_64 rng(20261201);
  std::uniform_real_distribution<double> unif(1.0, 2.0);
  std::vector<Rational> atoms, weights;
  std::string path = "/tmp/attnrmt_population_" + std::to_string(::getpid()) + ".txt";
  {
    std::ofstream f(path);
    for (int k = 0; k < 4096; ++k) {
      // 6 significant digits, so that the file's decimals are the exact atoms.
      double t = k % 2 == 0 ? 0.5 + 1e-6 * (k / 2) : unif(rng);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6f", t);
      f << buf << "\n";
      atoms.push_back(attnrmt::parse_rational(buf, "t"));
      weights.push_back(Rational(1));
    }
  }
  PopulationSpec spec = PopulationSpec::from_atoms(atoms, weights);
  Population<double> H(spec);
  REQUIRE(H.size() > 4000);  // a few 6-digit uniform draws coincide and are merged
  GeneralBulkLaw<double> bulk(H, 0.5, 0.5);
  GeneralSpike<double> spike(bulk, 1.0);
  CHECK(spike.thresholds().a1 < spike.thresholds().a2);
  // Moments by quadrature against exact moments (the density mass and m2).
  double top = bulk.right_edge();
  double mass = bulk.integrate([](double) { return 1.0; }, 0.0, top);
  CHECK(std::abs(mass - 1) < 1e-9);
  double m2 = bulk.integrate([](double x) { return x * x; }, 0.0, top);
  double m2_exact = double(spec.power_moment(2)) + 1.0 * std::pow(double(spec.power_moment(1)), 2);
  CHECK(rel(m2, m2_exact) < 1e-9);
  auto r = attnrmt_test::run_cli("thresholds --delta 1/2 --gamma 1/2 --population file:" + path +
                                 " --format csv --digits 12");
  std::remove(path.c_str());
  REQUIRE(r.exit_code == 0);
  auto rows = attnrmt_test::parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rel(std::stod(rows[1][0]), spike.thresholds().a1) < 1e-11);
  CHECK(rel(std::stod(rows[1][1]), spike.thresholds().a2) < 1e-11);
}

TEST_CASE("atoms of tiny weight at either end of H: edges found, the rest of the law unchanged",
          "[population]") {
  // A weight of 1e-30 puts the sublevel set {delta I2 < 1} within ~1e-15 of the
  // atom; the search for its end used to start outside it ("root is not
  // bracketed"). The main interval must stay the Marchenko-Pastur one of H = delta_1.
  const double delta = 0.5, mp_right = (1 + std::sqrt(delta)) * (1 + std::sqrt(delta));
  const double mp_left = (1 - std::sqrt(delta)) * (1 - std::sqrt(delta));
  const Rational tiny(1, boost::multiprecision::pow(attnrmt::BigInt(10), 30));
  for (const auto& spec :
       {PopulationSpec::from_atoms({Rational(1), Rational(3)}, {Rational(1) - tiny, tiny}),
        PopulationSpec::from_atoms({Rational(1, 10), Rational(1)}, {tiny, Rational(1) - tiny})}) {
    for (double gamma : {0.0}) {  // gamma > 0: see the note in docs/population.md
      Population<double> H(spec);
      GeneralBulkLaw<double> law(H, delta, gamma);
      // References: MP_delta (gamma = 0) or the isotropic law.
      const MarchenkoPastur<double> mp(delta, 1);
      const double right = gamma == 0 ? mp_right : BulkLaw<double>(delta, gamma).right_edge();
      const double left = gamma == 0 ? mp_left : BulkLaw<double>(delta, gamma).left_edge();
      const double dens1 =
          gamma == 0 ? mp.density(1.0) : BulkLaw<double>(delta, gamma).density(1.0);
      bool found = false;
      for (const auto& iv : law.support())
        if (std::abs(iv.right - right) < 1e-9 && std::abs(iv.left - left) < 1e-9) found = true;
      INFO("gamma " << gamma << ", " << law.support().size() << " interval(s)");
      CHECK(found);
      CHECK(std::abs(law.density(1.0) - dens1) < 1e-9);
    }
  }
}
