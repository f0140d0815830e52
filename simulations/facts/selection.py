"""Two-sided loss-based data selection (docs/theory/capacity.md §4, reconstruction; thresholds are parameters).

After a warm-up, every ``interval`` training examples the per-fact training loss is computed and

* **limit** (drop persistently high-loss facts): keep only the ``keep_facts`` lowest-loss facts —
  aimed at about ``C/H`` retained facts;
* **flatten** (drop already-learned examples): among those, skip facts whose loss is below
  ``tau_lo`` nats, so frequent facts stop eating the budget once they are stored.

Only the training loss is used, never the fact identity or frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_int, check_number

__all__ = ["SelectionConfig", "select_facts"]


@dataclass(frozen=True)
class SelectionConfig:
    """Parameters of the selection rule.

    Attributes
    ----------
    keep_facts : int or None
        Number of lowest-loss facts retained by the limit side (``None``: use ``keep_ratio`` times the
        capacity target supplied by the experiment).
    keep_ratio : float
        Multiplier of the target ``C/H`` when ``keep_facts`` is ``None``.
    tau_lo : float
        Loss (nats) below which a fact counts as learned and its examples are skipped.
    warmup : float
        Fraction of the exposure budget trained on the full stream before the first selection.
    interval : float
        Fraction of the budget between re-selections.
    flatten, limit : bool
        Switch each side on or off (the ablations).

    Examples
    --------
    >>> cfg = SelectionConfig(keep_facts=3)
    >>> cfg.keep_facts, cfg.tau_lo, cfg.flatten and cfg.limit
    (3, 0.3, True)

    See docs/theory/capacity.md §4 and docs/theory/lm_facts.md.
    """

    keep_facts: int | None = None
    keep_ratio: float = 1.1
    tau_lo: float = 0.3
    warmup: float = 0.3
    interval: float = 0.05
    flatten: bool = True
    limit: bool = True

    def __post_init__(self):
        if self.keep_facts is not None:
            object.__setattr__(self, "keep_facts", check_int("keep_facts", self.keep_facts, lo=1))
        check_number("keep_ratio", self.keep_ratio, lo=0.0, lo_open=True)
        check_number("tau_lo", self.tau_lo, lo=0.0)
        check_number("warmup", self.warmup, lo=0.0, hi=1.0)
        check_number("interval", self.interval, lo=0.0, hi=1.0, lo_open=True)


def select_facts(losses, *, keep_facts: int | None, tau_lo: float, flatten: bool = True,
                 limit: bool = True) -> np.ndarray:
    """Boolean mask of the facts whose examples stay in the training stream.

    Parameters
    ----------
    losses : array_like, shape (N,)
        Current per-fact training loss (nats).
    keep_facts : int or None
        Limit side: retain the ``keep_facts`` lowest-loss facts (ties broken by index).
    tau_lo : float
        Flatten side: skip facts with loss ``< tau_lo``.
    flatten, limit : bool
        Enable each side.

    Returns
    -------
    ndarray of bool
        If flattening would leave nothing (every retained fact learned), the retained set itself is
        returned so that training can continue to consolidate it.

    Examples
    --------
    Keep the three lowest-loss facts, then skip the learned one (loss 0.1 < 0.3):

    >>> select_facts([0.1, 2.0, 0.5, 3.0, 1.0], keep_facts=3, tau_lo=0.3).tolist()
    [False, False, True, False, True]
    >>> select_facts([0.1, 2.0, 0.5, 3.0, 1.0], keep_facts=3, tau_lo=0.3, flatten=False).tolist()
    [True, False, True, False, True]

    See docs/theory/capacity.md §4.
    """
    loss = np.asarray(losses, dtype=np.float64)
    if loss.ndim != 1 or loss.size == 0 or not np.all(np.isfinite(loss)):
        raise ValueError("losses must be a non-empty 1-D array of finite numbers")
    n = loss.size
    keep = np.ones(n, dtype=bool)
    if limit and keep_facts is not None and keep_facts < n:
        keep = np.zeros(n, dtype=bool)
        keep[np.argsort(loss, kind="stable")[:keep_facts]] = True
    if flatten:
        active = keep & (loss >= tau_lo)
        if active.any():
            keep = active
    return keep
