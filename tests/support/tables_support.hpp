// tests/support/tables_support.hpp -- helpers shared by the table tests (unit and slow):
// running the CLI, loading committed tables, splitting provenance from data.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.hpp"

namespace tables_test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

inline std::string join_header(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  auto v = split(text, '\n');
  if (!v.empty() && v.back().empty()) v.pop_back();
  return v;
}

/// A per-process scratch directory, removed at exit.
inline fs::path scratch_dir() {
  struct Dir {
    fs::path path =
        fs::temp_directory_path() / ("attnrmt_tables_test_" + std::to_string(::getpid()));
    Dir() { fs::create_directories(path); }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static Dir dir;
  return dir.path;
}

struct RunResult {
  int status = -1;  ///< exit code; 128 + signal when killed by a signal
  std::string out, err;
};

/// Runs `attnrmt ARGS` (ARGS already shell-quoted) and captures its output.
inline RunResult run_cli(const std::string& args) {
  attnrmt_test::CliResult r = attnrmt_test::run_cli(args);
  return {r.exit_code, std::move(r.out), std::move(r.err)};
}

/// The provenance lines that legitimately change between runs.
inline bool volatile_line(const std::string& line) {
  for (const char* key : {"# version: ", "# git_commit: ", "# command: ", "# date: "})
    if (line.rfind(key, 0) == 0) return true;
  return false;
}

/// Everything but the volatile provenance lines.
inline std::string stable_part(const std::string& text) {
  std::string out;
  for (const auto& l : lines_of(text))
    if (!volatile_line(l)) out += l + "\n";
  return out;
}

/// A committed CSV table: provenance (key -> value), header and data lines.
struct Table {
  fs::path path;
  std::map<std::string, std::string> provenance;
  std::vector<std::string> header;
  std::vector<std::string> data_lines;         ///< as written
  std::vector<std::vector<std::string>> rows;  ///< split on ','
  std::size_t first_data_line = 0;             ///< 1-based line of rows[0]
  std::size_t column(const std::string& name) const {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == name) return j;
    throw std::runtime_error("no column " + name + " in " + path.string());
  }
};

inline Table load_table(const fs::path& path) {
  Table t;
  t.path = path;
  auto ls = lines_of(slurp(path));
  std::size_t i = 0;
  for (; i < ls.size() && ls[i].rfind("# ", 0) == 0; ++i) {
    auto colon = ls[i].find(": ");
    if (colon != std::string::npos)
      t.provenance[ls[i].substr(2, colon - 2)] = ls[i].substr(colon + 2);
  }
  if (i < ls.size()) t.header = split(ls[i++], ',');
  t.first_data_line = i + 1;
  for (; i < ls.size(); ++i) {
    t.data_lines.push_back(ls[i]);
    t.rows.push_back(split(ls[i], ','));
  }
  return t;
}

inline std::vector<fs::path> committed_tables() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(ATTNRMT_SOURCE_DIR) / "tables"))
    if (e.path().extension() == ".csv") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// The recorded command with the binary replaced by ATTNRMT_CLI's arguments
/// and --out redirected to `out` (the recorded words need no shell quoting).
inline std::string regeneration_args(const std::string& command, const fs::path& out) {
  auto words = split(command, ' ');
  std::string args;
  for (std::size_t i = 1; i < words.size(); ++i) {
    std::string w = words[i];
    if (w.size() >= 2 && w.front() == '\'' && w.back() == '\'') w = w.substr(1, w.size() - 2);
    if (w == "--out" && i + 1 < words.size()) {
      ++i;
      w = "--out " + out.string();
    }
    args += (args.empty() ? "" : " ") + w;
  }
  return args + " --quiet";
}

}  // namespace tables_test
