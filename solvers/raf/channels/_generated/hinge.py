# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/hinge.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The hinge margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import (
    phi_Phi_closed_form,
    phi_Phi_cutoff_endpoint,
    phi_Phi_endpoint,
    phi_Phi_interval,
)

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
    x0 = -12.0
    x1 = (1 - V)/r
    x2 = 1/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    wide1 = phi_Phi_closed_form(k, x1, x2)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    gx1 = end1[3]
    gcx1 = end1[4]
    ex1 = end1[5]
    emx1 = end1[6]
    ecx1 = end1[9]
    emcx1 = end1[10]
    gx2 = end2[3]
    gcx2 = end2[4]
    ex2 = end2[5]
    ecx2 = end2[9]
    c0 = eps - 1
    c1 = 1/V
    c2 = math.sqrt(2)/math.sqrt(math.pi)
    c3 = (1/2)*eps
    c4 = 2*c0
    c5 = V**(-2)
    c6 = 2*r
    c7 = r**2
    c8 = c2/r
    c9 = ex1 - ex2
    m_hat = -1/2*alpha*c0*c2*(-c1*c2*s*(gcx1 - gcx2) + c1*(ecx1 - ecx2) + emcx1)
    q_hat = -alpha*(T0_0*c4 - c3*c5*(-c2*c6*(gx1 - gx2) + c7*(-c8*gx1*(V - 1) - c8*gx2 + ex1 - ex2) + c9) - c3*emx1 + c4*c5*(T0_1 - T1_1*c6 + T2_1*c7))
    V_hat = -alpha*c1*(T0_1*c4 - c3*c9)
    return m_hat, q_hat, V_hat


@njit(cache=True, error_model="numpy")
def hinge_jacobian(alpha, eps, m, q, V, nodes, weights):
    """Hinge loss: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = (1 - V)/r
    x2 = 1/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    wide1 = phi_Phi_closed_form(k, x1, x2)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    gcx0 = end0[4]
    gx1 = end1[3]
    gcx1 = end1[4]
    ex1 = end1[5]
    emx1 = end1[6]
    emkx1 = end1[8]
    ecx1 = end1[9]
    emcx1 = end1[10]
    gx2 = end2[3]
    gcx2 = end2[4]
    ex2 = end2[5]
    emkx2 = end2[8]
    ecx2 = end2[9]
    c0 = 1/V
    c1 = ecx1 - ecx2
    c2 = -gcx2
    c3 = c2 + gcx1
    c4 = c0*c3
    c5 = math.sqrt(2)
    c6 = 1/math.sqrt(math.pi)
    c7 = c5*c6
    c8 = c7*s
    c9 = eps - 1
    c10 = alpha*c9
    c11 = (1/2)*c10
    c12 = c11*c7
    c13 = (1/2)*eps
    c14 = 2*c9
    c15 = 2*r
    c16 = r**2
    c17 = T0_1 - T1_1*c15 + T2_1*c16
    c18 = V**(-2)
    c19 = c14*c18
    c20 = 1/r
    c21 = c20*c7
    c22 = c21*gx2
    c23 = V - 1
    c24 = c23*gx1
    c25 = c21*c24
    c26 = c22 + c25 - ex1 + ex2
    c27 = -gx2
    c28 = c7*(c27 + gx1)
    c29 = ex1 - ex2
    c30 = c13*c18
    c31 = c13*c29
    c32 = alpha*c0
    c33 = 1/math.pi
    c34 = 1/s
    c35 = s**(-2)
    c36 = c23*gcx1
    c37 = c0*c35
    c38 = c23**2
    c39 = c38*gcx1
    c40 = c33*c34*(-c35*c36 + c37*(c2 + c39) + c37*(c36 + gcx2) + c4)
    c41 = c34*c7
    c42 = c41*gcx1
    c43 = c18*c3
    c44 = gcx0 - gcx1
    c45 = k**2 + 1
    c46 = 1/c45
    c47 = c33*c46
    c48 = 1/c16
    c49 = c45*c48
    c50 = c33*(c39*c49 - c49*gcx2 + 2*gcx1 - 2*gcx2)/c45**2
    c51 = c45**(-3/2)
    c52 = c21*math.sqrt(c45)
    c53 = -c36*c52 - c52*gcx2 + ecx1 - ecx2
    c54 = s**(-3)
    c55 = c10*c54*q
    c56 = r**(-3)
    c57 = c56*c7
    c58 = c24*c57*emkx1
    c59 = emkx2*gx2
    c60 = c59*c7
    c61 = c54*m
    c62 = 2*c61
    c63 = c3*c47*c62 + c56*c60 + c58
    c64 = r**(-5)
    c65 = c23**3*gx1
    c66 = c18*c9
    c67 = r**(-4)
    c68 = c38*gx1
    c69 = c68*emkx1
    c70 = c48*c7
    c71 = c24 + gx2
    c72 = c21*gx1
    c73 = c13*c72
    c74 = (1/2)*c72*emkx1
    c75 = 2*c0
    c76 = -c23
    m_hat = -c12*(c0*c1 - c4*c8 + emcx1)
    q_hat = -alpha*(T0_0*c14 - c13*emx1 + c17*c19 - c30*(-c15*c28 - c16*c26 + c29))
    V_hat = -c32*(T0_1*c14 - c31)
    dm_hat_dm = -c10*c40*m
    dm_hat_dq = c11*c40
    dm_hat_dV = -c12*(c0*c36*c41 + c0*c42 - c1*c18 - c42 + c43*c8)
    dq_hat_dm = c55*(-c16*c18*c50 + c18*c5*c51*c53*c6*r - c43*c47 - c44*c47)
    dq_hat_dq = (1/4)*alpha*(c16*c66*(c50*c62 + c60*c64 + c64*c65*c7*emkx1) + c18*c63*c9 - c19*c7*r*(c51*c53*c61 + c59*c67 - c67*c69) + c20*(-c18*eps*(c15*c26 + 2*c28 + c70*c71 + 2*c70*(c27 + c68) + c70*(c65 + gx2)) + c24*c70*eps + 8*c66*(T1_1 - T2_1*r)) + c9*(2*c33*c44*c46*c54*m - c58))
    dq_hat_dV = alpha*((1/2)*c20*c5*c6*c9*emkx1*gx1 - 1/2*c21*c66*c69 - c25*c66*emkx1 - c30*(-4*c0*c28*r + c16*c75*(-c22 + c29 + c72*c76) + c25*c76 - 2*c25 + c29*c75 - c72) - c66*c74 - c73 + 4*c17*c9/V**3)
    dV_hat_dm = -c4*c47*c55
    dV_hat_dq = (1/4)*c32*(-c57*c71*eps + c63*c9)
    dV_hat_dV = -c32*(-T0_1*c75*c9 + c0*c31 - c73 + c74*c9)
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV


@njit(cache=True, error_model="numpy")
def hinge_train_loss(eps, m, q, V, nodes, weights):
    """Average training loss over the RAF mixture (docs/theory/raf.md §5), closed up to the teacher moments."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = (1 - V)/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    gx1 = end1[3]
    emx1 = end1[6]
    c0 = V - 1
    train_loss = -1/2*eps*(c0*emx1 - math.sqrt(2)*gx1*r/math.sqrt(math.pi)) + 2*(eps - 1)*(T0_0*c0 + T1_0*r)
    return train_loss
