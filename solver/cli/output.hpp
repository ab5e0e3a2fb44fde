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

/// One cell. JSON gives every column one type: a numeric cell is written
/// unquoted (a number, or the raw JSON text of a number array or a boolean),
/// a missing one as null (and as an empty CSV field, which numpy and pandas
/// read as NaN); `text` is what the human formats (table, md, tex) show.
struct TextCell {
  std::string text;
  bool numeric = false;  ///< print unquoted in JSON
  bool missing = false;  ///< no value here: JSON null, empty CSV field
};

/// A value that does not exist in this row (shown as `shown`, e.g. "n/a").
inline TextCell missing_cell(std::string shown) { return {std::move(shown), true, true}; }
/// A JSON boolean.
inline TextCell bool_cell(bool value) { return {value ? "true" : "false", true}; }
/// A JSON string.
inline TextCell text_cell(std::string text) { return {std::move(text), false}; }
/// A JSON number (decimal text).
inline TextCell number_cell(std::string text) { return {std::move(text), true}; }

struct TextTable {
  std::vector<std::string> columns;
  std::vector<std::vector<TextCell>> rows;
  std::vector<std::string> notes;  ///< provenance / comments (CSV '#' lines, JSON meta)
  std::map<std::string, TextCell> meta;  ///< JSON meta (typed); tex: "caption"
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
