"""The gallery contract: how a figure module declares the figures it contributes.

A figure module (``figures/<name>.py``) holds plotting functions only: each takes the data a producer
returned (a ``dict`` of numpy arrays and plain scalars) and returns a :class:`matplotlib.figure.Figure`.
It declares its gallery entries in a module-level list ``GALLERY`` of :class:`GalleryFigure`.

The data come from a *producer*: a function in :mod:`memtheory.studies` named by the string
``"memtheory.studies.module:function"``, called as ``producer(**params)`` and returning a dict of arrays.
The gallery runner calls the producer (through an on-disk cache keyed by producer and params) and
hands the result to ``plot``. Figures never solve anything themselves.

The cache key of a producer's data includes the source hash of its module and of everything that
module imports (found from the import graph, nothing to declare). An optional producer attribute
``gallery_cost`` (relative run time) makes the slowest producers start first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Modules scanned for ``GALLERY`` lists, in gallery order. A module that cannot be imported because
# an optional dependency (torch) is missing is skipped by the runner with a note.
# A module that does not exist (yet) is skipped silently.
FIGURE_MODULES: tuple[str, ...] = (
    "memtheory.figures.raf_phase",
    "memtheory.figures.raf_tradeoff",
    "memtheory.figures.raf_learning_curves",
    "memtheory.figures.raf_kernel_geometry",
    "memtheory.figures.raf_random_features",
    "memtheory.figures.raf_theory_vs_sim",
    "memtheory.figures.raf_real_data",
    "memtheory.figures.capacity_figures",
    "memtheory.figures.capacity_lm",
    "memtheory.figures.posterior_figures",
    "memtheory.figures.posterior_trained",
)


@dataclass(frozen=True)
class GalleryFigure:
    """One figure of the gallery.

    Attributes
    ----------
    name : str
        File stem of the outputs (``<name>.png``, ``.pdf``, ``.npz``/``.csv``); unique in the gallery.
    title : str
        Short title shown in ``index.html``.
    caption : str
        What is plotted and every parameter it was computed with.
    producer : str
        ``"memtheory.studies.<module>:function"``.
    params : Mapping
        JSON-serialisable keyword arguments of the producer; with ``producer`` it is the cache key.
    plot : Callable[[dict], matplotlib.figure.Figure]
        Turns the producer's data into a figure.
    group : str
        Name used by ``memtheory figures --only`` (``raf``, ``capacity``, ``posterior``, ...).
    needs : tuple of str
        Optional modules the producer needs (e.g. ``("torch",)``).
    inputs : Mapping[str, tuple[str, Mapping]]
        Further producer calls ``{prefix: (producer, params)}`` whose data are merged into the dict
        handed to ``plot`` as ``<prefix>_<key>`` (e.g. simulation points next to theory curves). Each
        is cached on its own, so a figure reusing another figure's data costs nothing extra.
    extra_outputs : Callable[[dict, pathlib.Path], list[str]], optional
        Writes further files derived from the data (e.g. a JSON summary) into the output directory and
        returns their paths relative to it; called after the figure is drawn.
    data_keys : tuple of str
        Keys of the (merged) data holding every quantity the caption names; the runner refuses to
        draw a figure whose data lack one, so the saved ``.npz`` always carries what the caption
        promises.
    caption_exempt : tuple of str
        Parameter paths (``"train.threads"``, ``"tradeoff.lam"`` for an input) deliberately not written
        in the caption because they do not change the numbers (threads, device) or repeat another
        figure's caption; every other parameter value must appear in the caption (tested).
    """

    name: str
    title: str
    caption: str
    producer: str
    params: Mapping
    plot: Callable
    group: str = "raf"
    needs: tuple[str, ...] = field(default_factory=tuple)
    inputs: Mapping = field(default_factory=dict)
    extra_outputs: Callable | None = None
    data_keys: tuple[str, ...] = field(default_factory=tuple)
    caption_exempt: tuple[str, ...] = field(default_factory=tuple)


def param_leaves(params: Mapping, prefix: str = "") -> list[tuple[str, object]]:
    """Flatten nested parameters into ``(path, value)`` pairs (lists keep their elements apart).

    ``{"lam": {"log10": [-4, 1, 3]}}`` gives ``[("lam.log10", -4), ("lam.log10", 1), ("lam.log10", 3)]``;
    ``None`` values (a default left unset) are skipped.
    """
    out: list[tuple[str, object]] = []
    items = params.items() if isinstance(params, Mapping) else enumerate(params)
    for key, value in items:
        path = f"{prefix}.{key}" if prefix and isinstance(params, Mapping) else (prefix or str(key))
        if isinstance(value, Mapping):
            out.extend(param_leaves(value, path))
        elif isinstance(value, (list, tuple)):
            for v in value:
                out.extend(param_leaves({key: v}, prefix) if not isinstance(v, (Mapping, list, tuple))
                           else param_leaves(v, path))
        elif value is not None:
            out.append((path, value))
    return out


# Short parameter words and how captions spell them out.
_ALIASES = {"rf": ("rf", "random features", "random-features"), "random_features": ("random features", "rf"),
            "sign": ("sign", "arcsine"), "powerlaw": ("powerlaw", "power-law", "power law")}
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def value_spellings(value) -> list[str]:
    """The ways a caption may write a parameter value (``0.001``, ``10^-3``, ``10⁻³``, ``1e-3``, ...)."""
    if isinstance(value, str):
        return [part for part in value.split(":") if part] or [value]
    v = float(value)
    forms = {f"{v:g}", f"{v:.3g}", f"{v:.4g}", f"{v:.2g}", repr(value), str(value)}
    if v.is_integer():
        forms |= {str(int(v)), f"{int(v):,}"}
    if v > 0 and float(math.log10(v)).is_integer():
        k = int(round(math.log10(v)))
        forms |= {f"10^{k}", f"10^{{{k}}}", f"10{str(k).translate(_SUPERSCRIPT)}", f"1e{k}", f"1e{k:+d}"}
    return sorted(forms)


def caption_states(caption: str, value, key: str = "") -> bool:
    """True when ``caption`` writes ``value`` (a number not glued to other digits, a string, or for a
    boolean the parameter's name ``key``)."""
    if isinstance(value, bool):
        return key.rsplit(".", 1)[-1].replace("_", " ") in caption.replace("_", " ")
    if isinstance(value, str):
        text = caption.lower()
        return all(any(a in text for a in _ALIASES.get(part.lower(), (part.lower(),)))
                   for part in value_spellings(value))
    for form in value_spellings(value):
        if re.search(rf"(?<![\d.]){re.escape(form)}(?![\d]|\.\d)", caption):
            return True
    return False
