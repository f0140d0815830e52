"""numba's ``njit`` and ``prange``, or their pure-Python stand-ins when numba's JIT is disabled.

Every compiled kernel of memtheory takes its decorator from here. With ``NUMBA_DISABLE_JIT=1`` (numba's
own switch, read once, at the first import of this module) the decorators return the Python functions
unchanged and numba is not imported at all: importing numba takes a third of a second, loading the
cached compiled kernels of a solve another half, and compiling them from scratch half a minute, while
one saddle point runs through the same Python source in a few milliseconds. The command line uses this
for ``memtheory raf solve`` (one point; see :func:`memtheory.cli.console_main`). Everything else, and
every library call, runs compiled.

The interpreted kernels compute the same floating-point operations with the same libm, but Python's
``math`` raises where numba's ``error_model="numpy"`` returns ``inf``/``nan`` (``math.sqrt(-1)``,
``1.0/0.0``); :data:`INTERPRETED_ARITHMETIC_ERRORS` are the exceptions a caller running interpreted
must treat as "run it compiled instead".
"""

from __future__ import annotations

import os

__all__ = ["njit", "prange", "CPUDispatcher", "INTERPRETED", "INTERPRETED_ARITHMETIC_ERRORS"]

INTERPRETED = os.environ.get("NUMBA_DISABLE_JIT", "0").strip() not in ("", "0")
"""True when the kernels run as plain Python (``NUMBA_DISABLE_JIT`` set to a non-zero value)."""

INTERPRETED_ARITHMETIC_ERRORS = (ArithmeticError, ValueError)
"""What an interpreted kernel raises where the compiled one returns ``inf``/``nan``."""

if INTERPRETED:
    prange = range

    def njit(*args, **kwargs):
        """``@njit`` and ``@njit(...)`` that return the function itself."""
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return lambda func: func

    class CPUDispatcher:  # noqa: D101 — nothing is an instance: no function is compiled
        pass
else:
    from numba import njit, prange
    from numba.core.registry import CPUDispatcher
