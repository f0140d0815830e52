"""Command groups of the ``memtheory`` CLI; each module exposes ``register(subparsers)``."""

from __future__ import annotations

import importlib
from types import ModuleType


def optional_command_module(name: str) -> ModuleType | None:
    """Import ``memtheory.commands.<name>``, or ``None`` if that module is not installed.

    A missing command module leaves its commands out; an ImportError *inside* the module (a broken
    dependency) is not hidden.
    """
    try:
        return importlib.import_module(f"memtheory.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("memtheory.commands"):
            return None
        raise
