// solver/bulk_quantile.cpp -- see bulk_quantile.hpp.
#include "bulk_quantile.hpp"

#include "attnrmt/bulk_law.hpp"
#include "params.hpp"

namespace attnrmt::cli {

void require_levels(const std::vector<Rational>& levels, const std::string& what) {
  for (const auto& q : levels)
    if (q < 0 || q > 1)
      throw UsageError(what + " must be in [0, 1] (got " + rational_to_string(q) + ")");
}

TextTable quantile_table(const Rational& delta, const Rational& gamma, const Rational& kappa,
                         const std::vector<Rational>& levels, int digits) {
  return certify(digits, [&]() {
    auto law = BulkLaw<MpReal>::from_exact(delta, gamma, kappa);
    RawTable raw;
    raw.columns = {"q", "quantile"};
    for (const auto& q : levels)
      raw.rows.push_back({rational_value(q), Value::num(law.quantile(to_real<MpReal>(q)))});
    return raw;
  });
}

}  // namespace attnrmt::cli
