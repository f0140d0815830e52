"""Finite-size simulations: the independent numerical check on the theory.

RAF part (issue 3):

* :mod:`memtheory.simulations.raf` — Rules-and-Facts datasets and learners (linear, kernel, random features,
  two-layer network), measurements over seeds and campaigns through executors (spec ``raf.md``).
* :mod:`memtheory.studies.raf_validate` — theory (``memtheory.solvers.raf``) and simulation side by side; the only RAF
  simulation module that imports :mod:`solvers`.
"""
