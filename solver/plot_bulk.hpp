// solver/plot_bulk.hpp -- the bulk law's layers shared by `plot density` and
// `plot spectrum`: the density on Chebyshev points, its y range, the edge and
// atom markers, axis label and title.
#pragma once

#include <string>

#include "attnrmt/bulk_law.hpp"
#include "plot_gnuplot.hpp"
#include "plot_inputs.hpp"
#include "plot_style.hpp"

namespace attnrmt::cli::plot {

/// Density on Chebyshev-spaced points of [left, right] (dense near the square-root
/// edges). A hard edge at 0 skips x = 0, where the density is infinite.
DataBlock density_block(const BulkLaw<double>& law, int n);

/// y range for a density plot: the largest value away from a hard edge.
double density_ymax(const BulkLaw<double>& law, const DataBlock& d);

/// Edge markers and atom note.
std::string edge_markers(const BulkLaw<double>& law, const PlotText& text);

/// The eigenvalue axis label in units of kappa.
std::string kappa_axis_label(const Param& kappa);

/// "δ = D, γ = G".
std::string law_title(const Param& delta, const Param& gamma);

}  // namespace attnrmt::cli::plot
