# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/generate.py, from the KERNELS of the modules of solvers/raf/channels/.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================

"""Integer-id dispatch over every channel kernel (numba cannot cache a function that takes another
compiled function as an argument, so the composed solver selects its channel by id)."""

import math

from memtheory.core.jit import njit

from memtheory.solvers.raf.channels.bayes import bayes_conjugates
from memtheory.solvers.raf.channels.hinge import hinge_conjugates
from memtheory.solvers.raf.channels.hinge import hinge_jacobian
from memtheory.solvers.raf.channels.huber import huber_conjugates
from memtheory.solvers.raf.channels.huber import huber_jacobian
from memtheory.solvers.raf.channels.limits import square_interpolating_conjugates
from memtheory.solvers.raf.channels.limits import square_interpolating_jacobian
from memtheory.solvers.raf.channels.limits import hinge_max_margin_conjugates
from memtheory.solvers.raf.channels.limits import hinge_max_margin_jacobian
from memtheory.solvers.raf.channels.logistic import logistic_conjugates
from memtheory.solvers.raf.channels.square import square_conjugates
from memtheory.solvers.raf.channels.square import square_jacobian
from memtheory.solvers.raf.channels.squared_hinge import squared_hinge_conjugates
from memtheory.solvers.raf.channels.squared_hinge import squared_hinge_jacobian

CHANNEL_MODULES = ('bayes', 'hinge', 'huber', 'limits', 'logistic', 'square', 'squared_hinge')
KERNEL_NAMES = ('bayes', 'hinge', 'huber', 'square_interpolating', 'hinge_max_margin', 'logistic', 'square', 'squared_hinge')
"""Kernel name by id."""
BAYES = 0
HINGE = 1
HUBER = 2
SQUARE_INTERPOLATING = 3
HINGE_MAX_MARGIN = 4
LOGISTIC = 5
SQUARE = 6
SQUARED_HINGE = 7


@njit(cache=True, error_model="numpy")
def channel_conjugates(cid, alpha, eps, m, q, V, nodes, weights):
    """Dispatch to the channel kernel ``cid``; returns ``(m̂, q̂, V̂)``."""
    if cid == 0:
        return bayes_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == 1:
        return hinge_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == 2:
        return huber_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == 3:
        return square_interpolating_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == 4:
        return hinge_max_margin_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == 5:
        return logistic_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == 6:
        return square_conjugates(alpha, eps, m, q, V, nodes, weights)
    return squared_hinge_conjugates(alpha, eps, m, q, V, nodes, weights)


@njit(cache=True, error_model="numpy")
def channel_jacobian(cid, alpha, eps, m, q, V, nodes, weights, jac):
    """Conjugates of kernel ``cid`` and, where sympy derived it, their Jacobian ``d(m̂, q̂, V̂)/d(m, q, V)``
    written into ``jac``; returns ``(m̂, q̂, V̂, has_jacobian)`` (no Jacobian: the caller takes finite
    differences)."""
    if cid == 0:
        mh, qh, Vh = bayes_conjugates(alpha, eps, m, q, V, nodes, weights)
        return mh, qh, Vh, False
    if cid == 1:
        mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = hinge_jacobian(alpha, eps, m, q, V, nodes, weights)
        jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02
        jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12
        jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22
        return mh, qh, Vh, True
    if cid == 2:
        mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = huber_jacobian(alpha, eps, m, q, V, nodes, weights)
        jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02
        jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12
        jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22
        return mh, qh, Vh, True
    if cid == 3:
        mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = square_interpolating_jacobian(alpha, eps, m, q, V, nodes, weights)
        jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02
        jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12
        jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22
        return mh, qh, Vh, True
    if cid == 4:
        mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = hinge_max_margin_jacobian(alpha, eps, m, q, V, nodes, weights)
        jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02
        jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12
        jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22
        return mh, qh, Vh, True
    if cid == 5:
        mh, qh, Vh = logistic_conjugates(alpha, eps, m, q, V, nodes, weights)
        return mh, qh, Vh, False
    if cid == 6:
        mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = square_jacobian(alpha, eps, m, q, V, nodes, weights)
        jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02
        jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12
        jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22
        return mh, qh, Vh, True
    if cid == 7:
        mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = squared_hinge_jacobian(alpha, eps, m, q, V, nodes, weights)
        jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02
        jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12
        jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22
        return mh, qh, Vh, True
    return math.nan, math.nan, math.nan, False


@njit(cache=True, error_model="numpy")
def channel_has_jacobian(cid):
    """Whether :func:`channel_jacobian` has a sympy Jacobian for kernel ``cid``."""
    return cid in (1, 2, 3, 4, 6, 7)

from memtheory.solvers.raf.channels._generated.hinge import margin_loss as hinge_margin_loss  # noqa: E402
from memtheory.solvers.raf.channels._generated.hinge import margin_prox as hinge_margin_prox  # noqa: E402
from memtheory.solvers.raf.channels._generated.hinge import hinge_train_loss  # noqa: E402
from memtheory.solvers.raf.channels._generated.huber import margin_loss as huber_margin_loss  # noqa: E402
from memtheory.solvers.raf.channels._generated.huber import margin_prox as huber_margin_prox  # noqa: E402
from memtheory.solvers.raf.channels._generated.huber import huber_train_loss  # noqa: E402
from memtheory.solvers.raf.channels.logistic import margin_loss as logistic_margin_loss  # noqa: E402
from memtheory.solvers.raf.channels.logistic import margin_prox as logistic_margin_prox  # noqa: E402
from memtheory.solvers.raf.channels._generated.square import margin_loss as square_margin_loss  # noqa: E402
from memtheory.solvers.raf.channels._generated.square import margin_prox as square_margin_prox  # noqa: E402
from memtheory.solvers.raf.channels._generated.square import square_train_loss  # noqa: E402
from memtheory.solvers.raf.channels._generated.squared_hinge import margin_loss as squared_hinge_margin_loss  # noqa: E402
from memtheory.solvers.raf.channels._generated.squared_hinge import margin_prox as squared_hinge_margin_prox  # noqa: E402
from memtheory.solvers.raf.channels._generated.squared_hinge import squared_hinge_train_loss  # noqa: E402


@njit(cache=True, error_model="numpy")
def margin_prox_by_id(cid, u, V):
    """Margin prox ``argmin_z L(z) + (z − u)²/(2V)`` of the loss of kernel ``cid`` (``u`` where the kernel has no loss)."""
    if cid == 1:
        return hinge_margin_prox(u, V)
    if cid == 2:
        return huber_margin_prox(u, V)
    if cid == 5:
        return logistic_margin_prox(u, V)
    if cid == 6:
        return square_margin_prox(u, V)
    if cid == 7:
        return squared_hinge_margin_prox(u, V)
    return u


@njit(cache=True, error_model="numpy")
def margin_loss_by_id(cid, z):
    """Margin loss ``L(z)`` of kernel ``cid`` (0 where the kernel has no loss: λ → 0 limits, Bayes)."""
    if cid == 1:
        return hinge_margin_loss(z)
    if cid == 2:
        return huber_margin_loss(z)
    if cid == 5:
        return logistic_margin_loss(z)
    if cid == 6:
        return square_margin_loss(z)
    if cid == 7:
        return squared_hinge_margin_loss(z)
    return 0.0


@njit(cache=True, error_model="numpy")
def train_loss_by_id(cid, eps, m, q, V, nodes, weights):
    """``(train loss, True)`` from the closed form sympy derived for kernel ``cid``, or ``(nan, False)``
    where there is none (hand-written losses: the caller integrates the loss numerically)."""
    if cid == 1:
        return hinge_train_loss(eps, m, q, V, nodes, weights), True
    if cid == 2:
        return huber_train_loss(eps, m, q, V, nodes, weights), True
    if cid == 6:
        return square_train_loss(eps, m, q, V, nodes, weights), True
    if cid == 7:
        return squared_hinge_train_loss(eps, m, q, V, nodes, weights), True
    return math.nan, False
