"""One registry of names (memtheory.core.names) used by every layer, and one module of checks."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from memtheory.core import checks, names
from memtheory.simulations import raf as sim
from memtheory.solvers import raf
from memtheory.solvers.raf import activations as solver_activations
from memtheory.studies.models import make_model


def test_every_layer_uses_the_registry():
    assert raf.LEARNERS == names.SOLVER_LEARNERS
    gcm = raf.GaussianCovariate(loss="square", lam=0.1, eigenvalues=[1.0, 2.0])
    assert {m.learner for m in (raf.Linear(), raf.Kernel(activation="sign"), raf.RandomFeatures(),
                                raf.BayesOptimal(), gcm)} == set(names.SOLVER_LEARNERS)
    assert set(names.LOSSES) <= set(raf.LOSSES)  # the solvers implement every built-in loss
    assert sim.LEARNERS == names.SIMULATION_LEARNERS
    assert tuple(sim.ACTIVATIONS) == names.ACTIVATIONS == tuple(solver_activations.ACTIVATIONS)
    assert sim.KERNELS == names.KERNELS
    from memtheory.simulations.raf import losses

    assert losses.LOSSES == names.LOSSES
    assert set(names.SOLVER_LEARNERS) | set(names.SIMULATION_LEARNERS) == set(names.LEARNERS)
    for kind, aliases in names.ALIASES.items():
        assert set(aliases.values()) <= set(names.KINDS[kind])


@pytest.mark.parametrize("spelling", ["random_features", "random-features", "RF", "rf", "RandomFeatures"])
def test_aliases_mean_the_same_learner_everywhere(spelling):
    assert names.canonical("learner", spelling) == "random_features"
    assert make_model(spelling, loss="square", lam=0.1, kappa=2.0) == raf.RandomFeatures(loss="square", lam=0.1,
                                                                                         kappa=2.0)
    spec = sim.make_spec(learner=spelling, loss="square", lam=0.1, alpha=2.0, epsilon=0.2, d=20, kappa=2.0)
    assert spec.learner == "random_features"


def _cli_json(capsys, argv):
    from memtheory.cli import main

    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_raf_solve_and_sweep_take_the_same_learner_names(capsys, tmp_path):
    point = ["--loss", "square", "--lam", "0.1", "--alpha", "2", "--epsilon", "0.2", "--kappa", "2"]
    outs = [_cli_json(capsys, ["raf", "solve", "--learner", name, *point, "--compact"])
            for name in ("random-features", "rf", "random_features")]
    assert outs[0] == outs[1] == outs[2] and outs[0]["learner"] == "random_features"
    from memtheory.cli import main

    csv = tmp_path / "s.csv"
    assert main(["raf", "sweep", "--learner", "random-features", "--loss", "square", "--lam", "0.1",
                 "--alpha", "2", "--epsilon", "0.2", "--kappa", "2", "--workers", "1", "--out", str(csv)]) == 0
    row = dict(zip(*[line.split(",") for line in csv.read_text().splitlines()[:2]]))
    assert math.isclose(float(row["gen_error"]), outs[0]["gen_error"], rel_tol=1e-8)
    capsys.readouterr()
    assert main(["raf", "solve", "--learner", "two_layer", *point]) == 2  # a simulation-only learner
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown learner 'two_layer'" in err[0] and "random_features" in err[0]


@pytest.mark.parametrize("kind,bad", [("learner", "perceptrons"), ("loss", "squared"), ("activation", "gelu"),
                                      ("kernel", "laplace"), ("loss", None), ("loss", 1.0)])
def test_unknown_names_are_refused_with_the_allowed_ones(kind, bad):
    with pytest.raises(ValueError, match=f"unknown {kind}.*allowed: {names.KINDS[kind][0]}"):
        names.canonical(kind, bad)


def test_unknown_names_in_each_layer():
    with pytest.raises(ValueError, match="unknown loss 'cubic'; allowed: square"):
        raf.Linear(loss="cubic")
    with pytest.raises(ValueError, match="unknown loss 'cubic'; allowed: square"):
        sim.make_spec(learner="linear", loss="cubic", alpha=2.0, epsilon=0.2, d=10)
    with pytest.raises(ValueError, match="unknown learner 'bo'; allowed: linear, kernel, random_features, two_layer"):
        sim.make_spec(learner="bo", loss="square", alpha=2.0, epsilon=0.2, d=10)


# --- one module of checks: bools are not numbers ---------------------------------------------------

@pytest.mark.parametrize("check,args", [
    (checks.check_finite, ()), (checks.check_positive, ()), (checks.check_nonnegative, ()),
    (checks.check_interval, (0.0, 1.0)), (checks.check_unit_interval, ()), (checks.check_number, ()),
    (checks.check_int, ()), (checks.check_positive_int, ()),
])
@pytest.mark.parametrize("value", [True, False, np.bool_(True)])
def test_bools_are_rejected_for_numeric_parameters(check, args, value):
    with pytest.raises(ValueError, match="lam must be a real number, got the bool"):
        check("lam", value, *args)


def test_bools_are_rejected_by_solvers_and_simulations():
    with pytest.raises(ValueError, match="lam"):
        raf.Linear(loss="square", lam=True)
    with pytest.raises(ValueError, match="epsilon"):
        raf.solve(raf.Linear(), alpha=2.0, epsilon=True)
    with pytest.raises(ValueError, match="alpha"):
        sim.make_spec(learner="linear", loss="square", alpha=True, epsilon=0.2, d=10)
    with pytest.raises(ValueError, match="seeds"):
        checks.check_seeds("seeds", [0, True])


@pytest.mark.parametrize("check,value,args,message", [
    (checks.check_positive, 0.0, (), r"alpha must be > 0 \(allowed range \(0, inf\)\)"),
    (checks.check_positive, -1.0, (), r"alpha must be > 0"),
    (checks.check_nonnegative, -1e-9, (), r"alpha must be >= 0 \(allowed range \[0, inf\)\)"),
    (checks.check_interval, 1.5, (0.0, 1.0), r"alpha must lie in \[0.0, 1.0\]"),
    (checks.check_unit_interval, -0.1, (), r"alpha must lie in \[0.0, 1.0\]"),
    (checks.check_finite, math.nan, (), r"alpha must be a finite real number"),
    (checks.check_positive, math.inf, (), r"alpha must be a finite real number"),
    (checks.check_positive_int, 2.5, (), r"alpha must be a positive integer"),
    (checks.check_int, -1, (), r"alpha must be an integer in \[0, inf\]"),
    (checks.check_finite, "x", (), r"alpha must be a finite real number, got 'x'"),
])
def test_messages_name_the_parameter_and_range(check, value, args, message):
    with pytest.raises(ValueError, match=message):
        check("alpha", value, *args)


def test_checks_accept_good_values():
    assert checks.check_positive("x", np.float32(2.0)) == 2.0
    assert checks.check_positive("x", math.inf, allow_inf=True) == math.inf
    assert checks.check_int("n", 1e4) == 10000 and checks.check_positive_int("n", 3.0) == 3
    assert checks.check_seeds("seeds", 3) == (0, 1, 2)
    assert checks.check_interval("e", 1.0, 0.0, 1.0) == 1.0
    with pytest.raises(ValueError, match=r"e must lie in \[0.0, 1.0\)"):
        checks.check_interval("e", 1.0, 0.0, 1.0, closed=(True, False))
    np.testing.assert_array_equal(checks.check_array("a", [[1, 2]], shape=(None, 2)), [[1.0, 2.0]])
