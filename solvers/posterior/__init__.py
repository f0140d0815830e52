"""Memorized diffusion priors and their Gaussian-mixture posteriors (docs/theory/posterior.md).

Public API::

    prior = MemorizedPrior(x_train, sigma=0.3)
    post = linear_posterior(prior, A, y, noise_std=0.3)
    post = linearized_posterior(prior, forward, jacobian, y, noise_std=0.3)
    w = lookup_weights(forward, x_train, y, noise_std=0.3)
"""

from memtheory.solvers.posterior.collapse import collapse_sigma, collapse_snr, collapse_time, sigma_crit, stylized_sigma_crit
from memtheory.solvers.posterior.gaussian_mixture import GaussianMixture, MixturePosterior, effective_modes, linear_posterior
from memtheory.solvers.posterior.jacobians import autograd_jacobian, fd_jacobian
from memtheory.solvers.posterior.linearized import SVDReading, linearized_posterior, svd_reading
from memtheory.solvers.posterior.lookup import lookup_log_weights, lookup_weights
from memtheory.solvers.posterior.memorization import memorization_rate, memorization_ratio, nearest_index
from memtheory.solvers.posterior.prior import MemorizedPrior
from memtheory.solvers.posterior.schedule import DDPMSchedule, linear_schedule

__all__ = [
    "MemorizedPrior",
    "GaussianMixture",
    "MixturePosterior",
    "linear_posterior",
    "linearized_posterior",
    "lookup_weights",
    "lookup_log_weights",
    "effective_modes",
    "svd_reading",
    "SVDReading",
    "fd_jacobian",
    "autograd_jacobian",
    "sigma_crit",
    "stylized_sigma_crit",
    "collapse_snr",
    "collapse_time",
    "collapse_sigma",
    "memorization_rate",
    "memorization_ratio",
    "nearest_index",
    "DDPMSchedule",
    "linear_schedule",
]
