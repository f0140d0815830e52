"""Output channels of the RAF saddle point, derived from the loss (spec raf.md §2, §3, §5.1–§5.5).

Every loss in the RAF model is a *margin* loss, ``ℓ(y, z) = L(y z)`` for labels ``y = ±1`` (square:
``(y − z)²/2 = (1 − yz)²/2``). The proximal operator is then ``P(y, ω) = y p(yω)`` and the output
function ``f = (P − ω)/V = y g(yω)`` with ``g(u) = (p(u) − u)/V``. Writing ``ω = √q ξ`` and integrating
the teacher's sign out (``P(y = sign ν | ξ) = Φ(y k ξ)``, ``k = m/√(q − m²)``), the conjugates of spec
§5.1 become one-dimensional:

* ``m̂ = α (1−ε) √(2/π) ∫ Dt g(s t)``, with ``s = √(q − m²)`` (Gaussian integration by parts),
* ``q̂ = α ∫ Dξ [ε + 2(1−ε) Φ(kξ)] g(√q ξ)²``,
* ``V̂ = −α ∫ Dξ [ε + 2(1−ε) Φ(kξ)] g'(√q ξ)``.

The ε-mixture (facts with probability ε) enters only through the weight ``ε + 2(1−ε)Φ(kξ)``: facts
change the output channel and nothing else. For piecewise-polynomial ``g`` (square and hinge, and
their λ → 0 limits) every integral is closed except the finite-interval teacher moments.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from memtheory.theory.gaussian_moments import gauss_moment, teacher_moment

u, z = sp.symbols("u z", real=True)
alpha, eps, m, q, V = sp.symbols("alpha eps m q V", positive=True)
r, s = sp.symbols("r s", positive=True)  # r = √q, s = √(q − m²): printed as such by the generator
xi = sp.Symbol("xi", real=True)


@dataclass(frozen=True)
class Piece:
    """``g(u) = expr`` for ``lo < u < hi``."""

    lo: sp.Expr
    hi: sp.Expr
    expr: sp.Expr


def prox_square() -> list[Piece]:
    """Square loss ``L(z) = (1 − z)²/2``: stationarity of ``L(z) + (z − u)²/(2V)`` solved by sympy."""
    (p,) = sp.solve(sp.diff((1 - z) ** 2 / 2 + (z - u) ** 2 / (2 * V), z), z)
    return [Piece(-sp.oo, sp.oo, sp.simplify((p - u) / V))]


def prox_hinge() -> list[Piece]:
    """Hinge loss ``L(z) = max(0, 1 − z)``: prox solved on each linear piece; the kink ``z = 1``
    holds between the two boundaries where the smooth solutions reach it (spec §5.3)."""
    (p_left,) = sp.solve(sp.diff((1 - z) + (z - u) ** 2 / (2 * V), z), z)  # branch z < 1
    (p_right,) = sp.solve(sp.diff((z - u) ** 2 / (2 * V), z), z)  # branch z > 1
    (u_left,) = sp.solve(sp.Eq(p_left, 1), u)
    (u_right,) = sp.solve(sp.Eq(p_right, 1), u)
    return [
        Piece(-sp.oo, u_left, sp.simplify((p_left - u) / V)),
        Piece(u_left, u_right, sp.simplify((1 - u) / V)),
        Piece(u_right, sp.oo, sp.simplify((p_right - u) / V)),
    ]


def prox_square_interpolating() -> list[Piece]:
    """λ → 0, square loss below α = 1: the min-norm interpolator forces ``z = y`` (spec §5.5).

    In the rescaled variables (``Ṽ = λV`` written ``V``) the loss is a hard constraint and
    ``g(u) = (1 − u)/Ṽ``."""
    return [Piece(-sp.oo, sp.oo, (1 - u) / V)]


def prox_hinge_max_margin() -> list[Piece]:
    """λ → 0, hinge loss below separability: the max-margin SVM (spec §5.5), ``P = y`` if ``yω < 1``
    else ``ω``, i.e. ``g(u) = (1 − u)/Ṽ`` for ``u < 1`` and 0 beyond."""
    return [Piece(-sp.oo, sp.Integer(1), (1 - u) / V), Piece(sp.Integer(1), sp.oo, sp.Integer(0))]


def _scale(bound, factor):
    return bound if bound in (sp.oo, -sp.oo) else bound / factor


def _poly_in(expr, var) -> sp.Poly:
    return sp.Poly(sp.expand(expr), var)


def _fact_integral(expr_of_xi, lo, hi) -> sp.Expr:
    poly = _poly_in(expr_of_xi, xi)
    return sum(c * gauss_moment(n, lo, hi) for (n,), c in poly.terms())


def _teacher_integral(expr_of_xi, lo, hi) -> sp.Expr:
    poly = _poly_in(expr_of_xi, xi)
    return sum(c * teacher_moment(n, lo, hi) for (n,), c in poly.terms())


def conjugates(pieces: list[Piece]) -> dict[str, sp.Expr]:
    """The three channel conjugates ``(m̂, q̂, V̂)`` for a piecewise-polynomial ``g``.

    Returns expressions in ``alpha, eps, m, q, V, r = √q, s = √(q − m²), k = m/s`` and
    :class:`~theory.gaussian_moments.FiniteTeacherMoment` placeholders.
    """
    m_hat = 0
    q_hat = 0
    V_hat = 0
    for piece in pieces:
        if piece.expr == 0:
            continue
        # m̂: Gaussian integration by parts moved the teacher derivative onto a plain Gaussian in t.
        g_t = piece.expr.subs(u, s * xi)
        m_hat += _fact_integral(g_t, _scale(piece.lo, s), _scale(piece.hi, s))
        g_xi = piece.expr.subs(u, r * xi)
        dg_xi = sp.diff(piece.expr, u).subs(u, r * xi)
        lo, hi = _scale(piece.lo, r), _scale(piece.hi, r)
        q_hat += eps * _fact_integral(g_xi**2, lo, hi) + 2 * (1 - eps) * _teacher_integral(g_xi**2, lo, hi)
        V_hat -= eps * _fact_integral(dg_xi, lo, hi) + 2 * (1 - eps) * _teacher_integral(dg_xi, lo, hi)
    return {
        "m_hat": alpha * (1 - eps) * sp.sqrt(2 / sp.pi) * m_hat,
        "q_hat": alpha * q_hat,
        "V_hat": alpha * V_hat,
    }


CHANNELS = {
    "square": prox_square,
    "hinge": prox_hinge,
    "square_interpolating": prox_square_interpolating,
    "hinge_max_margin": prox_hinge_max_margin,
}
