"""thresholds/outlier against an mpmath implementation of docs/theory.md §3 and the CLI."""

from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import attnrmt


def mp_thresholds(delta, gamma, rho):
    """tau1 = (delta + sqrt delta)/(rho + delta), tau2 = (delta + s*)/(rho + delta), s* the
    largest root of s^3 - (delta + gamma + gamma delta) s - 2 gamma delta (docs/theory.md §3)."""
    delta, gamma, rho = (mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in (delta, gamma, rho))
    b = delta + gamma + gamma * delta
    roots = mpmath.polyroots([1, 0, -b, -2 * gamma * delta], maxsteps=200, extraprec=200)
    s_star = max(mpmath.re(r) for r in roots)
    return {
        "tau1": (delta + mpmath.sqrt(delta)) / (rho + delta),
        "tau2": (delta + s_star) / (rho + delta),
        "omega1": delta + mpmath.sqrt(delta),
        "omega2": delta + s_star,
    }


CASES = [("1/2", "1/2", "1"), ("2", "0.3", "0"), ("0.01", "5", "2.5"), ("1", "1", "1/3")]


@pytest.mark.parametrize("delta,gamma,rho", CASES)
def test_thresholds_50_digits_against_mpmath(delta, gamma, rho):
    got = attnrmt.thresholds(delta, gamma, rho, digits=50)
    with mpmath.workdps(70):
        ref = mp_thresholds(Fraction(delta), Fraction(gamma), Fraction(rho))
        for name in ("tau1", "tau2", "omega1", "omega2"):
            assert isinstance(got[name], mpmath.mpf)
            assert abs(got[name] - ref[name]) <= abs(ref[name]) * mpmath.mpf(10) ** -49, name


@pytest.mark.parametrize("delta,gamma,rho", CASES)
def test_thresholds_float64_against_mpmath(delta, gamma, rho):
    got = attnrmt.thresholds(delta, gamma, rho)
    # The float64 path sees the parameters rounded to double: compare with those exactly.
    binary = [Fraction(float(Fraction(v))) for v in (delta, gamma, rho)]
    with mpmath.workdps(40):
        ref = mp_thresholds(*binary)
    for name in ("tau1", "tau2", "omega1", "omega2"):
        assert isinstance(got[name], float)
        assert got[name] == float(ref[name]), name  # correctly rounded (long double inside)


def test_thresholds_digit_for_digit_with_cli(cli):
    ref = cli("thresholds", "--delta", "0.5", "--gamma", "0.5", "--rho", "2", "--digits", 50)["rows"][0]
    got = attnrmt.thresholds("0.5", "0.5", 2, digits=50, as_str=True)
    assert {k: got[k] for k in ref} == ref


def test_thresholds_broadcasting():
    delta = np.array([[0.25], [0.5], [2.0]])
    gamma = np.array([0.1, 0.5, 1, 4])
    got = attnrmt.thresholds(delta, gamma, rho=1)
    assert got.tau2.shape == (3, 4) and got.tau2.dtype == np.float64
    for i in range(3):
        for j in range(4):
            assert got.tau2[i, j] == attnrmt.thresholds(float(delta[i, 0]), float(gamma[j])).tau2
    # tau1 does not depend on gamma; tau2 > tau1.
    assert np.all(got.tau1 == got.tau1[:, :1])
    assert np.all(got.tau2 > got.tau1)
    # digits=N broadcasts too: object arrays of mpmath.mpf.
    hp = attnrmt.thresholds([0.25, 0.5], 0.5, digits=30)
    assert hp.tau1.shape == (2,) and isinstance(hp.tau1[0], mpmath.mpf)
    assert [float(v) for v in hp.tau1] == pytest.approx(list(attnrmt.thresholds(np.array([0.25, 0.5]), 0.5).tau1), rel=1e-15)


def test_exact_inputs():
    # The float 0.1 is its binary value; "0.1", Fraction(1, 10), Decimal("0.1") are 1/10.
    a = attnrmt.thresholds("0.1", 1, digits=40, as_str=True).tau1
    assert attnrmt.thresholds(Fraction(1, 10), 1, digits=40, as_str=True).tau1 == a
    assert attnrmt.thresholds(Decimal("0.1"), 1, digits=40, as_str=True).tau1 == a
    assert attnrmt.thresholds("1/10", 1, digits=40, as_str=True).tau1 == a
    assert attnrmt.thresholds("1e-1", 1, digits=40, as_str=True).tau1 == a
    assert attnrmt.thresholds(0.1, 1, digits=40, as_str=True).tau1 != a
    # mpmath.mpf is exact too: mpf(0.1) at 53 bits is the float 0.1.
    assert (attnrmt.thresholds(mpmath.mpf(0.1), 1, digits=40, as_str=True).tau1
            == attnrmt.thresholds(0.1, 1, digits=40, as_str=True).tau1)
    assert attnrmt.exact(mpmath.mpf("0.375"), "x") == Fraction(3, 8)
    assert attnrmt.exact(0.1, "x") == Fraction(3602879701896397, 36028797018963968)


def test_outlier_against_closed_form_and_cli(cli):
    # delta = gamma = 1/2, rho = 1, alpha/kappa = 3: above tau2 (1.187...), detectable.
    got = attnrmt.outlier("1/2", "1/2", rho=1, alpha_over_kappa=3, digits=50, as_str=True)
    ref = cli("outlier", "--delta", "1/2", "--gamma", "1/2", "--rho", "1", "--alpha-over-kappa", "3",
              "--digits", 50)["rows"][0]
    assert {k: got[k] for k in ref} == ref
    assert got["regime"] == "detectable"
    # Below tau1: no outlier, lambda is the right edge.
    low = attnrmt.outlier(0.5, 0.5, alpha_over_kappa=0.5)
    assert low.regime == "none"
    assert low["lambda"] == pytest.approx(attnrmt.BulkLaw(0.5, 0.5).edges()[1], rel=1e-15)
    assert low.alignment_mu == 0.0
    # Broadcasting over alpha_over_kappa with text regimes.
    sweep = attnrmt.outlier(0.5, 0.5, alpha_over_kappa=np.array([0.5, 1.0, 3.0]))
    assert list(sweep.regime) == ["none", "table-only", "detectable"]
    assert sweep["lambda"].dtype == np.float64 and sweep["lambda"].shape == (3,)


def test_scheme_forms(cli):
    ref = cli("outlier", "--delta", "0.5", "--gamma", "0.5", "--T", "8", "--pooling", "causal",
              "--corr", "markov:0.5", "--digits", 30)["rows"][0]
    got = attnrmt.outlier(0.5, 0.5, T=8, pooling="causal", corr="markov:0.5", digits=30, as_str=True)
    assert {k: got[k] for k in ref} == ref
    # weights: mean pooling w_t = 1/T gives alpha = kappa = 1/T with identity correlation.
    w = attnrmt.weights(T=[4, 8], pooling="mean")
    assert w.kappa == pytest.approx([0.25, 0.125], rel=1e-15)
    assert w.alpha_over_kappa == pytest.approx([1, 1], rel=1e-15)
    shown = attnrmt.weights(T=5, pooling="causal", show_weights=True)
    assert shown.w.shape == (5,) and shown.w.sum() == pytest.approx(1, rel=1e-15)
    # compare: one row per scheme on a trailing axis, pooling names kept as text.
    c = attnrmt.compare(T=4, corr="markov:0.5", delta=0.5, gamma=0.5)
    assert list(c.pooling) == ["mean", "causal", "optimal"]
    assert c.alpha_over_kappa[0] == pytest.approx(2.0625, rel=1e-15)
    th = attnrmt.thresholds(0.5, 0.5, T=4, pooling="mean", corr="markov:0.5")
    assert th.alpha_over_kappa == pytest.approx(2.0625, rel=1e-15) and th.regime == "detectable"


def test_float64_thresholds_are_correctly_rounded():
    # Dyadic parameters (exact in binary) on a 32 x 16 x 3 grid; the certified 25-digit
    # values of one `table` call, rounded to double, must equal the float64 path exactly.
    t = attnrmt.table("tau1,tau2,omega1,omega2",
                      vary={"delta": "1/8:4:32", "gamma": "1/4:4:16", "rho": "0,0.5,3"}, digits=25)
    delta, gamma, rho = (t.column(n) for n in ("delta", "gamma", "rho"))
    got = attnrmt.thresholds(delta, gamma, rho)
    assert len(t) == 32 * 16 * 3
    for name in ("tau1", "tau2", "omega1", "omega2"):
        exact_rounded = np.array([float(Fraction(r[name])) for r in t.rows])
        mismatches = np.flatnonzero(got[name] != exact_rounded)
        assert mismatches.size == 0, (name, mismatches[:5], got[name][mismatches[:5]], exact_rounded[mismatches[:5]])
