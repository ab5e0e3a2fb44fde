// attnrmt/detail/mc_random.hpp -- reproducible random streams for the Monte Carlo validator.
//
// Every random object of a replicate (a column of a Gaussian matrix, a block of
// sequences, the signal vectors) draws from its own stream, seeded by hashing
// (base seed, replicate, stream kind, index) with SplitMix64. Which thread
// fills which column is therefore irrelevant: the same seed gives the same
// draws for any thread count.
//
// Generator: xoshiro256** (Blackman and Vigna, 2018), 256-bit state, seeded
// by SplitMix64 as its authors recommend. It satisfies UniformRandomBitGenerator
// so the standard distributions apply. Gaussians: the Marsaglia polar method
// written out here (so the draws do not depend on the standard library's
// choice of algorithm).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

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
  signal = 1,       ///< mu direction, u noise, mean vector, labels
  noise_column = 2, ///< one column of a Gaussian noise matrix (index = column)
  singular = 3,     ///< chi variates of the bidiagonal model
  table_column = 4, ///< one column of the embedding table Z (index = token)
  sequences = 5,    ///< one block of sequences (index = block)
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

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// Standard normal variates by the Marsaglia polar method (pairs, one cached).
class NormalSource {
 public:
  explicit NormalSource(std::uint64_t seed) : rng_(seed) {}
  double operator()() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2 * rng_.uniform() - 1;
      v = 2 * rng_.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }
  Xoshiro256& engine() { return rng_; }

 private:
  Xoshiro256 rng_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace attnrmt::mc::detail
