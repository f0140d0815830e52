"""Errors of the RAF learners from the channel's order parameters (docs/theory/raf.md §5), vectorized.

All functions take the channel-level ``(m, q, V)`` — what the output channel sees — so they serve every
learner: for kernels ``q = μ₁² q_s`` and ``V = μ₁² V_s + μ⋆²/λ``, for random features
``q = μ₁² q_s + μ⋆² q_w`` and ``V = μ₁² V_s + μ⋆² V_w`` (docs/theory/raf.md §5 table).
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import legendre_rule, phi_Phi_moments
from memtheory.solvers.raf.channels._generated.dispatch import margin_loss_by_id, margin_prox_by_id
from memtheory.solvers.special import gauss_tail, gauss_tail_scalar

__all__ = ["gen_error", "mem_error", "rule_train_error", "train_loss", "gen_error_scalar", "mem_error_scalar",
           "rule_train_error_scalar", "train_loss_scalar", "kinks_array", "TRAIN_LOSS_RULE", "RULE_ERROR_RULE"]

_CUTOFF = 12.0
_X80, _W80 = legendre_rule(80)
_X48, _W48 = legendre_rule(48)
TRAIN_LOSS_RULE = (_X80, _W80)
"""Gauss–Legendre rule per piece of :func:`train_loss` (and :func:`train_loss_scalar`)."""
RULE_ERROR_RULE = (_X48, _W48)
"""Gauss–Legendre rule of :func:`rule_train_error` (and :func:`rule_train_error_scalar`)."""


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


# Scalar compiled versions of the four observables, called at the solution inside the compiled
# per-point solver (memtheory.solvers.raf.pointwise); each repeats the arithmetic of its numpy twin
# above, so the two agree to rounding.


@njit(cache=True, error_model="numpy")
def gen_error_scalar(m, q):
    """Compiled :func:`gen_error` of one point.

    See docs/theory/raf.md §5.
    """
    return math.acos(min(max(m / math.sqrt(q), -1.0), 1.0)) / math.pi


@njit(cache=True, error_model="numpy")
def mem_error_scalar(c, V, q):
    """Compiled :func:`mem_error` of one point.

    See docs/theory/raf.md §5.
    """
    return gauss_tail_scalar(c * V / math.sqrt(q))


@njit(cache=True, error_model="numpy")
def rule_train_error_scalar(c, V, m, q, nodes, weights):
    """Compiled :func:`rule_train_error` of one point (``nodes, weights``: :data:`RULE_ERROR_RULE`).

    See docs/theory/raf.md §5.
    """
    k = m / math.sqrt(q - m * m)
    t0, _, _ = phi_Phi_moments(k, 0.0, -c * V / math.sqrt(q), nodes, weights)
    return max(2.0 * (0.25 - math.atan(k) / (2.0 * math.pi) + t0), 0.0)


def kinks_array(channel) -> np.ndarray:
    """The channel's kinks ``u = a + bV`` as a ``(n, 2)`` float array (the argument of :func:`train_loss_scalar`).

    See docs/theory/raf.md §5.
    """
    return np.array(channel.kinks, dtype=np.float64).reshape(-1, 2)


@njit(cache=True, error_model="numpy")
def train_loss_scalar(cid, kinks, eps, m, q, V, nodes, weights):
    """Compiled :func:`train_loss` of one point for the built-in channel kernel ``cid`` (its margin loss
    and prox through the generated integer-id dispatch; ``nodes, weights``: :data:`TRAIN_LOSS_RULE`).

    See docs/theory/raf.md §5.
    """
    r = math.sqrt(q)
    k = m / math.sqrt(q - m * m)
    nk = kinks.shape[0]
    cuts = np.empty(3 + nk)
    cuts[0] = -_CUTOFF
    cuts[1] = 0.0
    cuts[2] = _CUTOFF
    for j in range(nk):
        cuts[3 + j] = min(max((kinks[j, 0] + kinks[j, 1] * V) / r, -_CUTOFF), _CUTOFF)
    cuts.sort()
    total = 0.0
    for j in range(cuts.shape[0] - 1):
        lo = cuts[j]
        hi = cuts[j + 1]
        acc = 0.0
        for i in range(nodes.shape[0]):
            t = 0.5 * (hi + lo) + 0.5 * (hi - lo) * nodes[i]
            dens = math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)
            mix = eps + 2.0 * (1.0 - eps) * gauss_tail_scalar(-k * t)
            loss = margin_loss_by_id(cid, margin_prox_by_id(cid, r * t, V))
            acc += weights[i] * dens * mix * loss
        total += 0.5 * (hi - lo) * acc
    return total
