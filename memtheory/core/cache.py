"""On-disk cache for expensive producers (saddle-point sweeps, simulations), and the user cache directory.

A cache entry is one ``.npz`` file holding the dict of arrays a producer returned. Its key is the
SHA-256 of a canonical JSON record ``{"producer": name, "params": params, "fingerprint": ...}``:
the same producer called with the same parameters (in any key order, ints or floats alike) hits the
same file. The *fingerprint* is the source hash of the producer's module and everything it imports
(:func:`memtheory.core.sources.source_digest`), so any edit of that code invalidates the entry.

Every entry also stores a SHA-256 checksum of its data, verified on load. An entry that cannot be read
for any reason (truncated, bad CRC, a plain ``.npy`` or any other file at its path, a checksum or
layout mismatch) is a miss, and the next store overwrites it. Writes are atomic (temporary file plus
:func:`os.replace`), so two processes computing the same entry concurrently, or a run killed
mid-write, never leave a truncated file behind.

Where the cache lives (first that applies): the ``root`` given to :class:`DiskCache` (the CLI's
``--cache-dir``), the environment variable ``MEMTHEORY_CACHE_DIR``, else
``$XDG_CACHE_HOME/memtheory/results`` (``~/.cache/memtheory/results`` when ``XDG_CACHE_HOME`` is unset),
next to the numba cache ``.../memtheory/numba``. Never the current directory.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "CACHE_ENV",
    "user_cache_dir",
    "default_cache_dir",
    "data_checksum",
    "CacheResult",
    "canonical_json",
    "cache_key",
    "normalize_data",
    "DiskCache",
]

CACHE_ENV = "MEMTHEORY_CACHE_DIR"
# Bumped when the on-disk layout changes, so old entries are simply ignored.
_FORMAT = 2
# Reserved names inside an entry's .npz (data keys are identifiers, so they cannot start with "_").
_SECONDS, _CHECKSUM = "_seconds", "_checksum"


def user_cache_dir(*parts: str) -> Path:
    """``$XDG_CACHE_HOME/memtheory/<parts>``, or ``~/.cache/memtheory/<parts>`` without XDG_CACHE_HOME."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "memtheory", *parts)


def default_cache_dir() -> Path:
    """The result cache: ``$MEMTHEORY_CACHE_DIR`` if set, else :func:`user_cache_dir` ``("results")``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else user_cache_dir("results")


def _canonical(value):
    """Turn ``value`` into plain JSON types so that equal parameters serialise identically."""
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_canonical(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        # 2 and 2.0 must share an entry: producers treat them alike.
        return float(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return repr(x)
        return x
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"cache parameter {value!r} of type {type(value).__name__} is not JSON-serialisable")


def canonical_json(obj) -> str:
    """Return the canonical JSON text of ``obj`` (sorted keys, numbers as floats, no spaces)."""
    return json.dumps(_canonical(obj), sort_keys=True, separators=(",", ":"), allow_nan=False)


def cache_key(producer: str, params: Mapping, fingerprint: str = "") -> str:
    """Hex SHA-256 identifying one producer call.

    Parameters
    ----------
    producer : str
        Name of the producer, conventionally ``"package.module:function"``.
    params : Mapping
        Keyword arguments of the call; must be JSON-serialisable.
    fingerprint : str, optional
        Code version tag; a different fingerprint gives a different key.
    """
    record = {"format": _FORMAT, "producer": producer, "params": params, "fingerprint": fingerprint}
    return hashlib.sha256(canonical_json(record).encode()).hexdigest()


def normalize_data(data: Mapping) -> dict:
    """Return ``data`` in the form it has after a round trip through the cache.

    Arrays stay arrays, 0-d values become Python scalars (``float``, ``int``, ``bool``, ``str``).
    Both the freshly computed and the cached result go through this, so plotting code sees one type.

    Raises
    ------
    ValueError
        If a value is not array-like (nested dicts, ``None``, objects).
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"a producer must return a dict of arrays, got {type(data).__name__}")
    out = {}
    for key, value in data.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise ValueError(f"data key {key!r} must be a valid identifier")
        if key in (_SECONDS, _CHECKSUM):
            raise ValueError(f"data key {key!r} is reserved by the cache")
        arr = np.asarray(value)
        if arr.dtype == object:
            raise ValueError(f"data entry {key!r} is not a numeric or string array")
        out[key] = arr.item() if arr.ndim == 0 else arr
    return out


def data_checksum(data: Mapping) -> str:
    """Hex SHA-256 of normalised data: every key, dtype, shape and the raw bytes, in key order."""
    digest = hashlib.sha256()
    for key in sorted(data):
        arr = np.ascontiguousarray(np.asarray(data[key]))
        digest.update(f"{key}\0{arr.dtype.str}\0{arr.shape}\0".encode())
        digest.update(arr.tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheResult:
    """What :meth:`DiskCache.get_or_compute` returns.

    Attributes
    ----------
    data : dict
        The producer's data, normalised by :func:`normalize_data`.
    hit : bool
        True when the data were read from disk.
    seconds : float
        Compute time of the entry (as recorded when it was first computed).
    path : pathlib.Path
        The ``.npz`` file of the entry.
    """

    data: dict
    hit: bool
    seconds: float
    path: Path


class DiskCache:
    """A directory of ``<producer>/<key>.npz`` entries with a JSON side-car describing each.

    Parameters
    ----------
    root : str or Path, optional
        Cache directory (created on first write); default :func:`default_cache_dir`.
    """

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root) if root is not None else default_cache_dir()

    def path_for(self, producer: str, params: Mapping, fingerprint: str = "") -> Path:
        """Return the file an entry is (or would be) stored in."""
        folder = "".join(c if c.isalnum() or c in "._-" else "_" for c in producer)
        return self.root / folder / f"{cache_key(producer, params, fingerprint)}.npz"

    def load(self, producer: str, params: Mapping, fingerprint: str = "") -> CacheResult | None:
        """Return the cached entry, or ``None`` on a miss or on any unreadable or inconsistent file."""
        path = self.path_for(producer, params, fingerprint)
        if not path.is_file():
            return None
        try:
            data, seconds = _read_entry(path)
        except Exception:  # noqa: BLE001 - whatever is wrong with the file, it is a miss, rewritten on store
            return None
        return CacheResult(data, True, seconds, path)

    def store(self, producer: str, params: Mapping, data: Mapping, *, fingerprint: str = "",
              seconds: float = float("nan")) -> Path:
        """Write one entry atomically and return its path."""
        data = normalize_data(data)
        path = self.path_for(producer, params, fingerprint)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():  # whatever squats on the entry's path is replaced
            shutil.rmtree(path)
        arrays = {k: np.asarray(v) for k, v in data.items()}
        arrays[_SECONDS] = np.float64(seconds)
        arrays[_CHECKSUM] = np.array(data_checksum(data))
        _atomic_write(path, lambda f: np.savez(f, **arrays))
        meta = {"producer": producer, "params": _canonical(params), "fingerprint": fingerprint,
                "seconds": seconds if math.isfinite(seconds) else None, "created": time.time()}
        _atomic_write(path.with_suffix(".json"), lambda f: f.write(json.dumps(meta, indent=1).encode()))
        return path

    def get_or_compute(self, producer: str, params: Mapping, compute: Callable[[], Mapping], *,
                       fingerprint: str = "", refresh: bool = False) -> CacheResult:
        """Return the cached data for ``(producer, params)``, computing and storing them on a miss.

        Parameters
        ----------
        producer, params, fingerprint
            The key (see :func:`cache_key`).
        compute : callable
            Called with no arguments on a miss; returns the dict of arrays.
        refresh : bool
            Recompute even if an entry exists.
        """
        if not refresh:
            hit = self.load(producer, params, fingerprint)
            if hit is not None:
                return hit
        start = time.perf_counter()
        data = normalize_data(compute())
        seconds = time.perf_counter() - start
        path = self.store(producer, params, data, fingerprint=fingerprint, seconds=seconds)
        return CacheResult(data, False, seconds, path)


def _read_entry(path: Path) -> tuple[dict, float]:
    """Read and verify one entry; raise (anything) when the file is not an intact entry."""
    loaded = np.load(path, allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):  # e.g. a plain .npy written at the entry's path
        raise ValueError(f"{path} is not an .npz archive")
    with loaded as npz:
        raw = {k: npz[k] for k in npz.files}
    seconds = float(raw.pop(_SECONDS))
    checksum = str(raw.pop(_CHECKSUM))
    data = normalize_data(raw)
    if data_checksum(data) != checksum:
        raise ValueError(f"{path}: checksum mismatch")
    return data, seconds


def _atomic_write(path: Path, write: Callable) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
