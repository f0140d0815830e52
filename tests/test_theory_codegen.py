"""The sympy derivations and the generated numba kernels cannot drift apart."""

import mpmath as mp
import pytest
import sympy as sp

from memtheory.theory import gaussian_moments as gm
from memtheory.theory.generate import TARGET, render_all
from memtheory.theory.priors import lam, m_hat, q_hat, V_hat, ridge_prior_update

mp.mp.dps = 30


@pytest.mark.parametrize("fname", sorted(render_all()))
def test_generated_files_are_reproduced_byte_for_byte(fname):
    assert (TARGET / fname).read_text(encoding="utf-8") == render_all()[fname]


def test_ridge_prior_is_the_textbook_update():
    sol = ridge_prior_update()
    assert sp.simplify(sol["m"] - m_hat / (lam + V_hat)) == 0
    assert sp.simplify(sol["q"] - (m_hat**2 + q_hat) / (lam + V_hat) ** 2) == 0
    assert sp.simplify(sol["V"] - 1 / (lam + V_hat)) == 0


@pytest.mark.parametrize("n", [0, 1, 2, 3])
@pytest.mark.parametrize("a,b", [(-1.3, 0.4), (0.2, 2.5), (-sp.oo, 0.7), (-0.4, sp.oo), (-sp.oo, sp.oo)])
def test_gauss_moments_match_mpmath(n, a, b):
    expr = gm.gauss_moment(n, a, b)
    val = float(sp.N(expr, 30))
    lo = -mp.inf if a == -sp.oo else mp.mpf(float(a))
    hi = mp.inf if b == sp.oo else mp.mpf(float(b))
    ref = mp.quad(lambda t: mp.npdf(t) * t**n, [lo, 0, hi] if lo < 0 < hi else [lo, hi])
    assert val == pytest.approx(float(ref), rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("n", [0, 1, 2])
@pytest.mark.parametrize("kval", [-2.0, 0.0, 0.3, 1.7, 25.0])
def test_teacher_moment_closed_form_matches_mpmath(n, kval):
    full = float(gm.teacher_moment_fullline(n).subs(gm.k, kval).evalf(30))
    f = lambda t: mp.npdf(t) * mp.ncdf(kval * t) * t**n  # noqa: E731
    assert full == pytest.approx(float(mp.quad(f, [-mp.inf, -1, 0, 1, mp.inf])), rel=1e-12, abs=1e-15)


def test_generated_hinge_kernel_uses_quadrature_only_on_finite_intervals():
    text = render_all()["channels/_generated/hinge.py"]
    # the margin region between the two kinks, its end points computed once and shared with the
    # half-line below the first kink
    assert "x0 = -12.0\n    x1 = (1 - V)/r\n    x2 = 1/r\n" in text
    assert "phi_Phi_interval(k, end0, end1, nodes, weights)" in text
    assert "phi_Phi_interval(k, end1, end2, nodes, weights)" in text
    assert text.count("end1 = phi_Phi_endpoint(k, x1, wide0 or wide1)") == 2  # conjugates and Jacobian
    assert "oo" not in text  # no infinite limit reaches the numerics


def test_theory_cutoff_matches_the_quadrature():
    from memtheory.solvers.quadrature import CUTOFF

    assert float(gm.CUTOFF) == CUTOFF


def test_endpoint_terms_are_what_the_generator_takes_them_for():
    # the generator replaces exp/erfc at a kink by entries of phi_Phi_endpoint's tuple: each entry must
    # be the function ENDPOINT_FUNCTIONS says, at the end point (and its limit at the clipping points)
    from memtheory.solvers.quadrature import ENDPOINT_TERMS, phi_Phi_cutoff_endpoint, phi_Phi_endpoint
    from memtheory.theory.codegen import ENDPOINT_FUNCTIONS

    assert len(ENDPOINT_TERMS) == 1 + max(ENDPOINT_FUNCTIONS)
    xs = sp.Symbol("xs", real=True)
    for kval in (0.0, 0.4, -2.5, 30.0):
        for xval in (-13.0, -3.1, -0.2, 0.0, 0.7, 4.4, 11.9):
            got = phi_Phi_endpoint(kval, xval)
            for entry, (_, fn) in ENDPOINT_FUNCTIONS.items():
                exact = float(sp.N(fn(xs).subs({gm.k: kval, xs: xval}), 30))
                # a tail's condition number is its argument squared: the rounding of x, kx, cx
                rel = 4e-15 * (1 + xval**2 * max(1.0, kval**2))
                assert got[entry] == pytest.approx(exact, rel=rel, abs=1e-300), (kval, xval, ENDPOINT_TERMS[entry])
        for xval in (-12.0, 12.0):
            got = phi_Phi_cutoff_endpoint(kval, xval)
            for entry, (_, fn) in ENDPOINT_FUNCTIONS.items():
                limit = float(sp.limit(fn(xs).subs(gm.k, sp.nsimplify(kval)), xs, sp.oo if xval > 0 else -sp.oo))
                assert got[entry] == limit, (kval, xval, ENDPOINT_TERMS[entry])
