"""Stored-information estimators (docs/theory/capacity.md §2, §1, §5, §7 outputs 3–4)."""

import math

import mpmath as mp
import numpy as np
import pytest

from memtheory.solvers.capacity import accuracy_bits, loss_bits
from memtheory.solvers.capacity.estimators import facts_bits

mp.mp.dps = 50


def g_mp(p, k):
    p, k = mp.mpf(p), mp.mpf(k)
    if p <= 1 / k:
        return mp.mpf(0)
    h = -(p * mp.log(p, 2) + (1 - p) * mp.log(1 - p, 2)) if p < 1 else mp.mpf(0)
    return mp.log(k, 2) - h - (1 - p) * mp.log(k - 1, 2)


def test_accuracy_bits_against_mpmath():
    rng = np.random.default_rng(1)
    for k in (2, 37, 1e6, 1e15):
        p = rng.random(200)
        p[:5] = [0, 1, 1 / k, 0.5, 1e-300]
        got = accuracy_bits(p, k, params=100)
        want = mp.fsum(g_mp(x, k) for x in p)
        assert got.bits == pytest.approx(float(want), rel=1e-12)
        assert got.bits_per_param == pytest.approx(float(want) / 100, rel=1e-12)
        assert got.n_facts == 200
    # 0/1 accuracies: accuracy bits = facts bits = N_correct·H
    c = np.array([1, 0, 1, 1, 0], dtype=float)
    assert accuracy_bits(c, 256).bits == pytest.approx(facts_bits(3, 256).bits) == 24.0


def test_loss_bits_limits_and_styles():
    k, n = 1000, 50
    h = math.log2(k)
    assert loss_bits(np.zeros(n), k).bits == pytest.approx(n * h)
    assert loss_bits(np.zeros(n), k, style="allen-zhu").bits == pytest.approx(n * h)
    uniform = np.full(n, math.log(k))
    assert loss_bits(uniform, k).bits == pytest.approx(0.0, abs=1e-9)
    bad = np.full(n, 2 * math.log(k))
    assert loss_bits(bad, k, style="allen-zhu").bits == pytest.approx(-n * h)
    assert loss_bits(bad, k, style="morris").bits == 0.0
    mixed = np.concatenate([np.zeros(10), bad[:10]])
    assert loss_bits(mixed, k, style="morris").bits == pytest.approx(10 * h)
    assert loss_bits(mixed, k, style="allen-zhu").bits == pytest.approx(0.0, abs=1e-9)
    # bits as the unit; several attributes sum per fact (nats -> bits via ln 2)
    assert loss_bits(np.full(4, 3.0), 2**10, unit="bits").bits == pytest.approx(4 * 7)
    two = np.array([[math.log(2), 0.0], [0.0, 0.0]])
    assert loss_bits(two, [4, 8]).bits == pytest.approx((5 - 1) + 5)
    assert loss_bits(np.zeros(3), 4, params=2).bits_per_param == pytest.approx(3.0)


def test_fano_is_tight_for_a_calibrated_confusion_model():
    """A model that is right with probability p and spreads the rest uniformly, and knows it,
    carries exactly g_K(p) bits per fact (Fano is tight there); its Allen-Zhu loss bits must agree
    with the accuracy bits up to Monte Carlo error."""
    rng = np.random.default_rng(0)
    k, p, n = 50, 0.7, 400_000
    right = rng.random(n) < p
    nll = np.where(right, -math.log(p), -math.log((1 - p) / (k - 1)))
    az = loss_bits(nll, k, style="allen-zhu").bits / n
    acc = accuracy_bits(np.full(n, p), k).bits / n
    se = np.std(math.log2(k) - nll / math.log(2)) / math.sqrt(n)
    assert abs(az - acc) < 4 * se
    assert acc == pytest.approx(float(g_mp(p, k)), rel=1e-12)


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: accuracy_bits([0.5, 1.2], 10), "accuracies"),
        (lambda: accuracy_bits([], 10), "accuracies"),
        (lambda: accuracy_bits([0.5], 1), "values"),
        (lambda: loss_bits([-1.0], 10), "losses"),
        (lambda: loss_bits([1.0], 10, style="foo"), "style"),
        (lambda: loss_bits(np.zeros((3, 2)), 10), "attribute"),
        (lambda: loss_bits([1.0], 10, params=0), "params"),
        (lambda: facts_bits(-1, 10), "n_correct"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()
