// solver/cli/dispatch.cpp -- running a command line (dispatch.hpp).
//
// Exit codes: 0 success, 1 a numerical outcome or check failed, 2 bad input.
#include "cli/dispatch.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <stdexcept>

#include "cli/errors.hpp"
#include "cli/files.hpp"
#include "version.hpp"

namespace attnrmt::cli {

namespace {
void print_main_help(std::ostream& out) {
  out << "attnrmt " << ATTNRMT_VERSION
      << " -- random-matrix theory of attention-pooled sequence models\n\n"
         "usage: attnrmt COMMAND [options]    (attnrmt COMMAND --help for details)\n\n"
         "commands:\n";
  auto cmds = registry();
  std::sort(cmds.begin(), cmds.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
  for (const auto& c : cmds)
    out << "  " << std::left << std::setw(12) << c.name << c.summary << "\n";
  out << "\nglobal options:\n  --help       show help\n  --version    print version and git "
         "commit\n";
}

// An error message as one printable line: control bytes escaped, at most 600
// characters (messages quote user data only in short excerpts; this is the
// last guard).
std::string one_line(const std::string& message) {
  return excerpt(message, 600);
}
}  // namespace

int run_command_line(const Command& cmd, const std::vector<std::string>& args) {
  Options opts(cmd.name, cmd.options, args, cmd.max_positional);
  if (opts.help()) {
    print_command_help(cmd, std::cout);
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("cannot write to standard output");
    return 0;
  }
  // The destination is checked before any work (a missing directory, a
  // device, or one of the run's own input files).
  if (opts.has("out")) {
    std::vector<std::string> inputs = opts.positional();
    for (const auto& v : opts.all_values()) inputs.push_back(v);
    check_output_target(opts.get_or("out", "-"), inputs);
  }
  int rc = cmd.run(opts);
  opts.require_all_used();
  return rc;
}

int dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_main_help(out);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    out << "attnrmt " << ATTNRMT_VERSION << " (commit " << ATTNRMT_GIT_COMMIT << ")\n";
    return 0;
  }
  const Command* cmd = find_command(args[0]);
  if (!cmd) {
    err << "attnrmt: unknown command '" << args[0] << "' (see 'attnrmt --help')\n";
    return 2;
  }
  try {
    int rc = run_command_line(*cmd, std::vector<std::string>(args.begin() + 1, args.end()));
    std::cout.flush();
    if (!std::cout || std::fflush(stdout) != 0)
      throw std::runtime_error("cannot write to standard output");
    return rc;
  } catch (const ReportedError& e) {
    return e.code;
  } catch (const std::exception& e) {
    return report_error(cmd->name, e, err);
  }
}

int report_error(const std::string& name, const std::exception& e, std::ostream& err) {
  if (dynamic_cast<const std::invalid_argument*>(&e)) {
    err << "attnrmt " << name << ": " << one_line(e.what()) << "\n";
    return 2;
  }
  err << "attnrmt " << name << ": error: " << one_line(e.what()) << "\n";
  return 1;
}

}  // namespace attnrmt::cli
