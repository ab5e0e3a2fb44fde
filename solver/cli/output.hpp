// solver/cli/output.hpp -- a command's result as text: a table of cells
// written as an aligned table, CSV or JSON (Markdown and LaTeX for `table`),
// to stdout or atomically to `--out FILE` (cli/files.hpp).
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace attnrmt::cli {

struct TextCell {
  std::string text;
  bool numeric = false;  ///< print unquoted in JSON
};

struct TextTable {
  std::vector<std::string> columns;
  std::vector<std::vector<TextCell>> rows;
  std::vector<std::string> notes;  ///< provenance / comments (CSV '#' lines, JSON meta)
  std::map<std::string, std::string> meta;
};

enum class Format { table, csv, json, md, tex };
Format parse_format(const std::string& text, bool allow_document_formats);

/// Writes `table` in `format` to `out`.
void write_table(const TextTable& table, Format format, std::ostream& out);

/// Writes `contents` to --out (atomically; "-" or absent: stdout), after
/// require_all_used().
void write_output(const Options& opts, const std::string& contents);

/// Emits a TextTable to stdout, or atomically to --out when given.
void emit(const Options& opts, const TextTable& table, Format format);

/// Writes to stdout and flushes; throws std::runtime_error when the write
/// fails (disk full, closed pipe), so that the exit status says so.
void write_stdout(const std::string& contents);

}  // namespace attnrmt::cli
