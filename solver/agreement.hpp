// solver/agreement.hpp -- how many significant digits of a value agree with a
// reference: the one measure `check` and `precision` report.
//
//   agreeing digits = the largest k in [0, max_digits] with
//                     |y - x| <= 0.5 * 10^(e - k + 1),  e = floor(log10 max(|x|, |y|)),
// i.e. y equals x to k significant digits up to half a unit in the k-th digit
// (a correctly rounded k-digit value scores >= k; changing its j-th digit
// scores about j - 1). A claimed 0 agrees fully with a reference that is 0 to
// the working precision (tables print 0 below their resolution) and not at all
// with a resolved nonzero value.
#pragma once

#include "attnrmt/precision.hpp"

namespace attnrmt::cli {

/// floor(log10(a)) for a > 0, exact at powers of ten.
long decimal_exponent(const MpReal& a);

/// Agreeing significant digits of `claimed` with `reference` (see above), both
/// at the current working precision.
int agreeing_digits(const MpReal& claimed, const MpReal& reference, int max_digits);

}  // namespace attnrmt::cli
