"""Argument checks shared by every solver.

Every public entry point validates its inputs with these helpers, so that bad input always raises
``ValueError`` with a message that names the parameter and the allowed range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

__all__ = [
    "check_finite",
    "check_positive",
    "check_nonnegative",
    "check_interval",
    "check_choice",
    "check_array",
]


def check_finite(name: str, value) -> float:
    """Return ``value`` as a float, raising ``ValueError`` if it is not a finite real number."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite real number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return x


def check_positive(name: str, value, *, allow_inf: bool = False) -> float:
    """Require ``value > 0`` (finite unless ``allow_inf``)."""
    if allow_inf:
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a real number > 0, got {value!r}") from None
        if math.isnan(x) or x <= 0:
            raise ValueError(f"{name} must be > 0 (allowed range (0, inf]), got {value!r}")
        return x
    x = check_finite(name, value)
    if x <= 0:
        raise ValueError(f"{name} must be > 0 (allowed range (0, inf)), got {value!r}")
    return x


def check_nonnegative(name: str, value) -> float:
    """Require a finite ``value >= 0``."""
    x = check_finite(name, value)
    if x < 0:
        raise ValueError(f"{name} must be >= 0 (allowed range [0, inf)), got {value!r}")
    return x


def check_interval(name: str, value, lo: float, hi: float, *, closed: tuple[bool, bool] = (True, True)) -> float:
    """Require ``lo <= value <= hi`` (each end open or closed as ``closed`` says)."""
    x = check_finite(name, value)
    lo_ok = x >= lo if closed[0] else x > lo
    hi_ok = x <= hi if closed[1] else x < hi
    if not (lo_ok and hi_ok):
        left = "[" if closed[0] else "("
        right = "]" if closed[1] else ")"
        raise ValueError(f"{name} must lie in {left}{lo}, {hi}{right}, got {value!r}")
    return x


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Require ``value`` to be one of ``choices`` (case-insensitive); return it lower-cased."""
    choices = tuple(choices)
    if not isinstance(value, str) or value.lower() not in choices:
        raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(choices)}")
    return value.lower()


def check_array(name: str, value, *, ndim: int | None = None, shape: tuple | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 array of the requested rank/shape (``None`` entries are free)."""
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of real numbers") from None
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {a.shape}")
    if shape is not None:
        if a.ndim != len(shape) or any(s is not None and s != t for s, t in zip(shape, a.shape)):
            want = tuple("*" if s is None else s for s in shape)
            raise ValueError(f"{name} must have shape {want}, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return a
