"""The bottom layer of memtheory, imported by every other layer and importing none of them.

* :mod:`memtheory.core.names` — the one registry of learner, loss, activation and kernel names;
* :mod:`memtheory.core.checks` — the one module of argument checks (``ValueError`` naming the
  parameter and its allowed range);
* :mod:`memtheory.core.sources` — the project's import graph and the source hash of a module's
  transitive imports (the key of both the numba cache and the result cache);
* :mod:`memtheory.core.cache` — the on-disk result cache and the user cache directory.
* :mod:`memtheory.core.jit` — numba's ``njit``/``prange`` for every kernel, or plain Python without
  importing numba when ``NUMBA_DISABLE_JIT`` is set.

Nothing here imports numpy-heavy science code, so importing a name or a check costs nothing.
"""
