"""Capacity limits on fact accuracy (docs/theory/capacity.md §2, §4, reconstruction).

* Rate–distortion (Fano) bound: ``g_K(p) = log2 K − h(p) − (1−p) log2(K−1)``, the information a
  fact must carry to be recalled with probability ``p``; it equals the binary divergence
  ``D(p ‖ 1/K)`` in bits. ``N·g_K(p̄) <= C`` caps the mean accuracy at ``p*(C, N, K)`` (§3.3a).
* Memorize-a-subset limit: ``m* = min(N, C/H)`` facts stored exactly, accuracy
  ``m*/N + (1 − m*/N)/K`` (§3.3b).
* Frequency-weighted optimum: memorise the ``m*`` most frequent facts (§3.4); for Zipf weights the
  covered mass is ``H_{m*}(s)/H_N(s)``.

All functions take ``K`` through ``H = log2 K`` internally and never form ``K`` itself, so
``N`` and ``K`` up to ``1e15`` and far beyond are safe.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from memtheory.core.checks import check_positive
from .facts import capacity_bits, check_n_facts, entropy_bits, normalize_frequencies, resolve_bits_per_param
from .zipf import check_zipf, facts_with_exposures, harmonic

__all__ = [
    "CapacityBounds",
    "capacity_bounds",
    "fano_bits",
    "fano_bits_scalar",
    "m_star",
    "p_star",
    "subset_accuracy",
    "weighted_optimum",
]

_LN2 = math.log(2.0)


def _log_one_minus_invk(h: float) -> float:
    """``ln(1 − 1/K)`` for ``K = 2^h`` (accurate for huge ``K`` where ``1 − 1/K`` rounds to 1)."""
    return math.log1p(-math.exp(-h * _LN2))


def _fano_from_logs(p: float, q: float, lnp: float, lnq: float, h: float, ln_1mk: float) -> float:
    """``D(p ‖ 1/K)`` in bits from ``p``, ``1−p`` and their logs (``p*ln p`` taken as 0 at ``p = 0``)."""
    a = p * (lnp + h * _LN2) if p > 0 else 0.0
    b = q * (lnq - ln_1mk) if q > 0 else 0.0
    return (a + b) / _LN2


def fano_bits_scalar(p: float, h: float, *, clip: bool = True) -> float:
    """Scalar :func:`fano_bits` for a given ``H = log2 K`` (no validation; used in hot loops)."""
    if clip and (p <= 0.0 or math.log(p) <= -h * _LN2):  # p <= 1/K without forming K
        return 0.0
    lnp = math.log(p) if p > 0 else -math.inf
    lnq = math.log1p(-p) if p < 1 else -math.inf
    return _fano_from_logs(p, 1.0 - p, lnp, lnq, h, _log_one_minus_invk(h))


def fano_bits(p, values, *, clip: bool = True):
    """Rate–distortion / Fano function ``g_K(p)`` in bits per fact (docs/theory/capacity.md §2).

    ``g_K(p) = log2 K − h2(p) − (1−p)·log2(K−1) = p·log2(pK) + (1−p)·log2((1−p)K/(K−1))``,
    the rate–distortion function of a uniform ``K``-ary source at Hamming distortion ``1−p``.

    See docs/theory/capacity.md §2.

    Parameters
    ----------
    p : float or array_like
        Recall probabilities in ``[0, 1]``.
    values : float or sequence of float
        Alphabet size ``K >= 2`` (or per-attribute sizes; the fact is then one symbol over their
        product, ``H = Σ log2 K_a``).
    clip : bool
        If true (docs/theory/capacity.md §7), ``g = 0`` for ``p <= 1/K``; otherwise the divergence itself, which is
        still a valid Fano lower bound on ``I(V; θ)`` below chance.

    Returns
    -------
    float or ndarray
        Bits, shaped like ``p``.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> capacity.fano_bits([0.25, 0.5, 1.0], 4).round(4)
    array([0.    , 0.2075, 2.    ])
    >>> capacity.fano_bits(1.0, [4, 4])
    4.0
    """
    h = entropy_bits(values)
    arr = np.asarray(p, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any((arr < 0) | (arr > 1)):
        raise ValueError("p must lie in [0, 1]")
    ln_1mk = _log_one_minus_invk(h)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 - arr
        a = np.where(arr > 0, arr * (np.log(np.where(arr > 0, arr, 1.0)) + h * _LN2), 0.0)
        b = np.where(q > 0, q * (np.log1p(-np.where(q > 0, arr, 0.0)) - ln_1mk), 0.0)
        g = (a + b) / _LN2
    if clip:
        # p <= 1/K  <=>  ln p <= -H ln 2 (compared in logs: 1/K underflows for huge K)
        below = np.log(np.maximum(arr, 1e-320)) <= -h * _LN2
        g = np.where(below | (arr == 0), 0.0, g)
    g = np.maximum(g, 0.0)  # rounding near p = 1/K; the divergence is never negative
    return float(g) if np.ndim(p) == 0 else g


def _expit_pair(t: float) -> tuple[float, float, float, float]:
    """``p = σ(t)``, ``1−p = σ(−t)`` and both logs, each without cancellation."""
    if t >= 0:
        e = math.exp(-t)
        lnp = -math.log1p(e)
        lnq = -t + lnp
    else:
        e = math.exp(t)
        lnq = -math.log1p(e)
        lnp = t + lnq
    return math.exp(lnp), math.exp(lnq), lnp, lnq


def _p_star_from_rate(r: float, h: float) -> float:
    """Root ``p`` of ``g_K(p) = r`` on ``[1/K, 1]`` for ``0 < r < H`` (docs/theory/capacity.md §2).

    Solved in the logit ``t = ln(p/(1−p))``: ``dg/dt = (t/ln2 + log2(K−1))·p(1−p)``, so both the
    ``p → 1/K`` end (huge K) and the ``p → 1`` end keep full relative precision. Safeguarded
    Newton: bisection whenever a step leaves the bracket.
    """
    ln_1mk = _log_one_minus_invk(h)
    chance = 2.0**-h
    # Near p = 1/K the divergence is quadratic, D ≈ (p − π)²/(2π(1−π) ln 2) bits, and evaluating D
    # itself cancels catastrophically; where the cubic correction (relative size (p−π)/π) is below
    # 1e-8 the quadratic root is exact to double precision.
    if chance > 0.0 and 2.0 * _LN2 * r * (1.0 - chance) < 1e-16 * chance:
        return chance + math.sqrt(2.0 * _LN2 * r * chance * (1.0 - chance))
    log2_km1 = h + ln_1mk / _LN2  # log2(K − 1)
    t_lo = -log2_km1 * _LN2  # p = 1/K, g = 0
    t_hi = max(t_lo + 1.0, 1.0)

    def f(t):
        p, q, lnp, lnq = _expit_pair(t)
        return _fano_from_logs(p, q, lnp, lnq, h, ln_1mk) - r, (t / _LN2 + log2_km1) * p * q

    while f(t_hi)[0] < 0:
        t_lo, t_hi = t_hi, 2.0 * t_hi + 8.0
        if t_hi > 1e4:
            break
    # Start at the subset accuracy x = r/H (a lower bound on p*, docs/theory/capacity.md §3) pushed up by the
    # leading correction h2(x)/H; it is within a few per cent of the root for every K.
    x = r / h
    p0 = min(x + (-(x * math.log2(x) + (1 - x) * math.log2(1 - x)) if 0 < x < 1 else 0.0) / h, 1 - 1e-12)
    t = math.log(p0) - math.log1p(-p0) if p0 > 0.0 else t_lo
    if not (t_lo < t < t_hi):
        t = 0.5 * (t_lo + t_hi)
    for _ in range(200):
        val, der = f(t)
        if val == 0:
            break
        if val < 0:
            t_lo = t
        else:
            t_hi = t
        step_ok = der > 0
        t_new = t - val / der if step_ok else 0.5 * (t_lo + t_hi)
        if not (t_lo < t_new < t_hi):
            t_new = 0.5 * (t_lo + t_hi)
        if abs(t_new - t) <= 4e-16 * max(1.0, abs(t)) or t_hi - t_lo <= 4e-16 * max(1.0, abs(t)):
            t = t_new
            break
        t = t_new
    return _expit_pair(t)[0]


def p_star(capacity, n_facts, values) -> float:
    """Rate–distortion (Fano) bound ``p*(C, N, K)`` on the mean fact accuracy (docs/theory/capacity.md §2).

    The root of ``N·g_K(p) = C`` on ``[1/K, 1]``; ``1`` when ``C >= N·H``.

    See docs/theory/capacity.md §2.

    Parameters
    ----------
    capacity : float
        ``C > 0`` bits.
    n_facts : float
        ``N > 0``.
    values : float or sequence of float
        Alphabet size ``K >= 2`` or per-attribute sizes (exact match of all attributes).

    Returns
    -------
    float
        ``p*`` (achievable only by joint coding across facts, docs/theory/capacity.md §2).

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> round(capacity.p_star(1000.0, 1e3, 4), 4), capacity.p_star(1e6, 1e3, 4)
    (0.8107, 1.0)
    """
    c = check_positive("capacity", capacity)
    n = check_n_facts(n_facts)
    h = entropy_bits(values)
    r = c / n
    if r >= h:
        return 1.0
    return _p_star_from_rate(r, h)


def m_star(capacity, n_facts, values) -> float:
    """Memorize-a-subset count ``m* = min(N, C/H)`` of exactly stored facts (docs/theory/capacity.md §3–c).

    See docs/theory/capacity.md §3.

    Parameters
    ----------
    capacity : float
        ``C > 0`` bits.
    n_facts : float
        ``N > 0``.
    values : float or sequence of float
        Alphabet size ``K >= 2`` or per-attribute sizes.

    Returns
    -------
    float
        ``m*`` (not rounded: a fractional fact is a partial budget).

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> capacity.m_star(1000.0, 1e3, 4), capacity.m_star(1e6, 1e3, 4)
    (500.0, 1000.0)
    """
    c = check_positive("capacity", capacity)
    n = check_n_facts(n_facts)
    return min(n, c / entropy_bits(values))


def subset_accuracy(capacity, n_facts, values) -> float:
    """Memorize-a-subset accuracy ``m*/N + (1 − m*/N)/K`` (docs/theory/capacity.md §3).

    See docs/theory/capacity.md §3.

    Parameters
    ----------
    capacity, n_facts, values
        As in :func:`m_star`.

    Returns
    -------
    float
        Mean accuracy when ``m*`` facts are stored exactly and the rest are guessed.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> capacity.subset_accuracy(1000.0, 1e3, 4)
    0.625
    """
    h = entropy_bits(values)
    frac = m_star(capacity, n_facts, values) / check_n_facts(n_facts)
    return frac + (1.0 - frac) * 2.0**-h


def _covered_mass(m: float, n: float, zipf: float | None, weights: np.ndarray | None) -> float:
    """Share of frequency mass in the ``m`` most frequent facts (fractional ``m`` interpolated)."""
    if m >= n:
        return 1.0
    k = math.floor(m)
    frac = m - k
    if weights is not None:
        w = np.sort(weights)[::-1]
        top = math.fsum(w[:k].tolist())
        return top + (frac * float(w[k]) if k < w.size else 0.0)
    s = 0.0 if zipf is None else zipf
    top = harmonic(k, s) if k >= 1 else 0.0
    return (top + frac * (k + 1) ** -s) / harmonic(n, s)


def weighted_optimum(capacity, n_facts, values, *, zipf=None, frequencies=None) -> float:
    """Best frequency-weighted accuracy under the subset limit (docs/theory/capacity.md §4).

    ``acc_w* = W(m*) + (1 − W(m*))/K`` with ``W(m)`` the frequency mass of the ``m`` most frequent
    facts; for Zipf weights ``W(m) = H_m(s)/H_N(s)`` (generalized harmonic numbers, fractional ``m``
    interpolated linearly in the next fact's weight).

    See docs/theory/capacity.md §4.

    Parameters
    ----------
    capacity, n_facts, values
        As in :func:`p_star`.
    zipf : float, optional
        Zipf exponent ``s >= 0`` (``q_i ∝ i^{-s}``).
    frequencies : array_like, optional
        Given per-fact counts or probabilities (length ``N``); exclusive with ``zipf``.

    Returns
    -------
    float
        ``acc_w*``; equals :func:`subset_accuracy` for uniform frequencies.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> round(capacity.weighted_optimum(1000.0, 1e3, 4, zipf=1.0), 4)
    0.9306
    >>> capacity.weighted_optimum(1000.0, 1e3, 4)
    0.625
    """
    c = check_positive("capacity", capacity)
    n = check_n_facts(n_facts)
    h = entropy_bits(values)
    if zipf is not None and frequencies is not None:
        raise ValueError("give at most one of zipf and frequencies")
    w = None
    if frequencies is not None:
        w = normalize_frequencies(frequencies, n)
    elif zipf is not None:
        zipf = check_zipf(zipf)
        if n < 1:
            raise ValueError(f"n_facts must be >= 1 with a Zipf law, got {n_facts!r}")
        n = float(math.floor(n))
    m = min(n, c / h)
    mass = _covered_mass(m, n, zipf, w) if (w is not None or zipf) else m / n
    return mass + (1.0 - mass) * 2.0**-h


@dataclass(frozen=True)
class CapacityBounds:
    """Every bound of the capacity calculator (docs/theory/capacity.md §7 outputs 1, 2 and 5).

    See docs/theory/capacity.md §7.

    Attributes
    ----------
    params, bits_per_param, capacity_bits : float
        ``P``, ``b`` and ``C = b·P``.
    n_facts, entropy_bits, info_ratio : float
        ``N``, ``H = Σ log2 K_a`` and ``x = N·H/C``.
    m_star : float
        ``min(N, C/H)`` facts storable exactly (§3.3b–c).
    subset_accuracy : float
        ``m*/N + (1 − m*/N)/K`` (§3.3b).
    p_star : float
        Rate–distortion bound on mean accuracy (§3.3a).
    weighted_accuracy : float
        Frequency-weighted optimum (§3.4); equals ``subset_accuracy`` for uniform frequencies.
    zipf : float or None
        Zipf exponent used (``None``: uniform or given frequencies).
    facts_with_min_exposures : int or None
        Facts with ``E q_i >= E*`` (§8 output 5) when ``exposures`` and ``min_exposures`` are given.

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> b = capacity.capacity_bounds(1e6, 2.0, 1e6, 100)
    >>> round(b.info_ratio, 4), round(b.m_star), round(b.subset_accuracy, 4), round(b.p_star, 4)
    (3.3219, 301030, 0.308, 0.4492)
    """

    params: float
    bits_per_param: float
    capacity_bits: float
    n_facts: float
    entropy_bits: float
    info_ratio: float
    m_star: float
    subset_accuracy: float
    p_star: float
    weighted_accuracy: float
    zipf: float | None = None
    exposures: float | None = None
    min_exposures: float | None = None
    facts_with_min_exposures: int | None = None

    def to_dict(self) -> dict:
        """Plain ``dict`` (JSON-serialisable)."""
        return asdict(self)


def capacity_bounds(params, bits_per_param, n_facts, values, *, zipf=None, frequencies=None, exposures=None,
           min_exposures=None) -> CapacityBounds:
    """Compute every capacity bound for one configuration (the calculator of docs/theory/capacity.md §7).

    See docs/theory/capacity.md §7.

    Parameters
    ----------
    params : float
        ``P > 0`` parameters.
    bits_per_param : float or str
        ``b > 0`` or a preset (:data:`memtheory.solvers.capacity.BITS_PER_PARAM_PRESETS`).
    n_facts : float
        ``N > 0``.
    values : float or sequence of float
        ``K >= 2`` or per-attribute alphabet sizes.
    zipf : float, optional
        Zipf exponent ``s >= 0`` of the fact frequencies.
    frequencies : array_like, optional
        Given per-fact counts/probabilities (exclusive with ``zipf``).
    exposures, min_exposures : float, optional
        Total exposures ``E`` and threshold ``E*`` for the exposure count (§8 output 5; needs
        ``zipf``, or uniform frequencies when ``zipf`` is ``None`` and no ``frequencies``).

    Returns
    -------
    CapacityBounds

    Examples
    --------
    >>> from memtheory.solvers import capacity
    >>> b = capacity.capacity_bounds(1e6, 2.0, 1e6, 100, zipf=1.0)
    >>> round(b.m_star), round(b.subset_accuracy, 4), round(b.weighted_accuracy, 4)
    (301030, 0.308, 0.9174)
    """
    b = resolve_bits_per_param(bits_per_param)
    c = capacity_bits(params, b)
    n = check_n_facts(n_facts)
    h = entropy_bits(values)
    count = None
    if (exposures is None) != (min_exposures is None):
        raise ValueError("give both exposures and min_exposures, or neither")
    if exposures is not None:
        if frequencies is not None:
            w = normalize_frequencies(frequencies, n)
            e = check_positive("exposures", exposures)
            e_star = check_positive("min_exposures", min_exposures)
            count = int(np.count_nonzero(e * w >= e_star))
        else:
            count = facts_with_exposures(n, 0.0 if zipf is None else zipf, exposures, min_exposures)
    return CapacityBounds(
        params=float(params),
        bits_per_param=b,
        capacity_bits=c,
        n_facts=n,
        entropy_bits=h,
        info_ratio=n * h / c,
        m_star=m_star(c, n, values),
        subset_accuracy=subset_accuracy(c, n, values),
        p_star=p_star(c, n, values),
        weighted_accuracy=weighted_optimum(c, n, values, zipf=zipf, frequencies=frequencies),
        zipf=None if zipf is None else check_zipf(zipf),
        exposures=None if exposures is None else float(exposures),
        min_exposures=None if min_exposures is None else float(min_exposures),
        facts_with_min_exposures=count,
    )
