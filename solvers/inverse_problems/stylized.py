"""Stylized 1-D and 2-D inverse problems and their exact posteriors by grid quadrature (docs/theory/posterior.md §5, §4).

The exact posterior of a memorized prior under any likelihood is
``log p(x|y) = logsumexp_n[-||x - x_n||^2/(2 sigma^2)] - ||F(x) - y||^2/(2 gamma^2) + const`` and its
exact component weights are ``w_n ∝ ∫ N(x; x_n, sigma^2 I) p(y|x) dx``. Both are evaluated here by
brute-force quadrature on a regular grid (the reference the closed forms are tested against).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from memtheory.core.checks import check_array, check_positive

__all__ = [
    "forward_1d",
    "jacobian_1d",
    "forward_2d",
    "jacobian_2d",
    "StylizedProblem",
    "problem_1d",
    "problem_2d",
    "GridPosterior",
    "grid_posterior",
    "grid_axes_1d",
    "grid_axes_2d",
]


def forward_1d(x):
    """Forward map of the 1-D stylized problem, ``F(x) = x + 0.3 x^3``.

    Parameters
    ----------
    x : array_like, shape (..., 1)
        Points; the map acts elementwise.

    Returns
    -------
    ndarray, shape (..., 1)
        ``F(x)``.

    Examples
    --------
    >>> import numpy as np
    >>> forward_1d(np.array([[0.0], [1.0]])).ravel()
    array([0. , 1.3])

    See docs/theory/posterior.md §5.
    """
    x = np.asarray(x, dtype=np.float64)
    return x + 0.3 * x**3


def jacobian_1d(x):
    """Jacobian of :func:`forward_1d`, ``F'(x) = 1 + 0.9 x^2``, as a (1, 1) matrix.

    Parameters
    ----------
    x : array_like, shape (1,)
        One point.

    Returns
    -------
    ndarray, shape (1, 1)
        ``[[1 + 0.9 x^2]]``.

    Examples
    --------
    >>> jacobian_1d([1.0])
    array([[1.9]])

    See docs/theory/posterior.md §5.
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    return np.array([[1.0 + 0.9 * x[0] ** 2]])


def forward_2d(x):
    """Forward map of the 2-D stylized problem, ``F(x) = [x1 + 0.3 x1 x2, x2 + 0.2 x1^2]``.

    Parameters
    ----------
    x : array_like, shape (..., 2)
        Points; the map acts on the last axis.

    Returns
    -------
    ndarray, shape (..., 2)
        ``F(x)``.

    Examples
    --------
    >>> forward_2d([1.0, 2.0])
    array([1.6, 2.2])

    See docs/theory/posterior.md §5.
    """
    x = np.asarray(x, dtype=np.float64)
    x1, x2 = x[..., 0], x[..., 1]
    return np.stack([x1 + 0.3 * x1 * x2, x2 + 0.2 * x1**2], axis=-1)


def jacobian_2d(x):
    """Jacobian of :func:`forward_2d`: ``[[1 + 0.3 x2, 0.3 x1], [0.4 x1, 1]]``.

    Parameters
    ----------
    x : array_like, shape (2,)
        One point.

    Returns
    -------
    ndarray, shape (2, 2)
        The Jacobian at ``x``.

    Examples
    --------
    >>> jacobian_2d([1.0, 2.0])
    array([[1.6, 0.3],
           [0.4, 1. ]])

    See docs/theory/posterior.md §5.
    """
    x1, x2 = np.asarray(x, dtype=np.float64).reshape(-1)[:2]
    return np.array([[1.0 + 0.3 * x2, 0.3 * x1], [0.4 * x1, 1.0]])


@dataclass(frozen=True, eq=False)
class StylizedProblem:
    """A stylized problem: training set, data, noise level and forward map.

    Attributes
    ----------
    name : str
        ``"1d"`` or ``"2d"``.
    x_train : ndarray, shape (N, d)
        The memorized training points.
    y : ndarray, shape (m,)
        Observed data.
    noise_std : float
        Noise standard deviation of the likelihood.
    forward, jacobian : callable
        Vectorised over leading axes / one point -> (m, d).
    x_true : ndarray or None
        Truth that generated noise-free ``y`` (2-D problem).

    Examples
    --------
    >>> p = problem_1d()
    >>> isinstance(p, StylizedProblem), p.x_train.shape
    (True, (5, 1))

    See docs/theory/posterior.md §5.
    """

    name: str
    x_train: np.ndarray
    y: np.ndarray
    noise_std: float
    forward: Callable
    jacobian: Callable
    x_true: np.ndarray | None = None


def problem_1d(noise_std: float = 0.3) -> StylizedProblem:
    """1-D problem: ``x_n = {-1.5, -0.4, 0.4, 1.2, 2.5}``, ``y = 0`` so that ±0.4 fit equally.

    Parameters
    ----------
    noise_std : float, default 0.3
        Noise standard deviation, > 0.

    Returns
    -------
    StylizedProblem
        With :func:`forward_1d` and :func:`jacobian_1d`.

    Examples
    --------
    >>> p = problem_1d()
    >>> p.name, p.x_train.ravel().tolist(), p.y.tolist(), p.noise_std
    ('1d', [-1.5, -0.4, 0.4, 1.2, 2.5], [0.0], 0.3)

    See docs/theory/posterior.md §5.
    """
    return StylizedProblem(
        name="1d",
        x_train=np.array([-1.5, -0.4, 0.4, 1.2, 2.5])[:, None],
        y=np.zeros(1),
        noise_std=check_positive("noise_std", noise_std),
        forward=forward_1d,
        jacobian=jacobian_1d,
    )


def problem_2d(noise_std: float = 0.3) -> StylizedProblem:
    """2-D paper-panel problem: pentagon of radius 2, truth ``0.7 x_1`` (first example), noise-free ``y``.

    Parameters
    ----------
    noise_std : float, default 0.3
        Noise standard deviation, > 0.

    Returns
    -------
    StylizedProblem
        With :func:`forward_2d`, :func:`jacobian_2d` and ``x_true`` set.

    Examples
    --------
    >>> p = problem_2d()
    >>> p.x_train.shape, p.x_true.round(3).tolist(), p.y.round(3).tolist()
    ((5, 2), [1.4, 0.0], [1.4, 0.392])

    See docs/theory/posterior.md §5.
    """
    ang = 2.0 * np.pi * np.arange(5) / 5
    X = 2.0 * np.stack([np.cos(ang), np.sin(ang)], axis=1)
    x_true = 0.7 * X[0]
    return StylizedProblem(
        name="2d",
        x_train=X,
        y=forward_2d(x_true),
        noise_std=check_positive("noise_std", noise_std),
        forward=forward_2d,
        jacobian=jacobian_2d,
        x_true=x_true,
    )


def grid_axes_1d(n: int = 500, lo: float = -3.5, hi: float = 3.5) -> list[np.ndarray]:
    """The 1-D plotting grid (500 points on [-3.5, 3.5] by default).

    Parameters
    ----------
    n : int, default 500
        Number of grid points.
    lo, hi : float, default -3.5, 3.5
        Grid end points.

    Returns
    -------
    list of ndarray
        One axis of ``n`` uniformly spaced points.

    Examples
    --------
    >>> axes = grid_axes_1d()
    >>> len(axes), axes[0].shape, float(axes[0][0]), float(axes[0][-1])
    (1, (500,), -3.5, 3.5)

    See docs/theory/posterior.md §5.
    """
    return [np.linspace(lo, hi, n)]


def grid_axes_2d(x_train, n: int = 200, pad: float = 0.8) -> list[np.ndarray]:
    """The 2-D grid: the training points' bounding box ± ``pad``, ``n`` points per axis.

    Parameters
    ----------
    x_train : array_like, shape (N, 2)
        Training points whose bounding box the grid covers.
    n : int, default 200
        Points per axis.
    pad : float, default 0.8
        Margin added on every side of the bounding box.

    Returns
    -------
    list of ndarray
        Two axes of ``n`` uniformly spaced points.

    Examples
    --------
    >>> axes = grid_axes_2d(problem_2d().x_train, n=50)
    >>> [a.shape for a in axes], round(float(axes[0][0]), 3), round(float(axes[0][-1]), 3)
    ([(50,), (50,)], -2.418, 2.8)

    See docs/theory/posterior.md §5.
    """
    X = np.asarray(x_train, dtype=np.float64)
    return [np.linspace(X[:, k].min() - pad, X[:, k].max() + pad, n) for k in range(2)]


@dataclass(frozen=True, eq=False)
class GridPosterior:
    """Exact memorized-prior posterior on a grid, as returned by :func:`grid_posterior`.

    Attributes
    ----------
    axes : list of ndarray
        Grid axes; the grid is their Cartesian product (``indexing="ij"``).
    log_prior, log_likelihood, log_posterior : ndarray, grid-shaped
        Normalised on the grid (densities, not masses).
    weights : ndarray, shape (N,)
        Exact component weights ``∝ ∫ N(x; x_n, sigma^2) p(y|x) dx``.
    mean : ndarray, shape (d,)
        Posterior mean.
    cov : ndarray, shape (d, d)
        Posterior covariance.

    Examples
    --------
    >>> p = problem_1d()
    >>> post = grid_posterior(p.forward, p.x_train, p.y, 0.3, p.noise_std, grid_axes_1d(n=400))
    >>> isinstance(post, GridPosterior), post.log_posterior.shape, post.cov.shape
    (True, (400,), (1, 1))

    See docs/theory/posterior.md §4, §5.
    """

    axes: list
    log_prior: np.ndarray
    log_likelihood: np.ndarray
    log_posterior: np.ndarray
    weights: np.ndarray
    mean: np.ndarray
    cov: np.ndarray


def grid_posterior(forward: Callable, x_train, y, sigma: float, noise_std: float, axes) -> GridPosterior:
    """Exact posterior of the memorized prior ``N(x_n, sigma^2 I)`` by quadrature on a regular grid.

    Parameters
    ----------
    forward : callable
        Vectorised ``F``: (..., d) -> (..., m).
    x_train : array_like, shape (N, d)
        The memorized training points.
    y : array_like, shape (m,)
        Observed data.
    sigma, noise_std : float
        Prior bandwidth and noise std, both > 0.
    axes : sequence of 1-D arrays
        Uniformly spaced grid axes, one per dimension; the grid must cover the posterior mass.

    Returns
    -------
    GridPosterior
        Grid densities, exact component weights, posterior mean and covariance.

    Examples
    --------
    The two training points ±0.4 fit ``y = 0`` equally well and share the weight:

    >>> p = problem_1d()
    >>> post = grid_posterior(p.forward, p.x_train, p.y, 0.3, p.noise_std, grid_axes_1d(n=400))
    >>> post.weights.round(3).tolist()
    [0.001, 0.495, 0.495, 0.009, 0.0]

    See docs/theory/posterior.md §4, §5.
    """
    X = check_array("x_train", x_train, ndim=2)
    s = check_positive("sigma", sigma)
    g = check_positive("noise_std", noise_std)
    d = X.shape[1]
    axes = [check_array(f"axes[{k}]", a, ndim=1) for k, a in enumerate(axes)]
    if len(axes) != d:
        raise ValueError(f"axes must have one array per dimension ({d}), got {len(axes)}")
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)  # (*shape, d)
    shape = mesh.shape[:-1]
    pts = mesh.reshape(-1, d)
    dv = float(np.prod([a[1] - a[0] for a in axes]))
    Fx = np.asarray(forward(pts), dtype=np.float64).reshape(pts.shape[0], -1)
    yv = check_array("y", np.atleast_1d(y), shape=(Fx.shape[1],))
    m = Fx.shape[1]
    log_comp = -np.sum((pts[:, None, :] - X[None]) ** 2, axis=2) / (2 * s * s) - 0.5 * d * math.log(2 * math.pi * s * s)
    log_lik = -np.sum((Fx - yv) ** 2, axis=1) / (2 * g * g) - 0.5 * m * math.log(2 * math.pi * g * g)
    log_joint = log_comp + log_lik[:, None]  # (G, N)
    log_z = logsumexp(log_joint, axis=0) + math.log(dv)  # log ∫ N(x; x_n) p(y|x) dx
    weights = np.exp(log_z - logsumexp(log_z))
    log_post = logsumexp(log_joint, axis=1)
    log_post -= logsumexp(log_post) + math.log(dv)
    log_prior = logsumexp(log_comp, axis=1) - math.log(X.shape[0])
    lik_norm = log_lik - (logsumexp(log_lik) + math.log(dv))
    p = np.exp(log_post) * dv
    mean = p @ pts
    dev = pts - mean
    cov = (dev * p[:, None]).T @ dev
    return GridPosterior(
        axes=axes,
        log_prior=log_prior.reshape(shape),
        log_likelihood=lik_norm.reshape(shape),
        log_posterior=log_post.reshape(shape),
        weights=weights,
        mean=mean,
        cov=cov,
    )
