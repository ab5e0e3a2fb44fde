// solver/cmd_validate.cpp -- `attnrmt validate`: Monte Carlo check of the theory
// at finite size (include/attnrmt/monte_carlo.hpp, docs/monte_carlo.md).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "attnrmt/mc_scheme.hpp"
#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/rational.hpp"
#include "cli.hpp"

#if __has_include("attnrmt/correlation.hpp") && __has_include("attnrmt/weights.hpp")
#include "attnrmt/correlation.hpp"
#include "attnrmt/weights.hpp"
#define ATTNRMT_HAVE_SCHEMES 1
#else
#define ATTNRMT_HAVE_SCHEMES 0
#endif

namespace attnrmt::cli {
namespace {

std::string num(double x, int digits = 6) {
  if (!std::isfinite(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

double real_option(const Options& opts, const std::string& name, const std::string& fallback,
                   bool allow_zero) {
  std::string text = opts.get_or(name, fallback);
  if (text.empty()) throw UsageError("--" + name + " is required");
  Rational r = parse_single(text, "--" + name);
  require_range(r, "--" + name, allow_zero);
  return to_real<double>(r);
}

/// Progress bar on stderr, shown once a run has lasted more than a second
/// (only when stderr is a terminal, and not with --quiet).
class Progress {
 public:
  Progress(int total, bool enabled)
      : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(int done) {
    if (!enabled_) return;
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < 1.0 && done < total_) return;
    if (elapsed < 1.0 && !shown_) return;
    shown_ = true;
    const int width = 30;
    int filled = total_ > 0 ? width * done / total_ : width;
    std::cerr << "\rvalidate [" << std::string(filled, '#') << std::string(width - filled, ' ')
              << "] " << done << "/" << total_ << " replicates, " << num(elapsed, 3) << " s"
              << std::flush;
  }
  void finish() {
    if (shown_) std::cerr << "\n";
  }

 private:
  int total_;
  bool enabled_, shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

struct Run {
  mc::Config config;
  mc::Prediction prediction;
  std::vector<mc::QuantityReport> rows;
  std::vector<double> seconds;
  std::string scheme_note;
  int unconverged = 0;  ///< replicates whose eigen-solver stopped at its basis limit
};

/// Builds the configuration shared by both models from the options.
mc::Config read_config(const Options& opts, std::string& scheme_note) {
  mc::Config c;
  std::string model = opts.get_or("model", "gaussian");
  if (model == "gaussian")
    c.model = mc::Model::gaussian;
  else if (model == "tokens")
    c.model = mc::Model::tokens;
  else
    throw UsageError("--model must be gaussian or tokens (got '" + model + "')");
  c.d = parse_integer(opts.get_or("d", "500"), "--d", 2, 1000000);
  c.delta = real_option(opts, "delta", "", false);
  c.gamma = real_option(opts, "gamma", "", false);
  c.rho = real_option(opts, "rho", "1", true);
  if (opts.has("centered") && opts.has("uncentered"))
    throw UsageError("give at most one of --centered and --uncentered");
  c.centered = !opts.has("uncentered");
  unsigned hw = std::thread::hardware_concurrency();
  c.threads = static_cast<int>(
      parse_integer(opts.get_or("threads", std::to_string(hw ? hw : 1)), "--threads", 1, 256));
  std::string solver = opts.get_or("solver", "auto");
  if (solver == "auto")
    c.solver = mc::Solver::automatic;
  else if (solver == "dense")
    c.solver = mc::Solver::dense;
  else if (solver == "lanczos")
    c.solver = mc::Solver::lanczos;
  else
    throw UsageError("--solver must be auto, dense or lanczos (got '" + solver + "')");

  const bool scheme = opts.has("T") || opts.has("pooling") || opts.has("corr");
  if (scheme && opts.has("alpha-over-kappa"))
    throw UsageError("give either --alpha-over-kappa or --T/--pooling/--corr, not both");
  if (c.model == mc::Model::tokens && !scheme)
    throw UsageError(
        "--model tokens needs --T, --pooling and --corr (the token model samples sequences)");
  if (scheme) {
#if ATTNRMT_HAVE_SCHEMES
    int T = static_cast<int>(parse_integer(opts.get_or("T", "16"), "--T", 1, 100000));
    PositionalCorrelation R = PositionalCorrelation::from_spec(opts.get_or("corr", "identity"), T);
    T = R.length();
    if (c.model == mc::Model::tokens && !R.samplable())
      throw UsageError("--corr " + opts.get("corr") + " cannot be sampled: " + R.sampler_note());
    mc::apply_scheme(c, R, opts.get_or("pooling", "mean"));
    std::ostringstream note;
    note << "scheme: T = " << T << ", pooling " << opts.get_or("pooling", "mean") << ", corr "
         << opts.get_or("corr", "identity") << ": alpha/kappa = " << num(c.alpha_over_kappa, 10)
         << ", sigma^2/kappa = " << num(c.mean_strength, 10);
    scheme_note = note.str();
#else
    (void)scheme_note;
    throw UsageError(
        "--T/--pooling/--corr need the attention-weights module (not built into this binary)");
#endif
  } else {
    c.alpha_over_kappa = real_option(opts, "alpha-over-kappa", "", true);
    c.mean_strength = real_option(opts, "mean-strength", "0", true);
  }
  if (opts.has("mean-strength") && scheme)
    throw UsageError("--mean-strength is implied by --pooling; do not give both");
  return c;
}

Run run_one(const mc::Config& c, int seeds, std::uint64_t seed, Progress* progress,
            int done_before) {
  Run run;
  run.config = c;
  run.prediction = mc::predict(c);
  mc::check_memory(c);
  std::vector<mc::Measurement> ms;
  for (int s = 0; s < seeds; ++s) {
    mc::Replicate r = mc::simulate_replicate(c, seed, s);
    run.seconds.push_back(r.seconds);
    if (!r.eigensolver_converged) ++run.unconverged;
    ms.push_back(mc::measure(r, run.prediction));
    if (progress) progress->update(done_before + s + 1);
  }
  run.rows = mc::compare(ms, run.prediction);
  return run;
}

bool all_pass(const Run& r) {
  for (const auto& q : r.rows)
    if (q.available && !q.pass) return false;
  return true;
}

void add_run_notes(TextTable& t, const Run& run, int seeds, std::uint64_t seed) {
  const auto& s = run.prediction.sizes;
  const auto& c = run.config;
  std::ostringstream n1, n2, n3;
  n1 << "model " << (c.model == mc::Model::gaussian ? "gaussian" : "tokens") << ", d = " << s.d
     << ", V = " << s.V << ", N = " << s.N << " (delta = d/V = " << num(s.delta, 10)
     << ", gamma = d/N = " << num(s.gamma, 10) << "), rho = " << num(c.rho) << ", "
     << (c.centered ? "centred" : "uncentred");
  if (!c.weights.empty()) n1 << ", T = " << c.weights.size();
  n2 << "alpha/kappa = " << num(c.alpha_over_kappa, 8) << " (regime "
     << regime_name(run.prediction.regime) << "), " << run.prediction.outliers
     << " predicted outlier(s); eigenvalues in units of kappa";
  double mean_s = 0;
  for (double x : run.seconds) mean_s += x;
  mean_s /= static_cast<double>(run.seconds.size());
  n3 << seeds << " replicate(s), seed " << seed << ", "
     << (mc::resolved_solver(c) == mc::Solver::dense ? "dense" : "matrix-free Lanczos")
     << " solver, " << c.threads << " thread(s), " << num(mean_s, 3)
     << " s per replicate, peak memory "
     << num(static_cast<double>(mc::detail::peak_memory_bytes()) / (1 << 20), 4) << " MiB";
  t.notes.push_back(n1.str());
  if (!run.scheme_note.empty()) t.notes.push_back(run.scheme_note);
  t.notes.push_back(n2.str());
  t.notes.push_back(n3.str());
  if (run.unconverged > 0)
    t.notes.push_back(
        "warning: in " + std::to_string(run.unconverged) +
        " replicate(s) the block Krylov solver stopped at 1000 basis vectors before its "
        "residual test; the top eigenvalues are lower bounds");
  t.notes.push_back(
      "verdict: pass when |mean - theory| <= 3 stderr + finite-size allowance A (1000/d)^r (see "
      "docs/monte_carlo.md)");
  t.meta["model"] = c.model == mc::Model::gaussian ? "gaussian" : "tokens";
  t.meta["d"] = std::to_string(s.d);
  t.meta["V"] = std::to_string(s.V);
  t.meta["N"] = std::to_string(s.N);
  t.meta["seconds_per_replicate"] = num(mean_s, 4);
}

// ---- --from-table -----------------------------------------------------------

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  ///< line number of each data row
};

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cur += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (ch != '\r') {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--from-table: cannot open '" + path + "'");
  CsvTable t;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto fields = split_csv_line(line);
    if (t.header.empty()) {
      t.header = fields;
      continue;
    }
    if (fields.size() != t.header.size())
      throw UsageError("--from-table " + path + " line " + std::to_string(number) + ": " +
                       std::to_string(fields.size()) + " fields, the header has " +
                       std::to_string(t.header.size()));
    t.rows.push_back(fields);
    t.lines.push_back(number);
  }
  if (t.header.empty() || t.rows.empty())
    throw UsageError("--from-table " + path + ": no header or no data rows");
  return t;
}

/// 1-based row list: "1,3,5" or ranges "2-6".
std::vector<long> parse_row_list(const std::string& text, long max_row) {
  std::vector<long> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto dash = item.find('-');
    long a = parse_integer(item.substr(0, dash), "--rows", 1, max_row);
    long b =
        dash == std::string::npos ? a : parse_integer(item.substr(dash + 1), "--rows", 1, max_row);
    if (b < a) throw UsageError("--rows: range '" + item + "' is decreasing");
    for (long r = a; r <= b; ++r) out.push_back(r);
  }
  if (out.empty()) throw UsageError("--rows must list at least one row (1-based)");
  return out;
}

int run_from_table(const Options& opts, Format format) {
  const std::string path = opts.get("from-table");
  CsvTable table = read_csv(path);
  std::map<std::string, std::size_t> col;
  for (std::size_t j = 0; j < table.header.size(); ++j) col[table.header[j]] = j;
  for (const char* need : {"delta", "gamma", "alpha_over_kappa"})
    if (!col.count(need))
      throw UsageError("--from-table " + path + ": column '" + need +
                       "' is missing (the simulation needs delta, gamma, alpha_over_kappa; rho and "
                       "kappa default to 1)");
  const std::vector<std::pair<std::string, std::string>> compared = {
      {"lambda", "top_eigenvalue"},
      {"alignment_mu", "alignment_mu"},
      {"alignment_u", "alignment_u"}};
  bool any = false;
  for (const auto& q : compared) any = any || col.count(q.first);
  if (!any)
    throw UsageError("--from-table " + path +
                     ": no column to compare (need lambda, alignment_mu or alignment_u)");
  const long nrows = static_cast<long>(table.rows.size());
  std::vector<long> rows =
      opts.has("rows") ? parse_row_list(opts.get("rows"), nrows) : std::vector<long>{};
  if (rows.empty())
    for (long r = 1; r <= std::min(nrows, 5L); ++r) rows.push_back(r);
  const int seeds =
      static_cast<int>(parse_integer(opts.get_or("seeds", "3"), "--seeds", 1, 100000));
  const std::uint64_t seed =
      static_cast<std::uint64_t>(parse_integer(opts.get_or("seed", "1"), "--seed", 0, 1L << 62));
  unsigned hw = std::thread::hardware_concurrency();
  const int threads = static_cast<int>(
      parse_integer(opts.get_or("threads", std::to_string(hw ? hw : 1)), "--threads", 1, 256));
  const long d = parse_integer(opts.get_or("d", "500"), "--d", 2, 1000000);

  auto field = [&](long r, const std::string& name, const std::string& fallback) {
    std::string text = col.count(name) ? table.rows[r - 1][col[name]] : fallback;
    std::string where =
        "--from-table " + path + " line " + std::to_string(table.lines[r - 1]) + " column " + name;
    return to_real<double>(parse_rational(text, where));
  };
  TextTable t;
  t.columns = {"row",
               "delta",
               "gamma",
               "rho",
               "alpha_over_kappa",
               "quantity",
               "tabulated",
               "empirical_mean",
               "empirical_stderr",
               "verdict"};
  bool pass = true;
  Progress progress(static_cast<int>(rows.size()) * seeds, !opts.has("quiet") && isatty(2));
  int done = 0;
  for (long r : rows) {
    mc::Config c;
    c.d = d;
    c.threads = threads;
    c.delta = field(r, "delta", "");
    c.gamma = field(r, "gamma", "");
    c.rho = field(r, "rho", "1");
    c.alpha_over_kappa = field(r, "alpha_over_kappa", "");
    const double kappa = field(r, "kappa", "1");
    Run run = run_one(c, seeds, seed, &progress, done);
    done += seeds;
    for (const auto& q : compared) {
      if (!col.count(q.first)) continue;
      double tab = field(r, q.first, "");
      if (q.first == "lambda") tab /= kappa;
      const mc::QuantityReport* rep = nullptr;
      for (const auto& x : run.rows)
        if (x.quantity == q.second) rep = &x;
      const bool ok = !rep->judged || std::abs(rep->mean - tab) <= rep->tolerance;
      pass = pass && ok;
      t.rows.push_back({{std::to_string(r), true},
                        {table.rows[r - 1][col["delta"]], false},
                        {table.rows[r - 1][col["gamma"]], false},
                        {col.count("rho") ? table.rows[r - 1][col["rho"]] : "1", false},
                        {table.rows[r - 1][col["alpha_over_kappa"]], false},
                        {q.first == "lambda" ? "lambda/kappa" : q.first, false},
                        {num(tab, 8), true},
                        {num(rep->mean, 8), true},
                        {num(rep->stderr_, 3), true},
                        {!rep->judged ? "n/a"
                         : ok         ? "pass"
                                      : "fail",
                         false}});
    }
  }
  progress.finish();
  std::ostringstream note;
  note << "simulated rows of " << path << " with the gaussian model at d = " << d << ", " << seeds
       << " replicate(s), seed " << seed
       << "; pass when |mean - tabulated| <= 3 stderr + finite-size allowance";
  t.notes.push_back(note.str());
  emit(opts, t, format);
  return pass ? 0 : 1;
}

int run_validate(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  if (opts.has("from-table")) return run_from_table(opts, format);
  if (opts.has("rows")) throw UsageError("--rows needs --from-table FILE");
  const int seeds =
      static_cast<int>(parse_integer(opts.get_or("seeds", "3"), "--seeds", 1, 100000));
  const std::uint64_t seed =
      static_cast<std::uint64_t>(parse_integer(opts.get_or("seed", "1"), "--seed", 0, 1L << 62));
  std::string scheme_note;
  mc::Config c = read_config(opts, scheme_note);
  mc::predict(c);  // validates sizes before any work
  Progress progress(seeds, !opts.has("quiet") && isatty(2));
  Run run = run_one(c, seeds, seed, &progress, 0);
  run.scheme_note = scheme_note;
  progress.finish();

  TextTable t;
  if (format == Format::csv)
    t.columns = {"quantity", "theory", "empirical_mean", "empirical_stderr", "verdict"};
  else
    t.columns = {"quantity", "theory",    "empirical_mean", "empirical_stderr",
                 "z",        "tolerance", "verdict"};
  for (const auto& q : run.rows) {
    std::vector<TextCell> row;
    row.push_back({q.quantity, false});
    row.push_back({num(q.theory, 8), true});
    if (!q.available) {
      row.push_back({"n/a", false});
      row.push_back({"n/a", false});
      if (format != Format::csv) {
        row.push_back({"n/a", false});
        row.push_back({"n/a", false});
      }
      row.push_back({"n/a", false});
    } else {
      row.push_back({num(q.mean, 8), true});
      row.push_back({num(q.stderr_, 3), true});
      if (format != Format::csv) {
        row.push_back({q.stderr_ > 0 ? num(q.z, 3) : "n/a", q.stderr_ > 0});
        row.push_back({num(q.tolerance, 3), true});
      }
      row.push_back({!q.judged ? "n/a" : q.pass ? "pass" : "fail", false});
    }
    t.rows.push_back(std::move(row));
  }
  add_run_notes(t, run, seeds, seed);
  if (seeds < 2)
    t.notes.push_back("one replicate: no standard error, so no verdict (run --seeds 2 or more)");
  emit(opts, t, format);
  return all_pass(run) ? 0 : 1;
}

const CommandRegistrar validate_cmd{Command{
    "validate",
    "Monte Carlo check of the theory at finite size (eigenvalues, alignments, bulk)",
    "validate --delta D --gamma G (--alpha-over-kappa A | --T T --pooling P --corr R) [--model "
    "gaussian|tokens]\n"
    "               [--d D] [--rho R] [--centered|--uncentered] [--seeds S] [--seed BASE] "
    "[--threads K]\n"
    "               [--solver auto|dense|lanczos] [--format table|csv|json] [--out FILE]",
    "Simulates the model at dimension d (V = round(d/delta) tokens, N = round(d/gamma) sequences;\n"
    "the realised ratios d/V, d/N are reported and used by the theory) for S replicates and "
    "compares\n"
    "the top two eigenvalues of C/kappa, the squared cosines of the top eigenvector with mu and "
    "with\n"
    "u = mu + Z y/V, the Kolmogorov distance between the bulk's empirical spectral CDF (predicted\n"
    "outliers removed) and MP_delta ⊠ MP_gamma, and the bulk's first four moments with the "
    "theory.\n"
    "Verdict per quantity: pass when |mean - theory| <= 3 stderr + a finite-size allowance "
    "measured\n"
    "in docs/monte_carlo.md. Exit 0 when every verdict passes, 1 when any fails, 2 for bad input.\n"
    "Models: gaussian (the Gaussian-equivalent model, exact in law) and tokens (discrete tokens "
    "with\n"
    "a positional-correlation sampler). Solvers: dense (all eigenvalues; default for d <= 4000) "
    "and\n"
    "lanczos (matrix-free top eigenpairs, no bulk rows). The same --seed gives the same draws for "
    "any\n"
    "--threads.",
    {{"model", "M", "gaussian (default) or tokens"},
     {"d", "D", "dimension, integer >= 2 (default 500)"},
     {"delta", "D", "d/V, > 0"},
     {"gamma", "G", "d/N, > 0"},
     {"rho", "R", "||mu||^2, >= 0 (default 1)"},
     {"alpha-over-kappa", "A", "signal-to-noise ratio alpha/kappa >= 0 (gaussian model)"},
     {"mean-strength", "M",
      "sigma^2/kappa for the uncentred vocabulary-mean spike (gaussian, default 0)"},
     {"T", "T", "sequence length (with --pooling/--corr)"},
     {"pooling", "P", "pooling weights: mean | causal[:TAU] | optimal | last[:TAU] | file:PATH"},
     {"corr", "R", "positional correlation: latent:..., latent-exp:A,B, markov:r, file:PATH"},
     {"centered", "", "centred covariance (default)"},
     {"uncentered", "", "uncentred covariance H H^T/N"},
     {"seeds", "S", "number of replicates (default 3)"},
     {"seed", "BASE", "base seed (default 1)"},
     {"threads", "K", "threads (default: all cores)"},
     {"solver", "S", "auto (default: dense up to d = 4000), dense, lanczos"},
     {"from-table", "FILE", "simulate the rows of a table written by 'attnrmt table'"},
     {"rows", "LIST", "rows of --from-table to simulate (1-based list)"},
     {"quiet", "", "no progress bar (it is shown only on a terminal, after 1 s)"},
     {"format", "F", "output format: table (default), csv, json"},
     {"out", "FILE", "write to FILE (atomically) instead of stdout"}},
    run_validate}};

}  // namespace
}  // namespace attnrmt::cli
