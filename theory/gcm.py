"""The Gaussian-covariate (GCM) ridge prior, derived mode by mode (docs/theory/gcm.md).

Inputs ``x ~ N(0, Σ)`` with ``Σ = U diag(ω) Uᵀ``; the teacher's components in the eigenbasis are
``θ̃ = Uᵀθ``, rescaled so that ``ρ = θᵀΣθ/d = (1/d) Σ_i ω_i θ̃_i² = 1`` (a sign teacher does not see
its norm). In the eigenbasis the replica effective problem of the ridge learner decouples into one
scalar problem per mode ``i``::

    max_w  w b_i − (λ + V̂ ω_i) w²/2,      b_i = m̂ ω_i θ̃_i + √(q̂ ω_i) ξ,   ξ ~ N(0, 1)

whose Gaussian average ``φ_i`` enters the prior potential
``Ψ = m m̂ + q̂V/2 − V̂q/2 − (1/d) Σ_i E_ξ φ_i``. Stationarity in ``(m̂, q̂, V̂)`` gives the order
parameters as means over the spectrum of per-mode terms; those terms are derived here and printed as
the loop body of the numba kernel ``solvers/raf/priors/_generated/gcm_prior.py``. With ``ω_i = θ̃_i² = 1`` the
result is the isotropic ridge prior of :mod:`memtheory.theory.priors` (checked in the tests).

Regenerate with ``python -m memtheory.theory.gcm``.
"""

from __future__ import annotations

from pathlib import Path

import sympy as sp

from memtheory.theory.codegen import print_expr
from memtheory.theory.priors import lam, m_hat, q_hat, V_hat

omega, theta2 = sp.symbols("omega theta2", positive=True)
_w, _xi = sp.symbols("w xi", real=True)
_theta = sp.Symbol("theta", real=True)

TARGET = Path(__file__).resolve().parent.parent / "solvers" / "raf" / "priors" / "_generated" / "gcm_prior.py"


def _gaussian_average(expr: sp.Expr) -> sp.Expr:
    """``E_ξ`` of a polynomial in ``ξ ~ N(0, 1)`` (moments 0, 1, 1·3, ... term by term)."""
    poly = sp.Poly(sp.expand(expr), _xi)
    total = sp.Integer(0)
    for (k,), coeff in poly.terms():
        total += coeff * (sp.factorial2(k - 1) if k % 2 == 0 else 0)
    return total


def mode_free_energy() -> sp.Expr:
    """``E_ξ φ_i``: the averaged optimum of one mode's effective scalar problem, in ``θ̃_i²``."""
    b = m_hat * omega * _theta + sp.sqrt(q_hat * omega) * _xi
    objective = _w * b - (lam + V_hat * omega) * _w**2 / 2
    (w_star,) = sp.solve(sp.diff(objective, _w), _w)
    phi = _gaussian_average(objective.subs(_w, w_star))
    return sp.simplify(phi.subs(_theta**2, theta2))


def mode_contributions() -> dict[str, sp.Expr]:
    """Per-mode terms whose means over the spectrum are ``(m, q, V)``.

    ``∂Ψ/∂m̂ = 0`` → ``m = mean ∂φ/∂m̂``; ``∂Ψ/∂q̂ = 0`` → ``V = 2 mean ∂φ/∂q̂``;
    ``∂Ψ/∂V̂ = 0`` → ``q = −2 mean ∂φ/∂V̂``.
    """
    phi = mode_free_energy()
    return {
        "m": sp.simplify(sp.diff(phi, m_hat)),
        "q": sp.simplify(-2 * sp.diff(phi, V_hat)),
        "V": sp.simplify(2 * sp.diff(phi, q_hat)),
    }


HEADER = '''\
# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.gcm` from the sympy derivation in theory/gcm.py.
# tests/test_gcm_prior.py regenerates it and requires byte-identical output.
# =====================================================================================================
'''


def render() -> str:
    """Text of ``gcm_prior.py``: the mode sums of :func:`mode_contributions` as one numba loop."""
    terms = mode_contributions()
    replacements, reduced = sp.cse(list(terms.values()), symbols=sp.numbered_symbols("c"), optimizations="basic")
    body = ["        omega = omegas[i]", "        theta2 = thetas2[i]"]
    body += [f"        {sym} = {print_expr(sub)}" for sym, sub in replacements]
    body += [f"        {name}_sum += {print_expr(e)}" for name, e in zip(terms, reduced)]
    lines = [
        HEADER.rstrip("\n"),
        '"""Gaussian-covariate ridge prior (m, q, V) from (m̂, q̂, V̂), generated from theory/gcm.py."""',
        "",
        "import math  # noqa: F401  (printed expressions may call it)",
        "",
        "from memtheory.core.jit import njit",
        "",
        "",
        '@njit(cache=True, error_model="numpy")',
        "def gcm_prior(m_hat, q_hat, V_hat, lam, omegas, thetas2):",
        '    """Means over the spectrum of the per-mode stationarity terms (docs/theory/gcm.md).',
        "",
        "    ``omegas``: eigenvalues of Σ (mean 1); ``thetas2``: squared teacher components in the",
        "    eigenbasis, normalised so that mean(omegas * thetas2) = 1; lam = 1 gives the λ → 0 rescaling.",
        '    """',
        "    m_sum = 0.0",
        "    q_sum = 0.0",
        "    V_sum = 0.0",
        "    for i in range(omegas.shape[0]):",
        *body,
        "    n = omegas.shape[0]",
        "    return m_sum / n, q_sum / n, V_sum / n",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
