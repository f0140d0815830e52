# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/priors.py.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""Ridge prior channel (m, q, V) from (m̂, q̂, V̂), generated from theory/priors.py."""

from numba import njit


@njit(cache=True, error_model="numpy")
def ridge_prior(m_hat, q_hat, V_hat, lam):
    """Stationarity of the ridge prior potential (docs/theory/raf.md §3.1); lam = 1 gives the λ → 0 rescaling."""
    c0 = 1/(V_hat + lam)
    m = c0*m_hat
    q = (m_hat**2 + q_hat)/(V_hat**2 + 2*V_hat*lam + lam**2)
    V = c0
    return m, q, V
