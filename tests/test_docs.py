"""The documentation: every public name is in the API reference and cited by a theory page or a how-to."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import memtheory

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _public_packages() -> tuple[str, ...]:
    text = (DOCS / "conf.py").read_text(encoding="utf-8")
    block = re.search(r"PUBLIC_PACKAGES = \((.*?)\)", text, re.S).group(1)
    return tuple(re.findall(r'"([\w.]+)"', block))


def _manual_text() -> str:
    pages = sorted((DOCS / "theory").glob("*.md")) + sorted((DOCS / "howto").glob("*.md"))
    return "\n".join(p.read_text(encoding="utf-8") for p in pages)


@pytest.mark.parametrize("package", _public_packages())
def test_every_public_name_is_cited_by_the_manual_or_a_howto(package):
    module = importlib.import_module(package)
    assert module.__all__, package
    text = _manual_text()
    missing = [name for name in module.__all__ if not re.search(rf"\b{re.escape(name)}\b", text)]
    assert not missing, f"{package}: not cited by docs/theory or docs/howto: {missing}"


def test_public_packages_cover_every_all_in_the_public_layers():
    """A public package with an ``__all__`` that the API reference forgets is a documentation gap."""
    listed = set(_public_packages())
    for layer in ("solvers", "simulations"):
        for init in sorted((ROOT / layer).glob("*/__init__.py")):
            name = f"memtheory.{layer}.{init.parent.name}"
            module = importlib.import_module(name)
            if hasattr(module, "__all__"):
                assert name in listed, f"{name} has __all__ but is not in docs/conf.py PUBLIC_PACKAGES"


def test_docs_cite_nothing_outside_the_repository():
    offenders = []
    for folder in ("theory", "solvers", "simulations", "studies", "figures", "memtheory", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md") and "_build" not in path.parts:
                text = path.read_text(encoding="utf-8")
                if re.search(r"shared/spec|\bissue [0-9]", text):
                    offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders


def test_package_files_and_version():
    for name in ("LICENSE", "CITATION.cff", "CHANGELOG.md"):
        assert (ROOT / name).is_file(), name
    out = subprocess.run([sys.executable, "-m", "memtheory", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.strip() == f"memtheory {memtheory.__version__}"
    assert "MIT" in (ROOT / "LICENSE").read_text(encoding="utf-8")
