"""Memorized prior (docs/theory/posterior.md §1): density, score, denoiser, VP form, chunking, stability, validation."""

import math

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from memtheory.solvers.posterior import MemorizedPrior, linear_schedule


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    return rng.standard_normal((7, 3)), rng.standard_normal((5, 3))


def _brute_log_density(X, x, sigma, scale=1.0):
    comps = np.array([multivariate_normal(scale * xn, sigma**2 * np.eye(X.shape[1])).pdf(x) for xn in X])
    return np.log(comps.mean(axis=0))


@pytest.mark.parametrize("sigma", [0.3, 1.7])
def test_log_density_matches_sum_of_gaussians(data, sigma):
    X, x = data
    got = MemorizedPrior(X, sigma=sigma).log_density(x)
    np.testing.assert_allclose(got, _brute_log_density(X, x, sigma), rtol=1e-12, atol=1e-12)


def test_blocking_does_not_change_results(data):
    X, x = data
    big = MemorizedPrior(X, sigma=0.4)
    tiny = MemorizedPrior(X, sigma=0.4, block_elems=2)  # one training point per block
    np.testing.assert_allclose(tiny.log_density(x), big.log_density(x), rtol=1e-13)
    np.testing.assert_allclose(tiny.denoise(x), big.denoise(x), rtol=1e-12, atol=1e-14)


def test_score_is_gradient_of_log_density(data):
    X, x = data
    prior = MemorizedPrior(X, sigma=0.6)
    h = 1e-5
    fd = np.stack(
        [(prior.log_density(x + h * e) - prior.log_density(x - h * e)) / (2 * h) for e in np.eye(3)], axis=1
    )
    np.testing.assert_allclose(prior.score(x), fd, rtol=1e-7, atol=1e-7)


def test_denoiser_is_softmax_average_and_tweedie(data):
    X, x = data
    prior = MemorizedPrior(X, sigma=0.5)
    d2 = ((x[:, None, :] - X[None]) ** 2).sum(-1)
    w = np.exp(-d2 / (2 * 0.25))
    w /= w.sum(1, keepdims=True)
    np.testing.assert_allclose(prior.responsibilities(x), w, rtol=1e-12)
    np.testing.assert_allclose(prior.denoise(x), w @ X, rtol=1e-12)
    np.testing.assert_allclose(prior.denoise(x), x + 0.25 * prior.score(x), rtol=1e-12)


def test_vp_form_density_eps_and_ve_map(data):
    X, x = data
    ab = 0.37
    vp = MemorizedPrior.vp(X, ab)
    np.testing.assert_allclose(vp.log_density(x), _brute_log_density(X, x, math.sqrt(1 - ab), math.sqrt(ab)), rtol=1e-12)
    # eps* = (x - sqrt(ab) D) / sqrt(1 - ab) and score = -eps*/sqrt(1 - ab)
    np.testing.assert_allclose(vp.score(x), -vp.eps_prediction(x) / math.sqrt(1 - ab), rtol=1e-12)
    # VP <-> VE: x_t / sqrt(ab) is a VE point with sigma^2 = (1 - ab)/ab; same denoiser.
    ve = MemorizedPrior(X, sigma=math.sqrt((1 - ab) / ab))
    np.testing.assert_allclose(vp.denoise(x), ve.denoise(x / math.sqrt(ab)), rtol=1e-12)


def test_schedule_sigma_range():
    s = linear_schedule()
    assert s.nt == 200
    assert abs(s.sigma_ve[0] - 0.0100) < 1e-4
    assert abs(s.sigma_ve[-1] - 2.56) < 0.01
    assert abs(s.alpha_bars[-1] - 0.132) < 1e-3


def test_single_point_input_and_sampling(data):
    X, x = data
    prior = MemorizedPrior(X, sigma=0.1)
    assert np.ndim(prior.log_density(x[0])) == 0
    assert prior.score(x[0]).shape == (3,)
    s = prior.sample(4000, np.random.default_rng(0))
    # each sample lies within a few sigma of some training point
    d = np.sqrt(((s[:, None, :] - X[None]) ** 2).sum(-1)).min(1)
    assert np.quantile(d, 0.99) < 0.1 * 4.5


def test_stability_small_sigma_large_set():
    rng = np.random.default_rng(3)
    N, d, sigma = 20_000, 1000, 1e-3
    X = rng.standard_normal((N, d))
    prior = MemorizedPrior(X, sigma=sigma)
    x = X[[5, 17]] + 0.5 * sigma * rng.standard_normal((2, d))
    far = 50.0 * rng.standard_normal((2, d))
    pts = np.vstack([x, far])
    for out in (prior.log_density(pts), prior.score(pts), prior.denoise(pts)):
        assert np.all(np.isfinite(out))
    np.testing.assert_allclose(prior.denoise(x), X[[5, 17]], atol=1e-12)


@pytest.mark.slow
def test_stability_issue_size():
    rng = np.random.default_rng(4)
    N, d, sigma = 100_000, 1000, 1e-3
    X = rng.standard_normal((N, d))
    prior = MemorizedPrior(X, sigma=sigma)
    pts = np.vstack([X[:3] + 1e-4 * rng.standard_normal((3, d)), 30 * rng.standard_normal((3, d))])
    for out in (prior.log_density(pts), prior.score(pts), prior.eps_prediction(pts)):
        assert np.all(np.isfinite(out))
    np.testing.assert_allclose(prior.denoise(pts[:3]), X[:3], atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(sigma=0.0), "sigma"),
        (dict(sigma=-1.0), "sigma"),
        (dict(sigma=float("nan")), "sigma"),
        (dict(sigma=1.0, scale=1.5), "scale"),
    ],
)
def test_bad_parameters(data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        MemorizedPrior(data[0], **kwargs)


def test_bad_inputs(data):
    X, x = data
    prior = MemorizedPrior(X, sigma=1.0)
    with pytest.raises(ValueError, match="x must have shape"):
        prior.score(np.ones((2, 4)))
    with pytest.raises(ValueError, match="x"):
        prior.denoise(np.full((1, 3), np.nan))
    with pytest.raises(ValueError, match="x_train"):
        MemorizedPrior(np.ones(3), sigma=1.0)
    with pytest.raises(ValueError, match="alpha_bar"):
        MemorizedPrior.vp(X, 1.0)
