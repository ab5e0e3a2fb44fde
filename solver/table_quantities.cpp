// solver/table_quantities.cpp -- see table_quantities.hpp.
#include "table_quantities.hpp"

#include <mpfr.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <optional>
#include <set>
#include <thread>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/spike.hpp"
#include "attnrmt/weights.hpp"
#include "cli.hpp"

namespace attnrmt::cli {

const std::vector<QuantityInfo>& quantity_registry() {
  static const std::vector<QuantityInfo> q = {
      {"tau1",
       {"delta", "rho"},
       false,
       "table-level threshold in alpha/kappa, (delta + sqrt(delta))/(rho + delta)"},
      {"tau2",
       {"delta", "gamma", "rho"},
       false,
       "sample-level threshold in alpha/kappa, (delta + s*)/(rho + delta)"},
      {"omega1", {"delta"}, false, "spike strength at tau1, delta + sqrt(delta)"},
      {"omega2", {"delta", "gamma"}, false, "spike strength at tau2, delta + s*"},
      {"right_edge",
       {"delta", "gamma", "kappa"},
       false,
       "right edge of kappa (MP_delta ⊠ MP_gamma)"},
      {"left_edge",
       {"delta", "gamma", "kappa"},
       false,
       "left edge of the continuous part (0 for a hard edge)"},
      {"atom", {"delta", "gamma"}, false, "mass at 0, max(0, 1 - 1/delta, 1 - 1/gamma)"},
      {"lambda",
       {"delta", "gamma", "rho", "kappa", "alpha_over_kappa"},
       false,
       "top eigenvalue of C: the outlier when detectable, else the right edge"},
      {"alignment_mu",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       false,
       "squared cosine of the top eigenvector with mu (0 unless detectable)"},
      {"alignment_u",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       false,
       "squared cosine of the top eigenvector with u (0 unless detectable)"},
      {"regime",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       true,
       "none, table-only or detectable"},
      {"scheme_alpha_over_kappa",
       {"T", "pooling", "corr"},
       false,
       "alpha/kappa = w^T R w / ||w||^2 of the pooling weights w (lambda_max(R) for optimal)"},
      {"scheme_kappa",
       {"T", "pooling", "corr"},
       false,
       "kappa = ||w||^2 of the pooling weights w (normalised as by 'attnrmt weights')"},
      {"scheme_effective_tokens",
       {"T", "pooling", "corr"},
       false,
       "kappa^2 / sum_t w_t^4: the effective number of tokens (docs/finite_t.md)"},
      {"scheme_max_weight_share",
       {"T", "pooling", "corr"},
       false,
       "max_t w_t^2 / kappa: the largest share of kappa on one position (docs/finite_t.md)"},
  };
  return q;
}

const std::vector<ParameterInfo>& parameter_registry() {
  static const std::vector<ParameterInfo> p = {
      {"delta", false, "", "d/V, > 0", false, false},
      {"gamma", false, "", "d/N, > 0", false, false},
      {"rho", true, "1", "||mu||^2, >= 0 (default 1)", false, false},
      {"kappa", false, "1", "||w||^2, > 0 (default 1)", false, false},
      {"alpha_over_kappa", false, "", "signal-to-noise ratio alpha/kappa, > 0", false, false},
      {"T", false, "", "sequence length, an integer in 1..10000", false, true},
      {"pooling", false, "", "pooling scheme: mean | causal[:TAU] | optimal | last[:TAU]", true,
       false},
      {"corr", false, "identity",
       "positional correlation: identity (default) | markov:R | latent-exp:A,L | latent:P1,...",
       true, false},
  };
  return p;
}

const QuantityInfo* find_quantity(const std::string& name) {
  for (const auto& q : quantity_registry())
    if (q.name == name) return &q;
  return nullptr;
}

const ParameterInfo* find_parameter(const std::string& name) {
  for (const auto& p : parameter_registry())
    if (p.name == name) return &p;
  return nullptr;
}

std::string quantity_names() {
  std::string s;
  for (const auto& q : quantity_registry()) s += (s.empty() ? "" : ", ") + q.name;
  return s;
}

std::string parameter_names() {
  std::string s;
  for (const auto& p : parameter_registry()) s += (s.empty() ? "" : ", ") + p.name;
  return s;
}

std::vector<const QuantityInfo*> parse_quantity_list(const std::string& text) {
  std::vector<const QuantityInfo*> out;
  std::string cur;
  auto flush = [&]() {
    const QuantityInfo* q = find_quantity(cur);
    if (!q)
      throw UsageError("--quantities: unknown quantity '" + cur + "' (valid: " + quantity_names() +
                       ")");
    if (std::find(out.begin(), out.end(), q) != out.end())
      throw UsageError("--quantities: '" + cur + "' given twice");
    out.push_back(q);
    cur.clear();
  };
  for (char c : text) {
    if (c == ',')
      flush();
    else
      cur += c;
  }
  flush();
  return out;
}

std::vector<std::string> needed_parameters(const std::vector<const QuantityInfo*>& quantities) {
  std::vector<std::string> out;
  for (const auto& p : parameter_registry())
    for (const auto* q : quantities)
      if (std::find(q->parameters.begin(), q->parameters.end(), p.name) != q->parameters.end()) {
        out.push_back(p.name);
        break;
      }
  return out;
}

void require_parameter_range(const ParameterInfo& p, const Rational& value,
                             const std::string& where) {
  if (p.is_integer) {
    if (boost::multiprecision::denominator(value) != 1 || value < 1 || value > 10000)
      throw UsageError(where + p.name + " must be an integer in 1..10000 (got " +
                       rational_to_string(value) + ")");
    return;
  }
  if (p.allow_zero ? value < 0 : value <= 0)
    throw UsageError(where + p.name + " must be " + (p.allow_zero ? ">= 0" : "> 0") + " (got " +
                     rational_to_string(value) + ")");
}

void require_text_parameter(const ParameterInfo& p, const std::string& value,
                            const std::string& where) {
  if (value.empty()) throw UsageError(where + p.name + " must not be empty");
  if (p.name == "pooling") {
    try {
      PoolingScheme::parse(value);
    } catch (const std::invalid_argument& e) {
      throw UsageError(where + e.what());
    }
  }
}

std::vector<QuantityValue> evaluate_quantities(const std::vector<const QuantityInfo*>& quantities,
                                               const std::map<std::string, Rational>& params,
                                               const TextParams& text) {
  using std::sqrt;
  auto get = [&](const char* name) {
    auto it = params.find(name);
    if (it == params.end())
      throw std::logic_error(std::string("internal: parameter '") + name + "' missing");
    return to_real<MpReal>(it->second);
  };
  // Shared intermediate results, computed on first use.
  std::optional<MpReal> s_star;
  std::optional<BulkLaw<MpReal>> law;
  std::optional<OutlierReport<MpReal>> report;
  auto sample_s = [&]() -> const MpReal& {
    if (!s_star) s_star = sample_threshold_s(get("delta"), get("gamma"));
    return *s_star;
  };
  auto bulk = [&]() -> const BulkLaw<MpReal>& {
    if (!law) {
      Rational kappa = params.count("kappa") ? params.at("kappa") : Rational(1);
      law.emplace(BulkLaw<MpReal>::from_exact(params.at("delta"), params.at("gamma"), kappa));
    }
    return *law;
  };
  auto exact_regime = [&]() {
    return regime_of<Rational>(params.at("delta"), params.at("gamma"), params.at("rho"),
                               params.at("alpha_over_kappa"));
  };
  auto outlier = [&]() -> const OutlierReport<MpReal>& {
    if (!report) {
      ExactSpike exact = exact_spike(params.at("delta"), params.at("gamma"), params.at("rho"),
                                     params.at("alpha_over_kappa"));
      report = outlier_report(bulk(), get("rho"), get("alpha_over_kappa"), std::nullopt, &exact);
    }
    return *report;
  };
  std::optional<SchemeSummary<MpReal>> scheme;
  auto scheme_summary = [&]() -> const SchemeSummary<MpReal>& {
    if (!scheme) {
      auto t = params.find("T");
      auto pooling = text.find("pooling");
      auto corr = text.find("corr");
      if (t == params.end() || pooling == text.end() || corr == text.end())
        throw std::logic_error("internal: scheme parameter missing");
      const int T = boost::multiprecision::numerator(t->second).convert_to<int>();
      PositionalCorrelation R = PositionalCorrelation::from_spec(corr->second, T);
      if (R.length() != T)
        throw std::invalid_argument("corr " + corr->second + " has length " +
                                    std::to_string(R.length()) + " but T is " + std::to_string(T));
      scheme = evaluate_scheme<MpReal>(PoolingScheme::parse(pooling->second), R);
    }
    return *scheme;
  };
  std::vector<QuantityValue> out;
  for (const auto* q : quantities) {
    QuantityValue v;
    const std::string& n = q->name;
    if (n == "tau1") {
      MpReal delta = get("delta");
      v.number = (delta + sqrt(delta)) / (get("rho") + delta);
    } else if (n == "tau2") {
      v.number = (get("delta") + sample_s()) / (get("rho") + get("delta"));
    } else if (n == "omega1") {
      MpReal delta = get("delta");
      v.number = delta + sqrt(delta);
    } else if (n == "omega2") {
      v.number = get("delta") + sample_s();
    } else if (n == "right_edge") {
      v.number = bulk().right_edge();
    } else if (n == "left_edge") {
      v.number = bulk().left_edge();
    } else if (n == "atom") {
      v.number = bulk().atom();
    } else if (n == "lambda") {
      v.number = outlier().spike.lambda;
    } else if (n == "alignment_mu") {
      v.number = outlier().alignment_mu;
    } else if (n == "alignment_u") {
      v.number = outlier().spike.alignment_u;
    } else if (n == "regime") {
      // Exact in rational arithmetic: at a threshold itself (P(s) = 0, e.g.
      // delta = gamma = 0.1, rho = 0.5, alpha/kappa = 1) a floating-point
      // evaluation of the sign depends on rounding.
      v.is_text = true;
      v.text = regime_name(exact_regime());
    } else if (n == "scheme_alpha_over_kappa") {
      v.number = scheme_summary().alpha_over_kappa;
    } else if (n == "scheme_kappa") {
      v.number = scheme_summary().kappa;
    } else if (n == "scheme_effective_tokens") {
      v.number = scheme_summary().effective_tokens;
    } else if (n == "scheme_max_weight_share") {
      v.number = scheme_summary().max_weight_share;
    } else {
      throw std::logic_error("internal: quantity '" + n + "' has no evaluator");
    }
    out.push_back(std::move(v));
  }
  return out;
}

unsigned usable_threads(unsigned requested) {
  if (!mpfr_buildopt_tls_p()) return 1;
  if (requested == 0) requested = std::max(1u, std::thread::hardware_concurrency());
  return requested;
}

std::vector<std::vector<QuantityValue>> evaluate_points(
    const std::vector<const QuantityInfo*>& quantities,
    const std::vector<std::map<std::string, Rational>>& points, unsigned threads,
    const std::function<void(std::size_t)>& progress, std::size_t* failed_point,
    const std::vector<TextParams>* text_points) {
  const std::size_t n = points.size();
  static const TextParams no_text;
  auto text_at = [&](std::size_t i) -> const TextParams& {
    return text_points ? text_points->at(i) : no_text;
  };
  std::vector<std::vector<QuantityValue>> results(n);
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0}, done{0};
  auto work = [&]() {
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        results[i] = evaluate_quantities(quantities, points[i], text_at(i));
      } catch (...) {
        errors[i] = std::current_exception();
      }
      done.fetch_add(1);
    }
    mpfr_free_cache();  // MPFR's per-thread constant caches
  };
  threads =
      std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
  if (threads == 1 && !progress) {
    for (std::size_t i = 0; i < n; ++i) {
      if (failed_point) *failed_point = i;
      results[i] = evaluate_quantities(quantities, points[i], text_at(i));
    }
    return results;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
  while (progress && done.load() < n) {
    progress(done.load());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& t : pool) t.join();
  if (progress) progress(n);
  for (std::size_t i = 0; i < n; ++i)
    if (errors[i]) {
      if (failed_point) *failed_point = i;
      std::rethrow_exception(errors[i]);
    }
  return results;
}

// ---- check input ---------------------------------------------------------------

namespace {

std::string normalized(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The quantity or parameter an unknown column name most likely meant, or "".
std::string near_miss(const std::string& column) {
  std::string n = normalized(column);
  if (n.empty() || n.size() > 40) return "";
  std::vector<std::string> names;
  for (const auto& q : quantity_registry()) names.push_back(q.name);
  for (const auto& p : parameter_registry()) names.push_back(p.name);
  for (const auto& name : names)
    if (n == normalized(name)) return name;
  for (const auto& name : names) {
    std::string m = normalized(name);
    if (m.size() >= 4 && edit_distance(n, m) <= 1) return name;
  }
  return "";
}

std::string printable(const std::string& s, std::size_t limit = 60) {
  std::string out;
  for (unsigned char c : s) {
    if (out.size() > limit) return out + "...";
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  return out;
}

}  // namespace

CheckInput prepare_check_input(const CsvDocument& doc, const std::map<std::string, Rational>& fixed,
                               const TextParams& fixed_text) {
  auto where = [&](std::size_t line) { return doc.source + ":" + std::to_string(line) + ": "; };
  if (doc.header_line == 0)
    throw UsageError(doc.source + ": empty file (no header row; expected columns such as " +
                     "delta,gamma,rho,tau2)");
  CheckInput in;
  in.header_line = doc.header_line;
  std::map<std::string, std::size_t> param_index;
  for (std::size_t j = 0; j < doc.header.size(); ++j) {
    const std::string& name = doc.header[j];
    if (const QuantityInfo* q = find_quantity(name)) {
      in.columns.push_back({j, q});
    } else if (find_parameter(name)) {
      param_index[name] = j;
    } else {
      std::string guess = near_miss(name);
      if (!guess.empty())
        throw UsageError(where(doc.header_line) + "unknown column '" + printable(name) +
                         "' (did you mean '" + guess + "'?)");
      in.extra_columns.push_back(printable(name));
    }
  }
  if (in.columns.empty()) {
    std::string msg =
        where(doc.header_line) + "no quantity columns (known quantities: " + quantity_names() + ")";
    if (doc.header.size() == 1 && doc.header[0].find_first_of(";\t") != std::string::npos)
      msg += "; the header looks separated by ';' or tabs, but check reads comma-separated files";
    throw UsageError(msg);
  }
  std::vector<const QuantityInfo*> qs;
  for (const auto& c : in.columns) qs.push_back(c.quantity);
  std::vector<std::string> needed = needed_parameters(qs);
  for (const auto& [name, value] : fixed) {
    if (!find_parameter(name))
      throw UsageError("--set: unknown parameter '" + name + "' (valid: " + parameter_names() +
                       ")");
    if (param_index.count(name))
      throw UsageError("--set " + name + ": the file already has a '" + name + "' column (line " +
                       std::to_string(doc.header_line) + ")");
    if (find_parameter(name)->is_text)
      throw UsageError("--set " + name + ": expected a text value");
    require_parameter_range(*find_parameter(name), value, "--set: ");
  }
  for (const auto& [name, value] : fixed_text) {
    const ParameterInfo* p = find_parameter(name);
    if (!p || !p->is_text)
      throw UsageError("--set: unknown text parameter '" + name + "' (valid: " + parameter_names() +
                       ")");
    if (param_index.count(name))
      throw UsageError("--set " + name + ": the file already has a '" + name + "' column (line " +
                       std::to_string(doc.header_line) + ")");
    require_text_parameter(*p, value, "--set: ");
  }
  for (const auto& p : needed) {
    if (param_index.count(p)) {
      in.parameter_columns.push_back(p);
    } else if (fixed.count(p) || fixed_text.count(p)) {
      in.defaulted.push_back(p);
    } else {
      std::string users;
      for (const auto* q : qs)
        if (std::find(q->parameters.begin(), q->parameters.end(), p) != q->parameters.end())
          users += (users.empty() ? "" : ",") + q->name;
      throw UsageError(where(doc.header_line) + "missing parameter column '" + p + "' (needed by " +
                       users + "; add the column, or --set " + p +
                       "=VALUE when it is the same for every row)");
    }
  }
  if (doc.rows.empty())
    throw UsageError(where(doc.header_line) + "the file has a header but no data rows");
  for (const auto& rec : doc.rows) {
    CheckRow row;
    row.line = rec.line;
    for (const auto& p : in.parameter_columns) {
      const std::string& cell = rec.fields[param_index[p]];
      if (cell.empty()) throw UsageError(where(rec.line) + "empty value in column '" + p + "'");
      if (find_parameter(p)->is_text) {
        require_text_parameter(*find_parameter(p), cell, where(rec.line));
        row.text_params[p] = cell;
        continue;
      }
      Rational v;
      try {
        v = parse_rational(cell, "column '" + p + "'");
      } catch (const std::invalid_argument&) {
        if (row.unreadable.empty())
          row.unreadable = "column '" + p + "' holds '" + printable(cell, 30) + "', not a number";
        continue;
      }
      require_parameter_range(*find_parameter(p), v, where(rec.line));
      row.params[p] = v;
    }
    for (const auto& p : in.defaulted) {
      if (fixed_text.count(p))
        row.text_params[p] = fixed_text.at(p);
      else
        row.params[p] = fixed.at(p);
    }
    for (const auto& c : in.columns) {
      const std::string& cell = rec.fields[c.index];
      const std::string& name = c.quantity->name;
      if (cell.empty()) throw UsageError(where(rec.line) + "empty value in column '" + name + "'");
      row.claimed_text.push_back(cell);
      if (c.quantity->is_text) {
        if (cell != "none" && cell != "table-only" && cell != "detectable")
          throw UsageError(where(rec.line) + "column '" + name + "': '" + printable(cell) +
                           "' is not a regime (none, table-only, detectable)");
        row.claimed.push_back(Rational(0));
        row.claimed_readable.push_back(true);
        continue;
      }
      try {
        row.claimed.push_back(parse_rational(cell, "column '" + name + "'"));
        row.claimed_readable.push_back(true);
      } catch (const std::invalid_argument&) {
        row.claimed.push_back(Rational(0));
        row.claimed_readable.push_back(false);
      }
    }
    in.rows.push_back(std::move(row));
  }
  return in;
}

}  // namespace attnrmt::cli
