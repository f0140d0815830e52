"""The project's import graph, read from its sources with :mod:`ast`, and hashes over it.

A cached result (a figure's data, a numba kernel) is only valid as long as the code that computed it is
unchanged, and that code is the module that computed it *plus everything it imports, transitively*.
:func:`source_digest` hashes exactly that set, found from the source files: every ``import`` and
``from ... import`` statement anywhere in a module (top level, inside functions, under ``if``/``try``),
relative imports resolved against the module's package, ``from pkg import name`` counted as an import
of ``pkg.name`` when that is a module, and each module's parent packages (their ``__init__`` runs on
import). Only modules of the ``memtheory`` package are followed; third-party code is not hashed.

:func:`layer_digest` is the cheap variant for code that runs at import time: it hashes whole layers
(no parsing), which covers every import because imports only point down the layers.

Modules are located without importing them: the top-level subpackages (``memtheory.solvers`` ...) are
found with :func:`importlib.util.find_spec` (which honours the editable-install mapping of the
repository's top-level folders) and everything below them is a plain walk of the file system.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["ROOT_PACKAGE", "LAYER_PACKAGES", "module_path", "package_modules", "imports_of", "import_closure",
           "source_digest", "files_digest", "layer_digest", "read_source"]

ROOT_PACKAGE = "memtheory"
# Subpackages that live in top-level folders of the repository (setup.py maps them into the package;
# in an editable install they are not below ``memtheory/`` on disk).
LAYER_PACKAGES = ("theory", "solvers", "simulations", "studies", "figures")


@lru_cache(maxsize=None)
def _package_dir(name: str) -> Path | None:
    """Directory of the package ``name`` (``memtheory`` or one of its direct subpackages)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def module_path(name: str) -> Path | None:
    """Source file of the project module ``name`` (``.../__init__.py`` for a package), or ``None``.

    ``None`` for names outside :data:`ROOT_PACKAGE` and for names that are not modules (e.g. a
    function imported with ``from pkg import function``).
    """
    parts = name.split(".")
    if parts[0] != ROOT_PACKAGE:
        return None
    root = _package_dir(ROOT_PACKAGE)
    if root is None:
        return None
    if len(parts) == 1:
        return root / "__init__.py"
    base, rest = _package_dir(".".join(parts[:2])), parts[2:]
    if base is None:
        # not a package: a single-file module right under the root, such as memtheory.cli
        file = root / f"{parts[1]}.py"
        return file if len(parts) == 2 and file.is_file() else None
    target = base.joinpath(*rest)
    if (target / "__init__.py").is_file():
        return target / "__init__.py"
    file = target.with_suffix(".py")
    return file if rest and file.is_file() else None


def package_modules(package: str) -> list[str]:
    """Every module of ``package`` (the package itself and all modules below it), sorted."""
    if package == ROOT_PACKAGE:
        names = set(_walk(ROOT_PACKAGE))
        for layer in LAYER_PACKAGES:
            names.update(_walk(f"{ROOT_PACKAGE}.{layer}"))
        return sorted(names)
    return _walk(package)


def _walk(package: str) -> list[str]:
    init = module_path(package)
    if init is None or init.name != "__init__.py":
        raise ValueError(f"{package!r} is not a package of {ROOT_PACKAGE}")
    root = init.parent
    names = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("").parts
        if rel[-1] == "__init__":
            rel = rel[:-1]
        if all(p.isidentifier() for p in rel) and all((root.joinpath(*rel[:i]) / "__init__.py").is_file()
                                                       for i in range(len(rel))):
            names.append(".".join((package, *rel)))
    return sorted(names)


def read_source(path: Path) -> bytes:
    """Bytes of one source file (a separate function so that tests can stand in an edited copy)."""
    return Path(path).read_bytes()


def _statements(body):
    """Every statement in ``body``, nested ones included; expressions are skipped (imports are
    statements), which makes this several times faster than :func:`ast.walk`."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from _statements(inner)


@lru_cache(maxsize=None)
def _imports_cached(name: str, source: bytes, is_package: bool) -> tuple[str, ...]:
    tree = ast.parse(source)
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")
                if node.level > 1:
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return tuple(sorted(found))


def imports_of(name: str) -> list[str]:
    """Project modules that module ``name`` imports anywhere in its source, with their parent packages.

    Raises
    ------
    ValueError
        If ``name`` is not a module of the project.
    """
    path = module_path(name)
    if path is None:
        raise ValueError(f"{name!r} is not a module of {ROOT_PACKAGE}")
    out: set[str] = set()
    for target in _imports_cached(name, read_source(path), path.name == "__init__.py"):
        parts = target.split(".")
        for i in range(1, len(parts) + 1):
            candidate = ".".join(parts[:i])
            if module_path(candidate) is not None:
                out.add(candidate)
    out.discard(name)
    return sorted(out)


def import_closure(names: Iterable[str]) -> list[str]:
    """The modules ``names`` and everything they import, transitively (parents included), sorted.

    Raises
    ------
    ValueError
        If one of ``names`` is not a module of the project.
    """
    todo = []
    for name in names:
        if module_path(name) is None:
            raise ValueError(f"{name!r} is not a module of {ROOT_PACKAGE}")
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(imports_of(name))
    return sorted(seen)


def files_digest(names: Iterable[str], *, length: int = 16) -> str:
    """Hex hash of the sources of exactly the modules ``names`` (no import graph).

    Module names are part of the hash, so moving code between modules changes it too.
    """
    digest = hashlib.sha256()
    for name in sorted(set(names)):
        path = module_path(name)
        if path is None:
            raise ValueError(f"{name!r} is not a module of {ROOT_PACKAGE}")
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(read_source(path)).digest())
    return digest.hexdigest()[:length]


def source_digest(names: Iterable[str], *, length: int = 16) -> str:
    """Hex hash of the sources of ``names`` and of every project module they import, transitively.

    Any edit to one of those files (a comment is enough) changes the digest; an edit anywhere else
    does not.
    """
    return files_digest(import_closure(names), length=length)


def layer_digest(*layers: str, length: int = 16) -> str:
    """Hash of every module of the given packages plus the bottom layer (``memtheory`` and
    ``memtheory.core``), without reading the import graph.

    Because imports only point down the layers (checked by ``tests/test_layers.py``), this covers
    everything those packages can import, at the cost of hashing files rather than parsing them: the
    cheap key for code that runs at import time (the numba cache directory of the solvers).
    """
    names = [ROOT_PACKAGE, *package_modules(f"{ROOT_PACKAGE}.core")]
    for layer in layers:
        names += package_modules(layer)
    return files_digest(names, length=length)
