"""Anisotropic inputs in the simulations, and their comparison with raf.GaussianCovariate."""

import math

import numpy as np
import pytest

from memtheory.cli import main
from memtheory.simulations import raf as sim
from memtheory.simulations.raf.measure import population_gen_error
from memtheory.solvers import raf
from memtheory.studies.raf_validate import PRESETS, solver_theory, validate


@pytest.mark.parametrize("name", ["isotropic", "powerlaw:0.5", "powerlaw:1.5", "spike:0.1:10", "spike:0.3:0.2"])
def test_spectra_have_mean_one(name):
    omega = sim.make_spectrum(name, 257)
    assert omega.shape == (257,) and omega.mean() == pytest.approx(1.0) and np.all(omega > 0)


@pytest.mark.parametrize("name", ["powerlaw", "powerlaw:-1", "spike:1.5:2", "spike:0.1:0", "gamma:2", "powerlaw:x"])
def test_bad_spectrum_names(name):
    with pytest.raises(ValueError, match="spectrum"):
        sim.make_spectrum(name, 10)


def test_anisotropic_data_have_the_covariance_and_the_exact_gen_error():
    rng = np.random.default_rng(0)
    d = 20
    omega = sim.make_spectrum("powerlaw:1", d)
    data = sim.make_raf_data(100000, d, 0.0, rng, spectrum=omega)
    np.testing.assert_allclose(data.X.var(axis=0), omega, rtol=0.03)
    w = rng.standard_normal(d)
    X_test, y_test = sim.make_test_set(200000, data.teacher, rng, spectrum=omega)
    mc = np.mean(np.sign(X_test @ w) != y_test)
    assert population_gen_error(w, data.teacher, omega) == pytest.approx(mc, abs=4e-3)
    assert population_gen_error(w, data.teacher, omega) != pytest.approx(population_gen_error(w, data.teacher), abs=4e-3)


def test_validate_uses_the_gcm_theory_for_anisotropic_points():
    spec = sim.make_spec("linear", "hinge", 0.1, 2.0, 0.2, 300, spectrum="spike:0.1:10")
    th = solver_theory(spec)
    ref = raf.solve(raf.GaussianCovariate("hinge", 0.1, sim.make_spectrum("spike:0.1:10", 300)), 2.0, 0.2)
    assert th["gen_error"] == pytest.approx(ref.gen_error, abs=1e-12)
    assert all(p["spectrum"] for p in PRESETS["gcm"]) and {p["loss"] for p in PRESETS["gcm"]} == {
        "square", "hinge", "logistic"}


def test_small_validation_agrees():
    report = validate([dict(learner="linear", loss="square", lam=0.5, alpha=1.5, epsilon=0.2, spectrum="powerlaw:1",
                            d=300, seeds=8)], metrics=("gen_error", "mem_error"))
    assert all(abs(r.z) < 4 for r in report.rows), report.table()


def test_cli_validate_gcm(capsys):
    code = main(["raf", "validate", "--learner", "gcm", "--spectrum", "powerlaw:0.5", "--alpha", "2", "--d", "200",
                 "--seeds", "4", "--metrics", "gen_error"])
    out = capsys.readouterr().out
    assert "spectrum=powerlaw:0.5" in out and code in (0, 1)


@pytest.mark.parametrize("spectrum", ["powerlaw:1", "spike:0.1:10"])
def test_square_loss_optimal_lambda_does_not_depend_on_the_spectrum(spectrum):
    # with an isotropic teacher the best ridge is the Bayes posterior mean of a Gaussian-prior problem,
    # whose ridge (noise/prior variance) does not involve Σ: λ_opt = π/(2(1−ε)²) − 1 as for Σ = I
    model = raf.GaussianCovariate("square", 0.1, sim.make_spectrum(spectrum, 300))
    eps = 0.3
    assert raf.optimal_lambda(model, alpha=1.5, epsilon=eps) == pytest.approx(math.pi / (2 * (1 - eps) ** 2) - 1,
                                                                              rel=1e-4)


def test_gcm_figures_draw_synthetic_data():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from memtheory.figures.raf_real_data import GALLERY, plot_gcm_anisotropic, plot_gcm_digits

    a, s = np.linspace(0.1, 3, 5), np.array([1.0, 2.0])
    aniso = {"spectrum": np.array(["powerlaw:1", "spike:0.1:10"]), "alpha_theory": a, "alpha_sim": s,
             "theory_gen": np.ones((2, 5)) * 0.3, "theory_mem": np.ones((2, 5)) * 0.1,
             "sim_gen": np.ones((2, 2)) * 0.3, "sim_gen_se": np.ones((2, 2)) * 0.01, "sim_mem": np.ones((2, 2)) * 0.1,
             "sim_mem_se": np.ones((2, 2)) * 0.01, "loss": "square", "lam": 0.1, "epsilon": 0.2, "d": 100, "seeds": 2}
    dig = {"case": np.array(["a", "b"]), "alpha": s, "alpha_theory": a, "features": "tanh", "p": 10, "loss": "square",
           "lam": 0.1, "seeds": 2}
    for key in ("gen", "mem", "loss"):
        dig[f"theory_{key}"] = np.ones((2, 5)) * 0.2
        for pre in ("sim", "gauss"):
            dig[f"{pre}_{key}"] = np.ones((2, 2)) * 0.2
            dig[f"{pre}_{key}_se"] = np.ones((2, 2)) * 0.01
    for fig in (plot_gcm_anisotropic(aniso), plot_gcm_digits(dig)):
        assert len(fig.axes) == 2
        plt.close(fig)
    assert {g.name for g in GALLERY} == {"raf_gcm_anisotropic", "raf_gcm_digits", "raf_real_tradeoff"}
    assert all(g.producer.startswith("memtheory.studies.") for g in GALLERY)


@pytest.mark.slow
def test_gcm_validation_preset_within_three_standard_errors():
    """`memtheory raf validate --preset gcm`: 14 anisotropic points at d = 800, 20 seeds (several minutes)."""
    report = validate("gcm")
    assert all(r.converged for r in report.rows), report.table()
    assert report.max_abs_z <= 3.0, report.table()
