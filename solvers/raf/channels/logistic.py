"""Logistic-loss output channel ``ℓ(y, z) = log(1 + e^{−yz})`` (docs/theory/raf.md §3.4).

The proximal operator has no closed form, so this channel is hand-written rather than generated: in
the margin variable ``u = yω`` the prox ``p`` solves ``p = u + V σ(−p)`` (``σ`` the logistic function),
bracketed in ``(u, u + V)`` because ``0 < σ < 1``; a safeguarded Newton iteration converges to machine
precision in a few steps. With ``g(u) = σ(−p(u))`` and ``g'(u) = −s/(1 + V s)``, ``s = σ(p)σ(−p)``, the
conjugates are the generic one-dimensional integrals of :mod:`memtheory.theory.channels`, evaluated by
Gauss–Legendre on pieces split at the teacher step and at the prox's transition.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.raf.channels.base import OutputChannel

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
    """``p`` solving ``h(p) = p − u − V σ(−p) = 0`` on its bracket ``(u, u + V)``.

    Newton safeguarded as in *rtsafe*: a Newton step is taken only if it stays inside the current
    bracket and shrinks faster than bisection would; otherwise the bracket is bisected. (Plain
    bracket-checked Newton can bounce between the two ends of the bracket for large V, since ``h``
    is convex on one side of its root and concave on the other.) Stops when the step falls below
    ``1e-15 (1 + |p|)``.
    """
    lo = u
    hi = u + V
    p = 0.5 * (lo + hi)
    dx_old = hi - lo
    dx = dx_old
    for _ in range(200):
        sp_ = sigmoid(p)
        sm = sigmoid(-p)
        h = p - u - V * sm
        dh = 1.0 + V * sp_ * sm
        if h == 0.0:
            break
        if h > 0.0:
            hi = p
        else:
            lo = p
        newton_outside = ((p - hi) * dh - h) * ((p - lo) * dh - h) > 0.0
        if newton_outside or abs(2.0 * h) > abs(dx_old * dh):
            dx_old = dx
            dx = 0.5 * (hi - lo)
            p = lo + dx
        else:
            dx_old = dx
            dx = h / dh
            p -= dx
        if abs(dx) < 1e-15 * (1.0 + abs(p)) or hi - lo < 1e-15 * (1.0 + abs(p)):
            break
    return p


@njit(cache=True, error_model="numpy")
def _breakpoints(scale, V, k, out):
    """Sorted breakpoints in ξ on [−L, L]: the prox's transition in the margin ``u = scale·ξ``
    (``p`` leaves its saturated branches near ``u = −V`` and ``u = 0``, crosses 0 at ``u = −V/2``), and,
    if ``k`` is finite, the teacher step at 0 and ±8/|k|. Returns the count written to ``out``."""
    n = 0
    out[n] = -CUTOFF
    n += 1
    out[n] = CUTOFF
    n += 1
    for u in (-V - 20.0, -V, -0.5 * V, 0.0, 20.0):
        c = u / scale
        if -CUTOFF < c < CUTOFF:
            out[n] = c
            n += 1
    if k != 0.0:
        for c in (-8.0 / abs(k), 0.0, 8.0 / abs(k)):
            if -CUTOFF < c < CUTOFF:
                out[n] = c
                n += 1
    out[:n].sort()
    return n


@njit(cache=True, error_model="numpy", inline="always")
def _gauss_node(lo, hi, x, w):
    """Node ``t`` and weight ``w φ(t) (hi − lo)/2`` of a Gauss–Legendre rule mapped to ``[lo, hi]``."""
    half = 0.5 * (hi - lo)
    t = 0.5 * (hi + lo) + half * x
    return t, w * half * _INV_SQRT_2PI * math.exp(-0.5 * t * t)


@njit(cache=True, error_model="numpy")
def logistic_conjugates(alpha, eps, m, q, V, nodes, weights):
    """(m̂, q̂, V̂) of the logistic channel with the RAF ε-mixture (docs/theory/raf.md §3, §3.1, §3.4).

    Gauss–Legendre on pieces of ``[−L, L]`` split where the integrands change character (see
    :func:`_breakpoints`): at large ``q`` the prox's transition and the teacher step are narrow
    compared with the Gaussian, and a fixed rule misses them.
    """
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    cuts = np.empty(12)
    # m̂: ∫ Dt g(s t), plain Gaussian weight
    g_mean = 0.0
    nc = _breakpoints(s, V, 0.0, cuts)
    for piece in range(nc - 1):
        for j in range(nodes.shape[0]):
            t, wgt = _gauss_node(cuts[piece], cuts[piece + 1], nodes[j], weights[j])
            g_mean += wgt * sigmoid(-margin_prox(s * t, V))
    # q̂, V̂: ε-mixture weight ε + 2(1−ε)Φ(kξ)
    g2_w = 0.0
    dg_w = 0.0
    nc = _breakpoints(r, V, k, cuts)
    for piece in range(nc - 1):
        for j in range(nodes.shape[0]):
            t, wgt = _gauss_node(cuts[piece], cuts[piece + 1], nodes[j], weights[j])
            p = margin_prox(r * t, V)
            sm = sigmoid(-p)
            curv = sigmoid(p) * sm
            mix = eps + (1.0 - eps) * math.erfc(-k * t * _INV_SQRT2)
            g2_w += wgt * mix * sm * sm
            dg_w -= wgt * mix * curv / (1.0 + V * curv)
    m_hat = alpha * (1.0 - eps) * _SQRT_2_OVER_PI * g_mean
    return m_hat, alpha * g2_w, -alpha * dg_w


@njit(cache=True, error_model="numpy")
def margin_loss(z):
    """``L(z) = log(1 + e^{−z})`` without overflow (the value of ``np.logaddexp(0, −z)``)."""
    if z >= 0.0:
        return math.log1p(math.exp(-z))
    return -z + math.log1p(math.exp(z))


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


def margin_loss_array(z):
    """``L(z) = log(1 + e^{−z})`` without overflow."""
    return np.logaddexp(0.0, -np.asarray(z, dtype=float))


KERNELS = ("logistic",)
MARGIN_KERNELS = ("logistic",)  # numba margin_prox/margin_loss above, for the generated dispatch

# the unregularised logistic loss never vanishes: no finite λ → 0 limit on separable data
CHANNEL = OutputChannel("logistic", "logistic", None, 0.5, (), margin_prox_array, margin_loss_array, "empty")
