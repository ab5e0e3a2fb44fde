// attnrmt/complex.hpp -- a minimal complex number over any real type.
//
// std::complex<T> is only specified for float, double and long double; the
// solver runs the same code in double and in Boost.Multiprecision types, so it
// carries its own small complex type with exactly the operations it needs
// (field arithmetic, modulus, argument, principal square root, exp and
// principal log; docs/theory.md "Complex exp and log").
#pragma once

#include <cmath>
#include <stdexcept>
#include <utility>

namespace attnrmt {

template <class Real>
struct Complex {
  Real re{0};
  Real im{0};

  Complex() = default;
  Complex(const Real& r) : re(r), im(0) {}  // NOLINT: implicit real -> complex is intended
  Complex(const Real& r, const Real& i) : re(r), im(i) {}
  Complex(int r) : re(r), im(0) {}  // NOLINT

  Complex& operator+=(const Complex& o) {
    re += o.re;
    im += o.im;
    return *this;
  }
  Complex& operator-=(const Complex& o) {
    re -= o.re;
    im -= o.im;
    return *this;
  }
  Complex& operator*=(const Complex& o) {
    Real r = re * o.re - im * o.im;
    im = re * o.im + im * o.re;
    re = r;
    return *this;
  }
  Complex& operator/=(const Complex& o) {
    using std::abs;
    // Smith's algorithm: avoids overflow and keeps relative accuracy.
    if (abs(o.re) >= abs(o.im)) {
      Real ratio = o.im / o.re;
      Real den = o.re + o.im * ratio;
      Real r = (re + im * ratio) / den;
      im = (im - re * ratio) / den;
      re = r;
    } else {
      Real ratio = o.re / o.im;
      Real den = o.re * ratio + o.im;
      Real r = (re * ratio + im) / den;
      im = (im * ratio - re) / den;
      re = r;
    }
    return *this;
  }
};

template <class Real>
Complex<Real> operator+(Complex<Real> a, const Complex<Real>& b) {
  return a += b;
}
template <class Real>
Complex<Real> operator-(Complex<Real> a, const Complex<Real>& b) {
  return a -= b;
}
template <class Real>
Complex<Real> operator*(Complex<Real> a, const Complex<Real>& b) {
  return a *= b;
}
template <class Real>
Complex<Real> operator/(Complex<Real> a, const Complex<Real>& b) {
  return a /= b;
}
template <class Real>
Complex<Real> operator-(const Complex<Real>& a) {
  return Complex<Real>(-a.re, -a.im);
}
template <class Real>
Complex<Real> operator*(const Real& s, Complex<Real> a) {
  a.re *= s;
  a.im *= s;
  return a;
}
template <class Real>
Complex<Real> operator*(Complex<Real> a, const Real& s) {
  return s * a;
}
template <class Real>
Complex<Real> operator+(const Real& s, Complex<Real> a) {
  a.re += s;
  return a;
}
template <class Real>
Complex<Real> operator+(Complex<Real> a, const Real& s) {
  a.re += s;
  return a;
}
template <class Real>
Complex<Real> operator-(const Real& s, const Complex<Real>& a) {
  return Complex<Real>(s - a.re, -a.im);
}
template <class Real>
Complex<Real> operator-(Complex<Real> a, const Real& s) {
  a.re -= s;
  return a;
}
template <class Real>
Complex<Real> operator/(Complex<Real> a, const Real& s) {
  a.re /= s;
  a.im /= s;
  return a;
}
template <class Real>
Complex<Real> operator/(const Real& s, const Complex<Real>& a) {
  return Complex<Real>(s) / a;
}

template <class Real>
Complex<Real> conj(const Complex<Real>& a) {
  return Complex<Real>(a.re, -a.im);
}

/// |a|, computed without overflow.
template <class Real>
Real abs(const Complex<Real>& a) {
  using std::abs;
  using std::sqrt;
  Real x = abs(a.re), y = abs(a.im);
  if (x < y) std::swap(x, y);
  if (x == 0) return x;
  Real r = y / x;
  return x * sqrt(1 + r * r);
}

/// Principal argument in (-pi, pi]; arg(-x - 0i) is -pi (limit from below).
template <class Real>
Real arg(const Complex<Real>& a) {
  using std::atan2;
  return atan2(a.im, a.re);
}

/// Principal square root (branch cut on the negative real axis).
template <class Real>
Complex<Real> sqrt(const Complex<Real>& a) {
  using std::abs;
  using std::sqrt;
  if (a.re == 0 && a.im == 0) return Complex<Real>(0);
  Real m = abs(a);
  Real t = sqrt((m + abs(a.re)) / 2);
  if (a.re >= 0) return Complex<Real>(t, a.im / (2 * t));
  Real im = a.im < 0 ? Real(-t) : t;
  return Complex<Real>(abs(a.im) / (2 * t), im);
}

/// e^a = e^{Re a} (cos Im a + i sin Im a); entire. Overflows to infinity when
/// Re a exceeds the type's exponent range (as the real exp does).
template <class Real>
Complex<Real> exp(const Complex<Real>& a) {
  using std::cos;
  using std::exp;
  using std::sin;
  const Real modulus = exp(a.re);
  return Complex<Real>(modulus * cos(a.im), modulus * sin(a.im));
}

/// Principal logarithm log|a| + i arg(a), imaginary part in (-pi, pi].
/// Branch cut: the negative real axis (-inf, 0]. On the cut the value is taken
/// from above (log(-x) = log x + i pi, x > 0), except that a negative zero
/// imaginary part selects the limit from below (-i pi), as arg() does. The real
/// part is log of the overflow-free modulus, so its absolute error is a few
/// eps even when |a| is near 1 (where log|a| itself is small). log(0) throws
/// std::domain_error (the logarithm has a pole there).
template <class Real>
Complex<Real> log(const Complex<Real>& a) {
  using std::log;
  if (a.re == 0 && a.im == 0)
    throw std::domain_error("log: the argument is 0 (log has a pole at 0)");
  return Complex<Real>(Real(log(attnrmt::abs(a))), attnrmt::arg(a));
}

}  // namespace attnrmt
