// Tests of the quantity catalogue with a population (include/attnrmt/quantities.hpp,
// docs/population.md "Tables, check and precision"): `attnrmt table`, `check` and
// `precision` with --population / --signal, run through the built CLI.
// * H = delta_1 given as atoms:1@1 (the general engine, GeneralBulkLaw/GeneralSpike)
//   prints the isotropic engine's digits (bulk_law.hpp, spike.hpp) for every quantity
//   that supports a population;
// * the example numbers of docs/theory.md "Anisotropic embeddings" (the specification's
//   §6, 20 digits) for H = 0.5 delta_0.5 + 0.5 delta_1.5 (generic and eigenvector mu) and
//   for the split-support H = 0.5 delta_0.1 + 0.45 delta_1 + 0.05 delta_10 (from a file);
// * check passes on table's own output and fails when one digit is changed;
// * bad input (a quantity without a population route, bad specs) exits 2 with one line.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "attnrmt/precision.hpp"
#include "attnrmt/quantities.hpp"
#include "support/cli_runner.hpp"

using attnrmt_test::run_cli;

namespace {

// Column name -> cell of each data row.
std::vector<std::map<std::string, std::string>> table_of(const std::string& text) {
  auto rows = attnrmt_test::parse_csv(text);
  REQUIRE(rows.size() >= 2);
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == rows[0].size());
    std::map<std::string, std::string> m;
    for (std::size_t j = 0; j < rows[0].size(); ++j) m[rows[0][j]] = rows[i][j];
    out.push_back(m);
  }
  return out;
}

// A decimal as the table prints it: trailing zeros of the fraction dropped.
std::string printed(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

const char* kTwoAtoms = "atoms:0.5@1/2,1.5@1/2";

}  // namespace

TEST_CASE("table: H = delta_1 as atoms:1@1 prints the isotropic digits", "[table][population]") {
  // Every quantity with a population route, at points below tau1, between the
  // thresholds and above tau2, kappa != 1, delta < gamma and delta > 1.
  const std::string quantities =
      "tau1,tau2,right_edge,left_edge,atom,density,cauchy_re,cauchy_im,moment,lambda,"
      "alignment_mu,alignment_u,population_outlier,population_alignment,regime";
  for (const char* point :
       {"--set delta=1/2 --set gamma=1/3 --set kappa=2", "--set delta=2 --set gamma=3/4"}) {
    const std::string args = "table --quantities " + quantities + " " + point +
                             " --vary alpha_over_kappa=0.5,1,5 --set x=1 --set z_re=1 "
                             "--vary z_im=0,1/4 --set k=3 --digits 40 --format csv";
    auto iso = run_cli(args);
    auto pop = run_cli(args + " --population atoms:1@1");
    REQUIRE(iso.exit_code == 0);
    REQUIRE(pop.exit_code == 0);
    auto a = table_of(iso.out), b = table_of(pop.out);
    REQUIRE(a.size() == 6);
    REQUIRE(b.size() == a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(b[i].at("population") == "atoms:1@1");
      for (const auto& [column, value] : a[i]) {
        INFO(point << " row " << i << " column " << column);
        CHECK(b[i].at(column) == value);
      }
    }
  }
  // cdf (quadrature of the density: slower) at 20 digits; quantile (bisection on
  // that CDF) is compared in process (tests/test_quantities.cpp).
  const std::string args =
      "table --quantities cdf --set delta=1/2 --set gamma=1/3 --set kappa=2 --set x=1 "
      "--digits 20 --format csv";
  auto iso = run_cli(args), pop = run_cli(args + " --population atoms:1@1");
  REQUIRE(iso.exit_code == 0);
  REQUIRE(pop.exit_code == 0);
  CHECK(table_of(pop.out)[0].at("cdf") == table_of(iso.out)[0].at("cdf"));
}

TEST_CASE("table --population: the specification's example numbers at 20 digits",
          "[table][population]") {
  // docs/theory.md "Anisotropic embeddings", example: delta = gamma = 1/2, rho = 1, a = 2.
  auto r = run_cli(std::string("table --quantities tau1,tau2,left_edge,right_edge,density,"
                               "cauchy_re,cauchy_im,moment,lambda,alignment_mu,alignment_u,"
                               "population_outlier,population_alignment,regime "
                               "--set delta=1/2 --set gamma=1/2 --set alpha_over_kappa=2 --set "
                               "x=1 --set z_re=2 --set z_im=1/2 --vary k=2,4 --digits 20 "
                               "--format csv --population ") +
                   kTwoAtoms);
  REQUIRE(r.exit_code == 0);
  auto t = table_of(r.out);
  REQUIRE(t.size() == 2);
  const std::map<std::string, std::string> expected = {
      {"tau1", "1.0368442077840408043"},
      {"tau2", "1.4390467201812252285"},
      {"left_edge", "0.019992695958192762310"},
      {"right_edge", "5.0482378379269934423"},
      {"density", "0.24252192321368617888"},
      {"cauchy_re", "0.38573510421061058521"},
      {"cauchy_im", "-0.41430300425804748229"},
      {"lambda", "5.3750781912231368252"},
      {"alignment_mu", "0.32338960511189311996"},
      {"alignment_u", "0.51616854679315785149"},
      {"population_outlier", "4.4244455167152094383"},
      {"population_alignment", "0.85272592822144702961"},
      {"regime", "detectable"}};
  for (const auto& row : t)
    for (const auto& [column, value] : expected) {
      INFO("column " << column);
      CHECK(row.at(column) == printed(value));
    }
  CHECK(t[0].at("moment") == "2.25");     // 9/4
  CHECK(t[1].at("moment") == "23.1875");  // 371/16
  CHECK(r.out.find("# certificate: two independent MPFR runs") != std::string::npos);

  // The same H with mu the eigenvector of eigenvalue 3/2.
  auto e = run_cli(std::string("table --quantities tau1,tau2,lambda,alignment_mu,alignment_u "
                               "--set delta=1/2 --set gamma=1/2 --set alpha_over_kappa=2 "
                               "--digits 20 --format csv --signal eigenvector:3/2 --population ") +
                   kTwoAtoms);
  REQUIRE(e.exit_code == 0);
  auto te = table_of(e.out);
  CHECK(te[0].at("signal") == "eigenvector:3/2");
  CHECK(te[0].at("tau1") == "0.83042939927534853879");
  CHECK(te[0].at("tau2") == "1.2251169918723578155");
  CHECK(te[0].at("lambda") == printed("5.5971137112606901970"));
  CHECK(te[0].at("alignment_u") == "0.60749742625766996044");
  CHECK(te[0].at("alignment_mu") == "0.42521128367272441982");

  // The split support from a file (weights in the second column): edges, thresholds;
  // at a = 2 no top outlier (lambda = the right edge), at a = 8 the top outlier.
  const std::string path = "/tmp/attnrmt_test_split_" + std::to_string(::getpid()) + ".txt";
  {
    std::ofstream f(path);
    f << "# H = 0.5 delta_0.1 + 0.45 delta_1 + 0.05 delta_10\n0.1 0.5\n1 0.45\n10 0.05\n";
  }
  auto s = run_cli(
      "table --quantities left_edge,right_edge,tau1,tau2,lambda,alignment_mu,regime "
      "--set delta=1/4 --set gamma=1/4 --vary alpha_over_kappa=2,8 --digits 20 "
      "--format csv --population file:" +
      path);
  std::remove(path.c_str());
  REQUIRE(s.exit_code == 0);
  auto ts = table_of(s.out);
  REQUIRE(ts.size() == 2);
  CHECK(ts[0].at("left_edge") == "0.019251602375947440882");
  CHECK(ts[0].at("right_edge") == "13.775465073626931246");
  CHECK(ts[0].at("tau1") == "4.3474600715982780423");
  CHECK(ts[0].at("tau2") == "5.3613359416302355153");
  CHECK(ts[0].at("regime") == "none");
  CHECK(ts[0].at("lambda") == "13.775465073626931246");
  CHECK(ts[0].at("alignment_mu") == "0");
  CHECK(ts[1].at("regime") == "detectable");
  CHECK(ts[1].at("lambda") == "14.867412394752313859");
  CHECK(ts[1].at("alignment_mu") == "0.29852360269930321432");
}

TEST_CASE("check: table's own output with a population passes, one changed digit fails",
          "[table][population][check]") {
  const std::string base = "/tmp/attnrmt_test_popcheck_" + std::to_string(::getpid());
  auto r = run_cli(std::string("table --quantities tau1,tau2,lambda,alignment_u,regime "
                               "--set delta=1/2 --set gamma=1/2 --vary alpha_over_kappa=1,2 "
                               "--digits 20 --format csv --signal eigenvector:1/2 "
                               "--population ") +
                   kTwoAtoms + " --out " + base + ".csv");
  REQUIRE(r.exit_code == 0);
  auto good = run_cli("check " + base + ".csv --digits 30 --min-digits 20 --summary");
  CHECK(good.exit_code == 0);
  CHECK(good.out.find("PASS") != std::string::npos);

  // The same values without the population columns are another law: they fail
  // unless --population/--signal give it back.
  std::string text = attnrmt_test::slurp(base + ".csv");
  auto rows = attnrmt_test::parse_csv(text);
  REQUIRE(rows.size() == 3);
  auto write = [&](const std::string& path, bool drop_population, int change_row) {
    std::ofstream f(path);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::string line;
      for (std::size_t j = 0; j < rows[i].size(); ++j) {
        if (drop_population && (rows[0][j] == "population" || rows[0][j] == "signal")) continue;
        std::string cell = rows[i][j];
        if (static_cast<int>(i) == change_row && rows[0][j] == "tau2") {
          // change the last digit by one unit
          char& last = cell.back();
          last = last == '9' ? '8' : static_cast<char>(last + 1);
        }
        if (cell.find(',') != std::string::npos) cell = "\"" + cell + "\"";
        line += (line.empty() ? "" : ",") + cell;
      }
      f << line << "\n";
    }
  };
  write(base + "_bad.csv", false, 2);
  auto bad = run_cli("check " + base + "_bad.csv --digits 30 --min-digits 20 --summary");
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.find("FAIL: 1 of 10 values") != std::string::npos);

  write(base + "_bare.csv", true, -1);
  auto iso = run_cli("check " + base + "_bare.csv --digits 30 --min-digits 20 --summary");
  CHECK(iso.exit_code == 1);
  auto with = run_cli("check " + base + "_bare.csv --digits 30 --min-digits 20 --summary " +
                      "--signal eigenvector:1/2 --population " + kTwoAtoms);
  CHECK(with.exit_code == 0);
  CHECK(with.out.find("set: population=atoms:0.5@1/2,1.5@1/2,signal=eigenvector:1/2") !=
        std::string::npos);
  for (const char* suffix : {".csv", "_bad.csv", "_bare.csv"}) std::remove((base + suffix).c_str());
}

TEST_CASE("precision --population: the population route at each working precision",
          "[table][population]") {
  auto r = run_cli(std::string("precision --quantity lambda --delta 1/2 --gamma 1/2 "
                               "--alpha-over-kappa 2 --digits-list 16,40 --format csv "
                               "--population ") +
                   kTwoAtoms);
  REQUIRE(r.exit_code == 0);
  auto rows = attnrmt_test::parse_csv(r.out);
  // Header, then per precision the closed_form row and the ball row
  // (ball/population_ball.hpp covers lambda); no contour row.
  REQUIRE(rows.size() == 5);
  CHECK(rows[3][1] == "closed_form");
  CHECK(rows[3][2].rfind("5.3750781912231368252", 0) == 0);
  CHECK(rows[4][1] == "ball");
  CHECK(rows[4][2].rfind("5.3750781912231368252", 0) == 0);
  CHECK(rows[1][3] == "16");
}

TEST_CASE("table/check/precision --population: bad input exits 2 with one line",
          "[table][population][cli]") {
  const std::string two = kTwoAtoms;
  struct Case {
    std::string args, needle;
  };
  const std::vector<Case> cases = {
      {"table --quantities tau1,omega1 --set delta=1/2 --population " + two,
       "quantity omega1 does not support --population"},
      {"table --quantities scheme_kappa --set T=4 --set pooling=mean --signal eigenvector:1",
       "quantity scheme_kappa does not support --signal"},
      {"table --quantities mp_density --set c=1/2 --set x=1 --set population=" + two,
       "quantity mp_density does not support --population"},
      {"table --quantities tau1 --set delta=1/2 --population atoms:0.5@1/2,1.5@1/3",
       "weights must sum to 1"},
      {"table --quantities tau1 --set delta=1/2 --population gaussian", "--population: expected"},
      {"table --quantities tau1 --set delta=1/2 --population atoms:-1@1", "atom"},
      {"table --quantities tau1 --set delta=1/2 --population file:/nonexistent/h.txt",
       "cannot open"},
      {"table --quantities tau1 --set delta=1/2 --population " + two + " --signal eigenvector:2",
       "must be one of the atoms"},
      {"table --quantities tau1 --set delta=1/2 --population " + two + " --signal sideways",
       "--signal: expected generic or eigenvector:S"},
      {"precision --quantity log_moment --delta 1/2 --gamma 1/2 --population " + two,
       "quantity log_moment does not support --population"},
      {"precision --quantity lambda --delta 1/2 --gamma 1/2 --alpha-over-kappa 2 --convergence "
       "--population " +
           two,
       "--convergence needs the contour route"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    auto r = run_cli(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.needle) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  // check: a population column with a quantity that has no population route.
  const std::string path = "/tmp/attnrmt_test_popcol_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream f(path);
    f << "delta,population,omega1\n0.5,atoms:1@1,1.2\n";
  }
  auto r = run_cli("check " + path);
  std::remove(path.c_str());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("quantity omega1 does not support a 'population' column") != std::string::npos);
}

TEST_CASE("table --help names every quantity that takes a population, and no other",
          "[table][population]") {
  // The population paragraph of the help against the catalogue's own flags
  // (Quantity::supports_population), read in process.
  const auto help = run_cli("table --help");
  REQUIRE(help.exit_code == 0);
  const auto start = help.out.find("H ⊠ MP_delta ⊠ MP_gamma:");
  REQUIRE(start != std::string::npos);
  const auto end = help.out.find("(the other quantities refuse a population)", start);
  REQUIRE(end != std::string::npos);
  const std::string listed = help.out.substr(start, end - start);
  std::vector<std::string> names;
  std::string cur;
  for (char c : listed.substr(listed.find(':') + 1) + ",") {
    if (c == ',' || c == '\n' || c == ' ') {
      if (!cur.empty()) names.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  std::vector<std::string> expected;
  for (const auto& q : attnrmt::quantity_catalogue<attnrmt::MpReal>())
    if (q.supports_population()) expected.push_back(q.name);
  REQUIRE(expected.size() > 10);
  CHECK(names == expected);
  // The entries the hand-written list of earlier versions left out.
  for (const char* q : {"gap_lambda", "gap_outlier_count", "interval_left_edge", "interval_count"})
    CHECK(std::find(names.begin(), names.end(), q) != names.end());
}
