// solver/agreement.cpp -- see agreement.hpp.
#include "agreement.hpp"

#include <algorithm>

namespace attnrmt::cli {

long decimal_exponent(const MpReal& a) {
  long e = static_cast<long>(floor(log10(a)).convert_to<double>());
  MpReal ten(10);
  if (pow(ten, e + 1) <= a) ++e;
  if (pow(ten, e) > a) --e;
  return e;
}

int agreeing_digits(const MpReal& claimed, const MpReal& reference, int max_digits) {
  MpReal err = abs(claimed - reference);
  if (err == 0) return max_digits;
  // A claimed 0 agrees only with a reference that is 0 to the working
  // precision of the recomputation (not with a small but resolved value).
  if (claimed == 0) {
    int work = static_cast<int>(MpReal::default_precision());
    return abs(reference) < pow(MpReal(10), -(work - 5)) ? max_digits : 0;
  }
  if (reference == 0) return 0;
  MpReal scale = std::max(abs(claimed), abs(reference));
  long e = decimal_exponent(scale);
  // largest k with err <= 0.5 * 10^(e - k + 1)  <=>  k <= e + 1 + log10(0.5 / err)
  MpReal bound = MpReal(e + 1) + log10(MpReal(0.5) / err);
  if (bound < 0) return 0;
  if (bound >= max_digits) return max_digits;
  return static_cast<int>(floor(bound).convert_to<double>());
}

}  // namespace attnrmt::cli
