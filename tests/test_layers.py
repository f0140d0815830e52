"""The import graph of the whole package against the declared layers.

Layers, imports only point down (``core`` at the bottom, the command line at the top)::

    core  <-  theory
    core  <-  solvers            (theory writes the solvers' generated kernels; no runtime import)
    core  <-  simulations        (never the solvers: the simulations are the independent check)
    core, solvers, simulations  <-  studies   (figure data, every theory-vs-simulation comparison)
    core, studies, simulations  <-  figures   (draws what the studies produce; never the solvers)
    everything                  <-  cli / commands

Every ``import`` counts, including the ones inside functions (lazy imports), read with ``ast`` by
:mod:`memtheory.core.sources`, the same reader that keys the caches.
"""

from __future__ import annotations

import ast
import re

import pytest

from memtheory.core import sources

LAYERS = ("core", "theory", "solvers", "simulations", "studies", "figures", "cli")
# What each layer may import (besides itself).
ALLOWED = {
    "core": set(),
    "theory": {"core"},
    "solvers": {"core"},
    "simulations": {"core"},
    "studies": {"core", "solvers", "simulations"},
    # figures draw and never compute: no solver import (a simulation config constant is fine)
    "figures": {"core", "studies", "simulations"},
    "cli": {"core", "theory", "solvers", "simulations", "studies", "figures"},
}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "core"  # the root package's __init__ imports nothing
    if parts[1] in ("cli", "commands", "__main__"):
        return "cli"
    if parts[1] in LAYERS:
        return parts[1]
    raise AssertionError(f"module {module} belongs to no declared layer; add it to tests/test_layers.py")


def all_modules() -> list[str]:
    return sources.package_modules("memtheory")


def violations(modules) -> list[str]:
    found = []
    for module in modules:
        here = layer_of(module)
        for target in sources.imports_of(module):
            there = layer_of(target)
            if target == "memtheory" or there == here or there in ALLOWED[here]:
                continue
            found.append(f"{module} ({here}) imports {target} ({there})")
    return found


def test_every_module_belongs_to_a_layer():
    modules = all_modules()
    assert len(modules) > 80
    for layer in ("theory", "solvers", "simulations", "studies", "figures", "core", "commands"):
        assert any(m.startswith(f"memtheory.{layer}") for m in modules), layer
    for module in modules:
        layer_of(module)


def test_imports_point_down_the_layers():
    assert violations(all_modules()) == []


def test_no_simulation_module_imports_the_solvers():
    sims = [m for m in all_modules() if m.startswith("memtheory.simulations")]
    for module in sims:
        assert not [t for t in sources.imports_of(module) if t.startswith("memtheory.solvers")], module


def test_checker_sees_lazy_and_relative_imports(monkeypatch):
    """A lazy ``from memtheory.solvers import raf`` inside a simulation function is a violation, and a
    relative import resolves against the module's package (so the test above can fail)."""
    target = sources.module_path("memtheory.simulations.raf.losses")
    real = sources.read_source
    extra = (b"\n\ndef _peek():\n    if True:\n        from memtheory.solvers import raf\n"
             b"    try:\n        from ...studies import models\n    except ImportError:\n        pass\n")
    monkeypatch.setattr(sources, "read_source", lambda p: real(p) + extra if p == target else real(p))
    found = violations(["memtheory.simulations.raf.losses"])
    assert any("imports memtheory.solvers.raf (solvers)" in v for v in found), found
    assert any("imports memtheory.studies.models (studies)" in v for v in found), found


_PRODUCER = re.compile(r"^memtheory\.[\w.]+:\w+$")


def _producer_strings(module: str) -> list[str]:
    tree = ast.parse(sources.read_source(sources.module_path(module)))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and _PRODUCER.match(n.value)]


@pytest.mark.parametrize("module", [m for m in sources.package_modules("memtheory.figures")])
def test_figure_producers_are_studies(module):
    """Producer strings (``"memtheory.<module>:function"``) of the figures name a function of the studies."""
    import importlib

    for producer in _producer_strings(module):
        name, _, func = producer.partition(":")
        assert name.startswith("memtheory.studies."), f"{module}: producer {producer} is not a study"
        assert sources.module_path(name) is not None, producer
        assert func in {n.name for n in ast.parse(sources.read_source(sources.module_path(name))).body
                        if isinstance(n, ast.FunctionDef)} or hasattr(importlib.import_module(name), func), producer
