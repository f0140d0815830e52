"""RAF solvers against the reference numbers of docs/theory/raf.md §11 and against known analytic limits."""

import math
from dataclasses import replace

import numpy as np
import pytest

from memtheory.solvers import raf

SIGN = dict(activation="sign")

# docs/theory/raf.md §11, α = 2, ε = 0.2: (ε_gen, ε_mem[, ε_train^rule]) per λ
LINEAR_TABLE = {
    ("square", 0.0): (0.27963, 0.15866, 0.03703),
    ("square", 0.01): (0.27813, 0.15964, 0.03678),
    ("square", 0.1): (0.26823, 0.16818, 0.03588),
    ("square", 1.0): (0.24850, 0.21564, 0.04570),
    ("square", 10.0): (0.25736, 0.27873, 0.08295),
    ("hinge", 0.0): (0.30673, 0.0, 0.0),
    ("hinge", 0.01): (0.30611, 0.00214, 0.00007),
    ("hinge", 0.1): (0.26890, 0.14709, 0.02832),
    ("hinge", 1.0): (0.25054, 0.26755, 0.07195),
    ("hinge", 10.0): (0.26626, 0.29983, 0.10241),
}
KERNEL_TABLE = {
    ("square", 0.0): (0.25161, 0.0),
    ("square", 0.01): (0.25140, 0.0),
    ("square", 0.1): (0.24996, 0.0),
    ("square", 1.0): (0.24850, 0.02763),
    ("square", 10.0): (0.26003, 0.16858),
    ("hinge", 0.0): (0.25099, 0.0),
    ("hinge", 0.01): (0.25099, 0.0),
    ("hinge", 0.1): (0.25099, 0.0),
    ("hinge", 1.0): (0.24912, 0.11229),
    ("hinge", 10.0): (0.26626, 0.20483),
}
RF_TABLE = {0.5: (0.40899, 0.30215), 1: (0.39064, 0.16875), 1.5: (0.38087, 0.06161), 2: (0.36993, 0.01264),
            3: (0.34811, 0.00017), 5: (0.31939, 0.0), 20: (0.27131, 0.0)}
BO_ALPHAS = [0.5, 1, 2, 5, 10, 50]
BO_EPS = [0, 0.1, 0.2, 0.5, 0.8]
BO_TABLE = [
    [0.32240, 0.34223, 0.36031, 0.41192, 0.46423],
    [0.25437, 0.28340, 0.30806, 0.37762, 0.44961],
    [0.17453, 0.21224, 0.24300, 0.33227, 0.42927],
    [0.08394, 0.11687, 0.14711, 0.25397, 0.39045],
    [0.04357, 0.06406, 0.08526, 0.18394, 0.34959],
    [0.00883, 0.01330, 0.01828, 0.05182, 0.21124],
]
# spec tables are printed to 5 decimals: agreement "to 1e-5" means within half a unit of the last digit
TOL = 5.0001e-6


@pytest.mark.parametrize("key", sorted(LINEAR_TABLE))
def test_linear_table(key):
    loss, lam = key
    res = raf.solve(raf.Linear(loss=loss, lam=lam), alpha=2.0, epsilon=0.2)
    assert res.converged
    gen, mem, rule = LINEAR_TABLE[key]
    assert res.gen_error == pytest.approx(gen, abs=TOL)
    assert res.mem_error == pytest.approx(mem, abs=TOL)
    assert res.rule_train_error == pytest.approx(rule, abs=TOL)


@pytest.mark.parametrize("key", sorted(KERNEL_TABLE))
def test_kernel_table(key):
    loss, lam = key
    res = raf.solve(raf.Kernel(loss=loss, lam=lam, **SIGN), alpha=2.0, epsilon=0.2)
    assert res.converged
    assert (res.gen_error, res.mem_error) == pytest.approx(KERNEL_TABLE[key], abs=TOL)


@pytest.mark.parametrize("kappa", sorted(RF_TABLE))
def test_random_features_table(kappa):
    res = raf.solve(raf.RandomFeatures(loss="square", lam=0.1, kappa=kappa, **SIGN), alpha=2.0, epsilon=0.2)
    assert res.converged
    assert (res.gen_error, res.mem_error) == pytest.approx(RF_TABLE[kappa], abs=TOL)


@pytest.mark.parametrize("i", range(len(BO_ALPHAS)))
def test_bayes_optimal_table(i):
    for j, eps in enumerate(BO_EPS):
        res = raf.solve(raf.BayesOptimal(), alpha=BO_ALPHAS[i], epsilon=eps)
        assert res.converged
        assert res.gen_error == pytest.approx(BO_TABLE[i][j], abs=TOL)


def test_bayes_optimal_overlaps_match_authors_csv():
    """docs/theory/raf.md §4: α = 1, ε = 0.2 gives q_b = 0.321625, q̂_b = 0.47411 (authors' CSV to 1e-5)."""
    res = raf.solve(raf.BayesOptimal(), alpha=1.0, epsilon=0.2)
    assert res.overlaps["q_b"] == pytest.approx(0.321625, abs=2e-6)
    assert res.overlaps["q_hat_b"] == pytest.approx(0.47411, abs=2e-5)


def test_bayes_optimal_large_alpha_rate_at_zero_noise():
    """ε = 0: ε_gen^BO ≈ 0.4417/α at large α (classical teacher–student perceptron)."""
    res = raf.solve(raf.BayesOptimal(), alpha=200.0, epsilon=0.0)
    assert res.gen_error * 200.0 == pytest.approx(0.4417, abs=0.003)


@pytest.mark.parametrize("alpha", [0.3, 2.0, 7.5])
@pytest.mark.parametrize("eps", [0.0, 0.2, 0.7])
@pytest.mark.parametrize("lam", [0.05, 1.3])
def test_square_loss_explicit_solution(alpha, eps, lam):
    """docs/theory/raf.md §3.2: V, m, q in closed form."""
    c = (1 - eps) * math.sqrt(2 / math.pi)
    V = (-(lam + alpha - 1) + math.sqrt((lam + alpha - 1) ** 2 + 4 * lam)) / (2 * lam)
    m = alpha * c * V / (1 + V)
    q = V**2 * (alpha**2 * c**2 + alpha * (1 - 2 * c * m)) / ((1 + V) ** 2 - alpha * V**2)
    res = raf.solve(raf.Linear("square", lam), alpha=alpha, epsilon=eps, tol=1e-14)
    o = res.overlaps
    np.testing.assert_allclose([o["m"], o["q"], o["V"]], [m, q, V], rtol=1e-9)
    assert res.gen_error == pytest.approx(math.acos(m / math.sqrt(q)) / math.pi, rel=1e-9)
    # training loss of square ERM: E(1 − p(u))²/2 = (1 + q − 2cm)/(2(1+V)²)
    assert res.train_loss == pytest.approx((1 + q - 2 * c * m) / (2 * (1 + V) ** 2), rel=1e-9)


@pytest.mark.parametrize("eps", [0.0, 0.2, 0.5])
def test_linear_square_lambda_opt_closed_form_is_the_minimum(eps):
    lam_opt = raf.optimal_lambda(raf.Linear("square"), alpha=2.0, epsilon=eps)
    assert lam_opt == pytest.approx(math.pi / (2 * (1 - eps) ** 2) - 1, rel=1e-14)
    best = raf.solve(raf.Linear("square", lam_opt), alpha=2.0, epsilon=eps).gen_error
    for factor in (0.9, 1.1):
        assert raf.solve(raf.Linear("square", lam_opt * factor), alpha=2.0, epsilon=eps).gen_error > best


def test_krr_lambda_opt_and_equivalence():
    """docs/theory/raf.md §4, §11: KRR λ_opt = 0.5625 at ε = 0.2 (arcsine), ε_gen = 0.24789, ε_mem = 0.00401; and
    the KRR test predictor is linear ridge with λ_eff = (λ + μ⋆²)/μ₁²."""
    model = raf.Kernel("square", **SIGN)
    lam, res = raf.optimal_lambda(model, alpha=2.0, epsilon=0.2, full_output=True)
    assert lam == pytest.approx(0.5625, abs=1e-4)
    assert (res.gen_error, res.mem_error) == pytest.approx((0.24789, 0.00401), abs=TOL)
    for lam in (0.05, 0.7, 3.0):
        k = raf.solve(replace(model, lam=lam), alpha=1.7, epsilon=0.3, tol=1e-14)
        lam_eff = (lam + model.mu_star**2) / model.mu1**2
        lin = raf.solve(raf.Linear("square", lam_eff), alpha=1.7, epsilon=0.3, tol=1e-14)
        assert k.gen_error == pytest.approx(lin.gen_error, abs=1e-11)


def test_hinge_lambda_opt_numerical_is_a_minimum():
    model = raf.Linear("hinge")
    lam, res = raf.optimal_lambda(model, alpha=2.0, epsilon=0.2, full_output=True)
    for factor in (0.8, 1.25):
        assert raf.solve(replace(model, lam=lam * factor), alpha=2.0, epsilon=0.2).gen_error >= res.gen_error - 1e-12


def test_random_features_tend_to_the_kernel():
    """docs/theory/raf.md §4: κ → ∞ recovers the kernel equations with the same λ."""
    for loss in ("square", "hinge"):
        k = raf.solve(raf.Kernel(loss, 0.3, **SIGN), alpha=1.5, epsilon=0.3)
        gaps = [abs(raf.solve(raf.RandomFeatures(loss, 0.3, kappa=kap, **SIGN), alpha=1.5, epsilon=0.3).gen_error
                    - k.gen_error) for kap in (1e2, 1e4, 1e6)]
        assert gaps[0] > gaps[1] > gaps[2]
        assert gaps[2] < 1e-5


@pytest.mark.parametrize("eps,value", [(1.0, 2.0), (0.9, 2.008), (0.5, 2.245), (0.2, 2.992), (0.1, 3.810), (0.05, 4.867)])
def test_separability_threshold_table(eps, value):
    assert raf.separability_threshold(eps) == pytest.approx(value, abs=5e-4)


@pytest.mark.parametrize("margin,value", [(0.0, 2.0), (0.5, 0.9612), (1.0, 0.5196)])
def test_gardner_capacity_with_margin(margin, value):
    assert raf.separability_threshold(1.0, margin=margin) == pytest.approx(value, abs=5e-5)
    assert raf.gardner_capacity(margin) == pytest.approx(value, abs=5e-5)


@pytest.mark.parametrize("alpha,kappa", [(0.5, 1.0343), (1.0, 0.4707), (1.5, 0.1861)])
def test_max_margin_equations_reproduce_gardner(alpha, kappa):
    """ε = 1, hinge, λ → 0: the max-margin κ_max = 1/√q (docs/theory/raf.md §6) and α_c(κ_max) = α."""
    res = raf.solve(raf.Linear("hinge", 0.0), alpha=alpha, epsilon=1.0)
    assert res.regime == "max-margin" and res.converged
    k_max = 1.0 / math.sqrt(res.overlaps["q"])
    assert k_max == pytest.approx(kappa, abs=5e-5)
    assert raf.gardner_capacity(k_max) == pytest.approx(alpha, rel=1e-7)


def test_zero_lambda_regimes_are_chosen_automatically():
    near = raf.solve(raf.Linear("hinge", 0.0), alpha=2.9, epsilon=0.2)
    assert near.regime == "max-margin" and near.converged
    above = raf.solve(raf.Linear("hinge", 0.0), alpha=3.1, epsilon=0.2)
    assert above.regime == "unregularized" and above.mem_error > 0
    assert raf.solve(raf.Linear("square", 0.0), alpha=0.5, epsilon=0.2).regime == "min-norm"
    # docs/theory/raf.md §11: min-norm LS at α = 0.5, ε = 0.2 gives ε_gen ≈ 0.3836
    assert raf.solve(raf.Linear("square", 0.0), alpha=0.5, epsilon=0.2).gen_error == pytest.approx(0.3836, abs=5e-5)
    # λ → 0⁺ is continuous with small λ in the ridge regime
    for loss, alpha in (("hinge", 1.0), ("square", 0.5)):
        zero = raf.solve(raf.Linear(loss, 0.0), alpha=alpha, epsilon=0.2).gen_error
        # (the unscaled equations lose digits for λ ≲ 1e-6, which is why the λ → 0 limit exists)
        tiny = raf.solve(raf.Linear(loss, 1e-5), alpha=alpha, epsilon=0.2).gen_error
        assert zero == pytest.approx(tiny, abs=1e-5)


def test_max_margin_at_alpha_one_matches_spec_simulation_value():
    """docs/theory/raf.md §11: max-margin at α = 1, ε = 0.2 has ε_gen = 0.3390."""
    assert raf.solve(raf.Linear("hinge", 0.0), alpha=1.0, epsilon=0.2).gen_error == pytest.approx(0.3390, abs=5e-5)


def test_large_alpha_rate_of_ridge_regression():
    """docs/theory/raf.md §3.2: ε_gen ≃ (1/π)√((π/(2(1−ε)²) − 1)/α) for any fixed λ."""
    alpha = 4000.0
    res = raf.solve(raf.Linear("square", 0.1), alpha=alpha, epsilon=0.2)
    assert res.gen_error * math.sqrt(alpha) == pytest.approx(0.3839, rel=2e-3)


def test_kernel_compatibility_threshold_values():
    vals = [raf.kernel_compatibility_threshold(e) for e in (0, 0.1, 0.2, 0.3, 0.5)]
    np.testing.assert_allclose(vals, [0.571, 0.939, 1.454, 2.206, 5.283], atol=5e-4)


@pytest.mark.parametrize("name,mu1,mus2", [("sign", math.sqrt(2 / math.pi), 1 - 2 / math.pi),
                                          ("erf", 0.6515, 0.0401), ("tanh", 0.6057, 0.0274), ("relu", 0.5, 0.0908)])
def test_activation_coefficients(name, mu1, mus2):
    m = raf.Kernel(activation=name)
    assert m.mu1 == pytest.approx(mu1, abs=5e-5)
    assert m.mu_star**2 == pytest.approx(mus2, abs=5e-5)
    # a Python callable goes through quadrature and agrees with the closed forms
    fn = {"sign": np.sign, "erf": math.erf, "tanh": math.tanh, "relu": lambda t: max(t, 0.0)}[name]
    c = raf.Kernel(activation=fn)
    assert (c.mu1, c.mu_star) == pytest.approx((m.mu1, m.mu_star), abs=1e-9)


@pytest.mark.parametrize("eps", [0.0, 0.2])
def test_kernel_compatibility_condition_against_numerical_optimum(eps):
    """docs/theory/raf.md §4: λ = 0 (perfect memorization) is optimal for KRR iff μ⋆²/μ₁² ≥ π/(2(1−ε)²) − 1.
    Checked by minimising ε_gen over λ numerically, without the closed form."""
    from memtheory.solvers.raf.optimal import _numerical

    threshold = raf.kernel_compatibility_threshold(eps)
    mu1 = 0.8
    for ratio, lam_is_zero in ((1.3 * threshold, True), (0.7 * threshold, False)):
        model = raf.Kernel("square", 0.1, mu1=mu1, mu_star=mu1 * math.sqrt(ratio))
        lam = _numerical(model, 2.0, eps, 1e-12)
        assert (lam == 0.0) is lam_is_zero
        if not lam_is_zero:
            closed = mu1**2 * threshold - model.mu_star**2
            assert lam == pytest.approx(closed, rel=1e-3)


def _rf_prior_spec_form(mh_s, qh_s, Vh_s, qh_w, Vh_w, lam, kappa):
    """The Marchenko–Pastur forms exactly as printed in docs/theory/raf.md §4."""
    g = 1 / kappa
    z = (lam + Vh_w) / Vh_s
    d = math.sqrt((1 + g + z) ** 2 - 4 * g)
    a = mh_s**2 + qh_s
    lw = lam + Vh_w
    m_s = mh_s * (z + 1 + g - d) / (2 * g * Vh_s)
    V_s = (z + 1 + g - d) / (2 * g * Vh_s)
    V_w = (1 - g - z + d) / (2 * lw)
    q_s = (a * ((2 * z + g + 1) * d - 2 * z**2 - 3 * (g + 1) * z - (g - 1) ** 2) / (2 * g * Vh_s**2 * d)
           - qh_w * (z * d - z**2 - (g + 1) * z) / (2 * g * Vh_s * lw * d))
    q_w = (qh_w * ((1 - g) * d + (g + 1) * z + (g - 1) ** 2) / (2 * lw**2 * d)
           - a * (z * d - z**2 - (g + 1) * z) / (2 * Vh_s * lw * d))
    return [m_s, q_s, V_s, q_w, V_w]


def test_random_features_prior_stable_form_equals_the_spec_form():
    from memtheory.solvers.raf.priors import random_features_prior

    rng = np.random.default_rng(7)
    out = np.empty(5)
    for _ in range(200):
        args = (rng.uniform(0.1, 2), rng.uniform(0.1, 2), 10 ** rng.uniform(-1, 1), rng.uniform(0.05, 1),
                10 ** rng.uniform(-1, 1), 10 ** rng.uniform(-2, 1), 10 ** rng.uniform(-0.5, 1))
        random_features_prior(*args, out)
        np.testing.assert_allclose(out, _rf_prior_spec_form(*args), rtol=1e-9)


def test_random_features_hinge_at_large_ridge_converges():
    """Large λ makes z = (λ + V̂_w)/V̂_s huge, where the printed forms cancel catastrophically."""
    for lam in (10.0, 100.0):
        res = raf.solve(raf.RandomFeatures("hinge", lam, kappa=2.0, activation="sign"), alpha=2.0, epsilon=0.2)
        assert res.converged and 0 < res.gen_error < 0.5
