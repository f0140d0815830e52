"""Diffusion posterior sampling (DPS, Chung et al. 2023; docs/theory/posterior.md §5) driven by a denoiser.

Reverse DDPM (ancestral) steps with the Tweedie estimate ``x0_hat(x_i)`` plus a likelihood step.
Two guidance rules:

* ``"dps"``: ``x_{i-1} = x'_{i-1} - zeta grad_{x_i} ||y - F(x0_hat)||`` (un-squared norm, official code).
* ``"normalized"``: ``x_{i-1} = x'_{i-1} - eta g / ||g||`` per sample (the paper's FWI driver, docs/theory/posterior.md §5).

The gradient reaches ``x_i`` either through the exact memorized denoiser's Jacobian
(``through_denoiser=True``, closed form below) or through ``1/sqrt(abar_i)`` only (docs/theory/posterior.md §5's
"DPS without backprop through the denoiser").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_array, check_positive
from memtheory.solvers.posterior.prior import MemorizedPrior
from memtheory.solvers.posterior.schedule import DDPMSchedule

__all__ = ["MemorizedDenoiser", "DPSResult", "dps_sample"]


@dataclass(frozen=True, eq=False)
class MemorizedDenoiser:
    """Exact memorized denoiser ``D(x, t) = sum_n w_n(x, t) x_n`` of a VP schedule.

    Attributes
    ----------
    x_train : ndarray, shape (N, d)
        The memorized training points.
    schedule : DDPMSchedule
        The VP (DDPM) noise schedule; ``t`` indexes its steps.

    Examples
    --------
    At small noise the denoiser snaps to the nearest training point:

    >>> import numpy as np
    >>> from memtheory.solvers.posterior.schedule import linear_schedule
    >>> den = MemorizedDenoiser(np.array([[-1.0, 0.0], [1.0, 0.0]]), linear_schedule(nt=50, beta_max=0.2))
    >>> den.denoise(np.array([[0.9, 0.1]]), 0).round(3).tolist()
    [[1.0, 0.0]]

    See docs/theory/posterior.md §1.
    """

    x_train: np.ndarray
    schedule: DDPMSchedule

    def denoise(self, x: np.ndarray, t: int) -> np.ndarray:
        """Tweedie estimate ``x0_hat = D(x, t)``."""
        return MemorizedPrior.vp(self.x_train, float(self.schedule.alpha_bars[t])).denoise(x)

    def vjp(self, x: np.ndarray, t: int, v: np.ndarray) -> np.ndarray:
        """``(∂D/∂x)^T v = sqrt(abar)/(1-abar) sum_n w_n (x_n - D)((x_n - D).v)`` (posterior covariance of x_0)."""
        ab = float(self.schedule.alpha_bars[t])
        w = MemorizedPrior.vp(self.x_train, ab).responsibilities(x)  # (B, N)
        D = w @ self.x_train
        proj = self.x_train @ v.T  # (N, B): x_n . v_b
        wdot = np.einsum("bn,nb->b", w, proj) - np.sum(D * v, axis=1)  # sum_n w_n (x_n - D).v
        cov_v = (w * proj.T) @ self.x_train - D * np.sum(w * proj.T, axis=1)[:, None] - D * wdot[:, None]
        return np.sqrt(ab) / (1.0 - ab) * cov_v


@dataclass(frozen=True, eq=False)
class DPSResult:
    """Result of :func:`dps_sample`.

    Attributes
    ----------
    samples : ndarray, shape (B, d)
        Final samples (the last Tweedie estimates' reverse step).
    misfit : ndarray, shape (nt,)
        Mean data misfit ``1/2 ||F(x0_hat) - y||^2`` at each reverse step (index = step).

    Examples
    --------
    >>> import numpy as np
    >>> from memtheory.solvers.posterior.schedule import linear_schedule
    >>> den = MemorizedDenoiser(np.array([[-1.0, 0.0], [1.0, 0.0]]), linear_schedule(nt=50, beta_max=0.2))
    >>> res = dps_sample(den, lambda x0: (0.5 * (x0[0] - 1) ** 2, np.array([x0[0] - 1, 0.0])),
    ...                  den.schedule, 4, 2, np.random.default_rng(0), step=0.5)
    >>> isinstance(res, DPSResult), res.samples.shape, res.misfit.shape
    (True, (4, 2), (50,))

    See docs/theory/posterior.md §5.
    """

    samples: np.ndarray
    misfit: np.ndarray


def dps_sample(
    denoiser,
    misfit_gradient: Callable,
    schedule: DDPMSchedule,
    n_samples: int,
    d: int,
    rng: np.random.Generator,
    *,
    step: float = 1.0,
    rule: str = "dps",
    through_denoiser: bool = False,
    x_init=None,
) -> DPSResult:
    """Run DPS from pure noise at ``t = nt - 1`` down to the final Tweedie estimate.

    Parameters
    ----------
    denoiser : object
        ``denoise(x, t) -> x0_hat`` (B, d); with ``through_denoiser`` also ``vjp(x, t, v)``.
    misfit_gradient : callable
        ``(x0 (d,)) -> (1/2 ||F(x0) - y||^2, gradient (d,))``.
    schedule : DDPMSchedule
        The DDPM schedule the denoiser was built for.
    n_samples, d : int
        Number of samples and dimension, >= 1.
    rng : numpy.random.Generator
        Random stream.
    step : float, default 1.0
        ``zeta`` (rule "dps") or ``eta`` (rule "normalized"), > 0.
    rule : {"dps", "normalized"}, default "dps"
        Guidance rule.
    through_denoiser : bool, default False
        Chain rule through ``∂x0_hat/∂x_i`` (needs ``denoiser.vjp``) instead of ``1/sqrt(abar_i)``.
    x_init : array_like, optional
        Starting ``x_T`` (B, d); default standard normal.

    Returns
    -------
    DPSResult
        Final samples and the misfit history.

    Examples
    --------
    Data that observe the first coordinate ``= 1`` select the training point ``(1, 0)``:

    >>> import numpy as np
    >>> from memtheory.solvers.posterior.schedule import linear_schedule
    >>> sched = linear_schedule(nt=50, beta_max=0.2)
    >>> den = MemorizedDenoiser(np.array([[-1.0, 0.0], [1.0, 0.0]]), sched)
    >>> def misfit_gradient(x0):
    ...     r = x0[0] - 1.0
    ...     return 0.5 * r * r, np.array([r, 0.0])
    >>> res = dps_sample(den, misfit_gradient, sched, 4, 2, np.random.default_rng(0), step=0.5)
    >>> bool(np.allclose(res.samples, [1.0, 0.0], atol=0.01))
    True

    See docs/theory/posterior.md §5.
    """
    if rule not in ("dps", "normalized"):
        raise ValueError(f"rule must be 'dps' or 'normalized', got {rule!r}")
    zeta = check_positive("step", step)
    if n_samples < 1 or d < 1:
        raise ValueError("n_samples and d must be >= 1")
    x = rng.standard_normal((n_samples, d)) if x_init is None else check_array("x_init", x_init, shape=(n_samples, d)).copy()
    ab, al, be = schedule.alpha_bars, schedule.alphas, schedule.betas
    history = np.empty(schedule.nt)
    for i in range(schedule.nt - 1, -1, -1):
        x0 = denoiser.denoise(x, i)
        phis, grads = zip(*(misfit_gradient(row) for row in x0))
        g0 = np.asarray(grads, dtype=np.float64)
        phi = np.asarray(phis, dtype=np.float64)
        history[i] = phi.mean()
        g = denoiser.vjp(x, i, g0) if through_denoiser else g0 / np.sqrt(ab[i])
        ab_prev = ab[i - 1] if i > 0 else 1.0
        c1 = np.sqrt(al[i]) * (1.0 - ab_prev) / (1.0 - ab[i])
        c2 = np.sqrt(ab_prev) * be[i] / (1.0 - ab[i])
        var = be[i] * (1.0 - ab_prev) / (1.0 - ab[i])
        x_new = c1 * x + c2 * x0
        if i > 0:
            x_new += np.sqrt(var) * rng.standard_normal(x.shape)
        if rule == "dps":
            # grad of the un-squared norm ||r|| = grad(1/2 ||r||^2) / ||r||
            norm_r = np.sqrt(np.maximum(2.0 * phi, 1e-300))
            x_new -= zeta * g / norm_r[:, None]
        else:
            gn = np.linalg.norm(g, axis=1)
            x_new -= zeta * g / np.maximum(gn, 1e-300)[:, None]
        x = x_new
    return DPSResult(samples=x, misfit=history)
