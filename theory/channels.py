"""Output channels of the RAF saddle point, derived from the loss (docs/theory/raf.md §5, §3, §3.1, §6).

Every loss in the RAF model is a *margin* loss, ``ℓ(y, z) = L(y z)`` for labels ``y = ±1`` (square:
``(y − z)²/2 = (1 − yz)²/2``). The proximal operator is then ``P(y, ω) = y p(yω)`` and the output
function ``f = (P − ω)/V = y g(yω)`` with ``g(u) = (p(u) − u)/V``. Writing ``ω = √q ξ`` and integrating
the teacher's sign out (``P(y = sign ν | ξ) = Φ(y k ξ)``, ``k = m/√(q − m²)``), the conjugates of docs/theory/raf.md §3.1 become one-dimensional:

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


def margin_loss_pieces(table) -> list[tuple[sp.Expr, sp.Expr, sp.Expr]]:
    """Parse a convex piecewise-polynomial margin loss ``L(z)``.

    ``table`` holds ``(lo, hi, expr)`` strings, e.g. ``(("-oo", "1", "1 - z"), ("1", "oo", "0"))`` for the
    hinge: ``L(z) = expr`` for ``lo < z < hi``, pieces in increasing order and covering the real line.
    """
    pieces = []
    for lo, hi, expr in table:
        pieces.append((sp.sympify(lo), sp.sympify(hi), sp.sympify(expr, locals={"z": z})))
    return pieces


def prox_pieces(table) -> list[Piece]:
    """``g(u) = (p(u) − u)/V`` of a convex piecewise-quadratic margin loss, piece by piece.

    On each piece ``lo < z < hi`` of ``L``, sympy solves the stationarity of ``L(z) + (z − u)²/(2V)``
    for ``p(u)``; the piece holds for ``u`` between the margins where ``p`` reaches ``lo`` and ``hi``. At a
    kink ``z = κ`` of ``L`` the prox sticks to ``κ`` (``g = (κ − u)/V``) between the margin where the left
    solution reaches it and the one where the right solution leaves it; when ``L'`` is continuous there
    the two margins coincide and no piece is added (docs/theory/raf.md §3.3 for the hinge).
    """
    out: list[Piece] = []
    prev_hi = None
    for i, (lo, hi, loss) in enumerate(margin_loss_pieces(table)):
        (p,) = sp.solve(sp.diff(loss + (z - u) ** 2 / (2 * V), z), z)
        u_lo = -sp.oo if lo == -sp.oo else sp.solve(sp.Eq(p, lo), u)[0]
        u_hi = sp.oo if hi == sp.oo else sp.solve(sp.Eq(p, hi), u)[0]
        if i > 0 and sp.simplify(u_lo - prev_hi) != 0:
            out.append(Piece(prev_hi, u_lo, sp.simplify((lo - u) / V)))
        out.append(Piece(u_lo, u_hi, sp.simplify((p - u) / V)))
        prev_hi = u_hi
    return out


def prox_kinks(pieces: list[Piece]) -> tuple[tuple[float, float], ...]:
    """Finite margins ``u = a + bV`` where ``g`` changes piece, as ``(a, b)`` (quadrature split points)."""
    kinks = []
    for piece in pieces[1:]:
        bound = sp.expand(piece.lo)
        b = sp.diff(bound, V)
        if sp.diff(b, V) != 0 or bound.free_symbols - {V}:
            raise ValueError(f"kink {bound} is not linear in V")
        kinks.append((float(bound.subs(V, 0)), float(b)))
    return tuple(kinks)


def zero_crossing(table) -> float:
    """``c`` with ``p(u) = 0`` at ``u = −cV``: from ``p − u + V L'(p) = 0`` at ``p = 0``, ``c = −L'(0)``
    (requires ``L`` differentiable at 0; a breakpoint of the table there is fine if ``L'`` is continuous)."""
    slopes = {sp.diff(loss, z).subs(z, 0) for lo, hi, loss in margin_loss_pieces(table) if lo <= 0 <= hi}
    if len(slopes) != 1:
        raise ValueError("the margin loss has a kink at z = 0; the zero crossing of the prox is not unique")
    return float(-slopes.pop())


def zero_loss_set(table) -> str:
    """Shape of ``{z : L(z) = 0}``, which fixes the λ → 0 limit below the interpolation threshold
    (docs/theory/raf.md §6): ``"point"`` (``L`` vanishes only at ``z = 1``: min-norm interpolation, as the
    square loss), ``"half-line"`` (``L = 0`` exactly for ``z ≥ 1``: max-margin, as the hinge) or
    ``"empty"`` (no finite interpolating minimiser)."""
    zeros = []
    for lo, hi, loss in margin_loss_pieces(table):
        if loss == 0:
            zeros.append((lo, hi))
            continue
        for root in sp.solve(sp.Eq(loss, 0), z):
            if root.is_real and (lo == -sp.oo or root >= lo) and (hi == sp.oo or root <= hi):
                zeros.append((root, root))
    if not zeros:
        return "empty"
    if all(a == b == 1 for a, b in zeros):
        return "point"
    if any(a == 1 and b == sp.oo for a, b in zeros) and all(a >= 1 for a, _ in zeros):
        return "half-line"
    raise ValueError(f"zero-loss set {zeros} has no implemented λ → 0 limit (only {{1}} and [1, ∞))")


def prox_margin(pieces: list[Piece]) -> list[Piece]:
    """The prox itself, ``p(u) = u + V g(u)``, on the pieces of ``g``."""
    return [Piece(pc.lo, pc.hi, sp.simplify(u + V * pc.expr)) for pc in pieces]


def prox_square_interpolating() -> list[Piece]:
    """λ → 0, square loss below α = 1: the min-norm interpolator forces ``z = y`` (docs/theory/raf.md §6).

    In the rescaled variables (``Ṽ = λV`` written ``V``) the loss is a hard constraint and
    ``g(u) = (1 − u)/Ṽ``."""
    return [Piece(-sp.oo, sp.oo, (1 - u) / V)]


def prox_hinge_max_margin() -> list[Piece]:
    """λ → 0, hinge loss below separability: the max-margin SVM (docs/theory/raf.md §6), ``P = y`` if ``yω < 1``
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


LIMITS = {
    "square_interpolating": prox_square_interpolating,
    "hinge_max_margin": prox_hinge_max_margin,
}
"""The λ → 0 channels, by the kind of zero-loss set they serve (:func:`zero_loss_set`)."""

LIMIT_OF_ZERO_SET = {"point": "square_interpolating", "half-line": "hinge_max_margin", "empty": None}


# ---------------------------------------------------------------------------------------------------
# Jacobian of the conjugates (docs/theory/raf.md, "Newton steps")

_K = sp.Symbol("k", real=True)  # the teacher slope m/s of theory.gaussian_moments
# how the shorthands r = √q, s = √(q − m²) and k = m/s move with (m, q, V)
_CHAIN = {
    m: {r: sp.Integer(0), s: -m / s, _K: q / s**3},
    q: {r: 1 / (2 * r), s: 1 / (2 * s), _K: -m / (2 * s**3)},
    V: {r: sp.Integer(0), s: sp.Integer(0), _K: sp.Integer(0)},
}


def _total_derivative(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """``d expr / d var`` through the explicit dependence and the shorthands ``r, s, k``, for an expression
    free of finite teacher moments."""
    out = sp.diff(expr, var)
    for sym, dsym in _CHAIN[var].items():
        if dsym != 0:
            out += sp.diff(expr, sym) * dsym
    return out


def _moment_derivative(moment, var: sp.Symbol) -> sp.Expr:
    """``d T_n(a, b) / d var`` of a finite teacher moment ``T_n(a, b) = ∫_a^b φ(t)Φ(kt)tⁿ dt``.

    The ends contribute ``±aⁿφ(a)Φ(ka)`` (Leibniz), and ``∂T_n/∂k = ∫_a^b t^{n+1}φ(t)φ(kt) dt``
    is a plain Gaussian moment after ``t → t√(1 + k²)``: ``(1 + k²)^{−(n+2)/2} G_{n+1}(ca, cb)/√(2π)``.
    """
    from memtheory.theory.gaussian_moments import Phi, gauss_moment, phi

    n, a, b = int(moment.args[0]), moment.args[1], moment.args[2]
    out = sp.Integer(0)
    da, db = _total_derivative(a, var), _total_derivative(b, var)
    if da != 0:
        out -= a**n * phi(a) * Phi(_K * a) * da
    if db != 0:
        out += b**n * phi(b) * Phi(_K * b) * db
    dk = _CHAIN[var][_K]
    if dk != 0:
        c = sp.sqrt(1 + _K**2)
        out += dk * c ** (-(n + 2)) * gauss_moment(n + 1, c * a, c * b) / sp.sqrt(2 * sp.pi)
    return out


def conjugates_jacobian(outputs: dict[str, sp.Expr]) -> dict[str, sp.Expr]:
    """The conjugates and their nine derivatives ``d(m̂, q̂, V̂)/d(m, q, V)``, for Newton steps
    (docs/theory/raf.md §12, "Newton steps").

    ``outputs`` is the result of :func:`conjugates`. The finite teacher moments stay placeholders
    (their derivatives are closed forms, so the Jacobian costs no extra quadrature); the returned
    keys are ``m_hat, q_hat, V_hat`` and ``d<hat>_d<var>`` in row-major order.
    """
    from memtheory.theory.gaussian_moments import FiniteTeacherMoment

    out = dict(outputs)
    for name, expr in outputs.items():
        moments = sorted(expr.atoms(FiniteTeacherMoment), key=sp.default_sort_key)
        stand_in = {fm: sp.Dummy(f"T{i}") for i, fm in enumerate(moments)}
        plain = expr.xreplace(stand_in)
        back = {v: k for k, v in stand_in.items()}
        for var in (m, q, V):
            d = _total_derivative(plain, var)
            for fm, sym in stand_in.items():
                coeff = sp.diff(plain, sym)
                if coeff != 0:
                    d += coeff * _moment_derivative(fm, var)
            out[f"d{name}_d{var.name}"] = d.xreplace(back)
    return out


def train_loss(table) -> dict[str, sp.Expr]:
    """The average training loss ``∫ Dξ [ε + 2(1−ε)Φ(kξ)] L(p(√q ξ))`` of a piecewise-polynomial margin
    loss, in closed form up to the finite teacher moments (docs/theory/raf.md §5).

    On every piece of the prox, ``L(p(u))`` is a polynomial in ``u = √q ξ`` (the piece of ``L`` that
    holds there is found by evaluating the prox at an interior margin), so the integral is a sum of
    plain Gaussian moments (facts) and teacher moments (rules) over the pieces.
    """
    loss_pieces = margin_loss_pieces(table)
    total = sp.Integer(0)
    for piece in prox_margin(prox_pieces(table)):
        lo, hi = piece.lo, piece.hi
        probe = {V: sp.Rational(7, 10)}
        a = lo.subs(probe) if lo != -sp.oo else None
        b = hi.subs(probe) if hi != sp.oo else None
        mid = (a + b) / 2 if a is not None and b is not None else (a + 1 if a is not None else (b - 1 if b is not None else 0))
        p_mid = piece.expr.subs(probe).subs(u, mid)
        expr = next(e for l_lo, l_hi, e in loss_pieces
                    if (l_lo == -sp.oo or p_mid >= l_lo) and (l_hi == sp.oo or p_mid <= l_hi))
        value = sp.expand(expr.subs(z, piece.expr).subs(u, r * xi))
        if value == 0:
            continue
        lo_xi, hi_xi = _scale(lo, r), _scale(hi, r)
        total += eps * _fact_integral(value, lo_xi, hi_xi) + 2 * (1 - eps) * _teacher_integral(value, lo_xi, hi_xi)
    return {"train_loss": total}
