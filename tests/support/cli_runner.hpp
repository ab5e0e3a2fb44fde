// tests/support/cli_runner.hpp -- run the built `attnrmt` binary from a test.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace attnrmt_test {

struct CliResult {
  int exit_code = -1;  ///< exit code; 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Runs `attnrmt ARGS` (ARGS is shell-quoted by the caller) and captures both
/// streams. The one CLI runner of the tests (tables_support.hpp adapts it).
inline CliResult run_cli(const std::string& args) {
  static std::atomic<int> counter{0};
  std::string base =
      "/tmp/attnrmt_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  std::string cmd = std::string(ATTNRMT_CLI) + " " + args + " >" + base + ".out 2>" + base + ".err";
  int status = std::system(cmd.c_str());
  CliResult r;
  if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    r.exit_code = 128 + WTERMSIG(status);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

/// Splits CSV output into rows of fields, skipping '#' comment lines; row 0 is
/// the header. A field in double quotes may hold commas ("atoms:a@b,c@d"); the
/// quotes are dropped.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    fields.push_back(cur);
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace attnrmt_test
