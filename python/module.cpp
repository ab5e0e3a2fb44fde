// python/module.cpp -- attnrmt._core, the compiled half of `import attnrmt`.
//
// Two kinds of entry points (docs/python.md):
// * run_command: any CLI command through solver/api.hpp, so certified digits
//   (digits=N) come from the CLI's own certify() and its column names.
// * CertifiedLaw: density and CDF as correctly rounded float64 values, from
//   the ball engine's grid path (ball/grid.hpp density_cdf_doubles) at the
//   exact rational parameters.
// * BulkLaw64 and thresholds64: the same templates (bulk_law.hpp, spike.hpp)
//   instantiated in double for vectorised float64 evaluation over numpy
//   arrays, with the GIL released and large arrays split over threads.
// Bad input raises ValueError (pybind11 maps std::invalid_argument and
// std::domain_error to it) with the library's message; NaN/inf points raise
// instead of returning NaN.
#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api.hpp"
#include "attnrmt/ball/grid.hpp"
#include "attnrmt/bulk_law.hpp"
#include "attnrmt/detail/parallel_chunks.hpp"
#include "attnrmt/rational.hpp"
#include "attnrmt/spike.hpp"

namespace py = pybind11;

namespace {

// Arrays at least this long are split over the hardware threads.
constexpr std::size_t kParallelMin = 1 << 14;

unsigned worker_count(std::size_t n) {
  if (n < kParallelMin) return 1;
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<std::size_t>(hw, n / (kParallelMin / 4)));
}

// Runs body(i) for i in [0, n) on worker_count(n) threads; rethrows the error
// of the lowest failing chunk.
template <class Body>
void parallel_for(std::size_t n, const Body& body) {
  attnrmt::detail::for_each_chunk(n, worker_count(n), [&body](std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) body(i);
  });
}

void require_finite_points(const double* x, std::size_t n, const char* name) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) {
      std::ostringstream msg;
      msg << name << " must be finite (got " << x[i] << " at flat index " << i << ")";
      throw std::invalid_argument(msg.str());
    }
}

using Law = attnrmt::BulkLaw<double>;
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
using ComplexArray = py::array_t<std::complex<double>, py::array::c_style | py::array::forcecast>;

enum class Pointwise { density, cdf, quantile };

py::array_t<double> evaluate(const Law& law, const DoubleArray& in, Pointwise what) {
  py::array_t<double> out(std::vector<py::ssize_t>(in.shape(), in.shape() + in.ndim()));
  const double* x = in.data();
  double* y = out.mutable_data();
  const std::size_t n = static_cast<std::size_t>(in.size());
  {
    py::gil_scoped_release release;
    require_finite_points(x, n, what == Pointwise::quantile ? "q" : "x");
    switch (what) {
      case Pointwise::density:
        parallel_for(n, [&](std::size_t i) { y[i] = law.density(x[i]); });
        break;
      case Pointwise::cdf:
        parallel_for(n, [&](std::size_t i) { y[i] = law.cdf(x[i]); });
        break;
      case Pointwise::quantile:
        parallel_for(n, [&](std::size_t i) { y[i] = law.quantile(x[i]); });
        break;
    }
  }
  return out;
}

// The law at exact rational parameters, for correctly rounded doubles.
struct CertifiedLaw {
  attnrmt::ball::LawLadder ladder;
  CertifiedLaw(const std::string& delta, const std::string& gamma, const std::string& kappa)
      : ladder(attnrmt::parse_rational(delta, "delta"), attnrmt::parse_rational(gamma, "gamma"),
               attnrmt::parse_rational(kappa, "kappa")) {}
};

// (values, undecided): the correctly rounded density or CDF at every x.
py::tuple certified(const CertifiedLaw& law, const DoubleArray& in, Pointwise what) {
  py::array_t<double> out(std::vector<py::ssize_t>(in.shape(), in.shape() + in.ndim()));
  const std::size_t n = static_cast<std::size_t>(in.size());
  std::size_t undecided = 0;
  {
    py::gil_scoped_release release;
    require_finite_points(in.data(), n, "x");
    std::vector<double> xs(in.data(), in.data() + n);
    const bool density = what == Pointwise::density;
    auto grid =
        attnrmt::ball::density_cdf_doubles(law.ladder, xs, density, !density, worker_count(n));
    const std::vector<double>& y = density ? grid.density : grid.cdf;
    std::copy(y.begin(), y.end(), out.mutable_data());
    undecided = grid.undecided;
  }
  return py::make_tuple(out, undecided);
}

py::array_t<std::complex<double>> cauchy(const Law& law, const ComplexArray& in) {
  py::array_t<std::complex<double>> out(
      std::vector<py::ssize_t>(in.shape(), in.shape() + in.ndim()));
  const std::complex<double>* z = in.data();
  std::complex<double>* g = out.mutable_data();
  const std::size_t n = static_cast<std::size_t>(in.size());
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(z[i].real()) || !std::isfinite(z[i].imag())) {
        std::ostringstream msg;
        msg << "z must be finite (got " << z[i].real() << (z[i].imag() < 0 ? "" : "+")
            << z[i].imag() << "j at flat index " << i << ")";
        throw std::invalid_argument(msg.str());
      }
    parallel_for(n, [&](std::size_t i) {
      auto r = law.cauchy(Law::C(z[i].real(), z[i].imag()));
      g[i] = {r.re, r.im};
    });
  }
  return out;
}

// tau1, tau2, omega1, omega2 evaluated in long double (64-bit mantissa) and
// rounded once to double: the float64 result is the correctly rounded value
// unless the exact value lies within about 2^-11 ulp of a rounding boundary
// (measured in python/tests: every value of a 2000-point grid matches the
// certified CLI value rounded to double).
py::tuple thresholds_double(double delta, double gamma, double rho) {
  auto th = attnrmt::thresholds<long double>(delta, gamma, rho);
  return py::make_tuple(static_cast<double>(th.tau1), static_cast<double>(th.tau2),
                        static_cast<double>(th.omega1), static_cast<double>(th.omega2));
}

// The same over equally shaped (already broadcast) arrays.
py::tuple thresholds_array(const DoubleArray& delta, const DoubleArray& gamma,
                           const DoubleArray& rho) {
  if (delta.size() != gamma.size() || delta.size() != rho.size())
    throw std::invalid_argument("thresholds: parameter arrays must have the same size");
  std::vector<py::ssize_t> shape(delta.shape(), delta.shape() + delta.ndim());
  py::array_t<double> tau1(shape), tau2(shape), omega1(shape), omega2(shape);
  const double *d = delta.data(), *g = gamma.data(), *r = rho.data();
  double *t1 = tau1.mutable_data(), *t2 = tau2.mutable_data(), *o1 = omega1.mutable_data(),
         *o2 = omega2.mutable_data();
  const std::size_t n = static_cast<std::size_t>(delta.size());
  {
    py::gil_scoped_release release;
    parallel_for(n, [&](std::size_t i) {
      auto th = attnrmt::thresholds<long double>(d[i], g[i], r[i]);
      t1[i] = static_cast<double>(th.tau1);
      t2[i] = static_cast<double>(th.tau2);
      o1[i] = static_cast<double>(th.omega1);
      o2[i] = static_cast<double>(th.omega2);
    });
  }
  return py::make_tuple(tau1, tau2, omega1, omega2);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "attnrmt compiled core (see the attnrmt package and docs/python.md)";

  m.def(
      "run_command",
      [](const std::string& command, const std::vector<std::string>& args) {
        attnrmt::cli::CommandOutput r;
        {
          py::gil_scoped_release release;
          r = attnrmt::cli::run_command(command, args);
        }
        return py::make_tuple(r.exit_code, py::bytes(r.out), py::bytes(r.err));
      },
      py::arg("command"), py::arg("args"),
      "Runs an attnrmt CLI command; returns (exit_code, stdout bytes, stderr bytes).");

  m.def(
      "certified_quantiles",
      [](const std::string& delta, const std::string& gamma, const std::string& kappa,
         const std::vector<std::string>& levels, int digits) {
        py::gil_scoped_release release;
        return attnrmt::cli::certified_quantiles(delta, gamma, kappa, levels, digits);
      },
      py::arg("delta"), py::arg("gamma"), py::arg("kappa"), py::arg("levels"), py::arg("digits"),
      "Certified quantiles (decimal strings) of the bulk law at exact levels.");

  m.def(
      "parse_rational",
      [](const std::string& text, const std::string& what) {
        attnrmt::Rational r = attnrmt::parse_rational(text, what);
        return py::make_tuple(boost::multiprecision::numerator(r).str(),
                              boost::multiprecision::denominator(r).str());
      },
      py::arg("text"), py::arg("what"),
      "The CLI's exact parser: (numerator, denominator) as decimal strings.");

  py::class_<CertifiedLaw>(m, "CertifiedLaw")
      .def(py::init<std::string, std::string, std::string>(), py::arg("delta"), py::arg("gamma"),
           py::arg("kappa"))
      .def("density", [](const CertifiedLaw& l,
                         const DoubleArray& x) { return certified(l, x, Pointwise::density); })
      .def("cdf", [](const CertifiedLaw& l, const DoubleArray& x) {
        return certified(l, x, Pointwise::cdf);
      });

  py::class_<Law>(m, "BulkLaw64")
      .def(py::init<double, double, double>(), py::arg("delta"), py::arg("gamma"), py::arg("kappa"))
      .def("density",
           [](const Law& l, const DoubleArray& x) { return evaluate(l, x, Pointwise::density); })
      .def("cdf", [](const Law& l, const DoubleArray& x) { return evaluate(l, x, Pointwise::cdf); })
      .def("quantile",
           [](const Law& l, const DoubleArray& q) { return evaluate(l, q, Pointwise::quantile); })
      .def("cauchy", &cauchy)
      .def("density_scalar",
           [](const Law& l, double x) {
             require_finite_points(&x, 1, "x");
             return l.density(x);
           })
      .def_property_readonly("left_edge", &Law::left_edge)
      .def_property_readonly("right_edge", &Law::right_edge)
      .def_property_readonly("atom", &Law::atom);

  m.def("thresholds64", &thresholds_array, py::arg("delta"), py::arg("gamma"), py::arg("rho"));
  m.def("thresholds64_scalar", &thresholds_double, py::arg("delta"), py::arg("gamma"),
        py::arg("rho"));
  m.def("parallel_min_size", []() { return kParallelMin; });
}
