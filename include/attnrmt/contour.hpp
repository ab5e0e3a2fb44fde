// attnrmt/contour.hpp -- spectral integrals as contour integrals (trapezoidal rule).
//
// Maths. For a probability measure mu on [0, inf) with Cauchy transform
// g(z) = ∫ dmu(t)/(z - t) and f analytic on and inside a closed contour Gamma
// (counter-clockwise) that encloses the support of mu,
//   ∫ f(t) dmu(t) = (1/2πi) ∮_Gamma f(z) g(z) dz                  (residues/Cauchy).
// Contour: the Bernstein ellipse of parameter rho > 1 around the interval
// [lo, hi] that holds the support, c = (lo+hi)/2, h = (hi-lo)/2:
//   z(θ) = c + (h/2)(rho e^{iθ} + e^{-iθ}/rho),   θ in [0, 2π).
// The integrand F(θ) = f(z) g(z) z'(θ) is 2π-periodic; in w = e^{iθ} it is
// analytic in the annulus 1/rho < |w| < rho_f/rho, where rho_f is the Bernstein
// parameter |u + sqrt(u-1) sqrt(u+1)|, u = (s-c)/h, of the nearest singularity
// s of f (the support, |rho w| = 1, bounds the inner radius). The N-point
// trapezoidal rule therefore has error O(r^{-N}) with
//   r = min(rho, rho_f/rho)   (Trefethen & Weideman, SIAM Rev. 56 (2014), §3),
// maximal at rho = sqrt(rho_f). The code takes rho = min(sqrt(rho_f), max_rho);
// max_rho (default 3) bounds the growth of entire f on the contour (rounding).
// r is a lower bound on the observed rate: it is attained when a pole of f
// limits the ellipse, and exceeded otherwise, because g continues analytically
// across the support in the Joukowski variable (the square-root edges unfold).
// Nodes are doubled (old nodes are reused) until two successive sums agree to
// the tolerance; the error estimate is |T_2N - T_N|, which bounds the error of
// T_N; the returned value is T_2N (whose error is ~ r^{-N} times smaller).
//
// Second contour (the log-ellipse), for an interval [lo, hi] with lo > 0: the
// same construction in p = log z around [log lo, log hi], mapped back by
// z = e^p (dz = z dp). The point 0 (the branch point of log, the pole of g from
// an atom) goes to p = -inf and no longer limits rho; the line Im p = pi (the
// negative real axis, where principal-branch f are cut) does. When lo is close
// to 0 (e.g. delta = gamma = 1/2: [0.028, 4.41]) this raises the predicted
// rate for log from 1.08 to 1.69 per node (observed: 3.3).
//
// The atom at 0 (mass max(0, 1-1/delta, 1-1/gamma) for the bulk law). With
// include_atom (default) it contributes mass * f(0), so f must be analytic at
// 0; two contours do that: (A) the ellipse around [0, hi], or (B) a contour
// (ellipse or log-ellipse) around the continuous support [left_edge, hi] that
// leaves the pole of g at 0 outside, plus the residue mass * f(0); B also
// works when f has a singularity in the gap (0, left_edge). Without
// include_atom only B without the residue remains, which needs a soft left
// edge (left_edge > 0). ContourShape::automatic takes the admissible candidate
// with the largest predicted rate. A singularity of f on the interval a
// contour must enclose leaves no admissible contour: std::invalid_argument
// says which point and interval. Branch points are allowed when their cut runs
// along the real axis away from the interval (e.g. log: cut (-inf, 0], lo > 0).
//
// Measure concept: cauchy(Complex<Real>) off the support, atom(), left_edge()
// (0 for a hard edge), right_edge() -- BulkLaw<Real> (bulk_law.hpp) and
// MarchenkoPastur<Real> (marchenko_pastur.hpp).
#pragma once

#include <boost/math/constants/constants.hpp>
#include <boost/math/tools/precision.hpp>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/complex.hpp"
#include "attnrmt/detail/polynomial.hpp"

namespace attnrmt {

/// ellipse: Bernstein ellipse in z. log_ellipse: Bernstein ellipse in log z
/// mapped by exp (needs a soft left edge). automatic: the admissible contour
/// with the largest predicted rate.
enum class ContourShape { automatic, ellipse, log_ellipse };

template <class Real>
struct ContourOptions {
  ContourShape shape = ContourShape::automatic;
  /// Relative tolerance on |T_2N - T_N|; 0 means 16 * epsilon of Real.
  Real tolerance = 0;
  long min_nodes = 16;
  long max_nodes = 1L << 17;
  /// Enclose the atom at 0 (integrate against the whole law) or only the continuous part.
  bool include_atom = true;
  /// f(conj z) = conj f(z): evaluate the upper half of the ellipse only (the
  /// result is then real; half the work).
  bool real_on_real_axis = false;
  /// Largest Bernstein parameter used (bounds the growth of entire f on the contour).
  Real max_rho = 3;
  /// Keep every partial sum T_N (for convergence studies).
  bool keep_history = false;
};

template <class Real>
struct ContourStep {
  long nodes;
  Complex<Real> value;  ///< T_N
};

template <class Real>
struct ContourResult {
  Complex<Real> value;     ///< T_N at the final node count
  Real error_estimate{0};  ///< max(|T_N - T_{N/2}|, rounding floor)
  Real rounding_floor{0};  ///< 32 eps (1/N) sum |F_j|: the attainable absolute accuracy
  long nodes{0};
  bool converged{false};   ///< tolerance (or the rounding floor) reached within max_nodes
  Real rho{0};             ///< Bernstein parameter of the ellipse used
  Real rho_limit{0};       ///< of the nearest singularity (max_value when there is none)
  Real predicted_rate{0};  ///< r in error ~ r^{-N} (a lower bound on the observed rate)
  Real lo{0}, hi{0};       ///< interval enclosed by the contour
  ContourShape shape{ContourShape::ellipse};  ///< the contour used
  bool atom_by_residue{false};  ///< the atom at 0 was added as mass * f(0), outside the contour
  std::vector<ContourStep<Real>> history;
};

namespace detail {
template <class Real>
std::string contour_number(const Real& x) {
  std::ostringstream s;
  s.precision(10);
  s << static_cast<double>(x);
  return s.str();
}
}  // namespace detail

/// Bernstein parameter of z for the interval [lo, hi]: the rho >= 1 of the
/// confocal ellipse through z (1 on the interval itself).
template <class Real>
Real bernstein_parameter(const Complex<Real>& z, const Real& lo, const Real& hi) {
  const Real c = (lo + hi) / 2, h = (hi - lo) / 2;
  Complex<Real> u = (z - c) / h;
  Complex<Real> w = u + attnrmt::sqrt(u - Real(1)) * attnrmt::sqrt(u + Real(1));
  Real r = attnrmt::abs(w);
  return r < 1 ? Real(1) / r : r;
}

/// ∫ f dmu as (1/2πi) ∮ f g dz on a Bernstein ellipse (see the header comment).
/// `singularities`: every point where f is not analytic (poles, branch points).
/// Throws std::invalid_argument when no admissible contour exists; slow or
/// failed convergence is reported in the result (converged = false).
template <class Real, class Measure, class F>
ContourResult<Real> contour_integral(const Measure& mu, F&& f,
                                     const std::vector<Complex<Real>>& singularities,
                                     const ContourOptions<Real>& opts = ContourOptions<Real>()) {
  using C = Complex<Real>;
  using std::abs;
  using std::cos;
  using std::log;
  using std::sin;
  using std::sqrt;
  if (opts.min_nodes < 4 || opts.max_nodes < opts.min_nodes)
    throw std::invalid_argument("contour: need 4 <= min_nodes <= max_nodes (got " +
                                std::to_string(opts.min_nodes) + ", " +
                                std::to_string(opts.max_nodes) + ")");
  if (!(opts.max_rho > 1))
    throw std::invalid_argument("contour: max_rho must be > 1 (got " +
                                detail::contour_number(opts.max_rho) + ")");
  const Real eps = detail::type_epsilon<Real>();
  const Real tol = opts.tolerance > 0 ? opts.tolerance : Real(16 * eps);
  const Real atom = mu.atom();
  const bool mass_at_zero = atom > 0;

  ContourResult<Real> res;
  res.hi = mu.right_edge();
  const Real pi = boost::math::constants::pi<Real>();
  const Real left = mu.left_edge();
  const C zero(Real(0));

  // The best ellipse in a variable p (p = z, or p = log z) around [plo, phi]:
  // rho = min(sqrt(rho_f), max_rho), rate = min(rho, rho_f/rho).
  struct Plan {
    Real plo, phi, rho_limit, rho, rate;
    ContourShape shape;
    bool atom_by_residue;
  };
  auto plan = [&](const Real& plo, const Real& phi, const std::vector<C>& points,
                  ContourShape shape) {
    Plan pl{plo,   phi,  boost::math::tools::max_value<Real>(), opts.max_rho, opts.max_rho,
            shape, false};
    for (const C& s : points) {
      Real r = bernstein_parameter(s, plo, phi);
      if (r < pl.rho_limit) pl.rho_limit = r;
    }
    Real root = sqrt(pl.rho_limit);
    if (root < pl.rho) pl.rho = root;
    Real other = pl.rho_limit / pl.rho;
    pl.rate = other < pl.rho ? other : pl.rho;
    return pl;
  };
  // The first singularity on [lo, hi], if any, as an error message.
  auto blocked = [&](const std::vector<C>& points, const Real& lo, const Real& hi) {
    for (const C& s : points) {
      if (bernstein_parameter(s, lo, hi) > 1 + 64 * eps) continue;
      std::ostringstream msg;
      msg << "no admissible contour: the integrand is singular at " << detail::contour_number(s.re);
      if (s.im != 0) msg << (s.im > 0 ? "+" : "") << detail::contour_number(s.im) << "i";
      msg << ", on the interval [" << detail::contour_number(lo) << ", "
          << detail::contour_number(hi) << "] that the contour must enclose";
      return msg.str();
    }
    return std::string();
  };

  // Candidate contours:
  //  (A) around [0, hi], enclosing the atom / hard edge at 0 (z-ellipse only);
  //  (B) around the continuous part [left, hi] (left > 0), with g's pole at 0
  //      outside; the atom then enters as its residue mass * f(0).
  std::vector<Plan> candidates;
  std::string failure;
  const bool hard = !(left > 0);
  if (hard || (opts.include_atom && mass_at_zero)) {
    if (hard && mass_at_zero && !opts.include_atom)
      throw std::invalid_argument(
          "no admissible contour: the continuous support reaches 0 (hard edge) where the law "
          "also has an atom, so no contour separates the atom from the continuous part");
    std::string why = blocked(singularities, Real(0), res.hi);
    if (!why.empty())
      failure = why;
    else if (opts.shape != ContourShape::log_ellipse)
      candidates.push_back(plan(Real(0), res.hi, singularities, ContourShape::ellipse));
  }
  if (!hard) {
    std::vector<C> avoid = singularities;
    if (mass_at_zero) avoid.push_back(zero);
    std::string why = blocked(singularities, left, res.hi);
    bool residue = opts.include_atom && mass_at_zero;
    if (why.empty() && residue)
      for (const C& s : singularities)
        if (s.re == 0 && s.im == 0)
          why = "no admissible contour: the integrand is singular at 0, where the law has an atom";
    if (!why.empty()) {
      if (failure.empty()) failure = why;
    } else {
      if (opts.shape != ContourShape::log_ellipse) {
        candidates.push_back(plan(left, res.hi, avoid, ContourShape::ellipse));
        candidates.back().atom_by_residue = residue;
      }
      if (opts.shape != ContourShape::ellipse) {
        // p = log z: the support maps to [log lo, log hi], 0 (g's pole, log's
        // branch point) to -inf; the contour stays inside |Im p| < pi, so the
        // image never crosses the negative real axis (where principal-branch f
        // such as log is cut); the line Im p = pi counts as a singularity.
        std::vector<C> mapped;
        for (const C& s : avoid) {
          if (s.re == 0 && s.im == 0) continue;
          mapped.push_back(attnrmt::log(s));
        }
        Real plo = log(left), phi = log(res.hi);
        mapped.push_back(C((plo + phi) / 2, pi));
        candidates.push_back(plan(plo, phi, mapped, ContourShape::log_ellipse));
        candidates.back().atom_by_residue = residue;
      }
    }
  }
  if (candidates.empty()) {
    if (failure.empty())
      failure = "contour: the log-ellipse needs a continuous part that starts above 0 (left edge " +
                detail::contour_number(left) + ")";
    throw std::invalid_argument(failure);
  }
  Plan chosen = candidates.front();
  for (const Plan& p : candidates)
    if (p.rate > chosen.rate) chosen = p;
  res.shape = chosen.shape;
  res.atom_by_residue = chosen.atom_by_residue;
  res.lo = chosen.shape == ContourShape::log_ellipse ? left : chosen.plo;
  res.rho_limit = chosen.rho_limit;
  res.rho = chosen.rho;
  res.predicted_rate = chosen.rate;
  const bool log_map = res.shape == ContourShape::log_ellipse;
  const Real c = (chosen.plo + chosen.phi) / 2, h = (chosen.phi - chosen.plo) / 2;
  const Real a_major = h * (res.rho + 1 / res.rho) / 2;
  const Real b_minor = h * (res.rho - 1 / res.rho) / 2;
  // p(θ) = c + a cosθ + i b sinθ, p'(θ) = -a sinθ + i b cosθ; z = p or z = e^p
  // (dz = z dp). The summand is A(θ) = f(z) g(z) z'(θ)/i, and T_N = (1/N) sum A.
  auto term = [&](const Real& theta) {
    Real ct = cos(theta), st = sin(theta);
    C z(c + a_major * ct, b_minor * st);
    C dz_over_i(b_minor * ct, a_major * st);
    if (log_map) {
      z = attnrmt::exp(z);
      dz_over_i = z * dz_over_i;
    }
    return f(z) * mu.cauchy(z) * dz_over_i;
  };

  // Node j of N sits at θ = 2π j/N. Symmetric mode sums Re A over θ in [0, π]
  // with weight 1 at 0 and π and 2 in between.
  const bool sym = opts.real_on_real_axis;
  const C residue = res.atom_by_residue ? C(atom * f(zero)) : C(0);
  C sum(0);
  Real abs_sum = 0;
  long n = opts.min_nodes;
  if (n % 2) ++n;
  for (long j = 0; j < n; ++j) {
    if (sym && j > n / 2) break;
    C a = term(2 * pi * j / n);
    Real wgt = (sym && j != 0 && j != n / 2) ? Real(2) : Real(1);
    if (sym) a = C(a.re);
    sum += wgt * a;
    abs_sum += wgt * attnrmt::abs(a);
  }
  C previous = sum / Real(n) + residue;
  Real last_diff = boost::math::tools::max_value<Real>();
  if (opts.keep_history) res.history.push_back({n, previous});
  while (true) {
    if (2 * n > opts.max_nodes) {
      res.value = previous;
      res.nodes = n;
      res.rounding_floor = 32 * eps * abs_sum / n;
      res.error_estimate = last_diff;
      res.converged = false;
      return res;
    }
    // New nodes: odd j of 2n.
    for (long j = 1; j < 2 * n; j += 2) {
      if (sym && j > n) break;
      C a = term(pi * j / n);
      Real wgt = sym ? Real(2) : Real(1);
      if (sym) a = C(a.re);
      sum += wgt * a;
      abs_sum += wgt * attnrmt::abs(a);
    }
    n *= 2;
    C current = sum / Real(n) + residue;
    if (opts.keep_history) res.history.push_back({n, current});
    Real diff = attnrmt::abs(current - previous);
    Real floor_value = 32 * eps * abs_sum / n;
    if (diff <= tol * attnrmt::abs(current) || diff <= floor_value) {
      res.value = current;
      res.nodes = n;
      res.rounding_floor = floor_value;
      res.error_estimate = diff > floor_value ? diff : floor_value;
      res.converged = true;
      return res;
    }
    previous = current;
    last_diff = diff;
  }
}

}  // namespace attnrmt
