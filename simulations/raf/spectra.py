"""Input spectra for anisotropic RAF data: x ~ N(0, Σ) with Σ diagonal (docs/theory/gcm.md).

Every learner in :mod:`memtheory.simulations.raf` penalises ``‖w‖²``, which is rotation invariant, so a
diagonal Σ = diag(ω) loses no generality: a rotated Σ gives the same errors in distribution.
Spectra are normalised to ``mean(ω) = tr Σ/d = 1``.

Names:

* ``"isotropic"``: ω_i = 1;
* ``"powerlaw:a"``: ω_i ∝ i^(−a), ``a >= 0``;
* ``"spike:f:r"``: a fraction ``f ∈ (0, 1)`` of the modes (the first ⌈fd⌉) has ``r > 0`` times the
  variance of the others (a two-level spectrum).
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.core.checks import check_positive_int

__all__ = ["make_spectrum", "check_spectrum_name"]


def check_spectrum_name(name: str | None) -> str | None:
    """Validate a spectrum name (see the module docstring); ``None`` means isotropic."""
    if name is None:
        return None
    make_spectrum(name, 4)
    return str(name).strip().lower()


def make_spectrum(name: str, d: int) -> np.ndarray:
    """Eigenvalues ``ω_1, ..., ω_d`` (mean 1) for a spectrum name (module docstring).

    Parameters
    ----------
    name : str
        ``"isotropic"``, ``"powerlaw:a"`` (ω_i ∝ i^(−a), a >= 0) or ``"spike:f:r"`` (the first ⌈fd⌉ modes
        have r times the variance of the others).
    d : int
        Dimension, >= 1.

    Returns
    -------
    ndarray, shape (d,)
        The variances, normalised to mean 1.

    Examples
    --------
    >>> make_spectrum("powerlaw:1", 4).round(3).tolist()
    [1.92, 0.96, 0.64, 0.48]
    >>> make_spectrum("spike:0.25:3", 4).round(3).tolist()
    [2.0, 0.667, 0.667, 0.667]

    See docs/theory/gcm.md §1.
    """
    d = check_positive_int("d", d)
    if not isinstance(name, str):
        raise ValueError(f"spectrum must be a name such as 'powerlaw:1' or 'spike:0.1:10', got {name!r}")
    parts = name.strip().lower().split(":")
    try:
        values = [float(v) for v in parts[1:]]
    except ValueError:
        raise ValueError(f"spectrum {name!r}: parameters must be numbers") from None
    if any(not math.isfinite(v) for v in values):
        raise ValueError(f"spectrum {name!r}: parameters must be finite")
    kind = parts[0]
    if kind == "isotropic" and not values:
        omega = np.ones(d)
    elif kind == "powerlaw" and len(values) == 1:
        if values[0] < 0:
            raise ValueError(f"spectrum {name!r}: the power-law exponent must be >= 0")
        omega = np.arange(1, d + 1, dtype=float) ** (-values[0])
    elif kind == "spike" and len(values) == 2:
        f, r = values
        if not 0 < f < 1 or r <= 0:
            raise ValueError(f"spectrum {name!r}: need a fraction in (0, 1) and a variance ratio > 0")
        k = max(1, math.ceil(f * d))
        omega = np.ones(d)
        omega[:k] = r
    else:
        raise ValueError(f"unknown spectrum {name!r}; allowed: isotropic, powerlaw:A, spike:F:R")
    return omega / omega.mean()
