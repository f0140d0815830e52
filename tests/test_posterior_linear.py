"""Exact linear-Gaussian posterior under Gaussian-mixture priors (docs/theory/posterior.md §2) vs dense Bayes and quadrature."""

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from memtheory.solvers.inverse_problems.stylized import grid_posterior
from memtheory.solvers.posterior import GaussianMixture, MemorizedPrior, linear_posterior


def _dense_bayes(pi, mus, covs, A, y, gamma):
    """Per-component posterior by the information form with explicit inverses (independent formula)."""
    m = A.shape[0]
    logw, means, post_covs = [], [], []
    for p, mu, S in zip(pi, mus, covs):
        ev = multivariate_normal(A @ mu, A @ S @ A.T + gamma**2 * np.eye(m)).logpdf(y)
        logw.append(np.log(p) + ev)
        C = np.linalg.inv(np.linalg.inv(S) + A.T @ A / gamma**2)
        post_covs.append(C)
        means.append(C @ (np.linalg.inv(S) @ mu + A.T @ y / gamma**2))
    logw = np.array(logw)
    w = np.exp(logw - logw.max())
    return w / w.sum(), np.array(means), np.array(post_covs), logw


def test_general_mixture_matches_dense_bayes():
    rng = np.random.default_rng(0)
    K, d, m = 4, 3, 2
    mus = rng.standard_normal((K, d))
    B = rng.standard_normal((K, d, d))
    covs = B @ np.swapaxes(B, 1, 2) + 0.3 * np.eye(d)
    pi = np.array([0.1, 0.2, 0.3, 0.4])
    A = rng.standard_normal((m, d))
    y = rng.standard_normal(m)
    post = linear_posterior(GaussianMixture(pi, mus, covs), A, y, noise_std=0.4)
    w, means, pcovs, logw = _dense_bayes(pi, mus, covs, A, y, 0.4)
    np.testing.assert_allclose(post.weights, w, rtol=1e-10)
    np.testing.assert_allclose(post.means, means, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(post.covs, pcovs, rtol=1e-10, atol=1e-12)
    # log evidence = log sum_k pi_k N(y; A mu_k, S_k)
    from scipy.special import logsumexp

    assert post.log_evidence == pytest.approx(logsumexp(logw), rel=1e-12)


def test_memorized_shortcut_equals_general_path():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((6, 4))
    A = rng.standard_normal((3, 4))
    y = rng.standard_normal(3)
    fast = linear_posterior(MemorizedPrior(X, sigma=0.7), A, y, 0.2)
    gm = GaussianMixture(np.ones(6), X, 0.49 * np.eye(4))
    slow = linear_posterior(gm, A, y, 0.2)
    assert fast.shared
    np.testing.assert_allclose(fast.weights, slow.weights, rtol=1e-10)
    np.testing.assert_allclose(fast.means, slow.means, rtol=1e-10)
    np.testing.assert_allclose(fast.covs, slow.covs if slow.shared else slow.covs[0], rtol=1e-10, atol=1e-14)
    assert fast.log_evidence == pytest.approx(slow.log_evidence, rel=1e-12)


def test_vp_prior_components():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, 2))
    A = rng.standard_normal((2, 2))
    y = rng.standard_normal(2)
    ab = 0.6
    post = linear_posterior(MemorizedPrior.vp(X, ab), A, y, 0.3)
    ref = linear_posterior(GaussianMixture(np.ones(5), np.sqrt(ab) * X, (1 - ab) * np.eye(2)), A, y, 0.3)
    np.testing.assert_allclose(post.weights, ref.weights, rtol=1e-10)
    np.testing.assert_allclose(post.means, ref.means, rtol=1e-10)


def test_1d_against_grid_quadrature():
    X = np.array([[-1.5], [-0.4], [0.4], [1.2], [2.5]])
    a, y, gamma = 1.7, np.array([0.3]), 0.3
    for sigma in (0.5, 0.3, 0.05):
        post = linear_posterior(MemorizedPrior(X, sigma=sigma), np.array([[a]]), y, gamma)
        grid = grid_posterior(lambda p: a * p, X, y, sigma, gamma, [np.linspace(-5, 5, 200_001)])
        np.testing.assert_allclose(post.weights, grid.weights, atol=1e-6)
        np.testing.assert_allclose(post.mean(), grid.mean, atol=1e-6)
        np.testing.assert_allclose(post.cov(), grid.cov, atol=1e-6)


def test_2d_against_grid_quadrature():
    rng = np.random.default_rng(3)
    X = 1.2 * rng.standard_normal((4, 2))
    A = rng.standard_normal((3, 2))
    y = A @ np.array([0.3, -0.2]) + 0.1
    gamma, sigma = 0.3, 0.5
    post = linear_posterior(MemorizedPrior(X, sigma=sigma), A, y, gamma)
    axes = [np.linspace(X[:, k].min() - 3, X[:, k].max() + 3, 900) for k in range(2)]
    grid = grid_posterior(lambda p: p @ A.T, X, y, sigma, gamma, axes)
    np.testing.assert_allclose(post.weights, grid.weights, atol=1e-6)
    np.testing.assert_allclose(post.mean(), grid.mean, atol=1e-6)
    np.testing.assert_allclose(post.cov(), grid.cov, atol=1e-6)
    # the mixture density itself
    pts = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 2)[::997]
    np.testing.assert_allclose(post.log_density(pts), grid.log_posterior.reshape(-1)[::997], atol=1e-6)


def test_sampling_moments():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((5, 2))
    A = rng.standard_normal((2, 2))
    post = linear_posterior(MemorizedPrior(X, sigma=0.6), A, np.zeros(2), 0.5)
    s = post.sample(200_000, np.random.default_rng(5))
    # Monte-Carlo error of the mean ~ sqrt(var / n): 6 standard errors
    se = np.sqrt(np.diag(post.cov()) / s.shape[0])
    assert np.all(np.abs(s.mean(0) - post.mean()) < 6 * se)
    np.testing.assert_allclose(np.cov(s.T), post.cov(), atol=0.02 * np.abs(post.cov()).max())
    general = linear_posterior(GaussianMixture(np.ones(5), X, 0.36 * np.eye(2) + 0.01 * np.diag([1, 2])), A, np.zeros(2), 0.5)
    s2 = general.sample(200_000, np.random.default_rng(6))
    assert np.all(np.abs(s2.mean(0) - general.mean()) < 6 * np.sqrt(np.diag(general.cov()) / 200_000))


def test_effective_modes():
    from memtheory.solvers.posterior import effective_modes

    assert effective_modes(np.ones(7) / 7) == pytest.approx(7.0)
    assert effective_modes(np.array([1.0, 0.0, 0.0])) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="weights"):
        effective_modes(np.array([0.5, 0.6]))


def test_bad_inputs():
    X = np.zeros((3, 2))
    prior = MemorizedPrior(X, sigma=1.0)
    A = np.eye(2)
    with pytest.raises(ValueError, match="noise_std"):
        linear_posterior(prior, A, np.zeros(2), 0.0)
    with pytest.raises(ValueError, match="noise_std"):
        linear_posterior(prior, A, np.zeros(2), -1)
    with pytest.raises(ValueError, match="A must have shape"):
        linear_posterior(prior, np.eye(3), np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="y must have shape"):
        linear_posterior(prior, A, np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="A"):
        linear_posterior(prior, np.array([[np.nan, 0], [0, 1]]), np.zeros(2), 1.0)
    with pytest.raises(ValueError, match="covs"):
        GaussianMixture(np.ones(3), X, np.zeros((2, 2)))  # singular component covariance


def test_singular_operator_is_reported():
    X = np.zeros((3, 2))
    # rank-one operator against negligible noise: evidence covariance numerically singular
    A = 1e6 * np.ones((2, 2))
    with pytest.raises(ValueError, match="singular"):
        linear_posterior(GaussianMixture(np.ones(3), X, np.eye(2)), A, np.zeros(2), 1e-6)
    with pytest.raises(ValueError, match="singular"):
        linear_posterior(MemorizedPrior(X, sigma=1.0), 1e200 * np.eye(2), np.zeros(2), 1e-100)
