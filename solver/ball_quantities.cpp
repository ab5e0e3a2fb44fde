// solver/ball_quantities.cpp -- see ball_quantities.hpp.
#include "ball_quantities.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <utility>

namespace attnrmt::cli {

const Rational& BallQuantityEvaluation::exact(const char* name) const {
  auto it = point_.numbers.find(name);
  if (it == point_.numbers.end())
    throw std::logic_error(std::string("internal: parameter '") + name + "' missing");
  return it->second;
}

Rational BallQuantityEvaluation::kappa() const {
  auto it = point_.numbers.find("kappa");
  return it == point_.numbers.end() ? Rational(1) : it->second;
}

const ball::BallLaw& BallLawCache::at(const Rational& delta, const Rational& gamma,
                                      const Rational& kappa) {
  auto& slot = laws_[std::make_tuple(delta, gamma, kappa)];
  if (!slot) slot = std::make_unique<ball::BallLaw>(delta, gamma, kappa, prec_);
  return *slot;
}

const ball::BallLaw& BallQuantityEvaluation::law() {
  if (laws_) {
    if (!shared_law_) shared_law_ = &laws_->at(exact("delta"), exact("gamma"), kappa());
    return *shared_law_;
  }
  if (!law_) law_.emplace(exact("delta"), exact("gamma"), kappa(), prec_);
  return *law_;
}

const ball::BallThresholds& BallQuantityEvaluation::thresholds() {
  if (!thresholds_) thresholds_ = ball::thresholds(law(), exact("rho"));
  return *thresholds_;
}

const ball::BallOutlier& BallQuantityEvaluation::outlier() {
  if (!outlier_) outlier_ = ball::outlier(law(), exact("rho"), exact("alpha_over_kappa"));
  return *outlier_;
}

const ball::Acb& BallQuantityEvaluation::cauchy() {
  if (!cauchy_) cauchy_ = law().cauchy(exact("z_re"), exact("z_im"));
  return *cauchy_;
}

const ball::BallPopulationSpike& BallQuantityEvaluation::population_spike() {
  if (!population_spike_) {
    auto it = point_.numbers.find("gamma");
    const Rational gamma = it == point_.numbers.end() ? Rational(0) : it->second;
    auto r = point_.numbers.find("rho");
    const Rational rho = r == point_.numbers.end() ? Rational(0) : r->second;
    population_spike_.emplace(*point_.population, exact("delta"), gamma, rho, prec_);
  }
  return *population_spike_;
}

const ball::BallPopulationOutlier& BallQuantityEvaluation::population_outlier() {
  if (!population_outlier_)
    population_outlier_ = population_spike().outlier(exact("alpha_over_kappa"));
  return *population_outlier_;
}

namespace {

using E = BallQuantityEvaluation;

// kappa times a unit-kappa ball.
ball::Arb times_kappa(const E& e, const ball::Arb& x, slong prec) {
  ball::Arb out, k;
  ball::set_rational(k, e.kappa(), prec);
  arb_mul(out, x, k, prec);
  return out;
}

// The population routes (ball/population_ball.hpp), by catalogue name.
const std::map<std::string, BallEvaluator>& population_routes() {
  static const std::map<std::string, BallEvaluator> r = {
      {"tau1", [](E& e) { return BallValue::of(e.population_spike().thresholds().a1); }},
      {"tau2", [](E& e) { return BallValue::of(e.population_spike().thresholds().a2); }},
      {"right_edge",
       [](E& e) {
         const auto& s = e.population_spike();
         return BallValue::of(times_kappa(e, s.thresholds().sample_edge, s.precision()));
       }},
      {"table_edge",
       [](E& e) {
         const auto& s = e.population_spike();
         return BallValue::of(times_kappa(e, s.thresholds().table_edge, s.precision()));
       }},
      // max(0, 1 - 1/delta, 1 - 1/gamma): independent of H (docs/theory.md §6.1).
      {"atom",
       [](E& e) {
         Rational a = 1 - 1 / std::max(e.exact("delta"), e.exact("gamma"));
         return BallValue::of(a > 0 ? a : Rational(0));
       }},
      {"regime",
       [](E& e) {
         const auto& o = e.population_outlier();
         // Undecided at this precision: an indeterminate ball makes the
         // printing loop raise the precision (and fail at its limit).
         if (!o.decided) return BallValue::of(ball::Arb::indeterminate());
         return BallValue::from(Value::str(regime_name(o.regime)));
       }},
      {"lambda",
       [](E& e) {
         return BallValue::of(
             times_kappa(e, e.population_outlier().lambda, e.population_spike().precision()));
       }},
      {"alignment_mu", [](E& e) { return BallValue::of(e.population_outlier().A_mu); }},
      {"alignment_u", [](E& e) { return BallValue::of(e.population_outlier().A_u); }},
      {"population_outlier",
       [](E& e) {
         return BallValue::of(
             times_kappa(e, e.population_outlier().ell, e.population_spike().precision()));
       }},
      {"population_alignment",
       [](E& e) {
         const auto& o = e.population_outlier();
         if (o.decided && !o.table_outlier) return BallValue::of(Rational(0));
         return BallValue::of(o.a_pop_u);
       }},
  };
  return r;
}

BallValue exact_or_ball(const std::optional<Rational>& exact, const ball::Arb& ball) {
  return exact ? BallValue::of(*exact) : BallValue::of(ball);
}

ball::Arb component(ball::Acb z, bool real_part) {
  ball::Arb c;
  arb_set(c, real_part ? z.re() : z.im());
  return c;
}

// Catalogue name -> ball route of an isotropic point. Each calls the ball
// function that computes the quantity; the exact rational is kept when the
// engine decides one.
const std::map<std::string, BallEvaluator>& isotropic_routes() {
  static const std::map<std::string, BallEvaluator> r = {
      {"tau1", [](E& e) { return BallValue::of(e.thresholds().tau1); }},
      {"tau2", [](E& e) { return exact_or_ball(e.thresholds().tau2_exact, e.thresholds().tau2); }},
      {"omega1", [](E& e) { return BallValue::of(e.thresholds().omega1); }},
      {"omega2",
       [](E& e) { return exact_or_ball(e.thresholds().omega2_exact, e.thresholds().omega2); }},
      {"table_edge",
       [](E& e) {
         // kappa (1 + sqrt(delta))^2: the right edge of kappa MP_delta (docs/theory.md §2).
         const slong p = e.precision();
         ball::Arb s = ball::to_arb(e.exact("delta"), p);
         arb_sqrt(s, s, p);
         arb_add_ui(s, s, 1, p);
         arb_mul(s, s, s, p);
         return BallValue::of(times_kappa(e, s, p));
       }},
      {"left_edge", [](E& e) { return BallValue::of(e.law().left_edge()); }},
      {"right_edge",
       [](E& e) { return exact_or_ball(e.law().right_edge_exact(), e.law().right_edge()); }},
      {"atom", [](E& e) { return BallValue::of(e.law().atom_exact()); }},
      {"cauchy_re", [](E& e) { return BallValue::of(component(e.cauchy(), true)); }},
      {"cauchy_im", [](E& e) { return BallValue::of(component(e.cauchy(), false)); }},
      {"regime", [](E& e) { return BallValue::from(Value::str(regime_name(e.outlier().regime))); }},
      {"lambda",
       [](E& e) {
         const ball::BallOutlier& o = e.outlier();
         return o.exact ? BallValue::of(o.lambda_exact) : BallValue::of(o.lambda);
       }},
      {"alignment_mu", [](E& e) { return BallValue::of(e.outlier().alignment_mu_exact); }},
      {"alignment_u", [](E& e) { return BallValue::of(e.outlier().alignment_u_exact); }},
      {"population_outlier", [](E& e) { return BallValue::of(e.outlier().population_eigenvalue); }},
      {"population_alignment",
       [](E& e) { return BallValue::of(e.outlier().population_alignment); }},
      {"mean_outlier",
       [](E& e) {
         return BallValue::of(
             ball::spike_eigenvalue(e.law(), e.law().delta() * e.exact("mean_strength")));
       }},
      {"mean_alignment",
       [](E& e) {
         return BallValue::of(mean_outlier_alignment_exact<Rational>(
             e.exact("delta"), e.exact("gamma"), e.exact("mean_strength")));
       }},
  };
  return r;
}

// The route of `name` for the point's kind: isotropic, or population.
BallEvaluator route_at(const std::string& name, bool population) {
  const auto& table = population ? population_routes() : isotropic_routes();
  auto it = table.find(name);
  return it == table.end() ? nullptr : it->second;
}

// Every route name; ball_route(q) returns dispatched<I>, which calls the
// population route when the point has a population (and refuses the point
// when there is none), the isotropic route otherwise.
constexpr std::array<const char*, 18> kRouteNames = {"tau1",
                                                     "tau2",
                                                     "omega1",
                                                     "omega2",
                                                     "left_edge",
                                                     "right_edge",
                                                     "table_edge",
                                                     "atom",
                                                     "cauchy_re",
                                                     "cauchy_im",
                                                     "regime",
                                                     "lambda",
                                                     "alignment_mu",
                                                     "alignment_u",
                                                     "population_outlier",
                                                     "population_alignment",
                                                     "mean_outlier",
                                                     "mean_alignment"};

template <std::size_t I>
BallValue dispatched(E& e) {
  const BallEvaluator r = route_at(kRouteNames[I], e.has_population());
  if (!r)
    throw std::invalid_argument(std::string("quantity ") + kRouteNames[I] +
                                " has no certified ball route with a population");
  return r(e);
}

template <std::size_t... I>
std::map<std::string, BallEvaluator> make_routes(std::index_sequence<I...>) {
  std::map<std::string, BallEvaluator> r = {{kRouteNames[I], &dispatched<I>}...};
  for (const auto* table : {&isotropic_routes(), &population_routes()})
    for (const auto& entry : *table)
      if (!r.count(entry.first))
        throw std::logic_error("internal: ball route " + entry.first + " missing in kRouteNames");
  return r;
}

const std::map<std::string, BallEvaluator>& routes() {
  static const std::map<std::string, BallEvaluator> r =
      make_routes(std::make_index_sequence<kRouteNames.size()>());
  return r;
}

}  // namespace

BallEvaluator ball_route(const QuantityInfo& q) {
  auto it = routes().find(q.name);
  return it == routes().end() ? nullptr : it->second;
}

bool ball_route_covers(const QuantityInfo& q, const QuantityPoint& point) {
  return ball_route(q) != nullptr && route_at(q.name, point.population != nullptr) != nullptr;
}

std::vector<std::string> ball_route_names() {
  std::vector<std::string> names;
  for (const auto& q : quantity_registry())
    if (ball_route(q)) names.push_back(q.name);
  return names;
}

std::vector<const QuantityInfo*> catalogue_entries(const std::vector<std::string>& names) {
  std::vector<const QuantityInfo*> out;
  for (const auto& n : names) {
    const QuantityInfo* q = find_quantity(n);
    if (!q) throw std::logic_error("internal: no catalogue quantity '" + n + "'");
    out.push_back(q);
  }
  return out;
}

QuantityPoint quantity_point(const ParamRow& row) {
  QuantityPoint p;
  for (const auto& [name, value] : row) p.numbers[name] = value;
  return p;
}

std::vector<BallValue> evaluate_in_balls(const std::vector<const QuantityInfo*>& quantities,
                                         const QuantityPoint& point, slong prec,
                                         BallLawCache* laws) {
  BallQuantityEvaluation e(point, prec, laws);
  std::vector<BallValue> out;
  out.reserve(quantities.size());
  for (const QuantityInfo* q : quantities) {
    const BallEvaluator route = ball_route(*q);
    if (!route || !ball_route_covers(*q, point))
      throw std::logic_error("internal: quantity " + q->name + " has no ball route for this point");
    out.push_back(route(e));
  }
  return out;
}

TextTable certified_quantity_table(const BallPrinting& how, const ParamGrid& grid,
                                   const std::vector<const QuantityInfo*>& quantities,
                                   const std::function<QuantityPoint(const ParamRow&)>& point_of) {
  return certify_ball(how, [&](slong prec) {
    BallTable raw;
    raw.columns = grid.varying;
    for (const QuantityInfo* q : quantities) raw.columns.push_back(q->name);
    BallLawCache laws(prec);
    for (const auto& row : grid.rows) {
      std::vector<BallValue> cells;
      for (const auto& v : grid.varying)
        cells.push_back(BallValue::from(rational_value(lookup(row, v))));
      const QuantityPoint point = point_of ? point_of(row) : quantity_point(row);
      for (auto& c : evaluate_in_balls(quantities, point, prec, &laws))
        cells.push_back(std::move(c));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });
}

}  // namespace attnrmt::cli
