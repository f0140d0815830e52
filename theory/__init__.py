"""Symbolic derivations (sympy) of the RAF saddle-point equations.

This package is the *source* of the numerical kernels: :mod:`memtheory.theory.generate` derives the ridge prior
and the square- and hinge-loss output channels from the replica-symmetric free energy (docs/theory/raf.md §3.1) and writes them as numba kernels into ``solvers/raf/channels/_generated/`` and
``solvers/raf/priors/_generated/``, together with the integer-id dispatch modules. It is only imported at
generation time and by the tests; the solvers never import it.
"""
