"""Newton steps with the sympy Jacobian (docs/theory/raf.md §12, "Newton steps"): same fixed point as the
plain iteration, in a handful of evaluations."""

import numpy as np
import pytest

from memtheory.solvers import raf
from memtheory.solvers.quadrature import legendre_rule
from memtheory.solvers.raf.driver import iterate, newton
from memtheory.solvers.raf.solve import _INITS, plan

MODELS = {
    "linear square": lambda lam: raf.Linear("square", lam),
    "linear hinge": lambda lam: raf.Linear("hinge", lam),
    "linear huber": lambda lam: raf.Linear("huber", lam),
    "kernel squared hinge": lambda lam: raf.Kernel("squared_hinge", lam, activation="erf"),
    "random features hinge": lambda lam: raf.RandomFeatures("hinge", lam, kappa=2.0, activation="sign"),
}
NODES, WEIGHTS = legendre_rule(32)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("lam", [1e-3, 0.1, 10.0])
def test_newton_and_plain_iteration_reach_the_same_fixed_point(name, lam):
    for alpha in (0.5, 2.0, 5.0):
        for eps in (0.0, 0.3, 1.0):
            pl = plan(MODELS[name](lam), alpha, eps)
            x0 = _INITS["uninformed"].copy()
            xn, _, _, evals, status = newton(pl.learner_id, pl.channel_id, x0, pl.params, NODES, WEIGHTS, 1e-12, 40,
                                             False)
            assert status == 0, (name, lam, alpha, eps)
            # plain damped iteration, no Newton and no Anderson: an independent route to the fixed point
            xp, _, _, _, sp = iterate(pl.learner_id, pl.channel_id, x0, pl.params, NODES, WEIGHTS, 1e-12, 200000, 1.0,
                                      0)
            assert sp == 0
            np.testing.assert_allclose(xn, xp, rtol=1e-9, atol=1e-11 * np.abs(xp).max())
            assert evals <= 40, (name, lam, alpha, eps, evals)


def test_solve_takes_few_evaluations_on_the_benchmark_grid():
    """A regression guard on the point of the Newton steps: on the benchmark grid at λ = 0.1 every
    point of the linear hinge converges from the cold start in at most 12 evaluations."""
    model = raf.Linear("hinge", 0.1)
    counts = [raf.solve(model, a, e).iterations for a in np.linspace(0.5, 5.0, 16) for e in np.linspace(0.0, 1.0, 8)]
    assert max(counts) <= 12, max(counts)
    # 6.98 before the first step was capped and the last evaluation predicted, 6.29 after
    assert np.mean(counts) <= 6.5, np.mean(counts)


@pytest.mark.parametrize("n", [3, 5])
def test_newton_jacobian_is_the_chain_rule_through_the_variable_change(n):
    """The O(n²) product of :func:`_newton_jacobian` against dense matrices, whose factors are central
    differences of the variable change itself (``_to_newton`` at F(x), ``_from_newton`` at y(x))."""
    from memtheory.solvers.raf.driver import _from_newton, _newton_jacobian, _to_newton

    rng = np.random.default_rng(n)
    for modes in ([0, 2, 1, 1, 1], [1, 2, 1, 0, 1], [0, 1, 1, 1, 1], [1, 1, 1, 1, 1]):
        mode = np.array(modes[:n], dtype=float)
        x = rng.uniform(0.2, 1.0, n)
        fx = rng.uniform(0.2, 1.0, n)
        x[1] = x[0] ** 2 + 0.7  # q > m² for the log(q − m²) variable
        fx[1] = fx[0] ** 2 + 0.4
        jf = rng.normal(size=(n, n))
        jac = np.zeros((n, n))
        _newton_jacobian(x, fx, mode, jf, np.zeros((n, n)), jac)

        def to_y(v):
            out = np.zeros(n)
            assert _to_newton(v, mode, out)
            return out

        def to_x(v):
            out = np.zeros(n)
            _from_newton(v, mode, out)
            return out

        h = 1e-6
        dt = np.column_stack([(to_y(fx + h * e) - to_y(fx - h * e)) / (2 * h) for e in np.eye(n)])
        y = to_y(x)
        dx = np.column_stack([(to_x(y + h * e) - to_x(y - h * e)) / (2 * h) for e in np.eye(n)])
        np.testing.assert_allclose(jac, dt @ jf @ dx - np.eye(n), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("name", ["linear hinge", "random features hinge", "linear square"])
def test_newton_reports_the_conjugates_of_the_state_it_returns(name):
    """Whether the last evaluation carries a Jacobian or not (the predicted last step), the conjugates
    returned are those of the returned state, and the state is within the tolerance of a solve to 1e-12."""
    from memtheory.solvers.raf.driver import distance, evaluate

    for alpha, eps in ((0.5, 0.0), (2.0, 0.3), (5.0, 0.0), (5.0, 1.0), (3.5, 0.6)):
        pl = plan(MODELS[name](0.1), alpha, eps)
        x0 = _INITS["uninformed"].copy()
        x, hats, est, _, status = newton(pl.learner_id, pl.channel_id, x0, pl.params, NODES, WEIGHTS, 1e-10, 40, False)
        assert status == 0 and est <= 1e-11
        out, fresh = np.zeros(5), np.zeros(5)
        assert evaluate(pl.learner_id, pl.channel_id, x, pl.params, NODES, WEIGHTS, out, fresh)
        np.testing.assert_allclose(hats, fresh, rtol=1e-14, atol=0)  # the Jacobian kernel rounds differently
        tight, _, _, _, st = newton(pl.learner_id, pl.channel_id, x0, pl.params, NODES, WEIGHTS, 1e-12, 40, False)
        assert st == 0
        assert distance(pl.learner_id, tight, x, pl.params) <= 1e-10


@pytest.mark.parametrize("model", [raf.Linear("hinge", 0.3), raf.Kernel("square", 0.05, activation="erf"),
                                   raf.Linear("hinge", 0.0),
                                   raf.RandomFeatures("hinge", 0.2, kappa=2.0, activation="relu"),
                                   raf.RandomFeatures("square", 1e-3, kappa=0.5, activation="sign")],
                         ids=["linear", "kernel", "linear-lambda0", "rf-wide", "rf-narrow"])
@pytest.mark.parametrize("hats_in", [(0.8, 0.5, 0.6), (-0.3, 2.0, 1e-3), (1.5, 0.01, 40.0)])
def test_sympy_prior_jacobian_matches_central_differences(model, hats_in):
    from memtheory.solvers.raf.driver import _prior_differences
    from memtheory.solvers.raf.priors import prior_jacobian, prior_update

    pl = plan(model, 0.7 if model.lam == 0 else 2.0, 0.2)
    n = 5 if isinstance(model, raf.RandomFeatures) else 3
    x = np.array([0.4, 0.9, 1.7, 0.8, 2.1])[:n]
    mh, qh, Vh = hats_in
    out, hats = np.zeros(n), np.zeros(5)
    jp, ji = np.zeros((n, 3)), np.zeros((3, n))
    assert prior_jacobian(pl.learner_id, mh, qh, Vh, pl.params, out, hats, jp, ji)
    ref_out, ref_hats = np.zeros(n), np.zeros(5)
    prior_update(pl.learner_id, mh, qh, Vh, pl.params, ref_out, ref_hats)
    np.testing.assert_allclose(out, ref_out, rtol=1e-13)
    np.testing.assert_allclose(hats, ref_hats, rtol=1e-14)
    jp_fd, ji_fd = np.zeros((n, 3)), np.zeros((3, n))
    _prior_differences(pl.learner_id, x, mh, qh, Vh, pl.params, jp_fd, ji_fd, np.zeros(40))
    # central differences at relative step 1e-5: truncation ~1e-10 relative
    np.testing.assert_allclose(jp, jp_fd, rtol=1e-7, atol=1e-9 * np.abs(jp_fd).max())
    np.testing.assert_allclose(ji, ji_fd, rtol=1e-8, atol=1e-10)


def test_parallel_lines_equal_the_sequential_continuation():
    """``iterate_lines`` (line heads in order, then the lines on parallel threads) reproduces
    ``iterate_many`` point for point on a sweep's line-by-line order."""
    import sys

    from memtheory.solvers.raf.driver import iterate_lines, iterate_many

    sweep_module = sys.modules["memtheory.solvers.raf.sweep"]
    alphas, epsilons = np.linspace(0.5, 5.0, 12), np.linspace(0.0, 1.0, 5)
    plans = [plan(raf.Linear("hinge", 0.1), a, e) for a in alphas for e in epsilons]
    prev = sweep_module._continuation_order((12, 5), sweep_module._PointPlans.from_list(plans))
    order = sweep_module._topological_order(np.arange(len(plans)), prev)
    remap = {int(g): k for k, g in enumerate(order)}
    pv = np.array([remap.get(int(prev[g]), -1) for g in order], dtype=np.int64)
    assert np.all(pv[1:12] == np.arange(11))  # the first line is consecutive
    P = np.array([plans[g].params for g in order])
    cids = np.array([plans[g].channel_id for g in order], dtype=np.int64)
    args = (P, _INITS["uninformed"].copy(), pv, NODES, WEIGHTS, 1e-10, 10000, 1.0, 5)
    seq = iterate_many(plans[0].learner_id, cids, *args)
    par = iterate_lines(plans[0].learner_id, cids, *args)
    assert np.all(seq[4] == 0) and np.all(par[4] == 0)
    np.testing.assert_array_equal(seq[0], par[0])
    np.testing.assert_array_equal(seq[3], par[3])
