"""The Rules-and-Facts (RAF) model: replica saddle points of linear, kernel and random-features
learners with square, hinge and logistic loss, and the Bayes-optimal baseline (docs/theory/raf.md).

>>> from memtheory.solvers import raf
>>> res = raf.solve(raf.Linear(loss="square", lam=0.1), alpha=2.0, epsilon=0.2)
>>> round(res.gen_error, 5), round(res.mem_error, 5)
(0.26823, 0.16818)
"""

from memtheory.solvers.raf.channels.custom import CustomLoss
from memtheory.solvers.raf.models import BayesOptimal, Kernel, Linear, RandomFeatures, LOSSES, LEARNERS
from memtheory.solvers.raf.gcm import GaussianCovariate
from memtheory.solvers.raf.results import RAFResult, SweepResult
from memtheory.solvers.raf.solve import SaddlePointWarning, bayes_error, solve
from memtheory.solvers.raf.sweep import sweep
from memtheory.solvers.raf.optimal import optimal_lambda
from memtheory.solvers.raf.thresholds import gardner_capacity, kernel_compatibility_threshold, separability_threshold

__all__ = [
    "Linear",
    "CustomLoss",
    "Kernel",
    "RandomFeatures",
    "BayesOptimal",
    "GaussianCovariate",
    "LOSSES",
    "LEARNERS",
    "RAFResult",
    "SweepResult",
    "SaddlePointWarning",
    "solve",
    "sweep",
    "optimal_lambda",
    "bayes_error",
    "separability_threshold",
    "kernel_compatibility_threshold",
    "gardner_capacity",
]
