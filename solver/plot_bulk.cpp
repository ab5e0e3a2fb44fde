// solver/plot_bulk.cpp -- the bulk law's layers (plot_bulk.hpp).
#include "plot_bulk.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace attnrmt::cli::plot {

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

double density_ymax(const BulkLaw<double>& law, const DataBlock& d) {
  double ymax = 0;
  const double cut = law.hard_left_edge() ? 0.03 * law.right_edge() : -1;
  for (const auto& r : d.rows)
    if (r[0] >= cut) ymax = std::max(ymax, r[1]);
  return 1.18 * ymax;
}

std::string edge_markers(const BulkLaw<double>& law, const PlotText& text) {
  std::ostringstream s;
  const double L = law.left_edge(), R = law.right_edge();
  s << "set arrow from " << gp_num(R) << ", graph 0 to " << gp_num(R)
    << ", graph 0.9 nohead dt 2 lw 1 lc rgb '" << kVermillion << "'\n";
  s << "set label " << text.label("λ_+ = " + label_num(R)) << " at " << gp_num(R)
    << ", graph 0.95 right offset -0.3,0 tc rgb '" << kVermillion << "'\n";
  if (law.hard_left_edge()) {
    s << "set label " << text.label("hard edge at 0") << " at " << gp_num(L)
      << ", graph 0.95 left offset 1.5,0 tc rgb '" << kVermillion << "'\n";
  } else {
    s << "set arrow from " << gp_num(L) << ", graph 0 to " << gp_num(L)
      << ", graph 0.9 nohead dt 2 lw 1 lc rgb '" << kVermillion << "'\n";
    s << "set label " << text.label("λ_- = " + label_num(L)) << " at " << gp_num(L)
      << ", graph 0.95 left offset 0.3,0 tc rgb '" << kVermillion << "'\n";
  }
  if (law.atom() == 0)
    s << "set label " << text.label("no atom at 0") << " at graph 0.97, graph 0.45 right tc rgb '"
      << kGrey << "'\n";
  if (law.atom() > 0)
    s << "set arrow from 0, graph 0 to 0, graph 0.7 head filled size screen 0.015,20 lw 2 lc rgb '"
      << kPurple << "'\n"
      << "set label " << text.label("atom at 0 (arrow), mass " + label_num(law.atom()))
      << " at graph 0.97, graph 0.45 right tc rgb '" << kPurple << "'\n";
  return s.str();
}

std::string law_title(const Param& delta, const Param& gamma) {
  return "δ = " + delta.text + ", γ = " + gamma.text;
}

std::string kappa_axis_label(const Param& kappa) {
  if (kappa.exact == 1) return "eigenvalue λ of C  (units of κ = ‖w‖^2)";
  return "eigenvalue λ of C  (κ = ‖w‖^2 = " + kappa.text + ")";
}

}  // namespace attnrmt::cli::plot
