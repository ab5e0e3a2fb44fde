// attnrmt/spectral_integrals.hpp -- built-in spectral integrals and the
// psi-function route to the spiked model (docs/theory.md §3, third route).
//
// Built-in integrands f (all real on the real axis), integrated by
// contour_integral (contour.hpp) against any measure (BulkLaw, MarchenkoPastur):
//   power:K        t^K                  entire
//   log            log t                branch point 0, cut (-inf, 0]; needs a law
//                                       without atom or hard edge at 0 (delta, gamma < 1)
//   resolvent:L    1/(L - t)            pole at L (L outside the support)
//   resolvent2:L   1/(L - t)^2          double pole at L
//   stieltjes-t:L  t/(L - t)            pole at L
//   stieltjes-t2:L t^2/(L - t)^2        double pole at L
// Closed-form check: ∫ log t d(MP_delta ⊠ MP_gamma) = L(delta) + L(gamma),
//   L(c) = ∫ log t dMP_c = -1 - (1/c - 1) log(1 - c),  c < 1
// (the log-moment is additive under free multiplicative convolution).
//
// Spiked model, kappa = 1 (Bai & Yao 2008; docs/theory.md §3): a population spike
// ell of W_delta ~ MP_delta shows in the sample covariance (ratio gamma) at
//   psi(ell)  = ell (1 + gamma ∫ t/(ell - t) dMP_delta(t)),
//   psi'(ell) = 1 - gamma ∫ t^2/(ell - t)^2 dMP_delta(t),
// iff psi'(ell) > 0, with squared sample alignment ell psi'(ell)/psi(ell). The
// bulk right edge is psi(ell*) at the root ell* of psi' above (1+sqrt delta)^2,
// and ell* = omega(s+1)/s (s = omega - delta) gives the threshold s*, hence
// tau2 = (delta + s*)/(rho + delta). Closed forms (spike.hpp) in terms of s:
//   ell = (s+delta)(s+1)/s, psi = (s+delta)(s+1)(s+gamma)/s^2,
//   psi' = P(s)/(s (s^2 - delta)), P(s) = s^3 - (delta+gamma+gamma delta)s - 2 gamma delta.
#pragma once

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/contour.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/detail/spec_syntax.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/rational.hpp"
#include "attnrmt/spike.hpp"

namespace attnrmt {

enum class IntegrandKind { power, log, resolvent, resolvent2, stieltjes_t, stieltjes_t2 };

/// A parsed integrand specification: kind plus K (power) or L (the others).
struct IntegrandSpec {
  IntegrandKind kind{IntegrandKind::power};
  int order{0};
  Rational at{0};
  std::string text;  ///< as given
};

/// Parses "power:K" (0 <= K <= 200), "log", "resolvent:L", "resolvent2:L",
/// "stieltjes-t:L", "stieltjes-t2:L" (L an exact number such as 5, 9/2, 4.5;
/// syntax: detail/spec_syntax.hpp). Throws std::invalid_argument whose message
/// starts with "f" (the integrand), e.g. "f power: K must be an integer in
/// [0, 200] (got '300')"; the CLI adds the option's name.
inline IntegrandSpec parse_integrand(const std::string& text) {
  const std::string forms =
      "power:K, log, resolvent:L, resolvent2:L, stieltjes-t:L or stieltjes-t2:L";
  IntegrandSpec spec;
  spec.text = text;
  const detail::SpecSyntax syntax = detail::split_spec(text);
  const std::string& name = syntax.head;
  if (name == "log") {
    syntax.require_no_args("f");
    spec.kind = IntegrandKind::log;
    return spec;
  }
  if (name == "power") {
    const std::string& arg = syntax.require_args("f", "power:K");
    spec.kind = IntegrandKind::power;
    bool digits = arg.size() <= 3;
    for (char ch : arg) digits = digits && ch >= '0' && ch <= '9';
    if (!digits || std::stoi(arg) > 200)
      throw std::invalid_argument("f power: K must be an integer in [0, 200] (got '" + arg + "')");
    spec.order = std::stoi(arg);
    return spec;
  }
  if (name == "resolvent")
    spec.kind = IntegrandKind::resolvent;
  else if (name == "resolvent2")
    spec.kind = IntegrandKind::resolvent2;
  else if (name == "stieltjes-t")
    spec.kind = IntegrandKind::stieltjes_t;
  else if (name == "stieltjes-t2")
    spec.kind = IntegrandKind::stieltjes_t2;
  else
    throw std::invalid_argument("f must be " + forms + " (got '" + text + "')");
  spec.at = parse_rational(syntax.require_args("f", name + ":L"), "f " + name + ": L");
  return spec;
}

/// The integrand f(z) of a specification, in the working precision of Real.
template <class Real>
class BuiltinIntegrand {
 public:
  using C = Complex<Real>;
  explicit BuiltinIntegrand(const IntegrandSpec& spec) : spec_(spec), at_(to_real<Real>(spec.at)) {}

  C operator()(const C& z) const {
    switch (spec_.kind) {
      case IntegrandKind::power: {
        C r(1);
        for (int k = 0; k < spec_.order; ++k) r *= z;
        return r;
      }
      case IntegrandKind::log:
        return attnrmt::log(z);
      case IntegrandKind::resolvent:
        return C(1) / (at_ - z);
      case IntegrandKind::resolvent2: {
        C r = C(1) / (at_ - z);
        return r * r;
      }
      case IntegrandKind::stieltjes_t:
        return z / (at_ - z);
      case IntegrandKind::stieltjes_t2: {
        C r = z / (at_ - z);
        return r * r;
      }
    }
    return C(0);
  }

  std::vector<C> singularities() const {
    switch (spec_.kind) {
      case IntegrandKind::power:
        return {};
      case IntegrandKind::log:
        return {C(Real(0))};
      default:
        return {C(at_)};
    }
  }

  const IntegrandSpec& spec() const { return spec_; }

 private:
  IntegrandSpec spec_;
  Real at_;
};

/// ∫ f dmu for a built-in f, with the admissibility rules spelled out for the
/// user (log against an atom or a hard edge at 0; L inside the support).
template <class Real, class Measure>
ContourResult<Real> spectral_integral(const Measure& mu, const IntegrandSpec& spec,
                                      ContourOptions<Real> opts = ContourOptions<Real>()) {
  BuiltinIntegrand<Real> f(spec);
  opts.real_on_real_axis = true;
  std::ostringstream msg;
  if (spec.kind == IntegrandKind::log) {
    if (opts.include_atom && mu.atom() > 0) {
      msg << "log: the law has an atom of mass " << static_cast<double>(mu.atom())
          << " at 0 where log t = -inf, so the log-moment diverges (it needs delta < 1 and "
             "gamma < 1; exclude the atom to integrate over the continuous part only)";
      throw std::invalid_argument(msg.str());
    }
    if (mu.hard_left_edge()) {
      msg << "log: the continuous support reaches 0 (hard edge: delta = 1, gamma = 1 or "
             "delta = gamma > 1), so no contour avoids the branch point of log at 0 (the "
             "log-moment needs delta < 1 and gamma < 1 here)";
      throw std::invalid_argument(msg.str());
    }
  } else if (spec.kind != IntegrandKind::power) {
    Real at = to_real<Real>(spec.at);
    if (at >= mu.left_edge() && at <= mu.right_edge()) {
      msg << spec.text << ": L = " << static_cast<double>(at) << " must lie outside the support ["
          << static_cast<double>(mu.left_edge()) << ", " << static_cast<double>(mu.right_edge())
          << "] (there the integral is singular)";
      throw std::invalid_argument(msg.str());
    }
    if (at == 0 && mu.atom() > 0 && opts.include_atom) {
      msg << spec.text << ": L = 0 is the atom of the law (mass " << static_cast<double>(mu.atom())
          << "), where the integrand is infinite; exclude the atom to integrate over the "
             "continuous part only";
      throw std::invalid_argument(msg.str());
    }
  }
  return contour_integral<Real>(mu, f, f.singularities(), opts);
}

/// L(c) = ∫ log t dMP_c(t) = -1 - (1/c - 1) log(1 - c), 0 < c < 1.
template <class Real>
Real mp_log_moment(const Real& c) {
  using std::log;
  if (!(c > 0 && c < 1)) {
    std::ostringstream msg;
    msg << "c must be in (0, 1) for the log-moment of MP_c (got " << static_cast<double>(c) << ")";
    throw std::invalid_argument(msg.str());
  }
  return -1 - (1 / c - 1) * log(1 - c);
}

// ---- psi functions of the spiked model (kappa = 1) ---------------------------

template <class Real>
struct PsiValues {
  Real psi{0};        ///< psi(ell)
  Real psi_prime{0};  ///< psi'(ell)
  long nodes{0};      ///< trapezoidal nodes of the two integrals (the larger)
  bool converged{false};
  ContourResult<Real> second;  ///< the ∫ t^2/(ell-t)^2 integral (for convergence studies)
};

/// psi(ell), psi'(ell) by contour integrals against MP_delta, ell > (1+sqrt delta)^2.
/// With with_psi = false only psi' is computed (psi is left 0).
template <class Real>
PsiValues<Real> psi_by_contour(const Real& delta, const Real& gamma, const Real& ell,
                               ContourOptions<Real> opts = ContourOptions<Real>(),
                               bool with_psi = true) {
  require_positive("gamma", gamma);
  MarchenkoPastur<Real> mp(delta);
  if (!(ell > mp.right_edge())) {
    std::ostringstream msg;
    msg << "ell must exceed the MP_delta edge (1+sqrt(delta))^2 = "
        << static_cast<double>(mp.right_edge()) << " (got " << static_cast<double>(ell) << ")";
    throw std::invalid_argument(msg.str());
  }
  using C = Complex<Real>;
  opts.real_on_real_axis = true;
  std::vector<C> pole{C(ell)};
  auto t_over = [&](const C& z) { return z / (ell - z); };
  auto t2_over2 = [&](const C& z) {
    C r = z / (ell - z);
    return r * r;
  };
  PsiValues<Real> out;
  out.second = contour_integral<Real>(mp, t2_over2, pole, opts);
  out.psi_prime = 1 - gamma * out.second.value.re;
  out.nodes = out.second.nodes;
  out.converged = out.second.converged;
  if (with_psi) {
    auto first = contour_integral<Real>(mp, t_over, pole, opts);
    out.psi = ell * (1 + gamma * first.value.re);
    if (first.nodes > out.nodes) out.nodes = first.nodes;
    out.converged = out.converged && first.converged;
  }
  return out;
}

/// s from the population outlier ell = (s+delta)(s+1)/s, s > sqrt(delta).
template <class Real>
Real spike_s_from_population_outlier(const Real& delta, const Real& ell) {
  using std::sqrt;
  Real b = ell - 1 - delta;
  Real disc = b * b - 4 * delta;
  if (disc < 0) disc = 0;
  return (b + sqrt(disc)) / 2;
}

template <class Real>
struct ContourThreshold {
  Real ell_star{0};    ///< root of psi' above the MP_delta edge
  Real s_star{0};      ///< s at ell*: the sample-level threshold in s
  Real right_edge{0};  ///< psi(ell*): the bulk right edge (kappa = 1)
  PsiValues<Real> at_root;
  bool converged{true};
};

/// The sample-level threshold and the bulk right edge from psi' = 0 (third route).
template <class Real>
ContourThreshold<Real> threshold_by_contour(const Real& delta, const Real& gamma,
                                            ContourOptions<Real> opts = ContourOptions<Real>()) {
  MarchenkoPastur<Real> mp(delta);
  const Real edge = mp.right_edge();
  ContourThreshold<Real> out;
  auto dpsi = [&](const Real& ell) {
    auto v = psi_by_contour(delta, gamma, ell, opts, false);
    if (!v.converged) out.converged = false;
    return v.psi_prime;
  };
  // psi' increases from -inf at the edge to 1 at infinity.
  Real hi = edge + 1;
  while (dpsi(hi) <= 0) hi = edge + 2 * (hi - edge);
  Real d = (hi - edge) / 2;
  while (dpsi(edge + d) >= 0) {
    hi = edge + d;
    d /= 2;
  }
  out.ell_star = detail::bracketed_root<Real>(dpsi, Real(edge + d), hi);
  out.s_star = spike_s_from_population_outlier(delta, out.ell_star);
  out.at_root = psi_by_contour(delta, gamma, out.ell_star, opts);
  out.right_edge = out.at_root.psi;
  out.converged = out.converged && out.at_root.converged;
  return out;
}

template <class Real>
struct ContourOutlier {
  bool detectable{false};
  Real lambda{0};        ///< psi(ell) above threshold, else the bulk edge psi(ell*)
  Real alignment_u{0};   ///< (1 - delta/s^2) ell psi'(ell)/psi(ell), else 0
  Real alignment_mu{0};  ///< rho/(rho+delta) alignment_u
  PsiValues<Real> psi;   ///< at ell when detectable, else at ell* (the edge)
};

/// Outlier and alignments at alpha/kappa by the psi-function route (kappa = 1).
template <class Real>
ContourOutlier<Real> outlier_by_contour(const Real& delta, const Real& gamma, const Real& rho,
                                        const Real& alpha_over_kappa,
                                        ContourOptions<Real> opts = ContourOptions<Real>()) {
  using std::sqrt;
  require_positive("alpha_over_kappa", alpha_over_kappa);
  ContourOutlier<Real> out;
  Real omega = spike_strength(alpha_over_kappa, delta, rho);
  Real s = omega - delta;
  if (s > sqrt(delta)) {
    Real ell = population_outlier_location(s, delta);
    out.psi = psi_by_contour(delta, gamma, ell, opts);
    out.detectable = out.psi.psi_prime > 0;
  }
  if (out.detectable) {
    Real ell = population_outlier_location(s, delta);
    out.lambda = out.psi.psi;
    out.alignment_u = (1 - delta / (s * s)) * ell * out.psi.psi_prime / out.psi.psi;
    out.alignment_mu = mu_share(delta, rho) * out.alignment_u;
  } else {
    auto th = threshold_by_contour(delta, gamma, opts);
    out.lambda = th.right_edge;
    out.psi = th.at_root;  // the psi values that decide lambda: at ell*
  }
  return out;
}

}  // namespace attnrmt
