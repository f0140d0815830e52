"""Results users can carry on with: dicts, DataFrames, xarray Datasets, files by suffix."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from memtheory.solvers import raf

ALPHA = np.array([0.5, 2.0])
EPS = np.array([0.1, 0.2, 0.3])


@pytest.fixture(scope="module")
def grid():
    return raf.sweep(raf.Kernel(loss="hinge", lam=0.1, activation="sign"), alpha=ALPHA, epsilon=EPS)


def test_raf_result_to_dict_is_json_and_names_the_model():
    res = raf.solve(raf.RandomFeatures(loss="square", lam=0.1, kappa=2.0, activation="sign"), alpha=2.0, epsilon=0.2)
    d = res.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["learner"] == "random_features" or d["learner"].startswith("random")
    assert d["loss"] == "square" and d["lam"] == 0.1 and d["kappa"] == 2.0 and d["activation"] == "sign"
    assert d["gen_error"] == res.gen_error and d["memtheory_version"]


def test_to_xarray_round_trips_through_netcdf(grid, tmp_path):
    xr = pytest.importorskip("xarray")
    ds = grid.to_xarray()
    assert ds.gen_error.dims == ("alpha", "epsilon")
    np.testing.assert_array_equal(ds.alpha.values, ALPHA)
    np.testing.assert_array_equal(ds.gen_error.values, grid.gen_error)
    assert ds.attrs["learner"] == "kernel" and ds.attrs["loss"] == "hinge" and ds.attrs["activation"] == "sign"
    path = grid.save(tmp_path / "grid.nc")
    back = xr.load_dataset(path)
    assert back.equals(ds)
    assert back.attrs["lam"] == 0.1 and back.attrs["memtheory_version"]


def test_dataframe_and_csv_carry_the_model_columns(grid, tmp_path):
    pytest.importorskip("pandas")
    df = grid.to_dataframe()
    assert len(df) == ALPHA.size * EPS.size
    for col in ("learner", "loss", "activation", "lam", "memtheory_version", "alpha", "epsilon", "gen_error"):
        assert col in df.columns
    rows = list(csv.DictReader(open(grid.save(tmp_path / "grid.csv"))))
    assert len(rows) == len(df) and rows[0]["learner"] == "kernel" and rows[0]["loss"] == "hinge"
    assert float(rows[-1]["gen_error"]) == pytest.approx(grid.gen_error[-1, -1], rel=1e-9)
    doc = json.loads((grid.save(tmp_path / "grid.json")).read_text())
    assert doc["attributes"]["activation"] == "sign" and len(doc["points"]) == len(df)


def test_unknown_suffix_is_refused(grid, tmp_path):
    with pytest.raises(ValueError, match="suffix"):
        grid.save(tmp_path / "grid.txt")


def _cli(*argv):
    return subprocess.run([sys.executable, "-m", "memtheory", *argv], capture_output=True, text=True, timeout=300)


def test_cli_sweep_format_by_suffix(tmp_path):
    out = tmp_path / "g.json"
    r = _cli("raf", "sweep", "--learner", "linear", "--loss", "hinge", "--alpha", "0.5,2", "--epsilon", "0.2",
             "--lam", "0.1", "--workers", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    assert doc["attributes"]["learner"] == "linear" and len(doc["points"]) == 2
    bad = _cli("raf", "sweep", "--learner", "linear", "--alpha", "1", "--out", str(tmp_path / "g.xlsx"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and not (tmp_path / "g.xlsx").exists()
