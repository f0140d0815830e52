"""The Gaussian-covariate learner: a linear learner on inputs ``x ~ N(0, Σ)`` (docs/theory/gcm.md).

The learner minimises ``Σ_μ ℓ(y_μ, w·x_μ/√d) + (λ/2)‖w‖²`` as :class:`memtheory.solvers.raf.Linear`
does; only the inputs change. The output channels are those of the isotropic model (the facts live
there); the prior is the mode sum of :mod:`memtheory.theory.gcm`. The spectrum travels to the numba
driver inside the flat parameter vector, after the seven entries every learner has::

    p = [α, ε, λ, zero_λ, μ₁, μ⋆², κ, d, ω_1 … ω_d, θ̃_1² … θ̃_d²]

with the eigenvalues ``ω`` normalised to mean 1 and the squared teacher components ``θ̃²`` normalised
so that ``ρ = mean(ω θ̃²) = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from memtheory.core.checks import check_nonnegative
from memtheory.solvers.raf.priors.gcm import P_GCM_DIM, P_GCM_START, gcm_prior_from_params

__all__ = ["GaussianCovariate", "pack_spectrum", "gcm_prior_from_params", "P_GCM_DIM", "P_GCM_START"]



def _spectrum_array(name: str, values, *, positive_sum: bool = True) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D array of finite numbers >= 0") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must contain only finite values >= 0 (allowed range [0, inf))")
    if positive_sum and not arr.sum() > 0:
        raise ValueError(f"{name} must have at least one entry > 0")
    return arr


@dataclass(frozen=True, eq=False)
class GaussianCovariate:
    """Linear learner on Gaussian inputs with covariance Σ (docs/theory/gcm.md).

    See docs/theory/gcm.md §1 and §5.

    Parameters
    ----------
    loss : str
        ``square``, ``hinge`` or ``logistic`` (any loss of :data:`memtheory.solvers.raf.LOSSES`).
    lam : float
        Ridge ``λ >= 0`` of ``Σ ℓ(y, w·x/√d) + (λ/2)‖w‖²``; 0 is the λ → 0⁺ limit as for ``raf.Linear``
        (then every eigenvalue must be > 0).
    eigenvalues : array_like, shape (d,)
        Eigenvalues ``ω_i >= 0`` of Σ. They are **normalised to mean 1** (``tr Σ/d = 1``): the theory
        describes inputs rescaled by ``1/√c`` with ``c = mean(ω)``. Training on unscaled inputs with
        ridge ``λ`` is the same as this model with ridge ``λ/c``.
    teacher_weights : array_like, shape (d,), optional
        Squared teacher components ``θ̃_i²`` in Σ's eigenbasis (default all ones: a teacher drawn
        isotropically). Only their products with ``ω_i`` matter, and only up to a common factor (a
        sign teacher does not see its norm): they are rescaled so that ``ρ = θᵀΣθ/d = 1``.

    Attributes
    ----------
    rho : float
        ``θᵀΣθ/d = mean(ω θ̃²)`` of the given teacher with normalised ``ω``, before the rescaling.
    dimension : int
        Number of modes ``d``.

    Notes
    -----
    The reported overlaps ``m, q`` refer to the teacher rescaled to ``ρ = 1``
    (``m = θᵀΣw/(d√ρ)``, ``q = wᵀΣw/d``); the generalisation error ``arccos(m/√q)/π`` is invariant.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> import numpy as np
    >>> g = raf.GaussianCovariate(loss='square', lam=0.1, eigenvalues=np.array([0.5, 1.0, 1.5]))
    >>> g.dimension, round(g.rho, 6)
    (3, 1.0)
    >>> round(raf.solve(g, alpha=2.0, epsilon=0.2).gen_error, 4)
    0.2641
    """

    loss: str = "square"
    lam: float = 0.1
    eigenvalues: np.ndarray = None
    teacher_weights: np.ndarray = None
    learner: str = field(default="gcm", init=False)
    rho: float = field(default=1.0, init=False)
    dimension: int = field(default=0, init=False)

    def __post_init__(self):
        from memtheory.solvers.raf.models import _check_loss  # the same rule as every learner (CustomLoss too)

        object.__setattr__(self, "loss", _check_loss(self.loss))
        object.__setattr__(self, "lam", check_nonnegative("lam", self.lam))
        if self.eigenvalues is None:
            raise ValueError("eigenvalues are required (the spectrum of Σ, a 1-D array of values >= 0)")
        omega = _spectrum_array("eigenvalues", self.eigenvalues)
        omega = omega / omega.mean()
        if self.teacher_weights is None:
            t2 = np.ones_like(omega)
        else:
            t2 = _spectrum_array("teacher_weights", self.teacher_weights, positive_sum=False)
            if t2.shape != omega.shape:
                raise ValueError(f"teacher_weights must have the shape of eigenvalues {omega.shape}, got {t2.shape}")
        rho = float(np.mean(omega * t2))
        if not rho > 0:
            raise ValueError("teacher_weights must put weight on some eigenvalue > 0 (teacher norm θᵀΣθ/d = 0)")
        if self.lam == 0.0 and np.any(omega == 0.0):
            raise ValueError("lam = 0 needs every eigenvalue > 0 (Σ of full rank); use lam > 0")
        omega.setflags(write=False)
        t2.setflags(write=False)
        object.__setattr__(self, "eigenvalues", omega)
        object.__setattr__(self, "teacher_weights", t2)
        object.__setattr__(self, "rho", rho)
        object.__setattr__(self, "dimension", int(omega.size))

    def __repr__(self) -> str:
        return (f"GaussianCovariate(loss={self.loss!r}, lam={self.lam!r}, d={self.dimension}, "
                f"rho={self.rho:.6g})")

    @classmethod
    def from_data(cls, X, loss: str = "square", lam: float = 0.1, teacher=None) -> "GaussianCovariate":
        """Estimate Σ (and the teacher's components) from a data matrix.

        Parameters
        ----------
        X : array_like, shape (n, d)
            Inputs, one row per sample. They are centred; Σ is estimated as ``XcᵀXc/n``.
        loss, lam :
            As for the constructor. ``lam`` refers to inputs rescaled to ``tr Σ/d = 1``.
        teacher : array_like, shape (d,), optional
            Teacher vector θ in the input coordinates; default: an isotropic teacher (all
            ``θ̃_i² = 1``).
        """
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[0] < 2 or X.shape[1] < 1:
            raise ValueError(f"X must be a 2-D array (n, d) with n >= 2, got shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X must contain only finite values")
        Xc = X - X.mean(axis=0)
        cov = Xc.T @ Xc / X.shape[0]
        omega, U = np.linalg.eigh(cov)
        omega = np.clip(omega, 0.0, None)
        weights = None
        if teacher is not None:
            theta = np.asarray(teacher, dtype=float).ravel()
            if theta.shape != (X.shape[1],) or not np.all(np.isfinite(theta)):
                raise ValueError(f"teacher must be a finite vector of length d = {X.shape[1]}")
            weights = (U.T @ theta) ** 2
        return cls(loss=loss, lam=lam, eigenvalues=omega, teacher_weights=weights)


def pack_spectrum(model: GaussianCovariate) -> np.ndarray:
    """``[d, ω..., θ̃²/ρ...]``: the tail of the flat parameter vector (module docstring)."""
    return np.concatenate([[float(model.dimension)], model.eigenvalues, model.teacher_weights / model.rho])

