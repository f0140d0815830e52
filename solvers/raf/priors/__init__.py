"""Prior channels of the RAF learners: how each learner maps conjugates to order parameters.

One module per learner (docs/theory/raf.md): ``linear`` (ridge prior, state ``(m, q, V)``), ``kernel``
(ridge prior in the signal subspace, state ``(m_s, q_s, V_s)``), ``random_features`` (Marchenko–Pastur
closed forms, state ``(m_s, q_s, V_s, q_w, V_w)``) and ``bayes`` (Nishimori prior, state ``(q_b,)``).
Each declares ``STATE_SIZE`` and defines ``channel_inputs(x, p)`` and ``prior_update(m̂, q̂, V̂, p, out,
hats)``; the integer-id dispatch :func:`channel_inputs`/:func:`prior_update` is generated from those
modules by ``python -m memtheory.theory.generate``, so adding a learner is one module plus a run of the
generator.

All functions take the flat parameter vector ``p = [α, ε, λ, zero_λ, μ₁, μ⋆², κ]`` (:mod:`.params`).
"""

from memtheory.solvers.raf.priors._generated.dispatch import (
    BAYES,
    GCM,
    KERNEL,
    LEARNER_MODULES,
    LINEAR,
    RANDOM_FEATURES,
    STATE_SIZE,
    channel_inputs,
    prior_jacobian,
    prior_update,
)
from memtheory.solvers.raf.priors.params import P_ALPHA, P_EPS, P_KAPPA, P_LAM, P_MU1, P_MUSTAR2, P_ZERO_LAM
from memtheory.solvers.raf.priors.random_features import random_features_prior

__all__ = ["BAYES", "GCM", "KERNEL", "LINEAR", "RANDOM_FEATURES", "STATE_SIZE", "LEARNER_MODULES", "channel_inputs",
           "prior_update", "prior_jacobian", "random_features_prior", "P_ALPHA", "P_EPS", "P_LAM", "P_ZERO_LAM", "P_MU1",
           "P_MUSTAR2", "P_KAPPA"]
