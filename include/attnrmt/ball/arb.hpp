// attnrmt/ball/arb.hpp -- RAII owners for Arb's ball types (docs/certified.md).
//
// Arb (Debian libflint-arb-dev 2.23) represents a real number by a ball
// [m +- r] (arb_t) and a complex number by a rectangle of two such balls
// (acb_t); every operation returns a ball guaranteed to contain the exact
// result of the operation applied to any points of its input balls. Arb and
// Acb own one such value (copyable, movable) and convert implicitly to the raw
// pointer types, so Arb's C functions take them directly:
//   Arb x; arb_add(x, a, b, prec);
// Conversions from exact rationals give the tightest ball at `prec` bits
// (radius 0 when the rational is dyadic and fits in `prec` bits).
#pragma once

#include <acb.h>
#include <arb.h>
#include <flint/fmpz.h>

#include <string>

#include "attnrmt/rational.hpp"

namespace attnrmt::ball {

class Arb {
 public:
  Arb() { arb_init(v_); }
  Arb(const Arb& other) {
    arb_init(v_);
    arb_set(v_, other.v_);
  }
  Arb(Arb&& other) noexcept {
    arb_init(v_);
    arb_swap(v_, other.v_);
  }
  Arb& operator=(const Arb& other) {
    arb_set(v_, other.v_);
    return *this;
  }
  Arb& operator=(Arb&& other) noexcept {
    arb_swap(v_, other.v_);
    return *this;
  }
  ~Arb() { arb_clear(v_); }
  operator arb_ptr() { return v_; }
  operator arb_srcptr() const { return v_; }
  arb_ptr get() { return v_; }
  arb_srcptr get() const { return v_; }

  /// Indeterminate ball [NaN +- inf]: Arb's "not decided at this precision".
  static Arb indeterminate() {
    Arb r;
    arb_indeterminate(r);
    return r;
  }
  bool is_finite() const { return arb_is_finite(v_) != 0; }

 private:
  arb_t v_;
};

class Acb {
 public:
  Acb() { acb_init(v_); }
  Acb(const Acb& other) {
    acb_init(v_);
    acb_set(v_, other.v_);
  }
  Acb(Acb&& other) noexcept {
    acb_init(v_);
    acb_swap(v_, other.v_);
  }
  Acb& operator=(const Acb& other) {
    acb_set(v_, other.v_);
    return *this;
  }
  Acb& operator=(Acb&& other) noexcept {
    acb_swap(v_, other.v_);
    return *this;
  }
  ~Acb() { acb_clear(v_); }
  operator acb_ptr() { return v_; }
  operator acb_srcptr() const { return v_; }
  acb_ptr get() { return v_; }
  acb_srcptr get() const { return v_; }
  arb_ptr re() { return acb_realref(v_); }
  arb_ptr im() { return acb_imagref(v_); }
  arb_srcptr re() const { return acb_realref(v_); }
  arb_srcptr im() const { return acb_imagref(v_); }

  static Acb indeterminate() {
    Acb r;
    acb_indeterminate(r);
    return r;
  }
  bool is_finite() const { return acb_is_finite(v_) != 0; }

 private:
  acb_t v_;
};

/// Owner of a FLINT integer.
class Fmpz {
 public:
  Fmpz() { fmpz_init(v_); }
  Fmpz(const Fmpz&) = delete;
  Fmpz& operator=(const Fmpz&) = delete;
  ~Fmpz() { fmpz_clear(v_); }
  operator fmpz*() { return v_; }
  operator const fmpz*() const { return v_; }

 private:
  fmpz_t v_;
};

/// The rational r as a ball at `prec` bits (exact when r is dyadic and fits).
/// Numerator and denominator go straight from GMP (mpq_t) to FLINT (fmpz_set_mpz).
inline void set_rational(arb_ptr out, const Rational& r, slong prec) {
  const mpq_srcptr q = r.backend().data();
  Fmpz num;
  fmpz_set_mpz(num, mpq_numref(q));
  if (mpz_cmp_ui(mpq_denref(q), 1) == 0) {
    arb_set_round_fmpz(out, num, prec);
    return;
  }
  Fmpz den;
  fmpz_set_mpz(den, mpq_denref(q));
  arb_fmpz_div_fmpz(out, num, den, prec);
}

inline Arb to_arb(const Rational& r, slong prec) {
  Arb out;
  set_rational(out, r, prec);
  return out;
}

/// Working precision in bits for `digits` significant decimal digits, plus guard bits.
inline slong bits_for_digits(int digits, slong guard = 32) {
  return static_cast<slong>(digits * 3.3219280948873623) + 1 + guard;
}

}  // namespace attnrmt::ball
