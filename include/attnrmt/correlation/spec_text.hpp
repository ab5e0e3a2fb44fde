// attnrmt/correlation/spec_text.hpp -- printing a double in the error messages of
// the spec parsers (correlation specs such as "latent:0.5,0.2"); splitting a
// spec is detail/spec_syntax.hpp.
#pragma once

#include <sstream>
#include <string>

#include "attnrmt/detail/spec_syntax.hpp"

namespace attnrmt::detail {

inline std::string format_double(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

}  // namespace attnrmt::detail
