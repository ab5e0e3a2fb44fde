// solver/csv_reader.hpp -- a small, strict CSV reader for `attnrmt check`.
//
// Accepted: RFC 4180 fields (commas, double-quoted fields with "" escapes and
// embedded newlines), LF / CRLF / CR line ends, a UTF-8 byte-order mark,
// '#' comment lines (first non-blank character outside quotes), blank lines.
// The first record that is not a comment is the header, except that a '#'
// comment line directly above an all-numeric first record, with as many
// comma-separated names, is the header (numpy.savetxt(..., header=...)); an
// empty first header name is the index column pandas writes, named "(index)".
// Unquoted fields are trimmed of spaces and tabs. Input is at most 64 MiB.
// Rejected with a message naming the line: NUL bytes, an unterminated quote,
// text after a closing quote, empty or duplicate header names, a record with
// a different number of fields than the header.
// Line numbers are 1-based physical lines of the file.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace attnrmt::cli {

struct CsvRecord {
  std::size_t line = 0;  ///< line where the record starts
  std::vector<std::string> fields;
};

struct CsvDocument {
  std::string source;                 ///< file name, for messages
  std::vector<std::string> comments;  ///< '#' lines without the '#' and one space
  std::size_t header_line = 0;        ///< 0 when the document has no header
  std::vector<std::string> header;
  std::vector<CsvRecord> rows;
};

/// Parses CSV text. Throws UsageError ("SOURCE:LINE: ...") on malformed input.
CsvDocument parse_csv(const std::string& text, const std::string& source);

/// Reads and parses a file ("-" reads stdin). Throws UsageError when the file
/// cannot be read.
CsvDocument read_csv_file(const std::string& path);

}  // namespace attnrmt::cli
