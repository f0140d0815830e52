"""Random-features ERM (docs/theory/raf.md §1 learner 3, §5.7).

Features v = σ(Fx/√d) with F ∈ R^{p×d}, F_ij ~ N(0, 1), p = κd; predictor w·v/√p; objective
Σ ℓ(y, w·v/√p) + (λ/2)‖w‖². This is linear ERM on z = v/√p, solved exactly by :mod:`.linear`.

Centring (``center=True``, default): σ is replaced by σ − μ₀. The theory ignores μ₀; the constant
feature direction μ₀1 would act as a bias with an O(1) penalty against an O(n) data term, i.e. an
almost free bias, an O(1/√n) effect absent from the theory (same reasoning as for kernels, see
:mod:`.kernels`). Only ReLU has μ₀ ≠ 0 among the supported activations.
"""

from __future__ import annotations

import numpy as np

from .activations import activation, gaussian_coefficients

__all__ = ["draw_projection", "rf_features"]


def draw_projection(p: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """F ∈ R^{p×d} with i.i.d. N(0, 1) entries."""
    return rng.standard_normal((p, d))


def rf_features(X: np.ndarray, F: np.ndarray, act: str, center: bool = True) -> np.ndarray:
    """Scaled features z = (σ(Fx/√d) − μ₀)/√p for every row x of ``X`` (μ₀ only if ``center``)."""
    d = X.shape[1]
    p = F.shape[0]
    U = X @ F.T
    U /= np.sqrt(d)
    V = activation(act)(U)
    if center:
        mu0 = gaussian_coefficients(act)[0]
        if mu0 != 0.0:
            V -= mu0
    V /= np.sqrt(p)
    return V
