"""What ``converged=True`` promises (docs/theory/raf.md, "Stopping rule and what `converged` promises").

Every check is against something independent of the solver: the closed-form square-loss solution and
the classical Bayes-optimal perceptron equation evaluated with mpmath, the large-α expansion of the
Bayes-optimal error, the λ → ∞ (Hebbian) limit, exact symmetries of the kernel model, and the
Bayes-optimal error as a lower bound for every learner.
"""

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from memtheory.solvers import raf

mp.mp.dps = 40


def within(x, ref, tol):
    """The promise: ``|x − x*| ≤ tol·max(|x*|, 1)``."""
    return abs(x - ref) <= tol * max(abs(ref), 1.0)


def square_closed_form(alpha, eps, lam):
    """Linear square-loss RAF fixed point in closed form (mpmath, 40 digits): ``(m, q, V, ε_gen)``.

    ``V`` is the positive root of ``λV² + (λ + α − 1)V − 1 = 0``, ``m = α c V/(1 + V)`` and
    ``q = V²(α²c² + α(1 − 2cm))/((1 + V)² − αV²)`` with ``c = (1 − ε)√(2/π)``.
    """
    a, e, l = mp.mpf(alpha), mp.mpf(eps), mp.mpf(lam)
    c = (1 - e) * mp.sqrt(2 / mp.pi)
    b = l + a - 1
    V = 2 / (b + mp.sqrt(b * b + 4 * l)) if b > 0 else (-b + mp.sqrt(b * b + 4 * l)) / (2 * l)
    m = a * c * V / (1 + V)
    q = V**2 * (a**2 * c**2 + a * (1 - 2 * c * m)) / ((1 + V) ** 2 - a * V**2)
    return float(m), float(q), float(V), float(mp.acos(m / mp.sqrt(q)) / mp.pi)


def bayes_zero_noise(alpha, u_start):
    """ε = 0 Bayes-optimal perceptron: the classical equation
    ``q̂ = (α/π) (1 − q)^{−1/2} ∫ Dt e^{−q t²/2}/Φ(√q t)``, ``q = q̂/(1 + q̂)``, solved for ``u = 1 − q``
    with mpmath by Newton steps from ``u_start`` (the root does not depend on the start; a nearby one
    keeps the mpmath work to a few quadratures); returns ``ε_gen = arcsin(√u)/π``."""
    a = mp.mpf(alpha)

    def residual(u):
        q = 1 - u
        f = lambda t: mp.npdf(t) * mp.exp(-q * t * t / 2) / mp.ncdf(mp.sqrt(q) * t)
        # beyond |t| = 14 the integrand is below 1e-40 of its size
        qhat = a / mp.pi / mp.sqrt(u) * mp.quad(f, [-14, -5, 0, 5, 14])
        return u * (1 + qhat) - 1

    with mp.workdps(25):
        u = mp.mpf(u_start)
        h = u * mp.mpf("1e-8")
        slope = (residual(u + h) - residual(u - h)) / (2 * h)
        for _ in range(4):  # chord iteration: linear convergence at rate |1 − slope/f'(u*)| ≈ 1e-4
            u = u - residual(u) / slope
        return float(mp.asin(mp.sqrt(u)) / mp.pi)


def large_alpha_constant():
    """``C = ∫ dt e^{−t²}/(√(2π) Φ(t))``; ``α ε_gen → 1/C`` for the Bayes-optimal perceptron."""
    f = lambda t: mp.exp(-t * t) / (mp.sqrt(2 * mp.pi) * mp.ncdf(t))
    return mp.quad(f, [-mp.inf, -10, 0, 10, mp.inf])


# --- tiny, ordinary and huge ridge against the closed form ----------------------------------------------


@pytest.mark.parametrize("lam", [1e-12, 1e-10, 1e-8, 1e-4, 0.1, 1e3, 1e12])
@pytest.mark.parametrize("alpha", [0.3, 0.9, 2.0])
@pytest.mark.parametrize("eps", [0.0, 0.4])
def test_square_loss_at_every_ridge_matches_the_closed_form(lam, alpha, eps):
    m, q, V, gen = square_closed_form(alpha, eps, lam)
    res = raf.solve(raf.Linear("square", lam), alpha=alpha, epsilon=eps)
    assert res.converged
    o = res.overlaps
    tol = 1e-10
    assert within(res.gen_error, gen, tol), (res.gen_error, gen)
    assert within(o["q"], q, tol) and within(o["V"], V, tol) and within(o["m"], m, tol)


def test_the_audited_tiny_ridge_example():
    """Reported converged at 0.3672669 before; the closed form says 0.3667455."""
    res = raf.solve(raf.Linear(loss="square", lam=1e-8), alpha=0.3, epsilon=0.0)
    assert res.converged
    assert res.gen_error == pytest.approx(square_closed_form(0.3, 0.0, 1e-8)[3], abs=1e-10)
    assert res.gen_error == pytest.approx(0.3667455, abs=1e-7)


def test_linear_square_small_ridge_below_alpha_one_respects_the_bayes_bound_in_a_sweep():
    alphas = np.linspace(0.05, 0.95, 10)
    eps = np.array([0.0, 0.3, 0.7])
    lams = np.array([1e-12, 1e-10, 1e-8])
    grid = raf.sweep(raf.Linear("square"), alpha=alphas, epsilon=eps, lam=lams, starts=("uninformed",))
    assert grid.converged.all()
    assert (grid.gen_error >= grid.bayes_error - 1e-12).all()
    for i, a in enumerate(alphas):
        for j, e in enumerate(eps):
            for k, lam in enumerate(lams):
                assert within(grid.gen_error[i, j, k], square_closed_form(a, e, lam)[3], 1e-10)


@pytest.mark.parametrize("loss", ["square", "hinge", "logistic"])
@pytest.mark.parametrize("lam", [1e12, 1e22, 1e100])
def test_huge_ridge_tends_to_the_hebbian_limit(loss, lam):
    """λ → ∞: every loss is linear around ω = 0 and ``w ∝ Σ y x``, so ``m/√q → √(αc²/(αc² + 1))``."""
    alpha, eps = 2.0, 0.2
    c2 = (1 - eps) ** 2 * 2 / math.pi
    limit = math.acos(math.sqrt(alpha * c2 / (alpha * c2 + 1))) / math.pi
    res = raf.solve(raf.Linear(loss, lam), alpha=alpha, epsilon=eps)
    assert res.converged
    assert res.gen_error == pytest.approx(limit, abs=1e-9)
    assert res.gen_error != pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("loss", ["square", "hinge"])
def test_kernel_with_huge_mu1_obeys_the_rescaling_symmetry(loss):
    """Kernel(μ₁, μ⋆, λ) equals Kernel(1, μ⋆/μ₁, λ/μ₁²) (rescale the signal weights by μ₁); with
    μ₁ = 10²⁰ the second is a tiny ridge with the same ``μ⋆²/λ``, i.e. Kernel(1, 10⁻⁴, 10⁻⁹) up to O(λ)."""
    big = raf.solve(raf.Kernel(loss, 0.1, mu1=1e20, mu_star=1.0), alpha=2.0, epsilon=0.2)
    ref = raf.solve(raf.Kernel(loss, 1e-9, mu1=1.0, mu_star=1e-4), alpha=2.0, epsilon=0.2)
    assert big.converged and ref.converged
    assert big.gen_error == pytest.approx(ref.gen_error, abs=1e-7)
    assert big.gen_error < 0.45


def test_random_features_at_tiny_ridge_never_beat_the_bayes_error():
    """erf, κ = 1000, α = 0.82, ε = 0, λ = 1e-12 came out at 0.242 < Bayes 0.276 before."""
    model = raf.RandomFeatures("square", 1e-12, kappa=1000.0, activation="erf")
    res = raf.solve(model, alpha=0.82, epsilon=0.0, warn=False)
    if res.converged:
        assert res.gen_error >= res.bayes_error
        # and it is the tiny-ridge limit: λ = 1e-10 differs by O(λ)
        near = raf.solve(model.__class__("square", 1e-10, kappa=1000.0, activation="erf"), alpha=0.82, epsilon=0.0)
        assert near.converged and res.gen_error == pytest.approx(near.gen_error, abs=1e-6)


# --- Bayes-optimal at large α ----------------------------------------------------------------------------


def test_bayes_optimal_large_alpha_expansion():
    inv_c = float(1 / large_alpha_constant())
    assert inv_c == pytest.approx(0.44170, abs=5e-6)
    for alpha in (1e4, 1e5, 1e6):
        res = raf.solve(raf.BayesOptimal(), alpha=alpha, epsilon=0.0)
        assert res.converged
        # the next term of the expansion is O(1/α) relative (1e-6 at α = 1e3, measured)
        assert alpha * res.gen_error == pytest.approx(inv_c, rel=1e-7)
        assert alpha * raf.bayes_error(alpha, 0.0) == pytest.approx(inv_c, rel=1e-7)


@pytest.mark.parametrize("alpha", [0.01, 5.0, 2000.0])
def test_bayes_optimal_at_zero_noise_matches_the_classical_equation(alpha):
    res = raf.solve(raf.BayesOptimal(), alpha=alpha, epsilon=0.0)
    assert res.converged
    start = res.overlaps["one_minus_q_b"] * (1 + 1e-4)  # off the solver's value: the chord steps must find the root
    assert within(res.gen_error, bayes_zero_noise(alpha, start), 1e-10)


def test_bayes_optimal_sweep_at_pure_facts_is_one_half_and_converged():
    grid = raf.sweep(raf.BayesOptimal(), alpha=np.array([0.5, 2.0, 1e3]), epsilon=1.0)
    assert grid.converged.all()
    np.testing.assert_array_equal(grid.gen_error, 0.5)


# --- λ = 0 hinge next to the separability threshold ------------------------------------------------------


@pytest.mark.parametrize("factor", [0.997, 0.998, 1.002, 1.003])
def test_zero_ridge_hinge_converges_next_to_the_separability_threshold(factor):
    eps = 0.3
    alpha = factor * raf.separability_threshold(eps)
    zero = raf.solve(raf.Linear("hinge", 0.0), alpha=alpha, epsilon=eps)
    small = raf.solve(raf.Linear("hinge", 1e-7), alpha=alpha, epsilon=eps)
    tiny = raf.solve(raf.Linear("hinge", 1e-9), alpha=alpha, epsilon=eps)
    assert zero.converged and small.converged and tiny.converged
    assert zero.gen_error == pytest.approx(small.gen_error, abs=1e-4)
    # the λ-dependence is O(λ^{1/2}) or faster here: λ = 1e-9 is closer still
    assert zero.gen_error == pytest.approx(tiny.gen_error, abs=2e-6)


def test_zero_ridge_hinge_at_the_audited_point():
    res = raf.solve(raf.Linear("hinge", 0.0), alpha=2.6, epsilon=0.3)
    ref = raf.solve(raf.Linear("hinge", 1e-9), alpha=2.6, epsilon=0.3)
    assert res.converged and res.regime == "max-margin"
    assert res.gen_error == pytest.approx(ref.gen_error, abs=1e-6)
    assert res.gen_error >= res.bayes_error


# --- ε = 0 memorization error ---------------------------------------------------------------------------


def test_mem_error_at_zero_noise_is_the_limit_of_small_noise_and_says_so():
    model = raf.Linear("hinge", 0.1)
    at_zero = raf.solve(model, alpha=2.0, epsilon=0.0)
    near = raf.solve(model, alpha=2.0, epsilon=1e-9)
    assert at_zero.mem_error == pytest.approx(near.mem_error, abs=1e-7)
    assert "hypothetical fact" in at_zero.message
    assert "hypothetical fact" not in near.message


# --- options and sweeps -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, match", [
    (dict(tol=0.0), "tol"), (dict(tol=float("nan")), "tol"), (dict(tol=10.0), "tol"), (dict(tol=-1e-8), "tol"),
    (dict(max_iter=0), "max_iter"), (dict(max_iter=2.5), "max_iter"), (dict(max_iter=True), "max_iter"),
])
def test_solve_and_sweep_reject_bad_stopping_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        raf.solve(raf.Linear(), alpha=1.0, epsilon=0.2, **kwargs)
    with pytest.raises(ValueError, match=match):
        raf.sweep(raf.Linear(), alpha=np.array([1.0, 2.0]), epsilon=0.2, **kwargs)


def test_sweep_without_alpha_is_a_value_error():
    with pytest.raises(ValueError, match="alpha"):
        raf.sweep(raf.Linear(), alpha=None, epsilon=0.2)


def test_logistic_zero_ridge_sweep_across_the_threshold_marks_the_separable_points():
    eps = 0.3
    a_c = raf.separability_threshold(eps)
    alphas = np.array([0.5 * a_c, 0.9 * a_c, 1.2 * a_c, 2.0 * a_c])
    with pytest.warns(raf.SaddlePointWarning, match="no λ → 0 solution"):
        grid = raf.sweep(raf.Linear("logistic", 0.0), alpha=alphas, epsilon=eps)
    np.testing.assert_array_equal(grid.singular, [True, True, False, False])
    assert np.isnan(grid.gen_error[:2]).all() and not grid.converged[:2].any()
    assert grid.converged[2:].all() and (grid.gen_error[2:] > grid.bayes_error[2:]).all()


def test_sweep_keeps_the_promise_at_tiny_ridge():
    """The same closed form through sweep's continuation along α (tiny λ, both starts)."""
    alphas = np.array([0.2, 0.5, 0.8, 1.5, 3.0])
    grid = raf.sweep(raf.Linear("square", 1e-11), alpha=alphas, epsilon=0.25)
    assert grid.converged.all()
    for a, g in zip(alphas, grid.gen_error):
        assert within(g, square_closed_form(a, 0.25, 1e-11)[3], 1e-10)


def test_thresholds_against_mpmath():
    """Gardner: ``α_c(κ) = 1/∫_{−κ}^∞ Dt (t + κ)²``; RAF separability at κ = 0:
    ``α_c(ε) = max_R (1 − R²)/(ε/2 + (1 − ε)(arccos R − R√(1 − R²))/π)``."""
    for kappa in (0.0, 0.5, 2.0):
        ref = 1 / mp.quad(lambda t: mp.npdf(t) * (t + kappa) ** 2, [-kappa, mp.inf])
        assert within(raf.gardner_capacity(kappa), float(ref), 1e-10)
    for eps in (0.1, 0.5):
        ratio = lambda R: (1 - R * R) / (eps / 2 + (1 - eps) * (mp.acos(R) - R * mp.sqrt(1 - R * R)) / mp.pi)
        r_star = mp.findroot(lambda R: mp.diff(ratio, R), 0.5)
        assert within(raf.separability_threshold(eps), float(ratio(r_star)), 1e-9)


def test_optimal_lambda_reports_nan_when_nothing_converges(monkeypatch):
    from memtheory.solvers.raf import optimal

    monkeypatch.setattr(optimal, "_gen", lambda *a: math.inf)
    lam, res = raf.optimal_lambda(raf.Linear("hinge"), alpha=2.0, epsilon=0.2, full_output=True)
    assert math.isnan(lam) and res is None


# --- the property test ------------------------------------------------------------------------------------

LEARNERS = ("linear", "kernel", "random_features", "bayes_optimal")
ACTIVATIONS = ("sign", "erf", "relu", "tanh")


@st.composite
def problems(draw):
    learner = draw(st.sampled_from(LEARNERS))
    loss = draw(st.sampled_from(("square", "hinge", "logistic")))
    lam = 10.0 ** draw(st.floats(-12.0, 3.0))
    alpha = 10.0 ** draw(st.floats(-3.0, 6.0))
    eps = draw(st.one_of(st.sampled_from((0.0, 1.0)), st.floats(0.0, 1.0)))
    if learner == "linear":
        model = raf.Linear(loss, lam)
    elif learner == "kernel":
        model = raf.Kernel(loss, lam, activation=draw(st.sampled_from(ACTIVATIONS)))
    elif learner == "random_features":
        kappa = 10.0 ** draw(st.floats(math.log10(0.05), 2.0))
        model = raf.RandomFeatures(loss, lam, kappa=kappa, activation=draw(st.sampled_from(ACTIVATIONS)))
    else:
        model = raf.BayesOptimal()
    return model, alpha, eps


def check_contract(model, alpha, eps, tol=1e-8):
    """A converged result agrees, within ``tol·max(|x|, 1)``, with a solve at tol 1e-13 from the other
    start, with the closed form where there is one, and never beats the Bayes-optimal error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = raf.solve(model, alpha=alpha, epsilon=eps, tol=tol, warn=False)
        if not res.converged:
            return
        ref = raf.solve(model, alpha=alpha, epsilon=eps, tol=1e-13, init="informed", max_iter=20000, warn=False)
        if not ref.converged:
            ref = raf.solve(model, alpha=alpha, epsilon=eps, tol=1e-13, max_iter=20000, warn=False)
    if ref.converged:
        for name in ("gen_error", "mem_error", "rule_train_error", "train_loss"):
            x, y = getattr(res, name), getattr(ref, name)
            assert (math.isnan(x) and math.isnan(y)) or within(x, y, tol), (name, x, y)
        for name, y in ref.overlaps.items():
            if "hat" not in name:
                assert within(res.overlaps[name], y, tol), (name, res.overlaps[name], y)
    if not isinstance(model, raf.BayesOptimal):
        assert res.gen_error >= res.bayes_error - tol
    if isinstance(model, raf.Linear) and model.loss == "square":
        assert within(res.gen_error, square_closed_form(alpha, eps, model.lam)[3], tol)
    if isinstance(model, raf.BayesOptimal) and eps == 0.0 and 1e-2 <= alpha <= 1e4:
        assert within(res.gen_error, bayes_zero_noise(alpha, res.overlaps["one_minus_q_b"] * (1 + 1e-4)), tol)


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
@example((raf.Linear("square", 1e-12), 0.3, 0.0))
@example((raf.Linear("hinge", 1e-12), 1e-3, 1.0))
@example((raf.BayesOptimal(), 1e6, 0.0))
@example((raf.RandomFeatures("logistic", 1e-12, kappa=0.05, activation="relu"), 50.0, 0.5))
@example((raf.Kernel("hinge", 1e3, activation="tanh"), 1e6, 0.1))
def test_converged_means_within_tol_property(problem):
    check_contract(*problem)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_converged_means_within_tol_property_large(problem):
    check_contract(*problem)
