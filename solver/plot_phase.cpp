// solver/plot_phase.cpp -- `attnrmt plot phase`: the phase diagram in the (delta, alpha/kappa)
// plane, thresholds tau1 and tau2, regimes shaded, markers.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "attnrmt/spike.hpp"
#include "plot_inputs.hpp"
#include "plot_kinds.hpp"
#include "plot_mc.hpp"
#include "plot_style.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli::plot {

namespace {
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
    Rational r = parse_positive_rational(num, "--mark");
    m.value = to_real<double>(r);
    m.label = eq == std::string::npos ? "α/κ = " + num : item.substr(0, eq);
    out.push_back(m);
  }
  return out;
}

}  // namespace

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
      Rational g = parse_positive_rational(item, "--gammas");
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
  s << fig.text.common_style() << "set xlabel " << fig.text.label("δ = d/V") << "\n"
    << "set ylabel " << fig.text.label("α/κ = w^TRw / ‖w‖^2") << "\n"
    << "set xrange [" << gp_num(d0) << ":" << gp_num(d1) << "]\nset yrange [0:" << gp_num(ymax)
    << "]\n"
    << (gammas.size() == 1 ? "set key bottom right"
                           : "set key below center horizontal maxrows 2 noopaque nobox")
    << " title "
    << fig.text.key(
           (gammas.size() == 1 ? "γ = " + gamma_texts[0] + ", " : std::string()) +
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
    s << "set label " << fig.text.label("no signal") << " at " << gp_num(x) << "," << gp_num(t1 / 2)
      << " center\n"
      << "set label " << fig.text.label("table only") << " at " << gp_num(x) << ","
      << gp_num((t1 + t2) / 2) << " center\n"
      << "set label " << fig.text.label("detectable") << " at " << gp_num(x) << ","
      << gp_num((top + ymax) / 2) << " center\n";
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
        << "set label " << fig.text.label(m.label) << " at graph "
        << label_num(0.02 + 0.33 * static_cast<double>(i % 3)) << ", first " << gp_num(m.value)
        << " left offset 0,0.6 tc rgb 'black' front\n";
    }
  }
  if (!scheme_title.empty())
    s << "set label " << fig.text.label("markers: " + scheme_title)
      << " at graph 0.98, graph 0.97 right front\n";
  if (mark_delta) {
    const auto& r = point.rows[0];
    s << "set label " << fig.text.label("τ_1 = " + label_num(r[1])) << " at " << gp_num(r[0]) << ","
      << gp_num(r[1]) << " left offset 0.6,-0.5 front\n"
      << "set label " << fig.text.label("τ_2 = " + label_num(r[2])) << " at " << gp_num(r[0]) << ","
      << gp_num(r[2]) << " right offset -0.6,0.8 front\n";
  }
  std::vector<std::string> items{
      "index 0 using 1:(0):2 with filledcurves lc rgb '" + std::string(kGrey) + "' notitle",
      "index 0 using 1:2:3 with filledcurves lc rgb '" + std::string(kOrange) + "' notitle",
      "index 0 using 1:3:(" + gp_num(ymax) + ") with filledcurves lc rgb '" + kGreen + "' notitle",
      "index 0 using 1:2 with lines lw 2 lc rgb 'black' title " +
          fig.text.key(gammas.size() > 1 ? "τ_1" : "τ_1 (table)"),
      "index 0 using 1:3 with lines lw 2 lc rgb '" + std::string(kBlue) + "' title " +
          fig.text.key(gammas.size() > 1 ? "τ_2, γ = " + gamma_texts[0] : "τ_2 (sample)")};
  const char* extra_colours[] = {kVermillion, kPurple, kSky, "#F0E442", "#000000"};
  for (std::size_t k = 1; k < gammas.size(); ++k)
    items.push_back("index 0 using 1:" + std::to_string(k + 3) + " with lines lw 2 dt " +
                    std::to_string(k + 1) + " lc rgb '" + extra_colours[(k - 1) % 5] + "' title " +
                    fig.text.key("τ_2, γ = " + gamma_texts[k]));
  if (mark_delta) {
    items.push_back("index 1 using 1:2 with points pt 7 ps 0.8*psc lc rgb 'black' notitle");
    items.push_back("index 1 using 1:3 with points pt 7 ps 0.8*psc lc rgb '" + std::string(kBlue) +
                    "' notitle");
  }
  s << fig.text.plot_command(items);
  DataBlock marker_block{"markers", {"alpha_over_kappa"}, {}};
  for (const auto& m : markers) marker_block.rows.push_back({m.value});
  finish(fig, {curves, point, marker_block}, s.str());
  return 0;
}

}  // namespace attnrmt::cli::plot
