# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/square.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The square margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import (
    phi_Phi_closed_form,
    phi_Phi_cutoff_endpoint,
    phi_Phi_endpoint,
    phi_Phi_interval,
)

KINKS = ()
"""Margins ``u = a + bV`` (as ``(a, b)``) where the prox changes piece (quadrature split points)."""
ZERO_CROSSING = 1.0
"""``c`` with ``p(u) = 0`` at ``u = −cV``: a training output has the wrong sign iff ``yω < −cV``."""
ZERO_LOSS_SET = 'point'
LIMIT_KERNEL = 'square_interpolating'
"""Channel kernel of the λ → 0 limit below the interpolation threshold (``None``: no finite limit)."""


@njit(cache=True, error_model="numpy")
def margin_loss(z):
    """``L(z)`` with ``ℓ(y, ẑ) = L(y ẑ)``."""
    return float((1/2)*(1 - z)**2)


@njit(cache=True, error_model="numpy")
def margin_prox(u, V):
    """``argmin_z L(z) + (z − u)²/(2V)``."""
    return float((V + u)/(V + 1))


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
def square_conjugates(alpha, eps, m, q, V, nodes, weights):
    """Square loss: (m̂, q̂, V̂) of docs/theory/raf.md, split at its kinks."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    c0 = eps - 1
    c1 = alpha/(V + 1)
    c2 = math.sqrt(2)/math.sqrt(math.pi)
    c3 = r**2 + 1
    m_hat = -c0*c1*c2
    q_hat = alpha*(-c0*(-2*c2*k*r/math.sqrt(k**2 + 1) + c3) + c3*eps)/(V**2 + 2*V + 1)
    V_hat = c1
    return m_hat, q_hat, V_hat


@njit(cache=True, error_model="numpy")
def square_jacobian(alpha, eps, m, q, V, nodes, weights):
    """Square loss: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    c0 = V + 1
    c1 = alpha/c0
    c2 = eps - 1
    c3 = math.sqrt(2)/math.sqrt(math.pi)
    c4 = c2*c3
    c5 = r**2 + 1
    c6 = k**2
    c7 = c6 + 1
    c8 = c3/math.sqrt(c7)
    c9 = c8*k
    c10 = 2*r
    c11 = -c2*(-c10*c9 + c5) + c5*eps
    c12 = V**2 + 2*V + 1
    c13 = alpha/c12
    c14 = alpha/c0**2
    c15 = c2*c8*(c6/c7 - 1)/s**3
    m_hat = -c1*c4
    q_hat = c11*c13
    V_hat = c1
    dm_hat_dm = 0
    dm_hat_dq = 0
    dm_hat_dV = c14*c4
    dq_hat_dm = -c10*c13*c15*q
    dq_hat_dq = c13*(c15*m*r + (c2*(c9 - r) + eps*r)/r)
    dq_hat_dV = -2*alpha*c0*c11/c12**2
    dV_hat_dm = 0
    dV_hat_dq = 0
    dV_hat_dV = -c14
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV


@njit(cache=True, error_model="numpy")
def square_train_loss(eps, m, q, V, nodes, weights):
    """Average training loss over the RAF mixture (docs/theory/raf.md §5), closed up to the teacher moments."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    c0 = r**2 + 1
    train_loss = (1/2)*(c0*eps - (c0 - 2*math.sqrt(2)*k*r/(math.sqrt(math.pi)*math.sqrt(k**2 + 1)))*(eps - 1))/(V**2 + 2*V + 1)
    return train_loss
