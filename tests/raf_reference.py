"""Brute-force references for the RAF output channels, independent of the generated kernels.

The proximal operator is computed from the loss as written (``ℓ(y, z)`` with ``y = ±1``, no margin
reduction), by bisection on the stationarity condition; integrals use composite Gauss–Legendre with
breakpoints at every kink, in the ``(y, ξ)`` form of docs/theory/raf.md §3.1.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

X, W = np.polynomial.legendre.leggauss(200)


def loss(name, y, z):
    if name == "square":
        return 0.5 * (y - z) ** 2
    if name == "hinge":
        return np.maximum(0.0, 1.0 - y * z)
    if name == "logistic":
        return np.logaddexp(0.0, -y * z)
    if name == "squared_hinge":
        return 0.5 * np.maximum(0.0, 1.0 - y * z) ** 2
    if name == "huber":  # δ = 1 on the residual 1 − yz
        r = np.abs(1.0 - y * z)
        return np.where(r <= 1.0, 0.5 * r * r, r - 0.5)
    if name == "square_interpolating":  # rescaled λ→0: hard constraint z = y, envelope (y−ω)²/(2Ṽ)
        return np.where(np.abs(z - y) < 0, 0.0, 0.0)
    raise ValueError(name)


def dloss(name, y, z):
    """A subgradient selection (bisection only needs the sign of the stationarity residual)."""
    if name == "square":
        return z - y
    if name == "hinge":
        return np.where(y * z < 1.0, -y, 0.0)
    if name == "logistic":
        return -y / (1.0 + np.exp(np.clip(y * z, -700, 700)))
    if name == "squared_hinge":
        return -y * np.maximum(0.0, 1.0 - y * z)
    if name == "huber":
        return -y * np.clip(1.0 - y * z, -1.0, 1.0)
    raise ValueError(name)


def prox(name, y, omega, V):
    """argmin_z ℓ(y, z) + (z − ω)²/(2V), by bisection of the monotone subgradient condition."""
    lo = omega - 5.0 * V - 5.0
    hi = omega + 5.0 * V + 5.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        g = dloss(name, y, mid) + (mid - omega) / V
        lo = np.where(g < 0, mid, lo)
        hi = np.where(g < 0, hi, mid)
    return 0.5 * (lo + hi)


def moreau(name, y, omega, V):
    """Moreau envelope; for the λ→0 channels the rescaled envelopes of docs/theory/raf.md §6."""
    if name == "square_interpolating":
        return (y - omega) ** 2 / (2 * V)
    if name == "hinge_max_margin":
        return np.maximum(0.0, 1.0 - y * omega) ** 2 / (2 * V)
    p = prox(name, y, omega, V)
    return loss(name, y, p) + (p - omega) ** 2 / (2 * V)


def out_fn(name, y, omega, V):
    if name == "square_interpolating":
        return (y - omega) / V
    if name == "hinge_max_margin":
        return np.where(y * omega < 1, (y - omega) / V, 0.0)
    return (prox(name, y, omega, V) - omega) / V


def _breakpoints(name, q, V):
    r = np.sqrt(q)
    pts = [0.0]
    for y in (1, -1):
        if name == "hinge":
            pts += [y * (1 - V) / r, y / r]
        if name == "hinge_max_margin":
            pts += [y / r]
        if name == "squared_hinge":  # L' is continuous: the prox's only change of piece is at yω = 1
            pts += [y / r]
        if name == "huber":  # the prox changes piece at yω = −V and 2 + V
            pts += [-y * V / r, y * (2 + V) / r]
    return sorted(set(p for p in pts if -12 < p < 12))


def expect(fun, name, q, V, cut=12.0):
    """∫ Dξ fun(ξ) with Gauss–Legendre pieces split at the kinks of ``name``."""
    edges = [-cut] + _breakpoints(name, q, V) + [cut]
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        t = 0.5 * (a + b) + 0.5 * (b - a) * X
        total += 0.5 * (b - a) * np.sum(W * np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi) * fun(t))
    return total


def free_energy_out(name, alpha, eps, m, q, V):
    """α E_{y,ξ} M_V(y, √q ξ) over the RAF mixture (docs/theory/raf.md §3.1)."""
    s = np.sqrt(q - m * m)

    def integrand(xi):
        om = np.sqrt(q) * xi
        facts = 0.5 * (moreau(name, 1, om, V) + moreau(name, -1, om, V))
        rule = sum(ndtr(y * m * xi / s) * moreau(name, y, om, V) for y in (1, -1))
        return eps * facts + (1 - eps) * rule

    return alpha * expect(integrand, name, q, V)


def conjugates_bruteforce(name, alpha, eps, m, q, V, h=1e-6):
    """(m̂, q̂, V̂) from the §5.1 formulas with a brute-force prox; ∂f by central differences."""
    s = np.sqrt(q - m * m)
    r = np.sqrt(q)

    def f(y, xi):
        return out_fn(name, y, r * xi, V)

    def df(y, xi):
        return (out_fn(name, y, r * xi + h, V) - out_fn(name, y, r * xi - h, V)) / (2 * h)

    def mh_int(xi):
        # √(q/(q−m²)) exp(−qξ²/(2(q−m²)))/(2π) = that density ÷ the Dξ weight φ(ξ)
        dens = np.sqrt(q) / s * np.exp(-q * xi**2 / (2 * s * s)) / (2 * np.pi)
        return dens / (np.exp(-0.5 * xi**2) / np.sqrt(2 * np.pi)) * (f(1, xi) - f(-1, xi))

    def qh_int(xi):
        facts = 0.5 * (f(1, xi) ** 2 + f(-1, xi) ** 2)
        rule = sum(ndtr(y * m * xi / s) * f(y, xi) ** 2 for y in (1, -1))
        return eps * facts + (1 - eps) * rule

    def vh_int(xi):
        facts = 0.5 * (df(1, xi) + df(-1, xi))
        rule = sum(ndtr(y * m * xi / s) * df(y, xi) for y in (1, -1))
        return eps * facts + (1 - eps) * rule

    m_hat = alpha * (1 - eps) * expect(mh_int, name, q, V, cut=12.0 * s / r if s < r else 12.0)
    return m_hat, alpha * expect(qh_int, name, q, V), -alpha * expect(vh_int, name, q, V)
