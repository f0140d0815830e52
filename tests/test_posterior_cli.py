"""``memtheory posterior`` command group: results, files, and one-line errors with exit status 2."""

import json

import numpy as np
import pytest

from memtheory.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_builtin_linearized_matches_spec_values(capsys):
    code, out, _ = _run(capsys, "posterior", "weights", "--problem", "stylized-1d", "--sigma", "0.5", "--json")
    assert code == 0
    res = json.loads(out)
    np.testing.assert_allclose(res["weights"], [0.0572, 0.4174, 0.4174, 0.0983, 0.0097], atol=5e-5)


def test_builtin_lookup_and_exact_grid(capsys):
    code, out, _ = _run(capsys, "posterior", "weights", "--problem", "stylized-1d", "--method", "lookup", "--json")
    assert code == 0
    np.testing.assert_allclose(json.loads(out)["weights"], [0, 0.5, 0.5, 0, 0], atol=1e-6)
    code, out, _ = _run(capsys, "posterior", "weights", "--problem", "stylized-1d", "--method", "exact-grid", "--sigma", "0.3", "--json")
    np.testing.assert_allclose(json.loads(out)["weights"], [0.0006, 0.4953, 0.4953, 0.0087, 0.0], atol=5e-5)


def test_files_linear_and_npz_output(capsys, tmp_path):
    rng = np.random.default_rng(0)
    X, A, y = rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal(2)
    for name, arr in (("X", X), ("A", A), ("y", y)):
        np.save(tmp_path / f"{name}.npy", arr)
    out_file = tmp_path / "post.npz"
    code, out, _ = _run(capsys, "posterior", "weights", "--train", str(tmp_path / "X.npy"), "--operator",
                        str(tmp_path / "A.npy"), "--data", str(tmp_path / "y.npy"), "--sigma", "0.4",
                        "--noise-std", "0.2", "--out", str(out_file))
    assert code == 0 and "method: linear" in out
    from memtheory.solvers.posterior import MemorizedPrior, linear_posterior

    ref = linear_posterior(MemorizedPrior(X, sigma=0.4), A, y, 0.2)
    saved = np.load(out_file)
    np.testing.assert_allclose(saved["weights"], ref.weights, rtol=1e-12)
    np.testing.assert_allclose(saved["means"], ref.means, rtol=1e-12)


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--problem", "stylized-1d", "--sigma", "0"], "--sigma"),
        (["--problem", "stylized-1d", "--sigma", "-1"], "--sigma"),
        (["--problem", "stylized-2d", "--noise-std", "0"], "--noise-std"),
        (["--problem", "stylized-1d", "--method", "linear"], "--method"),
    ],
)
def test_bad_arguments_one_line_exit_2(capsys, argv, needle):
    code, out, err = _run(capsys, "posterior", "weights", *argv)
    assert code == 2
    assert err.count("\n") == 1 and needle in err


def test_bad_shapes_and_singular_from_files(capsys, tmp_path):
    np.save(tmp_path / "X.npy", np.zeros((4, 3)))
    np.save(tmp_path / "A.npy", np.ones((2, 5)))
    np.save(tmp_path / "y.npy", np.zeros(2))
    code, _, err = _run(capsys, "posterior", "weights", "--train", str(tmp_path / "X.npy"), "--operator",
                        str(tmp_path / "A.npy"), "--data", str(tmp_path / "y.npy"))
    assert code == 2 and "A must have shape" in err and err.count("\n") == 1
    np.save(tmp_path / "A.npy", 1e200 * np.ones((2, 3)))
    code, _, err = _run(capsys, "posterior", "weights", "--train", str(tmp_path / "X.npy"), "--operator",
                        str(tmp_path / "A.npy"), "--data", str(tmp_path / "y.npy"), "--noise-std", "1e-100")
    assert code == 2 and "singular" in err
    code, _, err = _run(capsys, "posterior", "weights", "--train", str(tmp_path / "missing.npy"), "--operator",
                        str(tmp_path / "A.npy"), "--data", str(tmp_path / "y.npy"))
    assert code == 2 and "--train" in err


def test_sigma_crit_and_collapse(capsys):
    code, out, _ = _run(capsys, "posterior", "sigma-crit", "--n-train", "3,100")
    assert code == 0 and "0.3750" in out and "0.0696" in out
    code, out, _ = _run(capsys, "posterior", "collapse", "--n-train", "1000", "--dim", "100")
    assert code == 0 and "2.5980" in out
