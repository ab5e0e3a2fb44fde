// solver/cli/registry.hpp -- the command registry: each solver/cmd_*.cpp
// registers its commands with a static CommandRegistrar; dispatch()
// (cli/dispatch.hpp) runs them. Also the per-command help and the invocation
// recorded for provenance.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace attnrmt::cli {

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

/// The registered command called `name`, or nullptr.
const Command* find_command(const std::string& name);

/// Options every numeric command accepts.
std::vector<OptionSpec> common_output_options(bool with_digits = true);

void print_command_help(const Command& c, std::ostream& out);

/// The full command line, for provenance.
const std::string& invocation();
void set_invocation(int argc, char** argv);

}  // namespace attnrmt::cli
