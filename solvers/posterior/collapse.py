"""Critical bandwidth (docs/theory/posterior.md §4) and collapse time for Gaussian data (docs/theory/posterior.md §4).

Both are/-tagged in the spec; they are checked numerically in the tests (σ_crit against the
spec's table, ``t_C`` against a Monte-Carlo crossover of the originating example's weight).
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.checks import check_positive

__all__ = ["sigma_crit", "stylized_sigma_crit", "collapse_snr", "collapse_time", "collapse_sigma"]


def sigma_crit(spacing: float, noise_std: float, jacobian_norm: float) -> float:
    """Critical bandwidth ``sigma_crit = sqrt(delta gamma / ||F'||)`` (docs/theory/posterior.md §4).

    Below it a linearized component's typical shift ``sigma^2 ||J|| / gamma`` is smaller than the
    spacing ``delta`` between neighbouring examples, so components stay pinned to their examples.
    """
    delta = check_positive("spacing", spacing)
    gamma = check_positive("noise_std", noise_std)
    jn = check_positive("jacobian_norm", jacobian_norm)
    return math.sqrt(delta * gamma / jn)


def stylized_sigma_crit(n_train: int, noise_std: float = 0.3) -> float:
    """``sigma_crit`` of the 1-D stylized sweep: N points evenly on [-3, 3], ``F' = 1 + 0.9 x^2`` (docs/theory/posterior.md §4, §5).

    The mean Jacobian norm over the grid ``x_i = -3 + 6 i/(N-1)`` has the closed form
    ``1 + 0.9 · 3 (N+1)/(N-1)`` (the mean of ``x_i^2`` is ``9 (N+1) / (3 (N-1))``), so any ``N`` costs O(1).
    """
    if isinstance(n_train, bool) or not isinstance(n_train, (int, np.integer)) or n_train < 2:
        raise ValueError(f"n_train must be an integer >= 2, got {n_train!r}")
    n = int(n_train)
    mean_x2 = 3.0 * ((n + 1) / (n - 1))
    return sigma_crit(6.0 / (n - 1), noise_std, 1.0 + 0.9 * mean_x2)


def _log_collapse_snr(n_train, d, sigma_data) -> float:
    """``log((N^(2/d) - 1) / sigma_d^2)``, finite for every admissible input (no power is formed)."""
    try:
        n = float(n_train)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"n_train must be a finite number >= 2, got {n_train!r}") from None
    if not math.isfinite(n) or n < 2:
        raise ValueError(f"n_train must be a finite number >= 2, got {n_train!r}")
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d must be an integer >= 1, got {d!r}")
    sd = check_positive("sigma_data", sigma_data)
    a = 2.0 * math.log(n) / d  # log N^(2/d)
    if a <= 0.0:
        raise ValueError(f"d={d!r} is too large for n_train={n_train!r}: N^(2/d) - 1 underflows")
    log_expm1 = math.log(math.expm1(a)) if a < 700.0 else a + math.log1p(-math.exp(-a))
    return log_expm1 - 2.0 * math.log(sd)


def collapse_snr(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """Signal-to-noise ratio ``abar/(1-abar) = (N^(2/d) - 1) / sigma_d^2`` at collapse (docs/theory/posterior.md §4).

    ``inf`` (or 0) where the value lies beyond the double range.
    """
    log_snr = _log_collapse_snr(n_train, d, sigma_data)
    return math.exp(log_snr) if log_snr < 709.78 else math.inf


def collapse_time(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """OU collapse time ``t_C = 1/2 log(1 + sigma_d^2 / (N^(2/d) - 1))`` for N(0, sigma_d^2 I) data (docs/theory/posterior.md §4)."""
    log_snr = _log_collapse_snr(n_train, d, sigma_data)
    # log1p(exp(-L)) without overflow of exp(-L) for very negative L
    return 0.5 * (math.log1p(math.exp(-log_snr)) if log_snr > -700.0 else -log_snr + math.log1p(math.exp(log_snr)))


def collapse_sigma(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """VE bandwidth at collapse ``sigma_C = sigma_d / sqrt(N^(2/d) - 1)`` (docs/theory/posterior.md §4)."""
    log_snr = _log_collapse_snr(n_train, d, sigma_data)
    return math.exp(-0.5 * log_snr) if -0.5 * log_snr < 709.78 else math.inf
