"""Pointwise losses ℓ(y, z) of the RAF learners (docs/theory/raf.md §1, "Losses").

square ℓ = (y − z)²/2, hinge ℓ = max(0, 1 − yz), logistic ℓ = log(1 + e^{−yz}), squared hinge
ℓ = max(0, 1 − yz)²/2, and Huber (δ = 1) on the residual ``1 − yz``: ℓ = (1 − yz)²/2 for |1 − yz| ≤ 1,
|1 − yz| − 1/2 otherwise.
"""

from __future__ import annotations

import numpy as np

from memtheory.core import names

__all__ = ["LOSSES", "loss_values", "check_loss"]

LOSSES = names.LOSSES


def check_loss(loss: str) -> str:
    """Validate a loss name."""
    return names.canonical("loss", loss, allowed=LOSSES)


def loss_values(loss: str, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Elementwise ℓ(y, z) for labels ``y`` and predictor outputs ``z``."""
    loss = check_loss(loss)
    if loss == "square":
        return 0.5 * (y - z) ** 2
    if loss == "hinge":
        return np.maximum(0.0, 1.0 - y * z)
    if loss == "squared_hinge":
        return 0.5 * np.maximum(0.0, 1.0 - y * z) ** 2
    if loss == "huber":
        r = np.abs(1.0 - y * z)
        return np.where(r <= 1.0, 0.5 * r * r, r - 0.5)
    # logaddexp avoids overflow of e^{-yz} for confidently wrong outputs.
    return np.logaddexp(0.0, -y * z)
