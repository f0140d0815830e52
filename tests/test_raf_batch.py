"""Compiled observables, the compiled scalar solve, batched solves, lazy Bayes errors and the sweep's
second-start selection."""

from __future__ import annotations

import importlib
import math
import warnings

import numpy as np
import pytest

from memtheory.solvers import raf
from memtheory.solvers.quadrature import DEFAULT_NODES
from memtheory.solvers.raf import channels as ch
from memtheory.solvers.raf import observables as obs
from memtheory.solvers.raf import priors as pr

solve_mod = importlib.import_module("memtheory.solvers.raf.solve")
sweep_mod = importlib.import_module("memtheory.solvers.raf.sweep")

BUILTIN = tuple(n for n in raf.LOSSES if n in ch.CHANNELS)


def _models(loss):
    return [raf.Linear(loss=loss, lam=0.3), raf.Kernel(loss=loss, lam=0.3, activation="sign"),
            raf.RandomFeatures(loss=loss, lam=0.3, kappa=1.5, activation="sign")]


@pytest.mark.parametrize("loss", BUILTIN)
def test_compiled_observables_equal_numpy(loss):
    channel = ch.CHANNELS[loss]
    kinks = obs.kinks_array(channel)
    rng = np.random.default_rng(1)
    for _ in range(30):
        q = rng.uniform(0.05, 80.0)
        m = rng.uniform(-0.95, 0.999) * math.sqrt(q)
        V = 10.0 ** rng.uniform(-2.5, 2.5)
        eps = rng.uniform()
        c = channel.zero_crossing
        assert obs.gen_error_scalar(m, q) == pytest.approx(float(obs.gen_error(m, q)), rel=1e-13)
        assert obs.mem_error_scalar(c, V, q) == pytest.approx(float(obs.mem_error(c, V, q)), rel=1e-13, abs=1e-300)
        assert obs.rule_train_error_scalar(c, V, m, q, *obs.RULE_ERROR_RULE) == pytest.approx(
            obs.rule_train_error(c, V, m, q)[0], rel=1e-12, abs=1e-15)
        assert obs.train_loss_scalar(channel.kernel, kinks, eps, m, q, V, *obs.TRAIN_LOSS_RULE) == pytest.approx(
            obs.train_loss(channel, eps, m, q, V)[0], rel=1e-12, abs=1e-15)


def _python_path(model, alpha, eps, **kw):
    """The solve through the Python driver path with numpy observables (what solve did before)."""
    pl = solve_mod.plan(model, alpha, eps)
    nodes, weights = solve_mod._rules(solve_mod._BAYES_NODES if pl.learner_id == pr.BAYES else DEFAULT_NODES)
    x0 = solve_mod._initial_state(pl.learner_id, kw.get("init", "uninformed"))
    return solve_mod._solve_python(model, pl, x0, nodes, weights, kw.get("tol", 1e-10), kw.get("max_iter", 10000), 1.0,
                                   kw.get("memory", 5), False)


FIELDS = ("gen_error", "mem_error", "rule_train_error", "train_loss", "bayes_error")


@pytest.mark.parametrize("model,alpha,eps", [
    (raf.Linear(loss="hinge", lam=0.1), 2.0, 0.2),
    (raf.Linear(loss="logistic", lam=0.01), 3.0, 0.0),
    (raf.Kernel(loss="squared_hinge", lam=0.1, activation="relu"), 1.5, 0.4),
    (raf.RandomFeatures(loss="huber", lam=0.1, kappa=2.0), 2.0, 0.3),
    (raf.Linear(loss="hinge", lam=0.0), 1.0, 0.2),     # max margin
    (raf.Linear(loss="hinge", lam=0.0), 6.0, 0.2),     # unregularised
    (raf.Linear(loss="square", lam=0.0), 0.5, 0.2),    # min norm
    (raf.BayesOptimal(), 2.0, 0.2),
])
def test_compiled_scalar_solve_reproduces_the_python_path(model, alpha, eps):
    new = raf.solve(model, alpha, eps)
    old = _python_path(model, alpha, eps)
    assert (new.converged, new.iterations, new.regime, new.message) == (old.converged, old.iterations, old.regime,
                                                                        old.message)
    for f in FIELDS:
        a, b = getattr(new, f), getattr(old, f)
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-15), f
    # the stopping estimate is a difference of nearly equal iterates: equal to rounding of the state
    assert new.residual == pytest.approx(old.residual, rel=1e-2, abs=1e-14)
    assert new.overlaps.keys() == old.overlaps.keys()
    for k in new.overlaps:
        assert new.overlaps[k] == pytest.approx(old.overlaps[k], rel=1e-12, abs=1e-15), k
    np.testing.assert_array_equal(new.x, old.x)


def test_failed_scalar_solve_with_continuation_matches_python_path():
    model = raf.Linear(loss="hinge", lam=0.1)
    with pytest.warns(raf.SaddlePointWarning):
        new = raf.solve(model, 2.0, 0.2, max_iter=3)
    old = _python_path(model, 2.0, 0.2, max_iter=3)
    assert not new.converged and new.iterations == old.iterations
    assert new.gen_error == pytest.approx(old.gen_error, rel=1e-12)


def test_bayes_error_is_lazy_and_unchanged():
    res = raf.solve(raf.Linear(loss="square", lam=0.1), 2.0, 0.2)
    assert res.__dict__["_bayes_error"] is None  # not solved until asked for
    assert res.bayes_error == raf.bayes_error(2.0, 0.2)
    assert res.to_dict()["bayes_error"] == raf.bayes_error(2.0, 0.2)
    sw = raf.sweep(raf.Linear(loss="square", lam=0.1), alpha=[0.5, 2.0], epsilon=[0.0, 0.2, 1.0])
    expected = [[raf.bayes_error(a, e) for e in (0.0, 0.2, 1.0)] for a in (0.5, 2.0)]
    np.testing.assert_allclose(sw.bayes_error, expected, rtol=0, atol=0)
    assert sw.to_dict()["fields"]["bayes_error"][1][1] == pytest.approx(expected[1][1], abs=0)


@pytest.mark.parametrize("loss", BUILTIN)
def test_batched_solve_agrees_with_scalar_solves(loss):
    rng = np.random.default_rng(7)
    alpha = rng.uniform(0.3, 5.0, 3)
    eps = rng.uniform(0.0, 1.0, 3)
    for model in _models(loss):
        batch = raf.solve(model, alpha, eps)
        assert batch.shape == (3,) and batch.converged.all()
        for i in range(3):
            one = raf.solve(model, float(alpha[i]), float(eps[i]))
            for f in ("gen_error", "mem_error", "rule_train_error", "train_loss", "bayes_error"):
                assert getattr(batch, f)[i] == pytest.approx(getattr(one, f), rel=1e-9, abs=1e-12), (model, f)


def test_batched_bayes_and_lambda_zero_regimes():
    a = np.array([0.5, 1.0, 2.0, 6.0])
    b = raf.solve(raf.BayesOptimal(), a, 0.2)
    np.testing.assert_allclose(b.gen_error, [raf.bayes_error(x, 0.2) for x in a], rtol=1e-9)
    np.testing.assert_array_equal(b.gen_error, b.bayes_error)
    with pytest.warns(raf.SaddlePointWarning, match="no λ → 0 solution"):
        sq = raf.solve(raf.Linear(loss="square", lam=0.0), a, 0.2)
    np.testing.assert_array_equal(sq.singular, [False, True, False, False])
    assert math.isnan(sq.gen_error[1]) and not sq.converged[1] and sq.converged[[0, 2, 3]].all()
    for i in (0, 2, 3):
        assert sq.gen_error[i] == pytest.approx(raf.solve(raf.Linear(loss="square", lam=0.0), a[i], 0.2).gen_error,
                                                rel=1e-9)
    assert sq.mem_error[0] == 0.0  # min-norm interpolation below α = 1


def test_broadcasting_shapes_axes_and_exports(tmp_path):
    model = raf.RandomFeatures(loss="square", lam=0.1, kappa=1.0)
    res = raf.solve(model, np.array([[1.0], [2.0]]), [0.1, 0.2, 0.3], lam=[0.1, 0.5, 1.0], kappa=2.0)
    assert res.shape == (2, 3) and res.broadcast and res.converged.all()
    assert set(res.axes) == {"alpha", "epsilon", "lam"} and all(v.shape == (2, 3) for v in res.axes.values())
    assert res.fixed == {"kappa": 2.0}
    one = raf.solve(raf.RandomFeatures(loss="square", lam=0.5, kappa=2.0), 2.0, 0.2)
    assert res.gen_error[1, 1] == pytest.approx(one.gen_error, rel=1e-9)
    d = res.to_dict()
    assert np.asarray(d["axes"]["lam"]).shape == (2, 3) and np.asarray(d["fields"]["gen_error"]).shape == (2, 3)
    path = res.save(tmp_path / "batch.csv")
    lines = path.read_text().splitlines()
    assert len(lines) == 7 and "alpha" in lines[0] and "bayes_error" in lines[0]
    np.testing.assert_allclose(res.bayes_error, [[raf.bayes_error(a, e) for e in (0.1, 0.2, 0.3)] for a in (1.0, 2.0)])
    pd = pytest.importorskip("pandas")
    df = res.to_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == 6
    assert df["lam"].tolist() == [0.1, 0.5, 1.0] * 2
    # a scalar lam/kappa keyword keeps the scalar result
    assert isinstance(raf.solve(model, 2.0, 0.2, lam=0.5, kappa=2.0), raf.RAFResult)


@pytest.mark.parametrize("kwargs,match", [
    (dict(alpha=[1.0, -1.0], epsilon=0.2), "alpha must lie in"),
    (dict(alpha=[1.0, 2.0], epsilon=[0.2, np.nan]), "epsilon must contain only finite"),
    (dict(alpha=[1.0, 2.0], epsilon=[0.2, 1.5]), "epsilon must lie in"),
    (dict(alpha=[1.0, 2.0], epsilon=[0.1, 0.2, 0.3]), "cannot be broadcast"),
    (dict(alpha=[1.0, 2.0], epsilon=0.2, lam=[-0.1, 0.1]), "lam must lie in"),
    (dict(alpha=[1.0, 2.0], epsilon=0.2, kappa=[1.0, 2.0]), "kappa can only be set"),
    (dict(alpha=["a", "b"], epsilon=0.2), "alpha must be a number"),
])
def test_batched_validation_names_the_parameter(kwargs, match):
    with pytest.raises(ValueError, match=match):
        raf.solve(raf.Linear(loss="hinge", lam=0.1), **kwargs)


def test_batched_non_convergence_is_flagged_and_warned_once():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = raf.solve(raf.Linear(loss="hinge", lam=0.1), [1.0, 2.0], 0.2, max_iter=2)
    assert not res.converged.any()
    assert sum(issubclass(w.category, raf.SaddlePointWarning) for w in caught) == 1


def test_sweep_coexistence_unchanged_on_a_small_grid():
    model = raf.Linear(loss="hinge", lam=0.01)
    grid = dict(alpha=np.linspace(0.5, 4.0, 8), epsilon=[0.0, 0.4, 0.8])
    new = raf.sweep(model, **grid)
    u = raf.sweep(model, **grid, starts=("uninformed",))
    i = raf.sweep(model, **grid, starts=("informed",))
    brute = u.converged & i.converged & (np.abs(u.gen_error - i.gen_error) > 1e-6)
    np.testing.assert_array_equal(new.coexistence, brute)
    np.testing.assert_array_equal(new.gen_error, u.gen_error)


def test_second_start_traces_a_constructed_coexistence_region(monkeypatch):
    """A smooth first-start path with a jump at index 12 of a line, where a second branch exists on
    indices 8..12 (the hysteresis region before the jump): the second start is run around the jump
    and grown until the two agree again, and only there."""
    shape = (20, 2)
    n = 40
    alpha = np.linspace(1.0, 2.0, 20)
    lower = 0.4 - 0.05 * alpha
    gen = np.stack([np.where(np.arange(20) <= 12, lower, lower - 0.2), lower], axis=1).ravel()
    first = {"gen_error": gen.copy(), "mem_error": gen.copy(), "rule_train_error": gen.copy(), "train_loss": gen.copy(),
             "converged": np.ones(n, bool), "residual": np.zeros(n), "iterations": np.full(n, 10, dtype=np.int64)}
    other = np.stack([np.where((np.arange(20) >= 8) & (np.arange(20) <= 12), lower - 0.2, gen.reshape(shape)[:, 0]),
                      lower], axis=1).ravel()
    solved = []

    def fake_batch(model, plans, prev, start, tol, max_iter, nodes, workers, subset=None):
        solved.extend(int(i) for i in subset)
        out = {k: np.full(n, np.nan) for k in ("gen_error", "mem_error", "rule_train_error", "train_loss", "residual")}
        out["converged"] = np.zeros(n, bool)
        out["iterations"] = np.zeros(n, dtype=np.int64)
        out["gen_error"][subset] = other[subset]
        out["converged"][subset] = True
        return out

    monkeypatch.setattr(sweep_mod, "_solve_batch", fake_batch)
    coexist = np.zeros(n, bool)
    valid = np.ones(n, bool)
    cand = sweep_mod._candidates(first, shape, valid).reshape(shape)
    assert np.flatnonzero(cand[:, 0]).tolist() == [11, 12, 13, 14] and not cand[:, 1].any()
    sweep_mod._second_start(None, [None] * n, shape, valid, first, coexist, "informed", 1e-10, 100, 64)
    flagged = coexist.reshape(shape)
    assert np.flatnonzero(flagged[:, 0]).tolist() == [8, 9, 10, 11, 12] and not flagged[:, 1].any()
    assert len(set(solved)) < n // 2  # far from both starts everywhere
    # a smooth path (a kink, not a jump) triggers nothing
    kink = np.stack([np.where(np.arange(20) < 10, lower, lower[10] + 0.0), lower], axis=1).ravel()
    assert not sweep_mod._candidates({**first, "gen_error": kink}, shape, valid).any()


def test_parallel_batch_and_bayes_errors_match_scalar_calls():
    from memtheory.solvers.raf import pointwise as pw

    alpha = np.linspace(0.5, 4.0, 2 * pw.PARALLEL_MIN_POINTS)  # the threaded path, dynamic chunks
    model = raf.Kernel(loss="logistic", lam=0.2)
    res = raf.solve(model, alpha, 0.3)
    assert res.converged.all()
    for i in (0, 7, len(alpha) - 1):
        one = raf.solve(model, float(alpha[i]), 0.3)
        assert res.gen_error[i] == pytest.approx(one.gen_error, rel=1e-12)
        assert res.train_loss[i] == pytest.approx(one.train_loss, rel=1e-12)
    np.testing.assert_array_equal(res.bayes_error, [raf.bayes_error(a, 0.3) for a in alpha])


def test_second_start_is_not_run_on_a_smooth_grid(monkeypatch):
    calls = []
    original = sweep_mod._solve_batch

    def spy(*args, **kwargs):
        calls.append(kwargs.get("subset"))
        return original(*args, **kwargs)

    monkeypatch.setattr(sweep_mod, "_solve_batch", spy)
    res = raf.sweep(raf.Linear(loss="hinge", lam=0.1), alpha=np.linspace(0.5, 5.0, 16), epsilon=np.linspace(0, 1, 8))
    assert res.converged.all() and not res.coexistence.any()
    assert calls == [None]  # one full pass from the uninformed start, no second start anywhere


def test_median_along_lines_matches_nanmedian():
    import importlib
    import warnings

    sweep_module = importlib.import_module("memtheory.solvers.raf.sweep")
    rng = np.random.default_rng(0)
    for shape in [(16, 8), (5,), (7, 3, 4), (1, 4), (2, 2)]:
        for _ in range(20):
            values = rng.integers(1, 30, shape).astype(float)
            ok = rng.random(shape) < 0.6
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-excluded lines
                ref = np.nanmedian(np.where(ok, values, np.nan), axis=0, keepdims=True)
            ref = np.where(np.isfinite(ref), ref, np.inf)
            assert np.array_equal(sweep_module._median_along_lines(values, ok), ref)


def test_continuation_order_links_neighbours_of_the_same_kernel():
    # vectorized predecessor rule against its definition: the neighbour along axis 0, or for the first
    # row the previous point (the previous line's head); none across a missing plan or another kernel
    import importlib

    sweep_module = importlib.import_module("memtheory.solvers.raf.sweep")
    from memtheory.solvers.raf.solve import plan

    # square loss: at λ = 0 the kernel changes with α (min-norm below 1), and α = 1 has no solution
    alphas, epsilons, lams = [0.5, 1.0, 2.0, 3.0], [0.0, 0.5], [0.0, 0.1, 1.0]
    plans = []
    for a in alphas:
        for e in epsilons:
            for lam in lams:
                try:
                    plans.append(plan(raf.Linear("square", lam), a, e))
                except ValueError:
                    plans.append(None)
    shape = (len(alphas), len(epsilons), len(lams))
    prev = sweep_module._continuation_order(shape, sweep_module._PointPlans.from_list(plans))
    s0 = len(epsilons) * len(lams)
    assert any(p is None for p in plans) and len({p.channel_id for p in plans if p is not None}) > 1
    for i, pl in enumerate(plans):
        j = i - 1 if i < s0 else i - s0
        linked = j >= 0 and pl is not None and plans[j] is not None and plans[j].channel_id == pl.channel_id
        assert prev[i] == (j if linked else -1), i


def test_candidates_include_a_point_converging_much_slower_than_its_line():
    """Critical slowing down marks a point (and its neighbours along the line) whose iteration count is
    above 100 and four times its line's median; counts that never pass 100 mark nothing."""
    shape = (12, 2)
    n = 24
    gen = np.linspace(0.3, 0.2, 12)[:, None].repeat(2, axis=1).ravel()  # smooth: no jumps
    its = np.full(shape, 120, dtype=np.int64)
    its[6, 1] = 600
    first = {"gen_error": gen, "converged": np.ones(n, bool), "iterations": its.ravel()}
    valid = np.ones(n, bool)
    cand = sweep_mod._candidates(first, shape, valid).reshape(shape)
    assert np.flatnonzero(cand[:, 1]).tolist() == [5, 6, 7] and not cand[:, 0].any()
    its[6, 1] = 99
    its[:, :] = np.minimum(its, 99)
    assert not sweep_mod._candidates({**first, "iterations": its.ravel()}, shape, valid).any()
    # a non-converged point is a candidate whatever its count
    conv = np.ones(n, bool)
    conv[3] = False
    assert sweep_mod._candidates({**first, "converged": conv, "iterations": its.ravel()}, shape, valid)[3]
