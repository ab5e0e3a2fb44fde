// solver/cli/errors.hpp -- how the CLI reports bad input: UsageError (exit
// code 2) and excerpt(), the short printable rendering of user data that every
// message quotes.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace attnrmt::cli {

/// A usage error: bad option, bad value, out-of-range parameter. Exit code 2.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// A short, printable excerpt of user data for an error message: control
/// bytes escaped as \xNN, at most `max_chars` characters then "...".
std::string excerpt(const std::string& text, std::size_t max_chars = 40);

}  // namespace attnrmt::cli
