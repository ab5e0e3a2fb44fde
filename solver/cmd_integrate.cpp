// solver/cmd_integrate.cpp -- `attnrmt integrate|precision`: spectral integrals by
// contour integration (include/attnrmt/contour.hpp) and the precision study.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/quantities.hpp"
#include "attnrmt/spectral_integrals.hpp"
#include "attnrmt/spike.hpp"
#include "agreement.hpp"
#include "attnrmt/ball/certify.hpp"
#include "ball_quantities.hpp"
#include "cli.hpp"
#include "params.hpp"
#include "table_quantities.hpp"

namespace attnrmt::cli {
namespace {

Rational single_positive(const Options& opts, const std::string& name, const std::string& fallback,
                         bool allow_zero = false) {
  std::string text = opts.has(name) ? opts.get(name) : fallback;
  if (text.empty()) opts.get(name);  // throws: required
  return parse_positive_rational(text, "--" + name, allow_zero);
}

// ---- integrate ---------------------------------------------------------------

int run_integrate(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), false);
  int digits = requested_digits(opts);
  std::string law_name = opts.get_or("law", "bulk");
  if (law_name != "bulk" && law_name != "mp")
    throw UsageError("--law must be bulk or mp (got '" + law_name + "')");
  const bool mp = law_name == "mp";
  Rational delta = single_positive(opts, "delta", "");
  Rational gamma = mp ? Rational(0) : single_positive(opts, "gamma", "");
  Rational kappa = single_positive(opts, "kappa", "1");
  if (mp && (opts.has("gamma") || opts.has("kappa")))
    throw UsageError(
        "--law mp integrates against MP_delta alone: --gamma and --kappa do not apply");
  // Beyond 1e100 the atom's mass 1 - 1/delta and the contour's scale (~delta
  // gamma) leave no certifiable digit at any working precision tried
  // (delta = 1e200: "could not certify"); refuse at once instead.
  {
    const Rational limit(boost::multiprecision::pow(BigInt(10), 100));
    for (const auto& [name, value] :
         {std::pair<const char*, const Rational*>{"--delta", &delta}, {"--gamma", &gamma}})
      if (*value > limit)
        throw UsageError(std::string(name) +
                         " must be <= 1e100 for integrate (the contour route has no certified "
                         "digit beyond; got " +
                         rational_to_string(*value).substr(0, 30) + "...)");
  }
  std::vector<IntegrandSpec> specs;
  for (const auto& text : opts.all("f")) try {
      specs.push_back(parse_integrand(text));
    } catch (const std::invalid_argument& e) {  // the library names "f"; the user --f
      throw UsageError("--" + std::string(e.what()));
    }
  if (specs.empty()) opts.get("f");  // throws: required

  ContourOptions<MpReal> base;
  base.include_atom = !opts.has("exclude-atom");
  struct Extra {
    std::string error_estimate, nodes;
  };
  std::vector<Extra> extra(specs.size());  // from the last (most precise) run
  TextTable t = certify(digits, [&]() {
    RawTable raw;
    raw.columns = {"f", "value"};
    for (std::size_t i = 0; i < specs.size(); ++i) {
      ContourResult<MpReal> r;
      if (mp) {
        r = spectral_integral<MpReal>(MarchenkoPastur<MpReal>(to_real<MpReal>(delta)), specs[i],
                                      base);
      } else {
        BulkLaw<MpReal> law(to_real<MpReal>(delta), to_real<MpReal>(gamma), to_real<MpReal>(kappa));
        r = spectral_integral<MpReal>(law, specs[i], base);
      }
      if (!r.converged)
        throw std::runtime_error(specs[i].text + ": the trapezoidal rule did not converge within " +
                                 std::to_string(r.nodes) +
                                 " nodes (a singularity of f is too close to the support; "
                                 "predicted error ~ " +
                                 format_number(MpReal(r.predicted_rate), 4) + "^-N)");
      raw.rows.push_back({Value::str(specs[i].text), Value::num(r.value.re)});
      extra[i] = {format_number(r.error_estimate, 2), std::to_string(r.nodes)};
    }
    return raw;
  });
  t.columns.push_back("error_estimate");
  t.columns.push_back("nodes");
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    t.rows[i].push_back({extra[i].error_estimate, true});
    t.rows[i].push_back({extra[i].nodes, true});
  }
  t.notes.push_back(
      "error_estimate: |T_N - T_{N/2}| of the trapezoidal rule at the working precision "
      "of the more precise certification run; nodes: N");
  emit(opts, t, format);
  return 0;
}

// ---- precision -----------------------------------------------------------------

// The quantities with a contour route: the catalogue (attnrmt/quantities.hpp)
// gives their closed forms and parameters.
const std::vector<std::string> kContourQuantities = {"right_edge", "tau2", "lambda",
                                                     "alignment_mu", "log_moment"};

std::string contour_quantity_names() {
  std::string s;
  for (const auto& q : kContourQuantities) s += (s.empty() ? "" : ", ") + q;
  return s;
}

// The closed form of each quantity: its catalogue evaluator.
MpReal closed_form(const Quantity<MpReal>& q, const QuantityPoint& point) {
  return evaluate<MpReal>({&q}, point).front().number;
}

// The contour route: psi-functions against MP_delta, or log against the bulk law.
// `convergence` receives the history of the integral that decides the value.
MpReal contour_route(const std::string& q, const QuantityPoint& point, long& nodes,
                     ContourResult<MpReal>* convergence) {
  QuantityEvaluation<MpReal> e(point);
  MpReal delta = e.real("delta"), gamma = e.real("gamma");
  ContourOptions<MpReal> opts;
  opts.keep_history = convergence != nullptr;
  auto check = [](bool ok) {
    if (!ok) throw std::runtime_error("contour route did not converge (please report this input)");
  };
  if (q == "log_moment") {
    auto r = spectral_integral<MpReal>(BulkLaw<MpReal>(delta, gamma), parse_integrand("log"), opts);
    check(r.converged);
    nodes = r.nodes;
    if (convergence) *convergence = r;
    return r.value.re;
  }
  if (q == "right_edge" || q == "tau2") {
    auto th = threshold_by_contour(delta, gamma, opts);
    check(th.converged);
    nodes = th.at_root.nodes;
    if (convergence) *convergence = th.at_root.second;
    return q == "tau2" ? alpha_over_kappa_at(MpReal(delta + th.s_star), delta, e.real("rho"))
                       : th.right_edge;
  }
  auto o = outlier_by_contour(delta, gamma, e.real("rho"), e.real("alpha_over_kappa"), opts);
  nodes = o.psi.nodes;
  if (convergence) *convergence = o.psi.second;
  return q == "lambda" ? o.lambda : o.alignment_mu;
}

struct Measured {
  std::string value;  // the working digits (+5), re-read at a higher precision to compare
  double seconds = 0;
  long nodes = 0;
  std::string radius;  // ball route: the ball's radius (0: exact)
};

// Repeats `run` until 0.05 s have passed (at most 1000 times); mean time per run.
template <class F>
double time_it(F&& run) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  long reps = 0;
  double elapsed = 0;
  do {
    run();
    ++reps;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < 0.05 && reps < 1000);
  return elapsed / static_cast<double>(reps);
}

std::string seconds_text(double s) {
  std::ostringstream o;
  o.precision(3);
  o << s;
  return o.str();
}

// The ball route's value at a working precision of `digits` decimal digits
// (bits_for_digits without guard bits): its proven digits, correctly rounded
// (all of them for an exact rational), and the radius. Empty value: no digit
// proven at this precision.
Measured ball_measurement(BallEvaluator route, const QuantityPoint& point, int digits) {
  Measured m;
  BallValue v;
  const slong bits = ball::bits_for_digits(digits, 0);
  m.seconds = time_it([&]() {
    BallQuantityEvaluation e(point, bits);
    v = route(e);
  });
  if (v.kind == BallValue::Kind::exact) {
    m.value = ball::layout_decimal(ball::round_rational(v.exact, digits));
    m.radius = "0";
  } else {
    const int k = ball::proven_digits(v.value, digits);
    if (k >= 1) m.value = ball::layout_decimal(*ball::round_ball(v.value, k));
    m.radius = ball::radius_string(v.value);
  }
  return m;
}

int run_precision(const Options& opts) {
  Format format = parse_format(opts.get_or("format", "table"), true);
  const std::string q = opts.get("quantity");
  if (std::find(kContourQuantities.begin(), kContourQuantities.end(), q) ==
      kContourQuantities.end())
    throw UsageError("--quantity must be one of " + contour_quantity_names() + " (got '" +
                     excerpt(q) + "')");
  const Quantity<MpReal>& quantity = *attnrmt::find_quantity<MpReal>(q);
  // The quantity's parameters (the catalogue), each from its option; kappa
  // stays 1 (the study is in kappa units).
  QuantityPoint point;
  std::string point_text;
  for (const auto& name : quantity.parameters) {
    if (name == "kappa") continue;
    const ParameterSpec& p = *find_parameter_spec(name);
    std::string option = name;
    std::replace(option.begin(), option.end(), '_', '-');
    point.numbers[name] = single_positive(opts, option, p.default_value, p.allow_zero());
    point_text += (point_text.empty() ? "" : ", ") + name + " " +
                  rational_to_string(point.numbers[name]);
  }
  for (const char* name : {"gamma", "rho"})  // the contour routes need them
    if (!point.numbers.count(name))
      point.numbers[name] = single_positive(opts, name, name == std::string("rho") ? "1" : "",
                                            name == std::string("rho"));
  if (q == "log_moment" && (point.numbers["delta"] >= 1 || point.numbers["gamma"] >= 1))
    throw UsageError(
        "log_moment needs delta < 1 and gamma < 1 (otherwise the law has an atom or a "
        "hard edge at 0 and log t is not integrable by a contour)");
  // A population (docs/population.md): the catalogue's general route only; the
  // contour routes are isotropic.
  TextParams population_text;
  for (const char* name : {"population", "signal"})
    if (opts.has(name)) population_text[name] = opts.get(name);
  point.population = population_from_text(population_text);
  const bool with_population = !population_text.empty();
  if (with_population) {
    require_population_support({&quantity}, opts.has("population") ? "--population" : "--signal");
    if (opts.has("convergence"))
      throw UsageError("--convergence needs the contour route, which is isotropic: not with "
                       "--population/--signal");
    for (const auto& [name, text] : population_text)
      point_text += ", " + name + " " + text;
  }
  std::vector<int> list;
  {
    std::string text = opts.get_or("digits-list", "16,32,50,100");
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
      list.push_back(static_cast<int>(parse_integer(item, "--digits-list", 5, 1000)));
    if (list.empty()) throw UsageError("--digits-list: empty");
  }
  const int top = *std::max_element(list.begin(), list.end());
  const bool with_contour = !opts.has("closed-form-only") && !with_population;
  // The certified ball engine's route of the quantity (solver/ball_quantities.hpp)
  // when it covers the point (with a population: tau1, tau2, right_edge, ...);
  // log_moment has none.
  const QuantityInfo& entry = *catalogue_entries({q}).front();
  const BallEvaluator ball_eval = ball_route_covers(entry, point) ? ball_route(entry) : nullptr;
  if (opts.has("convergence") && !with_contour)
    throw UsageError("--convergence needs the contour route; drop --closed-form-only");
  // The contour route of the precision study converges for delta, gamma up to
  // 1e3 (measured: 1e3 in 5 s; 1e4 fails after 3 s, 1e12 after 32 s with "did
  // not converge"): refuse larger values at once.
  if (with_contour)
    for (const auto& [name, value] :
         {std::pair<const char*, const Rational*>{"--delta", &point.numbers["delta"]},
          {"--gamma", &point.numbers["gamma"]}})
      if (*value > 1000)
        throw UsageError(std::string(name) +
                         " must be <= 1000 for the contour route of 'precision' (got " +
                         rational_to_string(*value).substr(0, 30) +
                         "); use --closed-form-only for larger values");

  struct Row {
    int digits;
    std::string route;
    Measured m;
  };
  std::vector<Row> rows;
  ContourResult<MpReal> history;
  for (int d : list) {
    ScopedPrecision prec(static_cast<unsigned>(d));
    auto text = [d](const MpReal& x) { return x.str(d + 5, std::ios_base::scientific); };
    Measured cf;
    cf.seconds = time_it([&]() { cf.value = text(closed_form(quantity, point)); });
    rows.push_back({d, "closed_form", cf});
    if (with_contour) {
      Measured ct;
      ct.seconds = time_it([&]() { ct.value = text(contour_route(q, point, ct.nodes, nullptr)); });
      rows.push_back({d, "contour", ct});
    }
    if (ball_eval) rows.push_back({d, "ball", ball_measurement(ball_eval, point, d)});
  }

  TextTable t;
  t.columns = {"digits",  "route", "value", "agree_with_top", "agree_with_closed_form",
               "seconds", "nodes", "radius"};
  {
    ScopedPrecision prec(static_cast<unsigned>(top + 10));
    std::map<std::string, MpReal> ref;  // route -> its value at the top precision
    for (const auto& r : rows)
      if (r.digits == top && !r.m.value.empty()) ref[r.route] = MpReal(r.m.value);
    for (const auto& r : rows) {
      const bool known = !r.m.value.empty();  // a ball route may prove no digit
      MpReal number = known ? MpReal(r.m.value) : MpReal(0);
      // "ref": the top precision itself; "-": nothing to compare (no digit
      // proven here or at the top precision).
      std::string agree_top = "-";
      if (r.digits == top)
        agree_top = "ref";
      else if (known && ref.count(r.route))
        agree_top = std::to_string(agreeing_digits(number, ref[r.route], r.digits));
      MpReal closed_same;
      for (const auto& o : rows)
        if (o.digits == r.digits && o.route == "closed_form") closed_same = MpReal(o.m.value);
      std::string agree_cf = r.route != "closed_form" && known
                                 ? std::to_string(agreeing_digits(number, closed_same, r.digits))
                                 : "-";
      TextCell value_cell = !known                ? missing_cell("-")
                            : r.route == "ball" ? number_cell(r.m.value)
                                                : TextCell{format_number(number, r.digits), true};
      t.rows.push_back(
          {{std::to_string(r.digits), true},
           {r.route, false},
           value_cell,
           agree_top == "ref" || agree_top == "-" ? missing_cell(agree_top)
                                                  : number_cell(agree_top),
           agree_cf == "-" ? missing_cell("-") : number_cell(agree_cf),
           {seconds_text(r.m.seconds), true},
           r.route == "contour" ? number_cell(std::to_string(r.m.nodes)) : missing_cell("-"),
           r.route == "ball" ? number_cell(r.m.radius) : missing_cell("-")});
    }
  }
  t.notes.push_back("quantity " + q + ", " + point_text);
  if (with_population)
    t.notes.push_back(
        "closed_form: the population route (GeneralBulkLaw/GeneralSpike, docs/population.md); "
        "the contour route is isotropic and not run");
  t.notes.push_back("agree_with_top: significant digits on which the value agrees (to half a unit "
                    "in the last) with the same route at " +
                    std::to_string(top) + " digits; seconds: mean wall time per evaluation");
  if (ball_eval)
    t.notes.push_back(
        "ball: the certified engine (docs/certified.md) at the working precision's bits, no "
        "guard bits; value: its proven digits, correctly rounded (fewer than the working "
        "digits when the ball is wider); radius: the ball's radius, an upper bound of the "
        "midpoint's error (0: exact)");

  // Trapezoidal convergence of the contour route at the highest precision.
  TextTable conv;
  conv.columns = {"nodes", "error", "observed_rate", "predicted_rate"};
  if (opts.has("convergence")) {
    ScopedPrecision prec(static_cast<unsigned>(top));
    long nodes = 0;
    contour_route(q, point, nodes, &history);
    if (!history.history.empty()) {
      const Complex<MpReal>& final_value = history.value;
      MpReal floor_value = history.rounding_floor;
      MpReal previous_error = -1;
      long previous_nodes = 0;
      for (const auto& step : history.history) {
        MpReal err = attnrmt::abs(step.value - final_value);
        if (step.nodes == history.nodes || err <= floor_value) break;
        std::string rate = "-";
        if (previous_error > 0 && err > 0)
          rate = format_number(
              MpReal(pow(previous_error / err, MpReal(1) / (step.nodes - previous_nodes))), 4);
        conv.rows.push_back({{std::to_string(step.nodes), true},
                             {format_number(err, 3), true},
                             rate == "-" ? missing_cell("-") : number_cell(rate),
                             {format_number(history.predicted_rate, 4), true}});
        previous_error = err;
        previous_nodes = step.nodes;
      }
      conv.notes.push_back(
          "trapezoidal rule at " + std::to_string(top) +
          " digits, ellipse rho = " + format_number(history.rho, 6) +
          ", nearest singularity rho_f = " + format_number(history.rho_limit, 6) +
          ", final N = " + std::to_string(history.nodes) +
          "; error = |T_N - T_final|; rates per node: (err_prev/err)^(1/(N - N_prev)), predicted "
          "min(rho, rho_f/rho)");
    }
  }

  // One table per output, as every command: the convergence table on request.
  emit(opts, opts.has("convergence") ? conv : t, format);
  return 0;
}

std::vector<OptionSpec> precision_output_options() {
  auto v = common_output_options(false);
  for (auto& o : v)
    if (o.name == "format") o.help = "output format: table (default), csv, json, md, tex";
  return v;
}

const CommandRegistrar integrate_cmd{Command{
    "integrate", "integrals of f against the bulk law by contour integration",
    "integrate --delta D --gamma G [--kappa K] --f SPEC [--f SPEC ...] [--exclude-atom]\n"
    "                 [--law bulk|mp] [--digits N] [--format F]",
    "∫ f(t) dmu(t) = (1/2πi) ∮ f(z) g(z) dz on a Bernstein ellipse around the support of\n"
    "mu = kappa (MP_delta ⊠ MP_gamma) (or MP_delta alone with --law mp), trapezoidal rule with\n"
    "node doubling (include/attnrmt/contour.hpp). SPEC: power:K (moments), log (needs delta, "
    "gamma\n"
    "< 1), resolvent:L = 1/(L-t), resolvent2:L = 1/(L-t)^2, stieltjes-t:L = t/(L-t),\n"
    "stieltjes-t2:L = t^2/(L-t)^2 (L outside the support). The atom at 0 is included unless\n"
    "--exclude-atom (then the continuous part alone). Columns: f,value,error_estimate,nodes.",
    with({{"delta", "D", "d/V, > 0 (the c of MP_c with --law mp)"},
          {"gamma", "G", "d/N, > 0"},
          {"kappa", "K", "||w||^2 scale, > 0 (default 1)"},
          {"f", "SPEC",
           "integrand: power:K, log, resolvent:L, resolvent2:L, stieltjes-t:L, "
           "stieltjes-t2:L",
           true},
          {"law", "NAME", "bulk (default) or mp (MP_delta alone)"},
          {"exclude-atom", "", "integrate over the continuous part only"}},
         common_output_options()),
    run_integrate}};

const CommandRegistrar precision_cmd{Command{
    "precision", "precision study: value, agreeing digits and time per working precision",
    "precision --quantity Q --delta D --gamma G [--rho R] [--alpha-over-kappa A]\n"
    "                 [--digits-list 16,32,50,100] [--closed-form-only] [--convergence]\n"
    "                 [--population SPEC [--signal DIR]]\n"
    "                 [--format F]",
    "For Q in right_edge, tau2, lambda, alignment_mu, log_moment: one row per working precision\n"
    "(decimal digits) and route: closed_form (MPFR; bulk_law.hpp, spike.hpp, L(delta)+L(gamma)),\n"
    "contour (MPFR; psi-functions against MP_delta for right_edge, tau2, lambda, alignment_mu;\n"
    "log against the bulk law for log_moment) and ball (the certified engine, all but\n"
    "log_moment, isotropic). Columns: digits, route, value (all working digits; ball: the\n"
    "proven ones), agree_with_top (digits agreeing with the same route at the highest\n"
    "precision), agree_with_closed_form (contour and ball rows), seconds per evaluation, nodes,\n"
    "radius (ball rows: the ball's radius, an upper bound of the error); a cell that does not\n"
    "apply ('ref' for the top precision, '-') is empty in CSV and null in JSON. --convergence\n"
    "prints instead the trapezoidal convergence (nodes vs error, observed vs predicted rate per\n"
    "node) of the contour route's integral at the highest precision. kappa = 1 (lambda in kappa\n"
    "units).",
    with({{"quantity", "Q", "right_edge, tau2, lambda, alignment_mu or log_moment"},
          {"delta", "D", "d/V, > 0"},
          {"gamma", "G", "d/N, > 0"},
          {"rho", "R", "||mu||^2, >= 0 (default 1)"},
          {"alpha-over-kappa", "A", "signal-to-noise ratio (lambda, alignment_mu)"},
          {"digits-list", "LIST", "working precisions in decimal digits (default 16,32,50,100)"},
          {"closed-form-only", "", "skip the contour route"},
          {"convergence", "", "print the contour route's trapezoidal convergence table instead"},
          {"population", "SPEC",
           "population spectrum H (docs/population.md; not log_moment): the population route "
           "alone"},
          {"signal", "DIR", "direction of mu with a population: generic | eigenvector:S"}},
         precision_output_options()),
    run_precision}};

}  // namespace
}  // namespace attnrmt::cli
