"""Numerical solvers of memtheory: RAF saddle points, capacity bounds, memorized-prior posteriors.

Numba's on-disk cache is invalidated only when a jitted function's *own* file changes, not when a
function it calls (in another file) does. To make a stale kernel impossible, the cache lives in a
directory keyed by the source hash of this package and of the bottom layer it may import
(:func:`memtheory.core.sources.layer_digest`, the same hashing the result cache uses; the layer rule,
checked by a test, guarantees that covers every import): any edit starts a fresh cache. ``NUMBA_CACHE_DIR`` moves the base directory (default ``~/.cache/memtheory/numba``,
honouring ``XDG_CACHE_HOME``).
"""

from __future__ import annotations

import os

from memtheory.core.jit import INTERPRETED


def _configure_numba_cache() -> None:
    import numba

    from memtheory.core.cache import user_cache_dir
    from memtheory.core.sources import layer_digest

    base = os.environ.get("NUMBA_CACHE_DIR") or str(user_cache_dir("numba"))
    numba.config.CACHE_DIR = os.path.join(base, layer_digest(__name__))


if not INTERPRETED:  # the kernels run as Python: numba is neither needed nor imported
    _configure_numba_cache()
