"""Loss-based example selection for the biography LM (``docs/theory/lm_facts.md``, "Selection").

The two sides of :func:`memtheory.simulations.facts.selection.select_facts`, applied at two levels:

* **limit** (cap the number of facts): individuals are ranked by the mean training loss of their
  sentences and only the ``keep_individuals`` lowest are kept (aimed at about ``C/H``);
* **flatten** (drop examples of facts already learned): among the kept individuals, every sentence whose
  own training loss is below ``tau_lo`` nats is skipped, so frequent individuals stop taking the budget.

The training loss of a sentence is the summed loss of its value tokens (the answer span; the template
words are learned early and the name is not predictable, so their loss says nothing about the fact).
Only these losses enter, plus which sentence names which individual (read off the text); never the
frequencies or whether a fact is answered correctly.
"""

from __future__ import annotations

import numpy as np

from ..facts.selection import SelectionConfig, select_facts

__all__ = ["SelectionConfig", "select_examples"]


def select_examples(example_loss, group, *, keep_groups: int | None, tau_lo: float, flatten: bool = True,
                    limit: bool = True) -> np.ndarray:
    """Boolean mask of the sentences that stay in the training stream.

    Parameters
    ----------
    example_loss : array_like, shape (S,)
        Current training loss of each distinct sentence (nats).
    group : array_like of int, shape (S,)
        Individual of each sentence, ``0..N-1`` (every individual must have a sentence).
    keep_groups : int or None
        Limit side: keep the individuals with the ``keep_groups`` lowest mean losses (ties by index).
    tau_lo : float
        Flatten side: skip sentences with loss ``< tau_lo``.
    flatten, limit : bool
        Enable each side.

    Returns
    -------
    ndarray of bool, shape (S,)
        If flattening would leave nothing, the kept individuals' sentences are returned unflattened
        (as in :func:`~memtheory.simulations.facts.selection.select_facts`).

    Examples
    --------
    Individuals 0 and 2 have the lowest mean losses; of their sentences only the unlearned one stays:

    >>> select_examples([0.1, 0.2, 2.0, 3.0, 1.0, 0.05], [0, 0, 1, 1, 2, 2], keep_groups=2, tau_lo=0.3).tolist()
    [False, False, False, False, True, False]

    See docs/theory/lm_facts.md, section "Loss-based selection".
    """
    loss = np.asarray(example_loss, dtype=np.float64)
    g = np.asarray(group)
    if loss.ndim != 1 or loss.size == 0 or not np.all(np.isfinite(loss)):
        raise ValueError("example_loss must be a non-empty 1-D array of finite numbers")
    if g.shape != loss.shape or g.min() < 0:
        raise ValueError("group must be non-negative integers of the same shape as example_loss")
    n = int(g.max()) + 1
    count = np.bincount(g, minlength=n)
    if np.any(count == 0):
        raise ValueError("every individual 0..max(group) must have at least one sentence")
    mean = np.bincount(g, weights=loss, minlength=n) / count
    keep_ind = select_facts(mean, keep_facts=keep_groups, tau_lo=0.0, flatten=False, limit=limit)
    keep = keep_ind[g]
    if flatten:
        active = keep & (loss >= tau_lo)
        if active.any():
            keep = active
    return keep
