"""`memtheory raf solve` runs its kernels as Python (no numba import, no compile) and agrees with the
compiled solver; arithmetic errors of the interpreted run hand the command to the compiled kernels."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from memtheory import cli
from memtheory.solvers import raf

EXE = str(Path(sys.executable).with_name("memtheory"))

CASES = [
    (["--learner", "kernel", "--loss", "hinge", "--lam", "0.1", "--activation", "sign"], "2", "0.2",
     raf.Kernel("hinge", 0.1, activation="sign")),
    (["--learner", "linear", "--loss", "logistic", "--lam", "0.01"], "3", "0.1", raf.Linear("logistic", 0.01)),
    (["--learner", "linear", "--loss", "hinge", "--lam", "0"], "1.9", "0", raf.Linear("hinge", 0.0)),
    (["--learner", "rf", "--loss", "square", "--lam", "0.01", "--kappa", "0.5", "--activation", "relu"], "4", "0.5",
     raf.RandomFeatures("square", 0.01, kappa=0.5, activation="relu")),
]


def _run(args, **env):
    full = {k: v for k, v in os.environ.items() if k not in ("NUMBA_DISABLE_JIT", cli.FORCE_COMPILED_ENV)}
    full.update(env)
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=full, timeout=120)


@pytest.mark.parametrize("options, alpha, eps, model", CASES)
def test_interpreted_cli_solve_matches_compiled_solver(options, alpha, eps, model):
    out = _run(["raf", "solve", *options, "--alpha", alpha, "--epsilon", eps, "--compact"])
    assert out.returncode == 0, out.stderr
    assert "compiling" not in out.stderr
    got = json.loads(out.stdout)
    ref = raf.solve(model, float(alpha), float(eps))
    assert got["converged"] and ref.converged
    for key in ("gen_error", "mem_error", "rule_train_error", "train_loss", "bayes_error"):
        # the same operations in Python and in LLVM: equal up to the rounding of libm calls
        assert got[key] == pytest.approx(getattr(ref, key), rel=1e-12, abs=1e-15), key


def test_cli_solve_imports_no_numba_unless_asked():
    code = ("import sys; from memtheory import cli; sys.argv = ['memtheory', 'raf', 'solve', '--learner', 'linear', "
            "'--alpha', '2', '--epsilon', '0.1', '--json']; status = cli.main(); "
            "print('numba' in sys.modules, status, file=sys.stderr)")
    for env, numba_loaded in (({}, "False"), ({cli.FORCE_COMPILED_ENV: "1"}, "True")):
        full = {k: v for k, v in os.environ.items() if k not in ("NUMBA_DISABLE_JIT", cli.FORCE_COMPILED_ENV)}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**full, **env},
                             timeout=300)
        assert out.stderr.strip().splitlines()[-1] == f"{numba_loaded} 0", out.stderr
        assert json.loads(out.stdout)["converged"]


def test_interpreted_cli_errors_stay_one_line():
    out = _run(["raf", "solve", "--learner", "linear", "--alpha", "-1", "--epsilon", "0.1"])
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "alpha" in out.stderr
    out = _run(["raf", "solve", "--learner", "linear", "--loss", "square", "--lam", "0", "--alpha", "1",
                "--epsilon", "0"])
    assert out.returncode == 2 and "interpolation peak" in out.stderr


def test_arithmetic_error_of_interpreted_run_reruns_compiled(monkeypatch):
    import memtheory.core.jit as jit

    def raising(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(jit, "INTERPRETED", True)
    monkeypatch.setattr(raf, "solve", raising)
    reruns = []
    monkeypatch.setattr(cli, "_rerun_compiled", lambda: reruns.append(True) or sys.exit(0))
    with pytest.raises(SystemExit):
        cli.main(["raf", "solve", "--learner", "linear", "--alpha", "2", "--epsilon", "0.1"])
    assert reruns == [True]
    # compiled, the same error is a bug to report, not a reason to run again
    monkeypatch.setattr(jit, "INTERPRETED", False)
    with pytest.raises(ZeroDivisionError):
        cli.main(["raf", "solve", "--learner", "linear", "--alpha", "2", "--epsilon", "0.1"])
