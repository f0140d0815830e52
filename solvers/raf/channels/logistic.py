"""Logistic-loss output channel ``ℓ(y, z) = log(1 + e^{−yz})`` (spec raf.md §5.4).

The proximal operator has no closed form, so this channel is hand-written rather than generated: in
the margin variable ``u = yω`` the prox ``p`` solves ``p = u + V σ(−p)`` (``σ`` the logistic function),
bracketed in ``(u, u + V)`` because ``0 < σ < 1``; a safeguarded Newton iteration converges to machine
precision in a few steps. With ``g(u) = σ(−p(u))`` and ``g'(u) = −s/(1 + V s)``, ``s = σ(p)σ(−p)``, the
conjugates are the generic one-dimensional integrals of :mod:`theory.channels`, evaluated by
Gauss–Legendre on ``[−L, 0] ∪ [0, L]`` (the teacher factor ``Φ(kξ)`` steepens at 0).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

CUTOFF = 10.0  # Gaussian mass beyond |t| = 10 is 1.5e-23
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


@njit(cache=True, inline="always")
def sigmoid(x):
    """Logistic function without overflow for either sign."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@njit(cache=True, error_model="numpy")
def margin_prox(u, V):
    """``p`` solving ``p = u + V σ(−p)``: bracketed safeguarded Newton, ``|residual| < 1e-13 (1 + |u|)``."""
    lo = u
    hi = u + V
    p = u + V * sigmoid(-u)
    if p <= lo or p >= hi:
        p = 0.5 * (lo + hi)
    for _ in range(100):
        sp_ = sigmoid(p)
        sm = 1.0 - sp_ if p >= 0.0 else sigmoid(-p)
        h = p - u - V * sm
        if h > 0.0:
            hi = p
        else:
            lo = p
        if abs(h) < 1e-13 * (1.0 + abs(u)):
            break
        step = h / (1.0 + V * sp_ * sm)
        p_new = p - step
        if p_new <= lo or p_new >= hi:
            p_new = 0.5 * (lo + hi)
        p = p_new
    return p


@njit(cache=True, error_model="numpy")
def logistic_conjugates(alpha, eps, m, q, V, nodes, weights):
    """(m̂, q̂, V̂) of the logistic channel with the RAF ε-mixture (spec raf.md §3, §5.1, §5.4)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    half = 0.5 * CUTOFF
    g_mean = 0.0
    g2_w = 0.0
    dg_w = 0.0
    for side in range(2):
        mid = -half if side == 0 else half
        for j in range(nodes.shape[0]):
            t = mid + half * nodes[j]
            wgt = weights[j] * half * _INV_SQRT_2PI * math.exp(-0.5 * t * t)
            # m̂ integrand: g(s t) under the plain Gaussian
            g_mean += wgt * sigmoid(-margin_prox(s * t, V))
            # q̂, V̂ integrands under the ε-mixture weight ε + 2(1−ε)Φ(kt)
            p = margin_prox(r * t, V)
            sm = sigmoid(-p)
            sp_ = sigmoid(p)
            mix = eps + (1.0 - eps) * math.erfc(-k * t * _INV_SQRT2)
            g2_w += wgt * mix * sm * sm
            curv = sp_ * sm
            dg_w -= wgt * mix * curv / (1.0 + V * curv)
    m_hat = alpha * (1.0 - eps) * _SQRT_2_OVER_PI * g_mean
    return m_hat, alpha * g2_w, -alpha * dg_w


@njit(cache=True, error_model="numpy")
def _margin_prox_many(u, V, out):
    for i in range(u.shape[0]):
        out[i] = margin_prox(u[i], V[i])


def margin_prox_array(u, V):
    """Elementwise :func:`margin_prox` with numpy broadcasting."""
    u, V = np.broadcast_arrays(np.asarray(u, dtype=np.float64), np.asarray(V, dtype=np.float64))
    out = np.empty(u.size)
    _margin_prox_many(np.ascontiguousarray(u.ravel()), np.ascontiguousarray(V.ravel()), out)
    return out.reshape(u.shape)
