// solver/params.hpp -- parameter sets for commands that accept value lists.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/rational.hpp"
#include "cli.hpp"

namespace attnrmt::cli {

/// Named parameter values; every value list of a command expands to the
/// cartesian product (first parameter varies slowest).
struct ParamAxis {
  std::string name;  ///< column name, e.g. "alpha_over_kappa"
  std::vector<Rational> values;
};

using ParamRow = std::vector<std::pair<std::string, Rational>>;

std::vector<ParamRow> cartesian(const std::vector<ParamAxis>& axes);
/// The one cartesian-product enumeration of the CLI (cartesian() above and
/// `table`'s mixed numeric/text axes): every choice of one index per axis,
/// axis k having sizes[k] values, the first axis varying slowest.
std::vector<std::vector<std::size_t>> cartesian_indices(const std::vector<std::size_t>& sizes);
const Rational& lookup(const ParamRow& row, const std::string& name);

/// An exact rational as output text: a terminating decimal ("0.125", "3")
/// when it has one, otherwise a fraction ("1/3", JSON-quoted).
TextCell rational_cell(const Rational& r);
Value rational_value(const Rational& r);

/// Reads `--name` as a list/grid of rationals, or `fallback` when absent
/// (empty fallback means required). Checks > 0 (or >= 0 when allow_zero).
ParamAxis read_axis(const Options& opts, const std::string& option, const std::string& column,
                    const std::string& fallback, bool allow_zero);

/// Names of the axes that take more than one value (their columns lead the output).
std::vector<std::string> varying(const std::vector<ParamAxis>& axes);

/// Help-text note of an option read by read_axis.
inline const std::string kListNote = " (list a,b,c or grid A:B:M[log]: one row each)";

/// The model's standard parameters as axes: --delta and --gamma (required,
/// > 0), --rho (default 1, >= 0), --kappa (default 1, > 0); column = name.
enum class StandardAxis { delta, gamma, rho, kappa };
/// read_axis of each standard parameter, in the order given.
std::vector<ParamAxis> read_axes(const Options& opts, const std::vector<StandardAxis>& which);
/// Their option specs (help "d/V, > 0", "d/N, > 0", "||mu||^2, >= 0 (default 1)",
/// "||w||^2, > 0 (default 1)") with `suffix` appended, in the order given.
std::vector<OptionSpec> standard_axis_options(const std::vector<StandardAxis>& which,
                                              const std::string& suffix = kListNote);

/// The rows of a command's output grid: the cartesian product of its axes
/// and the names of the axes that vary, whose values lead each output row.
struct ParamGrid {
  std::vector<ParamRow> rows;
  std::vector<std::string> varying;
  /// The leading cells of an output row: the varying parameters of `row`.
  std::vector<Value> leading_cells(const ParamRow& row) const;
};
ParamGrid make_grid(const std::vector<ParamAxis>& axes);

/// A complex number "X", "X+Yi", "X-Yi", "Yi" (also "i", "-i", "X+i") with
/// rational X, Y, as (re, im); errors name `what` (e.g. "--z").
std::pair<Rational, Rational> parse_complex(const std::string& text, const std::string& what);

/// Concatenation of two option lists (command definitions).
std::vector<OptionSpec> with(std::vector<OptionSpec> a, const std::vector<OptionSpec>& b);

}  // namespace attnrmt::cli
