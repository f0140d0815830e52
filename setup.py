"""Map the repository's top-level folders into the single import package ``memtheory``.

The design card keeps ``theory/``, ``solvers/``, ``simulations/``, ``studies/`` and ``figures/`` at the
top of the repository, while an installed memtheory must own exactly one import name. setuptools'
``package_dir`` does that mapping: ``memtheory.solvers`` is ``./solvers`` and so on. The package list
is computed from the folders (every directory with an ``__init__.py``), so adding a subpackage needs no
edit here. Metadata lives in ``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
LAYERS = ("theory", "solvers", "simulations", "studies", "figures")


def _packages() -> tuple[list[str], dict[str, str]]:
    package_dir = {"memtheory": "memtheory"}
    packages = ["memtheory"] + [
        "memtheory." + ".".join(p.parent.relative_to(ROOT / "memtheory").parts)
        for p in sorted((ROOT / "memtheory").rglob("__init__.py"))
        if p.parent != ROOT / "memtheory"
    ]
    for layer in LAYERS:
        package_dir[f"memtheory.{layer}"] = layer
        for init in sorted((ROOT / layer).rglob("__init__.py")):
            rel = init.parent.relative_to(ROOT)
            packages.append("memtheory." + ".".join(rel.parts))
    return packages, package_dir


packages, package_dir = _packages()
setup(packages=packages, package_dir=package_dir)
