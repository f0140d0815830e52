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

    See docs/theory/posterior.md §4.

    Parameters
    ----------
    spacing : float
        Typical distance ``delta`` between neighbouring training examples.
    noise_std : float
        Noise standard deviation ``gamma``.
    jacobian_norm : float
        Typical ``||F'||``.

    Returns
    -------
    float
        ``sigma_crit``.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> round(posterior.sigma_crit(spacing=0.1, noise_std=0.3, jacobian_norm=2.0), 6)
    0.122474
    """
    delta = check_positive("spacing", spacing)
    gamma = check_positive("noise_std", noise_std)
    jn = check_positive("jacobian_norm", jacobian_norm)
    return math.sqrt(delta * gamma / jn)


def stylized_sigma_crit(n_train: int, noise_std: float = 0.3) -> float:
    """``sigma_crit`` of the 1-D stylized sweep: N points evenly on [-3, 3], ``F' = 1 + 0.9 x^2`` (docs/theory/posterior.md §4, §5).

    The mean Jacobian norm over the grid ``x_i = -3 + 6 i/(N-1)`` has the closed form
    ``1 + 0.9 · 3 (N+1)/(N-1)`` (the mean of ``x_i^2`` is ``9 (N+1) / (3 (N-1))``), so any ``N`` costs O(1).

    See docs/theory/posterior.md §4 and §5.

    Parameters
    ----------
    n_train : int
        Number of training points ``N``.
    noise_std : float
        Noise standard deviation ``gamma``.

    Returns
    -------
    float
        ``sigma_crit`` with spacing ``6/(N-1)`` and the mean Jacobian norm.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> round(posterior.stylized_sigma_crit(50), 4), round(posterior.stylized_sigma_crit(500), 4)
    (0.0982, 0.0312)
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

    See docs/theory/posterior.md §4.

    Parameters
    ----------
    n_train : int
        Number of training examples ``N``.
    d : int
        Data dimension.
    sigma_data : float
        Standard deviation ``sigma_d`` of the Gaussian data.

    Returns
    -------
    float
        ``abar/(1-abar)`` at collapse.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> round(posterior.collapse_snr(1000, 2), 4), round(posterior.collapse_snr(1000, 100), 4)
    (999.0, 0.1482)
    """
    log_snr = _log_collapse_snr(n_train, d, sigma_data)
    return math.exp(log_snr) if log_snr < 709.78 else math.inf


def collapse_time(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """OU collapse time ``t_C = 1/2 log(1 + sigma_d^2 / (N^(2/d) - 1))`` for N(0, sigma_d^2 I) data (docs/theory/posterior.md §4).

    See docs/theory/posterior.md §4.

    Parameters
    ----------
    n_train : int
        Number of training examples ``N``.
    d : int
        Data dimension.
    sigma_data : float
        Standard deviation ``sigma_d`` of the Gaussian data.

    Returns
    -------
    float
        ``t_C`` in Ornstein–Uhlenbeck time.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> round(posterior.collapse_time(1000, 2), 4), round(posterior.collapse_time(1000, 100), 4)
    (0.0005, 1.0238)
    """
    log_snr = _log_collapse_snr(n_train, d, sigma_data)
    # log1p(exp(-L)) without overflow of exp(-L) for very negative L
    return 0.5 * (math.log1p(math.exp(-log_snr)) if log_snr > -700.0 else -log_snr + math.log1p(math.exp(log_snr)))


def collapse_sigma(n_train: int, d: int, sigma_data: float = 1.0) -> float:
    """VE bandwidth at collapse ``sigma_C = sigma_d / sqrt(N^(2/d) - 1)`` (docs/theory/posterior.md §4).

    See docs/theory/posterior.md §4.

    Parameters
    ----------
    n_train : int
        Number of training examples ``N``.
    d : int
        Data dimension.
    sigma_data : float
        Standard deviation ``sigma_d`` of the Gaussian data.

    Returns
    -------
    float
        ``sigma_C``.

    Examples
    --------
    >>> from memtheory.solvers import posterior
    >>> round(posterior.collapse_sigma(1000, 2), 4), round(posterior.collapse_sigma(1000, 100), 4)
    (0.0316, 2.598)
    """
    log_snr = _log_collapse_snr(n_train, d, sigma_data)
    return math.exp(-0.5 * log_snr) if -0.5 * log_snr < 709.78 else math.inf
