// attnrmt/general_spike.hpp -- the spike on top of H ⊠ MP_delta ⊠ MP_gamma
// (docs/theory.md "Anisotropic embeddings" §A.2). Unit kappa,
// a = alpha/kappa, rho = ||mu||^2.
//
// Spike vector u = mu + Sigma^{1/2} Z y / V, ||u||^2 -> rho + delta m1. Its weighted
// Stieltjes transform w.r.t. the table-level bulk W, at z = x_nu(w) = w(1 + delta p_H):
//   T(w) = (rho g_mu(w) + delta p_H(w)) / (1 + delta p_H(w)).
// Outlier root w_s: a T(w_s) = 1, i.e. N(w) = a rho g_mu + (a-1) delta p_H - 1 = 0,
// N' = -Dn, Dn = a rho J_mu + (a-1) delta J1.
// Thresholds: a1 = 1/T(w_nu+) (delta I2(w_nu+) = 1), a2 = 1/T(w_+) (x'(w_+) = 0).
// Locations: ell = x_nu(w_s) (a > a1), lambda = x(w_s) (a > a2, else the edge x(w_+)).
// Alignments at w_s, p = p_H(w_s):
//   a_pop_u  = x_nu'(w)(1 + delta p) / (a (rho + delta m1) Dn)
//   a_pop_mu = a rho g_mu^2 x_nu'(w) / ((1 + delta p) Dn)
//   a_samp   = x'(w) / ((1 + gamma p) x_nu'(w)),   A_u = a_pop_u a_samp, A_mu = a_pop_mu a_samp.
// Gap outliers: in each bounded component (w_l, w_r) of {x_nu' > 0} between two atoms,
// if a T(w_l) > 1 > a T(w_r), the root of a T = 1 there is a table-level outlier in a gap;
// a sample-level one iff also x'(w) > 0 (same formulas).
// Uncentred vocabulary-mean spike: rho = 0, a = sigma^2/kappa; its A_u is the
// alignment with the vocabulary-mean direction (mean_spike).
#pragma once

#include <optional>
#include <stdexcept>
#include <vector>

#include "attnrmt/general_bulk.hpp"
#include "attnrmt/spike.hpp"

namespace attnrmt {

template <class Real>
struct GeneralThresholds {
  Real a1;           ///< table-level threshold in alpha/kappa
  Real a2;           ///< sample-level threshold in alpha/kappa
  Real w_nu_plus;    ///< root of delta I2 = 1 in (t_max, inf)
  Real w_plus;       ///< root of x' = 0 in (t_max, inf)
  Real table_edge;   ///< x_nu(w_nu+): right edge of H ⊠ MP_delta
  Real sample_edge;  ///< x(w_+): right edge of the bulk
};

/// One outlier (top or in a gap) and its alignments (kappa units = 1).
template <class Real>
struct GeneralOutlier {
  bool gap = false;             ///< in a gap of a split support (not the top one)
  bool table_outlier = false;   ///< a T = 1 has a root here (population level)
  bool sample_outlier = false;  ///< visible in the sample covariance
  Real w{0};                    ///< root w_s of a T(w) = 1
  Real ell{0};                  ///< table-level outlier x_nu(w_s) (or the table edge)
  Real lambda{0};               ///< sample outlier x(w_s) (or the right edge for the top one)
  Real a_pop_u{0}, a_pop_mu{0}, a_samp{0};
  Real A_u{0}, A_mu{0};  ///< 0 unless sample_outlier
};

template <class Real>
struct GeneralOutlierReport {
  Regime regime;
  GeneralOutlier<Real> top;
  std::vector<GeneralOutlier<Real>> gaps;
};

template <class Real>
class GeneralSpike {
 public:
  GeneralSpike(const GeneralBulkLaw<Real>& bulk, const Real& rho) : bulk_(bulk), rho_(rho) {
    require_nonnegative("rho", rho);
    const auto& H = bulk_.population();
    th_.w_nu_plus = bulk_.sublevel_right_end(bulk_.delta());
    th_.w_plus = bulk_.right_edge_w();
    th_.table_edge = bulk_.x_nu(th_.w_nu_plus);
    th_.sample_edge = bulk_.right_edge();
    th_.a1 = 1 / T(th_.w_nu_plus);
    th_.a2 = 1 / T(th_.w_plus);
    (void)H;
  }

  const GeneralThresholds<Real>& thresholds() const { return th_; }
  const Real& rho() const { return rho_; }

  /// T(w) = (rho g_mu + delta p_H)/(1 + delta p_H).
  Real T(const Real& w) const {
    const auto& H = bulk_.population();
    auto tr = H.transforms(w);
    Real g_mu = H.signal_sums(w, tr).first;
    return (rho_ * g_mu + bulk_.delta() * tr.p) / (1 + bulk_.delta() * tr.p);
  }

  /// The outlier(s) at a = alpha/kappa.
  GeneralOutlierReport<Real> report(const Real& a) const {
    require_positive("alpha_over_kappa", a);
    GeneralOutlierReport<Real> r;
    const Real margin = 64 * detail::type_epsilon<Real>();
    r.top.table_outlier = a > th_.a1 * (1 + margin);
    r.top.sample_outlier = a > th_.a2 * (1 + margin);
    r.regime = r.top.sample_outlier  ? Regime::detectable
               : r.top.table_outlier ? Regime::table_only
                                     : Regime::none;
    if (r.top.table_outlier) {
      auto N = [&](const Real& w) { return a * T(w) - 1; };
      Real lo = th_.w_nu_plus, hi = 2 * lo;
      while (N(hi) > 0) hi = lo + 2 * (hi - lo);
      r.top.w = detail::bracketed_root<Real>(N, lo, hi);
      fill(r.top, a);
    } else {
      r.top.w = th_.w_nu_plus;
      r.top.ell = th_.table_edge;
    }
    if (!r.top.sample_outlier) {
      r.top.lambda = th_.sample_edge;
      r.top.A_u = r.top.A_mu = 0;
    }
    // Gap outliers: bounded components of {delta I2 < 1} between atoms.
    const auto& t = bulk_.population().atoms();
    for (std::size_t k = 0; k + 1 < t.size(); ++k) {
      auto iv = bulk_.sublevel_in_gap(k, bulk_.delta());
      if (!iv) continue;
      auto N = [&](const Real& w) { return a * T(w) - 1; };
      Real nl = N(iv->first), nr = N(iv->second);
      if (!(nl > 0 && nr < 0)) continue;
      GeneralOutlier<Real> o;
      o.gap = true;
      o.table_outlier = true;
      o.w = detail::bracketed_root<Real>(N, iv->first, iv->second);
      o.sample_outlier = bulk_.x_prime(o.w) > 0;
      fill(o, a);
      if (!o.sample_outlier) o.A_u = o.A_mu = 0;
      r.gaps.push_back(o);
    }
    return r;
  }

  /// Vocabulary-mean outlier of the uncentred covariance (rho = 0, a = M =
  /// sigma^2/kappa): x(w) at the root of a T = 1 above w_+, or the right edge.
  static Real mean_outlier(const GeneralBulkLaw<Real>& bulk, const Real& M) {
    return mean_spike(bulk, M).lambda;
  }

  /// The vocabulary-mean spike as a whole (rho = 0, a = M): lambda (or the
  /// right edge) and, in A_u, the squared cosine of its eigenvector with the
  /// vocabulary-mean direction Sigma^{1/2} Z 1/V, which has the law of the
  /// spike vector u at rho = 0 (0 when the outlier is absent).
  static GeneralOutlier<Real> mean_spike(const GeneralBulkLaw<Real>& bulk, const Real& M) {
    require_nonnegative("mean_strength", M);
    GeneralSpike<Real> s(bulk, Real(0));
    if (!(M > 0)) {
      GeneralOutlier<Real> none;
      none.lambda = bulk.right_edge();
      return none;
    }
    return s.report(M).top;
  }

 private:
  void fill(GeneralOutlier<Real>& o, const Real& a) const {
    const auto& H = bulk_.population();
    const Real& delta = bulk_.delta();
    const Real& gamma = bulk_.gamma();
    const Real& w = o.w;
    auto tr = H.transforms(w);
    auto [g_mu, J_mu] = H.signal_sums(w, tr);
    Real xnu_prime = 1 - delta * tr.I2;
    Real x_prime = bulk_.x_prime(tr);
    Real Dn = a * rho_ * J_mu + (a - 1) * delta * tr.J1;
    Real one_dp = 1 + delta * tr.p;
    o.ell = w * one_dp;
    o.lambda = bulk_.x_of(w, tr);
    o.a_pop_u = xnu_prime * one_dp / (a * (rho_ + delta * H.m1()) * Dn);
    o.a_pop_mu = a * rho_ * g_mu * g_mu * xnu_prime / (one_dp * Dn);
    o.a_samp = x_prime / ((1 + gamma * tr.p) * xnu_prime);
    o.A_u = o.a_pop_u * o.a_samp;
    o.A_mu = o.a_pop_mu * o.a_samp;
  }

  const GeneralBulkLaw<Real>& bulk_;
  Real rho_;
  GeneralThresholds<Real> th_;
};

}  // namespace attnrmt
