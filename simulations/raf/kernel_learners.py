"""Kernel ridge regression and the bias-free kernel SVM (docs/theory/raf.md §1 learner 2, §5.6).

Both minimise Σ_μ ℓ(y_μ, f(x_μ)) + (λ/2)‖f‖²_H over the RKHS of the kernel; by the representer theorem
f = Σ_ν c_ν k(x_ν, ·).

* square (KRR): c = (K + λI)⁻¹y (docs/theory/raf.md §1), by Cholesky; λ = 0 is the kernel interpolator (K is
  positive definite whenever μ⋆ > 0, docs/theory/raf.md §4), with an SVD fall-back if K is singular.
* hinge (kernel SVM): c_ν = a_ν y_ν with a the solution of the bias-free dual with C = 1/λ
  (:func:`._dcd.solve_svm_dual`); λ = 0 is the kernel max-margin SVM.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from memtheory.core.checks import check_nonnegative, check_positive
from memtheory.core.names import canonical
from ._dcd import solve_svm_dual

__all__ = ["KernelFit", "fit_kernel"]


@dataclass(frozen=True)
class KernelFit:
    """Result of a kernel fit.

    Attributes
    ----------
    coef : ndarray, shape (n,)
        c in f = Σ c_ν k(x_ν, ·); test outputs are K_test @ coef.
    train_outputs : ndarray, shape (n,)
        f(x_μ) on the training inputs.
    converged : bool
        Whether the certificate met ``tol``.
    residual : float
        ‖(K + λI)c − y‖/‖y‖ (square) or max KKT violation (hinge).
    tol : float
        The stated tolerance.
    iterations : int
        Solver iterations (epochs for the SVM).
    method : str
        Solver used.

    Examples
    --------
    >>> import numpy as np
    >>> from memtheory.simulations.raf import make_kernel
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.standard_normal((30, 10)), np.sign(rng.standard_normal(30))
    >>> fit = fit_kernel(make_kernel("sign").gram(X), y, "square", 0.1)
    >>> fit.method, fit.converged, fit.coef.shape
    ('krr/cholesky', True, (30,))

    See docs/theory/raf.md §1.
    """

    coef: np.ndarray
    train_outputs: np.ndarray
    converged: bool
    residual: float
    tol: float
    iterations: int
    method: str


def _krr(K, y, lam, tol):
    A = K.copy()
    A[np.diag_indices_from(A)] += lam
    method = "krr/cholesky"
    try:
        c = sla.cho_solve(sla.cho_factor(A, lower=True, check_finite=False), y)
        res = float(np.linalg.norm(A @ c - y) / np.linalg.norm(y))
    except (sla.LinAlgError, np.linalg.LinAlgError):
        res = np.inf
    if not res <= tol:
        # Singular K at λ = 0 (e.g. μ⋆ = 0 with n > d): min-norm solution instead.
        method = "krr/lstsq"
        c = sla.lstsq(A, y, lapack_driver="gelsd", check_finite=False)[0]
        res = float(np.linalg.norm(A @ c - y) / np.linalg.norm(y))
    return KernelFit(c, K @ c, bool(res <= tol), res, tol, 1, method)


def _svm(K, y, lam, tol, max_epochs, seed):
    C = np.inf if lam == 0.0 else 1.0 / lam
    a, margins, kkt, epochs = solve_svm_dual(y, C, tol, seed=seed, max_epochs=max_epochs, K=K)
    return KernelFit(a * y, margins * y, bool(kkt <= tol), kkt, tol, int(epochs), "svm/dual-coordinate-descent")


def fit_kernel(K: np.ndarray, y: np.ndarray, loss: str, lam: float, tol: float | None = None,
               max_epochs: int = 20000, seed: int = 0) -> KernelFit:
    """Fit KRR (``loss='square'``) or the kernel SVM (``loss='hinge'``) on a precomputed Gram matrix.

    A fit that misses its tolerance is returned with ``converged=False`` and a ``RuntimeWarning``.

    Parameters
    ----------
    K : ndarray, shape (n, n)
        Training Gram matrix.
    y : ndarray, shape (n,)
        Labels in {-1, +1}.
    loss : {'square', 'hinge'}
        KRR or SVM.
    lam : float
        Ridge λ ≥ 0 (the SVM uses C = 1/λ; λ = 0 is hard margin).
    tol : float, optional
        Tolerance, default 1e-8 (square) or 1e-6 (hinge).
    max_epochs : int, default 20000
        SVM dual coordinate-descent epochs.
    seed : int, default 0
        Seed of the SVM's coordinate order.

    Returns
    -------
    KernelFit
        Coefficients, training outputs and certificate.

    Examples
    --------
    >>> import numpy as np
    >>> from memtheory.simulations.raf import make_kernel
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.standard_normal((30, 10)), np.sign(rng.standard_normal(30))
    >>> fit = fit_kernel(make_kernel("sign").gram(X), y, "hinge", 0.1)
    >>> fit.method, fit.converged
    ('svm/dual-coordinate-descent', True)

    See docs/theory/raf.md §1.
    """
    loss = canonical("loss", loss, allowed=("square", "hinge"))
    lam = check_nonnegative("lam", lam)
    y = np.asarray(y, dtype=np.float64)
    if loss == "square":
        fit = _krr(K, y, lam, 1e-8 if tol is None else check_positive("tol", tol))
    else:
        K = np.ascontiguousarray(K, dtype=np.float64)
        fit = _svm(K, y, lam, 1e-6 if tol is None else check_positive("tol", tol), max_epochs, seed)
    if not fit.converged:
        warnings.warn(
            f"{fit.method}: stated tolerance {fit.tol:g} not reached (residual {fit.residual:.3g}); "
            "result flagged converged=False",
            RuntimeWarning,
            stacklevel=2,
        )
    return fit
