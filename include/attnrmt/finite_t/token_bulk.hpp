// attnrmt/finite_t/token_bulk.hpp -- the finite-T bulk of the discrete-token
// model: the d x d noise covariance (1/N) Z S S^T Z^T / kappa in the limit
// d, V, N -> inf at fixed T (derivation: docs/theory.md §7).
//
// By rotation invariance of Z only the spectrum nu_T of B = (V/(N kappa)) S S^T
// matters, and M = (1/V) Z B Z^T has the Cauchy transform G(z) = ∫ dmu(x)/(z - x)
// solving (Marchenko-Pastur with sample weights, ratio delta = d/V)
//
//   G (z - R) = 1,   R = zeta p_nu(zeta),   zeta = 1/(delta G),
//
// where p_nu(zeta) = ∫ t/(zeta - t) dnu = zeta G_nu(zeta) - 1 and G_nu comes from
// the sparse Gram cavity (sparse_gram.hpp; its pool mean is g = -G_nu). For z in
// C+, G is in C- and zeta in C+, where the cavity is defined. nu_T = MP_{gamma/delta}
// gives back MP_delta ⊠ MP_gamma (tested). The equation is solved by Newton's
// method in G, one population sweep per step (F(G) = G (z - R) - 1,
// F' = z - R + zeta dR/dzeta, dR/dzeta = p + zeta p', p' = G_nu + zeta G_nu', with
// G_nu' ≈ -E g^2, the derivative at fixed incoming messages: only the slope, not
// the root, uses it),
// from the asymptotic law's G; after the burn-in the Newton iterates are
// averaged. Independent replicas (own seeds) give the standard error.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <cstdint>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/finite_t/sparse_gram.hpp"
#include "attnrmt/mc/statistics.hpp"

namespace attnrmt::finite_t {

/// Population-dynamics settings (statistical accuracy: docs/finite_t.md).
struct CavitySettings {
  std::size_t pool = 1 << 13;  ///< messages per pool and replica
  int replicas = 8;            ///< independent runs (standard error from their spread)
  int burn_in = 24;            ///< sweeps before averaging
  int measure = 24;            ///< sweeps averaged
  double eta = 1e-6;           ///< Im z for a density on the real axis (unit kappa)
  std::size_t block = 16;      ///< points evaluated together (shared random trees)
  std::uint64_t seed = 1;
};

/// An estimate of G(z) with the standard errors of its real and imaginary
/// parts (from the spread of the independent replicas).
struct CauchyEstimate {
  cplx value;
  double se_re = 0, se_im = 0;
};

/// One damped Newton step for (7.1), G (z - zeta p_nu(zeta)) = 1 with
/// zeta = 1/(delta G), given G_nu(zeta) and a slope dG_nu for G_nu'(zeta).
/// The step is halved until G stays in the lower half plane (z in C+); a step
/// that cannot be kept leaves G unchanged.
inline cplx newton_step(cplx G, cplx z, double delta, cplx Gnu, cplx dGnu) {
  const cplx zeta = 1.0 / (delta * G);
  const cplx p = zeta * Gnu - 1.0, dp = Gnu + zeta * dGnu;
  const cplx R = zeta * p, dR = p + zeta * dp;
  const cplx F = G * (z - R) - 1.0, dF = z - R + zeta * dR;
  cplx step = F / dF;
  cplx next = G - step;
  for (int h = 0; h < 30 && !(next.imag() < 0); ++h) {
    step *= 0.5;
    next = G - step;
  }
  if (next.imag() < 0 && std::isfinite(next.real()) && std::isfinite(next.imag())) return next;
  return G;
}

class TokenBulkLaw {
 public:
  /// `weights` w_t (at least one nonzero), delta = d/V > 0, gamma = d/N > 0.
  TokenBulkLaw(std::vector<double> weights, double delta, double gamma, CavitySettings s = {})
      : w_(std::move(weights)), delta_(delta), gamma_(gamma), s_(s), asymptotic_(delta, gamma) {
    if (!(delta > 0) || !std::isfinite(delta))
      throw std::invalid_argument("delta must be a finite number > 0");
    if (!(gamma > 0) || !std::isfinite(gamma))
      throw std::invalid_argument("gamma must be a finite number > 0");
    if (s_.replicas < 2) throw std::invalid_argument("replicas must be >= 2");
    if (s_.burn_in < 1 || s_.measure < 1)
      throw std::invalid_argument("burn-in and measurement sweeps must be >= 1");
    if (!(s_.eta > 0)) throw std::invalid_argument("eta must be > 0");
    if (s_.block < 1) throw std::invalid_argument("block must be >= 1");
    // Validates the weights (nonzero, finite) once.
    SparseGramCavity probe(w_, delta / gamma, 64, 0);
    positions_ = probe.positions();
  }

  double delta() const { return delta_; }
  double gamma() const { return gamma_; }
  const CavitySettings& settings() const { return s_; }
  const BulkLaw<double>& asymptotic() const { return asymptotic_; }

  /// G(z) = ∫ dmu/(z - x) of the unit-kappa law for each z (Im z > 0), one row
  /// per independent replica; the points are evaluated together in blocks of
  /// `block` (shared random trees). `stream` selects the random streams (same
  /// stream, points and settings: same numbers, for any thread count); the
  /// replicas run on `threads` threads.
  std::vector<std::vector<cplx>> cauchy_replicas(const std::vector<cplx>& zs,
                                                 std::uint64_t stream = 0, int threads = 1) const {
    for (const auto& z : zs)
      if (!(z.imag() > 0)) throw std::invalid_argument("cauchy: Im z must be > 0");
    const std::size_t R = static_cast<std::size_t>(s_.replicas), n = zs.size();
    std::vector<std::vector<cplx>> runs(R, std::vector<cplx>(n));
    auto work = [&](std::size_t r) {
      for (std::size_t start = 0; start < n; start += s_.block) {
        std::vector<cplx> part(zs.begin() + start, zs.begin() + std::min(n, start + s_.block));
        auto v = block_run(part, seed_of(stream + start, static_cast<int>(r)));
        std::copy(v.begin(), v.end(), runs[r].begin() + start);
      }
    };
    run_parallel(R, threads, work);
    return runs;
  }

  /// The replicas' mean and its standard error.
  std::vector<CauchyEstimate> cauchy(const std::vector<cplx>& zs, std::uint64_t stream = 0,
                                     int threads = 1) const {
    const auto runs = cauchy_replicas(zs, stream, threads);
    std::vector<CauchyEstimate> out(zs.size());
    for (std::size_t i = 0; i < zs.size(); ++i) {
      std::vector<double> re, im;
      for (const auto& r : runs) {
        re.push_back(r[i].real());
        im.push_back(r[i].imag());
      }
      const auto a = mc::mean_and_standard_error(re), b = mc::mean_and_standard_error(im);
      out[i] = {cplx(a.mean, b.mean), a.standard_error, b.standard_error};
    }
    return out;
  }

  /// Density -Im G(x + i eta)/pi at each x with its standard error (unit kappa).
  std::vector<std::pair<double, double>> density(const std::vector<double>& xs,
                                                 std::uint64_t stream = 0, int threads = 1) const {
    std::vector<cplx> zs;
    for (double x : xs) zs.emplace_back(x, s_.eta);
    const auto e = cauchy(zs, stream, threads);
    const double pi = 3.141592653589793238462643383279502884;
    std::vector<std::pair<double, double>> out;
    for (const auto& v : e) out.emplace_back(std::max(0.0, -v.value.imag() / pi), v.se_im / pi);
    return out;
  }

 private:
  template <class F>
  static void run_parallel(std::size_t count, int threads, F work) {
    if (threads <= 1 || count <= 1) {
      for (std::size_t r = 0; r < count; ++r) work(r);
      return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    std::exception_ptr failure;
    std::mutex failure_mutex;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&]() {
        for (std::size_t r = next++; r < count; r = next++) {
          try {
            work(r);
          } catch (...) {
            std::lock_guard<std::mutex> lock(failure_mutex);
            if (!failure) failure = std::current_exception();
          }
        }
      });
    for (auto& th : pool) th.join();
    if (failure) std::rethrow_exception(failure);
  }

  std::uint64_t seed_of(std::uint64_t stream, int replica) const {
    std::uint64_t s = s_.seed ^ (stream * 0x9E3779B97F4A7C15ULL);
    const std::uint64_t a = mc::detail::splitmix64(s);
    s = a ^ (static_cast<std::uint64_t>(replica + 1) * 0xD1B54A32D192ED03ULL);
    return mc::detail::splitmix64(s);
  }

  // One replica for a block of points: continuation in Im z during the first
  // two thirds of the burn-in (from Im z = 1, where the asymptotic law is a good
  // start, dividing Im z by a constant factor per sweep; starting at the target
  // could lock onto the real solution outside the asymptotic support), Newton in
  // G with one population sweep per step, then the mean of the measured iterates.
  std::vector<cplx> block_run(const std::vector<cplx>& zs, std::uint64_t seed) const {
    const std::size_t B = zs.size();
    SparseGramCavity cavity(w_, delta_ / gamma_, s_.pool, seed, B);
    const int descent = std::max(1, (2 * s_.burn_in) / 3);
    std::vector<cplx> G(B), sum(B, 0), zeta(B), zk(B);
    std::vector<double> eta_start(B), ratio(B);
    for (std::size_t b = 0; b < B; ++b) {
      eta_start[b] = std::max(1.0, zs[b].imag());
      ratio[b] = std::pow(zs[b].imag() / eta_start[b], 1.0 / descent);
      const auto c0 = asymptotic_.cauchy(Complex<double>(zs[b].real(), eta_start[b]));
      G[b] = cplx(c0.re, c0.im);
      cavity.reset(b, cavity.mean_field_guess(1.0 / (delta_ * G[b])));
    }
    std::vector<SparseGramCavity::Means> m;
    for (int k = 0; k < s_.burn_in + s_.measure; ++k) {
      for (std::size_t b = 0; b < B; ++b) {
        zk[b] = cplx(zs[b].real(),
                     k >= descent ? zs[b].imag() : eta_start[b] * std::pow(ratio[b], k + 1));
        zeta[b] = 1.0 / (delta_ * G[b]);
      }
      cavity.sweep(zeta, m);
      for (std::size_t b = 0; b < B; ++b) {
        // G_nu' enters only Newton's slope: -E g^2 (the derivative at fixed
        // incoming messages) serves; the fixed point does not depend on it.
        G[b] = newton_step(G[b], zk[b], delta_, -m[b].g, -m[b].g2);
        if (k >= s_.burn_in) sum[b] += G[b];
      }
    }
    for (auto& v : sum) v /= static_cast<double>(s_.measure);
    return sum;
  }

  std::vector<double> w_;
  double delta_, gamma_;
  CavitySettings s_;
  BulkLaw<double> asymptotic_;
  std::size_t positions_ = 0;
};

}  // namespace attnrmt::finite_t
