"""Rectangular sweeps of one RAF learner over up to four parameters (α, ε, λ, κ).

:func:`sweep_grid` is the common engine of ``memtheory raf sweep``/``phase-diagram`` and of the phase
diagram producer. It hands the whole grid to :func:`memtheory.solvers.raf.sweep` (which warm-starts along the
axes) with ``workers`` processes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from memtheory.core.checks import check_array
from memtheory.studies._common import quiet
from memtheory.studies.models import OUTPUTS, SWEEP_AXES

__all__ = ["sweep_grid", "axis_values"]

_MIN_POINTS_PER_WORKER = 15000


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


def sweep_grid(model, axes: Mapping[str, object], *, outputs: Sequence[str] = OUTPUTS,
               workers: int = 1) -> dict[str, np.ndarray]:
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

    Returns
    -------
    dict
        ``{output: array}`` plus one 1-D array per swept axis under its name.

    Raises
    ------
    ValueError
        Unknown axis name, empty axis, ``workers < 1``.
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
    # Starting a worker (imports, loading the compiled kernels) costs 1–2 s: measured on 2 cores, a
    # 200 × 101 hinge grid is faster in one process, so only larger grids are split.
    result = _sweep_block(model, clean, outputs, workers if n_points >= _MIN_POINTS_PER_WORKER * workers else 1)
    for name in swept:
        result[name] = clean[name]
    return result
