"""Pointwise losses ℓ(y, z) of the RAF learners (spec ``raf.md`` §1, "Losses").

square ℓ = (y − z)²/2, hinge ℓ = max(0, 1 − yz), logistic ℓ = log(1 + e^{−yz}).
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
    # logaddexp avoids overflow of e^{-yz} for confidently wrong outputs.
    return np.logaddexp(0.0, -y * z)
