// solver/ball_quantities.hpp -- the certified ball route of the quantity
// catalogue (attnrmt/quantities.hpp, docs/certified.md).
//
// The catalogue's evaluators compute in MPFR; the commands that print
// certified digits (thresholds, outlier, edges, cauchy) evaluate the same
// catalogue entries through the ball engine (attnrmt/ball/): each entry below
// names a catalogue quantity and calls the one ball function that computes it
// (ball::thresholds, ball::outlier, BallLaw's edges and Cauchy transform,
// ball::spike_eigenvalue), keeping the exact rational value when the engine
// has one. The output column is the catalogue name, so a command's columns,
// `table --quantities` and `check` speak of the same quantity.
//
// A point with a population H (finite rational atoms, QuantityPoint::population)
// is evaluated by ball/population_ball.hpp for the quantities it covers
// (tau1 = a1, tau2 = a2, right_edge, atom, regime, lambda, alignment_u,
// alignment_mu, population_outlier, population_alignment); ball_route_covers
// says whether a route can evaluate a given point.
//
// tests/test_quantities.cpp checks that every route names a catalogue entry
// and that its ball contains the entry's MPFR value; tests/test_ball_population.cpp
// does the same for the population routes.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/ball/population_ball.hpp"
#include "attnrmt/ball/spike_ball.hpp"
#include "certify_ball.hpp"
#include "params.hpp"
#include "table_quantities.hpp"

namespace attnrmt::cli {

/// The bulk laws of a table at one working precision, one per (delta, gamma,
/// kappa), built on first use: rows that differ only in rho, alpha/kappa, z,
/// ... share the law (its edges are the costly part).
class BallLawCache {
 public:
  explicit BallLawCache(slong prec) : prec_(prec) {}
  const ball::BallLaw& at(const Rational& delta, const Rational& gamma, const Rational& kappa);

 private:
  slong prec_;
  std::map<std::tuple<Rational, Rational, Rational>, std::unique_ptr<ball::BallLaw>> laws_;
};

/// One parameter point at a working precision of `prec` bits; the shared
/// ball results (law, thresholds, outlier, g(z)) are computed on first use,
/// the law from `laws` when given (same precision).
class BallQuantityEvaluation {
 public:
  BallQuantityEvaluation(const QuantityPoint& point, slong prec, BallLawCache* laws = nullptr)
      : point_(point), prec_(prec), laws_(laws) {}
  BallQuantityEvaluation(const BallQuantityEvaluation&) = delete;
  BallQuantityEvaluation& operator=(const BallQuantityEvaluation&) = delete;

  const Rational& exact(const char* name) const;
  /// The working precision in bits.
  slong precision() const { return prec_; }
  /// kappa, 1 when the point has none (thresholds: quantities in kappa units).
  Rational kappa() const;
  const ball::BallLaw& law();
  const ball::BallThresholds& thresholds();
  const ball::BallOutlier& outlier();
  /// g(z_re + i z_im) of the law.
  const ball::Acb& cauchy();
  /// True when the point carries a population H (the population routes).
  bool has_population() const { return point_.population != nullptr; }
  /// The population spike (unit kappa) at (H, delta, gamma, rho); gamma 0 when
  /// the point has none (tau1), rho 0 when it has none (right_edge).
  const ball::BallPopulationSpike& population_spike();
  /// Its top outlier at alpha_over_kappa.
  const ball::BallPopulationOutlier& population_outlier();

 private:
  const QuantityPoint& point_;
  slong prec_;
  BallLawCache* laws_;
  std::optional<ball::BallLaw> law_;
  const ball::BallLaw* shared_law_ = nullptr;
  std::optional<ball::BallThresholds> thresholds_;
  std::optional<ball::BallOutlier> outlier_;
  std::optional<ball::Acb> cauchy_;
  std::optional<ball::BallPopulationSpike> population_spike_;
  std::optional<ball::BallPopulationOutlier> population_outlier_;
};

using BallEvaluator = BallValue (*)(BallQuantityEvaluation&);

/// The ball route of `q`, nullptr when the ball engine has none.
BallEvaluator ball_route(const QuantityInfo& q);

/// True when `q` has a ball route and that route can evaluate `point`: any
/// route at an isotropic point; at a point with a population, the routes
/// listed in the header (a finite-atom H with rational atoms and weights).
bool ball_route_covers(const QuantityInfo& q, const QuantityPoint& point);

/// The names of the quantities that have a ball route, in catalogue order.
std::vector<std::string> ball_route_names();

/// The catalogue entries named `names`, in that order (std::logic_error for an
/// unknown name: a programming error, caught by the commands' tests).
std::vector<const QuantityInfo*> catalogue_entries(const std::vector<std::string>& names);

/// The catalogue point of a command's parameter row.
QuantityPoint quantity_point(const ParamRow& row);

/// Evaluates `quantities` at `point` by their ball routes at `prec` bits
/// (std::logic_error when one has none or cannot evaluate the point:
/// ball_route_covers); the law from `laws` when given.
std::vector<BallValue> evaluate_in_balls(const std::vector<const QuantityInfo*>& quantities,
                                         const QuantityPoint& point, slong prec,
                                         BallLawCache* laws = nullptr);

/// The certified table of `quantities` over `grid` (docs/certified.md
/// §Printing): the varying parameters, then one column per quantity. The
/// catalogue point of a row is `point_of(row)` (a population's points), or
/// quantity_point(row) when none is given.
TextTable certified_quantity_table(
    const BallPrinting& how, const ParamGrid& grid,
    const std::vector<const QuantityInfo*>& quantities,
    const std::function<QuantityPoint(const ParamRow&)>& point_of = nullptr);

}  // namespace attnrmt::cli
