// attnrmt/finite_t/token_moments.hpp -- exact moments b_k = ∫ b^k dnu_T of the
// discrete-token model's sparse Gram law nu_T, and the moments of the bulk
// M = nu_T ⊠ MP (eq. 7.1), for any pooling weights (docs/theory.md §7.4).
//
// b_k = E (B^k)_vv counts closed walks of length 2k from a token v on the
// limiting tree of §7.2 (weights q_t = w_t^2/(lambda kappa), lambda = delta/gamma;
// a token has Poisson(lambda) sequence children per position; a sequence reached
// through position t has one token child at every other position s != t with
// w_s != 0). A family of closed walks at a vertex is a list of excursions into
// children; the expectation sums over the set partitions of the excursions
// (which ones enter the same child), children being independent:
//
//   E_tok(l_1..l_n)   = sum_{compositions, set partitions} prod_blocks lambda Psi(j_B, inner_B)
//   Psi(j, l_1..l_n)  = sum_t q_t^j E_seq,t(l_1..l_n)
//                     = sum_{compositions, set partitions} prod_blocks E_tok(inner_B)
//                                                          * Inj(j, j_B1, j_B2, ...)
//   Inj(j_1..j_r)     = sum over distinct positions s_1..s_r of prod_i q_{s_i}^{j_i}
//                     = P_{j_1} Inj(j_2..j_r) - sum_{i>=2} Inj(j_2..j_i + j_1..j_r),
//
// with (l_1..l_n) the sizes (edge pairs) of the walks, j_B the number of
// excursions of block B, inner_B the nonzero sizes of the walks inside the child,
// P_r = sum_t q_t^r. Poisson factorial moments (lambda^j for j distinct children)
// make the token factor a product over blocks; summing E_seq,t against q_t^j turns
// the exclusion of the parent's position into one more block of Inj. Then
// b_k = E_tok(k). The walk skeleton (which blocks, with integer multiplicities)
// does not depend on the weights and is built once per call; it is a sum over
// set partitions, so its cost grows like the Bell numbers: all orders up to 8 take
// 0.01 s, up to 10 0.1 s, up to 12 5 s (double, measured), hence
// max_token_moment_order = 10. The weights enter only through P_1..P_K.
//
// Moments of M (7.1): the nonzero eigenvalues of M = (1/V) Z B Z^T (d x d) are
// those of delta B^{1/2} (Z^T Z/d) B^{1/2} (V x V), whose law is delta (nu ⊠ MP_{1/delta});
// so m_k = delta^(k-1) mu_k with mu_k the moments of nu ⊠ MP_{1/delta}, from
// population_moments (population.hpp) at gamma = 0.
#pragma once

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/population.hpp"

namespace attnrmt::finite_t {

/// Highest order of token_moments (the skeleton grows like the Bell numbers).
constexpr int max_token_moment_order = 10;

namespace detail {

using Sizes = std::vector<int>;  ///< a multiset of positive integers, sorted descending

/// One child visited by a block of excursions: j excursions, with the nonzero
/// walk sizes inside the child.
struct Block {
  int excursions;
  Sizes inner;
  bool operator<(const Block& o) const {
    return excursions != o.excursions ? excursions < o.excursions : inner < o.inner;
  }
};
using Term = std::vector<Block>;  ///< blocks sorted

inline Sizes sorted_sizes(Sizes s) {
  std::sort(s.begin(), s.end(), [](int a, int b) { return a > b; });
  return s;
}

/// The weight-free combinatorics: for a multiset of walk sizes, the sum over
/// compositions of every walk into excursions and over set partitions of all
/// excursions, merged into distinct block lists with integer multiplicities.
class WalkSkeleton {
 public:
  const std::map<Term, long long>& terms(const Sizes& walks) {
    auto it = by_walks_.find(walks);
    if (it != by_walks_.end()) return it->second;
    // Compositions: excursion sizes p >= 1 of each walk; a walk inside the
    // child has size p - 1 (0: the excursion goes and comes straight back).
    std::map<Sizes, long long> inner_lists;  // internal sizes (with zeros) -> count
    Sizes current;
    compose(walks, 0, walks.empty() ? 0 : walks[0], current, inner_lists);
    std::map<Term, long long> merged;
    for (const auto& [excursions, count] : inner_lists)
      for (const auto& [term, c] : partitions(excursions)) merged[term] += count * c;
    return by_walks_.emplace(walks, std::move(merged)).first->second;
  }

 private:
  void compose(const Sizes& walks, std::size_t i, int left, Sizes& current,
               std::map<Sizes, long long>& out) {
    if (i == walks.size()) {
      Sizes key = current;
      std::sort(key.begin(), key.end());
      ++out[key];
      return;
    }
    if (left == 0) {
      compose(walks, i + 1, i + 1 < walks.size() ? walks[i + 1] : 0, current, out);
      return;
    }
    for (int p = 1; p <= left; ++p) {
      current.push_back(p - 1);
      compose(walks, i, left - p, current, out);
      current.pop_back();
    }
  }

  // Set partitions of the excursions (internal sizes `a`), by restricted growth strings.
  const std::map<Term, long long>& partitions(const Sizes& a) {
    auto it = by_excursions_.find(a);
    if (it != by_excursions_.end()) return it->second;
    std::map<Term, long long> out;
    const std::size_t n = a.size();
    std::vector<int> label(n, 0);
    std::vector<Block> blocks;
    auto visit = [&]() {
      int count = 0;
      for (int l : label) count = std::max(count, l + 1);
      blocks.assign(static_cast<std::size_t>(count), Block{0, {}});
      for (std::size_t e = 0; e < n; ++e) {
        Block& b = blocks[static_cast<std::size_t>(label[e])];
        ++b.excursions;
        if (a[e] > 0) b.inner.push_back(a[e]);
      }
      for (auto& b : blocks) b.inner = sorted_sizes(std::move(b.inner));
      std::sort(blocks.begin(), blocks.end());
      ++out[blocks];
    };
    if (n == 0) {
      out[Term{}] = 1;
    } else {
      // label[0] = 0; label[e] <= 1 + max(label[0..e-1]).
      std::vector<int> prefix_max(n, 0);
      std::size_t e = n - 1;
      visit();
      while (true) {
        // Find the rightmost position that can be incremented.
        std::size_t pos = n - 1;
        while (pos > 0 && label[pos] > prefix_max[pos - 1]) --pos;
        if (pos == 0) break;
        ++label[pos];
        prefix_max[pos] = std::max(prefix_max[pos - 1], label[pos]);
        for (e = pos + 1; e < n; ++e) {
          label[e] = 0;
          prefix_max[e] = prefix_max[e - 1];
        }
        visit();
      }
    }
    return by_excursions_.emplace(a, std::move(out)).first->second;
  }

  std::map<Sizes, std::map<Term, long long>> by_walks_, by_excursions_;
};

/// The recursion of the header for one weight vector, with memo tables.
template <class Real>
class TokenWalks {
 public:
  TokenWalks(std::vector<Real> power_sums, Real lambda)
      : P_(std::move(power_sums)), lambda_(std::move(lambda)) {}

  Real token(const Sizes& walks) {
    if (walks.empty()) return Real(1);
    auto it = token_.find(walks);
    if (it != token_.end()) return it->second;
    Real total(0);
    for (const auto& [term, count] : skeleton_.terms(walks)) {
      Real product(count);
      for (const Block& b : term) product *= lambda_ * sequence(b.excursions, b.inner);
      total += product;
    }
    return token_.emplace(walks, total).first->second;
  }

  /// Psi(j, walks) = sum_t q_t^j E_seq,t(walks).
  Real sequence(int j, const Sizes& walks) {
    const auto key = std::make_pair(j, walks);
    auto it = sequence_.find(key);
    if (it != sequence_.end()) return it->second;
    Real total(0);
    for (const auto& [term, count] : skeleton_.terms(walks)) {
      Sizes blocks{j};
      Real product(count);
      for (const Block& b : term) {
        blocks.push_back(b.excursions);
        product *= token(b.inner);
      }
      total += product * injective(sorted_sizes(std::move(blocks)));
    }
    return sequence_.emplace(key, total).first->second;
  }

  /// Sum over distinct positions of prod q^{j_i} (inclusion-exclusion on the
  /// first block's position).
  Real injective(const Sizes& j) {
    if (j.empty()) return Real(1);
    auto it = injective_.find(j);
    if (it != injective_.end()) return it->second;
    const Sizes rest(j.begin() + 1, j.end());
    Real total = P_.at(static_cast<std::size_t>(j[0])) * injective(rest);
    for (std::size_t i = 0; i < rest.size(); ++i) {
      Sizes merged = rest;
      merged[i] += j[0];
      total -= injective(sorted_sizes(std::move(merged)));
    }
    return injective_.emplace(j, total).first->second;
  }

 private:
  std::vector<Real> P_;  // P_[r] = sum_t q_t^r
  Real lambda_;
  WalkSkeleton skeleton_;
  std::map<Sizes, Real> token_;
  std::map<std::pair<int, Sizes>, Real> sequence_;
  std::map<Sizes, Real> injective_;
};

template <class Real>
void check_token_inputs(const std::vector<Real>& weights, const Real& delta, const Real& gamma,
                        int order) {
  if (order < 1 || order > max_token_moment_order)
    throw std::invalid_argument("order must be in 1.." + std::to_string(max_token_moment_order) +
                                " (got " + std::to_string(order) + ")");
  // x / x == 1 rejects infinities (NaN fails every comparison), in every Real.
  if (!(delta > 0) || !(gamma > 0) || !(delta / delta == 1) || !(gamma / gamma == 1))
    throw std::invalid_argument(
        "delta and gamma must be > 0 (got delta = " + std::to_string(static_cast<double>(delta)) +
        ", gamma = " + std::to_string(static_cast<double>(gamma)) + ")");
  bool nonzero = false;
  for (const auto& w : weights) {
    const Real square = w * w;
    if (!(square >= 0) || (square > 0 && !(square / square == 1)))
      throw std::invalid_argument("weights: every weight must be finite (got " +
                                  std::to_string(static_cast<double>(w)) + ")");
    nonzero = nonzero || w != 0;
  }
  if (!nonzero)
    throw std::invalid_argument("weights: at least one weight must be nonzero (got " +
                                std::to_string(weights.size()) + " zeros)");
}

}  // namespace detail

/// b_k = ∫ b^k dnu_T, k = 1..order, for pooling weights w (zeros allowed, at
/// least one nonzero; only w_t^2 enters) and the ratios delta, gamma. Real is a
/// floating type or Rational (exact when the weights are rational).
template <class Real>
std::vector<Real> token_gram_moments(const std::vector<Real>& weights, const Real& delta,
                                     const Real& gamma, int order) {
  detail::check_token_inputs(weights, delta, gamma, order);
  const Real lambda = delta / gamma;
  Real kappa(0);
  for (const auto& w : weights) kappa += w * w;
  std::vector<Real> P(static_cast<std::size_t>(order + 1), Real(0));
  for (const auto& w : weights) {
    if (w == 0) continue;
    const Real q = w * w / (lambda * kappa);
    Real power(1);
    for (int r = 1; r <= order; ++r) {
      power *= q;
      P[static_cast<std::size_t>(r)] += power;
    }
  }
  detail::TokenWalks<Real> walks(std::move(P), lambda);
  std::vector<Real> b;
  for (int k = 1; k <= order; ++k) b.push_back(walks.token(detail::Sizes{k}));
  return b;
}

/// Moments of the bulk M (unit kappa) from those of nu_T: m_k = delta^(k-1) mu_k,
/// mu_k the moments of nu ⊠ MP_{1/delta} (header). `b` holds b_1..b_K.
template <class Real>
std::vector<Real> bulk_moments_from_gram(const std::vector<Real>& b, const Real& delta) {
  if (b.empty()) throw std::invalid_argument("b: at least one moment is needed (got none)");
  if (!(delta > 0))
    throw std::invalid_argument("delta must be > 0 (got " +
                                std::to_string(static_cast<double>(delta)) + ")");
  std::vector<Real> h{Real(1)};
  h.insert(h.end(), b.begin(), b.end());
  const int order = static_cast<int>(b.size());
  std::vector<Real> mu = population_moments<Real>(h, Real(1) / delta, Real(0), order);
  Real power(1);
  for (auto& m : mu) {
    m *= power;
    power *= delta;
  }
  return mu;
}

/// Moments m_1..m_order of the finite-T bulk (unit kappa) for weights w.
template <class Real>
std::vector<Real> token_bulk_moments(const std::vector<Real>& weights, const Real& delta,
                                     const Real& gamma, int order) {
  return bulk_moments_from_gram(token_gram_moments(weights, delta, gamma, order), delta);
}

}  // namespace attnrmt::finite_t
