"""Capacity bounds (docs/theory/capacity.md §2, §4, §7) against mpmath at high precision and known limits."""

import json
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memtheory.solvers.capacity import (
    capacity_bounds,
    capacity_bits,
    entropy_bits,
    fano_bits,
    m_star,
    p_star,
    subset_accuracy,
    weighted_optimum,
)

mp.mp.dps = 60


def g_mp(p, k):
    """Spec §3.3a in its original form log2 K − h(p) − (1−p) log2(K−1), at 60 digits."""
    p, k = mp.mpf(p), mp.mpf(k)
    h = -(p * mp.log(p, 2) + (1 - p) * mp.log(1 - p, 2)) if 0 < p < 1 else mp.mpf(0)
    return mp.log(k, 2) - h - (1 - p) * mp.log(k - 1, 2)


def p_star_mp(c, n, k):
    """Bisection of N·g_K(p) = C on [1/K, 1] in 60-digit arithmetic (independent of the solver)."""
    c, n, k = mp.mpf(c), mp.mpf(n), mp.mpf(k)
    if c >= n * mp.log(k, 2):
        return mp.mpf(1)
    lo, hi = 1 / k, mp.mpf(1)
    for _ in range(230):
        mid = (lo + hi) / 2
        if n * g_mp(mid, k) < c:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


KS = [2, 3, 10, 100, 256, 1e4, 1e7, 1e10, 1e15]


@pytest.mark.parametrize("k", KS)
def test_fano_bits_matches_mpmath(k):
    ps = [1 / k * 1.5, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-9, 1.0]
    ps = [p for p in ps if p > 1 / k * 1.01]
    got = fano_bits(np.array(ps), k)
    for p, g in zip(ps, got):
        want = g_mp(p, k)
        assert g == pytest.approx(float(want), rel=1e-11, abs=1e-13 * math.log2(k))


def test_fano_bits_endpoints_and_clip():
    for k in KS:
        h = math.log2(k)
        assert fano_bits(1.0, k) == pytest.approx(h, rel=1e-15)
        assert fano_bits(1.0 / k, k) == pytest.approx(0.0, abs=1e-12)
        assert fano_bits(0.0, k) == 0.0  # clipped below chance (docs/theory/capacity.md §7)
    # Unclipped at p = 0 is the divergence D(0 || 1/K) = log2(K/(K-1)).
    assert fano_bits(0.0, 10, clip=False) == pytest.approx(math.log2(10 / 9), rel=1e-14)
    # Several attributes behave as one symbol over the product alphabet.
    assert fano_bits(0.7, [10, 100]) == pytest.approx(fano_bits(0.7, 1000), rel=1e-13)


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("x", [0.01, 0.1, 0.25, 0.5, 0.9, 0.999])
def test_p_star_matches_mpmath(k, x):
    n = 1000.0
    c = x * n * math.log2(k)
    got = p_star(c, n, k)
    want = p_star_mp(c, n, k)
    assert got == pytest.approx(float(want), rel=1e-12)


@pytest.mark.parametrize("n,k", [(1e15, 1e15), (1e15, 2), (1e12, 1e7), (3.0, 1e15)])
def test_p_star_huge_n_and_k(n, k):
    for x in (1e-3, 0.3, 0.97):
        c = x * n * math.log2(k)
        got = p_star(c, n, k)
        assert math.isfinite(got)
        assert got == pytest.approx(float(p_star_mp(c, n, k)), rel=1e-11)


def test_spec_table_reproduced():
    # docs/theory/capacity.md §2 table (its own, independent computation; given to 3 decimals)
    table = {2: (0.786, 0.890, 0.987), 10: (0.529, 0.738, 0.965), 100: (0.394, 0.641, 0.946),
             1e4: (0.318, 0.574, 0.928), 1e7: (0.287, 0.543, 0.918)}
    for k, row in table.items():
        for x, want in zip((0.25, 0.5, 0.9), row):
            assert p_star(x * math.log2(k), 1, k) == pytest.approx(want, abs=1.1e-3)
            assert subset_accuracy(x * math.log2(k), 1, k) == pytest.approx(x + (1 - x) / k, rel=1e-14)


def test_enough_capacity_gives_accuracy_one():
    for k in KS:
        n = 1234.0
        c = n * math.log2(k)
        for cc in (c, 1.5 * c, 1e9 * c):
            assert p_star(cc, n, k) == 1.0
            assert subset_accuracy(cc, n, k) == 1.0
            assert m_star(cc, n, k) == n
            assert weighted_optimum(cc, n, k, zipf=1.1) == 1.0


def test_large_k_makes_the_bounds_meet():
    x = 0.4
    gaps = []
    for k in (10, 1e3, 1e7, 1e15, 1e50, 1e200):
        c = x * math.log2(k)
        gap = p_star(c, 1, k) - subset_accuracy(c, 1, k)
        assert gap > 0
        gaps.append(gap)
    assert all(a > b for a, b in zip(gaps, gaps[1:]))  # shrinks monotonically with K
    assert gaps[-1] < 2e-3 and gaps[0] > 0.1
    # the leading gap is h2(x)/log2 K: p* ≈ x + h2(p*)/H for large H
    k = 1e200
    h2 = -(x * math.log2(x) + (1 - x) * math.log2(1 - x))
    assert gaps[-1] == pytest.approx(h2 / math.log2(k), rel=0.02)


@settings(max_examples=200, deadline=None)
@given(x=st.floats(1e-6, 0.999999), logk=st.floats(0.7, 200.0), logn=st.floats(0, 15))
def test_rate_distortion_bound_dominates_subset(x, logk, logn):
    k, n = 10.0 ** logk, 10.0 ** logn
    c = x * n * math.log2(k)
    ps = p_star(c, n, k)
    assert subset_accuracy(c, n, k) <= ps * (1 + 1e-12)
    assert 1 / k * (1 - 1e-12) <= ps <= 1.0
    # the root really solves N·g_K(p) = C
    assert n * fano_bits(ps, k) == pytest.approx(c, rel=1e-9)
    assert p_star(c * 1.01, n, k) >= ps


def test_weighted_optimum_brute_force():
    n, k, s = 37, 50, 1.3
    w = np.arange(1, n + 1, dtype=float) ** -s
    w /= w.sum()
    h = math.log2(k)
    for m in (0.0, 1.0, 5.5, 17.25, 36.9, 37):
        c = max(m, 1e-9) * h
        mm = min(n, c / h)
        whole = math.floor(mm)
        mass = w[:whole].sum() + (mm - whole) * (w[whole] if whole < n else 0)
        want = mass + (1 - mass) / k
        assert weighted_optimum(c, n, k, zipf=s) == pytest.approx(want, rel=1e-12)
        perm = np.random.default_rng(0).permutation(n)
        assert weighted_optimum(c, n, k, frequencies=w[perm] * 7) == pytest.approx(want, rel=1e-12)
    # uniform frequencies: the weighted optimum is the subset accuracy
    assert weighted_optimum(10 * h, n, k) == pytest.approx(subset_accuracy(10 * h, n, k), rel=1e-15)
    assert weighted_optimum(10 * h, n, k, zipf=0.0) == pytest.approx(subset_accuracy(10 * h, n, k), rel=1e-13)


def test_weighted_optimum_huge_zipf_against_mpmath():
    n, k, s, m = 1e15, 1e7, 1.1, 9.46e6
    h = math.log2(k)
    c = m * h
    top = mp.zeta(s) - mp.zeta(s, int(m) + 1) + (m - int(m)) * mp.mpf(int(m) + 1) ** -s
    mass = top / (mp.zeta(s) - mp.zeta(s, mp.mpf(n) + 1))
    want = mass + (1 - mass) / k
    assert weighted_optimum(c, n, k, zipf=s) == pytest.approx(float(want), rel=1e-12)


def test_bounds_calculator_worked_example():
    # docs/theory/capacity.md §7 worked example: 110M params at 2 bits/param, K = 1e7 -> m* ≈ 9.46M facts
    b = capacity_bounds(110e6, 2, 1e7, 1e7, zipf=1.1, exposures=1e9, min_exposures=100)
    assert b.capacity_bits == 2.2e8
    assert b.m_star == pytest.approx(9.46e6, rel=1e-3)
    assert b.entropy_bits == pytest.approx(math.log2(1e7), rel=1e-15)
    assert b.info_ratio == pytest.approx(1e7 * math.log2(1e7) / 2.2e8, rel=1e-15)
    assert b.subset_accuracy <= b.p_star <= 1
    assert b.weighted_accuracy > b.subset_accuracy  # frequent facts first
    json.dumps(b.to_dict())
    assert capacity_bounds(110e6, "allen-zhu-1000", 1e7, 1e10).m_star == pytest.approx(6.62e6, rel=1e-3)
    assert capacity_bounds(1e3, "morris", 10, 2).capacity_bits == pytest.approx(3600)


def test_entropy_and_capacity_helpers():
    assert entropy_bits([10, 100, 2]) == pytest.approx(math.log2(2000), rel=1e-15)
    assert entropy_bits([1e300, 1e300]) == pytest.approx(2 * 300 * math.log2(10), rel=1e-15)
    assert capacity_bits(10, 2.5) == 25


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: p_star(10, 0, 10), "n_facts"),
        (lambda: p_star(10, -5, 10), "n_facts"),
        (lambda: p_star(10, 5, 1.5), "values"),
        (lambda: p_star(0, 5, 10), "capacity"),
        (lambda: capacity_bounds(100, 0, 5, 10), "bits_per_param"),
        (lambda: capacity_bounds(100, -1, 5, 10), "bits_per_param"),
        (lambda: capacity_bounds(100, "nonsense", 5, 10), "bits_per_param"),
        (lambda: capacity_bounds(0, 2, 5, 10), "params"),
        (lambda: weighted_optimum(10, 5, 10, zipf=-0.5), "zipf"),
        (lambda: weighted_optimum(10, 3, 10, frequencies=[1, -1, 1]), "frequencies"),
        (lambda: weighted_optimum(10, 3, 10, frequencies=[0, 0, 0]), "frequencies"),
        (lambda: weighted_optimum(10, 3, 10, frequencies=[1, np.nan, 1]), "frequencies"),
        (lambda: weighted_optimum(10, 3, 10, frequencies=[1, 1]), "frequencies"),
        (lambda: fano_bits(1.2, 10), "p"),
        (lambda: capacity_bounds(100, 2, 5, 10, exposures=10), "exposures"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_several_attributes_far_beyond_float_range():
    # four attributes of 1e300 values each: K = 1e1200 is never formed
    vals = [1e300] * 4
    k_mp = mp.mpf(10) ** 1200
    h = float(mp.log(k_mp, 2))
    assert entropy_bits(vals) == pytest.approx(h, rel=1e-15)
    for x in (0.01, 0.5, 0.99):
        c = x * 1e4 * h
        assert p_star(c, 1e4, vals) == pytest.approx(float(p_star_mp(c, 1e4, k_mp)), rel=1e-11)
    assert fano_bits(0.5, vals) == pytest.approx(float(g_mp(0.5, k_mp)), rel=1e-13)
