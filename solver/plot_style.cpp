// solver/plot_style.cpp -- labels and house style of the figures (plot_style.hpp).
#include "plot_style.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "plot_gnuplot.hpp"

namespace attnrmt::cli::plot {

std::string to_latex(const std::string& text) {
  static const std::pair<const char*, const char*> symbols[] = {
      {"λ", "\\lambda"}, {"α", "\\alpha"}, {"κ", "\\kappa"}, {"δ", "\\delta"}, {"γ", "\\gamma"},
      {"ρ", "\\rho"},    {"μ", "\\mu"},    {"τ", "\\tau"},   {"‖", "\\|"},     {"⊠", "\\boxtimes"},
      {"≤", "\\le"},     {"∓", "\\mp"},    {"±", "\\pm"}};
  auto symbol_at = [&](std::size_t i, std::string& cmd) -> std::size_t {
    for (const auto& [utf8, tex] : symbols) {
      std::size_t n = std::strlen(utf8);
      if (text.compare(i, n, utf8) == 0) {
        cmd = tex;
        return n;
      }
    }
    return 0;
  };
  // Maths body of one script argument: symbols as commands, other characters as they are.
  auto math_of = [&](const std::string& arg) {
    std::string out;
    for (std::size_t j = 0; j < arg.size();) {
      bool matched = false;
      for (const auto& [utf8, tex] : symbols) {
        std::size_t len = std::strlen(utf8);
        if (arg.compare(j, len, utf8) == 0) {
          out += std::string(tex) + " ";
          j += len;
          matched = true;
          break;
        }
      }
      if (!matched) out += arg[j++];
    }
    return out;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::string cmd;
    if (std::size_t n = symbol_at(i, cmd)) {
      out += "$" + cmd + "$";
      i += n;
      continue;
    }
    char c = text[i];
    if ((c == '_' || c == '^') && i + 1 < text.size()) {
      std::string arg;
      if (text[i + 1] == '{') {
        std::size_t close = text.find('}', i + 2);
        if (close == std::string::npos) close = text.size();
        arg = text.substr(i + 2, close - i - 2);
        i = close + 1;
      } else {
        std::size_t len = 1;
        std::string unused;
        if (std::size_t n = symbol_at(i + 1, unused)) len = n;
        arg = text.substr(i + 1, len);
        i += 1 + len;
      }
      out += std::string("$") + c + "{" + math_of(arg) + "}$";
      continue;
    }
    if (c == '%' || c == '&' || c == '#') out += '\\';
    out += c;
    ++i;
  }
  std::string merged;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '$' && i + 1 < out.size() && out[i + 1] == '$') {
      ++i;
      continue;
    }
    merged += out[i];
  }
  return merged;
}

std::string PlotText::label(const std::string& text) const {
  return gp_quote(latex_ ? to_latex(text) : text);
}

std::string PlotText::key(const std::string& text) {
  if (latex_) {
    int visible = 0;
    for (unsigned char c : text)
      if ((c & 0xC0) != 0x80 && c != '_' && c != '^' && c != '{' && c != '}') ++visible;
    key_excess_ = std::max(key_excess_, static_cast<int>(to_latex(text).size()) - visible);
  }
  return label(text);
}

std::string PlotText::plot_command(const std::vector<std::string>& items) const {
  std::string out = latex_ ? "set key width " + std::to_string(-key_excess_) + "\n" : "";
  out += "plot datafile " + items.at(0);
  for (std::size_t i = 1; i < items.size(); ++i) out += ", \\\n     '' " + items[i];
  return out + "\n";
}

std::string PlotText::common_style() const {
  std::string style =
      "set border 3 lw 1\n"
      "set tics nomirror out scale 0.6\n"
      "set mxtics 2\nset mytics 2\n"
      "set key samplen 2.5 spacing 1.1 opaque box lw 0.5\n"
      "set style fill transparent solid 0.25 noborder\n";
  // gnuplot sizes a key from the raw label text, which overestimates LaTeX
  // source: no box, and text left-aligned after the sample so that the error
  // falls on the empty side.
  if (latex_) style += "set key nobox noopaque Left reverse spacing 1.5\n";
  return style;
}

}  // namespace attnrmt::cli::plot
