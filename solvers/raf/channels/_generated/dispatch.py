# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/generate.py, from the KERNELS of the modules of solvers/raf/channels/.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================

"""Integer-id dispatch over every channel kernel (numba cannot cache a function that takes another
compiled function as an argument, so the composed solver selects its channel by id)."""

import math

from numba import njit, types
from numba.extending import overload

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


# ------------------------------------------------------------------------------------------------
# Compile-time selection: inside compiled code a literal ``cid`` (``numba.literally``) selects one
# kernel when the caller is typed, so a solve compiles (and caches, and loads) only its own channel
# instead of every branch of the chains above; a runtime ``cid`` falls back to the chains.


_CONJUGATES = (bayes_conjugates, hinge_conjugates, huber_conjugates, square_interpolating_conjugates, hinge_max_margin_conjugates, logistic_conjugates, square_conjugates, squared_hinge_conjugates,)
_JACOBIANS = (None, hinge_jacobian, huber_jacobian, square_interpolating_jacobian, hinge_max_margin_jacobian, None, square_jacobian, squared_hinge_jacobian,)


def select_conjugates(cid, alpha, eps, m, q, V, nodes, weights):
    """:func:`channel_conjugates`, resolved at compile time for a literal ``cid`` (compiled code only)."""
    raise NotImplementedError("select_conjugates is for compiled code; call channel_conjugates")


def select_jacobian(cid, alpha, eps, m, q, V, nodes, weights, jac):
    """:func:`channel_jacobian`, resolved at compile time for a literal ``cid`` (compiled code only)."""
    raise NotImplementedError("select_jacobian is for compiled code; call channel_jacobian")


def select_has_jacobian(cid):
    """:func:`channel_has_jacobian`, a compile-time constant for a literal ``cid`` (compiled code only)."""
    raise NotImplementedError("select_has_jacobian is for compiled code; call channel_has_jacobian")


@overload(select_conjugates, prefer_literal=True)
def _select_conjugates(cid, alpha, eps, m, q, V, nodes, weights):
    if isinstance(cid, types.IntegerLiteral):
        kernel = _CONJUGATES[cid.literal_value]

        def one(cid, alpha, eps, m, q, V, nodes, weights):
            return kernel(alpha, eps, m, q, V, nodes, weights)
        return one

    def chain(cid, alpha, eps, m, q, V, nodes, weights):
        return channel_conjugates(cid, alpha, eps, m, q, V, nodes, weights)
    return chain


@overload(select_jacobian, prefer_literal=True)
def _select_jacobian(cid, alpha, eps, m, q, V, nodes, weights, jac):
    if isinstance(cid, types.IntegerLiteral):
        kernel = _JACOBIANS[cid.literal_value]
        if kernel is None:
            conjugates = _CONJUGATES[cid.literal_value]

            def plain(cid, alpha, eps, m, q, V, nodes, weights, jac):
                mh, qh, Vh = conjugates(alpha, eps, m, q, V, nodes, weights)
                return mh, qh, Vh, False
            return plain

        def one(cid, alpha, eps, m, q, V, nodes, weights, jac):
            mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = kernel(alpha, eps, m, q, V, nodes, weights)
            jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02
            jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12
            jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22
            return mh, qh, Vh, True
        return one

    def chain(cid, alpha, eps, m, q, V, nodes, weights, jac):
        return channel_jacobian(cid, alpha, eps, m, q, V, nodes, weights, jac)
    return chain


@overload(select_has_jacobian, prefer_literal=True)
def _select_has_jacobian(cid):
    if isinstance(cid, types.IntegerLiteral):
        known = _JACOBIANS[cid.literal_value] is not None
        return lambda cid: known
    return lambda cid: channel_has_jacobian(cid)
