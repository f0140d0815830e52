"""The gallery contract: how a figure module declares the figures it contributes.

A figure module (``figures/<name>.py``) holds plotting functions only: each takes the data a producer
returned (a ``dict`` of numpy arrays and plain scalars) and returns a :class:`matplotlib.figure.Figure`.
It declares its gallery entries in a module-level list ``GALLERY`` of :class:`GalleryFigure`.

The data come from a *producer*: a function in :mod:`solvers` or :mod:`simulations` named by the
string ``"package.module:function"``, called as ``producer(**params)`` and returning a dict of arrays.
The gallery runner calls the producer (through an on-disk cache keyed by producer and params) and
hands the result to ``plot``. Figures never solve anything themselves.

Optional producer attributes read by the runner (:mod:`memtheory.figures.gallery`): ``cache_depends`` (modules or
packages whose source is part of the cache key, e.g. ``("memtheory.solvers.raf",)``) and ``gallery_cost`` (relative
run time; the slowest producers start first).
"""

from __future__ import annotations

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
    "memtheory.figures.capacity_figures",
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
        ``"package.module:function"`` in :mod:`solvers` or :mod:`simulations`.
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
