// attnrmt/correlation/number_file.hpp -- reading a file of exact numbers (a
// correlation matrix R for "file:PATH", pooling weights): the size limit, the
// refusal of binary files, and errors that name the file, line and item but
// never quote its contents.
#pragma once

#include <cstddef>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/rational.hpp"

namespace attnrmt::detail {

/// Largest number file read (weights, correlation matrices): 64 MiB.
constexpr std::size_t kMaxNumberFileBytes = std::size_t(64) << 20;

/// The numbers of a text/CSV file: separators are whitespace, ',' and ';';
/// '#' starts a comment. Returns rows (one per non-empty line). Files larger
/// than kMaxNumberFileBytes (or endless, like /dev/zero) and binary files are
/// refused; error messages name the file, line and item but never quote the
/// file's contents (the file may be one the user did not mean to print).
inline std::vector<std::vector<Rational>> read_number_file(const std::string& path,
                                                           const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(what + ": cannot open file '" + path + "'");
  std::string text;
  {
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      if (text.size() + static_cast<std::size_t>(in.gcount()) > kMaxNumberFileBytes)
        throw std::invalid_argument(what + ": '" + path + "' is larger than the limit of " +
                                    std::to_string(kMaxNumberFileBytes >> 20) + " MiB");
      text.append(buf, static_cast<std::size_t>(in.gcount()));
    }
  }
  if (text.find('\0') != std::string::npos)
    throw std::invalid_argument(what + ": '" + path + "' holds NUL bytes (not a text file)");
  std::vector<std::vector<Rational>> rows;
  std::istringstream lines(text);
  std::string line;
  int line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    for (char& ch : line)
      if (ch == ',' || ch == ';' || ch == '\t' || ch == '\r') ch = ' ';
    std::istringstream words(line);
    std::vector<Rational> row;
    std::string word;
    while (words >> word) {
      try {
        row.push_back(parse_rational(word, what));
      } catch (const std::invalid_argument&) {
        throw std::invalid_argument(what + ": '" + path + "' line " + std::to_string(line_no) +
                                    ", item " + std::to_string(row.size() + 1) +
                                    " is not a number such as 0.5, 1/2 or 2.5e-1 (contents not "
                                    "shown)");
      }
    }
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace attnrmt::detail
