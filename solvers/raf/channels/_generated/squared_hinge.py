# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/squared_hinge.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The squared_hinge margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np
from numba import njit

from memtheory.solvers.quadrature import phi_Phi_moments

KINKS = ((1.0, 0.0),)
"""Margins ``u = a + bV`` (as ``(a, b)``) where the prox changes piece (quadrature split points)."""
ZERO_CROSSING = 1.0
"""``c`` with ``p(u) = 0`` at ``u = −cV``: a training output has the wrong sign iff ``yω < −cV``."""
ZERO_LOSS_SET = 'half-line'
LIMIT_KERNEL = 'hinge_max_margin'
"""Channel kernel of the λ → 0 limit below the interpolation threshold (``None``: no finite limit)."""


@njit(cache=True, error_model="numpy")
def margin_loss(z):
    """``L(z)`` with ``ℓ(y, ẑ) = L(y ẑ)``."""
    if z < 1:
        return float((1/2)*(1 - z)**2)
    return float(0)


@njit(cache=True, error_model="numpy")
def margin_prox(u, V):
    """``argmin_z L(z) + (z − u)²/(2V)``."""
    if u < 1:
        return float((V + u)/(V + 1))
    return float(u)


@njit(cache=True, error_model="numpy")
def _margin_prox_many(u, V, out):
    for i in range(u.shape[0]):
        out[i] = margin_prox(u[i], V[i])


@njit(cache=True, error_model="numpy")
def _margin_loss_many(z, out):
    for i in range(z.shape[0]):
        out[i] = margin_loss(z[i])


def margin_prox_array(u, V):
    """Elementwise :func:`margin_prox` with numpy broadcasting."""
    u, V = np.broadcast_arrays(np.asarray(u, dtype=np.float64), np.asarray(V, dtype=np.float64))
    out = np.empty(u.size)
    _margin_prox_many(np.ascontiguousarray(u.ravel()), np.ascontiguousarray(V.ravel()), out)
    return out.reshape(u.shape)


def margin_loss_array(z):
    """Elementwise :func:`margin_loss` of an array."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty(z.size)
    _margin_loss_many(np.ascontiguousarray(z.ravel()), out)
    return out.reshape(z.shape)


@njit(cache=True, error_model="numpy")
def squared_hinge_conjugates(alpha, eps, m, q, V, nodes, weights):
    """Squared hinge loss: (m̂, q̂, V̂) of docs/theory/raf.md, split at its kinks."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    T0_0, T1_0, T2_0 = phi_Phi_moments(k, -12, 1/r, nodes, weights)
    c0 = eps - 1
    c1 = math.sqrt(2)
    c2 = (1/2)*c1
    c3 = 1/math.sqrt(math.pi)
    c4 = alpha/(V + 1)
    c5 = c1*c3
    c6 = 2*r
    c7 = r**2
    c8 = 2*c0
    c9 = 1/r
    c10 = c5*math.exp(-(1/2)/c7)
    c11 = math.erfc(c2*c9) - 2
    c12 = (1/2)*eps
    m_hat = -c0*c4*c5*(c2*c3*s*math.exp(-(1/2)/s**2) - 1/2*math.erfc(c2/s) + 1)
    q_hat = -alpha*(c12*(-c10*c6 + c11 + c7*(c10*c9 + c11)) + c8*(T0_0 - T1_0*c6 + T2_0*c7))/(V**2 + 2*V + 1)
    V_hat = -c4*(T0_0*c8 + c11*c12)
    return m_hat, q_hat, V_hat
