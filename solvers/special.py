"""Gaussian special functions, stable deep into the tails (numba kernels plus numpy wrappers).

Notation (docs/theory/raf.md §5): ``H(x) = P(Z > x) = erfc(x/√2)/2`` for ``Z ~ N(0, 1)``, ``φ`` the standard
normal density, ``Φ(x) = H(-x)``. The scaled complementary error function ``erfcx(x) = exp(x²) erfc(x)``
is implemented here because numba cannot call :func:`scipy.special.erfcx`; every tail quantity is
expressed through it so that nothing underflows before the final answer does.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.jit import njit

__all__ = [
    "erfcx", "gauss_tail", "log_gauss_tail", "mills_ratio", "norm_pdf", "norm_cdf", "owens_t", "owens_t_from_tails",
]

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_PI = 1.0 / math.sqrt(math.pi)
_INV_2PI = 1.0 / (2.0 * math.pi)

OWEN_T_NODES = 12
"""Gauss–Legendre nodes of :func:`owens_t_scalar` on ``[0, a]``, ``a ≤ 1``: the integrand
``exp(−h²(1 + x²)/2)/(1 + x²)`` is analytic in an ellipse around ``[0, 1]`` reaching to its poles at
``±i``. Measured against mpmath on a grid of 121 ``h ∈ [0, 12]`` (the clipping of the channels) by 48
``a ∈ [0.025, 10⁴]``: 5.6e-17 absolute at most, as with 16 nodes (4.2e-17): a few rounding units of
``T ≤ 1/4``. What fewer nodes give up is the relative accuracy of tiny values, where the integrand is a
Gaussian of width ``1/h``: at most 1.8e-8 for ``T > 1e-12`` (16 nodes: 1.8e-12), i.e. below 3e-20
absolute; the closed-form teacher moments built on it are differences of O(1) terms, exact to 1e-16
absolute anyway (docs/theory/raf.md §3). The weights carry the factor ``1/(2π)``."""


def _owen_rule(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return np.ascontiguousarray(0.5 * (x + 1.0)), np.ascontiguousarray(0.5 * w * _INV_2PI)


_OWEN_X, _OWEN_W = _owen_rule(OWEN_T_NODES)


@njit(cache=True, inline="always")
def erfcx_scalar(x: float) -> float:
    """``exp(x²) erfc(x)`` for real ``x``.

    For ``x < 4`` the direct product is accurate to a few rounding units (``erfc`` has not lost
    precision and ``exp(x²) ≤ e¹⁶``; for negative ``x`` it overflows only when the true value does). For
    ``x ≥ 4`` the Laplace continued fraction ``1/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))`` is
    evaluated backwards with enough terms for double precision (checked against mpmath in tests).
    """
    if x < 4.0:
        return math.exp(x * x) * math.erfc(x)
    n_terms = 30 if x < 10.0 else 12
    t = x
    for n in range(n_terms, 0, -1):
        t = x + 0.5 * n / t
    return _INV_SQRT_PI / t


@njit(cache=True, inline="always")
def gauss_tail_scalar(x: float) -> float:
    """``H(x) = P(Z > x) = erfc(x/√2)/2``.

    libm's ``erfc`` keeps its relative accuracy deep in the tail; what remains is the rounding of
    ``x/√2``, amplified by the condition number ``x²`` of the tail (tests allow exactly that)."""
    return 0.5 * math.erfc(x / _SQRT2)


@njit(cache=True)
def log_gauss_tail_scalar(x: float) -> float:
    """``log H(x)`` without underflow for large positive ``x`` or cancellation for negative ``x``."""
    if x > 0.0:
        z = x / _SQRT2
        return math.log(0.5 * erfcx_scalar(z)) - z * z
    return math.log1p(-0.5 * math.erfc(-x / _SQRT2))


@njit(cache=True)
def mills_ratio_scalar(x: float) -> float:
    """``φ(x)/H(x)`` (inverse Mills ratio), computed as ``√(2/π)/erfcx(x/√2)``."""
    return _SQRT_2_OVER_PI / erfcx_scalar(x / _SQRT2)


@njit(cache=True)
def _apply(kind, x, out):
    for i in range(x.shape[0]):
        v = x[i]
        if kind == 0:
            out[i] = erfcx_scalar(v)
        elif kind == 1:
            out[i] = gauss_tail_scalar(v)
        elif kind == 2:
            out[i] = log_gauss_tail_scalar(v)
        else:
            out[i] = mills_ratio_scalar(v)


def _elementwise(kind: int, x):
    # numba ufuncs built with @vectorize are compiled at import (their cache does not load), so the
    # array versions are a lazily compiled, disk-cached loop instead
    arr = np.asarray(x, dtype=np.float64)
    flat = np.ascontiguousarray(arr.ravel())
    out = np.empty_like(flat)
    _apply(kind, flat, out)
    return out.reshape(arr.shape) if arr.ndim else out[0]


def erfcx(x):
    """Elementwise ``exp(x²) erfc(x)`` (see :func:`erfcx_scalar`)."""
    return _elementwise(0, x)


def gauss_tail(x):
    """Elementwise ``H(x) = P(Z > x)`` for ``Z ~ N(0, 1)``."""
    return _elementwise(1, x)


def log_gauss_tail(x):
    """Elementwise ``log H(x)``."""
    return _elementwise(2, x)


def mills_ratio(x):
    """Elementwise ``φ(x)/H(x)``."""
    return _elementwise(3, x)


def norm_pdf(x):
    """Standard normal density ``φ(x)``."""
    x = np.asarray(x, dtype=float)
    return _INV_SQRT_2PI * np.exp(-0.5 * x * x)


def norm_cdf(x):
    """Standard normal distribution ``Φ(x) = H(-x)``."""
    return gauss_tail(-np.asarray(x, dtype=float))


@njit(cache=True, error_model="numpy")
def _owens_t_unit(h: float, a: float) -> float:
    # T(h, a) = (1/2π) ∫_0^a exp(−h²(1 + x²)/2)/(1 + x²) dx by Gauss–Legendre, for 0 ≤ a ≤ 1
    h2 = 0.5 * h * h
    s = 0.0
    for j in range(_OWEN_X.shape[0]):
        x = a * _OWEN_X[j]
        y = 1.0 + x * x
        s += _OWEN_W[j] * math.exp(-h2 * y) / y
    return s * a


@njit(cache=True, error_model="numpy")
def owens_t_scalar(h: float, a: float) -> float:
    """Owen's T function ``T(h, a) = (1/2π) ∫_0^a exp(−h²(1 + x²)/2)/(1 + x²) dx``.

    Even in ``h``, odd in ``a``. For ``|a| ≤ 1`` a fixed Gauss–Legendre rule (:data:`OWEN_T_NODES`);
    for ``a > 1`` the reflection ``T(h, a) = ½[Φ(h)H(ah) + Φ(ah)H(h)] − T(ah, 1/a)`` (``h ≥ 0``), written
    with tails so that nothing cancels as ``a → ∞`` (where ``T(h, a) → H(h)/2``). Absolute accuracy a
    few 1e-17 for ``|h| ≤ 12`` (tests: against :func:`scipy.special.owens_t` and mpmath).

    See docs/theory/raf.md §3 (closed-form teacher moments).
    """
    if a < 0.0:
        return -owens_t_scalar(h, -a)
    if a == 0.0 or not math.isfinite(h):
        return 0.0
    h = abs(h)
    if a <= 1.0:
        return _owens_t_unit(h, a)
    if not math.isfinite(a):
        return 0.25 * math.erfc(h / _SQRT2)
    return owens_t_from_tails(h, a, 0.5 * math.erfc(h / _SQRT2), 0.5 * math.erfc(a * h / _SQRT2))


@njit(cache=True, error_model="numpy")
def owens_t_from_tails(h: float, a: float, q_h: float, q_ah: float) -> float:
    """Owen's ``T(h, a)`` for ``h ≥ 0`` and finite ``a ≥ 0``, given the Gaussian tails ``q_h = H(h)`` and
    ``q_ah = H(ah)``.

    The tails are what the reflection of :func:`owens_t_scalar` needs for ``a > 1`` (they are not read
    for ``a ≤ 1``); a caller that needs ``H(h)`` and ``H(ah)`` anyway (the closed-form teacher moments,
    docs/theory/raf.md §3) passes its own and saves two ``erfc``.
    """
    if a <= 1.0:
        return _owens_t_unit(h, a)
    return 0.5 * ((1.0 - q_h) * q_ah + (1.0 - q_ah) * q_h) - _owens_t_unit(a * h, 1.0 / a)


def owens_t(h, a):
    """Owen's T function, elementwise over broadcast ``h`` and ``a`` (see :func:`owens_t_scalar`;
    docs/theory/raf.md §3)."""
    h, a = np.broadcast_arrays(np.asarray(h, dtype=float), np.asarray(a, dtype=float))
    out = np.empty(h.shape)
    for idx in np.ndindex(h.shape):
        out[idx] = owens_t_scalar(float(h[idx]), float(a[idx]))
    return out
