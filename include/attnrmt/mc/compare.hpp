// attnrmt/mc/compare.hpp -- the validation report: S replicates' measurements
// aggregated (mean and standard error, mc/statistics.hpp) and set against the
// theory (mc/predict.hpp) with the verdict rule of mc/verdict.hpp, one row per
// quantity (docs/monte_carlo.md).
#pragma once

#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/mc/config.hpp"
#include "attnrmt/mc/measure.hpp"
#include "attnrmt/mc/predict.hpp"
#include "attnrmt/mc/simulate.hpp"
#include "attnrmt/mc/statistics.hpp"
#include "attnrmt/mc/verdict.hpp"

namespace attnrmt::mc {

/// Names of the compared quantities, in report order.
inline const std::vector<std::string>& quantity_names() {
  static const std::vector<std::string> names = {
      "top_eigenvalue", "second_eigenvalue", "alignment_mu", "alignment_u", "bulk_ks",
      "moment_1",       "moment_2",          "moment_3",     "moment_4"};
  return names;
}

/// One row of the validation report.
struct QuantityReport {
  std::string quantity;
  double theory = 0;
  double mean = 0, stderr_ = 0;  ///< over seeds (stderr_ = sample sd / sqrt(S); 0 for S = 1)
  double allowance = 0;          ///< finite-size allowance at this d (absolute)
  int allowance_direction = 0;   ///< Allowance::direction
  double tolerance = 0;          ///< 3 stderr + allowance
  double z = 0;                  ///< (mean - theory)/stderr (0 when stderr = 0)
  bool available = true;         ///< false for the bulk rows of the matrix-free solver
  /// false with a single replicate (without a standard error the fluctuation
  /// part of the tolerance is unknown) or an unsound sample: no verdict.
  bool judged = true;
  std::string no_verdict_reason;  ///< why judged is false
  Verdict verdict = Verdict::none;
  /// The verdict does not contradict the theory (pass or finite-size, or no verdict).
  bool consistent() const { return verdict != Verdict::fail; }
};

/// Rows of the gap outliers of a population run: gap_J_eigenvalue,
/// gap_J_alignment_mu, gap_J_alignment_u for J = 1..(number of gaps), ascending.
/// Returns the 0-based J and the field (0 eigenvalue, 1 mu, 2 u), or -1.
inline int gap_row(const std::string& q, int& field) {
  if (q.rfind("gap_", 0) != 0) return -1;
  const auto us = q.find('_', 4);
  const int j = std::stoi(q.substr(4, us - 4)) - 1;
  const std::string rest = q.substr(us + 1);
  field = rest == "eigenvalue" ? 0 : rest == "alignment_mu" ? 1 : 2;
  return j;
}

/// Rows added for the uncentred covariance with a predicted vocabulary-mean
/// outlier: alignment_mean (its eigenvector with Z 1/V) and, when the signal and
/// mean outliers are close (Prediction::close_pair), the alignments summed over
/// the top two eigenvectors, compared with the summed predictions (the mean
/// outlier's eigenvector has no limiting overlap with mu or u, the signal's none
/// with Z 1/V). For a close pair the single-eigenvector rows get no verdict.
inline std::vector<std::string> outlier_pair_names(const Prediction& p) {
  std::vector<std::string> names;
  if (p.mean_rank >= 0) names.push_back("alignment_mean");
  if (p.close_pair)
    for (const char* q : {"alignment_mu_pair", "alignment_u_pair", "alignment_mean_pair"})
      names.push_back(q);
  return names;
}

/// Why a single-eigenvector alignment row gets no verdict for a close pair.
inline std::string close_pair_reason(const Prediction& p) {
  std::ostringstream m;
  m.precision(3);
  m << "signal and vocabulary-mean outliers close (predicted " << p.signal_eigenvalue << " and "
    << p.mean_eigenvalue << ", mixing estimate " << p.pair_mixing << " > " << close_pair_mixing
    << "): their eigenvectors mix at finite d; the alignments are compared summed over the top "
       "two eigenvectors (rows *_pair)";
  return m.str();
}

inline double theory_value(const std::string& q, const Prediction& p) {
  int field = 0;
  if (const int j = gap_row(q, field); j >= 0) {
    const auto& g = p.gaps.at(static_cast<std::size_t>(j));
    return field == 0 ? g.lambda : field == 1 ? g.alignment_mu : g.alignment_u;
  }
  if (q == "top_eigenvalue") return p.top;
  if (q == "second_eigenvalue") return p.second;
  if (q == "alignment_mu") return p.alignment_mu;
  if (q == "alignment_u") return p.alignment_u;
  if (q == "alignment_mean") return p.mean_alignment;
  if (q == "alignment_mu_pair") return p.signal_alignment_mu;
  if (q == "alignment_u_pair") return p.signal_alignment_u;
  if (q == "alignment_mean_pair") return p.mean_alignment;
  if (q == "bulk_ks") return 0;
  return p.moments[q.back() - '1'];
}

inline double measured_value(const std::string& q, const Measurement& m) {
  int field = 0;
  if (const int j = gap_row(q, field); j >= 0) {
    const auto& v = field == 0   ? m.gap_eigenvalue
                    : field == 1 ? m.gap_alignment_mu
                                 : m.gap_alignment_u;
    return v.at(static_cast<std::size_t>(j));
  }
  if (q == "top_eigenvalue") return m.top;
  if (q == "second_eigenvalue") return m.second;
  if (q == "alignment_mu") return m.alignment_mu;
  if (q == "alignment_u") return m.alignment_u;
  if (q == "alignment_mean") return m.alignment_mean;
  if (q == "alignment_mu_pair") return m.alignment_mu_pair;
  if (q == "alignment_u_pair") return m.alignment_u_pair;
  if (q == "alignment_mean_pair") return m.alignment_mean_pair;
  if (q == "bulk_ks") return m.bulk_ks;
  return m.moments[q.back() - '1'];
}

/// Aggregates the measurements of S replicates into the report rows.
inline std::vector<QuantityReport> compare(const std::vector<Measurement>& ms,
                                           const Prediction& p) {
  if (ms.empty()) throw std::invalid_argument("compare: no replicates");
  int unsound = 0;
  std::string reason;
  for (const auto& m : ms)
    if (!m.sound) {
      if (unsound++ == 0) reason = m.unsound_reason;
    }
  std::vector<QuantityReport> rows;
  std::vector<std::string> names = quantity_names();
  for (const auto& q : outlier_pair_names(p)) names.push_back(q);
  for (std::size_t j = 1; j <= p.gaps.size(); ++j)
    for (const char* f : {"_eigenvalue", "_alignment_mu", "_alignment_u"})
      names.push_back("gap_" + std::to_string(j) + f);
  for (const auto& q : names) {
    QuantityReport r;
    r.quantity = q;
    r.theory = theory_value(q, p);
    const bool bulk = q == "bulk_ks" || q.rfind("moment_", 0) == 0;
    r.available = !bulk || ms.front().has_bulk;
    if (!r.available) {
      r.judged = false;
      r.no_verdict_reason = "not computed by the matrix-free solver";
      rows.push_back(r);
      continue;
    }
    std::vector<double> values;
    values.reserve(ms.size());
    for (const auto& m : ms) values.push_back(measured_value(q, m));
    const MeanAndError stats = mean_and_standard_error(values);
    r.mean = stats.mean;
    r.stderr_ = stats.standard_error;
    const Allowance rule = finite_size_allowance(q, p);
    r.allowance = rule.at(p.sizes.d, r.theory);
    r.allowance_direction = rule.direction;
    r.tolerance = 3 * r.stderr_ + r.allowance;
    r.z = r.stderr_ > 0 ? (r.mean - r.theory) / r.stderr_ : 0.0;
    if (unsound > 0) {
      r.judged = false;
      r.no_verdict_reason = std::to_string(unsound) + " of " + std::to_string(ms.size()) +
                            " replicate(s) numerically unsound: " + reason;
    } else if (ms.size() < 2) {
      r.judged = false;
      r.no_verdict_reason = "one replicate: no standard error";
    } else if (!std::isfinite(r.mean) || !std::isfinite(r.stderr_) || !std::isfinite(r.theory)) {
      r.judged = false;
      r.no_verdict_reason = "non-finite mean, standard error or theory value";
    } else if (p.close_pair &&
               (q == "alignment_mu" || q == "alignment_u" || q == "alignment_mean")) {
      r.judged = false;
      r.no_verdict_reason = close_pair_reason(p);
    } else if (p.finite_t && ((q == "top_eigenvalue" && p.outliers < 1) ||
                              (q == "second_eigenvalue" && p.outliers < 2))) {
      r.judged = false;
      r.no_verdict_reason =
          q +
          ": under the finite-T law the top of the bulk is set by rare high-degree tokens "
          "(heavy-tailed, not rigid); the theory column is its classical location at this d, "
          "for reference";
    }
    r.verdict = r.judged ? judge(r.mean - r.theory, r.stderr_, r.allowance, r.allowance_direction)
                         : Verdict::none;
    if (r.judged && r.verdict == Verdict::none) {
      r.judged = false;
      r.no_verdict_reason = "non-finite deviation or standard error";
    }
    rows.push_back(r);
  }
  return rows;
}

/// The report row of `quantity` (throws std::invalid_argument if absent).
inline const QuantityReport& find_report(const std::vector<QuantityReport>& rows,
                                         const std::string& quantity) {
  for (const auto& r : rows)
    if (r.quantity == quantity) return r;
  throw std::invalid_argument("no report row '" + quantity + "'");
}

/// Simulates replicates 0..seeds-1 from `seed` and compares them with the
/// theory: predict, simulate_replicate, measure and compare in one call.
inline std::vector<QuantityReport> simulate_and_compare(const Config& c, int seeds,
                                                        std::uint64_t seed) {
  const Prediction p = predict(c);
  std::vector<Measurement> ms;
  for (int s = 0; s < seeds; ++s) ms.push_back(measure(simulate_replicate(c, seed, s), p));
  return compare(ms, p);
}

}  // namespace attnrmt::mc
