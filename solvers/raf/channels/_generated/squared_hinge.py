# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/squared_hinge.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The squared_hinge margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import (
    phi_Phi_closed_form,
    phi_Phi_cutoff_endpoint,
    phi_Phi_endpoint,
    phi_Phi_interval,
)

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
    x0 = -12.0
    x1 = 1/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    gx1 = end1[3]
    gcx1 = end1[4]
    emx1 = end1[6]
    emcx1 = end1[10]
    c0 = eps - 1
    c1 = math.sqrt(2)/math.sqrt(math.pi)
    c2 = alpha/(V + 1)
    c3 = 2*r
    c4 = r**2
    c5 = 2*c0
    c6 = c1*gx1
    c7 = (1/2)*eps
    m_hat = -1/2*c0*c1*c2*(c1*gcx1*s + emcx1)
    q_hat = alpha*(-c5*(T0_0 - T1_0*c3 + T2_0*c4) + c7*(c3*c6 + c4*(-c6/r + emx1) + emx1))/(V**2 + 2*V + 1)
    V_hat = -c2*(T0_0*c5 - c7*emx1)
    return m_hat, q_hat, V_hat


@njit(cache=True, error_model="numpy")
def squared_hinge_jacobian(alpha, eps, m, q, V, nodes, weights):
    """Squared hinge loss: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = 1/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    gcx0 = end0[4]
    ecx0 = end0[9]
    gx1 = end1[3]
    gcx1 = end1[4]
    emx1 = end1[6]
    emkx1 = end1[8]
    ecx1 = end1[9]
    emcx1 = end1[10]
    c0 = V + 1
    c1 = alpha/c0
    c2 = (1/2)*c1
    c3 = math.sqrt(2)/math.sqrt(math.pi)
    c4 = c3*gcx1
    c5 = eps - 1
    c6 = c3*c5
    c7 = c6*(c4*s + emcx1)
    c8 = 2*r
    c9 = r**2
    c10 = T0_0 - T1_0*c8 + T2_0*c9
    c11 = 2*c5
    c12 = c3*gx1
    c13 = 1/r
    c14 = -c12*c13 + emx1
    c15 = eps*(c12*c8 + c14*c9 + emx1)
    c16 = V**2 + 2*V + 1
    c17 = alpha/c16
    c18 = T0_0*c11 - 1/2*emx1*eps
    c19 = 1/math.pi
    c20 = c19*c5*gcx1/s
    c21 = alpha/c0**2
    c22 = k**2 + 1
    c23 = c19*(gcx0 - gcx1)/c22
    c24 = c19*(144*c22*gcx0 - c22*gcx1/c9 + 2*gcx0 - 2*gcx1)/c22**2
    c25 = math.sqrt(c22)
    c26 = (c13*c25*c4 + 12*c25*c3*gcx0 - ecx0 + ecx1)/c22**(3/2)
    c27 = s**(-3)
    c28 = c27*c5*q
    c29 = r**(-3)
    c30 = c12*emkx1
    c31 = c27*m
    c32 = 2*c31
    c33 = c23*c32 + c29*c30
    m_hat = -c2*c7
    q_hat = c17*(-c10*c11 + (1/2)*c15)
    V_hat = -c1*c18
    dm_hat_dm = c1*c20*m
    dm_hat_dq = -c2*c20
    dm_hat_dV = (1/2)*c21*c7
    dq_hat_dm = -c17*c28*(c23 + c24*c9 + c26*c3*r)
    dq_hat_dq = (1/4)*c17*(2*c13*(4*c5*(T1_0 - T2_0*r) + eps*(c12 + c14*r)) + c33*c5 + c5*c9*(c24*c32 + c30/r**5) - c6*c8*(-c26*c31 + emkx1*gx1/r**4))
    dq_hat_dV = alpha*c0*(4*c10*c5 - c15)/c16**2
    dV_hat_dm = -c1*c23*c28
    dV_hat_dq = (1/4)*c1*(-c12*c29*eps + c33*c5)
    dV_hat_dV = c18*c21
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV


@njit(cache=True, error_model="numpy")
def squared_hinge_train_loss(eps, m, q, V, nodes, weights):
    """Average training loss over the RAF mixture (docs/theory/raf.md §5), closed up to the teacher moments."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = 1/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    gx1 = end1[3]
    emx1 = end1[6]
    c0 = 2*r
    c1 = r**2
    c2 = math.sqrt(2)*gx1/math.sqrt(math.pi)
    train_loss = ((1/4)*eps*(c0*c2 + c1*(-c2/r + emx1) + emx1) - (eps - 1)*(T0_0 - T1_0*c0 + T2_0*c1))/(V**2 + 2*V + 1)
    return train_loss
