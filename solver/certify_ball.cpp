// solver/certify_ball.cpp -- see certify_ball.hpp.
#include "certify_ball.hpp"

#include <iostream>
#include <stdexcept>

#include "attnrmt/ball/certify.hpp"
#include "attnrmt/ball/decimal.hpp"

namespace attnrmt::cli {

BallValue BallValue::from(const Value& v) {
  if (v.is_number) throw std::logic_error("internal: BallValue::from takes text values");
  BallValue b;
  b.text = v.text;
  b.quoted = v.quoted;
  return b;
}

BallValue BallValue::of(const Rational& r) {
  BallValue b;
  b.kind = Kind::exact;
  b.exact = r;
  return b;
}

BallValue BallValue::of(const ball::Arb& x) {
  BallValue b;
  b.kind = Kind::ball;
  b.value = x;
  return b;
}

BallPrinting ball_printing(const Options& opts) {
  BallPrinting how;
  how.digits = requested_digits(opts);
  how.radius = opts.has("radius");
  return how;
}

OptionSpec radius_option() {
  return {"radius", "",
          "add a column c_radius after each number c: the radius of its certified ball (an upper "
          "bound of the error of the ball's midpoint, 0 for exact values)"};
}

TextTable certify_ball(const BallPrinting& how,
                       const std::function<BallTable(slong prec)>& compute) {
  slong prec = ball::bits_for_digits(how.digits);
  BallTable table;
  std::vector<std::vector<std::string>> printed;
  bool all_ok = false;
  for (int attempt = 0; attempt <= how.max_doublings && !all_ok; ++attempt, prec *= 2) {
    table = compute(prec);
    all_ok = true;
    printed.assign(table.rows.size(), {});
    for (std::size_t i = 0; i < table.rows.size(); ++i)
      for (const BallValue& v : table.rows[i]) {
        std::string s;
        if (v.kind == BallValue::Kind::exact) {
          s = ball::layout_decimal(ball::round_rational(v.exact, how.digits));
        } else if (v.kind == BallValue::Kind::ball) {
          if (auto d = ball::round_ball(v.value, how.digits))
            s = ball::layout_decimal(*d);
          else
            all_ok = false;
        }
        printed[i].push_back(s);
      }
  }
  TextTable out;
  std::vector<bool> numeric(table.columns.size(), false);
  if (!table.rows.empty())
    for (std::size_t j = 0; j < table.columns.size(); ++j)
      numeric[j] = table.rows[0][j].kind != BallValue::Kind::text;
  for (std::size_t j = 0; j < table.columns.size(); ++j) {
    out.columns.push_back(table.columns[j]);
    if (how.radius && numeric[j]) out.columns.push_back(table.columns[j] + "_radius");
  }
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    std::vector<TextCell> cells;
    for (std::size_t j = 0; j < table.rows[i].size(); ++j) {
      const BallValue& v = table.rows[i][j];
      if (v.kind == BallValue::Kind::text) {
        cells.push_back({v.text, !v.quoted});
      } else {
        std::string s = printed[i][j];
        if (s.empty()) {
          int k = ball::proven_digits(v.value, how.digits);
          if (k < 1)
            throw std::domain_error("could not certify any digit of '" + table.columns[j] +
                                    "' in row " + std::to_string(i + 1) +
                                    " (undecided at the precision limit)");
          s = ball::layout_decimal(*ball::round_ball(v.value, k));
          std::cerr << "attnrmt: warning: only " << k << " proven digits are printed for "
                    << table.columns[j] << " (row " << i + 1 << ")\n";
        }
        cells.push_back({s, true});
      }
      if (how.radius && numeric[j])
        cells.push_back(
            {v.kind == BallValue::Kind::ball ? ball::radius_string(v.value) : std::string("0"),
             true});
    }
    out.rows.push_back(std::move(cells));
  }
  return out;
}

}  // namespace attnrmt::cli
