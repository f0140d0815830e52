"""Helmholtz operator + adjoint gradient (docs/theory/posterior.md §5), KL prior, FWI wrapper, DPS with the exact score (§9.1)."""

import numpy as np
import pytest

from memtheory.solvers.inverse_problems.dps import MemorizedDenoiser, dps_sample
from memtheory.solvers.inverse_problems.fwi import build_fwi
from memtheory.solvers.inverse_problems.helmholtz import make_problem
from memtheory.solvers.inverse_problems.stylized import problem_1d
from memtheory.solvers.inverse_problems.velocity_prior import fit_kl_prior, grf_samples
from memtheory.solvers.posterior import MemorizedPrior, linear_schedule, linearized_posterior, lookup_weights
from memtheory.solvers.posterior.memorization import memorization_rate, memorization_ratio, nearest_index


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    pb = make_problem(n=24, freq=3.0, n_src=3, n_rec=12, npml=8)
    m = 0.25 + 0.03 * rng.standard_normal((24, 24))
    m_obs = 0.25 + 0.03 * rng.standard_normal((24, 24))
    return pb, m, pb.forward(m_obs), rng


def test_matrix_is_complex_symmetric(small):
    pb, m, _, _ = small
    A = pb.matrix(m)
    assert abs(A - A.T).max() == 0.0
    assert np.abs(A.imag).max() > 0  # the PML makes it non-Hermitian


def test_adjoint_gradient_matches_finite_differences(small):
    pb, m, d_obs, rng = small
    phi, g = pb.misfit_gradient(m, d_obs)
    for _ in range(3):
        dm = rng.standard_normal(m.shape)
        h = 1e-6
        fd = (pb.misfit_gradient(m + h * dm, d_obs)[0] - pb.misfit_gradient(m - h * dm, d_obs)[0]) / (2 * h)
        assert np.sum(g * dm) == pytest.approx(fd, rel=1e-6)


def test_jacobian_matches_finite_differences_and_gradient(small):
    pb, m, d_obs, rng = small
    B = rng.standard_normal((24 * 24, 4))
    J = pb.jacobian(m, B)
    p = rng.standard_normal(4)
    h = 1e-6
    dm = (B @ p).reshape(24, 24)
    fd = (pb.forward(m + h * dm) - pb.forward(m - h * dm)) / (2 * h)
    np.testing.assert_allclose(J @ p, fd, rtol=1e-6, atol=1e-8 * np.abs(fd).max())
    # gradient of 1/2|d - d_obs|^2 in p equals Re(J^H r)
    r = pb.forward(m) - d_obs
    _, g = pb.misfit_gradient(m, d_obs)
    np.testing.assert_allclose(B.T @ g.ravel(), np.real(np.einsum("srk,sr->k", J.conj(), r)), rtol=1e-9)


def test_pml_absorbs():
    """A homogeneous medium's field decays smoothly into the PML instead of reflecting (|u| at the outer edge small)."""
    pb = make_problem(n=32, freq=4.0, n_src=1, n_rec=4, npml=10)
    u = pb.solve(np.full((32, 32), 0.25)).u[:, 0].reshape(pb.padded_shape)
    assert np.abs(u[0]).max() < 0.05 * np.abs(u[pb.npml + 5]).max()


def test_kl_projection_roundtrip_and_grf_range():
    rng = np.random.default_rng(1)
    fields = grf_samples(20, (32, 32), rng)
    assert 1 / 9 - 0.05 < fields.mean() < 1 / 2.25
    kl, z = fit_kl_prior(fields, K=6)
    np.testing.assert_allclose(z.mean(0), 0, atol=1e-10)
    np.testing.assert_allclose(z.std(0), 1, rtol=1e-10)
    np.testing.assert_allclose(kl.project(kl.to_slowness(z[:3])), z[:3], atol=1e-8)


@pytest.fixture(scope="module")
def fwi():
    return build_fwi(n_train=12, n=24, freq=3.0, n_src=3, n_rec=12, K=4, n_candidates=20, seed=3)


def test_fwi_gradient_and_jacobian_in_kl_space(fwi):
    rng = np.random.default_rng(2)
    z = fwi.z_train[0]
    phi, g = fwi.misfit_gradient(z)
    J = fwi.jacobian(z)
    np.testing.assert_allclose(g, J.T @ (fwi.forward(z) - fwi.y), rtol=1e-8)
    dz = rng.standard_normal(z.size)
    h = 1e-5
    fd = (fwi.misfit_gradient(z + h * dz)[0] - fwi.misfit_gradient(z - h * dz)[0]) / (2 * h)
    assert g @ dz == pytest.approx(fd, rel=1e-6)


def test_fwi_linearized_posterior_small_sigma_is_lookup(fwi):
    prior = MemorizedPrior(fwi.z_train, sigma=1e-4)
    post = linearized_posterior(prior, fwi.forward, fwi.jacobian, fwi.y, fwi.noise_std)
    lw = lookup_weights(fwi.forward, fwi.z_train, fwi.y, fwi.noise_std)
    np.testing.assert_allclose(post.weights, lw, atol=1e-3)


def test_memorization_ratio():
    X = np.arange(10.0)[:, None]  # examples 0, 1, ..., 9 on a line
    s = np.array([[4.5], [0.1]])
    # 4.5: d = 0.5, 0.5, 1.5, 1.5, 2.5, 2.5, 3.5, 3.5, 4.5, 4.5 ; k = min(50, 10) = 10
    np.testing.assert_allclose(memorization_ratio(s, X), [0.5 / (24.5 / 9), 0.1 / 4.9])
    np.testing.assert_allclose(memorization_ratio(s, X, k_max=3), [0.5 / 1.0, 0.1 / 1.4])
    assert memorization_rate(s, X, threshold=0.3, k_max=3) == 0.5
    np.testing.assert_array_equal(nearest_index(X[[7, 3]] + 1e-3, X), [7, 3])


def test_denoiser_vjp_matches_finite_differences():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((6, 3))
    den = MemorizedDenoiser(X, linear_schedule())
    x, v = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    h = 1e-6
    J_fd = np.stack([(den.denoise(x + h * e, 60) - den.denoise(x - h * e, 60)) / (2 * h) for e in np.eye(3)], axis=2)
    np.testing.assert_allclose(den.vjp(x, 60, v), np.einsum("bij,bi->bj", J_fd, v), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("through", [False, True])
def test_dps_exact_score_recovers_lookup_posterior(through):
    """Exactly memorized DPS ends on training points, split like the closed-form posterior (±0.4: 1/2 each)."""
    p = problem_1d()

    def misfit_grad(x):
        r = p.forward(x) - p.y
        return 0.5 * float(r @ r) / 0.09, r * (1 + 0.9 * x**2) / 0.09

    n = 200
    res = dps_sample(MemorizedDenoiser(p.x_train, linear_schedule()), misfit_grad, linear_schedule(), n, 1,
                     np.random.default_rng(5), step=0.02, through_denoiser=through)
    idx = nearest_index(res.samples, p.x_train)
    freq = np.bincount(idx, minlength=5) / n
    assert freq[1] + freq[2] > 0.97
    assert abs(freq[1] - 0.5) < 0.12  # binomial sd 0.035
    # memorized up to the final guidance step zeta F'/(gamma sqrt(abar_0)) ~ 0.08
    assert np.abs(res.samples - p.x_train[idx]).max() < 0.1
    assert res.misfit[0] < res.misfit[-1]


def test_dps_bad_rule():
    p = problem_1d()
    with pytest.raises(ValueError, match="rule"):
        dps_sample(MemorizedDenoiser(p.x_train, linear_schedule()), None, linear_schedule(), 2, 1, np.random.default_rng(0), rule="x")
    with pytest.raises(ValueError, match="step"):
        dps_sample(MemorizedDenoiser(p.x_train, linear_schedule()), None, linear_schedule(), 2, 1, np.random.default_rng(0), step=0)


def test_factorization_residual():
    """Symmetric-mode LU without pivoting still solves A u = q to near machine precision."""
    pb = make_problem(n=48, freq=4.0)
    rng = np.random.default_rng(9)
    m = 1 / np.clip(2.0 + 0.5 * rng.standard_normal((48, 48)), 1.5, 3.0) ** 2
    sol = pb.solve(m)
    A = pb.matrix(m)
    q = pb._sources()
    assert np.linalg.norm(A @ sol.u - q) <= 1e-10 * np.linalg.norm(q)
