// tests/test_plot.cpp -- `attnrmt plot`: image format and size, the data file
// against the theory (closed forms and second routes), and the saved script
// re-rendering the same image.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/spike.hpp"

namespace fs = std::filesystem;

namespace {

struct Block {
  std::string name;
  std::vector<std::vector<double>> rows;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// A fresh directory per test case.
fs::path scratch(const std::string& name) {
  fs::path d =
      fs::temp_directory_path() / ("attnrmt_plot_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Runs a shell command; returns its exit status.
int run(const std::string& cmd) {
  int st = std::system((cmd + " >/dev/null 2>&1").c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int plot(const std::string& args) {
  return run(std::string(ATTNRMT_CLI) + " plot " + args);
}

std::vector<Block> read_dat(const fs::path& p) {
  std::vector<Block> blocks;
  std::istringstream in(slurp(p));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# block ", 0) == 0) {
      blocks.push_back({line.substr(line.find(':') + 2), {}});
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::vector<double> row;
    double v;
    while (ls >> v) row.push_back(v);
    REQUIRE(!blocks.empty());
    blocks.back().rows.push_back(row);
  }
  return blocks;
}

std::pair<long, long> png_size(const std::string& bytes) {
  REQUIRE(bytes.size() > 24);
  REQUIRE(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  auto be32 = [&](std::size_t at) {
    long v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

bool near_rel(double a, double b, double tol) {
  return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
}

// The script redraws the same image from another working directory.
void check_rerender(const fs::path& image, bool strip_pdf_date) {
  std::string before = slurp(image);
  fs::remove(image);
  fs::path script = image;
  script.replace_extension(".gp");
  REQUIRE(run("cd / && gnuplot '" + fs::absolute(script).string() + "'") == 0);
  std::string after = slurp(image);
  if (strip_pdf_date) {
    std::regex date("/CreationDate \\([^)]*\\)");
    before = std::regex_replace(before, date, "");
    after = std::regex_replace(after, date, "");
  }
  CHECK(after.size() > 1000);
  CHECK(after == before);
}

}  // namespace

TEST_CASE("plot density: PNG size, density and edges against the theory", "[plot][unit]") {
  fs::path dir = scratch("density");
  fs::path out = dir / "density.png";
  REQUIRE(plot("density --delta 1/2 --gamma 1/2 --size 4,3 --dpi 100 --out " + out.string()) == 0);
  auto [w, h] = png_size(slurp(out));
  CHECK(w == 400);
  CHECK(h == 300);
  auto blocks = read_dat(dir / "density.dat");
  REQUIRE(blocks.size() == 2);
  const auto& rows = blocks[0].rows;
  REQUIRE(rows.size() == 400);
  attnrmt::BulkLaw<double> law(0.5, 0.5);
  // Closed-form edges (docs/theory.md §2): (71 -+ 17 sqrt 17)/32.
  const double left = (71 - 17 * std::sqrt(17.0)) / 32, right = (71 + 17 * std::sqrt(17.0)) / 32;
  REQUIRE(blocks[1].rows.size() == 1);
  CHECK(near_rel(blocks[1].rows[0][0], left, 1e-12));
  CHECK(near_rel(blocks[1].rows[0][1], right, 1e-12));
  CHECK(blocks[1].rows[0][2] == 0.0);  // no atom at delta = gamma = 1/2
  CHECK(near_rel(rows.front()[0], left, 1e-12));
  CHECK(near_rel(rows.back()[0], right, 1e-12));
  // Each plotted point is the library's density and CDF at that x.
  for (const auto& r : rows) {
    REQUIRE(r.size() == 3);
    CHECK(near_rel(r[1], law.density(r[0]), 1e-13));
    CHECK(near_rel(r[2], law.cdf(r[0]), 1e-13));
  }
  // Independent check of the plotted curve: its first two moments by the
  // trapezoid rule are m1 = 1 and m2 = 1 + delta + gamma = 2 (Lagrange
  // inversion), and its mass is 1 (square-root edges limit the rule: measured
  // errors 1.0e-5, 1.0e-5, 2.1e-5).
  double m0 = 0, m1 = 0, m2 = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    double dx = rows[i][0] - rows[i - 1][0];
    auto f = [&](std::size_t j, int k) { return std::pow(rows[j][0], k) * rows[j][1]; };
    m0 += dx * (f(i, 0) + f(i - 1, 0)) / 2;
    m1 += dx * (f(i, 1) + f(i - 1, 1)) / 2;
    m2 += dx * (f(i, 2) + f(i - 1, 2)) / 2;
  }
  INFO("trapezoid mass " << m0 << ", m1 " << m1 << ", m2 " << m2);
  CHECK(std::abs(m0 - 1) < 1e-4);
  CHECK(std::abs(m1 - 1) < 1e-4);
  CHECK(std::abs(m2 - 2) < 2e-4);
  check_rerender(out, false);
  // Atomic writes leave no temporary files behind.
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().filename().string().find("tmp") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("plot density: the atom and a hard edge are recorded", "[plot][unit]") {
  fs::path dir = scratch("atom");
  // delta = 2: atom 1 - 1/2 = 1/2; delta = gamma = 1: hard edge, support [0, 27/4].
  REQUIRE(plot("density --delta 2 --gamma 1/2 --no-render --out " + (dir / "a.png").string()) == 0);
  REQUIRE(plot("density --delta 1 --gamma 1 --no-render --out " + (dir / "b.png").string()) == 0);
  CHECK(!fs::exists(dir / "a.png"));  // --no-render writes only data and script
  CHECK(fs::exists(dir / "a.gp"));
  auto a = read_dat(dir / "a.dat");
  CHECK(a[1].rows[0][2] == 0.5);
  auto b = read_dat(dir / "b.dat");
  CHECK(b[1].rows[0][0] == 0.0);
  CHECK(near_rel(b[1].rows[0][1], 27.0 / 4, 1e-13));
  CHECK(b[1].rows[0][3] == 1.0);
  CHECK(b[0].rows.front()[0] > 0);  // x = 0 (infinite density) is skipped
  fs::remove_all(dir);
}

TEST_CASE("plot phase: SVG size, tau1 closed form, tau2 root of its cubic", "[plot][unit]") {
  fs::path dir = scratch("phase");
  fs::path out = dir / "phase.svg";
  REQUIRE(
      plot("phase --gammas 1/4,1/2,1 --rho 1 --delta 1/2 --delta-range 0.05:2 --points 100 --out " +
           out.string()) == 0);
  std::string svg = slurp(out);
  CHECK(svg.find("width=\"336\" height=\"250\"") != std::string::npos);  // 3.5 x 2.6 in at 96/in
  auto blocks = read_dat(dir / "phase.dat");
  REQUIRE(blocks.size() == 3);
  REQUIRE(blocks[0].rows.size() == 100);
  const double rho = 1, gammas[] = {0.25, 0.5, 1.0};
  for (const auto& r : blocks[0].rows) {
    REQUIRE(r.size() == 5);
    const double d = r[0];
    CHECK(near_rel(r[1], (d + std::sqrt(d)) / (rho + d), 1e-14));
    for (int k = 0; k < 3; ++k) {
      const double g = gammas[k], t = r[2 + k], a = rho + d;
      // docs/theory.md §3: tau2 is the largest root of this cubic in t.
      auto cubic = [&](double x) {
        return a * a * a * x * x * x - 3 * d * a * a * x * x + a * (3 * d * d - d - g - d * g) * x +
               d * (1 - d) * (d - g);
      };
      double scale = a * a * a * t * t * t + 3 * d * a * a * t * t +
                     a * (3 * d * d + d + g + d * g) * t + std::abs(d * (1 - d) * (d - g));
      CHECK(std::abs(cubic(t)) < 1e-13 * scale);
      CHECK(t > r[1]);             // tau2 > tau1
      CHECK(cubic(t * 1.01) > 0);  // and nothing larger: the leading coefficient is positive
      double dt = 1e-3 * t;        // simple root: the sign changes across it
      CHECK(cubic(t - dt) < 0);
    }
  }
  // The marked point delta = gamma = 1/2: docs/theory.md's numbers and s* closed form.
  const auto& p = blocks[1].rows.at(0);
  const double s_star = (0.5 + std::sqrt(0.25 + 4.0)) / 2;
  CHECK(near_rel(p[1], 0.80473785412436, 1e-12));
  CHECK(near_rel(p[3], (0.5 + s_star) / 1.5, 1e-14));
  CHECK(near_rel(p[3], 1.18718427, 1e-8));
  check_rerender(out, false);
  fs::remove_all(dir);
}

TEST_CASE("plot alignment: PDF page size, alignments and lambda by closed form", "[plot][unit]") {
  fs::path dir = scratch("alignment");
  fs::path out = dir / "alignment.pdf";
  REQUIRE(plot("alignment --delta 1/2 --gamma 1/2 --rho 1 --range 0:4 --points 401 --out " +
               out.string()) == 0);
  std::string pdf = slurp(out);
  CHECK(pdf.compare(0, 5, "%PDF-") == 0);
  CHECK(pdf.find("/MediaBox [ 0 0 252 187 ]") != std::string::npos);  // 3.5 x 2.6 in
  auto blocks = read_dat(dir / "alignment.dat");
  REQUIRE(blocks.size() == 2);
  const double delta = 0.5, gamma = 0.5, rho = 1;
  const double tau1 = blocks[1].rows[0][0], tau2 = blocks[1].rows[0][1];
  CHECK(near_rel(blocks[1].rows[0][2], rho / (rho + delta), 1e-15));
  bool saw_two = false, saw_tau2 = false;
  for (const auto& r : blocks[0].rows) {
    REQUIRE(r.size() == 6);
    const double x = r[0], s = x * (rho + delta) - delta;
    const double P = s * s * s - (delta + gamma + gamma * delta) * s - 2 * gamma * delta;
    const bool detectable = s > 0 && P > 0;
    const double a_u = detectable ? P / (s * s * (s + gamma)) : 0.0;
    CHECK(std::abs(r[2] - a_u) < 1e-13);
    CHECK(std::abs(r[1] - rho / (rho + delta) * a_u) < 1e-13);
    if (detectable) {
      CHECK(near_rel(r[4], (s + delta) * (s + 1) * (s + gamma) / (s * s), 1e-13));
      CHECK(x > tau2 * (1 - 1e-14));
    } else {
      CHECK(near_rel(r[4], (71 + 17 * std::sqrt(17.0)) / 32, 1e-12));  // sticks to the edge
    }
    const int regime = static_cast<int>(r[5]);
    CHECK(regime == (detectable ? 2 : (s > std::sqrt(delta) ? 1 : 0)));
    CHECK((regime >= 1) == (x > tau1));
    if (x == 2.0) {  // docs/theory.md §3 example
      saw_two = true;
      CHECK(near_rel(r[4], 5.04, 1e-13));
      CHECK(near_rel(r[1], 0.4266666666666667, 1e-13));
    }
    if (x == tau2) saw_tau2 = true;
  }
  CHECK(saw_two);
  CHECK(saw_tau2);  // the kink is a plotted point
  check_rerender(out, true);
  fs::remove_all(dir);
}

TEST_CASE("plot spectrum: the predicted outlier agrees with the rank-one equation",
          "[plot][unit]") {
  fs::path dir = scratch("spectrum");
  fs::path out = dir / "spectrum.png";
  REQUIRE(plot("spectrum --delta 1/2 --gamma 1/2 --kappa 2 --alpha-over-kappa 2 --out " +
               out.string()) == 0);
  auto [w, h] = png_size(slurp(out));
  CHECK(w == 700);  // default 3.5 x 2.6 in at 200 dpi
  CHECK(h == 520);
  auto blocks = read_dat(dir / "spectrum.dat");
  REQUIRE(blocks.size() == 2);
  const auto& top = blocks[1].rows.at(0);
  // Route 2: lambda g(lambda) g_N(lambda) = 1/omega on the unit-kappa law; kappa = 2 scales it.
  attnrmt::BulkLaw<double> unit(0.5, 0.5);
  double route2 = 2 * attnrmt::outlier_by_rank_one_equation(unit, 2.0 * 1.5);
  CHECK(near_rel(top[1], route2, 1e-10));
  CHECK(near_rel(top[1], 2 * 5.04, 1e-13));
  CHECK(top[3] == 2.0);
  // The bulk is kappa = 2 times the unit law: right edge and density scaling.
  CHECK(near_rel(top[2], 2 * (71 + 17 * std::sqrt(17.0)) / 32, 1e-12));
  for (const auto& r : blocks[0].rows) CHECK(near_rel(r[1], unit.density(r[0] / 2) / 2, 1e-12));
  fs::remove_all(dir);
}

TEST_CASE("plot: bad input is a usage error (exit 2), a missing gnuplot is exit 1",
          "[plot][unit]") {
  fs::path dir = scratch("errors");
  const std::string o = " --out " + (dir / "x.png").string();
  CHECK(plot("histogram --delta 1/2 --gamma 1/2" + o) == 2);  // unknown kind
  CHECK(plot("density --delta 1/2 --gamma 1/2") == 2);        // no --out
  CHECK(plot("density --delta 1/2 --gamma 1/2 --out " + (dir / "x.jpg").string()) == 2);
  CHECK(plot("density --delta 0 --gamma 1/2" + o) == 2);
  CHECK(plot("density --delta 1/2 --gamma 1/2 --size 0,2" + o) == 2);
  CHECK(plot("alignment --delta 1/2 --gamma 1/2 --range 3:1" + o) == 2);
  CHECK(plot("phase --gamma 1/2 --gammas 1,2" + o) == 2);
  CHECK(plot("spectrum --delta 1/2 --gamma 1/2" + o) == 2);           // --alpha-over-kappa missing
  CHECK(plot("density --delta 1/2 --gamma 1/2 --seeds 2" + o) == 2);  // MC option without --mc-d
  CHECK(plot("phase --gamma 1/2 --mc-d 100" + o) == 2);               // no MC overlay for phase
  CHECK(plot("density --delta 1/2 --gamma 1/2 --mc-d 5" + o) == 2);   // d out of range
  CHECK(fs::is_empty(dir));
  CHECK(run("ATTNRMT_GNUPLOT=/nonexistent/gnuplot " + std::string(ATTNRMT_CLI) +
            " plot density --delta 1/2 --gamma 1/2" + o) == 1);
  CHECK(!fs::exists(dir / "x.png"));
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().filename().string().find("tmp") == std::string::npos);
  fs::remove_all(dir);
}

// Monte Carlo overlays (Gaussian-equivalent model, fixed seed 1). Finite-size
// allowances: at d = 400 attnrmt validate measured bulk KS distance 0.007 and
// alignment errors ~0.03; the tolerances below are several times that.
TEST_CASE("plot density --mc-d: the histogram is normalised and follows the CDF", "[plot][unit]") {
  fs::path dir = scratch("mc_density");
  REQUIRE(plot("density --delta 1/2 --gamma 1/2 --mc-d 200 --seeds 2 --threads 1 --bins 40 --out " +
               (dir / "m.png").string()) == 0);
  auto blocks = read_dat(dir / "m.dat");
  REQUIRE(blocks.size() == 4);
  const auto& sizes = blocks[3].rows.at(0);
  CHECK(sizes[0] == 200);
  CHECK(sizes[1] == 400);  // V = d/delta
  CHECK(sizes[2] == 400);  // N = d/gamma
  attnrmt::BulkLaw<double> law(0.5, 0.5);
  double mass = 0, count = 0, worst = 0;
  for (const auto& r : blocks[2].rows) {
    REQUIRE(r.size() == 5);
    mass += r[1] * r[4];
    count += r[3];
    // Empirical CDF at the bin's right end against the closed-form CDF.
    worst = std::max(worst, std::abs(mass - law.cdf(r[0] + r[4] / 2)));
  }
  INFO("largest |histogram CDF - theory CDF| at bin ends: " << worst);
  CHECK(count == 400);  // d eigenvalues per seed, none lost
  CHECK(std::abs(mass - 1) < 1e-12);
  CHECK(worst < 0.03);
  fs::remove_all(dir);
}

TEST_CASE("plot alignment --mc-d: simulated alignments agree with the theory", "[plot][unit]") {
  fs::path dir = scratch("mc_alignment");
  REQUIRE(plot("alignment --delta 1/2 --gamma 1/2 --rho 1 --range 0:4 --mc-d 300 --seeds 3 "
               "--mc-points 2 "
               "--threads 1 --out " +
               (dir / "m.png").string()) == 0);
  auto blocks = read_dat(dir / "m.dat");
  REQUIRE(blocks.size() == 4);
  const auto& pts = blocks[2].rows;
  REQUIRE(pts.size() == 2);
  attnrmt::BulkLaw<double> law(0.5, 0.5);
  for (const auto& p : pts) {
    auto th = attnrmt::outlier_report(law, 1.0, p[0]);
    INFO("alpha/kappa " << p[0] << ": A_mu " << p[1] << " +- " << p[2] << " (theory "
                        << th.alignment_mu << "), A_u " << p[3] << " +- " << p[4] << " (theory "
                        << th.spike.alignment_u << "), top " << p[5] << " +- " << p[6]
                        << " (theory " << th.spike.lambda << ")");
    CHECK(p[2] > 0);
    CHECK(std::abs(p[1] - th.alignment_mu) < 4 * p[2] + 0.1);
    CHECK(std::abs(p[3] - th.spike.alignment_u) < 4 * p[4] + 0.1);
    CHECK(std::abs(p[5] - th.spike.lambda) < 4 * p[6] + 0.3);
  }
  CHECK(pts[0][0] == 2.0);
  CHECK(pts[1][0] == 4.0);
  fs::remove_all(dir);
}

TEST_CASE("plot spectrum --mc-d: simulated top eigenvalues sit at the predicted outlier",
          "[plot][unit]") {
  fs::path dir = scratch("mc_spectrum");
  REQUIRE(plot("spectrum --delta 1/2 --gamma 1/2 --alpha-over-kappa 3 --mc-d 300 --seeds 3 "
               "--threads 1 --out " +
               (dir / "m.svg").string()) == 0);
  auto blocks = read_dat(dir / "m.dat");
  REQUIRE(blocks.size() == 5);
  REQUIRE(blocks[3].rows.size() == 3);
  // lambda = (s+d)(s+1)(s+g)/s^2 = 6.328125 at s = 4. One replicate's outlier
  // fluctuates by about 0.35 at d = 300, so: every replicate clearly above the
  // bulk edge 4.409, and the mean of the three within 0.6 (3 standard errors).
  double mean = 0;
  for (const auto& r : blocks[3].rows) {
    INFO("replicate " << r[0] << ": top eigenvalue " << r[1] << " (theory 6.328125)");
    CHECK(r[1] > 4.409 + 0.5);
    mean += r[1] / 3;
  }
  INFO("mean top eigenvalue " << mean);
  CHECK(std::abs(mean - 6.328125) < 0.6);
  fs::remove_all(dir);
}

TEST_CASE("plot phase --T/--corr/--pooling: markers at each scheme's alpha/kappa", "[plot][unit]") {
  fs::path dir = scratch("phase_markers");
  // Markov classes R_st = r^|s-t|: mean pooling gives (1/T) sum_{s,t} r^|s-t|.
  REQUIRE(plot("phase --gamma 1/2 --T 8 --corr markov:1/2 --pooling mean --no-render --out " +
               (dir / "a.png").string()) == 0);
  auto a = read_dat(dir / "a.dat");
  REQUIRE(a.size() == 3);
  REQUIRE(a[2].rows.size() == 1);
  const int T = 8;
  double sum = T;
  for (int k = 1; k < T; ++k) sum += 2.0 * (T - k) * std::pow(0.5, k);
  CHECK(near_rel(a[2].rows[0][0], sum / T, 1e-13));
  // Latent label p_t = 0.9 exp(-(t-1)/4), R = p p^T + diag(1 - p^2): mean pooling
  // gives ((sum p)^2 + sum (1 - p^2)) / T; optimal gives lambda_max(R) >= it.
  REQUIRE(plot("phase --gamma 1/2 --T 16 --corr latent-exp:0.9,4 --pooling mean,optimal "
               "--no-render --out " +
               (dir / "b.png").string()) == 0);
  auto b = read_dat(dir / "b.dat");
  REQUIRE(b[2].rows.size() == 2);
  double sp = 0, s1 = 0;
  for (int t = 0; t < 16; ++t) {
    double p = 0.9 * std::exp(-t / 4.0);
    sp += p;
    s1 += 1 - p * p;
  }
  CHECK(near_rel(b[2].rows[0][0], (sp * sp + s1) / 16, 1e-13));
  CHECK(b[2].rows[1][0] >= b[2].rows[0][0]);
  fs::remove_all(dir);
}

TEST_CASE("plot --out FILE.tex: cairolatex figure with LaTeX labels", "[plot][unit]") {
  fs::path dir = scratch("tex");
  fs::path out = dir / "fig.tex";
  REQUIRE(plot("alignment --delta 1/2 --gamma 1/2 --out " + out.string()) == 0);
  std::string tex = slurp(out);
  std::string pdf = slurp(dir / "fig.pdf");
  CHECK(pdf.compare(0, 5, "%PDF-") == 0);
  // The drawing is included under its final name (not the temporary one).
  CHECK(tex.find("]{" + (dir / "fig").string() + "}") != std::string::npos);
  CHECK(tex.find("fig.tmp") == std::string::npos);
  // Enhanced-text labels became LaTeX maths: tau_1 -> $\tau_{1}$, Greek letters, ||w||^2.
  CHECK(tex.find("$\\tau_{1}$ = 0.8047") != std::string::npos);
  CHECK(tex.find("$\\alpha$/$\\kappa$ = w$^{T}$Rw / $\\|$w$\\|^{2}$") != std::string::npos);
  CHECK(tex.find("A$_{u}$ theory") != std::string::npos);
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().filename().string().find("tmp") == std::string::npos);
  // A two-column document that \inputs it compiles (scripts/setup installs pdflatex).
  REQUIRE(run("command -v pdflatex") == 0);
  {
    std::ofstream doc(dir / "doc.tex");
    doc << "\\documentclass[twocolumn]{article}\n\\usepackage{graphicx,color,amssymb}\n"
           "\\begin{document}\n\\begin{figure}\\footnotesize\\input{fig.tex}\\end{figure}\n"
           "\\end{document}\n";
    doc.close();
    // fig.tex names the drawing by the path given to --out (absolute here).
    CHECK(run("cd '" + dir.string() +
              "' && timeout 120 pdflatex -interaction=nonstopmode -halt-on-error doc.tex") == 0);
    CHECK(fs::file_size(dir / "doc.pdf") > 10000);
  }
  fs::remove_all(dir);
}
