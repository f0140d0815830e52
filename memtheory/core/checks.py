"""The one module of argument checks, used by every layer.

Every public entry point validates its inputs here, so that bad input always raises ``ValueError``
with a message that names the parameter and the allowed range. One rule for numbers everywhere:
``bool`` is rejected where a number is expected (``True`` is not 1.0: a flag passed in the wrong
position must not become a parameter value), as are NaN and infinities unless a check says otherwise.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np

__all__ = [
    "check_finite",
    "check_positive",
    "check_nonnegative",
    "check_interval",
    "check_unit_interval",
    "check_number",
    "check_int",
    "check_positive_int",
    "check_choice",
    "check_callable",
    "check_seeds",
    "check_array",
]


def _real(name: str, value, *, finite: bool = True) -> float:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a real number, got the bool {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a finite real number, got {value!r}") from None
    if math.isnan(x) or (finite and math.isinf(x)):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return x


def check_finite(name: str, value) -> float:
    """Return ``value`` as a float, raising ``ValueError`` if it is not a finite real number (or is a bool)."""
    return _real(name, value)


def check_positive(name: str, value, *, allow_inf: bool = False) -> float:
    """Require ``value > 0`` (finite unless ``allow_inf``)."""
    x = _real(name, value, finite=not allow_inf)
    if x <= 0:
        hi = "inf]" if allow_inf else "inf)"
        raise ValueError(f"{name} must be > 0 (allowed range (0, {hi}), got {value!r}")
    return x


def check_nonnegative(name: str, value) -> float:
    """Require a finite ``value >= 0``."""
    x = _real(name, value)
    if x < 0:
        raise ValueError(f"{name} must be >= 0 (allowed range [0, inf)), got {value!r}")
    return x


def check_number(name: str, value, *, lo: float = -math.inf, hi: float = math.inf,
                 lo_open: bool = False, hi_open: bool = False) -> float:
    """Return ``value`` as a finite float in the interval from ``lo`` to ``hi`` (ends open or closed)."""
    x = _real(name, value)
    if not ((x > lo if lo_open else x >= lo) and (x < hi if hi_open else x <= hi)):
        left, right = ("(" if lo_open else "["), (")" if hi_open else "]")
        raise ValueError(f"{name} must lie in {left}{lo}, {hi}{right}, got {value!r}")
    return x


def check_interval(name: str, value, lo: float, hi: float, *, closed: tuple[bool, bool] = (True, True)) -> float:
    """Require ``lo <= value <= hi`` (each end open or closed as ``closed`` says)."""
    return check_number(name, value, lo=lo, hi=hi, lo_open=not closed[0], hi_open=not closed[1])


def check_unit_interval(name: str, value) -> float:
    """Require ``0 <= value <= 1``."""
    return check_number(name, value, lo=0.0, hi=1.0)


def check_int(name: str, value, *, lo: int = 0, hi: float = math.inf) -> int:
    """Return ``value`` as an int in ``[lo, hi]`` (integral floats such as ``1e4`` are accepted)."""
    x = _real(name, value)
    if x != math.floor(x) or x < lo or x > hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    return int(x)


def check_positive_int(name: str, value) -> int:
    """Require an integer ``value >= 1`` (a float with integral value is accepted)."""
    x = _real(name, value)
    if x != int(x) or x < 1:
        raise ValueError(f"{name} must be a positive integer (allowed range [1, inf)), got {value!r}")
    return int(x)


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Require ``value`` to be one of ``choices`` (case-insensitive); return it lower-cased.

    For learner, loss, activation and kernel names use :func:`memtheory.core.names.canonical`, which
    also knows the aliases.
    """
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
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
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
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Integral) or s < 0:
            raise ValueError(f"{name} must contain non-negative integers, got {s!r}")
        out.append(int(s))
    return tuple(out)


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
