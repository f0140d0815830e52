"""Public API of memtheory.solvers.raf and the `memtheory raf` CLI: shapes, validation, non-convergence."""

import json
import math
import subprocess
import sys
from dataclasses import FrozenInstanceError

import numpy as np
import pytest

from memtheory.cli import main
from memtheory.solvers import raf


@pytest.mark.parametrize("learner", ["linear", "kernel", "random_features"])
@pytest.mark.parametrize("loss", ["square", "hinge", "logistic"])
def test_every_learner_and_loss_solves(learner, loss):
    model = {"linear": raf.Linear(loss=loss, lam=0.1),
             "kernel": raf.Kernel(loss=loss, lam=0.1, activation="sign"),
             "random_features": raf.RandomFeatures(loss=loss, lam=0.5, kappa=2.0, activation="erf")}[learner]
    res = raf.solve(model, alpha=2.0, epsilon=0.2)
    assert res.converged and res.residual < 1e-10 and res.iterations > 0
    assert 0 < res.gen_error < 0.5 and 0 <= res.mem_error <= 0.5
    assert 0 <= res.rule_train_error <= 0.5 and res.train_loss > 0
    assert res.bayes_error <= res.gen_error + 1e-12  # nothing beats Bayes-optimal
    assert res.overlaps  # names as in the spec
    assert json.dumps(res.as_dict(), default=str)


def test_bayes_optimal_has_no_memorization_error():
    res = raf.solve(raf.BayesOptimal(), alpha=2.0, epsilon=0.2)
    assert res.converged and math.isnan(res.mem_error) and res.gen_error == res.bayes_error


def test_sweep_shapes_and_agreement_with_solve():
    model = raf.Linear(loss="hinge", lam=0.1)
    alpha = np.linspace(0.5, 4.0, 7)
    eps = np.linspace(0.0, 1.0, 5)
    grid = raf.sweep(model, alpha=alpha, epsilon=eps)
    assert grid.gen_error.shape == (7, 5) and grid.mem_error.shape == (7, 5)
    assert grid.converged.all() and not grid.coexistence.any()
    for i, j in [(0, 0), (3, 2), (6, 4)]:
        ref = raf.solve(model, alpha=alpha[i], epsilon=eps[j])
        assert grid.gen_error[i, j] == pytest.approx(ref.gen_error, abs=1e-9)
        assert grid.mem_error[i, j] == pytest.approx(ref.mem_error, abs=1e-9)


def test_sweep_over_lambda_and_kappa():
    model = raf.RandomFeatures(loss="square", lam=0.1, kappa=1.0, activation="sign")
    grid = raf.sweep(model, alpha=2.0, epsilon=0.2, lam=[0.01, 0.1], kappa=[1.0, 2.0, 5.0])
    assert grid.gen_error.shape == (2, 3)
    assert grid.gen_error[1, 1] == pytest.approx(0.36993, abs=5e-6)  # docs/theory/raf.md §11 (κ = 2, λ = 0.1)


def test_sweep_through_the_separability_threshold_switches_regime():
    grid = raf.sweep(raf.Linear("hinge", 0.0), alpha=np.array([1.0, 2.0, 4.0]), epsilon=0.2)
    assert grid.converged.all()
    assert grid.mem_error[0] == 0.0 and grid.mem_error[1] == 0.0 and grid.mem_error[2] > 0


def test_non_convergence_is_reported_not_hidden():
    with pytest.warns(raf.SaddlePointWarning):
        res = raf.solve(raf.Linear("hinge", 0.1), alpha=2.0, epsilon=0.2, max_iter=2, memory=0)
    assert not res.converged and res.residual > 1e-10 and "not converged" in res.message


def test_models_are_frozen():
    with pytest.raises(FrozenInstanceError):
        raf.Linear().lam = 3.0


@pytest.mark.parametrize("kwargs,match", [
    (dict(alpha=0.0, epsilon=0.2), "alpha"),
    (dict(alpha=-1.0, epsilon=0.2), "alpha"),
    (dict(alpha=float("nan"), epsilon=0.2), "alpha"),
    (dict(alpha=2.0, epsilon=1.5), "epsilon"),
    (dict(alpha=2.0, epsilon=float("inf")), "epsilon"),
])
def test_bad_points_raise_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        raf.solve(raf.Linear(), **kwargs)


@pytest.mark.parametrize("factory,match", [
    (lambda: raf.Linear(lam=-0.1), "lam"),
    (lambda: raf.Linear(loss="cross-entropy"), "loss"),
    (lambda: raf.Kernel(activation="swish"), "activation"),
    (lambda: raf.RandomFeatures(kappa=0.0), "kappa"),
    (lambda: raf.RandomFeatures(kappa=float("nan")), "kappa"),
    (lambda: raf.RandomFeatures(lam=0.0), "lam"),
    (lambda: raf.Kernel(mu1=0.5), "mu1 and mu_star"),
])
def test_bad_models_raise_value_error(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_logistic_without_ridge_on_separable_data_is_an_error():
    with pytest.raises(ValueError, match="no finite minimizer"):
        raf.solve(raf.Linear("logistic", 0.0), alpha=1.0, epsilon=0.2)
    res = raf.solve(raf.Linear("logistic", 0.0), alpha=4.0, epsilon=0.2)  # not separable: finite minimiser
    assert res.converged and res.regime == "unregularized"


def test_sweep_rejects_bad_axes():
    with pytest.raises(ValueError, match="alpha"):
        raf.sweep(raf.Linear(), alpha=[1.0, np.nan], epsilon=0.2)
    with pytest.raises(ValueError, match="kappa"):
        raf.sweep(raf.Linear(), alpha=[1.0], epsilon=0.2, kappa=[1.0])


def test_cli_solve_prints_one_json_object(capsys):
    rc = main(["raf", "solve", "--learner", "kernel", "--loss", "hinge", "--alpha", "2", "--epsilon", "0.2",
               "--lam", "0.1", "--activation", "sign"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["converged"] and out["gen_error"] == pytest.approx(0.25099, abs=5e-6)
    for key in ("mem_error", "rule_train_error", "train_loss", "bayes_error", "residual", "iterations", "overlaps"):
        assert key in out


@pytest.mark.parametrize("argv", [
    ["raf", "solve", "--learner", "linear", "--alpha", "-1", "--epsilon", "0.2"],
    ["raf", "solve", "--learner", "linear", "--alpha", "2", "--epsilon", "2"],
    ["raf", "solve", "--learner", "svm", "--alpha", "2", "--epsilon", "0.2"],  # unknown (perceptron is linear)
    ["raf", "solve", "--learner", "linear", "--loss", "mse", "--alpha", "2", "--epsilon", "0.2"],
    ["raf", "solve", "--learner", "rf", "--kappa", "0", "--alpha", "2", "--epsilon", "0.2"],
])
def test_cli_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("memtheory: error:")


def test_python_dash_m_entry_point():
    proc = subprocess.run([sys.executable, "-m", "memtheory", "raf", "thresholds", "--epsilon", "0.2"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["separability_threshold"] == pytest.approx(2.992, abs=5e-4)


def test_parallel_sweep_matches_serial():
    model = raf.Kernel("square", 0.2, activation="sign")
    alpha = np.linspace(0.5, 3.0, 6)
    eps = np.linspace(0.0, 0.9, 4)
    serial = raf.sweep(model, alpha=alpha, epsilon=eps, workers=1)
    parallel = raf.sweep(model, alpha=alpha, epsilon=eps, workers=2)
    # chunk boundaries start cold: same fixed point, reached to within the tolerance
    np.testing.assert_allclose(parallel.gen_error, serial.gen_error, rtol=1e-9)
    np.testing.assert_allclose(parallel.mem_error, serial.mem_error, rtol=1e-8, atol=1e-300)
    assert parallel.converged.all()


def test_small_cholesky_solve_matches_numpy():
    from memtheory.solvers.fixed_point import _cholesky_solve

    rng = np.random.default_rng(3)
    for n in range(1, 9):
        m = rng.normal(size=(n + 3, n))
        a = m.T @ m + 1e-3 * np.eye(n)
        b = rng.normal(size=n)
        np.testing.assert_allclose(_cholesky_solve(a.copy(), b, n), np.linalg.solve(a, b), rtol=1e-10)


def test_sweep_of_ridgeless_least_squares_skips_the_interpolation_peak():
    grid = raf.sweep(raf.Linear("square", 0.0), alpha=np.array([0.5, 1.0, 2.0]), epsilon=0.2, warn=False)
    assert grid.converged.tolist() == [True, False, True]
    assert np.isnan(grid.gen_error[1])
    assert grid.gen_error[2] == pytest.approx(0.27963, abs=5e-6)  # docs/theory/raf.md §11 (OLS)
