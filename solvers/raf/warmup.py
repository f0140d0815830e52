"""Compile the RAF solver kernels once, into numba's on-disk cache (``python -m memtheory.solvers.raf.warmup``).

``make`` runs this right after installing, so that the tests, the gallery and the first command a user
types do not each pay the compilation (tens of seconds on two cores), and never pay it twice in parallel
workers. It solves every learner with every built-in loss at one point, the λ → 0 limits, and one small
sweep, a batched solve; any later call with the same solver sources loads the compiled code from the cache.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

__all__ = ["warm_up"]


def warm_up(verbose: bool = True) -> float:
    """Compile (or load from the cache) every RAF kernel; return the seconds it took.

    Returns
    -------
    float
        Wall-clock seconds.

    Examples
    --------
    >>> from memtheory.solvers.raf.warmup import warm_up
    >>> warm_up(verbose=False) >= 0.0                          # doctest: +SKIP
    True

    See docs/theory/raf.md §10.
    """
    from memtheory.solvers import raf

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for loss in raf.LOSSES:
            for model in (raf.Linear(loss=loss, lam=0.1), raf.Kernel(loss=loss, lam=0.1, activation="sign"),
                          raf.RandomFeatures(loss=loss, lam=0.1, kappa=2.0, activation="sign")):
                raf.solve(model, alpha=2.0, epsilon=0.2)
            raf.sweep(raf.Linear(loss=loss, lam=0.1), alpha=np.array([0.5, 2.0]), epsilon=np.array([0.1, 0.2]))
        raf.solve(raf.Linear(loss="hinge", lam=0.0), alpha=1.0, epsilon=0.2)
        raf.solve(raf.Linear(loss="square", lam=0.0), alpha=0.5, epsilon=0.2)
        raf.solve(raf.Kernel(loss="hinge", lam=0.0, activation="sign"), alpha=2.0, epsilon=0.2)
        raf.solve(raf.GaussianCovariate(loss="square", lam=0.1, eigenvalues=np.linspace(0.5, 1.5, 8)),
                  alpha=2.0, epsilon=0.2)
        raf.bayes_error(2.0, 0.2)
        sw = raf.sweep(raf.BayesOptimal(), alpha=np.array([0.5, 2.0]), epsilon=0.2)
        # the batched solve and the parallel Bayes errors (one compiled signature for every learner)
        raf.solve(raf.Linear(loss="hinge", lam=0.1), alpha=np.linspace(0.5, 2.0, 8), epsilon=0.2).bayes_error
        sw.bayes_error
    seconds = time.perf_counter() - t0
    if verbose:
        print(f"memtheory: solver kernels ready ({seconds:.1f} s)")
    return seconds


if __name__ == "__main__":  # pragma: no cover
    warm_up()
