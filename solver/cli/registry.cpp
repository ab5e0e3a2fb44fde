// solver/cli/registry.cpp -- registry, help and invocation (registry.hpp).
#include "cli/registry.hpp"

#include <iomanip>

namespace attnrmt::cli {

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

const Command* find_command(const std::string& name) {
  for (const auto& c : registry())
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<OptionSpec> common_output_options(bool with_digits) {
  std::vector<OptionSpec> v;
  if (with_digits)
    v.push_back({"digits", "N",
                 "significant digits to print, 1..1000 (default 15); all printed digits are "
                 "certified by computing at two working precisions"});
  v.push_back({"format", "F", "output format: table (default), csv, json"});
  v.push_back({"out", "FILE", "write to FILE (atomically; '-' is stdout) instead of stdout"});
  return v;
}

void print_command_help(const Command& c, std::ostream& out) {
  out << "usage: attnrmt " << c.usage << "\n\n" << c.description << "\n\noptions:\n";
  for (const auto& o : c.options) {
    std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    out << std::left << std::setw(30) << left << " " << o.help
        << (o.repeatable ? " (repeatable)" : "") << "\n";
  }
  out << std::left << std::setw(30) << "  --help"
      << " show this help\n"
      << std::right;
}

namespace {
std::string& invocation_storage() {
  static std::string s;
  return s;
}
}  // namespace

const std::string& invocation() {
  return invocation_storage();
}

void set_invocation(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i == 0) a = "attnrmt";
    bool quote = a.find_first_of(" \t'\"$*?") != std::string::npos || a.empty();
    if (i) s += " ";
    s += quote ? "'" + a + "'" : a;
  }
  invocation_storage() = s;
}

}  // namespace attnrmt::cli
