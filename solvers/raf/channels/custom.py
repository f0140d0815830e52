"""Any convex margin loss from the user: :class:`CustomLoss` (docs/theory/losses.md, custom losses).

The user writes ``loss(y, z)`` as a plain Python function of floats. It is compiled with numba, checked
on a grid (finite, a margin loss ``ℓ(y, z) = L(yz)``, convex in ``z``), and its kinks (jumps of ``L'``)
are located numerically. The channel then follows the generic one-dimensional integrals of the margin
channels (docs/theory/raf.md):

* ``m̂ = α (1−ε) √(2/π) ∫ Dt g(s t)``, ``q̂ = α ∫ Dξ [ε + 2(1−ε)Φ(kξ)] g(√q ξ)²``,
* ``V̂ = −α ∫ Dξ [ε + 2(1−ε)Φ(kξ)] g'(√q ξ)``, with ``g(u) = (p(u) − u)/V``, ``g' = (p' − 1)/V``,

with the prox ``p`` solved numerically: sticking to a kink ``κ`` for ``u ∈ κ + V[L'(κ−), L'(κ+)]``,
otherwise the root of the increasing ``V L'(z) + z − u`` on the smooth segment that holds it, by Newton
safeguarded with bisection (*rtsafe*); ``p' = 1/(1 + V L''(p))`` off the kinks and 0 on them. ``L'`` and
``L''`` are the user's ``dloss``/``d2loss`` or fourth-order finite differences that stay inside the
smooth segment. The Gauss–Legendre pieces are split at the Gaussian cutoff, the teacher step, the
prox's kinks and the preimages ``u = z + V L'(z)`` of a fixed grid of outputs ``z`` (where a smooth
loss's curvature sits).

Numba cannot cache a compiled function that calls a function created at run time, so a custom loss gets
its own, uncached copy of the saddle-point driver (:func:`driver_for`): the driver's functions are
recompiled with the custom channel in place of the integer-id dispatch. Everything else (priors, the
Anderson iteration, the stopping rule) is the built-in code. The first solve with a new custom loss
pays that compilation (tens of seconds of CPU: 28 s measured on the shared 2-core machine for
the linear learner); later solves run at compiled speed (16 ms for a linear point).
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass, field

import numpy as np
from memtheory.core.jit import njit
from memtheory.core.jit import CPUDispatcher

from memtheory.solvers.raf.channels.base import OutputChannel

__all__ = ["CustomLoss", "driver_for"]

CUTOFF = 10.0  # Gaussian mass beyond |t| = 10 is 1.5e-23
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_FD_STEP = 1e-3
_GRID = np.linspace(-20.0, 20.0, 8001)  # the checks' grid in z (step 0.005)
_OUTPUT_GRID = (-20.0, -10.0, -5.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0)


# ---------------------------------------------------------------------------------------------------
# checks and kink detection (plain Python around the compiled loss)


def _values(fn, y, z):
    out = np.empty(z.size)
    for i in range(z.size):
        out[i] = fn(y, float(z[i]))
    return out


def _check_margin_and_convex(name, fn):
    """Raise ValueError unless ``fn`` is finite, a margin loss and convex in z on the grid."""
    plus = _values(fn, 1.0, _GRID)
    minus = _values(fn, -1.0, -_GRID)
    if not (np.all(np.isfinite(plus)) and np.all(np.isfinite(minus))):
        bad = _GRID[~(np.isfinite(plus) & np.isfinite(minus))][0]
        raise ValueError(f"loss {name!r} is not finite at z = {bad:g} (y = ±1); a RAF loss must be finite on R")
    scale = 1.0 + np.abs(plus)
    if np.max(np.abs(plus - minus) / scale) > 1e-10:
        i = int(np.argmax(np.abs(plus - minus) / scale))
        raise ValueError(
            f"loss {name!r} is not a margin loss: loss(+1, {_GRID[i]:g}) = {plus[i]:.6g} but loss(-1, "
            f"{-_GRID[i]:g}) = {minus[i]:.6g}; CustomLoss needs loss(y, z) = L(y z) (the RAF channel integrates "
            "the label's sign out through the margin)"
        )
    # second differences at several spacings: a convex function has none below rounding level
    for step in (1, 5, 50):
        d2 = plus[: -2 * step] - 2.0 * plus[step:-step] + plus[2 * step :]
        tol = 1e-9 * (scale[: -2 * step] + scale[2 * step :])
        if np.any(d2 < -tol):
            i = int(np.argmin(d2 + tol))
            h = step * (_GRID[1] - _GRID[0])
            raise ValueError(
                f"loss {name!r} is not convex in z: its second difference at z = {_GRID[i + step]:g} (y = +1, "
                f"spacing {h:g}) is {d2[i] / h**2:.3g} < 0; the RAF channel needs a convex loss (a unique "
                "proximal operator and a replica-symmetric minimiser)"
            )
    return plus


def _snap(x, tol):
    """The coarsest dyadic number ``j/2^b`` (b ≤ 30) within ``tol`` of ``x``: any point inside the
    bisection's uncertainty is as good as ``x``, and losses put their kinks at simple numbers."""
    for b in range(31):
        snapped = round(x * 2**b) / 2**b
        if abs(snapped - x) <= tol:
            return snapped
    return x


def _locate_kinks(fn, plus):
    """Kinks of ``L(z) = fn(1, z)`` on the grid: a second difference that stands out of its neighbours'
    (a jump of ``L'`` gives ``O(jump·h)``, curvature ``O(h²)``), refined by bisection on the sign of a
    tiny central difference against a slope inside the jump, and snapped to the coarsest dyadic number
    within the bisection's uncertainty (:func:`_snap`)."""
    h = _GRID[1] - _GRID[0]
    d2 = plus[:-2] - 2.0 * plus[1:-1] + plus[2:]
    kinks = []
    i = 1
    while i < d2.size - 1:
        local = max(abs(d2[i - 1]) if i > 1 else 0.0, abs(d2[i + 1]) if i + 2 < d2.size else 0.0)
        neigh = 0.5 * (abs(d2[max(i - 3, 0)]) + abs(d2[min(i + 3, d2.size - 1)]))
        if d2[i] > 1e-7 * (1.0 + abs(plus[i + 1])) and d2[i] > 20.0 * neigh and d2[i] >= local:
            a, b = _GRID[i] - h, _GRID[i + 2] + h
            s_left = (plus[i] - plus[i - 1]) / h if i >= 1 else 0.0
            s_right = (plus[i + 3] - plus[i + 2]) / h if i + 3 < plus.size else 0.0
            target = 0.5 * (s_left + s_right)
            eta = 1e-10
            lo, hi = a, b
            for _ in range(100):
                mid = 0.5 * (lo + hi)
                slope = (fn(1.0, mid + eta) - fn(1.0, mid - eta)) / (2 * eta)
                if slope < target:
                    lo = mid
                else:
                    hi = mid
                if hi - lo < 4 * eta:
                    break
            kappa = _snap(0.5 * (lo + hi), (hi - lo) + 2 * eta)
            kinks.append(kappa)
            i += 4
        else:
            i += 1
    return kinks


def _locate_curvature_jumps(fn, plus, avoid):
    """Points where ``L''`` jumps but ``L'`` does not (e.g. the squared hinge at ``z = 1``): a third
    difference that stands out of its neighbours', refined by bisection on a central second difference
    against the mid value of the jump, snapped like the kinks. They split the quadrature and keep the
    finite-difference stencils on one side."""
    h = _GRID[1] - _GRID[0]
    d2 = plus[:-2] - 2.0 * plus[1:-1] + plus[2:]
    d3 = np.diff(d2)
    found = []
    i = 3
    while i < d3.size - 3:
        neigh = 0.5 * (abs(d3[i - 3]) + abs(d3[i + 3]))
        z = _GRID[i + 1]
        if (abs(d3[i]) > 1e-6 * h * h * (1.0 + abs(plus[i + 1])) and abs(d3[i]) > 20.0 * neigh
                and abs(d3[i]) >= max(abs(d3[i - 1]), abs(d3[i + 1])) and all(abs(z - a) > 5 * h for a in avoid)):
            left, right = d2[i - 2] / h**2, d2[i + 3] / h**2
            target = 0.5 * (left + right)
            eta = 1e-5
            lo, hi = _GRID[i] - h, _GRID[i + 2] + h
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                curv = (fn(1.0, mid + eta) - 2.0 * fn(1.0, mid) + fn(1.0, mid - eta)) / eta**2
                if (curv - target) * (right - left) < 0.0:
                    lo = mid
                else:
                    hi = mid
                if hi - lo < eta:
                    break
            kappa = _snap(0.5 * (lo + hi), (hi - lo) + 2 * eta)
            found.append(kappa)
            i += 6
        else:
            i += 1
    return found


def _one_sided_slopes(fn, kappa):
    """``(L'(κ−), L'(κ+))`` by fourth-order one-sided differences."""
    hs = _FD_STEP * (1.0 + abs(kappa))
    f = [fn(1.0, kappa + j * hs) for j in range(5)]
    b = [fn(1.0, kappa - j * hs) for j in range(5)]
    right = (-25 * f[0] + 48 * f[1] - 36 * f[2] + 16 * f[3] - 3 * f[4]) / (12 * hs)
    left = (25 * b[0] - 48 * b[1] + 36 * b[2] - 16 * b[3] + 3 * b[4]) / (12 * hs)
    return left, right


# ---------------------------------------------------------------------------------------------------
# compiled pieces, built per loss


def _make_derivatives(L, dloss, d2loss):
    """Compiled ``dL(z, lo, hi)`` and ``d2L(z, lo, hi)`` on the smooth segment ``(lo, hi)`` of ``L``."""
    if dloss is not None:
        dl = dloss if isinstance(dloss, CPUDispatcher) else njit(dloss)

        @njit(error_model="numpy")
        def dL(z, lo, hi):
            return dl(1.0, z)
    else:

        @njit(error_model="numpy")
        def dL(z, lo, hi):
            h = _FD_STEP * (1.0 + abs(z))
            if hi - lo < 8.0 * h:
                h = (hi - lo) / 8.0
            if z - 2.0 * h > lo and z + 2.0 * h < hi:
                return (L(1.0, z - 2 * h) - 8 * L(1.0, z - h) + 8 * L(1.0, z + h) - L(1.0, z + 2 * h)) / (12 * h)
            if z - 2.0 * h <= lo:
                return (-25 * L(1.0, z) + 48 * L(1.0, z + h) - 36 * L(1.0, z + 2 * h) + 16 * L(1.0, z + 3 * h)
                        - 3 * L(1.0, z + 4 * h)) / (12 * h)
            return (25 * L(1.0, z) - 48 * L(1.0, z - h) + 36 * L(1.0, z - 2 * h) - 16 * L(1.0, z - 3 * h)
                    + 3 * L(1.0, z - 4 * h)) / (12 * h)

    if d2loss is not None:
        d2l = d2loss if isinstance(d2loss, CPUDispatcher) else njit(d2loss)

        @njit(error_model="numpy")
        def d2L(z, lo, hi):
            return d2l(1.0, z)
    else:

        @njit(error_model="numpy")
        def d2L(z, lo, hi):
            h = _FD_STEP * (1.0 + abs(z))
            if hi - lo < 8.0 * h:
                h = (hi - lo) / 8.0
            if z - 2.0 * h > lo and z + 2.0 * h < hi:
                val = (-L(1.0, z - 2 * h) + 16 * L(1.0, z - h) - 30 * L(1.0, z) + 16 * L(1.0, z + h)
                       - L(1.0, z + 2 * h)) / (12 * h * h)
            elif z - 2.0 * h <= lo:
                val = (35 * L(1.0, z) - 104 * L(1.0, z + h) + 114 * L(1.0, z + 2 * h) - 56 * L(1.0, z + 3 * h)
                       + 11 * L(1.0, z + 4 * h)) / (12 * h * h)
            else:
                val = (35 * L(1.0, z) - 104 * L(1.0, z - h) + 114 * L(1.0, z - 2 * h) - 56 * L(1.0, z - 3 * h)
                       + 11 * L(1.0, z - 4 * h)) / (12 * h * h)
            return max(val, 0.0)  # convex: negative values are rounding

    return dL, d2L


def _make_channel(L, dL, d2L, kinks, slopes_left, slopes_right):
    """Compiled ``prox(u, V) → (p, p')`` and the channel kernel ``conjugates(α, ε, m, q, V, nodes, weights)``."""
    nk = len(kinks)
    kk = np.array(list(kinks) + [0.0])
    sl = np.array(list(slopes_left) + [0.0])
    sr = np.array(list(slopes_right) + [0.0])
    outputs = np.array(_OUTPUT_GRID)

    @njit(error_model="numpy")
    def prox(u, V):
        seg = 0
        for i in range(nk):
            if kk[i] + V * sl[i] <= u <= kk[i] + V * sr[i]:
                return kk[i], 0.0
            if u > kk[i] + V * sr[i]:
                seg = i + 1
        seg_lo = kk[seg - 1] if seg > 0 else -np.inf
        seg_hi = kk[seg] if seg < nk else np.inf
        # bracket of the root of h(z) = V L'(z) + z − u inside the segment
        z0 = min(max(u, seg_lo), seg_hi)
        width = 1.0 + abs(u)
        if seg_lo > -np.inf:
            lo = seg_lo
        else:
            lo = min(z0, seg_hi) - width
            while V * dL(lo, seg_lo, seg_hi) + lo - u > 0.0:
                width *= 2.0
                lo = min(z0, seg_hi) - width
        width = 1.0 + abs(u)
        if seg_hi < np.inf:
            hi = seg_hi
        else:
            hi = max(z0, seg_lo) + width
            while V * dL(hi, seg_lo, seg_hi) + hi - u < 0.0:
                width *= 2.0
                hi = max(z0, seg_lo) + width
        a, b = lo, hi
        p = 0.5 * (a + b)
        dx_old = b - a
        dx = dx_old
        for _ in range(200):
            hval = V * dL(p, seg_lo, seg_hi) + p - u
            dh = 1.0 + V * d2L(p, seg_lo, seg_hi)
            if hval == 0.0:
                break
            if hval > 0.0:
                b = p
            else:
                a = p
            outside = ((p - b) * dh - hval) * ((p - a) * dh - hval) > 0.0
            if outside or abs(2.0 * hval) > abs(dx_old * dh):
                dx_old = dx
                dx = 0.5 * (b - a)
                p = a + dx
            else:
                dx_old = dx
                dx = hval / dh
                p -= dx
            if abs(dx) < 1e-15 * (1.0 + abs(p)) or b - a < 1e-15 * (1.0 + abs(p)):
                break
        return p, 1.0 / (1.0 + V * d2L(p, seg_lo, seg_hi))

    @njit(error_model="numpy")
    def breakpoints(scale, V, k, out):
        n = 0
        out[n] = -CUTOFF
        n += 1
        out[n] = CUTOFF
        n += 1
        for i in range(nk):
            for u in (kk[i] + V * sl[i], kk[i] + V * sr[i]):
                c = u / scale
                if -CUTOFF < c < CUTOFF:
                    out[n] = c
                    n += 1
        for j in range(outputs.shape[0]):
            z = outputs[j]
            # the preimage u = z + V L'(z), with L' taken on z's own smooth segment
            lo = -np.inf
            hi = np.inf
            on_kink = False
            for i in range(nk):
                if kk[i] <= z:
                    lo = kk[i]
                if kk[i] > z and hi == np.inf:
                    hi = kk[i]
                if kk[i] == z:
                    on_kink = True
            if on_kink:
                continue
            c = (z + V * dL(z, lo, hi)) / scale
            if -CUTOFF < c < CUTOFF:
                out[n] = c
                n += 1
        if k != 0.0:
            for c in (-8.0 / abs(k), 0.0, 8.0 / abs(k)):
                if -CUTOFF < c < CUTOFF:
                    out[n] = c
                    n += 1
        for c in (-6.0, -3.0, 3.0, 6.0):
            out[n] = c
            n += 1
        out[:n].sort()
        return n

    n_cuts = 2 + 2 * nk + outputs.shape[0] + 3 + 4

    @njit(error_model="numpy")
    def conjugates(alpha, eps, m, q, V, nodes, weights):
        r = math.sqrt(q)
        s = math.sqrt(q - m * m)
        k = m / s
        cuts = np.empty(n_cuts)
        g_mean = 0.0
        nc = breakpoints(s, V, 0.0, cuts)
        for piece in range(nc - 1):
            lo = cuts[piece]
            hi = cuts[piece + 1]
            if hi <= lo:
                continue
            half = 0.5 * (hi - lo)
            for j in range(nodes.shape[0]):
                t = 0.5 * (hi + lo) + half * nodes[j]
                wgt = weights[j] * half * _INV_SQRT_2PI * math.exp(-0.5 * t * t)
                p, _ = prox(s * t, V)
                g_mean += wgt * (p - s * t) / V
        g2_w = 0.0
        dg_w = 0.0
        nc = breakpoints(r, V, k, cuts)
        for piece in range(nc - 1):
            lo = cuts[piece]
            hi = cuts[piece + 1]
            if hi <= lo:
                continue
            half = 0.5 * (hi - lo)
            for j in range(nodes.shape[0]):
                t = 0.5 * (hi + lo) + half * nodes[j]
                wgt = weights[j] * half * _INV_SQRT_2PI * math.exp(-0.5 * t * t)
                p, dp = prox(r * t, V)
                g = (p - r * t) / V
                mix = eps + (1.0 - eps) * math.erfc(-k * t * _INV_SQRT2)
                g2_w += wgt * mix * g * g
                dg_w += wgt * mix * (dp - 1.0) / V
        m_hat = alpha * (1.0 - eps) * _SQRT_2_OVER_PI * g_mean
        return m_hat, alpha * g2_w, -alpha * dg_w

    return prox, conjugates


# ---------------------------------------------------------------------------------------------------
# the driver copy


@dataclass(frozen=True)
class _Driver:
    """The saddle-point driver's entry points, and whether they are the cached built-in ones."""

    iterate: object
    iterate_many: object
    cached: bool


def driver_for(channel) -> _Driver:
    """The driver that solves with ``channel``: the cached built-in one, or a custom loss's own copy."""
    compiled = getattr(channel, "compiled_driver", None)
    if compiled is not None:
        return compiled()
    from memtheory.solvers.raf import driver

    return _Driver(driver.iterate, driver.iterate_many, True)


def _rebind_driver(conjugates) -> _Driver:
    """Recompile every function of :mod:`memtheory.solvers.raf.driver` (uncached) with ``conjugates`` in
    place of the integer-id channel dispatch."""
    from memtheory.solvers.raf import driver

    @njit(error_model="numpy")
    def dispatch(cid, alpha, eps, m, q, V, nodes, weights):
        return conjugates(alpha, eps, m, q, V, nodes, weights)

    namespace = dict(vars(driver))
    namespace["channel_conjugates"] = dispatch
    for name, value in vars(driver).items():
        if isinstance(value, CPUDispatcher) and value.py_func.__module__ == driver.__name__:
            py = value.py_func
            fresh = types.FunctionType(py.__code__, namespace, py.__name__, py.__defaults__, py.__closure__)
            options = {k: v for k, v in value.targetoptions.items() if k not in ("cache", "nopython")}
            namespace[name] = njit(**options)(fresh)
    return _Driver(namespace["iterate"], namespace["iterate_many"], False)


# ---------------------------------------------------------------------------------------------------
# the public object


@dataclass(frozen=True, eq=False)
class CustomChannel(OutputChannel):
    """Registry record of a :class:`CustomLoss` (not in the built-in dispatch: it brings its driver)."""

    conjugates: object = None
    prox_scalar: object = None
    _driver: list = field(default_factory=list, repr=False)

    @property
    def kernel(self) -> int:
        return -1

    @property
    def interpolating_kernel(self):
        return None

    def compiled_driver(self) -> _Driver:
        """This loss's copy of the driver, compiled on first use."""
        if not self._driver:
            self._driver.append(_rebind_driver(self.conjugates))
        return self._driver[0]


class CustomLoss:
    """A user-defined convex margin loss, usable wherever a loss name is.

    See docs/theory/losses.md, section "Custom losses" (and docs/theory/raf.md §3.5).

    Parameters
    ----------
    loss : callable
        ``loss(y, z)``, a plain Python function of two floats (``y = ±1``, ``z`` the predictor output),
        convex in ``z`` and of the margin form ``loss(y, z) = L(y z)``; numba must be able to compile it
        (use the ``math`` module).
    name : str, optional
        Name shown in results and messages (default: the function's name).
    dloss, d2loss : callable, optional
        ``∂ℓ/∂z`` and ``∂²ℓ/∂z²`` as functions of ``(y, z)``, where ``L`` is smooth; fourth-order finite
        differences of ``loss`` when omitted.

    Attributes
    ----------
    name : str
        The name shown in results.

    Raises
    ------
    ValueError
        If ``loss`` is not finite, not a margin loss, or not convex in ``z`` on ``[−20, 20]`` (second
        differences at spacings 0.005, 0.025 and 0.25).

    Notes
    -----
    ``lam = 0`` is refused for custom losses (their λ → 0 limit is not derived); give a small ``lam``.
    Kinks (jumps of ``L'``) and jumps of ``L''`` are detected on a grid of step 0.005 in ``[−20, 20]``
    and must be at least 0.03 apart.

    Examples
    --------
    >>> from memtheory.solvers import raf
    >>> def squared_hinge(y, z):
    ...     return 0.5 * max(0.0, 1.0 - y * z) ** 2
    ...
    >>> loss = raf.CustomLoss(squared_hinge)
    >>> loss.name
    'squared_hinge'
    >>> # compiling the user loss with numba takes ~20 s, too slow for the test suite
    >>> res = raf.solve(raf.Linear(loss=loss, lam=0.1), alpha=2.0, epsilon=0.2)  # doctest: +SKIP
    >>> res.converged, round(res.gen_error, 4)  # doctest: +SKIP
    (True, 0.2738)
    """

    def __init__(self, loss, name: str | None = None, dloss=None, d2loss=None):
        if not callable(loss):
            raise ValueError(f"loss must be a function loss(y, z), got {loss!r}")
        self.name = str(name) if name is not None else getattr(loss, "__name__", "custom")
        if self.name in ("", "<lambda>"):
            self.name = "custom"
        self.function = loss
        try:
            L = loss if isinstance(loss, CPUDispatcher) else njit(loss)
            L(1.0, 0.5)
        except Exception as exc:  # numba's typing errors have many classes
            raise ValueError(f"loss {self.name!r} cannot be compiled by numba ({type(exc).__name__}); write it with "
                             "floats and the math module") from exc
        plus = _check_margin_and_convex(self.name, L)
        kinks = _locate_kinks(L, plus)
        slopes = [_one_sided_slopes(L, k) for k in kinks]
        for k in _locate_curvature_jumps(L, plus, kinks):
            sl, sr = _one_sided_slopes(L, k)
            kinks.append(k)
            slopes.append((0.5 * (sl + sr), 0.5 * (sl + sr)))  # L' is continuous there
        order = np.argsort(kinks)
        kinks = [kinks[i] for i in order]
        slopes = [slopes[i] for i in order]
        dL, d2L = _make_derivatives(L, dloss, d2loss)
        prox, conjugates = _make_channel(L, dL, d2L, kinks, [s[0] for s in slopes], [s[1] for s in slopes])
        prox_kinks = tuple(sorted({(k, s) for k, (sl, sr) in zip(kinks, slopes) for s in (sl, sr)}))
        zero_slope = 0.5 * sum(_one_sided_slopes(L, 0.0))  # exact for piecewise quadratics

        def prox_array(u, V):
            u, V = np.broadcast_arrays(np.asarray(u, dtype=float), np.asarray(V, dtype=float))
            out = np.array([prox(a, b)[0] for a, b in zip(u.ravel(), V.ravel())])
            return out.reshape(u.shape)

        def loss_array(z):
            z = np.asarray(z, dtype=float)
            return np.array([L(1.0, float(v)) for v in z.ravel()]).reshape(z.shape)

        self.kinks = tuple(kinks)
        self.channel = CustomChannel(self.name, "custom", None, float(-zero_slope), prox_kinks, prox_array,
                                     loss_array, "unknown", conjugates, prox)

    def __repr__(self) -> str:
        return f"CustomLoss({self.name!r})"
