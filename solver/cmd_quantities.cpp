// solver/cmd_quantities.cpp -- `attnrmt quantities`: the quantity catalogue
// (attnrmt/quantities.hpp) as a table: each quantity's parameters, unit and
// meaning, or with --parameters each parameter's domain and default. It is
// what `table --quantities`, `check` and `validate --from-table` accept.
#include "cli.hpp"
#include "table_quantities.hpp"

namespace attnrmt::cli {
namespace {

std::string joined(const std::vector<std::string>& items, const char* sep) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : sep) + i;
  return s;
}

int run_quantities(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), true);
  TextTable t;
  if (opts.has("parameters")) {
    t.columns = {"parameter", "domain", "default", "description"};
    for (const auto& p : parameter_registry())
      t.rows.push_back({{p.name, false},
                        {p.range(), false},
                        {p.default_value.empty() ? "-" : p.default_value, false},
                        {p.description, false}});
  } else {
    t.columns = {"quantity", "parameters", "unit", "description"};
    for (const auto& q : quantity_registry())
      t.rows.push_back({{q.name, false},
                        {joined(q.parameters, " "), false},
                        {q.unit, false},
                        {q.description, false}});
  }
  emit(opts, t, format);
  return 0;
}

const CommandRegistrar quantities_cmd{Command{
    "quantities",
    "the quantity catalogue: what table, check and validate --from-table accept",
    "quantities [--parameters] [--format table|csv|json|md|tex] [--out FILE]",
    "Lists every quantity of the catalogue with the parameters it depends on (space-separated,\n"
    "in column order), its unit and its meaning; with --parameters, every parameter with its\n"
    "domain and default. These are the column names of 'attnrmt table' and 'attnrmt check'.",
    {{"parameters", "", "list the parameters instead of the quantities"},
     {"format", "F", "output format: table (default), csv, json, md, tex"},
     {"out", "FILE", "write to FILE (atomically; '-' is stdout) instead of stdout"}},
    run_quantities}};

}  // namespace
}  // namespace attnrmt::cli
