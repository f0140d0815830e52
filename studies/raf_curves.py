"""Learning curves ε_gen(α) at optimal λ, and random-features errors along κ = p/d."""

from __future__ import annotations

import numpy as np

from memtheory.studies._common import model_from_spec, optimal_point, solve_errors
from memtheory.studies.grid import axis_values, sweep_grid

__all__ = ["learning_curves", "rf_kappa_sweep"]


def learning_curves(*, epsilon, alpha, curves, activation: str = "sign") -> dict:
    """ε_gen(α) at the optimal ridge λ_opt(α, ε) for several learners, and the Bayes-optimal ε_gen(α).

    Parameters
    ----------
    epsilon : list of float
        Fact fractions, one panel each.
    alpha : axis spec
        Sample ratios (e.g. ``{"log10": [-0.5, 2, 30]}``).
    curves : list of str
        ``"<learner>:<loss>"``, e.g. ``"linear:square"``, ``"kernel:hinge"``.
    activation : str
        Kernel nonlinearity.

    Returns
    -------
    dict
        ``alpha`` (A,), ``epsilon`` (E,), ``curve`` (C,), ``gen_error``/``mem_error``/``lam_opt``
        (E, C, A), ``bo_gen`` (E, A).
    """
    from memtheory.solvers import raf

    a = axis_values(alpha)
    eps = np.atleast_1d(np.asarray(epsilon, dtype=float))
    out = np.full((eps.size, len(curves), a.size, 3), np.nan)
    bo = np.full((eps.size, a.size), np.nan)
    for i, e in enumerate(eps):
        for j, curve in enumerate(curves):
            learner, _, loss = curve.partition(":")
            model = model_from_spec(learner, loss=loss or "square", lam=1.0, activation=activation)
            for k, x in enumerate(a):
                lam, gen, mem = optimal_point(model, float(x), float(e))
                out[i, j, k] = (gen, mem, lam)
        res = sweep_grid(raf.BayesOptimal(), {"alpha": a, "epsilon": float(e)}, outputs=("gen_error",))
        bo[i] = res["gen_error"]
    return {"alpha": a, "epsilon": eps, "curve": np.array(curves), "gen_error": out[..., 0],
            "mem_error": out[..., 1], "lam_opt": out[..., 2], "bo_gen": bo}


def rf_kappa_sweep(*, alpha: float, epsilon: float, lam: float, kappa, losses,
                   activation: str = "sign") -> dict:
    """Random-features ε_gen and ε_mem along κ = p/d, with the κ → ∞ (kernel) and linear references.

    Parameters
    ----------
    alpha, epsilon, lam : float
        Sample ratio, fact fraction and ridge penalty.
    kappa : axis spec
        κ values (e.g. ``{"log10": [-1, 2, 60]}``).
    losses : list of str
        Losses, one curve pair each.
    activation : str
        Feature nonlinearity (the kernel reference uses the same one).

    Returns
    -------
    dict
        ``kappa`` (K,), ``loss`` (S,), ``gen_error``/``mem_error`` (S, K), ``kernel_gen``/
        ``kernel_mem``/``linear_gen``/``linear_mem`` (S,), ``bo_gen``, ``alpha``, ``epsilon``, ``lam``.
    """
    from memtheory.solvers import raf

    kap = axis_values(kappa)
    gen = np.full((len(losses), kap.size), np.nan)
    mem = np.full_like(gen, np.nan)
    refs = np.full((len(losses), 4), np.nan)
    for i, loss in enumerate(losses):
        model = model_from_spec(f"rf:{kap[0]}", loss=loss, lam=lam, activation=activation)
        res = sweep_grid(model, {"alpha": alpha, "epsilon": epsilon, "kappa": kap},
                         outputs=("gen_error", "mem_error", "converged"))
        ok = res.get("converged", np.ones(kap.shape, bool))
        gen[i] = np.where(ok, res["gen_error"], np.nan)
        mem[i] = np.where(ok, res["mem_error"], np.nan)
        refs[i, :2] = solve_errors(model_from_spec("kernel", loss=loss, lam=lam, activation=activation),
                                   alpha, epsilon)
        refs[i, 2:] = solve_errors(model_from_spec("linear", loss=loss, lam=lam), alpha, epsilon)
    bo = raf.solve(raf.BayesOptimal(), alpha=alpha, epsilon=epsilon).gen_error
    return {"kappa": kap, "loss": np.array(losses), "gen_error": gen, "mem_error": mem,
            "kernel_gen": refs[:, 0], "kernel_mem": refs[:, 1], "linear_gen": refs[:, 2],
            "linear_mem": refs[:, 3], "bo_gen": float(bo), "alpha": float(alpha),
            "epsilon": float(epsilon), "lam": float(lam)}


learning_curves.gallery_cost = 3.0
