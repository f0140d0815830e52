"""Carry RAF results on: dictionaries, pandas DataFrames, xarray Datasets and files chosen by suffix.

Every export records what was solved (learner, loss, activation, λ, κ, the kernel coefficients) and
the memtheory version, so a file on disk says where its numbers came from. pandas and xarray are the
optional extra ``xarray`` (``pip install memtheory[xarray]``); the dictionary, CSV, JSON and ``.npz``
exports need neither.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

__all__ = ["model_attributes", "grid_records", "write_grid", "GRID_SUFFIXES"]

GRID_SUFFIXES = (".csv", ".json", ".npz", ".nc")
AXIS_ORDER = ("alpha", "epsilon", "lam", "kappa")


def _version() -> str:
    import memtheory

    return memtheory.__version__


def _plain(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    return value


def model_attributes(model, fixed: dict | None = None) -> dict:
    """What was solved, as plain JSON values: learner, loss, activation, λ, κ, μ₁, μ⋆, version.

    Parameters
    ----------
    model : object
        A model of :mod:`memtheory.solvers.raf` (``Linear``, ``Kernel``, ``RandomFeatures``,
        ``BayesOptimal``).
    fixed : dict, optional
        Parameters held fixed on a grid (they override the model's own values).

    Returns
    -------
    dict
        Keys ``learner``, ``loss``, ``activation``, ``lam``, ``kappa``, ``mu1``, ``mu_star`` where the
        model has them, and ``memtheory_version``.
    """
    attrs = {"learner": getattr(model, "learner", type(model).__name__)}
    loss = getattr(model, "loss", None)
    if loss is not None:
        attrs["loss"] = loss if isinstance(loss, str) else getattr(loss, "name", repr(loss))
    activation = getattr(model, "activation", None)
    if activation is not None:
        attrs["activation"] = activation if isinstance(activation, str) else getattr(activation, "__name__", "custom")
    for name in ("lam", "kappa", "mu1", "mu_star"):
        value = getattr(model, name, None)
        if value is not None:
            attrs[name] = _plain(value)
    for name, value in (fixed or {}).items():
        attrs[name] = _plain(value)
    attrs["memtheory_version"] = _version()
    return attrs


def _swept(axes: dict) -> list[str]:
    return [k for k in AXIS_ORDER if k in axes and np.ndim(axes[k]) == 1 and np.size(axes[k]) > 1] + [
        k for k in axes if k not in AXIS_ORDER and np.ndim(axes[k]) == 1 and np.size(axes[k]) > 1
    ]


def grid_records(attrs: dict, axes: dict, fields: dict, *, points: bool = False) -> tuple[list[str], list[np.ndarray]]:
    """Flatten a grid to columns: the model's attributes, every axis, then every output.

    Parameters
    ----------
    attrs : dict
        From :func:`model_attributes`.
    axes : dict
        Axis name → 1-D array (swept) or scalar (fixed).
    fields : dict
        Output name → array of the grid's shape.
    points : bool
        ``axes`` and ``fields`` are already one value per point (1-D arrays of equal length, the
        flattened batched solve), not a grid to expand.

    Returns
    -------
    columns, values : list of str, list of numpy.ndarray
        One column per attribute, axis and output; every value array has one entry per grid point.
    """
    if points:
        n = len(next(iter(fields.values())))
        columns = [k for k in attrs if k not in axes] + list(axes) + list(fields)
        values = ([np.full(n, attrs[k], dtype=object) for k in attrs if k not in axes]
                  + [np.asarray(v, dtype=float).ravel() for v in axes.values()]
                  + [np.asarray(v).ravel() for v in fields.values()])
        return columns, values
    swept = _swept(axes)
    shape = tuple(np.size(axes[k]) for k in swept)
    n = int(np.prod(shape)) if shape else 1
    mesh = np.meshgrid(*(np.asarray(axes[k], dtype=float) for k in swept), indexing="ij") if swept else []
    columns, values = [], []
    for key, value in attrs.items():
        if key in axes:
            continue
        columns.append(key)
        values.append(np.full(n, value, dtype=object))
    for key in axes:
        columns.append(key)
        values.append(mesh[swept.index(key)].ravel() if key in swept else np.full(n, float(np.ravel(axes[key])[0])))
    for key, arr in fields.items():
        arr = np.asarray(arr)
        if arr.size != n:
            raise ValueError(f"field {key!r} has {arr.size} values for a grid of {n} points")
        columns.append(key)
        values.append(arr.ravel())
    return columns, values


def _format(v):
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.10g}"
    return v


def to_xarray(attrs: dict, axes: dict, fields: dict, *, points: bool = False):
    """An :class:`xarray.Dataset` with one dimension per swept axis (needs the ``xarray`` extra); with
    ``points`` (see :func:`grid_records`) one dimension ``point`` and the axes as its coordinates."""
    try:
        import xarray as xr
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_xarray needs xarray: pip install 'memtheory[xarray]'") from exc
    if points:
        data_vars = {k: ("point", np.asarray(v).astype(np.int8) if np.asarray(v).dtype == bool else np.asarray(v))
                     for k, v in fields.items()}
        coords = {k: ("point", np.asarray(v, dtype=float)) for k, v in axes.items()}
        return xr.Dataset(data_vars, coords=coords, attrs={k: v for k, v in attrs.items() if v is not None})
    swept = _swept(axes)
    coords = {k: np.asarray(axes[k], dtype=float) for k in swept}
    data_vars = {}
    for key, arr in fields.items():
        arr = np.asarray(arr)
        if arr.dtype == bool:
            arr = arr.astype(np.int8)  # netCDF has no boolean type
        data_vars[key] = (tuple(swept), arr.reshape(tuple(len(coords[k]) for k in swept)))
    attributes = {k: v for k, v in attrs.items() if v is not None}
    for key in axes:
        if key not in swept:
            attributes[key] = float(np.ravel(axes[key])[0])
    return xr.Dataset(data_vars, coords=coords, attrs=attributes)


def write_grid(path, attrs: dict, axes: dict, fields: dict, *, points: bool = False) -> Path:
    """Write a grid to ``path``; the format follows the suffix (``.csv``, ``.json``, ``.npz``, ``.nc``).

    Parameters
    ----------
    path : str or pathlib.Path
        Destination; its suffix chooses the format. An unknown suffix is refused.
    attrs, axes, fields : dict
        As for :func:`grid_records`.
    points : bool
        As for :func:`grid_records`.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        If the suffix is not one of :data:`GRID_SUFFIXES`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in GRID_SUFFIXES:
        raise ValueError(f"--out must end in {', '.join(GRID_SUFFIXES)} (the format follows the suffix), got {str(path)!r}")
    if suffix == ".nc":
        to_xarray(attrs, axes, fields, points=points).to_netcdf(path, engine="scipy")
        return path
    columns, values = grid_records(attrs, axes, fields, points=points)
    if suffix == ".npz":
        arrays = {c: v for c, v in zip(columns, values) if v.dtype != object}
        np.savez(path, **arrays, attributes=np.array(json.dumps({k: _plain(v) for k, v in attrs.items()})))
        return path
    if suffix == ".json":
        rows = [{c: _plain(v) for c, v in zip(columns, row)} for row in zip(*values)]
        path.write_text(json.dumps({"attributes": {k: _plain(v) for k, v in attrs.items()}, "points": rows},
                                   allow_nan=False), encoding="utf-8")
        return path
    with open(path, "w", newline="", encoding="utf-8") as stream:
        write_csv(stream, columns, values)
    return path


def write_csv(stream, columns: list[str], values: list[np.ndarray]) -> None:
    """Write the flattened grid as CSV to an open text stream."""
    writer = csv.writer(stream)
    writer.writerow(columns)
    for row in zip(*values):
        writer.writerow([_format(v) for v in row])
