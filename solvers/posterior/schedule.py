"""DDPM noise schedule and its VE reading (docs/theory/posterior.md §1).

The variance-preserving forward process is ``x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps``; dividing
by ``sqrt(abar_t)`` gives the variance-exploding form ``x_0 + sigma_t eps`` with
``sigma_t**2 = (1 - abar_t) / abar_t``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_interval

__all__ = ["DDPMSchedule", "linear_schedule"]


@dataclass(frozen=True, eq=False)
class DDPMSchedule:
    """Discrete DDPM schedule (docs/theory/posterior.md §1).

    See docs/theory/posterior.md §1.

    Attributes
    ----------
    betas : ndarray, shape (nt,)
        Per-step noise variances ``beta_t``.
    alphas : ndarray, shape (nt,)
        ``1 - beta_t``.
    alpha_bars : ndarray, shape (nt,)
        Cumulative products ``abar_t = prod_{s<=t} alpha_s``.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> sch = posterior.linear_schedule(nt=4, beta_min=0.1, beta_max=0.4)
    >>> sch.betas.round(4), sch.alphas.round(4)
    (array([0.1, 0.2, 0.3, 0.4]), array([0.9, 0.8, 0.7, 0.6]))
    >>> sch.alpha_bars.round(4)
    array([0.9   , 0.72  , 0.504 , 0.3024])
    """

    betas: np.ndarray
    alphas: np.ndarray
    alpha_bars: np.ndarray

    @property
    def nt(self) -> int:
        """Number of diffusion steps."""
        return int(self.betas.size)

    @property
    def sigma_ve(self) -> np.ndarray:
        """Equivalent VE bandwidth ``sigma_t = sqrt((1 - abar_t) / abar_t)`` (docs/theory/posterior.md §1)."""
        return np.sqrt((1.0 - self.alpha_bars) / self.alpha_bars)


def linear_schedule(nt: int = 200, beta_min: float = 1e-4, beta_max: float = 0.02) -> DDPMSchedule:
    """Linear-beta DDPM schedule used by the paper's FWI networks (docs/theory/posterior.md §1: nt = 200, 1e-4 .. 0.02).

    See docs/theory/posterior.md §1.

    Parameters
    ----------
    nt : int
        Number of steps, >= 1.
    beta_min, beta_max : float
        First and last ``beta``, with ``0 < beta_min <= beta_max < 1``.

    Returns
    -------
    DDPMSchedule
        With ``sigma_ve[0] ~= 0.0100`` and ``sigma_ve[-1] ~= 2.56`` for the defaults.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> sch = posterior.linear_schedule()
    >>> sch.betas.shape, round(float(sch.alpha_bars[-1]), 4)
    ((200,), 0.1322)
    """
    if not isinstance(nt, (int, np.integer)) or nt < 1:
        raise ValueError(f"nt must be an integer >= 1, got {nt!r}")
    lo = check_interval("beta_min", beta_min, 0.0, 1.0, closed=(False, False))
    hi = check_interval("beta_max", beta_max, lo, 1.0, closed=(True, False))
    betas = np.linspace(lo, hi, int(nt))
    alphas = 1.0 - betas
    return DDPMSchedule(betas=betas, alphas=alphas, alpha_bars=np.cumprod(alphas))
