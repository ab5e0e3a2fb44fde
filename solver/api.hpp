// solver/api.hpp -- the command catalogue as a library call, for the Python
// module (python/, docs/python.md).
//
// run_command runs a registered `attnrmt` command exactly as the command line
// would (the same cli::run_command_line as the program, cli/dispatch.hpp: same
// option parsing, output-target check and unused-option check, same
// exact-rational inputs, same certification in cli/certify.hpp), but returns
// what the command wrote instead of printing it: its exit code, its standard
// output and its standard error. The Python module asks for `--format json`
// and parses that table, so the numbers it returns are the CLI's digits,
// character for character.
//
// Thread safety: MpReal's working precision is a process-wide static
// (precision.hpp) and the command writes to std::cout, so calls are serialised
// by a process-wide mutex; run_command may be called from any thread.
#pragma once

#include <string>
#include <vector>

namespace attnrmt::cli {

struct CommandOutput {
  int exit_code = 0;
  std::string out;  ///< what the command wrote to stdout
  std::string err;  ///< what it wrote to stderr (warnings)
};

/// Runs `command` with `args` (without the command name). Bad input throws
/// std::invalid_argument (UsageError) with the CLI's message; a numerical
/// failure throws the command's exception (std::domain_error, ...). An
/// unknown command is a std::invalid_argument.
CommandOutput run_command(const std::string& command, const std::vector<std::string>& args);

/// Quantiles of the bulk law kappa (MP_delta ⊠ MP_gamma) at the exact levels
/// `levels` (rationals in [0, 1], parsed like CLI values), certified to
/// `digits` significant digits by certify() (no CLI command exposes
/// BulkLaw::quantile yet). Same serialisation as run_command.
std::vector<std::string> certified_quantiles(const std::string& delta, const std::string& gamma,
                                             const std::string& kappa,
                                             const std::vector<std::string>& levels, int digits);

}  // namespace attnrmt::cli
