"""Print sympy expressions as numba kernels.

The output is deterministic for a given sympy version, so that a test can regenerate the kernels and
require byte-identical files (the derivation and the numerics cannot drift apart).
"""

from __future__ import annotations

import random

import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from memtheory.theory.gaussian_moments import CUTOFF, FiniteTeacherMoment, k

HEADER = '''\
# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/{source}.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
'''


MOMENT_IMPORTS = (
    "from memtheory.solvers.quadrature import (\n"
    "    phi_Phi_closed_form,\n    phi_Phi_cutoff_endpoint,\n    phi_Phi_endpoint,\n    phi_Phi_interval,\n)\n"
)
"""The import line of every generated module whose kernels use teacher moments (see :func:`kernel_source`)."""


class _KernelPrinter(PythonCodePrinter):
    """Plain ``math`` module calls (numba compiles them); no numpy, no mpmath."""

    def __init__(self):
        super().__init__({"fully_qualified_modules": True, "standard": "python3"})


def print_expr(expr: sp.Expr) -> str:
    """One expression as Python source using the ``math`` module."""
    return _KernelPrinter().doprint(expr)


def _print_point(p: sp.Expr) -> str:
    # numbers as floats, so that every end point reaches the kernels with one type (one compilation)
    return repr(float(p)) if p.is_Number else print_expr(p)


_C = sp.sqrt(1 + k**2)
ENDPOINT_FUNCTIONS = {
    # entry of phi_Phi_endpoint's tuple (solvers/quadrature.py ENDPOINT_TERMS) → (name prefix, the
    # function of the end point x it holds)
    3: ("gx", lambda x: sp.exp(-x**2 / 2)),
    4: ("gcx", lambda x: sp.exp(-_C**2 * x**2 / 2)),
    5: ("ex", lambda x: sp.erfc(x / sp.sqrt(2))),
    6: ("emx", lambda x: sp.erfc(-x / sp.sqrt(2))),
    7: ("ekx", lambda x: sp.erfc(k * x / sp.sqrt(2))),
    8: ("emkx", lambda x: sp.erfc(-k * x / sp.sqrt(2))),
    9: ("ecx", lambda x: sp.erfc(_C * x / sp.sqrt(2))),
    10: ("emcx", lambda x: sp.erfc(-_C * x / sp.sqrt(2))),
}
"""The ``exp`` and ``erfc`` at a kink that :func:`kernel_source` takes from the end point terms
instead of computing them again."""


def _sample_points(symbols: set) -> list[dict]:
    """Two generic numeric states for the symbols of a channel kernel, with ``r = √q``, ``s = √(q − m²)``
    and ``k = m/s`` (their meaning in the kernels), to recognise equal expressions by value; ``m`` takes
    both signs (the symbolic check assumes ``m > 0``)."""
    rng = random.Random(20240611)
    out = []
    for sign in (1, -1):
        m_, q_ = sign * sp.Rational(rng.randint(100, 900), 1000), sp.Rational(rng.randint(1100, 3000), 1000)
        vals = {"m": m_, "q": q_, "r": sp.sqrt(q_), "s": sp.sqrt(q_ - m_**2), "k": m_ / sp.sqrt(q_ - m_**2)}
        out.append({sym: vals.get(sym.name, sp.Rational(rng.randint(100, 3000), 1000)) for sym in symbols})
    return out


def _value(expr: sp.Expr, point: dict) -> complex:
    return complex(sp.N(expr.xreplace(point), 30))


def _shared_endpoint_terms(exprs: list, points: list) -> tuple[dict, list[tuple[int, int, str]]]:
    """``exp``/``erfc`` atoms of ``exprs`` equal to an end point term (by value at two generic states,
    then confirmed symbolically): the replacements, and the ``(point, entry, name)`` to unpack.

    At the clipping points ±12 the terms are their limits at ±∞ (``phi_Phi_cutoff_endpoint``): such
    atoms come only from the derivatives of the clipped teacher moments, below 1e-30 there."""
    atoms = sorted({a for e in exprs for a in e.atoms(sp.exp, sp.erfc)}, key=sp.default_sort_key)
    if not atoms or not points:
        return {}, []
    candidates = [(i, entry, name, fn(x)) for i, x in enumerate(points) for entry, (name, fn) in ENDPOINT_FUNCTIONS.items()]
    symbols = set().union(*(a.free_symbols for a in atoms), *(c[3].free_symbols for c in candidates))
    samples = _sample_points(symbols)
    values = {c[3]: [_value(c[3].args[0], pt) for pt in samples] for c in candidates}
    subs, used = {}, []
    for atom in atoms:
        got = [_value(atom.args[0], pt) for pt in samples]
        for i, entry, name, cand in candidates:
            if cand.func is not atom.func or any(abs(g - w) > 1e-20 + 1e-15 * abs(w) for g, w in zip(got, values[cand])):
                continue
            if _total(atom.args[0] - cand.args[0]) != 0:
                continue
            sym = sp.Symbol(f"{name}{i}")
            subs[atom] = sym
            if (i, entry, sym.name) not in used:
                used.append((i, entry, sym.name))
            break
    return subs, sorted(used)


_PARTNERS = {5: 6, 6: 5, 7: 8, 8: 7, 9: 10, 10: 9}  # erfc(z) ↔ erfc(−z) = 2 − erfc(z)


def _with_partners(unpack: list) -> list[tuple[int, int, str]]:
    """The unpacked entries and the ``erfc(−z)`` partner of each ``erfc(z)`` among them."""
    out = set(unpack)
    for i, entry, _ in unpack:
        if entry in _PARTNERS:
            partner = _PARTNERS[entry]
            out.add((i, partner, f"{ENDPOINT_FUNCTIONS[partner][0]}{i}"))
    return sorted(out)


def _without_tail_cancellation(expr: sp.Expr, unpack: list) -> sp.Expr:
    """Rewrite ``a·erfc(z) + c`` as ``−a·erfc(−z) + (c + 2a)`` wherever that shrinks the constant: the
    derivations write ``Φ`` and ``H`` as ``1 − erfc/2`` (e.g. ``erfc(z) − 2``), which cancels where
    ``erfc(−z)`` is a small tail that the end point terms hold accurately."""
    pairs = []
    for i, entry, name in unpack:
        if entry in _PARTNERS:
            pairs.append((sp.Symbol(name), sp.Symbol(f"{ENDPOINT_FUNCTIONS[_PARTNERS[entry]][0]}{i}")))
    if not pairs:
        return expr

    def fix(add):
        coeffs = add.as_coefficients_dict()
        for e, partner in pairs:
            a, c = coeffs.get(e, 0), coeffs.get(sp.Integer(1), 0)
            if a != 0 and c != 0 and abs(c + 2 * a) < abs(c):
                add = add - a * e - a * partner + 2 * a
                coeffs = add.as_coefficients_dict()
        return add

    return expr.replace(lambda node: node.is_Add, fix)


def _total(expr: sp.Expr) -> sp.Expr:
    # the shorthands of the kernels in terms of m and s > 0 (r = √(s² + m²), q = r², k = m/s), so that
    # equal arguments simplify to 0
    syms = {sy.name: sy for sy in expr.free_symbols}
    m_ = syms.get("m", sp.Symbol("m", positive=True))
    s_ = syms.get("s", sp.Symbol("s", positive=True))
    r_ = sp.sqrt(s_**2 + m_**2)
    rep = {syms[n]: v for n, v in (("r", r_), ("q", r_**2), ("k", m_ / s_)) if n in syms}
    return sp.simplify(expr.xreplace(rep))


def kernel_source(
    name: str,
    args: list[str],
    outputs: dict[str, sp.Expr],
    preamble: list[tuple[str, str]] = (),
    doc: str = "",
) -> str:
    """Source of one ``@njit(cache=True)`` function returning ``tuple(outputs.values())``.

    Finite teacher moments ``FiniteTeacherMoment(n, a, b)`` are collected per interval ``(a, b)``, before
    the common subexpressions (``sympy.cse``) of the outputs. Adjacent intervals share their end points
    (the kinks of the loss), so the end point terms of the closed forms (docs/theory/raf.md §3) are
    computed once per distinct end point ``x<i>`` by ``phi_Phi_endpoint`` and combined per interval by
    ``phi_Phi_interval``. ``wide<j>`` says whether interval ``j`` takes the closed forms
    (``phi_Phi_closed_form``); an end point whose intervals all take the quadrature skips its Owen sum.
    The literal clipping points ±12 take ``phi_Phi_cutoff_endpoint`` (their limits at ±∞). Every
    ``exp``/``erfc`` of the outputs that is an end point term (:data:`ENDPOINT_FUNCTIONS`: the
    random-label terms and the Jacobians evaluate the same Gaussians at the same kinks) is read from
    those terms instead of computed again, and ``a·erfc(z) + c`` goes through ``erfc(−z)`` where that
    removes a cancellation.
    """
    exprs = list(outputs.values())
    moments = sorted(
        {fm for e in exprs for fm in e.atoms(FiniteTeacherMoment)},
        key=lambda fm: (sp.default_sort_key(fm.args[1]), sp.default_sort_key(fm.args[2]), int(fm.args[0])),
    )
    intervals: list[tuple[sp.Expr, sp.Expr]] = []
    for fm in moments:
        iv = (fm.args[1], fm.args[2])
        if iv not in intervals:
            intervals.append(iv)
    subs = {}
    lines = ["@njit(cache=True, error_model=\"numpy\")", f"def {name}({', '.join(args)}):"]
    if doc:
        lines.append(f'    """{doc}"""')
    for var, code in preamble:
        lines.append(f"    {var} = {code}")
    points: list[sp.Expr] = []
    for iv in intervals:
        points += [p for p in iv if p not in points]
    taken = {str(sym) for e in exprs for sym in e.free_symbols} | set(args) | {var for var, _ in preamble}
    prefixes = [("x", len(points)), ("wide", len(intervals)), ("end", len(points))]
    prefixes += [(name, len(points)) for name, _ in ENDPOINT_FUNCTIONS.values()]
    for prefix, count in prefixes:
        clash = taken & {f"{prefix}{i}" for i in range(count)}
        if clash:
            raise ValueError(f"kernel {name}: generated names {sorted(clash)} clash with its symbols")
    for i, p in enumerate(points):
        lines.append(f"    x{i} = {_print_point(p)}")
    ends = [(points.index(a), points.index(b)) for a, b in intervals]
    for j, (ia, ib) in enumerate(ends):
        lines.append(f"    wide{j} = phi_Phi_closed_form(k, x{ia}, x{ib})")
    for i, p in enumerate(points):
        if p.is_Number and abs(p) >= CUTOFF:
            lines.append(f"    end{i} = phi_Phi_cutoff_endpoint(k, x{i})")
            continue
        closed = " or ".join(f"wide{j}" for j, e in enumerate(ends) if i in e)
        lines.append(f"    end{i} = phi_Phi_endpoint(k, x{i}, {closed})")
    for j, ((a, b), (ia, ib)) in enumerate(zip(intervals, ends)):
        names = [f"T{n}_{j}" for n in range(3)]
        lines.append(f"    {', '.join(names)} = phi_Phi_interval(k, end{ia}, end{ib}, nodes, weights)")
        for n in range(3):
            subs[FiniteTeacherMoment(n, a, b)] = sp.Symbol(names[n])
    exprs = [e.xreplace(subs) for e in exprs]
    shared, unpack = _shared_endpoint_terms(exprs, points)
    exprs = [_without_tail_cancellation(e.xreplace(shared), unpack) for e in exprs]
    used = {sym.name for e in exprs for sym in e.free_symbols}
    for i, entry, sym in _with_partners(unpack):
        if sym in used:
            lines.append(f"    {sym} = end{i}[{entry}]")
    replacements, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("c"), optimizations="basic")
    for sym, sub in replacements:
        lines.append(f"    {sym} = {print_expr(sub)}")
    for out, e in zip(outputs, reduced):
        lines.append(f"    {out} = {print_expr(e)}")
    lines.append(f"    return {', '.join(outputs)}")
    return "\n".join(lines) + "\n"
