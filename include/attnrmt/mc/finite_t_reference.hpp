// attnrmt/mc/finite_t_reference.hpp -- the finite-T law (docs/theory.md §7) as
// the reference of `validate --model tokens --law finite-T`: its CDF for the
// bulk's Kolmogorov distance, the classical locations of the top two bulk
// eigenvalues at the realised d, and the bulk's exact moments (theory §7.4).
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "attnrmt/finite_t/tabulated_law.hpp"
#include "attnrmt/finite_t/token_moments.hpp"

namespace attnrmt::mc {

struct FiniteTReference {
  finite_t::CavitySettings settings;
  std::shared_ptr<const finite_t::TabulatedLaw> full, tail;
  double top = 0, second = 0;  ///< classical locations of the top two at d (unit kappa)
  /// Bulk moments 1..4, exact for every scheme (finite_t/token_moments.hpp,
  /// theory §7.4); m1..m3 equal those of the asymptotic law for every T (§7.1).
  double moments[4] = {0, 0, 0, 0};
  double cdf(double x) const { return x >= full->x_max() ? 1.0 : full->cdf_at(x).mean; }
};

/// Fourth moment of the one-position law in closed form (theory §7.3), the
/// independent route the tests check token_bulk_moments against: the moments of M over
/// non-crossing partitions, m4 = delta^3 b4 + 4 delta^2 b3 + 2 delta^2 b2^2 +
/// 6 delta b2 + 1, with the moments b_k of nu = Poisson(lambda)/lambda, c = 1/lambda:
/// b2 = 1 + c, b3 = 1 + 3c + c^2, b4 = 1 + 6c + 7c^2 + c^3 (MP_c has 6c^2).
inline double single_position_fourth_moment(double delta, double gamma) {
  const double c = gamma / delta;
  const double b2 = 1 + c, b3 = 1 + 3 * c + c * c, b4 = 1 + 6 * c + 7 * c * c + c * c * c;
  return delta * delta * delta * b4 + 4 * delta * delta * b3 + 2 * delta * delta * b2 * b2 +
         6 * delta * b2 + 1;
}

/// Tabulates the finite-T law for weights w at the realised delta, gamma and d.
inline std::shared_ptr<const FiniteTReference> make_finite_t_reference(
    const std::vector<double>& weights, double delta, double gamma, long d, int threads) {
  auto ref = std::make_shared<FiniteTReference>();
  // A pool of ~20 d resolves the tail mass 1/(2d) of the top location.
  ref->settings.pool = static_cast<std::size_t>(std::max<long>(4096, 20 * d));
  const finite_t::TokenBulkLaw law(weights, delta, gamma, ref->settings);
  const double edge = law.asymptotic().right_edge(), x_max = 2 * edge;
  finite_t::CavitySettings coarse = ref->settings;
  coarse.pool = 4096;
  const finite_t::TokenBulkLaw bulk_law(weights, delta, gamma, coarse);
  ref->full = std::make_shared<finite_t::TabulatedLaw>(bulk_law, x_max, 192, 0, threads);
  ref->tail =
      std::make_shared<finite_t::TabulatedLaw>(law, x_max, 96, 1u << 20, threads, 0.8 * edge);
  const auto top = ref->tail->top_location(static_cast<double>(d), 1);
  const auto second = ref->tail->top_location(static_cast<double>(d), 2);
  if (!top || !second)
    throw std::invalid_argument("finite-T law: the top of the spectrum was not resolved");
  ref->top = top->mean;
  ref->second = second->mean;
  const std::vector<double> m = finite_t::token_bulk_moments<double>(weights, delta, gamma, 4);
  for (int k = 1; k <= 4; ++k) ref->moments[k - 1] = m[static_cast<std::size_t>(k - 1)];
  return ref;
}

}  // namespace attnrmt::mc
