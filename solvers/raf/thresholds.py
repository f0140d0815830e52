"""Thresholds of the RAF model: separability (memorization capacity) and kernel compatibility.

* :func:`separability_threshold` — Gardner's volume argument with a teacher overlap ``R``
  (docs/theory/raf.md §6): the largest α at which RAF data are linearly separable with margin κ,
  ``α_c(ε, κ) = max_R (1 − R²) / [ε D(κ) + (1 − ε) T(R, κ)]`` with ``D(κ) = ∫_{−κ}^∞ Dt (t + κ)²`` and
  ``T(R, κ) = E[(κ − sign(ν) ω)₊²]`` for unit-variance ``ω`` correlated ``R`` with ``ν``.
* :func:`kernel_compatibility_threshold` — the value of ``μ⋆²/μ₁²`` above which perfect memorization
  (λ = 0) is compatible with the optimal generalization of kernel ridge regression (docs/theory/raf.md §4).
"""

from __future__ import annotations

import math


from memtheory.core.checks import check_interval, check_nonnegative

__all__ = ["separability_threshold", "kernel_compatibility_threshold", "gardner_capacity"]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _phi(x: float) -> float:
    return _INV_SQRT_2PI * math.exp(-0.5 * x * x)


def _truncated_square(c: float, s: float) -> float:
    """``E[(c − s z)₊²]`` for ``z ~ N(0, 1)``: ``(c² + s²)Φ(c/s) + c s φ(c/s)``."""
    if s <= 0.0:
        return max(c, 0.0) ** 2
    t = c / s
    return (c * c + s * s) * 0.5 * math.erfc(-t / math.sqrt(2.0)) + c * s * _phi(t)


def _fact_term(margin: float) -> float:
    """``D(κ) = ∫_{−κ}^∞ Dt (t + κ)²`` (the random-label part)."""
    return _truncated_square(margin, 1.0)


def _rule_term(R: float, margin: float) -> float:
    """``T(R, κ) = E[(κ − R|ν| − √(1−R²) z)₊²]``; at κ = 0 it is ``(arccos R − R√(1−R²))/π``."""
    s = math.sqrt(max(1.0 - R * R, 0.0))
    if margin == 0.0:
        return (math.acos(R) - R * s) / math.pi
    from scipy import integrate

    val, _ = integrate.quad(
        lambda nu: 2.0 * _phi(nu) * _truncated_square(margin - R * nu, s), 0.0, math.inf, epsabs=1e-14, epsrel=1e-12
    )
    return val


def gardner_capacity(margin: float = 0.0) -> float:
    """Gardner's storage capacity of random ±1 labels, ``α_c(κ) = 1/∫_{−κ}^∞ Dt (t + κ)²``.

    See docs/theory/raf.md §7 (and docs/theory/capacity.md §6).

    Parameters
    ----------
    margin : float
        Margin ``κ >= 0``.

    Returns
    -------
    float
        ``α_c(κ)``; 2 at ``κ = 0``.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> round(raf.gardner_capacity(), 6), round(raf.gardner_capacity(1.0), 4)
    (2.0, 0.5196)
    """
    margin = check_nonnegative("margin", margin)
    return 1.0 / _fact_term(margin)


def separability_threshold(epsilon: float, margin: float = 0.0) -> float:
    """Memorization capacity ``α_c(ε, κ)`` of a linear learner on RAF data (docs/theory/raf.md §6).

    See docs/theory/raf.md §7.

    Parameters
    ----------
    epsilon : float
        Fraction of facts, in [0, 1].
    margin : float
        Margin κ ≥ 0 (0: plain linear separability).

    Returns
    -------
    float
        ``α_c``; ``inf`` at ε = 0 with κ = 0 (teacher labels are always separable).

    Examples
    --------
    >>> round(separability_threshold(1.0), 6), round(separability_threshold(0.2), 3)
    (2.0, 2.992)
    """
    eps = check_interval("epsilon", epsilon, 0.0, 1.0)
    margin = check_nonnegative("margin", margin)
    if eps == 0.0 and margin == 0.0:
        return math.inf
    fact = _fact_term(margin)

    def neg_ratio(R: float) -> float:
        return -(1.0 - R * R) / (eps * fact + (1.0 - eps) * _rule_term(R, margin))

    if eps == 1.0:
        return -neg_ratio(0.0)
    from scipy import optimize

    res = optimize.minimize_scalar(neg_ratio, bounds=(0.0, 1.0 - 1e-12), method="bounded", options={"xatol": 1e-12})
    return float(max(-res.fun, -neg_ratio(0.0)))


def kernel_compatibility_threshold(epsilon: float) -> float:
    """Threshold on ``μ⋆²/μ₁²`` above which λ = 0 is optimal for kernel ridge regression.

    Above ``π/(2(1 − ε)²) − 1`` perfect memorization (λ = 0) is optimal (docs/theory/raf.md §4).
    ``inf`` at ε = 1.

    See docs/theory/raf.md §7.

    Parameters
    ----------
    epsilon : float
        Fraction of facts, in [0, 1].

    Returns
    -------
    float
        The threshold on ``μ⋆²/μ₁²`` (``inf`` at ε = 1).

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> round(raf.kernel_compatibility_threshold(0.2), 6)
    1.454369
    >>> raf.kernel_compatibility_threshold(1.0)
    inf
    """
    eps = check_interval("epsilon", epsilon, 0.0, 1.0)
    if eps == 1.0:
        return math.inf
    return math.pi / (2.0 * (1.0 - eps) ** 2) - 1.0
