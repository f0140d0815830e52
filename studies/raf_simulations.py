"""Simulation data producers for the figure gallery (theory-vs-simulation figures).

Like the theory producers in :mod:`memtheory.studies`, each is a plain function of JSON-serialisable
parameters returning a dict of arrays, so that the gallery caches its result on disk. Nothing here
imports :mod:`solvers`: the simulations stay an independent check on the theory.
"""

from __future__ import annotations

import numpy as np

__all__ = ["raf_points"]


def raf_points(*, points, d: int, seeds: int, activation: str = "sign") -> dict:
    """Finite-size RAF simulations at a list of points: mean and standard error over seeds.

    Parameters
    ----------
    points : list of dict
        Each with ``learner`` (``linear``, ``kernel``, ``random_features``), ``loss``, ``lam``, ``alpha``,
        ``epsilon`` and, for random features, ``kappa``.
    d : int
        Input dimension (n = round(α d)).
    seeds : int
        Seeds 0..seeds−1 per point (each draws its own teacher, data and test set).
    activation : str
        Kernel / feature nonlinearity (``sign`` gives the arcsine kernel).

    Returns
    -------
    dict
        Per point (P,): ``learner``, ``loss`` (strings), ``lam``, ``alpha``, ``epsilon``, ``kappa`` (NaN
        if not random features), ``gen_mean``, ``gen_se``, ``mem_mean``, ``mem_se``, ``converged``
        (fraction of seeds whose solver converged); scalars ``d`` and ``seeds``.
    """
    from memtheory.simulations.raf import blas_threads, simulate

    rows = {k: [] for k in ("learner", "loss", "lam", "alpha", "epsilon", "kappa", "gen_mean", "gen_se",
                            "mem_mean", "mem_se", "converged")}
    for point in points:
        point = dict(point)
        learner = point.pop("learner")
        options = {"activation": activation} if learner in ("kernel", "random_features") else {}
        # One BLAS thread: the gallery already runs one producer per core.
        with blas_threads(1):
            res = simulate(learner=learner, d=int(d), seeds=int(seeds), **options, **point)
        rows["learner"].append(learner)
        rows["loss"].append(point["loss"])
        for key in ("lam", "alpha", "epsilon"):
            rows[key].append(float(point[key]))
        rows["kappa"].append(float(point.get("kappa", np.nan)))
        rows["gen_mean"].append(res.mean("gen_error"))
        rows["gen_se"].append(res.sem("gen_error"))
        rows["mem_mean"].append(res.mean("mem_error"))
        rows["mem_se"].append(res.sem("mem_error"))
        rows["converged"].append(float(np.mean(res.converged)))
    out = {k: np.array(v) for k, v in rows.items()}
    out["d"] = int(d)
    out["seeds"] = int(seeds)
    return out


raf_points.gallery_cost = 10.0  # relative run time: the gallery starts the slowest producers first
