# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The λ → 0 output channels below the interpolation threshold, generated from theory/channels.py."""

import math

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import phi_Phi_closed_form, phi_Phi_endpoint, phi_Phi_interval


@njit(cache=True, error_model="numpy")
def square_interpolating_conjugates(alpha, eps, m, q, V, nodes, weights):
    """λ → 0 min-norm interpolator (docs/theory/raf.md §6), rescaled V = λV."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    c0 = eps - 1
    c1 = alpha/V
    c2 = math.sqrt(2)/math.sqrt(math.pi)
    c3 = r**2 + 1
    m_hat = -c0*c1*c2
    q_hat = alpha*(-c0*(-2*c2*k*r/math.sqrt(k**2 + 1) + c3) + c3*eps)/V**2
    V_hat = c1
    return m_hat, q_hat, V_hat


@njit(cache=True, error_model="numpy")
def square_interpolating_jacobian(alpha, eps, m, q, V, nodes, weights):
    """λ → 0 min-norm interpolator: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    c0 = alpha/V
    c1 = eps - 1
    c2 = math.sqrt(2)/math.sqrt(math.pi)
    c3 = c1*c2
    c4 = r**2 + 1
    c5 = k**2
    c6 = c5 + 1
    c7 = c2/math.sqrt(c6)
    c8 = c7*k
    c9 = 2*r
    c10 = -c1*(c4 - c8*c9) + c4*eps
    c11 = alpha/V**2
    c12 = c1*c7*(c5/c6 - 1)/s**3
    m_hat = -c0*c3
    q_hat = c10*c11
    V_hat = c0
    dm_hat_dm = 0
    dm_hat_dq = 0
    dm_hat_dV = c11*c3
    dq_hat_dm = -c11*c12*c9*q
    dq_hat_dq = c11*(c12*m*r + (c1*(c8 - r) + eps*r)/r)
    dq_hat_dV = -2*alpha*c10/V**3
    dV_hat_dm = 0
    dV_hat_dq = 0
    dV_hat_dV = -c11
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV


@njit(cache=True, error_model="numpy")
def hinge_max_margin_conjugates(alpha, eps, m, q, V, nodes, weights):
    """λ → 0 max-margin SVM (docs/theory/raf.md §6), rescaled V = λV."""
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
    c4 = alpha/V
    c5 = c1*c3
    c6 = 2*r
    c7 = r**2
    c8 = 2*c0
    c9 = 1/r
    c10 = c5*math.exp(-(1/2)/c7)
    c11 = math.erfc(c2*c9) - 2
    c12 = (1/2)*eps
    m_hat = -c0*c4*c5*(c2*c3*s*math.exp(-(1/2)/s**2) - 1/2*math.erfc(c2/s) + 1)
    q_hat = -alpha*(c12*(-c10*c6 + c11 + c7*(c10*c9 + c11)) + c8*(T0_0 - T1_0*c6 + T2_0*c7))/V**2
    V_hat = -c4*(T0_0*c8 + c11*c12)
    return m_hat, q_hat, V_hat


@njit(cache=True, error_model="numpy")
def hinge_max_margin_jacobian(alpha, eps, m, q, V, nodes, weights):
    """λ → 0 max-margin SVM: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    x0 = -12.0
    x1 = 1/r
    wide0 = phi_Phi_closed_form(k, x0, x1)
    end0 = phi_Phi_endpoint(k, x0, wide0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    c0 = alpha/V
    c1 = 1/s
    c2 = math.sqrt(2)
    c3 = (1/2)*c2
    c4 = 1/math.sqrt(math.pi)
    c5 = math.exp(-(1/2)/s**2)
    c6 = eps - 1
    c7 = c2*c4
    c8 = c6*c7
    c9 = c8*(c3*c4*c5*s - 1/2*math.erfc(c1*c3) + 1)
    c10 = 2*r
    c11 = r**2
    c12 = 2*c6
    c13 = c12*(T0_0 - T1_0*c10 + T2_0*c11)
    c14 = 1/r
    c15 = 1/c11
    c16 = (1/2)*c15
    c17 = math.exp(-c16)
    c18 = c17*c7
    c19 = c14*c3
    c20 = math.erfc(c19)
    c21 = c20 - 2
    c22 = c14*c18 + c21
    c23 = c10*c18
    c24 = (1/2)*eps
    c25 = alpha/V**2
    c26 = T0_0*c12 + c21*c24
    c27 = 1/math.pi
    c28 = c0*c1*c27*c5*c6
    c29 = k**2
    c30 = c29 + 1
    c31 = math.exp(-72*c29 - 72)
    c32 = math.exp(-c16*c30)
    c33 = c27*(c31 - c32)/c30
    c34 = c27*(-c15*c30*c32 + 144*c30*c31 + 2*c31 - 2*c32)/c30**2
    c35 = math.sqrt(c30)
    c36 = c2*c35
    c37 = c36*c4
    c38 = (c14*c32*c37 + 12*c31*c37 + math.erfc(6*c36) + math.erfc(c19*c35) - 2)/c30**(3/2)
    c39 = s**(-3)
    c40 = c39*c6*q
    c41 = r**(-3)
    c42 = math.erfc(c19*k) - 2
    c43 = c18*c42
    c44 = c39*m
    c45 = 2*c44
    c46 = c33*c45
    c47 = c18*c41
    m_hat = -c0*c9
    q_hat = -c25*(c13 + c24*(c11*c22 + c21 - c23))
    V_hat = -c0*c26
    dm_hat_dm = c28*m
    dm_hat_dq = -1/2*c28
    dm_hat_dV = c25*c9
    dq_hat_dm = -c25*c40*(c11*c34 + c33 + c38*c7*r)
    dq_hat_dq = (1/4)*c25*(c10*c8*(c17*c42/r**4 + c38*c44) + c11*c6*(c34*c45 - c43/r**5) + 2*c14*(4*c6*(T1_0 - T2_0*r) - eps*(-c18 + c22*r)) + c6*(-c41*c43 + c46))
    dq_hat_dV = -2*alpha*(-c13 + c24*(-c11*c22 - c20 + c23 + 2))/V**3
    dV_hat_dm = -c0*c33*c40
    dV_hat_dq = (1/4)*c0*(-c47*eps + c6*(-c42*c47 + c46))
    dV_hat_dV = c25*c26
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV
