"""``memtheory raf sweep`` / ``raf phase-diagram`` / ``figures``: outputs and exit codes."""

from __future__ import annotations

import csv

import pytest

from memtheory.cli import main


def run(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse errors (malformed ranges) exit directly
        return int(exc.code)


def test_sweep_writes_csv_matching_reference(tmp_path):
    out = tmp_path / "grid.csv"
    argv = ["raf", "sweep", "--learner", "linear", "--loss", "square", "--alpha", "0.5:2:3",
            "--epsilon", "0.2", "--lam", "0.1", "--workers", "1", "--out", str(out)]
    assert run(argv) == 0
    rows = list(csv.DictReader(out.open()))
    assert [float(r["alpha"]) for r in rows] == [0.5, 1.25, 2.0]
    assert {"gen_error", "mem_error", "rule_train_error", "converged"} <= set(rows[0])
    # docs/theory/raf.md §11: linear square loss, α = 2, ε = 0.2, λ = 0.1
    assert float(rows[-1]["gen_error"]) == pytest.approx(0.26823, abs=2e-5)
    assert float(rows[-1]["mem_error"]) == pytest.approx(0.16818, abs=2e-5)


def test_phase_diagram_any_two_axes(tmp_path):
    png, data = tmp_path / "pd.png", tmp_path / "pd.csv"
    argv = ["raf", "phase-diagram", "--learner", "kernel", "--x", "lam", "--y", "alpha", "--lam", "0.1:1:3",
            "--alpha", "1:2:4", "--z", "mem_error", "--workers", "1", "--out", str(png), "--data", str(data)]
    assert run(argv) == 0
    assert png.stat().st_size > 5000
    rows = list(csv.DictReader(data.open()))
    assert len(rows) == 12 and float(rows[0]["epsilon"]) == 0.2


@pytest.mark.parametrize("argv, message", [
    (["raf", "sweep", "--learner", "perceptronx"], "unknown learner"),
    (["raf", "sweep", "--learner", "linear", "--loss", "cubic"], "unknown loss"),
    (["raf", "sweep", "--learner", "linear", "--kappa", "2"], "kappa applies to random features"),
    (["raf", "sweep", "--learner", "linear", "--epsilon", "-0.5"], "epsilon"),
    (["raf", "phase-diagram", "--learner", "linear", "--x", "beta", "--out", "x.png"], "unknown --x axis"),
    (["raf", "phase-diagram", "--learner", "linear", "--z", "accuracy", "--out", "x.png"], "unknown --z output"),
    (["raf", "phase-diagram", "--learner", "linear", "--x", "alpha", "--y", "alpha", "--out", "x.png"], "must differ"),
    (["raf", "phase-diagram", "--learner", "linear", "--out", "x.txt"], ".png"),
])
def test_bad_names_exit_2_with_one_line(argv, message, capsys):
    assert run(argv + ["--workers", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


@pytest.mark.parametrize("bad", ["1:2", "a:b:3", "0:1:0", "1,,2", "nan"])
def test_bad_ranges_exit_2(bad, capsys):
    assert run(["raf", "sweep", "--learner", "linear", "--alpha", bad]) == 2
    assert "invalid range" in capsys.readouterr().err
