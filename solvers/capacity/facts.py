"""The fact model and the capacity budget (docs/theory/capacity.md §1, §7, reconstruction).

``N`` keys each carry a value drawn uniformly from ``K`` symbols; an entity with several attributes
``K_1, K_2, ...`` carries ``H = Σ_a log2 K_a`` bits (§3.2). Everything is kept in ``log2`` form so
that ``K`` (or the product of several alphabets) far beyond ``1e15`` never overflows. The learner's
capacity is ``C = b·P`` bits for ``P`` parameters at ``b`` bits per parameter (§7.1, §7.2, §8).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_nonnegative, check_positive

__all__ = [
    "BITS_PER_PARAM_PRESETS",
    "FactSpec",
    "capacity_bits",
    "check_n_facts",
    "check_values",
    "entropy_bits",
    "normalize_frequencies",
    "resolve_bits_per_param",
]

#: Calibrations of ``b`` (bits per parameter) from the anchors of docs/theory/capacity.md §5, §7.
BITS_PER_PARAM_PRESETS: dict[str, float] = {
    "allen-zhu-1000": 2.0,  # Allen-Zhu & Li, Result 1: 1000 exposures
    "allen-zhu-100": 1.0,  # Allen-Zhu & Li, Result 4: 100 exposures
    "morris": 3.6,  # Morris et al., raw random-token memorization (abstract)
    "morris-bf16": 3.51,
    "morris-fp32": 3.83,
}


def check_n_facts(n_facts) -> float:
    """Return ``N`` as a float, requiring ``0 < N < inf`` (``ValueError`` names ``n_facts``)."""
    return check_positive("n_facts", n_facts)


def check_values(values) -> tuple[float, ...]:
    """Return the value-alphabet sizes as a tuple of floats, each required to be ``>= 2``.

    ``values`` is one alphabet size ``K`` or an iterable of per-attribute sizes ``K_a``.
    """
    if isinstance(values, (str, bytes)):
        raise ValueError(f"values must be a number >= 2 or a list of numbers >= 2, got {values!r}")
    seq = list(values) if isinstance(values, Iterable) else [values]
    if not seq:
        raise ValueError("values must contain at least one alphabet size (each >= 2)")
    out = []
    for k in seq:
        x = check_positive("values", k)
        if x < 2:
            raise ValueError(f"values (alphabet size K) must be >= 2 (allowed range [2, inf)), got {k!r}")
        out.append(x)
    return tuple(out)


def entropy_bits(values) -> float:
    """Entropy ``H = Σ_a log2 K_a`` of one fact in bits (docs/theory/capacity.md §1, multi-attribute entities).

    See docs/theory/capacity.md §1.

    Parameters
    ----------
    values : float or sequence of float
        Alphabet size ``K`` (values uniform over ``K`` symbols) or one size per attribute.

    Returns
    -------
    float
        ``H`` in bits; finite for any finite ``K_a``, no product is ever formed.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> capacity.entropy_bits(1024), round(capacity.entropy_bits([100, 12]), 4)
    (10.0, 10.2288)
    """
    return math.fsum(math.log2(k) for k in check_values(values))


def resolve_bits_per_param(bits_per_param) -> float:
    """Return ``b`` from a number ``> 0`` or a preset name of :data:`BITS_PER_PARAM_PRESETS`."""
    if isinstance(bits_per_param, str):
        key = bits_per_param.lower()
        if key in BITS_PER_PARAM_PRESETS:
            return BITS_PER_PARAM_PRESETS[key]
        try:
            bits_per_param = float(bits_per_param)
        except ValueError:
            raise ValueError(
                f"bits_per_param must be a number > 0 or one of {', '.join(BITS_PER_PARAM_PRESETS)}, "
                f"got {bits_per_param!r}"
            ) from None
    return check_positive("bits_per_param", bits_per_param)


def capacity_bits(params, bits_per_param=2.0) -> float:
    """Capacity ``C = b·P`` in bits (docs/theory/capacity.md §1, §7 output 1).

    See docs/theory/capacity.md §1 and §7.

    Parameters
    ----------
    params : float
        Parameter count ``P > 0`` (state its counting convention where you report it, docs/theory/capacity.md §4).
    bits_per_param : float or str
        ``b > 0`` or a preset name of :data:`BITS_PER_PARAM_PRESETS` (default 2, Allen-Zhu & Li).

    Returns
    -------
    float
        ``C = b·P`` in bits.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> capacity.capacity_bits(1e6), capacity.capacity_bits(1e6, 3.5)
    (2000000.0, 3500000.0)
    """
    p = check_positive("params", params)
    b = resolve_bits_per_param(bits_per_param)
    c = b * p
    if c == 0.0 or not math.isfinite(c):
        raise ValueError(f"capacity C = bits_per_param * params must be a positive finite float "
                         f"(allowed range of the product ({5e-324:g}, {1.7976931348623157e308:g})); "
                         f"params={params!r}, bits_per_param={b!r} give {c!r}")
    return c


def normalize_frequencies(frequencies, n_facts=None) -> np.ndarray:
    """Turn given per-fact counts or probabilities into a probability vector (docs/theory/capacity.md §1).

    Parameters
    ----------
    frequencies : array_like
        Non-negative, finite, not all zero. If it holds probabilities (floats) they are renormalised;
        counts are divided by their total.
    n_facts : float, optional
        If given, the vector must have exactly this many entries.

    Raises
    ------
    ValueError
        Naming ``frequencies`` when the input is not (proportional to) a distribution.
    """
    try:
        w = np.asarray(frequencies, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("frequencies must be a 1-D array of non-negative numbers") from None
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"frequencies must be a non-empty 1-D array, got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("frequencies must be finite and >= 0 (allowed range [0, inf) per fact)")
    total = math.fsum(w.tolist())
    if total <= 0:
        raise ValueError("frequencies must not all be zero (they must form a distribution)")
    if n_facts is not None and w.size != int(round(float(n_facts))):
        raise ValueError(f"frequencies must have n_facts={n_facts!r} entries, got {w.size}")
    return w / total


@dataclass(frozen=True)
class FactSpec:
    """A set of facts (docs/theory/capacity.md §1): ``N`` keys, value alphabets, frequency law.

    See docs/theory/capacity.md §1.

    Attributes
    ----------
    n_facts : float
        ``N > 0`` (float so that ``N`` up to ``1e15`` and beyond is allowed).
    values : tuple of float
        Alphabet size per attribute, each ``>= 2``; ``H = Σ log2 K_a``.
    zipf : float or None
        Zipf exponent ``s >= 0`` of the fact frequencies ``q_i ∝ i^{-s}`` (``None`` or 0: uniform).

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> spec = capacity.FactSpec(n_facts=1e5, values=(100, 12))
    >>> spec.values, spec.zipf
    ((100.0, 12.0), None)
    >>> round(capacity.entropy_bits(spec.values), 4)
    10.2288
    """

    n_facts: float
    values: tuple[float, ...]
    zipf: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "n_facts", check_n_facts(self.n_facts))
        object.__setattr__(self, "values", check_values(self.values))
        if self.zipf is not None:
            object.__setattr__(self, "zipf", check_nonnegative("zipf", self.zipf))

    @property
    def entropy_bits(self) -> float:
        """``H = Σ_a log2 K_a`` bits per fact."""
        return entropy_bits(self.values)

    @property
    def total_bits(self) -> float:
        """``N·H``: information in all facts."""
        return self.n_facts * self.entropy_bits
