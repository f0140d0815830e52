"""Fuzz test of the command line: random arguments for every subcommand.

Every call must end in one of two ways: exit 0 with valid output (strict JSON where JSON is printed),
or exit 2 with exactly one line on stderr. Never a traceback, never an uncaught exception, never a
hang (each call runs under a wall-clock alarm). Exit 1 is allowed only where a command documents it:
``raf solve`` / ``optimal-lambda`` report a non-converged result (the JSON is still printed) and
``raf validate`` reports a failed check.

The calls are in-process (``memtheory.cli.main``) for speed, plus a few real processes. The default
run is bounded (derandomized, a fixed number of examples per subcommand); ``-m slow`` runs many more.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memtheory.cli import main

CALL_LIMIT_S = 120.0  # a generous wall-clock limit per call on a loaded 2-core machine


@pytest.fixture(scope="module", autouse=True)
def _compiled_kernels():
    """Compile the solver kernels before any alarm is armed: an alarm inside numba's compiler is not a hang."""
    from memtheory.solvers.raf.warmup import warm_up

    warm_up(verbose=False)

_TMP = tempfile.mkdtemp(prefix="memtheory-fuzz-")
with open(os.path.join(_TMP, "empty.npy"), "wb"):
    pass
with open(os.path.join(_TMP, "a_file"), "w") as _fh:
    _fh.write("x")

NUMBERS = ["0", "-1", "1e-320", "1e-300", "1e-160", "1e300", "nan", "inf", "-inf", "", "abc", "1,,2", "2", "0.5",
           "1", "3", "1e9", "0.2", "0.01", "1e-12", "100"]
SMALL_NUMBERS = ["0", "-1", "1e-300", "1e300", "nan", "inf", "", "abc", "0.2", "0.5", "1", "2", "1e-8", "1e4"]
RANGES = ["0.5:2:3", "1,2", "nan", "1:2", "0:1:0", "-1", "1e300", "0", "0.1:5:4", "0.2", "1", "abc", "1,,2", "0:1:3",
          "1e-300"]
PATHS = ["{tmp}/out.{ext}", "{tmp}/missing/out.{ext}", "/proc/x.{ext}", "{tmp}", "{tmp}/a_file/out.{ext}", ""]


def _num(values=NUMBERS):
    return st.sampled_from(values)


def _path(ext):
    return st.sampled_from(PATHS).map(lambda p: p.format(tmp=tempfile.mkdtemp(dir=_TMP), ext=ext))


def _options(schema: dict, required: dict, always: dict | None = None) -> st.SearchStrategy:
    """argv pieces: ``always`` options, required options (rarely dropped, to reach usage errors) and a
    random subset of the rest."""

    @st.composite
    def build(draw):
        argv = []
        for name, strat in (always or {}).items():
            argv += [name, draw(strat)]
        for name, strat in required.items():
            if draw(st.integers(0, 19)) > 0:
                argv += [name, draw(strat)]
        for name, strat in schema.items():
            if draw(st.booleans()):
                argv += [name] if strat is None else [name, draw(strat)]
        return argv

    return build()


LEARNERS = st.sampled_from(["linear", "kernel", "rf", "bo", "random_features", "bogus"])
LOSSES = st.sampled_from(["square", "hinge", "logistic", "cubic"])
ACTIVATIONS = st.sampled_from(["sign", "erf", "tanh", "relu", "bogus"])

MODEL = {"--loss": LOSSES, "--lam": _num(SMALL_NUMBERS), "--activation": ACTIVATIONS, "--mu1": _num(SMALL_NUMBERS),
         "--mu-star": _num(SMALL_NUMBERS), "--kappa": _num(SMALL_NUMBERS)}
GRID = {"--loss": LOSSES, "--activation": ACTIVATIONS, "--alpha": st.sampled_from(RANGES),
        "--epsilon": st.sampled_from(RANGES), "--lam": st.sampled_from(RANGES), "--kappa": st.sampled_from(RANGES),
        "--workers": st.sampled_from(["1", "0", "-3", "x"])}

COMMANDS = {
    "raf solve": _options({**MODEL, "--tol": _num(SMALL_NUMBERS), "--compact": None},
                          {"--learner": LEARNERS, "--alpha": _num(SMALL_NUMBERS), "--epsilon": _num(SMALL_NUMBERS)}),
    "raf thresholds": _options({"--margin": _num()}, {"--epsilon": _num()}),
    "raf optimal-lambda": _options(MODEL, {"--learner": st.sampled_from(["linear", "bo", "bogus"]),
                                           "--alpha": _num(SMALL_NUMBERS), "--epsilon": _num(SMALL_NUMBERS)}),
    "raf sweep": _options({**GRID, "--out": _path("csv")}, {"--learner": LEARNERS}),
    "raf phase-diagram": _options({**GRID, "--x": st.sampled_from(["alpha", "lam", "beta"]),
                                   "--y": st.sampled_from(["epsilon", "alpha"]),
                                   "--z": st.sampled_from(["gen_error", "converged", "x"]),
                                   "--data": _path("csv")},
                                  {"--learner": st.sampled_from(["linear", "bo", "bogus"]), "--out": _path("png")}),
    "raf validate": _options({"--loss": LOSSES, "--lam": st.sampled_from(RANGES), "--alpha": st.sampled_from(RANGES),
                              "--epsilon": st.sampled_from(RANGES), "--metrics": st.sampled_from(
                                  ["", "gen_error", "gen_error,,mem_error", "bogus", " , "]),
                              "--fail-z": _num(), "--out": _path("d"), "--kappa": st.sampled_from(RANGES)},
                             {},
                             # small, cheap points only (d = 20, 2 seeds, 100 test points); without
                             # --learner the command runs its full preset, minutes by design
                             {"--learner": st.sampled_from(["linear", "bogus", "nn"]), "--d": st.just("20"),
                              "--seeds": st.just("2"), "--n-test": st.just("100"), "--steps": st.just("20"),
                              "--width": st.just("16")}),
    "capacity bound": _options({"--bits-per-param": st.sampled_from(["2", "morris", "bogus", "0", "1e-30", "nan"]),
                                "--zipf": _num(), "--exposures": _num(), "--min-exposures": _num(), "--json": None},
                               {"--params": _num(), "--facts": _num(),
                                "--values": st.sampled_from(["10", "2,3", "2,,3", "1", "1e300", ",", "nan", "3,"])}),
    "capacity gardner": _options({"--json": None}, {"--epsilon": _num()}),
    # always one bad option: a valid experiment trains networks for many seconds
    "capacity experiment": _options({"--out": _path("npz"), "--json": None, "--quiet": None},
                                    {"--device": st.sampled_from(["bogus", "cuda:99", "meta?"]),
                                     "--threads": st.sampled_from(["0", "-2", "x"])}),
    "posterior weights": _options({"--method": st.sampled_from(["linear", "linearized", "lookup", "exact-grid", "x"]),
                                   "--sigma": _num(), "--noise-std": _num(), "--no-logdet": None, "--json": None,
                                   "--out": _path("npz")},
                                  {"--problem": st.sampled_from(["stylized-1d", "stylized-2d", "x"])}),
    "posterior weights --train": _options({"--operator": st.sampled_from([f"{_TMP}/empty.npy", "/nonexistent.npy"]),
                                           "--data": st.sampled_from([f"{_TMP}/empty.npy", f"{_TMP}/a_file"])},
                                          {"--train": st.sampled_from([f"{_TMP}/empty.npy", f"{_TMP}/a_file", _TMP])}),
    "posterior sigma-crit": _options({"--n-train": st.sampled_from(RANGES + ["1e9", "1e300", "2:1e9:3"]),
                                      "--noise-std": _num()}, {}),
    "posterior collapse": _options({"--sigma-data": _num()},
                                   {"--n-train": st.sampled_from(RANGES + ["1e300", "10"]),
                                    "--dim": st.sampled_from(["1", "10", "0", "-1", "1.5", "1000000"])}),
    # always --only with names that match nothing: the full gallery takes many minutes by design
    "figures": _options({"--list": None}, {"--out": _path("d")},
                        {"--only": st.sampled_from(["nosuch", "raf_nosuch*", "no_such_group"])}),
}

# Subcommands that print JSON on success (always, or with --json).
_ALWAYS_JSON = ("raf solve", "raf thresholds", "raf optimal-lambda")
_EXIT_1_OK = ("raf solve", "raf optimal-lambda", "raf validate")


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _strict_json(text: str):
    def bad(token):
        raise ValueError(f"bare {token} is not JSON")

    return json.loads(text, parse_constant=bad)


def call(command: str, argv: list[str]) -> None:
    """Run one command in process and check the contract; fail with the argv on any breach."""
    words = command.split()
    full = words[:2] + argv if "--train" in command else words + argv
    out, err = io.StringIO(), io.StringIO()
    signal.signal(signal.SIGALRM, _alarm)  # left installed: a late alarm must raise, never kill pytest
    signal.setitimer(signal.ITIMER_REAL, CALL_LIMIT_S)
    t0 = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                code = main(full)
            except SystemExit as exc:
                code = exc.code
    except _Hang:
        pytest.fail(f"no answer within {CALL_LIMIT_S:.0f} s: memtheory {' '.join(full)}")
    except BaseException as exc:  # noqa: BLE001 - any escape is the defect under test
        pytest.fail(f"memtheory {' '.join(full)} raised {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.perf_counter() - t0
    stdout, stderr = out.getvalue(), err.getvalue()
    where = f"memtheory {' '.join(repr(a) if a == '' or ' ' in a else a for a in full)} (exit {code}, {seconds:.1f} s)"
    assert "Traceback" not in stderr, f"{where}\n{stderr}"
    if code == 2:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, f"{where}: expected one line on stderr, got\n{stderr}"
        return
    assert code == 0 or (code == 1 and command in _EXIT_1_OK), f"{where}\n{stderr}"
    if command in _ALWAYS_JSON or "--json" in argv:
        _strict_json(stdout)


_FUZZ = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))
_FUZZ_SLOW = settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _fuzz(command: str, cfg: settings):
    @cfg
    @given(argv=COMMANDS[command])
    def inner(argv):
        call(command, argv)

    inner()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_fuzz(command):
    _fuzz(command, _FUZZ)


@pytest.mark.slow
@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_fuzz_many(command):
    _fuzz(command, _FUZZ_SLOW)


@pytest.mark.parametrize("argv, code", [
    (["capacity", "bound", "--params", "1e9", "--facts", "10", "--values", "2,,3"], 2),
    (["raf", "thresholds", "--epsilon", "nan"], 2),
    (["capacity", "bound", "--params", "1e-300", "--facts", "1e9", "--values", "2", "--json"], 0),
])
def test_cli_as_a_process(argv, code):
    """The real entry point: exit status, one stderr line on error, strict JSON on success."""
    proc = subprocess.run([sys.executable, "-m", "memtheory", *argv], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, MPLBACKEND="Agg"))
    assert proc.returncode == code, proc.stderr
    if code == 2:
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    else:
        _strict_json(proc.stdout)
