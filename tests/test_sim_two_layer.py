"""Two-layer network learner (PyTorch, optional extra ``neural``)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from memtheory.simulations import raf as sim  # noqa: E402
from memtheory.simulations.raf.datasets import make_raf_data  # noqa: E402
from memtheory.simulations.raf.two_layer import fit_two_layer  # noqa: E402

pytestmark = pytest.mark.torch


def _data(n=60, d=20, seed=0):
    data = make_raf_data(n, d, 0.2, np.random.default_rng(seed))
    X_test = np.random.default_rng(seed + 1).standard_normal((50, d))
    return data, X_test


def test_outputs_match_numpy_forward_and_objective_is_stationary():
    data, X_test = _data()
    lam = 0.5
    fit = fit_two_layer(data.X, data.y, X_test, loss="square", lam=lam, width=32, steps=3000, lr=1e-2,
                        activation="tanh", seed=3, threads=1)
    d, width = data.X.shape[1], fit.a.size
    # Independent numpy forward pass with the returned weights.
    H = np.tanh(data.X @ fit.W.T / np.sqrt(d))
    f = H @ fit.a / np.sqrt(width)
    np.testing.assert_allclose(fit.train_outputs, f, atol=1e-4)
    np.testing.assert_allclose(fit.test_outputs, np.tanh(X_test @ fit.W.T / np.sqrt(d)) @ fit.a / np.sqrt(width), atol=1e-4)
    # Stationarity of Σ ℓ + (λ/2)‖θ‖² (numpy gradient), relative to the size of the penalty term.
    r = f - data.y
    grad_a = H.T @ r / np.sqrt(width) + lam * fit.a
    grad_W = ((r[:, None] * fit.a[None, :] / np.sqrt(width)) * (1 - H**2)).T @ data.X / np.sqrt(d) + lam * fit.W
    assert fit.converged
    assert np.linalg.norm(grad_a) < 1e-2 * lam * np.linalg.norm(fit.a) + 1e-3
    assert np.linalg.norm(grad_W) < 1e-2 * lam * np.linalg.norm(fit.W) + 1e-3


def test_same_seed_same_network_and_flag_on_too_few_steps():
    kw = dict(learner="two_layer", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=20, width=16, lr=1e-2,
              n_test=200, threads=1, device="cpu")
    with pytest.warns(RuntimeWarning, match="plateau"):
        r1 = sim.simulate(steps=20, seeds=[4], **kw)
    assert not r1.all_converged
    with pytest.warns(RuntimeWarning):
        r2 = sim.simulate(steps=20, seeds=[4], **kw)
    np.testing.assert_array_equal(r1.gen_error, r2.gen_error)


def test_sign_activation_rejected_for_gradient_training():
    with pytest.raises(ValueError, match="activation"):
        sim.simulate(learner="two_layer", activation="sign", d=10, seeds=1)


@pytest.mark.slow
def test_network_memorises_facts_beyond_linear_capacity():
    # α = 4 > α_c(0.2) ≈ 2.99 (docs/theory/raf.md §6): no linear classifier separates the training set, so the
    # linear learner cannot store all facts; a network with width·d ≫ n can, while learning the rule.
    common = dict(loss="logistic", lam=1e-2, alpha=4.0, epsilon=0.2, d=100, seeds=3)
    lin = sim.simulate(learner="linear", **common)
    net = sim.simulate(learner="two_layer", width=512, steps=2000, lr=1e-2, n_test=4000, threads=1, **common)
    assert lin.all_converged and net.all_converged
    assert lin.mean("mem_error") > 0.05
    assert net.mean("mem_error") < 0.01
    assert net.mean("gen_error") < 0.4
