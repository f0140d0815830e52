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
    emx1 = end1[6]
    emcx1 = end1[10]
    c0 = eps - 1
    c1 = math.sqrt(2)/math.sqrt(math.pi)
    c2 = alpha/V
    c3 = 2*r
    c4 = r**2
    c5 = 2*c0
    c6 = c1*gx1
    c7 = (1/2)*eps
    m_hat = -1/2*c0*c1*c2*(c1*gcx1*s + emcx1)
    q_hat = alpha*(-c5*(T0_0 - T1_0*c3 + T2_0*c4) + c7*(c3*c6 + c4*(-c6/r + emx1) + emx1))/V**2
    V_hat = -c2*(T0_0*c5 - c7*emx1)
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
    ecx0 = end0[9]
    gx1 = end1[3]
    gcx1 = end1[4]
    emx1 = end1[6]
    emkx1 = end1[8]
    ecx1 = end1[9]
    emcx1 = end1[10]
    c0 = math.sqrt(2)/math.sqrt(math.pi)
    c1 = c0*gcx1
    c2 = c1*s + emcx1
    c3 = eps - 1
    c4 = c0*c3
    c5 = alpha/V
    c6 = (1/2)*c5
    c7 = 2*r
    c8 = r**2
    c9 = T0_0 - T1_0*c7 + T2_0*c8
    c10 = 2*c3
    c11 = c0*gx1
    c12 = 1/r
    c13 = -c11*c12 + emx1
    c14 = eps*(c11*c7 + c13*c8 + emx1)
    c15 = alpha/V**2
    c16 = T0_0*c10 - 1/2*emx1*eps
    c17 = c3*c5
    c18 = 1/math.pi
    c19 = c18*gcx1/s
    c20 = c15*c3
    c21 = k**2 + 1
    c22 = c18*(gcx0 - gcx1)/c21
    c23 = c18*(144*c21*gcx0 - c21*gcx1/c8 + 2*gcx0 - 2*gcx1)/c21**2
    c24 = math.sqrt(c21)
    c25 = (12*c0*c24*gcx0 + c1*c12*c24 - ecx0 + ecx1)/c21**(3/2)
    c26 = s**(-3)
    c27 = c26*q
    c28 = r**(-3)
    c29 = c11*emkx1
    c30 = c26*m
    c31 = 2*c30
    c32 = c22*c31 + c28*c29
    c33 = 4*c3
    m_hat = -c2*c4*c6
    q_hat = c15*(-c10*c9 + (1/2)*c14)
    V_hat = -c16*c5
    dm_hat_dm = c17*c19*m
    dm_hat_dq = -c19*c3*c6
    dm_hat_dV = (1/2)*c0*c2*c20
    dq_hat_dm = -c20*c27*(c0*c25*r + c22 + c23*c8)
    dq_hat_dq = (1/4)*c15*(2*c12*(c33*(T1_0 - T2_0*r) + eps*(c11 + c13*r)) + c3*c32 + c3*c8*(c23*c31 + c29/r**5) - c4*c7*(-c25*c30 + emkx1*gx1/r**4))
    dq_hat_dV = -alpha*(c14 - c33*c9)/V**3
    dV_hat_dm = -c17*c22*c27
    dV_hat_dq = (1/4)*c5*(-c11*c28*eps + c3*c32)
    dV_hat_dV = c15*c16
    return m_hat, q_hat, V_hat, dm_hat_dm, dm_hat_dq, dm_hat_dV, dq_hat_dm, dq_hat_dq, dq_hat_dV, dV_hat_dm, dV_hat_dq, dV_hat_dV
