// solver/cmd_plot.cpp -- `attnrmt plot KIND ... --out FILE.{png,svg,pdf}`: figures.
//
// Kinds (docs/theory.md §2-§3; every plotted number comes from the library in
// double precision: BulkLaw::density/cdf/left_edge/right_edge/atom,
// thresholds(), outlier_report()):
//   density    the bulk density kappa (MP_delta ⊠ MP_gamma), edges marked, atom noted
//   phase      tau1(delta) and tau2(delta; gamma) in the (delta, alpha/kappa) plane,
//              the regimes none / table-only / detectable shaded and labelled
//   alignment  A_mu and A_u against alpha/kappa, tau1 and tau2 marked, the cap rho/(rho+delta)
//   spectrum   the bulk density plus the predicted top eigenvalue at one alpha/kappa
// Files: FILE.EXT, FILE.dat (data sets, see plot_gnuplot.hpp), FILE.gp (script).
// Each kind in solver/plot_KIND.cpp (plot_kinds.hpp); shared parts: plot_inputs.hpp
// (parameters, figure), plot_style.hpp (labels, colours), plot_bulk.hpp (density
// layers), plot_mc.hpp (Monte Carlo overlays), plot_gnuplot.hpp (files, gnuplot).
#include <string>

#include "cli.hpp"
#include "plot_kinds.hpp"

namespace attnrmt::cli {
namespace {

int run_plot(const Options& opts) {
  if (opts.positional().size() != 1)
    throw UsageError("give exactly one KIND: density, phase, alignment, spectrum or finite-t");
  const std::string& kind = opts.positional()[0];
  if (kind == "density") return plot::plot_density(opts);
  if (kind == "phase") return plot::plot_phase(opts);
  if (kind == "alignment") return plot::plot_alignment(opts);
  if (kind == "spectrum") return plot::plot_spectrum(opts);
  if (kind == "finite-t") return plot::plot_finite_t(opts);
  throw UsageError("KIND must be density, phase, alignment, spectrum or finite-t (got '" + kind +
                   "')");
}

const CommandRegistrar plot_cmd{Command{
    "plot",
    "figures (density, phase, alignment, spectrum, finite-t) drawn with gnuplot",
    "plot KIND [options] --out FILE.{png,svg,pdf,tex}\n"
    "  plot density   --delta D --gamma G [--kappa K] [--mc-d d --seeds S]\n"
    "  plot phase     [--gamma G | --gammas LIST] [--rho R] [--delta-range A:B] [--delta D] "
    "[--mark LIST]\n"
    "                 [--T T --corr C --pooling LIST]\n"
    "  plot alignment --delta D --gamma G [--rho R] [--range A:B] [--mc-d d --seeds S]\n"
    "  plot spectrum  --delta D --gamma G --alpha-over-kappa A [--rho R] [--kappa K]\n"
    "                 [--mc-d d --seeds S]\n"
    "  plot finite-t  --T T --pooling P --delta D --gamma G [--pool P] [--mc-d d --seeds S]",
    "Writes FILE.png/svg/pdf (or FILE.tex + FILE.pdf, labels typeset by LaTeX), FILE.dat (the\n"
    "plotted numbers, 17 digits, gnuplot data sets) and FILE.gp (the script; `gnuplot FILE.gp`\n"
    "redraws the image, edit it to restyle). Every number comes from the library: density =\n"
    "-Im g(x+i0)/pi of kappa (MP_delta ⊠ MP_gamma) with its edges and atom; tau1, tau2 =\n"
    "thresholds(); alignments and lambda = outlier_report(). Default size 3.5 x 2.6 inches (one\n"
    "column of a two-column paper), 8 pt text; PNG at --dpi (default 200).\n"
    "phase: delta on x (default 0:2), alpha/kappa on y; regimes shaded for the first gamma;\n"
    "--delta D marks tau1, tau2 at D; --mark 'label=1.8,...' draws horizontal markers;\n"
    "--T/--corr/--pooling LIST marks each pooling scheme's alpha/kappa = w^T R w / w^T w.\n"
    "--mc-d: Monte Carlo of the Gaussian-equivalent model (attnrmt validate --model gaussian);\n"
    "finite-t: of the discrete-token model, no signal, beside its finite-T law "
    "(docs/finite_t.md).\n"
    "gnuplot is $ATTNRMT_GNUPLOT or `gnuplot` on PATH (Debian gnuplot-nox).",
    {{"delta", "D", "d/V, > 0"},
     {"gamma", "G", "d/N, > 0"},
     {"gammas", "LIST", "phase: several gammas, a,b,c (at most 6)"},
     {"kappa", "K", "||w||^2, > 0 (default 1)"},
     {"rho", "R", "||mu||^2, >= 0 (default 1)"},
     {"alpha-over-kappa", "A", "spectrum: signal-to-noise alpha/kappa, > 0"},
     {"range", "A:B", "alignment: alpha/kappa range (default 0:max(4, 4 tau2))"},
     {"delta-range", "A:B", "phase: delta range (default 0:2)"},
     {"mark", "LIST", "phase: horizontal markers, 'label=A,...' or 'A,...'"},
     {"T", "T",
      "phase: sequence length for --pooling markers (optional with --corr latent:/file:); "
      "finite-t: the scheme's length"},
     {"pooling", "P",
      "phase: pooling schemes to mark, e.g. mean,causal,optimal (default with --T/--corr); "
      "finite-t: one scheme"},
     {"corr", "C",
      "phase: positional correlation for --pooling: identity | latent:... | latent-exp:A,L | "
      "markov:R | file:PATH"},
     {"points", "N", "number of plotted points (defaults: 400 density, 300 phase, 401 alignment)"},
     {"size", "W,H", "figure size in inches (default 3.5,2.6)"},
     {"dpi", "N", "PNG resolution, 50..1200 (default 200)"},
     {"no-render", "", "write FILE.dat and FILE.gp only, do not run gnuplot"},
     {"mc-d", "d",
      "density, alignment, spectrum: Monte Carlo overlay of the Gaussian-equivalent model at "
      "dimension d"},
     {"seeds", "S", "Monte Carlo replicates (default 5)"},
     {"pool", "P", "finite-t: population-dynamics pool, 256..4194304 (default 4096)"},
     {"seed", "BASE", "Monte Carlo base seed (default 1)"},
     {"threads", "K", "Monte Carlo threads (default: all cores)"},
     {"mc-points", "N", "alignment: number of simulated alpha/kappa values (default 10)"},
     {"bins", "N", "density, spectrum: histogram bins (default 60)"},
     {"out", "FILE", "FILE.png, FILE.svg, FILE.pdf or FILE.tex (required)"}},
    run_plot,
    1}};

}  // namespace
}  // namespace attnrmt::cli
