// tests/support/rational_literal.hpp -- R("1/3"): the exact rational a test
// writes as text (attnrmt::parse_rational: integers, fractions, decimals).
#pragma once

#include <string>

#include "attnrmt/rational.hpp"

namespace attnrmt_test {

inline attnrmt::Rational R(const std::string& s) { return attnrmt::parse_rational(s, "test"); }

}  // namespace attnrmt_test
