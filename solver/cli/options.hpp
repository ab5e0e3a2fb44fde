// solver/cli/options.hpp -- the parsed command line of one command.
//
// `--name value`, `--name=value` and flags; unknown options, missing values
// and repeated single-valued options are usage errors (exit 2).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/errors.hpp"

namespace attnrmt::cli {

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

}  // namespace attnrmt::cli
