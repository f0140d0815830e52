"""Generalized harmonic numbers and exposure counts (docs/theory/capacity.md §4, §7 output 5) against mpmath / brute force."""

import math

import mpmath as mp
import numpy as np
import pytest

from memtheory.solvers.capacity import facts_with_exposures, harmonic, zipf_weights

mp.mp.dps = 50


def harmonic_mp(n, s):
    n = int(n)
    if s == 1:
        return mp.harmonic(n)
    if s == 0:
        return mp.mpf(n)
    return mp.zeta(s) - mp.zeta(s, n + 1)  # valid for every s != 1 by analytic continuation


@pytest.mark.parametrize("s", [0.0, 0.3, 0.5, 0.9, 0.999, 1.0, 1.001, 1.1, 1.5, 2.0, 3.5, 10.0, 39.0, 60.0])
@pytest.mark.parametrize("n", [1, 2, 5, 31, 32, 33, 100, 12345, 1e9, 1e15])
def test_harmonic_matches_mpmath(n, s):
    assert harmonic(n, s) == pytest.approx(float(harmonic_mp(n, s)), rel=2e-14)


def test_harmonic_brute_force_and_huge_n():
    for s in (0.5, 1.0, 1.7):
        n = 5000
        assert harmonic(n, s) == pytest.approx(math.fsum(i**-s for i in range(1, n + 1)), rel=1e-14)
    # n far beyond 1e15 stays finite
    assert math.isfinite(harmonic(1e300, 0.5))
    assert harmonic(1e300, 0.0) == 1e300
    assert harmonic(1e300, 2.0) == pytest.approx(math.pi**2 / 6, rel=1e-15)


def test_zipf_weights():
    w = zipf_weights(1000, 1.2)
    assert w.sum() == pytest.approx(1.0, rel=1e-15)
    assert np.all(np.diff(w) < 0)
    assert w[0] == pytest.approx(1 / float(harmonic_mp(1000, 1.2)), rel=1e-13)
    assert np.allclose(zipf_weights(10, 0), 0.1)


@pytest.mark.parametrize("s", [0.0, 0.5, 1.0, 1.1, 2.0])
def test_facts_with_exposures_brute_force(s):
    n = 3000
    q = zipf_weights(n, s)
    for e in (1e3, 1e5, 3e6):
        for e_star in (1, 10, 100, 1000):
            want = int(np.count_nonzero(e * q >= e_star * (1 - 1e-12)))
            assert facts_with_exposures(n, s, e, e_star) == want


def test_facts_with_exposures_huge_n_against_mpmath():
    n, s, e, e_star = 1e15, 1.1, 1e12, 100
    hn = harmonic_mp(n, s)
    want = int(mp.floor((mp.mpf(e) / (e_star * hn)) ** (1 / mp.mpf(s))))
    assert facts_with_exposures(n, s, e, e_star) == want
    # exact boundary: E q_i = E* exactly at i = 8 for s = 1, n = 8 -> H_8(1) = 761/280
    e = 100 * 8 * 761 / 280
    assert facts_with_exposures(8, 1.0, e, 100) in (7, 8)  # ties resolved within one ulp
    assert facts_with_exposures(8, 1.0, e * (1 + 1e-9), 100) == 8
    assert facts_with_exposures(8, 1.0, e * (1 - 1e-9), 100) == 7


def test_uniform_exposure_count():
    assert facts_with_exposures(100, 0, 1e4, 100) == 100
    assert facts_with_exposures(100, 0, 1e4, 101) == 0


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: harmonic(0, 1), "n"),
        (lambda: harmonic(10, -1), "zipf"),
        (lambda: facts_with_exposures(10, 1, 0, 1), "exposures"),
        (lambda: facts_with_exposures(10, 1, 10, -1), "min_exposures"),
        (lambda: zipf_weights(10, -0.1), "zipf"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()
