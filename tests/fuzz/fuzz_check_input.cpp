// tests/fuzz/fuzz_check_input.cpp -- libFuzzer target for the input side of
// `attnrmt check`: parse_csv (solver/csv_reader.hpp) and prepare_check_input
// (solver/table_quantities.hpp). Any input must either be accepted, with the
// reader's invariants holding, or be rejected with std::invalid_argument
// (UsageError); any other exception, crash, hang or sanitizer report is a bug.
// Build and run: tests/fuzz/run [SECONDS]  (needs clang++ with libFuzzer).
#include <cstdint>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include "csv_reader.hpp"
#include "table_quantities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace attnrmt::cli;
  std::string text(reinterpret_cast<const char*>(data), size);
  CsvDocument doc;
  try {
    doc = parse_csv(text, "fuzz");
  } catch (const std::invalid_argument&) {
    return 0;
  }
  for (const auto& r : doc.rows) {
    if (r.fields.size() != doc.header.size()) std::abort();
    if (r.line <= doc.header_line) std::abort();
  }
  // Once as the file is, once with every parameter supplied by --set (the
  // values then come from the file only when it has the column).
  for (int pass = 0; pass < 2; ++pass) {
    std::map<std::string, attnrmt::Rational> fixed;
    if (pass == 1)
      for (const auto& p : parameter_registry()) {
        bool in_file = false;
        for (const auto& h : doc.header) in_file = in_file || h == p.name;
        if (!in_file) fixed[p.name] = attnrmt::Rational(1, 2);
      }
    try {
      CheckInput in = prepare_check_input(doc, fixed);
      if (in.rows.size() != doc.rows.size() || in.columns.empty()) std::abort();
      for (const auto& row : in.rows)
        if (row.claimed.size() != in.columns.size()) std::abort();
    } catch (const std::invalid_argument&) {
    }
  }
  return 0;
}
