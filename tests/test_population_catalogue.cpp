// tests/test_population_catalogue.cpp -- the catalogue entries behind `bulk`,
// `edges` and `cauchy --population` (include/attnrmt/quantities.hpp,
// docs/theory.md "The quantity catalogue"):
// * interval_count, interval_left_edge, interval_right_edge against the
//   split-support example of docs/theory.md §6 (three intervals, the edges of
//   tests/test_population.cpp), against the defining equation of an edge
//   (x'(w_c) = 0 and kappa x(w_c) = the edge, x and x' written out here from
//   the sums over the atoms), against the density (positive inside every
//   interval, 0 in the gaps) and its mass (the intervals carry 1 - atom);
// * a moved evaluation (QuantityEvaluation::set_point, set_index) equals a
//   fresh one at the moved point bit for bit, and keeps its law;
// * the CLI: edges, bulk and cauchy --population print table --population's
//   digits of the same entries.
// H = delta_1 against the isotropic engine: tests/test_quantities.cpp (every
// entry with a population route, the interval entries included).
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "attnrmt/general_bulk.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/quantities.hpp"
#include "support/cli_runner.hpp"
#include "support/population_examples.hpp"
#include "support/rational_literal.hpp"

using namespace attnrmt;

namespace {

using attnrmt_test::R;

// docs/theory.md §6's examples (tests/support/population_examples.hpp), shared.
using attnrmt_test::split_three;
using attnrmt_test::two_atoms;
std::shared_ptr<const PopulationSpec> shared(PopulationSpec H) {
  return std::make_shared<const PopulationSpec>(std::move(H));
}

QuantityPoint law_point(const std::string& delta, const std::string& gamma,
                        const std::string& kappa, std::shared_ptr<const PopulationSpec> H) {
  QuantityPoint p;
  p.numbers = {{"delta", R(delta)}, {"gamma", R(gamma)}, {"kappa", R(kappa)}};
  p.population = std::move(H);
  return p;
}

QuantityValue<MpReal> value_at(const std::string& name, QuantityEvaluation<MpReal>& e) {
  const Quantity<MpReal>* q = find_quantity<MpReal>(name);
  REQUIRE(q != nullptr);
  return evaluate<MpReal>({q}, e).front();
}

MpReal number_at(const std::string& name, QuantityEvaluation<MpReal>& e) {
  const auto v = value_at(name, e);
  INFO(name << " is " << v.text);
  REQUIRE(!v.is_text);
  return v.number;
}

// x(w) = w (1 + delta p)(1 + gamma p), p(w) = sum_k h_k t_k/(w - t_k), and its
// derivative by the product rule, p'(w) = -sum_k h_k t_k/(w - t_k)^2: written
// out here, not through Population::transforms or GeneralBulkLaw::x_prime.
struct XMap {
  std::vector<MpReal> t, h;
  MpReal delta, gamma;
  MpReal p(const MpReal& w) const {
    MpReal s = 0;
    for (std::size_t k = 0; k < t.size(); ++k) s += h[k] * t[k] / (w - t[k]);
    return s;
  }
  MpReal dp(const MpReal& w) const {
    MpReal s = 0;
    for (std::size_t k = 0; k < t.size(); ++k) s -= h[k] * t[k] / ((w - t[k]) * (w - t[k]));
    return s;
  }
  MpReal x(const MpReal& w) const { return w * (1 + delta * p(w)) * (1 + gamma * p(w)); }
  MpReal dx(const MpReal& w) const {
    const MpReal a = 1 + delta * p(w), b = 1 + gamma * p(w);
    return a * b + w * dp(w) * (delta * b + gamma * a);
  }
};

XMap x_map(const PopulationSpec& spec, const std::string& delta, const std::string& gamma) {
  XMap m;
  for (std::size_t k = 0; k < spec.atoms.size(); ++k) {
    m.t.push_back(to_real<MpReal>(spec.atoms[k]));
    m.h.push_back(to_real<MpReal>(spec.weights[k]));
  }
  m.delta = to_real<MpReal>(R(delta));
  m.gamma = to_real<MpReal>(R(gamma));
  return m;
}

// ∫_a^b f: x = a + (b - a) sin^2 s, midpoint rule in s on [0, pi/2]. A density
// with square-root edges becomes smooth and periodic in s, where the midpoint
// rule converges geometrically.
template <class F>
MpReal edge_quadrature(F f, const MpReal& a, const MpReal& b, int n) {
  const MpReal half_pi = boost::math::constants::half_pi<MpReal>();
  MpReal sum = 0;
  for (int k = 0; k < n; ++k) {
    const MpReal s = (k + MpReal(0.5)) * half_pi / n;
    const MpReal sn = sin(s), cs = cos(s);
    sum += f(a + (b - a) * sn * sn) * (b - a) * 2 * sn * cs;
  }
  return sum * half_pi / n;
}

// An MpReal as an exact rational (for set_point), 40 significant digits.
Rational rational_of(const MpReal& v) {
  return R(v.str(40, std::ios_base::scientific));
}

}  // namespace

TEST_CASE("support intervals: the split-support example of docs/theory.md §6, edge equations",
          "[quantities][population]") {
  ScopedPrecision prec(30);
  // The six edges of H = 0.5 delta_0.1 + 0.45 delta_1 + 0.05 delta_10 at
  // delta = gamma = 1/4 (tests/test_population.cpp, docs/theory.md §6.2).
  const char* edges[6] = {"0.019251602375947440882", "0.18013285636355675176",
                          "0.32209556382197541405",  "2.2258625771332322670",
                          "7.4023951878341062939",   "13.775465073626931246"};
  for (const char* kappa_text : {"1", "5/2"}) {
    INFO("kappa = " << kappa_text);
    const MpReal kappa = to_real<MpReal>(R(kappa_text));
    const QuantityPoint p = law_point("1/4", "1/4", kappa_text, shared(split_three()));
    QuantityEvaluation<MpReal> e(p);
    REQUIRE(number_at("interval_count", e) == 3);
    for (int i = 1; i <= 3; ++i) {
      e.set_index("interval", Rational(i));
      INFO("interval " << i);
      const MpReal left = number_at("interval_left_edge", e);
      const MpReal right = number_at("interval_right_edge", e);
      // The references carry 20 significant digits: half a unit of the last
      // is at most 5e-20 relative, so 1e-19 relative.
      const MpReal l_ref(edges[2 * i - 2]), r_ref(edges[2 * i - 1]);
      CHECK(abs(left / kappa - l_ref) < MpReal("1e-19") * l_ref);
      CHECK(abs(right / kappa - r_ref) < MpReal("1e-19") * r_ref);
    }
    e.set_index("interval", Rational(4));
    for (const char* name : {"interval_left_edge", "interval_right_edge"}) {
      const auto v = value_at(name, e);
      CHECK(v.is_text);
      CHECK(v.text == "none");
    }
    // The outermost intervals are the entries left_edge and right_edge.
    e.set_index("interval", Rational(1));
    CHECK(number_at("interval_left_edge", e) == number_at("left_edge", e));
    e.set_index("interval", Rational(3));
    CHECK(number_at("interval_right_edge", e) == number_at("right_edge", e));
  }
  // Every edge is a critical value of x: x'(w_c) = 0 and kappa x(w_c) = the edge,
  // with w_c the critical point the law found (SupportInterval), x and x' written
  // out above. Then the density: positive just inside each interval, 0 in the gaps.
  for (const auto& [delta, gamma, H] :
       std::vector<std::tuple<std::string, std::string, std::shared_ptr<const PopulationSpec>>>{
           {"1/4", "1/4", shared(split_three())},
           {"1/2", "1/2", shared(two_atoms())},
           {"2", "1/2", shared(two_atoms())},
           {"1/4", "3/2", shared(split_three())}}) {
    INFO("delta = " << delta << ", gamma = " << gamma << ", " << H->atoms.size() << " atoms");
    const QuantityPoint p = law_point(delta, gamma, "3", H);
    QuantityEvaluation<MpReal> e(p);
    const XMap x = x_map(*H, delta, gamma);
    const auto& support = e.general_bulk().support();
    const auto n = static_cast<long>(number_at("interval_count", e));
    REQUIRE(n == static_cast<long>(support.size()));
    MpReal previous_right = -1;
    for (long i = 1; i <= n; ++i) {
      INFO("interval " << i);
      e.set_index("interval", Rational(i));
      const MpReal left = number_at("interval_left_edge", e);
      const MpReal right = number_at("interval_right_edge", e);
      const auto& iv = support[static_cast<std::size_t>(i - 1)];
      REQUIRE(!iv.hard_left);
      for (const auto& [edge, w] :
           {std::make_pair(left, iv.w_left), std::make_pair(right, iv.w_right)}) {
        INFO("edge " << edge.str(25) << " at w_c = " << w.str(25)
                     << ": x'(w_c) = " << x.dx(w).str(5));
        CHECK(abs(x.dx(w)) < MpReal("1e-20"));
        CHECK(abs(3 * x.x(w) - edge) < MpReal("1e-25") * edge);
      }
      CHECK(left > previous_right);
      CHECK(right > left);
      const MpReal width = right - left;
      for (const MpReal& y :
           {MpReal(left + width / 1000), MpReal(left + width / 2), MpReal(right - width / 1000)}) {
        e.set_point("x", rational_of(y));
        CHECK(number_at("density", e) > 0);
      }
      if (i > 1) {
        e.set_point("x", rational_of(MpReal((previous_right + left) / 2)));
        CHECK(number_at("density", e) == 0);
      }
      previous_right = right;
    }
  }
}

TEST_CASE("support intervals: the density's mass over the intervals is 1 - atom",
          "[quantities][population]") {
  ScopedPrecision prec(20);
  for (const auto& [delta, gamma, H] :
       std::vector<std::tuple<std::string, std::string, std::shared_ptr<const PopulationSpec>>>{
           {"1/4", "1/4", shared(split_three())},
           {"2", "1/2", shared(two_atoms())},
           {"1/2", "3", shared(two_atoms())}}) {
    INFO("delta = " << delta << ", gamma = " << gamma << ", " << H->atoms.size() << " atoms");
    const QuantityPoint p = law_point(delta, gamma, "2", H);
    QuantityEvaluation<MpReal> e(p);
    const MpReal atom = number_at("atom", e);
    // max(0, 1 - 1/delta, 1 - 1/gamma), written out.
    const Rational d = R(delta), g = R(gamma);
    const Rational a = std::max({Rational(0), Rational(1 - 1 / d), Rational(1 - 1 / g)});
    CHECK(abs(atom - to_real<MpReal>(a)) < MpReal("1e-18"));
    MpReal mass = 0;
    const auto n = static_cast<long>(number_at("interval_count", e));
    for (long i = 1; i <= n; ++i) {
      e.set_index("interval", Rational(i));
      const MpReal left = number_at("interval_left_edge", e);
      const MpReal right = number_at("interval_right_edge", e);
      // The catalogue's density on one evaluation moved along x (one law).
      mass += edge_quadrature(
          [&](const MpReal& y) {
            e.set_point("x", rational_of(y));
            return number_at("density", e);
          },
          left, right, 160);
    }
    INFO("mass " << mass.str(20) << ", 1 - atom " << MpReal(1 - atom).str(20));
    CHECK(abs(mass - (1 - atom)) < MpReal("1e-12"));
  }
}

TEST_CASE("set_point and set_index: a moved evaluation equals a fresh one bit for bit",
          "[quantities][population]") {
  ScopedPrecision prec(20);
  const std::vector<std::string> names = {"density",
                                          "cdf",
                                          "cauchy_re",
                                          "cauchy_im",
                                          "right_edge",
                                          "interval_left_edge",
                                          "interval_right_edge"};
  // x and z visited out of order, z in both half planes and on the axis, x
  // outside the support, then moved back to the first x and z.
  const std::vector<std::vector<std::string>> moves = {{"1", "1", "1/4", "1"},
                                                       {"0.05", "3", "-1/3", "2"},
                                                       {"-1", "0.2", "0", "4"},
                                                       {"1", "1", "1/4", "3"}};
  for (const auto& point :
       {law_point("1/4", "1/4", "1", shared(split_three())),
        law_point("2", "1/2", "3", shared(two_atoms())), law_point("1/2", "1/3", "2", nullptr)}) {
    INFO((point.population ? std::to_string(point.population->atoms.size()) + " atoms"
                           : std::string("isotropic")));
    QuantityEvaluation<MpReal> moved(point);
    const GeneralBulkLaw<MpReal>* law = point.population ? &moved.general_bulk() : nullptr;
    for (const auto& m : moves) {
      moved.set_point("x", R(m[0]));
      moved.set_point("z_re", R(m[1]));
      moved.set_point("z_im", R(m[2]));
      moved.set_index("interval", R(m[3]));
      QuantityPoint own = point;
      own.numbers["x"] = R(m[0]);
      own.numbers["z_re"] = R(m[1]);
      own.numbers["z_im"] = R(m[2]);
      own.numbers["interval"] = R(m[3]);
      QuantityEvaluation<MpReal> fresh(own);
      for (const auto& name : names) {
        INFO(name << " at x = " << m[0] << ", z = " << m[1] << " + " << m[2] << " i, interval "
                  << m[3]);
        const auto a = value_at(name, moved), b = value_at(name, fresh);
        CHECK(a.is_text == b.is_text);
        CHECK(a.text == b.text);
        CHECK(a.number == b.number);
      }
      // The law is kept, not rebuilt.
      if (law) CHECK(&moved.general_bulk() == law);
    }
  }
  // quantile moves along q (isotropic: closed form; H: bisection on the CDF).
  for (const auto& point :
       {law_point("1/2", "1/3", "2", nullptr), law_point("1/2", "1/2", "1", shared(two_atoms()))}) {
    ScopedPrecision low(16);
    QuantityEvaluation<MpReal> moved(point);
    for (const char* q : {"0.3", "0.9"}) {
      moved.set_point("q", R(q));
      QuantityPoint own = point;
      own.numbers["q"] = R(q);
      QuantityEvaluation<MpReal> fresh(own);
      INFO("quantile at q = " << q);
      CHECK(number_at("quantile", moved) == number_at("quantile", fresh));
    }
  }
  const QuantityPoint at = law_point("1/2", "1/2", "1", shared(two_atoms()));
  QuantityEvaluation<MpReal> e(at);
  CHECK_THROWS_WITH(e.set_point("q", R("3/2")), Catch::Contains("q must be in [0, 1] (got 3/2)"));
  CHECK_THROWS_WITH(e.set_index("interval", Rational(0)),
                    Catch::Contains("interval must be an integer >= 1 (got 0)"));
  CHECK_THROWS_AS(e.set_point("delta", Rational(1)), std::logic_error);
  CHECK_THROWS_AS(e.set_point("interval", Rational(1)), std::logic_error);
  CHECK_THROWS_AS(e.set_index("x", Rational(1)), std::logic_error);
}

TEST_CASE("CLI: edges, bulk and cauchy --population print table --population's digits",
          "[quantities][cli][population]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  auto column = [](const std::vector<std::vector<std::string>>& rows, std::size_t i,
                   const std::string& name) {
    for (std::size_t j = 0; j < rows[0].size(); ++j)
      if (rows[0][j] == name) return rows[i][j];
    return std::string("(missing " + name + ")");
  };
  const std::string split = "--population atoms:0.1@0.5,1@0.45,10@0.05";
  // edges: one row per interval = table's interval_left_edge, interval_right_edge
  // at interval = 1..3 (4: none).
  auto edges = run_cli("edges --delta 1/4 --gamma 1/4 --kappa 2 " + split + " --format csv");
  REQUIRE(edges.exit_code == 0);
  auto rows = parse_csv(edges.out);
  REQUIRE(rows.size() == 4);
  REQUIRE(rows[0] == std::vector<std::string>{"interval", "left_edge", "right_edge", "atom"});
  auto table = run_cli(
      "table --quantities interval_count,interval_left_edge,interval_right_edge,atom --set "
      "delta=1/4 --set gamma=1/4 --set kappa=2 --vary interval=1,2,3,4 " +
      split + " --quiet");
  REQUIRE(table.exit_code == 0);
  auto trows = parse_csv(table.out);
  REQUIRE(trows.size() == 5);
  for (std::size_t i = 1; i <= 3; ++i) {
    INFO("interval " << i);
    CHECK(column(rows, i, "interval") == std::to_string(i));
    CHECK(column(trows, i, "interval") == std::to_string(i));
    CHECK(column(trows, i, "interval_count") == "3");
    CHECK(column(rows, i, "left_edge") == column(trows, i, "interval_left_edge"));
    CHECK(column(rows, i, "right_edge") == column(trows, i, "interval_right_edge"));
    CHECK(column(rows, i, "atom") == column(trows, i, "atom"));
  }
  CHECK(column(trows, 4, "interval_left_edge") == "none");
  CHECK(column(trows, 4, "interval_right_edge") == "none");
  // Two laws in one edges run (a varying delta): each row's own intervals.
  auto two = run_cli("edges --delta 1/4,2 --gamma 1/4 " + split + " --format csv");
  REQUIRE(two.exit_code == 0);
  auto two_rows = parse_csv(two.out);
  auto counts = run_cli("table --quantities interval_count --vary delta=1/4,2 --set gamma=1/4 " +
                        split + " --quiet");
  REQUIRE(counts.exit_code == 0);
  auto count_rows = parse_csv(counts.out);
  REQUIRE(count_rows.size() == 3);
  REQUIRE(two_rows.size() == 1 + std::stoul(column(count_rows, 1, "interval_count")) +
                                 std::stoul(column(count_rows, 2, "interval_count")));
  // bulk: density and cdf (one law for every x).
  const std::string pair = "--population atoms:0.5@1/2,1.5@1/2";
  auto bulk =
      run_cli("bulk --delta 1/2 --gamma 1/2 --kappa 2 --x 0.5,2,4,20 " + pair + " --format csv");
  REQUIRE(bulk.exit_code == 0);
  rows = parse_csv(bulk.out);
  REQUIRE(rows.size() == 5);
  table = run_cli(
      "table --quantities density,cdf --set delta=1/2 --set gamma=1/2 --set kappa=2 --vary "
      "x=0.5,2,4,20 " +
      pair + " --quiet");
  REQUIRE(table.exit_code == 0);
  trows = parse_csv(table.out);
  REQUIRE(trows.size() == 5);
  for (std::size_t i = 1; i <= 4; ++i) {
    INFO("x = " << column(rows, i, "x"));
    CHECK(column(rows, i, "x") == column(trows, i, "x"));
    CHECK(column(rows, i, "density") == column(trows, i, "density"));
    CHECK(column(rows, i, "cdf") == column(trows, i, "cdf"));
  }
  CHECK(column(rows, 4, "cdf") == "1");  // beyond the right edge
  // cauchy: g_re, g_im = cauchy_re, cauchy_im, z_re slowest as in the table.
  auto cauchy = run_cli(
      "cauchy --delta 1/2 --gamma 1/2 --kappa 2 --z 1 --z 1+1/2i --z 7 --z "
      "7+1/2i " +
      pair + " --format csv");
  REQUIRE(cauchy.exit_code == 0);
  rows = parse_csv(cauchy.out);
  REQUIRE(rows.size() == 5);
  table = run_cli(
      "table --quantities cauchy_re,cauchy_im --set delta=1/2 --set gamma=1/2 --set kappa=2 "
      "--vary z_re=1,7 --vary z_im=0,1/2 " +
      pair + " --quiet");
  REQUIRE(table.exit_code == 0);
  trows = parse_csv(table.out);
  REQUIRE(trows.size() == 5);
  for (std::size_t i = 1; i <= 4; ++i) {
    INFO("z = " << column(rows, i, "z_re") << " + " << column(rows, i, "z_im") << " i");
    CHECK(column(rows, i, "z_re") == column(trows, i, "z_re"));
    CHECK(column(rows, i, "z_im") == column(trows, i, "z_im"));
    CHECK(column(rows, i, "g_re") == column(trows, i, "cauchy_re"));
    CHECK(column(rows, i, "g_im") == column(trows, i, "cauchy_im"));
  }
}
