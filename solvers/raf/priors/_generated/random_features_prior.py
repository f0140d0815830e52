# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/priors.py.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""Random-features prior state and its Jacobian in the channel conjugates, generated from theory/priors.py."""

import math

from memtheory.core.jit import njit


@njit(cache=True, error_model="numpy")
def random_features_prior_jacobian(mh, qh, Vh, mu1, mustar2, lam, kappa):
    """The RF state (m_s, q_s, V_s, q_w, V_w) and its derivatives in (m̂, q̂, V̂), row by row (docs/theory/raf.md §12, Newton steps)."""
    c0 = kappa*mu1**4
    c1 = 4*c0
    c2 = 1/kappa
    c3 = c2 + 1
    c4 = mu1**2
    c5 = c4*kappa
    c6 = c3*c5
    c7 = Vh*mustar2 + lam
    c8 = Vh*c6 + c7
    c9 = -Vh**2*c1 + c8**2
    c10 = math.sqrt(c9)
    c11 = c10 + c8
    c12 = 1/c11
    c13 = 2*c12
    c14 = kappa*mu1
    c15 = c13*c14
    c16 = mustar2*qh
    c17 = kappa*mh**2 + qh
    c18 = 4*c12
    c19 = c18*c4
    c20 = -Vh*c19 + c3
    c21 = c20*c5
    c22 = c16 + c17*c21
    c23 = 1/c10
    c24 = c13*c23
    c25 = c13*c4
    c26 = c7**(-2)
    c27 = Vh*c25 - 1
    c28 = 1 - c2
    c29 = c27*c28*c5
    c30 = -Vh*c29 + c7
    c31 = c26*c30
    c32 = 1/c7
    c33 = c6 + mustar2
    c34 = Vh*c1 - c33*c8
    c35 = 2*(-c23*c34 + c33)/c11**2
    c36 = c23*mh
    c37 = 1/c9
    c38 = c12*(-c23*c34 + c33)
    c39 = -Vh*c38 + 1
    m_s = c15*mh
    q_s = c22*c24
    V_s = c13
    q_w = c23*(c16*c31 + c17*c25)
    V_w = -c27*c32
    dm_s_dmh = c15
    dm_s_dqh = 0
    dm_s_dVh = -c14*c35*mh
    dq_s_dmh = c19*c20*c36*kappa**2
    dq_s_dqh = c24*(c21 + mustar2)
    dq_s_dVh = c24*(-c1*c12*c17*c39 + c22*c34*c37 - c22*c38)
    dV_s_dmh = 0
    dV_s_dqh = 0
    dV_s_dVh = -c35
    dq_w_dmh = c18*c36*c5
    dq_w_dqh = c23*(c25 + c31*mustar2)
    dq_w_dVh = c23*(2*c12*c17*c34*c37*c4 - c16*c26*(Vh*c0*c13*c28*c39 + c29 - mustar2) - c17*c35*c4 + c26*c30*c34*c37*mustar2*qh - 2*c30*mustar2**2*qh/c7**3)
    dV_w_dmh = 0
    dV_w_dqh = 0
    dV_w_dVh = c32*(-c25*c39 + c27*c32*mustar2)
    return m_s, q_s, V_s, q_w, V_w, dm_s_dmh, dm_s_dqh, dm_s_dVh, dq_s_dmh, dq_s_dqh, dq_s_dVh, dV_s_dmh, dV_s_dqh, dV_s_dVh, dq_w_dmh, dq_w_dqh, dq_w_dVh, dV_w_dmh, dV_w_dqh, dV_w_dVh
