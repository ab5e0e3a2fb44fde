// attnrmt/correlation.hpp -- positional correlation R of token classes (docs/theory.md §4).
//
// An umbrella over one header per concept (docs/monte_carlo.md "File layout"):
//   correlation/positional_correlation.hpp  the generators of R (identity,
//                                           latent, latent-exp, markov, file)
//   correlation/number_file.hpp             reading a file of exact numbers
//   correlation/spec_text.hpp               spec text helpers (comma lists)
//   correlation/class_sampler.hpp           token-class samplers realising R
//   correlation/variates.hpp                their portable uniform and normal variates
//   correlation/top_eigenpair.hpp           lambda_max(R) and its eigenvector at
//                                           working precision (Rayleigh-quotient
//                                           iteration, Gaussian elimination)
#pragma once

#include "attnrmt/correlation/class_sampler.hpp"
#include "attnrmt/correlation/number_file.hpp"
#include "attnrmt/correlation/positional_correlation.hpp"
#include "attnrmt/correlation/spec_text.hpp"
#include "attnrmt/correlation/top_eigenpair.hpp"
#include "attnrmt/correlation/variates.hpp"
