"""The examples in the docstrings run (every public package's modules, imported by their real names)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import memtheory

LAYERS = ("memtheory.solvers", "memtheory.simulations", "memtheory.studies")


def _modules() -> list[str]:
    names = []
    for layer in LAYERS:
        package = importlib.import_module(layer)
        names.append(layer)
        for info in pkgutil.walk_packages(package.__path__, prefix=layer + "."):
            names.append(info.name)
    return sorted(names)


def _with_examples() -> list[str]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    out = []
    for name in _modules():
        try:
            module = importlib.import_module(name)
        except ImportError:  # an optional extra (torch) that is missing: its examples cannot run
            continue
        if any(t.examples for t in finder.find(module)):
            out.append(name)
    return out


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_some_examples_exist():
    assert "memtheory.solvers.raf" in _with_examples()
    assert memtheory.__version__
