"""Input validation for the simulation packages.

Every public entry point of :mod:`simulations` validates its arguments here, so that bad input raises
``ValueError`` naming the parameter and the allowed range (spec ``raf.md`` §1 gives the ranges:
d, n, κ > 0, ε ∈ [0, 1], λ ≥ 0). Deliberately independent of :mod:`solvers`: the simulations are the
check on the theory and must not share code with it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

__all__ = [
    "check_number",
    "check_int",
    "check_positive_int",
    "check_positive",
    "check_nonnegative",
    "check_unit_interval",
    "check_choice",
    "check_callable",
    "check_seeds",
]


def _real(name: str, value) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return x


def check_positive_int(name: str, value) -> int:
    """Require an integer ``value >= 1`` (a float with integral value is accepted)."""
    x = _real(name, value)
    if x != int(x) or x < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(x)


def check_positive(name: str, value) -> float:
    """Require a finite ``value > 0``."""
    x = _real(name, value)
    if x <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return x


def check_nonnegative(name: str, value) -> float:
    """Require a finite ``value >= 0``."""
    x = _real(name, value)
    if x < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return x


def check_unit_interval(name: str, value) -> float:
    """Require ``0 <= value <= 1``."""
    x = _real(name, value)
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    return x


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Require one of ``choices`` (case-insensitive); return it lower-cased."""
    choices = tuple(choices)
    if not isinstance(value, str) or value.lower() not in choices:
        raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(choices)}")
    return value.lower()


def check_callable(name: str, value):
    """Require a callable (e.g. a kernel given as a function of t = x·x'/d)."""
    if not callable(value):
        raise ValueError(f"{name} must be a function, got {type(value).__name__} {value!r}")
    return value


def check_seeds(name: str, value) -> tuple[int, ...]:
    """Normalise ``seeds``: an int k means seeds 0..k-1, otherwise a non-empty list of ints >= 0."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        k = check_positive_int(name, value)
        return tuple(range(k))
    try:
        items = list(value)
    except TypeError:
        raise ValueError(f"{name} must be a positive int or a non-empty list of ints, got {value!r}") from None
    if not items:
        raise ValueError(f"{name} must not be empty")
    out = []
    for s in items:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 0:
            raise ValueError(f"{name} must contain non-negative integers, got {s!r}")
        out.append(int(s))
    return tuple(out)


def check_number(name: str, value, *, lo: float = -math.inf, hi: float = math.inf,
                 lo_open: bool = False, hi_open: bool = False) -> float:
    """Return ``value`` as a finite float in the interval from ``lo`` to ``hi`` (ends open or closed)."""
    x = _real(name, value)
    if not ((x > lo if lo_open else x >= lo) and (x < hi if hi_open else x <= hi)):
        left, right = ("(" if lo_open else "["), (")" if hi_open else "]")
        raise ValueError(f"{name} must lie in {left}{lo}, {hi}{right}, got {value!r}")
    return x


def check_int(name: str, value, *, lo: int = 0, hi: float = math.inf) -> int:
    """Return ``value`` as an int in ``[lo, hi]`` (integral floats such as ``1e4`` are accepted)."""
    x = _real(name, value)
    if x != math.floor(x) or x < lo or x > hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    return int(x)
