"""Random fact datasets and frequency-weighted training streams (docs/theory/capacity.md §1, §4 step 1).

Keys are fixed random Gaussian codes (never learned, so every learned parameter is "memory");
values are i.i.d. uniform over ``K``; fact ``i`` (rank ``i+1``) is drawn with probability
``q_i ∝ (i+1)^{-s}`` (``s = 0``: uniform).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_int, check_number

__all__ = ["FactData", "FactStream", "make_facts", "zipf_probs"]


def zipf_probs(n_facts: int, zipf: float) -> np.ndarray:
    """Frequencies ``q_i = i^{-s} / Σ_j j^{-s}`` for ranks ``i = 1..N`` (docs/theory/capacity.md §1)."""
    n = check_int("n_facts", n_facts, lo=1)
    s = check_number("zipf", zipf, lo=0.0)
    q = np.arange(1, n + 1, dtype=np.float64) ** -s
    return q / q.sum()


@dataclass(frozen=True)
class FactData:
    """One random fact set, as drawn by :func:`make_facts`.

    Attributes
    ----------
    keys : ndarray, shape (N, key_dim), float32
        Fixed random key codes.
    values : ndarray, shape (N,), int64
        Values, uniform over ``n_values``.
    probs : ndarray, shape (N,), float64
        Sampling frequency of each fact (sums to 1).
    n_values : int
        Alphabet size ``K``; each fact carries ``log2 K`` bits.
    zipf : float
        Zipf exponent used for ``probs``.

    Examples
    --------
    >>> f = make_facts(8, 4, key_dim=3, seed=0)
    >>> f.n_facts, f.entropy_bits, f.keys.dtype.name
    (8, 2.0, 'float32')

    See docs/theory/capacity.md §1.
    """

    keys: np.ndarray
    values: np.ndarray
    probs: np.ndarray
    n_values: int
    zipf: float

    @property
    def n_facts(self) -> int:
        return int(self.values.shape[0])

    @property
    def entropy_bits(self) -> float:
        """``H = log2 K`` bits per fact."""
        return math.log2(self.n_values)


def make_facts(n_facts, n_values, key_dim=32, zipf=0.0, seed=0) -> FactData:
    """Draw a fact set: ``N`` random key codes, uniform values over ``K``, Zipf(``s``) frequencies.

    Parameters
    ----------
    n_facts : int
        ``N >= 1``.
    n_values : int
        ``K >= 2``.
    key_dim : int
        Dimension of the Gaussian key codes.
    zipf : float
        Exponent ``s >= 0`` (0: uniform).
    seed : int
        Seed of the NumPy generator (keys first, then values).

    Returns
    -------
    FactData
        Keys, values and frequencies.

    Examples
    --------
    >>> f = make_facts(8, 4, key_dim=3, zipf=1.0, seed=0)
    >>> f.keys.shape, f.values.tolist()
    ((8, 3), [1, 2, 3, 1, 1, 3, 3, 3])
    >>> f.probs.round(3).tolist()[:3]
    [0.368, 0.184, 0.123]

    See docs/theory/capacity.md §1.
    """
    n = check_int("n_facts", n_facts, lo=1)
    k = check_int("n_values", n_values, lo=2)
    d = check_int("key_dim", key_dim, lo=1)
    rng = np.random.default_rng(check_int("seed", seed, lo=0))
    keys = rng.standard_normal((n, d)).astype(np.float32)
    values = rng.integers(0, k, size=n, dtype=np.int64)
    return FactData(keys=keys, values=values, probs=zipf_probs(n, zipf), n_values=k, zipf=float(zipf))


class FactStream:
    """I.i.d. stream of fact indices drawn by frequency, optionally restricted to a selected subset.

    Restricting to a subset is data pruning: examples of pruned facts are skipped, the remaining
    ones keep their natural relative frequencies. ``set_mask(mask)`` trains only on facts where ``mask``
    is true (``None``: all facts); ``sample(batch)`` returns ``batch`` fact indices.

    Parameters
    ----------
    probs : ndarray, shape (N,)
        Fact frequencies.
    seed : int, default 0
        Seed of the stream.

    Examples
    --------
    >>> import numpy as np
    >>> stream = FactStream(make_facts(8, 4, zipf=1.0).probs, seed=0)
    >>> stream.sample(6).tolist()
    [2, 0, 0, 0, 4, 6]
    >>> stream.set_mask(np.arange(8) < 2)
    >>> stream.sample(6).tolist()
    [0, 1, 0, 1, 1, 0]

    See docs/theory/capacity.md §4.
    """

    def __init__(self, probs: np.ndarray, seed: int = 0):
        self._probs = np.asarray(probs, dtype=np.float64)
        self._rng = np.random.default_rng(seed)
        self.set_mask(None)

    def set_mask(self, mask) -> None:
        """Train only on facts where ``mask`` is true (``None``: all facts)."""
        w = self._probs if mask is None else np.where(mask, self._probs, 0.0)
        cdf = np.cumsum(w)
        if cdf[-1] <= 0:
            raise ValueError("mask must select at least one fact with positive frequency")
        self._cdf = cdf / cdf[-1]

    def sample(self, batch: int) -> np.ndarray:
        """``batch`` fact indices."""
        u = self._rng.random(batch)
        return np.minimum(np.searchsorted(self._cdf, u, side="right"), self._cdf.size - 1)
