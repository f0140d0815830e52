"""Closed forms of the Gaussian integrals that appear in the RAF output channels.

Two families of integrals (docs/theory/raf.md §3, §3.1):

* plain moments ``G_n(a, b) = ∫_a^b φ(t) tⁿ dt`` — the fact (random-label) part of a channel;
* teacher moments ``T_n(a, b) = ∫_a^b φ(t) Φ(k t) tⁿ dt`` — the rule part, with the teacher's sign
  integrated out analytically into ``Φ(k t)``, ``k = m/√(q − m²)``.

``G_n`` always has a closed form. ``T_n`` has one on the whole line (integration by parts reduces it to
a Gaussian integral); on an interval it does not (it is an Owen-T-type integral), and there it stays a
symbol :class:`FiniteTeacherMoment` that the code generator turns into Gauss–Legendre quadrature.
"""

from __future__ import annotations

import sympy as sp

t = sp.Symbol("t", real=True)
k = sp.Symbol("k", real=True)

PHI0 = 1 / sp.sqrt(2 * sp.pi)
# |t| beyond which φ(t)·t² < 1e-29; must equal solvers.quadrature.CUTOFF
CUTOFF = sp.Integer(12)


def phi(x):
    """Standard normal density."""
    return sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi)


def Phi(x):
    """Standard normal distribution function, written with ``erfc`` (accurate in the lower tail)."""
    return sp.erfc(-x / sp.sqrt(2)) / 2


class FiniteTeacherMoment(sp.Function):
    """``∫_a^b φ(t) Φ(k t) tⁿ dt`` on a finite interval: no closed form, evaluated by quadrature.

    Arguments are ``(n, a, b)``; ``k`` is implicit (one per channel evaluation).
    """

    nargs = 3


def gauss_moment(n: int, a, b) -> sp.Expr:
    """``G_n(a, b) = ∫_a^b φ(t) tⁿ dt`` by the integration-by-parts recursion
    ``G_n = (n−1) G_{n−2} + a^{n−1}φ(a) − b^{n−1}φ(b)``; infinite ends allowed."""
    if n == 0:
        lo = 0 if a == -sp.oo else Phi(a)
        hi = 1 if b == sp.oo else Phi(b)
        return hi - lo
    edge_a = 0 if a == -sp.oo else a ** (n - 1) * phi(a)
    edge_b = 0 if b == sp.oo else b ** (n - 1) * phi(b)
    rest = (n - 1) * gauss_moment(n - 2, a, b) if n >= 2 else 0
    return rest + edge_a - edge_b


def _gauss_product_integral(n: int, lower, upper) -> sp.Expr:
    # ∫ tⁿ φ(t) φ(k t) dt: a plain Gaussian integral, which sympy closes.
    expr = sp.integrate(t**n * phi(t) * phi(k * t), (t, lower, upper), conds="none")
    return sp.simplify(expr)


def teacher_moment_fullline(n: int) -> sp.Expr:
    """``M_n = ∫_ℝ φ(t) Φ(k t) tⁿ dt``: with ``tⁿφ = −(t^{n−1}φ)' + (n−1)t^{n−2}φ`` and integration by
    parts, the remaining term ``k ∫ t^{n−1} φ(t) φ(kt)`` is a plain Gaussian integral."""
    if n == 0:
        return sp.Rational(1, 2)
    rest = (n - 1) * teacher_moment_fullline(n - 2) if n >= 2 else 0
    return k * _gauss_product_integral(n - 1, -sp.oo, sp.oo) + rest


def teacher_moment(n: int, a, b) -> sp.Expr:
    """``T_n(a, b) = ∫_a^b φ(t) Φ(k t) tⁿ dt`` with ``a < b``.

    The whole line is closed analytically. A half-line is cut at ``|t| = CUTOFF`` and left to the
    quadrature like any finite piece: its closed form (an arctan) minus a finite piece cancels
    catastrophically when the piece nearly covers the half-line (e.g. a hinge kink at ``(1 − V)/√q``
    far in the tail), while the neglected tail is below 1e-29.
    """
    if a == -sp.oo and b == sp.oo:
        return teacher_moment_fullline(n)
    lo = -CUTOFF if a == -sp.oo else a
    hi = CUTOFF if b == sp.oo else b
    return FiniteTeacherMoment(n, lo, hi)
