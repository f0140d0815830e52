"""Memorization–generalization trade-off data: (ε_gen, ε_mem) along a λ path for several learners."""

from __future__ import annotations

import numpy as np

from memtheory.studies._common import model_from_spec, optimal_point, parse_learner_spec, safe_lam0
from memtheory.studies.grid import axis_values, sweep_grid

__all__ = ["tradeoff_curves"]

def tradeoff_curves(*, alpha: float, epsilon: float, losses, learners, lam,
                    activation: str = "sign") -> dict:
    """ε_gen and ε_mem as λ varies, the optimal-λ point, the λ → 0 end and the Bayes-optimal ε_gen.

    Parameters
    ----------
    alpha, epsilon : float
        Sample ratio α = n/d and fact fraction ε.
    losses : list of str
        Losses, one panel each.
    learners : list of str
        Learner specs ``linear``, ``kernel``, ``rf:<kappa>``.
    lam : axis spec
        λ values of the path (e.g. ``{"log10": [-4, 1.5, 80]}``).
    activation : str
        Nonlinearity of the kernel and the random features.

    Returns
    -------
    dict
        ``lam`` (N,), ``loss`` (S,), ``learner``/``kappa`` (L,), ``gen_error``/``mem_error`` (S, L, N),
        ``lam_opt``/``gen_opt``/``mem_opt`` (S, L) (the best point of the path if the optimiser fails),
        ``gen_lam0``/``mem_lam0`` (S, L) (NaN where the λ = 0 limit is not available), ``bo_gen``,
        ``alpha``, ``epsilon``.
    """
    from memtheory.solvers import raf

    lams = axis_values(lam)
    names, kappas = zip(*(parse_learner_spec(s) for s in learners))
    shape = (len(losses), len(learners))
    gen = np.full(shape + (lams.size,), np.nan)
    mem = np.full_like(gen, np.nan)
    opt = np.full(shape + (3,), np.nan)
    lam0 = np.full(shape + (2,), np.nan)
    for i, loss in enumerate(losses):
        for j, spec in enumerate(learners):
            model = model_from_spec(spec, loss=loss, lam=float(lams[0]), activation=activation)
            res = sweep_grid(model, {"alpha": alpha, "epsilon": epsilon, "lam": lams},
                             outputs=("gen_error", "mem_error", "converged"))
            ok = res.get("converged", np.ones(lams.shape, bool))
            gen[i, j] = np.where(ok, res["gen_error"], np.nan)
            mem[i, j] = np.where(ok, res["mem_error"], np.nan)
            opt[i, j] = optimal_point(model, alpha, epsilon)
            if not np.isfinite(opt[i, j, 1]) and np.isfinite(gen[i, j]).any():
                # The optimiser failed (it scans λ beyond the path): fall back to the best λ on the path.
                k = int(np.nanargmin(gen[i, j]))
                opt[i, j] = (lams[k], gen[i, j, k], mem[i, j, k])
            lam0[i, j] = safe_lam0(model, alpha, epsilon)
    bo = raf.solve(raf.BayesOptimal(), alpha=alpha, epsilon=epsilon).gen_error
    return {"lam": lams, "loss": np.array(losses), "learner": np.array(names), "kappa": np.array(kappas),
            "gen_error": gen, "mem_error": mem, "lam_opt": opt[..., 0], "gen_opt": opt[..., 1],
            "mem_opt": opt[..., 2], "gen_lam0": lam0[..., 0], "mem_lam0": lam0[..., 1],
            "bo_gen": float(bo), "alpha": float(alpha), "epsilon": float(epsilon)}
