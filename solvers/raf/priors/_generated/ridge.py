# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/priors.py.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""Ridge prior channel (m, q, V) from (m̂, q̂, V̂), generated from theory/priors.py."""

from memtheory.core.jit import njit


@njit(cache=True, error_model="numpy")
def ridge_prior(m_hat, q_hat, V_hat, lam):
    """Stationarity of the ridge prior potential (docs/theory/raf.md §3.1); lam = 1 gives the λ → 0 rescaling."""
    c0 = 1/(V_hat + lam)
    m = c0*m_hat
    q = (m_hat**2 + q_hat)/(V_hat**2 + 2*V_hat*lam + lam**2)
    V = c0
    return m, q, V


@njit(cache=True, error_model="numpy")
def ridge_prior_jacobian(m_hat, q_hat, V_hat, lam):
    """The ridge prior and d(m, q, V)/d(m̂, q̂, V̂) row by row (docs/theory/raf.md §12, Newton steps)."""
    c0 = V_hat + lam
    c1 = 1/c0
    c2 = m_hat**2 + q_hat
    c3 = V_hat**2 + 2*V_hat*lam + lam**2
    c4 = 1/c3
    c5 = c0**(-2)
    m = c1*m_hat
    q = c2*c4
    V = c1
    dm_dm_hat = c1
    dm_dq_hat = 0
    dm_dV_hat = -c5*m_hat
    dq_dm_hat = 2*c4*m_hat
    dq_dq_hat = c4
    dq_dV_hat = -2*c0*c2/c3**2
    dV_dm_hat = 0
    dV_dq_hat = 0
    dV_dV_hat = -c5
    return m, q, V, dm_dm_hat, dm_dq_hat, dm_dV_hat, dq_dm_hat, dq_dq_hat, dq_dV_hat, dV_dm_hat, dV_dq_hat, dV_dV_hat
