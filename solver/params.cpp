#include "params.hpp"

namespace attnrmt::cli {

std::vector<ParamRow> cartesian(const std::vector<ParamAxis>& axes) {
  double count = 1;
  std::string names;
  for (const auto& axis : axes) {
    count *= static_cast<double>(axis.values.size());
    if (axis.values.size() > 1) names += (names.empty() ? "" : " x ") + axis.name;
  }
  require_row_limit(count, names.empty() ? std::string("the parameters") : "the grid " + names);
  std::vector<std::size_t> sizes;
  for (const auto& axis : axes) sizes.push_back(axis.values.size());
  std::vector<ParamRow> rows;
  for (const auto& index : cartesian_indices(sizes)) {
    ParamRow r;
    for (std::size_t k = 0; k < axes.size(); ++k)
      r.emplace_back(axes[k].name, axes[k].values[index[k]]);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<std::vector<std::size_t>> cartesian_indices(const std::vector<std::size_t>& sizes) {
  std::vector<std::vector<std::size_t>> out{{}};
  for (std::size_t size : sizes) {
    std::vector<std::vector<std::size_t>> next;
    next.reserve(out.size() * size);
    for (const auto& prefix : out)
      for (std::size_t k = 0; k < size; ++k) {
        next.push_back(prefix);
        next.back().push_back(k);
      }
    out = std::move(next);
  }
  return out;
}

const Rational& lookup(const ParamRow& row, const std::string& name) {
  for (const auto& kv : row)
    if (kv.first == name) return kv.second;
  throw std::logic_error("internal: parameter '" + name + "' missing");
}

namespace {
// Decimal expansion when the denominator is 2^a 5^b.
bool terminating_decimal(const Rational& r, std::string& out) {
  BigInt num = boost::multiprecision::numerator(r), den = boost::multiprecision::denominator(r);
  int twos = 0, fives = 0;
  BigInt d = den;
  while (d % 2 == 0) {
    d /= 2;
    ++twos;
  }
  while (d % 5 == 0) {
    d /= 5;
    ++fives;
  }
  if (d != 1) return false;
  int scale = std::max(twos, fives);
  BigInt scaled = num * boost::multiprecision::pow(BigInt(10), static_cast<unsigned>(scale)) / den;
  bool negative = scaled < 0;
  if (negative) scaled = -scaled;
  std::string digits = scaled.str();
  if (scale > 0) {
    if (static_cast<int>(digits.size()) <= scale)
      digits = std::string(static_cast<std::size_t>(scale) - digits.size() + 1, '0') + digits;
    digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
  }
  out = (negative ? "-" : "") + digits;
  return true;
}
}  // namespace

TextCell rational_cell(const Rational& r) {
  std::string dec;
  if (terminating_decimal(r, dec)) return {dec, true};
  return {rational_to_string(r), false};
}

Value rational_value(const Rational& r) {
  TextCell c = rational_cell(r);
  return Value::str(c.text, !c.numeric);
}

ParamAxis read_axis(const Options& opts, const std::string& option, const std::string& column,
                    const std::string& fallback, bool allow_zero) {
  std::string text = opts.has(option) ? opts.get(option) : fallback;
  if (text.empty()) opts.get(option);  // throws "missing required option"
  ParamAxis axis{column, parse_values(text, "--" + option, allow_zero ? ">= 0" : "> 0")};
  for (const auto& v : axis.values) require_range(v, "--" + option, allow_zero);
  return axis;
}

std::vector<std::string> varying(const std::vector<ParamAxis>& axes) {
  std::vector<std::string> names;
  for (const auto& a : axes)
    if (a.values.size() > 1) names.push_back(a.name);
  return names;
}

std::vector<ParamAxis> read_axes(const Options& opts, const std::vector<StandardAxis>& which) {
  std::vector<ParamAxis> axes;
  for (StandardAxis a : which) {
    switch (a) {
      case StandardAxis::delta:
        axes.push_back(read_axis(opts, "delta", "delta", "", false));
        break;
      case StandardAxis::gamma:
        axes.push_back(read_axis(opts, "gamma", "gamma", "", false));
        break;
      case StandardAxis::rho:
        axes.push_back(read_axis(opts, "rho", "rho", "1", true));
        break;
      case StandardAxis::kappa:
        axes.push_back(read_axis(opts, "kappa", "kappa", "1", false));
        break;
    }
  }
  return axes;
}

std::vector<OptionSpec> standard_axis_options(const std::vector<StandardAxis>& which,
                                              const std::string& suffix) {
  std::vector<OptionSpec> specs;
  for (StandardAxis a : which) {
    switch (a) {
      case StandardAxis::delta:
        specs.push_back({"delta", "D", "d/V, > 0" + suffix});
        break;
      case StandardAxis::gamma:
        specs.push_back({"gamma", "G", "d/N, > 0" + suffix});
        break;
      case StandardAxis::rho:
        specs.push_back({"rho", "R", "||mu||^2, >= 0 (default 1)" + suffix});
        break;
      case StandardAxis::kappa:
        specs.push_back({"kappa", "K", "||w||^2, > 0 (default 1)" + suffix});
        break;
    }
  }
  return specs;
}

std::vector<Value> ParamGrid::leading_cells(const ParamRow& row) const {
  std::vector<Value> cells;
  for (const auto& v : varying) cells.push_back(rational_value(lookup(row, v)));
  return cells;
}

ParamGrid make_grid(const std::vector<ParamAxis>& axes) {
  return {cartesian(axes), varying(axes)};
}

std::pair<Rational, Rational> parse_complex(const std::string& text, const std::string& what) {
  std::string s = text;
  if (s.empty()) throw UsageError(what + ": empty value");
  if (s.back() != 'i') return {parse_number(s, what), Rational(0)};
  s.pop_back();
  std::size_t cut = std::string::npos;
  for (std::size_t i = 1; i < s.size(); ++i)
    if ((s[i] == '+' || s[i] == '-') && s[i - 1] != 'e' && s[i - 1] != 'E') cut = i;
  auto imag = [&](const std::string& y) {
    if (y == "+" || y.empty()) return Rational(1);
    if (y == "-") return Rational(-1);
    return parse_number(y, what + " (imaginary part of '" + excerpt(text) + "')");
  };
  if (cut == std::string::npos) return {Rational(0), imag(s)};
  return {parse_number(s.substr(0, cut), what + " (real part of '" + excerpt(text) + "')"),
          imag(s.substr(cut))};
}

std::vector<OptionSpec> with(std::vector<OptionSpec> a, const std::vector<OptionSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace attnrmt::cli
