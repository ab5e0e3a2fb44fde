// attnrmt/weights.hpp -- pooling weights w and the scalars alpha, kappa, sigma (docs/theory.md §4).
//
//   alpha = w^T R w,   kappa = ||w||^2,   sigma = sum_t w_t;   alpha/kappa is the
//   Rayleigh quotient of R at w, the only quantity the spike depends on.
// Schemes (spec strings):
//   mean          w_t = 1/T;
//   causal[:TAU]  parameter-free causal self-attention with score scaling tau/d,
//                 averaged over queries: w_s = (1/T)[e^tau/(s-1+e^tau)
//                 + sum_{t=s+1}^T 1/(t-1+e^tau)]; tau = 0 (default): harmonic
//                 w_s = (H_T - H_{s-1})/T, exact rationals; sum_s w_s = 1;
//   last[:TAU]    last-token readout of the same attention: w_s = 1/(T-1+e^tau)
//                 for s < T, e^tau/(T-1+e^tau) for s = T;
//   optimal       top eigenvector of R (maximises alpha/kappa = lambda_max(R)),
//                 normalised to sum 1 when its entries have one sign, otherwise
//                 to unit norm with a positive sum (reported in `normalisation`);
//   file:PATH     weights from a text/CSV file (T numbers).
// Which scheme wins: docs/causal_vs_mean.md.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/correlation.hpp"
#include "attnrmt/detail/spec_syntax.hpp"
#include "attnrmt/rational.hpp"
#include "attnrmt/token_model_reach.hpp"

namespace attnrmt {

class PoolingScheme {
 public:
  enum class Kind { mean, causal, optimal, last, file };

  /// mean | causal[:TAU] | optimal | last[:TAU] | file:PATH (detail/spec_syntax.hpp).
  /// Throws std::invalid_argument on anything else; the message starts with
  /// "pooling" (the parameter), e.g. "pooling causal: tau must be in [-10000,
  /// 10000] (got 20000)"; the CLI adds the option's name.
  static PoolingScheme parse(const std::string& spec) {
    const std::string forms = "mean, causal[:TAU], optimal, last[:TAU] or file:PATH";
    PoolingScheme p;
    p.spec_ = spec;
    const detail::SpecSyntax syntax = detail::split_spec(spec);
    const std::string& head = syntax.head;
    if (head == "mean") {
      syntax.require_no_args("pooling");
      p.kind_ = Kind::mean;
    } else if (head == "optimal") {
      syntax.require_no_args("pooling");
      p.kind_ = Kind::optimal;
    } else if (head == "causal" || head == "last") {
      p.kind_ = head == "causal" ? Kind::causal : Kind::last;
      const std::string what = "pooling " + head + ": tau";
      if (syntax.has_args) {
        const std::string& arg = syntax.require_args("pooling", head + "[:TAU]");
        p.tau_ = parse_rational(arg, what);
        if (p.tau_ > 10000 || p.tau_ < -10000)
          throw std::invalid_argument(what + " must be in [-10000, 10000] (got " + arg + ")");
      }
    } else if (head == "file") {
      p.kind_ = Kind::file;
      const std::string& path = syntax.require_args("pooling", "file:PATH");
      auto rows = detail::read_number_file(path, "pooling file");
      for (const auto& row : rows)
        for (const auto& x : row) p.file_weights_.push_back(x);
      if (p.file_weights_.empty())
        throw std::invalid_argument("pooling file: '" + path + "' holds no numbers");
      bool nonzero = false;
      for (const auto& x : p.file_weights_) nonzero = nonzero || x != 0;
      if (!nonzero)
        throw std::invalid_argument("pooling file: the weights in '" + path + "' are all 0");
    } else {
      throw std::invalid_argument("pooling must be " + forms + " (got '" + spec + "')");
    }
    return p;
  }

  Kind kind() const { return kind_; }
  const std::string& spec() const { return spec_; }
  const Rational& tau() const { return tau_; }
  const std::vector<Rational>& file_weights() const { return file_weights_; }

 private:
  Kind kind_ = Kind::mean;
  std::string spec_;
  Rational tau_ = 0;
  std::vector<Rational> file_weights_;
};

/// Causal (query-averaged) weights at score scaling tau, length T; sum = 1.
template <class Real>
std::vector<Real> causal_weights(int T, const Real& tau) {
  using std::exp;
  if (T < 1) throw std::invalid_argument("T must be >= 1 (got " + std::to_string(T) + ")");
  const Real e = exp(tau);
  // tail[s] = sum_{t=s+1}^{T} 1/(t-1+e^tau), accumulated from the end (1-based s).
  std::vector<Real> w(T);
  Real tail = 0;
  for (int s = T; s >= 1; --s) {
    w[s - 1] = (e / (Real(s - 1) + e) + tail) / Real(T);
    tail += 1 / (Real(s - 1) + e);
  }
  return w;
}

/// Harmonic weights (tau = 0) as exact rationals: w_s = (H_T - H_{s-1})/T.
inline std::vector<Rational> harmonic_weights_exact(int T) {
  if (T < 1) throw std::invalid_argument("T must be >= 1 (got " + std::to_string(T) + ")");
  std::vector<Rational> w(T);
  Rational tail = 0;
  for (int s = T; s >= 1; --s) {
    tail += Rational(1, s);
    w[s - 1] = tail / T;
  }
  return w;
}

/// Last-token readout weights at score scaling tau; sum = 1.
template <class Real>
std::vector<Real> last_token_weights(int T, const Real& tau) {
  using std::exp;
  if (T < 1) throw std::invalid_argument("T must be >= 1 (got " + std::to_string(T) + ")");
  const Real e = exp(tau);
  const Real den = Real(T - 1) + e;
  std::vector<Real> w(T, Real(1 / den));
  w[T - 1] = e / den;
  return w;
}

template <class Real>
struct SchemeSummary {
  std::vector<Real> weights;
  Real alpha, kappa, alpha_over_kappa, sigma;
  /// Concentration of the weights (docs/finite_t.md): the largest share of
  /// kappa carried by one position, max_t w_t^2 / kappa, and the effective
  /// number of tokens (participation ratio) kappa^2 / sum_t w_t^4, which is T
  /// for mean pooling and tends to 1 when one position carries all the weight.
  Real max_weight_share, effective_tokens;
  std::string normalisation;  ///< "sum 1" or "unit norm"
};

/// alpha, kappa, sigma of explicit weights w against R (entries row-major).
template <class Real>
SchemeSummary<Real> summarise_weights(std::vector<Real> w, const std::vector<Real>& r) {
  const int n = static_cast<int>(w.size());
  SchemeSummary<Real> out;
  out.alpha = 0;
  out.kappa = 0;
  out.sigma = 0;
  Real largest_square = 0;
  for (int s = 0; s < n; ++s) {
    Real row = 0;
    for (int t = 0; t < n; ++t) row += r[s * n + t] * w[t];
    out.alpha += w[s] * row;
    const Real square = w[s] * w[s];
    out.kappa += square;
    out.sigma += w[s];
    if (square > largest_square) largest_square = square;
  }
  out.alpha_over_kappa = out.alpha / out.kappa;
  out.max_weight_share = largest_square / out.kappa;
  out.effective_tokens = effective_number_of_tokens(w);
  out.weights = std::move(w);
  return out;
}

/// Weights of `scheme` for the correlation `corr` and their alpha, kappa,
/// alpha/kappa, sigma, at the working precision of Real.
template <class Real>
SchemeSummary<Real> evaluate_scheme(const PoolingScheme& scheme,
                                    const PositionalCorrelation& corr) {
  using std::abs;
  const int T = corr.length();
  std::vector<Real> w;
  std::string normalisation = "sum 1";
  switch (scheme.kind()) {
    case PoolingScheme::Kind::mean:
      w.assign(T, Real(1) / Real(T));
      break;
    case PoolingScheme::Kind::causal:
      if (scheme.tau() == 0) {
        for (const auto& x : harmonic_weights_exact(T)) w.push_back(to_real<Real>(x));
      } else {
        w = causal_weights<Real>(T, to_real<Real>(scheme.tau()));
      }
      break;
    case PoolingScheme::Kind::last:
      w = last_token_weights<Real>(T, to_real<Real>(scheme.tau()));
      break;
    case PoolingScheme::Kind::file: {
      const auto& fw = scheme.file_weights();
      if (static_cast<int>(fw.size()) != T)
        throw std::invalid_argument("pooling " + scheme.spec() + ": the file holds " +
                                    std::to_string(fw.size()) + " weights but T is " +
                                    std::to_string(T));
      for (const auto& x : fw) w.push_back(to_real<Real>(x));
      normalisation = "as given";
      break;
    }
    case PoolingScheme::Kind::optimal: {
      TopEigenpair<Real> top = corr.top_eigenpair<Real>();
      w = top.vector;  // unit norm, positive sum (see TopEigenpair)
      Real largest = 0, sum = 0;
      for (const auto& x : w) {
        largest = std::max<Real>(largest, abs(x));
        sum += x;
      }
      // One sign: no entry below -tol (Perron vector of a nonnegative R). The
      // refined vector has residual ~16 T eps max|R| (top_eigenpair), so an
      // entry is known to about that over the spectral gap: a true zero comes
      // out as +-(a few eps), a genuinely negative entry is -O(its size).
      // tol = eps^(3/4) |w|_max sits between the two for any gap above
      // ~eps^(1/4) (relative), in every precision (1.8e-12 in double, ~1e-38
      // at 50 digits); a smaller gap makes the top eigenvector ill-determined.
      using std::sqrt;
      const Real eps = detail::type_epsilon<Real>();
      const Real tol = largest * sqrt(eps) * sqrt(sqrt(eps));
      bool one_sign = true;
      for (const auto& x : w) one_sign = one_sign && x >= -tol;
      if (one_sign && sum > 0) {
        for (auto& x : w) x /= sum;
      } else {
        normalisation = "unit norm";
      }
      SchemeSummary<Real> out = summarise_weights<Real>(std::move(w), corr.entries<Real>());
      // The Rayleigh quotient at the refined eigenvector is lambda_max(R).
      out.alpha_over_kappa = top.eigenvalue;
      out.normalisation = normalisation;
      return out;
    }
  }
  SchemeSummary<Real> out = summarise_weights<Real>(std::move(w), corr.entries<Real>());
  out.normalisation = normalisation;
  return out;
}

/// Pooling weights in double for a scheme spec (API for the Monte Carlo validator).
inline std::vector<double> pooling_weights(const std::string& spec,
                                           const PositionalCorrelation& R) {
  return evaluate_scheme<double>(PoolingScheme::parse(spec), R).weights;
}

}  // namespace attnrmt
