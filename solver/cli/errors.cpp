// solver/cli/errors.cpp -- excerpt() for error messages (errors.hpp).
#include "cli/errors.hpp"

#include <cstdio>

namespace attnrmt::cli {

std::string excerpt(const std::string& text, std::size_t max_chars) {
  std::string out;
  std::size_t shown = 0;
  for (unsigned char c : text) {
    if (shown >= max_chars) return out + "...";
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
    if ((c & 0xC0) != 0x80) ++shown;  // count characters, not UTF-8 continuation bytes
  }
  return out;
}

}  // namespace attnrmt::cli
