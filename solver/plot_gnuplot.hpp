// solver/plot_gnuplot.hpp -- figure files for `attnrmt plot`: FILE.{png,svg,pdf,tex}
// with FILE.dat (the plotted numbers) and FILE.gp (the gnuplot script) beside it.
//
// * The data file holds gnuplot data sets (blocks separated by two blank
//   lines, addressed with `index N`); each block starts with
//   "# block N: NAME" and "# columns: c1 c2 ...". Numbers are written with 17
//   significant digits, so they round-trip to the doubles the library
//   computed.
// * The script finds its own directory from ARG0, so `gnuplot path/FILE.gp`
//   redraws path/FILE.EXT from path/FILE.dat from any working directory; the
//   variables `datafile` and `outfile` may be preset with `gnuplot -e`.
// * Every file is written atomically: .dat and .gp through a temporary file and
//   rename(2); the image is rendered by gnuplot into a temporary file that is
//   renamed into place only when gnuplot succeeds.
// * FILE.tex (cairolatex): FILE.tex holds the labels, typeset by LaTeX, and
//   \includegraphics the drawing FILE.pdf written beside it (the path as given
//   to --out); `\input{FILE.tex}` in a document (needs graphicx, color, amssymb).
#pragma once

#include <string>
#include <vector>

namespace attnrmt::cli {

enum class ImageFormat { png, svg, pdf, tex };

struct FigurePaths {
  ImageFormat format;
  std::string image;                  ///< FILE.png / FILE.svg / FILE.pdf / FILE.tex
  std::string graphic;                ///< tex only: the drawing FILE.pdf
  std::string data;                   ///< FILE.dat
  std::string script;                 ///< FILE.gp
  std::string data_name, image_name;  ///< base names (no directory)
};

/// Splits --out FILE.EXT; EXT must be png, svg, pdf or tex. Throws UsageError.
FigurePaths figure_paths(const std::string& out);

/// Figure size: width x height in inches; PNG pixels = inches x dpi, SVG
/// pixels = inches x 96, PDF points = inches x 72.
struct FigureSize {
  double width_in = 3.5;  ///< one column of a two-column paper
  double height_in = 2.6;
  int dpi = 200;
};

/// Parses "W,H" (inches) and a dpi; throws UsageError naming the option.
FigureSize parse_figure_size(const std::string& size_text, const std::string& dpi_text);

/// One gnuplot data set.
struct DataBlock {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
};

/// The text of the .dat file.
std::string format_data(const std::vector<DataBlock>& blocks, const std::string& provenance);

/// The full script: preamble (paths, terminal, output), `body`, closing lines.
std::string make_script(const FigurePaths& paths, const FigureSize& size, const std::string& body,
                        const std::string& provenance);

/// Writes FILE.dat and FILE.gp, then (unless `render` is false) runs gnuplot on
/// the script and moves the image into place. The gnuplot program is
/// $ATTNRMT_GNUPLOT or `gnuplot` on PATH; it is killed after
/// $ATTNRMT_GNUPLOT_TIMEOUT seconds (default 120, range 1..86400). Throws std::runtime_error (exit
/// 1) when gnuplot is missing or fails; the data and script stay written.
void write_figure(const FigurePaths& paths, const std::string& data, const std::string& script,
                  bool render);

/// `text` as a gnuplot single-quoted string literal, the only quoting in
/// which gnuplot performs no substitution (backquotes run a shell command in
/// double quotes and unquoted text); a quote is doubled. Text with a control
/// character (a newline would end the literal and start a new command) is
/// refused with a UsageError.
std::string gp_quote(const std::string& text);
/// `text` made safe for a '#' comment line: control characters shown as \xNN
/// and a trailing backslash (which would continue the comment) removed.
std::string gp_comment(const std::string& text);

/// A number as gnuplot script text (17 significant digits).
std::string gp_num(double x);
/// A number rounded for a label (`digits` significant digits).
std::string label_num(double x, int digits = 4);

}  // namespace attnrmt::cli
