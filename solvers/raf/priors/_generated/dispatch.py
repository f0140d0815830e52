# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/generate.py, from the learner modules of solvers/raf/priors/.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================

"""Integer-id dispatch over the learner priors (one module per learner)."""

from numba import njit, types
from numba.extending import overload

from memtheory.solvers.raf.priors.bayes import channel_inputs as bayes_channel_inputs
from memtheory.solvers.raf.priors.bayes import prior_update as bayes_prior_update
from memtheory.solvers.raf.priors.gcm import channel_inputs as gcm_channel_inputs
from memtheory.solvers.raf.priors.gcm import prior_update as gcm_prior_update
from memtheory.solvers.raf.priors.kernel import channel_inputs as kernel_channel_inputs
from memtheory.solvers.raf.priors.kernel import prior_update as kernel_prior_update
from memtheory.solvers.raf.priors.linear import channel_inputs as linear_channel_inputs
from memtheory.solvers.raf.priors.linear import prior_update as linear_prior_update
from memtheory.solvers.raf.priors.random_features import channel_inputs as random_features_channel_inputs
from memtheory.solvers.raf.priors.random_features import prior_update as random_features_prior_update

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


# ------------------------------------------------------------------------------------------------
# Compile-time selection: a literal ``lid`` (``numba.literally``) selects one learner when the caller
# is typed, so a solve compiles only its own prior; a runtime ``lid`` falls back to the chains above.


_CHANNEL_INPUTS = (bayes_channel_inputs, gcm_channel_inputs, kernel_channel_inputs, linear_channel_inputs, random_features_channel_inputs,)
_PRIOR_UPDATES = (bayes_prior_update, gcm_prior_update, kernel_prior_update, linear_prior_update, random_features_prior_update,)


def select_channel_inputs(lid, x, p):
    """:func:`channel_inputs`, resolved at compile time for a literal ``lid`` (compiled code only)."""
    raise NotImplementedError("select_channel_inputs is for compiled code; call channel_inputs")


def select_prior_update(lid, mh, qh, Vh, p, out, hats):
    """:func:`prior_update`, resolved at compile time for a literal ``lid`` (compiled code only)."""
    raise NotImplementedError("select_prior_update is for compiled code; call prior_update")


@overload(select_channel_inputs, prefer_literal=True)
def _select_channel_inputs(lid, x, p):
    if isinstance(lid, types.IntegerLiteral):
        inputs = _CHANNEL_INPUTS[lid.literal_value]
        return lambda lid, x, p: inputs(x, p)
    return lambda lid, x, p: channel_inputs(lid, x, p)


@overload(select_prior_update, prefer_literal=True)
def _select_prior_update(lid, mh, qh, Vh, p, out, hats):
    if isinstance(lid, types.IntegerLiteral):
        update = _PRIOR_UPDATES[lid.literal_value]
        return lambda lid, mh, qh, Vh, p, out, hats: update(mh, qh, Vh, p, out, hats)
    return lambda lid, mh, qh, Vh, p, out, hats: prior_update(lid, mh, qh, Vh, p, out, hats)
