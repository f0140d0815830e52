"""The sigma -> 0 limit: likelihood-weighted lookup over the training set (docs/theory/posterior.md §4).

``p(x|y) = sum_n w_n delta(x - x_n)`` with ``w_n = softmax_n(-||F(x_n) - y||^2 / (2 gamma^2))``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import log_softmax

from memtheory.core.checks import check_array, check_positive

__all__ = ["lookup_weights", "lookup_log_weights", "evaluate_forward"]


def evaluate_forward(forward: Callable, points: np.ndarray, batched: bool = False) -> np.ndarray:
    """``F`` at every row of ``points``, shape (N, m); ``batched`` means ``forward`` takes (N, d)."""
    if not callable(forward):
        raise ValueError("forward must be callable")
    if batched:
        out = np.asarray(forward(points), dtype=np.float64)
        if out.ndim != 2 or out.shape[0] != points.shape[0]:
            raise ValueError(f"forward (batched) must return shape ({points.shape[0]}, m), got {out.shape}")
    else:
        out = np.stack([np.atleast_1d(np.asarray(forward(p), dtype=np.float64)) for p in points])
    if not np.all(np.isfinite(out)):
        raise ValueError("forward returned non-finite values")
    return out


def lookup_log_weights(forward: Callable, x_train, y, noise_std: float, batched: bool = False) -> np.ndarray:
    """Normalised log weights ``-||F(x_n) - y||^2 / (2 gamma^2) - logsumexp(...)`` (docs/theory/posterior.md §4).

    See docs/theory/posterior.md §4.

    Parameters
    ----------
    forward, x_train, y, noise_std, batched
        As in :func:`lookup_weights`.

    Returns
    -------
    ndarray, shape (N,)
        Log weights (finite where the weights themselves underflow).

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> x_train = np.array([[-1.0], [0.5], [1.0]])
    >>> posterior.lookup_log_weights(lambda x: x ** 3, x_train, np.array([0.2]), noise_std=0.3).round(4)
    array([-7.9981, -0.0294, -3.5537])
    """
    gamma = check_positive("noise_std", noise_std)
    X = check_array("x_train", x_train, ndim=2)
    Fx = evaluate_forward(forward, X, batched)
    yv = check_array("y", np.atleast_1d(y), shape=(Fx.shape[1],))
    # Residuals in the unit c = max|F(x_n) - y| (order one), logits -(k^2/2)(|e_n|^2 - min|e|^2) with
    # k = c/gamma applied to the differences only: no gamma^2 is formed, so every gamma > 0 gives
    # normalised weights (the nearest data fit takes all the weight as gamma -> 0).
    resid = Fx - yv
    c = float(np.max(np.abs(resid), initial=0.0))
    if c == 0.0:
        return log_softmax(np.zeros(Fx.shape[0]))
    e = resid / c
    sq = np.einsum("ij,ij->i", e, e)
    diff = sq - sq.min()
    k = c / gamma
    with np.errstate(over="ignore", invalid="ignore"):
        logits = -0.5 * ((diff * k) * k)
    return log_softmax(np.where(diff == 0.0, 0.0, logits))


def lookup_weights(forward: Callable, x_train, y, noise_std: float, batched: bool = False) -> np.ndarray:
    """Posterior weights of the sigma -> 0 memorized prior, ``softmax(-||F(x_n) - y||^2 / (2 gamma^2))`` (docs/theory/posterior.md §4).

    See docs/theory/posterior.md §4.

    Parameters
    ----------
    forward : callable
        ``F(x) -> (m,)`` (or (N, d) -> (N, m) when ``batched``).
    x_train : array_like, shape (N, d)
    y : array_like, shape (m,)
    noise_std : float
        ``gamma`` > 0.

    Returns
    -------
    ndarray, shape (N,)

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> x_train = np.array([[-1.0], [0.5], [1.0]])
    >>> posterior.lookup_weights(lambda x: x ** 3, x_train, np.array([0.2]), noise_std=0.3).round(4)
    array([3.00e-04, 9.71e-01, 2.86e-02])
    """
    return np.exp(lookup_log_weights(forward, x_train, y, noise_std, batched))
