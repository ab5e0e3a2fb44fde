// attnrmt/ball/detail/thread_caches.hpp -- releases FLINT's, Arb's and MPFR's
// per-thread caches when a worker thread that used them ends.
//
// FLINT keeps a free list of GMP integers per thread (fmpz), Arb and MPFR
// keep their constants (pi, log 2, ...) per thread; only flint_cleanup()
// frees them (it also calls mpfr_free_cache()). A thread that ends without
// it leaves them unreachable: a few hundred kB per thread, reported as leaks
// by LeakSanitizer. release_thread_caches_at_exit() registers, once per
// thread, a thread_local guard whose destructor calls flint_cleanup() when the
// thread ends (for the main thread: at exit). Call it at the start of any work
// that runs on a thread of its own and touches Arb or MPFR.
#pragma once

#include <flint/flint.h>

namespace attnrmt::ball::detail {

inline void release_thread_caches_at_exit() {
  struct Guard {
    ~Guard() { flint_cleanup(); }
  };
  thread_local Guard guard;
  (void)guard;
}

}  // namespace attnrmt::ball::detail
