# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/hinge.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The hinge margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import phi_Phi_closed_form, phi_Phi_endpoint, phi_Phi_interval

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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)
    end2 = phi_Phi_endpoint(k, x2, wide1)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_interval(k, end1, end2, nodes, weights)
    c0 = V - 1
    c1 = 1/s
    c2 = math.sqrt(2)
    c3 = (1/2)*c2
    c4 = c1*c3
    c5 = math.erfc(c0*c4)
    c6 = 1/V
    c7 = math.erfc(c4)
    c8 = -c0
    c9 = s**(-2)
    c10 = (1/2)*c9
    c11 = math.exp(-c10)
    c12 = -c11
    c13 = c0**2
    c14 = math.exp(-c10*c13)
    c15 = c12 + c14
    c16 = c15*c6
    c17 = 1/math.sqrt(math.pi)
    c18 = c17*c2
    c19 = c18*s
    c20 = eps - 1
    c21 = alpha*c20
    c22 = c17*c21*c3
    c23 = 2*c20
    c24 = 1/r
    c25 = c24*c3
    c26 = c25*c8
    c27 = math.erfc(c26)
    c28 = (1/2)*eps
    c29 = 2*r
    c30 = r**2
    c31 = T0_1 - T1_1*c29 + T2_1*c30
    c32 = V**(-2)
    c33 = c23*c32
    c34 = 1/c30
    c35 = (1/2)*c34
    c36 = math.exp(-c35)
    c37 = c18*c24
    c38 = c35*c8**2
    c39 = math.exp(-c38)
    c40 = c37*c39
    c41 = c40*c8
    c42 = -c27 + math.erfc(c25)
    c43 = c36*c37 - c41 + c42
    c44 = -c36
    c45 = c13*c35
    c46 = math.exp(-c45)
    c47 = c18*(c44 + c46)
    c48 = c28*c32
    c49 = alpha*c6
    c50 = 1/math.pi
    c51 = c0*c14
    c52 = c6*c9
    c53 = c1*c21*c50*(c16 - c51*c9 + c52*(c11 + c51) + c52*(c12 + c13*c14))
    c54 = c1*c18
    c55 = c14*c54
    c56 = k**2
    c57 = c56 + 1
    c58 = math.exp(-c45*c57)
    c59 = 1/c57
    c60 = c50*c59
    c61 = c60*(-c58 + math.exp(-72*c56 - 72))
    c62 = math.exp(-c35*c57)
    c63 = c58 - c62
    c64 = c60*c63
    c65 = c57**(-2)
    c66 = c34*c57
    c67 = c13*c58*c66 + 2*c58 - c62*c66 - 2*c62
    c68 = math.sqrt(c57)
    c69 = c37*c68
    c70 = (c62*c69 - c69*c8*math.exp(-c38*c57) + math.erfc(c25*c68) - math.erfc(c26*c68))/c57**(3/2)
    c71 = c18*r
    c72 = s**(-3)
    c73 = c72*q
    c74 = math.erfc(c26*k) - 2
    c75 = c0*c46
    c76 = r**(-3)
    c77 = c18*c76
    c78 = c74*c75*c77
    c79 = c72*m
    c80 = c25*k
    c81 = c36*(math.erfc(c80) - 2)
    c82 = c18*c81
    c83 = 2*c50*c59*c63*c72*m - c76*c82 - c78
    c84 = r**(-5)
    c85 = c0**3*c46
    c86 = c20*c32
    c87 = r**(-4)
    c88 = c18*c34
    c89 = c36 + c75
    c90 = c13*c46
    c91 = c17*c25
    c92 = math.erfc(c0*c80)
    c93 = c86*c91*c92
    c94 = -c42
    c95 = 2*c6
    m_hat = c22*(c16*c19 - c5 + c6*(c7 - math.erfc(c4*c8)))
    q_hat = -alpha*(T0_0*c23 + c28*(c27 - 2) + c31*c33 + c48*(c29*c47 + c30*c43 + c42))
    V_hat = -c49*(T0_1*c23 + c28*c42)
    dm_hat_dm = -c53*m
    dm_hat_dq = (1/2)*c53
    dm_hat_dV = -c22*(c15*c19*c32 + c32*(c5 + c7 - 2) + c51*c54*c6 + c55*c6 - c55)
    dq_hat_dm = -c21*c73*(c30*c32*c50*c65*c67 + c32*c64 + c32*c70*c71 + c61)
    dq_hat_dq = (1/4)*alpha*(c20*c32*c83 + c20*(2*c61*c79 + c78) + c24*(-c32*eps*(c29*c43 + 2*c47 + c88*c89 + c88*(c36 + c85) + 2*c88*(c44 + c90)) + c75*c88*eps + 8*c86*(T1_1 - T2_1*r)) + c30*c86*(-c18*c74*c84*c85 + 2*c50*c65*c67*c72*m - c82*c84) - c33*c71*(c13*c46*c74*c87 - c70*c79 - c81*c87))
    dq_hat_dV = alpha*((1/2)*c17*c2*c20*c24*c46*c92 - c37*c75*c86*c92 - c46*c91*eps - c46*c93 - c48*(-2*c0*c40 + c0*c41 - c30*c43*c95 - c40 - 4*c6*c71*(c39 + c44) + c94*c95) - c90*c93 + 4*c20*c31/V**3)
    dV_hat_dm = -c20*c49*c64*c73
    dV_hat_dq = (1/4)*c49*(c20*c83 - c77*c89*eps)
    dV_hat_dV = c49*(T0_1*c20*c95 + (1/2)*c17*c2*c20*c24*c46*c74 + (1/2)*c17*c2*c24*c39*eps - c28*c6*c94)
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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    c0 = V - 1
    c1 = math.sqrt(2)
    train_loss = (1/2)*eps*(-c0*math.erfc((1/2)*c0*c1/r) + c1*r*math.exp(-1/2*c0**2/r**2)/math.sqrt(math.pi)) + 2*(eps - 1)*(T0_0*c0 + T1_0*r)
    return train_loss
