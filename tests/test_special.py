"""Gaussian special functions against mpmath at 50 digits, deep into the tails (|x| up to 38)."""

import mpmath as mp
import numpy as np
import pytest

from memtheory.solvers.special import erfcx, gauss_tail, log_gauss_tail, mills_ratio

mp.mp.dps = 50
XS = np.concatenate([np.linspace(-38, 38, 153), [-1e-8, 0.0, 1e-8, 1.9999999, 2.0, 2.0000001, 3.9, 4.1, 9.9, 10.1, 26.5]])


def _H(x):
    return mp.erfc(mp.mpf(x) / mp.sqrt(2)) / 2


@pytest.mark.parametrize("x", XS)
def test_log_gauss_tail_matches_mpmath(x):
    ref = float(mp.log(_H(x)))
    assert log_gauss_tail(x) == pytest.approx(ref, rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("x", XS)
def test_gauss_tail_matches_mpmath(x):
    ref = float(_H(x))
    # e^{-x²/2} amplifies the rounding of x²/2 by x²/2: allow that condition number
    rel = 1e-13 * max(1.0, 0.5 * x * x)
    assert gauss_tail(x) == pytest.approx(ref, rel=rel, abs=0)


@pytest.mark.parametrize("x", XS[XS > -26])
def test_mills_ratio_matches_mpmath(x):
    ref = float(mp.npdf(x) / _H(x))
    assert mills_ratio(x) == pytest.approx(ref, rel=1e-13)


@pytest.mark.parametrize("x", np.concatenate([np.linspace(-5, 40, 181), [1e3, 1e6]]))
def test_erfcx_matches_mpmath(x):
    ref = float(mp.exp(mp.mpf(x) ** 2) * mp.erfc(x))
    assert erfcx(x) == pytest.approx(ref, rel=2e-14)


def test_mills_ratio_is_asymptotic_to_x():
    # φ(x)/H(x) = x + 1/x − 2/x³ + ... for large x
    x = 1e4
    assert mills_ratio(x) == pytest.approx(x + 1 / x, rel=1e-15)


def test_owens_t_against_scipy_and_mpmath():
    from scipy.special import owens_t as scipy_owens_t

    from memtheory.solvers.special import owens_t

    h = np.array([-12.0, -3.0, 0.0, 1e-3, 0.5, 2.0, 3.6, 5.0, 8.0, 12.0])
    a = np.array([-50.0, -1.0, 0.0, 1e-3, 0.3, 0.76, 1.0, 1.5, 10.0, 1e3, 1e8, np.inf])
    H, A = np.meshgrid(h, a)
    ref = scipy_owens_t(H, A)
    np.testing.assert_allclose(owens_t(H, A), ref, rtol=0, atol=6e-17)
    mp.mp.dps = 40
    for hh, aa in [(0.1, 0.76), (3.6, 1.0), (1.0, 0.999), (6.0, 0.5), (0.7, 4.0)]:
        exact = mp.quad(lambda x: mp.exp(-hh * hh * (1 + x * x) / 2) / (1 + x * x), [0, aa]) / (2 * mp.pi)
        assert abs(owens_t(hh, aa) - float(exact)) <= 4e-17
