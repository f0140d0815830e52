"""``memtheory capacity`` command line."""

import json
import math

import pytest

from memtheory.cli import main


def test_bound_prints_every_bound(capsys):
    assert main(["capacity", "bound", "--params", "110e6", "--bits-per-param", "2", "--facts", "1e7",
                 "--values", "1e7", "--zipf", "1.1", "--exposures", "1e9", "--min-exposures", "100"]) == 0
    out = capsys.readouterr().out
    for text in ("capacity C", "m* = min(N, C/H)", "p*", "subset", "frequency-weighted", "E*"):
        assert text in out
    assert "9.46094e+06" in out


def test_bound_json(capsys):
    assert main(["capacity", "bound", "--params", "110e6", "--bits-per-param", "allen-zhu-1000",
                 "--facts", "1e7", "--values", "1e4,1e3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["capacity_bits"] == 2.2e8
    assert d["entropy_bits"] == pytest.approx(math.log2(1e7))
    assert d["subset_accuracy"] <= d["p_star"] <= 1
    assert set(d) >= {"m_star", "info_ratio", "weighted_accuracy", "facts_with_min_exposures"}


@pytest.mark.parametrize("args,name", [
    (["--facts", "0", "--values", "10"], "n_facts"),
    (["--facts", "-3", "--values", "10"], "n_facts"),
    (["--facts", "10", "--values", "1"], "values"),
    (["--facts", "10", "--values", "10", "--zipf", "-0.5"], "zipf"),
    (["--facts", "10", "--values", "10", "--bits-per-param", "0"], "bits_per_param"),
    (["--facts", "10", "--values", "10", "--bits-per-param", "-2"], "bits_per_param"),
])
def test_bad_input_exits_2_naming_the_parameter(args, name, capsys):
    argv = ["capacity", "bound", "--params", "1e6", *args]
    if "--bits-per-param" not in args:
        argv += ["--bits-per-param", "2"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert name in err and len(err.strip().splitlines()) == 1


def test_malformed_values_exit_2():
    with pytest.raises(SystemExit) as exc:
        main(["capacity", "bound", "--params", "1e6", "--facts", "10", "--values", "ten"])
    assert exc.value.code == 2


def test_gardner_command(capsys):
    pytest.importorskip("memtheory.solvers.raf")
    assert main(["capacity", "gardner", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["alpha_c"] == pytest.approx(2.0) and round(d["bits_per_param"], 2) == 2.0


def test_experiment_command_tiny(capsys, tmp_path):
    pytest.importorskip("torch")
    out = tmp_path / "sweep.npz"
    assert main(["capacity", "experiment", "--config", "tiny", "--n-facts", "40,120", "--exposures", "6000",
                 "--no-ablations", "--quiet", "--json", "--out", str(out)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["m_star"] == pytest.approx(d["capacity_emp_bits"] / d["entropy_bits"])
    assert out.exists()
