"""Zipf frequency laws: generalized harmonic numbers and exposure counts (docs/theory/capacity.md §4, §7 output 5).

Facts ranked ``i = 1..N`` are seen with probability ``q_i = i^{-s} / H_N(s)`` where
``H_N(s) = Σ_{i=1}^{N} i^{-s}`` is the generalized harmonic number. ``N`` may be as large as
``1e15`` or more: the sum is never formed term by term beyond a short head, the tail is the
Euler–Maclaurin expansion, and everything else is done in logarithms.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.checks import check_nonnegative, check_positive

__all__ = ["facts_with_exposures", "harmonic", "log_harmonic", "zipf_weights", "check_zipf"]

# Head summed directly; the Euler-Maclaurin tail starts at _EM_START, where its terms
# B_2k/(2k)! · (s)_{2k-1} a^{-s-2k+1} fall like (s/(2πa))^{2k}: 8 terms reach ~1e-17 relative
# for every s up to ~40 (beyond, the head alone is exact to double precision).
_EM_START = 32
# Counts above this are not settled to the exact integer boundary (see facts_with_exposures).
_EXACT_COUNT_LIMIT = 2**40
_EM_TERMS = 8
# B_{2k}/(2k)! for k = 1..8.
_BERNOULLI_OVER_FACT = (
    1.0 / 12.0,
    -1.0 / 720.0,
    1.0 / 30240.0,
    -1.0 / 1209600.0,
    1.0 / 47900160.0,
    -691.0 / 1307674368000.0,
    1.0 / 74724249600.0,
    -3617.0 / 10670622842880000.0,
)


def check_zipf(zipf) -> float:
    """Require a Zipf exponent ``s >= 0`` (``ValueError`` names ``zipf``)."""
    return check_nonnegative("zipf", zipf)


def _integral(a: float, n: float, s: float) -> float:
    """``∫_a^n x^{-s} dx`` without the cancellation of ``(n^{1-s} - a^{1-s})/(1-s)`` near ``s = 1``."""
    u = math.log(n / a)
    e = 1.0 - s
    if abs(e * u) < 1e-300:
        return u
    return a**e * math.expm1(e * u) / e


def _em_tail(a: int, n: float, s: float) -> float:
    """Euler–Maclaurin value of ``Σ_{i=a}^{n} i^{-s}`` (``n > a``)."""
    total = _integral(a, n, s) + 0.5 * (a**-s + n**-s)
    # f^{(2k-1)}(x) = -(s)(s+1)...(s+2k-2) x^{-s-2k+1}; the rising factorial is built incrementally.
    rising = s  # (s)_{1}
    for k, b in enumerate(_BERNOULLI_OVER_FACT, start=1):
        m = 2 * k - 1
        term = b * (-rising) * (n ** (-s - m) - a ** (-s - m))
        total += term
        rising *= (s + m) * (s + m + 1)
    return total


def harmonic(n, s) -> float:
    """Generalized harmonic number ``H_n(s) = Σ_{i=1}^{n} i^{-s}`` (docs/theory/capacity.md §4).

    See docs/theory/capacity.md §4.

    Parameters
    ----------
    n : float
        Number of terms, ``n >= 1``; non-integers are floored (``n`` counts facts).
    s : float
        Exponent ``s >= 0`` (``s = 0`` gives ``n``; ``s = 1`` the ordinary harmonic number).

    Returns
    -------
    float
        ``H_n(s)`` to ~1e-15 relative accuracy for ``n`` up to ``1e300`` (checked against
        ``mpmath`` ``ζ(s) − ζ(s, n+1)`` in the tests).

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> round(capacity.harmonic(10, 1.0), 6), capacity.harmonic(10, 0.0)
    (2.928968, 10.0)
    >>> round(capacity.harmonic(1e12, 2.0), 6)
    1.644934
    """
    n = check_positive("n", n)
    s = check_zipf(s)
    if n < 1:
        raise ValueError(f"n must be >= 1 (allowed range [1, inf)), got {n!r}")
    n = math.floor(n)
    if s == 0.0:
        return float(n)
    if n < _EM_START or s > 40.0:
        m = int(min(n, 4096))
        return math.fsum(i**-s for i in range(1, m + 1))
    head = math.fsum(i**-s for i in range(1, _EM_START))
    return head + _em_tail(_EM_START, float(n), s)


def log_harmonic(n, s) -> float:
    """``ln H_n(s)`` (docs/theory/capacity.md §4); ``H_n(s) <= n`` never overflows for a finite float ``n``."""
    return math.log(harmonic(n, s))


def zipf_weights(n, s) -> np.ndarray:
    """Zipf probabilities ``q_i = i^{-s}/H_n(s)``, ``i = 1..n`` (docs/theory/capacity.md §1), as an array.

    See docs/theory/capacity.md §1 and §4.

    Parameters
    ----------
    n : int
        Number of facts (materialised, so keep it below ~1e8).
    s : float
        Exponent ``s >= 0``.

    Returns
    -------
    ndarray, shape (n,)
        The probabilities, summing to 1.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> capacity.zipf_weights(4, 1.0).round(4)
    array([0.48, 0.24, 0.16, 0.12])
    """
    n = check_positive("n", n)
    s = check_zipf(s)
    if n < 1 or n != math.floor(n):
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    i = np.arange(1, int(n) + 1, dtype=np.float64)
    # Normalise by the exact float sum of the array (not H_n(s)) so the weights sum to 1.
    w = i**-s
    return w / math.fsum(w.tolist()) if n <= 1e6 else w / w.sum()


def facts_with_exposures(n, s, exposures, min_exposures) -> int:
    """Number of facts expected to get at least ``E*`` exposures out of ``E`` (docs/theory/capacity.md §7 output 5).

    Fact ``i`` is expected to be seen ``E q_i = E i^{-s}/H_n(s)`` times, which decreases in ``i``, so
    the count is ``min(n, ⌊(E/(E* H_n(s)))^{1/s}⌋)`` for ``s > 0`` and ``n`` or ``0`` for ``s = 0``.

    See docs/theory/capacity.md §7.

    Parameters
    ----------
    n : float
        Number of facts ``>= 1``.
    s : float
        Zipf exponent ``>= 0``.
    exposures : float
        Total exposures ``E > 0`` (training occurrences of all facts together).
    min_exposures : float
        Threshold ``E* > 0``.

    Returns
    -------
    int
        The count (a Python ``int``). Exact up to ``2**40``; beyond, ``⌊exp(ln(E/(E* H_n(s)))/s)⌋``,
        whose relative error (~1e-15) is that of the double-precision inputs: there the integer
        boundary is below the resolution of the logarithms and is not settled step by step.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> capacity.facts_with_exposures(1e6, 1.0, 1e8, 100)
    69479
    """
    n = check_positive("n", n)
    if n < 1:
        raise ValueError(f"n must be >= 1 (allowed range [1, inf)), got {n!r}")
    n = math.floor(n)
    s = check_zipf(s)
    e = check_positive("exposures", exposures)
    e_star = check_positive("min_exposures", min_exposures)
    log_ratio = math.log(e) - math.log(e_star) - log_harmonic(n, s)  # ln(E/(E* H_n(s)))
    if s == 0.0:
        return int(n) if log_ratio >= 0 else 0
    log_i = log_ratio / s  # fact i qualifies iff ln i <= log_i
    if log_i < 0:
        return 0
    if log_i >= math.log(n):
        return int(n)
    i = math.floor(math.exp(log_i))
    if i > _EXACT_COUNT_LIMIT:
        # ln(i+1) - ln(i) ~ 1/i is below the resolution of ln(i) itself: the integer boundary is not
        # defined by double-precision inputs, and stepping by 1 would never end.
        return int(min(i, n))
    # exp() may land one off an integer boundary; settle with the exact log comparison (a few steps).
    while i + 1 <= n and math.log(i + 1) <= log_i:
        i += 1
    while i >= 1 and math.log(i) > log_i:
        i -= 1
    return int(i)
