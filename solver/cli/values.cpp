// solver/cli/values.cpp -- lists, grids, numbers and integers (values.hpp).
#include "cli/values.hpp"

#include <cctype>
#include <iomanip>
#include <sstream>

#include "attnrmt/precision.hpp"

namespace attnrmt::cli {

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

namespace {
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

Rational parse_positive_rational(const std::string& text, const std::string& what,
                                 bool allow_zero) {
  Rational r = parse_single(text, what, allow_zero ? ">= 0" : "> 0");
  require_range(r, what, allow_zero);
  return r;
}

int requested_digits(const Options& opts) {
  if (!opts.has("digits")) return 15;
  return static_cast<int>(parse_integer(opts.get("digits"), "--digits", 1, 1000));
}

}  // namespace attnrmt::cli
