"""memtheory: a reference toolkit for the theory of memorization in learning.

One import name over the repository's layers (imports only point down the list):

* :mod:`memtheory.theory` — sympy derivations that write the generated numba kernels;
* :mod:`memtheory.solvers` — saddle-point solvers, capacity bounds, memorized-prior posteriors;
* :mod:`memtheory.simulations` — finite-size learners (never imports the solvers);
* :mod:`memtheory.studies` — figure data and every comparison of theory with simulation;
* :mod:`memtheory.figures` — draws what the studies produce, never computes;
* :mod:`memtheory.cli` — the command line.
"""

__version__ = "0.1.0"
