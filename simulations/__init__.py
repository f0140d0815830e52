"""Finite-size simulations: the independent numerical check on the theory.

* :mod:`memtheory.simulations.raf` — Rules-and-Facts datasets and learners (linear, kernel, random
  features, two-layer network), measurements over seeds and campaigns through executors;
* :mod:`memtheory.simulations.facts` — the fact-memorization experiments;
* :mod:`memtheory.simulations.diffusion` — a small diffusion model trained until it memorizes.

Nothing here imports :mod:`memtheory.solvers` (a test checks the import graph): the comparisons of
theory with simulation live one layer up, in :mod:`memtheory.studies` (``raf_validate``,
``capacity_experiment``, ``diffusion``).
"""
