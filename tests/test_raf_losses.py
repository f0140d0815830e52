"""Losses as modules: the registry, the two piecewise-quadratic built-ins added as one file each, and
``raf.CustomLoss`` against the built-in channels (docs/theory/raf.md)."""

import math
import shutil

import numpy as np
import pytest

from memtheory.solvers import raf
from memtheory.solvers.quadrature import legendre_rule
from memtheory.solvers.raf import channels as ch
from memtheory.theory import generate


def _square(y, z):
    return 0.5 * (y - z) ** 2


def _hinge(y, z):
    return max(0.0, 1.0 - y * z)


def _logistic(y, z):
    t = -y * z
    return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))


def _squared_hinge(y, z):
    return 0.5 * max(0.0, 1.0 - y * z) ** 2


# ---------------------------------------------------------------------------------------------------
# registry


def test_registry_enumerates_the_loss_modules():
    modules = {p.stem for p in generate.CHANNEL_DIR.glob("*.py") if not p.name.startswith("_")}
    assert set(ch._dispatch.CHANNEL_MODULES) == {m for m in modules if "KERNELS" in generate._literals(
        generate.CHANNEL_DIR / f"{m}.py")}
    assert set(raf.LOSSES) == {"square", "hinge", "logistic", "squared_hinge", "huber"}
    for name, record in ch.CHANNELS.items():
        assert ch._dispatch.KERNEL_NAMES[record.kernel] == name


def test_adding_a_loss_is_one_module(tmp_path, monkeypatch):
    """A new module with a MARGIN_LOSS table and KERNELS is all the generator needs."""
    folder = tmp_path / "channels"
    shutil.copytree(generate.CHANNEL_DIR, folder, ignore=shutil.ignore_patterns("_generated", "__pycache__"))
    (folder / "absolute.py").write_text(
        'MARGIN_LOSS = (("-oo", "1", "1 - z"), ("1", "oo", "z - 1"))\nKERNELS = ("absolute",)\n', encoding="utf-8")
    monkeypatch.setattr(generate, "CHANNEL_DIR", folder)
    files = generate.render_all()
    text = files["channels/_generated/absolute.py"]
    assert "KINKS = ((1.0, -1.0), (1.0, 1.0))" in text  # the prox sticks to z = 1 for u ∈ [1 − V, 1 + V]
    assert "ZERO_LOSS_SET = 'point'" in text
    assert "from memtheory.solvers.raf.channels.absolute import absolute_conjugates" in files[
        "channels/_generated/dispatch.py"]


# ---------------------------------------------------------------------------------------------------
# the new built-ins: known limits


def test_squared_hinge_at_zero_lambda_below_separability_is_the_max_margin_svm():
    a = raf.solve(raf.Linear(loss="squared_hinge", lam=0.0), alpha=2.0, epsilon=0.2)
    b = raf.solve(raf.Linear(loss="hinge", lam=0.0), alpha=2.0, epsilon=0.2)
    assert a.regime == "max-margin" and a.converged
    assert a.gen_error == pytest.approx(b.gen_error, abs=1e-12)


def test_huber_at_zero_lambda_below_one_is_the_min_norm_interpolator():
    a = raf.solve(raf.Linear(loss="huber", lam=0.0), alpha=0.5, epsilon=0.3)
    b = raf.solve(raf.Linear(loss="square", lam=0.0), alpha=0.5, epsilon=0.3)
    assert a.regime == "min-norm" and a.converged
    assert a.gen_error == pytest.approx(b.gen_error, abs=1e-12)


# ---------------------------------------------------------------------------------------------------
# CustomLoss


# the square loss is covered by the slow grid test below (each CustomLoss compiles its own kernel)
@pytest.mark.parametrize("fn,name", [(_hinge, "hinge"), (_logistic, "logistic"), (_squared_hinge, "squared_hinge")])
def test_custom_channel_reproduces_the_builtin_kernel(fn, name):
    loss = raf.CustomLoss(fn)
    x, w = legendre_rule(32)
    for point in [(2.0, 0.2, 0.35, 0.60, 0.80), (0.7, 0.5, 0.10, 1.70, 2.50), (3.0, 0.0, 0.90, 1.00, 0.30),
                  (1.5, 1.0, 0.00, 0.40, 1.20), (2.0, 0.2, 2.0, 9.0, 0.05)]:
        got = np.array(loss.channel.conjugates(*point, x, w))
        ref = np.array(ch.channel_conjugates(ch.CHANNELS[name].kernel, *point, x, w))
        np.testing.assert_allclose(got, ref, rtol=1e-8, atol=1e-10)


def test_custom_loss_kinks_are_found_and_snapped():
    assert raf.CustomLoss(_hinge).kinks == (1.0,)
    assert raf.CustomLoss(_squared_hinge).kinks == (1.0,)  # a jump of L'' only
    assert raf.CustomLoss(_logistic).kinks == ()


@pytest.mark.slow  # compiles a custom driver (~20 s of CPU)
def test_custom_loss_solves_like_the_builtin_for_every_learner():
    loss = raf.CustomLoss(_squared_hinge, name="sqh")
    for model in (raf.Linear(loss="squared_hinge", lam=1e-3), raf.Kernel(loss="squared_hinge", lam=0.1),
                  raf.RandomFeatures(loss="squared_hinge", lam=0.1, kappa=2.0)):
        from dataclasses import replace

        a = raf.solve(model, alpha=2.0, epsilon=0.2)
        b = raf.solve(replace(model, loss=loss), alpha=2.0, epsilon=0.2)
        assert a.converged and b.converged
        for key in ("gen_error", "mem_error", "rule_train_error", "train_loss"):
            assert getattr(b, key) == pytest.approx(getattr(a, key), abs=1e-7), key
        for key, value in a.overlaps.items():
            assert b.overlaps[key] == pytest.approx(value, abs=1e-7), key
    s = raf.sweep(raf.Linear(loss=loss, lam=0.1), alpha=[1.0, 2.0], epsilon=0.2, starts=("uninformed",))
    ref = raf.sweep(raf.Linear(loss="squared_hinge", lam=0.1), alpha=[1.0, 2.0], epsilon=0.2, starts=("uninformed",))
    np.testing.assert_allclose(s.gen_error, ref.gen_error, atol=1e-7)


def test_non_convex_loss_is_refused_with_the_reason():
    def wave(y, z):
        return math.cos(y * z)

    with pytest.raises(ValueError, match="not convex"):
        raf.CustomLoss(wave)


def test_non_margin_loss_and_bad_input_are_refused():
    def lopsided(y, z):
        return max(0.0, 1.0 - z) if y > 0 else 2.0 * max(0.0, 1.0 + z)

    with pytest.raises(ValueError, match="margin loss"):
        raf.CustomLoss(lopsided)
    with pytest.raises(ValueError, match="loss must be a function"):
        raf.CustomLoss(3.0)
    with pytest.raises(ValueError, match="lam must be > 0"):
        raf.solve(raf.Linear(loss=raf.CustomLoss(_hinge), lam=0.0), alpha=2.0, epsilon=0.2)


def test_cli_loss_module_resolution(tmp_path, monkeypatch):
    from memtheory.commands.raf import custom_loss_from

    (tmp_path / "my_losses_for_test.py").write_text("def sqh(y, z):\n    return 0.5 * max(0.0, 1.0 - y * z) ** 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    loss = custom_loss_from("my_losses_for_test:sqh")
    assert loss.name == "sqh" and loss.kinks == (1.0,)
    with pytest.raises(ValueError, match="MODULE:FUNCTION"):
        custom_loss_from("nocolon")
    with pytest.raises(ValueError, match="no function"):
        custom_loss_from("my_losses_for_test:missing")


@pytest.mark.slow
@pytest.mark.parametrize("fn,name", [(_square, "square"), (_hinge, "hinge"), (_logistic, "logistic")])
def test_custom_loss_reproduces_the_builtin_solutions_on_a_grid(fn, name):
    """Errors and overlaps to 1e-7 over λ ∈ {1e-3, 0.1, 1}, three (α, ε), linear/kernel/RF learners."""
    from dataclasses import replace

    loss = raf.CustomLoss(fn)
    for model in (raf.Linear(loss=name), raf.Kernel(loss=name, lam=0.1), raf.RandomFeatures(loss=name, kappa=2.0)):
        for lam in (1e-3, 0.1, 1.0):
            for alpha, eps in ((0.5, 0.1), (2.0, 0.2), (5.0, 0.7)):
                a = raf.solve(replace(model, lam=lam), alpha=alpha, epsilon=eps)
                b = raf.solve(replace(model, lam=lam, loss=loss), alpha=alpha, epsilon=eps)
                assert a.converged == b.converged
                for key in ("gen_error", "mem_error", "rule_train_error"):
                    assert getattr(b, key) == pytest.approx(getattr(a, key), abs=1e-7), (model, lam, alpha, eps, key)
                for key, value in a.overlaps.items():
                    assert b.overlaps[key] == pytest.approx(value, abs=1e-7, rel=1e-7), (model, lam, alpha, eps, key)


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["squared_hinge", "huber"])
def test_new_losses_agree_with_finite_size_erm(loss):
    """Exact ERM (generalized Newton to ‖∇J‖∞ ≤ 1e-8), d = 800, α = 2, ε = 0.2, λ = 0.1, 10 seeds:
    every error within 3.5 standard errors of the theory (four metrics per loss, so 3.5 rather than 3
    keeps the family-wise false-alarm rate below 0.2 %)."""
    from memtheory.simulations import raf as sim
    from memtheory.simulations.raf import blas_threads

    with blas_threads(1):
        r = sim.simulate(learner="linear", loss=loss, lam=0.1, alpha=2.0, epsilon=0.2, d=800, seeds=10)
    assert r.all_converged
    th = raf.solve(raf.Linear(loss=loss, lam=0.1), alpha=2.0, epsilon=0.2)
    for metric in ("gen_error", "mem_error", "rule_train_error", "train_loss"):
        z = (r.mean(metric) - getattr(th, metric)) / r.sem(metric)
        assert abs(z) < 3.5, f"{metric}: sim {r.mean(metric):.4f} ± {r.sem(metric):.4f} vs {getattr(th, metric):.4f}"


def test_custom_loss_uses_given_derivatives():
    def dlogistic(y, z):
        t = y * z
        return -y / (1.0 + math.exp(t)) if t > -700 else -y

    def d2logistic(y, z):
        t = abs(z)
        e = math.exp(-t)
        return e / (1.0 + e) ** 2

    loss = raf.CustomLoss(_logistic, name="logit", dloss=dlogistic, d2loss=d2logistic)
    x, w = legendre_rule(32)
    point = (2.0, 0.2, 0.35, 0.60, 0.80)
    got = np.array(loss.channel.conjugates(*point, x, w))
    ref = np.array(ch.channel_conjugates(ch.LOGISTIC, *point, x, w))
    np.testing.assert_allclose(got, ref, rtol=1e-10)
