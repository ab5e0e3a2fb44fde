// attnrmt/detail/polynomial.hpp -- root finding used by the closed forms.
//
// * cubic_roots: all three roots of a complex cubic, by the Aberth-Ehrlich
//   simultaneous iteration, started from a double-precision solve and refined
//   in the working precision (cubic convergence, so a 100-digit refinement of a
//   double start takes three or four sweeps).
// * bracketed_root: a real root inside a sign-changing bracket, by TOMS 748
//   with the tolerance taken from the type (Boost.Math tools/roots).
#pragma once

#include <array>
#include <boost/math/tools/precision.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
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
/// largest relative correction is below `tol` or stops decreasing.
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
      T scale = abs(r[i]);
      if (scale < 1) scale = 1;
      T rel = attnrmt::abs(corr) / scale;
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

/// All roots of a3 p^3 + a2 p^2 + a1 p + a0 (a3 != 0) in the working precision.
template <class Real>
std::array<Complex<Real>, 3> cubic_roots(const Complex<Real>& a3, const Complex<Real>& a2,
                                         const Complex<Real>& a1, const Complex<Real>& a0) {
  Complex<Real> b2 = a2 / a3, b1 = a1 / a3, b0 = a0 / a3;
  // Stage 1: double precision from a non-symmetric start on a circle that
  // contains the roots (Cauchy bound).
  auto to_d = [](const Complex<Real>& c) {
    return Complex<double>(static_cast<double>(c.re), static_cast<double>(c.im));
  };
  Complex<double> d2 = to_d(b2), d1 = to_d(b1), d0 = to_d(b0);
  double bound = 1 + std::max({attnrmt::abs(d2), attnrmt::abs(d1), attnrmt::abs(d0)});
  std::array<Complex<double>, 3> rd;
  for (int k = 0; k < 3; ++k) {
    double angle = 0.4 + 2.0943951023931957 * k;
    rd[k] = Complex<double>(bound * std::cos(angle), bound * std::sin(angle));
  }
  aberth_refine(rd, d2, d1, d0, 4 * std::numeric_limits<double>::epsilon(), 500);
  std::array<Complex<Real>, 3> r;
  for (int k = 0; k < 3; ++k) r[k] = Complex<Real>(Real(rd[k].re), Real(rd[k].im));
  // Stage 2: refine in the working precision (a no-op for Real = double).
  if (type_bits<Real>() > std::numeric_limits<double>::digits)
    aberth_refine(r, b2, b1, b0, Real(4 * type_epsilon<Real>()), 200);
  return r;
}

/// Root of f in [lo, hi] where f(lo) and f(hi) have opposite signs (or one is 0).
template <class Real, class F>
Real bracketed_root(F f, Real lo, Real hi) {
  Real flo = f(lo), fhi = f(hi);
  if (flo == 0) return lo;
  if (fhi == 0) return hi;
  if ((flo > 0) == (fhi > 0))
    throw std::domain_error("internal: root is not bracketed (please report this input)");
  std::uintmax_t max_iter = 1000;
  boost::math::tools::eps_tolerance<Real> tol(type_bits<Real>() - 2);
  auto bracket = boost::math::tools::toms748_solve(f, lo, hi, flo, fhi, tol, max_iter);
  return (bracket.first + bracket.second) / 2;
}

}  // namespace attnrmt::detail
