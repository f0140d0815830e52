"""Public API of memtheory.simulations.raf: datasets, simulate, bad input, executors."""

import warnings

import numpy as np
import pytest

from memtheory.simulations import raf as sim
from memtheory.simulations.raf.datasets import make_raf_data, make_test_set, spawn_rngs
from memtheory.simulations.raf import blas_threads

@pytest.fixture(autouse=True)
def _one_blas_thread():
    # Small matrices on a shared machine: one BLAS thread per job (see memtheory.simulations.raf._threads).
    with blas_threads(1):
        yield



def test_dataset_structure():
    rng = np.random.default_rng(0)
    data = make_raf_data(1000, 50, 0.3, rng)
    assert data.X.shape == (1000, 50)
    assert np.linalg.norm(data.teacher) ** 2 / 50 == pytest.approx(1.0, rel=1e-12)
    assert data.is_fact.sum() == 300
    rule = ~data.is_fact
    np.testing.assert_array_equal(data.y[rule], np.sign(data.X[rule] @ data.teacher))
    # Fact labels are independent of the teacher: agreement ≈ 1/2 within 5 binomial s.e.
    agree = np.mean(data.y[data.is_fact] == np.sign(data.X[data.is_fact] @ data.teacher))
    assert abs(agree - 0.5) < 5 * 0.5 / np.sqrt(300)
    assert set(np.unique(data.y)) == {-1.0, 1.0}


def test_population_gen_error_matches_fresh_test_set():
    rng = np.random.default_rng(1)
    d = 40
    teacher = sim.make_teacher(d, rng)
    w = teacher + 1.3 * rng.standard_normal(d)
    X, y = make_test_set(200_000, teacher, rng)
    mc = np.mean(np.sign(X @ w) != y)
    exact = sim.population_gen_error(w, teacher)
    assert abs(mc - exact) < 5 * np.sqrt(exact * (1 - exact) / 200_000)


def test_simulate_shapes_and_reproducibility():
    r = sim.simulate(learner="linear", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=60, seeds=4)
    for name in ("gen_error", "mem_error", "rule_train_error", "train_loss"):
        assert getattr(r, name).shape == (4,)
    assert r.all_converged
    r2 = sim.simulate(learner="linear", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=60, seeds=[2, 3])
    np.testing.assert_array_equal(r2.gen_error, r.gen_error[2:])
    assert len(set(r.gen_error)) == 4  # distinct seeds, distinct data
    s = r.summary()
    assert s["gen_error"] == pytest.approx(r.gen_error.mean()) and s["gen_error_se"] > 0


def test_same_seed_same_training_set_across_learners():
    # Paired comparisons: the data stream of a seed does not depend on the learner.
    a = make_raf_data(80, 40, 0.2, spawn_rngs(5, 4)[0])
    b = make_raf_data(80, 40, 0.2, spawn_rngs(5, 4)[0])
    np.testing.assert_array_equal(a.X, b.X)


@pytest.mark.parametrize("learner,kw", [
    ("kernel", dict(loss="square", activation="relu")),
    ("kernel", dict(loss="hinge", kernel="rbf", eta=2.0)),
    ("random_features", dict(loss="logistic", activation="tanh", kappa=1.5)),
    ("random_features", dict(loss="hinge", activation="relu", kappa=0.5)),
    ("linear", dict(loss="logistic")),
])
def test_every_learner_runs(learner, kw):
    r = sim.simulate(learner=learner, lam=0.5, alpha=1.5, epsilon=0.3, d=40, seeds=2, n_test=500, **kw)
    assert r.all_converged
    assert np.all((r.gen_error >= 0) & (r.gen_error <= 1))
    assert np.all(r.gen_error < 0.5)  # every learner picks up the rule at α = 1.5


@pytest.mark.parametrize("kwargs,param", [
    (dict(d=0), "d"),
    (dict(d=-5), "d"),
    (dict(n=0), "n"),
    (dict(learner="random_features", kappa=0.0), "kappa"),
    (dict(learner="random_features", kappa=-1.0), "kappa"),
    (dict(epsilon=1.5), "epsilon"),
    (dict(epsilon=-0.1), "epsilon"),
    (dict(lam=-0.1), "lam"),
    (dict(learner="boosting"), "learner"),
    (dict(learner="kernel", kernel=3.0), "kernel"),
    (dict(seeds=[]), "seeds"),
    (dict(seeds=0), "seeds"),
    (dict(loss="logistic", learner="kernel"), "loss"),
    (dict(alpha=0.0), "alpha"),
    (dict(learner="two_layer", width=0), "width"),
])
def test_bad_input_raises_value_error_naming_parameter(kwargs, param):
    base = dict(learner="linear", loss="square", lam=0.1, alpha=2.0, epsilon=0.2, d=20, seeds=1)
    with pytest.raises(ValueError, match=param):
        sim.simulate(**{**base, **kwargs})


def test_non_convergence_is_flagged_in_result():
    # Max-margin on non-separable data (ε = 1, α = 6 > α_c = 2) cannot meet its KKT tolerance.
    with pytest.warns(RuntimeWarning, match="not reached"):
        r = sim.simulate(learner="linear", loss="hinge", lam=0.0, alpha=6.0, epsilon=1.0, d=10, seeds=2)
    assert not r.converged.any() and not r.all_converged
    assert not r.summary()["all_converged"]


def test_no_facts_gives_nan_memorization():
    r = sim.simulate(learner="linear", loss="square", lam=0.1, alpha=2.0, epsilon=0.0, d=30, seeds=2)
    assert np.all(np.isnan(r.mem_error)) and np.isnan(r.mean("mem_error"))


def test_process_executor_gives_serial_numbers():
    points = [dict(learner="linear", loss="square", lam=0.1, alpha=2.0, epsilon=0.2, d=30),
              dict(learner="kernel", loss="hinge", lam=1.0, alpha=2.0, epsilon=0.2, d=30, n_test=300)]
    serial = sim.run_points(points, [0, 1], executor=None)
    parallel = sim.run_campaign(points, [0, 1], max_workers=2)
    for a, b in zip(serial, parallel):
        np.testing.assert_array_equal(a.gen_error, b.gen_error)
        np.testing.assert_array_equal(a.mem_error, b.mem_error)


def test_dask_client_takes_the_same_jobs():
    distributed = pytest.importorskip("dask.distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            r = sim.simulate(learner="linear", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=30, seeds=3,
                             executor=client)
    ref = sim.simulate(learner="linear", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=30, seeds=3)
    np.testing.assert_array_equal(r.gen_error, ref.gen_error)
    np.testing.assert_array_equal(r.rule_train_error, ref.rule_train_error)


def test_bad_executor_raises():
    with pytest.raises(ValueError, match="executor"):
        sim.simulate(learner="linear", d=10, seeds=1, executor=object())


def test_blas_threads_context_sets_and_restores_blas_pools():
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    if not blas_threads():
        pytest.skip("no BLAS library loaded in this process")
    with sim.blas_threads(2):  # the autouse fixture already holds the pools at 1
        assert all(n == 2 for n in blas_threads())
        with sim.blas_threads(1):
            assert all(n == 1 for n in blas_threads())
        assert all(n == 2 for n in blas_threads())


def test_thread_count_does_not_change_results():
    kw = dict(learner="linear", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=40, seeds=2)
    np.testing.assert_allclose(sim.simulate(**kw).gen_error, sim.simulate(blas_threads=None, **kw).gen_error,
                               rtol=1e-9)
