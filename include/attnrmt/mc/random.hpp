// attnrmt/mc/random.hpp -- reproducible random streams for the Monte Carlo validator
// (derivation and portability argument: docs/theory.md "Monte Carlo validator",
// docs/monte_carlo.md "How it is computed").
//
// Every random object of a replicate (a column of a Gaussian matrix, a block of
// sequences, the signal vectors) draws from its own stream, seeded by hashing
// (base seed, replicate, stream kind, index) with SplitMix64. Which thread
// fills which column is therefore irrelevant: the same seed gives the same
// draws for any thread count.
//
// Generator: xoshiro256** (Blackman and Vigna, 2018), 256-bit state, seeded
// by SplitMix64 as its authors recommend. Every variate is produced by an
// algorithm written out here, never by a std:: distribution (whose algorithm
// each standard library chooses), so a seed gives the same draws on every
// platform: Gaussians by the ziggurat (Marsaglia and Tsang 2000), gamma and chi
// by Marsaglia and Tsang's squeeze method (2000), bounded integers by rejection
// of the low residue class (as OpenBSD's arc4random_uniform). This is the
// project's one random stack: the class samplers of correlation.hpp take the
// same engine. tests/test_monte_carlo.cpp pins the first draws against the
// generators re-implemented there from their published definitions.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace attnrmt::mc::detail {

/// SplitMix64 step (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Kinds of stream, so that different objects never share a seed.
enum class Stream : std::uint64_t {
  signal = 1,        ///< mu direction, u noise, mean vector, labels
  noise_column = 2,  ///< one column of a Gaussian noise matrix (index = column)
  singular = 3,      ///< chi variates of the bidiagonal model
  table_column = 4,  ///< one column of the embedding table Z (index = token)
  sequences = 5,     ///< one block of sequences (index = block)
};

/// Seed of stream (kind, index) of replicate `replicate` under `base`.
inline std::uint64_t stream_seed(std::uint64_t base, std::uint64_t replicate, Stream kind,
                                 std::uint64_t index) {
  std::uint64_t s = base;
  std::uint64_t h = splitmix64(s);
  s = h ^ (replicate * 0xD1B54A32D192ED03ULL);
  h = splitmix64(s);
  s = h ^ (static_cast<std::uint64_t>(kind) * 0xABC98388FB8FAC03ULL);
  h = splitmix64(s);
  s = h ^ (index * 0x8CB92BA72F3D8DD7ULL);
  return splitmix64(s);
}

/// xoshiro256**: a fast 64-bit generator with a 2^256 - 1 period.
class Xoshiro256 {
 public:
  using result_type = std::uint64_t;
  explicit Xoshiro256(std::uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform on (0, 1) with 53 random bits (never 0).
  double uniform() { return (static_cast<double>((*this)() >> 11) + 0.5) * 0x1.0p-53; }
  /// Uniform integer in [0, n) for n >= 1, exactly (no modulo bias): draws
  /// below 2^64 mod n are rejected, so x mod n is uniform.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    std::uint64_t x = (*this)();
    while (x < threshold) x = (*this)();
    return x % n;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// Tables of the 256-layer ziggurat for exp(-x^2/2) (Marsaglia and Tsang 2000):
/// x[1] = r, the tail start, x[0] = v/f(r) the base layer's virtual width,
/// f(x[i+1]) = f(x[i]) + v/x[i] (every layer has area v), x[256] = 0.
struct ZigguratTables {
  double x[257];
  double f[257];
  ZigguratTables() {
    const double r = 3.6541528853610088, v = 0.00492867323399;
    x[0] = v / std::exp(-0.5 * r * r);
    x[1] = r;
    for (int i = 1; i < 255; ++i)
      x[i + 1] = std::sqrt(-2 * std::log(std::exp(-0.5 * x[i] * x[i]) + v / x[i]));
    x[256] = 0;
    for (int i = 0; i <= 256; ++i) f[i] = std::exp(-0.5 * x[i] * x[i]);
  }
  static const ZigguratTables& get() {
    static const ZigguratTables t;
    return t;
  }
};

/// Standard normal variates by the ziggurat method (Marsaglia and Tsang 2000,
/// 256 layers; layer index, sign and a 53-bit uniform from one 64-bit draw in
/// the common case). About 4x faster than the polar method here.
class NormalSource {
 public:
  explicit NormalSource(std::uint64_t seed) : rng_(seed), t_(ZigguratTables::get()) {}
  double operator()() {
    for (;;) {
      const std::uint64_t bits = rng_();
      const int i = static_cast<int>(bits & 255);
      const double sign = (bits & 256) ? -1.0 : 1.0;
      const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;  // [0, 1)
      const double z = u * t_.x[i];
      if (z < t_.x[i + 1]) return sign * z;  // inside the layer's rectangle
      if (i == 0) {                          // tail beyond r
        const double r = t_.x[1];
        double a, b;
        do {
          a = -std::log(rng_.uniform()) / r;
          b = -std::log(rng_.uniform());
        } while (2 * b < a * a);
        return sign * (r + a);
      }
      // Wedge between the rectangle and the curve.
      if (t_.f[i] + rng_.uniform() * (t_.f[i + 1] - t_.f[i]) < std::exp(-0.5 * z * z))
        return sign * z;
    }
  }
  Xoshiro256& engine() { return rng_; }

 private:
  Xoshiro256 rng_;
  const ZigguratTables& t_;
};

/// Gamma(shape, 1) variate by Marsaglia and Tsang (2000, "A simple method for
/// generating gamma variables", ACM TOMS 26:363): for shape a >= 1, with
/// d = a - 1/3, c = 1/sqrt(9 d), x normal and v = (1 + c x)^3 > 0, accept d v
/// when u < 1 - 0.0331 x^4 (squeeze) or log u < x^2/2 + d (1 - v + log v);
/// for a < 1, Gamma(a) = Gamma(a + 1) U^(1/a). Normals and uniforms come from
/// `normal` and its engine.
inline double gamma_variate(double shape, NormalSource& normal) {
  if (!(shape > 0))
    throw std::invalid_argument("gamma_variate: shape must be > 0 (got " + std::to_string(shape) +
                                ")");
  if (shape < 1) {
    const double g = gamma_variate(shape + 1, normal);
    return g * std::pow(normal.engine().uniform(), 1 / shape);
  }
  const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = normal.engine().uniform();
    if (u < 1 - 0.0331 * (x * x) * (x * x)) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
  }
}

/// Chi variate with k > 0 degrees of freedom: sqrt(chi^2_k), chi^2_k = 2 Gamma(k/2, 1).
inline double chi_variate(double k, NormalSource& normal) {
  return std::sqrt(2 * gamma_variate(0.5 * k, normal));
}

}  // namespace attnrmt::mc::detail
