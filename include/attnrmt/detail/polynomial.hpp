// attnrmt/detail/polynomial.hpp -- root finding used by the closed forms.
//
// * cubic_roots: all three roots of a complex cubic, by the Aberth-Ehrlich
//   simultaneous iteration, started on the Newton polygon's circles (so roots
//   of wildly different magnitudes start at the right scale), solved first in
//   double on the polynomial rescaled by a power of two (or in the working
//   type when the roots span more than double's range) and refined in the
//   working precision (cubic convergence, so a 100-digit refinement of a
//   double start takes three or four sweeps). Convergence is tested relative
//   to each root's own modulus (docs/theory.md, "Numerically stable forms").
// * bracketed_root: a real root inside a sign-changing bracket, by TOMS 748
//   with the tolerance taken from the type (Boost.Math tools/roots); it throws
//   std::runtime_error when the tolerance is not met within its evaluation
//   limit (docs/theory.md "Roots of the cubic").
#pragma once

#include <algorithm>
#include <array>
#include <boost/math/tools/precision.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "attnrmt/complex.hpp"

namespace attnrmt::detail {

// Machine epsilon and mantissa bits of the working precision. Boost.Math's
// tools::epsilon/digits also answer for runtime-precision types such as
// mpfr_float (whose numeric_limits<>::digits is INT_MAX).
template <class Real>
Real type_epsilon() {
  return boost::math::tools::epsilon<Real>();
}

template <class Real>
int type_bits() {
  return boost::math::tools::digits<Real>();
}

/// Aberth-Ehrlich sweeps on the monic cubic p^3 + b2 p^2 + b1 p + b0 until the
/// largest correction relative to its root is below `tol` or stops decreasing.
/// The test is relative to |root| (not to max(|root|, 1)): a tiny root, such as
/// q = z g(z) at z near 0, gets its own significant digits.
template <class T, class Scalar>
void aberth_refine(std::array<Complex<T>, 3>& r, const Complex<T>& b2, const Complex<T>& b1,
                   const Complex<T>& b0, const Scalar& tol, int max_sweeps) {
  using std::abs;
  T previous = boost::math::tools::max_value<T>();
  int stalled = 0;
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    T worst = 0;
    for (int i = 0; i < 3; ++i) {
      Complex<T> f = ((r[i] + b2) * r[i] + b1) * r[i] + b0;
      Complex<T> df = (T(3) * r[i] + T(2) * b2) * r[i] + b1;
      if (f.re == 0 && f.im == 0) continue;
      Complex<T> ratio = f / df;
      Complex<T> sum(0);
      for (int j = 0; j < 3; ++j)
        if (j != i) sum += Complex<T>(1) / (r[i] - r[j]);
      Complex<T> corr = ratio / (Complex<T>(1) - ratio * sum);
      r[i] -= corr;
      T scale = attnrmt::abs(r[i]);
      T size = attnrmt::abs(corr);
      T rel = scale > 0 ? T(size / scale) : T(size > 0 ? 1 : 0);
      if (rel > worst) worst = rel;
    }
    if (worst <= tol) return;
    // Near a multiple root convergence is only linear and stalls at the
    // attainable accuracy (about tol^(1/2) for a double root, tol^(1/3) for a
    // triple one); stop once the corrections no longer shrink there. Far from
    // convergence (roots travelling from the starting circle) keep going.
    using std::cbrt;
    if (worst < 16 * cbrt(tol) && worst >= previous / 2) {
      if (++stalled >= 4) return;
    } else {
      stalled = 0;
    }
    previous = worst;
  }
}

/// Starting points for the roots of the monic cubic with coefficients b[0..2]
/// (b[3] = 1) from its Newton polygon: the upper convex hull of (k, log|b_k|)
/// gives, segment by segment, the moduli of the roots to within a factor of a
/// few (Ostrowski), so the iteration starts at the right magnitudes even when
/// the roots differ by hundreds of orders of magnitude. Returns log-moduli and
/// angles; a zero b0 gives a root at exactly 0 (log-modulus -inf).
struct CubicStart {
  double log_modulus[3];
  double angle[3];
};

inline CubicStart newton_polygon_start(const double (&log_b)[4]) {
  CubicStart start{};
  const double neg_inf = -std::numeric_limits<double>::infinity();
  int first = 0;
  int filled = 0;
  if (log_b[0] == neg_inf) {
    start.log_modulus[0] = neg_inf;
    start.angle[0] = 0;
    first = 1;
    filled = 1;
  }
  // Upper hull from `first` to 3; points with log|b_k| = -inf are skipped.
  int i = first;
  int segment = 0;
  while (i < 3) {
    int best = -1;
    double best_slope = neg_inf;
    for (int j = i + 1; j <= 3; ++j) {
      if (log_b[j] == neg_inf) continue;
      double slope = (log_b[j] - log_b[i]) / (j - i);
      if (best < 0 || slope >= best_slope) {  // ties: the farthest point
        best = j;
        best_slope = slope;
      }
    }
    const int m = best - i;
    const double log_radius = -best_slope;  // (log|b_i| - log|b_j|)/(j - i)
    for (int k = 0; k < m; ++k) {
      start.log_modulus[filled] = log_radius;
      start.angle[filled] = 0.4 + 0.7 * segment + 6.283185307179586 * k / m;
      ++filled;
    }
    ++segment;
    i = best;
  }
  return start;
}

/// All roots of a3 p^3 + a2 p^2 + a1 p + a0 (a3 != 0) in the working precision.
template <class Real>
std::array<Complex<Real>, 3> cubic_roots(const Complex<Real>& a3, const Complex<Real>& a2,
                                         const Complex<Real>& a1, const Complex<Real>& a0) {
  using std::ldexp;
  using std::log;
  Complex<Real> b[3] = {a0 / a3, a1 / a3, a2 / a3};
  // The monic coefficients are the elementary symmetric functions of the
  // roots: they overflow the type's exponent range (double: roots beyond
  // ~1e102 with b0 = -r1 r2 r3) before the roots do. Say so instead of
  // returning NaN; a wider type (MpReal) has the range.
  using std::isfinite;  // MpReal: boost::multiprecision::isfinite by ADL
  auto range_error = [](const char* what) {
    return std::domain_error(std::string("cubic_roots: ") + what +
                             " exceed the exponent range of the working type (use a wider "
                             "type such as MpReal)");
  };
  for (const auto& c : b)
    if (!isfinite(c.re) || !isfinite(c.im)) throw range_error("the monic coefficients a_k/a_3");
  // Log-moduli of the coefficients (in Real, whose exponent range may exceed
  // double's, then rounded to double: only magnitudes are needed).
  double log_b[4] = {0, 0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    Real m = attnrmt::abs(b[k]);
    log_b[k] = m > 0 ? static_cast<double>(log(m)) : -std::numeric_limits<double>::infinity();
  }
  const CubicStart start = newton_polygon_start(log_b);
  // Scale p = 2^e u so that the roots' moduli are centred on 1 (exact in
  // binary arithmetic); stage 1 then runs in double when every scaled
  // coefficient and root fits comfortably in double's range.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double l : start.log_modulus)
    if (std::isfinite(l)) {
      lo = std::min(lo, l);
      hi = std::max(hi, l);
    }
  const double ln2 = 0.6931471805599453;
  const long e = std::lround((lo + hi) / 2 / ln2);
  // Scaled roots within 2^(+-300), so that their cubes stay finite in double.
  bool fits_double = (hi - lo) / ln2 < 600;
  for (int k = 0; k < 3 && fits_double; ++k)
    if (std::isfinite(log_b[k]) && std::abs(log_b[k] / ln2 - (3 - k) * double(e)) > 900)
      fits_double = false;
  std::array<Complex<Real>, 3> r;
  const double tol_double = 4 * std::numeric_limits<double>::epsilon();
  if (fits_double) {
    auto scaled = [&](int k) {
      const int shift = -static_cast<int>((3 - k) * e);
      return Complex<double>(static_cast<double>(ldexp(b[k].re, shift)),
                             static_cast<double>(ldexp(b[k].im, shift)));
    };
    Complex<double> d0 = scaled(0), d1 = scaled(1), d2 = scaled(2);
    std::array<Complex<double>, 3> rd;
    for (int k = 0; k < 3; ++k) {
      if (!std::isfinite(start.log_modulus[k])) {
        rd[k] = Complex<double>(0);
        continue;
      }
      double radius = std::exp(start.log_modulus[k] - e * ln2);
      rd[k] = Complex<double>(radius * std::cos(start.angle[k]), radius * std::sin(start.angle[k]));
    }
    aberth_refine(rd, d2, d1, d0, tol_double, 500);
    for (int k = 0; k < 3; ++k)
      r[k] = Complex<Real>(ldexp(Real(rd[k].re), static_cast<int>(e)),
                           ldexp(Real(rd[k].im), static_cast<int>(e)));
  } else {
    // Roots too far apart for double: the first stage runs in Real.
    for (int k = 0; k < 3; ++k) {
      if (!std::isfinite(start.log_modulus[k])) {
        r[k] = Complex<Real>(0);
        continue;
      }
      using std::exp;
      Real radius = exp(Real(start.log_modulus[k]));
      r[k] = Complex<Real>(radius * Real(std::cos(start.angle[k])),
                           radius * Real(std::sin(start.angle[k])));
    }
    aberth_refine(r, b[2], b[1], b[0], Real(tol_double), 500);
  }
  // Stage 2: refine in the working precision (a no-op for Real = double).
  if (type_bits<Real>() > std::numeric_limits<double>::digits)
    aberth_refine(r, b[2], b[1], b[0], Real(4 * type_epsilon<Real>()), 200);
  for (const auto& z : r)
    if (!isfinite(z.re) || !isfinite(z.im)) throw range_error("the roots or their cubes");
  return r;
}

/// Default evaluation budget of bracketed_root on [lo, hi]: enough for
/// bisection alone. Each TOMS 748 iteration takes at most 4 evaluations and
/// ends with the bracket at most half as wide as at its start (a step that
/// fails to halve it is followed by a bisection); the tolerance
/// |a - b| <= 8 eps min(|a|, |b|) therefore needs at most
/// bits + log2(width / min|x|) halvings. On a bracket of one sign min|x| >=
/// min(|lo|, |hi|); a bracket that holds 0 is granted roots down to 2^-1100 of
/// its width (all of double's range). The budget is 5 (bits + that span + 64)
/// evaluations, and never below 1000 (the former fixed limit). Example: the
/// left edge at delta = gamma = 1e-4000 brackets s in [1.25e-4001, 1/2] and
/// needs ~13500 halvings.
template <class Real>
std::uintmax_t bracketed_root_default_evaluations(const Real& lo, const Real& hi) {
  using std::abs;
  using std::log;
  const double ln2 = 0.6931471805599453;
  double span = 1100;
  const Real width = hi - lo;
  if (width > 1) span += static_cast<double>(log(width)) / ln2;
  if ((lo > 0 && hi > 0) || (lo < 0 && hi < 0)) {
    const Real smaller = abs(lo) < abs(hi) ? abs(lo) : abs(hi);
    span = static_cast<double>(log(Real(width / smaller))) / ln2;
  }
  if (!(span > 0)) span = 0;
  if (span > 1e12) span = 1e12;
  const double budget = 5 * (type_bits<Real>() + std::ceil(span) + 64);
  return std::max<std::uintmax_t>(1000, static_cast<std::uintmax_t>(budget));
}

/// Root of f in [lo, hi] where f(lo) and f(hi) have opposite signs (or one is
/// 0), by TOMS 748 to a relative bracket width of about 8 eps (eps_tolerance
/// with bits - 2). Bad input (no sign change) throws std::domain_error. With the
/// default budget (max_evaluations = 0), a TOMS 748 run that exhausts it is
/// finished by bisection from its last bracket (at most bits + 64 more
/// evaluations); failing to reach the tolerance within an explicit
/// `max_evaluations`, or after that bisection, throws
/// std::runtime_error naming the limit and the last bracket (never a silently
/// unconverged root).
template <class Real, class F>
Real bracketed_root(F f, Real lo, Real hi, std::uintmax_t max_evaluations = 0) {
  const bool default_budget = max_evaluations == 0;
  if (default_budget) max_evaluations = bracketed_root_default_evaluations<Real>(lo, hi);
  Real flo = f(lo), fhi = f(hi);
  if (flo == 0) return lo;
  if (fhi == 0) return hi;
  if ((flo > 0) == (fhi > 0))
    throw std::domain_error("internal: root is not bracketed (please report this input)");
  std::uintmax_t used = max_evaluations;
  boost::math::tools::eps_tolerance<Real> tol(type_bits<Real>() - 2);
  auto bracket = boost::math::tools::toms748_solve(f, lo, hi, flo, fhi, tol, used);
  // toms748_solve returns the current bracket when its budget runs out (used
  // is then the whole budget); only a bracket that meets the tolerance (or has
  // collapsed onto an exact zero of f) is a root.
  if (used >= max_evaluations && !tol(bracket.first, bracket.second) &&
      bracket.first != bracket.second && default_budget) {
    // TOMS 748 can stall: seen once in a loaded multi-threaded MPFR run at 35
    // digits (delta = 2.75, gamma = 0.75), with a bracket already narrower
    // than 1e-17 that no longer shrank. Bisection from that bracket keeps the
    // sign change and halves the width at every step, so it reaches the
    // tolerance in at most bits + 64 steps, or stops where no representable
    // point is left between the ends (the root to the working precision).
    Real a = bracket.first, b = bracket.second, fa = f(a);
    for (int step = 0; step < type_bits<Real>() + 64 && !tol(a, b); ++step) {
      const Real m = a + (b - a) / 2;
      if (m == a || m == b) return m;
      const Real fm = f(m);
      if (fm == 0) return m;
      if ((fm > 0) == (fa > 0)) {
        a = m;
        fa = fm;
      } else {
        b = m;
      }
    }
    bracket = {a, b};
  }
  if (used >= max_evaluations && !tol(bracket.first, bracket.second) &&
      bracket.first != bracket.second) {
    std::ostringstream msg;
    msg.precision(17);
    msg << "bracketed_root: no convergence within the limit of " << max_evaluations
        << " evaluations of f (last bracket [" << bracket.first << ", " << bracket.second << "])";
    throw std::runtime_error(msg.str());
  }
  return (bracket.first + bracket.second) / 2;
}

}  // namespace attnrmt::detail
