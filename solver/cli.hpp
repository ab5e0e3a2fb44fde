// solver/cli.hpp -- the command-line framework shared by every `attnrmt` command.
//
// * Command registry: each solver/cmd_*.cpp registers its commands with a
//   static CommandRegistrar; main() dispatches on the first argument.
// * Options: `--name value`, `--name=value`, flags; unknown options, missing
//   values and repeated single-valued options are usage errors (exit 2).
// * Values: parameters are exact rationals; lists `a,b,c`, linear grids
//   `A:B:M` and log grids `A:B:Mlog` (points rounded to 12 significant digits
//   so that every row's parameters are exact decimals).
// * Output: a table of cells (numbers certified by solver/certify.hpp, or
//   text) written as an aligned table, CSV or JSON (Markdown and LaTeX for
//   `table`), to stdout or atomically to `--out FILE`.
#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/precision.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt::cli {

/// A usage error: bad option, bad value, out-of-range parameter. Exit code 2.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct OptionSpec {
  std::string name;        ///< without the leading "--"
  std::string value_name;  ///< empty for a flag
  std::string help;
  bool repeatable = false;
};

class Options {
 public:
  Options(std::string command, std::vector<OptionSpec> specs, const std::vector<std::string>& args);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  /// The single value of an option; throws UsageError when absent.
  const std::string& get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  /// All values of a repeatable option (empty if absent).
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  bool help() const { return help_; }
  const std::string& command() const { return command_; }
  const std::vector<OptionSpec>& specs() const { return specs_; }

 private:
  std::string command_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

/// One output cell: a number (to be certified and rounded) or fixed text.
struct Value {
  bool is_number = false;
  MpReal number;
  std::string text;
  bool quoted = true;  ///< JSON: text is a string (true) or a bare token like 12 or 21/4 (false)
  static Value num(const MpReal& x) {
    Value v;
    v.is_number = true;
    v.number = x;
    return v;
  }
  static Value str(std::string s, bool quoted = true) {
    Value v;
    v.text = std::move(s);
    v.quoted = quoted;
    return v;
  }
};

struct RawTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

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

/// Writes text to `path` atomically: a temporary file in the same directory,
/// then rename(2). An interrupted run leaves either the old file or none.
void write_file_atomically(const std::string& path, const std::string& contents);

/// Emits a TextTable to stdout, or atomically to --out when given.
void emit(const Options& opts, const TextTable& table, Format format);

// ---- values --------------------------------------------------------------

/// Parses a list `a,b,c`, a linear grid `A:B:M` or a log grid `A:B:Mlog`.
std::vector<Rational> parse_values(const std::string& text, const std::string& what);
/// Exactly one value.
Rational parse_single(const std::string& text, const std::string& what);
/// A positive integer within [lo, hi].
long parse_integer(const std::string& text, const std::string& what, long lo, long hi);
/// Requires r > 0 (or >= 0 when allow_zero), naming `what` in the error.
void require_range(const Rational& r, const std::string& what, bool allow_zero);

/// Working digits requested by --digits (default 15), range 1..1000.
int requested_digits(const Options& opts);

// ---- certification -------------------------------------------------------

/// Runs `compute` at two working precisions (digits + g and digits + 2g guard
/// digits, g = max(10, digits/4)), rounds every number to `digits` significant
/// digits and keeps a number only when both runs agree on all of them, at any
/// magnitude (0 only when both runs give exactly 0) and neither run met a sign
/// it could not decide (detail/rounding_decisions.hpp); otherwise the guard is
/// doubled (up to four times). Numbers that still disagree are printed with
/// the digits on which the two runs agree and a warning goes to stderr; a
/// value that stays below 1e-(low digits - 3) without agreeing is printed as 0
/// with a note stating that bound. Returns the rounded table.
TextTable certify(int digits, const std::function<RawTable()>& compute);

/// Rounds x to `digits` significant digits: positional notation for
/// 1e-5 <= |x| < 1e15, otherwise d.ddde+XX; trailing zeros dropped; 0 is "0".
std::string format_number(const MpReal& x, int digits);

// ---- registry --------------------------------------------------------------

struct Command {
  std::string name;
  std::string summary;
  std::string usage;        ///< one-line synopsis
  std::string description;  ///< paragraph(s) shown by --help
  std::vector<OptionSpec> options;
  std::function<int(const Options&)> run;  ///< returns the exit code
};

std::vector<Command>& registry();

struct CommandRegistrar {
  explicit CommandRegistrar(Command c) { registry().push_back(std::move(c)); }
};

/// Options every numeric command accepts.
std::vector<OptionSpec> common_output_options(bool with_digits = true);

void print_command_help(const Command& c, std::ostream& out);

/// The full command line, for provenance.
const std::string& invocation();
void set_invocation(int argc, char** argv);

}  // namespace attnrmt::cli
