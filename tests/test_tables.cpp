// tests/test_tables.cpp -- `attnrmt table`, `attnrmt check` and the committed
// reference tables in tables/ (issue 6).
//
// * sample rows of every committed table regenerate byte-identically, and the
//   smallest table regenerates whole (the rest: tests/slow/test_tables_slow.cpp);
// * committed values agree to 48 digits with formulas evaluated here in
//   cpp_bin_float_100 by other routes (tau2 as the largest root of its cubic in
//   t, s* by Newton from the right, edges as critical values of x(p) found by
//   bisection, closed forms on the diagonal delta = gamma), and with the
//   `thresholds` and `outlier` commands;
// * provenance is present and parsable in every format;
// * `check` reports full agreement on every committed table, and exactly the
//   altered row and column on a copy with one digit changed;
// * malformed CSV files (tests/corpus) give exit status 2 with a message that
//   names the line, never a crash.
#include <Eigen/Dense>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "attnrmt/rational.hpp"
#include "support/tables_support.hpp"

using namespace tables_test;
using B = boost::multiprecision::cpp_bin_float_100;

namespace {

const B kTol("1e-48");

bool close_to(const std::string& text, const B& expected) {
  B v(text);
  if (expected == 0) return v == 0;
  return abs(v - expected) <= kTol * abs(expected);
}

B sample_polynomial(const B& s, const B& d, const B& g) {
  return s * s * s - (d + g + g * d) * s - 2 * g * d;
}

// Largest root of P(s) = s^3 - (d + g + dg) s - 2dg by Newton from the right:
// P is convex and increasing right of its largest root, so Newton from a point
// with P > 0 decreases monotonically to it.
B largest_root_newton(const B& d, const B& g) {
  B b = d + g + d * g;
  B s = 2 * sqrt(b) + 2;
  for (int it = 0; it < 500; ++it) {
    B step = sample_polynomial(s, d, g) / (3 * s * s - b);
    s -= step;
    if (abs(step) < B("1e-95") * s) break;
  }
  return s;
}

B x_of_p(const B& p, const B& d, const B& g) {
  return (1 + p) * (1 + d * p) * (1 + g * p) / p;
}

// Left edge: x at the root of x'(p) p^2 = 2dg p^3 + (d+g+dg) p^2 - 1 inside
// (-1/a2, -1/a3), a1 <= a2 <= a3 the sorted {1, d, g}; 0 when a2 == a3.
B left_edge_bisection(const B& d, const B& g) {
  std::vector<B> a = {B(1), d, g};
  std::sort(a.begin(), a.end());
  if (a[1] == a[2]) return B(0);
  auto f = [&](const B& p) { return 2 * d * g * p * p * p + (d + g + d * g) * p * p - 1; };
  // When two of {1, d, g} coincide (d = g < 1) the left end is itself a root
  // of the cubic (a double zero of x): start just inside the interval.
  B lo = -1 / a[1], hi = -1 / a[2];
  lo += (hi - lo) * B("1e-60");
  B flo = f(lo);
  REQUIRE(flo * f(hi) < 0);
  for (int it = 0; it < 400; ++it) {
    B mid = (lo + hi) / 2;
    B fm = f(mid);
    if ((fm < 0) == (flo < 0)) {
      lo = mid;
      flo = fm;
    } else {
      hi = mid;
    }
  }
  return x_of_p((lo + hi) / 2, d, g);
}

fs::path table_path(const std::string& name) {
  return fs::path(ATTNRMT_SOURCE_DIR) / "tables" / name;
}

}  // namespace

TEST_CASE("committed tables: sample rows regenerate byte-identically", "[tables]") {
  auto files = committed_tables();
  REQUIRE(files.size() >= 4);
  for (const auto& path : files) {
    Table t = load_table(path);
    REQUIRE(t.rows.size() > 10);
    const std::string& quantities = t.provenance.at("quantities");
    auto params = split(t.provenance.at("parameters"), ',');
    std::size_t step = t.rows.size() / 7;
    for (std::size_t i = 0; i < t.rows.size(); i += step) {
      std::string args = "table --quantities " + quantities + " --digits 50 --format csv --quiet";
      for (const auto& p : params) args += " --set " + p + "=" + t.rows[i][t.column(p)];
      RunResult r = tables_test::run_cli(args);
      INFO(path.filename().string() << " row " << i << ": attnrmt " << args << "\n" << r.err);
      REQUIRE(r.status == 0);
      auto out = lines_of(r.out);
      REQUIRE(out.size() >= 2);
      CHECK(out[out.size() - 2] == join_header(t.header));
      CHECK(out.back() == t.data_lines[i]);
    }
  }
}

TEST_CASE("committed outliers table regenerates whole, identical but for volatile provenance",
          "[tables]") {
  Table t = load_table(table_path("outliers.csv"));
  fs::path out = scratch_dir() / "outliers.csv";
  RunResult r = tables_test::run_cli(regeneration_args(t.provenance.at("command"), out));
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::string regenerated = tables_test::slurp(out);
  std::string committed = tables_test::slurp(t.path);
  CHECK(stable_part(regenerated) == stable_part(committed));
  // the volatile lines are exactly the four documented ones
  CHECK(lines_of(committed).size() - lines_of(stable_part(committed)).size() == 4);
}

TEST_CASE("thresholds table agrees with closed forms and the cubic in t", "[tables]") {
  Table t = load_table(table_path("thresholds.csv"));
  REQUIRE(t.rows.size() == 2700);  // 30 x 30 x 3
  auto cd = t.column("delta"), cg = t.column("gamma"), cr = t.column("rho");
  auto c1 = t.column("tau1"), c2 = t.column("tau2");
  int diagonal = 0;
  std::set<std::string> rhos, deltas;
  for (const auto& row : t.rows) {
    B d(row[cd]), g(row[cg]), rho(row[cr]);
    rhos.insert(row[cr]);
    deltas.insert(row[cd]);
    INFO("delta=" << row[cd] << " gamma=" << row[cg] << " rho=" << row[cr]);
    REQUIRE(close_to(row[c1], (d + sqrt(d)) / (rho + d)));
    // tau2: the largest root of (rho+d)^3 t^3 - 3d(rho+d)^2 t^2
    //   + (rho+d)(3d^2 - d - g - dg) t + d(1-d)(d-g)  (docs/theory.md §3).
    B k = rho + d;
    B c3 = k * k * k, cc2 = -3 * d * k * k, cc1 = k * (3 * d * d - d - g - d * g),
      c0 = d * (1 - d) * (d - g);
    B tau2(row[c2]);
    B f = ((c3 * tau2 + cc2) * tau2 + cc1) * tau2 + c0;
    B fp = (3 * c3 * tau2 + 2 * cc2) * tau2 + cc1;
    REQUIRE(fp > 0);
    REQUIRE(abs(f / fp) <= kTol * tau2);  // one Newton step moves it by < 1e-48 relative
    // deflate: the other two roots are complex or smaller
    B q1 = cc2 + tau2 * c3, q0 = cc1 + tau2 * q1;
    B disc = q1 * q1 - 4 * c3 * q0;
    if (disc >= 0) REQUIRE((-q1 + sqrt(disc)) / (2 * c3) < tau2 * (1 - B("1e-20")));
    REQUIRE(tau2 > B(row[c1]));
    if (row[cd] == row[cg]) {
      ++diagonal;
      B s = (d + sqrt(d * d + 8 * d)) / 2;
      REQUIRE(close_to(row[c2], (d + s) / (rho + d)));
    }
  }
  CHECK(diagonal == 90);
  CHECK(rhos == std::set<std::string>{"0.5", "1", "2"});
  CHECK(deltas.size() == 30);
  CHECK(deltas.count("0.05") == 1);
  CHECK(deltas.count("4") == 1);
}

TEST_CASE("spike strengths and edges agree with independent routes", "[tables]") {
  Table w = load_table(table_path("spike_strengths.csv"));
  Table e = load_table(table_path("edges.csv"));
  REQUIRE(w.rows.size() == 900);
  REQUIRE(e.rows.size() == 900);
  int hard = 0;
  for (std::size_t i = 0; i < w.rows.size(); ++i) {
    const auto& rw = w.rows[i];
    const auto& re = e.rows[i];
    REQUIRE(rw[w.column("delta")] == re[e.column("delta")]);
    REQUIRE(rw[w.column("gamma")] == re[e.column("gamma")]);
    REQUIRE(re[e.column("kappa")] == "1");
    B d(rw[w.column("delta")]), g(rw[w.column("gamma")]);
    INFO("delta=" << d << " gamma=" << g);
    B s = largest_root_newton(d, g);
    REQUIRE(close_to(rw[w.column("omega1")], d + sqrt(d)));
    REQUIRE(close_to(rw[w.column("omega2")], d + s));
    // right edge = x(1/s*) = (s+d)(s+1)(s+g)/s^2 (s* = 1/p_+)
    REQUIRE(close_to(re[e.column("right_edge")], (s + d) * (s + 1) * (s + g) / (s * s)));
    B left = left_edge_bisection(d, g);
    if (left == 0) ++hard;
    REQUIRE(close_to(re[e.column("left_edge")], left));
    B atom = std::max({B(0), 1 - 1 / d, 1 - 1 / g});
    REQUIRE(close_to(re[e.column("atom")], atom));
  }
  CHECK(hard == 30 - 20);  // delta = gamma > 1: hard edge (20 of the 30 grid points are < 1)
}

TEST_CASE("outliers table agrees with the closed forms and exact regimes", "[tables]") {
  Table t = load_table(table_path("outliers.csv"));
  REQUIRE(t.rows.size() == 480);
  std::map<std::string, int> regimes;
  for (const auto& row : t.rows) {
    auto exact = [&](const char* name) {
      return attnrmt::parse_rational(row[t.column(name)], name);
    };
    attnrmt::Rational dq = exact("delta"), gq = exact("gamma");
    attnrmt::Rational sq = exact("alpha_over_kappa") * (exact("rho") + dq) - dq;
    attnrmt::Rational pq = sq * sq * sq - (dq + gq + gq * dq) * sq - 2 * gq * dq;
    std::string regime = (sq > 0 && pq > 0)         ? "detectable"
                         : (sq > 0 && sq * sq > dq) ? "table-only"
                                                    : "none";
    INFO(t.data_lines[&row - &t.rows[0]]);
    REQUIRE(row[t.column("regime")] == regime);
    ++regimes[regime];
    B d(row[t.column("delta")]), g(row[t.column("gamma")]), rho(row[t.column("rho")]);
    B s = B(row[t.column("alpha_over_kappa")]) * (rho + d) - d;
    if (regime == "detectable") {
      B au = sample_polynomial(s, d, g) / (s * s * (s + g));
      REQUIRE(close_to(row[t.column("lambda")], (s + d) * (s + 1) * (s + g) / (s * s)));
      REQUIRE(close_to(row[t.column("alignment_u")], au));
      REQUIRE(close_to(row[t.column("alignment_mu")], rho / (rho + d) * au));
    } else {
      B ss = largest_root_newton(d, g);
      REQUIRE(close_to(row[t.column("lambda")], (ss + d) * (ss + 1) * (ss + g) / (ss * ss)));
      REQUIRE(row[t.column("alignment_u")] == "0");
      REQUIRE(row[t.column("alignment_mu")] == "0");
    }
  }
  CHECK(regimes["none"] > 0);
  CHECK(regimes["table-only"] > 0);
  CHECK(regimes["detectable"] > 0);
}

TEST_CASE("table agrees with the thresholds and outlier commands digit for digit", "[tables]") {
  Table t = load_table(table_path("thresholds.csv"));
  // rho = 1 block, a few (delta, gamma) pairs: thresholds prints the same digits.
  for (std::size_t i : {900u, 1000u, 1377u, 1799u}) {
    const auto& row = t.rows[i];
    REQUIRE(row[t.column("rho")] == "1");
    RunResult r =
        tables_test::run_cli("thresholds --delta " + row[t.column("delta")] + " --gamma " +
                             row[t.column("gamma")] + " --rho 1 --digits 50 --format csv");
    REQUIRE(r.status == 0);
    auto out = lines_of(r.out);
    REQUIRE(out.size() == 2);
    auto cells = split(out[1], ',');
    CHECK(cells[0] == row[t.column("tau1")]);
    CHECK(cells[1] == row[t.column("tau2")]);
  }
  Table o = load_table(table_path("outliers.csv"));
  for (std::size_t i : {3u, 77u, 250u, 479u}) {
    const auto& row = o.rows[i];
    RunResult r = tables_test::run_cli("outlier --delta " + row[o.column("delta")] + " --gamma " +
                                       row[o.column("gamma")] + " --rho " + row[o.column("rho")] +
                                       " --alpha-over-kappa " + row[o.column("alpha_over_kappa")] +
                                       " --digits 50 --format csv");
    REQUIRE(r.status == 0);
    auto out = lines_of(r.out);
    REQUIRE(out.size() == 2);
    auto cells = split(out[1], ',');  // regime,lambda,alignment_mu,alignment_u,...
    INFO(o.data_lines[i] << "\n" << out[1]);
    CHECK(cells[0] == row[o.column("regime")]);
    CHECK(cells[1] == row[o.column("lambda")]);
    CHECK(cells[2] == row[o.column("alignment_mu")]);
    CHECK(cells[3] == row[o.column("alignment_u")]);
  }
}

TEST_CASE("provenance is present and parsable in every format", "[tables]") {
  const std::regex date(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  const std::regex commit(R"([0-9a-f]{7,40}(-dirty)?|unknown)");
  for (const auto& path : committed_tables()) {
    Table t = load_table(path);
    INFO(path.string());
    for (const char* key :
         {"generator", "version", "git_commit", "command", "date", "working_precision",
          "guaranteed_digits", "quantities", "parameters", "rows"})
      REQUIRE(t.provenance.count(key) == 1);
    CHECK(std::regex_match(t.provenance["date"], date));
    CHECK(std::regex_match(t.provenance["git_commit"], commit));
    CHECK(t.provenance["command"].rfind("attnrmt table ", 0) == 0);
    CHECK(t.provenance["command"].find("--out tables/" + path.filename().string()) !=
          std::string::npos);
    CHECK(t.provenance["guaranteed_digits"].rfind("50 significant digits", 0) == 0);
    CHECK(std::stoul(t.provenance["rows"]) == t.rows.size());
    // header = parameters then quantities
    CHECK(join_header(t.header) == t.provenance["parameters"] + "," + t.provenance["quantities"]);
    // every working precision exceeds the guaranteed digits
    std::smatch m;
    std::string wp = t.provenance["working_precision"];
    REQUIRE(std::regex_search(wp, m, std::regex(R"((\d+) and (\d+))")));
    CHECK(std::stoi(m[1]) > 50);
    CHECK(std::stoi(m[2]) > std::stoi(m[1]));
  }
  const std::string args =
      "table --quantities tau1,tau2 --vary delta=1/2,2 --set gamma=1/2 --digits 20 --quiet";
  RunResult json = tables_test::run_cli(args + " --format json");
  REQUIRE(json.status == 0);
  for (const char* key : {"\"version\"", "\"git_commit\"", "\"command\"", "\"date\"",
                          "\"working_precision\"", "\"guaranteed_digits\""})
    CHECK(json.out.find(key) != std::string::npos);
  CHECK(json.out.find("\"meta\": {") != std::string::npos);
  CHECK(json.out.find(
            "{\"delta\": 0.5, \"gamma\": 0.5, \"rho\": 1, \"tau1\": 0.80473785412436501627, "
            "\"tau2\": 1.1871842709362767583}") != std::string::npos);
  RunResult md = tables_test::run_cli(args + " --format md");
  REQUIRE(md.status == 0);
  CHECK(md.out.rfind("<!-- generator: attnrmt table -->", 0) == 0);
  CHECK(md.out.find("<!-- guaranteed_digits: 20 significant") != std::string::npos);
  RunResult tex = tables_test::run_cli(args + " --format tex");
  REQUIRE(tex.status == 0);
  CHECK(tex.out.find("% command: attnrmt table") != std::string::npos);
  for (const char* s :
       {"\\begin{table}", "\\toprule", "\\midrule", "\\bottomrule", "\\caption{", "\\end{table}"})
    CHECK(tex.out.find(s) != std::string::npos);
}

TEST_CASE("output does not depend on the number of threads", "[tables]") {
  const std::string args =
      "table --quantities tau2,right_edge,lambda,regime --vary delta=0.1:3:12log --vary "
      "gamma=1/3,2 "
      "--set alpha_over_kappa=1.5 --digits 30 --quiet";
  RunResult one = tables_test::run_cli(args + " --threads 1");
  RunResult four = tables_test::run_cli(args + " --threads 4");
  REQUIRE(one.status == 0);
  REQUIRE(four.status == 0);
  CHECK(stable_part(one.out) == stable_part(four.out));
  CHECK(lines_of(one.out).size() == 14 + 1 + 24);  // provenance, header, rows
  // exact rationals stay exact in the parameter columns
  CHECK(one.out.find("\n0.1,1/3,1,1,1.5,") != std::string::npos);
}

TEST_CASE("table: usage errors name the problem", "[tables]") {
  RunResult r = tables_test::run_cli("table --quantities tau2 --vary delta=1:2:3");
  CHECK(r.status == 2);
  CHECK(r.err.find("missing parameter 'gamma'") != std::string::npos);
  r = tables_test::run_cli("table --quantities tau9 --vary delta=1");
  CHECK(r.status == 2);
  CHECK(r.err.find("unknown quantity 'tau9'") != std::string::npos);
  r = tables_test::run_cli("table --quantities tau1 --vary delta=-1,2");
  CHECK(r.status == 2);
  CHECK(r.err.find("delta must be > 0 (got -1)") != std::string::npos);
  r = tables_test::run_cli("table --quantities tau1 --vary delta=1 --set delta=2");
  CHECK(r.status == 2);
  CHECK(r.err.find("given more than once") != std::string::npos);
}

TEST_CASE("check reports full agreement on every committed table", "[tables][check]") {
  for (const auto& path : committed_tables()) {
    Table t = load_table(path);
    std::size_t values = t.rows.size() * split(t.provenance.at("quantities"), ',').size();
    RunResult r = tables_test::run_cli("check " + path.string() + " --summary");
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("all_printed_digits_agree: " + std::to_string(values) + " of " +
                     std::to_string(values) + " values") != std::string::npos);
    CHECK(r.out.find("result: PASS") != std::string::npos);
  }
}

TEST_CASE("check finds one altered digit at exactly its row and column", "[tables][check]") {
  Table t = load_table(table_path("thresholds.csv"));
  const std::size_t row = 1234;
  const std::size_t col = t.column("tau2");
  auto lines = lines_of(tables_test::slurp(t.path));
  std::size_t line_index = t.first_data_line - 1 + row;  // 0-based index into lines
  REQUIRE(lines[line_index] == t.data_lines[row]);
  auto cells = split(lines[line_index], ',');
  std::string value = cells[col];
  // change the 10th significant digit
  std::size_t pos = 0;
  int seen = 0;
  for (; pos < value.size(); ++pos)
    if (std::isdigit(static_cast<unsigned char>(value[pos])) && (seen > 0 || value[pos] != '0'))
      if (++seen == 10) break;
  REQUIRE(seen == 10);
  value[pos] = value[pos] == '9' ? '7' : static_cast<char>(value[pos] + 2);
  cells[col] = value;
  lines[line_index] = join_header(cells);
  fs::path altered = scratch_dir() / "altered.csv";
  {
    std::ofstream f(altered, std::ios::binary);
    for (const auto& l : lines) f << l << "\n";
  }
  const std::string line_no = std::to_string(line_index + 1);
  RunResult r = tables_test::run_cli("check " + altered.string() + " --min-digits 20 --format csv");
  INFO(r.err);
  CHECK(r.status == 1);
  // exactly one failing value, at that line and column, with 9 agreeing digits
  CHECK(r.out.find("FAIL: 1 of 5400 values agree to fewer than 20 digits; first at line " +
                   line_no + ", column tau2: 9 digits") != std::string::npos);
  CHECK(r.out.find("# worst_row: line " + line_no + " (9 digits)") != std::string::npos);
  CHECK(r.out.find("# column tau2: min 9 digits (line " + line_no + ")") != std::string::npos);
  CHECK(r.out.find("# column tau1: min 5") != std::string::npos);  // tau1 untouched: >= 50 digits
  int below = 0;
  for (const auto& l : lines_of(r.out)) {
    if (l.empty() || l[0] == '#' || l.rfind("line,", 0) == 0) continue;
    auto c = split(l, ',');  // line,tau1,tau2,min
    REQUIRE(c.size() == 4);
    if (std::stoi(c[3]) < 20) {
      ++below;
      CHECK(c[0] == line_no);
      CHECK(c[2] == "9");
      CHECK(std::stoi(c[1]) >= 50);
    }
  }
  CHECK(below == 1);
  // with the default --min-digits 6 the file passes, but not every printed digit agrees
  r = tables_test::run_cli("check " + altered.string() + " --summary");
  CHECK(r.status == 0);
  CHECK(r.out.find("all_printed_digits_agree: 5399 of 5400 values") != std::string::npos);
}

TEST_CASE("check: extra columns are ignored, --set supplies constant parameters", "[check]") {
  fs::path p = scratch_dir() / "extra.csv";
  {
    std::ofstream f(p);
    f << "# from another implementation\r\n"
         "delta,gamma,note,tau2,right_edge\r\n"
         "0.5,0.5,\"first, quoted\",1.18718427,4.40914986360938\r\n"
         "1,1,x,1.5, 6.75\r\n";
  }
  RunResult r = tables_test::run_cli("check " + p.string() + " --set rho=1 --set kappa=1");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.find("ignoring column 'note'") != std::string::npos);
  CHECK(r.out.find("ignored_columns: note") != std::string::npos);
  // 1.18718427 is tau2 = 1.187184270936... to 9 digits; the right edge 4.40914986360938 to 15;
  // at delta = gamma = 1: s* = 2, tau2 = 3/2 and the Fuss-Catalan edge 27/4, exactly
  CHECK(r.out.find("column tau2: min 9 digits (line 3)") != std::string::npos);
  CHECK(r.out.find("column right_edge: min 15 digits (line 3)") != std::string::npos);
  r = tables_test::run_cli("check " + p.string() + " --set rho=1");
  CHECK(r.status == 2);
  CHECK(r.err.find(":2: missing parameter column 'kappa' (needed by right_edge") !=
        std::string::npos);
}

TEST_CASE("check: malformed files give a clear error, never a crash", "[check]") {
  fs::path dir = fs::path(ATTNRMT_SOURCE_DIR) / "tests" / "corpus";
  // EXPECTED: one line per file: NAME STATUS SUBSTRING-OF-STDERR
  auto expected = lines_of(tables_test::slurp(dir / "EXPECTED"));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != "EXPECTED") ++files;
  REQUIRE(expected.size() == files);
  for (const auto& line : expected) {
    auto sp1 = line.find(' ');
    auto sp2 = line.find(' ', sp1 + 1);
    std::string name = line.substr(0, sp1);
    int status = std::stoi(line.substr(sp1 + 1, sp2 - sp1 - 1));
    std::string message = line.substr(sp2 + 1);
    RunResult r = tables_test::run_cli("check " + (dir / name).string() + " --summary --digits 20");
    INFO(name << ": status " << r.status << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.status == status);
    CHECK(r.err.find(message) != std::string::npos);
    if (status == 2) CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

TEST_CASE("LaTeX output compiles in a standard document", "[tables]") {
  // scripts/setup installs texlive-latex-recommended (pdflatex, booktabs).
  REQUIRE(std::system("command -v pdflatex >/dev/null 2>&1") == 0);
  fs::path dir = scratch_dir() / "tex";
  fs::create_directories(dir);
  RunResult r = tables_test::run_cli(
      "table --quantities left_edge,right_edge,alignment_mu,regime --vary delta=0.9999,1e-9,1/3 "
      "--set gamma=1/3 --set alpha_over_kappa=1.5 --digits 20 --format tex --quiet --out " +
      (dir / "t.tex").string());
  REQUIRE(r.status == 0);
  {
    std::ofstream doc(dir / "doc.tex");
    doc << "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{t.tex}\n"
           "\\end{document}\n";
  }
  int rc =
      std::system(("cd " + dir.string() +
                   " && pdflatex -interaction=nonstopmode -halt-on-error doc.tex >log.txt 2>&1")
                      .c_str());
  INFO(tables_test::slurp(dir / "log.txt"));
  CHECK(rc == 0);
  CHECK(fs::exists(dir / "doc.pdf"));
}

TEST_CASE("table --out: an interrupted run leaves the previous file untouched", "[tables]") {
  fs::path target = scratch_dir() / "interrupted.csv";
  {
    std::ofstream f(target);
    f << "previous contents\n";
  }
  // 1000 digits on a 30 x 30 grid takes well over 0.3 s; kill it after 0.3 s.
  std::string cmd =
      "timeout -s KILL 0.3 " + std::string(ATTNRMT_CLI) +
      " table --quantities tau2,right_edge --vary delta=0.05:4:30log --vary gamma=0.05:4:30log "
      "--digits 1000 --quiet --out " +
      target.string() + " 2>/dev/null";
  int rc = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 128 + 9);  // timeout reports the KILL
  CHECK(tables_test::slurp(target) == "previous contents\n");
  std::size_t leftovers = 0;
  for (const auto& e : fs::directory_iterator(scratch_dir()))
    if (e.path().filename().string().rfind("interrupted.csv.tmp", 0) == 0) ++leftovers;
  CHECK(leftovers == 0);  // killed before the write started: no temporary either
}

// ---- scheme-based quantities (T, pooling, corr) --------------------------------

namespace {

// Splits one CSV record, honouring double-quoted fields ("a,b" and "" escapes).
std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// Header and data records of a CSV table (comment lines skipped).
std::vector<std::vector<std::string>> csv_records(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  for (const auto& l : lines_of(text))
    if (!l.empty() && l[0] != '#') out.push_back(csv_cells(l));
  return out;
}

std::size_t column_of(const std::vector<std::string>& header, const std::string& name) {
  auto it = std::find(header.begin(), header.end(), name);
  REQUIRE(it != header.end());
  return static_cast<std::size_t>(it - header.begin());
}

}  // namespace

TEST_CASE("scheme quantities: mean pooling with markov:r matches the closed form", "[tables]") {
  RunResult r = tables_test::run_cli(
      "table --quantities scheme_alpha_over_kappa,scheme_kappa --vary T=1,2,5,8,16 "
      "--set pooling=mean --vary 'corr=markov:1/2;markov:-3/10' --digits 30");
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  auto recs = csv_records(r.out);
  REQUIRE(recs.size() == 11);
  const auto& h = recs[0];
  CHECK(h == std::vector<std::string>{"T", "pooling", "corr", "scheme_alpha_over_kappa",
                                      "scheme_kappa"});
  for (std::size_t i = 1; i < recs.size(); ++i) {
    const auto& row = recs[i];
    int T = std::stoi(row[column_of(h, "T")]);
    CHECK(row[column_of(h, "pooling")] == "mean");
    std::string corr = row[column_of(h, "corr")];
    B rr = corr == "markov:1/2" ? B(1) / 2 : B(-3) / 10;
    // alpha/kappa = (1/T) sum_{s,t} r^|s-t| = (1/T) (T + 2 sum_{k=1}^{T-1} (T-k) r^k)
    B sum = T;
    for (int k = 1; k < T; ++k) sum += 2 * B(T - k) * pow(rr, k);
    B expected = sum / T;
    B got(row[column_of(h, "scheme_alpha_over_kappa")]);
    CHECK(abs(got - expected) <= B("1e-29") * abs(expected));
    B kappa(row[column_of(h, "scheme_kappa")]);
    CHECK(abs(kappa - B(1) / T) <= B("1e-29") / T);
  }
}

TEST_CASE("scheme quantities: optimal pooling gives lambda_max(R)", "[tables]") {
  RunResult r = tables_test::run_cli(
      "table --quantities scheme_alpha_over_kappa --set T=12 --set pooling=optimal "
      "--vary 'corr=identity;markov:1/2;markov:9/10' --digits 20");
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  auto recs = csv_records(r.out);
  REQUIRE(recs.size() == 4);
  const std::size_t col = column_of(recs[0], "scheme_alpha_over_kappa");
  CHECK(recs[1][col] == "1");  // identity: lambda_max = 1 exactly
  const double rs[] = {0.5, 0.9};
  for (int k = 0; k < 2; ++k) {
    Eigen::MatrixXd R(12, 12);
    for (int s = 0; s < 12; ++s)
      for (int t = 0; t < 12; ++t) R(s, t) = std::pow(rs[k], std::abs(s - t));
    double lmax = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(R).eigenvalues().maxCoeff();
    double got = std::stod(recs[2 + k][col]);
    CHECK(std::abs(got - lmax) <= 1e-12 * lmax);
    // and optimal beats mean: lambda_max >= the Rayleigh quotient at w = 1/T
    double mean = 0;
    for (int s = 0; s < 12; ++s)
      for (int t = 0; t < 12; ++t) mean += R(s, t) / 12;
    CHECK(got >= mean);
  }
}

TEST_CASE("scheme table with a quoted corr reads back: check agrees, finds an altered digit",
          "[tables][check]") {
  fs::path out = scratch_dir() / "scheme.csv";
  fs::remove(out);
  RunResult r = tables_test::run_cli(
      "table --quantities scheme_alpha_over_kappa,tau2 --set T=16 --set corr=latent-exp:0.9,4 "
      "--vary pooling=mean,causal,optimal --set delta=1/2 --set gamma=1/2 --set rho=1 "
      "--digits 30 --out " +
      out.string());
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  std::string text = tables_test::slurp(out);
  auto recs = csv_records(text);
  REQUIRE(recs.size() == 4);
  CHECK(recs[0] == std::vector<std::string>{"delta", "gamma", "rho", "T", "pooling", "corr",
                                            "scheme_alpha_over_kappa", "tau2"});
  const char* poolings[] = {"mean", "causal", "optimal"};
  for (int i = 0; i < 3; ++i) {
    CHECK(recs[1 + i][3] == "16");
    CHECK(recs[1 + i][4] == poolings[i]);
    CHECK(recs[1 + i][5] == "latent-exp:0.9,4");
  }
  CHECK(text.find(",\"latent-exp:0.9,4\",") != std::string::npos);  // quoted in the file
  // optimal maximises the Rayleigh quotient
  B mean(recs[1][6]), causal(recs[2][6]), optimal(recs[3][6]);
  CHECK(optimal >= mean);
  CHECK(optimal >= causal);
  // tau2 does not depend on the scheme
  CHECK(recs[1][7] == recs[3][7]);

  r = tables_test::run_cli("check " + out.string() + " --summary");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("all_printed_digits_agree: 6 of 6 values") != std::string::npos);
  CHECK(r.out.find("result: PASS") != std::string::npos);

  // alter the 12th significant digit of causal's alpha/kappa (third data row)
  auto lines = lines_of(text);
  std::size_t li = 0, data = 0;
  for (; li < lines.size(); ++li)
    if (!lines[li].empty() && lines[li][0] != '#' && data++ == 2) break;
  REQUIRE(li < lines.size());
  std::string value = recs[2][6];
  std::size_t pos = lines[li].find(value);
  REQUIRE(pos != std::string::npos);
  std::size_t p = 0;
  int seen = 0;
  for (; p < value.size(); ++p)
    if (std::isdigit(static_cast<unsigned char>(value[p])) && (seen > 0 || value[p] != '0'))
      if (++seen == 12) break;
  REQUIRE(seen == 12);
  value[p] = value[p] == '9' ? '7' : static_cast<char>(value[p] + 2);
  lines[li].replace(pos, value.size(), value);
  fs::path altered = scratch_dir() / "scheme_altered.csv";
  {
    std::ofstream f(altered, std::ios::binary);
    for (const auto& l : lines) f << l << "\n";
  }
  r = tables_test::run_cli("check " + altered.string() + " --min-digits 20 --summary");
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK(r.out.find("FAIL: 1 of 6 values agree to fewer than 20 digits; first at line " +
                   std::to_string(li + 1) + ", column scheme_alpha_over_kappa: 11 digits") !=
        std::string::npos);
}

TEST_CASE("scheme parameters: usage errors name the problem", "[tables]") {
  RunResult r = tables_test::run_cli("table --quantities scheme_kappa --set pooling=mean");
  CHECK(r.status == 2);
  CHECK(r.err.find("missing parameter 'T'") != std::string::npos);
  r = tables_test::run_cli("table --quantities scheme_kappa --set T=3/2 --set pooling=mean");
  CHECK(r.status == 2);
  CHECK(r.err.find("T must be an integer in 1..10000") != std::string::npos);
  r = tables_test::run_cli("table --quantities scheme_kappa --set T=4 --set pooling=average");
  CHECK(r.status == 2);
  CHECK(r.err.find("pooling must be mean") != std::string::npos);
  r = tables_test::run_cli(
      "table --quantities scheme_kappa --set T=4 --set pooling=mean --set corr=markov:2");
  CHECK(r.status == 2);
  CHECK(r.err.find("corr=markov:2") != std::string::npos);
}
