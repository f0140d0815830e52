"""One import name: setup.py maps the repository's top-level folders into ``memtheory.*``.

Cheap checks of the mapping (the manual check of a clean ``pip install .`` is in the README); a
wheel build that lists what an install would put into site-packages runs under ``-m slow``.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

from memtheory.core import sources

ROOT = Path(__file__).resolve().parent.parent


def _setup_kwargs(monkeypatch) -> dict:
    captured = {}
    fake = types.ModuleType("setuptools")
    fake.setup = lambda **kw: captured.update(kw)
    monkeypatch.setitem(sys.modules, "setuptools", fake)
    namespace = {"__file__": str(ROOT / "setup.py"), "__name__": "setup"}
    exec(compile((ROOT / "setup.py").read_text(), str(ROOT / "setup.py"), "exec"), namespace)
    captured["LAYERS"] = namespace["LAYERS"]
    return captured


def _folders_with_code(top: Path):
    for path in sorted(top.rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield path.parent


def test_setup_maps_every_package_under_one_name(monkeypatch):
    kw = _setup_kwargs(monkeypatch)
    packages, package_dir = kw["packages"], kw["package_dir"]
    assert {p.split(".")[0] for p in packages} == {"memtheory"}
    assert tuple(kw["LAYERS"]) == sources.LAYER_PACKAGES
    for layer in kw["LAYERS"]:
        assert package_dir[f"memtheory.{layer}"] == layer
    expected = set()
    for top, prefix in [(ROOT / "memtheory", ("memtheory",))] + [(ROOT / layer, ("memtheory", layer))
                                                                  for layer in kw["LAYERS"]]:
        for folder in _folders_with_code(top):
            # a folder of code without __init__.py would silently be left out of the wheel
            assert (folder / "__init__.py").is_file(), f"{folder} holds modules but no __init__.py"
            expected.add(".".join(prefix + folder.relative_to(top).parts))
    assert set(packages) == expected


def test_import_graph_reader_agrees_with_the_import_system():
    for name in ("memtheory.solvers", "memtheory.simulations.raf", "memtheory.studies", "memtheory.core.names",
                 "memtheory.theory.generate", "memtheory.commands.raf"):
        module = importlib.import_module(name)
        assert Path(module.__file__).resolve() == sources.module_path(name), name
    assert sources.module_path("solvers") is None  # no top-level name but memtheory


def test_foreign_top_level_names_in_the_working_directory_do_not_interfere(tmp_path):
    """A user's ``figures/`` package and ``simulations.py`` next to them change nothing."""
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "__init__.py").write_text("raise ImportError('the user package was imported')\n")
    (tmp_path / "simulations.py").write_text("raise ImportError('the user module was imported')\n")
    code = ("import importlib.util as u\n"
            "assert all(u.find_spec(n) is None for n in ('solvers', 'theory', 'studies'))\n"
            "from memtheory.figures import registry\n"
            "from memtheory.simulations.raf import losses\n"
            "assert registry.__file__ != 'figures/__init__.py' and losses.LOSSES\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


@pytest.mark.slow
def test_wheel_holds_only_the_memtheory_package(tmp_path):
    # A clean copy: a build/ folder left in the checkout by an earlier build could ship stale modules.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__",
                                                             "out", "validation"))
    # build isolation: the build backend comes from the package index, as for a user's `pip install .`
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)],
                   check=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("memtheory-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"memtheory"}
    assert "memtheory/solvers/raf/channels/_generated/dispatch.py" in names
    assert "memtheory/studies/raf_tradeoff.py" in names


@pytest.mark.parametrize("preset", [None, "ACTIVE"])
def test_import_sets_passive_openmp_waiting_unless_user_chose(preset):
    # spinning OpenMP threads made sweeps 18x slower on busy cores; a user's own choice is kept
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if preset is not None:
        env["OMP_WAIT_POLICY"] = preset
    out = subprocess.run([sys.executable, "-c", "import os, memtheory; print(os.environ['OMP_WAIT_POLICY'])"],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out == (preset or "PASSIVE")
