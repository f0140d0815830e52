"""Exact-match fact scoring and stored-information estimates for the biography LM (NumPy only).

Greedy completion of a value of ``m`` tokens after its prompt is correct exactly when, under teacher
forcing on the true sentence, the argmax prediction at each of the ``m`` value positions is the true
token: if the first ``j`` tokens are right, greedy decoding has produced the true prefix, so its next
choice is the teacher-forced argmax. One teacher-forced pass over every sentence therefore scores every
(individual, attribute, template) (``docs/theory/lm_facts.md``, "Fact accuracy").

The formulas of the information estimates repeat :mod:`memtheory.simulations.facts.metrics` per
attribute; the layers forbid importing the solvers here.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["fact_table", "lm_fact_metrics", "row_exact_match", "row_value_nll"]

_LN2 = math.log(2.0)


def _value_mask(shape, start, length) -> np.ndarray:
    """Mask over next-token positions ``p-1`` of the value tokens ``p ∈ [start, start+length)``."""
    pos = np.arange(shape[1])[None, :] + 1  # column c predicts token c + 1
    start = np.asarray(start)[:, None]
    length = np.asarray(length)[:, None]
    return (pos >= start) & (pos < start + length)


def row_exact_match(pred, tokens, start, length) -> np.ndarray:
    """Greedy exact-match correctness of each row's value.

    Parameters
    ----------
    pred : array_like of int, shape (S, L-1)
        Argmax next-token prediction at every position (column ``c`` predicts token ``c+1``).
    tokens : array_like of int, shape (S, L)
        The true sentences.
    start, length : array_like of int, shape (S,)
        First value position and number of value tokens (``length >= 1``).

    Returns
    -------
    ndarray of bool, shape (S,)
        True where every value token is predicted; other positions do not count.

    Examples
    --------
    >>> import numpy as np
    >>> tokens = np.array([[1, 5, 6, 7, 2], [1, 5, 6, 8, 2]])
    >>> pred = np.array([[5, 6, 7, 2], [5, 6, 7, 2]])
    >>> row_exact_match(pred, tokens, start=[3, 3], length=[1, 1]).tolist()
    [True, False]

    See docs/theory/lm_facts.md, section "Fact accuracy".
    """
    pred = np.asarray(pred)
    tokens = np.asarray(tokens)
    if pred.ndim != 2 or tokens.shape != (pred.shape[0], pred.shape[1] + 1):
        raise ValueError(f"pred must have shape (S, L-1) for tokens of shape (S, L); got {pred.shape}, {tokens.shape}")
    if np.any(np.asarray(length) < 1) or np.any(np.asarray(start) < 1):
        raise ValueError("start and length must be >= 1")
    mask = _value_mask(pred.shape, start, length)
    ok = (pred == tokens[:, 1:]) | ~mask
    return ok.all(axis=1)


def row_value_nll(token_nll, start, length) -> np.ndarray:
    """Summed next-token loss (nats) of each row's value tokens, ``token_nll`` of shape (S, L-1)."""
    token_nll = np.asarray(token_nll, dtype=np.float64)
    return np.where(_value_mask(token_nll.shape, start, length), token_nll, 0.0).sum(axis=1)


def fact_table(row_values, individual, attribute, n_individuals: int, n_attributes: int) -> np.ndarray:
    """Average a per-row quantity over the templates of each fact: array of shape (N, A)."""
    total = np.zeros((n_individuals, n_attributes))
    count = np.zeros((n_individuals, n_attributes))
    np.add.at(total, (individual, attribute), np.asarray(row_values, dtype=np.float64))
    np.add.at(count, (individual, attribute), 1.0)
    if np.any(count == 0):
        raise ValueError("every (individual, attribute) needs at least one row")
    return total / count


def lm_fact_metrics(acc, nll, n_values, probs, params: int) -> dict:
    """Fact metrics from per-fact accuracies and value losses.

    Parameters
    ----------
    acc : array_like, shape (N, A)
        Exact-match accuracy of each fact (mean over its templates).
    nll : array_like, shape (N, A)
        Value loss of each fact in nats (summed over its value tokens, mean over templates).
    n_values : sequence of int, length A
        ``K_a``.
    probs : array_like, shape (N,)
        Frequencies of the individuals (weights of ``acc_weighted``).
    params : int
        Parameter count ``P``.

    Returns
    -------
    dict
        ``facts_memorized`` (``Σ acc``), ``accuracy`` (its mean), ``acc_weighted``, ``facts_stored``
        (chance-corrected: ``Σ_a (Σ_i acc_ia − N/K_a)/(1 − 1/K_a)``, clipped at 0), ``bits_facts``
        (``Σ acc_ia·log2 K_a``), ``bits_morris`` (``Σ max(0, log2 K_a − L_ia/ln2)``), ``bits_az`` (the
        same unclipped), each bits value also per parameter, and ``mean_value_nll``.

    Examples
    --------
    >>> m = lm_fact_metrics([[1.0, 0.0], [1.0, 1.0]], [[0.0, 2.0], [0.1, 0.0]], n_values=[4, 4],
    ...                     probs=[0.5, 0.5], params=100)
    >>> m["facts_memorized"], m["bits_facts"], round(m["facts_stored"], 3), round(m["bits_morris"], 3)
    (3.0, 6.0, 2.667, 5.856)

    See docs/theory/lm_facts.md, sections "Fact accuracy" and "Stored information and capacity".
    """
    acc = np.asarray(acc, dtype=np.float64)
    nll = np.asarray(nll, dtype=np.float64)
    k = np.asarray(n_values, dtype=np.float64)
    q = np.asarray(probs, dtype=np.float64)
    if acc.shape != nll.shape or acc.ndim != 2 or acc.shape[1] != k.size or q.shape != (acc.shape[0],):
        raise ValueError(f"acc and nll must have shape (N, A) = (len(probs), len(n_values)); got {acc.shape}, "
                         f"{nll.shape}, {q.shape}, {k.shape}")
    n = acc.shape[0]
    h = np.log2(k)
    per_fact = h[None, :] - nll / _LN2
    stored = (acc.sum(axis=0) - n / k) / (1.0 - 1.0 / k)
    out = {
        "facts_memorized": float(acc.sum()),
        "accuracy": float(acc.mean()),
        "acc_weighted": float(np.dot(q, acc.mean(axis=1))),
        "facts_stored": float(max(0.0, stored.sum())),
        "bits_facts": float((acc * h[None, :]).sum()),
        "bits_morris": float(np.maximum(per_fact, 0.0).sum()),
        "bits_az": float(per_fact.sum()),
        "mean_value_nll": float(nll.mean()),
    }
    for key in ("bits_facts", "bits_morris", "bits_az"):
        out[key + "_per_param"] = out[key] / params
    return out
