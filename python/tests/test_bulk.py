"""BulkLaw against closed forms, exact moments, quadrature and the CLI (50 digits)."""

from fractions import Fraction

import mpmath
import numpy as np
import pytest

import attnrmt


def gauss_legendre_on_support(law, f, n=400, upper=None):
    """∫ f(t) density(t) dt over [left, right] with t = l + (r-l) u^3, u = (1-cos th)/2:
    smooth in th for square-root soft edges and for the t^(-2/3) hard edge at 0
    (delta = gamma = 1), so Gauss-Legendre in th converges fast."""
    left, right = law.edges()
    if upper is not None:  # ∫ over [left, upper]: u in [0, 1/2 ... ] with t(u_max) = upper
        right = left + (upper - left) * 8  # u = 1/2 at th = pi/2 gives t = upper
    nodes, w = np.polynomial.legendre.leggauss(n)
    th = (nodes + 1) * np.pi / (2 if upper is None else 4)
    u = (1 - np.cos(th)) / 2
    t = left + (right - left) * u**3
    jac = (right - left) * 3 * u**2 * np.sin(th) / 2 * np.pi / (2 if upper is None else 4)
    return np.sum(w * jac * f(t) * law.density(t))


def test_edges_closed_form_half_half_50_digits():
    # delta = gamma = 1/2: edges (71 -+ 17 sqrt 17)/32 (docs/theory.md §2, Edges).
    law = attnrmt.BulkLaw("1/2", "1/2")
    left, right = law.edges(digits=50)
    with mpmath.workdps(60):
        s17 = mpmath.sqrt(17)
        assert abs(left - (71 - 17 * s17) / 32) < mpmath.mpf(10) ** -50 * 0.03
        assert abs(right - (71 + 17 * s17) / 32) < mpmath.mpf(10) ** -49
    lf, rf = law.edges()
    assert lf == pytest.approx((71 - 17 * 17**0.5) / 32, rel=1e-15)
    assert rf == pytest.approx((71 + 17 * 17**0.5) / 32, rel=1e-15)
    assert law.atom == 0.0


def test_hard_edge_delta_gamma_one():
    # delta = gamma = 1: x(p) = (1+p)^3/p, support [0, 27/4], Fuss-Catalan moments.
    law = attnrmt.BulkLaw(1, 1)
    left, right = law.edges(digits=40, as_str=True)
    assert left == "0" and right == "6.75"
    assert law.moments(6) == [1, 3, 12, 55, 273, 1428]
    assert all(isinstance(m, Fraction) for m in law.moments(3))


def test_moments_exact_rationals():
    law = attnrmt.BulkLaw("1/3", Fraction(2, 7), "0.5")
    m = law.moments(3)
    delta, gamma, kappa = Fraction(1, 3), Fraction(2, 7), Fraction(1, 2)
    assert m[0] == kappa
    assert m[1] == kappa**2 * (1 + delta + gamma)  # m_2 = 1 + delta + gamma
    # m_3 from the Lagrange-inversion sum written out (docs/theory.md §2, Moments).
    from math import comb
    m3 = sum(comb(3, 2 - b - c) * comb(3, b) * comb(3, c) * delta**b * gamma**c
             for b in range(3) for c in range(3) if b + c <= 2) / 3
    assert m[2] == kappa**3 * m3


@pytest.mark.parametrize("delta,gamma,kappa", [(0.5, 0.5, 1), (2, 0.5, 1), (0.3, 3, 2.5), (1, 1, 1)])
def test_density_quadrature(delta, gamma, kappa):
    law = attnrmt.BulkLaw(delta, gamma, kappa)
    mass = gauss_legendre_on_support(law, lambda t: np.ones_like(t))
    assert mass == pytest.approx(1 - law.atom, abs=2e-6)
    mean = gauss_legendre_on_support(law, lambda t: t)
    assert mean == pytest.approx(float(law.moments(1)[0]), rel=2e-6)
    second = gauss_legendre_on_support(law, lambda t: t * t)
    assert second == pytest.approx(float(law.moments(2)[1]), rel=2e-6)
    # CDF at interior points: atom + quadrature of the density up to x.
    left, right = law.edges()
    for frac in (0.25, 0.6):
        x = left + frac * (right - left)
        integral = gauss_legendre_on_support(law, lambda t: np.ones_like(t), n=300, upper=x)
        assert law.cdf(x) == pytest.approx(law.atom + integral, abs=1e-5)


def test_quantile_inverts_cdf():
    law = attnrmt.BulkLaw(0.5, 0.5)
    q = np.linspace(0.01, 0.99, 9)
    assert law.cdf(law.quantile(q)) == pytest.approx(q, abs=1e-13)
    # Certified quantile at 40 digits: the CLI's CDF at that point is q to ~40 digits.
    x = law.quantile(Fraction(1, 3), digits=40, as_str=True)
    c = law.cdf(x, digits=45)
    with mpmath.workdps(60):
        assert abs(c - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -38


def test_cauchy_matches_quadrature():
    law = attnrmt.BulkLaw(2, 0.5)
    for z in (3 + 1j, -1 + 0.5j, 10.0 + 0j, 1.2 - 0.3j):
        g = law.cauchy(z)
        expected = law.atom / z + gauss_legendre_on_support(law, lambda t: 1 / (z - t), n=2000)
        assert abs(g - expected) < 1e-5 * abs(expected)
    # Herglotz and the 1/z tail.
    z = np.array([[1 + 2j, 5 + 0.1j], [100 + 1j, 0.5 + 3j]])
    g = law.cauchy(z)
    assert g.shape == (2, 2) and g.dtype == np.complex128
    assert np.all(g.imag < 0)
    assert abs(law.cauchy(1e8 + 0j) * 1e8 - 1) < 1e-6


def test_density_cdf_digit_for_digit_with_cli(cli):
    law = attnrmt.BulkLaw("1/2", "1/2")
    xs = ["0.5", "1", "2.25", "4"]
    ref = cli("bulk", "--delta", "1/2", "--gamma", "1/2", "--x", ",".join(xs), "--digits", 50)
    dens = law.density(xs, digits=50, as_str=True)
    cdf = law.cdf(np.array(xs), digits=50, as_str=True)
    assert list(dens) == [r["density"] for r in ref["rows"]]
    assert list(cdf) == [r["cdf"] for r in ref["rows"]]
    # mpmath values carry every certified digit.
    d = law.density("1", digits=50)
    assert isinstance(d, mpmath.mpf)
    assert mpmath.nstr(d, 50, strip_zeros=False).rstrip("0") == ref["rows"][1]["density"].rstrip("0")
    # float64 path agrees with the certified values.
    assert law.density([0.5, 1, 2.25, 4]) == pytest.approx([float(r["density"]) for r in ref["rows"]], rel=1e-13)


def test_edges_and_cauchy_digit_for_digit_with_cli(cli):
    ref = cli("edges", "--delta", "2", "--gamma", "0.3", "--kappa", "1.5", "--digits", 50)["rows"][0]
    law = attnrmt.BulkLaw(2, "0.3", "1.5")
    assert law.edges(digits=50, as_str=True) == (ref["left_edge"], ref["right_edge"])
    refc = cli("cauchy", "--delta", "2", "--gamma", "0.3", "--kappa", "1.5", "--z", "1.5+0.25i",
               "--digits", 50)["rows"][0]
    g = law.cauchy(complex(1.5, 0.25), digits=50, as_str=True)
    assert g == (refc["g_re"], refc["g_im"])
    gm = law.cauchy(complex(1.5, 0.25), digits=50)
    assert isinstance(gm, mpmath.mpc)
    assert complex(gm) == pytest.approx(law.cauchy(1.5 + 0.25j), rel=1e-14)


def _density_mpmath(delta, gamma, kappa, x):
    """-Im q/(pi x) at 60 digits from mpmath's own roots of the cubic in q = z g
    (the root with Im q < 0), written here from docs/theory.md §2, for x > 0;
    0 when every root is real (x outside the support) and for x <= 0."""
    with mpmath.workdps(60):
        d, g, k = (mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator
                   for v in (delta, gamma, kappa))
        xu = mpmath.mpf(x) / k  # the double x, exactly
        if xu <= 0:
            return mpmath.mpf(0)  # the law lives on [0, inf): no continuous part here
        coeffs = [d * g, d * (1 - g) + g * (1 - d), (1 - d) * (1 - g) - xu, xu]
        roots = mpmath.polyroots(coeffs, maxsteps=200, extraprec=200)
        lower = [r for r in roots if mpmath.im(r) < -mpmath.mpf(10) ** -40]
        if not lower:
            return mpmath.mpf(0)
        return -mpmath.im(lower[0]) / (mpmath.pi * xu) / k


@pytest.mark.parametrize("delta,gamma,kappa", [("1/2", "1/2", "1"), ("1/3", "2", "5/2")])
def test_certified_float64_density_is_correctly_rounded(delta, gamma, kappa):
    law = attnrmt.BulkLaw(delta, gamma, kappa)
    left, right = law.edges()
    rng = np.random.default_rng(7)
    x = np.concatenate([
        rng.uniform(left, right, 300),
        [left * (1 + 1e-9), right * (1 - 1e-12), right * 1.5, -1.0, 0.0],
    ])
    got = law.density(x)  # certified by default
    for xi, yi in zip(x, got):
        ref = float(_density_mpmath(Fraction(delta), Fraction(gamma), Fraction(kappa), xi))
        assert yi == ref, (xi, yi, ref)  # the correctly rounded double, bit for bit
    # The plain double path agrees in the interior; within 1e-9 (relative) of
    # the soft edge it loses digits (measured: 1.6e-6 relative at 1/2, 1/2),
    # which is what the certified default is for.
    fast = law.density(x[:300], certified=False)
    assert np.all(np.abs(fast - got[:300]) <= 1e-9 * got[:300])


def test_certified_float64_cdf_matches_the_cli_digits():
    # The CLI's single-point ball path at 30 digits, rounded to double, is the
    # correctly rounded double too (30 digits decide the rounding unless the
    # value is within 1e-30 relative of a midpoint between doubles).
    law = attnrmt.BulkLaw("2", "1/2")
    x = np.array([0.01, 0.3, 1.0, 2.5, 4.0, 6.5, 10.0])
    got = law.cdf(x)
    ref = law.cdf(x, digits=30)
    with mpmath.workdps(40):
        assert [float(v) for v in ref] == list(got)
    assert got[0] == 0.5  # the atom of mass 1/2 at delta = 2, left edge above 0.01
