// solver/plot_gnuplot.cpp -- figure files and the gnuplot run (see plot_gnuplot.hpp).
#include "plot_gnuplot.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "cli.hpp"

namespace attnrmt::cli {

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

double parse_positive_double(const std::string& text, const std::string& what, double lo,
                             double hi) {
  std::size_t used = 0;
  double v = 0;
  bool ok = !text.empty();
  if (ok) {
    try {
      v = std::stod(text, &used);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok || used != text.size() || !(v >= lo && v <= hi))
    throw UsageError(what + " must be a number in [" + label_num(lo) + ", " + label_num(hi) +
                     "] (got '" + text + "')");
  return v;
}
}  // namespace

FigurePaths figure_paths(const std::string& out) {
  auto dot = out.rfind('.');
  auto slash = out.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) ||
      dot + 1 == out.size() || dot == (slash == std::string::npos ? 0 : slash + 1))
    throw UsageError("--out must be FILE.png, FILE.svg, FILE.pdf or FILE.tex (got '" + out + "')");
  for (unsigned char c : out)
    if (c < 0x20 || c == 0x7f)
      throw UsageError("--out must not contain control characters (got '" + excerpt(out) + "')");
  std::string ext = lower(out.substr(dot + 1));
  FigurePaths p;
  if (ext == "png")
    p.format = ImageFormat::png;
  else if (ext == "svg")
    p.format = ImageFormat::svg;
  else if (ext == "pdf")
    p.format = ImageFormat::pdf;
  else if (ext == "tex")
    p.format = ImageFormat::tex;
  else
    throw UsageError("--out must end in .png, .svg, .pdf or .tex (got '" + out + "')");
  std::string stem = out.substr(0, dot);
  p.image = out;
  p.data = stem + ".dat";
  p.script = stem + ".gp";
  if (p.format == ImageFormat::tex) p.graphic = stem + ".pdf";
  std::size_t base = slash == std::string::npos ? 0 : slash + 1;
  p.data_name = p.data.substr(base);
  p.image_name = p.image.substr(base);
  return p;
}

FigureSize parse_figure_size(const std::string& size_text, const std::string& dpi_text) {
  FigureSize s;
  if (!size_text.empty()) {
    auto comma = size_text.find(',');
    if (comma == std::string::npos)
      throw UsageError("--size must be W,H in inches (got '" + size_text + "')");
    s.width_in = parse_positive_double(size_text.substr(0, comma), "--size width (inches)", 1, 40);
    s.height_in =
        parse_positive_double(size_text.substr(comma + 1), "--size height (inches)", 1, 40);
  }
  if (!dpi_text.empty()) s.dpi = static_cast<int>(parse_integer(dpi_text, "--dpi", 50, 1200));
  return s;
}

std::string gp_num(double x) {
  if (!std::isfinite(x)) throw std::domain_error("internal: non-finite number in a figure");
  std::ostringstream s;
  s << std::setprecision(17) << x;
  return s.str();
}

std::string label_num(double x, int digits) {
  std::ostringstream s;
  s << std::setprecision(digits) << x;
  return s.str();
}

std::string format_data(const std::vector<DataBlock>& blocks, const std::string& provenance) {
  std::ostringstream out;
  out << "# " << gp_comment("attnrmt figure data: " + provenance) << "\n";
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (b) out << "\n\n";
    out << "# block " << b << ": " << blocks[b].name << "\n# columns:";
    for (const auto& c : blocks[b].columns) out << " " << c;
    out << "\n";
    for (const auto& row : blocks[b].rows) {
      for (std::size_t j = 0; j < row.size(); ++j) out << (j ? " " : "") << gp_num(row[j]);
      out << "\n";
    }
    // gnuplot skips an empty data set with a warning; keep every index valid.
    if (blocks[b].rows.empty()) out << "# (empty)\n";
  }
  return out.str();
}

std::string make_script(const FigurePaths& paths, const FigureSize& size, const std::string& body,
                        const std::string& provenance) {
  std::ostringstream s;
  s << "# " << gp_comment(paths.image_name + " -- written by: " + provenance) << "\n"
    << "# "
    << gp_comment("Redraw with `gnuplot " +
                  paths.image_name.substr(0, paths.image_name.rfind('.')) +
                  ".gp` (from any directory; the image is written beside this script).")
    << "\n"
    << "# "
    << gp_comment("Data: " + paths.data_name +
                  " (blocks addressed with `index N`, see its comments).")
    << "\n"
    << "scriptdir = ''\n"
    << "do for [i = strlen(ARG0):1:-1] { if (scriptdir eq '' && ARG0[i:i] eq '/') "
       "{ scriptdir = ARG0[1:i] } }\n"
    << "if (!exists('datafile')) datafile = scriptdir." << gp_quote(paths.data_name) << "\n"
    << "if (!exists('outfile')) outfile = scriptdir." << gp_quote(paths.image_name) << "\n"
    << "set encoding utf8\n";
  switch (paths.format) {
    case ImageFormat::png: {
      int px = static_cast<int>(std::lround(size.width_in * size.dpi));
      int py = static_cast<int>(std::lround(size.height_in * size.dpi));
      // Text scaled with the resolution (fontscale dpi/96), which makes it
      // about 1.2 times the PDF's 8 pt: larger for reading on screen.
      s << "set terminal pngcairo enhanced color size " << px << "," << py
        << " font 'Helvetica,8' fontscale " << label_num(size.dpi / 96.0, 4) << " linewidth "
        << label_num(size.dpi / 96.0 * 0.8, 3) << "\n";
      break;
    }
    case ImageFormat::svg:
      // SVG user units are CSS pixels, 96 per inch; scale 8 pt text to match.
      s << "set terminal svg enhanced size " << std::lround(size.width_in * 96) << ","
        << std::lround(size.height_in * 96)
        << " font 'Helvetica,8' fontscale 1.3333 linewidth 1.0667 background '#ffffff'\n";
      break;
    case ImageFormat::tex:
      // Text is set by LaTeX in the document's font; colortext keeps label colours.
      s << "set terminal cairolatex pdf input colortext size " << label_num(size.width_in, 6)
        << "in," << label_num(size.height_in, 6) << "in linewidth 0.8\n";
      break;
    case ImageFormat::pdf:
      s << "set terminal pdfcairo enhanced color size " << label_num(size.width_in, 6) << "in,"
        << label_num(size.height_in, 6) << "in font 'Helvetica,8' linewidth 0.8\n";
      break;
  }
  // Point-size scale: the vector terminals draw symbols larger than pngcairo.
  s << "psc = " << (paths.format == ImageFormat::png ? "1" : "0.6") << "\n";
  s << "set output outfile\n" << body << "\nset output\n";
  return s.str();
}

std::string gp_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      throw UsageError(
          "text for a figure label or file name must not contain control characters "
          "such as a newline (got '" +
          excerpt(text) + "')");
    out += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return out + "'";
}

std::string gp_comment(const std::string& text) {
  std::string out = excerpt(text, std::string::npos);
  while (!out.empty() && (out.back() == '\\' || out.back() == ' ')) out.pop_back();
  return out;
}

namespace {
// Seconds gnuplot may run: $ATTNRMT_GNUPLOT_TIMEOUT, default 120.
int gnuplot_timeout_seconds() {
  const char* env = std::getenv("ATTNRMT_GNUPLOT_TIMEOUT");
  if (!env || !*env) return 120;
  return static_cast<int>(
      parse_integer(env, "ATTNRMT_GNUPLOT_TIMEOUT (seconds, environment)", 1, 86400));
}

constexpr int kTimedOut = -2;

// Runs `program -e "outfile='tmp'" script` in its own process group; returns
// the exit status, -1 when it could not run or died by a signal, kTimedOut
// when it was killed after `timeout` seconds.
int run_gnuplot(const std::string& program, const std::string& outfile, const std::string& script,
                int timeout) {
  std::string assign = "outfile=" + gp_quote(outfile);
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::setpgid(0, 0);
    const char* argv[] = {program.c_str(), "-e", assign.c_str(), script.c_str(), nullptr};
    ::execvp(program.c_str(), const_cast<char* const*>(argv));
    std::_Exit(127);
  }
  ::setpgid(pid, pid);
  int status = 0;
  const long max_polls = static_cast<long>(timeout) * 50;  // every 20 ms
  for (long polls = 0;; ++polls) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return -1;
    if (polls >= max_polls) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return kTimedOut;
    }
    ::usleep(20000);
  }
  if (!WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}
}  // namespace

void write_figure(const FigurePaths& paths, const std::string& data, const std::string& script,
                  bool render) {
  write_file_atomically(paths.data, data);
  write_file_atomically(paths.script, script);
  if (!render) return;
  const char* env = std::getenv("ATTNRMT_GNUPLOT");
  std::string program = env && *env ? env : "gnuplot";
  // Same extension, so gnuplot and any viewer see the right type; renamed on success.
  std::string stem = paths.image.substr(0, paths.image.rfind('.'));
  std::string ext = paths.image.substr(paths.image.rfind('.'));
  std::string tmp = stem + ".tmp" + std::to_string(::getpid()) + ext;
  const int timeout = gnuplot_timeout_seconds();
  int rc = run_gnuplot(program, tmp, paths.script, timeout);
  if (rc != 0) {
    std::remove(tmp.c_str());
    if (paths.format == ImageFormat::tex)
      std::remove((tmp.substr(0, tmp.rfind('.')) + ".pdf").c_str());
    if (rc == kTimedOut)
      throw std::runtime_error("gnuplot did not finish within " + std::to_string(timeout) +
                               " s and was stopped (set ATTNRMT_GNUPLOT_TIMEOUT to allow more); " +
                               paths.data + " and " + paths.script + " were written");
    if (rc == 127)
      throw std::runtime_error("cannot run '" + program +
                               "' (install Debian's gnuplot-nox, or set ATTNRMT_GNUPLOT); " +
                               paths.data + " and " + paths.script + " were written");
    throw std::runtime_error("gnuplot failed (exit " + std::to_string(rc) + ") on " + paths.script);
  }
  FILE* f = std::fopen(tmp.c_str(), "rb");
  bool nonempty = false;
  if (f) {
    nonempty = std::fgetc(f) != EOF;
    std::fclose(f);
  }
  if (!nonempty) {
    std::remove(tmp.c_str());
    throw std::runtime_error("gnuplot wrote no image for " + paths.script);
  }
  if (paths.format == ImageFormat::tex) {
    // cairolatex wrote TMP.tex and TMP.pdf; TMP.tex includes the drawing by its
    // temporary name, which is changed to the final one.
    std::string tmp_graphic = tmp.substr(0, tmp.rfind('.')) + ".pdf";
    std::string tex;
    {
      std::ifstream in(tmp, std::ios::binary);
      tex.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::remove(tmp.c_str());
    const std::string from = "{" + tmp.substr(0, tmp.rfind('.')) + "}";
    const std::string to = "{" + stem + "}";
    for (std::size_t at = tex.find(from); at != std::string::npos;
         at = tex.find(from, at + to.size()))
      tex.replace(at, from.size(), to);
    if (std::rename(tmp_graphic.c_str(), paths.graphic.c_str()) != 0) {
      std::remove(tmp_graphic.c_str());
      throw std::runtime_error("cannot write '" + paths.graphic + "': rename failed");
    }
    write_file_atomically(paths.image, tex);
    return;
  }
  if (std::rename(tmp.c_str(), paths.image.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write '" + paths.image + "': rename failed");
  }
}

}  // namespace attnrmt::cli
