"""Fact-memorization experiments (docs/theory/capacity.md §4, reconstruction).

Random key→value facts (keys are fixed random codes, values uniform over ``K``), training streams
that sample facts by frequency (uniform or Zipf) for an exposure budget, MLP learners, the
two-sided loss-based data selection of docs/theory/capacity.md §4, and the capacity sweep.

PyTorch is imported lazily (only :mod:`~simulations.facts.models`, :mod:`~simulations.facts.training`
and :func:`~simulations.facts.experiment.run_sweep` need it); datasets, selection rules and metrics are
plain NumPy. This package never imports the solvers; the sweep as a gallery producer and its
comparison with the bounds are in :mod:`memtheory.studies.capacity_experiment`.
"""

from .datasets import FactData, FactStream, make_facts
from .metrics import fact_metrics
from .selection import SelectionConfig, select_facts

__all__ = ["FactData", "FactStream", "SelectionConfig", "fact_metrics", "make_facts", "select_facts"]
