"""Regression tests of the audit's numerical faults: hangs, overflows, NaN weights, memory requests.

Every reference is independent of memtheory: mpmath at high precision, a closed form, or an exact
rational sum.
"""

from __future__ import annotations

import time
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest

from memtheory.solvers.capacity import capacity_bounds, p_star
from memtheory.solvers.capacity.zipf import facts_with_exposures
from memtheory.solvers.posterior import (
    MemorizedPrior,
    collapse_sigma,
    collapse_snr,
    collapse_time,
    linear_posterior,
    lookup_weights,
    stylized_sigma_crit,
)

mp.mp.dps = 60


# --- capacity: the exposure count that never returned, tiny rates, underflowing capacity -----------------
def _mp_count(n, s, e, e_star):
    h = mp.zeta(s) - mp.zeta(s, n + 1) if s != 1 else mp.digamma(n + 1) + mp.euler
    return min(mp.floor(n), mp.floor((mp.mpf(e) / (mp.mpf(e_star) * h)) ** (1 / mp.mpf(s))))


@pytest.mark.parametrize("n, s, e, e_star", [
    (1e30, 1.0, 1e26, 1.0),  # the audit's hang: the count ~1.4e24 is far beyond 2**53
    (1e20, 1.3, 1e40, 10.0),  # capped at n
    (1e25, 1.3, 1e40, 10.0),
    (1e9, 1.0, 1e12, 5.0),  # small enough to be settled exactly
])
def test_exposure_count_is_fast_and_matches_mpmath(n, s, e, e_star):
    t0 = time.perf_counter()
    got = facts_with_exposures(n, s, e, e_star)
    assert time.perf_counter() - t0 < 1.0
    want = int(_mp_count(mp.mpf(n), s, e, e_star))
    if want < 2**40:
        assert got == want
    else:
        assert abs(got - want) <= 1e-12 * want


def _mp_p_star(r, k):
    """Root of D(p || 1/K) = r bits on [1/K, 1] by bisection at 400 digits (D ~ (p - 1/K)^2 cancels)."""
    with mp.workdps(400):
        r, k = mp.mpf(r), mp.mpf(k)
        pi = 1 / k

        def g(p):
            return (p * mp.log(p * k) + (1 - p) * mp.log((1 - p) * k / (k - 1))) / mp.log(2) - r

        lo, hi = pi, min(pi + 4 * mp.sqrt(2 * mp.log(2) * r * pi * (1 - pi)), 1 - mp.mpf(10) ** -100)
        assert g(lo) < 0 < g(hi)
        for _ in range(1200):
            mid = (lo + hi) / 2
            if g(mid) < 0:
                lo = mid
            else:
                hi = mid
        return float((lo + hi) / 2)


# Below r ~ 1e-16/K the quadratic root is used (exact to rounding); above, the logit Newton solve, whose
# evaluation of D near p = 1/K cancels to about 1e-12 relative at r ~ 1e-9.
@pytest.mark.parametrize("r, k, rel", [(1e-300, 10.0, 1e-15), (2e-21, 10.0, 1e-15), (1e-17, 2.0, 1e-15),
                                       (1e-9, 10.0, 1e-11), (0.5, 10.0, 1e-13)])
def test_p_star_at_tiny_rates_matches_mpmath(r, k, rel):
    # capacity C = r·N bits for N = 1 fact (r underflowing to 0 was "math domain error")
    got = p_star(r, 1.0, k)
    want = _mp_p_star(r, k)
    assert abs(got - want) <= rel * want


def test_capacity_bounds_extremes_are_numbers_or_value_errors():
    b = capacity_bounds(1e-300, 2, 1e30, 10)  # the rate underflows to 0: was "math domain error"
    assert b.p_star == 0.1 and b.subset_accuracy == 0.1
    with pytest.raises(ValueError, match="bits_per_param \\* params"):
        capacity_bounds(1e-300, 1e-30, 10, 10)  # C underflows to 0: was ZeroDivisionError


# --- posterior: the sigma -> 0 and sigma -> inf ends --------------------------------------------------
def _mp_softmax_weights(x, X, sigma):
    logits = [-(mp.mpf(x) - mp.mpf(xn)) ** 2 / (2 * mp.mpf(sigma) ** 2) for xn in X]
    top = max(logits)
    e = [mp.exp(v - top) for v in logits]
    total = mp.fsum(e)
    return [float(v / total) for v in e]


@pytest.mark.parametrize("scale", [1.0, 1e-160, 1e160, 1e-300])
def test_memorized_prior_weights_in_log_space_match_mpmath(scale):
    X = [0.0, 1.0, 2.5]
    x, sigma = 0.3, 0.7
    want = _mp_softmax_weights(mp.mpf(x) * mp.mpf(scale), [mp.mpf(v) * mp.mpf(scale) for v in X],
                               mp.mpf(sigma) * mp.mpf(scale))
    prior = MemorizedPrior(np.array(X)[:, None] * scale, sigma=sigma * scale)
    w = prior.responsibilities(np.array([x * scale]))
    np.testing.assert_allclose(w, want, rtol=1e-12, atol=1e-300)
    mean = prior.denoise(np.array([x * scale]))[0]
    assert mean == pytest.approx(sum(wi * v * scale for wi, v in zip(want, X)), rel=1e-12)
    # log density: log(1/N sum_n N(x; x_n, sigma^2)) at 60 digits
    xs, ss = mp.mpf(x) * mp.mpf(scale), mp.mpf(sigma) * mp.mpf(scale)
    dens = mp.fsum(mp.npdf(xs, mp.mpf(v) * mp.mpf(scale), ss) for v in X) / 3
    assert prior.log_density(np.array([x * scale])) == pytest.approx(float(mp.log(dens)), rel=1e-12)


def test_memorized_prior_tiny_sigma_gives_the_nearest_example():
    X = np.array([[0.0], [1.0], [2.5]])
    prior = MemorizedPrior(X, sigma=1e-160)
    w = prior.responsibilities(np.array([0.3]))
    assert np.all(np.isfinite(w)) and w.tolist() == [1.0, 0.0, 0.0]
    assert prior.denoise(np.array([0.3]))[0] == 0.0
    # equidistant from two examples: the weight splits evenly (mpmath: exactly 1/2 each)
    assert MemorizedPrior(X, sigma=1e-300).responsibilities(np.array([1.75])).tolist() == [0.0, 0.5, 0.5]


@pytest.mark.parametrize("gamma", [0.3, 1e-160, 1e-300, 1e300])
def test_lookup_weights_in_log_space_match_mpmath(gamma):
    X = np.array([[0.0], [1.0], [2.5]])
    y = 0.9

    def fwd(x):
        return x + 0.3 * x**3

    F = [mp.mpf(v) + mp.mpf("0.3") * mp.mpf(v) ** 3 for v in X[:, 0]]
    want = _mp_softmax_weights(mp.mpf(y), F, mp.mpf(gamma))
    w = lookup_weights(fwd, X, np.array([y]), gamma)
    assert np.all(np.isfinite(w))
    np.testing.assert_allclose(w, want, rtol=1e-10, atol=1e-300)


def test_linear_posterior_refuses_unrepresentable_bandwidth():
    X = np.array([[0.0], [1.0]])
    A = np.eye(1)
    for sigma in (1e-160, 1e300):
        with pytest.raises(ValueError, match="sigma must lie in"):
            linear_posterior(MemorizedPrior(X, sigma=sigma), A, np.array([0.5]), 0.3)


@pytest.mark.parametrize("n", [2, 3, 5, 10, 101, 1000])
def test_sigma_crit_closed_form_matches_the_grid_mean(n):
    # exact rational mean of 1 + 0.9 x_i^2 over x_i = -3 + 6 i/(n-1)
    xs = [Fraction(-3) + Fraction(6 * i, n - 1) for i in range(n)]
    mean = 1 + Fraction(9, 10) * sum(x * x for x in xs) / n
    want = mp.sqrt(mp.mpf(6) / (n - 1) * mp.mpf("0.3") / (mp.mpf(mean.numerator) / mean.denominator))
    assert stylized_sigma_crit(n, 0.3) == pytest.approx(float(want), rel=1e-14)


def test_sigma_crit_huge_n_is_immediate():
    t0 = time.perf_counter()
    value = stylized_sigma_crit(10**9, 0.3)  # was a 7.45 GiB array
    assert time.perf_counter() - t0 < 0.1
    n = mp.mpf(10**9)
    want = mp.sqrt(6 / (n - 1) * mp.mpf("0.3") / (1 + mp.mpf("2.7") * (n + 1) / (n - 1)))
    assert value == pytest.approx(float(want), rel=1e-14)


@pytest.mark.parametrize("n, d, sd", [(1e300, 1, 1.0), (10, 10, 1e-300), (1e6, 3, 2.0), (2, 1000, 1e200)])
def test_collapse_quantities_in_log_space_match_mpmath(n, d, sd):
    snr = (mp.mpf(n) ** (mp.mpf(2) / d) - 1) / mp.mpf(sd) ** 2
    t = mp.log1p(1 / snr) / 2
    sig = 1 / mp.sqrt(snr)

    def close(got, want):
        if want > mp.mpf("1.7e308"):
            return got == float("inf")
        return got == pytest.approx(float(want), rel=1e-12, abs=1e-320)

    assert close(collapse_snr(n, d, sd), snr)
    assert close(collapse_time(n, d, sd), t)
    assert close(collapse_sigma(n, d, sd), sig)


# --- simulations: unknown options and requests that cannot fit ----------------------------------------
def test_simulate_names_an_unknown_option():
    from memtheory.simulations.raf import simulate

    with pytest.raises(ValueError, match="unknown option 'bogus_option'.*allowed: .*kappa"):
        simulate(bogus_option=1)


@pytest.mark.parametrize("kw, what", [
    (dict(d=10**7), "PiB"),
    (dict(learner="kernel", alpha=1e9), "EiB"),
])
def test_simulation_memory_is_checked_up_front(kw, what):
    from memtheory.simulations.raf import make_spec

    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=f"needs about .* {what} of memory.*reduce d"):
        make_spec(**kw)
    assert time.perf_counter() - t0 < 1.0


def test_simulation_memory_estimate_is_the_array_sizes(monkeypatch):
    """The estimate of a kernel point is dominated by its n × n Gram matrices (3 copies of 8 n² bytes)."""
    from memtheory.simulations.raf import make_spec
    from memtheory.simulations.raf.experiment import estimate_memory

    spec = make_spec("kernel", alpha=2.0, d=1000)
    n = 2000
    assert 3 * 8 * n * n <= estimate_memory(spec) <= 3 * 8 * n * n + 8 * (2 * n * 1000 + 2000 * n + 4000 * 1002) + 1
    monkeypatch.setenv("MEMTHEORY_MEMORY_BYTES", str(10 * 2**20))
    with pytest.raises(ValueError, match="of the 10.0 MiB available"):
        make_spec("kernel", alpha=2.0, d=1000)
