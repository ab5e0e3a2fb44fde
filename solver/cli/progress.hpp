// solver/cli/progress.hpp -- a one-line progress bar for long runs (`table`,
// `validate`): "LABEL [#####.....] DONE/TOTAL UNIT, T s, about R s left", redrawn
// in place with a carriage return; R assumes the remaining items take as long as
// the done ones did.
//
// Drawn only when enabled (the caller passes: stderr is a terminal and no
// --quiet) and the run has lasted `delay_seconds` (default 1 s), so quick runs
// print nothing; once drawn, the final count is always drawn and finish() (or
// the destructor) ends the line with a newline. Disabled, it writes nothing.
// Not thread-safe: call update() from one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <iostream>
#include <ostream>
#include <string>

namespace attnrmt::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::string unit, std::size_t total, bool enabled,
              std::ostream& out = std::cerr, double delay_seconds = 1.0);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  bool enabled() const { return enabled_; }
  /// The text before the bar, e.g. "attnrmt table: pass 2".
  void set_label(std::string label) { label_ = std::move(label); }
  /// Redraws the bar at `done` of `total` (clamped to total).
  void update(std::size_t done);
  /// Ends the bar's line with a newline if it was drawn; idempotent.
  void finish();

 private:
  std::string label_, unit_;
  std::size_t total_;
  bool enabled_;
  std::ostream& out_;
  double delay_seconds_;
  std::chrono::steady_clock::time_point start_;
  bool shown_ = false;
  std::size_t drawn_length_ = 0;  ///< length of the last line drawn
};

}  // namespace attnrmt::cli
