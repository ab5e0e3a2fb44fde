// solver/population_options.cpp -- --population / --signal and the population
// versions of the bulk and spike commands (see population_options.hpp).
#include "population_options.hpp"

#include <fstream>
#include <functional>
#include <sstream>

#include "attnrmt/general_spike.hpp"
#include "ball_quantities.hpp"
#include "params.hpp"
#include "scheme_options.hpp"

namespace attnrmt::cli {

std::vector<OptionSpec> population_option_specs() {
  return {{"population", "SPEC",
           "population spectrum H of Sigma: isotropic (default) | atoms:T1@W1,T2@W2,... (weights "
           "sum to 1) | file:PATH (eigenvalues, optional weight column)"},
          {"signal", "DIR", "direction of mu: generic (default) | eigenvector:S (S an atom of H)"}};
}

bool has_population(const Options& opts) {
  return opts.has("population") || opts.has("signal");
}

namespace {

// A number read from a file: the error names the place, never the file's text.
Rational file_number(const std::string& text, const std::string& where) {
  try {
    return parse_rational(text, where);
  } catch (const std::invalid_argument&) {
    throw UsageError(
        where + ": not a number (expected a decimal or a fraction such as 0.5, 1/2 or 2.5e-1)");
  }
}

PopulationSpec read_population_file(const std::string& path) {
  std::istringstream in(read_input_file(path, "--population file:"));
  std::vector<Rational> atoms, weights;
  std::string line;
  long lineno = 0;
  bool any_weight = false, any_missing = false;
  while (std::getline(in, line)) {
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream fields(line);
    std::string t, w, extra;
    if (!(fields >> t)) continue;
    fields >> w;
    if (fields >> extra)
      throw UsageError("--population file:" + path + " line " + std::to_string(lineno) +
                       ": expected 'eigenvalue [weight]'");
    if (static_cast<long>(atoms.size()) >= kMaxPopulationAtoms)
      throw UsageError("--population file:" + path + ": more than " +
                       std::to_string(kMaxPopulationAtoms) + " eigenvalues");
    std::string where = "--population file:" + path + " line " + std::to_string(lineno);
    Rational tv = file_number(t, where);
    if (!(tv > 0))
      throw UsageError(where + ": the eigenvalue must be > 0 (Sigma positive definite)");
    atoms.push_back(tv);
    if (w.empty()) {
      any_missing = true;
      weights.push_back(Rational(1));
    } else {
      any_weight = true;
      Rational wv = file_number(w, where);
      if (!(wv > 0)) throw UsageError(where + ": the weight must be > 0");
      weights.push_back(wv);
    }
  }
  if (atoms.empty()) throw UsageError("--population file:" + path + ": no eigenvalues");
  if (any_weight && any_missing)
    throw UsageError("--population file:" + path + ": give a weight on every line or on none");
  PopulationSpec s = PopulationSpec::from_atoms(atoms, weights);
  s.label = "file:" + path;
  return s;
}

}  // namespace

PopulationSpec parse_population(const std::string& spec) {
  if (spec == "isotropic") return PopulationSpec::isotropic();
  if (spec.rfind("file:", 0) == 0) return read_population_file(spec.substr(5));
  if (spec.rfind("atoms:", 0) != 0)
    throw UsageError("--population: expected isotropic, atoms:T1@W1,... or file:PATH (got '" +
                     spec + "')");
  std::vector<Rational> atoms, weights;
  bool weighted = false, unweighted = false;
  for (const std::string& item : split(spec.substr(6), ',')) {
    auto at = item.find('@');
    atoms.push_back(parse_number(item.substr(0, at), "--population atom", "> 0"));
    if (at == std::string::npos) {
      unweighted = true;
      weights.push_back(Rational(1));
    } else {
      weighted = true;
      weights.push_back(parse_number(item.substr(at + 1), "--population weight", "> 0"));
    }
  }
  if (weighted && unweighted)
    throw UsageError("--population: give a weight (T@W) for every atom or for none");
  Rational total(0);
  for (const auto& w : weights) {
    if (!(w > 0))
      throw UsageError("--population: weight " + rational_to_string(w) + " must be > 0");
    total += w;
  }
  if (weighted && total != 1)
    throw UsageError("--population: weights must sum to 1 (they sum to " +
                     rational_to_string(total) + ")");
  try {
    PopulationSpec s = PopulationSpec::from_atoms(atoms, weights);
    s.label = spec;
    return s;
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--") + e.what());
  }
}

SignalDirection parse_signal(const std::string& text) {
  SignalDirection d;
  if (text == "generic") return d;
  if (text.rfind("eigenvector:", 0) == 0) {
    d.eigenvector = true;
    d.eigenvalue = parse_number(text.substr(12), "--signal eigenvector:S", "> 0");
    if (!(d.eigenvalue > 0))
      throw UsageError("--signal eigenvector:S needs S > 0 (got " + text + ")");
    return d;
  }
  throw UsageError("--signal: expected generic or eigenvector:S (got '" + text + "')");
}

PopulationSpec read_population(const Options& opts) {
  PopulationSpec s = parse_population(opts.get_or("population", "isotropic"));
  if (opts.has("signal")) s.signal = parse_signal(opts.get("signal"));
  if (s.signal.eigenvector) {
    bool found = false;
    for (const auto& t : s.atoms) found = found || t == s.signal.eigenvalue;
    if (!found)
      throw UsageError("--signal eigenvector:" + rational_to_string(s.signal.eigenvalue) +
                       ": the eigenvalue must be one of the atoms of H");
  }
  return s;
}

namespace {

void reject_scheme(const Options& opts) {
  if (has_scheme_options(opts))
    throw UsageError("--T/--pooling/--corr cannot be combined with --population/--signal yet");
}

void add_population_note(TextTable& t, const PopulationSpec& spec) {
  std::string note = "population " + spec.label + " (" + std::to_string(spec.atoms.size()) +
                     " atoms, m1 = " + rational_to_string(spec.power_moment(1)) + "), signal ";
  note += spec.signal.eigenvector ? "eigenvector:" + rational_to_string(spec.signal.eigenvalue)
                                  : std::string("generic");
  t.notes.push_back(note);
}

std::vector<ParamAxis> law_axes(const Options& opts, bool single, const std::string& command) {
  std::vector<ParamAxis> axes =
      read_axes(opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::kappa});
  if (single)
    for (const auto& a : axes)
      if (a.values.size() != 1)
        throw UsageError("--" + a.name + " takes a single value for '" + command + "'");
  return axes;
}

}  // namespace

PopulationRun::PopulationRun(const Options& opts)
    : format(parse_format(opts.get_or("format", "table"), false)),
      digits(requested_digits(opts)),
      spec(read_population(opts)),
      shared_spec(std::make_shared<const PopulationSpec>(spec)) {}

TextTable PopulationRun::certified(
    const std::function<RawTable(const Population<MpReal>&)>& compute) const {
  return certify(digits, [&]() {
    Population<MpReal> H(spec);
    return compute(H);
  });
}

QuantityPoint PopulationRun::point(const ParamRow& row) const {
  QuantityPoint p = quantity_point(row);
  p.population = shared_spec;
  return p;
}

int PopulationRun::emit_certified(const Options& opts, const std::function<RawTable()>& compute,
                                  const std::vector<std::string>& notes) const {
  TextTable t = certify(digits, compute);
  add_population_note(t, spec);
  t.notes.insert(t.notes.end(), notes.begin(), notes.end());
  emit(opts, t, format);
  return 0;
}

namespace {

// A catalogue value as a table cell: a number, or text (regime, "none").
Value cell_of(const QuantityValue& v) {
  return v.is_text ? Value::str(v.text) : Value::num(v.number);
}

}  // namespace

int run_population_thresholds(const Options& opts) {
  reject_scheme(opts);
  const PopulationRun run(opts);
  std::vector<ParamAxis> axes =
      read_axes(opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::rho});
  const ParamGrid grid = make_grid(axes);
  const auto qs = catalogue_entries({"tau1", "tau2", "table_edge", "right_edge"});
  // The catalogue's certified ball routes (ball/population_ball.hpp, docs/certified.md):
  // each of the four covers every finite population.
  TextTable t = certified_quantity_table(ball_printing(opts), grid, qs,
                                         [&](const ParamRow& row) { return run.point(row); });
  add_population_note(t, run.spec);
  emit(opts, t, run.format);
  return 0;
}

int run_population_outlier(const Options& opts) {
  reject_scheme(opts);
  if (opts.has("uncentred"))
    throw UsageError("--uncentred needs --T/--pooling/--corr (give --mean-strength M instead)");
  const PopulationRun run(opts);
  std::vector<ParamAxis> axes = read_axes(
      opts, {StandardAxis::delta, StandardAxis::gamma, StandardAxis::rho, StandardAxis::kappa});
  axes.push_back(read_axis(opts, "alpha-over-kappa", "alpha_over_kappa", "", false));
  const bool with_mean = opts.has("mean-strength");
  if (with_mean) axes.push_back(read_axis(opts, "mean-strength", "mean_strength", "", true));
  const ParamGrid grid = make_grid(axes);
  // The catalogue's population route: one `top` row (regime, lambda, ...), then
  // one `gap` row per gap outlier (gap_regime, gap_lambda, ... at gap = n..1,
  // lowest gap first), sharing one evaluation per parameter row.
  const auto top_qs = catalogue_entries({"regime", "lambda", "alignment_mu", "alignment_u",
                                         "population_outlier", "population_alignment"});
  const auto gap_qs =
      catalogue_entries({"gap_regime", "gap_lambda", "gap_alignment_mu", "gap_alignment_u",
                         "gap_population_outlier", "gap_population_alignment"});
  const auto count_qs = catalogue_entries({"gap_outlier_count"});
  const auto mean_qs = with_mean ? catalogue_entries({"mean_outlier", "mean_alignment"})
                                 : std::vector<const QuantityInfo*>{};
  return run.emit_certified(
      opts,
      [&]() {
        RawTable raw;
        raw.columns = grid.varying;
        raw.columns.push_back("kind");
        for (const QuantityInfo* q : top_qs) raw.columns.push_back(q->name);
        for (const QuantityInfo* q : mean_qs) raw.columns.push_back(q->name);
        for (const auto& row : grid.rows) {
          const QuantityPoint point = run.point(row);
          QuantityEvaluation<MpReal> e(point);
          const auto mean = attnrmt::evaluate(mean_qs, e);
          auto emit_row = [&](const char* kind, const std::vector<QuantityValue>& values) {
            std::vector<Value> cells = grid.leading_cells(row);
            cells.push_back(Value::str(kind));
            for (const auto& v : values) cells.push_back(cell_of(v));
            for (const auto& v : mean) cells.push_back(cell_of(v));
            raw.rows.push_back(std::move(cells));
          };
          emit_row("top", attnrmt::evaluate(top_qs, e));
          const long gaps = attnrmt::evaluate(count_qs, e).front().number.convert_to<long>();
          for (long k = gaps; k >= 1; --k) {
            e.set_index("gap", Rational(k));
            emit_row("gap", attnrmt::evaluate(gap_qs, e));
          }
        }
        return raw;
      },
      {"kind gap: an outlier inside a gap of a split support (lambda none: table level only)"});
}

// bulk, edges and cauchy --population: the catalogue's entries at one law per
// parameter row. set_point moves the evaluation along x (or z) and set_index
// along the support intervals, keeping the law: its support search is the
// costly part (seconds at K = 4096 atoms and 30 digits).

int run_population_bulk(const Options& opts) {
  const PopulationRun run(opts);
  auto axes = law_axes(opts, true, "bulk");
  if (opts.has("x") == opts.has("grid"))
    throw UsageError("give exactly one of --x X1,X2,... or --grid A:B:M");
  std::vector<Rational> xs =
      opts.has("x") ? parse_values(opts.get("x"), "--x") : parse_values(opts.get("grid"), "--grid");
  ParamRow row = cartesian(axes).front();
  const auto qs = catalogue_entries({"density", "cdf"});
  return run.emit_certified(opts, [&]() {
    const QuantityPoint point = run.point(row);
    QuantityEvaluation<MpReal> e(point);
    RawTable raw;
    raw.columns = {"x", "density", "cdf"};
    for (const auto& x : xs) {
      e.set_point("x", x);
      std::vector<Value> cells = {rational_value(x)};
      for (const auto& v : attnrmt::evaluate(qs, e)) cells.push_back(cell_of(v));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });
}

int run_population_edges(const Options& opts) {
  const PopulationRun run(opts);
  auto axes = law_axes(opts, false, "edges");
  const ParamGrid grid = make_grid(axes);
  // One row per support interval (interval = 1, the lowest, up to
  // interval_count), printed as interval, left_edge, right_edge, atom.
  const auto count_qs = catalogue_entries({"interval_count"});
  const auto qs = catalogue_entries({"interval_left_edge", "interval_right_edge", "atom"});
  return run.emit_certified(opts, [&]() {
    RawTable raw;
    raw.columns = grid.varying;
    for (const char* c : {"interval", "left_edge", "right_edge", "atom"}) raw.columns.push_back(c);
    for (const auto& row : grid.rows) {
      const QuantityPoint point = run.point(row);
      QuantityEvaluation<MpReal> e(point);
      const long n = attnrmt::evaluate(count_qs, e).front().number.convert_to<long>();
      for (long i = 1; i <= n; ++i) {
        e.set_index("interval", Rational(i));
        std::vector<Value> cells = grid.leading_cells(row);
        cells.push_back(Value::str(std::to_string(i), false));
        for (const auto& v : attnrmt::evaluate(qs, e)) cells.push_back(cell_of(v));
        raw.rows.push_back(std::move(cells));
      }
    }
    return raw;
  });
}

int run_population_cauchy(const Options& opts) {
  const PopulationRun run(opts);
  auto axes = law_axes(opts, true, "cauchy");
  std::vector<std::pair<Rational, Rational>> zs;
  for (const auto& z : opts.all("z")) zs.push_back(parse_complex(z, "--z"));
  if (zs.empty()) opts.get("z");
  ParamRow row = cartesian(axes).front();
  // cauchy_re, cauchy_im, printed as g_re, g_im (as the isotropic cauchy).
  const auto qs = catalogue_entries({"cauchy_re", "cauchy_im"});
  return run.emit_certified(opts, [&]() {
    const QuantityPoint point = run.point(row);
    QuantityEvaluation<MpReal> e(point);
    RawTable raw;
    raw.columns = {"z_re", "z_im", "g_re", "g_im"};
    for (const auto& [re, im] : zs) {
      e.set_point("z_re", re);
      e.set_point("z_im", im);
      std::vector<Value> cells = {rational_value(re), rational_value(im)};
      for (const auto& v : attnrmt::evaluate(qs, e)) cells.push_back(cell_of(v));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });
}

int run_population_moments(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  PopulationSpec spec = read_population(opts);
  Rational delta = parse_positive_rational(opts.get("delta"), "--delta");
  Rational gamma = parse_positive_rational(opts.get("gamma"), "--gamma");
  Rational kappa =
      opts.has("kappa") ? parse_positive_rational(opts.get("kappa"), "--kappa") : Rational(1);
  long order = parse_integer(opts.get("order"), "--order", 1, 200);
  if (spec.atoms.size() > 64 && order > 20)
    throw UsageError("--order: at most 20 for a population of more than 64 atoms (exact sums)");
  // The catalogue's exact `moment` with the population (one evaluation for all orders).
  const auto m =
      exact_moment_list(QuantityPoint{{{"delta", delta}, {"gamma", gamma}, {"kappa", kappa}},
                                      {},
                                      std::make_shared<const PopulationSpec>(spec)},
                        static_cast<int>(order));
  TextTable t;
  t.columns = {"k", "moment"};
  for (int k = 1; k <= order; ++k) {
    const Rational& v = m[static_cast<std::size_t>(k - 1)];
    bool integer = boost::multiprecision::denominator(v) == 1;
    t.rows.push_back({{std::to_string(k), true}, {v.str(), integer}});
  }
  add_population_note(t, spec);
  emit(opts, t, format);
  return 0;
}

}  // namespace attnrmt::cli
