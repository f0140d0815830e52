"""The fact-capacity experiment (:mod:`memtheory.simulations.facts`) as a gallery producer, and next to the bounds.

:func:`capacity_sweep` is the producer of the experiment figures; :func:`compare_with_bounds` puts a
sweep's empirical capacity next to the subset limit, the rate–distortion bound p* and the
frequency-weighted optimum of :mod:`memtheory.solvers.capacity` (``docs/theory/capacity.md``).
"""

from __future__ import annotations

import numpy as np

from memtheory.simulations.facts.experiment import SweepConfig, run_sweep
from memtheory.solvers.capacity import p_star, subset_accuracy, weighted_optimum

__all__ = ["capacity_sweep", "compare_with_bounds"]


def capacity_sweep(**params) -> dict:
    """Gallery producer: ``run_sweep(SweepConfig.from_dict(params))`` (deterministic given params)."""
    return run_sweep(SweepConfig.from_dict(params), progress=False)


def compare_with_bounds(result: dict) -> dict:
    """Put a sweep next to the bounds of :mod:`memtheory.solvers.capacity` (``docs/theory/capacity.md``).

    Returns the subset limit ``m*``-accuracy, the rate–distortion bound ``p*`` and the
    frequency-weighted optimum at ``C = C_emp`` for every ``N`` of the sweep.
    """
    c = result["capacity_emp_bits"]
    k = 2.0 ** result["entropy_bits"]
    ns = result["n_facts"]
    return {
        "n_facts": ns,
        "subset_accuracy": np.array([subset_accuracy(c, n, k) for n in ns]),
        "p_star": np.array([p_star(c, n, k) for n in ns]),
        "weighted_accuracy_zipf": np.array([weighted_optimum(c, n, k, zipf=result["zipf"]) for n in ns]),
    }

