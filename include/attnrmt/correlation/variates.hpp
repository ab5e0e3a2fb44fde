// attnrmt/correlation/variates.hpp -- the uniform and normal variates of the
// token-class samplers (correlation/class_sampler.hpp), written out here so that
// a seed gives the same classes with every standard library: uniforms from the
// top 53 bits of a 64-bit draw, normals by the Box-Muller transform
// (Box and Muller 1958: sqrt(-2 log u1) cos(2 pi u2) is N(0, 1) for independent
// uniforms u1 in (0, 1], u2 in [0, 1)). The engine is the Monte Carlo
// validator's (mc/random.hpp).
#pragma once

#include <cmath>

namespace attnrmt::detail {

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

}  // namespace attnrmt::detail
