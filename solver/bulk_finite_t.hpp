// solver/bulk_finite_t.hpp -- `attnrmt bulk --law finite-T`: the discrete-token
// model's bulk at fixed T (population dynamics, docs/finite_t.md).
#pragma once

#include <string>
#include <vector>

#include "cli.hpp"

namespace attnrmt::cli {

/// The options only --law finite-T takes (statistical settings, --top-at-d).
std::vector<OptionSpec> finite_t_option_specs();

/// Runs `bulk --law finite-T` (requires --T/--pooling, --delta, --gamma).
int run_finite_t_bulk(const Options& opts);

/// A statistical estimate as text: the value rounded where its standard error's
/// second significant digit falls, and the error to two significant digits.
std::pair<std::string, std::string> format_with_error(double value, double standard_error);

}  // namespace attnrmt::cli
