"""Twisted SMC posterior sampler: with the exact memorized denoiser it reproduces the closed-form mixture posterior."""

import numpy as np
import pytest

from memtheory.solvers.inverse_problems.dps import MemorizedDenoiser, dps_sample
from memtheory.solvers.inverse_problems.twisted_smc import twisted_smc_sample
from memtheory.solvers.posterior.gaussian_mixture import linear_posterior
from memtheory.solvers.posterior.prior import MemorizedPrior
from memtheory.solvers.posterior.sample_metrics import nearest_example_distribution, total_variation
from memtheory.solvers.posterior.schedule import linear_schedule


def _weights(X, sched, A, y, gamma):
    return linear_posterior(MemorizedPrior.vp(X, float(sched.alpha_bars[0])), A, y, gamma).weights


def test_exact_score_reproduces_mixed_closed_form_weights():
    """Data half-way between two training points, noise large enough that five of six examples carry weight.

    One returned row from each of G independent runs is one draw from the particle approximation, so
    its nearest-example frequencies have binomial standard errors sqrt(w(1-w)/G). SMC's own bias is
    O(1/K): with K = 64 particles it measured 0.02 in TV on this case (0.12, 0.04, 0.02, 0.017 at
    K = 4, 16, 64, 256), so the tolerance is 4 standard errors plus 0.03.
    """
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (6, 8))
    A = np.eye(8)[:4]
    sched = linear_schedule(50, 1e-4, 0.2)
    gamma = 0.3
    y = A @ (X[0] + X[1]) / 2
    w = _weights(X, sched, A, y, gamma)
    assert np.sum(w > 0.04) == 5  # a genuinely mixed posterior, not a lookup
    G = 200
    res = twisted_smc_sample(MemorizedDenoiser(X, sched), A, np.tile(y, (G, 1)), gamma, sched, 64,
                             np.random.default_rng(1))
    assert res.samples.shape == (G, 64, 8) and res.ess.shape == (G, 50)
    p = nearest_example_distribution(res.samples[:, 0, :], X)
    se = np.sqrt(w * (1 - w) / G)
    assert np.all(np.abs(p - w) <= 4 * se + 0.03), (p.round(3), w.round(3))
    # pooled over all particles the estimate is tighter still
    assert total_variation(w, nearest_example_distribution(res.samples.reshape(-1, 8), X)) < 0.06


def test_exact_score_finds_the_lookup_for_far_off_data():
    """The inpainting regime of the digits experiment: held-out truth, small noise, a one-hot lookup.

    DPS with the same exact denoiser puts a quarter of its samples on other training examples here
    (mean TV 0.25 at zeta = 0.03, 0.27 at 0.1 and 0.3); the twisted SMC must put all of them on the
    lookup's choice.
    """
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (10, 16))
    A = np.eye(16)[:8]
    sched = linear_schedule(100, 1e-4, 0.1)
    gamma = 0.05
    truths = rng.uniform(-1, 1, (8, 16))
    Y = truths @ A.T + gamma * rng.standard_normal((8, 8))
    den = MemorizedDenoiser(X, sched)
    res = twisted_smc_sample(den, A, Y, gamma, sched, 16, np.random.default_rng(4))
    tv_dps = []
    for j in range(8):
        w = _weights(X, sched, A, Y[j], gamma)
        assert w.max() > 0.999
        assert total_variation(w, nearest_example_distribution(res.samples[j], X)) < 1e-3

        def misfit_gradient(x0, y=Y[j]):
            r = A @ x0 - y
            return 0.5 * float(r @ r) / gamma**2, A.T @ r / gamma**2

        s = dps_sample(den, misfit_gradient, sched, 16, 16, np.random.default_rng(j), step=0.03,
                       through_denoiser=True).samples
        tv_dps.append(total_variation(w, nearest_example_distribution(s, X)))
    assert np.mean(tv_dps) > 0.1  # the contrast: DPS's own bias on the same problem


def test_single_data_vector_shape_and_bad_input():
    sched = linear_schedule(20, 1e-4, 0.2)
    den = MemorizedDenoiser(np.array([[-1.0, 0.0], [1.0, 0.0]]), sched)
    res = twisted_smc_sample(den, [[1.0, 0.0]], [0.9], 0.1, sched, 8, np.random.default_rng(0))
    assert res.samples.shape == (8, 2) and res.log_weights.shape == (1, 8)
    assert 1 <= res.n_unique[0] <= 8
    np.testing.assert_allclose(np.exp(res.log_weights).sum(), 1.0)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="noise_std"):
        twisted_smc_sample(den, [[1.0, 0.0]], [0.9], 0.0, sched, 8, rng)
    with pytest.raises(ValueError, match="n_particles"):
        twisted_smc_sample(den, [[1.0, 0.0]], [0.9], 0.1, sched, 0, rng)
    with pytest.raises(ValueError, match="ess_threshold"):
        twisted_smc_sample(den, [[1.0, 0.0]], [0.9], 0.1, sched, 8, rng, ess_threshold=1.5)
    with pytest.raises(ValueError, match="max_shift"):
        twisted_smc_sample(den, [[1.0, 0.0]], [0.9], 0.1, sched, 8, rng, max_shift=0)
    with pytest.raises(ValueError, match="y must have shape"):
        twisted_smc_sample(den, [[1.0, 0.0]], [0.9, 0.1], 0.1, sched, 8, rng)
    with pytest.raises(ValueError, match="y must contain only finite"):
        twisted_smc_sample(den, [[1.0, 0.0]], [np.nan], 0.1, sched, 8, rng)
