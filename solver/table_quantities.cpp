// solver/table_quantities.cpp -- see table_quantities.hpp.
#include "table_quantities.hpp"

#include <mpfr.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "attnrmt/ball/detail/thread_caches.hpp"
#include "cli.hpp"
#include "population_options.hpp"

namespace attnrmt::cli {

const std::vector<QuantityInfo>& quantity_registry() {
  return quantity_catalogue<MpReal>();
}

const std::vector<ParameterInfo>& parameter_registry() {
  return parameter_catalogue();
}

const QuantityInfo* find_quantity(const std::string& name) {
  return attnrmt::find_quantity<MpReal>(name);
}

const ParameterInfo* find_parameter(const std::string& name) {
  return find_parameter_spec(name);
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
  try {
    check_parameter(p, value);
  } catch (const std::invalid_argument& e) {
    throw UsageError(where + e.what());
  }
}

void require_text_parameter(const ParameterInfo& p, const std::string& value,
                            const std::string& where) {
  try {
    check_text_parameter(p, value);
  } catch (const std::invalid_argument& e) {
    throw UsageError(where + e.what());
  }
}

std::shared_ptr<const PopulationSpec> population_from_text(const TextParams& text) {
  auto pop = text.find("population");
  auto sig = text.find("signal");
  if (pop == text.end() && sig == text.end()) return nullptr;
  const std::string pop_text = pop == text.end() ? "isotropic" : pop->second;
  PopulationSpec spec = parse_population(pop_text);
  if (sig != text.end()) spec.signal = parse_signal(sig->second);
  if (pop_text == "isotropic" && !spec.signal.eigenvector) return nullptr;
  if (spec.signal.eigenvector &&
      std::find(spec.atoms.begin(), spec.atoms.end(), spec.signal.eigenvalue) == spec.atoms.end())
    throw UsageError("signal eigenvector:" + rational_to_string(spec.signal.eigenvalue) +
                     ": the eigenvalue must be one of the atoms of the population");
  return std::make_shared<const PopulationSpec>(std::move(spec));
}

std::string population_quantity_names() {
  std::string s;
  for (const auto& q : quantity_registry())
    if (q.supports_population()) s += (s.empty() ? "" : ", ") + q.name;
  return s;
}

void require_population_support(const std::vector<const QuantityInfo*>& quantities,
                                const std::string& option) {
  for (const auto* q : quantities)
    if (!q->supports_population())
      throw UsageError("quantity " + q->name + " does not support " + option +
                       " (isotropic engine only; quantities with a population: " +
                       population_quantity_names() + ")");
}

std::vector<QuantityValue> evaluate_quantities(const std::vector<const QuantityInfo*>& quantities,
                                               const std::map<std::string, Rational>& params,
                                               const TextParams& text) {
  return evaluate<MpReal>(quantities, QuantityPoint{params, text, population_from_text(text)});
}

std::vector<Rational> exact_moment_list(const QuantityPoint& point, int order) {
  const QuantityInfo& moment = *find_quantity("moment");
  QuantityEvaluation<MpReal> e(point);
  std::vector<Rational> out(static_cast<std::size_t>(std::max(order, 0)));
  for (int k = order; k >= 1; --k) {
    e.set_index("k", Rational(k));
    out[static_cast<std::size_t>(k - 1)] = evaluate_exact(moment, e);
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
  // Populations are parsed once per distinct (population, signal) text, before
  // any thread starts (a file: spec reads its file once).
  std::vector<std::shared_ptr<const PopulationSpec>> populations(n);
  {
    std::map<std::pair<std::string, std::string>, std::shared_ptr<const PopulationSpec>> cache;
    for (std::size_t i = 0; i < n; ++i) {
      const TextParams& t = text_at(i);
      if (!t.count("population") && !t.count("signal")) continue;
      std::pair<std::string, std::string> key{t.count("population") ? "=" + t.at("population") : "",
                                              t.count("signal") ? "=" + t.at("signal") : ""};
      auto it = cache.find(key);
      if (it == cache.end()) {
        if (failed_point) *failed_point = i;
        it = cache.emplace(key, population_from_text(t)).first;
      }
      populations[i] = it->second;
    }
  }
  auto evaluate_at = [&](std::size_t i) {
    return evaluate<MpReal>(quantities, QuantityPoint{points[i], text_at(i), populations[i]});
  };
  std::vector<std::vector<QuantityValue>> results(n);
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0}, done{0};
  auto work = [&]() {
    // MPFR's, FLINT's and Arb's per-thread caches are freed when the thread ends.
    attnrmt::ball::detail::release_thread_caches_at_exit();
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        results[i] = evaluate_at(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
      done.fetch_add(1);
    }
  };
  threads =
      std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
  if (threads == 1 && !progress) {
    for (std::size_t i = 0; i < n; ++i) {
      if (failed_point) *failed_point = i;
      results[i] = evaluate_at(i);
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
    // The hint first: a long message is shortened at its end.
    std::string msg = where(doc.header_line) + "no quantity columns";
    if (doc.header.size() == 1 && doc.header[0].find_first_of(";\t") != std::string::npos)
      msg += " (the header looks separated by ';' or tabs, but check reads comma-separated files)";
    throw UsageError(msg + " (known quantities: " + quantity_names() + ")");
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
    if (find_parameter(name)->is_text())
      throw UsageError("--set " + name + ": expected a text value");
    require_parameter_range(*find_parameter(name), value, "--set: ");
  }
  for (const auto& [name, value] : fixed_text) {
    const ParameterInfo* p = find_parameter(name);
    if (!p || !p->is_text())
      throw UsageError("--set: unknown text parameter '" + name + "' (valid: " + parameter_names() +
                       ")");
    if (param_index.count(name))
      throw UsageError("--set " + name + ": the file already has a '" + name + "' column (line " +
                       std::to_string(doc.header_line) + ")");
    require_text_parameter(*p, value, "--set: ");
  }
  // The optional parameters population and signal: read when the file has the
  // column or --set gives them, and then every quantity column must support them.
  for (const auto& p : parameter_registry()) {
    if (!is_population_parameter(p.name)) continue;
    if (!param_index.count(p.name) && !fixed_text.count(p.name)) continue;
    require_population_support(
        qs, param_index.count(p.name)
                ? "a '" + p.name + "' column (line " + std::to_string(doc.header_line) + ")"
                : "--" + p.name);
    needed.push_back(p.name);
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
      if (find_parameter(p)->is_text()) {
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
        if (!regime_from_name(cell))
          throw UsageError(where(rec.line) + "column '" + name + "': '" + printable(cell) +
                           "' is not a regime (" + regime_names() + ")");
        row.claimed.push_back(Rational(0));
        row.claimed_readable.push_back(true);
        continue;
      }
      if (c.quantity->may_be_none && cell == "none") {  // compared as text by check
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
