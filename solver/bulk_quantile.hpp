// solver/bulk_quantile.hpp -- certified quantiles of the bulk law: the smallest
// x with CDF(x) >= q (BulkLaw::quantile), printed digits certified by two
// working precisions (cli/certify). Used by `attnrmt bulk --q` and by Python's
// BulkLaw.quantile(q, digits=N).
#pragma once

#include <vector>

#include "attnrmt/rational.hpp"
#include "cli.hpp"

namespace attnrmt::cli {

/// Throws UsageError naming `what` unless every level is in [0, 1].
void require_levels(const std::vector<Rational>& levels, const std::string& what);

/// Columns q, quantile: one row per level of the law kappa (MP_delta ⊠ MP_gamma).
TextTable quantile_table(const Rational& delta, const Rational& gamma, const Rational& kappa,
                         const std::vector<Rational>& levels, int digits);

}  // namespace attnrmt::cli
