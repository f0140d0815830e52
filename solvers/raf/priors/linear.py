"""Linear learner: ridge prior, state ``(m, q, V)`` (docs/theory/raf.md, linear learner)."""

from numba import njit

from memtheory.solvers.raf.priors._generated.ridge import ridge_prior
from memtheory.solvers.raf.priors.params import P_ALPHA, P_LAM, P_ZERO_LAM

STATE_SIZE = 3


@njit(cache=True, error_model="numpy")
def channel_inputs(x, p):
    """``(α_eff, m, q, V)`` seen by the output channel."""
    return p[P_ALPHA], x[0], x[1], x[2]


@njit(cache=True, error_model="numpy")
def prior_update(mh, qh, Vh, p, out, hats):
    """New state from the channel conjugates (the learner's conjugates are the channel's)."""
    lam_eff = 1.0 if p[P_ZERO_LAM] > 0.5 else p[P_LAM]
    hats[0], hats[1], hats[2] = mh, qh, Vh
    out[0], out[1], out[2] = ridge_prior(mh, qh, Vh, lam_eff)
