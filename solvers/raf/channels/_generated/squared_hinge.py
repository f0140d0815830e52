# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py (MARGIN_LOSS of solvers/raf/channels/squared_hinge.py).
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The squared_hinge margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""

import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import phi_Phi_closed_form, phi_Phi_endpoint, phi_Phi_interval

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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
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


@njit(cache=True, error_model="numpy")
def squared_hinge_jacobian(alpha, eps, m, q, V, nodes, weights):
    """Squared hinge loss: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = 1/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    c0 = V + 1
    c1 = 1/c0
    c2 = alpha*c1
    c3 = 1/s
    c4 = math.sqrt(2)
    c5 = (1/2)*c4
    c6 = 1/math.sqrt(math.pi)
    c7 = math.exp(-(1/2)/s**2)
    c8 = eps - 1
    c9 = c4*c6
    c10 = c8*c9
    c11 = c10*(c5*c6*c7*s - 1/2*math.erfc(c3*c5) + 1)
    c12 = 2*r
    c13 = r**2
    c14 = 2*c8
    c15 = 1/r
    c16 = 1/c13
    c17 = (1/2)*c16
    c18 = math.exp(-c17)
    c19 = c18*c9
    c20 = c15*c5
    c21 = math.erfc(c20) - 2
    c22 = c15*c19 + c21
    c23 = (1/2)*eps
    c24 = c14*(T0_0 - T1_0*c12 + T2_0*c13) + c23*(-c12*c19 + c13*c22 + c21)
    c25 = V**2 + 2*V + 1
    c26 = alpha/c25
    c27 = alpha*(T0_0*c14 + c21*c23)
    c28 = 1/math.pi
    c29 = c2*c28*c3*c7*c8
    c30 = c0**(-2)
    c31 = k**2
    c32 = c31 + 1
    c33 = math.exp(-72*c31 - 72)
    c34 = math.exp(-c17*c32)
    c35 = c28*(c33 - c34)/c32
    c36 = c28*(-c16*c32*c34 + 144*c32*c33 + 2*c33 - 2*c34)/c32**2
    c37 = math.sqrt(c32)
    c38 = c37*c4
    c39 = c38*c6
    c40 = (c15*c34*c39 + 12*c33*c39 + math.erfc(6*c38) + math.erfc(c20*c37) - 2)/c32**(3/2)
    c41 = s**(-3)
    c42 = c41*c8*q
    c43 = r**(-3)
    c44 = math.erfc(c20*k) - 2
    c45 = c19*c44
    c46 = c41*m
    c47 = 2*c46
    c48 = c35*c47
    c49 = c19*c43
    m_hat = -c11*c2
    q_hat = -c24*c26
    V_hat = -c1*c27
    dm_hat_dm = c29*m
    dm_hat_dq = -1/2*c29
    dm_hat_dV = alpha*c11*c30
    dq_hat_dm = -c26*c42*(c13*c36 + c35 + c40*c9*r)
    dq_hat_dq = (1/4)*c26*(c10*c12*(c18*c44/r**4 + c40*c46) + c13*c8*(c36*c47 - c45/r**5) + 2*c15*(4*c8*(T1_0 - T2_0*r) - eps*(-c19 + c22*r)) + c8*(-c43*c45 + c48))
    dq_hat_dV = 2*alpha*c0*c24/c25**2
    dV_hat_dm = -c2*c35*c42
    dV_hat_dq = (1/4)*c2*(-c49*eps + c8*(-c44*c49 + c48))
    dV_hat_dV = c27*c30
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
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    c0 = 2*r
    c1 = r**2
    c2 = math.sqrt(2)
    c3 = c2/r
    c4 = math.exp(-(1/2)/c1)/math.sqrt(math.pi)
    c5 = math.erfc((1/2)*c3) - 2
    train_loss = -((1/4)*eps*(-c0*c2*c4 + c1*(c3*c4 + c5) + c5) + (eps - 1)*(T0_0 - T1_0*c0 + T2_0*c1))/(V**2 + 2*V + 1)
    return train_loss
