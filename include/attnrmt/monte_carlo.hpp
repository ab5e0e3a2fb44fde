// attnrmt/monte_carlo.hpp -- Monte Carlo validator: simulate the model at finite
// size and compare with the asymptotic theory (docs/theory.md §1, §2, §3, §5).
//
// Models (kappa units throughout: every eigenvalue is of C / kappa):
// * gaussian, the Gaussian-equivalent model H = u a^T + Z_perp G sqrt(kappa/V)
//   (+ sigma Z 1/V 1^T when uncentred). It is simulated through an exactly
//   equivalent, cheaper representation. With Q an orthonormal basis of
//   {y, 1}^perp, Z_perp G = (Z Q)(Q^T G) is the product of independent
//   Gaussian d x (V-2) and (V-2) x N matrices, independent of Z y / V and Z 1 / V.
//   Writing Z Q = O D W^T (SVD) and using that W^T (Q^T G) is again a Gaussian
//   d x N matrix independent of (O, D), and that O is Haar and independent of
//   everything else, the spectrum of C and the overlaps of its eigenvectors
//   with mu, u and the mean direction have the same joint law as for
//     H = u a^T + sqrt(kappa/V) D G + sigma m 1^T,
//     u = mu + g / sqrt(V),  mu uniform on the sphere of radius sqrt(rho),
//     m = g' / sqrt(V),  g, g' ~ N(0, I_d),  a_i = +-sqrt(alpha),
//   with D the singular values of a Gaussian d x (V-2) matrix, drawn from the
//   Dumitriu-Edelman bidiagonal model (chi variates; O(d^2) work).
// * tokens, the model as stated: a table E = mu y^T + Z (d x V, balanced y),
//   N sequences of T tokens whose classes come from a positional-correlation
//   sampler, tokens uniform within their class, pooled with weights w; only the
//   T (token, weight) pairs per sequence are stored (the pooling matrix S).
//
// Centred covariance C = (1/N) H (I - 11^T/N) H^T (default), uncentred C0 = H H^T / N.
//
// Two solvers: dense (form C with a BLAS symmetric rank-k update, all
// eigenvalues by LAPACK dsyevd, top eigenvectors by Spectra's Lanczos on C) and
// lanczos (matrix-free: top eigenpairs by block Krylov iteration -- block
// Lanczos with full reorthogonalisation and Rayleigh-Ritz -- using block
// products with H and H^T only, C never formed; the d x V table, or the d x N
// noise matrix of the Gaussian model, is stored in single precision and applied
// with BLAS sgemm to 8 vectors per pass). The block method replaced
// single-vector Spectra Lanczos after measurement: at d = 20000 Spectra needed
// 174 products of 1.2 s each (memory-bound passes over 3.2 GB), the block
// method needs about a fifth of the passes (docs/monte_carlo.md).
//
// Reproducibility: every column of a random matrix, every block of 64
// sequences and the signal vectors draw from their own stream, seeded by
// hashing (seed, replicate, kind, index) (mc/random.hpp). The draws
// therefore do not depend on the thread count; results are bit-identical for
// the same thread count (fixed partitions, fixed summation order) and agree to
// rounding (BLAS partial sums) across thread counts.
//
// Theory: attnrmt::BulkLaw and attnrmt::outlier_report in double at the
// realised ratios d/V and d/N. Monte Carlo is double precision by nature, so
// this header is not templated on Real.
//
// Plotting entry point: simulate_replicate(config, seed, replicate) returns one
// replicate's eigenvalues (all of them with the dense solver) and the overlaps
// of the top eigenvectors with mu, u and the vocabulary-mean direction.
//
// This header is an umbrella: each concept lives in its own header under
// attnrmt/mc/ (layout and line counts in docs/monte_carlo.md "File layout").
#pragma once

#include "attnrmt/mc/blas.hpp"
#include "attnrmt/mc/compare.hpp"
#include "attnrmt/mc/config.hpp"
#include "attnrmt/mc/draws.hpp"
#include "attnrmt/mc/eigensolvers.hpp"
#include "attnrmt/mc/float_matrix.hpp"
#include "attnrmt/mc/measure.hpp"
#include "attnrmt/mc/memory.hpp"
#include "attnrmt/mc/parallel_for.hpp"
#include "attnrmt/mc/predict.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/mc/replicate.hpp"
#include "attnrmt/mc/simulate.hpp"
#include "attnrmt/mc/statistics.hpp"
#include "attnrmt/mc/verdict.hpp"
