// attnrmt/correlation/spec_text.hpp -- small text helpers of the spec parsers
// (correlation and pooling specs such as "latent:0.5,0.2"): splitting an
// argument list on commas and printing a double in error messages.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace attnrmt::detail {

inline std::string format_double(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

/// Splits on commas (empty items are kept so that they can be reported).
inline std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::string cur;
  for (char ch : text) {
    if (ch == ',') {
      items.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  items.push_back(cur);
  return items;
}

}  // namespace attnrmt::detail
