# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/huber.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The huber margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import (
    phi_Phi_closed_form,
    phi_Phi_cutoff_endpoint,
    phi_Phi_endpoint,
    phi_Phi_interval,
)

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
    x0 = -12.0
    x1 = -V/r
    x2 = (V + 2)/r
    x3 = 12.0
    wide0 = phi_Phi_closed_form(k, x0, x1)
    wide1 = phi_Phi_closed_form(k, x1, x2)
    wide2 = phi_Phi_closed_form(k, x2, x3)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1 or wide2)
    end3 = phi_Phi_cutoff_endpoint(k, x3)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    T0_2, T1_2, T2_2 = phi_Phi_interval(k, end2, end3, nodes, weights)
    gx1 = end1[3]
    gcx1 = end1[4]
    emx1 = end1[6]
    emcx1 = end1[10]
    gx2 = end2[3]
    gcx2 = end2[4]
    ex2 = end2[5]
    ecx2 = end2[9]
    c0 = eps - 1
    c1 = 1/(V + 1)
    c2 = math.sqrt(2)/math.sqrt(math.pi)
    c3 = (1/2)*eps
    c4 = 2*c0
    c5 = 1/(V**2 + 2*V + 1)
    c6 = 2*r
    c7 = r**2
    c8 = c2/r
    c9 = emx1 + ex2 - 2
    m_hat = (1/2)*alpha*c0*c2*(c1*c2*s*(gcx1 - gcx2) + c1*(ecx2 + emcx1 - 2) + ecx2 - emcx1)
    q_hat = -alpha*(T0_0*c4 + T0_2*c4 + c3*c5*(c2*c6*(gx1 - gx2) + c7*(V*c8*gx1 + c8*gx2*(V + 2) + c9) + c9) - c3*emx1 - c3*ex2 + c4*c5*(T0_1 - T1_1*c6 + T2_1*c7))
    V_hat = -alpha*c1*(T0_1*c4 + c3*c9)
    return m_hat, q_hat, V_hat


@njit(cache=True, error_model="numpy")
def huber_jacobian(alpha, eps, m, q, V, nodes, weights):
    """Huber loss: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = -V/r
    x2 = (V + 2)/r
    x3 = 12.0
    wide0 = phi_Phi_closed_form(k, x0, x1)
    wide1 = phi_Phi_closed_form(k, x1, x2)
    wide2 = phi_Phi_closed_form(k, x2, x3)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1 or wide2)
    end3 = phi_Phi_cutoff_endpoint(k, x3)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    T0_2, T1_2, T2_2 = phi_Phi_interval(k, end2, end3, nodes, weights)
    gcx0 = end0[4]
    gx1 = end1[3]
    gcx1 = end1[4]
    emx1 = end1[6]
    emkx1 = end1[8]
    emcx1 = end1[10]
    gx2 = end2[3]
    gcx2 = end2[4]
    ex2 = end2[5]
    ekx2 = end2[7]
    ecx2 = end2[9]
    c0 = ecx2 + emcx1 - 2
    c1 = V + 1
    c2 = 1/c1
    c3 = -gcx2
    c4 = c3 + gcx1
    c5 = c2*c4
    c6 = math.sqrt(2)
    c7 = 1/math.sqrt(math.pi)
    c8 = c6*c7
    c9 = c8*s
    c10 = eps - 1
    c11 = alpha*c10
    c12 = (1/2)*c11
    c13 = c12*c8
    c14 = (1/2)*eps
    c15 = 2*c10
    c16 = 2*r
    c17 = r**2
    c18 = T0_1 - T1_1*c16 + T2_1*c17
    c19 = V**2
    c20 = 2*V + c19 + 1
    c21 = 1/c20
    c22 = c15*c21
    c23 = V*gx1
    c24 = 1/r
    c25 = c24*c8
    c26 = V + 2
    c27 = c26*gx2
    c28 = emx1 + ex2 - 2
    c29 = c23*c25 + c25*c27 + c28
    c30 = gx1 - gx2
    c31 = c30*c8
    c32 = alpha*c2
    c33 = 1/math.pi
    c34 = 1/s
    c35 = s**(-2)
    c36 = V*gcx1
    c37 = c26*gcx2
    c38 = c2*c35
    c39 = c19*gcx1
    c40 = c26**2
    c41 = c40*gcx2
    c42 = c33*c34*(-c35*c36 + c35*c37 + c38*(c36 + c37) + c38*(c39 - c41) + c5)
    c43 = c1**(-2)
    c44 = c34*c8
    c45 = c2*c44
    c46 = k**2 + 1
    c47 = 1/c46
    c48 = c33*c47
    c49 = c48*(gcx0 - gcx1)
    c50 = c3 + gcx0
    c51 = c4*c48
    c52 = 1/c17
    c53 = c46*c52
    c54 = c33*(c39*c53 - c41*c53 + 2*gcx1 - 2*gcx2)/c46**2
    c55 = c25*math.sqrt(c46)
    c56 = (c0 + c36*c55 + c37*c55)/c46**(3/2)
    c57 = c8*r
    c58 = s**(-3)
    c59 = c11*c58*q
    c60 = c23*emkx1
    c61 = c8/r**3
    c62 = c60*c61
    c63 = c58*m
    c64 = 2*c63
    c65 = ekx2 - 2
    c66 = c27*c61*c65
    c67 = c51*c64 + c62
    c68 = c10*c21
    c69 = r**(-4)
    c70 = c19*gx1
    c71 = c70*emkx1
    c72 = c40*gx2
    c73 = c65*c72
    c74 = V**3*gx1
    c75 = c8/r**5
    c76 = c26**3*gx2
    c77 = c52*c8
    c78 = c77*eps
    c79 = c23 + c27
    c80 = c14*c25
    c81 = c65*gx2
    c82 = c10*c25
    c83 = -c10
    c84 = c25*c68
    c85 = -1/2*c81 + (1/2)*emkx1*gx1
    c86 = -c27*c65
    c87 = gx1 + gx2
    c88 = -c28
    c89 = 2*c1*c21
    m_hat = c13*(c0*c2 + c5*c9 + ecx2 - emcx1)
    q_hat = -alpha*(T0_0*c15 + T0_2*c15 + c14*c21*(c16*c31 + c17*c29 + c28) - c14*emx1 - c14*ex2 + c18*c22)
    V_hat = -c32*(T0_1*c15 + c14*c28)
    dm_hat_dm = -c11*c42*m
    dm_hat_dq = c12*c42
    dm_hat_dV = c13*(-c0*c43 + c34*c6*c7*gcx1 - c4*c43*c9 - c44*gcx2 - c45*(c36 - c37) - c45*(gcx1 + gcx2))
    dq_hat_dm = c59*(-c17*c21*c54 - c21*c51 - c21*c56*c57 + c33*c47*c50 - c49)
    dq_hat_dq = (1/4)*alpha*(-c10*(-c49*c64 + c62) + c10*(-c48*c50*c64 + c66) + c17*c68*(c54*c64 - c65*c75*c76 + c74*c75*emkx1) + c22*c57*(c56*c63 + c69*c71 + c69*c73) + c24*(-c21*eps*(c16*c29 + 2*c31 + c77*c79 + 2*c77*(c70 - c72) + c77*(c74 + c76)) + c23*c78 + c27*c78 + 8*c68*(T1_1 - T2_1*r)) + c68*(-c66 + c67))
    dq_hat_dV = alpha*(-4*c1*c18*c83/c20**2 + (1/2)*c10*c24*c6*c7*emkx1*gx1 + (1/2)*c21*eps*(4*c1*c21*c30*c6*c7*r + c17*c29*c89 + c24*c6*c7*c87 + c24*c6*c7*(c70 + c72) - 2*c25*(-c23 + c26*gx2) - c88*c89) - c80*gx1 - c80*gx2 - 1/2*c81*c82 - c84*c85 - c84*(c60 - c86) - 1/2*c84*(c71 - c73))
    dV_hat_dm = -c48*c5*c59
    dV_hat_dq = (1/4)*c32*(c10*(c61*c86 + c67) - c61*c79*eps)
    dV_hat_dV = -c32*(2*T0_1*c2*c83 + c14*c2*c88 - c14*c25*c87 + c82*c85)
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV


@njit(cache=True, error_model="numpy")
def huber_train_loss(eps, m, q, V, nodes, weights):
    """Average training loss over the RAF mixture (docs/theory/raf.md §5), closed up to the teacher moments."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = -V/r
    x2 = (V + 2)/r
    x3 = 12.0
    wide0 = phi_Phi_closed_form(k, x0, x1)
    wide1 = phi_Phi_closed_form(k, x1, x2)
    wide2 = phi_Phi_closed_form(k, x2, x3)
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1 or wide2)
    end3 = phi_Phi_cutoff_endpoint(k, x3)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    T0_2, T1_2, T2_2 = phi_Phi_interval(k, end2, end3, nodes, weights)
    gx1 = end1[3]
    emx1 = end1[6]
    gx2 = end2[3]
    ex2 = end2[5]
    c0 = eps - 1
    c1 = 2*r
    c2 = 2*V
    c3 = c2 - 1
    c4 = c2 + 3
    c5 = math.sqrt(2)/math.sqrt(math.pi)
    c6 = c1*c5
    c7 = (1/4)*eps
    c8 = 1/(V**2 + c2 + 1)
    c9 = r**2
    c10 = c5/r
    c11 = emx1 + ex2 - 2
    train_loss = -c0*c8*(T0_1 - T1_1*c1 + T2_1*c9) + c0*(T0_0*c3 + T1_0*c1) + c0*(T0_2*c4 - T1_2*c1) - c7*c8*(c11 + c6*(gx1 - gx2) + c9*(V*c10*gx1 + c10*gx2*(V + 2) + c11)) - c7*(c3*emx1 - c6*gx1) - c7*(c4*ex2 - c6*gx2)
    return train_loss
