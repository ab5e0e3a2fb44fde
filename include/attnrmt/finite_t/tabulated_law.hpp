// attnrmt/finite_t/tabulated_law.hpp -- the finite-T bulk tabulated on a grid:
// density, CDF and the classical location of the top eigenvalue at a given d,
// each with a standard error from the independent replicas (docs/finite_t.md).
//
// Grid: x_i = x_max u_i^2, u_i = i/n (dense near 0, where a hard edge makes the
// density grow like x^{-1/2}: in u the integrand rho(x) dx/du = 2 x_max u rho is
// then bounded). The mass above x is the trapezoidal integral in u from x to
// x_max, computed for each replica's curve separately; CDF(x) = 1 - mass above x
// (whatever is not in (0, x_max] is the atom at 0), so the upper tail, which
// decides the top eigenvalue, never carries the quadrature error of a hard edge.
// The classical location of the k-th largest of d eigenvalues is the x with
// 1 - CDF(x) = (k - 1/2)/d; for k = 1 it is the "effective top edge" at d.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "attnrmt/finite_t/token_bulk.hpp"
#include "attnrmt/mc/statistics.hpp"

namespace attnrmt::finite_t {

class TabulatedLaw {
 public:
  /// Tabulates `law` on n >= 8 points up to x_max > 0 (unit kappa). With
  /// x_min > 0 only the tail [x_min, x_max] is tabulated (u from sqrt(x_min/x_max)
  /// to 1): enough for the top location and for the CDF at x >= x_min, and the
  /// whole grid's resolution goes to the tail; mass() is then the tail's mass.
  TabulatedLaw(const TokenBulkLaw& law, double x_max, std::size_t n, std::uint64_t stream = 0,
               int threads = 1, double x_min = 0)
      : x_max_(x_max), x_min_(x_min) {
    if (!(x_max > 0) || !std::isfinite(x_max))
      throw std::invalid_argument("x_max must be a finite number > 0");
    if (!(x_min >= 0) || !(x_min < x_max))
      throw std::invalid_argument("x_min must be in [0, x_max)");
    if (n < 8) throw std::invalid_argument("grid size must be >= 8");
    const double u0 = std::sqrt(x_min / x_max);
    std::vector<cplx> zs;
    for (std::size_t i = x_min > 0 ? 0 : 1; i <= n; ++i) {
      const double u = u0 + (1 - u0) * static_cast<double>(i) / static_cast<double>(n);
      u_.push_back(u);
      x_.push_back(x_max * u * u);
      zs.emplace_back(x_.back(), law.settings().eta);
    }
    const auto runs = law.cauchy_replicas(zs, stream, threads);
    const double pi = 3.141592653589793238462643383279502884;
    for (const auto& run : runs) {
      std::vector<double> rho, above(u_.size(), 0.0);
      for (const auto& g : run) rho.push_back(std::max(0.0, -g.imag() / pi));
      // Mass above x_i: trapezoid in u of 2 x_max u rho, from u_i to 1.
      for (std::size_t i = u_.size() - 1; i-- > 0;) {
        const double a = 2 * x_max * u_[i] * rho[i], b = 2 * x_max * u_[i + 1] * rho[i + 1];
        above[i] = above[i + 1] + 0.5 * (a + b) * (u_[i + 1] - u_[i]);
      }
      // [0, x_1]: the integrand vanishes at u = 0 for a soft edge (trapezoid with 0).
      mass_.push_back(x_min > 0 ? above[0] : above[0] + 0.5 * (2 * x_max * u_[0] * rho[0]) * u_[0]);
      density_runs_.push_back(std::move(rho));
      above_runs_.push_back(std::move(above));
    }
  }

  const std::vector<double>& x() const { return x_; }
  double x_max() const { return x_max_; }

  /// Density at grid point i: mean and standard error over replicas.
  mc::MeanAndError density(std::size_t i) const { return over_replicas(density_runs_, i); }
  /// CDF at grid point i.
  mc::MeanAndError cdf(std::size_t i) const {
    auto m = over_replicas(above_runs_, i);
    m.mean = 1 - m.mean;
    return m;
  }
  /// ∫ x^k rho(x) dx over the grid (trapezoid in u), per replica: mean and error.
  mc::MeanAndError moment(int k) const {
    std::vector<double> v;
    for (const auto& rho : density_runs_) {
      double sum = 0;
      for (std::size_t i = 0; i + 1 < u_.size(); ++i) {
        const double a = std::pow(x_[i], k) * 2 * x_max_ * u_[i] * rho[i];
        const double b = std::pow(x_[i + 1], k) * 2 * x_max_ * u_[i + 1] * rho[i + 1];
        sum += 0.5 * (a + b) * (u_[i + 1] - u_[i]);
      }
      v.push_back(sum);
    }
    return mc::mean_and_standard_error(v);
  }

  /// Mass of the continuous part found in (0, x_max].
  mc::MeanAndError mass() const { return mc::mean_and_standard_error(mass_); }

  /// CDF at any x in [0, x_max] (linear interpolation in u between grid points;
  /// 1 beyond x_max, where the grid found no mass).
  mc::MeanAndError cdf_at(double x) const {
    auto m = mc::mean_and_standard_error(above_at_runs(x));
    m.mean = 1 - m.mean;
    return m;
  }

  /// Classical location of the k-th largest eigenvalue among d:
  /// 1 - CDF(x) = (k - 1/2)/d, or nothing when the grid's tail mass never falls
  /// that low (x_max too small) or the level lies below the grid.
  std::optional<mc::MeanAndError> top_location(double d, int k = 1) const {
    if (!(d >= 1)) throw std::invalid_argument("d must be >= 1");
    if (k < 1) throw std::invalid_argument("k must be >= 1");
    const double level = (k - 0.5) / d;
    std::vector<double> where;
    for (const auto& above : above_runs_) {
      if (above.back() > level) return std::nullopt;
      std::size_t i = 0;
      while (i + 1 < above.size() && above[i + 1] > level) ++i;
      if (above[i] < level) return std::nullopt;  // the mass above x_1 is below the level
      const double t = (above[i] - level) / (above[i] - above[i + 1]);
      const double u = u_[i] + t * (u_[i + 1] - u_[i]);
      where.push_back(x_max_ * u * u);
    }
    return mc::mean_and_standard_error(where);
  }

 private:
  static mc::MeanAndError over_replicas(const std::vector<std::vector<double>>& runs,
                                        std::size_t i) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.at(i));
    return mc::mean_and_standard_error(v);
  }
  std::vector<double> above_at_runs(double x) const {
    std::vector<double> out;
    if (x < x_min_) throw std::invalid_argument("cdf_at: x below the tabulated range (x_min)");
    const double u = std::sqrt(std::clamp(x, 0.0, x_max_) / x_max_);
    for (std::size_t r = 0; r < above_runs_.size(); ++r) {
      const auto& above = above_runs_[r];
      if (u <= u_[0]) {  // inside [0, x_1]: the first panel, linear in u from the total
        const double t = u / u_[0];
        out.push_back(mass_[r] + t * (above[0] - mass_[r]));
        continue;
      }
      std::size_t i =
          static_cast<std::size_t>(std::upper_bound(u_.begin(), u_.end(), u) - u_.begin() - 1);
      if (i + 1 >= u_.size()) {
        out.push_back(above.back());
        continue;
      }
      const double t = (u - u_[i]) / (u_[i + 1] - u_[i]);
      out.push_back(above[i] + t * (above[i + 1] - above[i]));
    }
    return out;
  }

  double x_max_, x_min_;
  std::vector<double> u_, x_, mass_;
  std::vector<std::vector<double>> density_runs_, above_runs_;
};

}  // namespace attnrmt::finite_t
