// bench/bench_population.cpp -- speed of the population (anisotropic) solver
// (Google Benchmark), side by side with the isotropic closed-form solver in the
// same run: support/edges (the law's constructor), thresholds, one Cauchy
// transform and one density, for K = 1 (H = delta_1), 2, 256 and 4096 atoms, in
// double and at 30 digits. The K = 4096 spectrum is drawn with a fixed seed from
// 0.5 delta_{0.5}-like cluster plus U[1, 2] (as in tests/test_population.cpp).
#include <benchmark/benchmark.h>

#include <memory>

#include "attnrmt/general_spike.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/precision.hpp"

namespace {

attnrmt::PopulationSpec spectrum(int K) {
  if (K == 1) return attnrmt::PopulationSpec::isotropic();
  // Portable draws (mc/random.hpp), so every platform benchmarks the same atoms.
  attnrmt::mc::detail::Xoshiro256 rng(20261201);
  std::vector<attnrmt::Rational> t, h;
  for (int k = 0; k < K; ++k) {
    if (K == 2)
      t.push_back(attnrmt::Rational(1 + 2 * k, 2));
    else
      t.push_back(
          k % 2 == 0 ? attnrmt::Rational(500000 + k / 2, 1000000)
                     : attnrmt::Rational(1000000 + static_cast<long>(rng.below(1000001)), 1000000));
    h.push_back(attnrmt::Rational(1));
  }
  return attnrmt::PopulationSpec::from_atoms(t, h);
}

template <class Real>
struct Precision {
  explicit Precision(int digits) {
    if constexpr (std::is_same_v<Real, attnrmt::MpReal>)
      scoped = std::make_unique<attnrmt::ScopedPrecision>(static_cast<unsigned>(digits));
  }
  std::unique_ptr<attnrmt::ScopedPrecision> scoped;
};

template <class Real>
void BM_population_support(benchmark::State& state) {
  Precision<Real> p(30);
  attnrmt::Population<Real> H(spectrum(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    attnrmt::GeneralBulkLaw<Real> bulk(H, Real(1) / 2, Real(1) / 2);
    benchmark::DoNotOptimize(bulk.right_edge());
  }
}

template <class Real>
void BM_population_thresholds(benchmark::State& state) {
  Precision<Real> p(30);
  attnrmt::Population<Real> H(spectrum(static_cast<int>(state.range(0))));
  attnrmt::GeneralBulkLaw<Real> bulk(H, Real(1) / 2, Real(1) / 2);
  for (auto _ : state) {
    attnrmt::GeneralSpike<Real> spike(bulk, Real(1));
    benchmark::DoNotOptimize(spike.report(Real(3)).top.lambda);
  }
}

template <class Real>
void BM_population_cauchy(benchmark::State& state) {
  Precision<Real> p(30);
  attnrmt::Population<Real> H(spectrum(static_cast<int>(state.range(0))));
  attnrmt::GeneralBulkLaw<Real> bulk(H, Real(1) / 2, Real(1) / 2);
  attnrmt::Complex<Real> z(Real(1), Real(1) / 4);
  for (auto _ : state) benchmark::DoNotOptimize(bulk.cauchy(z));
}

template <class Real>
void BM_population_density(benchmark::State& state) {
  Precision<Real> p(30);
  attnrmt::Population<Real> H(spectrum(static_cast<int>(state.range(0))));
  attnrmt::GeneralBulkLaw<Real> bulk(H, Real(1) / 2, Real(1) / 2);
  Real x = bulk.right_edge() / 3;
  for (auto _ : state) benchmark::DoNotOptimize(bulk.density(x));
}

// Peers: the isotropic closed-form solver (cubic) for the same delta, gamma.
template <class Real>
void BM_isotropic_support(benchmark::State& state) {
  Precision<Real> p(30);
  for (auto _ : state) {
    attnrmt::BulkLaw<Real> law(Real(1) / 2, Real(1) / 2);
    benchmark::DoNotOptimize(law.right_edge());
  }
}
template <class Real>
void BM_isotropic_cauchy(benchmark::State& state) {
  Precision<Real> p(30);
  attnrmt::BulkLaw<Real> law(Real(1) / 2, Real(1) / 2);
  attnrmt::Complex<Real> z(Real(1), Real(1) / 4);
  for (auto _ : state) benchmark::DoNotOptimize(law.cauchy(z));
}

using attnrmt::MpReal;
BENCHMARK_TEMPLATE(BM_isotropic_support, double)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_population_support, double)
    ->Arg(1)
    ->Arg(2)
    ->Arg(256)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_isotropic_support, MpReal)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_population_support, MpReal)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_population_thresholds, double)
    ->Arg(2)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_population_thresholds, MpReal)
    ->Arg(2)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_isotropic_cauchy, double)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_population_cauchy, double)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4096)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_isotropic_cauchy, MpReal)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_population_cauchy, MpReal)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4096)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_population_density, double)->Arg(2)->Arg(4096)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
