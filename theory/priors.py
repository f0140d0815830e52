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


# the random-features conjugates and parameters (real: m̂ may have either sign)
rf_m_hat, rf_q_hat, rf_V_hat = sp.symbols("mh qh Vh", real=True)
rf_mu1, rf_mustar2, rf_lam, rf_kappa = sp.symbols("mu1 mustar2 lam kappa", positive=True)


def random_features_prior_update() -> dict[str, sp.Expr]:
    """The random-features prior (Marchenko–Pastur closed forms, docs/theory/raf.md §4) as functions of
    the channel conjugates ``(m̂, q̂, V̂)``, in the form the solver evaluates.

    The learner's conjugates are ``(μ₁κm̂, μ₁²κq̂, μ₁²κV̂, μ*²q̂, μ*²V̂)``; with ``γ = 1/κ``,
    ``Δ = √((V̂_s(1 + γ) + λ + V̂_w)² − 4γV̂_s²)``, ``S = λ + V̂_w + V̂_s(1 + γ) + Δ`` and ``D = 4γV̂_s/S``
    the state is ``V_s = 2/S``, ``m_s = m̂_s V_s``, ``V_w = (2 − D)/(2(λ + V̂_w))``,
    ``q_s = V_s(a(1 + γ − D) + q̂_w)/Δ`` and
    ``q_w = q̂_w(2(λ + V̂_w) + (1 − γ)(2 − D)V̂_s)/(2(λ + V̂_w)²Δ) + 2γa/(SΔ)`` with ``a = m̂_s² + q̂_s``.
    """
    h_m = rf_mu1 * rf_kappa * rf_m_hat
    h_q = rf_mu1**2 * rf_kappa * rf_q_hat
    h_V = rf_mu1**2 * rf_kappa * rf_V_hat
    h_qw = rf_mustar2 * rf_q_hat
    h_Vw = rf_mustar2 * rf_V_hat
    g = 1 / rf_kappa
    lw = rf_lam + h_Vw
    delta = sp.sqrt((h_V * (1 + g) + lw) ** 2 - 4 * g * h_V**2)
    big_s = lw + h_V * (1 + g) + delta
    dd = 4 * g * h_V / big_s
    a = h_m**2 + h_q
    V_s = 2 / big_s
    return {
        "m_s": h_m * V_s,
        "q_s": V_s * (a * (1 + g - dd) + h_qw) / delta,
        "V_s": V_s,
        "q_w": h_qw * (2 * lw + (1 - g) * (2 - dd) * h_V) / (2 * lw**2 * delta) + 2 * g * a / (big_s * delta),
        "V_w": (2 - dd) / (2 * lw),
    }


def random_features_prior_jacobian() -> dict[str, sp.Expr]:
    """The random-features state and its derivatives ``d(m_s, q_s, V_s, q_w, V_w)/d(m̂, q̂, V̂)`` (row-major
    keys ``d<out>_d<hat>``), for the Newton steps of the driver (docs/theory/raf.md §12, "Newton steps")."""
    outputs = random_features_prior_update()
    out = dict(outputs)
    for name, expr in outputs.items():
        for hat in (rf_m_hat, rf_q_hat, rf_V_hat):
            out[f"d{name}_d{hat.name}"] = sp.diff(expr, hat)
    return out
