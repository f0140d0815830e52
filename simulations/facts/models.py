"""MLP learners: key code → ``K``-way logits (docs/theory/capacity.md §4 step 2a). Needs PyTorch.

Parameter-count convention (:data:`PARAM_CONVENTION`): every trainable weight and bias of the MLP,
hidden layers and the ``K``-way output layer included; the fixed random key codes are data, not
parameters, so they are not counted.
"""

from __future__ import annotations

from memtheory.core.checks import check_int

__all__ = ["PARAM_CONVENTION", "build_mlp", "count_parameters", "mlp_parameter_count"]

PARAM_CONVENTION = "all trainable MLP weights and biases (output layer included); fixed key codes excluded"


def mlp_parameter_count(key_dim: int, n_values: int, width: int, depth: int) -> int:
    """Closed-form parameter count of :func:`build_mlp` (no torch needed)."""
    d = check_int("key_dim", key_dim, lo=1)
    k = check_int("n_values", n_values, lo=2)
    w = check_int("width", width, lo=1)
    depth = check_int("depth", depth, lo=0)
    if depth == 0:
        return d * k + k
    return (d * w + w) + (depth - 1) * (w * w + w) + (w * k + k)


def build_mlp(key_dim: int, n_values: int, width: int, depth: int):
    """``depth`` ReLU hidden layers of ``width`` units, then a linear ``K``-way output layer.

    ``depth = 0`` is the linear (softmax-regression) learner.
    """
    import torch.nn as nn

    d = check_int("key_dim", key_dim, lo=1)
    k = check_int("n_values", n_values, lo=2)
    w = check_int("width", width, lo=1)
    depth = check_int("depth", depth, lo=0)
    layers: list = []
    din = d
    for _ in range(depth):
        layers += [nn.Linear(din, w), nn.ReLU()]
        din = w
    layers.append(nn.Linear(din, k))
    return nn.Sequential(*layers)


def count_parameters(model) -> int:
    """Number of trainable parameters (:data:`PARAM_CONVENTION`)."""
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))
