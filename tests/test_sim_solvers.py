"""Exact simulation solvers against independent references ("Tests").

Square loss vs numpy's lstsq; hinge SVM (soft and hard margin) by its KKT conditions and a zero
duality gap written out here from the primal and dual objectives; the kernel SVM/KRR on the linear
kernel vs the primal solvers; logistic Newton vs scipy's L-BFGS.
"""

import warnings

import numpy as np
import pytest
from scipy.optimize import minimize

from memtheory.simulations.raf import fit_kernel, fit_linear, make_kernel, make_raf_data
from memtheory.simulations.raf import blas_threads

@pytest.fixture(autouse=True)
def _one_blas_thread():
    # Small matrices on a shared machine: one BLAS thread per job (see memtheory.simulations.raf._threads).
    with blas_threads(1):
        yield



def _problem(n, d, eps=0.2, seed=0):
    data = make_raf_data(n, d, eps, np.random.default_rng(seed))
    return data.X / np.sqrt(d), data.y, data


@pytest.mark.parametrize("n,d,lam", [(40, 15, 0.0), (15, 40, 0.0), (40, 15, 0.3), (15, 40, 0.3)])
def test_square_matches_numpy_lstsq(n, d, lam):
    Z, y, _ = _problem(n, d)
    fit = fit_linear(Z, y, "square", lam)
    # Ridge as an augmented least-squares problem; at λ = 0 lstsq returns the min-norm solution.
    A = np.vstack([Z, np.sqrt(lam) * np.eye(d)])
    b = np.concatenate([y, np.zeros(d)])
    ref = np.linalg.lstsq(A, b, rcond=None)[0]
    assert fit.converged
    np.testing.assert_allclose(fit.w, ref, rtol=1e-8, atol=1e-10)


def test_square_min_norm_at_interpolation_threshold():
    # n = d at λ = 0: the Gram matrix is square and badly conditioned; result must still be lstsq's.
    Z, y, _ = _problem(30, 30)
    fit = fit_linear(Z, y, "square", 0.0)
    np.testing.assert_allclose(Z @ fit.w, y, atol=1e-7)
    np.testing.assert_allclose(fit.w, np.linalg.lstsq(Z, y, rcond=None)[0], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("lam", [0.05, 1.0])
def test_hinge_kkt_and_zero_duality_gap(lam):
    Z, y, _ = _problem(60, 25, seed=1)
    fit = fit_linear(Z, y, "hinge", lam)
    assert fit.converged
    w = fit.w
    C = 1.0 / lam
    margins = y * (Z @ w)
    primal = 0.5 * w @ w + C * np.maximum(0.0, 1.0 - margins).sum()
    # Dual point built from the margins alone (KKT): a = C where margin < 1, 0 where > 1,
    # free in between, fitted so that Σ a y z = w.
    a = np.where(margins < 1 - 1e-7, C, 0.0)
    free = np.abs(margins - 1) <= 1e-7
    resid = w - (Z * y[:, None]).T @ a
    if free.any():
        a[free] = np.linalg.lstsq((Z[free] * y[free, None]).T, resid, rcond=None)[0]
    assert np.all(a >= -1e-8) and np.all(a <= C + 1e-8)
    np.testing.assert_allclose((Z * y[:, None]).T @ a, w, atol=1e-8)
    dual = a.sum() - 0.5 * w @ w
    assert abs(primal - dual) <= 1e-8 * abs(primal)


def test_hard_margin_svm_kkt():
    Z, y, _ = _problem(30, 40, eps=0.5, seed=2)  # α = 0.75 < α_c: separable
    fit = fit_linear(Z, y, "hinge", 0.0)
    assert fit.converged
    margins = y * (Z @ fit.w)
    assert margins.min() >= 1 - 1e-9
    a = np.zeros(len(y))
    sv = margins <= 1 + 1e-7
    a[sv] = np.linalg.lstsq((Z[sv] * y[sv, None]).T, fit.w, rcond=None)[0]
    assert np.all(a >= -1e-8)  # w is a non-negative combination of the margin-1 points: max-margin KKT
    np.testing.assert_allclose((Z * y[:, None]).T @ a, fit.w, atol=1e-8)


def test_hard_margin_non_separable_is_flagged():
    Z, y, _ = _problem(200, 5, eps=1.0, seed=3)  # α = 40 ≫ α_c(1) = 2: not separable
    with pytest.warns(RuntimeWarning, match="not reached"):
        fit = fit_linear(Z, y, "hinge", 0.0, max_epochs=300)
    assert not fit.converged


@pytest.mark.parametrize("lam", [0.0, 0.1])
def test_kernel_svm_on_linear_kernel_equals_primal(lam):
    n, d = (50, 80) if lam == 0.0 else (90, 30)
    Z, y, data = _problem(n, d, seed=4)
    kern = make_kernel("linear", sphere=False, center=False)
    K = kern.gram(data.X)
    np.testing.assert_allclose(K, Z @ Z.T, atol=1e-12)
    kfit = fit_kernel(K, y, "hinge", lam)
    pfit = fit_linear(Z, y, "hinge", lam)
    assert kfit.converged and pfit.converged
    np.testing.assert_allclose(kfit.train_outputs, Z @ pfit.w, atol=1e-7)
    X_test = np.random.default_rng(5).standard_normal((20, d))
    np.testing.assert_allclose(kern.gram(X_test, data.X) @ kfit.coef, X_test / np.sqrt(d) @ pfit.w, atol=1e-7)


def test_krr_on_linear_kernel_equals_ridge():
    Z, y, data = _problem(70, 30, seed=6)
    K = make_kernel("linear", sphere=False, center=False).gram(data.X)
    kfit = fit_kernel(K, y, "square", 0.2)
    np.testing.assert_allclose(kfit.train_outputs, Z @ fit_linear(Z, y, "square", 0.2).w, atol=1e-9)


@pytest.mark.parametrize("lam", [0.05, 1.0])
def test_logistic_matches_lbfgs(lam):
    Z, y, _ = _problem(80, 20, seed=7)
    fit = fit_linear(Z, y, "logistic", lam)
    assert fit.converged and fit.residual <= 1e-8

    def J(w):
        m = y * (Z @ w)
        return np.logaddexp(0, -m).sum() + 0.5 * lam * w @ w, -Z.T @ (y / (1 + np.exp(m))) + lam * w

    ref = minimize(J, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B", options={"gtol": 1e-11, "ftol": 1e-15})
    np.testing.assert_allclose(fit.w, ref.x, atol=1e-5)


def test_logistic_separable_at_zero_lambda_is_flagged():
    Z, y, _ = _problem(20, 40, seed=8)  # n < d: separable, no finite minimiser at λ = 0
    with pytest.warns(RuntimeWarning):
        fit = fit_linear(Z, y, "logistic", 0.0)
    assert not fit.converged


def test_converged_fit_does_not_warn():
    Z, y, _ = _problem(60, 20, seed=9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for loss in ("square", "hinge", "logistic"):
            assert fit_linear(Z, y, loss, 0.5).converged
