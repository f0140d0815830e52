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


class _KernelPrinter(PythonCodePrinter):
    """Plain ``math`` module calls (numba compiles them); no numpy, no mpmath."""

    def __init__(self):
        super().__init__({"fully_qualified_modules": True, "standard": "python3"})


def print_expr(expr: sp.Expr) -> str:
    """One expression as Python source using the ``math`` module."""
    return _KernelPrinter().doprint(expr)


def kernel_source(
    name: str,
    args: list[str],
    outputs: dict[str, sp.Expr],
    preamble: list[tuple[str, str]] = (),
    doc: str = "",
) -> str:
    """Source of one ``@njit(cache=True)`` function returning ``tuple(outputs.values())``.

    Finite teacher moments ``FiniteTeacherMoment(n, a, b)`` are collected per interval ``(a, b)`` and
    computed by one call ``phi_Phi_moments(k, a, b, nodes, weights)`` each, before the common
    subexpressions (``sympy.cse``) of the outputs.
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
    for j, (a, b) in enumerate(intervals):
        names = [f"T{n}_{j}" for n in range(3)]
        lines.append(f"    {', '.join(names)} = phi_Phi_moments(k, {print_expr(a)}, {print_expr(b)}, nodes, weights)")
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
