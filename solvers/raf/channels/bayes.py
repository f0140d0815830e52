"""Bayes-optimal channel of the RAF model (docs/theory/raf.md §4).

From the learner's side RAF data are a teacher perceptron with labels flipped with probability ε/2,
``Z(y; ω, V) = ε/2 + (1−ε) H(−yω/√V)``; the Bayes-optimal conjugate is
``q̂_b = α E_ξ Σ_y (∂_ω Z)²/Z`` at ``ω = √q_b ξ``, ``V = 1 − q_b``. After ``t = √(1 − q_b) s``:

``q̂_b = 4(1−ε)² α / ((2π)^{3/2} √(1−q_b)) ∫ ds e^{−(1+q_b)s²/2} / [ε + (1−ε) erfc(−√q_b s/√2)]``,

evaluated with ``erfcx`` in the lower tail, where the ε = 0 integrand is 0/0 when written naively.
"""

from __future__ import annotations

import math


from memtheory.core.jit import njit
from memtheory.solvers.special import erfcx_scalar

CUTOFF = 12.0
_INV_SQRT2 = 1.0 / math.sqrt(2.0)


@njit(cache=True, error_model="numpy")
def bayes_conjugate(alpha, eps, qb, nodes, weights):
    """``q̂_b(α, ε, q_b)`` by Gauss–Legendre on ``[−L, 0] ∪ [0, L]``."""
    half = 0.5 * CUTOFF
    rq = math.sqrt(qb)
    total = 0.0
    for side in range(2):
        mid = -half if side == 0 else half
        for j in range(nodes.shape[0]):
            s = mid + half * nodes[j]
            z = -rq * s * _INV_SQRT2
            if z <= 0.0:
                val = math.exp(-0.5 * (1.0 + qb) * s * s) / (eps + (1.0 - eps) * math.erfc(z))
            elif z * z > 700.0:
                # erfc(z) e^{z²} is O(1/z) while ε e^{z²} is astronomically large or ε = 0
                den = (1.0 - eps) * erfcx_scalar(z)
                val = 0.0 if eps > 0.0 else math.exp(-0.5 * s * s) / den
            else:
                val = math.exp(-0.5 * s * s) / (eps * math.exp(z * z) + (1.0 - eps) * erfcx_scalar(z))
            total += weights[j] * half * val
    pref = 4.0 * (1.0 - eps) ** 2 * alpha / ((2.0 * math.pi) ** 1.5 * math.sqrt(1.0 - qb))
    return pref * total


@njit(cache=True, error_model="numpy")
def bayes_conjugates(alpha, eps, m, q, V, nodes, weights):
    """Channel-kernel signature for the dispatch: only ``q̂_b`` is meaningful (Nishimori: ``m = q``,
    ``V = 1 − q``), returned in all three slots."""
    qh = bayes_conjugate(alpha, eps, q, nodes, weights)
    return qh, qh, qh


KERNELS = ("bayes",)
