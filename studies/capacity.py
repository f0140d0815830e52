"""Data producers for the capacity gallery figures (``figures/capacity_figures.py``).

Each producer is ``f(**params) -> dict`` of NumPy arrays and scalars, deterministic given ``params``.
The experiment figures use :func:`memtheory.studies.capacity_experiment.capacity_sweep` instead.
"""

from __future__ import annotations

import numpy as np

from memtheory.solvers.capacity.bounds import p_star, subset_accuracy
from memtheory.solvers.capacity.facts import entropy_bits
from memtheory.solvers.capacity.gardner import bridge, gardner_bits_at_threshold

__all__ = ["gardner_bridge_curves", "p_star_curves", "tag"]


def tag(x: float) -> str:
    """A number as part of a data key that stays a Python identifier (``0.5`` -> ``"0p5"``)."""
    return f"{x:g}".replace(".", "p").replace("-", "m").replace("+", "")


def p_star_curves(values=(2, 10, 100, 1e4, 1e7), x_min: float = 1e-3, x_max: float = 1.2,
                  n_points: int = 121) -> dict:
    """``p*`` (docs/theory/capacity.md §2) and the subset accuracy (§3.3b) against ``x = C/(N·H)`` for several ``K``.

    Returns
    -------
    dict
        ``x`` (n,), ``values`` (k,), ``p_star`` and ``subset_accuracy`` (k, n).
    """
    x = np.linspace(x_min, x_max, int(n_points))
    ks = np.asarray(values, dtype=np.float64)
    n = 1.0
    ps = np.array([[p_star(xi * entropy_bits(k) * n, n, k) for xi in x] for k in ks])
    sub = np.array([[subset_accuracy(xi * entropy_bits(k) * n, n, k) for xi in x] for k in ks])
    return {"x": x, "values": ks, "p_star": ps, "subset_accuracy": sub}


def gardner_bridge_curves(alpha_max: float = 4.0, n_points: int = 40, epsilons=(1.0, 0.5, 0.2),
                          lam_ridge: float = 0.1, rf_kappa=(0.5, 2.0), rf_lam: float = 1e-3,
                          bits_per_param: float = 2.0) -> dict:
    """Stored fact bits per parameter vs ``α`` for RAF learners (the Gardner bridge, ).

    The ``α`` grid is cell-centred so that it never lands on a singular threshold; the left limit at
    ``α_c`` of the linear hinge learner at ``λ → 0`` is returned separately.

    Returns
    -------
    dict
        ``alpha``; for each learner ``<name>__bits_per_param`` (``ε = 1``); ``kernel_hinge__bits_per_dim``
        (the kernel has unboundedly many parameters); ``eps<ε>__bits_per_param`` and
        ``eps<ε>__alpha_c`` (``<ε>`` written by :func:`tag`, e.g. ``eps0p5``) for the linear hinge learner at ``λ → 0`` and ``ε < 1``;
        ``alpha_c`` and ``bits_per_param_at_alpha_c``; ``bits_per_param`` (the ``b`` line).
    """
    from memtheory.solvers import raf

    a = (np.arange(int(n_points)) + 0.5) * float(alpha_max) / int(n_points)
    learners = {
        "linear_hinge_maxmargin": raf.Linear(loss="hinge", lam=0.0),
        "linear_square_minnorm": raf.Linear(loss="square", lam=0.0),
        "linear_hinge_ridge": raf.Linear(loss="hinge", lam=lam_ridge),
        "linear_square_ridge": raf.Linear(loss="square", lam=lam_ridge),
    }
    for k in rf_kappa:
        learners[f"rf_hinge_kappa{tag(k)}"] = raf.RandomFeatures(loss="hinge", lam=rf_lam, kappa=k, activation="erf")
    out: dict = {"alpha": a, "bits_per_param": float(bits_per_param), "rf_kappa": np.asarray(rf_kappa, float),
                 "epsilons": np.asarray(epsilons, float)}
    for name, model in learners.items():
        c = bridge(model, a, 1.0, bits_per_param)
        out[f"{name}__bits_per_param"] = np.where(c.converged, c.bits_per_param, np.nan)
    kern = bridge(raf.Kernel(loss="hinge", lam=0.0, activation="sign"), a, 1.0, bits_per_param)
    out["kernel_hinge__bits_per_dim"] = np.where(kern.converged, kern.bits_per_dim, np.nan)
    for eps in epsilons:
        c = bridge(raf.Linear(loss="hinge", lam=0.0), a, float(eps), bits_per_param)
        out[f"eps{tag(eps)}__bits_per_param"] = np.where(c.converged, c.bits_per_param, np.nan)
        thr = gardner_bits_at_threshold(float(eps))
        out[f"eps{tag(eps)}__alpha_c"] = thr["alpha_c"]
        out[f"eps{tag(eps)}__bits_at_alpha_c"] = thr["bits_per_param"]
    thr = gardner_bits_at_threshold(1.0)
    out["alpha_c"] = thr["alpha_c"]
    out["bits_per_param_at_alpha_c"] = thr["bits_per_param"]
    return out
