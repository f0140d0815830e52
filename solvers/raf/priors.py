"""Prior channels of the RAF learners: how each learner maps conjugates to order parameters.

One prior per learner (spec raf.md §5.1, §5.6, §5.7, §5.8):

* ``LINEAR`` — ridge prior, state ``(m, q, V)``;
* ``KERNEL`` — ridge prior in the signal subspace, state ``(m_s, q_s, V_s)``, with the identity part
  ``μ⋆`` adding ``μ⋆²/λ`` to the channel's ``V`` (``μ⋆²`` at λ = 0);
* ``RANDOM_FEATURES`` — Marchenko–Pastur closed forms (Gerace et al. 2020), state
  ``(m_s, q_s, V_s, q_w, V_w)``, channel evaluated at ``α/κ``;
* ``BAYES`` — Nishimori prior ``q_b = q̂_b/(1 + q̂_b)``, state ``(q_b,)``;
* ``GCM`` — Gaussian-covariate ridge prior (docs/theory/gcm.md), state ``(m, q, V)``; its spectrum
  follows the seven common entries of ``p`` (:mod:`memtheory.solvers.raf.gcm`).

All functions take the flat parameter vector ``p = [α, ε, λ, zero_λ, μ₁, μ⋆², κ]``; ``zero_λ = 1``
selects the rescaled λ → 0 equations (λ replaced by 1 in the denominators).
"""

from __future__ import annotations

import math

from numba import njit

from memtheory.solvers.raf._generated.priors import ridge_prior
from memtheory.solvers.raf.gcm import gcm_prior_from_params  # GCM learner (begin/end: "GCM")

LINEAR, KERNEL, RANDOM_FEATURES, BAYES, GCM = range(5)
STATE_SIZE = (3, 3, 5, 1, 3)
P_ALPHA, P_EPS, P_LAM, P_ZERO_LAM, P_MU1, P_MUSTAR2, P_KAPPA = range(7)


@njit(cache=True, error_model="numpy")
def channel_inputs(lid, x, p):
    """``(α_eff, m, q, V)`` seen by the output channel for the learner state ``x``."""
    if lid == LINEAR or lid == GCM:
        return p[P_ALPHA], x[0], x[1], x[2]
    mu1 = p[P_MU1]
    ms2 = p[P_MUSTAR2]
    if lid == KERNEL:
        extra = ms2 if p[P_ZERO_LAM] > 0.5 else ms2 / p[P_LAM]
        return p[P_ALPHA], mu1 * x[0], mu1 * mu1 * x[1], mu1 * mu1 * x[2] + extra
    if lid == RANDOM_FEATURES:
        return (
            p[P_ALPHA] / p[P_KAPPA],
            mu1 * x[0],
            mu1 * mu1 * x[1] + ms2 * x[3],
            mu1 * mu1 * x[2] + ms2 * x[4],
        )
    # BAYES: Nishimori line m = q, V = 1 − q
    return p[P_ALPHA], x[0], x[0], 1.0 - x[0]


@njit(cache=True, error_model="numpy")
def random_features_prior(mh_s, qh_s, Vh_s, qh_w, Vh_w, lam, kappa, out):
    """Marchenko–Pastur closed forms of the RF prior (spec raf.md §5.7), written into ``out``.

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
def prior_update(lid, mh, qh, Vh, p, out, hats):
    """New state ``out`` from the channel conjugates; the learner's own conjugates go to ``hats``."""
    lam_eff = 1.0 if p[P_ZERO_LAM] > 0.5 else p[P_LAM]
    if lid == LINEAR:
        hats[0], hats[1], hats[2] = mh, qh, Vh
        out[0], out[1], out[2] = ridge_prior(mh, qh, Vh, lam_eff)
        return
    if lid == GCM:
        hats[0], hats[1], hats[2] = mh, qh, Vh
        out[0], out[1], out[2] = gcm_prior_from_params(mh, qh, Vh, lam_eff, p)
        return
    mu1 = p[P_MU1]
    if lid == KERNEL:
        hats[0], hats[1], hats[2] = mu1 * mh, mu1 * mu1 * qh, mu1 * mu1 * Vh
        out[0], out[1], out[2] = ridge_prior(hats[0], hats[1], hats[2], lam_eff)
        return
    if lid == RANDOM_FEATURES:
        kappa = p[P_KAPPA]
        ms2 = p[P_MUSTAR2]
        hats[0] = mu1 * kappa * mh
        hats[1] = mu1 * mu1 * kappa * qh
        hats[2] = mu1 * mu1 * kappa * Vh
        hats[3] = ms2 * qh
        hats[4] = ms2 * Vh
        random_features_prior(hats[0], hats[1], hats[2], hats[3], hats[4], p[P_LAM], kappa, out)
        return
    hats[0] = qh
    out[0] = qh / (1.0 + qh)
