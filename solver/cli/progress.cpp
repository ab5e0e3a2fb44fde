// solver/cli/progress.cpp -- the progress bar (progress.hpp).
#include "cli/progress.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

namespace attnrmt::cli {

ProgressBar::ProgressBar(std::string label, std::string unit, std::size_t total, bool enabled,
                         std::ostream& out, double delay_seconds)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      enabled_(enabled),
      out_(out),
      delay_seconds_(delay_seconds),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(std::size_t done) {
  if (!enabled_) return;
  done = std::min(done, total_);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // Quick runs print nothing; a bar once shown always shows its final count.
  if (elapsed < delay_seconds_ && !(shown_ && done == total_)) return;
  shown_ = true;
  const std::size_t width = 30;
  const std::size_t filled = total_ ? width * done / total_ : width;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", elapsed);
  std::string line = label_ + " [" + std::string(filled, '#') + std::string(width - filled, '.') +
                     "] " + std::to_string(done) + "/" + std::to_string(total_) + " " + unit_ +
                     ", " + seconds + " s";
  // The time left if the remaining items take as long as the done ones did.
  if (done > 0 && done < total_) {
    char left[48];
    std::snprintf(left, sizeof left, ", about %.0f s left",
                  elapsed * static_cast<double>(total_ - done) / static_cast<double>(done));
    line += left;
  }
  // Blank out what a longer previous line left behind.
  const std::size_t length = line.size();
  if (length < drawn_length_) line += std::string(drawn_length_ - length, ' ');
  drawn_length_ = length;
  out_ << "\r" << line << std::flush;
}

void ProgressBar::finish() {
  if (!shown_) return;
  shown_ = false;
  out_ << "\n" << std::flush;
}

}  // namespace attnrmt::cli
