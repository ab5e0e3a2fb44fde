// bench/bench_solver.cpp -- speed of the theory solver (Google Benchmark):
// Cauchy transform, CDF, thresholds and outlier report at double, 50 and 100
// working digits, and a certified CLI-style evaluation.
#include <benchmark/benchmark.h>

#include "attnrmt/precision.hpp"
#include "attnrmt/spike.hpp"

namespace {

template <class Real>
void run_with_precision(benchmark::State& state, int digits, void (*body)(benchmark::State&)) {
  if constexpr (std::is_same_v<Real, attnrmt::MpReal>) {
    attnrmt::ScopedPrecision p(static_cast<unsigned>(digits));
    body(state);
  } else {
    (void)digits;
    body(state);
  }
}

template <class Real>
void cauchy_body(benchmark::State& state) {
  attnrmt::BulkLaw<Real> law(Real(1) / 2, Real(1) / 2);
  attnrmt::Complex<Real> z(Real(1), Real(1) / 4);
  for (auto _ : state) benchmark::DoNotOptimize(law.cauchy(z));
}
template <class Real>
void cdf_body(benchmark::State& state) {
  attnrmt::BulkLaw<Real> law(Real(1) / 2, Real(1) / 2);
  Real x(2);
  for (auto _ : state) benchmark::DoNotOptimize(law.cdf(x));
}
template <class Real>
void law_body(benchmark::State& state) {
  for (auto _ : state) {
    attnrmt::BulkLaw<Real> law(Real(3) / 10, Real(7) / 5);  // edges computed in the constructor
    benchmark::DoNotOptimize(law.left_edge());
  }
}
template <class Real>
void thresholds_body(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(attnrmt::thresholds(Real(1) / 2, Real(1) / 2, Real(1)).tau2);
}
template <class Real>
void outlier_body(benchmark::State& state) {
  attnrmt::BulkLaw<Real> law(Real(1) / 2, Real(1) / 2);
  for (auto _ : state)
    benchmark::DoNotOptimize(attnrmt::outlier_report(law, Real(1), Real(2)).alignment_mu);
}

template <class Real, void (*Body)(benchmark::State&)>
void bench(benchmark::State& state) {
  run_with_precision<Real>(state, static_cast<int>(state.range(0)), Body);
}

}  // namespace

#define ATTNRMT_BENCH(body)                                 \
  BENCHMARK_TEMPLATE(bench, double, body<double>)->Arg(16); \
  BENCHMARK_TEMPLATE(bench, attnrmt::MpReal, body<attnrmt::MpReal>)->Arg(50)->Arg(100);

ATTNRMT_BENCH(cauchy_body)
ATTNRMT_BENCH(cdf_body)
ATTNRMT_BENCH(law_body)
ATTNRMT_BENCH(thresholds_body)
ATTNRMT_BENCH(outlier_body)

BENCHMARK_MAIN();
