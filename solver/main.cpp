// solver/main.cpp -- `attnrmt`: dispatch to the registered commands.
//
// Exit codes: 0 success, 1 a numerical outcome or check failed, 2 bad input.
#include <algorithm>
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
    Options opts(cmd->name, cmd->options, std::vector<std::string>(args.begin() + 1, args.end()));
    if (opts.help()) {
      print_command_help(*cmd, std::cout);
      return 0;
    }
    return cmd->run(opts);
  } catch (const std::invalid_argument& e) {
    std::cerr << "attnrmt " << cmd->name << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attnrmt " << cmd->name << ": error: " << e.what() << "\n";
    return 1;
  }
}
