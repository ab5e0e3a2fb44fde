// tests/test_distributed.cpp -- one replicate split over processes
// (mc/column_split.hpp, mc/reducer.hpp), without MPI: the parts run as threads
// of this process and a fake reducer sums their blocks through shared memory,
// in part order. Compared: the split block product against the undivided one
// (double rounding) and against a double-precision product (single-precision
// rounding); a whole replicate split over 2 and 3 parts against the
// single-process replicate (1e-10 relative); the column partition itself.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "attnrmt/monte_carlo.hpp"

using namespace attnrmt;

namespace {

/// State shared by the parts: one slot per part and a reusable barrier.
class SharedSlots {
 public:
  explicit SharedSlots(int parts) : data_(parts), counts_(parts), parts_(parts) {}
  int parts() const { return parts_; }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    const long generation = generation_;
    if (++arrived_ == parts_) {
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return generation_ != generation; });
    }
  }
  std::vector<const double*> data_;
  std::vector<std::size_t> counts_;

 private:
  int parts_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int arrived_ = 0;
  long generation_ = 0;
};

/// A Reducer for parts that are threads: every part publishes its block, waits
/// for all, sums all blocks in part order (so every part gets the same bytes),
/// waits again (nobody still reads its block), and copies the sum back.
class ThreadReducer final : public mc::Reducer {
 public:
  ThreadReducer(SharedSlots& shared, int part) : shared_(shared), part_(part) {}
  int parts() const override { return shared_.parts(); }
  int part() const override { return part_; }
  void sum(double* data, std::size_t count) const override {
    shared_.data_[part_] = data;
    shared_.counts_[part_] = count;
    shared_.wait();
    std::vector<double> total(count, 0.0);
    bool same_count = true;
    for (int q = 0; q < parts(); ++q) {
      if (shared_.counts_[q] != count) {
        same_count = false;
        continue;
      }
      for (std::size_t i = 0; i < count; ++i) total[i] += shared_.data_[q][i];
    }
    shared_.wait();
    if (!same_count) throw std::runtime_error("parts called sum() with different counts");
    std::copy(total.begin(), total.end(), data);
  }

 private:
  SharedSlots& shared_;
  int part_;
};

/// Runs body(reducer) for parts 0..P-1, each in its own thread; rethrows the
/// first exception.
void run_parts(int parts, const std::function<void(const mc::Reducer&)>& body) {
  SharedSlots shared(parts);
  std::vector<std::exception_ptr> errors(parts);
  std::vector<std::thread> pool;
  for (int p = 0; p < parts; ++p)
    pool.emplace_back([&, p]() {
      try {
        ThreadReducer reducer(shared, p);
        body(reducer);
      } catch (...) {
        errors[p] = std::current_exception();
      }
    });
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

double max_relative_difference(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("column split: whole blocks, contiguous, covering, independent of the parts",
          "[distributed][unit]") {
  for (long cols : {1L, 31L, 300L, 4000L, 40000L, 400000L}) {
    const long width = mc::column_block_width(cols);
    CHECK(width >= 1);
    CHECK(width <= 1024);
    const long blocks = (cols + width - 1) / width;
    for (int parts = 1; parts <= std::min<long>(blocks, 5); ++parts) {
      long next = 0;
      for (int p = 0; p < parts; ++p) {
        const mc::ColumnSplit s = mc::split_columns(cols, parts, p);
        CHECK(s.width == width);
        CHECK(s.begin == next);
        CHECK(s.begin % width == 0);
        CHECK(s.local() >= 1);
        next = s.end;
      }
      CHECK(next == cols);
    }
    if (blocks < 1000)
      CHECK_THROWS_WITH(mc::split_columns(cols, static_cast<int>(blocks) + 1, 0),
                        Catch::Contains("make only " + std::to_string(blocks) + " blocks"));
  }
  CHECK_THROWS_AS(mc::split_columns(100, 2, 2), std::invalid_argument);
}

TEST_CASE("column-split block product over 2 and 3 parts reproduces the undivided product",
          "[distributed][unit]") {
  // A random single-precision matrix (rows x cols) and block X (rows x b);
  // Y = M (M^T X), the shape of the solver's product with the table.
  const long rows = 64, cols = 700, b = 5;
  mc::detail::NormalSource normal(2026);
  mc::detail::FloatMatrix full;
  full.rows = rows;
  full.cols = cols;
  for (long i = 0; i < rows * cols; ++i) full.data.push_back(static_cast<float>(normal()));
  Eigen::MatrixXd X(rows, b);
  for (long i = 0; i < X.size(); ++i) X.data()[i] = normal();
  // Undivided (one part) and independent double-precision routes.
  const mc::ColumnSplit one = mc::split_columns(cols, 1, 0);
  Eigen::MatrixXd t1, y1;
  mc::detail::split_transpose_product(full, one, X, t1);
  mc::detail::split_product(full, one, t1, y1);
  Eigen::MatrixXd Md(rows, cols);
  for (long i = 0; i < rows * cols; ++i) Md.data()[i] = full.data[static_cast<std::size_t>(i)];
  const Eigen::MatrixXd exact = Md * (Md.transpose() * X);
  const double float_error = max_relative_difference(y1, exact);
  std::printf("column split: undivided float product vs double: %.2e\n", float_error);
  CHECK(float_error < 1e-5);  // single-precision operands and block sums
  CHECK(float_error > 0);     // (the products are single precision indeed)
  for (int parts : {2, 3}) {
    std::vector<Eigen::MatrixXd> ys(parts), ts(parts);
    std::vector<mc::ColumnSplit> splits(parts);
    run_parts(parts, [&](const mc::Reducer& reducer) {
      const mc::ColumnSplit s = mc::split_columns(cols, reducer.parts(), reducer.part());
      mc::detail::FloatMatrix mine;
      mine.rows = rows;
      mine.cols = s.local();
      mine.data.assign(full.data.begin() + s.begin * rows, full.data.begin() + s.end * rows);
      Eigen::MatrixXd t, y;
      mc::detail::split_transpose_product(mine, s, X, t);
      mc::detail::split_product(mine, s, t, y);
      reducer.sum(y.data(), static_cast<std::size_t>(y.size()));
      ys[reducer.part()] = y;
      ts[reducer.part()] = t;
      splits[reducer.part()] = s;
    });
    // M^T X: each part's rows are the undivided rows (the same sgemm calls).
    double worst_t = 0;
    for (int p = 0; p < parts; ++p)
      worst_t = std::max(worst_t, max_relative_difference(
                                      ts[p], t1.middleRows(splits[p].begin, splits[p].local())));
    const double worst_y = max_relative_difference(ys[0], y1);
    std::printf("column split, %d parts: M^T X %.2e, M M^T X %.2e relative to undivided\n", parts,
                worst_t, worst_y);
    CHECK(worst_t <= 1e-15);
    CHECK(worst_y < 1e-13);  // double reassociation of the block sums only
    for (int p = 1; p < parts; ++p) CHECK(ys[p] == ys[0]);  // the same bytes on every part
  }
}

TEST_CASE("a replicate split over 2 and 3 parts equals the single-process replicate",
          "[distributed][unit]") {
  for (auto model : {mc::Model::tokens, mc::Model::gaussian}) {
    mc::Config c;
    c.model = model;
    c.d = 300;
    c.delta = 0.5;
    c.gamma = 0.5;
    c.rho = 1;
    c.solver = mc::Solver::lanczos;
    c.threads = 1;
    if (model == mc::Model::tokens) {
      c.weights = {1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1};
      c.alpha_over_kappa = 2;  // reported, not used by the tokens draws
      c.sample_classes = [](mc::RandomEngine& rng, std::vector<int>& classes) {
        const int label = rng.uniform() < 0.5 ? 1 : -1;
        for (std::size_t t = 0; t < classes.size(); ++t)
          classes[t] = rng.uniform() < 0.9 ? label : -label;
      };
    } else {
      c.alpha_over_kappa = 2;
      c.mean_strength = 1.5;
      c.centered = false;  // the mean column too
    }
    const mc::Replicate single = mc::simulate_replicate(c, 17, 2);
    for (int parts : {2, 3}) {
      std::vector<mc::Replicate> out(parts);
      run_parts(parts, [&](const mc::Reducer& reducer) {
        out[reducer.part()] = mc::simulate_replicate(c, 17, 2, reducer);
      });
      double worst = 0;
      for (std::size_t k = 0; k < single.top_eigenvalues.size(); ++k) {
        worst = std::max(worst, std::abs(out[0].top_eigenvalues[k] - single.top_eigenvalues[k]) /
                                    single.top_eigenvalues[k]);
        worst = std::max(worst, std::abs(out[0].alignment_mu[k] - single.alignment_mu[k]) /
                                    std::max(single.alignment_mu[k], 1e-3));
        worst = std::max(worst, std::abs(out[0].alignment_u[k] - single.alignment_u[k]) /
                                    std::max(single.alignment_u[k], 1e-3));
      }
      std::printf("model %d, %d parts: top %.12f (single %.12f), A_u %.12f, max rel. diff %.2e\n",
                  static_cast<int>(model), parts, out[0].top_eigenvalues[0],
                  single.top_eigenvalues[0], out[0].alignment_u[0], worst);
      CHECK(out[0].eigensolver_converged);
      CHECK(out[0].lanczos_operations == single.lanczos_operations);
      CHECK(worst < 1e-10);
      for (int p = 1; p < parts; ++p) {
        CHECK(out[p].top_eigenvalues == out[0].top_eigenvalues);
        CHECK(out[p].alignment_u == out[0].alignment_u);
      }
    }
  }
  // The dense solver cannot be split; a split run checks memory per part.
  mc::Config c;
  c.d = 300;
  c.delta = c.gamma = 0.5;
  c.alpha_over_kappa = 2;
  c.solver = mc::Solver::dense;
  CHECK_THROWS_WITH(
      run_parts(2, [&](const mc::Reducer& reducer) { mc::simulate_replicate(c, 1, 0, reducer); }),
      Catch::Contains("needs the matrix-free solver"));
  c.solver = mc::Solver::lanczos;
  c.d = 200000;  // gaussian: the 4 d N noise matrix alone is 320 GB
  const double whole = mc::estimated_bytes(c), half = mc::estimated_bytes(c, 2);
  // Each of 2 parts holds half of the N = 400000 columns (to a block of 1024).
  CHECK(whole - half == Approx(4.0 * c.d * 200000).epsilon(0.01));
}
