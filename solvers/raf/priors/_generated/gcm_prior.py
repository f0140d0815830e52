# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.gcm` from the sympy derivation in theory/gcm.py.
# tests/test_gcm_prior.py regenerates it and requires byte-identical output.
# =====================================================================================================
"""Gaussian-covariate ridge prior (m, q, V) from (m̂, q̂, V̂), generated from theory/gcm.py."""

import math  # noqa: F401  (printed expressions may call it)

from memtheory.core.jit import njit


@njit(cache=True, error_model="numpy")
def gcm_prior(m_hat, q_hat, V_hat, lam, omegas, thetas2):
    """Means over the spectrum of the per-mode stationarity terms (docs/theory/gcm.md).

    ``omegas``: eigenvalues of Σ (mean 1); ``thetas2``: squared teacher components in the
    eigenbasis, normalised so that mean(omegas * thetas2) = 1; lam = 1 gives the λ → 0 rescaling.
    """
    m_sum = 0.0
    q_sum = 0.0
    V_sum = 0.0
    for i in range(omegas.shape[0]):
        omega = omegas[i]
        theta2 = thetas2[i]
        c0 = omega**2
        c1 = V_hat*omega + lam
        c2 = 1/c1
        m_sum += c0*c2*m_hat*theta2
        q_sum += c0*(m_hat**2*omega*theta2 + q_hat)/c1**2
        V_sum += c2*omega
    n = omegas.shape[0]
    return m_sum / n, q_sum / n, V_sum / n
