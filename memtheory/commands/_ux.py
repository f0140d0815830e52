"""Behaviour every command shares: ``--json`` and ``--quiet`` flags, progress bars, first-compile notice.

Progress bars are tqdm bars on standard error; they are off when standard error is not a terminal (a
log file, a pipe, a test) or with ``--quiet``, so redirected output never fills with carriage returns.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["add_json_flag", "add_quiet_flag", "progress_enabled", "progress_bar", "ProgressCallback",
           "FIRST_COMPILE_SECONDS", "kernels_need_compiling", "announce_first_compile", "MISSING_EXTRAS",
           "missing_extra_message"]

# Wall time of the first `memtheory raf solve` with an empty numba cache on a 2-core development
# machine (32 s measured on an idle machine, against about 0.9 s once the kernels are cached).
FIRST_COMPILE_SECONDS = 35

# Optional third-party modules and the extra that installs each.
MISSING_EXTRAS = {"torch": "neural", "sklearn": "data", "xarray": "xarray", "pandas": "xarray",
                  "dask": "dask", "distributed": "dask"}


def add_json_flag(parser, help: str = "print the results as one strict JSON object (compact) on stdout") -> None:
    """The ``--json`` flag, with the same name and meaning on every command that prints results."""
    parser.add_argument("--json", action="store_true", help=help)


def add_quiet_flag(parser) -> None:
    """The ``--quiet`` flag of every command that shows a progress bar."""
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar (bars are also off when stderr is not a terminal)")


def progress_enabled(args=None) -> bool:
    """True when a progress bar should be drawn: stderr is a terminal and ``--quiet`` was not given."""
    if args is not None and getattr(args, "quiet", False):
        return False
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):
        return False


def progress_bar(args, *, total=None, desc: str = "", unit: str = "it"):
    """A tqdm bar on stderr, disabled per :func:`progress_enabled`."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                disable=not progress_enabled(args), dynamic_ncols=True)


class ProgressCallback:
    """A ``progress(done, total)`` callable that drives a tqdm bar; use as a context manager."""

    def __init__(self, args, desc: str, unit: str = "point"):
        self._args, self._desc, self._unit, self._bar = args, desc, unit, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.close()
        return False

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = progress_bar(self._args, total=total, desc=self._desc, unit=self._unit)
        self._bar.update(max(0, int(done) - self._bar.n))


def kernels_need_compiling() -> bool:
    """True when numba's cache directory for the current solver sources holds no index file yet.

    The directory is keyed by the source hash of the solvers (see :mod:`memtheory.solvers`), so an edit
    of the solvers, like a fresh install, means a first compile.
    """
    from memtheory.core.jit import INTERPRETED

    if INTERPRETED:
        return False  # nothing is compiled
    import numba

    import memtheory.solvers  # noqa: F401  (sets numba.config.CACHE_DIR for the current sources)

    cache = Path(numba.config.CACHE_DIR)
    try:
        return not any(cache.rglob("*.nbi"))
    except OSError:
        return True


def announce_first_compile() -> None:
    """Print the one-line first-compile notice on stderr if the kernels are not cached yet."""
    if kernels_need_compiling():
        print(f"memtheory: compiling solver kernels, first run only, about {FIRST_COMPILE_SECONDS} s",
              file=sys.stderr, flush=True)


def missing_extra_message(exc: ImportError) -> str | None:
    """The one-line message for a missing optional dependency, or None if ``exc`` is not one."""
    while exc is not None:
        name = (getattr(exc, "name", None) or "").split(".")[0]
        extra = MISSING_EXTRAS.get(name)
        if extra is not None or not isinstance(exc.__cause__, ImportError):
            break
        exc = exc.__cause__  # a wrapper such as ``require_torch`` re-raising with its own text
    if extra is None:
        return None
    return f"this command needs the optional dependency {name!r}: pip install 'memtheory[{extra}]'"
