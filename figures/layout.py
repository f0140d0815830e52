"""Layout checks of a drawn figure: text outside the canvas, overlapping labels, legends over data.

:func:`layout_problems` draws the figure once (Agg) and measures every artist with
``get_window_extent`` in display pixels. It is what the gallery's visual smoke test asserts on, so
that a legend placed over the curves or a title running off the figure fails a test instead of
reaching a slide.
"""

from __future__ import annotations

import numpy as np

__all__ = ["layout_problems"]

_PAD = 1.0  # pixels of tolerance: anti-aliased edges of adjacent texts may touch


def _visible_text(t) -> bool:
    return bool(t.get_visible() and t.get_text().strip())


def _shrunk(bbox, pad=_PAD):
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(bbox.x0 + pad, bbox.y0 + pad, bbox.x1 - pad, bbox.y1 - pad)


def _overlap(a, b) -> bool:
    a, b = _shrunk(a), _shrunk(b)
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _describe(t) -> str:
    return repr(t.get_text()[:40])


def _axes_texts(ax):
    """(role, Text) of an axes' layout texts: titles, axis labels, tick labels."""
    out = [("title", t) for t in (ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None))
           if t is not None]
    out += [("label", ax.xaxis.label), ("label", ax.yaxis.label)]
    for axis in (ax.xaxis, ax.yaxis):
        out += [("tick", t) for t in _drawn_tick_labels(axis)]
        out.append(("tick", axis.get_offset_text()))
    return out


def _drawn_tick_labels(axis) -> list:
    """Tick labels matplotlib actually draws (``get_ticklabels`` also returns those outside the view)."""
    lo, hi = sorted(axis.get_view_interval())
    out = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        loc = tick.get_loc()
        if loc is None or not (lo - 1e-9 * abs(hi - lo) <= loc <= hi + 1e-9 * abs(hi - lo)):
            continue
        out += [lab for lab in (tick.label1, tick.label2) if lab.get_visible()]
    return out


def _contour_label_ids(ax) -> set[int]:
    ids = set()
    for coll in ax.collections:
        for t in getattr(coll, "labelTexts", []) or []:
            ids.add(id(t))
    return ids


def _line_points(line) -> np.ndarray:
    """Display coordinates of a line's vertices, with 8 points inserted per segment."""
    xy = np.column_stack([np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)])
    xy = xy[np.isfinite(xy).all(axis=1)]
    if xy.size == 0:
        return np.empty((0, 2))
    pts = line.get_transform().transform(xy)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) > 1 and line.get_linestyle() not in ("None", "none", "", " "):
        t = np.linspace(0, 1, 9)[:-1, None, None]
        seg = pts[:-1][None] * (1 - t) + pts[1:][None] * t
        pts = np.vstack([seg.reshape(-1, 2), pts[-1:]])
    return pts


def _data_points(ax) -> np.ndarray:
    """Display coordinates of what an axes plots: lines, markers, scatter offsets (inside the axes)."""
    from matplotlib.collections import PathCollection

    parts = [_line_points(line) for line in ax.get_lines() if line.get_visible() and not _is_reference(line, ax)]
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and coll.get_visible():
            off = coll.get_offsets()
            if len(off):
                parts.append(coll.get_offset_transform().transform(np.asarray(off, float)))
    if not parts:
        return np.empty((0, 2))
    pts = np.vstack(parts)
    box = ax.bbox
    inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
    return pts[inside]


def _is_reference(line, ax) -> bool:
    """Full-width/height reference lines (axhline/axvline) may pass behind a legend."""
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    if x.size != 2:
        return False
    trans = line.get_transform()
    return trans.contains_branch_seperately(ax.transAxes) != (False, False) and (
        (np.allclose(x, [0, 1]) or np.allclose(y, [0, 1])))


def _points_in(pts: np.ndarray, bbox) -> bool:
    b = _shrunk(bbox, 2.0)
    return bool(np.any((pts[:, 0] > b.x0) & (pts[:, 0] < b.x1) & (pts[:, 1] > b.y0) & (pts[:, 1] < b.y1)))


def layout_problems(fig) -> list[str]:
    """Everything wrong with the layout of ``fig``, one line each (empty list: the layout is clean).

    Checked, in display pixels after drawing:

    * every visible text (titles, labels, tick labels, legend entries, annotations) lies inside the
      figure canvas;
    * no two layout texts overlap (titles, axis labels, tick labels of different axes, suptitle,
      figure texts, annotations), and no legend box covers a layout text outside it;
    * no legend covers plotted data (line vertices, markers) of the axes it overlaps;
    * no annotation text inside an axes sits on that axes' lines or markers (contour labels, which
      sit on their contour by design, are exempt).
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    problems: list[str] = []

    texts: list[tuple[str, object, object]] = []  # (role, owner, Text)
    for t in fig.texts:
        texts.append(("figure", fig, t))
    for name in ("_suptitle", "_supxlabel", "_supylabel"):
        t = getattr(fig, name, None)
        if t is not None and t not in fig.texts:
            texts.append(("figure", fig, t))
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [(role, ax, t) for role, t in _axes_texts(ax)]
        skip = _contour_label_ids(ax)
        texts += [("annotation", ax, t) for t in ax.texts if id(t) not in skip]
    texts = [(r, o, t) for r, o, t in texts if _visible_text(t)]
    extents = [(r, o, t, t.get_window_extent(renderer)) for r, o, t in texts]

    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    legend_boxes = [(lg, lg.get_window_extent(renderer)) for lg in legends if lg.get_visible()]

    # 1. inside the canvas
    for role, _, t, box in extents:
        if box.x0 < canvas.x0 - _PAD or box.y0 < canvas.y0 - _PAD or box.x1 > canvas.x1 + _PAD or \
                box.y1 > canvas.y1 + _PAD:
            problems.append(f"{role} text {_describe(t)} runs outside the figure")
    for lg, box in legend_boxes:
        if box.x0 < canvas.x0 - _PAD or box.y0 < canvas.y0 - _PAD or box.x1 > canvas.x1 + _PAD or \
                box.y1 > canvas.y1 + _PAD:
            problems.append("a legend runs outside the figure")

    # 2. texts against texts (tick labels of one axes may touch each other: matplotlib thins them)
    if extents:
        box = np.array([[b.x0 + _PAD, b.y0 + _PAD, b.x1 - _PAD, b.y1 - _PAD] for *_, b in extents])
        hit = ((box[:, None, 0] < box[None, :, 2]) & (box[None, :, 0] < box[:, None, 2])
               & (box[:, None, 1] < box[None, :, 3]) & (box[None, :, 1] < box[:, None, 3]))
        for i, j in zip(*np.nonzero(np.triu(hit, 1))):
            (r1, o1, t1, _), (r2, o2, t2, _) = extents[i], extents[j]
            if (r1 == r2 == "tick" and o1 is o2) or t1 is t2:
                continue
            problems.append(f"{r1} text {_describe(t1)} overlaps {r2} text {_describe(t2)}")

    # 3. legends against texts and data
    for lg, box in legend_boxes:
        own = {id(t) for t in lg.get_texts()} | {id(lg.get_title())}
        for role, _, t, tb in extents:
            if id(t) not in own and _overlap(box, tb):
                problems.append(f"a legend covers {role} text {_describe(t)}")
        for ax in fig.axes:
            if not ax.get_visible() or not _overlap(box, ax.bbox):
                continue
            if _points_in(_data_points(ax), box):
                problems.append(f"a legend ({', '.join(t.get_text()[:20] for t in lg.get_texts()[:2])}, ...) "
                                f"covers plotted data")
        for (lg2, box2) in legend_boxes:
            if lg2 is not lg and id(lg2) > id(lg) and _overlap(box, box2):
                problems.append("two legends overlap")

    # 4. annotations on data
    for role, ax, t, box in extents:
        if role == "annotation" and _points_in(_data_points(ax), box):
            problems.append(f"annotation {_describe(t)} sits on plotted data")
    return problems
