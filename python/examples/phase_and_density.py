#!/usr/bin/env python3
"""Worked example (docs/python.md): the phase diagram and the density-vs-histogram figure.

    python3 python/examples/phase_and_density.py [--out DIR] [--d 400] [--seed 1]

1. Phase diagram at gamma = 1/2, rho = 1: tau1(delta) and tau2(delta) from one
   vectorised attnrmt.thresholds call, the regimes none / table-only / detectable
   shaded, and the alpha/kappa of three pooling schemes (T = 16, positional
   correlation latent-exp:0.9,4) from attnrmt.weights as horizontal lines.
2. Density of the bulk law MP_delta ⊠ MP_gamma at delta = gamma = 1/2 against
   the histogram of the eigenvalues of W1^(1/2) W2 W1^(1/2), W1 = G G^T/V and
   W2 = Y Y^T/N independent Wishart matrices (d/V = delta, d/N = gamma), whose
   spectrum converges to that law.
Writes DIR/phase.png and DIR/density.png (matplotlib, Agg backend: no display).
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import attnrmt  # noqa: E402


def phase_diagram(path):
    gamma, rho = "1/2", 1
    delta = np.linspace(0.01, 2, 400)
    th = attnrmt.thresholds(delta, gamma, rho)  # float64 arrays, one call
    schemes = attnrmt.weights(T=16, pooling=["mean", "causal", "optimal"], corr="latent-exp:0.9,4")
    top = max(th.tau2.max(), schemes.alpha_over_kappa.max()) * 1.1
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.fill_between(delta, 0, th.tau1, color="0.92", label="none")
    ax.fill_between(delta, th.tau1, th.tau2, color="#fde3c0", label="table only")
    ax.fill_between(delta, th.tau2, top, color="#cfe8cf", label="detectable")
    ax.plot(delta, th.tau1, "k--", lw=1.2, label=r"$\tau_1$")
    ax.plot(delta, th.tau2, "k-", lw=1.5, label=r"$\tau_2$")
    for name, aok in zip(["mean", "causal", "optimal"], schemes.alpha_over_kappa):
        ax.axhline(aok, lw=1, color="tab:blue")
        ax.text(delta[-1], aok, f" {name}", va="center", fontsize=8, color="tab:blue")
    ax.set(xlim=(0, 2), ylim=(0, top), xlabel=r"$\delta = d/V$", ylabel=r"$\alpha/\kappa$",
           title=r"phases at $\gamma = 1/2$, $\rho = 1$")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return th, schemes


def density_vs_histogram(path, d, seed):
    delta, gamma = 0.5, 0.5
    law = attnrmt.BulkLaw("1/2", "1/2")
    rng = np.random.default_rng(seed)
    V, N = round(d / delta), round(d / gamma)
    G = rng.standard_normal((d, V))
    Y = rng.standard_normal((d, N))
    L = np.linalg.cholesky(G @ G.T / V)
    eig = np.linalg.eigvalsh(L.T @ (Y @ Y.T / N) @ L)
    left, right = law.edges()
    x = np.linspace(0, right * 1.05, 800)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.hist(eig, bins=60, density=True, color="0.75", label=f"eigenvalues, d = {d}")
    ax.plot(x, law.density(x), "C3", lw=1.8, label=r"$MP_\delta \boxtimes MP_\gamma$ density")
    ax.axvline(left, color="C3", ls=":", lw=1)
    ax.axvline(right, color="C3", ls=":", lw=1)
    ax.set(xlabel="eigenvalue", ylabel="density", title=r"bulk law at $\delta = \gamma = 1/2$")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return eig, law


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=".", help="output directory (default: .)")
    p.add_argument("--d", type=int, default=400, help="matrix dimension for the histogram")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    th, schemes = phase_diagram(os.path.join(a.out, "phase.png"))
    eig, law = density_vs_histogram(os.path.join(a.out, "density.png"), a.d, a.seed)
    print(f"wrote {os.path.join(a.out, 'phase.png')} and {os.path.join(a.out, 'density.png')}")
    print("alpha/kappa:", dict(zip(["mean", "causal", "optimal"], np.round(schemes.alpha_over_kappa, 6))))
    print(f"second moment: eigenvalues {np.mean(eig**2):.4f}, theory {float(law.moments(2)[1]):.4f}")


if __name__ == "__main__":
    main()
