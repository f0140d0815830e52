"""The ridge prior channel, derived from the replica-symmetric free energy (docs/theory/raf.md §3.1).

The prior part of the RS energy of a ridge learner with unit-norm teacher is
``Ψ = m m̂ + q̂V/2 − V̂q/2 − (m̂² + q̂)/(2(λ + V̂))``; its stationarity in the conjugates gives
``(m, q, V)``. The kernel learner uses the same prior in its signal subspace (docs/theory/raf.md §4), and the
λ → 0 rescaled equations (§5.5) are this prior with λ replaced by 1.
"""

from __future__ import annotations

import sympy as sp

m, q, V = sp.symbols("m q V", real=True)
m_hat, q_hat, V_hat, lam = sp.symbols("m_hat q_hat V_hat lam", positive=True)


def ridge_prior_potential() -> sp.Expr:
    """The prior part ``Ψ(m, q, V; m̂, q̂, V̂)`` of the RS energy."""
    return m * m_hat + q_hat * V / 2 - V_hat * q / 2 - (m_hat**2 + q_hat) / (2 * (lam + V_hat))


def ridge_prior_update() -> dict[str, sp.Expr]:
    """Solve ``∂Ψ/∂(m̂, q̂, V̂) = 0`` for ``(m, q, V)``."""
    psi = ridge_prior_potential()
    eqs = [sp.diff(psi, h) for h in (m_hat, q_hat, V_hat)]
    (sol,) = sp.solve(eqs, [m, q, V], dict=True)
    return {"m": sp.simplify(sol[m]), "q": sp.simplify(sol[q]), "V": sp.simplify(sol[V])}


def ridge_prior_jacobian() -> dict[str, sp.Expr]:
    """The ridge prior update and its derivatives ``d(m, q, V)/d(m̂, q̂, V̂)`` (row-major keys
    ``d<out>_d<hat>``), for the Newton steps of the driver (docs/theory/raf.md §12, "Newton steps")."""
    outputs = ridge_prior_update()
    out = dict(outputs)
    for name, expr in outputs.items():
        for hat in (m_hat, q_hat, V_hat):
            out[f"d{name}_d{hat.name}"] = sp.simplify(sp.diff(expr, hat))
    return out
