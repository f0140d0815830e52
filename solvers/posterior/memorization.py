"""Nearest-example memorization metrics (docs/theory/posterior.md §5 metric; Gu et al. variant in docs/theory/posterior.md §1)."""

from __future__ import annotations

import numpy as np

from memtheory.core.checks import check_array, check_positive

__all__ = ["nearest_distances", "memorization_ratio", "memorization_rate", "nearest_index"]


def nearest_distances(samples, x_train, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distances to, and indices of, the ``k`` nearest training examples of each sample.

    Squared distances use the ``|a|^2 - 2 a.b + |b|^2`` expansion (clipped at 0 against round-off).
    """
    S = check_array("samples", samples, ndim=2)
    X = check_array("x_train", x_train, ndim=2, shape=(None, S.shape[1]))
    if not 1 <= k <= X.shape[0]:
        raise ValueError(f"k must lie in [1, {X.shape[0]}], got {k!r}")
    d2 = np.sum(S**2, 1)[:, None] - 2.0 * S @ X.T + np.sum(X**2, 1)[None]
    np.maximum(d2, 0.0, out=d2)
    idx = np.argpartition(d2, k - 1, axis=1)[:, :k] if k < X.shape[0] else np.tile(np.arange(X.shape[0]), (S.shape[0], 1))
    part = np.take_along_axis(d2, idx, axis=1)
    order = np.argsort(part, axis=1)
    return np.sqrt(np.take_along_axis(part, order, axis=1)), np.take_along_axis(idx, order, axis=1)


def nearest_index(samples, x_train) -> np.ndarray:
    """Index of the nearest training example of each sample.

    See docs/theory/posterior.md §6.

    Parameters
    ----------
    samples : array_like, shape (M, d)
        Points to match.
    x_train : array_like, shape (N, d)
        Training examples.

    Returns
    -------
    ndarray of int, shape (M,)
        Row of ``x_train`` nearest (Euclidean) to each sample.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> x_train = np.array([[0.0], [1.0], [3.0]])
    >>> posterior.nearest_index(np.array([[0.1], [2.2], [9.0]]), x_train)
    array([0, 2, 2])
    """
    return nearest_distances(samples, x_train, 1)[1][:, 0]


def memorization_ratio(samples, x_train, k_max: int = 50) -> np.ndarray:
    """``r = d_1 / mean(d_2, …, d_k)``, ``k = min(k_max, N)`` (docs/theory/posterior.md §5, the paper's panel metric).

    See docs/theory/posterior.md §6.

    Parameters
    ----------
    samples : array_like, shape (M, d)
        Generated samples.
    x_train : array_like, shape (N, d)
        Training examples.
    k_max : int
        Largest neighbour rank used.

    Returns
    -------
    ndarray, shape (M,)
        The ratio per sample (small: a near copy of one example).

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> x_train = np.array([[0.0], [1.0], [3.0]])
    >>> posterior.memorization_ratio(np.array([[0.1], [2.0]]), x_train).round(4)
    array([0.0526, 0.6667])
    """
    X = np.asarray(x_train)
    k = min(int(k_max), X.shape[0])
    if k < 2:
        raise ValueError("x_train must hold at least 2 examples for the memorization ratio")
    dist, _ = nearest_distances(samples, x_train, k)
    return dist[:, 0] / dist[:, 1:].mean(axis=1)


def memorization_rate(samples, x_train, threshold: float = 0.7, k_max: int = 50) -> float:
    """Fraction of samples with ratio ``r < threshold`` (docs/theory/posterior.md §5: 0.7).

    See docs/theory/posterior.md §6.

    Parameters
    ----------
    samples : array_like, shape (M, d)
        Generated samples.
    x_train : array_like, shape (N, d)
        Training examples.
    threshold : float
        A sample with ``r < threshold`` counts as memorized.
    k_max : int
        Neighbours used by :func:`memorization_ratio`.

    Returns
    -------
    float
        Fraction of memorized samples, in [0, 1].

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x_train = rng.standard_normal((20, 3))
    >>> copies = x_train[:5] + 0.01 * rng.standard_normal((5, 3))
    >>> posterior.memorization_rate(copies, x_train)
    1.0
    """
    t = check_positive("threshold", threshold)
    return float(np.mean(memorization_ratio(samples, x_train, k_max) < t))
