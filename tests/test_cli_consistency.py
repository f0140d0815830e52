"""The command line behaves the same way everywhere: flags, help, progress, errors, pipes, suffixes."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from memtheory.cli import build_parser, main
from memtheory.commands import _ux

ROOT = Path(__file__).resolve().parents[1]

# Commands that print results: each must accept --json.
PRINTING = [
    "raf solve", "raf thresholds", "raf optimal-lambda", "raf validate", "raf sweep", "raf real",
    "capacity bound", "capacity gardner", "capacity experiment", "capacity lm-experiment",
    "posterior weights", "posterior sigma-crit", "posterior collapse", "posterior diffusion-experiment",
]
# Commands that can run for more than a few seconds: each must accept --quiet (progress bar off).
LONG = ["raf validate", "raf sweep", "raf phase-diagram", "raf real", "capacity experiment",
        "capacity lm-experiment", "posterior diffusion-experiment", "figures"]
# Every torch-using command, with the arguments it needs to get past argument parsing.
TORCH_COMMANDS = [
    ["capacity", "experiment"],
    ["capacity", "lm-experiment", "--out", "{tmp}/lm"],
    ["posterior", "diffusion-experiment", "--out", "{tmp}/diff"],
    ["raf", "validate", "--learner", "two_layer", "--alpha", "1", "--epsilon", "0.2", "--seeds", "1", "--d", "20"],
]


def _leaf_parsers(parser, path=()):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield " ".join(path), parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from _leaf_parsers(sub, path + (name,))


def _all_parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_parsers(sub)


LEAVES = dict(_leaf_parsers(build_parser()))


def _options(command: str) -> set[str]:
    return {o for a in LEAVES[command]._actions for o in a.option_strings}


def _env():
    env = dict(os.environ, MPLBACKEND="Agg")
    env.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".numba_cache"))
    return env


def test_every_command_is_listed():
    assert set(PRINTING) | set(LONG) | {"raf phase-diagram", "figures"} >= set(LEAVES)
    assert set(PRINTING) <= set(LEAVES) and set(LONG) <= set(LEAVES)


def test_every_option_has_help():
    missing = []
    for parser in _all_parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                missing.append(f"{parser.prog} {'/'.join(action.option_strings) or action.dest}")
    assert not missing, missing


@pytest.mark.parametrize("command", PRINTING)
def test_json_flag_everywhere(command):
    assert "--json" in _options(command)
    assert (LEAVES[command].format_help().count("--json")) >= 1


@pytest.mark.parametrize("command", LONG)
def test_quiet_flag_on_long_commands(command):
    assert "--quiet" in _options(command)


@pytest.mark.parametrize("argv", [
    ["raf", "thresholds", "--epsilon", "0.2", "--json"],
    ["raf", "solve", "--learner", "rf", "--alpha", "1", "--epsilon", "0.2", "--json"],
    ["posterior", "sigma-crit", "--n-train", "3,5", "--json"],
    ["posterior", "collapse", "--n-train", "10,1e20", "--dim", "2", "--json"],
    ["capacity", "bound", "--params", "1e3", "--facts", "1e4", "--values", "10", "--json"],
    ["raf", "sweep", "--learner", "linear", "--alpha", "1,2", "--workers", "1", "--json"],
])
def test_json_output_is_one_strict_compact_line(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # compact: one line
    json.loads(out, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))


def test_json_tables_carry_the_table_rows(capsys):
    assert main(["posterior", "sigma-crit", "--n-train", "3,5,10", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["n_train"] for r in rows] == [3, 5, 10]
    # the stylized 1-D problem: sigma_crit(3) = 3/8 at noise 0.3 (docs/theory/posterior.md)
    assert rows[0]["sigma_crit"] == pytest.approx(0.375, rel=1e-9)


@pytest.mark.parametrize("command", ["raf solve", "raf optimal-lambda", "raf sweep", "raf validate"])
def test_same_learner_names_and_error(command, capsys):
    argv = command.split() + ["--learner", "bogus"]
    if command in ("raf solve", "raf optimal-lambda"):
        argv += ["--alpha", "1", "--epsilon", "0.2"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "learner" in err and "bogus" in err and "random_features" in err


@pytest.mark.parametrize("argv", [
    ["capacity", "experiment", "--out", "{tmp}/x.csv"],
    ["posterior", "weights", "--problem", "stylized-1d", "--out", "{tmp}/w.txt"],
    ["raf", "sweep", "--learner", "linear", "--out", "{tmp}/g.tsv"],
    ["raf", "phase-diagram", "--learner", "linear", "--out", "{tmp}/p.jpg"],
    ["raf", "phase-diagram", "--learner", "linear", "--out", "{tmp}/p.png", "--data", "{tmp}/g.xls"],
])
def test_unknown_out_suffix_is_refused(argv, tmp_path, capsys):
    argv = [a.format(tmp=tmp_path) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "must end in" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_npz_out_without_suffix_still_gets_npz(tmp_path, capsys):
    assert main(["posterior", "weights", "--problem", "stylized-1d", "--out", str(tmp_path / "w")]) == 0
    assert (tmp_path / "w.npz").exists()


def test_progress_off_without_terminal_or_with_quiet(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not _ux.progress_enabled(argparse.Namespace(quiet=False))
    monkeypatch.setattr(sys, "stderr", Tty())
    assert _ux.progress_enabled(argparse.Namespace(quiet=False))
    assert not _ux.progress_enabled(argparse.Namespace(quiet=True))
    with _ux.ProgressCallback(argparse.Namespace(quiet=False), desc="t") as cb:
        cb(3, 10)
        cb(10, 10)
        assert cb._bar.n == 10
    assert "t:" in sys.stderr.getvalue()


def test_first_compile_notice(tmp_path, monkeypatch, capsys):
    import numba

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "empty"))
    _ux.announce_first_compile()
    err = capsys.readouterr().err
    assert err == f"memtheory: compiling solver kernels, first run only, about {_ux.FIRST_COMPILE_SECONDS} s\n"
    (tmp_path / "full" / "solvers_x").mkdir(parents=True)
    (tmp_path / "full" / "solvers_x" / "k.py311.nbi").write_bytes(b"")
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "full"))
    _ux.announce_first_compile()
    assert capsys.readouterr().err == ""


def test_missing_extra_message_unwraps_causes():
    inner = ModuleNotFoundError("No module named 'torch'", name="torch")
    outer = ImportError("wrapper")
    outer.__cause__ = inner
    assert "memtheory[neural]" in _ux.missing_extra_message(outer)
    assert _ux.missing_extra_message(ModuleNotFoundError("x", name="not_an_extra")) is None


def _run(code: str, *args, **kw):
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=_env(),
                          cwd=ROOT, timeout=120, **kw)


_NO_TORCH = ("import sys; sys.modules['torch'] = None; from memtheory.cli import main; "
             "sys.exit(main(sys.argv[1:]))")


@pytest.mark.parametrize("argv", TORCH_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_missing_torch_is_one_line_exit_2(argv, tmp_path):
    r = _run(_NO_TORCH, *[a.format(tmp=tmp_path) for a in argv])
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "pip install 'memtheory[neural]'" in r.stderr


def test_closed_pipe_exits_quietly_with_141():
    code = ("import sys; from memtheory.cli import main; sys.exit(main(['raf', 'sweep', '--learner', 'linear', "
            "'--alpha', '0.5:4:40', '--epsilon', '0:1:30', '--workers', '1']))")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=_env(), cwd=ROOT)
    first = p.stdout.readline()
    p.stdout.close()  # what `| head -1` does
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert first.startswith(b"learner,")
    assert p.returncode == 141, err
    assert "BrokenPipe" not in err and "Traceback" not in err and "Exception ignored" not in err
