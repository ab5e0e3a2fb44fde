// solver/plot_inputs.cpp -- parameters and figure of a plot (plot_inputs.hpp).
#include "plot_inputs.hpp"

#include <iostream>

namespace attnrmt::cli::plot {

void require_double_range(const Rational& r, const std::string& what) {
  static const Rational big(boost::multiprecision::pow(BigInt(10), 77));
  if (r != 0 && (r < 1 / big || r > big))
    throw UsageError(what + " must be 0 or within [1e-77, 1e77] for a plot (computed in double " +
                     "precision; got " + rational_to_string(r).substr(0, 40) + ")");
}

Param read_param(const Options& opts, const std::string& name, const std::string& fallback,
                 bool allow_zero) {
  Param p;
  p.text = opts.has(name) ? opts.get(name) : fallback;
  if (p.text.empty()) p.text = opts.get(name);  // required: throws the usage error
  p.exact = parse_positive_rational(p.text, "--" + name, allow_zero);
  require_double_range(p.exact, "--" + name);
  p.value = to_real<double>(p.exact);
  return p;
}

// "A:B" with A < B (and A >= lo).
std::pair<double, double> read_range(const Options& opts, const std::string& name, double lo) {
  const std::string text = opts.get(name);
  auto colon = text.find(':');
  if (colon == std::string::npos || text.find(':', colon + 1) != std::string::npos)
    throw UsageError("--" + name + " must be A:B (got '" + text + "')");
  Rational ra = parse_single(text.substr(0, colon), "--" + name);
  Rational rb = parse_single(text.substr(colon + 1), "--" + name);
  if (ra > 0) require_double_range(ra, "--" + name);
  if (rb > 0) require_double_range(rb, "--" + name);
  double a = to_real<double>(ra);
  double b = to_real<double>(rb);
  if (!(a >= lo) || !(b > a))
    throw UsageError("--" + name + " must be A:B with " + label_num(lo) + " <= A < B (got '" +
                     text + "')");
  return {a, b};
}

int read_points(const Options& opts, int fallback) {
  if (!opts.has("points")) return fallback;
  return static_cast<int>(parse_integer(opts.get("points"), "--points", 10, 100000));
}

Figure read_figure(const Options& opts) {
  Figure f;
  f.paths = figure_paths(opts.get("out"));
  f.size = parse_figure_size(opts.get_or("size", ""), opts.get_or("dpi", ""));
  f.render = !opts.has("no-render");
  f.opts = &opts;
  f.text = PlotText(f.paths.format == ImageFormat::tex);
  return f;
}

void finish(const Figure& f, const std::vector<DataBlock>& blocks, const std::string& body) {
  if (f.opts) f.opts->require_all_used();
  write_figure(f.paths, format_data(blocks, invocation()),
               make_script(f.paths, f.size, body, invocation()), f.render);
  std::cout << "wrote " << (f.render ? f.paths.image + ", " : "") << f.paths.data << ", "
            << f.paths.script << "\n";
}

}  // namespace attnrmt::cli::plot
