// attnrmt/precision.hpp -- the runtime-selected working precision.
//
// The library is templated on the real type; the command-line tool runs it in
// boost::multiprecision::mpfr_float, whose precision is chosen at run time
// (decimal digits). Printed digits are certified by the caller computing at two
// different working precisions (see solver/certify.hpp and README "Precision").
#pragma once

#include <boost/multiprecision/mpfr.hpp>

namespace attnrmt {

// Expression templates off: generic code may use `auto` on arithmetic results.
using MpReal = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                             boost::multiprecision::et_off>;

/// Sets the default precision of MpReal for the lifetime of the object.
/// Boost 1.74 keeps that default in a process-wide static, so all threads that
/// compute concurrently must use the same precision.
class ScopedPrecision {
 public:
  explicit ScopedPrecision(unsigned digits10) : saved_(MpReal::default_precision()) {
    MpReal::default_precision(digits10);
  }
  ~ScopedPrecision() { MpReal::default_precision(saved_); }
  ScopedPrecision(const ScopedPrecision&) = delete;
  ScopedPrecision& operator=(const ScopedPrecision&) = delete;

 private:
  unsigned saved_;
};

}  // namespace attnrmt
