// attnrmt/ball/grid.hpp -- density and CDF over a grid, correctly rounded,
// fast path plus per-point fallback (docs/certified.md §Grids).
//
// Fast path, per point x inside the support: the roots of the cubic in q are
// computed in double (GSL's gsl_poly_complex_solve_cubic), the one with Im q < 0
// is the seed of one Newton step and one Krawczyk test (ball/cubic.hpp) at the
// working precision bits_for_digits(digits); a proven root with Im q < 0 proves
// x inside the support and is the physical root (ball/bulk_law_ball.hpp), from
// which the density and the CDF are evaluated in balls and rounded
// (ball/decimal.hpp). Whenever a step does not succeed (x outside the support,
// at an edge, too close to one, parameters outside the double range, or a
// ball too wide for the requested digits) the point goes to the single-point
// path (certify_decimal with BallLaw, raising the precision). Both paths print
// the correctly rounded decimal, so they print the same digits.
// Points are split over `threads` threads (0: hardware concurrency).
#pragma once

#include <gsl/gsl_poly.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/ball/certify.hpp"

namespace attnrmt::ball {

/// BallLaw objects at the precisions a precision loop visits, built on demand
/// (thread-safe).
class LawLadder {
 public:
  LawLadder(Rational delta, Rational gamma, Rational kappa)
      : delta_(std::move(delta)), gamma_(std::move(gamma)), kappa_(std::move(kappa)) {}
  const BallLaw& at(slong prec) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = laws_.find(prec);
    if (it == laws_.end())
      it = laws_.emplace(prec, std::make_unique<BallLaw>(delta_, gamma_, kappa_, prec)).first;
    return *it->second;
  }

 private:
  Rational delta_, gamma_, kappa_;
  mutable std::mutex mutex_;
  mutable std::map<slong, std::unique_ptr<BallLaw>> laws_;
};

struct DensityCdfPoint {
  CertifiedDecimal density, cdf;
  bool fast = false;  ///< certified by the fast path
};

/// Single-point path: density and CDF at x, each correctly rounded.
inline DensityCdfPoint density_cdf_point(const LawLadder& laws, const Rational& x, int digits) {
  DensityCdfPoint out;
  out.density = certify_decimal(digits, [&](slong prec) { return laws.at(prec).density(x); });
  out.cdf = certify_decimal(digits, [&](slong prec) { return laws.at(prec).cdf(x); });
  return out;
}

namespace detail {
// The fast path at one point; false when the point must take the slow path.
inline bool density_cdf_fast(const BallLaw& law, const Cubic& base, const Rational& x, double c2d,
                             double c1d, double c3d, double kappad, int digits,
                             DensityCdfPoint& out) {
  const slong prec = law.precision();
  const double xd = static_cast<double>(x.convert_to<long double>()) / kappad;
  if (!(xd > 0) || !std::isfinite(xd)) return false;
  double r[6];
  // Monic: q^3 + (c2/c3) q^2 + ((c1 - x)/c3) q + x/c3.
  gsl_complex z0, z1, z2;
  gsl_poly_complex_solve_cubic(c2d / c3d, (c1d - xd) / c3d, xd / c3d, &z0, &z1, &z2);
  r[0] = GSL_REAL(z0), r[1] = GSL_IMAG(z0), r[2] = GSL_REAL(z1), r[3] = GSL_IMAG(z1);
  r[4] = GSL_REAL(z2), r[5] = GSL_IMAG(z2);
  int k = 0;
  for (int j = 1; j < 3; ++j)
    if (r[2 * j + 1] < r[2 * k + 1]) k = j;
  if (!(r[2 * k + 1] < 0) || !std::isfinite(r[2 * k]) || !std::isfinite(r[2 * k + 1])) return false;
  Cubic p = base;
  Rational xu = x / law.kappa();
  set_rational(p.c[0].re(), xu, prec);
  arb_sub(p.c[1].re(), p.c[1].re(), p.c[0].re(), prec);
  Acb seed;
  acb_set_d_d(seed, r[2 * k], r[2 * k + 1]);
  auto q = certify_root_at(p, seed, false, prec, 1);
  if (!q || !arb_is_negative(q->im())) return false;
  out.density.ball = law.density_from_q(*q, x);
  out.cdf.ball = law.cdf_from_q(*q);
  auto d = round_ball(out.density.ball, digits), c = round_ball(out.cdf.ball, digits);
  if (!d || !c) return false;
  out.density.value = *d;
  out.cdf.value = *c;
  out.density.proven = out.cdf.proven = digits;
  out.density.precision = out.cdf.precision = prec;
  out.fast = true;
  return true;
}
}  // namespace detail

/// Density and CDF at every x, correctly rounded to `digits` digits.
inline std::vector<DensityCdfPoint> density_cdf_grid(const LawLadder& laws,
                                                     const std::vector<Rational>& xs, int digits,
                                                     unsigned threads = 0) {
  std::vector<DensityCdfPoint> out(xs.size());
  const slong prec = bits_for_digits(digits);
  const BallLaw& law = laws.at(prec);
  const Rational& delta = law.delta();
  const Rational& gamma = law.gamma();
  const Rational c3 = delta * gamma, c2 = delta * (1 - gamma) + gamma * (1 - delta),
                 c1 = (1 - delta) * (1 - gamma);
  const Cubic base = law.q_cubic(Rational(0), Rational(0), prec);
  auto to_d = [](const Rational& r) { return static_cast<double>(r.convert_to<long double>()); };
  const double c3d = to_d(c3), c2d = to_d(c2), c1d = to_d(c1), kd = to_d(law.kappa());
  const bool doubles_ok = std::isfinite(c3d) && c3d > 0 && std::isfinite(c2d) &&
                          std::isfinite(c1d) && std::isfinite(kd) && kd > 0;
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (doubles_ok &&
          detail::density_cdf_fast(law, base, xs[i], c2d, c1d, c3d, kd, digits, out[i]))
        continue;
      out[i] = density_cdf_point(laws, xs[i], digits);
    }
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads == 1 || xs.size() < 64) {
    work(0, xs.size());
    return out;
  }
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(threads);
  const std::size_t chunk = (xs.size() + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    std::size_t b = t * chunk, e = std::min(xs.size(), b + chunk);
    if (b < e)
      pool.emplace_back([&, t, b, e]() {
        try {
          work(b, e);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
  }
  for (auto& th : pool) th.join();
  for (const auto& err : errors)
    if (err) std::rethrow_exception(err);
  return out;
}

}  // namespace attnrmt::ball
