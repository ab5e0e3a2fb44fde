// solver/main.cpp -- `attnrmt`: dispatch to the registered commands.
//
// Exit codes: 0 success, 1 a numerical outcome or check failed, 2 bad input.
#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>

#include "cli.hpp"
#include "version.hpp"

using namespace attnrmt::cli;

static void print_main_help(std::ostream& out) {
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
static std::string one_line(const std::string& message) {
  return excerpt(message, 600);
}

int main(int argc, char** argv) {
  set_invocation(argc, argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_main_help(std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "attnrmt " << ATTNRMT_VERSION << " (commit " << ATTNRMT_GIT_COMMIT << ")\n";
    return 0;
  }
  const Command* cmd = nullptr;
  for (const auto& c : registry())
    if (c.name == args[0]) cmd = &c;
  if (!cmd) {
    std::cerr << "attnrmt: unknown command '" << args[0] << "' (see 'attnrmt --help')\n";
    return 2;
  }
  try {
    Options opts(cmd->name, cmd->options, std::vector<std::string>(args.begin() + 1, args.end()),
                 cmd->max_positional);
    if (opts.help()) {
      print_command_help(*cmd, std::cout);
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
    int rc = cmd->run(opts);
    opts.require_all_used();
    std::cout.flush();
    if (!std::cout || std::fflush(stdout) != 0)
      throw std::runtime_error("cannot write to standard output");
    return rc;
  } catch (const std::invalid_argument& e) {
    std::cerr << "attnrmt " << cmd->name << ": " << one_line(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attnrmt " << cmd->name << ": error: " << one_line(e.what()) << "\n";
    return 1;
  }
}
