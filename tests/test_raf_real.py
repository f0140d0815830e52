"""The real-data rules-and-facts protocol (`memtheory raf real`) and its data loading."""

import csv

import numpy as np
import pytest

from memtheory.cli import main
from memtheory.simulations.raf.real_data import load_labelled, make_real_split, median_sq_distance, zscore
from memtheory.studies.raf_real import parse_log_grid, rbf_coefficients


def _npz(tmp_path, name="data.npz", **arrays):
    path = tmp_path / name
    np.savez(path, **arrays)
    return str(path)


def _blobs(n_per=120, d=10, seed=0):
    """Three Gaussian classes: 0 and 1 separated along the first axis, 2 elsewhere."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3 * n_per, d))
    y = np.repeat([0, 1, 2], n_per)
    X[y == 1, 0] += 4.0
    X[y == 2, 1] += 4.0
    return X, y


def test_split_sizes_labels_and_zscoring():
    X, y = _blobs()
    from memtheory.simulations.raf.real_data import LabelledData

    data = LabelledData(X, y, "blobs")
    split = make_real_split(data, (0, 1), 2, alpha=5.0, epsilon=0.2, rng=np.random.default_rng(3))
    assert split.X_train.shape == (50, 10) and split.is_fact.sum() == 10
    assert split.X_test.shape[0] == 240 - 40
    np.testing.assert_allclose(split.X_train.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(split.X_train.std(0), 1, atol=1e-12)
    # rule labels follow the classes: class 1 (shifted along axis 0) is +1
    rule = ~split.is_fact
    pos, neg = split.X_train[rule & (split.y_train > 0), 0], split.X_train[rule & (split.y_train < 0), 0]
    assert pos.mean() - neg.mean() > 1.5  # class 1 (shifted along axis 0) is the +1 side


def test_zscore_drops_constant_features_and_median_distance_is_exact():
    A = np.array([[0.0, 1.0, 5.0], [2.0, 3.0, 5.0], [4.0, 8.0, 5.0]])
    (Z,) = zscore(A)
    assert Z.shape == (3, 2)
    D = [np.sum((Z[i] - Z[j]) ** 2) for i in range(3) for j in range(i + 1, 3)]
    assert median_sq_distance(Z) == pytest.approx(np.median(D))


def test_rbf_coefficients_match_the_kernel_expansion():
    eta = 1.3
    mu1, mus = rbf_coefficients(eta)
    k = lambda t: np.exp(-eta * (1 - t))  # noqa: E731
    assert mu1**2 == pytest.approx(eta * np.exp(-eta))
    assert mus**2 == pytest.approx(k(1) - k(0) - mu1**2)


def test_log_grid_parsing():
    np.testing.assert_allclose(parse_log_grid("1e-2:1e2:5"), [1e-2, 1e-1, 1, 10, 100])
    with pytest.raises(ValueError):
        parse_log_grid("0:1:3")


def test_cli_on_a_user_npz_writes_csv_and_figure(tmp_path, capsys):
    X, y = _blobs()
    path = _npz(tmp_path, X=X, y=y)
    out = tmp_path / "out"
    code = main(["raf", "real", "--data", path, "--rule", "0,1", "--facts", "2", "--alpha", "5", "--epsilon", "0.2",
                 "--eta", "1", "--lam", "1e-3,1,100", "--repeats", "3", "--out", str(out)])
    assert code == 0
    rows = list(csv.DictReader(open(out / "raf_real.csv")))
    assert len(rows) == 2 * 1 * 3 and (out / "raf_real.png").stat().st_size > 0
    krr = {float(r["lam"]): r for r in rows if r["learner"] == "krr"}
    # separated blobs: the rule generalises; facts are memorised at small λ and forgotten at large λ
    assert all(float(r["gen_mean"]) < 0.3 for r in rows)
    assert float(krr[1e-3]["mem_mean"]) == 0.0
    assert float(krr[1e-3]["mem_mean"]) < float(krr[100.0]["mem_mean"])


@pytest.mark.parametrize("arrays,match", [
    (dict(Z=np.zeros((4, 2)), y=np.zeros(4)), "no array X"),
    (dict(X=np.zeros((4, 2)), y=np.zeros(5)), "rows"),
    (dict(X=np.zeros((4, 2)), y=np.array([0, 0, 1, 1])), "class"),
])
def test_cli_malformed_data_is_one_line_exit_2(tmp_path, capsys, arrays, match):
    path = _npz(tmp_path, **arrays)
    code = main(["raf", "real", "--data", path, "--rule", "0,1", "--facts", "7", "--repeats", "2",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and match in err, err


def test_cli_unknown_digit_class_and_missing_file_exit_2(tmp_path, capsys):
    assert main(["raf", "real", "--rule", "3,12", "--repeats", "2", "--out", str(tmp_path)]) == 2
    assert "class '12' does not exist" in capsys.readouterr().err
    assert main(["raf", "real", "--data", str(tmp_path / "none.npz"), "--out", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_digits_protocol_runs():
    pytest.importorskip("sklearn")
    from memtheory.studies.raf_real import real_protocol

    res = real_protocol("digits", rule=("3", "5"), facts="1", alpha=2.0, epsilon=0.2, etas=[1.0],
                        lams=[1e-3, 10.0], repeats=2, theory=True)
    assert res["n"] == 128 and res["gen_mean"].shape == (2, 1, 2)
    assert np.all(res["gen_mean"] < 0.2)  # 3 vs 5 is an easy rule
    assert np.all(np.isfinite(res["theory_gen"]))


def test_facts_from_the_rule_classes_are_left_out_of_the_test_set():
    from memtheory.simulations.raf.real_data import LabelledData

    X, y = _blobs()
    X = np.column_stack([X, np.arange(X.shape[0])])  # a tag column to identify the images
    data = LabelledData(X, y, "blobs")
    split = make_real_split(data, (0, 1), "same", alpha=5.0, epsilon=0.4, rng=np.random.default_rng(1))
    assert split.X_train.shape[0] == 55 and split.is_fact.sum() == 22
    assert split.X_train.shape[0] + split.X_test.shape[0] == 240  # every rule image used exactly once


@pytest.mark.parametrize("features", ["pixels", "tanh"])
def test_digits_feature_matrix_has_unit_mean_eigenvalue(features):
    pytest.importorskip("sklearn")
    from memtheory.simulations.raf.real_data import feature_matrix

    V = feature_matrix(load_labelled("digits"), features, p=50)
    assert V.shape[0] == 1797 and np.trace(np.cov(V.T, bias=True)) / V.shape[1] == pytest.approx(1.0)
