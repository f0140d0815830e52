"""Finite-size simulations vs the RAF theory at moderate d, fixed seeds (docs/theory/raf.md §11).

The theory values are the docs/theory/raf.md §11 reference numbers (an independent re-implementation of the
saddle-point equations), so these tests do not depend on memtheory.solvers.raf; test_sim_validate.py runs the
same comparison through memtheory.solvers.raf. Tolerance: |z| < 4 with z = (sim mean − theory)/s.e. over seeds,
plus a floor of half the resolution of an error rate (see simulations.validate). The power check
below shows the same statistic rejects a wrong λ.
"""

import numpy as np
import pytest

from memtheory.simulations import raf as sim
from memtheory.studies.raf_validate import SPEC10_REFERENCE
from memtheory.simulations.raf import blas_threads

@pytest.fixture(autouse=True)
def _one_blas_thread():
    # Small matrices on a shared machine: one BLAS thread per job (see memtheory.simulations.raf._threads).
    with blas_threads(1):
        yield


COMMON = dict(alpha=2.0, epsilon=0.2)


def _z(r, metric, theory):
    n_facts = round(r.spec.epsilon * r.spec.n)
    count = {"gen_error": r.spec.n_test, "mem_error": n_facts, "rule_train_error": r.spec.n - n_facts}[metric]
    se = max(r.sem(metric), 0.5 / (count * len(r.seeds)))
    return (r.mean(metric) - theory) / se


CASES = [
    ("linear", "square", 0.1, None, dict(d=400, seeds=16)),
    ("linear", "hinge", 0.1, None, dict(d=400, seeds=16)),
    ("linear", "hinge", 1.0, None, dict(d=400, seeds=12)),
    ("kernel", "square", 1.0, None, dict(d=400, seeds=12, activation="sign")),
    ("random_features", "square", 0.1, 2.0, dict(d=300, seeds=12, activation="sign")),
]


@pytest.mark.parametrize("learner,loss,lam,kappa,kw", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_simulation_agrees_with_spec10(learner, loss, lam, kappa, kw):
    extra = {} if kappa is None else {"kappa": kappa}
    r = sim.simulate(learner=learner, loss=loss, lam=lam, **COMMON, **kw, **extra)
    assert r.all_converged
    ref = SPEC10_REFERENCE[(learner, loss, lam, 2.0, 0.2, kappa)]
    for metric, theory in zip(("gen_error", "mem_error", "rule_train_error"), ref):
        if theory is not None:
            z = _z(r, metric, theory)
            assert abs(z) < 4, f"{metric}: sim {r.mean(metric):.4f} ± {r.sem(metric):.4f} vs theory {theory}, z={z:.2f}"


def test_agreement_statistic_has_power():
    # Same simulation, theory of the wrong ridge (λ = 1 instead of 0.1): must be rejected.
    r = sim.simulate(learner="linear", loss="square", lam=0.1, **COMMON, d=400, seeds=16)
    wrong = SPEC10_REFERENCE[("linear", "square", 1.0, 2.0, 0.2, None)]
    assert abs(_z(r, "mem_error", wrong[1])) > 4
    assert abs(_z(r, "gen_error", wrong[0])) > 4


def test_min_norm_and_max_margin_interpolate_facts():
    # λ = 0 below the thresholds: ε_mem = 0 exactly (docs/theory/raf.md §6), ε_gen near the spec values.
    r = sim.simulate(learner="linear", loss="square", lam=0.0, alpha=0.5, epsilon=0.2, d=300, seeds=8)
    assert np.all(r.mem_error == 0) and abs(_z(r, "gen_error", 0.3836)) < 4
    r = sim.simulate(learner="linear", loss="hinge", lam=0.0, alpha=1.0, epsilon=0.2, d=300, seeds=8)
    assert r.all_converged and np.all(r.mem_error == 0) and np.all(r.rule_train_error == 0)


@pytest.mark.slow
def test_kernel_svm_agrees_with_spec10_at_d800():
    r = sim.simulate(learner="kernel", loss="hinge", lam=1.0, **COMMON, d=800, seeds=20, activation="sign")
    ref = SPEC10_REFERENCE[("kernel", "hinge", 1.0, 2.0, 0.2, None)]
    assert r.all_converged
    assert abs(_z(r, "gen_error", ref[0])) < 4 and abs(_z(r, "mem_error", ref[1])) < 4


@pytest.mark.slow
@pytest.mark.parametrize("kappa", [1.0, 3.0])
def test_random_features_kappa_sweep_at_d800(kappa):
    r = sim.simulate(learner="random_features", loss="square", lam=0.1, **COMMON, d=800, seeds=12,
                     kappa=kappa, activation="sign")
    ref = SPEC10_REFERENCE[("random_features", "square", 0.1, 2.0, 0.2, kappa)]
    assert abs(_z(r, "gen_error", ref[0])) < 4 and abs(_z(r, "mem_error", ref[1])) < 4


@pytest.mark.slow
@pytest.mark.parametrize("lam", [0.01, 10.0])
def test_linear_lambda_sweep_at_d800(lam):
    for loss in ("square", "hinge"):
        r = sim.simulate(learner="linear", loss=loss, lam=lam, **COMMON, d=800, seeds=20)
        ref = SPEC10_REFERENCE[("linear", loss, lam, 2.0, 0.2, None)]
        for metric, theory in zip(("gen_error", "mem_error", "rule_train_error"), ref):
            assert abs(_z(r, metric, theory)) < 4, (loss, metric)
