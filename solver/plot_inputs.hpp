// solver/plot_inputs.hpp -- what every `attnrmt plot` kind reads and how it
// ends: parameters (exact value, double value, the text typed), ranges,
// point counts, and the Figure (paths, size, label style) that finish() writes.
//
// Figures are computed in double precision: parameters must lie where
// BulkLaw<double> and the thresholds are finite (bulk_law.hpp, "Range").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attnrmt/rational.hpp"
#include "cli.hpp"
#include "plot_gnuplot.hpp"
#include "plot_style.hpp"

namespace attnrmt::cli::plot {

/// Throws UsageError unless r is 0 or within [1e-77, 1e77].
void require_double_range(const Rational& r, const std::string& what);

/// A parameter: its exact value and the text the user typed (used in labels).
struct Param {
  Rational exact;
  double value = 0;
  std::string text;
};

/// --name (> 0, or >= 0 when allow_zero; `fallback` when absent, required
/// when the fallback is empty), within the double range.
Param read_param(const Options& opts, const std::string& name, const std::string& fallback,
                 bool allow_zero);

/// --name as "A:B" with lo <= A < B.
std::pair<double, double> read_range(const Options& opts, const std::string& name, double lo);

/// --points (10..100000), or `fallback`.
int read_points(const Options& opts, int fallback);

/// One figure being made: its files, size, label style.
struct Figure {
  FigurePaths paths;
  FigureSize size;
  bool render = true;
  const Options* opts = nullptr;  ///< checked for unused options before writing
  PlotText text{false};           ///< LaTeX labels for FILE.tex
};

/// --out, --size, --dpi, --no-render.
Figure read_figure(const Options& opts);

/// Checks for unused options, writes FILE.dat and FILE.gp (and the image
/// unless --no-render), and reports the files on stdout.
void finish(const Figure& f, const std::vector<DataBlock>& blocks, const std::string& body);

}  // namespace attnrmt::cli::plot
