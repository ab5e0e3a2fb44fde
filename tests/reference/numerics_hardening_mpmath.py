#!/usr/bin/env python3
"""Reference values for tests/test_numerics_hardening.cpp, computed independently
of attnrmt with mpmath at 400-600 digits.

Bulk law MP_delta ⊠ MP_gamma (unit kappa): p = z g(z) - 1 solves
  delta gamma p^3 + (delta+gamma+delta gamma) p^2 + (1+delta+gamma-z) p + 1 = 0
(mpmath.polyroots); the physical root has Im p <= 0 and Im z/(1 + a p) >= 0 for
a = delta, gamma; density = -Im p/(pi x) at z = x + i 10^(-dps/2).
Left edge: maximum of x(p) = (1+p)(1+delta p)(1+gamma p)/p on (-1/a2, -1/a3)
(mpmath.findroot on x'(p) = 0, started from the golden-section maximiser).
"""
import mpmath as mp


def physical_p(delta, gamma, z):
    d, g = mp.mpf(delta), mp.mpf(gamma)
    roots = mp.polyroots([d * g, d + g + d * g, 1 + d + g - z, 1], maxsteps=4000,
                         extraprec=4 * mp.mp.dps)
    for p in roots:
        if (1 + p).imag <= 0 and (z / (1 + g * p)).imag >= 0 and (z / (1 + d * p)).imag >= 0:
            return p
    raise RuntimeError("no physical root")


def density(delta, gamma, x):
    x = mp.mpf(x)
    z = x + 1j * mp.mpf(10) ** (-(mp.mp.dps // 2)) * max(1, abs(x))
    return -physical_p(delta, gamma, z).imag / (mp.pi * x)


def cauchy(delta, gamma, kappa, z):
    zu = z / mp.mpf(kappa)
    p = physical_p(delta, gamma, zu)
    return (1 + p) / z


def left_edge(delta, gamma):
    d, g = mp.mpf(delta), mp.mpf(gamma)
    a1, a2, a3 = sorted([mp.mpf(1), d, g])
    x = lambda p: (1 + p) * (1 + d * p) * (1 + g * p) / p
    lo, hi = -1 / a2, -1 / a3
    # golden-section search for the maximiser, then Newton on x'(p) = 0
    phi = (mp.sqrt(5) - 1) / 2
    a, b = lo, hi
    for _ in range(2000):
        c, e = b - phi * (b - a), a + phi * (b - a)
        if x(c) > x(e):
            b = e
        else:
            a = c
    p = mp.findroot(lambda p: mp.diff(x, p), (a + b) / 2)
    return x(p)


if __name__ == "__main__":
    mp.mp.dps = 400
    print("density(1e30, 1/2, 1e30)        =", mp.nstr(density("1e30", mp.mpf(1) / 2, "1e30"), 25))
    print("density(1e300, 1e300, 1e300)    =", mp.nstr(density("1e300", "1e300", "1e300"), 25))
    print("density(1/2, 1/2, 4.40914986360938216709262398598621) =",
          mp.nstr(density(mp.mpf(1) / 2, mp.mpf(1) / 2, mp.mpf("4.40914986360938216709262398598621")), 25))
    g = cauchy(mp.mpf(1) / 2, mp.mpf(1) / 2, mp.mpf("1e100"), mp.mpc(1, 1))
    print("cauchy(1/2, 1/2, kappa 1e100, 1+1i) =", mp.nstr(g.real, 25), mp.nstr(g.imag, 25))
    mp.mp.dps = 200
    print("left_edge(0.999999, 0.999999)   =", mp.nstr(left_edge(mp.mpf("0.999999"), mp.mpf("0.999999")), 25))
    print("left_edge(1 + 1e-30, 1/2)       =",
          mp.nstr(left_edge(1 + mp.mpf("1e-30"), mp.mpf(1) / 2), 25))
