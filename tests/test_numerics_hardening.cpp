// Numerical classes of issue 11 (items 1, 2, 11, 13, 14): extreme-but-valid
// parameters, certified values that are not zero, slow paths. Library checks
// assert against closed forms, limits and an mpmath reference
// (tests/reference/numerics_hardening_mpmath.py); CLI checks run the built binary.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/moments.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/rational.hpp"
#include "attnrmt/spike.hpp"
#include "support/cli_runner.hpp"

using attnrmt::BulkLaw;
using attnrmt::Complex;
using attnrmt::MpReal;
using attnrmt::Rational;
using attnrmt::ScopedPrecision;
using attnrmt_test::parse_csv;
using attnrmt_test::run_cli;

namespace {

MpReal rel_error(const MpReal& a, const MpReal& b) {
  return abs(a - b) / abs(b);
}

// The single numeric cell `column` of a one-row CSV output.
std::string cell(const std::string& csv, const std::string& column) {
  auto rows = parse_csv(csv);
  REQUIRE(rows.size() >= 2);
  for (std::size_t j = 0; j < rows[0].size(); ++j)
    if (rows[0][j] == column) return rows[1].at(j);
  FAIL("no column " << column << " in\n" << csv);
  return "";
}

}  // namespace

// ---- item 1: tiny and huge delta, gamma ----------------------------------------

TEST_CASE("tiny delta = gamma: density at 1 is the semicircle limit 1/(pi sqrt(delta+gamma))",
          "[numerics]") {
  // Free CLT: MP_delta ⊠ MP_gamma = 1 + sqrt(delta+gamma) (semicircle) + O(delta+gamma),
  // with a relative correction O(sqrt(delta + gamma)) at the centre.
  {
    BulkLaw<double> law(1e-60, 1e-60);
    const double limit = 1 / (3.141592653589793 * std::sqrt(2e-60));
    CHECK(law.density(1.0) == Approx(limit).epsilon(1e-13));
    CHECK(law.cdf(1.0) == Approx(0.5).margin(1e-13));
  }
  ScopedPrecision prec(60);
  for (const char* d : {"1e-80", "1e-300", "1e-4000"}) {
    MpReal delta(d);
    BulkLaw<MpReal> law(delta, delta);
    MpReal limit = 1 / (boost::math::constants::pi<MpReal>() * sqrt(2 * delta));
    INFO("delta = gamma = " << d);
    CHECK(rel_error(law.density(MpReal(1)), limit) < MpReal("1e-35"));
    CHECK(abs(law.cdf(MpReal(1)) - MpReal(1) / 2) < MpReal("1e-35"));
    // Defining equation off the axis, at the scale of the support.
    Complex<MpReal> z(MpReal(1), sqrt(delta));
    // (The residual is ~1e-40 at 60 digits for delta = 1e-80: the cubic loses
    // about sqrt(delta) relative accuracy there; certify raises the precision.)
    CHECK(law.cubic_residual(z, law.cauchy(z)) < MpReal("1e-38"));
  }
}

TEST_CASE("tiny delta, gamma = 1/2: the law is MP_{1/2} up to O(delta)", "[numerics]") {
  ScopedPrecision prec(40);
  attnrmt::MarchenkoPastur<MpReal> mp(MpReal(1) / 2);
  for (const char* d : {"1e-104", "1e-300"}) {
    BulkLaw<MpReal> law(MpReal(d), MpReal(1) / 2);
    INFO("delta = " << d);
    for (const char* x : {"0.2", "1", "2.5"}) {
      MpReal xr(x);
      CHECK(rel_error(law.density(xr), mp.density(xr)) < MpReal("1e-35"));
    }
  }
}

TEST_CASE("huge delta, gamma: density against the scaling limit and mpmath", "[numerics]") {
  ScopedPrecision prec(40);
  // delta = gamma = D -> inf: p = u/D with u^2 + u + 1 = 0 at x = D, so the
  // density is (sqrt(3)/2)/(pi D^2) (1 + O(1/D)).
  MpReal D("1e300");
  BulkLaw<MpReal> law(D, D);
  MpReal limit = sqrt(MpReal(3)) / 2 / (boost::math::constants::pi<MpReal>() * D * D);
  CHECK(rel_error(law.density(D), limit) < MpReal("1e-35"));
  // 1 - cdf = O(1/D) is below 40-digit resolution: the CDF lies in [atom, 1]
  // (it was 2 before the cubic was solved for p).
  CHECK(law.cdf(D) >= law.atom());
  CHECK(law.cdf(D) <= 1);
  // mpmath (tests/reference/numerics_hardening_mpmath.py).
  BulkLaw<MpReal> law2(MpReal("1e30"), MpReal(1) / 2);
  CHECK(rel_error(law2.density(MpReal("1e30")), MpReal("2.598989337445587026352894e-46")) <
        MpReal("1e-23"));
}

TEST_CASE("double range: a clear error outside [1e-77, 1e77], exact answers inside", "[numerics]") {
  CHECK_THROWS_AS(BulkLaw<double>(1e-80, 1e-80), std::domain_error);
  CHECK_THROWS_AS(BulkLaw<double>(0.5, 1e300), std::domain_error);
  CHECK_THROWS_AS(BulkLaw<double>(0.5, 0.5, 1e200), std::domain_error);
  BulkLaw<double> law(1e-70, 0.5);
  attnrmt::MarchenkoPastur<double> mp(0.5);
  CHECK(law.density(1.0) == Approx(mp.density(1.0)).epsilon(1e-13));
}

TEST_CASE("CLI bulk at tiny delta*gamma prints the density, not 0", "[numerics][cli]") {
  auto r = run_cli("bulk --delta 1e-80 --gamma 1e-80 --x 1 --format csv");
  REQUIRE(r.exit_code == 0);
  CHECK(cell(r.out, "density").rfind("2.25079079039277e+39", 0) == 0);
  CHECK(cell(r.out, "cdf") == "0.5");
  auto r2 = run_cli("cauchy --delta 1e-60 --gamma 1e-60 --z 1+1i --format csv");
  CHECK(r2.exit_code == 0);
  auto r3 = run_cli("bulk --delta 1e-104 --gamma 1/2 --x 1 --format csv");
  REQUIRE(r3.exit_code == 0);
  // MP_{1/2} at 1: sqrt((b-1)(1-a))/(2 pi c), a, b = (1 -+ sqrt(1/2))^2.
  CHECK(cell(r3.out, "density").rfind("0.421084399347792", 0) == 0);
}

// ---- item 2: certified zeros that are not zero ----------------------------------

TEST_CASE("CLI: alignments 1e-30 above the sample threshold are not printed as 0",
          "[numerics][cli]") {
  // delta = gamma = rho = 1: s* = 2 (P(s) = (s-2)(s+1)^2), s = 2 + 2e-30,
  // A_u = P(s)/(s^2 (s+1)) = 1.5e-30 (1 + O(1e-30)), A_mu = A_u/2.
  auto r = run_cli(
      "outlier --delta 1 --gamma 1 --alpha-over-kappa 1.500000000000000000000000000001 "
      "--format csv");
  REQUIRE(r.exit_code == 0);
  CHECK(cell(r.out, "alignment_u") == "1.5e-30");
  CHECK(cell(r.out, "alignment_mu") == "7.5e-31");
}

TEST_CASE("CLI: left edge and atom of delta = 1 + 1e-30 are not 0", "[numerics][cli]") {
  // Left edge: s(1-s) D32^2 (...)/(...) = 1.25e-61 (1 + O(1e-30)) (mpmath: 1.25e-61);
  // atom (delta-1)/delta = 1e-30 (1 - 1e-30).
  auto r = run_cli("edges --delta 1.000000000000000000000000000001 --gamma 1/2 --format csv");
  REQUIRE(r.exit_code == 0);
  CHECK(cell(r.out, "left_edge") == "1.25e-61");
  CHECK(cell(r.out, "atom") == "1e-30");
}

TEST_CASE("CLI: density 1e-33 inside the right edge is not 0", "[numerics][cli]") {
  auto r =
      run_cli("bulk --delta 1/2 --gamma 1/2 --x 4.40914986360938216709262398598621 --format csv");
  REQUIRE(r.exit_code == 0);
  // mpmath: 6.39016224795425407660218e-18.
  CHECK(cell(r.out, "density") == "6.39016224795425e-18");
}

TEST_CASE("CLI: Im g at kappa = 1e100 is -4.8e-199, not 0", "[numerics][cli]") {
  auto r = run_cli("cauchy --delta 1/2 --gamma 1/2 --kappa 1e100 --z 1+1i --digits 5 --format csv");
  REQUIRE(r.exit_code == 0);
  // g(z) = g(0)/kappa + g'(0) z/kappa^2 + ...: g(0) = -4, g'(0) = -48 (mpmath: -4.8e-199).
  CHECK(cell(r.out, "g_im") == "-4.8e-199");
  CHECK(cell(r.out, "g_re") == "-4e-100");
}

TEST_CASE("CLI: edges at delta = gamma = 0.999999, digits 1 and 2", "[numerics][cli]") {
  // mpmath: left edge 1.481482469136515775578926e-19.
  auto r1 = run_cli("edges --delta 0.999999 --gamma 0.999999 --digits 1 --format csv");
  REQUIRE(r1.exit_code == 0);
  CHECK(cell(r1.out, "left_edge") == "1e-19");
  auto r2 = run_cli("edges --delta 0.999999 --gamma 0.999999 --digits 2 --format csv");
  REQUIRE(r2.exit_code == 0);
  CHECK(cell(r2.out, "left_edge") == "1.5e-19");
  ScopedPrecision prec(40);
  auto law = BulkLaw<MpReal>::from_exact(Rational(999999, 1000000), Rational(999999, 1000000));
  CHECK(rel_error(law.left_edge(), MpReal("1.481482469136515775578926e-19")) < MpReal("1e-24"));
}

TEST_CASE("exact parameters: atom and left edge near delta = 1 at low precision", "[numerics]") {
  // At 20 digits 1 + 1e-30 rounds to 1; the exact constructor keeps delta - 1.
  ScopedPrecision prec(20);
  Rational delta = attnrmt::parse_rational("1.000000000000000000000000000001", "delta");
  auto law = BulkLaw<MpReal>::from_exact(delta, Rational(1, 2));
  CHECK(!law.hard_left_edge());
  CHECK(rel_error(law.atom(), MpReal("1e-30") / (1 + MpReal("1e-30"))) < MpReal("1e-18"));
  CHECK(rel_error(law.left_edge(), MpReal("1.25e-61")) < MpReal("1e-18"));
  // Exactly 1: hard edge, no atom.
  auto hard = BulkLaw<MpReal>::from_exact(Rational(1), Rational(1, 2));
  CHECK(hard.hard_left_edge());
  CHECK(hard.atom() == 0);
  CHECK(hard.left_edge() == 0);
}

// ---- item 11: slow paths ----------------------------------------------------------

TEST_CASE("exact_moments (recursion) equals the Lagrange-inversion sum", "[numerics]") {
  for (auto [d, g] : {std::pair<Rational, Rational>{Rational(1, 2), Rational(7, 3)},
                      {Rational(1), Rational(1)},
                      {Rational(3, 10), Rational(5)},
                      {Rational(1, 1000000), Rational(123456, 1000)}}) {
    auto fast = attnrmt::exact_moments(25, d, g, Rational(2, 3));
    Rational kpow(1);
    for (int k = 1; k <= 25; ++k) {
      kpow *= Rational(2, 3);
      Rational slow = attnrmt::moment_value<Rational>(k, d, g) * kpow;
      INFO("k = " << k << " delta = " << d << " gamma = " << g);
      CHECK(fast[k - 1].str() == attnrmt::rational_to_string(slow));
    }
  }
}

TEST_CASE("CLI moments --order 200 answers in seconds, and huge fractions are refused",
          "[numerics][cli]") {
  auto r = run_cli("moments --delta 1/2 --gamma 1/3 --order 200 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 201);
  REQUIRE(rows[0] == std::vector<std::string>{"k", "moment", "moment_exact"});
  CHECK(rows[1][2] == "1");
  CHECK(rows[2][2] == "11/6");  // 1 + delta + gamma, exactly
  CHECK(rows[2][1] == "1.83333333333333");  // and as a 15-digit decimal
  auto big = run_cli("moments --delta 1e-3000 --gamma 1/3 --order 200");
  CHECK(big.exit_code == 2);
  CHECK(big.err.find("--order") != std::string::npos);
}

// ---- item 13 (numeric part): range errors instead of internal errors ---------------

TEST_CASE("CLI plot phase --gamma 1e300 is a range error, not a non-finite figure",
          "[numerics][cli]") {
  const std::string out = "/tmp/attnrmt_numerics_phase_" + std::to_string(::getpid()) + ".png";
  auto r = run_cli("plot phase --gamma 1e300 --out " + out);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--gamma") != std::string::npos);
  CHECK(r.err.find("internal") == std::string::npos);
  CHECK(attnrmt_test::slurp(out).empty());
}

TEST_CASE("CLI integrate at huge delta or gamma: answered in seconds or refused at once",
          "[numerics][cli]") {
  // f = t/(5 - t): the continuous part (mass 1/delta, at t ~ delta) gives
  // -1/delta (1 + O(1/delta)); the atom contributes f(0) = 0.
  auto r = run_cli("integrate --delta 1e30 --gamma 1/2 --f stieltjes-t:5 --format csv");
  REQUIRE(r.exit_code == 0);
  CHECK(cell(r.out, "value") == "-1e-30");
  auto r2 = run_cli("integrate --delta 1/3 --gamma 1e30 --f stieltjes-t:5 --format csv");
  REQUIRE(r2.exit_code == 0);
  CHECK(cell(r2.out, "value") == "-1e-30");
  // m_2 = 1 + delta + gamma exactly.
  auto r3 = run_cli("integrate --delta 1e100 --gamma 1/2 --f power:2 --format csv");
  REQUIRE(r3.exit_code == 0);
  CHECK(cell(r3.out, "value") == "1e+100");
  auto r4 = run_cli("integrate --delta 1e400 --gamma 1/2 --f power:2");
  CHECK(r4.exit_code == 2);
  CHECK(r4.err.find("--delta") != std::string::npos);
}

TEST_CASE("CLI precision right_edge at delta = 1e12 is refused at once", "[numerics][cli]") {
  auto r = run_cli("precision --quantity right_edge --delta 1e12 --gamma 0.804737854124365");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--delta") != std::string::npos);
  CHECK(r.err.find("--closed-form-only") != std::string::npos);
}
