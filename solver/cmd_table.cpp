// solver/cmd_table.cpp -- `attnrmt table`: reference tables with provenance.
//
// Rows are the cartesian product of the --vary grids (first --vary varies
// slowest); every parameter a requested quantity depends on is a column, fixed
// ones included, so each row can be recomputed on its own (`attnrmt check`).
// Values are certified by cli::certify (two working precisions); rows are
// evaluated on several threads at the shared precision, in deterministic order.
// Provenance goes first: '#' lines (CSV, table), a "meta" object (JSON),
// HTML comments (Markdown), '%' comments and a caption (LaTeX). The lines
// version, git_commit, command and date change between runs; everything else
// is a function of the command's arguments alone.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "cli.hpp"
#include "cli/progress.hpp"
#include "params.hpp"
#include "population_options.hpp"
#include "scheme_options.hpp"
#include "table_quantities.hpp"
#include "version.hpp"

namespace attnrmt::cli {
namespace {

std::pair<std::string, std::string> split_assignment(const std::string& text,
                                                     const std::string& option) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw UsageError(option + " expects NAME=VALUE (got '" + text +
                     "'; names: " + parameter_names() + ")");
  std::string name = text.substr(0, eq);
  if (!find_parameter(name))
    throw UsageError(option + ": unknown parameter '" + name + "' (valid: " + parameter_names() +
                     ")");
  return {name, text.substr(eq + 1)};
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && end != epoch) now = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int run_table(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "csv"), true);
  int digits = requested_digits(opts);
  auto quantities = parse_quantity_list(opts.get("quantities"));
  unsigned threads = usable_threads(
      opts.has("threads")
          ? static_cast<unsigned>(parse_integer(opts.get("threads"), "--threads", 1, 256))
          : 0);
  if (!opts.positional().empty())
    throw UsageError("unexpected argument '" + opts.positional().front() +
                     "' (see 'attnrmt table --help')");

  // Axes: --vary in the order given (first varies slowest), then --set and
  // defaults as single values. Text parameters (pooling, corr) keep their
  // values as strings: --vary pooling=A,B splits on commas, --vary corr=A;B
  // on semicolons (a corr spec may contain commas), --set takes the whole value.
  struct Axis {
    std::string name;
    bool text = false;
    std::vector<Rational> values;
    std::vector<std::string> texts;
    std::size_t size() const { return text ? texts.size() : values.size(); }
  };
  std::vector<Axis> axes;
  std::set<std::string> given;
  auto add_axis = [&](const std::string& name, const std::string& spec, const std::string& option) {
    if (!given.insert(name).second)
      throw UsageError(option + ": parameter '" + name + "' given more than once");
    const ParameterInfo& p = *find_parameter(name);
    Axis axis{name, p.is_text(), {}, {}};
    if (p.is_text()) {
      if (option != "--vary") {
        axis.texts.push_back(spec);
      } else if (name == "pooling") {
        axis.texts = split_pooling_list(spec);
      } else {
        std::string cur;
        for (char c : spec + ";") {
          if (c != ';') {
            cur += c;
            continue;
          }
          if (cur.empty())
            throw UsageError("--vary " + name + ": empty entry in '" + spec +
                             "' (separate corr values with ';')");
          axis.texts.push_back(cur);
          cur.clear();
        }
      }
      for (const auto& v : axis.texts) require_text_parameter(p, v, option + ": ");
    } else {
      axis.values = parse_values(spec, option + " " + name);
      require_row_limit(static_cast<double>(axis.values.size()), option + " " + name);
      for (const auto& v : axis.values) require_parameter_range(p, v, option + ": ");
    }
    axes.push_back(std::move(axis));
  };
  for (const auto& v : opts.all("vary")) {
    auto [name, spec] = split_assignment(v, "--vary");
    add_axis(name, spec, "--vary");
  }
  for (const auto& v : opts.all("set")) {
    auto [name, spec] = split_assignment(v, "--set");
    add_axis(name, spec, "--set");
    if (axes.back().size() != 1)
      throw UsageError("--set " + name + " takes a single value (use --vary for a grid)");
  }
  // --population SPEC and --signal DIR: the same as --set population=SPEC.
  for (const char* name : {"population", "signal"})
    if (opts.has(name)) add_axis(name, opts.get(name), std::string("--") + name);
  std::vector<std::string> needed = needed_parameters(quantities);
  for (const auto& name : needed) {
    if (given.count(name)) continue;
    const ParameterInfo& p = *find_parameter(name);
    if (p.default_value.empty()) {
      std::string users;
      for (const auto* q : quantities)
        for (const auto& qp : q->parameters)
          if (qp == name) users += (users.empty() ? "" : ",") + q->name;
      throw UsageError("missing parameter '" + name + "' (needed by " + users + "): give --vary " +
                       name + "=A:B:M or --set " + name + "=VALUE");
    }
    add_axis(name, p.default_value, "default");
  }
  // A given parameter that no requested quantity reads is an error, not a
  // silently constant column.
  // population and signal are optional: every quantity must support them.
  for (const auto& name : given)
    if (is_population_parameter(name)) require_population_support(quantities, "--" + name);
  for (const auto& name : given)
    if (!is_population_parameter(name) &&
        std::find(needed.begin(), needed.end(), name) == needed.end()) {
      std::string qnames;
      for (const auto* q : quantities) qnames += (qnames.empty() ? "" : ",") + q->name;
      throw UsageError("parameter '" + name + "' is not used by the quantities " + qnames +
                       " (remove its --set/--vary)");
    }
  // Population specs are parsed once here, with every signal given, so a bad
  // one is a usage error before any work (the evaluation parses them again,
  // once per distinct value).
  std::vector<std::string> population_labels;
  {
    std::vector<std::string> pops, sigs;
    for (const auto& axis : axes)
      if (axis.name == "population")
        pops = axis.texts;
      else if (axis.name == "signal")
        sigs = axis.texts;
    if (pops.empty() && !sigs.empty()) pops.push_back("isotropic");
    if (sigs.empty()) sigs.push_back("generic");
    for (const auto& pop : pops) {
      for (const auto& sig : sigs) population_from_text({{"population", pop}, {"signal", sig}});
      PopulationSpec spec = parse_population(pop);
      population_labels.push_back(pop + " (" + std::to_string(spec.atoms.size()) +
                                  " atoms, m1 = " + rational_to_string(spec.power_moment(1)) + ")");
    }
  }
  // Size: refused before any allocation when over the row limit.
  {
    double count = 1;
    for (const auto& axis : axes) count *= static_cast<double>(axis.size());
    require_row_limit(count, "the table");
  }
  // Columns: every needed or given parameter, in canonical order.
  std::vector<std::string> param_columns;
  for (const auto& p : parameter_registry())
    if (given.count(p.name)) param_columns.push_back(p.name);

  // The cartesian product, the first axis varying slowest.
  std::vector<std::map<std::string, Rational>> points;
  std::vector<TextParams> text_points;
  {
    std::vector<std::size_t> sizes;
    for (const auto& axis : axes) sizes.push_back(axis.size());
    for (const auto& index : cartesian_indices(sizes)) {
      std::map<std::string, Rational> point;
      TextParams text_point;
      for (std::size_t a = 0; a < axes.size(); ++a) {
        if (axes[a].text)
          text_point[axes[a].name] = axes[a].texts[index[a]];
        else
          point[axes[a].name] = axes[a].values[index[a]];
      }
      points.push_back(std::move(point));
      text_points.push_back(std::move(text_point));
    }
  }
  auto is_text = [](const std::string& name) { return find_parameter(name)->is_text(); };
  const std::size_t row_count = points.size();

  ProgressBar bar("attnrmt table", "rows", row_count,
                  !opts.has("quiet") && ::isatty(STDERR_FILENO));
  std::vector<unsigned> precisions;
  TextTable t = certify(digits, [&]() {
    precisions.push_back(MpReal::default_precision());
    bar.set_label("attnrmt table: pass " + std::to_string(precisions.size()));
    std::function<void(std::size_t)> progress;
    if (bar.enabled()) progress = [&](std::size_t done) { bar.update(done); };
    std::size_t failed = 0;
    std::vector<std::vector<QuantityValue>> values;
    try {
      values = evaluate_points(quantities, points, threads, progress, &failed, &text_points);
    } catch (const std::exception& e) {
      std::string at;
      for (const auto& name : param_columns) {
        if (is_text(name)) {
          at += (at.empty() ? "" : ", ") + name + "=" + text_points[failed].at(name);
          continue;
        }
        std::string v = rational_cell(points[failed].at(name)).text;
        if (v.size() > 24) v = format_number(to_real<MpReal>(points[failed].at(name)), 12);
        at += (at.empty() ? "" : ", ") + name + "=" + v;
      }
      std::string msg = "at " + at + ": " + e.what();
      if (dynamic_cast<const std::invalid_argument*>(&e)) throw UsageError(msg);
      throw std::runtime_error(msg);
    }
    RawTable raw;
    raw.columns = param_columns;
    for (const auto* q : quantities) raw.columns.push_back(q->name);
    for (std::size_t i = 0; i < row_count; ++i) {
      std::vector<Value> cells;
      for (const auto& name : param_columns)
        cells.push_back(is_text(name) ? Value::str(text_points[i].at(name))
                                      : rational_value(points[i].at(name)));
      for (auto& v : values[i])
        cells.push_back(v.is_text ? Value::str(v.text) : Value::num(v.number));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });

  // Provenance.
  std::string qnames, pnames;
  for (const auto* q : quantities) qnames += (qnames.empty() ? "" : ",") + q->name;
  for (const auto& p : param_columns) pnames += (pnames.empty() ? "" : ",") + p;
  std::string work;
  for (unsigned p : precisions) work += (work.empty() ? "" : " and ") + std::to_string(p);
  std::vector<std::pair<std::string, std::string>> prov = {
      {"generator", "attnrmt table"},
      {"version", ATTNRMT_VERSION},
      {"git_commit", ATTNRMT_GIT_COMMIT},
      {"command", invocation()},
      {"date", utc_timestamp()},
      {"working_precision", work + " significant decimal digits (independent runs)"},
      {"guaranteed_digits",
       std::to_string(digits) +
           " significant digits, correctly rounded (every printed digit agrees "
           "in all runs; trailing zeros dropped)"},
      {"quantities", qnames},
      {"parameters", pnames},
      {"rows", std::to_string(row_count)},
  };
  for (const auto* q : quantities) prov.push_back({"column " + q->name, q->description});
  if (given.count("population") || given.count("signal")) {
    // Only with a population: the isotropic default's provenance is unchanged.
    std::string list;
    for (const auto& l : population_labels) list += (list.empty() ? "" : "; ") + l;
    if (!list.empty()) prov.push_back({"population", list});
    prov.push_back(
        {"population_engine",
         "H ⊠ MP_delta ⊠ MP_gamma by subordination (GeneralBulkLaw, GeneralSpike; "
         "docs/population.md); the column descriptions name the isotropic law, with H in place "
         "of delta_1 here"});
    prov.push_back(
        {"certificate", "two independent MPFR runs (table does not use the Arb ball engine)"});
  }
  if (format == Format::json) {
    // One type per key: numbers are numbers; the prose of the text formats
    // becomes its number plus a separate description.
    for (const auto& [k, v] : prov) t.meta[k] = text_cell(v);
    std::string list;
    for (unsigned p : precisions) list += (list.empty() ? "" : ", ") + std::to_string(p);
    t.meta["working_precision"] = number_cell("[" + list + "]");
    t.meta["working_precision_unit"] =
        text_cell("significant decimal digits of each independent run");
    t.meta["guaranteed_digits"] = number_cell(std::to_string(digits));
    t.meta["rounding"] = text_cell(
        "correctly rounded: every printed digit agrees in all runs; trailing zeros dropped");
    t.meta["rows"] = number_cell(std::to_string(row_count));
  } else {
    for (const auto& [k, v] : prov) t.notes.push_back(k + ": " + v);
    if (format == Format::tex) {
      t.notes.insert(t.notes.begin(), "needs \\usepackage{booktabs} in the preamble");
      t.meta["caption"].text = "attnrmt " + std::string(ATTNRMT_VERSION) + " (commit " +
                               ATTNRMT_GIT_COMMIT + "): " + qnames + " to " +
                               std::to_string(digits) + " significant digits.";
    }
  }
  emit(opts, t, format);
  return 0;
}

// The catalogue's quantity names (with population_only: those that take a
// population), comma-separated, in lines of at most 90 characters.
std::string wrapped_quantity_names(bool population_only = false) {
  std::string out, line;
  for (const auto& q : quantity_registry()) {
    if (population_only && !q.supports_population()) continue;
    std::string item = q.name + ",";
    if (!line.empty() && line.size() + item.size() > 90) {
      out += line + "\n";
      line.clear();
    }
    line += item;
  }
  out += line;
  out.pop_back();  // the last comma
  return out;
}

const CommandRegistrar table_cmd{Command{
    "table",
    "reference tables of thresholds, edges and outliers, with provenance",
    "table --quantities LIST --vary NAME=A:B:M [--vary ...] [--set NAME=VALUE ...]\n"
    "               [--population SPEC [--signal DIR]] [--digits N] [--format "
    "csv|json|md|tex|table]\n"
    "               [--out FILE] [--threads N]",
    "Quantities: " + wrapped_quantity_names() +
        "\n('attnrmt quantities' lists each with its parameters, unit and meaning).\n"
        "Parameters: delta, gamma (> 0), rho (>= 0, default 1), kappa (> 0, default 1),\n"
        "alpha_over_kappa (> 0); for scheme quantities T (integer 1.." +
        std::to_string(max_sequence_length) +
        "), pooling (mean,\n"
        "causal[:TAU], optimal, last[:TAU]) and corr (identity (default), markov:R, "
        "latent-exp:A,L,\n"
        "latent:P1,...). --vary pooling=A,B,... splits on commas; --vary 'corr=A;B;...' on\n"
        "semicolons; --set takes the whole value (--set corr=latent-exp:0.9,4); CSV quotes values\n"
        "with commas. Grids: A:B:M (linear), A:B:Mlog (log-spaced, points rounded to 12\n"
        "significant digits), or lists v1,v2,...; exact rationals such as 1/3 are accepted.\n"
        "Rows: the cartesian product of the --vary grids, the first --vary varying slowest. Every\n"
        "parameter a quantity depends on is a column (fixed ones included), so every row can be\n"
        "recomputed on its own by 'attnrmt check'. The file starts with provenance (version, git\n"
        "commit, command, date, working precision, guaranteed digits). --out writes atomically.\n"
        "Population (docs/population.md): --population SPEC / --signal DIR (or --set/--vary\n"
        "population=..., 'population=A;B' for several) evaluate, for H ⊠ MP_delta ⊠ MP_gamma:\n" +
        wrapped_quantity_names(true) +
        "\n(the other quantities refuse a population). The population and signal columns then\n"
        "follow the other parameters.",
    {{"quantities", "LIST", "comma-separated quantity names"},
     {"vary", "NAME=GRID", "a parameter grid or list", true},
     {"set", "NAME=VALUE", "a fixed parameter (still written as a column)", true},
     {"population", "SPEC",
      "population spectrum H: isotropic (default) | atoms:T1@W1,... | file:PATH (the same as "
      "--set population=SPEC; a column)"},
     {"signal", "DIR", "direction of mu with a population: generic (default) | eigenvector:S"},
     {"digits", "N",
      "significant digits, 1..1000 (default 15), certified by two working precisions"},
     {"format", "F", "csv (default), json, md, tex, table"},
     {"out", "FILE", "write to FILE (atomically) instead of stdout"},
     {"threads", "N", "worker threads (default: one per core); output does not depend on it"},
     {"quiet", "", "no progress bar"}},
    run_table}};

}  // namespace
}  // namespace attnrmt::cli
