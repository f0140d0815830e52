"""Kernel learner: ridge prior in the signal subspace, state ``(m_s, q_s, V_s)``, with the identity part
``μ⋆`` adding ``μ⋆²/λ`` to the channel's ``V`` (``μ⋆²`` at λ = 0) (docs/theory/raf.md, kernel learner)."""


from memtheory.core.jit import njit
from memtheory.solvers.raf.priors._generated.ridge import ridge_prior, ridge_prior_jacobian
from memtheory.solvers.raf.priors.params import P_ALPHA, P_LAM, P_MU1, P_MUSTAR2, P_ZERO_LAM

STATE_SIZE = 3
PRIOR_JACOBIAN = True


@njit(cache=True, error_model="numpy")
def channel_inputs(x, p):
    """``(α_eff, m, q, V)`` seen by the output channel."""
    mu1 = p[P_MU1]
    ms2 = p[P_MUSTAR2]
    extra = ms2 if p[P_ZERO_LAM] > 0.5 else ms2 / p[P_LAM]
    return p[P_ALPHA], mu1 * x[0], mu1 * mu1 * x[1], mu1 * mu1 * x[2] + extra


@njit(cache=True, error_model="numpy")
def prior_update(mh, qh, Vh, p, out, hats):
    """New state from the channel conjugates; the learner's conjugates ``μ₁ m̂, μ₁² q̂, μ₁² V̂`` go to ``hats``."""
    lam_eff = 1.0 if p[P_ZERO_LAM] > 0.5 else p[P_LAM]
    mu1 = p[P_MU1]
    hats[0], hats[1], hats[2] = mu1 * mh, mu1 * mu1 * qh, mu1 * mu1 * Vh
    out[0], out[1], out[2] = ridge_prior(hats[0], hats[1], hats[2], lam_eff)


@njit(cache=True, error_model="numpy")
def prior_jacobian(mh, qh, Vh, p, out, hats, jp, ji):
    """:func:`prior_update` with ``jp = d(m_s, q_s, V_s)/d(m̂, q̂, V̂)`` (the sympy ridge Jacobian at the
    learner's conjugates, times their scale ``μ₁, μ₁², μ₁²``) and ``ji = diag(μ₁, μ₁², μ₁²)``.

    See docs/theory/raf.md §12 (Newton steps).
    """
    lam_eff = 1.0 if p[P_ZERO_LAM] > 0.5 else p[P_LAM]
    mu1 = p[P_MU1]
    scale = (mu1, mu1 * mu1, mu1 * mu1)
    hats[0], hats[1], hats[2] = mu1 * mh, mu1 * mu1 * qh, mu1 * mu1 * Vh
    (out[0], out[1], out[2], jp[0, 0], jp[0, 1], jp[0, 2], jp[1, 0], jp[1, 1], jp[1, 2], jp[2, 0], jp[2, 1],
     jp[2, 2]) = ridge_prior_jacobian(hats[0], hats[1], hats[2], lam_eff)
    for i in range(3):
        for j in range(3):
            jp[i, j] *= scale[j]
            ji[i, j] = scale[i] if i == j else 0.0
