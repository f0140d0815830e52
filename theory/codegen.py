"""Print sympy expressions as numba kernels.

The output is deterministic for a given sympy version, so that a test can regenerate the kernels and
require byte-identical files (the derivation and the numerics cannot drift apart).
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from memtheory.theory.gaussian_moments import FiniteTeacherMoment

HEADER = '''\
# =====================================================================================================
# GENERATED FILE — DO NOT EDIT BY HAND.
# Written by `python -m memtheory.theory.generate` from the sympy derivations in theory/{source}.
# tests/test_theory_codegen.py regenerates it and requires byte-identical output.
# =====================================================================================================
'''


MOMENT_IMPORTS = "from memtheory.solvers.quadrature import phi_Phi_closed_form, phi_Phi_endpoint, phi_Phi_interval\n"
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
    (``phi_Phi_closed_form``); an end point whose intervals all take the quadrature skips its terms.
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
    for prefix, count in (("x", len(points)), ("wide", len(intervals)), ("end", len(points))):
        clash = taken & {f"{prefix}{i}" for i in range(count)}
        if clash:
            raise ValueError(f"kernel {name}: generated names {sorted(clash)} clash with its symbols")
    for i, p in enumerate(points):
        lines.append(f"    x{i} = {_print_point(p)}")
    ends = [(points.index(a), points.index(b)) for a, b in intervals]
    for j, (ia, ib) in enumerate(ends):
        lines.append(f"    wide{j} = phi_Phi_closed_form(k, x{ia}, x{ib})")
    for i in range(len(points)):
        needed = " or ".join(f"wide{j}" for j, e in enumerate(ends) if i in e)
        lines.append(f"    end{i} = phi_Phi_endpoint(k, x{i}, {needed})")
    for j, ((a, b), (ia, ib)) in enumerate(zip(intervals, ends)):
        names = [f"T{n}_{j}" for n in range(3)]
        lines.append(f"    {', '.join(names)} = phi_Phi_interval(k, end{ia}, end{ib}, nodes, weights)")
        for n in range(3):
            subs[FiniteTeacherMoment(n, a, b)] = sp.Symbol(names[n])
    exprs = [e.xreplace(subs) for e in exprs]
    replacements, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("c"), optimizations="basic")
    for sym, sub in replacements:
        lines.append(f"    {sym} = {print_expr(sub)}")
    for out, e in zip(outputs, reduced):
        lines.append(f"    {out} = {print_expr(e)}")
    lines.append(f"    return {', '.join(outputs)}")
    return "\n".join(lines) + "\n"
