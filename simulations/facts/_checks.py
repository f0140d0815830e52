"""Tiny argument checks for :mod:`simulations.facts` (it must not import :mod:`solvers`).

Bad input raises ``ValueError`` naming the parameter and the allowed range.
"""

from __future__ import annotations

import math

__all__ = ["check_choice", "check_int", "check_number"]


def check_number(name: str, value, *, lo: float = -math.inf, hi: float = math.inf,
                 lo_open: bool = False, hi_open: bool = False) -> float:
    """Return ``value`` as a finite float in the given interval."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    ok = math.isfinite(x) and (x > lo if lo_open else x >= lo) and (x < hi if hi_open else x <= hi)
    if not ok:
        left, right = ("(" if lo_open else "["), (")" if hi_open else "]")
        raise ValueError(f"{name} must lie in {left}{lo}, {hi}{right}, got {value!r}")
    return x


def check_int(name: str, value, *, lo: int = 0, hi: float = math.inf) -> int:
    """Return ``value`` as an int in ``[lo, hi]`` (integral floats such as ``1e4`` are accepted)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if not math.isfinite(x) or x != math.floor(x) or x < lo or x > hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    return int(x)


def check_choice(name: str, value, choices) -> str:
    """Require ``value`` in ``choices`` (case-insensitive); return it lower-cased."""
    choices = tuple(choices)
    if not isinstance(value, str) or value.lower() not in choices:
        raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(choices)}")
    return value.lower()
