// solver/cmd_check.cpp -- `attnrmt check FILE`: how many digits of someone
// else's numbers are right.
//
// Reads a CSV whose columns are quantity and parameter names (table_quantities.hpp),
// recomputes every quantity at two working precisions (D + 10 and D + 25
// digits, D = --digits, default 60) and counts, for each claimed value y
// against the reference x, the agreeing significant digits (agreement.hpp:
// the largest k <= D with |y - x| <= half a unit in y's k-th digit). A claimed
// 0 scores D when |x| < 10^-D (tables print 0 for values below their
// resolution). The count is the smaller of the two references' counts.
// regime: D when the names match, 0 otherwise.
// Exit status: 0 when every value has >= --min-digits digits, 1 otherwise,
// 2 for unreadable or malformed input (one line on stderr naming the line).
#include <algorithm>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "agreement.hpp"
#include "cli.hpp"
#include "csv_reader.hpp"
#include "table_quantities.hpp"
#include "version.hpp"

namespace attnrmt::cli {
namespace {

// Significant digits written in a decimal value ("0.0125" -> 3, "1.50" -> 3,
// "2.5e-3" -> 2); 0 for fractions such as 1/3 (exact).
int printed_digits(const std::string& text) {
  if (text.find('/') != std::string::npos) return 0;
  std::string mant = text.substr(0, text.find_first_of("eE"));
  std::string digits;
  for (char c : mant)
    if (c >= '0' && c <= '9') digits += c;
  std::size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? 1 : static_cast<int>(digits.size() - first);
}

struct Cell {
  int digits = 0;
  bool full = false;  ///< agrees in every printed digit
};

int run_check(const Options& opts) {
  if (opts.positional().size() != 1)
    throw UsageError("expected exactly one FILE (see 'attnrmt check --help')");
  Format format = parse_format(opts.get_or("format", "table"), false);
  int max_digits = opts.has("digits")
                       ? static_cast<int>(parse_integer(opts.get("digits"), "--digits", 1, 1000))
                       : 60;
  int min_digits =
      opts.has("min-digits")
          ? static_cast<int>(parse_integer(opts.get("min-digits"), "--min-digits", 0, 1000))
          : 6;
  unsigned threads = usable_threads(
      opts.has("threads")
          ? static_cast<unsigned>(parse_integer(opts.get("threads"), "--threads", 1, 256))
          : 0);
  std::map<std::string, Rational> fixed;
  TextParams fixed_text;
  for (const auto& s : opts.all("set")) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--set expects NAME=VALUE (got '" + s + "')");
    std::string name = s.substr(0, eq);
    if (fixed.count(name) || fixed_text.count(name))
      throw UsageError("--set: parameter '" + name + "' given twice");
    if (const ParameterInfo* p = find_parameter(name); p && p->is_text()) {
      fixed_text[name] = s.substr(eq + 1);
      continue;
    }
    fixed[name] = parse_rational(s.substr(eq + 1), "--set " + name);
  }
  // --population SPEC / --signal DIR: the same as --set population=SPEC.
  for (const char* name : {"population", "signal"})
    if (opts.has(name)) {
      if (fixed_text.count(name))
        throw UsageError(std::string("--") + name + " and --set " + name + " given together");
      fixed_text[name] = opts.get(name);
    }

  const std::string& path = opts.positional().front();
  CsvDocument doc = read_csv_file(path);
  CheckInput in = prepare_check_input(doc, fixed, fixed_text);
  if (!in.extra_columns.empty()) {
    std::string list;
    for (const auto& c : in.extra_columns) list += (list.empty() ? "'" : ", '") + c + "'";
    std::cerr << "attnrmt check: note: ignoring column"
              << (in.extra_columns.size() > 1 ? "s " : " ") << list
              << " (not a quantity or parameter name; line " << in.header_line << ")\n";
  }

  std::vector<const QuantityInfo*> qs;
  for (const auto& c : in.columns) qs.push_back(c.quantity);
  // Rows whose parameters are not numbers (nan, inf) are not computed: they
  // fail with 0 digits; every other row is checked.
  std::vector<std::map<std::string, Rational>> points;
  std::vector<TextParams> text_points;
  std::vector<std::size_t> point_of(in.rows.size(), 0);
  std::vector<std::size_t> row_of_point;
  for (std::size_t i = 0; i < in.rows.size(); ++i) {
    const auto& r = in.rows[i];
    if (!r.unreadable.empty()) {
      std::cerr << "attnrmt check: " << excerpt(path) << ":" << r.line << ": " << r.unreadable
                << "; the row fails\n";
      continue;
    }
    point_of[i] = points.size();
    row_of_point.push_back(i);
    points.push_back(r.params);
    text_points.push_back(r.text_params);
  }

  const int low = max_digits + 10, high = max_digits + 25;
  std::vector<std::vector<std::vector<QuantityValue>>> refs;
  auto compute = [&](int precision) {
    ScopedPrecision prec(static_cast<unsigned>(precision));
    std::size_t failed = 0;
    try {
      refs.push_back(evaluate_points(qs, points, threads, {}, &failed, &text_points));
    } catch (const std::invalid_argument& e) {
      throw UsageError(excerpt(path) + ":" + std::to_string(in.rows[row_of_point[failed]].line) +
                       ": " + e.what());
    } catch (const std::exception& e) {
      throw std::runtime_error(excerpt(path) + ":" +
                               std::to_string(in.rows[row_of_point[failed]].line) + ": " +
                               e.what());
    }
  };
  compute(low);
  compute(high);

  // Digits per cell, at the higher precision.
  ScopedPrecision prec(static_cast<unsigned>(high));
  const std::size_t nq = qs.size();
  std::vector<std::vector<Cell>> cells(in.rows.size(), std::vector<Cell>(nq));
  for (std::size_t i = 0; i < in.rows.size(); ++i) {
    const CheckRow& row = in.rows[i];
    const std::size_t k = point_of[i];
    for (std::size_t j = 0; j < nq; ++j) {
      Cell& c = cells[i][j];
      if (!row.unreadable.empty()) continue;  // 0 digits: fails
      if (!row.claimed_readable[j]) {
        std::cerr << "attnrmt check: " << excerpt(path) << ":" << row.line << ": column '"
                  << qs[j]->name << "' holds '" << excerpt(row.claimed_text[j], 30)
                  << "', not a number; the value fails\n";
        continue;
      }
      // A number_or_none quantity (gap outliers) is compared as text when the
      // file or the reference says "none".
      const bool none = qs[j]->may_be_none && (row.claimed_text[j] == "none" ||
                                               refs[0][k][j].is_text || refs[1][k][j].is_text);
      if (qs[j]->is_text || none) {
        bool same =
            refs[0][k][j].text == row.claimed_text[j] && refs[1][k][j].text == row.claimed_text[j];
        c.digits = same ? max_digits : 0;
        c.full = same;
        continue;
      }
      MpReal y = to_real<MpReal>(row.claimed[j]);
      c.digits = std::min(agreeing_digits(y, refs[0][k][j].number, max_digits),
                          agreeing_digits(y, refs[1][k][j].number, max_digits));
      c.full = c.digits >= std::min(printed_digits(row.claimed_text[j]), max_digits) &&
               (printed_digits(row.claimed_text[j]) > 0 || c.digits == max_digits);
    }
  }

  // Per-row table.
  TextTable t;
  t.columns = {"line"};
  for (const auto* q : qs) t.columns.push_back(q->name);
  t.columns.push_back("min");
  std::size_t worst_row = 0, failures = 0, full = 0, total = 0;
  int worst_digits = max_digits + 1;
  std::string first_failure;
  for (std::size_t i = 0; i < in.rows.size(); ++i) {
    std::vector<TextCell> r{{std::to_string(in.rows[i].line), true}};
    int row_min = max_digits;
    for (std::size_t j = 0; j < nq; ++j) {
      const Cell& c = cells[i][j];
      r.push_back({std::to_string(c.digits), true});
      row_min = std::min(row_min, c.digits);
      ++total;
      full += c.full;
      if (c.digits < min_digits) {
        if (failures == 0)
          first_failure = "line " + std::to_string(in.rows[i].line) + ", column " + qs[j]->name +
                          ": " + std::to_string(c.digits) + " digits (file has '" +
                          excerpt(in.rows[i].claimed_text[j], 30) + "')";
        ++failures;
      }
    }
    r.push_back({std::to_string(row_min), true});
    if (row_min < worst_digits) {
      worst_digits = row_min;
      worst_row = i;
    }
    if (!opts.has("summary")) t.rows.push_back(std::move(r));
  }

  // Summary.
  std::vector<std::pair<std::string, std::string>> summary;
  summary.push_back({"file", path + " (" + std::to_string(in.rows.size()) +
                                 " rows, header at line " + std::to_string(in.header_line) + ")"});
  summary.push_back({"reference", "attnrmt " + std::string(ATTNRMT_VERSION) + " (commit " +
                                      ATTNRMT_GIT_COMMIT + "), up to " +
                                      std::to_string(max_digits) + " digits, computed at " +
                                      std::to_string(low) + " and " + std::to_string(high)});
  if (!in.extra_columns.empty()) {
    std::string list;
    for (const auto& c : in.extra_columns) list += (list.empty() ? "" : ",") + c;
    summary.push_back({"ignored_columns", list});
  }
  if (!in.defaulted.empty()) {
    std::string list;
    for (const auto& p : in.defaulted)
      list += (list.empty() ? "" : ",") + p + "=" +
              (fixed_text.count(p) ? fixed_text.at(p) : rational_to_string(fixed.at(p)));
    summary.push_back({"set", list});
  }
  struct ColumnMin {
    int digits;
    long line;
    int median;
  };
  std::vector<ColumnMin> column_min;
  for (std::size_t j = 0; j < nq; ++j) {
    int mn = max_digits + 1;
    std::size_t at = 0;
    std::vector<int> all;
    for (std::size_t i = 0; i < in.rows.size(); ++i) {
      all.push_back(cells[i][j].digits);
      if (cells[i][j].digits < mn) {
        mn = cells[i][j].digits;
        at = i;
      }
    }
    std::nth_element(all.begin(), all.begin() + all.size() / 2, all.end());
    column_min.push_back({mn, static_cast<long>(in.rows[at].line), all[all.size() / 2]});
    summary.push_back({"column " + qs[j]->name, "min " + std::to_string(mn) + " digits (line " +
                                                    std::to_string(in.rows[at].line) +
                                                    "), median " +
                                                    std::to_string(all[all.size() / 2])});
  }
  summary.push_back({"worst_row", "line " + std::to_string(in.rows[worst_row].line) + " (" +
                                      std::to_string(worst_digits) + " digits)"});
  summary.push_back({"all_printed_digits_agree",
                     std::to_string(full) + " of " + std::to_string(total) + " values"});
  summary.push_back(
      {"result", failures == 0
                     ? "PASS: every value agrees to >= " + std::to_string(min_digits) + " digits"
                     : "FAIL: " + std::to_string(failures) + " of " + std::to_string(total) +
                           " values agree to fewer than " + std::to_string(min_digits) +
                           " digits; first at " + first_failure});

  std::ostringstream out;
  if (format == Format::json) {
    // The same summary with one type per key: numbers, a boolean, strings.
    auto n = [](auto v) { return number_cell(std::to_string(v)); };
    t.meta["file"] = text_cell(path);
    t.meta["rows"] = n(in.rows.size());
    t.meta["header_line"] = n(in.header_line);
    for (const auto& [k, v] : summary)
      if (k == "reference" || k == "result" || k == "ignored_columns" || k == "set")
        t.meta[k] = text_cell(v);
    t.meta["max_digits"] = n(max_digits);
    t.meta["working_precision"] =
        number_cell("[" + std::to_string(low) + ", " + std::to_string(high) + "]");
    for (std::size_t j = 0; j < nq; ++j) {
      t.meta["min_digits " + qs[j]->name] = n(column_min[j].digits);
      t.meta["min_line " + qs[j]->name] = n(column_min[j].line);
      t.meta["median_digits " + qs[j]->name] = n(column_min[j].median);
    }
    t.meta["worst_line"] = n(in.rows[worst_row].line);
    t.meta["worst_digits"] = n(worst_digits);
    t.meta["values"] = n(total);
    t.meta["values_with_all_printed_digits"] = n(full);
    t.meta["min_digits_required"] = n(min_digits);
    t.meta["failures"] = n(failures);
    t.meta["passed"] = bool_cell(failures == 0);
    if (failures) t.meta["first_failure"] = text_cell(first_failure);
    write_table(t, format, out);
  } else {
    if (!t.rows.empty()) write_table(t, format, out);
    for (const auto& [k, v] : summary)
      out << (format == Format::csv ? "# " : "") << k << ": " << v << "\n";
  }
  write_output(opts, out.str());
  return failures == 0 ? 0 : 1;
}

const CommandRegistrar check_cmd{Command{
    "check",
    "count the correct digits of another implementation's values (CSV)",
    "check FILE [--min-digits N] [--digits D] [--set NAME=VALUE ...] [--population SPEC]\n"
    "               [--signal DIR] [--summary]\n"
    "               [--format table|csv|json] [--out FILE]",
    "FILE is a CSV (header row, '#' comment lines allowed; '-' reads stdin) whose columns are\n"
    "quantities (tau1,tau2,omega1,omega2,right_edge,left_edge,atom,lambda,alignment_mu,\n"
    "alignment_u,regime,scheme_alpha_over_kappa,scheme_kappa) and the parameters they depend\n"
    "on (delta,gamma,rho,kappa,alpha_over_kappa,T,pooling,corr; pooling and corr are text, a\n"
    "corr with commas is a quoted CSV field); other columns are reported and ignored.\n"
    "Optional population and signal columns (as 'table --population' writes them) or\n"
    "--population/--signal select the law H ⊠ MP_delta ⊠ MP_gamma (docs/population.md).\n"
    "Every quantity is recomputed at two high working precisions; for each value the number\n"
    "of agreeing significant digits is the largest k <= D with |claimed - exact| <= half a\n"
    "unit in the k-th significant digit.\n"
    "Prints the digits per row (by line number) and per column (minimum, its line, median), the\n"
    "worst row, and exits with status 1 when any value has fewer than --min-digits digits.",
    {{"min-digits", "N", "required agreeing digits per value (default 6)"},
     {"digits", "D", "most digits counted, 1..1000 (default 60)"},
     {"set", "NAME=VALUE", "a parameter missing from the file, the same for every row", true},
     {"population", "SPEC",
      "population spectrum H for every row (as --set population=SPEC; docs/population.md)"},
     {"signal", "DIR", "direction of mu for every row: generic (default) | eigenvector:S"},
     {"summary", "", "print the summary only, not every row"},
     {"threads", "N", "worker threads (default: one per core)"},
     {"format", "F", "table (default), csv, json"},
     {"out", "FILE", "write the report to FILE (atomically)"}},
    run_check,
    1}};

}  // namespace
}  // namespace attnrmt::cli
