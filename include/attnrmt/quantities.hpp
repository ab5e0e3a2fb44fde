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
// k an integer in 1..max_moment_order; population and signal are spec strings (docs/population.md).
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
// `quantities`, `bulk --law mp:C`, `thresholds`, `outlier`, `edges` and
// `cauchy` (through the ball route, solver/ball_quantities.hpp), and the
// Python module. docs/theory.md's index maps each
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

/// One evaluated quantity: a number, or text (regime).
template <class Real>
struct QuantityValue {
  bool is_text = false;
  Real number{0};
  std::string text;
};

/// The evaluation of quantities at one point: the shared intermediate results
/// (thresholds, bulk law, outlier report, scheme summary) are computed on first
/// use and reused by the quantities that need them.
template <class Real>
class QuantityEvaluation {
 public:
  explicit QuantityEvaluation(const QuantityPoint& point) : point_(point) {}
  QuantityEvaluation(const QuantityEvaluation&) = delete;  // spike_ refers to bulk_
  QuantityEvaluation& operator=(const QuantityEvaluation&) = delete;

  const Rational& exact(const char* name) const {
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

enum class QuantityKind { number, text };

/// Whether a quantity honours the optional population / signal parameters.
enum class PopulationSupport {
  isotropic_only,  ///< refuses a population (no general form in the library)
  general          ///< evaluated through GeneralBulkLaw / GeneralSpike with one
};

template <class Real>
struct Quantity {
  using Evaluator = QuantityValue<Real> (*)(QuantityEvaluation<Real>&);

  Quantity(std::string name_, std::vector<std::string> parameters_, QuantityKind kind_,
           std::string unit_, std::string description_, Evaluator evaluate_,
           PopulationSupport population_ = PopulationSupport::isotropic_only)
      : name(std::move(name_)),
        parameters(std::move(parameters_)),
        is_text(kind_ == QuantityKind::text),
        unit(std::move(unit_)),
        description(std::move(description_)),
        evaluate(evaluate_),
        population(population_) {}

  std::string name;
  std::vector<std::string> parameters;  ///< in canonical parameter order
  bool is_text;                         ///< regime: a name, not a number
  std::string unit;
  std::string description;
  Evaluator evaluate;
  PopulationSupport population;
  bool supports_population() const { return population == PopulationSupport::general; }
};

namespace detail {
template <class Real>
QuantityValue<Real> number(const Real& x) {
  QuantityValue<Real> v;
  v.number = x;
  return v;
}
}  // namespace detail

/// The catalogue, in output-column order.
template <class Real>
const std::vector<Quantity<Real>>& quantity_catalogue() {
  using E = QuantityEvaluation<Real>;
  using detail::number;
  const auto N = QuantityKind::number;
  const auto G = PopulationSupport::general;
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
         const int k = boost::multiprecision::numerator(e.exact("k")).template convert_to<int>();
         if (e.has_population()) return number(e.general_moment(k));
         return number(e.law().moment(k));
       },
       G},
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
      {"mean_outlier",
       {"delta", "gamma", "kappa", "mean_strength"},
       N,
       "eigenvalue",
       "top eigenvalue from the vocabulary mean of the uncentred covariance, sigma^2/kappa = M: "
       "the outlier of a spike of strength delta M, else the right edge",
       [](E& e) { return number(mean_outlier(e.law(), e.real("mean_strength"))); }},
      {"mean_alignment",
       {"delta", "gamma", "mean_strength"},
       N,
       "squared cosine",
       "squared cosine of the vocabulary-mean outlier's eigenvector with Z 1/V (A_u of a spike of "
       "strength delta M; 0 when undetectable)",
       [](E& e) { return number(mean_outlier_alignment(e.law(), e.real("mean_strength"))); }},
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
         QuantityValue<Real> v;
         v.is_text = true;
         v.text = regime_name(e.has_population() ? e.general_report().regime : e.exact_regime());
         return v;
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
                                          const QuantityPoint& point) {
  if (point.population)
    for (const auto* q : quantities)
      if (!q->supports_population())
        throw std::invalid_argument("quantity " + q->name +
                                    " does not support population (isotropic engine only)");
  QuantityEvaluation<Real> e(point);
  std::vector<QuantityValue<Real>> out;
  out.reserve(quantities.size());
  for (const auto* q : quantities) out.push_back(q->evaluate(e));
  return out;
}

}  // namespace attnrmt
