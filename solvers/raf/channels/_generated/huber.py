# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/huber.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The huber margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import phi_Phi_closed_form, phi_Phi_endpoint, phi_Phi_interval

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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1 or wide2)
    end3 = phi_Phi_endpoint(k, x3, wide2)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    T0_2, T1_2, T2_2 = phi_Phi_interval(k, end2, end3, nodes, weights)
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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1 or wide2)
    end3 = phi_Phi_endpoint(k, x3, wide2)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    T0_2, T1_2, T2_2 = phi_Phi_interval(k, end2, end3, nodes, weights)
    c0 = 1/s
    c1 = math.sqrt(2)
    c2 = (1/2)*c1
    c3 = c0*c2
    c4 = math.erfc(V*c3)
    c5 = V + 2
    c6 = math.erfc(c3*c5)
    c7 = V + 1
    c8 = 1/c7
    c9 = c4 + c6 - 2
    c10 = V**2
    c11 = s**(-2)
    c12 = (1/2)*c11
    c13 = math.exp(-c10*c12)
    c14 = c5**2
    c15 = math.exp(-c12*c14)
    c16 = -c13 + c15
    c17 = c16*c8
    c18 = 1/math.sqrt(math.pi)
    c19 = c1*c18
    c20 = eps - 1
    c21 = alpha*c20
    c22 = c18*c2*c21
    c23 = 2*c20
    c24 = 1/r
    c25 = c2*c24
    c26 = V*c25
    c27 = math.erfc(c26)
    c28 = (1/2)*eps
    c29 = c25*c5
    c30 = math.erfc(c29)
    c31 = 2*r
    c32 = r**2
    c33 = T0_1 - T1_1*c31 + T2_1*c32
    c34 = 2*V + c10 + 1
    c35 = 1/c34
    c36 = c23*c35
    c37 = 1/c32
    c38 = (1/2)*c37
    c39 = c10*c38
    c40 = math.exp(-c39)
    c41 = V*c40
    c42 = c19*c24
    c43 = c14*c38
    c44 = math.exp(-c43)
    c45 = c44*c5
    c46 = c27 + c30 - 2
    c47 = c41*c42 + c42*c45 + c46
    c48 = c32*c47
    c49 = -c40 + c44
    c50 = alpha*c8
    c51 = 1/math.pi
    c52 = V*c13
    c53 = c15*c5
    c54 = c11*c8
    c55 = c0*c21*c51*(-c11*c52 + c11*c53 - c17 + c54*(c52 + c53) + c54*(c10*c13 - c14*c15))
    c56 = c0*c19
    c57 = c7**(-2)
    c58 = c56*c8
    c59 = k**2
    c60 = math.exp(-72*c59 - 72)
    c61 = c59 + 1
    c62 = math.exp(-c39*c61)
    c63 = -c62
    c64 = 1/c61
    c65 = c51*c64
    c66 = c65*(c60 + c63)
    c67 = math.exp(-c43*c61)
    c68 = c60 - c67
    c69 = c63 + c67
    c70 = c37*c61
    c71 = c51*(c10*c62*c70 - c14*c67*c70 + 2*c62 - 2*c67)/c61**2
    c72 = math.sqrt(c61)
    c73 = c42*c72
    c74 = (V*c62*c73 + c5*c67*c73 + math.erfc(c26*c72) + math.erfc(c29*c72) - 2)/c61**(3/2)
    c75 = c19*r
    c76 = s**(-3)
    c77 = c76*q
    c78 = math.erfc(c26*k)
    c79 = c41*c78
    c80 = r**(-3)
    c81 = c19*c80
    c82 = c79*c81
    c83 = c76*m
    c84 = 2*c83
    c85 = math.erfc(c29*k) - 2
    c86 = c45*c81*c85
    c87 = c65*c69
    c88 = c20*c35
    c89 = V**3*c40
    c90 = c19/r**5
    c91 = c44*c5**3
    c92 = r**(-4)
    c93 = c10*c40
    c94 = c78*c93
    c95 = c14*c44
    c96 = c85*c95
    c97 = c19*c37
    c98 = c97*eps
    c99 = c19*c49
    c100 = c41 + c45
    c101 = c28*c42
    c102 = c44*c85
    c103 = c18*c25
    c104 = c103*c20
    c105 = -c102 + c40*c78
    c106 = c103*c88
    c107 = -c45*c85
    c108 = c42*(c40 + c44)
    c109 = c35*c7
    c110 = 2*c109
    m_hat = c22*(-c17*c19*s - c4 + c6 + c8*c9)
    q_hat = -alpha*(T0_0*c23 + T0_2*c23 - c27*c28 - c28*c30 - c28*c35*(2*c1*c18*c49*r - c46 - c48) + c33*c36)
    V_hat = -c50*(T0_1*c23 + c28*c46)
    dm_hat_dm = -c55*m
    dm_hat_dq = (1/2)*c55
    dm_hat_dV = c22*(c0*c1*c13*c18 + c1*c16*c18*c57*s - c15*c56 - c57*c9 - c58*(c13 + c15) - c58*(c52 - c53))
    dq_hat_dm = c21*c77*(-c32*c35*c71 + c35*c51*c64*c69 - c35*c74*c75 + c51*c64*c68 - c66)
    dq_hat_dq = (1/4)*alpha*(-c20*(-c66*c84 + c82) + c20*(-c65*c68*c84 + c86) + c24*(-c35*eps*(c100*c97 + c31*c47 + c97*(c89 + c91) + 2*c97*(c93 - c95) - 2*c99) + c41*c98 + c45*c98 + 8*c88*(T1_1 - T2_1*r)) + c32*c88*(c71*c84 + c78*c89*c90 - c85*c90*c91) + c36*c75*(c74*c83 + c92*c94 + c92*c96) + c88*(V*c1*c18*c40*c78*c80 - c84*c87 - c86))
    dq_hat_dV = alpha*((1/2)*c1*c18*c20*c24*c40*c78 - c101*c40 - c101*c44 - c102*c104 - c105*c106 - c106*(c94 - c96) + 4*c20*c33*c7/c34**2 + (1/2)*c35*eps*(c108 - 4*c109*c99*r + c110*c46 + c110*c48 + 2*c42*(c41 - c45) + c42*(c93 + c95)) - c42*c88*(-c107 + c79))
    dV_hat_dm = c20*c50*c77*c87
    dV_hat_dq = (1/4)*c50*(-c100*c81*eps + c20*(c107*c81 - c65*c69*c84 + c82))
    dV_hat_dV = -c50*(-2*T0_1*c20*c8 + c104*c105 - c108*c28 - c28*c46*c8)
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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1 or wide2)
    end3 = phi_Phi_endpoint(k, x3, wide2)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    T0_2, T1_2, T2_2 = phi_Phi_interval(k, end2, end3, nodes, weights)
    c0 = eps - 1
    c1 = 2*r
    c2 = 2*V
    c3 = c2 - 1
    c4 = c2 + 3
    c5 = V**2
    c6 = 1/(c2 + c5 + 1)
    c7 = r**2
    c8 = math.sqrt(2)
    c9 = c8/r
    c10 = (1/2)*c9
    c11 = math.erfc(V*c10)
    c12 = 1/math.sqrt(math.pi)
    c13 = (1/2)/c7
    c14 = math.exp(-c13*c5)
    c15 = c12*c14
    c16 = c1*c8
    c17 = (1/4)*eps
    c18 = V + 2
    c19 = math.erfc(c10*c18)
    c20 = math.exp(-c13*c18**2)
    c21 = c12*c20
    c22 = c11 + c19 - 2
    train_loss = -c0*c6*(T0_1 - T1_1*c1 + T2_1*c7) + c0*(T0_0*c3 + T1_0*c1) + c0*(T0_2*c4 - T1_2*c1) - c17*c6*(-c12*c16*(-c14 + c20) + c22 + c7*(V*c15*c9 + c18*c21*c9 + c22)) + c17*(-c11*c3 + c15*c16) + c17*(c16*c21 - c19*c4)
    return train_loss
