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
    ex1 = end1[5]
    emx1 = end1[6]
    ecx1 = end1[9]
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
    c9 = -ex1 + ex2
    m_hat = (1/2)*alpha*c0*c2*(c1*c2*s*(gcx1 - gcx2) - c1*(ecx1 - ecx2) + ecx2 - emcx1)
    q_hat = -alpha*(T0_0*c4 + T0_2*c4 - c3*c5*(-c2*c6*(gx1 - gx2) - c7*(V*c8*gx1 + c8*gx2*(V + 2) + c9) - c9) - c3*emx1 - c3*ex2 + c4*c5*(T0_1 - T1_1*c6 + T2_1*c7))
    V_hat = -alpha*c1*(T0_1*c4 - c3*(ex1 - ex2))
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
    c0 = V + 1
    c1 = 1/c0
    c2 = ecx1 - ecx2
    c3 = -gcx2
    c4 = c3 + gcx1
    c5 = c1*c4
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
    c28 = -ex1 + ex2
    c29 = c23*c25 + c25*c27 + c28
    c30 = gx1 - gx2
    c31 = c30*c8
    c32 = ex1 - ex2
    c33 = c14*c32
    c34 = alpha*c1
    c35 = 1/math.pi
    c36 = 1/s
    c37 = s**(-2)
    c38 = V*gcx1
    c39 = c26*gcx2
    c40 = c1*c37
    c41 = c19*gcx1
    c42 = c26**2
    c43 = c42*gcx2
    c44 = c35*c36*(-c37*c38 + c37*c39 + c40*(c38 + c39) + c40*(c41 - c43) + c5)
    c45 = c36*c8
    c46 = c0**(-2)
    c47 = c1*c45
    c48 = k**2 + 1
    c49 = 1/c48
    c50 = c35*c49
    c51 = c50*(gcx0 - gcx1)
    c52 = c3 + gcx0
    c53 = c4*c50
    c54 = 1/c17
    c55 = c48*c54
    c56 = c35*(c41*c55 - c43*c55 + 2*gcx1 - 2*gcx2)/c48**2
    c57 = c25*math.sqrt(c48)
    c58 = (c38*c57 + c39*c57 - ecx1 + ecx2)/c48**(3/2)
    c59 = c8*r
    c60 = s**(-3)
    c61 = c11*c60*q
    c62 = c23*emkx1
    c63 = c8/r**3
    c64 = c62*c63
    c65 = c60*m
    c66 = 2*c65
    c67 = c27*emkx2
    c68 = c63*c67
    c69 = c53*c66 + c64 + c68
    c70 = V**3*gx1
    c71 = c8/r**5
    c72 = c26**3*gx2
    c73 = c10*c21
    c74 = r**(-4)
    c75 = c19*gx1
    c76 = c75*emkx1
    c77 = c54*c8
    c78 = c77*eps
    c79 = c23 + c27
    c80 = c42*gx2
    c81 = c14*c25
    c82 = c25*c73
    c83 = (1/2)*emkx1*gx1 + (1/2)*emkx2*gx2
    c84 = -c10
    c85 = gx1 + gx2
    c86 = 2*c0*c21
    m_hat = c13*(-c1*c2 + c5*c9 + ecx2 - emcx1)
    q_hat = -alpha*(T0_0*c15 + T0_2*c15 - c14*c21*(-c16*c31 - c17*c29 - c28) - c14*emx1 - c14*ex2 + c18*c22)
    V_hat = -c34*(T0_1*c15 - c33)
    dm_hat_dm = -c11*c44*m
    dm_hat_dq = c12*c44
    dm_hat_dV = c13*(c2*c46 + c36*c6*c7*gcx1 - c4*c46*c9 - c45*gcx2 - c47*(c38 - c39) - c47*(gcx1 + gcx2))
    dq_hat_dm = c61*(-c17*c21*c56 - c21*c53 - c21*c58*c59 + c35*c49*c52 - c51)
    dq_hat_dq = (1/4)*alpha*(c10*c21*c69 - c10*(-c51*c66 + c64) - c10*(c50*c52*c66 + c68) + c17*c73*(c56*c66 + c70*c71*emkx1 + c71*c72*emkx2) - c22*c59*(c42*c74*emkx2*gx2 - c58*c65 - c74*c76) + c24*(-c21*eps*(c16*c29 + 2*c31 + c77*c79 + c77*(c70 + c72) + 2*c77*(c75 - c80)) + c23*c78 + c27*c78 + 8*c73*(T1_1 - T2_1*r)))
    dq_hat_dV = alpha*(-4*c0*c18*c84/c20**2 + (1/2)*c10*c24*c6*c7*emkx1*gx1 + (1/2)*c10*c24*c6*c7*emkx2*gx2 + (1/2)*c21*eps*(4*c0*c21*c30*c6*c7*r + c17*c29*c86 + c24*c6*c7*c85 + c24*c6*c7*(c75 + c80) - 2*c25*(-c23 + c26*gx2) - c32*c86) - c81*gx1 - c81*gx2 - c82*c83 - c82*(c62 - c67) - 1/2*c82*(c76 + c80*emkx2))
    dV_hat_dm = -c5*c50*c61
    dV_hat_dq = (1/4)*c34*(c10*c69 - c63*c79*eps)
    dV_hat_dV = -c34*(2*T0_1*c1*c84 + c1*c33 + c10*c25*c83 - c14*c25*c85)
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
    ex1 = end1[5]
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
    c11 = -ex1 + ex2
    train_loss = -c0*c8*(T0_1 - T1_1*c1 + T2_1*c9) + c0*(T0_0*c3 + T1_0*c1) + c0*(T0_2*c4 - T1_2*c1) - c7*c8*(c11 + c6*(gx1 - gx2) + c9*(V*c10*gx1 + c10*gx2*(V + 2) + c11)) - c7*(c3*emx1 - c6*gx1) - c7*(c4*ex2 - c6*gx2)
    return train_loss
