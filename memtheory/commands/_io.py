"""Output helpers shared by the command groups: check a destination before computing, print strict JSON.

A command that computes for minutes and then fails to write its result has lost the work, so every
``--out`` is checked up front with :func:`check_output_file` or :func:`check_output_dir`: both raise
``ValueError`` (one line, exit 2 through :func:`memtheory.cli.main`) naming the option and the reason.

Every ``--json`` output is strict JSON (RFC 8259 has no NaN or Infinity): :func:`json_ready` turns a
NaN into ``null`` and ``±inf`` into the strings ``"inf"`` / ``"-inf"``, numpy scalars and arrays into
Python numbers and lists, and :func:`dumps` / :func:`print_json` serialise with ``allow_nan=False``.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

__all__ = ["check_output_file", "check_output_dir", "npz_path", "check_npz_file", "json_ready", "dumps", "print_json"]


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def check_output_file(path, option: str = "--out", *, suffixes: Iterable[str] | None = None) -> Path:
    """Check that a file can be written at ``path`` before any work is done.

    The parent directory must exist (it is not created) and ``path`` must not be a directory; the
    check opens the file for appending (creating it if absent, then removing it again), which catches
    read-only places such as ``/proc`` whatever the permission bits say.

    Parameters
    ----------
    path : str or os.PathLike
        The destination.
    option : str
        The option name used in the message (``"--out"``, ``"--data"``).
    suffixes : iterable of str, optional
        Allowed file suffixes (lower case, with the dot), e.g. ``(".png", ".pdf", ".svg")``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        Naming ``option`` and why the file cannot be written.
    """
    p = Path(path)
    if str(path) == "":
        raise ValueError(f"{option} must be a file name, got ''")
    if suffixes is not None:
        allowed = tuple(suffixes)
        if p.suffix.lower() not in allowed:
            raise ValueError(f"{option} must end in {', '.join(allowed)}, got {str(path)!r}")
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise ValueError(f"{option} {str(path)!r} is a directory; give a file name")
    if not parent.exists():
        raise ValueError(f"{option} {str(path)!r}: directory {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise ValueError(f"{option} {str(path)!r}: {str(parent)!r} is not a directory")
    existed = p.exists()
    try:
        with open(p, "ab"):
            pass
    except OSError as exc:
        raise ValueError(f"{option} {str(path)!r} cannot be written ({_reason(exc)})") from None
    if not existed:
        try:
            p.unlink()
        except OSError:
            pass
    return p


def npz_path(path) -> str:
    """The file :func:`numpy.savez` writes for ``path`` (it appends ``.npz`` when missing)."""
    text = str(path)
    return text if text.endswith(".npz") else text + ".npz"


def check_npz_file(path, option: str = "--out") -> Path:
    """:func:`check_output_file` for a ``.npz`` destination: another suffix is refused, none gets ``.npz``.

    A name such as ``out.csv`` would otherwise become ``out.csv.npz``, a file the user did not ask for.
    """
    suffix = Path(str(path)).suffix
    if suffix and suffix.lower() != ".npz":
        raise ValueError(f"{option} must end in .npz (or have no suffix, .npz is added), got {str(path)!r}")
    return check_output_file(npz_path(path), option)


def check_output_dir(path, option: str = "--out") -> Path:
    """Create the directory ``path`` if needed and check that files can be written in it.

    Raises
    ------
    ValueError
        Naming ``option`` when ``path`` is an existing file, cannot be created, or is read-only.
    """
    p = Path(path)
    if str(path) == "":
        raise ValueError(f"{option} must be a directory name, got ''")
    if p.exists() and not p.is_dir():
        raise ValueError(f"{option} {str(path)!r} exists and is not a directory")
    try:
        p.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=p):
            pass
    except OSError as exc:
        raise ValueError(f"{option} {str(path)!r} cannot be used as an output directory ({_reason(exc)})") from None
    return p


def json_ready(value):
    """A copy of ``value`` that :func:`json.dumps` serialises as strict JSON.

    NaN becomes ``None`` (``null``), ``+inf``/``-inf`` the strings ``"inf"``/``"-inf"``; numpy
    scalars and arrays become Python numbers and (nested) lists; tuples become lists.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (str, type(None))):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)


def dumps(value, **kwargs) -> str:
    """Strict JSON text of ``value`` (see :func:`json_ready`); extra keywords go to :func:`json.dumps`."""
    return json.dumps(json_ready(value), allow_nan=False, **kwargs)


def print_json(value, *, file=None, **kwargs) -> None:
    """Print :func:`dumps` of ``value`` (to standard output unless ``file`` is given)."""
    print(dumps(value, **kwargs), file=sys.stdout if file is None else file)
