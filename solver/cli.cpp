// solver/cli.cpp -- option parsing, value grids, certification and output.
#include "cli.hpp"

#include "attnrmt/detail/rounding_decisions.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

namespace attnrmt::cli {

// ---- options ----------------------------------------------------------------

namespace {
// Escaped, shortened rendering of a token for messages.
std::string shown_token(const std::string& a) {
  return excerpt(a, 40);
}

// UTF-8 dashes that look like '-' (en dash, em dash, minus sign, hyphen,
// non-breaking hyphen, figure dash, horizontal bar, small/full-width hyphen-minus).
bool starts_with_typographic_dash(const std::string& a) {
  static const char* const dashes[] = {"\xE2\x80\x90", "\xE2\x80\x91", "\xE2\x80\x92",
                                       "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95",
                                       "\xE2\x88\x92", "\xEF\xB9\xA3", "\xEF\xBC\x8D"};
  for (const char* d : dashes)
    if (a.compare(0, std::strlen(d), d) == 0) return true;
  return false;
}
}  // namespace

Options::Options(std::string command, std::vector<OptionSpec> specs,
                 const std::vector<std::string>& args, int max_positional)
    : command_(std::move(command)), specs_(std::move(specs)) {
  auto find = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& s : specs_)
      if (s.name == name) return &s;
    return nullptr;
  };
  const std::string see = " (see 'attnrmt " + command_ + " --help')";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      help_ = true;
      continue;
    }
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2), value;
      bool inline_value = false;
      auto eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      const OptionSpec* spec = find(name);
      if (!spec)
        throw UsageError("unknown option '--" + shown_token(name) + "' for 'attnrmt " + command_ +
                         "'" + see);
      if (spec->value_name.empty()) {
        if (inline_value) throw UsageError("option '--" + name + "' takes no value");
        value = "1";
      } else if (!inline_value) {
        if (i + 1 >= args.size())
          throw UsageError("option '--" + name + "' needs a value (" + spec->value_name + ")");
        value = args[++i];
      }
      if (!spec->repeatable && values_.count(name))
        throw UsageError("option '--" + name + "' given more than once");
      values_[name].push_back(value);
      used_[name] = false;
      continue;
    }
    if (a == "--")
      throw UsageError("unexpected argument '--' for 'attnrmt " + command_ + "'" + see);
    if (a.size() > 1 && a[0] == '-')
      throw UsageError("unexpected argument '" + shown_token(a) + "' for 'attnrmt " + command_ +
                       "' (options start with two dashes: '-" + shown_token(a) + "'?)");
    if (starts_with_typographic_dash(a))
      throw UsageError("unexpected argument '" + shown_token(a) + "' for 'attnrmt " + command_ +
                       "' (it starts with a typographic dash; options start with two ASCII "
                       "hyphens '--')");
    positional_.push_back(a);
  }
  if (static_cast<int>(positional_.size()) > max_positional) {
    const std::string& extra = positional_[static_cast<std::size_t>(max_positional)];
    throw UsageError(
        "unexpected argument '" + shown_token(extra) + "' for 'attnrmt " + command_ + "'" +
        (max_positional == 0 ? std::string(" (it takes options only)")
                             : " (it takes " + std::to_string(max_positional) + " argument" +
                                   (max_positional > 1 ? "s" : "") + " besides options)") +
        see);
  }
}

bool Options::has(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return false;
  for (const auto& s : specs_)
    if (s.name == name && s.value_name.empty()) used_[name] = true;
  return true;
}

const std::string& Options::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end())
    throw UsageError("missing required option '--" + name + "' (see 'attnrmt " + command_ +
                     " --help')");
  used_[name] = true;
  return it->second.front();
}

std::string Options::get_or(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  used_[name] = true;
  return it->second.front();
}

std::vector<std::string> Options::all(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  used_[name] = true;
  return it->second;
}

std::vector<std::string> Options::all_values() const {
  std::vector<std::string> v;
  for (const auto& [name, values] : values_)
    if (name != "out") v.insert(v.end(), values.begin(), values.end());
  return v;
}

void Options::require_all_used() const {
  for (const auto& [name, used] : used_)
    if (!used)
      throw UsageError("option '--" + name + "' is not used by 'attnrmt " + command_ +
                       "' with the other options given (remove it, or see 'attnrmt " + command_ +
                       " --help')");
}

// ---- values -----------------------------------------------------------------

namespace {
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

// x rounded to `sig` significant decimal digits, as an exact rational.
Rational round_significant(const MpReal& x, int sig) {
  std::string s = x.str(sig - 1, std::ios_base::scientific);
  return parse_rational(s, "grid point");
}
}  // namespace

void require_range(const Rational& r, const std::string& what, bool allow_zero) {
  if (allow_zero ? r < 0 : r <= 0)
    throw UsageError(what + " must be " + (allow_zero ? ">= 0" : "> 0") + " (got " +
                     excerpt(rational_to_string(r), 60) + ")");
}

std::string excerpt(const std::string& text, std::size_t max_chars) {
  std::string out;
  std::size_t shown = 0;
  for (unsigned char c : text) {
    if (shown >= max_chars) return out + "...";
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
    if ((c & 0xC0) != 0x80) ++shown;  // count characters, not UTF-8 continuation bytes
  }
  return out;
}

void require_row_limit(double rows, const std::string& what) {
  if (rows > static_cast<double>(kMaxRows)) {
    std::ostringstream n;
    n << std::setprecision(3) << rows;
    throw UsageError(what + " gives " + n.str() + " rows, more than the limit of " +
                     std::to_string(kMaxRows) +
                     " rows per run (split the run, or use a coarser grid)");
  }
}

Rational parse_number(const std::string& text, const std::string& what, const std::string& range) {
  const std::string expected = what + ": expected a number" + (range.empty() ? "" : " " + range) +
                               " such as 0.5, 1/2 or 2.5e-1";
  if (text.empty()) throw UsageError(expected + " (got an empty value)");
  // Exponent: at most 5 digits and the value's decimal exponent within +-4000
  // (parse_rational's limit), reported as such rather than as a syntax error.
  auto e = text.find_first_of("eE");
  if (e != std::string::npos && text.find('/') == std::string::npos) {
    std::size_t k = e + 1;
    if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
    bool digits_only = k < text.size();
    for (std::size_t j = k; j < text.size(); ++j)
      digits_only = digits_only && std::isdigit(static_cast<unsigned char>(text[j]));
    if (digits_only && text.size() - k > 5)
      throw UsageError(what + ": exponent out of range in '" + excerpt(text) +
                       "' (the decimal exponent must lie within -4000..4000)");
  }
  try {
    return parse_rational(text, what);
  } catch (const std::invalid_argument& err) {
    const std::string m = err.what();
    if (m.find("exponent out of range") != std::string::npos)
      throw UsageError(what + ": exponent out of range in '" + excerpt(text) +
                       "' (the decimal exponent must lie within -4000..4000)");
    if (m.find("denominator is zero") != std::string::npos)
      throw UsageError(what + ": denominator is zero in '" + excerpt(text) + "'");
    throw UsageError(expected + " (got '" + excerpt(text) + "')");
  }
}

std::vector<Rational> parse_values(const std::string& text, const std::string& what,
                                   const std::string& range) {
  if (text.empty()) throw UsageError(what + ": empty value");
  if (text.find(':') != std::string::npos) {
    auto parts = split(text, ':');
    if (parts.size() != 3)
      throw UsageError(what + ": a grid is A:B:M (linear) or A:B:Mlog (got '" + excerpt(text) +
                       "')");
    bool log = parts[2].size() > 3 && parts[2].compare(parts[2].size() - 3, 3, "log") == 0;
    std::string count_text = log ? parts[2].substr(0, parts[2].size() - 3) : parts[2];
    long m = parse_integer(count_text, what + " (grid size M)", 1, static_cast<long>(kMaxRows));
    Rational a = parse_number(parts[0], what + " (grid start A)", range),
             b = parse_number(parts[1], what + " (grid end B)", range);
    std::vector<Rational> out;
    if (m == 1) return {a};
    if (!log) {
      // Exact when the point is a terminating decimal, else 12 significant digits.
      ScopedPrecision prec(40);
      for (long i = 0; i < m; ++i) {
        Rational x = a + (b - a) * Rational(i, m - 1);
        BigInt den = boost::multiprecision::denominator(x);
        while (den % 2 == 0) den /= 2;
        while (den % 5 == 0) den /= 5;
        out.push_back(den == 1 || x == 0 ? x : round_significant(to_real<MpReal>(x), 12));
      }
      return out;
    }
    if (a <= 0 || b <= 0)
      throw UsageError(what + ": a log grid needs A > 0 and B > 0 (got '" + excerpt(text) + "')");
    ScopedPrecision prec(40);
    MpReal la = log10(to_real<MpReal>(a)), lb = log10(to_real<MpReal>(b));
    for (long i = 0; i < m; ++i) {
      if (i == 0) {
        out.push_back(a);
      } else if (i == m - 1) {
        out.push_back(b);
      } else {
        MpReal t = la + (lb - la) * MpReal(i) / MpReal(m - 1);
        out.push_back(round_significant(pow(MpReal(10), t), 12));
      }
    }
    return out;
  }
  std::vector<Rational> out;
  auto items = split(text, ',');
  if (items.size() > kMaxRows)
    throw UsageError(what + ": more than " + std::to_string(kMaxRows) + " values in the list");
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (items[k].empty())
      throw UsageError(what + ": item " + std::to_string(k + 1) + " of the list '" + excerpt(text) +
                       "' is empty");
    out.push_back(parse_number(
        items[k], items.size() > 1 ? what + " (item " + std::to_string(k + 1) + ")" : what, range));
  }
  return out;
}

Rational parse_single(const std::string& text, const std::string& what, const std::string& range) {
  auto v = parse_values(text, what, range);
  if (v.size() != 1)
    throw UsageError(what + ": expected a single value (got '" + excerpt(text) + "')");
  return v.front();
}

long parse_integer(const std::string& text, const std::string& what, long lo, long hi) {
  bool ok = !text.empty() && text.size() < 12;
  for (char c : text) ok = ok && std::isdigit(static_cast<unsigned char>(c));
  long v = ok ? std::stol(text) : 0;
  if (!ok || v < lo || v > hi)
    throw UsageError(what + " must be an integer in [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "] (got '" + excerpt(text) + "')");
  return v;
}

int requested_digits(const Options& opts) {
  if (!opts.has("digits")) return 15;
  return static_cast<int>(parse_integer(opts.get("digits"), "--digits", 1, 1000));
}

// ---- formatting and certification ---------------------------------------------

namespace {
// x rounded to n >= 1 significant decimal digits: digit string (no trailing
// zeros) and decimal exponent. Boost's str(0) means "all digits", so n = 1 is
// rounded here from a 30-digit expansion (round half away from zero).
void decimal_digits(const MpReal& x, int n, std::string& digs, long& exponent, bool& negative) {
  std::string s = x.str(n >= 2 ? n - 1 : 30, std::ios_base::scientific);  // [-]d.ddde[+-]XX
  negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  auto epos = s.find('e');
  exponent = std::stol(s.substr(epos + 1));
  digs.clear();
  for (char c : s.substr(0, epos))
    if (std::isdigit(static_cast<unsigned char>(c))) digs += c;
  if (n == 1) {
    int first = digs[0] - '0';
    if (digs.size() > 1 && digs[1] >= '5') ++first;
    if (first == 10) {
      first = 1;
      ++exponent;
    }
    digs = std::string(1, static_cast<char>('0' + first));
  }
  while (digs.size() > 1 && digs.back() == '0') digs.pop_back();
}
}  // namespace

std::string format_number(const MpReal& x, int digits) {
  if (x == 0) return "0";
  std::string digs;
  long exponent = 0;
  bool negative = false;
  decimal_digits(x, digits, digs, exponent, negative);
  std::string out;
  if (exponent >= -5 && exponent < 15) {
    if (exponent >= 0) {
      std::string ip = digs.substr(0, std::min<std::size_t>(digs.size(), exponent + 1));
      while (static_cast<long>(ip.size()) < exponent + 1) ip += '0';
      std::string fp = digs.size() > static_cast<std::size_t>(exponent + 1)
                           ? digs.substr(static_cast<std::size_t>(exponent + 1))
                           : "";
      out = fp.empty() ? ip : ip + "." + fp;
    } else {
      out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digs;
    }
  } else {
    out = digs.substr(0, 1);
    if (digs.size() > 1) out += "." + digs.substr(1);
    char buf[16];
    std::snprintf(buf, sizeof buf, "e%+03ld", exponent);
    out += buf;
  }
  return negative ? "-" + out : out;
}

namespace {
// One run at `work_digits`; `undecided` tells whether the library met a sign
// it could not decide at that precision (detail/rounding_decisions.hpp).
RawTable compute_at(int work_digits, const std::function<RawTable()>& compute, bool& undecided) {
  ScopedPrecision prec(static_cast<unsigned>(work_digits));
  const unsigned long before = detail::undecided_count();
  RawTable t = compute();
  undecided = detail::undecided_count() != before;
  return t;
}

// Both values below 10^-(low_digits - 3) in absolute terms and not agreeing on
// their first digit: possibly rounding noise around an exact 0 that no
// precision resolved. Used only after the last attempt; the printed 0 then
// comes with a note stating the bound.
bool noise_around_zero(const MpReal& a, const MpReal& b, int low_digits) {
  MpReal floor_value = pow(MpReal(10), -(low_digits - 3));
  return abs(a) < floor_value && abs(b) < floor_value && format_number(a, 1) != format_number(b, 1);
}
}  // namespace

TextTable certify(int digits, const std::function<RawTable()>& compute) {
  // Working precisions digits + g 2^k, k = 0..max_attempts; consecutive runs
  // are compared. A number is printed when both runs agree on all `digits`
  // significant digits (relative agreement at any magnitude; 0 only when both
  // runs give exactly 0) and neither run met an undecidable sign.
  const int max_attempts = 5;
  int guard = std::max(10, digits / 4);
  int low = digits + guard, high = digits + 2 * guard;
  bool undecided_a = false, undecided_b = false;
  RawTable a = compute_at(low, compute, undecided_a);
  RawTable b = compute_at(high, compute, undecided_b);
  TextTable out;
  out.columns = a.columns;
  auto same_shape = [](const RawTable& x, const RawTable& y) {
    if (x.rows.size() != y.rows.size() || x.columns != y.columns) return false;
    for (std::size_t i = 0; i < x.rows.size(); ++i)
      if (x.rows[i].size() != y.rows[i].size()) return false;
    return true;
  };
  for (int attempt = 1;; ++attempt) {
    const bool last = attempt == max_attempts;
    if (!same_shape(a, b)) throw std::logic_error("internal: precision runs differ in shape");
    bool all_ok = !undecided_a && !undecided_b;
    if (last && undecided_b)
      throw std::domain_error("could not decide on which side of a support edge a point lies at " +
                              std::to_string(high) +
                              " working digits (the input is too close to an edge or beyond "
                              "the precision range)");
    out.rows.assign(a.rows.size(), {});
    out.notes.clear();
    std::vector<std::string> unsure;
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
      for (std::size_t j = 0; j < a.rows[i].size(); ++j) {
        const Value& va = a.rows[i][j];
        const Value& vb = b.rows[i][j];
        if (!va.is_number) {
          // Text (regime names, exact fractions) must not depend on precision.
          if (va.text != vb.text) all_ok = false;
          out.rows[i].push_back({vb.text, !vb.quoted});
          continue;
        }
        using boost::multiprecision::isfinite;
        if (!isfinite(va.number) || !isfinite(vb.number))
          throw std::domain_error("internal: non-finite value in column '" + a.columns[j] +
                                  "' (please report this input)");
        std::string sa = format_number(va.number, digits), sb = format_number(vb.number, digits);
        if (sa == sb) {
          out.rows[i].push_back({sb, true});
          continue;
        }
        all_ok = false;
        if (last && noise_around_zero(va.number, vb.number, low)) {
          std::string bound = "1e-" + std::to_string(low - 3);
          out.rows[i].push_back({"0", true});
          out.notes.push_back(a.columns[j] + " in row " + std::to_string(i + 1) +
                              " is printed as 0: |value| < " + bound + ", not resolved at " +
                              std::to_string(high) + " working digits");
          continue;
        }
        int k = digits - 1;
        while (k >= 1 && format_number(va.number, k) != format_number(vb.number, k)) --k;
        if (k < 1 && last)
          throw std::domain_error("could not certify any digit of '" + a.columns[j] + "' in row " +
                                  std::to_string(i + 1) + " (ill-conditioned input)");
        out.rows[i].push_back({k >= 1 ? format_number(vb.number, k) : std::string("?"), true});
        unsure.push_back(a.columns[j] + " (row " + std::to_string(i + 1) + ": " +
                         std::to_string(k) + " digits)");
      }
    }
    if (all_ok) return out;
    if (last) {
      for (const auto& u : unsure)
        std::cerr << "attnrmt: warning: only the agreeing digits are printed for " << u << "\n";
      for (const auto& n : out.notes) std::cerr << "attnrmt: warning: " << n << "\n";
      return out;
    }
    // Retry with twice the guard: the previous high run becomes the low one.
    guard *= 2;
    a = std::move(b);
    undecided_a = undecided_b;
    low = high;
    high = digits + 2 * guard;
    b = compute_at(high, compute, undecided_b);
  }
}

// ---- output -------------------------------------------------------------------

Format parse_format(const std::string& text, bool allow_document_formats) {
  if (text == "table") return Format::table;
  if (text == "csv") return Format::csv;
  if (text == "json") return Format::json;
  if (allow_document_formats && text == "md") return Format::md;
  if (allow_document_formats && text == "tex") return Format::tex;
  throw UsageError("--format must be one of table, csv, json" +
                   std::string(allow_document_formats ? ", md, tex" : "") + " (got '" + text +
                   "')");
}

namespace {
std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string tex_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$')
      out += std::string("\\") + c;
    else
      out += c;
  }
  return out;
}
}  // namespace

void write_table(const TextTable& t, Format format, std::ostream& out) {
  const std::size_t nc = t.columns.size();
  switch (format) {
    case Format::csv: {
      for (const auto& n : t.notes) out << "# " << n << "\n";
      for (std::size_t j = 0; j < nc; ++j) out << (j ? "," : "") << csv_field(t.columns[j]);
      out << "\n";
      for (const auto& row : t.rows) {
        for (std::size_t j = 0; j < row.size(); ++j)
          out << (j ? "," : "") << csv_field(row[j].text);
        out << "\n";
      }
      break;
    }
    case Format::json: {
      out << "{\n";
      if (!t.meta.empty() || !t.notes.empty()) {
        out << "  \"meta\": {";
        bool first = true;
        for (const auto& [k, v] : t.meta) {
          out << (first ? "\n" : ",\n") << "    \"" << json_escape(k) << "\": \"" << json_escape(v)
              << "\"";
          first = false;
        }
        if (!t.notes.empty()) {
          out << (first ? "\n" : ",\n") << "    \"notes\": [";
          for (std::size_t i = 0; i < t.notes.size(); ++i)
            out << (i ? ", " : "") << "\"" << json_escape(t.notes[i]) << "\"";
          out << "]";
        }
        out << "\n  },\n";
      }
      out << "  \"columns\": [";
      for (std::size_t j = 0; j < nc; ++j)
        out << (j ? ", " : "") << "\"" << json_escape(t.columns[j]) << "\"";
      out << "],\n  \"rows\": [";
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        out << (i ? ",\n    {" : "\n    {");
        for (std::size_t j = 0; j < t.rows[i].size(); ++j) {
          const auto& c = t.rows[i][j];
          out << (j ? ", " : "") << "\"" << json_escape(t.columns[j]) << "\": ";
          if (c.numeric)
            out << c.text;
          else
            out << "\"" << json_escape(c.text) << "\"";
        }
        out << "}";
      }
      out << (t.rows.empty() ? "]\n}\n" : "\n  ]\n}\n");
      break;
    }
    case Format::md: {
      for (const auto& n : t.notes) out << "<!-- " << n << " -->\n";
      out << "|";
      for (const auto& c : t.columns) out << " " << c << " |";
      out << "\n|";
      for (std::size_t j = 0; j < nc; ++j) out << " ---: |";
      out << "\n";
      for (const auto& row : t.rows) {
        out << "|";
        for (const auto& c : row) out << " " << c.text << " |";
        out << "\n";
      }
      break;
    }
    case Format::tex: {
      for (const auto& n : t.notes) out << "% " << n << "\n";
      out << "\\begin{table}\n\\centering\n\\begin{tabular}{" << std::string(nc, 'r')
          << "}\n\\toprule\n";
      for (std::size_t j = 0; j < nc; ++j)
        out << (j ? " & " : "") << "\\texttt{" << tex_escape(t.columns[j]) << "}";
      out << " \\\\\n\\midrule\n";
      for (const auto& row : t.rows) {
        for (std::size_t j = 0; j < row.size(); ++j)
          out << (j ? " & " : "")
              << (row[j].numeric ? "$" + row[j].text + "$" : tex_escape(row[j].text));
        out << " \\\\\n";
      }
      out << "\\bottomrule\n\\end{tabular}\n";
      auto cap = t.meta.find("caption");
      if (cap != t.meta.end()) out << "\\caption{" << tex_escape(cap->second) << "}\n";
      out << "\\end{table}\n";
      break;
    }
    case Format::table: {
      std::vector<std::size_t> width(nc);
      for (std::size_t j = 0; j < nc; ++j) width[j] = t.columns[j].size();
      for (const auto& row : t.rows)
        for (std::size_t j = 0; j < row.size() && j < nc; ++j)
          width[j] = std::max(width[j], row[j].text.size());
      for (const auto& n : t.notes) out << "# " << n << "\n";
      auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (std::size_t j = 0; j < cells.size(); ++j) {
          if (j) s += "  ";
          s += cells[j];
          if (j + 1 < cells.size() && j < nc) s += std::string(width[j] - cells[j].size(), ' ');
        }
        out << s << "\n";
      };
      line(t.columns);
      for (const auto& row : t.rows) {
        std::vector<std::string> cells;
        for (const auto& c : row) cells.push_back(c.text);
        line(cells);
      }
      break;
    }
  }
}

namespace {
// The temporary file being written, for the signal handler (async-signal-safe:
// a fixed buffer, unlink(2) and raise(2) only).
char g_temp_path[4096];
volatile std::sig_atomic_t g_temp_active = 0;

extern "C" void remove_temp_and_die(int sig) {
  if (g_temp_active) ::unlink(g_temp_path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_temp_cleanup() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ}) {
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_die;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    struct sigaction old {};
    ::sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;  // e.g. nohup: keep ignoring
    ::sigaction(sig, &sa, nullptr);
  }
}

const char* const kTempTag = ".attnrmt-tmp-";

// The file a write to `path` replaces: symlinks followed (also a dangling one,
// whose target is created).
std::string resolve_target(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  for (int hops = 0; hops < 40; ++hops) {
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p.string();
    fs::path next = fs::read_symlink(p, ec);
    if (ec) return p.string();
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  throw UsageError("--out: too many levels of symbolic links at '" + excerpt(path) + "'");
}

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Removes temporaries of `target` left by runs that no longer exist.
void remove_stale_temps(const std::string& target) {
  namespace fs = std::filesystem;
  const std::string prefix = "." + base_name(target) + kTempTag;
  std::error_code ec;
  for (fs::directory_iterator it(directory_of(target), ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.size() > 9 ||
        pid_text.find_first_not_of("0123456789") != std::string::npos)
      continue;
    pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid == ::getpid()) continue;
    if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(it->path(), ec);
  }
}

struct FileId {
  dev_t dev;
  ino_t ino;
};

bool file_id(const std::string& path, FileId& id) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  id = {st.st_dev, st.st_ino};
  return true;
}
}  // namespace

void check_output_target(const std::string& path, const std::vector<std::string>& inputs,
                         const std::string& option) {
  if (path == "-") return;
  if (path.empty()) throw UsageError(option + ": empty file name");
  const std::string target = resolve_target(path);
  struct stat st;
  if (::stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw UsageError(option + ": '" + excerpt(path) + "' is a directory (give a file name)");
    if (!S_ISREG(st.st_mode))
      throw UsageError(option + ": '" + excerpt(path) +
                       "' is not a regular file (a device, FIFO or socket); refusing to replace "
                       "it (use '-' for standard output)");
    for (std::string in : inputs) {
      if (in.compare(0, 5, "file:") == 0) in = in.substr(5);
      FileId a{}, b{};
      if (in != "-" && file_id(in, a) && file_id(target, b) && a.dev == b.dev && a.ino == b.ino)
        throw UsageError(option + ": '" + excerpt(path) +
                         "' is also an input of this run; refusing to overwrite it (choose another "
                         "file name)");
    }
  } else if (errno != ENOENT) {
    throw UsageError(option + ": cannot use '" + excerpt(path) + "' (" + std::strerror(errno) +
                     ")");
  }
  const std::string dir = directory_of(target);
  struct stat dst;
  if (::stat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode))
    throw UsageError(option + ": the directory '" + excerpt(dir) + "' of '" + excerpt(path) +
                     "' does not exist");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw UsageError(option + ": the directory '" + excerpt(dir) + "' of '" + excerpt(path) +
                     "' is not writable");
}

void write_file_atomically(const std::string& path, const std::string& contents) {
  if (path == "-") {
    write_stdout(contents);
    return;
  }
  check_output_target(path, {});
  const std::string target = resolve_target(path);
  remove_stale_temps(target);
  struct stat st;
  const bool existed = ::stat(target.c_str(), &st) == 0;
  const std::string tmp =
      directory_of(target) + "/." + base_name(target) + kTempTag + std::to_string(::getpid());
  if (tmp.size() >= sizeof g_temp_path)
    throw UsageError("--out: file name too long ('" + excerpt(path) + "')");
  install_temp_cleanup();
  std::memcpy(g_temp_path, tmp.c_str(), tmp.size() + 1);
  g_temp_active = 1;
  auto fail = [&](const std::string& what) {
    std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    g_temp_active = 0;
    throw std::runtime_error("cannot write '" + excerpt(path) + "': " + what + " (" + reason + ")");
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    g_temp_active = 0;
    throw UsageError("--out: cannot create a file next to '" + excerpt(path) + "' (" +
                     std::strerror(errno) + ")");
  }
  if (existed) {
    // Keep the replaced file's permission bits (and owner, when allowed).
    if (::fchown(fd, st.st_uid, st.st_gid) != 0) { /* not permitted: keep ours */
    }
    ::fchmod(fd, st.st_mode & 07777);
  }
  std::size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    ::close(fd);
    fail("fsync failed");
  }
  if (::close(fd) != 0) fail("close failed");
  if (std::rename(tmp.c_str(), target.c_str()) != 0) fail("rename failed");
  g_temp_active = 0;
}

void write_stdout(const std::string& contents) {
  std::cout << contents;
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0)
    throw std::runtime_error(std::string("cannot write to standard output (") +
                             std::strerror(errno ? errno : EIO) + ")");
}

void write_output(const Options& opts, const std::string& contents) {
  opts.require_all_used();
  if (opts.has("out"))
    write_file_atomically(opts.get("out"), contents);
  else
    write_stdout(contents);
}

void emit(const Options& opts, const TextTable& table, Format format) {
  std::ostringstream buf;
  write_table(table, format, buf);
  write_output(opts, buf.str());
}

std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit) {
  std::FILE* f = nullptr;
  bool is_stdin = path == "-";
  if (is_stdin) {
    f = stdin;
  } else {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      throw UsageError(what + ": '" + excerpt(path) + "' is a directory, not a file");
    f = std::fopen(path.c_str(), "rb");
    if (!f)
      throw UsageError(what + ": cannot open '" + excerpt(path) + "' for reading (" +
                       std::strerror(errno) + ")");
  }
  std::string text;
  char buf[65536];
  bool too_big = false, error = false;
  for (;;) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    if (n == 0) {
      error = std::ferror(f) != 0;
      break;
    }
    if (text.size() + n > limit) {
      too_big = true;
      break;
    }
    text.append(buf, n);
  }
  if (!is_stdin) std::fclose(f);
  const std::string name = is_stdin ? std::string("standard input") : "'" + excerpt(path) + "'";
  if (too_big)
    throw UsageError(what + ": " + name + " is larger than the limit of " +
                     std::to_string(limit >> 20 ? limit >> 20 : limit) +
                     (limit >> 20 ? " MiB" : " bytes"));
  if (error) throw UsageError(what + ": cannot read " + name);
  return text;
}

// ---- registry -----------------------------------------------------------------

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

std::vector<OptionSpec> common_output_options(bool with_digits) {
  std::vector<OptionSpec> v;
  if (with_digits)
    v.push_back({"digits", "N",
                 "significant digits to print, 1..1000 (default 15); all printed digits are "
                 "certified by computing at two working precisions"});
  v.push_back({"format", "F", "output format: table (default), csv, json"});
  v.push_back({"out", "FILE", "write to FILE (atomically; '-' is stdout) instead of stdout"});
  return v;
}

void print_command_help(const Command& c, std::ostream& out) {
  out << "usage: attnrmt " << c.usage << "\n\n" << c.description << "\n\noptions:\n";
  for (const auto& o : c.options) {
    std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    out << std::left << std::setw(30) << left << " " << o.help
        << (o.repeatable ? " (repeatable)" : "") << "\n";
  }
  out << std::left << std::setw(30) << "  --help"
      << " show this help\n"
      << std::right;
}

namespace {
std::string& invocation_storage() {
  static std::string s;
  return s;
}
}  // namespace

const std::string& invocation() {
  return invocation_storage();
}

void set_invocation(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i == 0) a = "attnrmt";
    bool quote = a.find_first_of(" \t'\"$*?") != std::string::npos || a.empty();
    if (i) s += " ";
    s += quote ? "'" + a + "'" : a;
  }
  invocation_storage() = s;
}

}  // namespace attnrmt::cli
