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
// tests/test_quantities.cpp checks that every route names a catalogue entry
// and that its ball contains the entry's MPFR value.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "attnrmt/ball/bulk_law_ball.hpp"
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
  /// kappa, 1 when the point has none (thresholds: quantities in kappa units).
  Rational kappa() const;
  const ball::BallLaw& law();
  const ball::BallThresholds& thresholds();
  const ball::BallOutlier& outlier();
  /// g(z_re + i z_im) of the law.
  const ball::Acb& cauchy();

 private:
  const QuantityPoint& point_;
  slong prec_;
  BallLawCache* laws_;
  std::optional<ball::BallLaw> law_;
  const ball::BallLaw* shared_law_ = nullptr;
  std::optional<ball::BallThresholds> thresholds_;
  std::optional<ball::BallOutlier> outlier_;
  std::optional<ball::Acb> cauchy_;
};

using BallEvaluator = BallValue (*)(BallQuantityEvaluation&);

/// The ball route of `q`, nullptr when the ball engine has none.
BallEvaluator ball_route(const QuantityInfo& q);

/// The names of the quantities that have a ball route, in catalogue order.
std::vector<std::string> ball_route_names();

/// The catalogue entries named `names`, in that order (std::logic_error for an
/// unknown name: a programming error, caught by the commands' tests).
std::vector<const QuantityInfo*> catalogue_entries(const std::vector<std::string>& names);

/// The catalogue point of a command's parameter row.
QuantityPoint quantity_point(const ParamRow& row);

/// Evaluates `quantities` at `point` by their ball routes at `prec` bits
/// (std::logic_error when one has none); the law from `laws` when given.
std::vector<BallValue> evaluate_in_balls(const std::vector<const QuantityInfo*>& quantities,
                                         const QuantityPoint& point, slong prec,
                                         BallLawCache* laws = nullptr);

/// The certified table of `quantities` over `grid` (docs/certified.md
/// §Printing): the varying parameters, then one column per quantity.
TextTable certified_quantity_table(const BallPrinting& how, const ParamGrid& grid,
                                   const std::vector<const QuantityInfo*>& quantities);

}  // namespace attnrmt::cli
