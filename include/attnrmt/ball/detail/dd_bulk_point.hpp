// attnrmt/ball/detail/dd_bulk_point.hpp -- the bulk law's density and CDF at
// one real x in double-double balls: the first stage of the grid path
// (ball/grid.hpp, docs/certified.md §Grids).
//
// Same mathematics as the Arb fast path (ball/grid.hpp, ball/bulk_law_ball.hpp):
// q(x + i0) is a root of c3 q^3 + c2 q^2 + (c1 - x/kappa) q + x/kappa; the
// double root of GSL with Im q < 0 seeds Newton steps in double-double
// (f in double-double, the correction f/f' in double; one step, up to three
// while the correction exceeds 1e-15 |q|), then Krawczyk's test
// (ball/cubic.hpp states it) on the square X = m + r [-1,1](1 + i) in
// double-double complex balls, with Y = 1/f'(X)'s midpoint in double:
// K = m - Y f(m) + (1 - Y f'(X)) (X - m); K inside X and |1 - Y f'(X)| < 1
// prove exactly one root in X, inside K, for every cubic with coefficients in
// the balls (the exact one among them). A proven root with Im q < 0 proves x
// inside the support and is the physical root (ball/bulk_law_ball.hpp). Then
//   density = -Im q / (pi x),
//   CDF = 1 - (2 Im q - arg(q - 1) + sum_a (1 - 1/a) arg(1 - a + a q)) / pi,
// a in {delta, gamma} (a = 1: no term); every argument has Im < 0 (a > 0), so
// the principal arg is the continuous branch (ball/detail/dd_arg.hpp).
// Any step not proven: false (the caller takes the Arb path).
#pragma once

#include <gsl/gsl_poly.h>

#include <vector>

#include "attnrmt/ball/detail/dd_arg.hpp"

namespace attnrmt::ball::detail {

struct DDBulkLaw {
  DDBall c3, c2, c1, three_c3, two_c2, inv_kappa;
  bool kappa_one = true;
  double c3d = 0, c2d = 0, c1d = 0, kappad = 1;
  struct LogTerm {
    DDBall a, one_minus_a, coefficient;
  };
  std::vector<LogTerm> log_terms;
  bool ok = false;  ///< every constant finite and in the double range

  DDBulkLaw(const Rational& delta, const Rational& gamma, const Rational& kappa) {
    c3 = dd_from_rational(delta * gamma);
    c2 = dd_from_rational(delta * (1 - gamma) + gamma * (1 - delta));
    c1 = dd_from_rational((1 - delta) * (1 - gamma));
    three_c3 = mul(dd_exact(3), c3);
    two_c2 = mul_2exp(c2, 1);
    kappa_one = kappa == 1;
    inv_kappa = dd_from_rational(1 / kappa);
    for (const Rational* a : {&delta, &gamma})
      if (*a != 1)
        log_terms.push_back(
            {dd_from_rational(*a), dd_from_rational(1 - *a), dd_from_rational(1 - 1 / *a)});
    c3d = c3.m.hi;
    c2d = c2.m.hi;
    c1d = c1.m.hi;
    kappad = 1 / inv_kappa.m.hi;
    ok = finite(c3) && finite(c2) && finite(c1) && finite(inv_kappa) && c3d > 0 &&
         std::isfinite(kappad) && kappad > 0;
    for (const auto& t : log_terms) ok = ok && finite(t.a) && finite(t.coefficient);
    (void)dd_constants();  // build the tables before threads start
  }
};

namespace dd_cubic {
// f and f' of c3 q^3 + c2 q^2 + c1p q + c0 (real ball coefficients).
inline DDComplex f(const DDBulkLaw& law, const DDBall& c1p, const DDBall& c0, const DDComplex& z) {
  DDComplex v = mul(law.c3, z);
  v.re = add(v.re, law.c2);
  v = mul(v, z);
  v.re = add(v.re, c1p);
  v = mul(v, z);
  v.re = add(v.re, c0);
  return v;
}
inline DDComplex df(const DDBulkLaw& law, const DDBall& c1p, const DDComplex& z) {
  DDComplex v = mul(law.three_c3, z);
  v.re = add(v.re, law.two_c2);
  v = mul(v, z);
  v.re = add(v.re, c1p);
  return v;
}
inline DDComplex point(double re, double im) {
  return DDComplex{dd_exact(re), dd_exact(im)};
}
// 1/(a + i b) in double (an approximation; nothing is claimed).
inline void inverse(double a, double b, double& re, double& im) {
  const double n = a * a + b * b;
  re = a / n;
  im = -b / n;
}
}  // namespace dd_cubic

/// The proven physical root q(x + i0) at x (a ball containing the rational x),
/// or false.
inline bool dd_physical_root(const DDBulkLaw& law, const DDBall& x, DDComplex& q) {
  if (!law.ok || !finite(x)) return false;
  const DDBall xu = law.kappa_one ? x : mul(x, law.inv_kappa);
  const double xd = xu.m.hi;
  if (!(xd > 0x1p-500 && xd < 0x1p500)) return false;
  gsl_complex z[3];
  gsl_poly_complex_solve_cubic(law.c2d / law.c3d, (law.c1d - xd) / law.c3d, xd / law.c3d, &z[0],
                               &z[1], &z[2]);
  int k = 0;
  for (int j = 1; j < 3; ++j)
    if (GSL_IMAG(z[j]) < GSL_IMAG(z[k])) k = j;
  const double sr = GSL_REAL(z[k]), si = GSL_IMAG(z[k]);
  if (!(si < 0) || !std::isfinite(sr)) return false;
  const DDBall c1p = sub(law.c1, xu);
  // Newton: f in double-double, the correction in double; a second and third
  // step only while the correction is above 1e-15 |m| (a poor seed, e.g. for
  // badly scaled coefficients).
  DDComplex m = dd_cubic::point(sr, si);
  {
    double step = 0;
    for (int it = 0; it < 3; ++it) {
      const DDComplex fm = dd_cubic::f(law, c1p, xu, m), dfm = dd_cubic::df(law, c1p, m);
      double yr, yi;
      dd_cubic::inverse(dfm.re.m.hi, dfm.im.m.hi, yr, yi);
      const double fr = fm.re.m.hi + fm.re.m.lo, fi = fm.im.m.hi + fm.im.m.lo;
      const double sr2 = fr * yr - fi * yi, si2 = fr * yi + fi * yr;
      m = sub(m, dd_cubic::point(sr2, si2));
      m.re.r = m.im.r = 0;  // m is an exact point (its error is irrelevant)
      step = std::fabs(sr2) + std::fabs(si2);
      if (!(step > 1e-15 * (std::fabs(m.re.m.hi) + std::fabs(m.im.m.hi)))) break;
    }
    double r = 8 * step;
    const double floor_r = (std::fabs(sr) + std::fabs(si)) * 0x1p-100;
    if (!(r > floor_r)) r = floor_r;
    if (!(r > 0x1p-900) || !std::isfinite(r)) return false;
    const DDComplex fmid = dd_cubic::f(law, c1p, xu, m);
    for (int attempt = 0; attempt < 2; ++attempt, r *= 64) {
      DDComplex X = m;
      X.re.r = X.im.r = r;
      const DDComplex dfX = dd_cubic::df(law, c1p, X);
      double a, b;
      dd_cubic::inverse(dfX.re.m.hi, dfX.im.m.hi, a, b);
      const DDComplex Y = dd_cubic::point(a, b);
      DDComplex contraction = sub(dd_cubic::point(1, 0), mul(Y, dfX));
      const double c = mag_upper(contraction);
      if (!(c < 1)) continue;
      DDComplex box = dd_cubic::point(0, 0);  // X - m
      box.re.r = box.im.r = r;
      const DDComplex K = add(sub(m, mul(Y, fmid)), mul(contraction, box));
      if (!(mag_upper(sub(K.re, m.re)) < r && mag_upper(sub(K.im, m.im)) < r)) continue;
      if (!is_negative(K.im)) return false;
      q = K;
      return true;
    }
  }
  return false;
}

/// -Im q / (pi x).
inline DDBall dd_density(const DDComplex& q, const DDBall& x) {
  return neg(div(q.im, mul(dd_constants().pi, x)));
}

/// 1 - Im F(q) / pi.
inline DDBall dd_cdf(const DDBulkLaw& law, const DDComplex& q) {
  DDBall val = sub(mul_2exp(q.im, 1), dd_arg_lower(DDComplex{sub(q.re, dd_exact(1)), q.im}));
  for (const auto& t : law.log_terms) {
    const DDComplex w{add(mul(t.a, q.re), t.one_minus_a), mul(t.a, q.im)};
    val = add(val, mul(t.coefficient, dd_arg_lower(w)));
  }
  return sub(dd_exact(1), div(val, dd_constants().pi));
}

}  // namespace attnrmt::ball::detail
