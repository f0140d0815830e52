"""Rectangular sweeps of one RAF learner over up to four parameters (α, ε, λ, κ).

:func:`sweep_grid` is the common engine of ``memtheory raf sweep``/``phase-diagram`` and of the phase
diagram producer. It hands the whole grid to :func:`memtheory.solvers.raf.sweep` (which warm-starts along the
axes) with ``workers`` processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from memtheory.core.checks import check_array
from memtheory.core.memory import check_memory
from memtheory.studies._common import quiet
from memtheory.studies.models import OUTPUTS, SWEEP_AXES

__all__ = ["sweep_grid", "axis_values", "estimate_memory"]

_MIN_POINTS_PER_WORKER = 15000
# raf.sweep holds about 5 KiB of Python objects per grid point while it runs (measured: 0.74 GB peak for
# a 1000 × 100 linear grid against 0.23 GB for 100 × 100), so a large grid is solved in blocks of at
# most this many points along its first axis; only the outputs (~100 bytes a point) are kept for all.
_BLOCK_POINTS = 50000
_SWEEP_BYTES_PER_POINT = 5 * 1024
_OUTPUT_BYTES_PER_POINT = 200


def axis_values(spec) -> np.ndarray:
    """Turn a producer's axis parameter into an array.

    ``[start, stop, count]`` (a 3-list) is an inclusive linspace, ``{"log10": [lo, hi, count]}`` a
    log-spaced range from 10**lo to 10**hi, ``{"values": [...]}`` an explicit list, a number a scalar.
    """
    if isinstance(spec, Mapping):
        if "log10" in spec:
            lo, hi, count = spec["log10"]
            return np.logspace(float(lo), float(hi), int(count))
        if "values" in spec:
            return check_array("axis values", spec["values"], ndim=1)
        raise ValueError(f"unknown axis specification {spec!r}")
    if isinstance(spec, (list, tuple)):
        if len(spec) != 3:
            raise ValueError(f"axis {spec!r} must be [start, stop, count]")
        return np.linspace(float(spec[0]), float(spec[1]), int(spec[2]))
    return np.asarray(float(spec))


def _sweep_block(model, axes: dict, outputs: tuple[str, ...], workers: int = 1) -> dict:
    from memtheory.solvers import raf

    try:
        with quiet():
            grid = raf.sweep(model, **axes, workers=workers, warn=False)
    except ArithmeticError:
        # One degenerate point (e.g. a division by zero deep in a channel) must not lose the whole
        # grid: redo it point by point and leave the failing points NaN / not converged.
        return _pointwise(model, axes, outputs)
    out = {}
    for name in outputs:
        value = getattr(grid, name, None)
        if value is not None:
            out[name] = np.asarray(value, dtype=bool if name in ("converged", "coexistence") else float)
    return out


def _pointwise(model, axes: dict, outputs: tuple[str, ...]) -> dict:
    import dataclasses

    from memtheory.solvers import raf

    swept = [k for k in SWEEP_AXES if isinstance(axes.get(k), np.ndarray)]  # raf.sweep's axis order
    shape = tuple(axes[k].size for k in swept)
    out = {k: np.zeros(shape, bool) if k == "converged" else np.full(shape, np.nan) for k in outputs}
    for index in np.ndindex(shape):
        point = {k: (axes[k][index[swept.index(k)]] if k in swept else axes[k]) for k in axes}
        params = {k: float(point.pop(k)) for k in ("lam", "kappa") if k in point}
        try:
            with quiet():
                res = raf.solve(dataclasses.replace(model, **params) if params else model,
                                alpha=float(point["alpha"]), epsilon=float(point["epsilon"]))
        except (ArithmeticError, ValueError):
            continue
        for k in outputs:
            value = getattr(res, k, None)
            if value is not None:
                out[k][index] = value
    return out


def estimate_memory(n_points: int) -> float:
    """Peak bytes of :func:`sweep_grid` on ``n_points`` points (blocks, plus every output kept)."""
    return (min(n_points, _BLOCK_POINTS) * _SWEEP_BYTES_PER_POINT + n_points * _OUTPUT_BYTES_PER_POINT
            + 300 * 2**20)  # the interpreter with numpy, scipy and the compiled kernels


def sweep_grid(model, axes: Mapping[str, object], *, outputs: Sequence[str] = OUTPUTS,
               workers: int = 1, progress: Callable[[int, int], None] | None = None) -> dict[str, np.ndarray]:
    """Solve ``model`` on the product grid of ``axes``.

    Parameters
    ----------
    model : memtheory.solvers.raf model
        The learner (its own ``lam``/``kappa`` are overridden by swept axes of that name).
    axes : mapping
        ``{name: array or scalar}`` for names among α, ε, λ, κ (``alpha``, ``epsilon``, ``lam``,
        ``kappa``); the output arrays have the shape of the array-valued axes, in the canonical order
        α, ε, λ, κ (whatever the order of ``axes``).
    outputs : sequence of str
        Result fields to return (missing fields are silently absent).
    workers : int
        Processes :func:`memtheory.solvers.raf.sweep` may use (1: solve in this process).
    progress : callable, optional
        ``progress(done, total)`` after each block of a grid larger than one block.

    Returns
    -------
    dict
        ``{output: array}`` plus one 1-D array per swept axis under its name.

    Raises
    ------
    ValueError
        Unknown axis name, empty axis, ``workers < 1``, or a grid whose estimated memory
        (:func:`estimate_memory`) exceeds the budget of :mod:`memtheory.core.memory`.
    """
    clean = {}
    for name, value in axes.items():
        if name not in SWEEP_AXES:
            raise ValueError(f"unknown sweep axis {name!r}; allowed: {', '.join(SWEEP_AXES)}")
        arr = check_array(name, value)
        if arr.ndim > 1 or arr.size == 0:
            raise ValueError(f"{name} must be a scalar or a non-empty 1-D array")
        clean[name] = arr if arr.ndim == 1 else float(arr)
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    outputs = tuple(outputs)
    swept = [n for n, v in clean.items() if isinstance(v, np.ndarray)]
    n_points = int(np.prod([clean[k].size for k in swept]))
    check_memory(f"a sweep of {n_points} grid points", estimate_memory(n_points),
                 reduce="the number of grid points")
    # Starting a worker (imports, loading the compiled kernels) costs 1–2 s: measured on 2 cores, a
    # 200 × 101 hinge grid is faster in one process, so only larger grids are split.
    n_workers = workers if n_points >= _MIN_POINTS_PER_WORKER * workers else 1
    first = [k for k in SWEEP_AXES if k in swept][:1]
    if n_points <= _BLOCK_POINTS or not first:
        result = _sweep_block(model, clean, outputs, n_workers)
    else:
        result = _blocked(model, clean, outputs, n_workers, first[0], n_points, progress)
    for name in swept:
        result[name] = clean[name]
    return result


def _blocked(model, axes: dict, outputs, workers: int, axis: str, n_points: int, progress) -> dict:
    """Solve the grid in slabs along ``axis`` (the first swept axis, the outputs' leading dimension)."""
    values = axes[axis]
    per_row = n_points // values.size
    rows = max(1, _BLOCK_POINTS // per_row)
    parts = []
    for r0 in range(0, values.size, rows):
        slab = values[r0 : r0 + rows]
        # A one-row slab would become a scalar axis and drop its dimension: keep it an array.
        # a one-value slab stays a length-1 axis (raf.sweep keeps the dimension of every array axis)
        parts.append(_sweep_block(model, {**axes, axis: slab}, outputs, workers))
        if progress is not None:
            progress(min(n_points, (r0 + slab.size) * per_row), n_points)
    return {k: np.concatenate([np.asarray(p[k]) for p in parts], axis=0) for k in parts[0]}
