"""Bayes-optimal estimator: Nishimori prior ``q_b = q̂_b/(1 + q̂_b)``, state ``(q_b,)``
(docs/theory/raf.md, Bayes-optimal baseline)."""


from memtheory.core.jit import njit
from memtheory.solvers.raf.priors.params import P_ALPHA

STATE_SIZE = 1


@njit(cache=True, error_model="numpy")
def channel_inputs(x, p):
    """``(α, m, q, V)`` on the Nishimori line ``m = q``, ``V = 1 − q``."""
    return p[P_ALPHA], x[0], x[0], 1.0 - x[0]


@njit(cache=True, error_model="numpy")
def prior_update(mh, qh, Vh, p, out, hats):
    """``q_b = q̂_b/(1 + q̂_b)``."""
    hats[0] = qh
    out[0] = qh / (1.0 + qh)
