"""The ``memtheory`` command line.

Each command group lives in its own module under :mod:`memtheory.commands` and exposes
``register(subparsers)``; the group's handlers receive the parsed ``argparse.Namespace`` and return an
exit code. Any ``ValueError`` raised by the science packages (bad input) is printed as one line and the
process exits with status 2, the same status argparse uses for malformed command lines; malformed command
lines are reported in one line too (no usage block), so a script can show the one line it got.
A Ctrl-C ends the command with status 130 and the one line ``memtheory: interrupted``. A missing optional
dependency (``torch``, ``scikit-learn``, ...) is one line naming the extra that installs it, status 2. A
reader that closes the pipe early (``memtheory raf sweep ... | head -1``) ends the command quietly with
status 141 (128 + SIGPIPE, what a shell reports for a command killed by a closed pipe).
"""

from __future__ import annotations

import argparse
import os
import sys

import memtheory
from memtheory.commands import optional_command_module
from memtheory.commands._ux import announce_first_compile, missing_extra_message

# Command groups, in the order `memtheory --help` lists them. A group whose optional dependency is
# missing is skipped rather than breaking the whole CLI.
COMMAND_MODULES = ("raf", "capacity", "posterior", "figures")


class OneLineArgumentParser(argparse.ArgumentParser):
    """``ArgumentParser`` whose usage errors are one line on stderr (``prog: error: ...``), exit 2.

    Sub-parsers inherit the class (argparse creates them with the parent's type).
    """

    def error(self, message: str):
        message = " ".join(str(message).split())
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Create the top-level parser with every available command group registered."""
    parser = OneLineArgumentParser(
        prog="memtheory",
        description="Theory of memorization: RAF saddle points, fact capacity, memorized priors.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {memtheory.__version__}")
    sub = parser.add_subparsers(dest="group", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        module = optional_command_module(name)
        if module is not None:
            module.register(sub)
    return parser


FORCE_COMPILED_ENV = "MEMTHEORY_CLI_JIT"
"""Set to 1 to run every command compiled, ``memtheory raf solve`` included."""


class RunCompiled(BaseException):
    """Raised by a command running interpreted where the compiled kernels must take over (an arithmetic
    error Python raises where numba returns ``inf``/``nan``); :func:`main` re-runs the command compiled.

    A ``BaseException``, so that no handler of user errors (``ValueError``) takes it for one."""


def runs_interpreted(args) -> bool:
    """Whether a command line run (not an in-process call) should run its kernels as Python.

    Only ``memtheory raf solve`` for a built-in loss and an isotropic learner: one saddle point takes
    milliseconds through the Python source, while importing numba and loading the compiled kernels takes
    a second and compiling them the first time half a minute (see :mod:`memtheory.core.jit`). A
    Gaussian-covariate spectrum or a user's loss module runs compiled (loops over modes, the user's own
    numba code). ``MEMTHEORY_CLI_JIT=1`` runs it compiled too.
    """
    if os.environ.get(FORCE_COMPILED_ENV, "0").strip() not in ("", "0"):
        return False
    if "numba" in sys.modules or "memtheory.core.jit" in sys.modules:
        return False  # the mode of this process is already decided
    if (getattr(args, "group", None), getattr(args, "raf_command", None)) != ("raf", "solve"):
        return False
    return getattr(args, "loss_module", None) is None and str(getattr(args, "learner", "")).lower() != "gcm"


def _rerun_compiled() -> None:
    """Replace this process by the same command line, compiled."""
    sys.stdout.flush()
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_DISABLE_JIT"}
    env[FORCE_COMPILED_ENV] = "1"
    argv = [sys.executable, "-m", "memtheory.cli", *sys.argv[1:]]
    os.execve(sys.executable, argv, env)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit status.

    Called without ``argv`` (the ``memtheory`` command), ``memtheory raf solve`` runs its kernels as
    Python (:func:`runs_interpreted`), and compiled if they raise an arithmetic error there.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None and runs_interpreted(args):
        os.environ["NUMBA_DISABLE_JIT"] = "1"
    try:
        if getattr(args, "uses_kernels", False):
            announce_first_compile()
        try:
            status = int(args.handler(args) or 0)
        except RunCompiled:
            _rerun_compiled()
            raise  # execve returns only by raising; not reached
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below, not at interpreter exit
        return status
    except ValueError as exc:
        print(f"memtheory: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except ImportError as exc:
        message = missing_extra_message(exc)
        if message is None:
            raise
        print(f"memtheory: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except OSError as exc:
        # Writing a checked destination can still fail (disk full, removed meanwhile): one line, not a traceback.
        print(f"memtheory: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("memtheory: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not report the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
