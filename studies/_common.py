"""Helpers shared by the RAF figure producers."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import warnings

import numpy as np

from memtheory.core.names import short_learner
from memtheory.studies.models import canonical_learner, make_model

__all__ = ["quiet", "parse_learner_spec", "model_from_spec", "solve_errors", "optimal_point", "safe_lam0"]


@contextlib.contextmanager
def quiet():
    """Silence solver warnings: producers record non-convergence as NaN / ``converged`` instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        yield


def parse_learner_spec(spec: str) -> tuple[str, float]:
    """Split ``"rf:2"`` into ``("rf", 2.0)``: the short label of the learner (as the figure data store
    it) and κ; other learners get κ = NaN. Any alias of :mod:`memtheory.core.names` is accepted."""
    name, _, kappa = spec.partition(":")
    name = canonical_learner(name)
    if name == "random_features":
        if not kappa:
            raise ValueError(f"random-features spec {spec!r} needs a kappa, e.g. 'rf:2'")
        return short_learner(name), float(kappa)
    return short_learner(name), math.nan


def model_from_spec(spec: str, *, loss: str, lam: float, activation: str = "sign"):
    """Model for a spec string ``linear``/``kernel``/``rf:<kappa>``/``bo``."""
    name, kappa = parse_learner_spec(spec)
    return make_model(name, loss=loss, lam=lam, kappa=None if math.isnan(kappa) else kappa,
                      activation=activation)


def solve_errors(model, alpha: float, epsilon: float) -> tuple[float, float]:
    """``(ε_gen, ε_mem)`` of one saddle point; NaN when the solver fails or does not converge."""
    from memtheory.solvers import raf

    try:
        with quiet():
            res = raf.solve(model, alpha=alpha, epsilon=epsilon)
    except (ValueError, ArithmeticError, RuntimeError):
        return math.nan, math.nan
    if not getattr(res, "converged", True):
        return math.nan, math.nan
    mem = getattr(res, "mem_error", math.nan)
    return float(res.gen_error), float(math.nan if mem is None else mem)


def optimal_point(model, alpha: float, epsilon: float) -> tuple[float, float, float]:
    """``(λ_opt, ε_gen, ε_mem)`` at the optimal ridge; NaNs if the optimiser fails."""
    from memtheory.solvers import raf

    try:
        with quiet():
            lam = float(raf.optimal_lambda(model, alpha=alpha, epsilon=epsilon))
    except (ValueError, ArithmeticError, RuntimeError):
        return math.nan, math.nan, math.nan
    gen, mem = solve_errors(dataclasses.replace(model, lam=lam), alpha, epsilon)
    return lam, gen, mem


def safe_lam0(model, alpha: float, epsilon: float) -> tuple[float, float]:
    """Errors in the λ → 0 limit (interpolator / max-margin); NaN where the solver has no such branch."""
    try:
        model = dataclasses.replace(model, lam=0.0)
    except ValueError:  # e.g. random features: no λ = 0 branch
        return math.nan, math.nan
    return solve_errors(model, alpha, epsilon)


def stack(rows) -> np.ndarray:
    """``np.array`` of equal-length rows as float."""
    return np.asarray(rows, dtype=float)
