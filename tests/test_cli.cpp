// End-to-end tests of the `attnrmt` command line: certified digits against
// independent high-precision closed forms, exact fractions, error handling.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <sstream>

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/ball/decimal.hpp"
#include "attnrmt/complex.hpp"
#include "attnrmt/precision.hpp"
#include "cli/certify.hpp"
#include "cli/progress.hpp"
#include "params.hpp"
#include "support/cli_runner.hpp"

using attnrmt::MpReal;
using attnrmt::ScopedPrecision;
using attnrmt_test::parse_csv;
using attnrmt_test::run_cli;

namespace {

// Number of significant digits in a printed decimal.
int significant_digits(const std::string& s) {
  std::string mant = s.substr(0, s.find_first_of("eE"));
  std::string digits;
  for (char c : mant)
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  digits.erase(0, digits.find_first_not_of('0'));
  return static_cast<int>(digits.size());
}

// The printed value is `exact` correctly rounded to `digits` significant digits
// (trailing zeros may be dropped): |printed - exact| <= 0.5 unit in the last place.
void check_rounded(const std::string& printed, const MpReal& exact, int digits) {
  INFO("printed " << printed << " exact " << exact.str(digits + 5));
  REQUIRE(significant_digits(printed) <= digits);
  MpReal value(printed);
  MpReal ulp = pow(MpReal(10), floor(log10(abs(exact))) - (digits - 1));
  CHECK(abs(value - exact) <= ulp / 2 * (1 + MpReal("1e-10")));
}

}  // namespace

TEST_CASE("thresholds --digits 50 prints tau1, tau2 correctly rounded", "[cli]") {
  auto r = run_cli("thresholds --delta 1/2 --gamma 1/2 --rho 1 --digits 50 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[0] == std::vector<std::string>{"tau1", "tau2", "omega1", "omega2"});
  ScopedPrecision p(80);
  MpReal half = MpReal(1) / 2;
  MpReal s_star = (half + sqrt(half * half + 8 * half)) / 2;  // delta = gamma closed form
  check_rounded(rows[1][0], (half + sqrt(half)) / (1 + half), 50);
  check_rounded(rows[1][1], (half + s_star) / (1 + half), 50);
  check_rounded(rows[1][2], half + sqrt(half), 50);
  check_rounded(rows[1][3], half + s_star, 50);
}

TEST_CASE("edges --digits 100 at delta = gamma = 1/2 equal (71 -+ 17 sqrt 17)/32", "[cli]") {
  auto r = run_cli("edges --delta 0.5 --gamma 0.5 --digits 100 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  ScopedPrecision p(130);
  MpReal s17 = sqrt(MpReal(17));
  check_rounded(rows[1][0], (71 - 17 * s17) / 32, 100);
  check_rounded(rows[1][1], (71 + 17 * s17) / 32, 100);
  CHECK(rows[1][2] == "0");
}

TEST_CASE("outlier rows for a list of alpha/kappa", "[cli]") {
  auto r = run_cli(
      "outlier --delta 1/2 --gamma 1/2 --alpha-over-kappa 0.5,1,2 --mean-strength 32 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].front() == "alpha_over_kappa");
  CHECK(rows[1][1] == "none");
  CHECK(rows[2][1] == "table-only");
  CHECK(rows[3][1] == "detectable");
  // lambda = 126/25 exactly, A_mu = 32/75, A_u = 16/25 (docs/theory.md example).
  CHECK(rows[3][2] == "5.04");
  CHECK(rows[3][3] == "0.426666666666667");
  CHECK(rows[3][4] == "0.64");
  // Vocabulary-mean outlier, M = 32: s = 31/2, x(1/s) = 16 * 33/2 * 16 / (31/2)^2 = 16896/961.
  ScopedPrecision p(40);
  check_rounded(rows[3][7], MpReal(16896) / 961, 15);
}

TEST_CASE("moments are exact fractions in lowest terms", "[cli]") {
  auto r = run_cli("moments --delta 1 --gamma 1 --kappa 2 --order 4 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 5);
  // kappa^k times Fuss-Catalan 1, 3, 12, 55.
  CHECK(rows[1][1] == "2");
  CHECK(rows[2][1] == "12");
  CHECK(rows[3][1] == "96");
  CHECK(rows[4][1] == "880");
  auto r2 = run_cli("moments --delta 1/2 --gamma 0.75 --order 2 --format csv");
  REQUIRE(r2.exit_code == 0);
  CHECK(parse_csv(r2.out)[2][1] == "2.25");  // 1 + delta + gamma
  CHECK(parse_csv(r2.out)[2][2] == "9/4");
  // A non-terminating moment: a decimal rounded to --digits, the fraction beside it.
  auto r3 = run_cli("moments --delta 1/3 --gamma 1 --order 2 --digits 20 --format csv");
  REQUIRE(r3.exit_code == 0);
  CHECK(parse_csv(r3.out)[2][1] == "2.3333333333333333333");  // 1 + 1/3 + 1
  CHECK(parse_csv(r3.out)[2][2] == "7/3");
}

TEST_CASE("cauchy: conjugate symmetry and real points outside the support", "[cli]") {
  auto r =
      run_cli("cauchy --delta 0.3 --gamma 2 --z 1+0.5i --z 1-0.5i --z 20 --format csv --digits 30");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(rows[1][2] == rows[2][2]);
  CHECK(rows[1][3].substr(0, 1) == "-");
  CHECK("-" + rows[2][3] == rows[1][3]);
  CHECK(rows[3][3] == "0");
}

TEST_CASE("bulk grid: CDF increases from the atom to 1, density >= 0", "[cli]") {
  auto r = run_cli("bulk --delta 2 --gamma 1/2 --grid -1:9:41 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 42);
  double prev = -1;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    double x = std::stod(rows[i][0]), f = std::stod(rows[i][1]), F = std::stod(rows[i][2]);
    CHECK(f >= 0);
    CHECK(F >= prev);
    prev = F;
    if (x >= 0 && x < 0.1) CHECK(F == Approx(0.5));  // atom 1 - 1/delta
  }
  CHECK(prev == 1);
}

TEST_CASE("bad input: one line on stderr naming the parameter, exit code 2", "[cli]") {
  struct Case {
    const char* args;
    const char* mention;
  } cases[] = {
      {"thresholds --delta 0 --gamma 1", "--delta"},
      {"thresholds --delta -1 --gamma 1", "--delta"},
      {"thresholds --delta nan --gamma 1", "--delta"},
      {"thresholds --delta 1 --gamma 1 --rho -2", "--rho"},
      {"outlier --delta 1 --gamma 1 --alpha-over-kappa 0", "--alpha-over-kappa"},
      {"outlier --delta 1 --gamma 1", "--alpha-over-kappa"},
      {"thresholds --delta 1 --gamma 1 --bogus 3", "--bogus"},
      {"thresholds --delta 1 --gamma 1 --digits 0", "--digits"},
      {"thresholds --delta 1 --gamma 1 --format xml", "--format"},
      {"cauchy --delta 2 --gamma 1/2 --z 0", "z = 0"},
      {"bulk --delta 1 --gamma 1", "--x"},
      {"moments --delta 1 --gamma 1 --order -3", "--order"},
      {"nosuchcommand", "unknown command"},
  };
  for (const auto& c : cases) {
    auto r = run_cli(c.args);
    INFO(c.args << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.mention) != std::string::npos);
  }
}

TEST_CASE("help text documents every command and its options", "[cli]") {
  auto main_help = run_cli("--help");
  CHECK(main_help.exit_code == 0);
  for (const char* cmd : {"bulk", "edges", "moments", "cauchy", "thresholds", "outlier"}) {
    CHECK(main_help.out.find(cmd) != std::string::npos);
    auto r = run_cli(std::string(cmd) + " --help");
    INFO(cmd);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("--delta") != std::string::npos);
    CHECK(r.out.find("--format") != std::string::npos);
  }
}

TEST_CASE("output to a file: --out writes it atomically and nothing to stdout", "[cli]") {
  std::string path = "/tmp/attnrmt_cli_out_" + std::to_string(::getpid()) + ".json";
  auto r = run_cli("edges --delta 1,2 --gamma 1 --format json --out " + path);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  std::string text = attnrmt_test::slurp(path);
  CHECK(text.find("\"right_edge\": 6.75") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("the regime exactly at a threshold does not depend on the working precision", "[cli]") {
  // delta = gamma = 1/10, rho = 1/2, alpha/kappa = 1: s = 1/2 and P(s) = 0 exactly,
  // so the sample outlier is absent (table-only: s^2 = 1/4 > delta).
  for (const char* digits : {"15", "20", "40", "50", "60"}) {
    auto r = run_cli(std::string("outlier --delta 0.1 --gamma 0.1 --rho 0.5 --alpha-over-kappa 1 "
                                 "--format csv --digits ") +
                     digits);
    REQUIRE(r.exit_code == 0);
    auto rows = parse_csv(r.out);
    INFO("--digits " << digits);
    CHECK(rows[1][0] == "table-only");
    CHECK(rows[1][2] == "0");  // alignment_mu
  }
}

TEST_CASE("extreme parameters still bracket their roots", "[cli]") {
  // Tiny and huge parameters: rounding must not break the root brackets.
  auto r = run_cli("thresholds --delta 1e-60 --gamma 1e-60 --format csv");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  {
    // tau1 = (delta + sqrt delta)/(rho + delta) ~ 1e-30: small but fully resolved.
    ScopedPrecision p(80);
    MpReal delta("1e-60");
    check_rounded(parse_csv(r.out)[1][0], (delta + sqrt(delta)) / (1 + delta), 15);
  }
  auto e = run_cli("edges --delta 1e60 --gamma 1 --format csv");
  INFO(e.err);
  REQUIRE(e.exit_code == 0);
  // atom = 1 - 1e-60 rounds to 1 at 15 digits.
  CHECK(parse_csv(e.out)[1][2] == "1");
}

TEST_CASE("regime at a threshold through a pooling scheme (floating-point alpha/kappa)", "[cli]") {
  // Mean pooling with R = I gives alpha/kappa = 1 exactly, so the same threshold point.
  for (const char* digits : {"15", "40", "50", "60"}) {
    auto r = run_cli(std::string("outlier --delta 0.1 --gamma 0.1 --rho 0.5 --T 4 --pooling mean "
                                 "--format csv --digits ") +
                     digits);
    REQUIRE(r.exit_code == 0);
    auto rows = parse_csv(r.out);
    INFO("--digits " << digits << "\n" << r.out);
    auto col = std::find(rows[0].begin(), rows[0].end(), "regime") - rows[0].begin();
    CHECK(rows[1][col] == "table-only");
  }
}

TEST_CASE("one significant digit with --digits 1", "[cli]") {
  auto r = run_cli("thresholds --delta 1/2 --gamma 1/2 --digits 1 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  // tau1 = 0.8047..., tau2 = 1.187..., omega1 = 1.207..., omega2 = 1.78...
  CHECK(rows[1] == std::vector<std::string>{"0.8", "1", "1", "2"});
  auto e = run_cli("thresholds --delta 1 --gamma 1 --digits 1 --format csv");
  REQUIRE(e.exit_code == 0);
  // P(s) = s^3 - 3s - 2 = (s + 1)^2 (s - 2): s* = 2, tau1 = 1, tau2 = 3/2 -> 2 (half away
  // from zero), omega1 = 2, omega2 = 3.
  CHECK(parse_csv(e.out)[1] == std::vector<std::string>{"1", "2", "2", "3"});
}

TEST_CASE("small resolved values are printed, not rounded to 0", "[cli]") {
  auto r = run_cli("edges --delta 1 --gamma 1 --kappa 1e-30 --format csv");
  REQUIRE(r.exit_code == 0);
  CHECK(parse_csv(r.out)[1][1] == "6.75e-30");
  auto g = run_cli("cauchy --delta 1 --gamma 1 --z 1e30 --format csv --digits 5");
  REQUIRE(g.exit_code == 0);
  // g(z) = 1/z + m1/z^2 + ... = 1e-30 to 5 digits.
  CHECK(parse_csv(g.out)[1][2] == "1e-30");
}

TEST_CASE("cauchy output satisfies docs/theory.md's cubic to the printed precision", "[cli]") {
  // Defining-equation residual computed from the printed digits (30 digits).
  auto r =
      run_cli("cauchy --delta 0.3 --gamma 2 --z 1+0.5i --z 0.05+2i --z 3 --digits 30 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  ScopedPrecision p(50);
  MpReal d("0.3"), gm("2");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    attnrmt::Complex<MpReal> z(MpReal(rows[i][0]), MpReal(rows[i][1])),
        g(MpReal(rows[i][2]), MpReal(rows[i][3]));
    auto t3 = d * gm * z * z * g * g * g;
    auto t2 = (d * (1 - gm) + gm * (1 - d)) * z * g * g;
    auto t1 = ((1 - d) * (1 - gm) - z) * g;
    auto res = attnrmt::abs(t3 + t2 + t1 + attnrmt::Complex<MpReal>(1));
    INFO("row " << i << " residual " << res);
    CHECK(res < MpReal("1e-27"));
  }
}

// ---- in-process pieces of the CLI (solver/cli/) -----------------------------

TEST_CASE("progress bar: silent when disabled or quick, one line ending in a newline",
          "[cli][progress]") {
  using attnrmt::cli::ProgressBar;
  {
    std::ostringstream out;
    {
      ProgressBar bar("test", "rows", 10, false, out, 0.0);
      for (std::size_t k = 0; k <= 10; ++k) bar.update(k);
      bar.finish();
    }
    CHECK(out.str().empty());
  }
  {
    // Enabled but the run is shorter than the delay: nothing is drawn.
    std::ostringstream out;
    {
      ProgressBar bar("test", "rows", 10, true, out, 1e9);
      for (std::size_t k = 0; k <= 10; ++k) bar.update(k);
    }
    CHECK(out.str().empty());
  }
  {
    std::ostringstream out;
    {
      ProgressBar bar("attnrmt table: pass 1", "rows", 10, true, out, 0.0);
      bar.update(5);
      bar.update(10);
      bar.finish();
      bar.finish();  // idempotent
    }                // the destructor adds nothing after finish()
    const std::string s = out.str();
    INFO(s);
    REQUIRE(!s.empty());
    CHECK(s.front() == '\r');
    CHECK(s.back() == '\n');
    CHECK(std::count(s.begin(), s.end(), '\n') == 1);
    CHECK(s.find("attnrmt table: pass 1 [###############...............] 5/10 rows, ") !=
          std::string::npos);
    CHECK(s.find("[##############################] 10/10 rows, ") != std::string::npos);
    // Half done after t seconds: about t seconds left; nothing left at the end.
    CHECK(s.find(" s left") != std::string::npos);
    CHECK(s.find(" s left", s.find("10/10")) == std::string::npos);
  }
  {
    // Without finish(): the destructor ends the line.
    std::ostringstream out;
    { ProgressBar("validate", "replicates", 4, true, out, 0.0).update(2); }
    CHECK(out.str().back() == '\n');
  }
}

TEST_CASE("format_number agrees with exact rational rounding (half to even) at every length",
          "[cli][format]") {
  // Second route: ball::round_rational rounds the exact rational in integer
  // arithmetic; format_number rounds the MPFR number with mpfr_get_str. On
  // dyadic rationals (exact in MpReal) both must give the same text, ties
  // (2.5, 0.125, ...) included, in positional and exponent layout.
  ScopedPrecision prec(60);  // about 200 bits: every value below is exact
  std::mt19937_64 rng(20261201);
  std::vector<attnrmt::Rational> values = {attnrmt::Rational(5, 2),    attnrmt::Rational(1, 8),
                                           attnrmt::Rational(-3, 2),   attnrmt::Rational(25),
                                           attnrmt::Rational(1, 1024), attnrmt::Rational(-7, 16)};
  for (int k = 0; k < 200; ++k) {
    const long odd = static_cast<long>(rng() % (1ULL << 40)) | 1L;
    const int shift = static_cast<int>(rng() % 121) - 60;  // 2^-60 .. 2^60
    attnrmt::Rational r(odd);
    const attnrmt::Rational two_pow =
        boost::multiprecision::pow(attnrmt::BigInt(2), std::abs(shift));
    r = shift >= 0 ? attnrmt::Rational(r * two_pow) : attnrmt::Rational(r / two_pow);
    values.push_back(k % 2 ? attnrmt::Rational(-r) : r);
  }
  for (const auto& r : values)
    for (int n = 1; n <= 20; ++n) {
      INFO(attnrmt::rational_to_string(r) << " to " << n << " digits");
      CHECK(attnrmt::cli::format_number(attnrmt::to_real<MpReal>(r), n) ==
            attnrmt::ball::layout_decimal(attnrmt::ball::round_rational(r, n)));
    }
  // Fixed points of the layout: exponent form outside [1e-5, 1e15), ties to even.
  CHECK(attnrmt::cli::format_number(MpReal(2.5), 1) == "2");
  CHECK(attnrmt::cli::format_number(MpReal(3.5), 1) == "4");
  CHECK(attnrmt::cli::format_number(MpReal(0), 7) == "0");
  CHECK(attnrmt::cli::format_number(MpReal(1e15), 3) == "1e+15");
  CHECK(attnrmt::cli::format_number(MpReal(0.00001), 3) == "0.00001");
  // Just below a tie: 0.25 - 2^-110 rounds to 0.2 at one digit (a 30-digit
  // expansion would show 0.250000... and round up).
  MpReal below_tie = MpReal(0.25) - pow(MpReal(2), -110);
  CHECK(attnrmt::cli::format_number(below_tie, 1) == "0.2");
  CHECK(attnrmt::cli::format_number(below_tie, 2) == "0.25");
  CHECK_THROWS_AS(attnrmt::cli::format_number(MpReal(1) / MpReal(0), 5), std::domain_error);
}

TEST_CASE("bulk --q: quantiles whose CDF, by the ball engine, is q", "[cli][quantile]") {
  // Second route: the certified CDF (Arb) at the printed 20-digit quantile is q
  // to within the density times the printing error.
  using attnrmt::Rational;
  auto check = [](const std::string& delta, const std::string& gamma, const std::string& levels) {
    auto r = run_cli("bulk --delta " + delta + " --gamma " + gamma + " --q " + levels +
                     " --digits 20 --format csv");
    REQUIRE(r.exit_code == 0);
    auto rows = parse_csv(r.out);
    REQUIRE(rows[0] == std::vector<std::string>{"q", "quantile"});
    attnrmt::ball::BallLaw law(attnrmt::parse_rational(delta, "delta"),
                               attnrmt::parse_rational(gamma, "gamma"), Rational(1), 256);
    std::vector<std::string> quantiles;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const Rational q = attnrmt::parse_rational(rows[i][0], "q");
      const Rational x = attnrmt::parse_rational(rows[i][1], "quantile");
      quantiles.push_back(rows[i][1]);
      INFO("q = " << rows[i][0] << ", quantile " << rows[i][1]);
      if (x == 0) {
        REQUIRE(q <= law.atom_exact());  // inside the atom at 0
        continue;
      }
      attnrmt::ball::Arb err;
      attnrmt::ball::Arb target = attnrmt::ball::to_arb(q, 256);
      arb_sub(err, law.cdf(x), target, 256);
      arb_abs(err, err);
      REQUIRE(arf_cmpabs_2exp_si(arb_midref(static_cast<arb_srcptr>(err)), -56) < 0);  // < 1.4e-17
    }
    return quantiles;
  };
  auto plain = check("1/2", "1/2", "0.01,0.25,1/2,0.9,0.999");
  REQUIRE(plain.size() == 5);
  REQUIRE(
      std::is_sorted(plain.begin(), plain.end(), [](const std::string& a, const std::string& b) {
        return attnrmt::parse_rational(a, "a") < attnrmt::parse_rational(b, "b");
      }));
  // delta = 2: an atom of mass 1/2 at 0.
  auto atom = check("2", "1/2", "0.3,1/2,0.75");
  REQUIRE(atom[0] == "0");
  REQUIRE(atom[1] == "0");
  REQUIRE(atom[2] != "0");
  auto bad = run_cli("bulk --delta 1/2 --gamma 1/2 --q 1.5");
  REQUIRE(bad.exit_code == 2);
  REQUIRE(bad.err.find("--q must be in [0, 1]") != std::string::npos);
  bad = run_cli("bulk --delta 1/2 --gamma 1/2 --q 0.5 --x 1");
  REQUIRE(bad.exit_code == 2);
  bad = run_cli("bulk --delta 1/2 --gamma 1/2 --q 0.5 --radius");
  REQUIRE(bad.exit_code == 2);
}

TEST_CASE("cartesian_indices: mixed-radix order, first axis slowest, and cartesian() follows it",
          "[cli]") {
  using attnrmt::cli::cartesian_indices;
  // Row r of sizes {2, 3, 4} is r written in the mixed radix (2, 3, 4).
  const auto rows = cartesian_indices({2, 3, 4});
  REQUIRE(rows.size() == 24);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::vector<std::size_t> expected{r / 12, (r / 4) % 3, r % 4};
    CHECK(rows[r] == expected);
  }
  REQUIRE(cartesian_indices({}).size() == 1);  // no axis: one empty row
  REQUIRE(cartesian_indices({}).front().empty());
  REQUIRE(cartesian_indices({3, 0, 2}).empty());  // an empty axis: no row
  const std::vector<attnrmt::cli::ParamAxis> axes{
      {"delta", {attnrmt::Rational(1, 2), attnrmt::Rational(2)}},
      {"gamma", {attnrmt::Rational(1, 3), attnrmt::Rational(1), attnrmt::Rational(5)}}};
  const auto grid = attnrmt::cli::cartesian(axes);
  REQUIRE(grid.size() == 6);
  for (std::size_t r = 0; r < grid.size(); ++r) {
    CHECK(grid[r][0].first == "delta");
    CHECK(grid[r][0].second == axes[0].values[r / 3]);
    CHECK(grid[r][1].second == axes[1].values[r % 3]);
  }
}
