"""The registry record of a loss: what the solver needs to know about its output channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["OutputChannel"]


@dataclass(frozen=True)
class OutputChannel:
    """A loss of the RAF model, seen from the solver (one per module of :mod:`memtheory.solvers.raf.channels`).

    Attributes
    ----------
    name : str
        Loss name used by the public API.
    kernel_name : str
        Channel kernel for λ > 0 (and for λ = 0 above the interpolation threshold); its integer id is
        :attr:`kernel`.
    limit_name : str or None
        Kernel of the λ → 0 limit below the interpolation/separability threshold (rescaled variables,
        docs/theory/raf.md, λ → 0 limits), or ``None`` when that limit has no finite minimiser.
    zero_crossing : float
        Coefficient ``c`` such that a training output changes sign at margin ``yω = −c V``: the
        memorization error is ``H(cV/√q)`` (``c = −L'(0)``).
    kinks : tuple of (float, float)
        Margins ``u = a + b V`` (as ``(a, b)``) where the prox changes piece (quadrature splits).
    prox : callable
        ``prox(u, V)``, the proximal operator in the margin variable, elementwise on arrays.
    loss : callable
        ``loss(z)``, the margin loss ``L(z)`` with ``ℓ(y, ẑ) = L(y ẑ)``, elementwise on arrays.
    zero_loss_set : str
        ``"point"`` (``L`` vanishes only at ``z = 1``: min-norm interpolation below α = 1 for a linear
        learner), ``"half-line"`` (``L = 0`` for ``z ≥ 1``: max margin below the separability threshold)
        or ``"empty"``.
    """

    name: str
    kernel_name: str
    limit_name: str | None
    zero_crossing: float
    kinks: tuple
    prox: Callable
    loss: Callable
    zero_loss_set: str

    @classmethod
    def from_generated(cls, name: str, generated) -> "OutputChannel":
        """The record of a loss whose module ``generated`` was written by ``memtheory.theory.generate``."""
        return cls(name, name, generated.LIMIT_KERNEL, generated.ZERO_CROSSING, generated.KINKS,
                   generated.margin_prox_array, generated.margin_loss_array, generated.ZERO_LOSS_SET)

    @property
    def kernel(self) -> int:
        """Integer id of :attr:`kernel_name` in the generated dispatch."""
        from memtheory.solvers.raf.channels._generated import dispatch

        return dispatch.KERNEL_NAMES.index(self.kernel_name)

    @property
    def interpolating_kernel(self) -> int | None:
        """Integer id of :attr:`limit_name`, or ``None``."""
        from memtheory.solvers.raf.channels._generated import dispatch

        return None if self.limit_name is None else dispatch.KERNEL_NAMES.index(self.limit_name)

    @property
    def regime_at_zero_lambda(self) -> str | None:
        """Name of the λ → 0 regime below the threshold: ``"min-norm"``, ``"max-margin"`` or ``None``."""
        return {"point": "min-norm", "half-line": "max-margin"}.get(self.zero_loss_set)

    def margin_prox(self, u, V):
        """Proximal operator in the margin variable: ``argmin_z L(z) + (z − u)²/(2V)``."""
        return self.prox(u, V)

    def margin_loss(self, z):
        """``L(z)`` with ``ℓ(y, ẑ) = L(y ẑ)``."""
        return self.loss(np.asarray(z, dtype=float))
