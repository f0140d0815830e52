"""Output channels: generated/hand-written kernels against brute-force quadrature of the prox, and the
saddle-point updates against finite differences of the RS free energy (docs/theory/raf.md §3.1)."""

import numpy as np
import pytest

from memtheory.solvers.quadrature import legendre_rule
from memtheory.solvers.raf import channels as ch
from tests.raf_reference import conjugates_bruteforce, free_energy_out

POINTS = [
    # alpha, eps, m, q, V
    (2.0, 0.2, 0.35, 0.60, 0.80),
    (0.7, 0.5, 0.10, 1.70, 2.50),
    (3.0, 0.0, 0.90, 1.00, 0.30),
    (1.5, 1.0, 0.00, 0.40, 1.20),
]
KERNELS = {
    "square": ch.SQUARE,
    "hinge": ch.HINGE,
    "logistic": ch.LOGISTIC,
    "square_interpolating": ch.SQUARE_INTERPOLATING,
    "hinge_max_margin": ch.HINGE_MAX_MARGIN,
    "squared_hinge": ch.SQUARED_HINGE,
    "huber": ch.HUBER,
}


def kernel(name, alpha, eps, m, q, V, nodes=32):
    x, w = legendre_rule(nodes)
    return np.array(ch.channel_conjugates(KERNELS[name], alpha, eps, m, q, V, x, w))


@pytest.mark.parametrize("name", ["square", "hinge", "logistic", "squared_hinge", "huber"])
@pytest.mark.parametrize("point", POINTS)
def test_channel_matches_bruteforce_prox_quadrature(name, point):
    ref = np.array(conjugates_bruteforce(name, *point))
    got = kernel(name, *point)
    # the brute-force ∂f is a central difference across kinks: its error is O(h) near them
    tol = 2e-5 if name == "hinge" else 1e-7
    np.testing.assert_allclose(got, ref, rtol=tol, atol=tol)


@pytest.mark.parametrize("name", ["square", "hinge", "logistic", "square_interpolating", "hinge_max_margin",
                                  "squared_hinge", "huber"])
@pytest.mark.parametrize("point", POINTS[:3])
def test_updates_are_stationarity_conditions_of_the_free_energy(name, point):
    """m̂ = −∂Ψ/∂m, V̂ = 2∂Ψ/∂q, q̂ = −2∂Ψ/∂V with Ψ = α E M_V (central differences)."""
    alpha, eps, m, q, V = point
    h = 1e-4

    def psi(mm, qq, vv):
        return free_energy_out(name, alpha, eps, mm, qq, vv)

    d_m = (psi(m + h, q, V) - psi(m - h, q, V)) / (2 * h)
    d_q = (psi(m, q + h, V) - psi(m, q - h, V)) / (2 * h)
    d_v = (psi(m, q, V + h) - psi(m, q, V - h)) / (2 * h)
    m_hat, q_hat, v_hat = kernel(name, alpha, eps, m, q, V)
    np.testing.assert_allclose([m_hat, v_hat, q_hat], [-d_m, 2 * d_q, -2 * d_v], rtol=2e-6, atol=2e-7)


@pytest.mark.parametrize("point", POINTS)
def test_square_channel_closed_form(point):
    """Spec §5.2: m̂ = αc/(1+V), q̂ = α(1 + q − 2cm)/(1+V)², V̂ = α/(1+V), c = (1−ε)√(2/π)."""
    alpha, eps, m, q, V = point
    c = (1 - eps) * np.sqrt(2 / np.pi)
    expected = [alpha * c / (1 + V), alpha * (1 + q - 2 * c * m) / (1 + V) ** 2, alpha / (1 + V)]
    np.testing.assert_allclose(kernel("square", *point), expected, rtol=1e-13)


@pytest.mark.parametrize("name", ["hinge", "hinge_max_margin"])
def test_hinge_kernels_are_converged_in_the_number_of_nodes(name):
    """Default rule (32 nodes per piece) against 400 nodes over a wide random box, including steep
    teacher factors (η → 1), tiny and huge V, and kinks far in the tails."""
    rng = np.random.default_rng(0)
    for _ in range(150):
        alpha, eps = rng.uniform(0.1, 10), rng.uniform(0, 1)
        q, eta, V = 10 ** rng.uniform(-2, 2), rng.uniform(0, 0.9999), 10 ** rng.uniform(-3, 3)
        point = (alpha, eps, np.sqrt(eta * q), q, V)
        np.testing.assert_allclose(kernel(name, *point, nodes=32), kernel(name, *point, nodes=400), rtol=5e-12)


def test_fact_only_channel_ignores_the_teacher():
    """ε = 1: the conjugates do not depend on m (facts carry no rule)."""
    a = kernel("hinge", 1.5, 1.0, 0.0, 0.4, 1.2)
    b = kernel("hinge", 1.5, 1.0, 0.3, 0.4, 1.2)
    np.testing.assert_allclose(a, b, rtol=1e-14)
    assert a[0] == 0.0


@pytest.mark.parametrize("V", [1e-3, 0.1, 1.0, 15.541, 100.0, 1e4])
def test_logistic_prox_solves_its_equation_and_is_monotone(V):
    """p − u − Vσ(−p) = 0 on a dense grid (a bracket-checked Newton used to bounce between the ends
    of its bracket for V ≳ 10 and return a wrong root)."""
    from scipy.special import expit

    from memtheory.solvers.raf.channels.logistic import margin_prox_array

    u = np.linspace(-V - 60, 60, 20001)
    p = margin_prox_array(u, np.full_like(u, V))
    assert np.max(np.abs(p - u - V * expit(-p)) / (1 + np.abs(u) + V)) < 1e-14
    assert np.all(np.diff(p) >= 0)


def test_logistic_kernel_is_converged_in_the_number_of_nodes():
    """Default rule against 300 nodes per piece over a wide random box (large q: narrow prox
    transition and teacher step)."""
    rng = np.random.default_rng(1)
    for _ in range(60):
        alpha, eps = rng.uniform(0.1, 10), rng.uniform(0, 1)
        q, eta, V = 10 ** rng.uniform(-2, 3), rng.uniform(0, 0.999), 10 ** rng.uniform(-2, 3)
        point = (alpha, eps, np.sqrt(eta * q), q, V)
        np.testing.assert_allclose(kernel("logistic", *point), kernel("logistic", *point, nodes=300), rtol=1e-9)


JACOBIAN_KERNELS = ["square", "hinge", "square_interpolating", "hinge_max_margin", "squared_hinge", "huber"]


@pytest.mark.parametrize("name", JACOBIAN_KERNELS)
@pytest.mark.parametrize("point", POINTS)
def test_sympy_jacobian_matches_richardson_differences(name, point):
    """The generated ``d(m̂, q̂, V̂)/d(m, q, V)`` against central differences of the conjugates,
    Richardson-extrapolated (error O(h⁴)), on a fine quadrature rule."""
    alpha, eps, m, q, V = point
    x, w = legendre_rule(128)
    jac = np.zeros((3, 3))
    *conj, has = ch.channel_jacobian(KERNELS[name], alpha, eps, m, q, V, x, w, jac)
    assert has and ch.channel_has_jacobian(KERNELS[name])
    np.testing.assert_allclose(conj, kernel(name, alpha, eps, m, q, V, nodes=128), rtol=1e-12)
    state = np.array([m, q, V])

    def conjugates(s):
        return np.array(ch.channel_conjugates(KERNELS[name], alpha, eps, *s, x, w))

    for j in range(3):
        h = 1e-3 * max(abs(state[j]), 0.1)
        if j == 0:
            h = min(h, 0.2 * (np.sqrt(q) - abs(m)))  # stay inside q > m²
        e = np.zeros(3)
        e[j] = 1.0
        d1 = (conjugates(state + h * e) - conjugates(state - h * e)) / (2 * h)
        d2 = (conjugates(state + 0.5 * h * e) - conjugates(state - 0.5 * h * e)) / h
        fd = (4 * d2 - d1) / 3
        np.testing.assert_allclose(jac[:, j], fd, rtol=1e-6, atol=1e-7 * np.abs(conj).max())


def test_kernels_without_sympy_jacobian_say_so():
    x, w = legendre_rule(32)
    jac = np.full((3, 3), 7.0)
    *conj, has = ch.channel_jacobian(ch.LOGISTIC, 2.0, 0.2, 0.35, 0.6, 0.8, x, w, jac)
    assert not has and not ch.channel_has_jacobian(ch.LOGISTIC)
    np.testing.assert_allclose(conj, kernel("logistic", 2.0, 0.2, 0.35, 0.6, 0.8), rtol=1e-14)


@pytest.mark.parametrize("name", ["square", "hinge", "squared_hinge", "huber"])
def test_closed_form_train_loss_matches_the_quadrature_of_the_loss_at_the_prox(name):
    """The sympy train loss (Gaussian and teacher moments per prox piece) against Gauss–Legendre
    quadrature of ``L(p(√q ξ))`` under the ε-mixture density, over a wide box of (m, q, V, ε)."""
    from memtheory.solvers.raf import observables as obs
    from memtheory.solvers.raf.channels._generated.dispatch import train_loss_by_id

    channel = ch.channel_of(name)
    x, w = legendre_rule(32)
    rng = np.random.default_rng(3)
    for _ in range(100):
        q = 10 ** rng.uniform(-2, 2)
        m = np.sqrt(q) * rng.uniform(-0.9, 0.999)
        V = 10 ** rng.uniform(-3, 3)
        eps = rng.uniform(0, 1)
        value, closed = train_loss_by_id(channel.kernel, eps, m, q, V, x, w)
        assert closed
        np.testing.assert_allclose(value, obs.train_loss(channel, eps, m, q, V)[0], rtol=1e-10, atol=1e-15)


def _teacher_moment_exact(k, a, b, n):
    import mpmath as mp

    mp.mp.dps = 40
    lo, hi = min(a, b), max(a, b)
    breaks = [0.0] + ([-8 / abs(k), 8 / abs(k)] if k else [])
    pts = [lo] + sorted(p for p in breaks if lo < p < hi) + [hi]
    v = mp.quad(lambda t: mp.npdf(t) * mp.ncdf(k * t) * t ** n, pts)
    return float(v if a < b else -v)


def test_teacher_moments_against_mpmath():
    # closed forms (Owen's T and integration by parts) on intervals at least CLOSED_FORM_MIN_WIDTH wide,
    # Gauss–Legendre on narrower ones; slopes from 0 to 1e7 of both signs
    from memtheory.solvers.quadrature import CLOSED_FORM_MIN_WIDTH, phi_Phi_moments

    nodes, weights = legendre_rule(32)
    rng = np.random.default_rng(7)
    n_wide = 0
    for _ in range(40):
        k = float(rng.choice([0.0, 1e-3, 0.3, 1.0, 3.0, 10.0, 100.0, 1e4, 1e7]) * rng.choice([-1, 1]))
        a, b = rng.uniform(-7, 7, 2) * rng.choice([1.0, 0.3, 0.02])
        n_wide += abs(b - a) >= CLOSED_FORM_MIN_WIDTH
        got = phi_Phi_moments(k, a, b, nodes, weights)
        for n in range(3):
            exact = _teacher_moment_exact(k, a, b, n)
            # 1e-16 absolute (differences of O(1) values), and relative accuracy where the moment is not small
            assert abs(got[n] - exact) <= 5e-16 + 1e-12 * abs(exact), (k, a, b, n, got[n], exact)
    assert n_wide >= 20


def test_shared_end_points_give_the_moments_of_each_interval():
    # a chain of end points as the generated kernels use it: terms computed once per end point (the
    # Owen sum skipped where no adjacent interval takes the closed forms), combined per interval;
    # bit-for-bit phi_Phi_moments, and mpmath on a subset. The literal clipping points ±12 of the
    # kernels stand for ±∞ (phi_Phi_cutoff_endpoint): within 3e-31 of the clipped moments
    from memtheory.solvers.quadrature import (
        CLOSED_FORM_MIN_WIDTH,
        phi_Phi_closed_form,
        phi_Phi_cutoff_endpoint,
        phi_Phi_endpoint,
        phi_Phi_interval,
        phi_Phi_moments,
    )

    nodes, weights = legendre_rule(32)
    rng = np.random.default_rng(11)
    slopes = [0.0, 1e-3, 0.3, 1.0, 3.0, 10.0, 100.0, 1e4, 1e7]
    n_wide = n_narrow = n_skipped = 0
    for chain in range(24):
        k = float(slopes[chain % len(slopes)] * (-1) ** chain * rng.uniform(0.5, 1.5))
        pts = list(np.sort(rng.uniform(-6, 6, 4)) * rng.choice([1.0, 0.3]))
        pts[2] = pts[1] + rng.choice([0.03, 0.0999, 0.1, 0.5])  # narrow, at and above the width
        pts = [-12.0 if chain % 3 else -13.5] + pts + [12.0 if chain % 2 else 30.0]
        if chain % 4 == 1:
            pts = pts[::-1]  # descending: every interval has a > b
        wide = [phi_Phi_closed_form(k, a, b) for a, b in zip(pts[:-1], pts[1:])]
        needed = [(i > 0 and wide[i - 1]) or (i < len(wide) and wide[i]) for i in range(len(pts))]
        ends = [phi_Phi_endpoint(k, x, nd) for x, nd in zip(pts, needed)]
        cut = [phi_Phi_cutoff_endpoint(k, x) if abs(x) == 12.0 else e for x, e in zip(pts, ends)]
        n_skipped += needed.count(False)
        for j, (a, b) in enumerate(zip(pts[:-1], pts[1:])):
            n_wide += wide[j]
            n_narrow += abs(b - a) < CLOSED_FORM_MIN_WIDTH
            got = phi_Phi_interval(k, ends[j], ends[j + 1], nodes, weights)
            assert got == phi_Phi_moments(k, a, b, nodes, weights), (k, a, b)
            # an Owen sum done where it is not needed changes nothing
            assert got == phi_Phi_interval(k, phi_Phi_endpoint(k, a), phi_Phi_endpoint(k, b), nodes, weights)
            at_inf = phi_Phi_interval(k, cut[j], cut[j + 1], nodes, weights)
            np.testing.assert_allclose(at_inf, got, rtol=0, atol=3e-31)
            if chain % 8 == 0 or (chain % 2 and j == 0):
                lo, hi = (max(min(x, 12.0), -12.0) for x in (a, b))
                for n in range(3):
                    exact = _teacher_moment_exact(k, lo, hi, n)
                    assert abs(got[n] - exact) <= 5e-16 + 1e-12 * abs(exact), (k, a, b, n, got[n], exact)
    assert n_wide >= 60 and n_narrow >= 10 and n_skipped >= 1


def test_teacher_moments_continuous_at_the_closed_form_width():
    from memtheory.solvers.quadrature import CLOSED_FORM_MIN_WIDTH, phi_Phi_moments

    nodes, weights = legendre_rule(32)
    for k in (0.0, 0.7, 5.0, -3.0):
        for a in (-1.3, -0.05, 0.4):
            closed = phi_Phi_moments(k, a, a + CLOSED_FORM_MIN_WIDTH, nodes, weights)
            quad = phi_Phi_moments(k, a, a + CLOSED_FORM_MIN_WIDTH * (1 - 1e-15), nodes, weights)
            np.testing.assert_allclose(closed, quad, rtol=1e-12, atol=1e-16)
