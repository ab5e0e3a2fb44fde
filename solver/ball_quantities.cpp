// solver/ball_quantities.cpp -- see ball_quantities.hpp.
#include "ball_quantities.hpp"

#include <map>
#include <stdexcept>

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

namespace {

using E = BallQuantityEvaluation;

BallValue exact_or_ball(const std::optional<Rational>& exact, const ball::Arb& ball) {
  return exact ? BallValue::of(*exact) : BallValue::of(ball);
}

ball::Arb component(ball::Acb z, bool real_part) {
  ball::Arb c;
  arb_set(c, real_part ? z.re() : z.im());
  return c;
}

// Catalogue name -> ball route. Each calls the ball function that computes the
// quantity; the exact rational is kept when the engine decides one.
const std::map<std::string, BallEvaluator>& routes() {
  static const std::map<std::string, BallEvaluator> r = {
      {"tau1", [](E& e) { return BallValue::of(e.thresholds().tau1); }},
      {"tau2", [](E& e) { return exact_or_ball(e.thresholds().tau2_exact, e.thresholds().tau2); }},
      {"omega1", [](E& e) { return BallValue::of(e.thresholds().omega1); }},
      {"omega2",
       [](E& e) { return exact_or_ball(e.thresholds().omega2_exact, e.thresholds().omega2); }},
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

}  // namespace

BallEvaluator ball_route(const QuantityInfo& q) {
  auto it = routes().find(q.name);
  return it == routes().end() ? nullptr : it->second;
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
    if (!route) throw std::logic_error("internal: quantity " + q->name + " has no ball route");
    out.push_back(route(e));
  }
  return out;
}

TextTable certified_quantity_table(const BallPrinting& how, const ParamGrid& grid,
                                   const std::vector<const QuantityInfo*>& quantities) {
  return certify_ball(how, [&](slong prec) {
    BallTable raw;
    raw.columns = grid.varying;
    for (const QuantityInfo* q : quantities) raw.columns.push_back(q->name);
    BallLawCache laws(prec);
    for (const auto& row : grid.rows) {
      std::vector<BallValue> cells;
      for (const auto& v : grid.varying)
        cells.push_back(BallValue::from(rational_value(lookup(row, v))));
      for (auto& c : evaluate_in_balls(quantities, quantity_point(row), prec, &laws))
        cells.push_back(std::move(c));
      raw.rows.push_back(std::move(cells));
    }
    return raw;
  });
}

}  // namespace attnrmt::cli
