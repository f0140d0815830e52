# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""Output-channel conjugates (m̂, q̂, V̂) of the RAF model, generated from theory/channels.py.

Each kernel takes (alpha, eps, m, q, V, nodes, weights) with q > m² and a Gauss–Legendre rule
on [-1, 1] for the finite-interval teacher moments."""

import math

from numba import njit

from memtheory.solvers.quadrature import phi_Phi_moments


@njit(cache=True, error_model="numpy")
def square_conjugates(alpha, eps, m, q, V, nodes, weights):
    """Square loss: (m̂, q̂, V̂) of spec raf.md §5.2 (closed form)."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    c0 = eps - 1
    c1 = alpha/(V + 1)
    c2 = math.sqrt(2)/math.sqrt(math.pi)
    c3 = r**2 + 1
    m_hat = -c0*c1*c2
    q_hat = alpha*(-c0*(-2*c2*k*r/math.sqrt(k**2 + 1) + c3) + c3*eps)/(V**2 + 2*V + 1)
    V_hat = c1
    return m_hat, q_hat, V_hat


@njit(cache=True, error_model="numpy")
def hinge_conjugates(alpha, eps, m, q, V, nodes, weights):
    """Hinge loss: (m̂, q̂, V̂) of spec raf.md §5.3, split at the kinks yω = 1 − V and 1."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    T0_0, T1_0, T2_0 = phi_Phi_moments(k, -12, (1 - V)/r, nodes, weights)
    T0_1, T1_1, T2_1 = phi_Phi_moments(k, (1 - V)/r, 1/r, nodes, weights)
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
def square_interpolating_conjugates(alpha, eps, m, q, V, nodes, weights):
    """λ → 0 min-norm interpolator (spec raf.md §5.5), rescaled V = λV."""
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
def hinge_max_margin_conjugates(alpha, eps, m, q, V, nodes, weights):
    """λ → 0 max-margin SVM (spec raf.md §5.5), rescaled V = λV."""
    r = math.sqrt(q)
    s = math.sqrt(q - m * m)
    k = m / s
    T0_0, T1_0, T2_0 = phi_Phi_moments(k, -12, 1/r, nodes, weights)
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
