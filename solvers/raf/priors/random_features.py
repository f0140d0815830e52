"""Random-features learner: Marchenko–Pastur closed forms (Gerace et al. 2020), state
``(m_s, q_s, V_s, q_w, V_w)``, channel evaluated at ``α/κ`` (docs/theory/raf.md, random features)."""

import math


from memtheory.core.jit import njit
from memtheory.solvers.raf.priors._generated.random_features_prior import random_features_prior_jacobian
from memtheory.solvers.raf.priors.params import P_ALPHA, P_KAPPA, P_LAM, P_MU1, P_MUSTAR2

STATE_SIZE = 5
PRIOR_JACOBIAN = True


@njit(cache=True, error_model="numpy")
def channel_inputs(x, p):
    """``(α_eff, m, q, V)`` seen by the output channel."""
    mu1 = p[P_MU1]
    ms2 = p[P_MUSTAR2]
    return (
        p[P_ALPHA] / p[P_KAPPA],
        mu1 * x[0],
        mu1 * mu1 * x[1] + ms2 * x[3],
        mu1 * mu1 * x[2] + ms2 * x[4],
    )


@njit(cache=True, error_model="numpy")
def random_features_prior(mh_s, qh_s, Vh_s, qh_w, Vh_w, lam, kappa, out):
    """Marchenko–Pastur closed forms of the RF prior (docs/theory/raf.md §4), written into ``out``.

    The spec's forms subtract O(z²) terms when ``z = (λ + V̂_w)/V̂_s`` is large, and divide by ``V̂_s``,
    which vanishes when no sample sits in a hinge's margin region (large λ). They are evaluated here
    through ``D = z + 1 + γ − Δ`` and ``Δ' = V̂_s Δ``, with ``S = λ + V̂_w + V̂_s(1 + γ) + Δ'`` and
    ``D = 4γV̂_s/S``: the spec's brackets are ``z + 1 + γ − Δ = D``, ``1 − γ − z + Δ = 2 − D``,
    ``zΔ − z² − (γ+1)z = −zD``, ``(2z+γ+1)Δ − 2z² − 3(γ+1)z − (γ−1)² = D(1 + γ − D)`` and
    ``(1−γ)Δ + (γ+1)z + (γ−1)² = 2z + (1−γ)(2 − D)``. Algebraically identical (tested against the
    printed forms where those are accurate), finite at ``V̂_s = 0``.
    """
    g = 1.0 / kappa
    lw = lam + Vh_w
    delta_s = math.sqrt((Vh_s * (1.0 + g) + lw) ** 2 - 4.0 * g * Vh_s * Vh_s)
    big_s = lw + Vh_s * (1.0 + g) + delta_s
    dd = 4.0 * g * Vh_s / big_s
    a = mh_s * mh_s + qh_s
    out[2] = 2.0 / big_s
    out[0] = mh_s * out[2]
    out[4] = (2.0 - dd) / (2.0 * lw)
    out[1] = out[2] * (a * (1.0 + g - dd) + qh_w) / delta_s
    out[3] = qh_w * (2.0 * lw + (1.0 - g) * (2.0 - dd) * Vh_s) / (2.0 * lw * lw * delta_s) + 2.0 * g * a / (
        big_s * delta_s
    )


@njit(cache=True, error_model="numpy")
def learner_hats(mh, qh, Vh, p, hats):
    """The learner's conjugates ``(m̂_s, q̂_s, V̂_s, q̂_w, V̂_w) = (μ₁κm̂, μ₁²κq̂, μ₁²κV̂, μ*²q̂, μ*²V̂)`` from
    the channel's, into ``hats`` (docs/theory/raf.md §4)."""
    mu1 = p[P_MU1]
    kappa = p[P_KAPPA]
    ms2 = p[P_MUSTAR2]
    hats[0] = mu1 * kappa * mh
    hats[1] = mu1 * mu1 * kappa * qh
    hats[2] = mu1 * mu1 * kappa * Vh
    hats[3] = ms2 * qh
    hats[4] = ms2 * Vh


@njit(cache=True, error_model="numpy")
def prior_update(mh, qh, Vh, p, out, hats):
    """New state from the channel conjugates (the RF prior of :func:`random_features_prior`)."""
    learner_hats(mh, qh, Vh, p, hats)
    random_features_prior(hats[0], hats[1], hats[2], hats[3], hats[4], p[P_LAM], p[P_KAPPA], out)


@njit(cache=True, error_model="numpy")
def prior_jacobian(mh, qh, Vh, p, out, hats, jp, ji):
    """:func:`prior_update` with ``jp = d(m_s, q_s, V_s, q_w, V_w)/d(m̂, q̂, V̂)`` (sympy, from the same
    closed forms) and ``ji = d(m, q, V)/d(state)`` of :func:`channel_inputs` (constant).

    See docs/theory/raf.md §12 (Newton steps).
    """
    learner_hats(mh, qh, Vh, p, hats)
    mu1 = p[P_MU1]
    ms2 = p[P_MUSTAR2]
    # unpacked, not indexed: the derivatives that vanish identically are integer zeros in the tuple
    (out[0], out[1], out[2], out[3], out[4],
     jp[0, 0], jp[0, 1], jp[0, 2], jp[1, 0], jp[1, 1], jp[1, 2], jp[2, 0], jp[2, 1], jp[2, 2],
     jp[3, 0], jp[3, 1], jp[3, 2], jp[4, 0], jp[4, 1], jp[4, 2]) = random_features_prior_jacobian(
        mh, qh, Vh, mu1, ms2, p[P_LAM], p[P_KAPPA])
    for a in range(3):
        for j in range(5):
            ji[a, j] = 0.0
    ji[0, 0] = mu1
    ji[1, 1] = mu1 * mu1
    ji[1, 3] = ms2
    ji[2, 2] = mu1 * mu1
    ji[2, 4] = ms2
