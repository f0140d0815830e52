"""Numerical solvers of memtheory: RAF saddle points, capacity bounds, memorized-prior posteriors.

Numba's on-disk cache is invalidated only when a jitted function's *own* file changes, not when a
function it calls (in another file) does. To make a stale kernel impossible, the cache lives in a
directory keyed by a hash of every source file of this package: any edit starts a fresh cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def _configure_numba_cache() -> None:
    import numba

    root = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    base = os.environ.get("NUMBA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache")), "memtheory", "numba"
    )
    numba.config.CACHE_DIR = os.path.join(base, digest.hexdigest()[:16])


_configure_numba_cache()
