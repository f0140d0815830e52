"""Sample-based memorization and posterior-agreement metrics (``docs/theory/posterior_trained.md``).

* The nearest-neighbour ratio criterion of the diffusion-memorization literature: a generated sample
  ``x`` is memorized when ``||x - NN_1(x)|| < (1/3) ||x - NN_2(x)||``, ``NN_k`` its k-th nearest training
  example in the Euclidean norm of the data vector.
* The memorization rate with its binomial standard error ``sqrt(r (1 - r) / n)``.
* The empirical distribution of the samples' nearest training example and its total-variation distance
  to a weight vector over the training set (the closed-form posterior weights).
* The lookup margin ``log w_(1) - log w_(2)`` of a weight vector: how many nats separate the
  lookup's choice from the runner-up.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.checks import check_array, check_interval
from memtheory.solvers.posterior.memorization import nearest_distances

__all__ = [
    "nn_ratio",
    "memorized_mask",
    "memorization_fraction",
    "nearest_example_distribution",
    "total_variation",
    "lookup_margin",
    "relative_error",
]

LITERATURE_THRESHOLD = 1.0 / 3.0


def nn_ratio(samples, x_train) -> np.ndarray:
    """``||x - NN_1(x)|| / ||x - NN_2(x)||`` for every sample (needs at least 2 training examples).

    A sample equidistant from its two nearest examples (including two identical examples) has ratio 1;
    a sample on a training example that has a duplicate elsewhere in the set has ratio ``0 / 0``, taken
    as 1 (it is not attributable to one example).
    """
    X = check_array("x_train", x_train, ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"x_train must hold at least 2 examples for the nearest-neighbour ratio, got {X.shape[0]}")
    dist, _ = nearest_distances(samples, X, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = dist[:, 0] / dist[:, 1]
    return np.where(dist[:, 1] > 0, r, 1.0)


def memorized_mask(samples, x_train, threshold: float = LITERATURE_THRESHOLD) -> np.ndarray:
    """Boolean mask of samples with ``d_1 < threshold * d_2`` (threshold in (0, 1]; literature: 1/3)."""
    t = check_interval("threshold", threshold, 0.0, 1.0, closed=(False, True))
    return nn_ratio(samples, x_train) < t


def memorization_fraction(samples, x_train, threshold: float = LITERATURE_THRESHOLD) -> tuple[float, float]:
    """Memorization rate ``r`` and its binomial standard error ``sqrt(r (1 - r) / n)``."""
    m = memorized_mask(samples, x_train, threshold)
    r = float(m.mean())
    return r, math.sqrt(r * (1.0 - r) / m.size)


def nearest_example_distribution(samples, x_train) -> np.ndarray:
    """Fraction of samples whose nearest training example is ``x_n``, shape (N,)."""
    X = check_array("x_train", x_train, ndim=2)
    _, idx = nearest_distances(samples, X, 1)
    return np.bincount(idx[:, 0], minlength=X.shape[0]) / idx.shape[0]


def total_variation(p, q) -> float:
    """``(1/2) sum |p - q|`` of two probability vectors of equal length (each non-negative, summing to 1)."""
    p = check_array("p", p, ndim=1)
    q = check_array("q", q, shape=p.shape)
    for name, v in (("p", p), ("q", q)):
        if np.any(v < 0) or not math.isclose(float(v.sum()), 1.0, rel_tol=0, abs_tol=1e-8):
            raise ValueError(f"{name} must be non-negative and sum to 1")
    return float(0.5 * np.abs(p - q).sum())


def lookup_margin(log_weights) -> float:
    """``log w_(1) - log w_(2)``: the gap in nats between the largest and second-largest weight.

    Parameters
    ----------
    log_weights : array_like, shape (N,)
        Log weights over ``N >= 2`` examples (normalised or not: the gap does not depend on the
        normalisation); ``-inf`` entries allowed, NaN and ``+inf`` not.

    Returns
    -------
    float
        ``>= 0``; ``inf`` when only one weight is non-zero. A margin of ``D`` nats means that the
        runner-up example has ``exp(-D)`` times the weight of the lookup's choice.

    See docs/theory/posterior_trained.md §5.
    """
    try:
        lw = np.asarray(log_weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("log_weights must be an array of real numbers") from None
    if lw.ndim != 1:
        raise ValueError(f"log_weights must be 1-dimensional, got shape {lw.shape}")
    if lw.size < 2:
        raise ValueError(f"log_weights must hold at least 2 entries, got {lw.size}")
    if np.any(np.isnan(lw)) or np.any(lw == np.inf):
        raise ValueError("log_weights must not contain NaN or +inf")
    top2 = np.sort(lw)[-2:]
    if top2[1] == -np.inf:
        raise ValueError("log_weights must have at least one finite entry")
    return float(top2[1] - top2[0])


def relative_error(estimate, reference) -> float:
    """``||estimate - reference||_F / ||reference||_F`` over all entries (reference not all zero)."""
    ref = check_array("reference", reference)
    est = check_array("estimate", estimate, shape=ref.shape)
    norm = float(np.linalg.norm(ref))
    if norm == 0:
        raise ValueError("reference must not be identically zero")
    return float(np.linalg.norm(est - ref) / norm)
