"""Kernels, activations and their (μ₀, μ₁, μ⋆) against the spec table and Monte-Carlo references."""

import numpy as np
import pytest

from memtheory.simulations.raf import gaussian_coefficients, make_kernel
from memtheory.simulations.raf.activations import ACTIVATIONS
from memtheory.simulations.raf.kernels import sphere_mean
from memtheory.simulations.raf import blas_threads

@pytest.fixture(autouse=True)
def _one_blas_thread():
    # Small matrices on a shared machine: one BLAS thread per job (see memtheory.simulations.raf._threads).
    with blas_threads(1):
        yield


# docs/theory/raf.md §1 "Typical activations": (μ₀, μ₁, μ⋆²), four printed digits.
SPEC_TABLE = {
    "sign": (0.0, 0.7979, 0.3634),
    "erf": (0.0, 0.6515, 0.0401),
    "tanh": (0.0, 0.6057, 0.0274),
    "relu": (1 / np.sqrt(2 * np.pi), 0.5, 0.0908),
}


@pytest.mark.parametrize("act", sorted(SPEC_TABLE))
def test_activation_coefficients_match_spec_table(act):
    mu0, mu1, mu_star = gaussian_coefficients(act)
    ref = SPEC_TABLE[act]
    assert mu0 == pytest.approx(ref[0], abs=1e-4)
    assert mu1 == pytest.approx(ref[1], abs=1e-4)
    assert mu_star**2 == pytest.approx(ref[2], abs=1e-4)


@pytest.mark.parametrize("act", sorted(SPEC_TABLE))
def test_kernel_coefficients_equal_activation_coefficients(act):
    # The closed-form (or Hermite) kernel and the quadrature of σ are independent computations.
    k = make_kernel(act)
    _, mu1, mu_star = gaussian_coefficients(act)
    assert k.mu1 == pytest.approx(mu1, rel=1e-6)
    assert k.mu_star == pytest.approx(mu_star, rel=1e-5)


@pytest.mark.parametrize("act", sorted(SPEC_TABLE))
def test_kernel_is_infinite_width_random_feature_limit(act):
    # E_f[σ(f·u)σ(f·v)] for unit vectors at cosine t, estimated with 400k Gaussian features.
    rng = np.random.default_rng(11)
    p = 400_000
    g1 = rng.standard_normal(p)
    g2n = rng.standard_normal(p)
    sig = ACTIVATIONS[act]
    k = make_kernel(act)
    for t in (-0.7, 0.0, 0.35, 0.9):
        prod = sig(g1) * sig(t * g1 + np.sqrt(1 - t * t) * g2n)
        se = prod.std() / np.sqrt(p)
        assert abs(prod.mean() - float(k.func(np.array(t)))) < 5 * se


def test_rbf_coefficients_closed_form():
    for eta in (0.5, 2.0):
        k = make_kernel("rbf", eta=eta)
        assert k.mu1**2 == pytest.approx(eta * np.exp(-eta), rel=1e-10)
        assert k.mu_star**2 == pytest.approx(1 - np.exp(-eta) * (1 + eta), rel=1e-10)


def test_custom_kernel_coefficients_by_finite_difference():
    k = make_kernel(lambda t: np.exp(t))
    assert k.mu1**2 == pytest.approx(1.0, rel=1e-6)
    assert k.mu_star**2 == pytest.approx(np.e - 2.0, rel=1e-6)


@pytest.mark.parametrize("name", ["relu", "rbf"])
def test_sphere_mean_matches_monte_carlo(name):
    d = 30
    k = make_kernel(name, eta=1.5)
    rng = np.random.default_rng(12)
    X = rng.standard_normal((200_000, d))
    Y = rng.standard_normal((200_000, d))
    t = np.einsum("ij,ij->i", X, Y) / np.linalg.norm(X, axis=1) / np.linalg.norm(Y, axis=1)
    vals = k.func(t)
    assert abs(vals.mean() - sphere_mean(k.func, d)) < 5 * vals.std() / np.sqrt(t.size)
    # and it is k(0) + k''(0)/(2d) to leading order, not k(0):
    assert sphere_mean(k.func, d) > float(k.func(np.array(0.0)))


def test_centred_gram_is_psd_and_has_no_constant_part():
    rng = np.random.default_rng(13)
    X = rng.standard_normal((400, 200))
    for name in ("relu", "rbf"):
        K = make_kernel(name, eta=2.0).gram(X)
        assert np.linalg.eigvalsh(K).min() > -1e-10
        off = K[np.triu_indices_from(K, 1)]
        # Off-diagonal entries are ~N(0, μ₁²/d): their mean is 0 within a few 1/√(#pairs) spreads.
        assert abs(off.mean()) < 5 * off.std() / np.sqrt(K.shape[0])
        raw = make_kernel(name, eta=2.0, center=False).gram(X)
        assert raw[np.triu_indices_from(raw, 1)].mean() > 0.1  # what centring removed


def test_gram_sphere_diagonal_and_symmetry():
    X = np.random.default_rng(14).standard_normal((50, 40)) * 3.0
    K = make_kernel("sign").gram(X)
    np.testing.assert_array_equal(K, K.T)
    np.testing.assert_allclose(np.diag(K), 1.0)  # k(1) for the arcsine kernel
    # arcsin has an infinite slope at t = 1, so a rounding-level change of t moves k by ~1e-8.
    np.testing.assert_allclose(make_kernel("sign").gram(X[:5], X), K[:5], atol=1e-6)


@pytest.mark.parametrize("bad", [3, "not-a-kernel", None])
def test_bad_kernel_raises(bad):
    with pytest.raises(ValueError, match="kernel"):
        make_kernel(bad)
