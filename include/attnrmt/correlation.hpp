// attnrmt/correlation.hpp -- positional correlation R of token classes (docs/theory.md §4).
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
//                       '#' comments), sampled by a Gaussian copula
//                       y_t = sign(g_t), g ~ N(0, sin(pi R / 2)) (arcsine law:
//                       E[sign g_s sign g_t] = (2/pi) asin(Sigma_st) = R_st),
//                       possible only when sin(pi R / 2) is PSD.
// Parameters are exact rationals; entries<Real>() evaluates R at any working
// precision, matrix() in double. top_eigenpair<Real>() gives lambda_max(R) and
// its eigenvector at working precision: Eigen's double eigenpair refined by
// Rayleigh-quotient iteration in Real (cubic convergence; docs/weights.md).
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrmt/detail/polynomial.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt {

namespace detail {

inline std::string format_double(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

/// Splits on commas (empty items are kept so that they can be reported).
inline std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::string cur;
  for (char ch : text) {
    if (ch == ',') {
      items.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  items.push_back(cur);
  return items;
}

/// Largest number file read (weights, correlation matrices): 64 MiB.
constexpr std::size_t kMaxNumberFileBytes = std::size_t(64) << 20;

/// The numbers of a text/CSV file: separators are whitespace, ',' and ';';
/// '#' starts a comment. Returns rows (one per non-empty line). Files larger
/// than kMaxNumberFileBytes (or endless, like /dev/zero) and binary files are
/// refused; error messages name the file, line and item but never quote the
/// file's contents (the file may be one the user did not mean to print).
inline std::vector<std::vector<Rational>> read_number_file(const std::string& path,
                                                           const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(what + ": cannot open file '" + path + "'");
  std::string text;
  {
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      if (text.size() + static_cast<std::size_t>(in.gcount()) > kMaxNumberFileBytes)
        throw std::invalid_argument(what + ": '" + path + "' is larger than the limit of " +
                                    std::to_string(kMaxNumberFileBytes >> 20) + " MiB");
      text.append(buf, static_cast<std::size_t>(in.gcount()));
    }
  }
  if (text.find('\0') != std::string::npos)
    throw std::invalid_argument(what + ": '" + path + "' holds NUL bytes (not a text file)");
  std::vector<std::vector<Rational>> rows;
  std::istringstream lines(text);
  std::string line;
  int line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    for (char& ch : line)
      if (ch == ',' || ch == ';' || ch == '\t' || ch == '\r') ch = ' ';
    std::istringstream words(line);
    std::vector<Rational> row;
    std::string word;
    while (words >> word) {
      try {
        row.push_back(parse_rational(word, what));
      } catch (const std::invalid_argument&) {
        throw std::invalid_argument(what + ": '" + path + "' line " + std::to_string(line_no) +
                                    ", item " + std::to_string(row.size() + 1) +
                                    " is not a number such as 0.5, 1/2 or 2.5e-1 (contents not "
                                    "shown)");
      }
    }
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

/// Uniform double in [0, 1) from 53 random bits (portable across standard
/// libraries; Engine: any 64-bit generator, e.g. mc::detail::Xoshiro256).
template <class Engine>
double uniform01(Engine& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

/// Standard normal by Box-Muller (portable, unlike std::normal_distribution).
template <class Engine>
double standard_normal(Engine& rng) {
  double u1 = uniform01(rng);
  while (u1 <= 0) u1 = uniform01(rng);
  const double u2 = uniform01(rng);
  return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586477 * u2);
}

/// Solves A x = b in place (Gaussian elimination, partial pivoting). Returns
/// false when a pivot is exactly zero (A singular at working precision).
template <class Real>
bool solve_linear(std::vector<Real> a, std::vector<Real>& b, int n) {
  using std::abs;
  for (int k = 0; k < n; ++k) {
    int piv = k;
    for (int i = k + 1; i < n; ++i)
      if (abs(a[i * n + k]) > abs(a[piv * n + k])) piv = i;
    if (a[piv * n + k] == 0) return false;
    if (piv != k) {
      for (int j = 0; j < n; ++j) std::swap(a[k * n + j], a[piv * n + j]);
      std::swap(b[k], b[piv]);
    }
    for (int i = k + 1; i < n; ++i) {
      Real f = a[i * n + k] / a[k * n + k];
      if (f == 0) continue;
      for (int j = k; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (int i = n - 1; i >= 0; --i) {
    Real s = b[i];
    for (int j = i + 1; j < n; ++j) s -= a[i * n + j] * b[j];
    b[i] = s / a[i * n + i];
  }
  return true;
}

}  // namespace detail

/// Largest eigenvalue of R and a unit eigenvector.
template <class Real>
struct TopEigenpair {
  Real eigenvalue;
  std::vector<Real> vector;  ///< unit norm; sum > 0 (or, sum ~ 0: largest entry > 0)
  Real residual;             ///< ||R v - lambda v|| after refinement
  int iterations = 0;        ///< Rayleigh-quotient steps in Real
};

class PositionalCorrelation {
 public:
  enum class Kind { identity, latent, latent_exp, markov, file };

  /// spec: identity | latent:P1,P2,... | latent-exp:A,L | markov:R | file:PATH.
  /// T = sequence length (T >= 1); T = 0 infers it from latent:... or file:...
  /// Throws std::invalid_argument naming the offending entry or eigenvalue.
  static PositionalCorrelation from_spec(const std::string& spec, int T) {
    PositionalCorrelation c;
    c.spec_ = spec;
    const std::string what = "--corr " + spec;
    auto colon = spec.find(':');
    std::string head = spec.substr(0, colon);
    std::string arg = colon == std::string::npos ? "" : spec.substr(colon + 1);
    auto need_T = [&]() {
      if (T < 1)
        throw std::invalid_argument("--T: the sequence length must be an integer >= 1 for --corr " +
                                    head + " (got " + std::to_string(T) + ")");
    };
    if (T < 0) throw std::invalid_argument("--T must be >= 1 (got " + std::to_string(T) + ")");
    if (head == "identity" && colon == std::string::npos) {
      need_T();
      c.kind_ = Kind::identity;
      c.T_ = T;
    } else if (head == "latent") {
      c.kind_ = Kind::latent;
      auto items = detail::split_commas(arg);
      for (std::size_t i = 0; i < items.size(); ++i) {
        std::string name = "--corr latent: p_" + std::to_string(i + 1);
        Rational p = parse_rational(items[i], name);
        if (p < -1 || p > 1)
          throw std::invalid_argument(name + " = " + items[i] +
                                      " is outside the valid range [-1, 1]");
        c.params_.push_back(p);
      }
      int n = static_cast<int>(c.params_.size());
      if (T != 0 && n != T)
        throw std::invalid_argument("--corr latent: the profile has " + std::to_string(n) +
                                    " entries but --T is " + std::to_string(T));
      c.T_ = n;
    } else if (head == "latent-exp") {
      need_T();
      c.kind_ = Kind::latent_exp;
      auto items = detail::split_commas(arg);
      if (items.size() != 2)
        throw std::invalid_argument("--corr latent-exp:A,L takes two numbers (got '" + arg + "')");
      Rational a = parse_rational(items[0], "--corr latent-exp: amplitude A");
      Rational l = parse_rational(items[1], "--corr latent-exp: decay length L");
      if (a < -1 || a > 1)
        throw std::invalid_argument("--corr latent-exp: amplitude A = " + items[0] +
                                    " is outside the valid range [-1, 1]");
      if (l <= 0)
        throw std::invalid_argument("--corr latent-exp: decay length L = " + items[1] +
                                    " must be > 0");
      c.params_ = {a, l};
      c.T_ = T;
    } else if (head == "markov") {
      need_T();
      c.kind_ = Kind::markov;
      Rational r = parse_rational(arg, "--corr markov: r");
      if (r < -1 || r > 1)
        throw std::invalid_argument("--corr markov: r = " + arg +
                                    " is outside the valid range [-1, 1]");
      c.params_ = {r};
      c.T_ = T;
    } else if (head == "file") {
      c.kind_ = Kind::file;
      auto rows = detail::read_number_file(arg, "--corr file");
      int n = static_cast<int>(rows.size());
      if (n == 0) throw std::invalid_argument("--corr file: '" + arg + "' holds no numbers");
      if (T != 0 && n != T)
        throw std::invalid_argument("--corr file: '" + arg + "' has " + std::to_string(n) +
                                    " rows but --T is " + std::to_string(T));
      for (int i = 0; i < n; ++i) {
        if (static_cast<int>(rows[i].size()) != n)
          throw std::invalid_argument("--corr file: row " + std::to_string(i + 1) + " of '" + arg +
                                      "' has " + std::to_string(rows[i].size()) + " entries; a " +
                                      std::to_string(n) + " x " + std::to_string(n) +
                                      " matrix is required");
        for (auto& x : rows[i]) c.params_.push_back(x);
      }
      c.T_ = n;
      c.validate_file_matrix();
    } else {
      throw std::invalid_argument(
          "--corr must be identity, latent:P1,P2,..., latent-exp:A,L, markov:R or file:PATH (got "
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
      throw std::invalid_argument("--corr " + spec_ + " has no latent signal profile");
    }
    return p;
  }

  /// lambda_max(R) and its eigenvector at the working precision of Real. The
  /// double eigenpair from Eigen's SelfAdjointEigenSolver is refined by
  /// Rayleigh-quotient iteration (x <- (R - mu I)^{-1} x, mu <- x^T R x) in
  /// Real. When the top eigenvalue is (numerically) repeated, the start vector
  /// is the projection of the all-ones vector onto the top eigenspace
  /// (identity -> mean pooling); then the answer is that projection.
  template <class Real>
  TopEigenpair<Real> top_eigenpair() const {
    using std::abs;
    using std::sqrt;
    const int n = T_;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(matrix_);
    const Eigen::VectorXd& ev = es.eigenvalues();
    const double top = ev(n - 1);
    const double tol = 1e-9 * std::max(1.0, std::abs(top));
    Eigen::VectorXd start = Eigen::VectorXd::Zero(n);
    int multiplicity = 0;
    for (int k = n - 1; k >= 0 && top - ev(k) <= tol; --k) {
      Eigen::VectorXd v = es.eigenvectors().col(k);
      start += v * v.sum();
      ++multiplicity;
    }
    if (multiplicity > 1 && start.norm() < 1e-8) start = es.eigenvectors().col(n - 1);
    if (multiplicity == 1) start = es.eigenvectors().col(n - 1);
    if (start.sum() < 0) start = -start;

    const std::vector<Real> r = entries<Real>();
    auto apply = [&](const std::vector<Real>& x) {
      std::vector<Real> y(n, Real(0));
      for (int s = 0; s < n; ++s) {
        Real acc = 0;
        for (int t = 0; t < n; ++t) acc += r[s * n + t] * x[t];
        y[s] = acc;
      }
      return y;
    };
    auto dot = [&](const std::vector<Real>& a, const std::vector<Real>& b) {
      Real acc = 0;
      for (int i = 0; i < n; ++i) acc += a[i] * b[i];
      return acc;
    };
    auto normalise = [&](std::vector<Real>& x) {
      Real nrm = sqrt(dot(x, x));
      for (auto& xi : x) xi /= nrm;
    };
    std::vector<Real> x(n);
    for (int i = 0; i < n; ++i) x[i] = Real(start(i));
    normalise(x);
    TopEigenpair<Real> out;
    const Real eps = detail::type_epsilon<Real>();
    Real scale = 0;
    for (const auto& e : r) scale = std::max<Real>(scale, abs(e));
    scale *= n;
    Real mu = dot(x, apply(x));
    auto residual_of = [&](const std::vector<Real>& v, const Real& m) {
      std::vector<Real> y = apply(v);
      Real acc = 0;
      for (int i = 0; i < n; ++i) acc += (y[i] - m * v[i]) * (y[i] - m * v[i]);
      return sqrt(acc);
    };
    Real res = residual_of(x, mu);
    for (int it = 0; it < 60 && res > 16 * eps * scale; ++it) {
      std::vector<Real> a = r;
      for (int i = 0; i < n; ++i) a[i * n + i] -= mu;
      std::vector<Real> y = x;
      if (!detail::solve_linear<Real>(a, y, n)) break;  // mu is an exact eigenvalue
      normalise(y);
      if (dot(y, x) < 0)
        for (auto& yi : y) yi = -yi;
      Real mu_new = dot(y, apply(y));
      Real res_new = residual_of(y, mu_new);
      ++out.iterations;
      if (!(res_new < res)) break;  // attained accuracy
      x = std::move(y);
      mu = mu_new;
      res = res_new;
    }
    // Sign: positive sum; when the sum vanishes (to working precision, e.g. an
    // alternating vector), the largest entry in absolute value (first of ties) positive.
    Real sum = 0, largest = 0;
    int lead = 0;
    for (int i = 0; i < n; ++i) {
      sum += x[i];
      if (abs(x[i]) > largest * (1 + 1e-9)) {
        largest = abs(x[i]);
        lead = i;
      }
    }
    const bool flip = abs(sum) > 1e-9 ? sum < 0 : x[lead] < 0;
    if (flip)
      for (auto& xi : x) xi = -xi;
    out.eigenvalue = mu;
    out.vector = std::move(x);
    out.residual = res;
    return out;
  }

  /// One sequence's token classes y_1..y_T in {+1,-1} with E[y_s y_t] = R_st
  /// and balanced marginals. Throws std::domain_error when !samplable().
  template <class Engine>
  void sample_classes(Engine& rng, std::vector<int>& classes) const {
    const int n = T_;
    classes.resize(n);
    auto sign = [&]() { return detail::uniform01(rng) < 0.5 ? 1 : -1; };
    switch (kind_) {
      case Kind::identity:
        for (int t = 0; t < n; ++t) classes[t] = sign();
        return;
      case Kind::latent:
      case Kind::latent_exp: {
        const int c = sign();
        for (int t = 0; t < n; ++t)
          classes[t] = detail::uniform01(rng) < (1 + profile_[t]) / 2 ? c : -c;
        return;
      }
      case Kind::markov: {
        const double stay = (1 + params_[0].convert_to<double>()) / 2;
        classes[0] = sign();
        for (int t = 1; t < n; ++t)
          classes[t] = detail::uniform01(rng) < stay ? classes[t - 1] : -classes[t - 1];
        return;
      }
      case Kind::file: {
        if (!samplable_) throw std::domain_error(sampler_note_);
        std::vector<double> z(n);
        for (auto& zi : z) zi = detail::standard_normal(rng);
        for (int s = 0; s < n; ++s) {
          double g = 0;
          for (int k = 0; k < n; ++k) g += copula_factor_(s, k) * z[k];
          // g = 0 has probability zero; break the tie fairly anyway.
          classes[s] = g > 0 ? 1 : g < 0 ? -1 : sign();
        }
        return;
      }
    }
  }

  bool samplable() const { return samplable_; }
  /// How the sampler realises R (or why it cannot).
  std::string sampler_note() const { return sampler_note_; }

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
        throw std::invalid_argument("--corr file: diagonal entry " + entry_name(s, s) + " = " +
                                    rational_to_string(params_[s * n + s]) + " must be 1");
      for (int t = 0; t < n; ++t) {
        const Rational& x = params_[s * n + t];
        if (x < -1 || x > 1)
          throw std::invalid_argument("--corr file: entry " + entry_name(s, t) + " = " +
                                      rational_to_string(x) + " is outside [-1, 1]");
        if (x != params_[t * n + s])
          throw std::invalid_argument("--corr file: not symmetric: " + entry_name(s, t) + " = " +
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
          "--corr file: R is not positive semidefinite: smallest eigenvalue " +
          detail::format_double(lo) + " < 0");
  }

  void prepare_sampler() {
    samplable_ = true;
    switch (kind_) {
      case Kind::identity:
        sampler_note_ = "independent balanced classes";
        break;
      case Kind::latent:
      case Kind::latent_exp:
        profile_ = profile<double>();
        sampler_note_ = "latent label: y_t = c with probability (1 + p_t)/2";
        break;
      case Kind::markov:
        sampler_note_ = "Markov chain: y_{t+1} = y_t with probability (1 + r)/2";
        break;
      case Kind::file: {
        const double half_pi = 1.5707963267948966192;
        Eigen::MatrixXd sigma = (matrix_ * half_pi).array().sin().matrix();
        for (int i = 0; i < T_; ++i) sigma(i, i) = 1;
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(sigma);
        const double lo = es.eigenvalues()(0);
        if (lo < -1e-10 * T_) {
          samplable_ = false;
          sampler_note_ = "Gaussian copula cannot realise R: sin(pi R/2) has eigenvalue " +
                          detail::format_double(lo) + " < 0";
          break;
        }
        Eigen::VectorXd root = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
        copula_factor_ = es.eigenvectors() * root.asDiagonal();
        sampler_note_ = "Gaussian copula: y_t = sign(g_t), g ~ N(0, sin(pi R/2))";
        break;
      }
    }
  }

  Kind kind_ = Kind::identity;
  int T_ = 0;
  std::string spec_;
  std::vector<Rational> params_;  ///< latent: p; latent-exp: A, L; markov: r; file: R row-major
  Eigen::MatrixXd matrix_;
  std::vector<double> profile_;
  Eigen::MatrixXd copula_factor_;
  bool samplable_ = true;
  std::string sampler_note_;
};

}  // namespace attnrmt
