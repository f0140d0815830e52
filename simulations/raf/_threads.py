"""Limit the BLAS thread pools of this process for a block of code.

Why: one simulation job works on matrices of a few hundred to a few thousand rows, where
multi-threaded OpenBLAS gains little on an idle machine and loses badly on a busy one (threads
spin-waiting for a core; ×5 slower measured with a load of 6 on 2 cores). So every simulation job
runs with one BLAS thread by default (``blas_threads=1`` of :func:`memtheory.simulations.raf.simulate`), and
campaigns parallelise over jobs instead (:mod:`.campaign`).
"""

from __future__ import annotations

import contextlib

from threadpoolctl import threadpool_limits

__all__ = ["blas_threads"]


@contextlib.contextmanager
def blas_threads(n: int | None):
    """Context manager: run the block with at most ``n`` BLAS threads (``None``: leave the pools alone).

    Parameters
    ----------
    n : int or None
        Thread limit.

    Returns
    -------
    contextlib.AbstractContextManager
        Restores the previous limits on exit.

    Examples
    --------
    >>> import numpy as np
    >>> with blas_threads(1):
    ...     float(np.ones((2, 2)) @ np.ones(2) @ np.ones(2))
    4.0

    See docs/howto/simulations.md (a performance utility; no theory page).
    """
    if n is None:
        yield
        return
    with threadpool_limits(limits=int(n), user_api="blas"):
        yield
