// solver/cli/values.hpp -- parameter values given on the command line.
//
// Parameters are exact rationals; lists `a,b,c`, linear grids `A:B:M` and log
// grids `A:B:Mlog` (points rounded to 12 significant digits so that every
// row's parameters are exact decimals); integers within a range; --digits.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "attnrmt/rational.hpp"
#include "cli/options.hpp"

namespace attnrmt::cli {

/// `text` cut at every `sep` (empty fields kept: "a,,b" gives "a", "", "b").
std::vector<std::string> split(const std::string& text, char sep);

/// Most rows (parameter points) one command computes in a run.
constexpr std::size_t kMaxRows = 1000000;
/// Throws UsageError when `rows` exceeds kMaxRows, naming `what`.
void require_row_limit(double rows, const std::string& what);

/// Parses a list `a,b,c`, a linear grid `A:B:M` or a log grid `A:B:Mlog`.
/// Grid points are exact when they are terminating decimals, otherwise rounded
/// to 12 significant digits, so every point prints as an exact decimal.
/// `range` (e.g. "> 0") is named in syntax errors.
std::vector<Rational> parse_values(const std::string& text, const std::string& what,
                                   const std::string& range = "");
/// Exactly one value.
Rational parse_single(const std::string& text, const std::string& what,
                      const std::string& range = "");
/// One number ("0.5", "1/2", "2.5e-1"); errors name `what`, `range`, the
/// exponent limit and a short excerpt of the text.
Rational parse_number(const std::string& text, const std::string& what,
                      const std::string& range = "");
/// A positive integer within [lo, hi].
long parse_integer(const std::string& text, const std::string& what, long lo, long hi);
/// Requires r > 0 (or >= 0 when allow_zero), naming `what` in the error.
void require_range(const Rational& r, const std::string& what, bool allow_zero);

/// One rational > 0 (>= 0 when `allow_zero`), such as --delta or --rho:
/// parse_single with the range named in syntax errors ("> 0" / ">= 0"), then
/// require_range. The one reader of a positive rational option.
Rational parse_positive_rational(const std::string& text, const std::string& what,
                                 bool allow_zero = false);

/// Working digits requested by --digits (default 15), range 1..1000.
int requested_digits(const Options& opts);

}  // namespace attnrmt::cli
