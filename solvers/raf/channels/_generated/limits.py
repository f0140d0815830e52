# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The λ → 0 output channels below the interpolation threshold, generated from theory/channels.py."""

import math

from memtheory.core.jit import njit
from memtheory.solvers.quadrature import (
    phi_Phi_closed_form,
    phi_Phi_cutoff_endpoint,
    phi_Phi_endpoint,
    phi_Phi_interval,
)


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
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    gx1 = end1[3]
    gcx1 = end1[4]
    ex1 = end1[5]
    ecx1 = end1[9]
    c0 = eps - 1
    c1 = math.sqrt(2)/math.sqrt(math.pi)
    c2 = alpha/V
    c3 = 2*r
    c4 = r**2
    c5 = 2*c0
    c6 = c1*gx1
    c7 = ex1 - 2
    c8 = (1/2)*eps
    m_hat = -c0*c1*c2*((1/2)*c1*gcx1*s - 1/2*ecx1 + 1)
    q_hat = -alpha*(c5*(T0_0 - T1_0*c3 + T2_0*c4) + c8*(-c3*c6 + c4*(c6/r + c7) + c7))/V**2
    V_hat = -c2*(T0_0*c5 + c7*c8)
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
    end0 = phi_Phi_cutoff_endpoint(k, x0)
    end1 = phi_Phi_endpoint(k, x1, wide0)
    T0_0, T1_0, T2_0 = phi_Phi_interval(k, end0, end1, nodes, weights)
    gcx0 = end0[4]
    emcx0 = end0[10]
    gx1 = end1[3]
    gcx1 = end1[4]
    ex1 = end1[5]
    ekx1 = end1[7]
    ecx1 = end1[9]
    c0 = alpha/V
    c1 = math.sqrt(2)/math.sqrt(math.pi)
    c2 = c1*gcx1
    c3 = eps - 1
    c4 = c1*c3
    c5 = c4*((1/2)*c2*s - 1/2*ecx1 + 1)
    c6 = 2*r
    c7 = r**2
    c8 = 2*c3
    c9 = c8*(T0_0 - T1_0*c6 + T2_0*c7)
    c10 = 1/r
    c11 = c1*gx1
    c12 = ex1 - 2
    c13 = c10*c11 + c12
    c14 = c11*c6
    c15 = (1/2)*eps
    c16 = alpha/V**2
    c17 = T0_0*c8 + c12*c15
    c18 = 1/math.pi
    c19 = c0*c18*c3*gcx1/s
    c20 = gcx0 - gcx1
    c21 = k**2 + 1
    c22 = 1/c21
    c23 = c18*c20*c22
    c24 = c21**(-2)
    c25 = 144*c21*gcx0 - c21*gcx1/c7 + 2*gcx0 - 2*gcx1
    c26 = math.sqrt(c21)
    c27 = (12*c1*c26*gcx0 + c10*c2*c26 + ecx1 + emcx0 - 2)/c21**(3/2)
    c28 = s**(-3)
    c29 = c28*c3*q
    c30 = r**(-3)
    c31 = ekx1 - 2
    c32 = c11*c31
    c33 = c28*m
    c34 = c11*c30
    m_hat = -c0*c5
    q_hat = -c16*(c15*(c12 + c13*c7 - c14) + c9)
    V_hat = -c0*c17
    dm_hat_dm = c19*m
    dm_hat_dq = -1/2*c19
    dm_hat_dV = c16*c5
    dq_hat_dm = -c16*c29*(c1*c27*r + c18*c24*c25*c7 + c23)
    dq_hat_dq = (1/4)*c16*(2*c10*(4*c3*(T1_0 - T2_0*r) + eps*(c11 - c13*r)) + c3*c7*(2*c18*c24*c25*c28*m - c32/r**5) + c3*(2*c18*c20*c22*c28*m - c30*c32) + c4*c6*(c27*c33 + c31*gx1/r**4))
    dq_hat_dV = -2*alpha*(c15*(-c13*c7 + c14 - ex1 + 2) - c9)/V**3
    dV_hat_dm = -c0*c23*c29
    dV_hat_dq = (1/4)*c0*(c3*(2*c23*c33 - c31*c34) - c34*eps)
    dV_hat_dV = c16*c17
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV
