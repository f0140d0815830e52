"""Output channels of the RAF model: one per loss, each carrying the ε-mixture of rule and facts.

Facts change only the output channel (spec raf.md §3): every channel kernel evaluates its Gaussian
integrals under the mixture weight ``ε + 2(1−ε)Φ(kξ)``, and nothing else in the solver knows about ε.

The numba kernels of the square and hinge channels (and of their λ → 0 limits) are generated from the
sympy derivation in :mod:`memtheory.theory.channels`; logistic and Bayes-optimal are hand-written. Adding a loss
means one kernel module plus one :class:`OutputChannel` entry in :data:`CHANNELS` below and one
branch in :func:`channel_conjugates`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from memtheory.solvers.raf._generated.channels import (
    hinge_conjugates,
    hinge_max_margin_conjugates,
    square_conjugates,
    square_interpolating_conjugates,
)
from memtheory.solvers.raf.channels.bayes import bayes_conjugate
from memtheory.solvers.raf.channels.logistic import logistic_conjugates, margin_prox_array

# Kernel ids used by the numba dispatch (stable: they are stored in nothing but chosen at solve time).
SQUARE, HINGE, LOGISTIC, SQUARE_INTERPOLATING, HINGE_MAX_MARGIN, BAYES = range(6)


@njit(cache=True)
def channel_conjugates(cid, alpha, eps, m, q, V, nodes, weights):
    """Dispatch to the channel kernel ``cid``; returns ``(m̂, q̂, V̂)``."""
    if cid == SQUARE:
        return square_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == HINGE:
        return hinge_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == LOGISTIC:
        return logistic_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == SQUARE_INTERPOLATING:
        return square_interpolating_conjugates(alpha, eps, m, q, V, nodes, weights)
    if cid == HINGE_MAX_MARGIN:
        return hinge_max_margin_conjugates(alpha, eps, m, q, V, nodes, weights)
    # BAYES: only q̂_b is meaningful (Nishimori: m = q, V = 1 − q)
    qh = bayes_conjugate(alpha, eps, q, nodes, weights)
    return qh, qh, qh


def _square_prox(u, V):
    return (u + V) / (1.0 + V)


def _hinge_prox(u, V):
    return np.where(u < 1.0 - V, u + V, np.where(u > 1.0, u, 1.0))


_logistic_prox = margin_prox_array


@dataclass(frozen=True)
class OutputChannel:
    """A loss of the RAF model, seen from the solver.

    Attributes
    ----------
    name : str
        Loss name used by the public API.
    kernel : int
        Channel kernel for λ > 0 (and for λ = 0 above the interpolation threshold).
    interpolating_kernel : int or None
        Kernel of the λ → 0 limit below the interpolation/separability threshold (rescaled
        variables, spec §5.5), or ``None`` when that limit has no finite minimiser (logistic).
    zero_crossing : float
        Coefficient ``c`` such that a training output changes sign at margin ``yω = −c V``: the
        memorization error is ``H(cV/√q)`` (spec §2: c = 1 for square and hinge, 1/2 for logistic).
    kinks : tuple of float
        Margins ``u = a + b V`` (as ``(a, b)``) where the Moreau envelope has a kink (quadrature splits).
    """

    name: str
    kernel: int
    interpolating_kernel: int | None
    zero_crossing: float
    kinks: tuple

    def margin_prox(self, u, V):
        """Proximal operator in the margin variable: ``argmin_z L(z) + (z − u)²/(2V)``."""
        if self.name == "square":
            return _square_prox(u, V)
        if self.name == "hinge":
            return _hinge_prox(u, V)
        return _logistic_prox(u, V)

    def margin_loss(self, z):
        """``L(z)`` with ``ℓ(y, ẑ) = L(y ẑ)``."""
        z = np.asarray(z, dtype=float)
        if self.name == "square":
            return 0.5 * (1.0 - z) ** 2
        if self.name == "hinge":
            return np.maximum(0.0, 1.0 - z)
        return np.logaddexp(0.0, -z)


CHANNELS: dict[str, OutputChannel] = {
    "square": OutputChannel("square", SQUARE, SQUARE_INTERPOLATING, 1.0, ()),
    "hinge": OutputChannel("hinge", HINGE, HINGE_MAX_MARGIN, 1.0, ((1.0, -1.0), (1.0, 0.0))),
    "logistic": OutputChannel("logistic", LOGISTIC, None, 0.5, ()),
}
