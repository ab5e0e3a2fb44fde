// solver/plot_kinds.hpp -- the figure kinds of `attnrmt plot`
// (solver/cmd_plot.cpp dispatches on KIND), one file each.
#pragma once

#include "cli.hpp"

namespace attnrmt::cli::plot {

/// The bulk density kappa (MP_delta ⊠ MP_gamma), edges marked, atom noted (plot_density.cpp).
int plot_density(const Options& opts);
/// tau1(delta) and tau2(delta; gamma) in the (delta, alpha/kappa) plane, the
/// regimes none / table-only / detectable shaded and labelled (plot_phase.cpp).
int plot_phase(const Options& opts);
/// A_mu and A_u against alpha/kappa, tau1 and tau2 marked, the cap
/// rho/(rho+delta) (plot_alignment.cpp).
int plot_alignment(const Options& opts);
/// The bulk density plus the predicted top eigenvalue at one alpha/kappa (plot_spectrum.cpp).
int plot_spectrum(const Options& opts);
/// The discrete-token model's finite-T bulk density beside the asymptotic law,
/// optionally over simulated tokens-model spectra (plot_finite_t.cpp).
int plot_finite_t(const Options& opts);

}  // namespace attnrmt::cli::plot
