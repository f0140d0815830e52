"""Linear learner: ridge prior, state ``(m, q, V)`` (docs/theory/raf.md, linear learner)."""


from memtheory.core.jit import njit
from memtheory.solvers.raf.priors._generated.ridge import ridge_prior, ridge_prior_jacobian
from memtheory.solvers.raf.priors.params import P_ALPHA, P_LAM, P_ZERO_LAM

STATE_SIZE = 3
PRIOR_JACOBIAN = True


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


@njit(cache=True, error_model="numpy")
def prior_jacobian(mh, qh, Vh, p, out, hats, jp, ji):
    """:func:`prior_update` with ``jp = d(m, q, V)/d(m̂, q̂, V̂)`` (sympy) and ``ji = I`` (the channel sees the
    state itself).

    See docs/theory/raf.md §12 (Newton steps).
    """
    lam_eff = 1.0 if p[P_ZERO_LAM] > 0.5 else p[P_LAM]
    hats[0], hats[1], hats[2] = mh, qh, Vh
    (out[0], out[1], out[2], jp[0, 0], jp[0, 1], jp[0, 2], jp[1, 0], jp[1, 1], jp[1, 2], jp[2, 0], jp[2, 1],
     jp[2, 2]) = ridge_prior_jacobian(mh, qh, Vh, lam_eff)
    for i in range(3):
        for j in range(3):
            ji[i, j] = 1.0 if i == j else 0.0
