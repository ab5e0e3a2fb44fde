// solver/cli/certify.cpp -- certified digits and number formatting (certify.hpp).
#include "cli/certify.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "attnrmt/ball/decimal.hpp"
#include "attnrmt/detail/rounding_decisions.hpp"

namespace attnrmt::cli {

std::string format_number(const MpReal& x, int digits) {
  return ball::layout_decimal(ball::round_mpfr(x.backend().data(), digits));
}

namespace {
// One run at `work_digits`; `undecided` tells whether the library met a sign
// it could not decide at that precision (detail/rounding_decisions.hpp).
RawTable compute_at(int work_digits, const std::function<RawTable()>& compute, bool& undecided) {
  ScopedPrecision prec(static_cast<unsigned>(work_digits));
  const unsigned long before = detail::undecided_count();
  RawTable t = compute();
  undecided = detail::undecided_count() != before;
  return t;
}

// Both values below 10^-(low_digits - 3) in absolute terms and not agreeing on
// their first digit: possibly rounding noise around an exact 0 that no
// precision resolved. Used only after the last attempt; the printed 0 then
// comes with a note stating the bound.
bool noise_around_zero(const MpReal& a, const MpReal& b, int low_digits) {
  MpReal floor_value = pow(MpReal(10), -(low_digits - 3));
  return abs(a) < floor_value && abs(b) < floor_value && format_number(a, 1) != format_number(b, 1);
}
}  // namespace

TextTable certify(int digits, const std::function<RawTable()>& compute) {
  // Working precisions digits + g 2^k, k = 0..max_attempts; consecutive runs
  // are compared. A number is printed when both runs agree on all `digits`
  // significant digits (relative agreement at any magnitude; 0 only when both
  // runs give exactly 0) and neither run met an undecidable sign.
  const int max_attempts = 5;
  int guard = std::max(10, digits / 4);
  int low = digits + guard, high = digits + 2 * guard;
  bool undecided_a = false, undecided_b = false;
  RawTable a = compute_at(low, compute, undecided_a);
  RawTable b = compute_at(high, compute, undecided_b);
  TextTable out;
  out.columns = a.columns;
  auto same_shape = [](const RawTable& x, const RawTable& y) {
    if (x.rows.size() != y.rows.size() || x.columns != y.columns) return false;
    for (std::size_t i = 0; i < x.rows.size(); ++i)
      if (x.rows[i].size() != y.rows[i].size()) return false;
    return true;
  };
  for (int attempt = 1;; ++attempt) {
    const bool last = attempt == max_attempts;
    if (!same_shape(a, b)) throw std::logic_error("internal: precision runs differ in shape");
    bool all_ok = !undecided_a && !undecided_b;
    if (last && undecided_b)
      throw std::domain_error("could not decide on which side of a support edge a point lies at " +
                              std::to_string(high) +
                              " working digits (the input is too close to an edge or beyond "
                              "the precision range)");
    out.rows.assign(a.rows.size(), {});
    out.notes.clear();
    std::vector<std::string> unsure;
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
      for (std::size_t j = 0; j < a.rows[i].size(); ++j) {
        const Value& va = a.rows[i][j];
        const Value& vb = b.rows[i][j];
        if (!va.is_number) {
          // Text (regime names, exact fractions) must not depend on precision.
          if (va.text != vb.text) all_ok = false;
          out.rows[i].push_back({vb.text, !vb.quoted});
          continue;
        }
        using boost::multiprecision::isfinite;
        if (!isfinite(va.number) || !isfinite(vb.number))
          throw std::domain_error("internal: non-finite value in column '" + a.columns[j] +
                                  "' (please report this input)");
        std::string sa = format_number(va.number, digits), sb = format_number(vb.number, digits);
        if (sa == sb) {
          out.rows[i].push_back({sb, true});
          continue;
        }
        all_ok = false;
        if (last && noise_around_zero(va.number, vb.number, low)) {
          std::string bound = "1e-" + std::to_string(low - 3);
          out.rows[i].push_back({"0", true});
          out.notes.push_back(a.columns[j] + " in row " + std::to_string(i + 1) +
                              " is printed as 0: |value| < " + bound + ", not resolved at " +
                              std::to_string(high) + " working digits");
          continue;
        }
        int k = digits - 1;
        while (k >= 1 && format_number(va.number, k) != format_number(vb.number, k)) --k;
        if (k < 1 && last)
          throw std::domain_error("could not certify any digit of '" + a.columns[j] + "' in row " +
                                  std::to_string(i + 1) + " (ill-conditioned input)");
        out.rows[i].push_back({k >= 1 ? format_number(vb.number, k) : std::string("?"), true});
        unsure.push_back(a.columns[j] + " (row " + std::to_string(i + 1) + ": " +
                         std::to_string(k) + " digits)");
      }
    }
    if (all_ok) return out;
    if (last) {
      for (const auto& u : unsure)
        std::cerr << "attnrmt: warning: only the agreeing digits are printed for " << u << "\n";
      for (const auto& n : out.notes) std::cerr << "attnrmt: warning: " << n << "\n";
      return out;
    }
    // Retry with twice the guard: the previous high run becomes the low one.
    guard *= 2;
    a = std::move(b);
    undecided_a = undecided_b;
    low = high;
    high = digits + 2 * guard;
    b = compute_at(high, compute, undecided_b);
  }
}

}  // namespace attnrmt::cli
