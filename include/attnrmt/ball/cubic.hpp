// attnrmt/ball/cubic.hpp -- certified roots of a cubic with ball coefficients.
//
// f(q) = c3 q^3 + c2 q^2 + c1 q + c0, coefficients given as balls (every
// polynomial whose coefficients lie in the balls is covered).
//
// Proof of a root (Krawczyk's test, docs/certified.md §Roots): for an exact
// point m, an exact approximation Y ~ 1/f'(m) and the rectangle X = m + [-r, r]
// + i[-r, r], let k(x) = x - Y f(x). On the convex X,
//   k(X) ⊂ K = k(m) + (1 - Y f'(X)) (X - m)
// (mean-value form; 1 - Y f'(X) is a ball, hence convex, enclosing every
// derivative value). If K lies in the interior of X and |1 - Y f'(X)| < 1, k is
// a contraction of X into itself, so f has exactly one root in X, and it is
// simple; K is returned (it contains that root too, since root = k(root)).
// A real seed gives a rectangle symmetric under conjugation; for a polynomial
// with real coefficients the unique root in it is then real.
//
// Seeds: Arb's acb_poly_find_roots (Durand-Kerner, any exponent range) at a low
// precision; refinement: Newton on exact midpoints with the precision doubled at
// each step from 64 bits to the target (a precision ladder, as
// arb_calc_refine_root_newton), then one Krawczyk test at the target.
#pragma once

#include <acb_poly.h>

#include <array>
#include <optional>

#include "attnrmt/ball/arb.hpp"

namespace attnrmt::ball {

struct Cubic {
  std::array<Acb, 4> c;  ///< c[k] multiplies q^k; c[3] must not contain 0
};

/// f(x) and f'(x) in ball arithmetic.
inline void cubic_eval(Acb& f, Acb& df, const Cubic& p, const Acb& x, slong prec) {
  acb_mul(f, p.c[3], x, prec);
  acb_add(f, f, p.c[2], prec);
  acb_mul(f, f, x, prec);
  acb_add(f, f, p.c[1], prec);
  acb_mul(f, f, x, prec);
  acb_add(f, f, p.c[0], prec);
  acb_mul_ui(df, p.c[3], 3, prec);
  acb_mul(df, df, x, prec);
  Acb t;
  acb_mul_2exp_si(t, p.c[2], 1);
  acb_add(df, df, t, prec);
  acb_mul(df, df, x, prec);
  acb_add(df, df, p.c[1], prec);
}

/// One Newton step on the midpoint m (m stays an exact point). Returns false if
/// f'(m) contains 0.
inline bool newton_point_step(Acb& m, const Cubic& p, slong prec) {
  Acb f, df, step;
  cubic_eval(f, df, p, m, prec);
  if (acb_contains_zero(df)) return false;
  acb_div(step, f, df, prec);
  acb_sub(m, m, step, prec);
  acb_get_mid(m, m);
  return true;
}

/// Krawczyk test on X = m + r [-1,1] (1 + i), r > 0 a magnitude. Returns the
/// enclosure K of the unique root in X, or nothing when the test fails.
inline std::optional<Acb> krawczyk(const Cubic& p, const Acb& m, const mag_t r, slong prec) {
  Acb X(m);
  arb_add_error_mag(X.re(), r);
  arb_add_error_mag(X.im(), r);  // symmetric under conjugation when m is real
  Acb fm, dfm, fX, dfX, Y;
  cubic_eval(fm, dfm, p, m, prec);
  if (acb_contains_zero(dfm)) return std::nullopt;
  acb_inv(Y, dfm, prec);
  acb_get_mid(Y, Y);
  cubic_eval(fX, dfX, p, X, prec);
  Acb contraction, K, t;
  acb_mul(contraction, Y, dfX, prec);
  acb_sub_ui(contraction, contraction, 1, prec);
  acb_neg(contraction, contraction);  // 1 - Y f'(X)
  acb_sub(t, X, m, prec);
  acb_mul(K, contraction, t, prec);
  acb_mul(t, Y, fm, prec);
  acb_sub(K, K, t, prec);
  acb_add(K, K, m, prec);
  mag_t bound;
  mag_init(bound);
  acb_get_mag(bound, contraction);
  bool contracts = mag_cmp_2exp_si(bound, 0) < 0;
  mag_clear(bound);
  if (!contracts || !acb_contains_interior(X, K)) return std::nullopt;
  return K;
}

/// Proves the root near the exact seed point m at `prec` bits: Newton steps,
/// then Krawczyk tests on growing rectangles. `real_seed` keeps the imaginary
/// part 0 (for a real root of a real polynomial). Nothing if no proof.
inline std::optional<Acb> certify_root_at(const Cubic& p, Acb m, bool real_seed, slong prec,
                                          int newton_steps = 3) {
  Acb prev;
  for (int it = 0; it < newton_steps; ++it) {
    acb_set(prev, m);
    if (!newton_point_step(m, p, prec)) return std::nullopt;
    if (real_seed) arb_zero(m.im());
  }
  // Radius: a few times the last Newton correction and the error bound
  // |f(m)| / |f'(m)| (f(m) is a ball: the coefficients' radii count), at least
  // a few ulps of m.
  Acb diff, fm, dfm;
  acb_sub(diff, m, prev, prec);
  mag_t r, floor_r, lower;
  mag_init(r);
  mag_init(floor_r);
  mag_init(lower);
  acb_get_mag(r, diff);
  mag_mul_2exp_si(r, r, 3);
  cubic_eval(fm, dfm, p, m, prec);
  acb_get_mag_lower(lower, dfm);
  if (!mag_is_zero(lower)) {
    acb_get_mag(floor_r, fm);
    mag_div(floor_r, floor_r, lower);
    mag_mul_2exp_si(floor_r, floor_r, 2);
    mag_max(r, r, floor_r);
  }
  mag_clear(lower);
  acb_get_mag(floor_r, m);
  mag_mul_2exp_si(floor_r, floor_r, -prec + 8);
  mag_max(r, r, floor_r);
  if (mag_is_zero(r)) mag_set_ui_2exp_si(r, 1, -prec);
  std::optional<Acb> out;
  for (int attempt = 0; attempt < 5 && !out; ++attempt) {
    out = krawczyk(p, m, r, prec);
    mag_mul_2exp_si(r, r, 6);
  }
  mag_clear(r);
  mag_clear(floor_r);
  return out;
}

/// Precision ladder: Newton from the seed at 64, 128, ... bits up to `prec`,
/// then the proof at `prec`. `coeffs(bits)` gives the cubic at a precision.
template <class CoeffsAt>
std::optional<Acb> certify_root(const CoeffsAt& coeffs, const Acb& seed, bool real_seed, slong prec,
                                slong seed_bits = 64) {
  Acb m(seed);
  acb_get_mid(m, m);
  if (real_seed) arb_zero(m.im());
  for (slong bits = 2 * seed_bits; bits < prec; bits *= 2) {
    Cubic p = coeffs(bits);
    for (int it = 0; it < 2; ++it)
      if (!newton_point_step(m, p, bits + 16)) return std::nullopt;
    if (real_seed) arb_zero(m.im());
  }
  return certify_root_at(coeffs(prec), m, real_seed, prec);
}

/// Approximate roots (midpoints only; nothing is claimed) from Arb's
/// polynomial root finder at `prec` bits.
inline std::array<Acb, 3> seed_roots(const Cubic& p, slong prec) {
  acb_poly_t poly;
  acb_poly_init(poly);
  for (int k = 0; k < 4; ++k) {
    Acb mid;
    acb_get_mid(mid, p.c[k]);
    acb_poly_set_coeff_acb(poly, k, mid);
  }
  acb_ptr roots = _acb_vec_init(3);
  acb_poly_find_roots(roots, poly, nullptr, 200, prec);
  std::array<Acb, 3> out;
  for (int k = 0; k < 3; ++k) acb_get_mid(out[k], roots + k);
  _acb_vec_clear(roots, 3);
  acb_poly_clear(poly);
  return out;
}

/// All three roots, each proven by Krawczyk and pairwise disjoint (so they are
/// the three roots of every cubic in the coefficient balls, all simple).
/// Seeding precision for a target precision: the full target up to 512 bits
/// (roots closer than 2^-prec/2 are still told apart), then 512 bits.
inline slong seed_precision(slong prec) {
  return prec < 512 ? prec : 512;
}

template <class CoeffsAt>
std::optional<std::array<Acb, 3>> isolate_roots(const CoeffsAt& coeffs, slong prec) {
  slong seed_prec = seed_precision(prec);
  auto seeds = seed_roots(coeffs(seed_prec), seed_prec);
  std::array<Acb, 3> out;
  for (int k = 0; k < 3; ++k) {
    auto r = certify_root(coeffs, seeds[k], false, prec, seed_prec);
    if (!r) return std::nullopt;
    out[k] = *r;
  }
  for (int i = 0; i < 3; ++i)
    for (int j = i + 1; j < 3; ++j)
      if (acb_overlaps(out[i], out[j])) return std::nullopt;
  return out;
}

}  // namespace attnrmt::ball
