// solver/api.cpp -- run a registered command and capture its output (api.hpp).
#include "api.hpp"

#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "attnrmt/bulk_law.hpp"
#include "bulk_quantile.hpp"
#include "cli.hpp"
#include "params.hpp"

namespace attnrmt::cli {

namespace {
std::mutex& command_mutex() {
  static std::mutex m;
  return m;
}

// Redirects a stream to a buffer for the lifetime of the object.
class StreamCapture {
 public:
  explicit StreamCapture(std::ostream& s) : stream_(s), saved_(s.rdbuf(buffer_.rdbuf())) {}
  ~StreamCapture() { stream_.rdbuf(saved_); }
  StreamCapture(const StreamCapture&) = delete;
  StreamCapture& operator=(const StreamCapture&) = delete;
  std::string text() const { return buffer_.str(); }

 private:
  std::ostream& stream_;
  std::ostringstream buffer_;
  std::streambuf* saved_;
};
}  // namespace

CommandOutput run_command(const std::string& command, const std::vector<std::string>& args) {
  const Command* cmd = find_command(command);
  if (!cmd) throw std::invalid_argument("unknown command '" + command + "'");
  std::lock_guard<std::mutex> lock(command_mutex());
  // Provenance (table's `command`): the equivalent command line.
  std::vector<std::string> words = {"attnrmt", command};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  set_invocation(static_cast<int>(argv.size()), argv.data());
  CommandOutput result;
  StreamCapture out(std::cout), err(std::cerr);
  // The same path as the `attnrmt` program (cli/dispatch.hpp): options parsed,
  // --out checked before any work, unused options rejected.
  result.exit_code = run_command_line(*cmd, args);
  std::cout.flush();
  result.out = out.text();
  result.err = err.text();
  return result;
}

std::vector<std::string> certified_quantiles(const std::string& delta, const std::string& gamma,
                                             const std::string& kappa,
                                             const std::vector<std::string>& levels, int digits) {
  if (digits < 1 || digits > 1000)
    throw UsageError("digits must be an integer in [1, 1000] (got " + std::to_string(digits) + ")");
  const Rational d = parse_positive_rational(delta, "delta"),
                 g = parse_positive_rational(gamma, "gamma"),
                 k = parse_positive_rational(kappa, "kappa");
  std::vector<Rational> qs;
  for (const auto& text : levels) qs.push_back(parse_single(text, "q"));
  require_levels(qs, "q");
  std::lock_guard<std::mutex> lock(command_mutex());
  TextTable t = quantile_table(d, g, k, qs, digits);
  std::vector<std::string> out;
  for (const auto& row : t.rows) out.push_back(row[1].text);
  return out;
}

}  // namespace attnrmt::cli
