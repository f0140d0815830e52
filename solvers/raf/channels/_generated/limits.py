# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/channels.py.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""The λ → 0 output channels below the interpolation threshold, generated from theory/channels.py."""

import math

from numba import njit

from memtheory.solvers.quadrature import phi_Phi_moments


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
def hinge_max_margin_conjugates(alpha, eps, m, q, V, nodes, weights):
    """λ → 0 max-margin SVM (docs/theory/raf.md §6), rescaled V = λV."""
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
