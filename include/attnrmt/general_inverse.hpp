// attnrmt/general_inverse.hpp -- the inverse problem: from an observed outlier
// eigenvalue lambda (kappa units) and delta, gamma, H, infer a = alpha/kappa
// (docs/theory.md "Anisotropic embeddings" §A.3).
//
// Above the right edge x is increasing on (w_+, inf), so lambda = x(w_s) has one
// root w_s there; the outlier equation a T(w_s) = 1 then gives
//   a = 1/T(w_s) = (1 + delta p_H(w_s)) / (rho g_mu(w_s) + delta p_H(w_s)).
// With an observed alignment A_mu as well, rho is unknown too: w_s (hence a_samp) is
// fixed by lambda, and A_mu(rho) = a_pop_mu(rho, a(rho)) a_samp is solved for rho by
// bisection on a log grid (the first sign change of A_mu(rho) - A_obs on
// [1e-8, 1e8]). A lambda at or below the right edge is not an outlier: the outcome
// says so and gives the bound a <= a2.
#pragma once

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "attnrmt/general_spike.hpp"

namespace attnrmt {

enum class InferStatus { ok, inside_bulk, no_rho };

inline const char* infer_status_name(InferStatus s) {
  switch (s) {
    case InferStatus::ok:
      return "ok";
    case InferStatus::inside_bulk:
      return "inside-bulk";
    case InferStatus::no_rho:
      return "no-rho";
  }
  return "?";
}

template <class Real>
struct Inference {
  InferStatus status = InferStatus::ok;
  Real w{0};                 ///< w_s with x(w_s) = lambda
  Real alpha_over_kappa{0};  ///< inferred a (ok), or the upper bound a2 (inside_bulk)
  Real rho{0};               ///< given, or inferred from the alignment
  Real a1{0}, a2{0};         ///< thresholds at that rho
  Regime regime = Regime::none;
  GeneralOutlier<Real> outlier;  ///< the forward prediction at the inferred (a, rho)
};

/// w with x(w) = lambda on (w_+, inf); lambda must exceed the right edge.
template <class Real>
Real outlier_root_from_eigenvalue(const GeneralBulkLaw<Real>& bulk, const Real& lambda) {
  auto f = [&](const Real& w) { return bulk.x_of(w) - lambda; };
  Real lo = bulk.right_edge_w(), hi = lo + lambda + 1;
  while (f(hi) < 0) hi = lo + 2 * (hi - lo);
  return detail::bracketed_root<Real>(f, lo, hi);
}

/// a = alpha/kappa from lambda, given rho.
template <class Real>
Inference<Real> infer_signal(const GeneralBulkLaw<Real>& bulk, const Real& rho,
                             const Real& lambda) {
  require_positive("lambda", lambda);
  GeneralSpike<Real> spike(bulk, rho);
  Inference<Real> out;
  out.rho = rho;
  out.a1 = spike.thresholds().a1;
  out.a2 = spike.thresholds().a2;
  if (!(lambda > bulk.right_edge())) {
    out.status = InferStatus::inside_bulk;
    out.alpha_over_kappa = out.a2;
    out.regime = Regime::none;  // undecidable below a2 from the eigenvalue alone
    return out;
  }
  out.w = outlier_root_from_eigenvalue(bulk, lambda);
  out.alpha_over_kappa = 1 / spike.T(out.w);
  auto rep = spike.report(out.alpha_over_kappa);
  out.regime = Regime::detectable;
  out.outlier = rep.top;
  out.outlier.w = out.w;
  return out;
}

/// a and rho from lambda and the observed squared overlap A_mu with the signal.
template <class Real>
Inference<Real> infer_signal_and_rho(const GeneralBulkLaw<Real>& bulk, const Real& lambda,
                                     const Real& alignment_mu) {
  require_positive("lambda", lambda);
  if (!(alignment_mu > 0) || !(alignment_mu < 1))
    throw std::invalid_argument("alignment_mu must be in (0, 1) (got " +
                                std::to_string(static_cast<double>(alignment_mu)) + ")");
  Inference<Real> out;
  if (!(lambda > bulk.right_edge())) {
    out = infer_signal(bulk, Real(1), lambda);
    return out;
  }
  using std::pow;
  auto A_of = [&](const Real& rho) {
    return infer_signal(bulk, rho, lambda).outlier.A_mu - alignment_mu;
  };
  Real prev_rho(0), prev(0);
  bool have_prev = false;
  for (int i = 0; i <= 160; ++i) {
    Real rho = pow(Real(10), Real(-8) + Real(i) / 10);
    Real v = A_of(rho);
    if (have_prev && (prev > 0) != (v > 0)) {
      Real r = detail::bracketed_root<Real>(A_of, prev_rho, rho);
      return infer_signal(bulk, r, lambda);
    }
    prev_rho = rho;
    prev = v;
    have_prev = true;
  }
  out = infer_signal(bulk, Real(1), lambda);
  out.status = InferStatus::no_rho;
  return out;
}

}  // namespace attnrmt
