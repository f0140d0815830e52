"""Gaussian-covariate learner: the ridge prior summed over the spectrum of Σ (docs/theory/gcm.md).

State ``(m, q, V)`` as for the linear learner; the output channel sees them unchanged. The spectrum
follows the seven common entries of the flat parameter vector::

    p = [α, ε, λ, zero_λ, μ₁, μ⋆², κ, d, ω_1 … ω_d, θ̃_1² … θ̃_d²]

(packed by :func:`memtheory.solvers.raf.gcm.pack_spectrum`).
"""


from memtheory.core.jit import njit
from memtheory.solvers.raf.priors._generated.gcm_prior import gcm_prior
from memtheory.solvers.raf.priors.params import P_ALPHA, P_LAM, P_ZERO_LAM

STATE_SIZE = 3
P_GCM_DIM = 7  # index of d in the flat parameter vector
P_GCM_START = 8  # first eigenvalue


@njit(cache=True, error_model="numpy")
def gcm_prior_from_params(mh, qh, Vh, lam, p):
    """The generated GCM prior with the spectrum read from the flat parameter vector ``p``."""
    d = int(p[P_GCM_DIM])
    omegas = p[P_GCM_START:P_GCM_START + d]
    thetas2 = p[P_GCM_START + d:P_GCM_START + 2 * d]
    return gcm_prior(mh, qh, Vh, lam, omegas, thetas2)


@njit(cache=True, error_model="numpy")
def channel_inputs(x, p):
    """``(α_eff, m, q, V)`` seen by the output channel."""
    return p[P_ALPHA], x[0], x[1], x[2]


@njit(cache=True, error_model="numpy")
def prior_update(mh, qh, Vh, p, out, hats):
    """New state from the channel conjugates (the learner's conjugates are the channel's)."""
    lam_eff = 1.0 if p[P_ZERO_LAM] > 0.5 else p[P_LAM]
    hats[0], hats[1], hats[2] = mh, qh, Vh
    out[0], out[1], out[2] = gcm_prior_from_params(mh, qh, Vh, lam_eff, p)
