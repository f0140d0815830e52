"""The Gardner bridge: RAF facts as stored information (docs/theory/raf.md, capacity.md §3.3).

At ``ε = 1`` the Rules-and-Facts model is Gardner's storage problem: a learner with ``P``
parameters sees ``n = αd`` facts, random ±1 labels on random inputs. Fano's bound for binary facts
(``g_2``, docs/theory/capacity.md §2 with ``K = 2``) turns the RAF memorization error ``ε_mem`` into stored bits:

    I(labels; θ) >= n_f · (1 − h2(ε_mem)),    n_f = ε·α·d facts,

so ``bits/param = ε·α·(1 − h2(ε_mem)) / (P/d)`` with ``P/d = 1`` for the linear learner and ``κ`` for
random features (``P = κd``). The linear hinge learner at ``λ → 0`` interpolates (``ε_mem = 0``)
up to ``α_c = 2``, where it stores ``α_c = 2.00`` bits per parameter: Gardner's capacity, the
``b = 2`` of the capacity calculator. For ``ε < 1`` the rule examples take their part of the
capacity and the facts' share ``ε·α·(1 − h2(ε_mem))/(b·P/d)`` is what remains.

Needs :mod:`memtheory.solvers.raf` (imported lazily).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_interval, check_positive
from .bounds import fano_bits

__all__ = ["GardnerCurve", "binary_fact_bits", "bridge", "gardner_bits_at_threshold", "params_per_dim"]


def binary_fact_bits(mem_error):
    """``1 − h2(ε_mem)`` bits per binary fact (Fano, docs/theory/capacity.md §2 at ``K = 2``; 0 for ``ε_mem >= 1/2``)."""
    e = np.asarray(mem_error, dtype=np.float64)
    out = np.where(np.isfinite(e), fano_bits(np.clip(1.0 - np.nan_to_num(e), 0.0, 1.0), 2), np.nan)
    return float(out) if np.ndim(mem_error) == 0 else out


def params_per_dim(model) -> float:
    """``P/d`` of a RAF learner: 1 (linear), ``κ`` (random features), ``inf`` (kernel)."""
    learner = getattr(model, "learner", None)
    if learner == "linear":
        return 1.0
    if learner == "random_features":
        return float(model.kappa)
    if learner == "kernel":
        return math.inf
    raise ValueError(f"model must be raf.Linear, raf.Kernel or raf.RandomFeatures, got {model!r}")


@dataclass(frozen=True)
class GardnerCurve:
    """Stored fact information of one RAF learner along ``α``.

    Attributes
    ----------
    alpha : ndarray
        Sample ratio ``n/d``.
    epsilon : float
        Fraction of facts.
    mem_error : ndarray
        RAF training error on the facts.
    bits_per_dim : ndarray
        ``ε·α·(1 − h2(ε_mem))``: Fano lower bound on stored fact bits per input dimension.
    params_per_dim : float
        ``P/d`` (``inf`` for kernels, whose bits per parameter are then 0).
    bits_per_param : ndarray
        ``bits_per_dim / (P/d)``.
    capacity_share : ndarray
        ``bits_per_param / b``: the facts' share of the ``b·P`` budget.
    converged : ndarray of bool
    """

    alpha: np.ndarray
    epsilon: float
    mem_error: np.ndarray
    bits_per_dim: np.ndarray
    params_per_dim: float
    bits_per_param: np.ndarray
    capacity_share: np.ndarray
    converged: np.ndarray


def bridge(model, alpha, epsilon: float = 1.0, bits_per_param: float = 2.0) -> GardnerCurve:
    """Information a RAF learner stores about its facts, per parameter, along ``α``.

    Parameters
    ----------
    model : raf.Linear, raf.Kernel or raf.RandomFeatures
    alpha : float or 1-D array
        Values of ``α = n/d`` (> 0).
    epsilon : float
        Fraction of facts, ``0 < ε <= 1`` (1: Gardner's storage problem).
    bits_per_param : float
        ``b`` of the capacity bound ``b·P`` (2 = Gardner's ``α_c`` for the linear learner).

    Returns
    -------
    GardnerCurve
        Points where the saddle point is singular (e.g. exactly at ``α_c`` for ``λ = 0``) or did not
        converge carry ``converged = False``.
    """
    from memtheory.solvers import raf

    eps = check_interval("epsilon", epsilon, 0.0, 1.0, closed=(False, True))
    b = check_positive("bits_per_param", bits_per_param)
    a = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if a.ndim != 1 or not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("alpha must be a number > 0 or a 1-D array of numbers > 0")
    ppd = params_per_dim(model)
    mem, conv = None, None
    if a.size > 1:
        try:
            grid = raf.sweep(model, alpha=a, epsilon=eps, warn=False)
            mem = np.asarray(grid.mem_error, dtype=np.float64).reshape(a.shape)
            conv = np.asarray(grid.converged, dtype=bool).reshape(a.shape)
        except ValueError:
            mem = None  # a grid the sweep refuses as a whole: solve point by point below
    if mem is None:
        mem = np.full(a.shape, np.nan)
        conv = np.zeros(a.shape, dtype=bool)
        for i, ai in enumerate(a):
            try:
                res = raf.solve(model, alpha=float(ai), epsilon=eps)
            except ValueError as exc:
                if "alpha" not in str(exc):
                    raise
                continue  # a singular point (threshold, interpolation peak): reported as not converged
            mem[i], conv[i] = res.mem_error, bool(res.converged)
    per_dim = eps * a * binary_fact_bits(mem)
    per_param = per_dim / ppd
    return GardnerCurve(alpha=a, epsilon=eps, mem_error=mem, bits_per_dim=per_dim, params_per_dim=ppd,
                        bits_per_param=per_param, capacity_share=per_param / b, converged=conv)


def gardner_bits_at_threshold(epsilon: float = 1.0, approach=(0.9, 0.99, 0.999)) -> dict:
    """Bits per parameter of the linear hinge learner at ``λ → 0`` as ``α → α_c(ε)⁻``.

    Below ``α_c`` the max-margin solution interpolates, ``ε_mem = 0``, so the stored fact bits are
    exactly ``ε·α`` per parameter; the saddle point itself is singular at ``α_c``, so the value there
    is the left limit ``ε·α_c``. The function checks the interpolation claim with the RAF solver at
    ``α = f·α_c`` for each ``f`` in ``approach``.

    Returns
    -------
    dict
        ``alpha_c``, ``bits_per_param`` (``ε·α_c·(1 − h2(0))``), and per approach point ``alpha``,
        ``mem_error``, ``converged``, ``bits_per_param``.
    """
    from memtheory.solvers import raf

    eps = check_interval("epsilon", epsilon, 0.0, 1.0, closed=(False, True))
    a_c = float(raf.separability_threshold(epsilon=eps, margin=0.0))
    model = raf.Linear(loss="hinge", lam=0.0)
    alphas = np.array([f * a_c for f in approach])
    curve = bridge(model, alphas, eps)
    if np.any(np.abs(np.nan_to_num(curve.mem_error, nan=1.0)) > 0):
        raise RuntimeError(f"max-margin learner does not interpolate below alpha_c: mem_error={curve.mem_error}")
    return {
        "alpha_c": a_c,
        "bits_per_param": eps * a_c * binary_fact_bits(0.0),
        "alpha": curve.alpha,
        "mem_error": curve.mem_error,
        "converged": curve.converged,
        "approach_bits_per_param": curve.bits_per_param,
    }
