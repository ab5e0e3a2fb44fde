// solver/certify_ball.hpp -- printing from the certified ball engine
// (docs/certified.md §Printing).
//
// A command builds its table at a working precision `prec` (bits) with cells
// that are text, exact rationals or Arb balls. certify_ball rounds every
// number to `digits` significant digits, correctly (ball/decimal.hpp): a ball is
// printed only when all its points share the same decimal. Otherwise the whole
// table is recomputed at twice the precision, up to `max_doublings` times; after
// that a cell keeps only its proven digits and a warning goes to stderr (no
// proven digit: std::domain_error). With `radius`, each numeric column c is
// followed by c_radius: the ball radius rounded up to 3 digits (0 for exact).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "attnrmt/ball/arb.hpp"
#include "cli.hpp"

namespace attnrmt::cli {

struct BallValue {
  enum class Kind { text, exact, ball } kind = Kind::text;
  std::string text;
  bool quoted = true;
  Rational exact;
  ball::Arb value;
  static BallValue from(const Value& v);  ///< a text Value (parameters, regime names)
  static BallValue of(const Rational& r);
  static BallValue of(const ball::Arb& b);
};

struct BallTable {
  std::vector<std::string> columns;
  std::vector<std::vector<BallValue>> rows;
};

struct BallPrinting {
  int digits = 15;
  bool radius = false;
  int max_doublings = 5;
};

/// The printing settings from --digits and --radius.
BallPrinting ball_printing(const Options& opts);

/// The --radius option's help entry.
OptionSpec radius_option();

TextTable certify_ball(const BallPrinting& how,
                       const std::function<BallTable(slong prec)>& compute);

}  // namespace attnrmt::cli
