// solver/moments_finite_t.hpp -- `attnrmt moments --law finite-T`: exact moments
// of the discrete-token model's bulk at fixed T (finite_t/token_moments.hpp).
#pragma once

#include "cli.hpp"

namespace attnrmt::cli {

/// Runs `moments --law finite-T` (requires --T/--pooling, --delta, --gamma, --order).
int run_finite_t_moments(const Options& opts);

}  // namespace attnrmt::cli
