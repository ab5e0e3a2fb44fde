// attnrmt/correlation/positional_correlation.hpp -- the positional correlation R
// of token classes and its generators (docs/theory.md §4).
//
// R_st = E[y_s y_t] for the classes y_1..y_T in {+1,-1} of one sequence;
// R is symmetric, has unit diagonal, entries in [-1, 1] and is positive
// semidefinite. Generators (spec strings):
//   identity            R = I (independent classes);
//   latent:P1,...,PT    sequence label c = +-1, y_t = c with probability
//                       (1 + p_t)/2:  R = p p^T + diag(1 - p^2), p_t in [-1, 1];
//   latent-exp:A,L      latent with p_t = A exp(-(t-1)/L), A in [-1, 1], L > 0;
//   markov:R            y_{t+1} = y_t with probability (1 + r)/2:  R_st = r^|s-t|;
//   file:PATH           a T x T matrix (whitespace/comma separated numbers,
//                       '#' comments; correlation/number_file.hpp), sampled by a
//                       Gaussian copula (correlation/class_sampler.hpp).
// Parameters are exact rationals; entries<Real>() evaluates R at any working
// precision, matrix() in double; top_eigenpair<Real>() is in
// correlation/top_eigenpair.hpp, the samplers in correlation/class_sampler.hpp.
// Errors name the mathematical parameters ("corr markov: r = 2 ...",
// "T: ..."), never a command-line option: the CLI adds the option's name.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/correlation/class_sampler.hpp"
#include "attnrmt/correlation/number_file.hpp"
#include "attnrmt/correlation/spec_text.hpp"
#include "attnrmt/correlation/top_eigenpair.hpp"
#include "attnrmt/detail/spec_syntax.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt {

/// The longest sequence the theory commands accept: R is a dense T x T matrix
/// and the weights a T-vector at the working precision (up to 1000 digits).
constexpr long max_sequence_length = 10000;

class PositionalCorrelation {
 public:
  enum class Kind { identity, latent, latent_exp, markov, file };

  /// spec: identity | latent:P1,P2,... | latent-exp:A,L | markov:R | file:PATH.
  /// T = sequence length (T >= 1); T = 0 infers it from latent:... or file:...
  /// Throws std::invalid_argument naming the offending entry or eigenvalue.
  static PositionalCorrelation from_spec(const std::string& spec, int T) {
    PositionalCorrelation c;
    c.spec_ = spec;
    const detail::SpecSyntax syntax = detail::split_spec(spec);
    const std::string& head = syntax.head;
    const std::string& arg = syntax.args;
    auto need_T = [&]() {
      if (T < 1)
        throw std::invalid_argument("T: the sequence length must be an integer >= 1 for corr " +
                                    head + " (got " + std::to_string(T) + ")");
    };
    if (T < 0)
      throw std::invalid_argument("T must be >= 1, or 0 to infer it (got " + std::to_string(T) +
                                  ")");
    if (head == "identity" && !syntax.has_args) {
      need_T();
      c.kind_ = Kind::identity;
      c.T_ = T;
    } else if (head == "latent") {
      c.kind_ = Kind::latent;
      auto items = detail::split_items(arg);
      for (std::size_t i = 0; i < items.size(); ++i) {
        std::string name = "corr latent: p_" + std::to_string(i + 1);
        Rational p = parse_rational(items[i], name);
        if (p < -1 || p > 1)
          throw std::invalid_argument(name + " = " + items[i] +
                                      " is outside the valid range [-1, 1]");
        c.params_.push_back(p);
      }
      int n = static_cast<int>(c.params_.size());
      if (T != 0 && n != T)
        throw std::invalid_argument("corr latent: the profile has " + std::to_string(n) +
                                    " entries but T is " + std::to_string(T));
      c.T_ = n;
    } else if (head == "latent-exp") {
      need_T();
      c.kind_ = Kind::latent_exp;
      auto items = detail::split_items(arg);
      if (items.size() != 2)
        throw std::invalid_argument("corr latent-exp:A,L takes two numbers (got '" + arg + "')");
      Rational a = parse_rational(items[0], "corr latent-exp: amplitude A");
      Rational l = parse_rational(items[1], "corr latent-exp: decay length L");
      if (a < -1 || a > 1)
        throw std::invalid_argument("corr latent-exp: amplitude A = " + items[0] +
                                    " is outside the valid range [-1, 1]");
      if (l <= 0)
        throw std::invalid_argument("corr latent-exp: decay length L = " + items[1] +
                                    " must be > 0");
      c.params_ = {a, l};
      c.T_ = T;
    } else if (head == "markov") {
      need_T();
      c.kind_ = Kind::markov;
      Rational r = parse_rational(arg, "corr markov: r");
      if (r < -1 || r > 1)
        throw std::invalid_argument("corr markov: r = " + arg +
                                    " is outside the valid range [-1, 1]");
      c.params_ = {r};
      c.T_ = T;
    } else if (head == "file") {
      c.kind_ = Kind::file;
      auto rows = detail::read_number_file(arg, "corr file");
      int n = static_cast<int>(rows.size());
      if (n == 0) throw std::invalid_argument("corr file: '" + arg + "' holds no numbers");
      if (T != 0 && n != T)
        throw std::invalid_argument("corr file: '" + arg + "' has " + std::to_string(n) +
                                    " rows but T is " + std::to_string(T));
      for (int i = 0; i < n; ++i) {
        if (static_cast<int>(rows[i].size()) != n)
          throw std::invalid_argument("corr file: row " + std::to_string(i + 1) + " of '" + arg +
                                      "' has " + std::to_string(rows[i].size()) + " entries; a " +
                                      std::to_string(n) + " x " + std::to_string(n) +
                                      " matrix is required");
        for (auto& x : rows[i]) c.params_.push_back(x);
      }
      c.T_ = n;
      c.validate_file_matrix();
    } else {
      throw std::invalid_argument(
          "corr must be identity, latent:P1,P2,..., latent-exp:A,L, markov:R or file:PATH (got "
          "'" +
          spec + "')");
    }
    c.matrix_ = c.entries_matrix();
    if (c.kind_ == Kind::file) c.check_psd();
    c.prepare_sampler();
    return c;
  }

  int length() const { return T_; }
  Kind kind() const { return kind_; }
  const std::string& spec() const { return spec_; }
  /// R in double.
  const Eigen::MatrixXd& matrix() const { return matrix_; }

  /// R_st (0-based s, t) at the working precision of Real.
  template <class Real>
  std::vector<Real> entries() const {
    const int n = T_;
    std::vector<Real> r(static_cast<std::size_t>(n) * n);
    switch (kind_) {
      case Kind::identity:
        for (int i = 0; i < n; ++i) r[i * n + i] = 1;
        break;
      case Kind::latent:
      case Kind::latent_exp: {
        std::vector<Real> p = profile<Real>();
        for (int s = 0; s < n; ++s)
          for (int t = 0; t < n; ++t) r[s * n + t] = s == t ? Real(1) : Real(p[s] * p[t]);
        break;
      }
      case Kind::markov: {
        const Real rr = to_real<Real>(params_[0]);
        std::vector<Real> powers(n);
        powers[0] = 1;
        for (int k = 1; k < n; ++k) powers[k] = powers[k - 1] * rr;
        for (int s = 0; s < n; ++s)
          for (int t = 0; t < n; ++t) r[s * n + t] = powers[s > t ? s - t : t - s];
        break;
      }
      case Kind::file:
        for (int i = 0; i < n * n; ++i) r[i] = to_real<Real>(params_[i]);
        break;
    }
    return r;
  }

  /// The latent signal profile p_1..p_T (latent and latent-exp only).
  template <class Real>
  std::vector<Real> profile() const {
    using std::exp;
    std::vector<Real> p(T_);
    if (kind_ == Kind::latent) {
      for (int t = 0; t < T_; ++t) p[t] = to_real<Real>(params_[t]);
    } else if (kind_ == Kind::latent_exp) {
      const Real a = to_real<Real>(params_[0]), l = to_real<Real>(params_[1]);
      for (int t = 0; t < T_; ++t) p[t] = a * exp(-Real(t) / l);
    } else {
      throw std::invalid_argument("corr " + spec_ + " has no latent signal profile");
    }
    return p;
  }

  /// lambda_max(R) and its eigenvector at the working precision of Real
  /// (correlation/top_eigenpair.hpp: Eigen's double eigenpair refined by
  /// Rayleigh-quotient iteration in Real). When the top eigenvalue is
  /// (numerically) repeated, the answer is the projection of the all-ones
  /// vector onto the top eigenspace (identity -> mean pooling).
  template <class Real>
  TopEigenpair<Real> top_eigenpair() const {
    return refined_top_eigenpair<Real>(matrix_, entries<Real>());
  }

  /// One sequence's token classes y_1..y_T in {+1,-1} with E[y_s y_t] = R_st
  /// and balanced marginals (correlation/class_sampler.hpp). Throws
  /// std::domain_error when !samplable().
  template <class Engine>
  void sample_classes(Engine& rng, std::vector<int>& classes) const {
    sampler_(rng, classes);
  }

  bool samplable() const { return sampler_.samplable(); }
  /// How the sampler realises R (or why it cannot).
  std::string sampler_note() const { return sampler_.note(); }

 private:
  Eigen::MatrixXd entries_matrix() const {
    std::vector<double> e = entries<double>();
    Eigen::MatrixXd m(T_, T_);
    for (int s = 0; s < T_; ++s)
      for (int t = 0; t < T_; ++t) m(s, t) = e[s * T_ + t];
    return m;
  }

  std::string entry_name(int s, int t) const {
    return "R(" + std::to_string(s + 1) + "," + std::to_string(t + 1) + ")";
  }

  void validate_file_matrix() const {
    const int n = T_;
    for (int s = 0; s < n; ++s) {
      if (params_[s * n + s] != 1)
        throw std::invalid_argument("corr file: diagonal entry " + entry_name(s, s) + " = " +
                                    rational_to_string(params_[s * n + s]) + " must be 1");
      for (int t = 0; t < n; ++t) {
        const Rational& x = params_[s * n + t];
        if (x < -1 || x > 1)
          throw std::invalid_argument("corr file: entry " + entry_name(s, t) + " = " +
                                      rational_to_string(x) + " is outside [-1, 1]");
        if (x != params_[t * n + s])
          throw std::invalid_argument("corr file: not symmetric: " + entry_name(s, t) + " = " +
                                      rational_to_string(x) + " but " + entry_name(t, s) + " = " +
                                      rational_to_string(params_[t * n + s]));
      }
    }
  }

  void check_psd() const {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(matrix_, Eigen::EigenvaluesOnly);
    const double lo = es.eigenvalues()(0);
    if (lo < -1e-10 * T_)
      throw std::invalid_argument(
          "corr file: R is not positive semidefinite: smallest eigenvalue " +
          detail::format_double(lo) + " < 0");
  }

  void prepare_sampler() {
    switch (kind_) {
      case Kind::identity:
        sampler_ = TokenClassSampler::independent(T_);
        break;
      case Kind::latent:
      case Kind::latent_exp:
        sampler_ = TokenClassSampler::latent(profile<double>());
        break;
      case Kind::markov:
        sampler_ = TokenClassSampler::markov(T_, params_[0].convert_to<double>());
        break;
      case Kind::file:
        sampler_ = TokenClassSampler::copula(matrix_);
        break;
    }
  }

  Kind kind_ = Kind::identity;
  int T_ = 0;
  std::string spec_;
  std::vector<Rational> params_;  ///< latent: p; latent-exp: A, L; markov: r; file: R row-major
  Eigen::MatrixXd matrix_;
  TokenClassSampler sampler_;
};

}  // namespace attnrmt
