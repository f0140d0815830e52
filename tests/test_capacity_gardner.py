"""The Gardner bridge: RAF facts as stored bits. Skips only if memtheory.solvers.raf is missing."""

import math

import mpmath as mp
import numpy as np
import pytest

raf = pytest.importorskip("memtheory.solvers.raf")

from memtheory.solvers.capacity.gardner import (  # noqa: E402
    binary_fact_bits,
    bridge,
    gardner_bits_at_threshold,
    params_per_dim,
)

mp.mp.dps = 30


def test_binary_fact_bits_against_mpmath():
    for e in (0.0, 1e-9, 0.01, 0.2, 0.4999, 0.5, 0.7):
        want = 0 if e >= 0.5 else 1 - (0 if e == 0 else -(mp.mpf(e) * mp.log(e, 2) + (1 - mp.mpf(e)) * mp.log(1 - e, 2)))
        assert binary_fact_bits(e) == pytest.approx(float(want), rel=1e-12, abs=1e-15)


def test_two_bits_per_parameter_at_gardner_capacity():
    # Gardner's alpha_c at zero margin, computed independently: 1 / ∫_0^∞ Dt t² = 2
    alpha_c_mp = 1 / mp.quad(lambda t: mp.npdf(t) * t**2, [0, mp.inf])
    out = gardner_bits_at_threshold(1.0)
    assert out["alpha_c"] == pytest.approx(float(alpha_c_mp), rel=1e-9)
    assert round(out["bits_per_param"], 2) == 2.00
    # below alpha_c the max-margin learner interpolates: stored bits = alpha exactly
    assert np.all(out["mem_error"] == 0)
    assert np.allclose(out["approach_bits_per_param"], out["alpha"], rtol=0, atol=1e-15)


def test_linear_hinge_curve_peaks_at_alpha_c():
    a = np.array([0.5, 1.0, 1.5, 1.9, 2.1, 2.5, 3.0, 4.0])
    c = bridge(raf.Linear(loss="hinge", lam=0.0), a)
    assert c.converged.all()
    assert np.allclose(c.bits_per_param[:4], a[:4])
    assert np.all(c.bits_per_param[4:] < 2.0)  # past capacity the Fano bound falls below 2
    assert np.all(np.diff(c.bits_per_param[4:]) < 0)
    assert np.allclose(c.capacity_share, c.bits_per_param / 2.0)


def test_square_min_norm_interpolates_only_below_one():
    c = bridge(raf.Linear(loss="square", lam=0.0), np.array([0.5, 0.95, 1.5, 3.0]))
    assert np.allclose(c.bits_per_param[:2], [0.5, 0.95])
    assert np.all(c.mem_error[2:] > 0) and np.all(c.bits_per_param[2:] < 1.0)


def test_per_parameter_normalisation_and_fact_share():
    a = np.array([0.5, 1.0, 3.0])
    rf = raf.RandomFeatures(loss="hinge", lam=1e-3, kappa=2.0, activation="erf")
    c = bridge(rf, a)
    assert params_per_dim(rf) == 2.0
    assert np.allclose(c.bits_per_param, c.bits_per_dim / 2.0)
    assert np.allclose(c.bits_per_dim, a * binary_fact_bits(c.mem_error))
    kern = bridge(raf.Kernel(loss="hinge", lam=0.0, activation="sign"), a)
    assert np.all(kern.bits_per_param == 0.0) and math.isinf(kern.params_per_dim)
    # epsilon < 1: the facts' share at the threshold is eps·alpha_c(eps)/2 < 1 (the rule takes its part)
    half = gardner_bits_at_threshold(0.5)
    assert half["alpha_c"] == pytest.approx(raf.separability_threshold(epsilon=0.5, margin=0.0))
    assert half["bits_per_param"] == pytest.approx(0.5 * half["alpha_c"])
    assert half["bits_per_param"] / 2.0 < 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="epsilon"):
        bridge(raf.Linear(loss="hinge", lam=0.0), 1.0, epsilon=0.0)
    with pytest.raises(ValueError, match="alpha"):
        bridge(raf.Linear(loss="hinge", lam=0.0), -1.0)
    with pytest.raises(ValueError, match="model"):
        params_per_dim(object())
