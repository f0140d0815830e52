"""Fact memorization in a small language model (``docs/theory/lm_facts.md``).

Semi-synthetic biographies with an exactly known information content, a small decoder-only GPT trained
from scratch, exact-match fact scoring, and the loss-based selection of
:mod:`memtheory.simulations.facts.selection` applied to sentences. PyTorch is imported lazily (only
training needs it); nothing here imports :mod:`solvers` (the comparison with the bounds lives in
:mod:`memtheory.studies.lm_facts`).
"""

from .biographies import ATTRIBUTES, BiographyData, Vocabulary, make_biographies
from .model import GPTConfig, gpt_parameter_count
from .scoring import lm_fact_metrics, row_exact_match
from .selection import SelectionConfig, select_examples

__all__ = ["ATTRIBUTES", "BiographyData", "GPTConfig", "SelectionConfig", "Vocabulary", "gpt_parameter_count",
           "lm_fact_metrics", "make_biographies", "row_exact_match", "select_examples"]
