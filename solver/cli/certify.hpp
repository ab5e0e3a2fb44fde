// solver/cli/certify.hpp -- certified digits: a command computes a table of
// numbers (RawTable) at two working precisions and prints only the digits on
// which both agree (certify); format_number rounds and lays out one number.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "attnrmt/precision.hpp"
#include "cli/output.hpp"

namespace attnrmt::cli {

/// One output cell: a number (to be certified and rounded) or fixed text.
struct Value {
  bool is_number = false;
  MpReal number;
  std::string text;
  bool quoted = true;  ///< JSON: text is a string (true) or a bare token like 12 or 21/4 (false)
  static Value num(const MpReal& x) {
    Value v;
    v.is_number = true;
    v.number = x;
    return v;
  }
  static Value str(std::string s, bool quoted = true) {
    Value v;
    v.text = std::move(s);
    v.quoted = quoted;
    return v;
  }
};

struct RawTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

/// Runs `compute` at two working precisions (digits + g and digits + 2g guard
/// digits, g = max(10, digits/4)), rounds every number to `digits` significant
/// digits and keeps a number only when both runs agree on all of them, at any
/// magnitude (0 only when both runs give exactly 0) and neither run met a sign
/// it could not decide (detail/rounding_decisions.hpp); otherwise the guard is
/// doubled (up to four times). Numbers that still disagree are printed with
/// the digits on which the two runs agree and a warning goes to stderr; a
/// value that stays below 1e-(low digits - 3) without agreeing is printed as 0
/// with a note stating that bound. Returns the rounded table.
TextTable certify(int digits, const std::function<RawTable()>& compute);

/// x (finite) correctly rounded to `digits` >= 1 significant digits (MPFR's
/// round-to-nearest-even on x's exact binary value, ball::round_mpfr) and laid
/// out by ball::layout_decimal: positional notation for 1e-5 <= |x| < 1e15,
/// otherwise d.ddde+XX; trailing zeros dropped; 0 is "0". Non-finite x is a
/// std::domain_error.
std::string format_number(const MpReal& x, int digits);

}  // namespace attnrmt::cli
