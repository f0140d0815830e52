# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/generate.py, from the learner modules of solvers/raf/priors/.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================

"""Integer-id dispatch over the learner priors (one module per learner)."""

from memtheory.core.jit import njit

from memtheory.solvers.raf.priors.bayes import channel_inputs as bayes_channel_inputs
from memtheory.solvers.raf.priors.bayes import prior_update as bayes_prior_update
from memtheory.solvers.raf.priors.gcm import channel_inputs as gcm_channel_inputs
from memtheory.solvers.raf.priors.gcm import prior_update as gcm_prior_update
from memtheory.solvers.raf.priors.kernel import channel_inputs as kernel_channel_inputs
from memtheory.solvers.raf.priors.kernel import prior_update as kernel_prior_update
from memtheory.solvers.raf.priors.kernel import prior_jacobian as kernel_prior_jacobian
from memtheory.solvers.raf.priors.linear import channel_inputs as linear_channel_inputs
from memtheory.solvers.raf.priors.linear import prior_update as linear_prior_update
from memtheory.solvers.raf.priors.linear import prior_jacobian as linear_prior_jacobian
from memtheory.solvers.raf.priors.random_features import channel_inputs as random_features_channel_inputs
from memtheory.solvers.raf.priors.random_features import prior_update as random_features_prior_update
from memtheory.solvers.raf.priors.random_features import prior_jacobian as random_features_prior_jacobian

LEARNER_MODULES = ('bayes', 'gcm', 'kernel', 'linear', 'random_features')
STATE_SIZE = (1, 3, 3, 3, 5)
BAYES = 0
GCM = 1
KERNEL = 2
LINEAR = 3
RANDOM_FEATURES = 4


@njit(cache=True, error_model="numpy")
def channel_inputs(lid, x, p):
    """``(α_eff, m, q, V)`` seen by the output channel for the learner state ``x``."""
    if lid == 0:
        return bayes_channel_inputs(x, p)
    if lid == 1:
        return gcm_channel_inputs(x, p)
    if lid == 2:
        return kernel_channel_inputs(x, p)
    if lid == 3:
        return linear_channel_inputs(x, p)
    return random_features_channel_inputs(x, p)


@njit(cache=True, error_model="numpy")
def prior_update(lid, mh, qh, Vh, p, out, hats):
    """New state ``out`` from the channel conjugates; the learner's own conjugates go to ``hats``."""
    if lid == 0:
        bayes_prior_update(mh, qh, Vh, p, out, hats)
        return
    if lid == 1:
        gcm_prior_update(mh, qh, Vh, p, out, hats)
        return
    if lid == 2:
        kernel_prior_update(mh, qh, Vh, p, out, hats)
        return
    if lid == 3:
        linear_prior_update(mh, qh, Vh, p, out, hats)
        return
    random_features_prior_update(mh, qh, Vh, p, out, hats)


@njit(cache=True, error_model="numpy")
def prior_jacobian(lid, mh, qh, Vh, p, out, hats, jp, ji):
    """New state as :func:`prior_update`, ``jp = d(state)/d(m̂, q̂, V̂)`` and ``ji = d(m, q, V)/d(state)`` of the
    channel inputs, for the learners whose module derives them (``PRIOR_JACOBIAN = True``); returns whether
    it did (else the caller takes finite differences)."""
    if lid == 2:
        kernel_prior_jacobian(mh, qh, Vh, p, out, hats, jp, ji)
        return True
    if lid == 3:
        linear_prior_jacobian(mh, qh, Vh, p, out, hats, jp, ji)
        return True
    if lid == 4:
        random_features_prior_jacobian(mh, qh, Vh, p, out, hats, jp, ji)
        return True
    return False
