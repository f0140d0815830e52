"""Linearized mixture posterior (docs/theory/posterior.md §3), SVD reading (§4.1), lookup limit (§5), σ_crit (§4.2), t_C (§9.3)."""

import math

import numpy as np
import pytest

from memtheory.solvers.inverse_problems.stylized import grid_posterior, problem_1d, problem_2d
from memtheory.solvers.posterior import (
    MemorizedPrior,
    collapse_sigma,
    collapse_snr,
    collapse_time,
    linear_posterior,
    linearized_posterior,
    lookup_weights,
    sigma_crit,
    stylized_sigma_crit,
    svd_reading,
)

P1 = problem_1d()
FINE_1D = [np.linspace(-6, 6, 200_001)]  # the docs/theory/posterior.md §5 quadrature grid


def _lin(sigma, **kw):
    return linearized_posterior(MemorizedPrior(P1.x_train, sigma=sigma), P1.forward, P1.jacobian, P1.y, 0.3, **kw)


# ---- docs/theory/posterior.md §5 test values ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "sigma, expected",
    [(0.5, [0.0572, 0.4174, 0.4174, 0.0983, 0.0097]), (0.3, [0.0110, 0.4782, 0.4782, 0.0324, 0.0003])],
)
def test_linearized_weights_with_logdet_spec11(sigma, expected):
    np.testing.assert_allclose(_lin(sigma).weights, expected, atol=5e-5)


def test_linearized_weights_without_logdet_match_released_code_values():
    np.testing.assert_allclose(_lin(0.5, include_logdet=False).weights, [0.114, 0.347, 0.347, 0.150, 0.042], atol=5e-4)


def test_linearized_components_spec6():
    post = _lin(0.5)
    np.testing.assert_allclose(post.means[:, 0], [-0.701, -0.113, 0.113, 0.499, 1.424], atol=5e-4)
    np.testing.assert_allclose(post.covs[:, 0, 0], [0.0095, 0.0539, 0.0539, 0.0160, 0.0020], atol=5e-5)
    np.testing.assert_allclose(_lin(0.3).means[:, 0], [-0.751, -0.192, 0.192, 0.571, 1.439], atol=5e-4)
    np.testing.assert_allclose(_lin(0.05).means[:, 0], [-1.332, -0.387, 0.387, 1.104, 1.904], atol=5e-4)


@pytest.mark.parametrize(
    "sigma, expected",
    [(0.5, [0.0178, 0.4595, 0.4595, 0.0631, 0.0]), (0.3, [0.0006, 0.4953, 0.4953, 0.0087, 0.0]), (0.05, [0, 0.5, 0.5, 0, 0])],
)
def test_exact_weights_by_quadrature_spec11(sigma, expected):
    g = grid_posterior(P1.forward, P1.x_train, P1.y, sigma, 0.3, FINE_1D)
    np.testing.assert_allclose(g.weights, expected, atol=5e-5)


def test_lookup_limit_spec11():
    w = lookup_weights(P1.forward, P1.x_train, P1.y, 0.3)
    np.testing.assert_allclose(w, [0, 0.5, 0.5, 0, 0], atol=1e-6)
    # the 1.2 example: F = 1.7184, weight exp(-(F^2 - F(0.4)^2) / 0.18) / 2 relative to a ±0.4 example
    F = P1.forward(P1.x_train[:, 0])
    assert w[3] / w[1] == pytest.approx(math.exp(-(F[3] ** 2 - F[2] ** 2) / 0.18), rel=1e-10)


# ---- the determinant matters; linearization converges as sigma -> 0 ----------------------------
@pytest.mark.parametrize("problem", [P1, problem_2d()], ids=["1d", "2d"])
def test_logdet_brings_weights_closer_to_exact(problem):
    axes = FINE_1D if problem.x_train.shape[1] == 1 else [
        np.linspace(problem.x_train[:, k].min() - 1.5, problem.x_train[:, k].max() + 1.5, 500) for k in range(2)
    ]
    for sigma in (0.5, 0.3):
        exact = grid_posterior(problem.forward, problem.x_train, problem.y, sigma, 0.3, axes).weights
        prior = MemorizedPrior(problem.x_train, sigma=sigma)
        with_det = linearized_posterior(prior, problem.forward, problem.jacobian, problem.y, 0.3).weights
        no_det = linearized_posterior(prior, problem.forward, problem.jacobian, problem.y, 0.3, include_logdet=False).weights
        assert np.abs(with_det - exact).sum() < np.abs(no_det - exact).sum()


def test_linearized_converges_to_exact_and_lookup_as_sigma_vanishes():
    errs = []
    for sigma in (0.3, 0.1, 0.05):
        exact = grid_posterior(P1.forward, P1.x_train, P1.y, sigma, 0.3, FINE_1D)
        errs.append(np.abs(_lin(sigma).weights - exact.weights).sum())
    assert errs[0] > errs[1] > errs[2] and errs[2] < 1e-6
    lw = lookup_weights(P1.forward, P1.x_train, P1.y, 0.3)
    tiny = _lin(1e-5)
    np.testing.assert_allclose(tiny.weights, lw, atol=1e-9)
    np.testing.assert_allclose(tiny.means, P1.x_train, atol=1e-8)


def test_lookup_weights_random_2d_against_direct_formula():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 2))
    p = problem_2d()
    y = np.array([0.4, -0.1])
    r2 = np.sum((p.forward(X) - y) ** 2, axis=1)
    w = np.exp(-(r2 - r2.min()) / (2 * 0.09))
    np.testing.assert_allclose(lookup_weights(p.forward, X, y, 0.3), w / w.sum(), rtol=1e-12)
    tiny = linearized_posterior(MemorizedPrior(X, sigma=1e-6), p.forward, p.jacobian, y, 0.3)
    np.testing.assert_allclose(tiny.weights, w / w.sum(), atol=1e-8)


# ---- linear F: linearization is exact; Jacobian sources -----------------------------------------
def test_linear_forward_linearization_is_exact_all_jacobian_sources():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 3))
    A = rng.standard_normal((4, 3))
    y = rng.standard_normal(4)
    prior = MemorizedPrior(X, sigma=0.4)
    exact = linear_posterior(prior, A, y, 0.25)
    for jac in (lambda x: A, "fd"):
        lin = linearized_posterior(prior, lambda x: A @ x, jac, y, 0.25)
        np.testing.assert_allclose(lin.weights, exact.weights, rtol=1e-7, atol=1e-12)
        np.testing.assert_allclose(lin.means, exact.means, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(lin.covs, np.broadcast_to(exact.covs, lin.covs.shape), rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(lin.cov(), exact.cov(), rtol=1e-7, atol=1e-10)
        assert lin.log_evidence == pytest.approx(exact.log_evidence, rel=1e-8)
    batched = linearized_posterior(prior, lambda Z: Z @ A.T, lambda Z: np.broadcast_to(A, (Z.shape[0], 4, 3)), y, 0.25, batched=True, chunk=3)
    np.testing.assert_allclose(batched.weights, exact.weights, rtol=1e-10)


@pytest.mark.torch
def test_autograd_jacobian_matches_explicit():
    torch = pytest.importorskip("torch")
    p = problem_2d()
    prior = MemorizedPrior(p.x_train, sigma=0.3)

    def f_torch(x):
        return torch.stack([x[0] + 0.3 * x[0] * x[1], x[1] + 0.2 * x[0] ** 2])

    ag = linearized_posterior(prior, f_torch, "autograd", p.y, 0.3)
    ex = linearized_posterior(prior, p.forward, p.jacobian, p.y, 0.3)
    np.testing.assert_allclose(ag.weights, ex.weights, rtol=1e-12)
    np.testing.assert_allclose(ag.means, ex.means, rtol=1e-12)


# ---- SVD reading (§4.1) ---------------------------------------------------------------------------
def test_svd_reading_matches_component_moments():
    rng = np.random.default_rng(2)
    d, m = 5, 3  # J has a 2-dimensional null space
    J = rng.standard_normal((m, d))
    xn = rng.standard_normal(d)
    y = rng.standard_normal(m)
    sigma, gamma = 0.7, 0.2
    post = linear_posterior(MemorizedPrior(xn[None], sigma=sigma), J, y, gamma)
    rd = svd_reading(J, y - J @ xn, sigma, gamma)
    V = rd.right_vectors
    np.testing.assert_allclose(V.T @ (post.means[0] - xn), rd.shifts, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.sqrt(np.diag(V.T @ post.covs @ V)), rd.stds, rtol=1e-10)
    # null space: width sigma, no shift
    Q = np.linalg.svd(J)[2][m:].T
    np.testing.assert_allclose(Q.T @ post.covs @ Q, sigma**2 * np.eye(d - m), atol=1e-12)
    np.testing.assert_allclose(Q.T @ (post.means[0] - xn), 0, atol=1e-12)
    # limits: sigma s >> gamma -> Gauss-Newton step u^T r / s and width gamma / s
    big = svd_reading(J, y - J @ xn, 1e4, gamma)
    U, s, _ = np.linalg.svd(J, full_matrices=False)
    np.testing.assert_allclose(big.shifts, U.T @ (y - J @ xn) / s, rtol=1e-6)
    np.testing.assert_allclose(big.stds, gamma / s, rtol=1e-6)


# ---- sigma_crit and collapse ---------------------------------------------------------------------
def test_sigma_crit_spec11():
    got = [stylized_sigma_crit(n, 0.3) for n in (3, 5, 10, 20, 100)]
    np.testing.assert_allclose(got, [0.3750, 0.2985, 0.2157, 0.1542, 0.0696], atol=5e-5)
    assert sigma_crit(3.0, 0.3, 6.4) == pytest.approx(0.375)
    with pytest.raises(ValueError, match="noise_std"):
        sigma_crit(1.0, 0.0, 1.0)


def test_collapse_formulas_consistent():
    N, d = 1000, 100
    snr = collapse_snr(N, d)
    assert snr == pytest.approx(N ** (2 / d) - 1)
    # OU: abar = exp(-2t); SNR = abar / (1 - abar)
    ab = math.exp(-2 * collapse_time(N, d))
    assert ab / (1 - ab) == pytest.approx(snr)
    assert collapse_sigma(N, d) == pytest.approx(1 / math.sqrt(snr))
    # docs/theory/posterior.md §4: sigma_C for d=100, N=50/200/1000
    np.testing.assert_allclose([collapse_sigma(n, 100) for n in (50, 200, 1000)], [3.50, 2.99, 2.60], atol=0.01)


def test_collapse_crossover_monte_carlo():
    """Mean weight of the originating example crosses ~1/2 at the predicted SNR (docs/theory/posterior.md §4)."""
    rng = np.random.default_rng(7)
    N, d, trials = 200, 50, 150
    snr_c = collapse_snr(N, d)
    means = {}
    for c in (0.5, 1.0, 2.0):
        ab = c * snr_c / (1 + c * snr_c)
        w0 = []
        for _ in range(trials):
            X = rng.standard_normal((N, d))
            x = math.sqrt(ab) * X[0] + math.sqrt(1 - ab) * rng.standard_normal(d)
            w0.append(MemorizedPrior.vp(X, ab).responsibilities(x)[0])
        means[c] = float(np.mean(w0))
    assert means[0.5] < 0.35 < 0.4 < means[1.0] < 0.7 < 0.85 < means[2.0]


def test_linearized_bad_inputs():
    prior = MemorizedPrior(P1.x_train, sigma=0.3)
    with pytest.raises(ValueError, match="noise_std"):
        linearized_posterior(prior, P1.forward, P1.jacobian, P1.y, 0.0)
    with pytest.raises(ValueError, match="jacobian"):
        linearized_posterior(prior, P1.forward, "magic", P1.y, 0.3)
    with pytest.raises(ValueError, match="jacobian must return shape"):
        linearized_posterior(prior, P1.forward, lambda x: np.ones((2, 1)), P1.y, 0.3)
    with pytest.raises(ValueError, match="y must have shape"):
        linearized_posterior(prior, P1.forward, P1.jacobian, np.zeros(2), 0.3)
    with pytest.raises(ValueError, match="forward"):
        lookup_weights(lambda x: np.nan * x, P1.x_train, P1.y, 0.3)
    with pytest.raises(ValueError, match="jacobian.*singular"):
        linearized_posterior(prior, P1.forward, lambda x: np.array([[1e200]]), P1.y, 0.3)
    p2 = problem_2d()
    with pytest.raises(ValueError, match="jacobian.*singular"):  # one direction sigma s / gamma = 1e9: condition 1e18
        linearized_posterior(MemorizedPrior(p2.x_train, sigma=1.0), p2.forward, lambda x: np.diag([1e9, 0.0]), p2.y, 1.0)
