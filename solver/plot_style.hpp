// solver/plot_style.hpp -- how `attnrmt plot` writes its labels and styles its
// figures: the Okabe-Ito colours, the house style (common_style), labels as
// gnuplot enhanced text or, for FILE.tex (cairolatex), as LaTeX.
//
// PlotText is the per-figure state (no globals): whether labels are LaTeX, and
// the largest excess of LaTeX source over visible characters among the key's
// entries, which plot_command() subtracts from the key width gnuplot estimates
// from the source. Make key() calls before plot_command().
#pragma once

#include <string>
#include <vector>

namespace attnrmt::cli::plot {

// Okabe-Ito colours (distinguishable with colour-vision deficiencies).
inline constexpr const char* kBlue = "#0072B2";
inline constexpr const char* kOrange = "#E69F00";
inline constexpr const char* kVermillion = "#D55E00";
inline constexpr const char* kGreen = "#009E73";
inline constexpr const char* kSky = "#56B4E9";
inline constexpr const char* kPurple = "#CC79A7";
inline constexpr const char* kGrey = "#7F7F7F";

/// A label in gnuplot's enhanced-text notation (Unicode Greek, x_s, x^s,
/// x_{..}) as LaTeX: symbols and sub/superscripts become inline maths,
/// adjacent maths merged ("$\kappa$$\|$" -> "$\kappa\|$").
std::string to_latex(const std::string& text);

class PlotText {
 public:
  explicit PlotText(bool latex) : latex_(latex) {}
  bool latex() const { return latex_; }
  /// A gnuplot string literal (gp_quote) of `text`, converted to LaTeX for FILE.tex.
  std::string label(const std::string& text) const;
  /// A key entry or key title: label(), recording its LaTeX excess.
  std::string key(const std::string& text);
  /// "plot datafile ITEM1, '' ITEM2, ..." (each item starts with "index N"),
  /// after "set key width -EXCESS" for FILE.tex.
  std::string plot_command(const std::vector<std::string>& items) const;
  /// Border, tics, key and fill settings shared by every figure.
  std::string common_style() const;

 private:
  bool latex_;
  int key_excess_ = 0;
};

}  // namespace attnrmt::cli::plot
