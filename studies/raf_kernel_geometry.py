"""Kernel geometry data: over (μ⋆²/μ₁², λ), where facts are memorised and where ε_gen is optimal."""

from __future__ import annotations

import math

import numpy as np

from memtheory.studies._common import optimal_point, safe_lam0
from memtheory.studies.grid import axis_values, sweep_grid
from memtheory.studies.models import make_model

__all__ = ["kernel_geometry"]


def kernel_geometry(*, alpha: float, epsilon: float, ratio, lam, loss: str = "square",
                    mu1_sq: float = 2 / math.pi, mem_tol: float = 1e-3, gen_tol: float = 1e-3) -> dict:
    """ε_gen and ε_mem of a kernel learner over the kernel ratio r = μ⋆²/μ₁² and the ridge λ.

    A point "memorises all facts" when ε_mem ≤ ``mem_tol`` and "generalises optimally" when ε_gen is
    within ``gen_tol`` of the best ε_gen over λ ≥ 0 at that r (λ = 0 included). The λ = 0 row uses the
    exact conditions ε_mem = 0 (interpolation) and λ_opt = 0, i.e. the exact compatibility
    condition (the optimal ridge is zero).

    Parameters
    ----------
    alpha, epsilon : float
        Sample ratio and fact fraction.
    ratio : axis spec
        Values of r = μ⋆²/μ₁² (e.g. ``{"log10": [-2, 1, 61]}``).
    lam : axis spec
        λ > 0 values (e.g. ``{"log10": [-4, 1, 61]}``).
    loss : str
        ``square`` (kernel ridge regression) or ``hinge`` (kernel SVM).
    mu1_sq : float
        μ₁², held fixed while μ⋆² = r μ₁² varies.
    mem_tol, gen_tol : float
        Tolerances of the two properties.

    Returns
    -------
    dict
        ``ratio`` (R,), ``lam`` (N,), ``gen_error``/``mem_error`` (R, N), ``gen_lam0``/``mem_lam0``/
        ``lam_opt``/``gen_opt``/``mem_opt`` (R,) (``mem_opt``: ε_mem at λ_opt), boolean
        ``memorizes``/``optimal`` (R, N) and ``memorizes_lam0``/``optimal_lam0`` (R,),
        ``boundary`` (the r where the optimal λ reaches 0, beyond which the ridgeless kernel, which
        interpolates every fact, is also the best generaliser), ``boundary_tol`` (the same condition with
        the figure's tolerance: the smallest r from which the ridgeless kernel's ε_gen stays within
        ``gen_tol`` of the best, interpolated in log between grid points; NaN if none), scalars of the parameters.
    """
    from memtheory.solvers import raf

    r = axis_values(ratio)
    lams = axis_values(lam)
    gen = np.full((r.size, lams.size), np.nan)
    mem = np.full_like(gen, np.nan)
    extra = np.full((r.size, 5), np.nan)
    for i, x in enumerate(r):
        model = make_model("kernel", loss=loss, lam=float(lams[0]), mu1=math.sqrt(mu1_sq),
                           mu_star=math.sqrt(x * mu1_sq))
        res = sweep_grid(model, {"alpha": alpha, "epsilon": epsilon, "lam": lams},
                         outputs=("gen_error", "mem_error", "converged"))
        ok = res.get("converged", np.ones(lams.shape, bool))
        gen[i] = np.where(ok, res["gen_error"], np.nan)
        mem[i] = np.where(ok, res["mem_error"], np.nan)
        g0, m0 = safe_lam0(model, alpha, epsilon)
        lam_opt, g_opt, m_opt = optimal_point(model, alpha, epsilon)
        extra[i] = (g0, m0, lam_opt, g_opt, m_opt)
    gen0, mem0, lam_opt, gen_opt, mem_opt = extra.T
    best = np.fmin(np.fmin(gen_opt, gen0), np.nanmin(gen, axis=1))
    return {"boundary_tol": _tolerance_boundary(r, gen0 - best, gen_tol), "ratio": r, "lam": lams, "gen_error": gen, "mem_error": mem, "gen_lam0": gen0,
            "mem_lam0": mem0, "lam_opt": lam_opt, "gen_opt": best, "mem_opt": mem_opt,
            "memorizes": mem <= mem_tol, "optimal": gen - best[:, None] <= gen_tol,
            # The λ = 0 row uses the exact conditions (no tolerance): interpolation and λ_opt = 0.
            "memorizes_lam0": mem0 == 0.0, "optimal_lam0": lam_opt == 0.0,
            "boundary": float(raf.kernel_compatibility_threshold(epsilon)), "alpha": float(alpha),
            "epsilon": float(epsilon), "loss": loss, "mu1_sq": float(mu1_sq), "mem_tol": float(mem_tol),
            "gen_tol": float(gen_tol)}


def _tolerance_boundary(r: np.ndarray, gap: np.ndarray, tol: float) -> float:
    below = np.isfinite(gap) & (gap <= tol)
    if not below.any():
        return float("nan")
    # first index from which every later point stays below the tolerance
    i = int(np.flatnonzero(~below)[-1]) + 1 if (~below).any() else 0
    if i >= r.size:
        return float("nan")
    if i == 0:
        return float(r[0])
    lo, hi = np.log10(max(gap[i - 1], 1e-300)), np.log10(max(gap[i], 1e-300))
    t = (lo - np.log10(tol)) / (lo - hi) if lo != hi else 1.0
    return float(10 ** (np.log10(r[i - 1]) + t * (np.log10(r[i]) - np.log10(r[i - 1]))))

