"""Fixed-point machinery shared by the saddle-point solvers.

Convention (one, everywhere): ``step`` is the weight on the new value, ``x ← (1 − step) x + step F(x)``;
``step = 1`` is the undamped iteration. Convergence is always judged on the *undamped* residual
``F(x) − x`` (and, where the caller has one, on a secant or Newton estimate of the distance to the fixed
point), never on the change between damped iterates (which shrinks with the damping and would report
false convergence). How the residual is measured is the caller's: the RAF driver measures it per
component, relative to each component.

Acceleration is Anderson mixing (type II, memory ``M``): with ``gᵢ = F(xᵢ) − xᵢ`` and the differences
``ΔX, ΔG`` of the last ``M`` iterates, ``γ = argmin ‖g − ΔG γ‖`` and
``x ← x + step g − (ΔX + step ΔG) γ``. The least-squares problem is solved through its regularised
normal equations (``M ≤ 8``) by a hand-written Cholesky factorisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from memtheory.core.jit import njit

__all__ = ["FixedPointResult", "anderson_step", "STATUS_MESSAGES"]

STATUS_MESSAGES = {
    0: "converged: estimated distance to the fixed point below tol (per component and on the errors)",
    1: "not converged: maximum number of iterations reached",
    2: "not converged: the iteration left the feasible region (V > 0, q > m²) or produced NaN",
}


@dataclass(frozen=True)
class FixedPointResult:
    """Outcome of a fixed-point iteration, in the spirit of :class:`scipy.optimize.OptimizeResult`.

    Attributes
    ----------
    x : ndarray
        Final iterate.
    converged : bool
        Whether ``residual <= tol``.
    iterations : int
        Number of evaluations of the map.
    residual : float
        The caller's measure of the distance to the fixed point at ``x``.
    message : str
        Human-readable status.
    """

    x: np.ndarray
    converged: bool
    iterations: int
    residual: float
    message: str
    extra: dict = field(default_factory=dict)


@njit(cache=True, error_model="numpy")
def _cholesky_solve(a, b, n):
    """Solve the small SPD system ``a x = b`` in place by Cholesky (LAPACK's call overhead would
    dominate at n ≤ 8)."""
    for j in range(n):
        d = a[j, j]
        for k in range(j):
            d -= a[j, k] * a[j, k]
        if d <= 0.0:
            d = 1e-300
        d = np.sqrt(d)
        a[j, j] = d
        for i in range(j + 1, n):
            v = a[i, j]
            for k in range(j):
                v -= a[i, k] * a[j, k]
            a[i, j] = v / d
    x = b.copy()
    for i in range(n):
        v = x[i]
        for k in range(i):
            v -= a[i, k] * x[k]
        x[i] = v / a[i, i]
    for i in range(n - 1, -1, -1):
        v = x[i]
        for k in range(i + 1, n):
            v -= a[k, i] * x[k]
        x[i] = v / a[i, i]
    return x


@njit(cache=True, error_model="numpy")
def anderson_step(x, g, dX, dG, count, step, out):
    """Anderson-mixed next iterate (type II) written into ``out``.

    ``dX, dG`` hold ``count`` rows of past differences (most recent last). With ``count = 0`` this is
    the damped step ``x + step g``.
    """
    n = x.shape[0]
    for i in range(n):
        out[i] = x[i] + step * g[i]
    if count == 0:
        return
    gram = np.empty((count, count))
    rhs = np.empty(count)
    trace = 0.0
    for a in range(count):
        s = 0.0
        for i in range(n):
            s += dG[a, i] * g[i]
        rhs[a] = s
        for b in range(count):
            t = 0.0
            for i in range(n):
                t += dG[a, i] * dG[b, i]
            gram[a, b] = t
        trace += gram[a, a]
    reg = 1e-12 * trace / count + 1e-300
    for a in range(count):
        gram[a, a] += reg
    gamma = _cholesky_solve(gram, rhs, count)
    for a in range(count):
        for i in range(n):
            out[i] -= (dX[a, i] + step * dG[a, i]) * gamma[a]
