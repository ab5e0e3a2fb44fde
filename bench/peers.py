#!/usr/bin/python3
"""Peers for bench/bench_certified.cpp (issue 13), same grids, same run.

(a) numpy do-it-yourself density + CDF: roots of the cubic in q = z g(z) from
    batched companion matrices (np.linalg.eigvals), the root with the most
    negative imaginary part, no branch proof, no certificate, double precision.
(b) mpmath closed forms for the outlier at 50 digits: regime by comparisons,
    lambda = (s+d)(s+1)(s+g)/s^2, A_u = P(s)/(s^2 (s+g)), A_mu = rho/(rho+d) A_u,
    right edge (via mpmath.polyroots) below the threshold.
(c) mpmath thresholds at 50 digits: tau1 closed form, s* by mpmath.polyroots.
(d) mpmath at 1000 digits, the node of the contour rule behind `integrate --f log`:
    z = exp(p) on the log-ellipse, g(z) = q/z with q the physical root of the
    cubic (mpmath.polyroots, branch by the sign conditions of docs/theory.md),
    times log z and z; the time per node over 16 nodes (a whole integral takes
    the node count `integrate` prints, times two certification runs).
Usage: peers.py [N]
"""
import sys
import time

import mpmath
import numpy as np


def density_cdf_numpy(delta, gamma, x):
    c3 = delta * gamma
    c2 = delta * (1 - gamma) + gamma * (1 - delta)
    c1 = (1 - delta) * (1 - gamma) - x
    c0 = x
    n = x.size
    comp = np.zeros((n, 3, 3))
    comp[:, 0, 0] = -c2 / c3
    comp[:, 0, 1] = -c1 / c3
    comp[:, 0, 2] = -c0 / c3
    comp[:, 1, 0] = 1
    comp[:, 2, 1] = 1
    roots = np.linalg.eigvals(comp)
    q = roots[np.arange(n), np.argmin(roots.imag, axis=1)]
    q = np.where(q.imag < 0, q, q.real + 0j)
    density = -q.imag / (np.pi * x)
    im_f = 2 * q.imag - np.angle(q - 1)
    im_f += (1 - 1 / delta) * np.angle((1 - delta) + delta * q) if delta != 1 else 0
    im_f += (1 - 1 / gamma) * np.angle((1 - gamma) + gamma * q) if gamma != 1 else 0
    cdf = np.where(q.imag < 0, 1 - im_f / np.pi, np.nan)
    return density, cdf


def right_edge_mp(d, g):
    b = d + g + d * g
    roots = mpmath.polyroots([2 * d * g, b, 0, -1], maxsteps=200, extraprec=60)
    p = max(r.real for r in roots if abs(r.imag) < mpmath.mpf(10) ** -40)
    return (1 + p) * (1 + d * p) * (1 + g * p) / p, 1 / p


def outlier_grid_mp():
    """(b): regime, lambda, A_u, A_mu on the 20 x 20 x 10 grid at 50 digits, printed to
    strings (also timed by bench/cli_costs.py against the attnrmt command)."""
    mpmath.mp.dps = 50
    ds = [mpmath.mpf(1) / 10 + (mpmath.mpf(4) - mpmath.mpf(1) / 10) * i / 19 for i in range(20)]
    aks = [mpmath.mpf(1) / 2 + mpmath.mpf(9) / 2 * i / 9 for i in range(10)]
    rho = mpmath.mpf(1)
    for d in ds:
        for g in ds:
            edge, s_star = right_edge_mp(d, g)
            for ak in aks:
                s = ak * (rho + d) - d
                if s > s_star:
                    lam = (s + d) * (s + 1) * (s + g) / s ** 2
                    a_u = (s ** 3 - (d + g + g * d) * s - 2 * g * d) / (s ** 2 * (s + g))
                    a_mu = rho / (rho + d) * a_u
                else:
                    lam, a_u, a_mu = edge, mpmath.mpf(0), mpmath.mpf(0)
                mpmath.nstr(lam, 50), mpmath.nstr(a_u, 50), mpmath.nstr(a_mu, 50)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    x = np.linspace(0.03, 4.4, n)
    t0 = time.process_time()
    for start in range(0, n, 100000):
        density_cdf_numpy(0.5, 0.5, x[start:start + 100000])
    t = time.process_time() - t0
    print(f"(a) numpy DIY density+cdf {n} points, double, uncertified: cpu {t:.3f} s "
          f"({1e6 * t / n:.2f} us/point)")

    mpmath.mp.dps = 50
    t0 = time.process_time()
    outlier_grid_mp()
    t = time.process_time() - t0
    print(f"(b) mpmath outlier 20x20x10 grid, 50 digits: cpu {t:.4f} s")

    ds = [mpmath.mpf(1) / 20 + (mpmath.mpf(4) - mpmath.mpf(1) / 20) * i / 29 for i in range(30)]
    t0 = time.process_time()
    for d in ds:
        for g in ds:
            _, s_star = right_edge_mp(d, g)
            for r in (mpmath.mpf(1) / 2, mpmath.mpf(1), mpmath.mpf(2)):
                mpmath.nstr((d + mpmath.sqrt(d)) / (r + d), 50)
                mpmath.nstr((d + s_star) / (r + d), 50)
    t = time.process_time() - t0
    print(f"(c) mpmath thresholds 30x30x3 table, 50 digits: cpu {t:.4f} s")

    per_node = contour_nodes_mp(1000, 16)
    print(f"(d) mpmath contour node (log-ellipse, polyroots, branch, log) at 1000 digits: "
          f"cpu {1e3 * per_node:.1f} ms per node")


def node_mp(theta, d, g, centre, half, rho):
    """One node of the log-ellipse trapezoidal rule: log(z) g(z) z dp/dtheta."""
    e = mpmath.expj(theta)
    p = centre + half / 2 * (rho * e + 1 / (rho * e))
    dp = half / 2 * (rho * e - 1 / (rho * e)) * 1j
    z = mpmath.exp(p)
    roots = mpmath.polyroots([d * g, d * (1 - g) + g * (1 - d), (1 - d) * (1 - g) - z, z],
                             maxsteps=400, extraprec=200)
    s = 1 if z.imag > 0 else -1
    phys = [q for q in roots
            if s * q.imag < 0 and s * (z / (1 - g + g * q)).imag > 0
            and s * (z / (1 - d + d * q)).imag > 0]
    if len(phys) != 1:
        raise RuntimeError("branch not decided")
    return mpmath.log(z) * phys[0] * dp


def contour_nodes_mp(dps, count):
    mpmath.mp.dps = dps
    d = g = mpmath.mpf(1) / 2
    # support [0.02835, 4.40915] of MP_1/2 ⊠ MP_1/2: the log-ellipse around
    # [log 0.0283, log 4.41] with rho = 1.5 (inside the analyticity region).
    lo, hi = mpmath.log(mpmath.mpf("0.028")), mpmath.log(mpmath.mpf("4.45"))
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    t0 = time.process_time()
    for k in range(count):
        node_mp(2 * mpmath.pi * (k + mpmath.mpf(1) / 2) / count, d, g, centre, half,
                mpmath.mpf(3) / 2)
    return (time.process_time() - t0) / count


if __name__ == "__main__":
    main()
