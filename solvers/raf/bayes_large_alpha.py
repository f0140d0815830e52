"""Bayes-optimal saddle point in the variable ``u = 1 − q_b`` (docs/theory/raf.md, "Stopping rule and
what `converged` promises").

At large α the overlap ``q_b → 1`` and the error ``ε_gen = arccos(√q_b)/π = arcsin(√u)/π`` depends on
``u`` alone, which a state stored as ``q_b`` carries with only ``1e-16/u`` relative precision. The
Nishimori fixed point ``q_b = q̂_b/(1 + q̂_b)`` is written instead as ``u = 1/(1 + q̂_b)``, and the
conjugate

``q̂_b = 4(1−ε)² α / ((2π)^{3/2} √u) ∫ ds e^{−(2−u)s²/2} / [ε + (1−ε) erfc(−√(1−u) s/√2)]``

(the same integral as :mod:`memtheory.solvers.raf.channels.bayes`, with ``1 − q_b`` taken from the
state rather than recomputed) keeps full relative precision for every ``u ∈ (0, 1]``.

Large-α limit at ε = 0: the integral tends to ``∫ ds e^{−s²}/erfc(−s/√2)``, so ``√u ≈ 1/(α K)`` with
``K = 4 ∫…/(2π)^{3/2}`` and ``α ε_gen → 1/C``, ``C = ∫ dt e^{−t²}/(√(2π) Φ(t))`` (tested against
mpmath).
"""

from __future__ import annotations

import math


from memtheory.core.jit import njit
from memtheory.solvers.special import erfcx_scalar

__all__ = ["bayes_conjugate_u", "bayes_update_u", "bayes_gen_error_u"]

CUTOFF = 12.0
_INV_SQRT2 = 1.0 / math.sqrt(2.0)


@njit(cache=True, error_model="numpy")
def bayes_conjugate_u(alpha, eps, u, nodes, weights):
    """``q̂_b`` as a function of ``u = 1 − q_b`` by Gauss–Legendre on ``[−L, 0] ∪ [0, L]``."""
    half = 0.5 * CUTOFF
    qb = 1.0 - u
    rq = math.sqrt(qb)
    total = 0.0
    for side in range(2):
        mid = -half if side == 0 else half
        for j in range(nodes.shape[0]):
            s = mid + half * nodes[j]
            z = -rq * s * _INV_SQRT2
            if z <= 0.0:
                val = math.exp(-0.5 * (2.0 - u) * s * s) / (eps + (1.0 - eps) * math.erfc(z))
            elif z * z > 700.0:
                # erfc(z) e^{z²} is O(1/z) while ε e^{z²} overflows (or ε = 0)
                val = 0.0 if eps > 0.0 else math.exp(-0.5 * s * s) / ((1.0 - eps) * erfcx_scalar(z))
            else:
                # e^{−(2−u)s²/2} = e^{−s²/2} e^{−z²}: divide numerator and denominator by e^{−z²}
                val = math.exp(-0.5 * s * s) / (eps * math.exp(z * z) + (1.0 - eps) * erfcx_scalar(z))
            total += weights[j] * half * val
    pref = 4.0 * (1.0 - eps) ** 2 * alpha / ((2.0 * math.pi) ** 1.5 * math.sqrt(u))
    return pref * total


@njit(cache=True, error_model="numpy")
def bayes_update_u(alpha, eps, u, nodes, weights):
    """One step of the Nishimori fixed point in ``u``: returns ``(u_new, q̂_b)``."""
    qh = bayes_conjugate_u(alpha, eps, u, nodes, weights)
    return 1.0 / (1.0 + qh), qh


@njit(cache=True, error_model="numpy")
def bayes_gen_error_u(u):
    """``ε_gen = arccos(√(1−u))/π = arcsin(√u)/π``, accurate for small ``u``."""
    return math.asin(math.sqrt(min(max(u, 0.0), 1.0))) / math.pi
