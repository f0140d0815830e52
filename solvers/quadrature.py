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
from memtheory.solvers.special import owens_t_from_tails

__all__ = [
    "legendre_rule",
    "phi_Phi_moments",
    "phi_Phi_endpoint",
    "phi_Phi_interval",
    "phi_Phi_closed_form",
    "DEFAULT_NODES",
]

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


CLOSED_FORM_MIN_WIDTH = 0.1
"""Intervals at least this wide take the closed forms of :func:`phi_Phi_moments`; narrower ones the
Gauss–Legendre rule. The closed forms are differences of O(1) functions of the end points, exact to
about 1e-16 absolute; on an interval of width w, ``T₂ ~ w³`` and that would be a relative error of
1e-16/w³, while the quadrature of a smooth integrand over a short interval keeps full relative accuracy."""

@njit(cache=True, error_model="numpy")
def phi_Phi_closed_form(k, a, b):
    """Whether :func:`phi_Phi_interval` takes the closed forms on ``(a, b)``: ``|b − a|`` at least
    :data:`CLOSED_FORM_MIN_WIDTH` after clipping to ±12, and ``k`` finite (docs/theory/raf.md §3).

    The generated kernels ask it per interval, so that an end point none of whose intervals is wide
    skips its terms (:func:`phi_Phi_endpoint` with ``needed=False``).
    """
    a = min(max(a, -CUTOFF), CUTOFF)
    b = min(max(b, -CUTOFF), CUTOFF)
    return abs(b - a) >= CLOSED_FORM_MIN_WIDTH and math.isfinite(k)


@njit(cache=True, error_model="numpy")
def phi_Phi_endpoint(k, x, needed=True):
    """The terms of the closed-form teacher moments that depend on one end point ``x`` only
    (docs/theory/raf.md §3), for :func:`phi_Phi_interval`.

    Every interval with this end point reuses them: adjacent intervals of a loss share their kinks,
    and each term costs an Owen sum or an ``erfc``. Within one end point, the tails ``H(|x|)`` and
    ``H(|kx|)`` serve ``H(x)``, ``Φ(kx)`` and the reflection of Owen's T alike.

    Parameters
    ----------
    k : float
        Slope of the teacher factor, ``m/√(q − m²)``.
    x : float
        The end point (clipped to ±12, like the limits of :func:`phi_Phi_moments`).
    needed : bool
        False when no interval with this end point is wide enough for the closed forms
        (:func:`phi_Phi_closed_form`): only the clipped point is returned, the terms are NaN.

    Returns
    -------
    tuple of float
        ``(x, F(x), φ(x)Φ(kx), erfc(c|x|/√2), exp(−c²x²/2))`` with ``x`` clipped,
        ``F(x) = ∫_x^∞ φ(t)Φ(kt) dt = T(x, k) + H(x)/2`` and ``c = √(1 + k²)``. At the clipping
        points ±12 every term takes its value at ±∞ (``F`` is ½ or 0, the others 0), as the
        clipping stands for the half-line ends of the losses: no Owen sum, no ``erfc``; the moments
        change by less than 3e-31 absolute, the size of the clipping itself.
    """
    x = min(max(x, -CUTOFF), CUTOFF)
    if not needed or not math.isfinite(k):
        return x, np.nan, np.nan, np.nan, np.nan
    if abs(x) >= CUTOFF:
        # the values at ±∞: the clipped limits of every loss stand for its half-line ends, and the
        # moments change by less than 12·φ(12) + φ(12) < 3e-31, the size of the clipping itself
        return x, (0.5 if x < 0.0 else 0.0), 0.0, 0.0, 0.0
    c2 = 1.0 + k * k
    ax = abs(x)
    ak = abs(k)
    q_kx = 0.5 * math.erfc(ak * ax * _INV_SQRT2)  # H(|kx|)
    phi_kx = q_kx if k * x < 0.0 else 1.0 - q_kx  # Φ(kx)
    tail_c = math.erfc(math.sqrt(c2) * ax * _INV_SQRT2)
    gauss_c = math.exp(-0.5 * c2 * x * x)
    q_x = 0.5 * math.erfc(ax * _INV_SQRT2)  # H(|x|)
    owen = owens_t_from_tails(ax, ak, q_x, q_kx) if k != 0.0 else 0.0
    if k < 0.0:
        owen = -owen
    upper = owen + 0.5 * (q_x if x >= 0.0 else 1.0 - q_x)
    return x, upper, math.exp(-0.5 * x * x) * _INV_SQRT_2PI * phi_kx, tail_c, gauss_c


@njit(cache=True, error_model="numpy")
def phi_Phi_interval(k, lo, hi, nodes, weights):
    """``(∫_a^b φ(t)Φ(kt) tⁿ dt)`` for ``n = 0, 1, 2`` from the end point terms of ``a`` and ``b``.

    ``lo`` and ``hi`` are :func:`phi_Phi_endpoint` of ``a`` and ``b``; the result is that of
    :func:`phi_Phi_moments` (signed, clipped to ±12), bit for bit. Where :func:`phi_Phi_closed_form`
    holds, the closed forms of docs/theory/raf.md §3 are differences of the end point terms:

    ``T₀ = F(a) − F(b)``, ``T₁ = [−φΦ]_a^b + k/(c√2π) [Φ(cb) − Φ(ca)]``,
    ``T₂ = [−tφΦ]_a^b + T₀ + k/(c²·2π) [e^{−c²a²/2} − e^{−c²b²/2}]``;

    otherwise Gauss–Legendre with the rule ``(nodes, weights)``.
    """
    a = lo[0]
    b = hi[0]
    if a == b:
        return 0.0, 0.0, 0.0
    sign = 1.0
    if a > b:
        lo, hi = hi, lo
        a, b = b, a
        sign = -1.0
    if not phi_Phi_closed_form(k, a, b):
        return _moments_quadrature(k, a, b, sign, nodes, weights)
    # by parts: d/dt[φ(t)Φ(kt)] = −tφ(t)Φ(kt) + kφ(t)φ(kt),  φ(t)φ(kt) = φ(ct)/√(2π)
    _, f_a, p_a, e_a, g_a = lo
    _, f_b, p_b, e_b, g_b = hi
    c2 = 1.0 + k * k
    c = math.sqrt(c2)
    # Φ(cb) − Φ(ca) from the tails on the side where they are small, keeping its relative accuracy
    if a >= 0.0:
        cdf_diff = 0.5 * (e_a - e_b)
    elif b <= 0.0:
        cdf_diff = 0.5 * (e_b - e_a)
    else:
        cdf_diff = 1.0 - 0.5 * (e_a + e_b)
    kc = k * _INV_SQRT_2PI
    t0 = f_a - f_b
    t1 = p_a - p_b + kc / c * cdf_diff
    t2 = a * p_a - b * p_b + t0 + kc / c2 * _INV_SQRT_2PI * (g_a - g_b)
    return sign * t0, sign * t1, sign * t2


@njit(cache=True, error_model="numpy")
def phi_Phi_moments(k, a, b, nodes, weights):
    """``(∫_a^b φ(t)Φ(kt) tⁿ dt)`` for ``n = 0, 1, 2``, signed (``a > b`` flips the sign).

    On intervals at least :data:`CLOSED_FORM_MIN_WIDTH` wide, closed forms: ``T₀`` through Owen's T
    function, ``T₁`` and ``T₂`` by integration by parts (docs/theory/raf.md §3). On narrower ones, and
    for non-finite ``k``, Gauss–Legendre with the rule ``(nodes, weights)`` on pieces split at 0 and
    ±8/|k|. This is :func:`phi_Phi_interval` of the two :func:`phi_Phi_endpoint`; a kernel with
    several intervals sharing end points calls those directly and computes each end point once.

    Parameters
    ----------
    k : float
        Slope of the teacher factor, ``m/√(q − m²)``.
    a, b : float
        Finite integration limits (clipped to ±12, where ``φ(12)·12² < 1e-29``).
    nodes, weights : ndarray
        Gauss–Legendre rule on [-1, 1] (see :func:`legendre_rule`), for the narrow intervals.
    """
    closed = phi_Phi_closed_form(k, a, b)
    return phi_Phi_interval(
        k, phi_Phi_endpoint(k, a, closed), phi_Phi_endpoint(k, b, closed), nodes, weights
    )


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
