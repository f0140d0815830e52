"""Phase-diagram data: ε_gen and ε_mem over (α, ε) for several learners at one loss and ridge."""

from __future__ import annotations

import numpy as np

from memtheory.studies._common import model_from_spec, parse_learner_spec
from memtheory.studies.grid import axis_values, sweep_grid

__all__ = ["phase_diagrams"]


def phase_diagrams(*, loss: str, learners, alpha, epsilon, lam: float, activation: str = "sign",
                   margin: float = 0.0) -> dict:
    """ε_gen and ε_mem on an (α, ε) grid for each learner, plus the separability threshold α_c(ε).

    Parameters
    ----------
    loss : str
        ``square``, ``hinge`` or ``logistic``.
    learners : list of str
        Learner specs: ``linear``, ``kernel``, ``rf:<kappa>``.
    alpha, epsilon : axis spec
        See :func:`memtheory.studies.grid.axis_values` (e.g. ``[0.1, 5, 200]``).
    lam : float
        Ridge penalty λ of every learner.
    activation : str
        Nonlinearity of the kernel and the random features.
    margin : float
        Margin of the separability threshold α_c(ε).

    Returns
    -------
    dict
        ``alpha`` (A,), ``epsilon`` (E,), ``learner``/``kappa`` (L,), ``gen_error``/``mem_error``/
        ``converged`` (L, A, E), ``alpha_c`` (E,) (``inf`` at ε = 0), ``lam``, ``loss``.
    """
    from memtheory.solvers import raf

    a, e = axis_values(alpha), axis_values(epsilon)
    names, kappas, gen, mem, conv = [], [], [], [], []
    for spec in learners:
        name, kappa = parse_learner_spec(spec)
        model = model_from_spec(spec, loss=loss, lam=lam, activation=activation)
        res = sweep_grid(model, {"alpha": a, "epsilon": e}, outputs=("gen_error", "mem_error", "converged"))
        names.append(name)
        kappas.append(kappa)
        gen.append(res["gen_error"])
        mem.append(res.get("mem_error", np.full(res["gen_error"].shape, np.nan)))
        conv.append(res.get("converged", np.ones(res["gen_error"].shape, dtype=bool)))
    alpha_c = np.array([_threshold(raf, x, margin) for x in e])
    return {"alpha": a, "epsilon": e, "learner": np.array(names), "kappa": np.array(kappas),
            "gen_error": np.array(gen), "mem_error": np.array(mem), "converged": np.array(conv),
            "alpha_c": alpha_c, "lam": float(lam), "loss": loss, "margin": float(margin)}


def _threshold(raf, epsilon: float, margin: float) -> float:
    if epsilon <= 0:
        return np.inf  # noiseless data are separable at every α
    return float(raf.separability_threshold(epsilon=float(epsilon), margin=margin))


phase_diagrams.gallery_cost = 3.0
