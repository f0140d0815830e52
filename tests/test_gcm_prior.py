"""The Gaussian-covariate prior: derivation, generated kernel, Σ = I limit, and an independent ridge check."""

import json
import math
import warnings

import numpy as np
import pytest
import scipy.linalg as sla
import sympy as sp
from threadpoolctl import threadpool_limits

from memtheory.cli import main
from memtheory.solvers import raf
from memtheory.theory import gcm
from memtheory.theory.priors import lam, m_hat, q_hat, V_hat, ridge_prior_update


def test_generated_gcm_kernel_is_reproduced_byte_for_byte():
    assert gcm.TARGET.read_text(encoding="utf-8") == gcm.render()


def test_mode_terms_reduce_to_the_ridge_prior_for_a_white_spectrum():
    terms = {k: v.subs({gcm.omega: 1, gcm.theta2: 1}) for k, v in gcm.mode_contributions().items()}
    ridge = ridge_prior_update()
    for name in ("m", "q", "V"):
        assert sp.simplify(terms[name] - ridge[name]) == 0


def test_mode_terms_are_the_effective_estimator_moments():
    # w_i = (m̂ ω θ + √(q̂ω) ξ)/(λ + V̂ω): m = E[ω θ w], q = E[ω w²], V = ∂E[√ω w ... ] response
    t = gcm.mode_contributions()
    w, th = gcm.omega, sp.sqrt(gcm.theta2)
    denom = lam + V_hat * w
    assert sp.simplify(t["m"] - w * th * (m_hat * w * th) / denom) == 0
    assert sp.simplify(t["q"] - w * ((m_hat * w * th) ** 2 + q_hat * w) / denom**2) == 0
    assert sp.simplify(t["V"] - w / denom) == 0


LOSS_LAM = [(loss, lam_) for loss in ("square", "hinge", "logistic") for lam_ in (0.0, 0.1, 1.0)
            if not (loss == "logistic" and lam_ == 0.0)]


@pytest.mark.parametrize("loss,lam_", LOSS_LAM)
def test_identity_covariance_reproduces_linear(loss, lam_):
    for alpha, eps in ((0.5, 0.2), (2.0, 0.3), (3.0, 0.0)):
        ref = raf.solve(raf.Linear(loss=loss, lam=lam_), alpha=alpha, epsilon=eps)
        got = raf.solve(raf.GaussianCovariate(loss, lam_, np.full(37, 2.5)), alpha=alpha, epsilon=eps)
        assert got.converged and got.regime == ref.regime
        for f in ("gen_error", "mem_error", "rule_train_error", "train_loss"):
            assert getattr(got, f) == pytest.approx(getattr(ref, f), abs=1e-9)


def test_identity_covariance_reproduces_linear_in_a_sweep():
    alphas, lams = np.array([0.5, 1.5, 3.0]), np.array([0.05, 1.0])
    ref = raf.sweep(raf.Linear(loss="hinge", lam=0.1), alpha=alphas, epsilon=0.2, lam=lams)
    got = raf.sweep(raf.GaussianCovariate("hinge", 0.1, np.ones(20)), alpha=alphas, epsilon=0.2, lam=lams)
    assert got.converged.all()
    np.testing.assert_allclose(got.gen_error, ref.gen_error, atol=1e-9)
    np.testing.assert_allclose(got.mem_error, ref.mem_error, atol=1e-9)


def test_teacher_norm_and_mode_order_do_not_matter():
    rng = np.random.default_rng(0)
    omega = rng.gamma(0.7, size=60)
    t2 = rng.exponential(size=60)
    base = raf.solve(raf.GaussianCovariate("logistic", 0.3, omega, t2), alpha=1.7, epsilon=0.25)
    scaled = raf.solve(raf.GaussianCovariate("logistic", 0.3, 4.0 * omega, 9.0 * t2), alpha=1.7, epsilon=0.25)
    perm = rng.permutation(60)
    shuffled = raf.solve(raf.GaussianCovariate("logistic", 0.3, omega[perm], t2[perm]), alpha=1.7, epsilon=0.25)
    for other in (scaled, shuffled):
        assert other.gen_error == pytest.approx(base.gen_error, abs=1e-10)
        assert other.mem_error == pytest.approx(base.mem_error, abs=1e-10)


def test_square_loss_fixed_point_satisfies_the_mode_sums():
    """At the solution, (m, q, V) equal the spectral traces of docs/theory/gcm.md evaluated in numpy."""
    omega = np.linspace(0.1, 3.0, 50)
    res = raf.solve(raf.GaussianCovariate("square", 0.2, omega), alpha=1.3, epsilon=0.4)
    om = omega / omega.mean()
    t2 = 1.0 / om.mean() * np.ones(50) / np.mean(om / om.mean())
    o = res.overlaps
    den = 0.2 + o["V_hat"] * om
    assert o["V"] == pytest.approx(np.mean(om / den), rel=1e-9)
    assert o["m"] == pytest.approx(o["m_hat"] * np.mean(om**2 * t2 / den), rel=1e-9)
    assert o["q"] == pytest.approx(np.mean(om**2 * (o["q_hat"] + o["m_hat"] ** 2 * om * t2) / den**2), rel=1e-9)
    # square channel in closed form: V̂ = α/(1 + V)
    assert o["V_hat"] == pytest.approx(1.3 / (1 + o["V"]), rel=1e-9)


def test_from_data_estimates_the_covariance():
    rng = np.random.default_rng(1)
    d = 30
    omega = np.linspace(0.2, 1.8, d)
    X = rng.standard_normal((200000, d)) * np.sqrt(omega)
    model = raf.GaussianCovariate.from_data(X, "square", 0.1, teacher=np.ones(d))
    np.testing.assert_allclose(np.sort(model.eigenvalues), omega, rtol=0.03)
    exact = raf.solve(raf.GaussianCovariate("square", 0.1, omega, np.ones(d)), alpha=2.0, epsilon=0.2)
    est = raf.solve(model, alpha=2.0, epsilon=0.2)
    assert est.gen_error == pytest.approx(exact.gen_error, abs=3e-3)


@pytest.mark.parametrize("kwargs,match", [
    (dict(eigenvalues=[1.0, -1.0]), "eigenvalues"),
    (dict(eigenvalues=[[1.0]]), "eigenvalues"),
    (dict(eigenvalues=[0.0, 0.0]), "eigenvalues"),
    (dict(eigenvalues=[1.0, np.nan]), "eigenvalues"),
    (dict(eigenvalues=[1.0, 2.0], teacher_weights=[1.0]), "teacher_weights"),
    (dict(eigenvalues=[1.0, 0.0], teacher_weights=[0.0, 1.0]), "teacher_weights"),
    (dict(eigenvalues=[1.0, 0.0], lam=0.0), "lam"),
    (dict(eigenvalues=[1.0], loss="absolute"), "loss"),
    (dict(eigenvalues=[1.0], lam=-1.0), "lam"),
])
def test_bad_input_is_a_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        raf.GaussianCovariate(**kwargs)


def _ridge_gen_mem(d, alpha, eps, lam_, omega, seed):
    """Closed-form ridge on x ~ N(0, diag ω), sign teacher with θ̃_i = ±1, exact population ε_gen."""
    rng = np.random.default_rng(seed)
    n = int(round(alpha * d))
    theta = rng.choice([-1.0, 1.0], size=d)
    X = rng.standard_normal((n, d)) * np.sqrt(omega)
    y = np.sign(X @ theta)
    facts = rng.permutation(n)[: int(round(eps * n))]
    y[facts] = rng.choice([-1.0, 1.0], size=facts.size)
    Z = X / np.sqrt(d)
    if n < d:  # dual form, the smaller system
        w = Z.T @ sla.solve(Z @ Z.T + lam_ * np.eye(n), y, assume_a="pos")
    else:
        w = sla.solve(Z.T @ Z + lam_ * np.eye(d), Z.T @ y, assume_a="pos")
    gen = math.acos((w * omega) @ theta / math.sqrt((w * omega) @ w * (theta * omega) @ theta)) / math.pi
    mem = float(np.mean(y[facts] * (Z[facts] @ w) <= 0))
    return gen, mem


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_ridge_on_anisotropic_data_matches_the_theory(alpha):
    d, eps, lam_, seeds = 600, 0.3, 0.1, 16
    omega = np.arange(1, d + 1, dtype=float) ** -1.0
    omega /= omega.mean()
    with threadpool_limits(1):  # tiny matrices: threads only add contention
        sims = np.array([_ridge_gen_mem(d, alpha, eps, lam_, omega, s) for s in range(seeds)])
    th = raf.solve(raf.GaussianCovariate("square", lam_, omega), alpha=alpha, epsilon=eps)
    n_facts = round(eps * round(alpha * d))
    for k, value in enumerate((th.gen_error, th.mem_error)):
        mean, se = sims[:, k].mean(), sims[:, k].std(ddof=1) / math.sqrt(seeds)
        # a rate counted on N samples over S seeds cannot resolve below 1/(NS): floor the s.e. there
        se = max(se, 0.5 / (n_facts * seeds)) if k == 1 else se
        assert abs(mean - value) <= 3 * se, (k, mean, se, value)


def test_cli_solves_a_gcm_from_npy_files(tmp_path, capsys):
    omega = np.arange(1, 201, dtype=float) ** -0.5
    np.save(tmp_path / "spectrum.npy", omega)
    np.save(tmp_path / "w.npy", np.linspace(0.5, 1.5, 200))
    code = main(["raf", "solve", "--learner", "gcm", "--spectrum", str(tmp_path / "spectrum.npy"),
                 "--teacher-weights", str(tmp_path / "w.npy"), "--loss", "hinge", "--lam", "0.2",
                 "--alpha", "1.5", "--epsilon", "0.1", "--compact"])
    out = json.loads(capsys.readouterr().out)
    ref = raf.solve(raf.GaussianCovariate("hinge", 0.2, omega, np.linspace(0.5, 1.5, 200)), alpha=1.5, epsilon=0.1)
    assert code == 0 and out["learner"] == "gcm"
    assert out["gen_error"] == pytest.approx(ref.gen_error, abs=1e-12)


@pytest.mark.parametrize("extra", [[], ["--spectrum", "missing.npy"], ["--spectrum", "BAD"]])
def test_cli_gcm_bad_spectrum_exits_2(tmp_path, capsys, extra, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "BAD").write_text("not an array")
    code = main(["raf", "solve", "--learner", "gcm", "--alpha", "2", "--epsilon", "0.2", *extra])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "spectrum" in err


def test_bayes_error_is_not_claimed_for_anisotropic_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = raf.solve(raf.GaussianCovariate("square", 0.1, np.arange(1, 50.0) ** -1), alpha=2.0, epsilon=0.2)
    assert math.isnan(res.bayes_error) and res.overlaps["rho"] == pytest.approx(1.0)


@pytest.mark.slow
def test_custom_loss_on_gaussian_covariates_matches_the_builtin_channel():
    """A user's loss goes through the Gaussian-covariate prior like a built-in one (compiles a driver: slow)."""
    import numpy as np

    from memtheory.solvers import raf

    def square(y, z):
        return 0.5 * (y - z) ** 2

    ev = 1.0 / np.arange(1, 201)
    builtin = raf.solve(raf.GaussianCovariate(loss="square", lam=0.1, eigenvalues=ev), alpha=2.0, epsilon=0.3)
    custom = raf.solve(raf.GaussianCovariate(loss=raf.CustomLoss(square, name="sq"), lam=0.1, eigenvalues=ev),
                       alpha=2.0, epsilon=0.3)
    assert builtin.converged and custom.converged
    for name in ("gen_error", "mem_error", "rule_train_error"):
        assert getattr(custom, name) == pytest.approx(getattr(builtin, name), rel=1e-7, abs=1e-10)
