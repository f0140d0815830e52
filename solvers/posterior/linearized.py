"""Nonlinear forward operator linearized around every training example (docs/theory/posterior.md §3).

With ``F(x) ~ F(mu_n) + J_n (x - mu_n)`` each prior component ``N(mu_n, sigma^2 I)`` times the Gaussian
likelihood is Gaussian:

* ``Sigma_n = (sigma^-2 I + gamma^-2 J_n^T J_n)^-1``
* ``mu_n' = mu_n + gamma^-2 Sigma_n J_n^T r_n``, ``r_n = y - F(mu_n)``
* ``w_n ∝ N(y; F(mu_n), sigma^2 J_n J_n^T + gamma^2 I)`` -- determinant kept (docs/theory/posterior.md §3: the released
  code drops it; ``include_logdet=False`` reproduces that for comparison only).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.linalg import blas, lapack
from threadpoolctl import threadpool_limits

from memtheory.core.checks import check_array, check_positive
from memtheory.solvers.posterior.gaussian_mixture import (
    MixturePosterior,
    _posterior_from_log_weights,
    check_square_range,
)
from memtheory.solvers.posterior.jacobians import resolve_jacobian
from memtheory.solvers.posterior.lookup import evaluate_forward
from memtheory.solvers.posterior.prior import MemorizedPrior

__all__ = ["linearized_posterior", "SVDReading", "svd_reading"]

_LOG2PI = math.log(2.0 * math.pi)


def _jacobians(jac: Callable, points: np.ndarray, m: int, batched: bool) -> np.ndarray:
    if batched:
        J = np.asarray(jac(points), dtype=np.float64)
    else:
        J = np.stack([np.atleast_2d(np.asarray(jac(p), dtype=np.float64)) for p in points])
    if J.shape != (points.shape[0], m, points.shape[1]):
        raise ValueError(f"jacobian must return shape (m, d) = ({m}, {points.shape[1]}) per point, got {J.shape}")
    if not np.all(np.isfinite(J)):
        raise ValueError("jacobian returned non-finite values")
    return np.ascontiguousarray(J)


def linearized_posterior(
    prior: MemorizedPrior,
    forward: Callable,
    jacobian,
    y,
    noise_std: float,
    *,
    include_logdet: bool = True,
    batched: bool = False,
    chunk: int = 256,
) -> MixturePosterior:
    """Linearized Gaussian-mixture posterior of a memorized prior (docs/theory/posterior.md §3, "Eq. 7").

    See docs/theory/posterior.md §3.

    Parameters
    ----------
    prior : MemorizedPrior
        Components ``N(mu_n, sigma^2 I)``, ``mu_n = s x_n``.
    forward : callable
        ``F(x) -> (m,)``; a torch function when ``jacobian == "autograd"``.
    jacobian : callable or {"fd", "autograd"}
        ``J(x) -> (m, d)``, central finite differences, or torch autograd.
    y : array_like, shape (m,)
    noise_std : float
        ``gamma`` > 0.
    include_logdet : bool
        Keep ``-1/2 log det(sigma^2 J_n J_n^T + gamma^2 I)`` in the weights (correct; default).
    batched : bool
        ``forward``/``jacobian`` take all points at once: (N, d) -> (N, m) / (N, m, d).
    chunk : int
        With ``batched``, points per Jacobian call (bounds memory to ``chunk * m * d``).

    Returns
    -------
    MixturePosterior
        Component covariances held as precision Cholesky factors (``.covs`` materialises them).

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> prior = posterior.MemorizedPrior(np.array([[-1.0], [0.5], [1.0]]), sigma=0.1)
    >>> forward = lambda x: x ** 3
    >>> jacobian = lambda x: np.diag(3 * x ** 2)
    >>> post = posterior.linearized_posterior(prior, forward, jacobian, np.array([0.2]), noise_std=0.1)
    >>> post.weights.round(4)
    array([3.000e-04, 9.807e-01, 1.890e-02])
    >>> post.means.ravel().round(4)
    array([-0.64 ,  0.536,  0.76 ])
    """
    if not isinstance(prior, MemorizedPrior):
        raise ValueError("prior must be a MemorizedPrior")
    gamma = check_square_range("noise_std", noise_std)
    sigma = check_square_range("sigma", prior.sigma)
    fwd, jac = resolve_jacobian(forward, jacobian)
    mu = prior.means
    N, d = mu.shape
    Fx = evaluate_forward(fwd, mu, batched)
    m = Fx.shape[1]
    yv = check_array("y", np.atleast_1d(y), shape=(m,))
    r_all = yv - Fx
    means = np.empty((N, d))
    prec_chol = np.empty((N, d, d))
    log_w = np.empty(N)
    logdet_const = 2.0 * (m * math.log(gamma) + d * math.log(sigma))

    def update(k: int, Jk: np.ndarray) -> None:
        L, delta = _component(Jk, r_all[k], sigma, gamma)
        resid = r_all[k] - Jk @ delta
        # Evidence quadratic as the minimum of gamma^-2|r - J delta|^2 + sigma^-2|delta|^2: no cancellation.
        lw = -0.5 * (resid @ resid / gamma**2 + delta @ delta / sigma**2)
        if include_logdet:
            # det(sigma^2 J J^T + gamma^2 I_m) = gamma^(2m) sigma^(2d) det(P)  (determinant lemma).
            lw -= 0.5 * (logdet_const + 2.0 * np.log(np.diag(L)).sum())
        log_w[k] = lw - math.log(N)
        means[k] = mu[k] + delta
        prec_chol[k] = L

    # Thousands of d × d factorizations: multi-threaded BLAS only adds synchronisation at this size
    # (measured 0.5 s single-threaded against 2.6–13 s threaded on a loaded 2-core machine).
    with threadpool_limits(limits=1, user_api="blas"):
        if batched:
            step = max(1, int(chunk))
            for c0 in range(0, N, step):
                J = _jacobians(jac, mu[c0 : c0 + step], m, True)
                for j in range(J.shape[0]):
                    update(c0 + j, J[j])
        else:
            # one Jacobian at a time: no (N, m, d) stack is ever held
            for k in range(N):
                update(k, _jacobians(jac, mu[k : k + 1], m, False)[0])
    return _posterior_from_log_weights(log_w, means, -0.5 * m * _LOG2PI, precision_chol=prec_chol)


def _component(J: np.ndarray, r: np.ndarray, sigma: float, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """Cholesky factor of ``P = sigma^-2 I + gamma^-2 J^T J`` and the shift ``P^-1 J^T r / gamma^2``.

    ``J^T J`` by a symmetric rank-k update on the (Fortran-ordered) transpose, then LAPACK potrf/potrs:
    one BLAS-3 call per component instead of numpy's slow stacked matmul.
    """
    Jt = J.T  # C-ordered J -> Fortran-ordered J^T, no copy
    P = blas.dsyrk(1.0 / gamma**2, Jt, trans=0, lower=1)
    P[np.diag_indices_from(P)] += 1.0 / sigma**2
    finite = bool(np.all(np.isfinite(np.tril(P))))
    L, info = lapack.dpotrf(P, lower=1, clean=1, overwrite_a=1) if finite else (P, -1)
    diag = np.diag(L)
    if info != 0 or not np.all(np.isfinite(diag)) or diag.min() ** 2 <= 1e-16 * diag.max() ** 2:
        raise ValueError(
            "jacobian makes the posterior precision sigma^-2 I + gamma^-2 J^T J numerically singular "
            "(allowed: condition number < 1e16)"
        )
    delta, info = lapack.dpotrs(L, (Jt @ r) / gamma**2, lower=1)
    return L, delta


@dataclass(frozen=True)
class SVDReading:
    """Per-singular-direction reading of one linearized component (docs/theory/posterior.md §3).

    See docs/theory/posterior.md §3.

    Attributes
    ----------
    singular_values : ndarray, shape (k,)
    right_vectors : ndarray, shape (d, k)
        ``v_k`` (columns).
    stds : ndarray, shape (k,)
        Posterior std along ``v_k``: ``sigma gamma / sqrt(gamma^2 + sigma^2 s_k^2)``.
    shifts : ndarray, shape (k,)
        Mean shift along ``v_k``: ``sigma^2 s_k (u_k^T r) / (gamma^2 + sigma^2 s_k^2)``.
    null_std : float
        Std in the null space of ``J`` (= sigma: data say nothing there; no shift either).

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> rd = posterior.svd_reading(np.array([[1.0, 0.0]]), np.array([0.5]), sigma=1.0, noise_std=1.0)
    >>> rd.singular_values, rd.stds.round(4), rd.shifts.round(4), rd.null_std
    (array([1.]), array([0.7071]), array([0.25]), 1.0)
    >>> rd.right_vectors.shape
    (2, 1)
    """

    singular_values: np.ndarray
    right_vectors: np.ndarray
    stds: np.ndarray
    shifts: np.ndarray
    null_std: float


def svd_reading(J, r, sigma: float, noise_std: float) -> SVDReading:
    """Widths and shifts of a linearized component along the singular vectors of ``J`` (docs/theory/posterior.md §3).

    See docs/theory/posterior.md §3.

    Parameters
    ----------
    J : array_like, shape (m, d)
        Jacobian of the forward operator at the component's mean.
    r : array_like, shape (m,)
        Data residual ``y - F(mu_n)``.
    sigma : float
        Prior component standard deviation.
    noise_std : float
        Noise standard deviation ``gamma``.

    Returns
    -------
    SVDReading
        Widths and shifts along each right singular vector of ``J``.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> J = np.array([[2.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    >>> rd = posterior.svd_reading(J, np.array([0.1, 0.1]), sigma=0.3, noise_std=0.1)
    >>> rd.singular_values, rd.stds.round(4), rd.shifts.round(4), rd.null_std
    (array([2. , 0.5]), array([0.0493, 0.1664]), array([0.0486, 0.1385]), 0.3)
    """
    J = check_array("J", J, ndim=2)
    r = check_array("r", r, shape=(J.shape[0],))
    s2 = check_positive("sigma", sigma) ** 2
    g2 = check_positive("noise_std", noise_std) ** 2
    U, s, Vt = np.linalg.svd(J, full_matrices=False)
    denom = g2 + s2 * s**2
    return SVDReading(
        singular_values=s,
        right_vectors=Vt.T,
        stds=np.sqrt(s2 * g2 / denom),
        shifts=s2 * s * (U.T @ r) / denom,
        null_std=math.sqrt(s2),
    )
