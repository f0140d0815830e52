"""Errors of the RAF learners from the channel's order parameters (docs/theory/raf.md §5), vectorized.

All functions take the channel-level ``(m, q, V)`` — what the output channel sees — so they serve every
learner: for kernels ``q = μ₁² q_s`` and ``V = μ₁² V_s + μ⋆²/λ``, for random features
``q = μ₁² q_s + μ⋆² q_w`` and ``V = μ₁² V_s + μ⋆² V_w`` (docs/theory/raf.md §5 table).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from memtheory.solvers.quadrature import legendre_rule, phi_Phi_moments
from memtheory.solvers.special import gauss_tail

__all__ = ["gen_error", "mem_error", "rule_train_error", "train_loss"]

_CUTOFF = 12.0
_X80, _W80 = legendre_rule(80)
_X48, _W48 = legendre_rule(48)


def gen_error(m, q):
    """``ε_gen = arccos(m/√q)/π`` on fresh clean teacher data."""
    m = np.asarray(m, dtype=float)
    q = np.asarray(q, dtype=float)
    return np.arccos(np.clip(m / np.sqrt(q), -1.0, 1.0)) / np.pi


def mem_error(c, V, q):
    """``ε_mem = H(cV/√q)``: a fact's training output has the wrong sign iff ``yω < −cV``
    (``c = 1`` square and hinge, ``1/2`` logistic)."""
    return gauss_tail(np.asarray(c * V / np.sqrt(q), dtype=float))


@njit(cache=True)
def _rule_train_error_many(u0, m, q, nodes, weights, out):
    for i in range(out.shape[0]):
        k = m[i] / math.sqrt(q[i] - m[i] * m[i])
        t0, _, _ = phi_Phi_moments(k, 0.0, u0[i] / math.sqrt(q[i]), nodes, weights)
        # the half-line part and the finite part cancel deep in the tail: clip the rounding residue
        out[i] = max(2.0 * (0.25 - math.atan(k) / (2.0 * math.pi) + t0), 0.0)


def rule_train_error(c, V, m, q):
    """Training error on the rule examples, ``P[sign(ν) ω < −cV] = 2∫_{−∞}^{−cV/√q} φ(t)Φ(kt) dt``
    (closed half-line part plus Gauss–Legendre; docs/theory/raf.md §5)."""
    V, m, q = np.broadcast_arrays(*(np.asarray(a, dtype=float).ravel() for a in (V, m, q)))
    out = np.empty(V.shape[0])
    _rule_train_error_many(np.ascontiguousarray(-c * V), np.ascontiguousarray(m), np.ascontiguousarray(q), _X48, _W48, out)
    return out


def train_loss(channel, eps, m, q, V):
    """Average training loss ``∫ Dξ [ε + 2(1−ε)Φ(kξ)] L(p(√q ξ))`` over the RAF mixture.

    Gauss–Legendre on ``[−12, 12]`` split at 0 (teacher step) and at the loss kinks, per point.
    """
    eps, m, q, V = np.broadcast_arrays(*(np.asarray(a, dtype=float).ravel() for a in (eps, m, q, V)))
    r = np.sqrt(q)
    k = m / np.sqrt(q - m * m)
    kinks = [(a + b * V) / r for a, b in channel.kinks]
    cuts = np.stack([np.full_like(r, -_CUTOFF), np.zeros_like(r), np.full_like(r, _CUTOFF)] + kinks, axis=1)
    cuts = np.sort(np.clip(cuts, -_CUTOFF, _CUTOFF), axis=1)
    total = np.zeros_like(r)
    for j in range(cuts.shape[1] - 1):
        lo, hi = cuts[:, j : j + 1], cuts[:, j + 1 : j + 2]
        t = 0.5 * (hi + lo) + 0.5 * (hi - lo) * _X80[None, :]
        dens = np.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)
        mix = eps[:, None] + 2.0 * (1.0 - eps[:, None]) * gauss_tail(-k[:, None] * t)
        loss = channel.margin_loss(channel.margin_prox(r[:, None] * t, V[:, None]))
        total += 0.5 * (hi[:, 0] - lo[:, 0]) * np.sum(_W80[None, :] * dens * mix * loss, axis=1)
    return total
