# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/hinge.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The hinge margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np
from numba import njit

from memtheory.solvers.quadrature import phi_Phi_moments

KINKS = ((1.0, -1.0), (1.0, 0.0))
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
        return float(1 - z)
    return float(0)


@njit(cache=True, error_model="numpy")
def margin_prox(u, V):
    """``argmin_z L(z) + (z − u)²/(2V)``."""
    if u < 1 - V:
        return float(V + u)
    if u < 1:
        return float(1)
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
def hinge_conjugates(alpha, eps, m, q, V, nodes, weights):
    """Hinge loss: (m̂, q̂, V̂) of docs/theory/raf.md, split at its kinks."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    T0_0, T1_0, T2_0 = phi_Phi_moments(k, -12, (1 - V)/r, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_moments(k, (1 - V)/r, 1/r, nodes, weights)
    c0 = eps - 1
    c1 = 1/math.sqrt(math.pi)
    c2 = V - 1
    c3 = math.sqrt(2)
    c4 = (1/2)*c3
    c5 = c4/s
    c6 = 1/V
    c7 = -c2
    c8 = (1/2)/s**2
    c9 = c2**2
    c10 = c1*c3
    c11 = 2*c0
    c12 = 1/r
    c13 = c12*c4
    c14 = math.erfc(c13*c7)
    c15 = (1/2)*eps
    c16 = V**(-2)
    c17 = 2*r
    c18 = r**2
    c19 = (1/2)/c18
    c20 = math.exp(-c19)
    c21 = c10*c12
    c22 = -c14 + math.erfc(c13)
    m_hat = alpha*c0*c1*c4*(c10*c6*s*(math.exp(-c8*c9) - math.exp(-c8)) + c6*(math.erfc(c5) - math.erfc(c5*c7)) - math.erfc(c2*c5))
    q_hat = -alpha*(T0_0*c11 + c11*c16*(T0_1 - T1_1*c17 + T2_1*c18) + c15*c16*(c10*c17*(-c20 + math.exp(-c19*c9)) + c18*(c20*c21 - c21*c7*math.exp(-c19*c7**2) + c22) + c22) + c15*(c14 - 2))
    V_hat = -alpha*c6*(T0_1*c11 + c15*c22)
    return m_hat, q_hat, V_hat
