"""Exact ERM for a linear predictor on given features (docs/theory/raf.md §1, learner 1).

All solvers minimise Σ_μ ℓ(y_μ, w·z_μ) + (λ/2)‖w‖² without bias, where the rows z_μ are already
scaled: z = x/√d for the linear learner, z = σ(Fx/√d)/√p for random features (docs/theory/raf.md §1, learner 3).

- square: normal equations by Cholesky in the smaller of the primal (d×d) and dual (n×n) forms;
  at λ = 0 the min-norm least-squares solution (docs/theory/raf.md §6), with an SVD fall-back when the Gram
  matrix is numerically singular (n ≈ d).
- hinge: dual coordinate descent plus an exact active-set polish (:mod:`._dcd`) to a stated KKT
  tolerance (default 1e-6 on the margins); λ = 0 is the max-margin SVM.
- logistic: Newton's method with Armijo backtracking to ‖∇J‖_∞ ≤ 1e-8 (default).
- squared hinge and Huber: generalized Newton (the loss's second derivative where it exists, 0 at
  its kinks' far side) with Armijo backtracking to ‖∇J‖_∞ ≤ 1e-8 (default); the objective is
  differentiable with a piecewise-constant curvature, so Newton terminates once the active pieces
  settle. λ > 0 only (their λ → 0 limits are the SVM and min-norm solvers above).
- square: default tolerance 1e-8 on the relative normal-equation residual.

Each solver returns a :class:`LinearFit` whose ``converged`` flag says whether its stated tolerance
was met; a miss also raises a ``RuntimeWarning`` rather than silently returning a wrong model.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from memtheory.core.checks import check_nonnegative, check_positive, check_positive_int
from ._dcd import solve_svm_dual
from .losses import check_loss

__all__ = ["LinearFit", "fit_linear", "fit_square", "fit_hinge", "fit_logistic", "fit_squared_hinge", "fit_huber"]


@dataclass(frozen=True)
class LinearFit:
    """Result of a linear ERM fit.

    Attributes
    ----------
    w : ndarray, shape (d,)
        Weights; the predictor is w·z.
    converged : bool
        Whether the stated tolerance was reached.
    residual : float
        The certificate compared with ``tol``: relative normal-equation residual (square), max
        projected dual gradient / KKT violation (hinge), max-norm of the gradient (logistic).
    tol : float
        The stated tolerance.
    iterations : int
        Solver iterations.
    method : str
        Solver used, e.g. ``"square/cholesky"``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> fit = fit_linear(rng.standard_normal((40, 10)), np.sign(rng.standard_normal(40)), "square", 0.1)
    >>> fit.method, fit.converged, fit.residual <= fit.tol
    ('square/cholesky', True, True)

    See docs/theory/raf.md §1.
    """

    w: np.ndarray
    converged: bool
    residual: float
    tol: float
    iterations: int
    method: str


def _finish(fit: LinearFit) -> LinearFit:
    if not fit.converged:
        warnings.warn(
            f"{fit.method}: stated tolerance {fit.tol:g} not reached (residual {fit.residual:.3g} after "
            f"{fit.iterations} iterations); result flagged converged=False",
            RuntimeWarning,
            stacklevel=3,
        )
    return fit


def fit_square(Z: np.ndarray, y: np.ndarray, lam: float, tol: float = 1e-8) -> LinearFit:
    """Ridge / min-norm least squares: w = (ZᵀZ + λI)⁻¹Zᵀy = Zᵀ(ZZᵀ + λI)⁻¹y.

    At λ = 0 the dual form gives the min-norm interpolator for n < d and the primal form the OLS
    solution for n > d (docs/theory/raf.md §6, square). The certificate is ‖Zᵀ(Zw − y) + λw‖/‖Zᵀy‖.
    """
    n, d = Z.shape
    method = "cholesky"
    try:
        if d <= n:
            A = Z.T @ Z
            A[np.diag_indices(d)] += lam
            w = sla.cho_solve(sla.cho_factor(A, lower=True, check_finite=False), Z.T @ y)
        else:
            B = Z @ Z.T
            B[np.diag_indices(n)] += lam
            w = Z.T @ sla.cho_solve(sla.cho_factor(B, lower=True, check_finite=False), y)
    except (sla.LinAlgError, np.linalg.LinAlgError):
        w = None
    res = np.inf if w is None else _square_residual(Z, y, w, lam)
    if not res <= tol and lam == 0.0:
        # n ≈ d at λ = 0: the Gram matrix is (numerically) singular; SVD gives the min-norm solution.
        method = "lstsq"
        w = sla.lstsq(Z, y, lapack_driver="gelsd", check_finite=False)[0]
        res = _square_residual(Z, y, w, lam)
    if w is None:
        w = np.full(d, np.nan)
    return _finish(LinearFit(w, bool(res <= tol), float(res), tol, 1, f"square/{method}"))


def _square_residual(Z, y, w, lam):
    g = Z.T @ (Z @ w - y) + lam * w
    scale = max(np.linalg.norm(Z.T @ y), 1e-300)
    return float(np.linalg.norm(g) / scale)


def fit_hinge(
    Z: np.ndarray, y: np.ndarray, lam: float, tol: float = 1e-6, max_epochs: int = 20000, seed: int = 0
) -> LinearFit:
    """Bias-free soft-margin SVM (λ > 0) or hard-margin max-margin SVM (λ = 0), solved in the dual.

    Dual coordinate descent finds the active set, an exact linear solve on the free support vectors
    polishes it (:func:`._dcd.solve_svm_dual`). The certificate is the largest KKT violation
    max_μ |PG_μ| of the dual, recomputed from scratch; ≤ tol means every margin y_μ w·z_μ is within tol
    of its KKT value. A non-separable problem at λ = 0 never meets it and is flagged.
    """
    C = np.inf if lam == 0.0 else 1.0 / lam
    Zc = np.ascontiguousarray(Z, dtype=np.float64)
    a, _, kkt, epochs = solve_svm_dual(y, C, tol, seed=seed, max_epochs=max_epochs, Z=Zc)
    w = Zc.T @ (a * y)
    ok = bool(kkt <= tol and np.all(np.isfinite(w)))
    return _finish(LinearFit(w, ok, kkt, tol, int(epochs), "hinge/dual-coordinate-descent"))


def fit_logistic(Z: np.ndarray, y: np.ndarray, lam: float, tol: float = 1e-8, max_iter: int = 100) -> LinearFit:
    """Logistic ERM by Newton's method with Armijo backtracking, to ‖∇J‖_∞ ≤ tol.

    J(w) = Σ log(1 + e^{−y w·z}) + (λ/2)‖w‖² is strictly convex for λ > 0, so Newton converges
    quadratically. At λ = 0 on separable data the minimiser is at infinity: the iteration is flagged.
    """
    n, d = Z.shape
    w = np.zeros(d)

    def objective(v):
        return float(np.logaddexp(0.0, -y * (Z @ v)).sum() + 0.5 * lam * v @ v)

    J = objective(w)
    gnorm = np.inf
    it = 0
    for it in range(1, max_iter + 1):
        m = y * (Z @ w)
        s = 0.5 * (1.0 - np.tanh(0.5 * m))  # σ(−m) without overflow
        g = -Z.T @ (y * s) + lam * w
        gnorm = float(np.max(np.abs(g)))
        if gnorm <= tol:
            break
        h = s * (1.0 - s)
        H = (Z * h[:, None]).T @ Z
        H[np.diag_indices(d)] += lam + 1e-300
        try:
            step = -sla.cho_solve(sla.cho_factor(H, lower=True, check_finite=False), g)
        except (sla.LinAlgError, np.linalg.LinAlgError):
            step = -sla.lstsq(H, g, check_finite=False)[0]
        t, slope = 1.0, float(g @ step)
        while t > 1e-12:
            J_new = objective(w + t * step)
            if J_new <= J + 1e-4 * t * slope:
                break
            t *= 0.5
        w = w + t * step
        J = J_new
    else:
        m = y * (Z @ w)
        g = -Z.T @ (y * 0.5 * (1.0 - np.tanh(0.5 * m))) + lam * w
        gnorm = float(np.max(np.abs(g)))
    ok = bool(gnorm <= tol)
    method = "logistic/newton"
    if lam == 0.0 and np.all(y * (Z @ w) > 0):
        # Separable data: J → 0 only as ‖w‖ → ∞, so a small gradient is not a minimiser.
        ok, method = False, "logistic/newton (separable at lam=0: no finite minimiser)"
    return _finish(LinearFit(w, ok, gnorm, tol, it, method))


def _margin_derivatives(loss: str, m: np.ndarray):
    """``(L(m), L'(m), L''(m))`` of the piecewise-quadratic margin losses."""
    r = 1.0 - m
    if loss == "squared_hinge":
        active = r > 0.0
        return 0.5 * np.where(active, r * r, 0.0), np.where(active, -r, 0.0), active.astype(float)
    quad = np.abs(r) <= 1.0  # huber, δ = 1
    value = np.where(quad, 0.5 * r * r, np.abs(r) - 0.5)
    return value, np.where(quad, -r, -np.sign(r)), quad.astype(float)


def _fit_newton(Z: np.ndarray, y: np.ndarray, lam: float, loss: str, tol: float, max_iter: int) -> LinearFit:
    """Generalized Newton with Armijo backtracking on J(w) = Σ L(y w·z) + (λ/2)‖w‖², to ‖∇J‖_∞ ≤ tol."""
    if lam <= 0.0:
        raise ValueError(f"lam must be > 0 for the {loss} simulation learner (allowed range (0, inf))")
    n, d = Z.shape
    w = np.zeros(d)

    def objective(v):
        return float(_margin_derivatives(loss, y * (Z @ v))[0].sum() + 0.5 * lam * v @ v)

    J = objective(w)
    gnorm = np.inf
    it = 0
    for it in range(1, max_iter + 1):
        _, d1, d2 = _margin_derivatives(loss, y * (Z @ w))
        g = Z.T @ (y * d1) + lam * w
        gnorm = float(np.max(np.abs(g)))
        if gnorm <= tol:
            break
        H = (Z * d2[:, None]).T @ Z
        H[np.diag_indices(d)] += lam
        step = -sla.cho_solve(sla.cho_factor(H, lower=True, check_finite=False), g)
        t, slope = 1.0, float(g @ step)
        while t > 1e-12:
            J_new = objective(w + t * step)
            if J_new <= J + 1e-4 * t * slope:
                break
            t *= 0.5
        w = w + t * step
        J = J_new
    else:
        _, d1, _ = _margin_derivatives(loss, y * (Z @ w))
        gnorm = float(np.max(np.abs(Z.T @ (y * d1) + lam * w)))
    return _finish(LinearFit(w, bool(gnorm <= tol), gnorm, tol, it, f"{loss}/newton"))


def fit_squared_hinge(Z: np.ndarray, y: np.ndarray, lam: float, tol: float = 1e-8, max_iter: int = 200) -> LinearFit:
    """Squared-hinge ERM, ℓ = max(0, 1 − yz)²/2, by generalized Newton (λ > 0)."""
    return _fit_newton(Z, y, lam, "squared_hinge", tol, max_iter)


def fit_huber(Z: np.ndarray, y: np.ndarray, lam: float, tol: float = 1e-8, max_iter: int = 200) -> LinearFit:
    """Huber ERM (δ = 1 on the residual 1 − yz) by generalized Newton (λ > 0)."""
    return _fit_newton(Z, y, lam, "huber", tol, max_iter)


def fit_linear(Z: np.ndarray, y: np.ndarray, loss: str, lam: float, tol: float | None = None, **kw) -> LinearFit:
    """Dispatch to the exact solver of ``loss`` (square, hinge, logistic, squared_hinge, huber).

    Parameters
    ----------
    Z : ndarray, shape (n, d)
        Features (already scaled, e.g. x/√d).
    y : ndarray, shape (n,)
        Labels in {-1, +1}.
    loss : str
        Loss name.
    lam : float
        Ridge λ ≥ 0 on ``λ/2 ‖w‖²``.
    tol : float, optional
        Solver tolerance (default: the solver's).
    **kw
        Passed to the solver (e.g. ``seed`` and ``max_epochs`` for hinge, ``max_iter`` for Newton).

    Returns
    -------
    LinearFit
        Weights and convergence certificate.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> Z, y = rng.standard_normal((40, 10)), np.sign(rng.standard_normal(40))
    >>> fit = fit_linear(Z, y, "hinge", 0.1)
    >>> fit.method, fit.converged, fit.w.shape
    ('hinge/dual-coordinate-descent', True, (10,))

    See docs/theory/raf.md §1 and docs/theory/losses.md.
    """
    loss = check_loss(loss)
    lam = check_nonnegative("lam", lam)
    if Z.ndim != 2 or Z.shape[0] != y.shape[0]:
        raise ValueError(f"features must have shape (n, d) matching y, got {Z.shape} and {y.shape}")
    check_positive_int("n", Z.shape[0])
    if tol is not None:
        kw["tol"] = check_positive("tol", tol)
    solver = {"square": fit_square, "hinge": fit_hinge, "logistic": fit_logistic,
              "squared_hinge": fit_squared_hinge, "huber": fit_huber}[loss]
    return solver(Z, y, lam, **kw)
