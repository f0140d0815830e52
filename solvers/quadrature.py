"""The teacher moments of the output channels: closed forms, and Gauss–Legendre on short intervals.

The output channels need integrals ``T_n(a, b) = ∫_a^b φ(t) Φ(k t) tⁿ dt`` (the teacher's sign
integrated out analytically, docs/theory/raf.md §3) on finite intervals delimited by the loss kinks.
On intervals at least :data:`CLOSED_FORM_MIN_WIDTH` wide they are closed forms (Owen's T function and
integration by parts, docs/theory/raf.md §3). Narrower intervals keep Gauss–Legendre quadrature, which
keeps full relative accuracy there: ``Φ(k t)`` becomes a step at ``t = 0`` as the learner aligns with
the teacher (``k = m/√(q − m²) → ∞``), so such an interval is split at 0 and at ±8/|k|, where the
nodes cluster at the ends and resolve the layer.

The closed forms are differences of terms at the two end points; adjacent intervals share an end
point (a kink of the loss), so the generated kernels compute those terms once per end point
(:func:`phi_Phi_endpoint`) and combine them per interval (:func:`phi_Phi_interval`);
:func:`phi_Phi_moments` is the two in one call.
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
    "phi_Phi_cutoff_endpoint",
    "phi_Phi_closed_form",
    "ENDPOINT_TERMS",
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

ENDPOINT_TERMS = (
    "x", "F", "phi_Phi", "gauss", "gauss_c", "erfc_x", "erfc_minus_x", "erfc_kx", "erfc_minus_kx", "erfc_cx",
    "erfc_minus_cx",
)
"""Names of the entries of :func:`phi_Phi_endpoint`, in order (the code generator reads them by index)."""


@njit(cache=True, error_model="numpy")
def phi_Phi_closed_form(k, a, b):
    """Whether :func:`phi_Phi_interval` takes the closed forms on ``(a, b)``: ``|b − a|`` at least
    :data:`CLOSED_FORM_MIN_WIDTH` after clipping to ±12, and ``k`` finite (docs/theory/raf.md §3).

    The generated kernels ask it per interval, so that an end point none of whose intervals is wide
    skips its Owen sum (:func:`phi_Phi_endpoint` with ``closed=False``).
    """
    a = min(max(a, -CUTOFF), CUTOFF)
    b = min(max(b, -CUTOFF), CUTOFF)
    return abs(b - a) >= CLOSED_FORM_MIN_WIDTH and math.isfinite(k)


@njit(cache=True, error_model="numpy")
def phi_Phi_endpoint(k, x, closed=True):
    """The terms of the closed-form teacher moments that depend on one end point ``x`` only
    (docs/theory/raf.md §3), for :func:`phi_Phi_interval`.

    Every interval with this end point reuses them (adjacent intervals of a loss share their kinks), and
    so do the other terms of a generated kernel that need ``erfc`` or a Gaussian at the kink. Each is one
    ``erfc``, ``exp`` or Owen sum, computed once: the tails ``H(|x|)`` and ``H(|kx|)`` serve ``H(±x)``,
    ``Φ(±kx)`` and the reflection of Owen's T alike.

    Parameters
    ----------
    k : float
        Slope of the teacher factor, ``m/√(q − m²)``.
    x : float
        The end point.
    closed : bool
        False when no interval with this end point takes the closed forms
        (:func:`phi_Phi_closed_form`): ``F`` is then NaN and no Owen sum is done.

    Returns
    -------
    tuple of float
        :data:`ENDPOINT_TERMS`: ``x`` clipped to ±12; ``F(x) = ∫_x^∞ φ(t)Φ(kt) dt = T(x, k) + H(x)/2``
        (½ or 0 at the clipping points, where the tail beyond is below ``H(12) = 2e-33``: no Owen sum
        there); then, at the unclipped ``x`` and with ``c = √(1 + k²)``, ``φ(x)Φ(kx)``,
        ``exp(−x²/2)``, ``exp(−c²x²/2)``, ``erfc(±x/√2)``, ``erfc(±kx/√2)``, ``erfc(±cx/√2)``, each pair
        from one ``erfc`` of the positive argument (the small tail keeps its relative accuracy; the
        other is 2 minus it).
    """
    xc = min(max(x, -CUTOFF), CUTOFF)
    c2 = 1.0 + k * k
    ax = abs(x)
    tail_x = math.erfc(ax * _INV_SQRT2)
    tail_kx = math.erfc(abs(k) * ax * _INV_SQRT2)
    tail_cx = math.erfc(math.sqrt(c2) * ax * _INV_SQRT2)
    gauss = math.exp(-0.5 * x * x)
    gauss_c = math.exp(-0.5 * c2 * x * x)
    if x >= 0.0:
        erfc_x, erfc_minus_x = tail_x, 2.0 - tail_x
        erfc_cx, erfc_minus_cx = tail_cx, 2.0 - tail_cx
    else:
        erfc_x, erfc_minus_x = 2.0 - tail_x, tail_x
        erfc_cx, erfc_minus_cx = 2.0 - tail_cx, tail_cx
    if k * x >= 0.0:
        erfc_kx, erfc_minus_kx = tail_kx, 2.0 - tail_kx
    else:
        erfc_kx, erfc_minus_kx = 2.0 - tail_kx, tail_kx
    upper = np.nan
    if abs(xc) >= CUTOFF:
        upper = 0.5 if xc < 0.0 else 0.0
    elif closed and math.isfinite(k):
        owen = owens_t_from_tails(ax, abs(k), 0.5 * tail_x, 0.5 * tail_kx) if k != 0.0 else 0.0
        upper = (owen if k > 0.0 else -owen) + 0.25 * erfc_x
    phi_Phi = gauss * _INV_SQRT_2PI * 0.5 * erfc_minus_kx
    return (xc, upper, phi_Phi, gauss, gauss_c, erfc_x, erfc_minus_x, erfc_kx, erfc_minus_kx, erfc_cx,
            erfc_minus_cx)


@njit(cache=True, error_model="numpy")
def phi_Phi_cutoff_endpoint(k, x):
    """:func:`phi_Phi_endpoint` at a clipping point ``x = ±12`` taken as ``±∞``, without any ``erfc``
    or ``exp``: the limits ``±12`` of a loss's half-line pieces stand for its ends.

    The moments of an interval ending there differ from those of :func:`phi_Phi_endpoint` by less
    than ``12·φ(12) + φ(12) < 3e-31`` absolute, the size of the clipping itself (docs/theory/raf.md §3).
    """
    xc = min(max(x, -CUTOFF), CUTOFF)
    sx = 1.0 if xc > 0.0 else -1.0
    skx = sx * k
    if skx > 0.0:
        erfc_kx, erfc_minus_kx = 0.0, 2.0
    elif skx < 0.0:
        erfc_kx, erfc_minus_kx = 2.0, 0.0
    elif skx == 0.0:
        erfc_kx, erfc_minus_kx = 1.0, 1.0
    else:
        erfc_kx, erfc_minus_kx = np.nan, np.nan
    upper = 0.0 if sx > 0.0 else 0.5
    return (xc, upper, 0.0, 0.0, 0.0, 1.0 - sx, 1.0 + sx, erfc_kx, erfc_minus_kx, 1.0 - sx, 1.0 + sx)


@njit(cache=True, error_model="numpy")
def _bare_endpoint(x):
    # what the quadrature reads of an end point: its clipped position
    nan = np.nan
    return (min(max(x, -CUTOFF), CUTOFF), nan, nan, nan, nan, nan, nan, nan, nan, nan, nan)


@njit(cache=True, error_model="numpy")
def phi_Phi_interval(k, lo, hi, nodes, weights):
    """``(∫_a^b φ(t)Φ(kt) tⁿ dt)`` for ``n = 0, 1, 2`` from the end point terms of ``a`` and ``b``.

    ``lo`` and ``hi`` are :func:`phi_Phi_endpoint` of ``a`` and ``b`` (or
    :func:`phi_Phi_cutoff_endpoint` at ±12); with :func:`phi_Phi_endpoint` the result is that of
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
    c2 = 1.0 + k * k
    c = math.sqrt(c2)
    # Φ(cb) − Φ(ca) from the tails on the side where they are small, keeping its relative accuracy
    if a >= 0.0:
        cdf_diff = 0.5 * (lo[9] - hi[9])
    else:
        cdf_diff = 0.5 * (hi[10] - lo[10])
    kc = k * _INV_SQRT_2PI
    t0 = lo[1] - hi[1]
    t1 = lo[2] - hi[2] + kc / c * cdf_diff
    t2 = a * lo[2] - b * hi[2] + t0 + kc / c2 * _INV_SQRT_2PI * (lo[4] - hi[4])
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
    if phi_Phi_closed_form(k, a, b):
        return phi_Phi_interval(k, phi_Phi_endpoint(k, a), phi_Phi_endpoint(k, b), nodes, weights)
    return phi_Phi_interval(k, _bare_endpoint(a), _bare_endpoint(b), nodes, weights)


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
