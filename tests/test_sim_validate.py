"""memtheory.studies.raf_validate and ``memtheory raf validate``: theory vs simulation side by side."""

import argparse
import json
import math

import numpy as np
import pytest

from memtheory.simulations.raf import blas_threads
from memtheory.studies.raf_validate import extrapolate, grid, reference_theory, validate


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with blas_threads(1):
        yield


def test_extrapolate_recovers_intercept_of_exact_law():
    ds = np.array([100.0, 200.0, 400.0, 800.0])
    a, se = extrapolate(ds, 0.3 + 2.0 / ds, np.full(4, 1e-3))
    assert a == pytest.approx(0.3, abs=1e-12)
    # s.e. of the intercept from (AᵀWA)⁻¹, checked against a direct Monte-Carlo of the fit.
    rng = np.random.default_rng(0)
    fits = [extrapolate(ds, 0.3 + 2.0 / ds + 1e-3 * rng.standard_normal(4), np.full(4, 1e-3))[0] for _ in range(4000)]
    assert np.std(fits) == pytest.approx(se, rel=0.06)
    with pytest.raises(ValueError, match="ds"):
        extrapolate([100, 100], [0.1, 0.1], [1e-3, 1e-3])


def test_grid_is_cartesian_product():
    pts = grid(learner="linear", lam=[0.1, 1.0], alpha=np.array([1.0, 2.0, 3.0]))
    assert len(pts) == 6 and {p["lam"] for p in pts} == {0.1, 1.0} and all(p["learner"] == "linear" for p in pts)


def test_validate_with_solver_theory_and_extrapolation(tmp_path):
    pytest.importorskip("memtheory.solvers.raf")
    pts = [dict(learner="linear", loss="square", lam=0.1, alpha=2.0, epsilon=0.2),
           dict(learner="random_features", loss="square", lam=0.1, alpha=2.0, epsilon=0.2, kappa=2.0)]
    rep = validate(pts, seeds=8, ds=[150, 300], theory="solver")
    assert rep.theory_source == "memtheory.solvers.raf"
    # 2 points × 3 metrics × (2 dimensions + the extrapolated row)
    assert len(rep.rows) == 18 and sum(math.isinf(r.d) for r in rep.rows) == 6
    gen = [r for r in rep.rows if r.metric == "gen_error" and r.d == 300]
    assert gen[0].theory == pytest.approx(0.26823, abs=1e-4)  # docs/theory/raf.md §11, linear square λ = 0.1
    assert gen[1].theory == pytest.approx(0.36993, abs=1e-4)  # docs/theory/raf.md §11, RF κ = 2
    finite = [r for r in rep.rows if math.isfinite(r.d)]
    assert all(abs(r.z) < 4 for r in finite), rep.table()
    csv_path, json_path = rep.write(str(tmp_path))
    data = json.loads(open(json_path).read())
    assert len(data["rows"]) == 18 and open(csv_path).read().count("\n") == 19


def test_validate_custom_theory_detects_disagreement():
    pts = [dict(learner="linear", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=200)]
    wrong = lambda spec: {"gen_error": 0.40, "mem_error": 0.5}  # noqa: E731
    rep = validate(pts, seeds=6, theory=wrong, metrics=("gen_error", "mem_error"))
    assert rep.max_abs_z > 4
    assert "0.40000" in rep.table()


def test_reference_theory_lookup():
    from memtheory.simulations.raf import make_spec

    assert reference_theory(make_spec("linear", "hinge", 0.1, 2.0, 0.2, d=10))["gen_error"] == 0.26890
    assert reference_theory(make_spec("linear", "hinge", 0.3, 2.0, 0.2, d=10)) == {}


def test_validate_bad_input():
    with pytest.raises(ValueError, match="preset"):
        validate("no-such-preset")
    with pytest.raises(ValueError, match="theory"):
        validate([dict(learner="linear")], theory="oracle")
    with pytest.raises(ValueError, match="metric"):
        validate([dict(learner="linear", d=10)], metrics=("accuracy",))
    with pytest.raises(ValueError, match="points"):
        validate([])


def _cli(argv):
    from memtheory.commands.raf_validate import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.handler(args)


def test_cli_grid_prints_table_and_writes_files(tmp_path, capsys):
    code = _cli(["validate", "--learner", "linear", "--loss", "hinge", "--lam", "0.1,1", "--d", "150",
                 "--seeds", "6", "--out", str(tmp_path), "--theory", "reference"])
    out = capsys.readouterr().out
    assert "linear hinge lam=0.1" in out and "linear hinge lam=1" in out and "max |z|" in out
    assert (tmp_path / "raf_validate.csv").exists() and (tmp_path / "raf_validate.json").exists()
    assert code in (0, 1)
    rows = json.loads((tmp_path / "raf_validate.json").read_text())["rows"]
    assert code == (1 if any(r["z"] is not None and abs(r["z"]) > 4 for r in rows) else 0)


def test_cli_bad_input_exits_2(capsys):
    from memtheory.cli import main

    assert main(["raf", "validate", "--learner", "boosting"]) == 2
    assert "learner" in capsys.readouterr().err
    assert main(["raf", "validate", "--learner", "linear", "--d", "0"]) == 2


@pytest.mark.slow
def test_cli_spec10_preset_reproduces_spec_agreement(tmp_path, capsys):
    code = _cli(["validate", "--out", str(tmp_path), "--workers", "2"])
    out = capsys.readouterr().out
    print(out)
    assert code == 0, out
