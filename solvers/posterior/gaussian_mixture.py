"""Gaussian mixtures and the exact posterior of a linear-Gaussian model under a mixture prior (docs/theory/posterior.md §2).

Prior ``sum_k pi_k N(mu_k, Sigma_k)``, data ``y = A x + eta``, ``eta ~ N(0, gamma^2 I)``. Each component
gets a Kalman update and a weight proportional to its evidence ``pi_k N(y; A mu_k, A Sigma_k A^T + gamma^2 I)``
(determinant included). For the memorized prior every ``Sigma_k = sigma^2 I`` so the posterior
covariance is shared and the determinant cancels (the "shared-covariance shortcut").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.linalg as sla
from scipy.special import logsumexp, softmax

from memtheory.core.checks import check_array, check_positive

__all__ = ["GaussianMixture", "MixturePosterior", "linear_posterior", "effective_modes"]

_LOG2PI = math.log(2.0 * math.pi)


def _cholesky(name: str, mats: np.ndarray) -> np.ndarray:
    """Lower Cholesky factor(s); a non-positive-definite matrix is reported as bad input ``name``."""
    msg = (
        f"{name} is singular or not positive definite (numerically); the allowed range is symmetric "
        "positive-definite matrices with condition number < 1e16"
    )
    if not np.all(np.isfinite(mats)):
        raise ValueError(msg)
    try:
        L = np.linalg.cholesky(mats)
    except np.linalg.LinAlgError:
        raise ValueError(msg) from None
    diag = np.abs(np.diagonal(L, axis1=-2, axis2=-1))
    # (max/min pivot)^2 bounds the condition number from below: beyond 1e16 solves carry no digits.
    if np.any(diag.min(axis=-1) ** 2 <= 1e-16 * diag.max(axis=-1) ** 2):
        raise ValueError(msg)
    return L


# sigma^2, 1/sigma^2 (and gamma's) must be normal doubles for the Kalman forms: |log10| < 150.
SQUARE_RANGE = (1e-150, 1e150)


def check_square_range(name: str, value) -> float:
    """Require ``1e-150 <= value <= 1e150``: the range where ``value**2`` and ``value**-2`` are normal floats.

    The Gaussian (Kalman) updates form ``sigma^-2 I + gamma^-2 A^T A``; outside this range that matrix
    under- or overflows. The weights of the ``sigma -> 0`` limit are :func:`lookup_weights` (any
    ``gamma > 0``), and :class:`MemorizedPrior` itself works for every ``sigma > 0``.
    """
    x = check_positive(name, value)
    lo, hi = SQUARE_RANGE
    if not lo <= x <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}] for the Gaussian posterior update "
                         f"(its square must be a normal double), got {value!r}")
    return x


def effective_modes(weights) -> float:
    """Effective number of mixture modes ``exp(H(w))``, H the Shannon entropy (docs/theory/posterior.md §4).

    See docs/theory/posterior.md §4.

    Parameters
    ----------
    weights : array_like, shape (K,)
        Mixture weights (non-negative, summing to 1).

    Returns
    -------
    float
        ``exp(H(w))`` in ``[1, K]``.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> posterior.effective_modes([0.5, 0.5]), posterior.effective_modes([1.0, 0.0])
    (2.0, 1.0)
    >>> round(posterior.effective_modes([0.7, 0.2, 0.1]), 4)
    2.2296
    """
    w = check_array("weights", weights, ndim=1)
    if np.any(w < 0) or not math.isclose(w.sum(), 1.0, rel_tol=1e-8, abs_tol=1e-8):
        raise ValueError("weights must be non-negative and sum to 1")
    nz = w[w > 0]
    return float(math.exp(-np.sum(nz * np.log(nz))))


@dataclass(frozen=True, eq=False)
class GaussianMixture:
    """A general Gaussian-mixture prior ``sum_k pi_k N(mu_k, Sigma_k)``.

    See docs/theory/posterior.md §2.

    Parameters
    ----------
    weights : array_like, shape (K,)
        Mixture weights ``pi_k`` (non-negative, normalised here).
    means : array_like, shape (K, d)
    covs : array_like, shape (K, d, d) or (d, d)
        Component covariances (symmetric positive definite); a single (d, d) matrix is shared.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> gm = posterior.GaussianMixture([1.0, 3.0], np.array([[0.0], [2.0]]), np.eye(1))
    >>> gm.weights
    array([0.25, 0.75])
    >>> post = posterior.linear_posterior(gm, np.eye(1), np.array([1.8]), noise_std=0.5)
    >>> post.weights.round(4), post.means.round(4).ravel()
    (array([0.0848, 0.9152]), array([1.44, 1.84]))
    """

    weights: np.ndarray
    means: np.ndarray
    covs: np.ndarray

    def __post_init__(self):
        m = check_array("means", self.means, ndim=2)
        K, d = m.shape
        w = check_array("weights", self.weights, shape=(K,))
        if np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be non-negative with a positive sum")
        c = check_array("covs", self.covs)
        if c.shape not in ((d, d), (K, d, d)):
            raise ValueError(f"covs must have shape ({d}, {d}) or ({K}, {d}, {d}), got {c.shape}")
        if not np.allclose(c, np.swapaxes(c, -1, -2), rtol=1e-10, atol=1e-12):
            raise ValueError("covs must be symmetric")
        _cholesky("covs", c)
        object.__setattr__(self, "weights", w / w.sum())
        object.__setattr__(self, "means", m)
        object.__setattr__(self, "covs", c)

    @property
    def shared(self) -> bool:
        """True when one covariance serves every component."""
        return self.covs.ndim == 2

    @property
    def d(self) -> int:
        """Dimension."""
        return self.means.shape[1]


@dataclass(frozen=True, eq=False)
class MixturePosterior:
    """A Gaussian-mixture posterior ``sum_n w_n N(m_n, C_n)`` (docs/theory/posterior.md §2, §3).

    Covariances are held in one of three forms: one shared matrix, one matrix per component, or the
    lower Cholesky factors ``L_n`` of the component *precisions* (``C_n^-1 = L_n L_n^T``); the last
    avoids ``N`` dense inversions when only weights, means or a few components are needed.

    See docs/theory/posterior.md §2 and §3.

    Attributes
    ----------
    weights : ndarray, shape (K,)
        Normalised component weights.
    means : ndarray, shape (K, d)
    log_weights : ndarray, shape (K,)
        Normalised log weights (accurate where ``weights`` underflow).
    log_evidence : float
        ``log p(y)`` of the (possibly linearized) model, including every constant.
    shared_cov : ndarray (d, d) or None
    component_covs : ndarray (K, d, d) or None
    precision_chol : ndarray (K, d, d) or None

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> prior = posterior.MemorizedPrior(np.array([[0.0], [1.0]]), sigma=0.2)
    >>> post = posterior.linear_posterior(prior, np.eye(1), np.array([0.9]), noise_std=0.1)
    >>> post.weights.round(4), post.means.ravel().round(4)
    (array([3.000e-04, 9.997e-01]), array([0.72, 0.92]))
    >>> post.shared_cov.round(4)
    array([[0.008]])
    """

    weights: np.ndarray
    means: np.ndarray
    log_weights: np.ndarray
    log_evidence: float
    shared_cov: np.ndarray | None = None
    component_covs: np.ndarray | None = None
    precision_chol: np.ndarray | None = None

    def __post_init__(self):
        given = sum(v is not None for v in (self.shared_cov, self.component_covs, self.precision_chol))
        if given != 1:
            raise ValueError("exactly one of shared_cov, component_covs, precision_chol must be given")

    @property
    def shared(self) -> bool:
        """True when all components have the same covariance."""
        return self.shared_cov is not None

    @property
    def d(self) -> int:
        """Dimension."""
        return self.means.shape[1]

    def component_cov(self, k: int) -> np.ndarray:
        """Covariance ``C_k`` of one component."""
        if self.shared_cov is not None:
            return self.shared_cov
        if self.component_covs is not None:
            return self.component_covs[k]
        Linv = sla.solve_triangular(self.precision_chol[k], np.eye(self.d), lower=True)
        return Linv.T @ Linv

    @cached_property
    def covs(self) -> np.ndarray:
        """``(d, d)`` if shared, else all component covariances ``(K, d, d)`` (computed on first use)."""
        if self.shared_cov is not None:
            return self.shared_cov
        if self.component_covs is not None:
            return self.component_covs
        return np.stack([self.component_cov(k) for k in range(self.weights.size)])

    def mean(self) -> np.ndarray:
        """Mixture mean ``sum_n w_n m_n`` (docs/theory/posterior.md §2)."""
        return self.weights @ self.means

    def cov(self) -> np.ndarray:
        """Mixture covariance ``sum_n w_n C_n + sum_n w_n (m_n - mbar)(m_n - mbar)^T`` (docs/theory/posterior.md §2).

        Components with ``w_n < 1e-18 max(w)`` change the sum below double precision and are skipped.
        """
        dev = self.means - self.mean()
        between = (dev * self.weights[:, None]).T @ dev
        if self.shared:
            within = self.shared_cov
        else:
            keep = np.flatnonzero(self.weights >= 1e-18 * self.weights.max())
            within = sum(self.weights[k] * self.component_cov(k) for k in keep)
        out = within + between
        return 0.5 * (out + out.T)

    def effective_modes(self) -> float:
        """``exp(H(w))`` of the component weights (docs/theory/posterior.md §4)."""
        return effective_modes(self.weights)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` samples: component ``k ~ w``, then ``m_k + B_k z`` with ``B_k B_k^T = C_k``.

        With precision factors ``B_k = L_k^-T`` is applied by a triangular solve (no inverse).
        """
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be an integer >= 0, got {n!r}")
        k = rng.choice(self.weights.size, size=n, p=self.weights)
        z = rng.standard_normal((n, self.d))
        if self.shared:
            return self.means[k] + z @ _cholesky("covs", self.shared_cov).T
        out = np.empty((n, self.d))
        for comp in np.unique(k):
            sel = k == comp
            if self.precision_chol is not None:
                out[sel] = self.means[comp] + sla.solve_triangular(self.precision_chol[comp].T, z[sel].T, lower=False).T
            else:
                out[sel] = self.means[comp] + z[sel] @ _cholesky("covs", self.component_covs[comp]).T
        return out

    def log_density(self, x) -> np.ndarray:
        """Mixture log density at points ``x`` of shape (B, d) (logsumexp over components)."""
        a = check_array("x", x, ndim=2, shape=(None, self.d))
        terms = []
        for k in np.flatnonzero(self.weights > 0):
            if self.precision_chol is not None:
                L = self.precision_chol[k]
                z = L.T @ (a - self.means[k]).T
                logdet = -2.0 * np.log(np.diag(L)).sum()
            else:
                C = _cholesky("covs", self.component_cov(k))
                z = sla.solve_triangular(C, (a - self.means[k]).T, lower=True)
                logdet = 2.0 * np.log(np.diag(C)).sum()
            terms.append(self.log_weights[k] - 0.5 * (np.sum(z * z, axis=0) + logdet + self.d * _LOG2PI))
        return logsumexp(np.array(terms), axis=0)


def _posterior_from_log_weights(log_w: np.ndarray, means, log_norm: float, **cov_form) -> MixturePosterior:
    lse = float(logsumexp(log_w))
    return MixturePosterior(
        weights=softmax(log_w), means=means, log_weights=log_w - lse, log_evidence=lse + log_norm, **cov_form
    )


def _check_linear(prior_d: int, A, y) -> tuple[np.ndarray, np.ndarray]:
    A = check_array("A", A, ndim=2)
    if A.shape[1] != prior_d:
        raise ValueError(f"A must have shape (m, {prior_d}) to act on the prior's dimension, got {A.shape}")
    y = check_array("y", y, shape=(A.shape[0],))
    return A, y


def linear_posterior(prior, A, y, noise_std: float) -> MixturePosterior:
    """Exact posterior of ``y = A x + N(0, gamma^2 I)`` under a Gaussian-mixture prior (docs/theory/posterior.md §2).

    See docs/theory/posterior.md §2.

    Parameters
    ----------
    prior : MemorizedPrior or GaussianMixture
        A memorized prior takes the shared-covariance shortcut: ``C = (sigma^-2 I + gamma^-2 A^T A)^-1``
        for every component, and the evidence determinant cancels in the weights.
    A : array_like, shape (m, d)
        Forward operator.
    y : array_like, shape (m,)
        Observed data.
    noise_std : float
        Noise standard deviation ``gamma`` > 0.

    Returns
    -------
    MixturePosterior
        Weights ``w_n ∝ pi_n N(y; A mu_n, A Sigma_n A^T + gamma^2 I)``, means
        ``m_n = mu_n + Sigma_n A^T S_n^-1 (y - A mu_n)``, covariances ``(I - K_n A) Sigma_n``.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> import numpy as np
    >>> x_train = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    >>> prior = posterior.MemorizedPrior(x_train, sigma=0.1)
    >>> A = np.array([[1.0, 0.0]])
    >>> post = posterior.linear_posterior(prior, A, np.array([1.1]), noise_std=0.2)
    >>> post.weights.round(4)
    array([0.000e+00, 9.997e-01, 3.000e-04])
    >>> post.means.round(3)
    array([[0.22, 0.  ],
       [1.02, 1.  ],
       [1.82, 0.  ]])
    """
    gamma = check_square_range("noise_std", noise_std)
    from memtheory.solvers.posterior.prior import MemorizedPrior  # local: avoids a cycle at package import

    if isinstance(prior, MemorizedPrior):
        A, y = _check_linear(prior.d, A, y)
        return _shared_isotropic(prior.means, check_square_range("sigma", prior.sigma), A, y, gamma)
    if not isinstance(prior, GaussianMixture):
        raise ValueError("prior must be a MemorizedPrior or a GaussianMixture")
    A, y = _check_linear(prior.d, A, y)
    K, d, m = prior.weights.size, prior.d, A.shape[0]
    covs = prior.covs if not prior.shared else np.broadcast_to(prior.covs, (K, d, d))
    with np.errstate(over="ignore", invalid="ignore"):
        SAt = covs @ A.T  # (K, d, m): Sigma_k A^T
        S = A @ SAt + gamma**2 * np.eye(m)  # (K, m, m) evidence covariances
    S = 0.5 * (S + np.swapaxes(S, -1, -2))
    L = _cholesky("A (evidence covariance A Sigma A^T + gamma^2 I)", S)
    r = y - prior.means @ A.T  # (K, m)
    alpha = sla.solve_triangular(L, r[..., None], lower=True)[..., 0]
    logdet = 2.0 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)
    with np.errstate(divide="ignore"):
        log_pi = np.log(prior.weights)
    log_w = log_pi - 0.5 * (np.sum(alpha**2, axis=1) + logdet)
    Sinv_r = sla.cho_solve((L, True), r[..., None])[..., 0]
    means = prior.means + np.einsum("kdm,km->kd", SAt, Sinv_r)
    # Joseph-free form (Sigma - Sigma A^T S^-1 A Sigma) kept symmetric explicitly.
    W = sla.solve_triangular(L, np.swapaxes(SAt, -1, -2), lower=True)  # L^-1 A Sigma
    post_covs = covs - np.swapaxes(W, -1, -2) @ W
    post_covs = 0.5 * (post_covs + np.swapaxes(post_covs, -1, -2))
    if prior.shared and np.allclose(post_covs, post_covs[0], rtol=1e-12, atol=0):
        return _posterior_from_log_weights(log_w, means, -0.5 * m * _LOG2PI, shared_cov=post_covs[0])
    return _posterior_from_log_weights(log_w, means, -0.5 * m * _LOG2PI, component_covs=post_covs)


def _shared_isotropic(mu: np.ndarray, sigma: float, A: np.ndarray, y: np.ndarray, gamma: float) -> MixturePosterior:
    """Shared-covariance update for components ``N(mu_n, sigma^2 I)`` (docs/theory/posterior.md §2, memorized prior).

    Works in the d-dimensional information form ``P = sigma^-2 I + gamma^-2 A^T A`` and evaluates the
    evidence quadratic ``r^T (sigma^2 A A^T + gamma^2 I)^-1 r`` as the minimum of the regularised
    least-squares functional ``gamma^-2 |r - A delta|^2 + sigma^-2 |delta|^2`` (a sum of squares, so no
    cancellation even when ``sigma |A| >> gamma``).
    """
    d, m = A.shape[1], A.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        P = np.eye(d) / sigma**2 + (A.T @ A) / gamma**2
    Lp = _cholesky("A (posterior precision sigma^-2 I + gamma^-2 A^T A)", P)
    r = y - mu @ A.T  # (N, m)
    delta = sla.cho_solve((Lp, True), (r @ A).T / gamma**2).T  # (N, d)
    resid = r - delta @ A.T
    quad = np.sum(resid**2, axis=1) / gamma**2 + np.sum(delta**2, axis=1) / sigma**2
    # log det(sigma^2 A A^T + gamma^2 I) = m log gamma^2 + d log sigma^2 + log det P (determinant lemma).
    logdet = 2.0 * (m * math.log(gamma) + d * math.log(sigma)) + 2.0 * np.log(np.diag(Lp)).sum()
    log_w = -0.5 * quad - 0.5 * logdet - math.log(mu.shape[0])
    cov = sla.cho_solve((Lp, True), np.eye(d))
    cov = 0.5 * (cov + cov.T)
    return _posterior_from_log_weights(log_w, mu + delta, -0.5 * m * _LOG2PI, shared_cov=cov)
