// attnrmt/ball/grid.hpp -- density and CDF over a grid, correctly rounded,
// fast path plus per-point fallback (docs/certified.md §Grids).
//
// First stage, per point x inside the support, at most 15 digits (or a double):
// the same proof in double-double balls with rigorous error bounds
// (ball/detail/dd_bulk_point.hpp), the decimal or double decided directly from
// the double-double enclosure (ball/detail/dd_round.hpp); a point it does not
// decide goes on to the fast path below, unchanged.
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
// density_cdf_doubles does the same for correctly rounded doubles (Python's
// float64 results).
// Points are split over `threads` threads (0: hardware concurrency).
#pragma once

#include <gsl/gsl_poly.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/ball/certify.hpp"
#include "attnrmt/ball/detail/dd_bulk_point.hpp"
#include "attnrmt/ball/detail/dd_round.hpp"
#include "attnrmt/ball/detail/thread_caches.hpp"
#include "attnrmt/detail/parallel_chunks.hpp"

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
  bool fast = false;  ///< certified by the fast path (either stage)
  bool dd = false;    ///< certified by the double-double stage
};

/// Single-point path: density and CDF at x, each correctly rounded.
inline DensityCdfPoint density_cdf_point(const LawLadder& laws, const Rational& x, int digits) {
  DensityCdfPoint out;
  out.density = certify_decimal(digits, [&](slong prec) { return laws.at(prec).density(x); });
  out.cdf = certify_decimal(digits, [&](slong prec) { return laws.at(prec).cdf(x); });
  return out;
}

/// The double nearest to every point of the ball (ties to even), when there
/// is one: then it is the correctly rounded double of the value the ball
/// contains. nullopt when the ball straddles a rounding boundary or is not finite.
inline std::optional<double> round_ball_to_double(const Arb& x) {
  if (!x.is_finite()) return std::nullopt;
  arf_t lo, hi;
  arf_init(lo);
  arf_init(hi);
  arb_get_lbound_arf(lo, x.get(), 2 * 64);  // outward rounding: a superset of the ball
  arb_get_ubound_arf(hi, x.get(), 2 * 64);
  const double a = arf_get_d(lo, ARF_RND_NEAR), b = arf_get_d(hi, ARF_RND_NEAR);
  arf_clear(lo);
  arf_clear(hi);
  if (a != b || !std::isfinite(a)) return std::nullopt;
  return a;
}

namespace detail {
// The fast path's balls at one point (density, CDF); false when the point
// must take the slow path.
inline bool density_cdf_balls_fast(const BallLaw& law, const Cubic& base, const Rational& x,
                                   double c2d, double c1d, double c3d, double kappad, Arb& density,
                                   Arb& cdf, bool want_density = true, bool want_cdf = true,
                                   int newton_steps = 1) {
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
  Arb xb;  // x once as a ball; the cubic is at x / kappa
  set_rational(xb, x, prec);
  if (law.kappa() == 1)
    arb_set(p.c[0].re(), xb);
  else
    set_rational(p.c[0].re(), x / law.kappa(), prec);
  arb_sub(p.c[1].re(), p.c[1].re(), p.c[0].re(), prec);
  Acb seed;
  acb_set_d_d(seed, r[2 * k], r[2 * k + 1]);
  // The last Newton correction sets the proven radius: about 1e-16 relative
  // after one step from the double seed (enough for 15 decimal digits in
  // practice), about 1e-32 after two (needed to decide a double's rounding).
  auto q = certify_root_at(p, seed, false, prec, newton_steps);
  if (!q || !arb_is_negative(q->im())) return false;
  if (want_density) density = law.density_from_q(*q, xb);
  if (want_cdf) cdf = law.cdf_from_q(*q);
  return true;
}

// Rounds a fast-path point's two balls to `digits` decimals; false when a ball
// does not decide them.
inline bool round_point(DensityCdfPoint& out, int digits, slong prec) {
  auto d = round_ball(out.density.ball, digits), c = round_ball(out.cdf.ball, digits);
  if (!d || !c) return false;
  out.density.value = *d;
  out.cdf.value = *c;
  out.density.proven = out.cdf.proven = digits;
  out.density.precision = out.cdf.precision = prec;
  out.fast = true;
  return true;
}

// The fast path at one point, rounded to `digits` decimals; false when the
// point must take the slow path.
inline bool density_cdf_fast(const BallLaw& law, const Cubic& base, const Rational& x, double c2d,
                             double c1d, double c3d, double kappad, int digits,
                             DensityCdfPoint& out) {
  const slong prec = law.precision();
  if (!density_cdf_balls_fast(law, base, x, c2d, c1d, c3d, kappad, out.density.ball, out.cdf.ball))
    return false;
  return round_point(out, digits, prec);
}

// The double-double stage at one point, rounded to `digits` <= 15 decimals;
// false when the point must take the next path. The balls handed on are the
// double-double enclosures as Arb balls (the same decimals round from them).
inline bool density_cdf_dd(const DDBulkLaw& dd, const Rational& x, int digits, slong prec,
                           DensityCdfPoint& out) {
  DDComplex q;
  const DDBall xb = dd_from_rational(x);
  if (!dd_physical_root(dd, xb, q)) return false;
  const DDBall density = dd_density(q, xb), cdf = dd_cdf(dd, q);
  auto d = dd_round_decimal(density, digits);
  if (!d) return false;
  auto c = dd_round_decimal(cdf, digits);
  if (!c) return false;
  out.density.value = *d;
  out.cdf.value = *c;
  out.density.ball = arb_from_dd(density);
  out.cdf.ball = arb_from_dd(cdf);
  out.density.proven = out.cdf.proven = digits;
  out.density.precision = out.cdf.precision = prec;
  out.fast = out.dd = true;
  return true;
}

// work(begin, end) over [0, n) split into `threads` contiguous chunks
// (0: hardware concurrency; one chunk below 64 points); the first exception is
// rethrown (detail/parallel_chunks.hpp); each thread frees Arb's per-thread
// caches when it ends (ball/detail/thread_caches.hpp).
template <class Work>
void split_over_threads(std::size_t n, unsigned threads, const Work& work) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (n < 64) threads = 1;
  attnrmt::detail::for_each_chunk(n, threads, [&work](std::size_t begin, std::size_t end) {
    release_thread_caches_at_exit();
    work(begin, end);
  });
}

// Points proven outside the support by the edges' balls (density 0; CDF 0
// for x < 0, the atom between 0 and a soft left edge, 1 right of the support).
class OutsideSupport {
 public:
  enum Where { unknown, negative, gap, right };
  explicit OutsideSupport(const BallLaw& law) {
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, law.left_edge().get(), 64);
    arb_get_ubound_arf(hi, law.right_edge().get(), 64);
    left_below_ = arf_get_d(lo, ARF_RND_DOWN);
    right_above_ = arf_get_d(hi, ARF_RND_UP);
    arf_clear(lo);
    arf_clear(hi);
    soft_left_ = !law.hard_left_edge() && left_below_ > 0;
  }
  Where classify(double x) const {
    if (x < 0) return negative;
    if (std::isfinite(right_above_) && x > right_above_) return right;
    if (soft_left_ && x > 0 && x < left_below_) return gap;
    return unknown;
  }

 private:
  double left_below_ = 0, right_above_ = 0;
  bool soft_left_ = false;
};

// The fast path's constants: the cubic's coefficients in balls and in double.
struct FastPathSetup {
  Cubic base;
  double c3d, c2d, c1d, kd;
  bool doubles_ok;
  FastPathSetup(const BallLaw& law, slong prec)
      : base(law.q_cubic(Rational(0), Rational(0), prec)) {
    const Rational& delta = law.delta();
    const Rational& gamma = law.gamma();
    auto to_d = [](const Rational& r) { return static_cast<double>(r.convert_to<long double>()); };
    c3d = to_d(delta * gamma);
    c2d = to_d(delta * (1 - gamma) + gamma * (1 - delta));
    c1d = to_d((1 - delta) * (1 - gamma));
    kd = to_d(law.kappa());
    doubles_ok = std::isfinite(c3d) && c3d > 0 && std::isfinite(c2d) && std::isfinite(c1d) &&
                 std::isfinite(kd) && kd > 0;
  }
};

// A point proven outside the support (OutsideSupport, with a margin: x as a
// double is within 1 ulp of the rational x), its exact density 0 and CDF.
inline bool outside_fast(const BallLaw& law, const OutsideSupport& outside, const Rational& x,
                         int digits, DensityCdfPoint& out) {
  const double xd = static_cast<double>(x.convert_to<long double>());
  if (!std::isfinite(xd)) return false;
  // Step one double outward so that the rational x itself is proven outside.
  const auto a = outside.classify(std::nextafter(xd, -HUGE_VAL));
  const auto b = outside.classify(std::nextafter(xd, HUGE_VAL));
  if (a != b || a == OutsideSupport::unknown) return false;
  out.density.ball = Arb();
  const slong prec = law.precision();
  out.cdf.ball = a == OutsideSupport::negative ? Arb()
                 : a == OutsideSupport::right  ? to_arb(Rational(1), prec)
                                               : to_arb(law.atom_exact(), prec);
  return round_point(out, digits, prec);
}
}  // namespace detail

/// Density and CDF at every x, correctly rounded to `digits` digits.
/// `dd_stage` = false skips the double-double stage (tests compare the two).
inline std::vector<DensityCdfPoint> density_cdf_grid(const LawLadder& laws,
                                                     const std::vector<Rational>& xs, int digits,
                                                     unsigned threads = 0, bool dd_stage = true) {
  std::vector<DensityCdfPoint> out(xs.size());
  const BallLaw& law = laws.at(bits_for_digits(digits));
  const detail::FastPathSetup f(law, law.precision());
  const detail::OutsideSupport outside(law);
  std::optional<detail::DDBulkLaw> dd;
  if (dd_stage && digits <= 15) dd.emplace(law.delta(), law.gamma(), law.kappa());
  detail::split_over_threads(xs.size(), threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      // The double-double stage first: it decides most points inside the
      // support and gives up quickly outside (no root with Im q < 0).
      if (dd && detail::density_cdf_dd(*dd, xs[i], digits, law.precision(), out[i])) continue;
      if (f.doubles_ok && detail::outside_fast(law, outside, xs[i], digits, out[i])) continue;
      if (f.doubles_ok &&
          detail::density_cdf_fast(law, f.base, xs[i], f.c2d, f.c1d, f.c3d, f.kd, digits, out[i]))
        continue;
      out[i] = density_cdf_point(laws, xs[i], digits);
    }
  });
  return out;
}

/// Density and CDF as correctly rounded doubles (round to nearest, ties to
/// even) at every double x: the fast path at 64-bit balls, then the
/// single-point balls at 128, 256, ... bits up to `max_bits`. A value whose
/// ball still straddles a rounding boundary there (in practice only a value
/// within 2^-max_bits of the midpoint between two doubles) is returned as the
/// double nearest the ball's midpoint and counted in `undecided`.
struct DoubleGrid {
  std::vector<double> density, cdf;
  std::size_t undecided = 0;
};

inline DoubleGrid density_cdf_doubles(const LawLadder& laws, const std::vector<double>& xs,
                                      bool want_density, bool want_cdf, unsigned threads = 0,
                                      slong max_bits = 4096, bool dd_stage = true) {
  DoubleGrid out;
  if (want_density) out.density.resize(xs.size());
  if (want_cdf) out.cdf.resize(xs.size());
  const slong base_bits = 64 + 16;
  const BallLaw& law = laws.at(base_bits);
  const detail::FastPathSetup f(law, base_bits);
  const detail::OutsideSupport outside(law);
  const std::optional<double> atom = round_ball_to_double(to_arb(law.atom_exact(), 128));
  std::optional<detail::DDBulkLaw> dd;
  if (dd_stage) dd.emplace(law.delta(), law.gamma(), law.kappa());
  std::atomic<std::size_t> undecided{0};
  detail::split_over_threads(xs.size(), threads, [&](std::size_t begin, std::size_t end) {
    Arb d, c;
    for (std::size_t i = begin; i < end; ++i) {
      if (!std::isfinite(xs[i]))
        throw std::invalid_argument("x must be finite (got " + std::to_string(xs[i]) + ")");
      const double xd = xs[i];
      const auto where = outside.classify(xd);
      if (where != detail::OutsideSupport::unknown &&
          (where != detail::OutsideSupport::gap || atom)) {
        if (want_density) out.density[i] = 0;
        if (want_cdf)
          out.cdf[i] = where == detail::OutsideSupport::negative ? 0.0
                       : where == detail::OutsideSupport::right  ? 1.0
                                                                 : *atom;
        continue;
      }
      if (dd) {
        detail::DDComplex q;
        const detail::DDBall xb = detail::dd_exact(xd);
        if (detail::dd_physical_root(*dd, xb, q)) {
          std::optional<double> rd = 0.0, rc = 0.0;
          if (want_density) rd = detail::dd_round_double(detail::dd_density(q, xb));
          if (rd && want_cdf) rc = detail::dd_round_double(detail::dd_cdf(*dd, q));
          if (rd && rc) {
            if (want_density) out.density[i] = *rd;
            if (want_cdf) out.cdf[i] = *rc;
            continue;
          }
        }
      }
      const Rational x(xd);  // exact: a double is a dyadic rational
      bool done = false;
      if (f.doubles_ok && detail::density_cdf_balls_fast(law, f.base, x, f.c2d, f.c1d, f.c3d, f.kd,
                                                         d, c, want_density, want_cdf, 2)) {
        auto rd = want_density ? round_ball_to_double(d) : std::optional<double>(0.0);
        auto rc = want_cdf ? round_ball_to_double(c) : std::optional<double>(0.0);
        if (rd && rc) {
          if (want_density) out.density[i] = *rd;
          if (want_cdf) out.cdf[i] = *rc;
          done = true;
        }
      }
      for (slong prec = base_bits; !done; prec *= 2) {
        const BallLaw& l = laws.at(prec);
        std::optional<double> rd = 0.0, rc = 0.0;
        if (want_density) rd = round_ball_to_double(d = l.density(x));
        if (want_cdf) rc = round_ball_to_double(c = l.cdf(x));
        const bool last = 2 * prec > max_bits;
        if ((rd && rc) || last) {
          if (!(rd && rc)) ++undecided;
          auto mid = [](const Arb& b) { return arf_get_d(arb_midref(b.get()), ARF_RND_NEAR); };
          if (want_density) out.density[i] = rd ? *rd : mid(d);
          if (want_cdf) out.cdf[i] = rc ? *rc : mid(c);
          done = true;
        }
      }
    }
  });
  out.undecided = undecided.load();
  return out;
}

}  // namespace attnrmt::ball
