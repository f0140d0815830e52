"""Per-run fact metrics (docs/theory/capacity.md §1, §7 outputs 3–4), computed without :mod:`solvers`.

The formulas duplicate :mod:`memtheory.solvers.capacity.estimators` on purpose (the layers forbid the import);
``tests/test_capacity_sim.py`` checks that the two agree.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["fact_metrics"]

_LN2 = math.log(2.0)


def fact_metrics(correct, losses, probs, n_values: int, params: int) -> dict:
    """Metrics of one evaluation pass over all facts.

    Parameters
    ----------
    correct : array_like of bool, shape (N,)
        Greedy (argmax) prediction equals the value.
    losses : array_like, shape (N,)
        Per-fact cross-entropy in nats.
    probs : array_like, shape (N,)
        Fact frequencies (weights of the frequency-weighted accuracy).
    n_values : int
        ``K``.
    params : int
        Parameter count ``P``.

    Returns
    -------
    dict
        ``acc`` (uniform over facts), ``acc_weighted``, ``n_memorized``, ``acc_bits`` (``Σ g_K(p_i)``
        with 0/1 accuracies = ``n_memorized·H``), ``bits_morris`` (``Σ max(0, H − L/ln2)``),
        ``bits_az`` (``Σ (H − L/ln2)``), each bits value per parameter, and ``n_stored``, the
        chance-corrected count ``(n_memorized − N/K)/(1 − 1/K)``: with ``m`` facts stored and the others
        guessed at rate ``1/K``, ``E[n_memorized] = m + (N − m)/K`` (docs/theory/capacity.md §3).

    Examples
    --------
    >>> m = fact_metrics([True, True, False, False], [0.0, 0.1, 2.0, 3.0], [0.25] * 4, n_values=4, params=10)
    >>> m["acc"], m["acc_bits"], round(m["bits_morris"], 3), round(m["n_stored"], 3)
    (0.5, 4.0, 3.856, 1.333)

    See docs/theory/capacity.md §3, §5.
    """
    c = np.asarray(correct, dtype=bool)
    loss = np.asarray(losses, dtype=np.float64)
    q = np.asarray(probs, dtype=np.float64)
    h = math.log2(n_values)
    per_fact = h - loss / _LN2
    n_mem = int(c.sum())
    out = {
        "acc": float(c.mean()),
        "acc_weighted": float(np.dot(q, c)),
        "n_memorized": n_mem,
        "acc_bits": n_mem * h,
        "bits_morris": float(np.maximum(per_fact, 0.0).sum()),
        "bits_az": float(per_fact.sum()),
        "mean_loss": float(loss.mean()),
        "n_stored": max(0.0, (n_mem - c.size / n_values) / (1.0 - 1.0 / n_values)),
    }
    for key in ("acc_bits", "bits_morris", "bits_az"):
        out[key + "_per_param"] = out[key] / params
    return out
