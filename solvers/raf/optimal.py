"""Optimal ridge λ for the generalization error (docs/theory/raf.md §3.2, §4).

Closed forms where they exist: linear square loss ``λ_opt = π/(2(1−ε)²) − 1`` (independent of α) and
kernel ridge regression ``λ_opt = μ₁²(π/(2(1−ε)²) − 1) − μ⋆²`` (clipped at 0: below the compatibility
threshold the optimum over λ ≥ 0 is λ = 0, perfect memorization). Otherwise (hinge, logistic, random
features) a bounded one-dimensional minimisation of ``ε_gen`` over ``log λ`` after a coarse scan.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from memtheory.core.checks import check_interval, check_positive
from memtheory.solvers.raf.models import BayesOptimal, Kernel, Linear, RandomFeatures
from memtheory.solvers.raf.solve import solve

__all__ = ["optimal_lambda"]

LOG_LAM_RANGE = (-5.0, 3.0)


def _closed_form(model, eps: float) -> float | None:
    if eps == 1.0:
        return math.inf  # pure facts: no rule to generalize, every λ gives ε_gen = 1/2
    ratio = math.pi / (2.0 * (1.0 - eps) ** 2) - 1.0
    if isinstance(model, Linear) and model.loss == "square":
        return ratio
    if isinstance(model, Kernel) and model.loss == "square":
        return max(model.mu1**2 * ratio - model.mu_star**2, 0.0)
    return None


def optimal_lambda(model, alpha: float, epsilon: float, *, full_output: bool = False, tol: float = 1e-10):
    """λ ≥ 0 minimising the generalization error of ``model`` at (α, ε).

    See docs/theory/raf.md §8.

    Parameters
    ----------
    model : Linear, Kernel or RandomFeatures
        Its own ``lam`` is ignored.
    alpha, epsilon : float
        Sample ratio and fraction of facts.
    full_output : bool
        Also return the :class:`~memtheory.solvers.raf.results.RAFResult` at the optimum.

    Returns
    -------
    float or (float, RAFResult)
        ``λ_opt`` (``inf`` at ε = 1, where generalization is impossible for every λ; NaN when no
        saddle point of the scan converged, with ``None`` in place of the result). Numerical optima compare only converged solves, so
        ``λ_opt`` minimises errors that carry the promise of ``converged`` (to ``xatol = 1e-6`` in
        ``log₁₀ λ``).

    Notes
    -----
    Numerical optima are searched on ``log₁₀ λ ∈ [−5, 3]`` (and λ = 0 where it is defined); an optimum
    at the lower end is reported as 0 when λ = 0 is at least as good.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> lam = raf.optimal_lambda(raf.Linear(loss='square'), alpha=2.0, epsilon=0.2)
    >>> round(lam, 4)
    1.4544
    """
    if isinstance(model, BayesOptimal):
        raise ValueError("the Bayes-optimal estimator has no ridge parameter")
    alpha = check_positive("alpha", alpha)
    eps = check_interval("epsilon", epsilon, 0.0, 1.0)
    lam = _closed_form(model, eps)
    if lam is None:
        lam = _numerical(model, alpha, eps, tol)
    if not full_output:
        return lam
    if math.isnan(lam):
        return lam, None
    best = solve(replace(model, lam=lam if math.isfinite(lam) else 1e6), alpha, eps, tol=tol)
    return lam, best


def _gen(model, lam, alpha, eps, tol):
    try:
        res = solve(replace(model, lam=lam), alpha, eps, tol=tol, warn=False)
    except ValueError:
        return math.inf
    return res.gen_error if res.converged else math.inf


def _numerical(model, alpha, eps, tol) -> float:
    grid = np.linspace(*LOG_LAM_RANGE, 17)
    values = np.array([_gen(model, 10.0**g, alpha, eps, tol) for g in grid])
    if not np.isfinite(values).any():
        return math.nan  # no λ of the scan converged: there is no trustworthy optimum to report
    i = int(np.argmin(values))
    lo = grid[max(i - 1, 0)]
    hi = grid[min(i + 1, len(grid) - 1)]
    from scipy import optimize

    res = optimize.minimize_scalar(lambda g: _gen(model, 10.0**g, alpha, eps, tol), bounds=(lo, hi),
                                   method="bounded", options={"xatol": 1e-6})
    best_log, best_val = (res.x, res.fun) if res.fun <= values[i] else (grid[i], values[i])
    if best_log <= LOG_LAM_RANGE[0] + 1e-3 and not isinstance(model, RandomFeatures):
        if _gen(model, 0.0, alpha, eps, tol) <= best_val:
            return 0.0
    return float(10.0**best_log)
