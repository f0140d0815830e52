# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/huber.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The huber margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np
from numba import njit

from memtheory.solvers.quadrature import phi_Phi_moments

KINKS = ((0.0, -1.0), (2.0, 1.0))
"""Margins ``u = a + bV`` (as ``(a, b)``) where the prox changes piece (quadrature split points)."""
ZERO_CROSSING = 1.0
"""``c`` with ``p(u) = 0`` at ``u = −cV``: a training output has the wrong sign iff ``yω < −cV``."""
ZERO_LOSS_SET = 'point'
LIMIT_KERNEL = 'square_interpolating'
"""Channel kernel of the λ → 0 limit below the interpolation threshold (``None``: no finite limit)."""


@njit(cache=True, error_model="numpy")
def margin_loss(z):
    """``L(z)`` with ``ℓ(y, ẑ) = L(y ẑ)``."""
    if z < 0:
        return float(1/2 - z)
    if z < 2:
        return float((1/2)*(1 - z)**2)
    return float(z - 3/2)


@njit(cache=True, error_model="numpy")
def margin_prox(u, V):
    """``argmin_z L(z) + (z − u)²/(2V)``."""
    if u < -V:
        return float(V + u)
    if u < V + 2:
        return float((V + u)/(V + 1))
    return float(-V + u)


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
def huber_conjugates(alpha, eps, m, q, V, nodes, weights):
    """Huber loss: (m̂, q̂, V̂) of docs/theory/raf.md, split at its kinks."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    T0_0, T1_0, T2_0 = phi_Phi_moments(k, -12, -V/r, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_moments(k, -V/r, (V + 2)/r, nodes, weights)
    T0_2, T1_2, T2_2 = phi_Phi_moments(k, (V + 2)/r, 12, nodes, weights)
    c0 = eps - 1
    c1 = 1/math.sqrt(math.pi)
    c2 = math.sqrt(2)
    c3 = (1/2)*c2
    c4 = c3/s
    c5 = math.erfc(V*c4)
    c6 = V + 2
    c7 = math.erfc(c4*c6)
    c8 = 1/(V + 1)
    c9 = V**2
    c10 = (1/2)/s**2
    c11 = c6**2
    c12 = c1*c2
    c13 = 2*c0
    c14 = 1/r
    c15 = c14*c3
    c16 = math.erfc(V*c15)
    c17 = (1/2)*eps
    c18 = math.erfc(c15*c6)
    c19 = 1/(2*V + c9 + 1)
    c20 = r**2
    c21 = (1/2)/c20
    c22 = math.exp(-c21*c9)
    c23 = c12*c14
    c24 = math.exp(-c11*c21)
    c25 = c16 + c18 - 2
    m_hat = alpha*c0*c1*c3*(-c12*c8*s*(-math.exp(-c10*c9) + math.exp(-c10*c11)) - c5 + c7 + c8*(c5 + c7 - 2))
    q_hat = -alpha*(T0_0*c13 + T0_2*c13 + c13*c19*(T0_1 - 2*T1_1*r + T2_1*c20) - c16*c17 - c17*c18 - c17*c19*(2*c1*c2*r*(-c22 + c24) - c20*(V*c22*c23 + c23*c24*c6 + c25) - c25))
    V_hat = -alpha*c8*(T0_1*c13 + c17*c25)
    return m_hat, q_hat, V_hat
