"""The trained diffusion model of :mod:`memtheory.simulations.diffusion` against the theory.

The simulation side (training a denoiser until it memorizes, DDPM and DPS sampling with it) never
imports the solvers; these comparisons put it next to the exact memorized denoiser, the exact
memorized-prior DPS and the closed-form posterior of :mod:`memtheory.solvers.posterior`
(``docs/theory/posterior.md``). torch is needed only through the trained model passed in.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.simulations.diffusion import TrainedDiffusion, ddpm_sample, dps_sample_learned
from memtheory.solvers.inverse_problems.dps import MemorizedDenoiser, dps_sample
from memtheory.solvers.posterior.gaussian_mixture import linear_posterior
from memtheory.solvers.posterior.memorization import memorization_rate, nearest_index
from memtheory.solvers.posterior.prior import MemorizedPrior
from memtheory.solvers.posterior.schedule import linear_schedule

__all__ = ["compare_with_exact", "compare_dps"]


def compare_with_exact(trained: TrainedDiffusion, x_train, n_probe: int = 256, steps=(0, 20, 50, 100, 199),
                       seed: int = 0) -> dict:
    """Distance of the learned denoiser from the optimal memorized one (``docs/theory/posterior.md``) and memorization of its samples.

    Returns per-step relative RMS distance ``||D_theta - D*|| / ||D*||`` on points ``x_t ~ p_t^N`` and the
    memorization rate (``docs/theory/posterior.md``) of DDPM samples.
    """
    X = np.asarray(x_train, dtype=np.float64)
    rng = np.random.default_rng(seed)
    dist = []
    for t in steps:
        ab = float(trained.alpha_bars[t])
        idx = rng.integers(0, X.shape[0], n_probe)
        xt = math.sqrt(ab) * X[idx] + math.sqrt(1 - ab) * rng.standard_normal((n_probe, X.shape[1]))
        exact = MemorizedPrior.vp(X, ab).denoise(xt)
        learned = trained.denoise(xt, t)
        dist.append(float(np.linalg.norm(learned - exact) / np.linalg.norm(exact)))
    samples = ddpm_sample(trained, n_probe, seed=seed + 1)
    rate = memorization_rate(samples, X) if X.shape[0] >= 2 else float("nan")
    return dict(steps=np.asarray(steps), denoiser_distance=np.array(dist), memorization_rate=rate, samples=samples)


def compare_dps(trained: TrainedDiffusion, x_train, A, y, noise_std: float, n_samples: int = 64, step: float = 0.02,
                seed: int = 0) -> dict:
    """DPS with the learned model and with the exact memorized score vs the closed-form posterior (``docs/theory/posterior.md``).

    Linear problem ``y = A x + N(0, gamma^2 I)``. The closed form is the exact mixture posterior of the
    memorized prior at the schedule's smallest bandwidth (``t = 0``, VP form). Returns the component
    weights, and for both samplers the fraction of samples whose nearest example is each ``x_n`` and
    their memorization rate (``docs/theory/posterior.md``).
    """
    X = np.asarray(x_train, dtype=np.float64)
    A = np.asarray(A, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    cfg = trained.config
    closed = linear_posterior(MemorizedPrior.vp(X, float(trained.alpha_bars[0])), A, y, noise_std)

    def misfit_grad(x):
        r = A @ x - y
        return 0.5 * float(r @ r) / noise_std**2, A.T @ r / noise_std**2

    sched = linear_schedule(cfg.nt, cfg.beta_min, cfg.beta_max)
    exact = dps_sample(MemorizedDenoiser(X, sched), misfit_grad, sched, n_samples, X.shape[1],
                       np.random.default_rng(seed), step=step).samples
    learned = dps_sample_learned(trained, misfit_grad, n_samples, step=step, through_network=False, seed=seed)
    N = X.shape[0]
    freq = lambda s: np.bincount(nearest_index(s, X), minlength=N) / s.shape[0]  # noqa: E731
    return dict(
        closed_form_weights=closed.weights,
        dps_exact_freq=freq(exact),
        dps_learned_freq=freq(learned),
        dps_exact_memorization=memorization_rate(exact, X) if N >= 2 else float("nan"),
        dps_learned_memorization=memorization_rate(learned, X) if N >= 2 else float("nan"),
        dps_exact_samples=exact,
        dps_learned_samples=learned,
    )
