"""The teacher moments of the output channels: closed forms, and Gauss–Legendre on short intervals.

The output channels need integrals ``T_n(a, b) = ∫_a^b φ(t) Φ(k t) tⁿ dt`` (the teacher's sign
integrated out analytically, docs/theory/raf.md §3) on finite intervals delimited by the loss kinks.
On intervals at least :data:`CLOSED_FORM_MIN_WIDTH` wide they are closed forms (Owen's T function and
integration by parts, docs/theory/raf.md §3). Narrower intervals keep Gauss–Legendre quadrature, which
keeps full relative accuracy there: ``Φ(k t)`` becomes a step at ``t = 0`` as the learner aligns with
the teacher (``k = m/√(q − m²) → ∞``), so such an interval is split at 0 and at ±8/|k|, where the
nodes cluster at the ends and resolve the layer.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from memtheory.core.jit import njit
from memtheory.solvers.special import owens_t_scalar

__all__ = ["legendre_rule", "phi_Phi_moments", "DEFAULT_NODES"]

DEFAULT_NODES = 32
CUTOFF = 12.0
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)


def legendre_rule(n: int = DEFAULT_NODES) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on [-1, 1] as contiguous float64 arrays (read-only, cached)."""
    if int(n) != n or n < 2:
        raise ValueError(f"n (number of quadrature nodes) must be an integer >= 2, got {n!r}")
    return _legendre_rule(int(n))


@functools.lru_cache(maxsize=32)
def _legendre_rule(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    x = np.ascontiguousarray(x, dtype=np.float64)
    w = np.ascontiguousarray(w, dtype=np.float64)
    x.flags.writeable = False
    w.flags.writeable = False
    return x, w


@njit(cache=True, error_model="numpy")
def _moments_piece(k, a, b, mode, nodes, weights):
    # One piece of Gauss–Legendre. mode 0: Φ(kt) varies on the piece; mode 1: Φ(kt) = 1 to 1e-15
    # (the erfc is skipped). Pieces where Φ(kt) = 0 to 1e-15 are never integrated.
    half = 0.5 * (b - a)
    mid = 0.5 * (b + a)
    i0 = 0.0
    i1 = 0.0
    i2 = 0.0
    for j in range(nodes.shape[0]):
        t = mid + half * nodes[j]
        g = weights[j] * math.exp(-0.5 * t * t)
        if mode == 0:
            g *= 0.5 * math.erfc(-k * t * _INV_SQRT2)
        i0 += g
        i1 += g * t
        i2 += g * t * t
    s = half * _INV_SQRT_2PI
    return i0 * s, i1 * s, i2 * s


@njit(cache=True, error_model="numpy")
def _upper_phi_Phi(h, k):
    # ∫_h^∞ φ(t)Φ(kt) dt = T(h, k) + H(h)/2, from ∂T(h, k)/∂h = −φ(h)(Φ(kh) − ½) and T(∞, k) = 0.
    # At the clipping points the tail beyond is below Φ(−12) = 2e-33: ½ and 0 exactly (the half-line
    # ends of every loss are clipped there, so this saves an Owen sum on most intervals)
    if h <= -CUTOFF:
        return 0.5
    if h >= CUTOFF:
        return 0.0
    return owens_t_scalar(h, k) + 0.25 * math.erfc(h * _INV_SQRT2)


@njit(cache=True, error_model="numpy")
def _norm_cdf_difference(x, y):
    # Φ(y) − Φ(x) from the tail on the side where both lie, so that it keeps its relative accuracy
    if x >= 0.0:
        return 0.5 * (math.erfc(x * _INV_SQRT2) - math.erfc(y * _INV_SQRT2))
    return 0.5 * (math.erfc(-y * _INV_SQRT2) - math.erfc(-x * _INV_SQRT2))


@njit(cache=True, error_model="numpy")
def _moments_closed(k, a, b):
    # a < b, finite k. T₀ from Owen's T; T₁ and T₂ by parts:
    #   d/dt[φ(t)Φ(kt)] = −tφ(t)Φ(kt) + kφ(t)φ(kt),  φ(t)φ(kt) = φ(ct)/√(2π),  c = √(1 + k²)
    c2 = 1.0 + k * k
    c = math.sqrt(c2)
    t0 = _upper_phi_Phi(a, k) - _upper_phi_Phi(b, k)
    pa = math.exp(-0.5 * a * a) * _INV_SQRT_2PI * 0.5 * math.erfc(-k * a * _INV_SQRT2)
    pb = math.exp(-0.5 * b * b) * _INV_SQRT_2PI * 0.5 * math.erfc(-k * b * _INV_SQRT2)
    kc = k * _INV_SQRT_2PI
    t1 = pa - pb + kc / c * _norm_cdf_difference(c * a, c * b)
    ga = math.exp(-0.5 * c2 * a * a)
    gb = math.exp(-0.5 * c2 * b * b)
    t2 = a * pa - b * pb + t0 + kc / c2 * _INV_SQRT_2PI * (ga - gb)
    return t0, t1, t2


CLOSED_FORM_MIN_WIDTH = 0.1
"""Intervals at least this wide take the closed forms of :func:`phi_Phi_moments`; narrower ones the
Gauss–Legendre rule. The closed forms are differences of O(1) functions of the end points, exact to
about 1e-16 absolute; on an interval of width w, ``T₂ ~ w³`` and that would be a relative error of
1e-16/w³, while the quadrature of a smooth integrand over a short interval keeps full relative accuracy."""


@njit(cache=True, error_model="numpy")
def phi_Phi_moments(k, a, b, nodes, weights):
    """``(∫_a^b φ(t)Φ(kt) tⁿ dt)`` for ``n = 0, 1, 2``, signed (``a > b`` flips the sign).

    On intervals at least :data:`CLOSED_FORM_MIN_WIDTH` wide, closed forms: ``T₀`` through Owen's T
    function, ``T₁`` and ``T₂`` by integration by parts (docs/theory/raf.md §3). On narrower ones, and
    for non-finite ``k``, Gauss–Legendre with the rule ``(nodes, weights)`` on pieces split at 0 and
    ±8/|k|.

    Parameters
    ----------
    k : float
        Slope of the teacher factor, ``m/√(q − m²)``.
    a, b : float
        Finite integration limits (clipped to ±12, where ``φ(12)·12² < 1e-29``).
    nodes, weights : ndarray
        Gauss–Legendre rule on [-1, 1] (see :func:`legendre_rule`), for the narrow intervals.
    """
    a = min(max(a, -CUTOFF), CUTOFF)
    b = min(max(b, -CUTOFF), CUTOFF)
    if a == b:
        return 0.0, 0.0, 0.0
    sign = 1.0
    if a > b:
        a, b = b, a
        sign = -1.0
    if b - a >= CLOSED_FORM_MIN_WIDTH and math.isfinite(k):
        t0, t1, t2 = _moments_closed(k, a, b)
        return sign * t0, sign * t1, sign * t2
    return _moments_quadrature(k, a, b, sign, nodes, weights)


@njit(cache=True, error_model="numpy")
def _moments_quadrature(k, a, b, sign, nodes, weights):
    # breakpoints: 0 (the teacher step) and ±8/|k|, beyond which Φ(kt) is 0 or 1 to 1e-15, so that
    # each piece sees either the smooth Gaussian or a resolved layer of width 1/|k|
    cuts = np.empty(5)
    cuts[0] = a
    nc = 1
    w = 8.0 / abs(k) if k != 0.0 else np.inf
    for c in (-w, 0.0, w):
        if a < c < b:
            cuts[nc] = c
            nc += 1
    cuts[nc] = b
    nc += 1
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    for j in range(nc - 1):
        lo = cuts[j]
        hi = cuts[j + 1]
        mid = 0.5 * (lo + hi)
        if k * mid >= 8.0:
            mode = 1
        elif k * mid <= -8.0:
            continue
        else:
            mode = 0
        i0, i1, i2 = _moments_piece(k, lo, hi, mode, nodes, weights)
        s0 += i0
        s1 += i1
        s2 += i2
    return sign * s0, sign * s1, sign * s2
