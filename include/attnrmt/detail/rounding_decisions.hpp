// attnrmt/detail/rounding_decisions.hpp -- decisions the working precision could not make.
//
// Some results are discontinuous in their inputs: the density is 0 outside the
// support and positive inside, so deciding on which side of an edge x lies is a
// sign test. When that sign is within the rounding error of the working
// precision, the library still answers (as if inside) but records the event
// here. The command-line certification (solver/cli/certify.cpp, certify) reads the
// counter around each run and raises the precision until no such decision is
// left, so that a printed 0 is never an artefact of rounding
// (docs/theory.md, "Numerically stable forms").
#pragma once

#include <atomic>

namespace attnrmt::detail {

inline std::atomic<unsigned long>& undecided_counter() {
  static std::atomic<unsigned long> counter{0};
  return counter;
}

/// Nesting depth of IgnoreUndecided guards on this thread.
inline int& undecided_ignored_depth() {
  static thread_local int depth = 0;
  return depth;
}

/// Records that a sign was decided within the rounding error (unless an
/// IgnoreUndecided guard is active on this thread).
inline void note_undecided() {
  if (undecided_ignored_depth() > 0) return;
  undecided_counter().fetch_add(1, std::memory_order_relaxed);
}

/// While alive, side-of-edge decisions on this thread are not recorded: for
/// computations whose result is continuous across the edge (a root search on
/// the CDF, which equals its limit on both sides), where a decision within
/// the rounding error cannot change a printed digit.
class IgnoreUndecided {
 public:
  IgnoreUndecided() { ++undecided_ignored_depth(); }
  ~IgnoreUndecided() { --undecided_ignored_depth(); }
  IgnoreUndecided(const IgnoreUndecided&) = delete;
  IgnoreUndecided& operator=(const IgnoreUndecided&) = delete;
};

/// Number of such decisions so far (compare before and after a computation).
inline unsigned long undecided_count() {
  return undecided_counter().load(std::memory_order_relaxed);
}

}  // namespace attnrmt::detail
