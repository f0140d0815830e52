"""Sphinx configuration of the memtheory documentation (``make docs``)."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import memtheory

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

project = "memtheory"
author = "The memtheory developers"
copyright = "2026, the memtheory developers"
release = memtheory.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]

# The public API: every name in the ``__all__`` of these packages gets a page.
PUBLIC_PACKAGES = (
    "memtheory.solvers.raf",
    "memtheory.solvers.capacity",
    "memtheory.solvers.posterior",
    "memtheory.solvers.inverse_problems.stylized",
    "memtheory.solvers.inverse_problems.helmholtz",
    "memtheory.solvers.inverse_problems.fwi",
    "memtheory.solvers.inverse_problems.dps",
    "memtheory.solvers.inverse_problems.velocity_prior",
    "memtheory.simulations.raf",
    "memtheory.simulations.facts",
    "memtheory.simulations.lm",
)

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / ".jupyter_cache")
nb_execution_timeout = 600
nb_execution_raise_on_error = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autosummary_generate = True
autodoc_default_options = {"members": False}
autodoc_typehints = "none"
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "pydata_sphinx_theme"
html_title = "memtheory"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "img/README.md"]


def _api_pages() -> None:
    """Write ``api/<package>.md`` listing the package's ``__all__`` (regenerated at every build)."""
    out = DOCS / "api"
    out.mkdir(exist_ok=True)
    index = ["# API reference", "", "Every public name, by package; each page is generated from the",
             "docstrings.", "", "```{toctree}", ":maxdepth: 1", ""]
    documented: dict[int, str] = {}  # a re-export is documented once, where it is first listed
    for name in PUBLIC_PACKAGES:
        module = importlib.import_module(name)
        doc = (module.__doc__ or "").strip().splitlines()
        summary = doc[0] if doc else ""
        lines = [f"# `{name}`", "", summary, "", f"```{{eval-rst}}", f".. currentmodule:: {name}", "",
                 ".. autosummary::", "   :toctree: generated", ""]
        own, reexported = [], []
        for member in sorted(module.__all__):
            obj = getattr(module, member)
            if isinstance(obj, type) or callable(obj):
                if id(obj) in documented:
                    reexported.append(f"{member} (:obj:`{documented[id(obj)]}`)")
                    continue
                documented[id(obj)] = f"{name}.{member}"
            own.append(member)
        lines += [f"   {member}" for member in own]
        if reexported:
            lines += ["", "Re-exported here: " + ", ".join(reexported) + "."]
        lines += ["```", ""]
        (out / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
        index.append(name)
    index += ["```", ""]
    (out / "index.md").write_text("\n".join(index), encoding="utf-8")


def _copy_notebooks() -> None:
    """The notebooks live in ``notebooks/`` at the top of the repository; Sphinx reads a copy."""
    dest = DOCS / "notebooks"
    dest.mkdir(exist_ok=True)
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        target = dest / nb.name
        if not target.exists() or target.read_bytes() != nb.read_bytes():
            shutil.copyfile(nb, target)


_api_pages()
_copy_notebooks()
