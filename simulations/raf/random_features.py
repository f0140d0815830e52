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
    """Scaled features z = (σ(Fx/√d) − μ₀)/√p for every row x of ``X`` (μ₀ only if ``center``).

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Inputs.
    F : ndarray, shape (p, d)
        Gaussian projection.
    act : str
        Activation name (a key of ``ACTIVATIONS``).
    center : bool, default True
        Subtract the activation's Gaussian mean μ₀.

    Returns
    -------
    ndarray, shape (n, p)
        The features; a linear learner on them is the random-features learner.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> Z = rf_features(rng.standard_normal((5, 50)), rng.standard_normal((30, 50)), "sign")
    >>> Z.shape, round(float(np.abs(Z).max() ** 2 * 30), 6)
    ((5, 30), 1.0)

    See docs/theory/raf.md §1.
    """
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
