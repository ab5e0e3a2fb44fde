// solver/cmd_plot.cpp -- `attnrmt plot KIND ... --out FILE.{png,svg,pdf}`: figures.
//
// Kinds (docs/theory.md §2-§3; every plotted number comes from the library in
// double precision: BulkLaw::density/cdf/left_edge/right_edge/atom,
// thresholds(), outlier_report()):
//   density    the bulk density kappa (MP_delta ⊠ MP_gamma), edges marked, atom noted
//   phase      tau1(delta) and tau2(delta; gamma) in the (delta, alpha/kappa) plane,
//              the regimes none / table-only / detectable shaded and labelled
//   alignment  A_mu and A_u against alpha/kappa, tau1 and tau2 marked, the cap rho/(rho+delta)
//   spectrum   the bulk density plus the predicted top eigenvalue at one alpha/kappa
// Files: FILE.EXT, FILE.dat (data sets, see plot_gnuplot.hpp), FILE.gp (script).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>
#include <sstream>
#include <thread>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/spike.hpp"
#include "cli.hpp"
#include "plot_gnuplot.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli {
namespace {

// Okabe-Ito colours (distinguishable with colour-vision deficiencies).
const char* const kBlue = "#0072B2";
const char* const kOrange = "#E69F00";
const char* const kVermillion = "#D55E00";
const char* const kGreen = "#009E73";
const char* const kSky = "#56B4E9";
const char* const kPurple = "#CC79A7";
const char* const kGrey = "#7F7F7F";

// Figures are computed in double precision: parameters must lie where
// BulkLaw<double> and the thresholds are finite (bulk_law.hpp, "Range").
void require_double_range(const Rational& r, const std::string& what) {
  static const Rational big(boost::multiprecision::pow(BigInt(10), 77));
  if (r != 0 && (r < 1 / big || r > big))
    throw UsageError(what + " must be 0 or within [1e-77, 1e77] for a plot (computed in double " +
                     "precision; got " + rational_to_string(r).substr(0, 40) + ")");
}

// A parameter: its exact value and the text the user typed (used in labels).
struct Param {
  Rational exact;
  double value = 0;
  std::string text;
};

Param read_param(const Options& opts, const std::string& name, const std::string& fallback,
                 bool allow_zero) {
  Param p;
  p.text = opts.has(name) ? opts.get(name) : fallback;
  if (p.text.empty()) p.text = opts.get(name);  // required: throws the usage error
  p.exact = parse_single(p.text, "--" + name, allow_zero ? ">= 0" : "> 0");
  require_range(p.exact, "--" + name, allow_zero);
  require_double_range(p.exact, "--" + name);
  p.value = to_real<double>(p.exact);
  return p;
}

// "A:B" with A < B (and A >= lo).
std::pair<double, double> read_range(const Options& opts, const std::string& name, double lo) {
  const std::string text = opts.get(name);
  auto colon = text.find(':');
  if (colon == std::string::npos || text.find(':', colon + 1) != std::string::npos)
    throw UsageError("--" + name + " must be A:B (got '" + text + "')");
  Rational ra = parse_single(text.substr(0, colon), "--" + name);
  Rational rb = parse_single(text.substr(colon + 1), "--" + name);
  if (ra > 0) require_double_range(ra, "--" + name);
  if (rb > 0) require_double_range(rb, "--" + name);
  double a = to_real<double>(ra);
  double b = to_real<double>(rb);
  if (!(a >= lo) || !(b > a))
    throw UsageError("--" + name + " must be A:B with " + label_num(lo) + " <= A < B (got '" +
                     text + "')");
  return {a, b};
}

int read_points(const Options& opts, int fallback) {
  if (!opts.has("points")) return fallback;
  return static_cast<int>(parse_integer(opts.get("points"), "--points", 10, 100000));
}

// ---- Monte Carlo overlays (Gaussian-equivalent model, attnrmt/monte_carlo.hpp) ----

struct McSettings {
  bool on = false;
  long d = 0;
  int seeds = 5;
  std::uint64_t seed = 1;
  int threads = 1;
  int points = 10;  ///< alignment: number of alpha/kappa values
  int bins = 60;    ///< density/spectrum: histogram bins
};

McSettings read_mc(const Options& opts) {
  McSettings m;
  m.on = opts.has("mc-d");
  if (!m.on) {
    for (const char* o : {"seeds", "seed", "threads", "mc-points", "bins"})
      if (opts.has(o))
        throw UsageError(std::string("--") + o + " needs --mc-d (the Monte Carlo dimension)");
    return m;
  }
  m.d = parse_integer(opts.get("mc-d"), "--mc-d", 10, 20000);
  m.seeds = static_cast<int>(parse_integer(opts.get_or("seeds", "5"), "--seeds", 1, 10000));
  m.seed =
      static_cast<std::uint64_t>(parse_integer(opts.get_or("seed", "1"), "--seed", 0, 1L << 62));
  unsigned hw = std::thread::hardware_concurrency();
  m.threads = static_cast<int>(
      parse_integer(opts.get_or("threads", std::to_string(hw ? hw : 1)), "--threads", 1, 256));
  m.points =
      static_cast<int>(parse_integer(opts.get_or("mc-points", "10"), "--mc-points", 1, 1000));
  m.bins = static_cast<int>(parse_integer(opts.get_or("bins", "60"), "--bins", 5, 10000));
  return m;
}

mc::Config mc_config(const McSettings& m, double delta, double gamma, double rho,
                     double alpha_over_kappa, bool full_spectrum) {
  mc::Config c;
  c.model = mc::Model::gaussian;
  c.d = m.d;
  c.delta = delta;
  c.gamma = gamma;
  c.rho = rho;
  c.alpha_over_kappa = alpha_over_kappa;
  c.threads = m.threads;
  if (full_spectrum) c.solver = mc::Solver::dense;
  try {
    mc::realised_sizes(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--mc-d: ") + e.what());
  }
  return c;
}

DataBlock sizes_block(const mc::Config& c, const McSettings& m) {
  mc::Sizes s = mc::realised_sizes(c);
  return {"mc_sizes",
          {"d", "V", "N", "realised_delta", "realised_gamma", "seeds", "seed"},
          {{static_cast<double>(s.d), static_cast<double>(s.V), static_cast<double>(s.N), s.delta,
            s.gamma, static_cast<double>(m.seeds), static_cast<double>(m.seed)}}};
}

std::string mc_title(const McSettings& m) {
  return "MC, d = " + std::to_string(m.d) + ", " + std::to_string(m.seeds) +
         (m.seeds == 1 ? " seed" : " seeds");
}

// All replicates' eigenvalues (scaled by kappa) and the top eigenvalue of each.
struct McSpectrum {
  std::vector<double> eigenvalues;
  DataBlock top{"mc_top", {"replicate", "top_eigenvalue", "alignment_mu", "alignment_u"}, {}};
};

McSpectrum simulate_spectra(const mc::Config& c, const McSettings& m, double kappa) {
  McSpectrum out;
  std::cerr << "attnrmt plot: simulating " << m.seeds << " replicate(s) at d = " << m.d << "\n";
  for (int r = 0; r < m.seeds; ++r) {
    mc::Replicate rep = mc::simulate_replicate(c, m.seed, r);
    for (double e : rep.eigenvalues) out.eigenvalues.push_back(kappa * e);
    out.top.rows.push_back({static_cast<double>(r), kappa * rep.top_eigenvalues.at(0),
                            rep.alignment_mu.at(0), rep.alignment_u.at(0)});
  }
  return out;
}

// Histogram of the eigenvalues on [0, xmax) normalised by the total count (so
// that it estimates the density of the continuous part, whose mass is 1 - atom);
// eigenvalues within 1e-8 xmax of 0 belong to the atom and are left out.
// Columns: bin centre, density, its Poisson standard error, count.
DataBlock histogram_block(const std::vector<double>& ev, double xmax, int bins) {
  DataBlock b{"mc_histogram", {"bin_center", "density", "stderr", "count", "bin_width"}, {}};
  std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
  const double width = xmax / bins, zero = 1e-8 * xmax;
  for (double e : ev) {
    if (e <= zero) continue;
    long k = static_cast<long>(e / width);
    if (k >= 0 && k < bins) counts[static_cast<std::size_t>(k)] += 1;
  }
  const double total = static_cast<double>(ev.size());
  for (int k = 0; k < bins; ++k) {
    double n = counts[static_cast<std::size_t>(k)];
    b.rows.push_back(
        {(k + 0.5) * width, n / (total * width), std::sqrt(n) / (total * width), n, width});
  }
  return b;
}

double zero_fraction(const std::vector<double>& ev, double xmax) {
  double n = 0;
  for (double e : ev) n += e <= 1e-8 * xmax ? 1 : 0;
  return ev.empty() ? 0 : n / static_cast<double>(ev.size());
}

std::string kappa_axis_label(const Param& kappa) {
  if (kappa.exact == 1) return "eigenvalue λ of C  (units of κ = ‖w‖^2)";
  return "eigenvalue λ of C  (κ = ‖w‖^2 = " + kappa.text + ")";
}

// Gnuplot string literal in single quotes (a quote is doubled).
// FILE.tex output (cairolatex): labels are typeset by LaTeX, so gq() converts
// them. Set once per run by read_figure().
bool latex_labels = false;

// A label in gnuplot's enhanced-text notation (Unicode Greek, x_s, x^s, x_{..})
// as LaTeX: symbols and sub/superscripts become inline maths, adjacent maths
// merged ("$\kappa$$\|$" -> "$\kappa\|$").
std::string to_latex(const std::string& text) {
  static const std::pair<const char*, const char*> symbols[] = {
      {"λ", "\\lambda"}, {"α", "\\alpha"}, {"κ", "\\kappa"}, {"δ", "\\delta"}, {"γ", "\\gamma"},
      {"ρ", "\\rho"},    {"μ", "\\mu"},    {"τ", "\\tau"},   {"‖", "\\|"},     {"⊠", "\\boxtimes"},
      {"≤", "\\le"},     {"∓", "\\mp"},    {"±", "\\pm"}};
  auto symbol_at = [&](std::size_t i, std::string& cmd) -> std::size_t {
    for (const auto& [utf8, tex] : symbols) {
      std::size_t n = std::strlen(utf8);
      if (text.compare(i, n, utf8) == 0) {
        cmd = tex;
        return n;
      }
    }
    return 0;
  };
  // Maths body of one script argument: symbols as commands, other characters as they are.
  auto math_of = [&](const std::string& arg) {
    std::string out;
    for (std::size_t j = 0; j < arg.size();) {
      bool matched = false;
      for (const auto& [utf8, tex] : symbols) {
        std::size_t len = std::strlen(utf8);
        if (arg.compare(j, len, utf8) == 0) {
          out += std::string(tex) + " ";
          j += len;
          matched = true;
          break;
        }
      }
      if (!matched) out += arg[j++];
    }
    return out;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::string cmd;
    if (std::size_t n = symbol_at(i, cmd)) {
      out += "$" + cmd + "$";
      i += n;
      continue;
    }
    char c = text[i];
    if ((c == '_' || c == '^') && i + 1 < text.size()) {
      std::string arg;
      if (text[i + 1] == '{') {
        std::size_t close = text.find('}', i + 2);
        if (close == std::string::npos) close = text.size();
        arg = text.substr(i + 2, close - i - 2);
        i = close + 1;
      } else {
        std::size_t len = 1;
        std::string unused;
        if (std::size_t n = symbol_at(i + 1, unused)) len = n;
        arg = text.substr(i + 1, len);
        i += 1 + len;
      }
      out += std::string("$") + c + "{" + math_of(arg) + "}$";
      continue;
    }
    if (c == '%' || c == '&' || c == '#') out += '\\';
    out += c;
    ++i;
  }
  std::string merged;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '$' && i + 1 < out.size() && out[i + 1] == '$') {
      ++i;
      continue;
    }
    merged += out[i];
  }
  return merged;
}

// Gnuplot string literal in single quotes (a quote is doubled); LaTeX for FILE.tex.
std::string gq(const std::string& text) {
  return gp_quote(latex_labels ? to_latex(text) : text);
}

// Key text (entries and key title): gq(), and for FILE.tex the largest excess
// of LaTeX source over visible characters, which plot_command() subtracts from
// the key width gnuplot estimates from the source.
int key_excess = 0;
std::string kq(const std::string& text) {
  if (latex_labels) {
    int visible = 0;
    for (unsigned char c : text)
      if ((c & 0xC0) != 0x80 && c != '_' && c != '^' && c != '{' && c != '}') ++visible;
    key_excess = std::max(key_excess, static_cast<int>(to_latex(text).size()) - visible);
  }
  return gq(text);
}

// "plot datafile ITEM1, '' ITEM2, ..." (each item starts with "index N").
std::string plot_command(const std::vector<std::string>& items) {
  std::string out = latex_labels ? "set key width " + std::to_string(-key_excess) + "\n" : "";
  out += "plot datafile " + items.at(0);
  for (std::size_t i = 1; i < items.size(); ++i) out += ", \\\n     '' " + items[i];
  return out + "\n";
}

std::string common_style() {
  std::string style =
      "set border 3 lw 1\n"
      "set tics nomirror out scale 0.6\n"
      "set mxtics 2\nset mytics 2\n"
      "set key samplen 2.5 spacing 1.1 opaque box lw 0.5\n"
      "set style fill transparent solid 0.25 noborder\n";
  // gnuplot sizes a key from the raw label text, which overestimates LaTeX
  // source: no box, and text left-aligned after the sample so that the error
  // falls on the empty side.
  if (latex_labels) style += "set key nobox noopaque Left reverse spacing 1.5\n";
  return style;
}

// Density on Chebyshev-spaced points of [left, right] (dense near the square-root
// edges). A hard edge at 0 skips x = 0, where the density is infinite.
DataBlock density_block(const BulkLaw<double>& law, int n) {
  DataBlock b{"density", {"x", "density", "cdf"}, {}};
  const double L = law.left_edge(), R = law.right_edge();
  const double pi = std::acos(-1.0);
  for (int i = 0; i < n; ++i) {
    if (law.hard_left_edge() && i == 0) continue;
    double x = L + (R - L) * (1 - std::cos(pi * i / (n - 1))) / 2;
    if (i == n - 1) x = R;
    b.rows.push_back({x, law.density(x), law.cdf(x)});
  }
  return b;
}

// y range for a density plot: the largest value away from a hard edge.
double density_ymax(const BulkLaw<double>& law, const DataBlock& d) {
  double ymax = 0;
  const double cut = law.hard_left_edge() ? 0.03 * law.right_edge() : -1;
  for (const auto& r : d.rows)
    if (r[0] >= cut) ymax = std::max(ymax, r[1]);
  return 1.18 * ymax;
}

// Edge markers and atom note shared by `density` and `spectrum`.
std::string edge_markers(const BulkLaw<double>& law) {
  std::ostringstream s;
  const double L = law.left_edge(), R = law.right_edge();
  s << "set arrow from " << gp_num(R) << ", graph 0 to " << gp_num(R)
    << ", graph 0.9 nohead dt 2 lw 1 lc rgb '" << kVermillion << "'\n";
  s << "set label " << gq("λ_+ = " + label_num(R)) << " at " << gp_num(R)
    << ", graph 0.95 right offset -0.3,0 tc rgb '" << kVermillion << "'\n";
  if (law.hard_left_edge()) {
    s << "set label " << gq("hard edge at 0") << " at " << gp_num(L)
      << ", graph 0.95 left offset 1.5,0 tc rgb '" << kVermillion << "'\n";
  } else {
    s << "set arrow from " << gp_num(L) << ", graph 0 to " << gp_num(L)
      << ", graph 0.9 nohead dt 2 lw 1 lc rgb '" << kVermillion << "'\n";
    s << "set label " << gq("λ_- = " + label_num(L)) << " at " << gp_num(L)
      << ", graph 0.95 left offset 0.3,0 tc rgb '" << kVermillion << "'\n";
  }
  if (law.atom() == 0)
    s << "set label " << gq("no atom at 0") << " at graph 0.97, graph 0.45 right tc rgb '" << kGrey
      << "'\n";
  if (law.atom() > 0)
    s << "set arrow from 0, graph 0 to 0, graph 0.7 head filled size screen 0.015,20 lw 2 lc rgb '"
      << kPurple << "'\n"
      << "set label " << gq("atom at 0 (arrow), mass " + label_num(law.atom()))
      << " at graph 0.97, graph 0.45 right tc rgb '" << kPurple << "'\n";
  return s.str();
}

std::string law_title(const Param& delta, const Param& gamma) {
  return "δ = " + delta.text + ", γ = " + gamma.text;
}

struct Figure {
  FigurePaths paths;
  FigureSize size;
  bool render = true;
  const Options* opts = nullptr;  ///< checked for unused options before writing
};

Figure read_figure(const Options& opts) {
  Figure f;
  f.paths = figure_paths(opts.get("out"));
  f.size = parse_figure_size(opts.get_or("size", ""), opts.get_or("dpi", ""));
  f.render = !opts.has("no-render");
  f.opts = &opts;
  latex_labels = f.paths.format == ImageFormat::tex;
  return f;
}

void finish(const Figure& f, const std::vector<DataBlock>& blocks, const std::string& body) {
  if (f.opts) f.opts->require_all_used();
  write_figure(f.paths, format_data(blocks, invocation()),
               make_script(f.paths, f.size, body, invocation()), f.render);
  std::cout << "wrote " << (f.render ? f.paths.image + ", " : "") << f.paths.data << ", "
            << f.paths.script << "\n";
}

// ---- density ------------------------------------------------------------------

int plot_density(const Options& opts) {
  Param delta = read_param(opts, "delta", "", false), gamma = read_param(opts, "gamma", "", false);
  Param kappa = read_param(opts, "kappa", "1", false);
  McSettings mcs = read_mc(opts);
  Figure fig = read_figure(opts);
  BulkLaw<double> law(delta.value, gamma.value, kappa.value);
  DataBlock dens = density_block(law, read_points(opts, 400));
  DataBlock edges{
      "edges",
      {"left_edge", "right_edge", "atom", "hard_left_edge"},
      {{law.left_edge(), law.right_edge(), law.atom(), law.hard_left_edge() ? 1.0 : 0.0}}};
  std::vector<DataBlock> blocks{dens, edges};
  double xmax = 1.08 * law.right_edge();
  std::ostringstream mc_layer, mc_labels;
  if (mcs.on) {
    // No signal (alpha/kappa = 0): the spectrum is the bulk alone.
    mc::Config cfg = mc_config(mcs, delta.value, gamma.value, 1.0, 0.0, true);
    McSpectrum sp = simulate_spectra(cfg, mcs, kappa.value);
    double top = *std::max_element(sp.eigenvalues.begin(), sp.eigenvalues.end());
    xmax = std::max(xmax, 1.03 * top);
    blocks.push_back(histogram_block(sp.eigenvalues, xmax, mcs.bins));
    blocks.push_back(sizes_block(cfg, mcs));
    mc_layer << "index 2 using 1:2:5 with boxes lc rgb '" << kGrey
             << "' fs transparent solid 0.4 title " << kq(mc_title(mcs));
    double zf = zero_fraction(sp.eigenvalues, xmax);
    if (law.atom() > 0)
      mc_labels << "set label " << gq("MC zero eigenvalues: " + label_num(zf, 3))
                << " at graph 0.97, graph 0.38 right tc rgb '" << kGrey << "'\n";
  }
  std::ostringstream s;
  s << common_style() << "set xlabel " << gq(kappa_axis_label(kappa)) << "\n"
    << "set ylabel " << gq("density") << "\n"
    << "set xrange [" << gp_num(law.atom() > 0 ? -0.04 * xmax : 0.0) << ":" << gp_num(xmax)
    << "]\nset yrange [0:" << gp_num(density_ymax(law, dens)) << "]\n"
    << "set key at graph 0.97, graph 0.84 right top title " << kq(law_title(delta, gamma)) << "\n"
    << edge_markers(law) << mc_labels.str();
  std::vector<std::string> items;
  if (mcs.on)
    items.push_back(mc_layer.str());
  else
    items.push_back("index 0 using 1:2 with filledcurves y=0 lc rgb '" + std::string(kSky) +
                    "' notitle");
  items.push_back("index 0 using 1:2 with lines lw 2 lc rgb '" + std::string(kBlue) + "' title " +
                  kq("theory"));
  s << plot_command(items);
  finish(fig, blocks, s.str());
  return 0;
}

// ---- phase --------------------------------------------------------------------

struct Marker {
  std::string label;
  double value;
};

// --mark "label=A,label2=B" or "A,B": horizontal lines at alpha/kappa values.
std::vector<Marker> read_markers(const Options& opts) {
  std::vector<Marker> out;
  if (!opts.has("mark")) return out;
  std::string text = opts.get("mark");
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    Marker m;
    auto eq = item.find('=');
    std::string num = eq == std::string::npos ? item : item.substr(eq + 1);
    Rational r = parse_single(num, "--mark", "> 0");
    require_range(r, "--mark", false);
    m.value = to_real<double>(r);
    m.label = eq == std::string::npos ? "α/κ = " + num : item.substr(0, eq);
    out.push_back(m);
  }
  return out;
}

int plot_phase(const Options& opts) {
  Param rho = read_param(opts, "rho", "1", true);
  if (opts.has("gamma") && opts.has("gammas"))
    throw UsageError("give --gamma G or --gammas LIST, not both");
  std::vector<std::string> gamma_texts;
  std::vector<double> gammas;
  {
    std::string text = opts.has("gammas") ? opts.get("gammas") : opts.get_or("gamma", "1/2");
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
      Rational g = parse_single(item, "--gammas", "> 0");
      require_range(g, "--gammas", false);
      require_double_range(g, "--gammas");
      gamma_texts.push_back(item);
      gammas.push_back(to_real<double>(g));
    }
    if (gammas.size() > 6) throw UsageError("--gammas takes at most 6 values");
  }
  auto [d0, d1] =
      opts.has("delta-range") ? read_range(opts, "delta-range", 0) : std::make_pair(0.0, 2.0);
  const bool mark_delta = opts.has("delta");
  Param delta_mark;
  if (mark_delta) delta_mark = read_param(opts, "delta", "", false);
  std::vector<Marker> markers = read_markers(opts);
  // Pooling schemes (--T/--pooling/--corr): their alpha/kappa = w^T R w / w^T w as markers.
  std::string scheme_title;
  if (has_scheme_options(opts)) {
    SchemeInput in = read_scheme_options(opts, "mean,causal,optimal");
    for (const auto& scheme : in.schemes) {
      double aok = evaluate_scheme<double>(scheme, in.corr).alpha_over_kappa;
      markers.push_back({scheme_label(scheme) + ": " + label_num(aok), aok});
    }
    scheme_title =
        "T = " + std::to_string(in.corr.length()) + ", corr " + opts.get_or("corr", "identity");
  }
  if (opts.has("mc-d")) throw UsageError("--mc-d: the phase diagram has no Monte Carlo overlay");
  read_mc(opts);
  Figure fig = read_figure(opts);
  const int n = read_points(opts, 300);

  DataBlock curves{"thresholds", {"delta", "tau1"}, {}};
  for (std::size_t k = 0; k < gammas.size(); ++k)
    curves.columns.push_back("tau2_gamma_" + gamma_texts[k]);
  double ymax = 0;
  for (int i = 0; i < n; ++i) {
    double d = d0 + (d1 - d0) * i / (n - 1);
    if (d <= 0) d = (d1 - d0) * 1e-4;  // delta = 0 itself is outside the model
    std::vector<double> row{d, thresholds(d, gammas[0], rho.value).tau1};
    for (double g : gammas) row.push_back(thresholds(d, g, rho.value).tau2);
    for (std::size_t j = 1; j < row.size(); ++j) ymax = std::max(ymax, row[j]);
    curves.rows.push_back(row);
  }
  for (const auto& m : markers) ymax = std::max(ymax, m.value);
  ymax *= 1.25;
  DataBlock point{"marked_delta", curves.columns, {}};
  if (mark_delta) {
    std::vector<double> row{delta_mark.value,
                            thresholds(delta_mark.value, gammas[0], rho.value).tau1};
    for (double g : gammas) row.push_back(thresholds(delta_mark.value, g, rho.value).tau2);
    point.rows.push_back(row);
  }

  std::ostringstream s;
  s << common_style() << "set xlabel " << gq("δ = d/V") << "\n"
    << "set ylabel " << gq("α/κ = w^TRw / ‖w‖^2") << "\n"
    << "set xrange [" << gp_num(d0) << ":" << gp_num(d1) << "]\nset yrange [0:" << gp_num(ymax)
    << "]\n"
    << (gammas.size() == 1 ? "set key bottom right"
                           : "set key below center horizontal maxrows 2 noopaque nobox")
    << " title "
    << kq((gammas.size() == 1 ? "γ = " + gamma_texts[0] + ", " : std::string()) +
          "ρ = " + rho.text +
          (gammas.size() > 1 ? "; regimes shaded for γ = " + gamma_texts[0] : std::string()))
    << "\n";
  // Regime labels inside their bands: at the delta (right two thirds of the
  // range) where the table-only band is widest.
  {
    std::size_t best = static_cast<std::size_t>((n - 1) * 3 / 4);
    for (std::size_t i = static_cast<std::size_t>(n / 3); i + 1 < curves.rows.size(); ++i)
      if (curves.rows[i][2] - curves.rows[i][1] > curves.rows[best][2] - curves.rows[best][1])
        best = i;
    const std::vector<double>& r = curves.rows[best];
    double x = r[0], t1 = r[1], t2 = r[2];
    double top = *std::max_element(r.begin() + 2, r.end());
    s << "set label " << gq("no signal") << " at " << gp_num(x) << "," << gp_num(t1 / 2)
      << " center\n"
      << "set label " << gq("table only") << " at " << gp_num(x) << "," << gp_num((t1 + t2) / 2)
      << " center\n"
      << "set label " << gq("detectable") << " at " << gp_num(x) << "," << gp_num((top + ymax) / 2)
      << " center\n";
  }
  // Marker labels, ordered by value, staggered across the width so that close
  // values stay readable.
  {
    std::vector<Marker> sorted = markers;
    std::sort(sorted.begin(), sorted.end(),
              [](const Marker& a, const Marker& b) { return a.value < b.value; });
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      const Marker& m = sorted[i];
      s << "set arrow from graph 0, first " << gp_num(m.value) << " to graph 1, first "
        << gp_num(m.value) << " nohead dt 4 lw 1.2 lc rgb 'black' front\n"
        << "set label " << gq(m.label) << " at graph "
        << label_num(0.02 + 0.33 * static_cast<double>(i % 3)) << ", first " << gp_num(m.value)
        << " left offset 0,0.6 tc rgb 'black' front\n";
    }
  }
  if (!scheme_title.empty())
    s << "set label " << gq("markers: " + scheme_title)
      << " at graph 0.98, graph 0.97 right front\n";
  if (mark_delta) {
    const auto& r = point.rows[0];
    s << "set label " << gq("τ_1 = " + label_num(r[1])) << " at " << gp_num(r[0]) << ","
      << gp_num(r[1]) << " left offset 0.6,-0.5 front\n"
      << "set label " << gq("τ_2 = " + label_num(r[2])) << " at " << gp_num(r[0]) << ","
      << gp_num(r[2]) << " right offset -0.6,0.8 front\n";
  }
  std::vector<std::string> items{
      "index 0 using 1:(0):2 with filledcurves lc rgb '" + std::string(kGrey) + "' notitle",
      "index 0 using 1:2:3 with filledcurves lc rgb '" + std::string(kOrange) + "' notitle",
      "index 0 using 1:3:(" + gp_num(ymax) + ") with filledcurves lc rgb '" + kGreen + "' notitle",
      "index 0 using 1:2 with lines lw 2 lc rgb 'black' title " +
          kq(gammas.size() > 1 ? "τ_1" : "τ_1 (table)"),
      "index 0 using 1:3 with lines lw 2 lc rgb '" + std::string(kBlue) + "' title " +
          kq(gammas.size() > 1 ? "τ_2, γ = " + gamma_texts[0] : "τ_2 (sample)")};
  const char* extra_colours[] = {kVermillion, kPurple, kSky, "#F0E442", "#000000"};
  for (std::size_t k = 1; k < gammas.size(); ++k)
    items.push_back("index 0 using 1:" + std::to_string(k + 3) + " with lines lw 2 dt " +
                    std::to_string(k + 1) + " lc rgb '" + extra_colours[(k - 1) % 5] + "' title " +
                    kq("τ_2, γ = " + gamma_texts[k]));
  if (mark_delta) {
    items.push_back("index 1 using 1:2 with points pt 7 ps 0.8*psc lc rgb 'black' notitle");
    items.push_back("index 1 using 1:3 with points pt 7 ps 0.8*psc lc rgb '" + std::string(kBlue) +
                    "' notitle");
  }
  s << plot_command(items);
  DataBlock marker_block{"markers", {"alpha_over_kappa"}, {}};
  for (const auto& m : markers) marker_block.rows.push_back({m.value});
  finish(fig, {curves, point, marker_block}, s.str());
  return 0;
}

// ---- alignment ------------------------------------------------------------------

int plot_alignment(const Options& opts) {
  Param delta = read_param(opts, "delta", "", false), gamma = read_param(opts, "gamma", "", false);
  Param rho = read_param(opts, "rho", "1", true);
  McSettings mcs = read_mc(opts);
  BulkLaw<double> law(delta.value, gamma.value);
  auto th = thresholds(delta.value, gamma.value, rho.value);
  std::pair<double, double> range{0.0, std::max(4.0, 4 * th.tau2)};
  if (opts.has("range")) range = read_range(opts, "range", 0);
  Figure fig = read_figure(opts);
  const int n = read_points(opts, 401);

  std::vector<double> xs;
  for (int i = 0; i < n; ++i)
    xs.push_back(range.first + (range.second - range.first) * i / (n - 1));
  // The thresholds themselves, so that the kink at tau2 is drawn sharply.
  for (double t : {th.tau1, th.tau2})
    if (t > range.first && t < range.second) xs.push_back(t);
  std::sort(xs.begin(), xs.end());
  DataBlock curve{"alignment",
                  {"alpha_over_kappa", "alignment_mu", "alignment_u", "population_alignment",
                   "lambda_over_kappa", "regime(0=none,1=table-only,2=detectable)"},
                  {}};
  for (double x : xs) {
    if (x <= 0) continue;  // alpha/kappa > 0 (outlier_report's domain)
    auto r = outlier_report(law, rho.value, x);
    curve.rows.push_back({x, r.alignment_mu, r.spike.alignment_u, r.spike.population_alignment,
                          r.spike.lambda, static_cast<double>(static_cast<int>(r.regime))});
  }
  const double cap = rho.value / (rho.value + delta.value);
  DataBlock marks{
      "thresholds", {"tau1", "tau2", "cap_rho_over_rho_plus_delta"}, {{th.tau1, th.tau2, cap}}};

  // Key: bottom right, or, when the cap is low, in the gap between the cap
  // (A_mu stays below it) and the lowest A_u over the right half of the range.
  std::string key_position = "set key at graph 0.98, graph 0.04 right bottom";
  {
    double au_min = 1;
    for (const auto& r : curve.rows)
      if (r[0] >= (range.first + range.second) / 2) au_min = std::min(au_min, r[2]);
    const double low = cap / 1.05, high = au_min / 1.05;
    const double key_height = 0.08 * (mcs.on ? 6 : 3) + 0.04;
    if (low < key_height + 0.08 && high - low > key_height + 0.04)
      key_position =
          "set key at graph 0.98, graph " + label_num((low + high) / 2) + " right center";
  }
  std::ostringstream s;
  s << common_style() << "set xlabel " << gq("α/κ = w^TRw / ‖w‖^2") << "\n"
    << "set ylabel " << gq("alignment of the top eigenvector") << "\n"
    << "set xrange [" << gp_num(range.first) << ":" << gp_num(range.second)
    << "]\nset yrange [0:1.05]\n"
    << key_position << " title "
    << (mcs.on && !latex_labels
            ? "\"" + law_title(delta, gamma) + ", ρ = " + rho.text + "\\n" + mc_title(mcs) + "\""
            : kq(law_title(delta, gamma) + ", ρ = " + rho.text))
    << "\n";
  // Regime bands (behind), threshold lines and names.
  s << "set object 1 rect from graph 0, graph 0 to first " << gp_num(th.tau1)
    << ", graph 1 behind fc rgb '" << kGrey << "' fs transparent solid 0.15 noborder\n"
    << "set object 2 rect from first " << gp_num(th.tau1) << ", graph 0 to first "
    << gp_num(th.tau2) << ", graph 1 behind fc rgb '" << kOrange
    << "' fs transparent solid 0.2 noborder\n"
    << "set object 3 rect from first " << gp_num(th.tau2)
    << ", graph 0 to graph 1, graph 1 behind fc rgb '" << kGreen
    << "' fs transparent solid 0.12 noborder\n";
  for (auto [t, name] : {std::pair<double, const char*>{th.tau1, "τ_1"}, {th.tau2, "τ_2"}})
    s << "set arrow from " << gp_num(t) << ", graph 0 to " << gp_num(t)
      << ", graph 1 nohead dt 2 lw 1 lc rgb 'black'\n"
      << "set label " << gq(std::string(name) + " = " + label_num(t)) << " at " << gp_num(t)
      << ", graph 0.97 right rotate by 90 offset 1.3,0 front\n";
  s << "set label " << gq("none") << " at " << gp_num((std::max(range.first, 0.0) + th.tau1) / 2)
    << ", graph 0.03 left rotate by 90 tc rgb '#505050'\n"
    << "set label " << gq("table only") << " at " << gp_num((th.tau1 + th.tau2) / 2)
    << ", graph 0.03 left rotate by 90 tc rgb '#505050'\n"
    << "set arrow from graph 0, first " << gp_num(cap) << " to graph 1, first " << gp_num(cap)
    << " nohead dt 3 lw 1 lc rgb '" << kGrey << "'\n"
    << "set label " << gq("cap ρ/(ρ+δ) = " + label_num(cap)) << " at graph 0.98, first "
    << gp_num(cap) << " right offset 0,0.6 tc rgb '" << kGrey << "'\n";
  std::vector<DataBlock> blocks{curve, marks};
  std::vector<std::string> items{"index 0 using 1:3 with lines lw 2 dt 2 lc rgb '" +
                                     std::string(kOrange) + "' title " + kq("A_u theory"),
                                 "index 0 using 1:2 with lines lw 2 lc rgb '" + std::string(kBlue) +
                                     "' title " + kq("A_μ theory")};
  if (mcs.on) {
    // Common random numbers: every alpha/kappa uses the same seeds.
    DataBlock pts{"mc_alignment",
                  {"alpha_over_kappa", "alignment_mu", "stderr_mu", "alignment_u", "stderr_u",
                   "top_eigenvalue", "stderr_top", "seeds"},
                  {}};
    mc::Config cfg = mc_config(mcs, delta.value, gamma.value, rho.value, 1.0, false);
    std::cerr << "attnrmt plot: simulating " << mcs.points << " x " << mcs.seeds
              << " replicate(s) at d = " << mcs.d << "\n";
    for (int j = 0; j < mcs.points; ++j) {
      double x = range.first + (range.second - range.first) * (j + 1) / mcs.points;
      cfg.alpha_over_kappa = x;
      std::vector<double> amu, au, top;
      for (int r = 0; r < mcs.seeds; ++r) {
        mc::Replicate rep = mc::simulate_replicate(cfg, mcs.seed, r);
        amu.push_back(rep.alignment_mu.at(0));
        au.push_back(rep.alignment_u.at(0));
        top.push_back(rep.top_eigenvalues.at(0));
      }
      auto mean_se = [](const std::vector<double>& v) {
        double m = 0, q = 0;
        for (double e : v) m += e;
        m /= static_cast<double>(v.size());
        for (double e : v) q += (e - m) * (e - m);
        double n = static_cast<double>(v.size());
        return std::make_pair(m, n > 1 ? std::sqrt(q / (n - 1) / n) : 0.0);
      };
      auto [m1, e1] = mean_se(amu);
      auto [m2, e2] = mean_se(au);
      auto [m3, e3] = mean_se(top);
      pts.rows.push_back({x, m1, e1, m2, e2, m3, e3, static_cast<double>(mcs.seeds)});
    }
    blocks.push_back(pts);
    blocks.push_back(sizes_block(cfg, mcs));
    items.push_back("index 2 using 1:4:5 with yerrorbars pt 6 ps 0.6*psc lc rgb '" +
                    std::string(kOrange) + "' title " + kq("A_u MC"));
    items.push_back("index 2 using 1:2:3 with yerrorbars pt 7 ps 0.6*psc lc rgb '" +
                    std::string(kBlue) + "' title " +
                    kq(latex_labels ? "A_μ " + mc_title(mcs) : std::string("A_μ MC")));
  }
  s << plot_command(items);
  finish(fig, blocks, s.str());
  return 0;
}

// ---- spectrum -------------------------------------------------------------------

int plot_spectrum(const Options& opts) {
  Param delta = read_param(opts, "delta", "", false), gamma = read_param(opts, "gamma", "", false);
  Param kappa = read_param(opts, "kappa", "1", false);
  Param rho = read_param(opts, "rho", "1", true);
  Param snr = read_param(opts, "alpha-over-kappa", "", false);
  McSettings mcs = read_mc(opts);
  Figure fig = read_figure(opts);
  BulkLaw<double> law(delta.value, gamma.value, kappa.value);
  auto r = outlier_report(law, rho.value, snr.value);
  DataBlock dens = density_block(law, read_points(opts, 400));
  DataBlock top{
      "top_eigenvalue",
      {"alpha_over_kappa", "lambda", "right_edge", "regime(0=none,1=table-only,2=detectable)",
       "alignment_mu", "alignment_u"},
      {{snr.value, r.spike.lambda, law.right_edge(),
        static_cast<double>(static_cast<int>(r.regime)), r.alignment_mu, r.spike.alignment_u}}};
  const bool outlier = r.regime == Regime::detectable;
  double xmax = 1.1 * std::max(law.right_edge(), r.spike.lambda);
  std::vector<DataBlock> blocks{dens, top};
  std::vector<std::string> items;
  if (mcs.on) {
    mc::Config cfg = mc_config(mcs, delta.value, gamma.value, rho.value, snr.value, true);
    McSpectrum sp = simulate_spectra(cfg, mcs, kappa.value);
    double largest = *std::max_element(sp.eigenvalues.begin(), sp.eigenvalues.end());
    xmax = std::max(xmax, 1.05 * largest);
    blocks.push_back(histogram_block(sp.eigenvalues, xmax, mcs.bins));
    blocks.push_back(sp.top);
    blocks.push_back(sizes_block(cfg, mcs));
    items.push_back("index 2 using 1:2:5 with boxes lc rgb '" + std::string(kGrey) +
                    "' fs transparent solid 0.4 title " + kq(mc_title(mcs)));
  } else {
    items.push_back("index 0 using 1:2 with filledcurves y=0 lc rgb '" + std::string(kSky) +
                    "' notitle");
  }
  items.push_back("index 0 using 1:2 with lines lw 2 lc rgb '" + std::string(kBlue) + "' title " +
                  kq("theory"));
  std::ostringstream s;
  s << common_style() << "set xlabel " << gq(kappa_axis_label(kappa)) << "\n"
    << "set ylabel " << gq("density") << "\n"
    << "set xrange [" << gp_num(law.atom() > 0 ? -0.04 * xmax : 0.0) << ":" << gp_num(xmax)
    << "]\nset yrange [0:" << gp_num(density_ymax(law, dens)) << "]\n"
    << "set key at graph 0.97, graph 0.84 right top title "
    << kq(law_title(delta, gamma) + ", ρ = " + rho.text) << "\n"
    << edge_markers(law);
  if (outlier) {
    s << "set arrow from " << gp_num(r.spike.lambda) << ", graph 0.3 to " << gp_num(r.spike.lambda)
      << ", graph 0 head filled size screen 0.015,20 lw 2 lc rgb '" << kGreen << "'\n"
      << "set label " << gq("α/κ = " + snr.text + ": outlier λ = " + label_num(r.spike.lambda))
      << " at " << gp_num(r.spike.lambda) << ", graph 0.3 right offset 1,0.7 tc rgb '" << kGreen
      << "'\n";
  } else {
    s << "set label "
      << gq("α/κ = " + snr.text +
            " ≤ τ_2 = " + label_num(thresholds(delta.value, gamma.value, rho.value).tau2) +
            ": no outlier (" + regime_name(r.regime) + ")")
      << " at graph 0.97, graph 0.55 right tc rgb '" << kGreen << "'\n";
  }
  if (mcs.on) {
    const double y0 = 0.04 * density_ymax(law, dens);
    items.push_back("index 3 using 2:(" + gp_num(y0) +
                    ") with points pt 2 ps 0.9*psc lw 1.5 lc rgb 'black' title " +
                    kq("MC top eigenvalues"));
  }
  s << plot_command(items);
  finish(fig, blocks, s.str());
  return 0;
}

int run_plot(const Options& opts) {
  if (opts.positional().size() != 1)
    throw UsageError("give exactly one KIND: density, phase, alignment or spectrum");
  const std::string& kind = opts.positional()[0];
  if (kind == "density") return plot_density(opts);
  if (kind == "phase") return plot_phase(opts);
  if (kind == "alignment") return plot_alignment(opts);
  if (kind == "spectrum") return plot_spectrum(opts);
  throw UsageError("KIND must be density, phase, alignment or spectrum (got '" + kind + "')");
}

const CommandRegistrar plot_cmd{Command{
    "plot",
    "figures (density, phase, alignment, spectrum) drawn with gnuplot",
    "plot KIND [options] --out FILE.{png,svg,pdf,tex}\n"
    "  plot density   --delta D --gamma G [--kappa K] [--mc-d d --seeds S]\n"
    "  plot phase     [--gamma G | --gammas LIST] [--rho R] [--delta-range A:B] [--delta D] "
    "[--mark LIST]\n"
    "                 [--T T --corr C --pooling LIST]\n"
    "  plot alignment --delta D --gamma G [--rho R] [--range A:B] [--mc-d d --seeds S]\n"
    "  plot spectrum  --delta D --gamma G --alpha-over-kappa A [--rho R] [--kappa K]\n"
    "                 [--mc-d d --seeds S]",
    "Writes FILE.png/svg/pdf (or FILE.tex + FILE.pdf, labels typeset by LaTeX), FILE.dat (the\n"
    "plotted numbers, 17 digits, gnuplot data sets) and FILE.gp (the script; `gnuplot FILE.gp`\n"
    "redraws the image, edit it to restyle). Every number comes from the library: density =\n"
    "-Im g(x+i0)/pi of kappa (MP_delta ⊠ MP_gamma) with its edges and atom; tau1, tau2 =\n"
    "thresholds(); alignments and lambda = outlier_report(). Default size 3.5 x 2.6 inches (one\n"
    "column of a two-column paper), 8 pt text; PNG at --dpi (default 200).\n"
    "phase: delta on x (default 0:2), alpha/kappa on y; regimes shaded for the first gamma;\n"
    "--delta D marks tau1, tau2 at D; --mark 'label=1.8,...' draws horizontal markers;\n"
    "--T/--corr/--pooling LIST marks each pooling scheme's alpha/kappa = w^T R w / w^T w.\n"
    "--mc-d: Monte Carlo of the Gaussian-equivalent model (attnrmt validate --model gaussian).\n"
    "gnuplot is $ATTNRMT_GNUPLOT or `gnuplot` on PATH (Debian gnuplot-nox).",
    {{"delta", "D", "d/V, > 0"},
     {"gamma", "G", "d/N, > 0"},
     {"gammas", "LIST", "phase: several gammas, a,b,c (at most 6)"},
     {"kappa", "K", "||w||^2, > 0 (default 1)"},
     {"rho", "R", "||mu||^2, >= 0 (default 1)"},
     {"alpha-over-kappa", "A", "spectrum: signal-to-noise alpha/kappa, > 0"},
     {"range", "A:B", "alignment: alpha/kappa range (default 0:max(4, 4 tau2))"},
     {"delta-range", "A:B", "phase: delta range (default 0:2)"},
     {"mark", "LIST", "phase: horizontal markers, 'label=A,...' or 'A,...'"},
     {"T", "T",
      "phase: sequence length for --pooling markers (optional with --corr latent:/file:)"},
     {"pooling", "P",
      "phase: pooling schemes to mark, e.g. mean,causal,optimal (default with --T/--corr)"},
     {"corr", "C",
      "phase: positional correlation for --pooling: identity | latent:... | latent-exp:A,L | "
      "markov:R | file:PATH"},
     {"points", "N", "number of plotted points (defaults: 400 density, 300 phase, 401 alignment)"},
     {"size", "W,H", "figure size in inches (default 3.5,2.6)"},
     {"dpi", "N", "PNG resolution, 50..1200 (default 200)"},
     {"no-render", "", "write FILE.dat and FILE.gp only, do not run gnuplot"},
     {"mc-d", "d",
      "density, alignment, spectrum: Monte Carlo overlay of the Gaussian-equivalent model at "
      "dimension d"},
     {"seeds", "S", "Monte Carlo replicates (default 5)"},
     {"seed", "BASE", "Monte Carlo base seed (default 1)"},
     {"threads", "K", "Monte Carlo threads (default: all cores)"},
     {"mc-points", "N", "alignment: number of simulated alpha/kappa values (default 10)"},
     {"bins", "N", "density, spectrum: histogram bins (default 60)"},
     {"out", "FILE", "FILE.png, FILE.svg, FILE.pdf or FILE.tex (required)"}},
    run_plot,
    1}};

}  // namespace
}  // namespace attnrmt::cli
