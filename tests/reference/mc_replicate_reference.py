#!/usr/bin/env python3
"""Second route to the pinned Monte Carlo replicate of tests/test_monte_carlo.cpp
("fixed seed: one replicate's top eigenvalue ...").

Re-implements, from their published definitions and independently of the C++
code, every step of the Gaussian model's replicate: SplitMix64 and xoshiro256**
(prng.di.unimi.it reference code), the stream seeding of mc/random.hpp, the
256-layer ziggurat (Marsaglia and Tsang 2000), Marsaglia-Tsang gamma and chi
variates, the Dumitriu-Edelman bidiagonal singular values, the signal vectors
and labels, the centred covariance, and its top eigenvalue by numpy's eigvalsh.
Run once; its output is quoted in the test:

    /usr/bin/python3 tests/reference/mc_replicate_reference.py   (numpy)
    -> 5.5458219430948
"""
import math

import numpy as np

M64 = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def stream_seed(base, replicate, kind, index):
    s, h = splitmix64(base)
    s = h ^ ((replicate * 0xD1B54A32D192ED03) & M64)
    s, h = splitmix64(s)
    s = h ^ ((kind * 0xABC98388FB8FAC03) & M64)
    s, h = splitmix64(s)
    s = h ^ ((index * 0x8CB92BA72F3D8DD7) & M64)
    return splitmix64(s)[1]


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Xoshiro256:
    def __init__(self, seed):
        self.s = []
        for _ in range(4):
            seed, w = splitmix64(seed)
            self.s.append(w)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):  # (0, 1), 53 bits
        return ((self.next() >> 11) + 0.5) * 2.0**-53


R_TAIL, V_AREA = 3.6541528853610088, 0.00492867323399
ZX = [0.0] * 257
ZX[0] = V_AREA / math.exp(-0.5 * R_TAIL * R_TAIL)
ZX[1] = R_TAIL
for i in range(1, 255):
    ZX[i + 1] = math.sqrt(-2 * math.log(math.exp(-0.5 * ZX[i] * ZX[i]) + V_AREA / ZX[i]))
ZX[256] = 0.0
ZF = [math.exp(-0.5 * x * x) for x in ZX]


class Normal:
    def __init__(self, seed):
        self.rng = Xoshiro256(seed)

    def __call__(self):
        while True:
            bits = self.rng.next()
            i = bits & 255
            sign = -1.0 if bits & 256 else 1.0
            z = ((bits >> 11) * 2.0**-53) * ZX[i]
            if z < ZX[i + 1]:
                return sign * z
            if i == 0:
                while True:
                    a = -math.log(self.rng.uniform()) / R_TAIL
                    b = -math.log(self.rng.uniform())
                    if not 2 * b < a * a:
                        return sign * (R_TAIL + a)
            if ZF[i] + self.rng.uniform() * (ZF[i + 1] - ZF[i]) < math.exp(-0.5 * z * z):
                return sign * z


def gamma_variate(shape, normal):
    if shape < 1:
        g = gamma_variate(shape + 1, normal)
        return g * math.pow(normal.rng.uniform(), 1 / shape)
    d = shape - 1.0 / 3
    c = 1 / math.sqrt(9 * d)
    while True:
        while True:
            x = normal()
            v = 1 + c * x
            if not v <= 0:
                break
        v = v * v * v
        u = normal.rng.uniform()
        if u < 1 - 0.0331 * (x * x) * (x * x):
            return d * v
        if math.log(u) < 0.5 * x * x + d * (1 - v + math.log(v)):
            return d * v


def chi(k, normal):
    return math.sqrt(2 * gamma_variate(0.5 * k, normal))


def singular_values(m, n, seed):
    p, q = min(m, n), max(m, n)
    normal = Normal(seed)
    a = [chi(q - j, normal) for j in range(p)]
    b = [chi(p - 1 - j, normal) for j in range(p - 1)] + [0.0]
    # B^T B: diagonal a_j^2 + b_j^2, off-diagonal a_{j+1} b_j.
    T = np.diag([a[j] ** 2 + b[j] ** 2 for j in range(p)])
    for j in range(p - 1):
        T[j, j + 1] = T[j + 1, j] = a[j + 1] * b[j]
    ev = np.linalg.eigvalsh(T)
    return np.sqrt(np.maximum(0.0, ev[::-1]))


def gaussian_vector(n, seed):
    normal = Normal(seed)
    return np.array([normal() for _ in range(n)])


SIGNAL, NOISE_COLUMN, SINGULAR = 1, 2, 3


def top_eigenvalue(d, delta, gamma, rho, alpha_over_kappa, seed, rep):
    V, N = round(d / delta), round(d / gamma)
    inv_sqrt_v = 1 / math.sqrt(V)
    direction = gaussian_vector(d, stream_seed(seed, rep, SIGNAL, 0))
    mu = direction * (math.sqrt(rho) / np.linalg.norm(direction))
    u = mu + gaussian_vector(d, stream_seed(seed, rep, SIGNAL, 1)) * inv_sqrt_v
    scale = singular_values(d, V - 2, stream_seed(seed, rep, SINGULAR, 0)) * inv_sqrt_v
    labels_rng = Xoshiro256(stream_seed(seed, rep, SIGNAL, 3))
    amp = math.sqrt(alpha_over_kappa)
    labels = [amp if labels_rng.next() >> 63 else -amp for _ in range(N)]
    H = np.empty((d, N))
    for i in range(N):
        g = gaussian_vector(d, stream_seed(seed, rep, NOISE_COLUMN, i))
        H[:, i] = u * labels[i] + scale[:d] * g  # uncentred mean term: sigma = 0
    H -= H.mean(axis=1, keepdims=True)
    C = H @ H.T / N
    return np.linalg.eigvalsh(C)[-1]


if __name__ == "__main__":
    # d = 60, delta = gamma = 1/2, rho = 1, alpha/kappa = 3, seed 2026, replicate 0.
    print("%.15g" % top_eigenvalue(60, 0.5, 0.5, 1.0, 3.0, 2026, 0))
