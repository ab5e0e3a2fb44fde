// solver/cli/dispatch.hpp -- the one way a command line runs: used by the
// `attnrmt` program (solver/main.cpp) and by the Python module's run_command
// (solver/api.hpp), so that both parse, check and run a command alike.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/registry.hpp"

namespace attnrmt::cli {

/// Runs the registered command `cmd` on `args` (the words after its name): the
/// options are parsed; --help prints the command's help to stdout; otherwise
/// the output target (--out) is checked before any work, the command runs, and
/// an option given but never read is a UsageError. Returns the command's exit
/// code; bad input throws UsageError (std::invalid_argument), a numerical
/// failure the command's exception.
int run_command_line(const Command& cmd, const std::vector<std::string>& args);

/// `attnrmt ARGS...` (args without the program name): the main help (`out`;
/// exit 2 when args is empty), --version, an unknown command (exit 2), else
/// run_command_line with its exceptions turned into one line on `err`:
/// std::invalid_argument exits 2, any other exception 1.
int dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// Writes the one-line report of `e` for command `name` to `err`, as dispatch
/// does ("attnrmt NAME: MESSAGE" for std::invalid_argument, "attnrmt NAME:
/// error: MESSAGE" otherwise), and returns the exit code (2 or 1).
int report_error(const std::string& name, const std::exception& e, std::ostream& err);

/// Thrown by a command that has already reported its error (report_error):
/// dispatch exits with `code` and writes nothing more.
struct ReportedError : std::runtime_error {
  explicit ReportedError(int c) : std::runtime_error("(reported)"), code(c) {}
  int code;
};

}  // namespace attnrmt::cli
