// solver/csv_reader.cpp -- see csv_reader.hpp for the accepted dialect.
#include "csv_reader.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include "cli.hpp"

namespace attnrmt::cli {
namespace {

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

class Parser {
 public:
  Parser(const std::string& text, const std::string& source) : s_(text), source_(source) {
    if (s_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  }

  CsvDocument run() {
    CsvDocument doc;
    doc.source = source_;
    std::set<std::string> seen;
    while (pos_ < s_.size()) {
      std::size_t start_line = line_;
      if (at_comment_or_blank(doc)) continue;
      std::vector<std::string> fields = record(start_line);
      if (doc.header_line == 0 && all_numbers(fields) && !doc.comments.empty() &&
          last_comment_line_ + 1 == start_line) {
        // numpy.savetxt(..., header=...): the header is the '# ' comment line
        // right above the first all-numeric record.
        std::vector<std::string> names;
        for (const auto& n : split_header(doc.comments.back())) names.push_back(n);
        if (names.size() == fields.size()) {
          doc.header_line = last_comment_line_;
          check_header(names, last_comment_line_, seen);
          doc.header = std::move(names);
          doc.comments.pop_back();
        }
      }
      if (doc.header_line == 0) {
        doc.header_line = start_line;
        // pandas DataFrame.to_csv() writes its index as a first column with an
        // empty name: named "(index)" here (reported and ignored by check).
        if (fields.size() > 1 && fields[0].empty()) fields[0] = "(index)";
        check_header(fields, start_line, seen);
        doc.header = std::move(fields);
      } else {
        if (fields.size() != doc.header.size())
          fail(start_line, "this row has " + std::to_string(fields.size()) + " field" +
                               (fields.size() == 1 ? "" : "s") + " but the header (line " +
                               std::to_string(doc.header_line) + ") has " +
                               std::to_string(doc.header.size()));
        doc.rows.push_back({start_line, std::move(fields)});
      }
    }
    return doc;
  }

 private:
  void check_header(const std::vector<std::string>& fields, std::size_t line,
                    std::set<std::string>& seen) const {
    for (std::size_t j = 0; j < fields.size(); ++j) {
      if (fields[j].empty())
        fail(line,
             "header column " + std::to_string(j + 1) + " has an empty name (trailing comma?)");
      if (!seen.insert(fields[j]).second)
        fail(line, "header names column '" + excerpt(fields[j], 60) + "' twice");
    }
  }

  // Every field looks like a number (digits, sign, point, exponent, '/', or
  // nan/inf): a data record, not a header.
  static bool all_numbers(const std::vector<std::string>& fields) {
    for (const auto& f : fields) {
      if (f.empty()) return false;
      std::string low;
      for (char c : f) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (low == "nan" || low == "inf" || low == "-inf" || low == "+inf") continue;
      if (f.find_first_not_of("0123456789+-.eE/") != std::string::npos) return false;
      if (f.find_first_of("0123456789") == std::string::npos) return false;
    }
    return true;
  }

  // A header written as a comment: comma separated names, spaces trimmed.
  static std::vector<std::string> split_header(const std::string& text) {
    std::vector<std::string> names;
    std::string cur;
    for (char c : text + ",") {
      if (c == ',') {
        names.push_back(trim(cur));
        cur.clear();
      } else {
        cur += c;
      }
    }
    return names;
  }

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw UsageError(source_ + ":" + std::to_string(line) + ": " + what);
  }

  bool at_line_end() const { return pos_ >= s_.size() || s_[pos_] == '\n' || s_[pos_] == '\r'; }

  // Consumes one line end (LF, CRLF or CR) if present.
  void eat_line_end() {
    if (pos_ >= s_.size()) return;
    if (s_[pos_] == '\r') {
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '\n') ++pos_;
      ++line_;
    } else if (s_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
  }

  // Skips a blank line or a comment line; returns whether it did.
  bool at_comment_or_blank(CsvDocument& doc) {
    std::size_t p = pos_;
    while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t')) ++p;
    bool blank = p >= s_.size() || s_[p] == '\n' || s_[p] == '\r';
    bool comment = p < s_.size() && s_[p] == '#';
    if (!blank && !comment) return false;
    std::size_t end = p;
    while (end < s_.size() && s_[end] != '\n' && s_[end] != '\r') {
      if (s_[end] == '\0') fail(line_, "NUL byte (is this a binary file?)");
      ++end;
    }
    if (comment) {
      std::string c = s_.substr(p + 1, end - p - 1);
      if (!c.empty() && c[0] == ' ') c.erase(0, 1);
      doc.comments.push_back(c);
      last_comment_line_ = line_;
    }
    pos_ = end;
    eat_line_end();
    return true;
  }

  std::vector<std::string> record(std::size_t start_line) {
    std::vector<std::string> fields;
    for (;;) {
      fields.push_back(field());
      if (fields.size() > 100000) fail(start_line, "more than 100000 fields in one record");
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      eat_line_end();
      return fields;
    }
  }

  std::string field() {
    std::size_t p = pos_;
    while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t')) ++p;
    if (p < s_.size() && s_[p] == '"') {
      std::size_t open_line = line_;
      pos_ = p + 1;
      std::string out;
      for (;;) {
        if (pos_ >= s_.size()) fail(open_line, "unterminated quoted field (a '\"' opened here)");
        char c = s_[pos_];
        if (c == '\0') fail(line_, "NUL byte (is this a binary file?)");
        if (c == '"') {
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
            out += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\r' || c == '\n') {
          out += '\n';
          eat_line_end();
          continue;
        }
        out += c;
        ++pos_;
      }
      while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
      if (!at_line_end() && s_[pos_] != ',')
        fail(line_,
             "unexpected text after a closing quote: '" + excerpt(s_.substr(pos_, 20), 60) + "'");
      return out;
    }
    std::string out;
    while (!at_line_end() && s_[pos_] != ',') {
      char c = s_[pos_];
      if (c == '\0') fail(line_, "NUL byte (is this a binary file?)");
      if (c == '"')
        fail(line_, "a '\"' inside an unquoted field (quote the whole field and double the '\"')");
      out += c;
      ++pos_;
    }
    return trim(out);
  }

  const std::string& s_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t last_comment_line_ = 0;
};

}  // namespace

CsvDocument parse_csv(const std::string& text, const std::string& source) {
  return Parser(text, source).run();
}

CsvDocument read_csv_file(const std::string& path) {
  std::string text = read_input_file(path, "CSV file");
  return parse_csv(text, path == "-" ? "<stdin>" : excerpt(path, 1000));
}

}  // namespace attnrmt::cli
