"""Tiny PyTorch diffusion model (simulations/diffusion.py) against the exact memorized denoiser (docs/theory/posterior.md §1)."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

from memtheory.simulations.diffusion import (  # noqa: E402
    DiffusionConfig,
    dps_sample_learned,
    train_memorizing_denoiser,
)
from memtheory.studies.diffusion import compare_with_exact  # noqa: E402
from memtheory.solvers.posterior import MemorizedPrior  # noqa: E402


@pytest.fixture(scope="module")
def trained():
    X = 1.5 * np.random.default_rng(0).standard_normal((6, 2))
    return X, train_memorizing_denoiser(X, DiffusionConfig(steps=400, hidden=64, batch=128, seed=0))


def test_training_moves_toward_the_memorized_denoiser(trained):
    X, tr = trained
    assert tr.losses[-100:].mean() < 0.85 * tr.losses[:50].mean()
    rng = np.random.default_rng(1)
    mu, C = X.mean(0), np.cov(X.T, bias=True)
    for t in (50, 100):
        ab = tr.alpha_bars[t]
        idx = rng.integers(0, 6, 256)
        xt = math.sqrt(ab) * X[idx] + math.sqrt(1 - ab) * rng.standard_normal((256, 2))
        exact = MemorizedPrior.vp(X, ab).denoise(xt)
        # Gaussian (non-memorizing) MMSE denoiser fitted to the same examples: the reference to beat
        S = ab * C + (1 - ab) * np.eye(2)
        gauss = mu + (math.sqrt(ab) * C @ np.linalg.solve(S, (xt - math.sqrt(ab) * mu).T)).T
        learned = tr.denoise(xt, t)
        assert np.linalg.norm(learned - exact) < 0.8 * np.linalg.norm(gauss - exact)


def test_compare_with_exact_reports(trained):
    X, tr = trained
    out = compare_with_exact(tr, X, n_probe=64, steps=(0, 100))
    assert out["denoiser_distance"].shape == (2,)
    assert np.all(np.isfinite(out["denoiser_distance"]))
    # at the smallest noise the denoiser is nearly the identity on data: small error
    assert out["denoiser_distance"][0] < 0.1
    assert 0.0 <= out["memorization_rate"] <= 1.0


def test_network_vjp_matches_finite_differences(trained):
    X, tr = trained
    rng = np.random.default_rng(2)
    x, v = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    h = 1e-6
    J = np.stack([(tr.denoise(x + h * e, 80) - tr.denoise(x - h * e, 80)) / (2 * h) for e in np.eye(2)], axis=2)
    np.testing.assert_allclose(tr.vjp(x, 80, v), np.einsum("bij,bi->bj", J, v), rtol=1e-5, atol=1e-7)


def test_dps_with_learned_model_runs(trained):
    X, tr = trained
    A = np.array([[1.0, 0.5]])
    y = A @ X[0]

    def misfit_grad(x):
        r = A @ x - y
        return 0.5 * float(r @ r) / 0.01, A.T @ r / 0.01

    s = dps_sample_learned(tr, misfit_grad, 8, step=0.01, through_network=False, seed=3)
    assert s.shape == (8, 2) and np.all(np.isfinite(s))
    with pytest.raises(ValueError, match="step"):
        dps_sample_learned(tr, misfit_grad, 2, step=0.0)


def test_bad_config():
    with pytest.raises(ValueError, match="steps"):
        DiffusionConfig(steps=0)
    with pytest.raises(ValueError, match="x_train"):
        train_memorizing_denoiser(np.full((3, 2), np.nan), DiffusionConfig(steps=1))


def test_dps_learned_and_exact_against_closed_form(trained):
    from memtheory.studies.diffusion import compare_dps

    X, tr = trained
    A = np.array([[1.0, 0.5]])
    out = compare_dps(tr, X, A, A @ X[0], 0.3, n_samples=128, step=0.005, seed=0)
    w = out["closed_form_weights"]
    assert abs(w.sum() - 1) < 1e-12
    for key in ("dps_exact_freq", "dps_learned_freq"):
        assert np.argmax(out[key]) == np.argmax(w)
        assert 0.5 * np.abs(out[key] - w).sum() < 0.25  # total-variation distance of component usage
    assert out["dps_exact_memorization"] > 0.9  # exact score: samples are copies of examples
