"""Stored-information estimators from measured accuracies or losses (docs/theory/capacity.md §2, §1, §5, §7).

* Accuracy-implied bits ``Σ_i g_K(p_i)``: a lower bound on ``I(θ; facts)`` for any model, by Fano
  per fact plus independence of the values (docs/theory/capacity.md §2, §7 output 3).
* Loss-implied bits from per-fact negative log-likelihoods ``L_i`` (nats, summed over the value's
  tokens/attributes): Allen-Zhu & Li ``B_AZ = Σ_i (H_i − L_i/ln 2)`` (unclipped, Def. 4.3) and
  Morris et al. ``B_M = Σ_i max(0, H_i − L_i/ln 2)`` (uniform reference, clipped per sample)
  (docs/theory/capacity.md §1, §5, §7 output 4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_choice, check_positive
from .bounds import fano_bits
from .facts import check_values, entropy_bits

__all__ = ["StoredBits", "accuracy_bits", "facts_bits", "loss_bits"]

_LN2 = math.log(2.0)


@dataclass(frozen=True)
class StoredBits:
    """An estimate of the information a model stores about its facts.

    See docs/theory/capacity.md §5 and §7.

    Attributes
    ----------
    bits : float
        Estimated stored information in bits.
    bits_per_param : float
        ``bits / P`` (NaN when no parameter count was given).
    n_facts : int
        Number of facts the estimate sums over.
    method : str
        ``"accuracy"``, ``"facts"``, ``"allen-zhu"`` or ``"morris"``.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> sb = capacity.accuracy_bits([1, 1, 0, 1], 4, params=10)
    >>> sb.method, sb.n_facts, round(sb.bits, 3), round(sb.bits_per_param, 3)
    ('accuracy', 4, 6.0, 0.6)
    """

    bits: float
    bits_per_param: float
    n_facts: int
    method: str


def _per_param(bits: float, params) -> float:
    return math.nan if params is None else bits / check_positive("params", params)


def accuracy_bits(accuracies, values, *, params=None, clip: bool = True) -> StoredBits:
    """Accuracy-implied bits ``Σ_i g_K(p_i)`` (docs/theory/capacity.md §2, §7 output 3).

    See docs/theory/capacity.md §2 and §7.

    Parameters
    ----------
    accuracies : array_like
        Per-fact recall probabilities ``p_i`` in ``[0, 1]`` (a 0/1 vector for greedy decoding).
    values : float or sequence of float
        Alphabet size ``K`` (or per-attribute sizes; exact match of the whole fact).
    params : float, optional
        Parameter count for bits/parameter.
    clip : bool
        ``g = 0`` below chance (docs/theory/capacity.md §7); ``False`` keeps the (valid, tiny) divergence there.

    Returns
    -------
    StoredBits
        ``bits = Σ_i g_K(p_i)`` with ``method = "accuracy"``.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> sb = capacity.accuracy_bits([1.0, 0.5, 0.25], 4)
    >>> round(sb.bits, 4), sb.n_facts
    (2.2075, 3)
    """
    p = np.asarray(accuracies, dtype=np.float64)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"accuracies must be a non-empty 1-D array, got shape {p.shape}")
    if not np.all(np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("accuracies must lie in [0, 1]")
    bits = math.fsum(np.atleast_1d(fano_bits(p, values, clip=clip)).tolist())
    return StoredBits(bits, _per_param(bits, params), int(p.size), "accuracy")


def facts_bits(n_correct, values, *, params=None) -> StoredBits:
    """Facts-implied bits ``N_correct · H`` (docs/theory/capacity.md §7 output 3)."""
    n = float(n_correct)
    if not math.isfinite(n) or n < 0:
        raise ValueError(f"n_correct must be >= 0, got {n_correct!r}")
    bits = n * entropy_bits(values)
    return StoredBits(bits, _per_param(bits, params), int(n), "facts")


def loss_bits(losses, values, *, params=None, style: str = "morris", unit: str = "nats") -> StoredBits:
    """Loss-implied bits from per-fact negative log-likelihoods (docs/theory/capacity.md §1, §5, §7 output 4).

    See docs/theory/capacity.md §5.

    Parameters
    ----------
    losses : array_like
        Shape ``(N,)``: per-fact NLL of the whole value (summed over its attributes/tokens); or
        ``(N, A)``: one column per attribute, summed here.
    values : float or sequence of float
        ``K`` (one attribute) or the ``A`` per-attribute alphabet sizes; ``H_i = Σ_a log2 K_a``.
    params : float, optional
        Parameter count for bits/parameter.
    style : {"morris", "allen-zhu"}
        ``"morris"``: ``Σ max(0, H − L/ln 2)``; ``"allen-zhu"``: ``Σ (H − L/ln 2)`` (may be negative).
    unit : {"nats", "bits"}
        Unit of ``losses`` (cross-entropy from PyTorch is in nats).

    Returns
    -------
    StoredBits
        The summed bits, with ``method`` the chosen ``style``.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> import math
    >>> sb = capacity.loss_bits([0.0, math.log(2), math.log(4)], 4)
    >>> sb.method, round(sb.bits, 4)
    ('morris', 3.0)
    >>> round(capacity.loss_bits([0.0, math.log(8)], 4, style='allen-zhu').bits, 4)
    1.0
    """
    style = check_choice("style", style, ("morris", "allen-zhu"))
    unit = check_choice("unit", unit, ("nats", "bits"))
    ks = check_values(values)
    loss = np.asarray(losses, dtype=np.float64)
    if loss.ndim == 2:
        if loss.shape[1] != len(ks):
            raise ValueError(f"losses has {loss.shape[1]} attribute columns but values lists {len(ks)}")
        loss = loss.sum(axis=1)
    elif loss.ndim != 1:
        raise ValueError(f"losses must be 1-D (N,) or 2-D (N, A), got shape {loss.shape}")
    if loss.size == 0 or not np.all(np.isfinite(loss)) or np.any(loss < 0):
        raise ValueError("losses must be a non-empty array of finite values >= 0")
    h = entropy_bits(ks)
    per_fact = h - (loss / _LN2 if unit == "nats" else loss)
    if style == "morris":
        per_fact = np.maximum(per_fact, 0.0)
    bits = math.fsum(per_fact.tolist())
    return StoredBits(bits, _per_param(bits, params), int(loss.size), style)
