"""Campaigns: many RAF points × seeds through a ``concurrent.futures``-style executor.

Every (point, seed) pair is one job ``run_one(spec, seed)``. The jobs go to

* ``None`` / ``"serial"``: this process, in order;
* ``"processes"`` (the default of :func:`run_campaign`): a local ``ProcessPoolExecutor`` (spawned
  workers, one BLAS thread each unless the caller already set ``OPENBLAS_NUM_THREADS``, because
  several workers each running multi-threaded BLAS on the same cores is slower than one);
* any object with ``submit`` returning futures with ``result()`` (a ``concurrent.futures.Executor``);
* a ``dask.distributed.Client`` (anything with ``get_executor``): its ``concurrent.futures`` view.

Each job runs with ``blas_threads`` BLAS threads (default 1, :func:`run_job`). Results are
deterministic functions of (spec, seed), so neither the executor nor the thread count changes the
numbers beyond floating-point summation order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from memtheory.core.checks import check_positive_int, check_seeds
from ._threads import blas_threads as _blas_threads
from .experiment import SimResult, SimSpec, aggregate, make_spec, run_one

__all__ = ["run_points", "run_campaign", "run_job"]

_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _single_threaded_children():
    saved = {k: os.environ.get(k) for k in _THREAD_VARS}
    for k in _THREAD_VARS:
        os.environ.setdefault(k, "1")
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _to_spec(point) -> SimSpec:
    if isinstance(point, SimSpec):
        return point
    if isinstance(point, dict):
        return make_spec(**point)
    raise ValueError(f"points must be SimSpec objects or dicts of simulate() parameters, got {point!r}")


def run_job(spec: SimSpec, seed: int, blas_threads: int | None = 1):
    """One job, run where the executor puts it: :func:`run_one` with at most ``blas_threads`` BLAS threads.

    For the two-layer network the same number caps torch's CPU threads unless the spec sets its own.
    """
    if blas_threads is not None and spec.learner == "two_layer" and spec.threads is None:
        spec = dataclasses.replace(spec, threads=blas_threads)
    with _blas_threads(blas_threads):
        return run_one(spec, seed)


def run_points(points: Iterable, seeds, executor=None, max_workers: int | None = None,
               blas_threads: int | None = 1) -> list[SimResult]:
    """Run every point over every seed; return one :class:`SimResult` per point, in input order.

    Parameters
    ----------
    points : iterable of SimSpec or dict
        Dicts are passed to :func:`make_spec`.
    seeds : int or list of int
        k means seeds 0..k−1.
    executor : None, "serial", "processes", a concurrent.futures.Executor or a dask Client
        Where the jobs run (default: in this process).
    max_workers : int, optional
        Workers of the ``"processes"`` pool (default: ``os.cpu_count()``).
    blas_threads : int or None
        Threads per job (default 1; ``None`` leaves BLAS/torch alone), see :func:`run_job`.

    Returns
    -------
    list of SimResult
        One per point.

    Examples
    --------
    >>> rs = run_points([make_spec("linear", "square", d=50), {"learner": "linear", "loss": "hinge", "d": 50}], seeds=2)
    >>> [r.spec.loss for r in rs], rs[1].gen_error.shape
    (['square', 'hinge'], (2,))

    See docs/theory/raf.md §5.
    """
    specs = [_to_spec(p) for p in points]
    if not specs:
        raise ValueError("points must not be empty")
    seeds = check_seeds("seeds", seeds)
    if blas_threads is not None:
        blas_threads = check_positive_int("blas_threads", blas_threads)
    jobs = [(i, spec, s) for i, spec in enumerate(specs) for s in seeds]
    if executor is None or executor == "serial":
        results = [run_job(spec, s, blas_threads) for _, spec, s in jobs]
    elif executor == "processes":
        workers = os.cpu_count() if max_workers is None else check_positive_int("max_workers", max_workers)
        with _single_threaded_children():
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = [pool.submit(run_job, spec, s, blas_threads) for _, spec, s in jobs]
                results = [f.result() for f in futures]
    else:
        if hasattr(executor, "get_executor"):  # dask.distributed.Client
            executor = executor.get_executor()
        if not hasattr(executor, "submit"):
            raise ValueError(f"executor must be None, 'serial', 'processes', an Executor or a dask Client, got {executor!r}")
        futures = [executor.submit(run_job, spec, s, blas_threads) for _, spec, s in jobs]
        results = [f.result() for f in futures]
    grouped: list[list] = [[] for _ in specs]
    for (i, _, _), m in zip(jobs, results):
        grouped[i].append(m)
    return [aggregate(spec, ms) for spec, ms in zip(specs, grouped)]


def run_campaign(points: Iterable, seeds, executor="processes", max_workers: int | None = None,
                 blas_threads: int | None = 1) -> list[SimResult]:
    """:func:`run_points` with local processes as the default executor ("Campaigns").

    Parameters
    ----------
    points : iterable of SimSpec or dict
        Dicts are passed to :func:`make_spec`.
    seeds : int or list of int
        k means seeds 0..k−1.
    executor : default "processes"
        As in :func:`run_points`.
    max_workers : int, optional
        Workers of the process pool.
    blas_threads : int or None
        Threads per job.

    Returns
    -------
    list of SimResult
        One per point.

    Examples
    --------
    >>> rs = run_campaign([make_spec("linear", "square", d=50)], seeds=2, executor="serial")
    >>> len(rs), rs[0].seeds.tolist()
    (1, [0, 1])

    See docs/theory/raf.md §5.
    """
    return run_points(points, seeds, executor=executor, max_workers=max_workers, blas_threads=blas_threads)
