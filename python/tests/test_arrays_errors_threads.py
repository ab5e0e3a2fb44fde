"""Shapes, dtypes, empty arrays, bad input and NaN/inf, concurrent calls."""

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import attnrmt

LAW = attnrmt.BulkLaw(0.5, 0.5)


def test_scalar_in_scalar_out():
    assert isinstance(LAW.density(1.0), float)
    assert isinstance(LAW.cdf(1), float)
    assert isinstance(LAW.quantile(Fraction(1, 2)), float)
    assert isinstance(LAW.cauchy(2 + 1j), complex)
    assert isinstance(LAW.density("1/2"), float)


@pytest.mark.parametrize("shape", [(7,), (2, 3), (2, 1, 4), (0,), (3, 0)])
def test_shapes_preserved(shape):
    x = np.linspace(0.1, 4.5, int(np.prod(shape))).reshape(shape)
    for f in (LAW.density, LAW.cdf):
        y = f(x)
        assert y.shape == shape and y.dtype == np.float64
    q = np.linspace(0, 1, int(np.prod(shape))).reshape(shape)
    assert LAW.quantile(q).shape == shape
    assert LAW.cauchy(x + 1j).shape == shape
    assert LAW.density(x, digits=20).shape == shape


def test_dtypes():
    xf = np.array([0.5, 1.0, 2.0])
    ref = LAW.density(xf)
    assert np.array_equal(LAW.density(np.array([0.5, 1.0, 2.0], dtype=np.float32)), ref)
    assert np.array_equal(LAW.cdf(np.array([1, 2, 3])), LAW.cdf(np.array([1.0, 2.0, 3.0])))
    assert np.array_equal(LAW.density(np.array([Fraction(1, 2), 1, "2"], dtype=object)), ref)
    assert LAW.cauchy(np.array([2 + 1j], dtype=np.complex64)).dtype == np.complex128
    # Non-contiguous views work.
    big = np.linspace(0.1, 4, 20).reshape(4, 5)
    assert np.array_equal(LAW.density(big.T), LAW.density(big).T)
    with pytest.raises(ValueError, match="real"):
        LAW.density(np.array([1 + 1j]))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_inf_raise(bad):
    with pytest.raises(ValueError, match="finite"):
        LAW.density(np.array([1.0, bad]))
    with pytest.raises(ValueError, match="finite"):
        LAW.cdf(bad)
    with pytest.raises(ValueError, match="finite"):
        LAW.cauchy(complex(1, bad))
    with pytest.raises(ValueError, match="finite"):
        attnrmt.thresholds(bad, 0.5)
    with pytest.raises(ValueError, match="finite"):
        attnrmt.thresholds(np.array([0.5, bad]), 0.5)
    with pytest.raises(ValueError, match="finite"):
        attnrmt.BulkLaw(bad, 1)
    with pytest.raises(ValueError, match="finite"):
        attnrmt.thresholds(0.5, 0.5, digits=20, rho=bad)
    with pytest.raises(ValueError, match="finite"):
        LAW.density(mpmath.mpf(bad), digits=20)


def test_bad_input_messages():
    with pytest.raises(ValueError, match=r"delta must be a finite number > 0 \(got -1\)"):
        attnrmt.thresholds(-1, 0.5)
    with pytest.raises(ValueError, match=r"rho must be"):
        attnrmt.thresholds(0.5, 0.5, np.array([1.0, -2.0]))
    with pytest.raises(ValueError, match=r"--delta must be > 0 \(got -1/2\)"):
        attnrmt.thresholds("-1/2", 0.5, digits=20)
    with pytest.raises(ValueError, match=r"delta must be > 0"):
        attnrmt.BulkLaw(0, 1)
    with pytest.raises(ValueError, match=r"expected a number such as 0.5, 1/2 or 2.5e-1 \(got 'abc'\)"):
        attnrmt.BulkLaw("abc", 1)
    with pytest.raises(ValueError, match=r"q must be in \[0, 1\]"):
        LAW.quantile(1.5)
    with pytest.raises(ValueError, match=r"q must be in \[0, 1\]"):
        LAW.quantile("3/2", digits=20)
    with pytest.raises(ValueError, match="digits"):
        LAW.density(1, digits=0)
    with pytest.raises(ValueError, match="digits"):
        LAW.density(1, digits=2.5)
    with pytest.raises(ValueError, match="boolean"):
        attnrmt.thresholds(True, 0.5)
    with pytest.raises(ValueError, match="z = 0 is not allowed"):
        attnrmt.BulkLaw(1, 1).cauchy(0j)
    with pytest.raises(ValueError, match="pooling"):
        attnrmt.weights(T=4, pooling="nonsense")
    with pytest.raises(ValueError, match="order"):
        LAW.moments(0)


def test_large_arrays_use_threads_and_match_small_chunks():
    n = 3 * attnrmt._core.parallel_min_size() + 17
    x = np.linspace(-0.5, 5, n)
    whole = LAW.density(x)
    pieces = np.concatenate([LAW.density(x[i:i + 1000]) for i in range(0, n, 1000)])
    assert np.array_equal(whole, pieces)


def test_concurrent_calls_from_threads():
    x = np.linspace(0.01, 4.5, 200_001)
    expected_density = LAW.density(x)
    expected_hp = attnrmt.thresholds("1/3", "1/7", digits=40, as_str=True)
    expected_q = LAW.quantile(np.linspace(0, 1, 101))
    barrier = threading.Barrier(6)

    def work(i):
        barrier.wait()
        if i % 3 == 0:
            return np.array_equal(LAW.density(x), expected_density)
        if i % 3 == 1:
            return attnrmt.thresholds("1/3", "1/7", digits=40, as_str=True) == expected_hp
        return np.array_equal(LAW.quantile(np.linspace(0, 1, 101)), expected_q)

    with ThreadPoolExecutor(6) as pool:
        assert all(pool.map(work, range(6)))
