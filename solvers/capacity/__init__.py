"""Fact-memorization capacity: bounds, Zipf sums, stored-information estimators, Gardner bridge.

The model (docs/theory/capacity.md §1, a reconstruction): ``N`` keys, each with a value drawn
uniformly from ``K`` symbols (entropy ``H = log2 K`` bits; several attributes add their entropies),
facts seen with uniform, Zipf or given frequencies, and a learner of capacity ``C = b·P`` bits.

Public entry points
-------------------
:class:`FactSpec`, :func:`capacity_bits`, :data:`BITS_PER_PARAM_PRESETS` (``facts``),
:func:`fano_bits`, :func:`p_star`, :func:`subset_accuracy`, :func:`m_star`,
:func:`weighted_optimum`, :func:`capacity_bounds` (``bounds``), :func:`harmonic`, :func:`zipf_weights`,
:func:`facts_with_exposures` (``zipf``), :func:`accuracy_bits`, :func:`loss_bits` (``estimators``),
and the Gardner bridge in :mod:`memtheory.solvers.capacity.gardner` (needs :mod:`memtheory.solvers.raf`).
"""

from .bounds import CapacityBounds, capacity_bounds, fano_bits, m_star, p_star, subset_accuracy, weighted_optimum
from .estimators import StoredBits, accuracy_bits, loss_bits
from .facts import BITS_PER_PARAM_PRESETS, FactSpec, capacity_bits, entropy_bits
from .zipf import facts_with_exposures, harmonic, zipf_weights

__all__ = [
    "BITS_PER_PARAM_PRESETS",
    "CapacityBounds",
    "FactSpec",
    "StoredBits",
    "accuracy_bits",
    "capacity_bounds",
    "capacity_bits",
    "entropy_bits",
    "facts_with_exposures",
    "fano_bits",
    "harmonic",
    "loss_bits",
    "m_star",
    "p_star",
    "subset_accuracy",
    "weighted_optimum",
    "zipf_weights",
]
