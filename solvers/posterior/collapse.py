"""Critical bandwidth (spec §4.2) and collapse time for Gaussian data (spec §9.3).

Both are [R]/[D]-tagged in the spec; they are checked numerically in the tests (σ_crit against the
spec's table, ``t_C`` against a Monte-Carlo crossover of the originating example's weight).
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.checks import check_positive

__all__ = ["sigma_crit", "stylized_sigma_crit", "collapse_snr", "collapse_time", "collapse_sigma"]


def sigma_crit(spacing: float, noise_std: float, jacobian_norm: float) -> float:
    """Critical bandwidth ``sigma_crit = sqrt(delta gamma / ||F'||)`` (spec §4.2).

    Below it a linearized component's typical shift ``sigma^2 ||J|| / gamma`` is smaller than the
    spacing ``delta`` between neighbouring examples, so components stay pinned to their examples.
    """
    delta = check_positive("spacing", spacing)
    gamma = check_positive("noise_std", noise_std)
    jn = check_positive("jacobian_norm", jacobian_norm)
    return math.sqrt(delta * gamma / jn)


def stylized_sigma_crit(n_train: int, noise_std: float = 0.3) -> float:
    """``sigma_crit`` of the 1-D stylized sweep: N points evenly on [-3, 3], ``F' = 1 + 0.9 x^2`` (spec §4.2, §6)."""
    if not isinstance(n_train, (int, np.integer)) or n_train < 2:
        raise ValueError(f"n_train must be an integer >= 2, got {n_train!r}")
    x = np.linspace(-3.0, 3.0, int(n_train))
    return sigma_crit(6.0 / (n_train - 1), noise_std, float(np.mean(1.0 + 0.9 * x**2)))


def collapse_snr(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """Signal-to-noise ratio ``abar/(1-abar) = (N^(2/d) - 1) / sigma_d^2`` at collapse (spec §9.3)."""
    if n_train < 2:
        raise ValueError(f"n_train must be >= 2, got {n_train!r}")
    if d < 1:
        raise ValueError(f"d must be >= 1, got {d!r}")
    sd = check_positive("sigma_data", sigma_data)
    return math.expm1(2.0 * math.log(n_train) / d) / sd**2


def collapse_time(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """OU collapse time ``t_C = 1/2 log(1 + sigma_d^2 / (N^(2/d) - 1))`` for N(0, sigma_d^2 I) data (spec §9.3)."""
    return 0.5 * math.log1p(1.0 / collapse_snr(n_train, d, sigma_data))


def collapse_sigma(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """VE bandwidth at collapse ``sigma_C = sigma_d / sqrt(N^(2/d) - 1)`` (spec §9.3)."""
    return 1.0 / math.sqrt(collapse_snr(n_train, d, sigma_data))
