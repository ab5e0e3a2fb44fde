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

/// Parsed command line of one command. Every token is either a declared
/// option (with its value), `--help`, or one of at most `max_positional`
/// positional arguments; anything else (`-rho`, `—rho`, a stray word) is a
/// UsageError. Options are marked as used when read (get/get_or/all, and
/// has() for flags); require_all_used() rejects one that was given but never
/// read in the chosen mode, so nothing is silently dropped.
class Options {
 public:
  Options(std::string command, std::vector<OptionSpec> specs, const std::vector<std::string>& args,
          int max_positional = 0);

  bool has(const std::string& name) const;
  /// The single value of an option; throws UsageError when absent.
  const std::string& get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  /// All values of a repeatable option (empty if absent).
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  /// Every option value given (for the output/input identity check).
  std::vector<std::string> all_values() const;
  /// Throws UsageError naming the first option given but not read.
  void require_all_used() const;
  /// Marks every option as used: for a process that does not write the
  /// output (MPI ranks other than 0), whose options rank 0 checks.
  void mark_all_used() const {
    for (auto& entry : used_) entry.second = true;
  }
  bool help() const { return help_; }
  const std::string& command() const { return command_; }
  const std::vector<OptionSpec>& specs() const { return specs_; }

 private:
  std::string command_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
  mutable std::map<std::string, bool> used_;
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

/// Writes text to `path` atomically: a temporary file `.NAME.attnrmt-tmp-PID`
/// in the target's directory, then rename(2). A symlink is written through (its
/// target is replaced), an existing file keeps its permission bits, a
/// non-regular target (device, FIFO, socket, directory) is refused. SIGINT,
/// SIGTERM, SIGHUP, SIGQUIT, SIGPIPE and SIGXFSZ remove the temporary before
/// the process dies; temporaries left by a killed run (SIGKILL) are recognised by
/// their name and removed by the next write to the same target.
/// "-" writes to stdout.
void write_file_atomically(const std::string& path, const std::string& contents);

/// Checks, before any work, that `path` can be written: its directory exists
/// and is writable, it is not a directory or other non-regular file, and it is
/// not the same file as any of `inputs` (names of files the run reads; a
/// "file:" prefix is stripped). "-" (stdout) always passes. Throws UsageError.
void check_output_target(const std::string& path, const std::vector<std::string>& inputs,
                         const std::string& option = "--out");

/// Writes `contents` to --out (atomically; "-" or absent: stdout), after
/// require_all_used().
void write_output(const Options& opts, const std::string& contents);

/// Emits a TextTable to stdout, or atomically to --out when given.
void emit(const Options& opts, const TextTable& table, Format format);

/// Writes to stdout and flushes; throws std::runtime_error when the write
/// fails (disk full, closed pipe), so that the exit status says so.
void write_stdout(const std::string& contents);

// ---- input ----------------------------------------------------------------

/// Largest input file read whole (CSV for check, tables for validate): 64 MiB.
constexpr std::size_t kMaxInputBytes = std::size_t(64) << 20;

/// Reads a whole file ("-": stdin) of at most `limit` bytes; larger inputs
/// (including endless ones such as /dev/zero) and directories are refused
/// with a UsageError naming `what` and the limit.
std::string read_input_file(const std::string& path, const std::string& what,
                            std::size_t limit = kMaxInputBytes);

/// A short, printable excerpt of user data for an error message: control
/// bytes escaped as \xNN, at most `max_chars` characters then "...".
std::string excerpt(const std::string& text, std::size_t max_chars = 40);

/// Most rows (parameter points) one command computes in a run.
constexpr std::size_t kMaxRows = 1000000;
/// Throws UsageError when `rows` exceeds kMaxRows, naming `what`.
void require_row_limit(double rows, const std::string& what);

// ---- values --------------------------------------------------------------

/// Parses a list `a,b,c`, a linear grid `A:B:M` or a log grid `A:B:Mlog`.
/// Grid points are exact when they are terminating decimals, otherwise rounded
/// to 12 significant digits, so every point prints as an exact decimal.
/// `range` (e.g. "> 0") is named in syntax errors.
std::vector<Rational> parse_values(const std::string& text, const std::string& what,
                                   const std::string& range = "");
/// Exactly one value.
Rational parse_single(const std::string& text, const std::string& what,
                      const std::string& range = "");
/// One number ("0.5", "1/2", "2.5e-1"); errors name `what`, `range`, the
/// exponent limit and a short excerpt of the text.
Rational parse_number(const std::string& text, const std::string& what,
                      const std::string& range = "");
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
  int max_positional = 0;                  ///< positional arguments accepted (FILE, KIND)
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
