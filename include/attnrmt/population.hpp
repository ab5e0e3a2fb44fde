// attnrmt/population.hpp -- the population spectrum H of anisotropic embeddings
// (docs/theory.md "Anisotropic embeddings").
//
// The embedding table is E = mu y^T + Sigma^{1/2} Z with Sigma of spectral law
//   H = sum_k h_k delta_{t_k},   t_k > 0, h_k > 0, sum_k h_k = 1,
// and m1 = sum_k h_k t_k carried explicitly (not assumed 1). The signal mu is
// generic (mu^T f(Sigma) mu / rho -> ∫ f dH) or an eigenvector of Sigma with
// eigenvalue s_mu (one of the atoms).
//
// Transforms of H at a (complex or real) point w, each one O(K) sum:
//   g_H(w) = ∫ 1/(w-t) dH,      p_H(w) = ∫ t/(w-t) dH = w g_H(w) - 1,
//   J0(w)  = ∫ 1/(w-t)^2 dH,    J1(w)  = ∫ t/(w-t)^2 dH,   I2(w) = ∫ t^2/(w-t)^2 dH,
//   p_H'(w) = -J1(w),  g_H'(w) = -J0(w),  p_H(w) - w J1(w) = -I2(w).
// For the signal: g_mu = g_H, J_mu = J0 (generic); 1/(w-s_mu), 1/(w-s_mu)^2 (eigenvector).
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt {

/// The five O(K) sums of H at one point (see the header comment).
template <class T>
struct PopulationTransforms {
  T g;   ///< ∫ 1/(w-t) dH
  T p;   ///< ∫ t/(w-t) dH
  T J0;  ///< ∫ 1/(w-t)^2 dH
  T J1;  ///< ∫ t/(w-t)^2 dH
  T I2;  ///< ∫ t^2/(w-t)^2 dH
};

/// Direction of the signal mu relative to Sigma.
struct SignalDirection {
  bool eigenvector = false;
  Rational eigenvalue{0};  ///< s_mu when eigenvector
};

/// A finite population spectrum H with exact (rational) atoms and weights.
/// The exact form is kept for exact moments; numerical work uses Population<Real>.
struct PopulationSpec {
  std::vector<Rational> atoms;    ///< t_k > 0, strictly increasing
  std::vector<Rational> weights;  ///< h_k > 0, summing to 1
  SignalDirection signal;
  std::string label = "isotropic";

  /// H = delta_1 (the isotropic case Sigma = I).
  static PopulationSpec isotropic() {
    PopulationSpec s;
    s.atoms = {Rational(1)};
    s.weights = {Rational(1)};
    return s;
  }

  /// Builds H from atoms and (positive, unnormalised) weights: sorts, merges equal
  /// atoms and divides the weights by their sum. Throws std::invalid_argument on
  /// an empty list, a non-positive atom or weight, or mismatched sizes.
  static PopulationSpec from_atoms(std::vector<Rational> atoms, std::vector<Rational> weights) {
    if (atoms.empty()) throw std::invalid_argument("population: at least one atom is required");
    if (weights.size() != atoms.size())
      throw std::invalid_argument("population: atoms and weights differ in number");
    std::vector<std::pair<Rational, Rational>> aw;
    Rational total(0);
    for (std::size_t k = 0; k < atoms.size(); ++k) {
      if (!(atoms[k] > 0))
        throw std::invalid_argument("population: atom " + rational_to_string(atoms[k]) +
                                    " must be > 0 (Sigma positive definite)");
      if (!(weights[k] > 0))
        throw std::invalid_argument("population: weight " + rational_to_string(weights[k]) +
                                    " must be > 0");
      aw.emplace_back(atoms[k], weights[k]);
      total += weights[k];
    }
    std::sort(aw.begin(), aw.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    PopulationSpec s;
    for (const auto& [t, h] : aw) {
      if (!s.atoms.empty() && s.atoms.back() == t) {
        s.weights.back() += h / total;
      } else {
        s.atoms.push_back(t);
        s.weights.push_back(h / total);
      }
    }
    s.label = "custom";
    return s;
  }

  /// ∫ t^j dH exactly.
  Rational power_moment(int j) const {
    Rational sum(0);
    for (std::size_t k = 0; k < atoms.size(); ++k) {
      Rational tj(1);
      for (int i = 0; i < j; ++i) tj *= atoms[k];
      sum += weights[k] * tj;
    }
    return sum;
  }

  bool is_isotropic() const { return atoms.size() == 1; }
};

/// H at the working precision Real, with its transforms.
template <class Real>
class Population {
 public:
  explicit Population(const PopulationSpec& spec) {
    for (std::size_t k = 0; k < spec.atoms.size(); ++k) {
      t_.push_back(to_real<Real>(spec.atoms[k]));
      h_.push_back(to_real<Real>(spec.weights[k]));
    }
    m1_ = to_real<Real>(spec.power_moment(1));
    eigenvector_ = spec.signal.eigenvector;
    if (eigenvector_) {
      bool found = false;
      for (std::size_t k = 0; k < spec.atoms.size(); ++k)
        if (spec.atoms[k] == spec.signal.eigenvalue) {
          found = true;
          s_mu_index_ = k;
        }
      if (!found)
        throw std::invalid_argument(
            "signal eigenvalue s_mu = " + rational_to_string(spec.signal.eigenvalue) +
            " must be one of the atoms of H");
      s_mu_ = t_[s_mu_index_];
    }
  }

  std::size_t size() const { return t_.size(); }
  const std::vector<Real>& atoms() const { return t_; }
  const std::vector<Real>& weights() const { return h_; }
  const Real& m1() const { return m1_; }
  const Real& t_min() const { return t_.front(); }
  const Real& t_max() const { return t_.back(); }
  bool eigenvector_signal() const { return eigenvector_; }
  const Real& s_mu() const { return s_mu_; }

  /// All five sums at w (T = Real or Complex<Real>), one pass over the atoms.
  template <class T>
  PopulationTransforms<T> transforms(const T& w) const {
    PopulationTransforms<T> r{T(0), T(0), T(0), T(0), T(0)};
    for (std::size_t k = 0; k < t_.size(); ++k) {
      T inv = T(1) / (w - t_[k]);
      T hinv = h_[k] * inv;
      T hinv2 = hinv * inv;
      r.g += hinv;
      r.p += t_[k] * hinv;
      r.J0 += hinv2;
      r.J1 += t_[k] * hinv2;
      r.I2 += (t_[k] * t_[k]) * hinv2;
    }
    return r;
  }

  /// I2(w) alone (real w), the sum that decides admissibility.
  Real I2(const Real& w) const {
    Real s(0);
    for (std::size_t k = 0; k < t_.size(); ++k) {
      Real q = t_[k] / (w - t_[k]);
      s += h_[k] * q * q;
    }
    return s;
  }
  /// dI2/dw = -2 ∫ t^2/(w-t)^3 dH (real w).
  Real I2_derivative(const Real& w) const {
    Real s(0);
    for (std::size_t k = 0; k < t_.size(); ++k) {
      Real inv = 1 / (w - t_[k]);
      s += h_[k] * t_[k] * t_[k] * inv * inv * inv;
    }
    return -2 * s;
  }

  /// g_mu and J_mu of the signal direction from the H sums at w.
  template <class T>
  std::pair<T, T> signal_sums(const T& w, const PopulationTransforms<T>& tr) const {
    if (!eigenvector_) return {tr.g, tr.J0};
    T inv = T(1) / (w - s_mu_);
    return {inv, inv * inv};
  }

 private:
  std::vector<Real> t_, h_;
  Real m1_{0};
  bool eigenvector_ = false;
  std::size_t s_mu_index_ = 0;
  Real s_mu_{0};
};

/// Exact moments of H ⊠ MP_delta ⊠ MP_gamma (unit kappa), k = 1..order, by
/// Lagrange inversion: m_k = (1/k) [u^{k-1}] psi'(u) (1 + delta psi)^k (1 + gamma psi)^k,
/// psi(u) = sum_{j>=1} h_j u^j, h_j = ∫ t^j dH. F is Rational (exact) or a real type.
template <class F>
std::vector<F> population_moments(const std::vector<F>& h /* h[j] = ∫ t^j dH, j = 0..order */,
                                  const F& delta, const F& gamma, int order) {
  if (order < 1 || static_cast<int>(h.size()) < order + 1)
    throw std::invalid_argument("population_moments: order must be >= 1 with h_0..h_order given");
  const std::size_t n = static_cast<std::size_t>(order);  // series truncated at u^{order-1}
  auto mul = [n](const std::vector<F>& a, const std::vector<F>& b) {
    std::vector<F> c(n, F(0));
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != 0)
        for (std::size_t j = 0; i + j < n; ++j) c[i + j] += a[i] * b[j];
    return c;
  };
  std::vector<F> psi(n, F(0)), dpsi(n, F(0)), A(n, F(0)), B(n, F(0));
  for (std::size_t j = 1; j < n; ++j) psi[j] = h[j];
  for (std::size_t j = 0; j < n; ++j) dpsi[j] = F(static_cast<long>(j + 1)) * h[j + 1];
  for (std::size_t j = 0; j < n; ++j) {
    A[j] = (j == 0 ? F(1) : F(0)) + delta * psi[j];
    B[j] = (j == 0 ? F(1) : F(0)) + gamma * psi[j];
  }
  std::vector<F> moments;
  std::vector<F> AB = mul(A, B), power(n, F(0));
  power[0] = F(1);
  for (int k = 1; k <= order; ++k) {
    power = mul(power, AB);  // (A B)^k
    std::vector<F> series = mul(dpsi, power);
    moments.push_back(series[static_cast<std::size_t>(k - 1)] / F(k));
  }
  return moments;
}

}  // namespace attnrmt
