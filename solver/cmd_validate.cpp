// solver/cmd_validate.cpp -- `attnrmt validate`: Monte Carlo check of the theory
// at finite size (include/attnrmt/monte_carlo.hpp, docs/monte_carlo.md).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "attnrmt/mc_scheme.hpp"
#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/rational.hpp"
#include "attnrmt/token_model_reach.hpp"
#include "cli.hpp"
#include "cli/progress.hpp"
#include "csv_reader.hpp"
#include "mpi_session.hpp"
#include "population_options.hpp"
#include "table_quantities.hpp"

#if __has_include("attnrmt/correlation.hpp") && __has_include("attnrmt/weights.hpp")
#include "attnrmt/correlation.hpp"
#include "attnrmt/weights.hpp"
#include "scheme_options.hpp"
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

/// A number column's cell: JSON null and an empty CSV field when x is not
/// finite (shown as "n/a").
TextCell num_cell(double x, int digits) {
  return std::isfinite(x) ? number_cell(num(x, digits)) : missing_cell("n/a");
}

double real_option(const Options& opts, const std::string& name, const std::string& fallback,
                   bool allow_zero) {
  std::string text = opts.get_or(name, fallback);
  if (text.empty()) throw UsageError("--" + name + " is required");
  return to_real<double>(parse_positive_rational(text, "--" + name, allow_zero));
}

/// --population / --signal (docs/population.md "Monte Carlo"): H = delta_1 with a
/// generic mu is the isotropic model and keeps its path (byte-identical output).
/// Population runs need the dense solver (all eigenvalues, interior eigenvectors).
void read_validate_population(const Options& opts, mc::Config& c) {
  if (!has_population(opts)) return;
  PopulationSpec spec = read_population(opts);
  if (spec.is_isotropic() && spec.atoms[0] == Rational(1) && !spec.signal.eigenvector) return;
  c.population = spec;
  if (mc::resolved_solver(c) != mc::Solver::dense)
    throw UsageError(
        "--population/--signal need the dense solver: give --d <= 4000 and not --solver lanczos "
        "(got --d " +
        std::to_string(c.d) + ", --solver " + opts.get_or("solver", "auto") + ")");
}

/// Builds the configuration shared by both models from the options.
mc::Config read_config(const Options& opts, std::string& scheme_note, int default_threads) {
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
  c.threads = static_cast<int>(
      parse_integer(opts.get_or("threads", std::to_string(default_threads)), "--threads", 1, 256));
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
    int T = static_cast<int>(parse_integer(opts.get_or("T", "16"), "--T", 1, max_sequence_length));
    PositionalCorrelation R = correlation_from_options(opts.get_or("corr", "identity"), T);
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
  read_validate_population(opts, c);
  return c;
}

/// One configuration to simulate (the command's, or one row of --from-table).
struct Job {
  mc::Config config;
  mc::Prediction prediction;
};

/// --distribute: how the ranks of an MPI job share the work. ensemble: each
/// replicate runs on one rank; replicate: every replicate runs on all ranks,
/// its stored matrix split by column blocks (mc/column_split.hpp).
enum class Distribution { ensemble, replicate };

Distribution read_distribution(const Options& opts) {
  const std::string how = opts.get_or("distribute", "ensemble");
  if (how == "ensemble") return Distribution::ensemble;
  if (how == "replicate") return Distribution::replicate;
  throw UsageError("--distribute must be ensemble or replicate (got '" + how + "')");
}

/// --distribute replicate: the matrix-free solver (auto means lanczos), at
/// least one column block per rank, and each rank's share within its memory.
/// Checked before any work, so that rank 0 reports bad input once.
void prepare_distribution(mc::Config& c, Distribution how, const mpi::Session& session) {
  if (how != Distribution::replicate) return;
  if (c.solver == mc::Solver::dense)
    throw UsageError(
        "--distribute replicate splits the matrix-free solver's stored matrix over the ranks; it "
        "cannot be combined with --solver dense");
  c.solver = mc::Solver::lanczos;
  const mc::Sizes s = mc::realised_sizes(c);
  try {
    mc::split_columns(c.model == mc::Model::tokens ? s.V : s.N, session.size(), 0);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--distribute replicate: ") + e.what());
  }
  // The same check on every rank, before any work: rank 0 reports it once.
  mc::check_memory(c, session.local_size(), session.size());
}

/// What one replicate contributes to the report.
struct TaskResult {
  mc::Measurement measurement;
  double seconds = 0;
  bool converged = true;
};

// Byte encoding of a TaskResult (doubles copied bit for bit, so the ranks'
// results are reassembled exactly as a single process computed them).
void put_double(std::string& out, double x) {
  char b[sizeof(double)];
  std::memcpy(b, &x, sizeof b);
  out.append(b, sizeof b);
}

double get_double(const std::string& in, std::size_t& pos) {
  if (pos + sizeof(double) > in.size()) throw std::runtime_error("MPI gather: truncated results");
  double x;
  std::memcpy(&x, in.data() + pos, sizeof x);
  pos += sizeof x;
  return x;
}

void encode(std::string& out, long task, const TaskResult& t) {
  const auto& m = t.measurement;
  put_double(out, static_cast<double>(task));
  for (double x :
       {m.sound ? 1.0 : 0.0, m.top, m.second, m.alignment_mu, m.alignment_u, m.has_bulk ? 1.0 : 0.0,
        m.bulk_ks, m.moments[0], m.moments[1], m.moments[2], m.moments[3], t.seconds,
        t.converged ? 1.0 : 0.0, static_cast<double>(m.unsound_reason.size())})
    put_double(out, x);
  out += m.unsound_reason;
  for (double x :
       {m.alignment_mean, m.alignment_mu_pair, m.alignment_u_pair, m.alignment_mean_pair})
    put_double(out, x);
  put_double(out, static_cast<double>(m.gap_eigenvalue.size()));
  for (std::size_t j = 0; j < m.gap_eigenvalue.size(); ++j)
    for (double x : {m.gap_eigenvalue[j], m.gap_alignment_mu[j], m.gap_alignment_u[j]})
      put_double(out, x);
}

long decode(const std::string& in, std::size_t& pos, TaskResult& t) {
  auto& m = t.measurement;
  const long task = static_cast<long>(get_double(in, pos));
  m.sound = get_double(in, pos) != 0;
  m.top = get_double(in, pos);
  m.second = get_double(in, pos);
  m.alignment_mu = get_double(in, pos);
  m.alignment_u = get_double(in, pos);
  m.has_bulk = get_double(in, pos) != 0;
  m.bulk_ks = get_double(in, pos);
  for (double& x : m.moments) x = get_double(in, pos);
  t.seconds = get_double(in, pos);
  t.converged = get_double(in, pos) != 0;
  const auto len = static_cast<std::size_t>(get_double(in, pos));
  if (pos + len > in.size()) throw std::runtime_error("MPI gather: truncated results");
  m.unsound_reason = in.substr(pos, len);
  pos += len;
  for (double* x :
       {&m.alignment_mean, &m.alignment_mu_pair, &m.alignment_u_pair, &m.alignment_mean_pair})
    *x = get_double(in, pos);
  const auto gaps = static_cast<std::size_t>(get_double(in, pos));
  for (std::size_t j = 0; j < gaps; ++j) {
    m.gap_eigenvalue.push_back(get_double(in, pos));
    m.gap_alignment_mu.push_back(get_double(in, pos));
    m.gap_alignment_u.push_back(get_double(in, pos));
  }
  return task;
}

/// Runs replicates 0..seeds-1 of every job: task t = (job t / seeds, replicate
/// t % seeds) runs on rank t mod P; every rank receives every result. The
/// draws depend only on (seed, replicate), so the results, and the report
/// built from them in task order, are those of a single process.
std::vector<std::vector<TaskResult>> run_tasks(const mpi::Session& session,
                                               const std::vector<Job>& jobs, int seeds,
                                               std::uint64_t seed, ProgressBar& progress,
                                               Distribution how) {
  const long total = static_cast<long>(jobs.size()) * seeds;
  std::string local;
  // Testing hook (scripts/test-mpi): ATTNRMT_TEST_FAIL_RANK=R makes rank R
  // fail after its first replicate (ensemble) or in its 10th block-product
  // sum (replicate), as a rank that runs out of memory would.
  const char* fail_rank = std::getenv("ATTNRMT_TEST_FAIL_RANK");
  const bool inject = fail_rank != nullptr && std::atoi(fail_rank) == session.rank();
  if (how == Distribution::replicate) {
    // Every rank runs every replicate on its columns and ends with the same
    // results (equal to one process's to double rounding): nothing to gather.
    std::vector<std::vector<TaskResult>> results(jobs.size(), std::vector<TaskResult>(seeds));
    const mpi::MpiReducer reducer(session, inject ? 10 : -1);
    mpi::run_or_abort(session, "validate", [&]() {
      for (const auto& job : jobs)
        mc::check_memory(job.config, session.local_size(), session.size());
      for (long t = 0; t < total; ++t) {
        const Job& job = jobs[static_cast<std::size_t>(t / seeds)];
        mc::Replicate r =
            mc::simulate_replicate(job.config, seed, static_cast<int>(t % seeds), reducer);
        TaskResult& tr =
            results[static_cast<std::size_t>(t / seeds)][static_cast<std::size_t>(t % seeds)];
        tr.measurement = mc::measure(r, job.prediction);
        tr.seconds = r.seconds;
        tr.converged = r.eigensolver_converged;
        progress.update(static_cast<int>(t + 1));
      }
    });
    return results;
  }
  mpi::run_or_abort(session, "validate", [&]() {
    for (const auto& job : jobs) mc::check_memory(job.config, session.local_size());
    long done = 0;
    for (long t = session.rank(); t < total; t += session.size()) {
      const Job& job = jobs[static_cast<std::size_t>(t / seeds)];
      mc::Replicate r = mc::simulate_replicate(job.config, seed, static_cast<int>(t % seeds));
      TaskResult tr;
      tr.measurement = mc::measure(r, job.prediction);
      tr.seconds = r.seconds;
      tr.converged = r.eigensolver_converged;
      encode(local, t, tr);
      ++done;
      if (inject)
        throw std::runtime_error("injected failure after replicate " + std::to_string(t) +
                                 " (ATTNRMT_TEST_FAIL_RANK)");
      progress.update(static_cast<int>(std::min(total, done * session.size())));
    }
  });
  std::vector<std::vector<TaskResult>> results(jobs.size(), std::vector<TaskResult>(seeds));
  std::vector<char> seen(static_cast<std::size_t>(total), 0);
  for (const std::string& part : mpi::allgather(session, local)) {
    std::size_t pos = 0;
    while (pos < part.size()) {
      TaskResult tr;
      const long t = decode(part, pos, tr);
      if (t < 0 || t >= total) throw std::runtime_error("MPI gather: bad task index");
      results[static_cast<std::size_t>(t / seeds)][static_cast<std::size_t>(t % seeds)] = tr;
      seen[static_cast<std::size_t>(t)] = 1;
    }
  }
  for (char s : seen)
    if (!s) throw std::runtime_error("MPI gather: a replicate's result is missing");
  return results;
}

struct Run {
  mc::Config config;
  mc::Prediction prediction;
  std::vector<mc::QuantityReport> rows;
  std::vector<double> seconds;
  std::string scheme_note;
  int unconverged = 0;  ///< replicates whose eigen-solver stopped at its basis limit
};

Run make_run(const Job& job, const std::vector<TaskResult>& results) {
  Run run;
  run.config = job.config;
  run.prediction = job.prediction;
  std::vector<mc::Measurement> ms;
  for (const auto& tr : results) {
    ms.push_back(tr.measurement);
    run.seconds.push_back(tr.seconds);
    if (!tr.converged) ++run.unconverged;
  }
  run.rows = mc::compare(ms, run.prediction);
  return run;
}

/// Sets up a job: the prediction and the up-front checks (sizes, dynamic range).
Job make_job(const mc::Config& c, bool finite_t_law = false) {
  Job job;
  job.config = c;
  job.prediction = mc::predict(c);
  if (finite_t_law) {
    // The discrete-token model's finite-T law (docs/theory.md §7) replaces the
    // asymptotic one for the bulk: its CDF, the classical locations of the top
    // two bulk eigenvalues at the realised d (where no outlier takes the rank),
    // and the bulk moments (1 to 3 as the asymptotic law's, 4 exact for one position).
    mc::Prediction& p = job.prediction;
    p.finite_t =
        mc::make_finite_t_reference(c.weights, p.sizes.delta, p.sizes.gamma, p.sizes.d, c.threads);
    std::vector<double> ranked;
    if (p.signal_outlier) ranked.push_back(p.signal_eigenvalue);
    if (p.mean_outlier) ranked.push_back(p.mean_eigenvalue);
    std::sort(ranked.rbegin(), ranked.rend());
    ranked.push_back(p.finite_t->top);
    ranked.push_back(p.finite_t->second);
    p.top = ranked[0];
    p.second = ranked[1];
    for (int k = 0; k < 4; ++k) p.moments[k] = p.finite_t->moments[k];
  }
  mc::check_dynamic_range(c, job.prediction);
  return job;
}

/// --law asymptotic (default) or finite-T (the tokens model only, isotropic).
bool read_finite_t_law(const Options& opts, const mc::Config& c) {
  const std::string law = opts.get_or("law", "asymptotic");
  if (law == "asymptotic") return false;
  if (law != "finite-T")
    throw UsageError("--law must be asymptotic or finite-T (got '" + law + "')");
  if (c.model != mc::Model::tokens)
    throw UsageError(
        "--law finite-T is the law of --model tokens (the Gaussian-equivalent "
        "model's law is the asymptotic one)");
  if (c.population)
    throw UsageError("--law finite-T is not available with --population (isotropic only)");
  return true;
}

bool any_fail(const Run& r) {
  for (const auto& q : r.rows)
    if (q.verdict == mc::Verdict::fail) return true;
  return false;
}

/// Default --threads: the cores, shared by the ranks of this node.
int default_threads(const mpi::Session& session) {
  unsigned hw = std::thread::hardware_concurrency();
  return std::max(1, static_cast<int>(hw ? hw : 1) / session.local_size());
}

const char* verdict_rule_note() {
  return "verdict: pass when |mean - theory| <= 3 stderr; finite-size when beyond that but within "
         "3 stderr + the finite-size allowance A (1000/d)^r on the side where the finite-size gap "
         "was measured (the asymptotic law is not reached at this d); fail otherwise (see "
         "docs/monte_carlo.md); exit 1 when any row fails";
}

/// The population line of a population run's notes.
std::string population_note(const mc::Config& c, const mc::Prediction& p) {
  const auto& r = p.population->realised;
  std::ostringstream n;
  n << "population " << c.population->label << ": Sigma diagonal with";
  for (std::size_t k = 0; k < r.counts.size(); ++k)
    n << (k ? ", " : " ") << r.counts[k] << " x " << num(to_real<double>(r.spec.atoms[k]), 10);
  n << " (m1 = " << num(to_real<double>(r.spec.power_moment(1)), 10) << "), mu "
    << (r.signal_index >= 0
            ? "an eigenvector (s_mu = " + rational_to_string(c.population->signal.eigenvalue) + ")"
            : std::string("generic (uniform direction)"))
    << "; theory H_d ⊠ MP ⊠ MP (docs/theory.md §6), " << p.gaps.size()
    << " gap outlier(s) predicted (rows gap_J_...)";
  return n.str();
}

void add_run_notes(TextTable& t, const Run& run, int seeds, std::uint64_t seed, int ranks,
                   bool timing_note, bool split_replicates) {
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
     << " solver, " << c.threads << " thread(s)";
  t.notes.push_back(n1.str());
  if (run.prediction.finite_t) {
    const auto& f = *run.prediction.finite_t;
    t.notes.push_back(
        "law: finite-T (the discrete-token model at fixed T, docs/finite_t.md): bulk_ks against "
        "its CDF, the top bulk eigenvalues shown (not judged) at their classical locations at "
        "this d (" +
        num(f.top, 6) + ", " + num(f.second, 6) +
        "), moments 1-4 exact (theory §7.4: 1-3 those of the asymptotic law)" +
        "; population dynamics, pool " + std::to_string(f.settings.pool) + ", " +
        std::to_string(f.settings.replicas) + " replicas");
  } else {
    t.notes.push_back(
        "law: asymptotic kappa (MP_delta ⊠ MP_gamma) (exact for the "
        "Gaussian-equivalent model; --law finite-T for the tokens model at short "
        "or concentrated attention)");
  }
  if (run.prediction.out_of_reach_tokens > 0) {
    const bool finite_t = run.prediction.finite_t != nullptr;
    t.notes.push_back(
        "reach: the tokens model with T_eff = " + num(run.prediction.out_of_reach_tokens, 4) +
        " effective tokens (< " + num(token_model_minimum_effective_tokens(), 3) +
        ") is outside the asymptotic law's reach: the outlier and alignment rows" +
        (finite_t ? "" : " and bulk_ks") +
        " get no finite-size allowance (the deviations from docs/theory.md §2-§3 there do not "
        "shrink with d; docs/finite_t.md, docs/finite_t_outliers.md), so a fail may be the model "
        "leaving those formulas" +
        (finite_t ? "; the bulk rows are judged against the finite-T law"
                  : "; --law finite-T gives the bulk's own law"));
  }
  if (run.prediction.population) t.notes.push_back(population_note(c, run.prediction));
  if (!run.scheme_note.empty()) t.notes.push_back(run.scheme_note);
  t.notes.push_back(n2.str());
  if (run.prediction.close_pair)
    t.notes.push_back(
        "outlier pair: signal " + num(run.prediction.signal_eigenvalue) + ", vocabulary mean " +
        num(run.prediction.mean_eigenvalue) +
        " are close (mixing estimate lambda_s lambda_m / (N " +
        "gap^2) = " + num(run.prediction.pair_mixing, 3) +
        " > 0.001): the rows *_pair compare the alignments summed over the top two eigenvectors "
        "with the summed predictions; the single-eigenvector alignment rows get no verdict");
  t.notes.push_back(n3.str());
  // Timing and memory vary from run to run (and with the number of MPI ranks):
  // one line of their own, so that the rest of the output can be compared.
  if (timing_note) {
    std::ostringstream timing;
    timing << "timing: " << num(mean_s, 3) << " s per replicate, peak memory "
           << num(static_cast<double>(mc::peak_memory_bytes()) / (1 << 20), 4) << " MiB (rank 0)";
    if (ranks > 1)
      timing << ", " << ranks << " MPI ranks"
             << (split_replicates ? " (each replicate split over them)" : "");
    t.notes.push_back(timing.str());
  }
  if (run.unconverged > 0)
    t.notes.push_back(
        "warning: in " + std::to_string(run.unconverged) +
        " replicate(s) the block Krylov solver stopped at 1000 basis vectors before its "
        "residual test; the top eigenvalues are lower bounds and get no verdict");
  std::vector<std::string> reasons;
  for (const auto& q : run.rows)
    if (q.available && !q.judged &&
        std::find(reasons.begin(), reasons.end(), q.no_verdict_reason) == reasons.end())
      reasons.push_back(q.no_verdict_reason);
  for (const auto& r : reasons) t.notes.push_back("no verdict: " + r);
  if (seeds >= 2 && seeds < 5)
    t.notes.push_back("with " + std::to_string(seeds) +
                      " replicates the standard error is itself uncertain (S - 1 degrees of "
                      "freedom): run --seeds 10 or more before trusting a fail");
  t.notes.push_back(verdict_rule_note());
  t.meta["model"] = text_cell(c.model == mc::Model::gaussian ? "gaussian" : "tokens");
  t.meta["law"] = text_cell(run.prediction.finite_t ? "finite-T" : "asymptotic");
  t.meta["d"] = number_cell(std::to_string(s.d));
  t.meta["V"] = number_cell(std::to_string(s.V));
  t.meta["N"] = number_cell(std::to_string(s.N));
  if (timing_note) t.meta["seconds_per_replicate"] = number_cell(num(mean_s, 4));
}

// ---- --from-table -----------------------------------------------------------

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

/// The --from-table document; "-" is stdin, read by rank 0 (the only rank an
/// MPI launcher gives stdin to) and shared with the others.
CsvDocument read_table(const mpi::Session& session, const std::string& path) {
  if (path != "-" || session.size() == 1) return read_csv_file(path);
  std::string text;
  if (session.root()) {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  }
  text = mpi::allgather(session, session.root() ? text : std::string()).front();
  return parse_csv(text, "stdin");
}

int run_from_table(const Options& opts, Format format, const mpi::Session& session) {
  if (has_population(opts))
    throw UsageError(
        "--from-table simulates isotropic table rows; --population/--signal are not taken with it");
  const std::string path = opts.get("from-table");
  const std::string shown = path == "-" ? "stdin" : path;
  CsvDocument table = read_table(session, path);
  if (table.header.empty() || table.rows.empty())
    throw UsageError("--from-table " + shown + ": no header or no data rows");
  std::map<std::string, std::size_t> col;
  for (std::size_t j = 0; j < table.header.size(); ++j) col[table.header[j]] = j;
  // Rows of a population table would be simulated as isotropic: refuse them.
  for (const char* name : {"population", "signal"})
    if (col.count(name))
      throw UsageError("--from-table " + shown + ": column '" + name +
                       "': --from-table simulates isotropic rows only (use 'validate "
                       "--population SPEC' with the row's parameters)");
  // The catalogue quantities a replicate measures (attnrmt/quantities.hpp), with
  // the Monte Carlo report row of each.
  const std::vector<std::pair<std::string, std::string>> compared = {
      {"lambda", "top_eigenvalue"},
      {"alignment_mu", "alignment_mu"},
      {"alignment_u", "alignment_u"}};
  std::vector<const QuantityInfo*> present;
  for (const auto& q : compared)
    if (col.count(q.first)) present.push_back(find_quantity(q.first));
  if (present.empty())
    throw UsageError("--from-table " + shown +
                     ": no column to compare (need lambda, alignment_mu or alignment_u)");
  // Their parameters (the catalogue's domains and defaults); the simulation
  // needs rho and kappa too, which default to 1.
  for (const auto& name : needed_parameters(present))
    if (!col.count(name) && find_parameter(name)->default_value.empty())
      throw UsageError("--from-table " + shown + ": column '" + name +
                       "' is missing (needed by the compared quantities; rho and kappa default "
                       "to 1)");
  const long nrows = static_cast<long>(table.rows.size());
  std::vector<long> rows =
      opts.has("rows") ? parse_row_list(opts.get("rows"), nrows) : std::vector<long>{};
  if (rows.empty())
    for (long r = 1; r <= std::min(nrows, 5L); ++r) rows.push_back(r);
  const int seeds =
      static_cast<int>(parse_integer(opts.get_or("seeds", "3"), "--seeds", 1, 100000));
  const std::uint64_t seed =
      static_cast<std::uint64_t>(parse_integer(opts.get_or("seed", "1"), "--seed", 0, 1L << 62));
  const int threads = static_cast<int>(parse_integer(
      opts.get_or("threads", std::to_string(default_threads(session))), "--threads", 1, 256));
  const long d = parse_integer(opts.get_or("d", "500"), "--d", 2, 1000000);
  const Distribution how = read_distribution(opts);

  auto cell = [&](long r, const std::string& name) -> const std::string& {
    return table.rows[static_cast<std::size_t>(r - 1)].fields[col[name]];
  };
  // A parameter or a tabulated value of row r; parameters are checked against
  // their catalogue domain, absent ones take the catalogue default.
  auto field = [&](long r, const std::string& name) {
    const ParameterInfo* p = find_parameter(name);
    std::string text = col.count(name) ? cell(r, name) : p ? p->default_value : "";
    std::string where = "--from-table " + shown + " line " +
                        std::to_string(table.rows[static_cast<std::size_t>(r - 1)].line) +
                        " column " + name;
    Rational value = parse_rational(text, where);
    if (p) require_parameter_range(*p, value, where + ": ");
    return to_real<double>(value);
  };
  std::vector<Job> jobs;
  for (long r : rows) {
    mc::Config c;
    c.d = d;
    c.threads = threads;
    c.delta = field(r, "delta");
    c.gamma = field(r, "gamma");
    c.rho = field(r, "rho");
    c.alpha_over_kappa = field(r, "alpha_over_kappa");
    prepare_distribution(c, how, session);
    jobs.push_back(make_job(c));
  }
  ProgressBar progress("validate", "replicates", jobs.size() * static_cast<std::size_t>(seeds),
                       session.root() && !opts.has("quiet") && isatty(2));
  auto results = run_tasks(session, jobs, seeds, seed, progress, how);
  progress.finish();

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
  bool fail = false;
  std::vector<std::string> reasons;
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    const long r = rows[k];
    Run run = make_run(jobs[k], results[k]);
    const double kappa = field(r, "kappa");
    for (const auto& q : compared) {
      if (!col.count(q.first)) continue;
      double tab = field(r, q.first);
      if (q.first == "lambda") tab /= kappa;
      const mc::QuantityReport& rep = mc::find_report(run.rows, q.second);
      // The tabulated value takes the theory's place; allowance as for the theory.
      const mc::Verdict v = rep.judged ? mc::judge(rep.mean - tab, rep.stderr_, rep.allowance,
                                                   rep.allowance_direction)
                                       : mc::Verdict::none;
      if (!rep.judged &&
          std::find(reasons.begin(), reasons.end(), rep.no_verdict_reason) == reasons.end())
        reasons.push_back(rep.no_verdict_reason);
      fail = fail || v == mc::Verdict::fail;
      t.rows.push_back({{std::to_string(r), true},
                        {cell(r, "delta"), false},
                        {cell(r, "gamma"), false},
                        {col.count("rho") ? cell(r, "rho") : "1", false},
                        {cell(r, "alpha_over_kappa"), false},
                        {q.first == "lambda" ? "lambda/kappa" : q.first, false},
                        num_cell(tab, 8),
                        num_cell(rep.mean, 8),
                        num_cell(rep.stderr_, 3),
                        {mc::verdict_name(v), false}});
    }
  }
  std::ostringstream note;
  note << "simulated rows of " << shown << " with the gaussian model at d = " << d << ", " << seeds
       << " replicate(s), seed " << seed << ", " << threads << " thread(s)";
  t.notes.push_back(note.str());
  for (const auto& r : reasons) t.notes.push_back("no verdict: " + r);
  t.notes.push_back(verdict_rule_note());
  if (session.root()) emit(opts, t, format);
  return fail ? 1 : 0;
}

int run_single(const Options& opts, Format format, const mpi::Session& session) {
  if (opts.has("rows")) throw UsageError("--rows needs --from-table FILE");
  const int seeds =
      static_cast<int>(parse_integer(opts.get_or("seeds", "3"), "--seeds", 1, 100000));
  const std::uint64_t seed =
      static_cast<std::uint64_t>(parse_integer(opts.get_or("seed", "1"), "--seed", 0, 1L << 62));
  std::string scheme_note;
  mc::Config c = read_config(opts, scheme_note, default_threads(session));
  const Distribution how = read_distribution(opts);
  prepare_distribution(c, how, session);
  const bool finite_t_law = read_finite_t_law(opts, c);
  std::vector<Job> jobs{make_job(c, finite_t_law)};
  ProgressBar progress("validate", "replicates", static_cast<std::size_t>(seeds),
                       session.root() && !opts.has("quiet") && isatty(2));
  auto results = run_tasks(session, jobs, seeds, seed, progress, how);
  progress.finish();
  Run run = make_run(jobs[0], results[0]);
  run.scheme_note = scheme_note;

  // The same columns in every format (table, csv, json).
  TextTable t;
  t.columns = {"quantity", "theory",    "empirical_mean", "empirical_stderr",
               "z",        "tolerance", "verdict"};
  for (const auto& q : run.rows) {
    std::vector<TextCell> row;
    row.push_back({q.quantity, false});
    row.push_back(num_cell(q.theory, 8));
    if (!q.available) {
      for (int k = 0; k < 4; ++k) row.push_back(missing_cell("n/a"));
      row.push_back({"n/a", false});
    } else {
      row.push_back(num_cell(q.mean, 8));
      row.push_back(num_cell(q.stderr_, 3));
      row.push_back(q.stderr_ > 0 ? num_cell(q.z, 3) : missing_cell("n/a"));
      row.push_back(num_cell(q.tolerance, 3));
      row.push_back({mc::verdict_name(q.verdict), false});
    }
    t.rows.push_back(std::move(row));
  }
  add_run_notes(t, run, seeds, seed, session.size(), !opts.has("no-timing"),
                how == Distribution::replicate);
  if (session.root()) emit(opts, t, format);
  return any_fail(run) ? 1 : 0;
}

int run_validate(const Options& opts) {
  mpi::Session session;
  auto body = [&]() {
    Format format = parse_format(opts.get_or("format", "table"), false);
    if (opts.has("from-table")) return run_from_table(opts, format, session);
    return run_single(opts, format, session);
  };
  if (session.size() == 1) return body();
  // Errors before the distributed work are the same on every rank (the options
  // are the same): rank 0 reports them, the others exit with the same code.
  // mpirun ends the job at the first non-zero exit, so rank 0 writes its line
  // first and then every rank meets (mpi::meet_before_exit) before leaving.
  // Errors during the work end the job (mpi::run_or_abort). The other ranks
  // write nothing, so output options are left unread there: rank 0 checks them.
  if (session.root()) {
    try {
      return body();
    } catch (const ReportedError&) {
      throw;
    } catch (const std::exception& e) {
      const int code = report_error("validate", e, std::cerr);
      std::cerr.flush();
      mpi::meet_before_exit(session);
      throw ReportedError(code);
    }
  }
  try {
    const int rc = body();
    opts.mark_all_used();
    return rc;
  } catch (const std::exception& e) {
    mpi::meet_before_exit(session);
    return dynamic_cast<const std::invalid_argument*>(&e) ? 2 : 1;
  }
}

const CommandRegistrar validate_cmd{Command{
    "validate",
    "Monte Carlo check of the theory at finite size (eigenvalues, alignments, bulk)",
    "validate --delta D --gamma G (--alpha-over-kappa A | --T T --pooling P --corr R) [--model "
    "gaussian|tokens]\n"
    "               [--d D] [--rho R] [--centered|--uncentered] [--seeds S] [--seed BASE] "
    "[--threads K]\n"
    "               [--solver auto|dense|lanczos] [--distribute ensemble|replicate]\n"
    "               [--population SPEC [--signal DIR]] [--format table|csv|json] [--out FILE]",
    "Simulates the model at dimension d (V = round(d/delta) tokens, N = round(d/gamma) sequences;\n"
    "the realised ratios d/V, d/N are reported and used by the theory) for S replicates and "
    "compares\n"
    "the top two eigenvalues of C/kappa, the squared cosines of the top eigenvector with mu and "
    "with\n"
    "u = mu + Z y/V, the Kolmogorov distance between the bulk's empirical spectral CDF (predicted\n"
    "outliers removed) and MP_delta ⊠ MP_gamma, and the bulk's first four moments with the "
    "theory.\n"
    "Verdict per quantity: pass when |mean - theory| <= 3 stderr; finite-size when beyond that "
    "but within\n"
    "3 stderr + the finite-size allowance measured in docs/monte_carlo.md, on the side where that "
    "gap was\n"
    "measured (the asymptotic law is not reached at this d); fail otherwise; n/a with the reason "
    "in a note\n"
    "(one replicate, unsound sample). For the tokens model outside the asymptotic law's reach "
    "(T_eff < 2.83,\n"
    "docs/finite_t.md) the outlier, alignment and bulk_ks rows get no allowance (a note says "
    "so). "
    "Parameters whose outlier is too far above the bulk for the "
    "solver's\n"
    "precision are refused up front. Exit 0 when no verdict fails, 1 when any fails, 2 for bad "
    "input.\n"
    "Under 'mpirun -n P attnrmt validate ...' (MPI build) the replicates and --from-table rows are "
    "split\n"
    "over the ranks and rank 0 prints the same report as one process with the same --threads.\n"
    "With --distribute replicate every replicate runs on all ranks instead: the matrix-free "
    "solver's\n"
    "d x V table (tokens) or d x N noise matrix (gaussian) is split by column blocks over the "
    "ranks,\n"
    "each rank holds about 1/P of it plus the Krylov basis, and the block products are summed by\n"
    "MPI_Allreduce (for one d too large for one process); the results are one process's with "
    "the\n"
    "same --threads, to rounding (docs/monte_carlo.md, \"One replicate over ranks\").\n"
    "Models: gaussian (the Gaussian-equivalent model, exact in law) and tokens (discrete tokens "
    "with\n"
    "a positional-correlation sampler). Solvers: dense (all eigenvalues; default for d <= 4000) "
    "and\n"
    "lanczos (matrix-free top eigenpairs, no bulk rows). The same --seed gives the same draws for "
    "any\n"
    "--threads.\n"
    "With --population SPEC (and --signal generic|eigenvector:S) the table is E = mu y^T + "
    "Sigma^{1/2} Z,\n"
    "Sigma diagonal with the spectrum H (dense solver only); the theory is H ⊠ MP_delta ⊠ "
    "MP_gamma with\n"
    "the spike of docs/theory.md §6, and each predicted outlier inside a gap of a split support "
    "gets\n"
    "rows gap_J_eigenvalue, gap_J_alignment_mu, gap_J_alignment_u (docs/population.md).\n"
    "Uncentred (--uncentered) with a predicted vocabulary-mean outlier: row alignment_mean (its\n"
    "eigenvector's squared cosine with Z 1/V); when the signal and mean outliers are close\n"
    "(mixing estimate lambda_s lambda_m / (N gap^2) > 0.001) rows alignment_mu_pair,\n"
    "alignment_u_pair, alignment_mean_pair compare the sums over the top two eigenvectors with "
    "the\n"
    "summed predictions, and the single-eigenvector alignment rows get no verdict "
    "(docs/theory.md,\n"
    "\"The vocabulary-mean outlier's alignment\").",
    {{"model", "M", "gaussian (default) or tokens"},
     {"law", "L",
      "asymptotic (default) or finite-T: the tokens model's law at fixed T (docs/finite_t.md)"},
     {"d", "D", "dimension, integer >= 2 (default 500)"},
     {"delta", "D", "d/V, > 0"},
     {"gamma", "G", "d/N, > 0"},
     {"rho", "R", "||mu||^2, >= 0 (default 1)"},
     {"alpha-over-kappa", "A", "signal-to-noise ratio alpha/kappa >= 0 (gaussian model)"},
     {"mean-strength", "M",
      "sigma^2/kappa for the uncentred vocabulary-mean spike (gaussian, default 0)"},
     {"T", "T", "sequence length (with --pooling/--corr)"},
     {"pooling", "P", "pooling weights: mean | causal[:TAU] | optimal | last[:TAU] | file:PATH"},
     {"corr", "R",
      "positional correlation: identity (default), markov:R, latent-exp:A,L, latent:P1,..., "
      "file:PATH"},
     {"centered", "", "centred covariance (default)"},
     {"uncentered", "", "uncentred covariance H H^T/N"},
     {"seeds", "S", "number of replicates (default 3)"},
     {"seed", "BASE", "base seed (default 1)"},
     {"threads", "K",
      "threads per process (default: all cores, shared by the MPI ranks of a node)"},
     {"solver", "S", "auto (default: dense up to d = 4000), dense, lanczos"},
     {"distribute", "HOW",
      "under mpirun: ensemble (default: replicates and rows spread over the ranks) or replicate "
      "(each replicate split over all ranks; matrix-free solver, --solver auto means lanczos)"},
     {"from-table", "FILE",
      "simulate the rows of a table written by 'attnrmt table' ('-' reads stdin)"},
     {"rows", "LIST", "rows of --from-table to simulate (1-based list)"},
     {"quiet", "", "no progress bar (it is shown only on a terminal, after 1 s)"},
     {"no-timing", "",
      "omit the timing/memory note, so that reruns (any number of MPI ranks) print identical "
      "bytes"},
     {"format", "F", "output format: table (default), csv, json"},
     {"out", "FILE", "write to FILE (atomically) instead of stdout"},
     population_option_specs()[0],
     population_option_specs()[1]},
    run_validate}};

}  // namespace
}  // namespace attnrmt::cli
