// attnrmt/quantities.hpp -- the quantity catalogue: every named quantity the
// tool computes at a parameter point, declared once.
//
// Each entry gives the quantity's name, the parameters it depends on (in
// canonical order), its kind (number or text), its unit, a one-line
// description, and its evaluator, which calls the one library function that
// computes it (spike.hpp, bulk_law.hpp, weights.hpp, spectral_integrals.hpp);
// no formula is written here. The evaluator is a constructor argument of
// Quantity, so an entry without one does not compile.
//
// Parameters are declared once too, with their domains: delta, gamma > 0;
// rho >= 0; kappa > 0; alpha_over_kappa > 0; T an integer in
// 1..max_sequence_length; mean_strength >= 0; pooling and corr are spec strings
// (docs/weights.md); c > 0 (plain MP_c); x, z_re, z_im any real; q in [0, 1];
// k an integer in 1..max_moment_order; gap an integer >= 1 (which gap outlier,
// 1 = the highest); interval an integer >= 1 (which interval of the support,
// 1 = the lowest); population and signal are spec strings (docs/population.md).
//
// k, gap and interval are index parameters: they select one element of a
// sequence that an evaluation computes once (the moments m_1..m_K; the gap
// outliers of one outlier report; the support intervals of one law).
// QuantityEvaluation::set_index moves one evaluation along the index, so the K
// moments of a law cost one O(K^2) recursion. x, q, z_re and z_im are point
// parameters: the point at which a function of the law is evaluated.
// QuantityEvaluation::set_point moves one evaluation to another point and
// keeps the law (whose support is the costly part with a population), so a
// grid of x costs one law. An entry may
// also have an exact evaluator (moment: the exact fraction, which the moments
// command prints). A quantity of kind number_or_none is a number where it
// exists and the text "none" elsewhere (a gap outlier beyond the last one).
//
// population and signal are optional parameters: a quantity never requires
// them, and a row carries them only when they are given. A quantity marked
// PopulationSupport::general evaluates, when the point has a population, the
// law H ⊠ MP_delta ⊠ MP_gamma and its spike through GeneralBulkLaw and
// GeneralSpike (general_bulk.hpp, general_spike.hpp; unit kappa, scaled by
// kappa here); the others refuse a population (evaluate() throws
// std::invalid_argument naming the quantity). The spec string is parsed by the
// front end (a file: spec reads a file), which passes the result in
// QuantityPoint::population; a null population is the isotropic engine.
// check_parameter() throws std::invalid_argument naming the parameter and its
// range ("delta must be > 0 (got -1)"); front ends (CLI, Python) map the
// parameter to their own option names.
//
// Users: `attnrmt table`, `check`, `validate --from-table`, `precision`,
// `quantities`, `bulk --law mp:C`, `moments` (exact evaluator), `thresholds`,
// `outlier`, `edges` and `cauchy` (through the ball route,
// solver/ball_quantities.hpp; with --population through the evaluators here:
// `edges` from interval_count, interval_left_edge, interval_right_edge and
// atom, `bulk` from density and cdf, `cauchy` from cauchy_re and cauchy_im),
// and the Python module. docs/theory.md's index maps each
// quantity to its derivation and its tests.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/correlation.hpp"
#include "attnrmt/general_spike.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/moments.hpp"
#include "attnrmt/population.hpp"
#include "attnrmt/rational.hpp"
#include "attnrmt/spectral_integrals.hpp"
#include "attnrmt/spike.hpp"
#include "attnrmt/weights.hpp"

namespace attnrmt {

enum class ParameterDomain {
  positive,
  nonnegative,
  real,
  probability,
  moment_order,
  positive_index,
  sequence_length,
  spec
};

struct ParameterSpec {
  std::string name;
  ParameterDomain domain;
  std::string default_value;  ///< empty: required when a quantity needs it
  std::string description;

  bool is_text() const { return domain == ParameterDomain::spec; }
  bool allow_zero() const { return domain == ParameterDomain::nonnegative; }
  /// "> 0", ">= 0", "an integer in 1..10000", "a spec".
  std::string range() const {
    switch (domain) {
      case ParameterDomain::positive:
        return "> 0";
      case ParameterDomain::nonnegative:
        return ">= 0";
      case ParameterDomain::real:
        return "a real number";
      case ParameterDomain::probability:
        return "in [0, 1]";
      case ParameterDomain::moment_order:
        return "an integer in 1.." + std::to_string(max_moment_order);
      case ParameterDomain::positive_index:
        return "an integer >= 1";
      case ParameterDomain::sequence_length:
        return "an integer in 1.." + std::to_string(max_sequence_length);
      case ParameterDomain::spec:
        return "a non-empty spec";
    }
    return "";
  }
};

/// All parameters, in canonical column order.
inline const std::vector<ParameterSpec>& parameter_catalogue() {
  static const std::vector<ParameterSpec> p = {
      {"delta", ParameterDomain::positive, "", "d/V, > 0"},
      {"gamma", ParameterDomain::positive, "", "d/N, > 0"},
      {"rho", ParameterDomain::nonnegative, "1", "||mu||^2, >= 0 (default 1)"},
      {"kappa", ParameterDomain::positive, "1", "||w||^2, > 0 (default 1)"},
      {"alpha_over_kappa", ParameterDomain::positive, "", "signal-to-noise ratio alpha/kappa, > 0"},
      {"mean_strength", ParameterDomain::nonnegative, "",
       "sigma^2/kappa of the vocabulary mean (mean pooling: T), >= 0"},
      {"T", ParameterDomain::sequence_length, "",
       "sequence length, an integer in 1.." + std::to_string(max_sequence_length)},
      {"pooling", ParameterDomain::spec, "",
       "pooling scheme: mean | causal[:TAU] | optimal | last[:TAU]"},
      {"corr", ParameterDomain::spec, "identity",
       "positional correlation: identity (default) | markov:R | latent-exp:A,L | latent:P1,..."},
      {"c", ParameterDomain::positive, "", "ratio of the plain Marchenko-Pastur law MP_c, > 0"},
      {"x", ParameterDomain::real, "", "point at which a density or CDF is evaluated"},
      {"q", ParameterDomain::probability, "", "probability level of a quantile, in [0, 1]"},
      {"z_re", ParameterDomain::real, "", "real part of the point z of a Cauchy transform"},
      {"z_im", ParameterDomain::real, "0",
       "imaginary part of z (default 0: on the real axis, g(x + i0))"},
      {"k", ParameterDomain::moment_order, "",
       "order of a moment, an integer in 1.." + std::to_string(max_moment_order)},
      {"gap", ParameterDomain::positive_index, "",
       "which gap outlier, an integer >= 1 (1: the one in the highest gap of the support)"},
      {"interval", ParameterDomain::positive_index, "",
       "which interval of the support, an integer >= 1 (1: the lowest)"},
      {"population", ParameterDomain::spec, "isotropic",
       "population spectrum H of Sigma (optional): isotropic (default) | atoms:T1@W1,... | "
       "file:PATH"},
      {"signal", ParameterDomain::spec, "generic",
       "direction of mu (optional, with population): generic (default) | eigenvector:S"},
  };
  return p;
}

/// True for the optional parameters population and signal (see the header).
inline bool is_population_parameter(const std::string& name) {
  return name == "population" || name == "signal";
}

/// True for the index parameters k, gap and interval: each selects one element
/// of a sequence that an evaluation computes once for all its elements (the
/// moments m_1..m_K, the gap outliers, the support intervals), so no shared
/// intermediate result of QuantityEvaluation depends on them
/// (QuantityEvaluation::set_index).
inline bool is_index_parameter(const std::string& name) {
  return name == "k" || name == "gap" || name == "interval";
}

/// True for the point parameters x, q, z_re and z_im: the point at which a
/// function of the law (density, CDF, quantile, Cauchy transform) is evaluated.
/// No law, threshold or report depends on them; only the Cauchy transform at
/// the point does (QuantityEvaluation::set_point).
inline bool is_point_parameter(const std::string& name) {
  return name == "x" || name == "q" || name == "z_re" || name == "z_im";
}

/// nullptr when unknown.
inline const ParameterSpec* find_parameter_spec(const std::string& name) {
  for (const auto& p : parameter_catalogue())
    if (p.name == name) return &p;
  return nullptr;
}

/// Throws std::invalid_argument unless `value` lies in the parameter's domain.
inline void check_parameter(const ParameterSpec& p, const Rational& value) {
  bool ok = true;
  switch (p.domain) {
    case ParameterDomain::positive:
      ok = value > 0;
      break;
    case ParameterDomain::nonnegative:
      ok = value >= 0;
      break;
    case ParameterDomain::real:
      break;
    case ParameterDomain::probability:
      ok = value >= 0 && value <= 1;
      break;
    case ParameterDomain::moment_order:
      ok =
          boost::multiprecision::denominator(value) == 1 && value >= 1 && value <= max_moment_order;
      break;
    case ParameterDomain::positive_index:
      ok = boost::multiprecision::denominator(value) == 1 && value >= 1;
      break;
    case ParameterDomain::sequence_length:
      ok = boost::multiprecision::denominator(value) == 1 && value >= 1 &&
           value <= max_sequence_length;
      break;
    case ParameterDomain::spec:
      throw std::invalid_argument(p.name + " is a spec, not a number");
  }
  if (!ok)
    throw std::invalid_argument(p.name + " must be " + p.range() + " (got " +
                                rational_to_string(value) + ")");
}

/// Throws std::invalid_argument unless `value` is a valid text value (pooling:
/// a scheme spec; corr: non-empty, checked fully at evaluation against T).
inline void check_text_parameter(const ParameterSpec& p, const std::string& value) {
  if (!p.is_text()) throw std::invalid_argument(p.name + " is a number, not a spec");
  if (value.empty()) throw std::invalid_argument(p.name + " must not be empty");
  if (p.name == "pooling") PoolingScheme::parse(value);
}

/// One parameter point: exact numbers and spec strings by parameter name, and
/// the population H with the signal direction (null: isotropic engine).
struct QuantityPoint {
  std::map<std::string, Rational> numbers;
  std::map<std::string, std::string> text;
  std::shared_ptr<const PopulationSpec> population;
};

/// One evaluated quantity: a number, or text (regime; "none" for a quantity
/// that does not exist at the point, such as a gap outlier beyond the last).
template <class Real>
struct QuantityValue {
  bool is_text = false;
  Real number{0};
  std::string text;
};

/// The evaluation of quantities at one point: the shared intermediate results
/// (thresholds, bulk law, outlier report, scheme summary, the exact moment
/// sequence) are computed on first use and reused by the quantities that need
/// them. set_index() moves the evaluation to the point that differs only in an
/// index parameter (k, gap, interval), keeping every shared result: the K
/// moments of one law, all gap outliers of one report, or all intervals of one
/// support cost one evaluation. set_point() moves it to the point that differs
/// only in a point parameter (x, q, z_re, z_im), keeping the law: a grid of x
/// or a list of z costs one law (one support search with a population). A
/// moved evaluation gives the same values, bit for bit, as a fresh evaluation
/// at the moved point (tests/test_population_catalogue.cpp).
template <class Real>
class QuantityEvaluation {
 public:
  explicit QuantityEvaluation(const QuantityPoint& point) : point_(point) {}
  QuantityEvaluation(const QuantityEvaluation&) = delete;  // spike_ refers to bulk_
  QuantityEvaluation& operator=(const QuantityEvaluation&) = delete;

  /// Sets the index parameter `name` (k, gap or interval) to `value` for the
  /// following evaluations, in place of the point's own value. Throws
  /// std::invalid_argument when `value` is outside the parameter's domain.
  void set_index(const std::string& name, const Rational& value) {
    if (!is_index_parameter(name))
      throw std::logic_error("internal: '" + name + "' is not an index parameter");
    check_parameter(*find_parameter_spec(name), value);
    moved_[name] = value;
  }

  /// Sets the point parameter `name` (x, q, z_re or z_im) to `value` for the
  /// following evaluations, in place of the point's own value; the laws, the
  /// thresholds and the reports are kept, the Cauchy transform at the old z
  /// is dropped. Throws std::invalid_argument when `value` is outside the
  /// parameter's domain (q in [0, 1]).
  void set_point(const std::string& name, const Rational& value) {
    if (!is_point_parameter(name))
      throw std::logic_error("internal: '" + name + "' is not a point parameter");
    check_parameter(*find_parameter_spec(name), value);
    moved_[name] = value;
    if (name == "z_re" || name == "z_im") cauchy_.reset();
  }

  const Rational& exact(const char* name) const {
    if (auto ix = moved_.find(name); ix != moved_.end()) return ix->second;
    auto it = point_.numbers.find(name);
    if (it == point_.numbers.end())
      throw std::logic_error(std::string("internal: parameter '") + name + "' missing");
    return it->second;
  }
  Real real(const char* name) const { return to_real<Real>(exact(name)); }
  const std::string& text(const char* name) const {
    auto it = point_.text.find(name);
    if (it == point_.text.end())
      throw std::logic_error(std::string("internal: parameter '") + name + "' missing");
    return it->second;
  }
  /// kappa, 1 when the point has none (quantities in kappa units).
  Rational kappa() const {
    auto it = point_.numbers.find("kappa");
    return it == point_.numbers.end() ? Rational(1) : it->second;
  }
  Real kappa_real() const { return to_real<Real>(kappa()); }

  const Thresholds<Real>& thresholds() {
    if (!thresholds_) thresholds_ = attnrmt::thresholds(real("delta"), real("gamma"), real("rho"));
    return *thresholds_;
  }
  const BulkLaw<Real>& law() {
    if (!law_) law_.emplace(BulkLaw<Real>::from_exact(exact("delta"), exact("gamma"), kappa()));
    return *law_;
  }
  /// g(z_re + i z_im) of the bulk law.
  const Complex<Real>& cauchy() {
    if (!cauchy_) cauchy_ = law().cauchy(Complex<Real>(real("z_re"), real("z_im")));
    return *cauchy_;
  }
  /// kappa MP_c.
  MarchenkoPastur<Real> mp_law() const {
    return MarchenkoPastur<Real>(real("c"), to_real<Real>(kappa()));
  }
  /// The outlier report with the regime and the cancelling differences in
  /// exact arithmetic (exact_spike): right at a threshold the regime does not
  /// depend on rounding.
  const OutlierReport<Real>& report() {
    if (!report_) {
      ExactSpike e =
          exact_spike(exact("delta"), exact("gamma"), exact("rho"), exact("alpha_over_kappa"));
      report_ = outlier_report(law(), real("rho"), real("alpha_over_kappa"), std::nullopt, &e);
    }
    return *report_;
  }
  Regime exact_regime() const {
    return regime_of<Rational>(exact("delta"), exact("gamma"), exact("rho"),
                               exact("alpha_over_kappa"));
  }
  // ---- population (general_bulk.hpp, general_spike.hpp), unit kappa ----

  /// True when the point carries a population (the general engine).
  bool has_population() const { return point_.population != nullptr; }
  const Population<Real>& population() {
    if (!population_) population_.emplace(*point_.population);
    return *population_;
  }
  /// H ⊠ MP_delta ⊠ MP_gamma, or H ⊠ MP_delta when the point has no gamma (tau1).
  const GeneralBulkLaw<Real>& general_bulk() {
    if (!general_bulk_) {
      const bool with_gamma = point_.numbers.count("gamma") != 0;
      general_bulk_.emplace(population(), real("delta"), with_gamma ? real("gamma") : Real(0));
    }
    return *general_bulk_;
  }
  const GeneralSpike<Real>& general_spike() {
    if (!general_spike_) general_spike_.emplace(general_bulk(), real("rho"));
    return *general_spike_;
  }
  const GeneralOutlierReport<Real>& general_report() {
    if (!general_report_) general_report_ = general_spike().report(real("alpha_over_kappa"));
    return *general_report_;
  }
  /// Right edge of H ⊠ MP_delta, x_nu(w_nu+) (as GeneralThresholds::table_edge;
  /// x_nu and w_nu+ do not depend on gamma or rho).
  Real general_table_edge() {
    const auto& bulk = general_bulk();
    return bulk.x_nu(bulk.sublevel_right_end(bulk.delta()));
  }
  /// g(z) of kappa (H ⊠ MP_delta ⊠ MP_gamma): g_1(z / kappa) / kappa.
  const Complex<Real>& general_cauchy() {
    if (!cauchy_) {
      const Real k = to_real<Real>(kappa());
      cauchy_ = general_bulk().cauchy(Complex<Real>(real("z_re") / k, real("z_im") / k)) / k;
    }
    return *cauchy_;
  }
  /// The k-th moment of kappa (H ⊠ MP_delta ⊠ MP_gamma) by population_moments
  /// (all terms positive: no cancellation at working precision).
  Real general_moment(int k) {
    const auto& H = population();
    std::vector<Real> h;
    for (int j = 0; j <= k; ++j) {
      Real sum(0);
      for (std::size_t i = 0; i < H.size(); ++i) {
        Real tj(1);
        for (int r = 0; r < j; ++r) tj *= H.atoms()[i];
        sum += H.weights()[i] * tj;
      }
      h.push_back(sum);
    }
    Real m = population_moments<Real>(h, real("delta"), real("gamma"), k).back();
    const Real kap = to_real<Real>(kappa());
    for (int r = 0; r < k; ++r) m *= kap;
    return m;
  }

  /// kappa^j m_j, j = 1..k, in exact arithmetic: exact_moments (moments.hpp,
  /// O(k^2)) or, with a population, population_moments over the exact power
  /// moments of H (population.hpp). The sequence is kept, so the points that
  /// differ only in k share it; a later call with a higher k computes it again
  /// (evaluate the highest order first).
  const std::vector<Rational>& exact_moment_sequence(int k) {
    if (static_cast<int>(exact_moments_.size()) >= k) return exact_moments_;
    if (!has_population()) {
      exact_moments_ = exact_moments(k, exact("delta"), exact("gamma"), kappa());
      return exact_moments_;
    }
    std::vector<Rational> h;
    for (int j = 0; j <= k; ++j) h.push_back(point_.population->power_moment(j));
    const auto m = population_moments<Rational>(h, exact("delta"), exact("gamma"), k);
    exact_moments_.clear();
    Rational kappa_power(1);
    for (const Rational& v : m) {
      kappa_power *= kappa();
      exact_moments_.push_back(v * kappa_power);
    }
    return exact_moments_;
  }
  /// The order k of the point (or of set_index), as an int.
  int moment_order() const {
    return boost::multiprecision::numerator(exact("k")).template convert_to<int>();
  }

  /// Number of gap outliers (GeneralSpike::report; 0 without a population: the
  /// support of MP_delta ⊠ MP_gamma is one interval).
  std::size_t gap_outlier_count() { return has_population() ? general_report().gaps.size() : 0; }
  /// The gap outlier selected by the index parameter gap, counted from the
  /// highest gap down (gap = 1: the highest); nullptr when there is none.
  const GeneralOutlier<Real>* gap_outlier() {
    const std::size_t n = gap_outlier_count();
    const Rational& k = exact("gap");
    if (k > Rational(n)) return nullptr;
    const auto i = boost::multiprecision::numerator(k).template convert_to<std::size_t>();
    return &general_report().gaps[n - i];
  }
  /// Number of intervals of the support of the continuous part: those of
  /// GeneralBulkLaw::support(), or 1 without a population (the support of
  /// MP_delta ⊠ MP_gamma is one interval, [left_edge, right_edge]).
  std::size_t interval_count() { return has_population() ? general_bulk().support().size() : 1; }
  /// The edges (left, right), times kappa, of the interval selected by the
  /// index parameter interval (1: the lowest); nullopt beyond the last.
  std::optional<std::pair<Real, Real>> support_interval() {
    const Rational& i = exact("interval");
    if (i > Rational(interval_count())) return std::nullopt;
    if (!has_population()) return std::make_pair(law().left_edge(), law().right_edge());
    const auto n = boost::multiprecision::numerator(i).template convert_to<std::size_t>();
    const SupportInterval<Real>& iv = general_bulk().support()[n - 1];
    const Real k = kappa_real();
    return std::make_pair(Real(k * iv.left), Real(k * iv.right));
  }
  /// The vocabulary-mean spike of the general law (GeneralSpike::mean_spike).
  const GeneralOutlier<Real>& general_mean_spike() {
    if (!general_mean_spike_)
      general_mean_spike_ = GeneralSpike<Real>::mean_spike(general_bulk(), real("mean_strength"));
    return *general_mean_spike_;
  }

  const SchemeSummary<Real>& scheme() {
    if (!scheme_) {
      const int T = boost::multiprecision::numerator(exact("T")).template convert_to<int>();
      PositionalCorrelation R = PositionalCorrelation::from_spec(text("corr"), T);
      if (R.length() != T)
        throw std::invalid_argument("corr " + text("corr") + " has length " +
                                    std::to_string(R.length()) + " but T is " + std::to_string(T));
      scheme_ = evaluate_scheme<Real>(PoolingScheme::parse(text("pooling")), R);
    }
    return *scheme_;
  }

 private:
  const QuantityPoint& point_;
  std::map<std::string, Rational> moved_;  ///< set_index, set_point
  std::vector<Rational> exact_moments_;
  std::optional<GeneralOutlier<Real>> general_mean_spike_;
  std::optional<Thresholds<Real>> thresholds_;
  std::optional<BulkLaw<Real>> law_;
  std::optional<OutlierReport<Real>> report_;
  std::optional<SchemeSummary<Real>> scheme_;
  std::optional<Complex<Real>> cauchy_;
  std::optional<Population<Real>> population_;
  std::optional<GeneralBulkLaw<Real>> general_bulk_;
  std::optional<GeneralSpike<Real>> general_spike_;
  std::optional<GeneralOutlierReport<Real>> general_report_;
};

/// number; text (regime); number_or_none: a number, or the text "none" when
/// the quantity does not exist at the point (a gap outlier beyond the last).
enum class QuantityKind { number, text, number_or_none };

/// Whether a quantity honours the optional population / signal parameters.
enum class PopulationSupport {
  isotropic_only,  ///< refuses a population (no general form in the library)
  general          ///< evaluated through GeneralBulkLaw / GeneralSpike with one
};

/// A catalogue entry. `evaluate` (required: an entry without one does not
/// compile) gives the value at the working precision of Real; `exact`
/// (optional) gives the exact rational value, for a quantity that has one at
/// every point (moment: the `moments` command prints fractions).
template <class Real>
struct Quantity {
  using Evaluator = QuantityValue<Real> (*)(QuantityEvaluation<Real>&);
  using ExactEvaluator = Rational (*)(QuantityEvaluation<Real>&);

  Quantity(std::string name_, std::vector<std::string> parameters_, QuantityKind kind_,
           std::string unit_, std::string description_, Evaluator evaluate_,
           PopulationSupport population_ = PopulationSupport::isotropic_only,
           ExactEvaluator exact_ = nullptr)
      : name(std::move(name_)),
        parameters(std::move(parameters_)),
        is_text(kind_ == QuantityKind::text),
        may_be_none(kind_ == QuantityKind::number_or_none),
        unit(std::move(unit_)),
        description(std::move(description_)),
        evaluate(evaluate_),
        population(population_),
        exact(exact_) {}

  std::string name;
  std::vector<std::string> parameters;  ///< in canonical parameter order
  bool is_text;                         ///< regime: a name, not a number
  bool may_be_none;                     ///< a number, or "none" where it does not exist
  std::string unit;
  std::string description;
  Evaluator evaluate;
  PopulationSupport population;
  ExactEvaluator exact;  ///< nullptr: no exact value
  bool supports_population() const { return population == PopulationSupport::general; }
};

namespace detail {
template <class Real>
QuantityValue<Real> number(const Real& x) {
  QuantityValue<Real> v;
  v.number = x;
  return v;
}
template <class Real>
QuantityValue<Real> text(const std::string& s) {
  QuantityValue<Real> v;
  v.is_text = true;
  v.text = s;
  return v;
}
/// The value of a number_or_none quantity where it does not exist.
template <class Real>
QuantityValue<Real> none() {
  return text<Real>("none");
}
}  // namespace detail

/// The catalogue, in output-column order.
template <class Real>
const std::vector<Quantity<Real>>& quantity_catalogue() {
  using E = QuantityEvaluation<Real>;
  using detail::number;
  const auto N = QuantityKind::number;
  const auto NN = QuantityKind::number_or_none;
  const auto G = PopulationSupport::general;
  using detail::none;
  static const std::vector<Quantity<Real>> q = {
      {"tau1",
       {"delta", "rho"},
       N,
       "alpha/kappa",
       "table-level threshold in alpha/kappa, (delta + sqrt(delta))/(rho + delta)",
       [](E& e) {
         if (e.has_population()) return number(e.general_spike().thresholds().a1);
         return number(alpha_over_kappa_at(table_threshold_strength(e.real("delta")),
                                           e.real("delta"), e.real("rho")));
       },
       G},
      {"tau2",
       {"delta", "gamma", "rho"},
       N,
       "alpha/kappa",
       "sample-level threshold in alpha/kappa, (delta + s*)/(rho + delta)",
       [](E& e) {
         if (e.has_population()) return number(e.general_spike().thresholds().a2);
         return number(e.thresholds().tau2);
       },
       G},
      {"omega1",
       {"delta"},
       N,
       "spike strength",
       "spike strength at tau1, delta + sqrt(delta)",
       [](E& e) { return number(table_threshold_strength(e.real("delta"))); }},
      {"omega2",
       {"delta", "gamma"},
       N,
       "spike strength",
       "spike strength at tau2, delta + s*",
       [](E& e) { return number(sample_threshold_strength(e.real("delta"), e.real("gamma"))); }},
      {"table_edge",
       {"delta", "kappa"},
       N,
       "eigenvalue",
       "right edge of the table-level law kappa MP_delta, kappa (1 + sqrt(delta))^2 (kappa (H ⊠ "
       "MP_delta) with a population)",
       [](E& e) {
         if (e.has_population()) return number(Real(e.kappa_real() * e.general_table_edge()));
         return number(MarchenkoPastur<Real>(e.real("delta"), e.kappa_real()).right_edge());
       },
       G},
      {"right_edge",
       {"delta", "gamma", "kappa"},
       N,
       "eigenvalue",
       "right edge of kappa (MP_delta ⊠ MP_gamma)",
       [](E& e) {
         if (e.has_population())
           return number(Real(e.kappa_real() * e.general_bulk().right_edge()));
         return number(e.law().right_edge());
       },
       G},
      {"left_edge",
       {"delta", "gamma", "kappa"},
       N,
       "eigenvalue",
       "left edge of the continuous part (0 for a hard edge)",
       [](E& e) {
         if (e.has_population()) return number(Real(e.kappa_real() * e.general_bulk().left_edge()));
         return number(e.law().left_edge());
       },
       G},
      {"atom",
       {"delta", "gamma"},
       N,
       "probability",
       "mass at 0, max(0, 1 - 1/delta, 1 - 1/gamma)",
       [](E& e) {
         if (e.has_population()) return number(e.general_bulk().atom());
         return number(e.law().atom());
       },
       G},
      {"interval_count",
       {"delta", "gamma"},
       N,
       "count",
       "number of intervals of the support of the continuous part (1 for every isotropic law; "
       "more where a population splits the support)",
       [](E& e) { return number(Real(static_cast<long>(e.interval_count()))); },
       G},
      {"interval_left_edge",
       {"delta", "gamma", "kappa", "interval"},
       NN,
       "eigenvalue",
       "left edge of the interval-th interval of the support (1: the lowest; none beyond the "
       "last)",
       [](E& e) {
         const auto iv = e.support_interval();
         return iv ? number(iv->first) : none<Real>();
       },
       G},
      {"interval_right_edge",
       {"delta", "gamma", "kappa", "interval"},
       NN,
       "eigenvalue",
       "right edge of the interval-th interval of the support (1: the lowest; none beyond the "
       "last)",
       [](E& e) {
         const auto iv = e.support_interval();
         return iv ? number(iv->second) : none<Real>();
       },
       G},
      {"log_moment",
       {"delta", "gamma", "kappa"},
       N,
       "log eigenvalue",
       "E log x = log kappa + L(delta) + L(gamma), L(c) = -1 - (1/c - 1) log(1 - c); delta, gamma "
       "< 1",
       [](E& e) {
         using std::log;
         for (const char* c : {"delta", "gamma"})
           if (!(e.exact(c) < 1))
             throw std::invalid_argument(std::string(c) +
                                         " must be < 1 for log_moment (the law has an atom at 0, "
                                         "where log is -infinity; got " +
                                         rational_to_string(e.exact(c)) + ")");
         return number(Real(log(to_real<Real>(e.kappa())) + mp_log_moment(e.real("delta")) +
                            mp_log_moment(e.real("gamma"))));
       }},
      {"density",
       {"delta", "gamma", "kappa", "x"},
       N,
       "probability density",
       "density of the continuous part of kappa (MP_delta ⊠ MP_gamma) at x (0 outside the support)",
       [](E& e) {
         if (e.has_population()) {
           const Real k = e.kappa_real();
           return number(Real(e.general_bulk().density(e.real("x") / k) / k));
         }
         return number(e.law().density(e.real("x")));
       },
       G},
      {"cdf",
       {"delta", "gamma", "kappa", "x"},
       N,
       "probability",
       "CDF of kappa (MP_delta ⊠ MP_gamma) at x, the atom at 0 included",
       [](E& e) {
         if (e.has_population()) return number(e.general_bulk().cdf(e.real("x") / e.kappa_real()));
         return number(e.law().cdf(e.real("x")));
       },
       G},
      {"quantile",
       {"delta", "gamma", "kappa", "q"},
       N,
       "eigenvalue",
       "smallest x with CDF(x) >= q for kappa (MP_delta ⊠ MP_gamma) (0 inside the atom)",
       [](E& e) {
         if (e.has_population())
           return number(Real(e.kappa_real() * e.general_bulk().quantile(e.real("q"))));
         return number(e.law().quantile(e.real("q")));
       },
       G},
      {"cauchy_re",
       {"delta", "gamma", "kappa", "z_re", "z_im"},
       N,
       "1/eigenvalue",
       "Re g(z), g(z) = ∫ dmu(t)/(z - t) of kappa (MP_delta ⊠ MP_gamma) (g(x + i0) on the axis)",
       [](E& e) { return number(e.has_population() ? e.general_cauchy().re : e.cauchy().re); },
       G},
      {"cauchy_im",
       {"delta", "gamma", "kappa", "z_re", "z_im"},
       N,
       "1/eigenvalue",
       "Im g(z) (-pi times the density at a point of the support on the axis)",
       [](E& e) { return number(e.has_population() ? e.general_cauchy().im : e.cauchy().im); },
       G},
      {"moment",
       {"delta", "gamma", "kappa", "k"},
       N,
       "eigenvalue^k",
       "k-th moment ∫ t^k dmu(t) of kappa (MP_delta ⊠ MP_gamma) (exact rational in the moments "
       "command)",
       [](E& e) {
         const int k = e.moment_order();
         if (e.has_population()) return number(e.general_moment(k));
         return number(e.law().moment(k));
       },
       G,
       [](E& e) {
         const int k = e.moment_order();
         return e.exact_moment_sequence(k)[static_cast<std::size_t>(k - 1)];
       }},
      {"mp_density",
       {"kappa", "c", "x"},
       N,
       "probability density",
       "density of the continuous part of the plain Marchenko-Pastur law kappa MP_c at x",
       [](E& e) { return number(e.mp_law().density(e.real("x"))); }},
      {"mp_cdf",
       {"kappa", "c", "x"},
       N,
       "probability",
       "CDF of kappa MP_c at x, the atom max(0, 1 - 1/c) at 0 included",
       [](E& e) { return number(e.mp_law().cdf(e.real("x"))); }},
      {"mp_quantile",
       {"kappa", "c", "q"},
       N,
       "eigenvalue",
       "smallest x with CDF(x) >= q for kappa MP_c (0 inside the atom)",
       [](E& e) { return number(e.mp_law().quantile(e.real("q"))); }},
      {"lambda",
       {"delta", "gamma", "rho", "kappa", "alpha_over_kappa"},
       N,
       "eigenvalue",
       "top eigenvalue of C: the outlier when detectable, else the right edge",
       [](E& e) {
         if (e.has_population())
           return number(Real(e.kappa_real() * e.general_report().top.lambda));
         return number(e.report().spike.lambda);
       },
       G},
      {"alignment_mu",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       N,
       "squared cosine",
       "squared cosine of the top eigenvector with mu (0 unless detectable)",
       [](E& e) {
         if (e.has_population()) return number(e.general_report().top.A_mu);
         return number(e.report().alignment_mu);
       },
       G},
      {"alignment_u",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       N,
       "squared cosine",
       "squared cosine of the top eigenvector with u (0 unless detectable)",
       [](E& e) {
         if (e.has_population()) return number(e.general_report().top.A_u);
         return number(e.report().spike.alignment_u);
       },
       G},
      {"population_outlier",
       {"delta", "gamma", "rho", "kappa", "alpha_over_kappa"},
       N,
       "eigenvalue",
       "top eigenvalue of the population covariance: kappa omega (s+1)/s above tau1, else the "
       "MP_delta edge kappa (1 + sqrt(delta))^2",
       [](E& e) {
         if (e.has_population()) return number(Real(e.kappa_real() * e.general_report().top.ell));
         return number(e.report().spike.population_eigenvalue);
       },
       G},
      {"population_alignment",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       N,
       "squared cosine",
       "squared cosine of the population spike eigenvector with u: 1 - delta/s^2 above tau1, else "
       "0",
       [](E& e) {
         if (e.has_population()) {
           const auto& top = e.general_report().top;
           return number(top.table_outlier ? top.a_pop_u : Real(0));
         }
         return number(e.report().spike.population_alignment);
       },
       G},
      {"gap_outlier_count",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       N,
       "count",
       "number of outliers inside gaps of a split support, at table level (0 when the support is "
       "one interval, as for every isotropic law)",
       [](E& e) { return number(Real(static_cast<long>(e.gap_outlier_count()))); },
       G},
      {"gap_regime",
       {"delta", "gamma", "rho", "alpha_over_kappa", "gap"},
       QuantityKind::text,
       "name",
       "the gap-th gap outlier (1: in the highest gap): detectable (an outlier of the sample "
       "covariance), table-only, or none (there is no gap-th gap outlier)",
       [](E& e) {
         const auto* o = e.gap_outlier();
         return detail::text<Real>(regime_name(!o                  ? Regime::none
                                               : o->sample_outlier ? Regime::detectable
                                                                   : Regime::table_only));
       },
       G},
      {"gap_lambda",
       {"delta", "gamma", "rho", "kappa", "alpha_over_kappa", "gap"},
       NN,
       "eigenvalue",
       "eigenvalue of the gap-th gap outlier of C (none when it is table-only or absent)",
       [](E& e) {
         const auto* o = e.gap_outlier();
         if (!o || !o->sample_outlier) return none<Real>();
         return number(Real(e.kappa_real() * o->lambda));
       },
       G},
      {"gap_alignment_mu",
       {"delta", "gamma", "rho", "alpha_over_kappa", "gap"},
       NN,
       "squared cosine",
       "squared cosine of the gap-th gap outlier's eigenvector with mu (0 when table-only, none "
       "when absent)",
       [](E& e) {
         const auto* o = e.gap_outlier();
         return o ? number(o->A_mu) : none<Real>();
       },
       G},
      {"gap_alignment_u",
       {"delta", "gamma", "rho", "alpha_over_kappa", "gap"},
       NN,
       "squared cosine",
       "squared cosine of the gap-th gap outlier's eigenvector with u (0 when table-only, none "
       "when absent)",
       [](E& e) {
         const auto* o = e.gap_outlier();
         return o ? number(o->A_u) : none<Real>();
       },
       G},
      {"gap_population_outlier",
       {"delta", "gamma", "rho", "kappa", "alpha_over_kappa", "gap"},
       NN,
       "eigenvalue",
       "eigenvalue of the gap-th gap outlier of the population covariance (none when absent)",
       [](E& e) {
         const auto* o = e.gap_outlier();
         return o ? number(Real(e.kappa_real() * o->ell)) : none<Real>();
       },
       G},
      {"gap_population_alignment",
       {"delta", "gamma", "rho", "alpha_over_kappa", "gap"},
       NN,
       "squared cosine",
       "squared cosine of the gap-th population gap outlier's eigenvector with u (none when "
       "absent)",
       [](E& e) {
         const auto* o = e.gap_outlier();
         if (!o) return none<Real>();
         return number(o->table_outlier ? o->a_pop_u : Real(0));
       },
       G},
      {"mean_outlier",
       {"delta", "gamma", "kappa", "mean_strength"},
       N,
       "eigenvalue",
       "top eigenvalue from the vocabulary mean of the uncentred covariance, sigma^2/kappa = M: "
       "the outlier of a spike of strength delta M, else the right edge",
       [](E& e) {
         if (e.has_population())
           return number(Real(e.kappa_real() * e.general_mean_spike().lambda));
         return number(mean_outlier(e.law(), e.real("mean_strength")));
       },
       G},
      {"mean_alignment",
       {"delta", "gamma", "mean_strength"},
       N,
       "squared cosine",
       "squared cosine of the vocabulary-mean outlier's eigenvector with Z 1/V (A_u of a spike of "
       "strength delta M; 0 when undetectable)",
       [](E& e) {
         if (e.has_population()) return number(e.general_mean_spike().A_u);
         return number(mean_outlier_alignment(e.law(), e.real("mean_strength")));
       },
       G},
      {"regime",
       {"delta", "gamma", "rho", "alpha_over_kappa"},
       QuantityKind::text,
       "name",
       "none, table-only or detectable",
       [](E& e) {
         // Exact in rational arithmetic: at a threshold itself (P(s) = 0, e.g.
         // delta = gamma = 0.1, rho = 0.5, alpha/kappa = 1) a floating-point
         // evaluation of the sign depends on rounding.
         // With a population the regime comes from GeneralSpike (a relative
         // margin of 64 eps around the thresholds).
         return detail::text<Real>(
             regime_name(e.has_population() ? e.general_report().regime : e.exact_regime()));
       },
       G},
      {"scheme_alpha_over_kappa",
       {"T", "pooling", "corr"},
       N,
       "alpha/kappa",
       "alpha/kappa = w^T R w / ||w||^2 of the pooling weights w (lambda_max(R) for optimal)",
       [](E& e) { return number(e.scheme().alpha_over_kappa); }},
      {"scheme_kappa",
       {"T", "pooling", "corr"},
       N,
       "||w||^2",
       "kappa = ||w||^2 of the pooling weights w (normalised as by 'attnrmt weights')",
       [](E& e) { return number(e.scheme().kappa); }},
      {"scheme_mean_strength",
       {"T", "pooling", "corr"},
       N,
       "sigma^2/kappa",
       "sigma^2/kappa = (sum_t w_t)^2 / ||w||^2 of the pooling weights: the vocabulary-mean "
       "strength "
       "M of the uncentred outlier (T for mean pooling)",
       [](E& e) {
         const auto& s = e.scheme();
         return number(Real(s.sigma * s.sigma / s.kappa));
       }},
      {"scheme_effective_tokens",
       {"T", "pooling", "corr"},
       N,
       "tokens",
       "kappa^2 / sum_t w_t^4: the effective number of tokens (docs/finite_t.md)",
       [](E& e) { return number(e.scheme().effective_tokens); }},
      {"scheme_max_weight_share",
       {"T", "pooling", "corr"},
       N,
       "share of kappa",
       "max_t w_t^2 / kappa: the largest share of kappa on one position (docs/finite_t.md)",
       [](E& e) { return number(e.scheme().max_weight_share); }},
  };
  return q;
}

/// nullptr when unknown.
template <class Real>
const Quantity<Real>* find_quantity(const std::string& name) {
  for (const auto& q : quantity_catalogue<Real>())
    if (q.name == name) return &q;
  return nullptr;
}

/// Evaluates `quantities` at `point` (which holds every parameter they need,
/// each in its domain). Throws std::invalid_argument for values outside a
/// quantity's own domain (log_moment at delta >= 1, a corr spec of the wrong
/// length) and for a point with a population when a quantity does not support one.
template <class Real>
std::vector<QuantityValue<Real>> evaluate(const std::vector<const Quantity<Real>*>& quantities,
                                          QuantityEvaluation<Real>& e) {
  if (e.has_population())
    for (const auto* q : quantities)
      if (!q->supports_population())
        throw std::invalid_argument("quantity " + q->name +
                                    " does not support population (isotropic engine only)");
  std::vector<QuantityValue<Real>> out;
  out.reserve(quantities.size());
  for (const auto* q : quantities) out.push_back(q->evaluate(e));
  return out;
}

template <class Real>
std::vector<QuantityValue<Real>> evaluate(const std::vector<const Quantity<Real>*>& quantities,
                                          const QuantityPoint& point) {
  QuantityEvaluation<Real> e(point);
  return evaluate(quantities, e);
}

/// The exact value of `q` at the evaluation's point. Throws
/// std::invalid_argument when `q` has no exact evaluator (or refuses the
/// point's population).
template <class Real>
Rational evaluate_exact(const Quantity<Real>& q, QuantityEvaluation<Real>& e) {
  if (!q.exact) throw std::invalid_argument("quantity " + q.name + " has no exact value");
  if (e.has_population() && !q.supports_population())
    throw std::invalid_argument("quantity " + q.name +
                                " does not support population (isotropic engine only)");
  return q.exact(e);
}

}  // namespace attnrmt
