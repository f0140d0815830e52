"""Regression tests of the audit's CLI faults: every bad request is one line on stderr and exit 2,
decided before any computing; every ``--json`` output is strict JSON."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from memtheory.cli import main


def _strict(text: str):
    def bad(token):
        raise AssertionError(f"not JSON: bare {token}")

    return json.loads(text, parse_constant=bad)


def run(argv, capsys):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors and --help exit directly
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(argv, capsys, match: str = "") -> str:
    code, _, err = run(argv, capsys)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert "Traceback" not in err and match in lines[0], lines
    return lines[0]


# --- hangs -------------------------------------------------------------------------------------------
def test_exposure_count_answers_at_once(capsys):
    t0 = time.perf_counter()
    code, out, _ = run(["capacity", "bound", "--params", "1e9", "--facts", "1e30", "--values", "10", "--zipf", "1",
                        "--exposures", "1e26", "--min-exposures", "1", "--json"], capsys)
    assert code == 0 and time.perf_counter() - t0 < 5
    count = _strict(out)["facts_with_min_exposures"]
    # floor(E / (E* H_N(1))) with H_N(1) = ln N + gamma + 1/(2N) - ... (N = 1e30: the first two terms suffice)
    import mpmath as mp

    mp.mp.dps = 40
    want = mp.floor(mp.mpf("1e26") / (mp.log(mp.mpf("1e30")) + mp.euler))
    assert abs(count - int(want)) <= 1e-12 * int(want)


def test_sigma_crit_of_a_billion_points_answers_at_once(capsys):
    t0 = time.perf_counter()
    code, out, _ = run(["posterior", "sigma-crit", "--n-train", "1e9"], capsys)
    assert code == 0 and time.perf_counter() - t0 < 5
    # printed with five significant digits
    assert float(out.split()[-1]) == pytest.approx(np.sqrt(6 / (1e9 - 1) * 0.3 / (1 + 2.7 * (1e9 + 1) / (1e9 - 1))),
                                                   rel=5e-5)


# --- tracebacks that must be one line -----------------------------------------------------------------
@pytest.mark.parametrize("argv, match", [
    (["raf", "solve", "--learner", "kernel", "--mu1", "1e300", "--mu-star", "1e300", "--alpha", "1", "--epsilon",
      "0.2"], "mu1 must be <= 1e150"),
    (["posterior", "weights", "--problem", "stylized-1d", "--sigma", "1e300"], "sigma must lie in"),
    (["posterior", "weights", "--problem", "stylized-1d", "--sigma", "1e-160", "--method", "exact-grid"],
     "--sigma must lie in"),
    (["capacity", "bound", "--params", "1e-300", "--bits-per-param", "1e-30", "--facts", "10", "--values", "10"],
     "bits_per_param * params"),
    (["capacity", "bound", "--params", "1", "--facts", "10", "--values", "2,,3"], "--values"),
    (["capacity", "experiment", "--device", "bogus"], "--device 'bogus'"),
    (["capacity", "experiment", "--threads", "0"], "--threads must be >= 1"),
    (["raf", "validate", "--learner", "linear", "--metrics", ""], "--metrics"),
    (["raf", "validate", "--learner", "linear", "--metrics", "gen_error,,mem_error"], "--metrics"),
    (["raf", "validate", "--learner", "linear", "--fail-z", "nan"], "--fail-z"),
    (["raf", "validate", "--learner", "linear", "--alpha", "1e9"], "of memory"),
    (["raf", "solve", "--learner", "linear"], "required"),  # usage errors are one line too
])
def test_faults_are_one_line_errors(argv, match, capsys):
    one_line_error(argv, capsys, match)


@pytest.mark.parametrize("argv", [
    ["posterior", "collapse", "--n-train", "1e300", "--dim", "1"],
    ["posterior", "collapse", "--n-train", "10", "--dim", "10", "--sigma-data", "1e-300"],
    ["capacity", "bound", "--params", "1e-320", "--facts", "1e30", "--values", "10"],
    ["posterior", "weights", "--problem", "stylized-1d", "--sigma", "1e-160", "--method", "lookup"],
    ["posterior", "weights", "--problem", "stylized-1d", "--noise-std", "1e-160", "--method", "lookup"],
])
def test_former_overflows_give_numbers(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert "nan" not in out.lower()


def test_empty_npy_is_a_one_line_error(tmp_path, capsys):
    empty = tmp_path / "x.npy"
    empty.write_bytes(b"")
    one_line_error(["posterior", "weights", "--train", empty, "--operator", empty, "--data", empty], capsys, "empty")


# --- silent nonsense ----------------------------------------------------------------------------------
def test_json_outputs_are_strict(capsys):
    code, out, _ = run(["capacity", "bound", "--params", "1e-300", "--facts", "1e9", "--values", "2", "--json"], capsys)
    assert code == 0
    assert _strict(out)["info_ratio"] == "inf"  # N·H/C beyond the double range: the string "inf"
    code, out, _ = run(["raf", "solve", "--learner", "bo", "--alpha", "1", "--epsilon", "0.2", "--compact"], capsys)
    d = _strict(out)
    assert code == 0 and d["mem_error"] is None  # NaN (no memorization error for bo): null


@pytest.mark.parametrize("command", ["solve", "sweep"])
@pytest.mark.parametrize("learner, option, match", [
    ("linear", ["--kappa", "2"], "kappa applies to random features"),
    ("bo", ["--lam", "0.1"], "no ridge penalty"),
    ("bo", ["--loss", "hinge"], "has no loss"),
    ("linear", ["--activation", "erf"], "--activation applies"),
])
def test_options_that_do_not_apply_are_refused_by_solve_and_sweep(command, learner, option, match, capsys):
    argv = ["raf", command, "--learner", learner, "--alpha", "1", "--epsilon", "0.2"] + option
    one_line_error(argv + (["--workers", "1"] if command == "sweep" else []), capsys, match)


# --- sizes ---------------------------------------------------------------------------------------------
def test_huge_sweep_is_refused_with_the_estimate(capsys, monkeypatch):
    monkeypatch.setenv("MEMTHEORY_MEMORY_BYTES", str(4 * 2**30))
    line = one_line_error(["raf", "sweep", "--learner", "linear", "--alpha", "0.1:5:20000", "--epsilon", "0:1:5000",
                           "--workers", "1"], capsys, "a sweep of 100000000 grid points needs about")
    assert "GiB" in line


def test_million_point_sweep_fits_in_blocks():
    """10⁶ points: the blocked sweep keeps one block of solver objects, so it is accepted (and runs)."""
    from memtheory.studies.grid import _BLOCK_POINTS, estimate_memory

    assert _BLOCK_POINTS <= 10**5
    assert estimate_memory(10**6) < 2**30


def test_blocked_sweep_equals_the_unblocked_one(monkeypatch):
    from memtheory.studies import grid
    from memtheory.studies.models import make_model

    model = make_model("linear", lam=0.1)
    axes = dict(alpha=np.linspace(0.5, 3, 5), epsilon=np.linspace(0, 1, 4), lam=0.1)
    whole = grid.sweep_grid(model, axes)
    monkeypatch.setattr(grid, "_BLOCK_POINTS", 6)
    seen = []
    blocks = grid.sweep_grid(model, axes, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(4, 20), (8, 20), (12, 20), (16, 20), (20, 20)]  # one alpha row (4 points) per block
    for k in ("gen_error", "mem_error"):
        np.testing.assert_allclose(blocks[k], whole[k], rtol=1e-8)


# --- work lost at the end: destinations are checked first -------------------------------------------------
def _bad_destinations(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    return {
        "missing directory": str(tmp_path / "missing" / "out"),
        "a directory": str(tmp_path),
        "/proc": "/proc/x",
        "file as directory": str(a_file / "out"),
    }


_FILE_COMMANDS = {
    "raf sweep": (["raf", "sweep", "--learner", "linear", "--alpha", "1:2:3", "--workers", "1", "--out"],
                  "memtheory.studies.grid", "sweep_grid", ".csv"),
    "raf phase-diagram": (["raf", "phase-diagram", "--learner", "linear", "--workers", "1", "--out"],
                          "memtheory.studies.grid", "sweep_grid", ".png"),
    "capacity experiment": (["capacity", "experiment", "--out"], "memtheory.simulations.facts.experiment",
                            "run_sweep", ".npz"),
    "posterior weights": (["posterior", "weights", "--problem", "stylized-1d", "--out"],
                          "memtheory.commands.posterior", "_compute", ".npz"),
}


@pytest.mark.parametrize("command", list(_FILE_COMMANDS))
@pytest.mark.parametrize("kind", ["missing directory", "a directory", "/proc", "file as directory"])
def test_unwritable_out_file_is_refused_before_computing(command, kind, tmp_path, capsys, monkeypatch):
    import importlib

    argv, module, name, suffix = _FILE_COMMANDS[command]
    monkeypatch.setattr(importlib.import_module(module), name,
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("computed before checking --out")))
    dest = _bad_destinations(tmp_path)[kind] + suffix
    if kind == "a directory":
        os.mkdir(dest)  # a directory that carries the file's name (numpy would append .npz to a bare name)
    one_line_error(argv + [dest], capsys, "--out")


@pytest.mark.parametrize("command, argv, module, name", [
    ("raf validate", ["raf", "validate", "--preset", "quick", "--out"], "memtheory.studies.raf_validate", "validate"),
    ("figures", ["figures", "--only", "raf", "--out"], "memtheory.figures.gallery", "run_gallery"),
])
@pytest.mark.parametrize("kind", ["/proc", "file as directory", "an existing file"])
def test_unwritable_out_directory_is_refused_before_computing(command, argv, module, name, kind, tmp_path, capsys,
                                                              monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module(module), name,
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("computed before checking --out")))
    dests = _bad_destinations(tmp_path)
    dests["an existing file"] = str(tmp_path / "file")
    one_line_error(argv + [dests[kind]], capsys, "--out")


# --- Ctrl-C ---------------------------------------------------------------------------------------------
def test_ctrl_c_in_figures_is_quiet(tmp_path):
    """SIGINT to the whole process group (what a terminal sends): exit 130, one line, no worker traceback."""
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.Popen(
        [sys.executable, "-m", "memtheory", "figures", "--only", "raf", "--out", str(tmp_path / "out"),
         "--cache-dir", str(tmp_path / "cache"), "--jobs", "2", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(8)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # pragma: no cover - only on failure
            os.killpg(proc.pid, signal.SIGKILL)
    text = err.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert text.strip().splitlines()[-1] == "memtheory: interrupted"
