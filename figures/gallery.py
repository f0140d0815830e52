"""The gallery runner: collect figures, compute their data (cached, in a process pool), draw, index.

For every :class:`~figures.registry.GalleryFigure` selected, the runner

1. looks the producer call up in the on-disk cache (:mod:`memtheory.core.cache`); misses are computed in a
   process pool (one worker per core, two by default) with a progress bar;
2. calls the figure's ``plot`` on the data inside :func:`memtheory.figures.style.style_context`;
3. writes ``<name>.png``, ``<name>.pdf``, ``<name>.npz`` (the data, plus ``<name>.csv`` when the data
   are a table of equal-length columns) and finally ``index.html`` and ``manifest.json``.

The cache key is the producer name, its parameters and a *fingerprint* of the code: the source hash
of the producer's module and of every project module it imports, transitively, found from the import
graph (:func:`memtheory.core.sources.source_digest`; nothing is listed by hand). Editing any code a
result depends on (the quadrature, the Anderson step, a channel) therefore recomputes exactly the
figures that use it, while the others, and a second run with unchanged code, only redraw. A producer
may also declare a relative ``gallery_cost`` (default 1): the slowest producers are started first so
that both workers stay busy. The cache directory is ``cache_dir``, else ``$MEMTHEORY_CACHE_DIR``, else
the user cache directory (:func:`memtheory.core.cache.default_cache_dir`).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import fnmatch
import hashlib
import html
import importlib
import importlib.util
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")  # the gallery only writes files: never open a window, even with a display

from memtheory.figures.registry import FIGURE_MODULES, GalleryFigure  # noqa: E402
from memtheory.figures.style import style_context  # noqa: E402
from memtheory.core.cache import DiskCache, canonical_json  # noqa: E402
from memtheory.core.sources import source_digest  # noqa: E402

__all__ = [
    "FigureOutcome",
    "GalleryReport",
    "collect_figures",
    "select_figures",
    "resolve_producer",
    "producer_fingerprint",
    "run_gallery",
]


@dataclass(frozen=True)
class FigureOutcome:
    """What happened to one figure in a gallery run.

    Attributes
    ----------
    figure : GalleryFigure
    status : str
        ``"computed"``, ``"cached"`` or ``"failed"`` (``"from an earlier run"`` in the index of a
        partial run, for figures not selected but present in the output directory).
    compute_seconds : float
        Producer run time (as recorded in the cache for a hit).
    files : tuple of str
        Written file names, relative to the output directory.
    error : str
        One-line error message when ``status == "failed"``.
    """

    figure: GalleryFigure
    status: str
    compute_seconds: float = float("nan")
    files: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class GalleryReport:
    """Result of :func:`run_gallery`.

    Attributes
    ----------
    out : Path
        Output directory.
    outcomes : tuple of FigureOutcome
        One per selected figure, in gallery order.
    notes : tuple of str
        Skipped modules/figures and other remarks (also shown in ``index.html``).
    seconds : float
        Wall time of the run.
    """

    out: Path
    outcomes: tuple[FigureOutcome, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    seconds: float = float("nan")

    @property
    def failed(self) -> tuple[FigureOutcome, ...]:
        """Outcomes whose producer or plot raised."""
        return tuple(o for o in self.outcomes if o.status == "failed")

    @property
    def index(self) -> Path:
        """Path of the written ``index.html``."""
        return self.out / "index.html"


def _module_missing(exc: ModuleNotFoundError, module: str) -> bool:
    """True when ``exc`` says that ``module`` itself (or a parent package) does not exist."""
    return bool(exc.name) and (module == exc.name or module.startswith(exc.name + "."))


def collect_figures(modules: Sequence[str] | None = None) -> tuple[list[GalleryFigure], list[str]]:
    """Import the figure modules and gather their ``GALLERY`` lists.

    Parameters
    ----------
    modules : sequence of str, optional
        Module names; default :data:`memtheory.figures.registry.FIGURE_MODULES`.

    Returns
    -------
    figures : list of GalleryFigure
        In module order, then list order.
    notes : list of str
        One line per module skipped because a dependency is missing or its import failed. A module
        that does not exist at all is skipped silently (it has not been written yet).

    Raises
    ------
    ValueError
        If two figures share a name.
    """
    modules = FIGURE_MODULES if modules is None else tuple(modules)
    figures: list[GalleryFigure] = []
    notes: list[str] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if _module_missing(exc, name):
                continue
            notes.append(f"skipped {name}: optional dependency {exc.name!r} is not installed")
            continue
        except Exception as exc:  # a broken colleague module must not take the whole gallery down
            notes.append(f"skipped {name}: import failed ({type(exc).__name__}: {_one_line(exc)})")
            continue
        gallery = getattr(module, "GALLERY", None)
        if gallery is None:
            notes.append(f"skipped {name}: it defines no GALLERY list")
            continue
        figures.extend(gallery)
    seen: set[str] = set()
    for fig in figures:
        if fig.name in seen:
            raise ValueError(f"duplicate gallery figure name {fig.name!r}")
        seen.add(fig.name)
    return figures, notes


def select_figures(figures: Sequence[GalleryFigure], only: Iterable[str] | None) -> list[GalleryFigure]:
    """Keep the figures named by ``only`` (figure names, group names or shell patterns).

    Raises
    ------
    ValueError
        If a requested name matches no figure; the message lists the available names and groups.
    """
    if not only:
        return list(figures)
    only = list(only)
    keep: list[GalleryFigure] = []
    for pattern in only:
        matched = [f for f in figures if fnmatch.fnmatchcase(f.name, pattern) or f.group == pattern]
        if not matched:
            names = ", ".join(f.name for f in figures) or "(none)"
            groups = ", ".join(sorted({f.group for f in figures})) or "(none)"
            raise ValueError(f"unknown figure {pattern!r}; figures: {names}; groups: {groups}")
        keep.extend(f for f in matched if f not in keep)
    return [f for f in figures if f in keep]


def resolve_producer(producer: str):
    """Import ``"package.module:function"`` and return the function.

    Raises
    ------
    ValueError
        If the string is malformed or the function does not exist.
    """
    module_name, sep, func_name = producer.partition(":")
    if not sep or not module_name or not func_name:
        raise ValueError(f"producer {producer!r} must read 'package.module:function'")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, func_name)
    except AttributeError:
        raise ValueError(f"producer {producer!r}: {module_name} has no function {func_name!r}") from None


def producer_fingerprint(producer: str) -> str:
    """Source hash of the producer's module and every project module it imports, transitively.

    Producers outside the ``memtheory`` package (a user's own module) are hashed by their own file.
    """
    resolve_producer(producer)  # a malformed or missing producer is an error, not an empty hash
    module_name = producer.partition(":")[0]
    try:
        return source_digest([module_name])
    except ValueError:
        path = getattr(importlib.import_module(module_name), "__file__", None)
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16] if path else ""


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _compute_entry(producer: str, params: dict, cache_root: str, fingerprint: str, refresh: bool):
    """Pool task: compute (or load) one producer call; return ``(data, hit, seconds)``."""
    cache = DiskCache(cache_root)
    fn = resolve_producer(producer)
    res = cache.get_or_compute(producer, params, lambda: fn(**params), fingerprint=fingerprint,
                               refresh=refresh)
    return res.data, res.hit, res.seconds


def _ignore_sigint() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle (no traceback from every worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _sigint_ignored():
    """Ignore SIGINT while child processes are started (an ignored signal stays ignored across exec)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """End the workers now on Ctrl-C instead of waiting for their running producers to finish."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="step", disable=not enabled or total == 0,
                file=sys.stderr, leave=True, dynamic_ncols=True)


def run_gallery(out: str | os.PathLike, *, only: Iterable[str] | None = None,
                modules: Sequence[str] | None = None, cache_dir: str | os.PathLike | None = None,
                jobs: int | None = None, refresh: bool = False, progress: bool = True,
                formats: Sequence[str] = ("png", "pdf")) -> GalleryReport:
    """Produce the gallery in ``out``.

    Parameters
    ----------
    out : path
        Output directory (created).
    only : iterable of str, optional
        Figure names, group names or shell patterns to restrict the run to.
    modules : sequence of str, optional
        Figure modules to scan; default :data:`memtheory.figures.registry.FIGURE_MODULES`.
    cache_dir : path, optional
        Cache directory; default ``$MEMTHEORY_CACHE_DIR``, else the user cache directory
        (``~/.cache/memtheory/results``, see :func:`memtheory.core.cache.default_cache_dir`).
    jobs : int, optional
        Worker processes for the producers; default ``min(2, os.cpu_count())``.
    refresh : bool
        Recompute every selected producer, ignoring the cache.
    progress : bool
        Show tqdm progress bars on stderr.
    formats : sequence of str
        Image formats written for each figure.

    Returns
    -------
    GalleryReport

    Raises
    ------
    ValueError
        Unknown ``only`` names, duplicate figure names, ``jobs < 1``.
    """
    start = time.perf_counter()
    if jobs is None:
        jobs = min(2, os.cpu_count() or 1)
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    all_figures, notes = collect_figures(modules)
    figures = select_figures(all_figures, only)
    figures, skipped = _check_needs(figures)
    notes.extend(skipped)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cache = DiskCache(cache_dir)
    cache_root = str(cache.root)

    # One computation per distinct (producer, params): several figures may draw the same data.
    results: dict[str, tuple] = {}
    errors: dict[str, str] = {}
    pending: dict[str, tuple[str, dict, str]] = {}
    keys: dict[str, list[tuple[str, str]]] = {}  # figure -> [(prefix, task key)], prefix "" = main
    for fig in figures:
        calls = [("", fig.producer, dict(fig.params))]
        calls += [(prefix, prod, dict(params)) for prefix, (prod, params) in dict(fig.inputs).items()]
        keys[fig.name] = []
        for prefix, producer, params in calls:
            key = canonical_json([producer, params])
            keys[fig.name].append((prefix, key))
            if key in results or key in pending or key in errors:
                continue
            try:
                fingerprint = producer_fingerprint(producer)
            except Exception as exc:
                errors[key] = f"{type(exc).__name__}: {_one_line(exc)}"
                continue
            hit = None if refresh else cache.load(producer, params, fingerprint)
            if hit is not None:
                results[key] = (hit.data, True, hit.seconds)
            else:
                pending[key] = (producer, params, fingerprint)

    outcomes: dict[str, FigureOutcome] = {}
    drawn: set[str] = set()

    def draw_ready():
        for fig in figures:
            parts = keys[fig.name]
            if fig.name in drawn or any(k not in results and k not in errors for _, k in parts):
                continue
            drawn.add(fig.name)
            failed = [errors[k] for _, k in parts if k in errors]
            merged = None if failed else _merge([(prefix, results[k]) for prefix, k in parts])
            outcomes[fig.name] = _draw(fig, merged, "; ".join(failed), out, formats)
            bar.update()

    # Slowest first (producers may declare a relative ``gallery_cost``), so both workers stay busy.
    pending = dict(sorted(pending.items(), key=lambda kv: -_cost(kv[1][0])))
    # One bar over both kinds of step: computing a producer's data and drawing a figure.
    with _progress(len(pending) + len(figures), "gallery (compute + draw)", progress) as bar:
        draw_ready()
        workers = min(jobs, len(pending))
        if workers <= 1:
            for key, task in pending.items():
                bar.set_postfix_str(task[0].rpartition(":")[2])
                try:
                    results[key] = _compute_entry(task[0], task[1], cache_root, task[2], refresh)
                except Exception as exc:
                    errors[key] = f"{type(exc).__name__}: {_one_line(exc)}"
                    traceback.print_exc(file=sys.stderr)
                bar.update()
                draw_ready()
        else:
            # spawn: workers start clean (no inherited threads or matplotlib state) on every OS.
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_ignore_sigint) as pool:
                try:
                    with _sigint_ignored():  # workers start (spawn) while submitting: born ignoring Ctrl-C
                        futures = {pool.submit(_compute_entry, prod, params, cache_root, fp, refresh): key
                                   for key, (prod, params, fp) in pending.items()}
                    for fut in as_completed(futures):
                        key = futures[fut]
                        try:
                            results[key] = fut.result()
                        except Exception as exc:
                            errors[key] = f"{type(exc).__name__}: {_one_line(exc)}"
                            print(f"memtheory figures: {pending[key][0]} failed: {errors[key]}",
                                  file=sys.stderr)
                        bar.update()
                        draw_ready()
                except KeyboardInterrupt:
                    _stop_pool(pool)
                    raise
        draw_ready()

    report = GalleryReport(out, tuple(outcomes[f.name] for f in figures), tuple(notes),
                           time.perf_counter() - start)
    # A partial run (--only) keeps the figures an earlier run left in ``out`` in the index.
    shown = [outcomes.get(f.name) or _previous(f, out) for f in all_figures]
    listing = dataclasses.replace(report, outcomes=tuple(o for o in shown if o is not None))
    _write_index(listing)
    _write_manifest(listing)
    return report


def _previous(fig: GalleryFigure, out: Path) -> FigureOutcome | None:
    files = tuple(p.name for ext in ("png", "pdf", "npz", "csv") if (p := out / f"{fig.name}.{ext}").is_file())
    return FigureOutcome(fig, "from an earlier run", files=files) if f"{fig.name}.png" in files else None


def _cost(producer: str) -> float:
    try:
        return float(getattr(resolve_producer(producer), "gallery_cost", 1.0))
    except Exception:
        return 1.0


def _merge(parts: list[tuple[str, tuple]]) -> tuple[dict, bool, float]:
    """Merge the main data and the prefixed ``inputs`` data of one figure."""
    data: dict = {}
    hit, seconds = True, 0.0
    for prefix, (values, part_hit, part_seconds) in parts:
        data.update({(f"{prefix}_{k}" if prefix else k): v for k, v in values.items()})
        hit = hit and part_hit
        seconds += part_seconds if np.isfinite(part_seconds) else 0.0
    return data, hit, seconds


def _check_needs(figures: Sequence[GalleryFigure]) -> tuple[list[GalleryFigure], list[str]]:
    keep, notes = [], []
    for fig in figures:
        missing = [m for m in fig.needs if importlib.util.find_spec(m) is None]
        if missing:
            notes.append(f"skipped figure {fig.name}: needs {', '.join(missing)} (not installed)")
        else:
            keep.append(fig)
    return keep, notes


def _draw(fig: GalleryFigure, result, error: str | None, out: Path, formats) -> FigureOutcome:
    if result is None:
        return FigureOutcome(fig, "failed", error=error or "no data")
    data, hit, seconds = result
    missing = [k for k in fig.data_keys if k not in data]
    if missing:  # the caption names quantities the saved data would not carry
        return FigureOutcome(fig, "failed", seconds, (), f"data lack the caption's keys {', '.join(missing)}")
    import matplotlib.pyplot as plt

    files: list[str] = []
    try:
        with style_context():
            figure = fig.plot(dict(data))
            try:
                for fmt in formats:
                    path = out / f"{fig.name}.{fmt}"
                    figure.savefig(path, metadata=_metadata(fig, fmt))
                    files.append(path.name)
            finally:
                plt.close(figure)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return FigureOutcome(fig, "failed", seconds, tuple(files), f"plot: {type(exc).__name__}: {_one_line(exc)}")
    files.extend(_write_data(fig.name, data, out))
    if fig.extra_outputs is not None:
        try:
            files.extend(fig.extra_outputs(dict(data), out))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            return FigureOutcome(fig, "failed", seconds, tuple(files),
                                 f"extra outputs: {type(exc).__name__}: {_one_line(exc)}")
    return FigureOutcome(fig, "cached" if hit else "computed", seconds, tuple(files))


def _metadata(fig: GalleryFigure, fmt: str) -> dict:
    # PDF/PNG metadata with no timestamps, so reruns with the same data give byte-identical files.
    if fmt == "pdf":
        return {"Title": fig.title, "Creator": "memtheory figures", "CreationDate": None}
    if fmt == "png":
        return {"Title": fig.title, "Software": "memtheory figures"}
    return {}


def _write_data(name: str, data: dict, out: Path) -> list[str]:
    arrays = {k: np.asarray(v) for k, v in data.items()}
    np.savez_compressed(out / f"{name}.npz", **arrays)
    files = [f"{name}.npz"]
    columns = {k: v for k, v in arrays.items() if v.ndim == 1}
    scalars = {k: v.item() for k, v in arrays.items() if v.ndim == 0}
    lengths = {v.shape[0] for v in columns.values()}
    if columns and len(lengths) == 1 and len(columns) + len(scalars) == len(arrays):
        with open(out / f"{name}.csv", "w", newline="") as f:
            for k, v in scalars.items():
                f.write(f"# {k} = {v}\n")
            writer = csv.writer(f)
            writer.writerow(columns)
            writer.writerows(zip(*(c.tolist() for c in columns.values())))
        files.append(f"{name}.csv")
    return files


def _params_table(params) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(json.dumps(v, default=str))}</td></tr>"
        for k, v in params.items())
    return f"<table class='params'>{rows}</table>"


def _inputs_html(fig: GalleryFigure) -> str:
    parts = []
    for prefix, (producer, params) in dict(fig.inputs).items():
        parts.append(f"<p class='meta'>Input <code>{html.escape(prefix)}</code> (keys <code>{html.escape(prefix)}_*"
                     f"</code>): producer <code>{html.escape(producer)}</code></p>{_params_table(params)}")
    return "".join(parts)


_CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
figure{border-top:1px solid #ccc;margin:2em 0;padding-top:1em}
figure img{max-width:100%;height:auto}
figcaption{margin-top:.5em;line-height:1.4}
table.params{border-collapse:collapse;font-size:.85em;margin-top:.5em}
table.params th,table.params td{border:1px solid #ddd;padding:2px 6px;text-align:left}
.meta{color:#555;font-size:.85em}.failed{color:#b00}.notes li{color:#555}
"""


def _write_index(report: GalleryReport) -> None:
    parts = ["<!doctype html><html><head><meta charset='utf-8'>",
             "<title>memtheory figure gallery</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>memtheory figure gallery</h1>",
             "<p class='meta'>Generated by <code>memtheory figures</code>. Each figure links to its PDF "
             "and the data behind it; the parameter table lists every argument of the producer that "
             "computed the data.</p>"]
    toc = "".join(f"<li><a href='#{html.escape(o.figure.name)}'>{html.escape(o.figure.title)}</a>"
                  f"{' (failed)' if o.status == 'failed' else ''}</li>" for o in report.outcomes)
    parts.append(f"<ol>{toc}</ol>")
    if report.notes:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in report.notes)
        parts.append(f"<h2>Notes</h2><ul class='notes'>{notes}</ul>")
    for o in report.outcomes:
        fig = o.figure
        name = html.escape(fig.name)
        parts.append(f"<figure id='{name}'><h2>{html.escape(fig.title)}</h2>")
        if o.status == "failed":
            parts.append(f"<p class='failed'>Not produced: {html.escape(o.error)}</p>")
        if f"{fig.name}.png" in o.files:
            parts.append(f"<a href='{name}.png'><img src='{name}.png' alt='{html.escape(fig.title)}'></a>")
        links = " · ".join(f"<a href='{html.escape(f)}'>{html.escape(f)}</a>" for f in o.files)
        parts.append(f"<figcaption><p>{html.escape(fig.caption)}</p>"
                     f"<p class='meta'>Files: {links or '—'}<br>Producer: <code>{html.escape(fig.producer)}</code>"
                     f" · group <code>{html.escape(fig.group)}</code> · data {o.status}"
                     f"{'' if not np.isfinite(o.compute_seconds) else f' (compute {o.compute_seconds:.1f} s)'}"
                     f"</p>{_params_table(fig.params)}{_inputs_html(fig)}</figcaption></figure>")
    parts.append("</body></html>")
    (report.out / "index.html").write_text("\n".join(parts), encoding="utf-8")


def _write_manifest(report: GalleryReport) -> None:
    manifest = {
        "figures": [{"name": o.figure.name, "title": o.figure.title, "group": o.figure.group,
                     "caption": o.figure.caption, "producer": o.figure.producer,
                     "params": json.loads(canonical_json(dict(o.figure.params))), "status": o.status,
                     "inputs": {k: {"producer": prod, "params": json.loads(canonical_json(dict(p)))}
                                for k, (prod, p) in dict(o.figure.inputs).items()},
                     "files": list(o.files), "error": o.error} for o in report.outcomes],
        "notes": list(report.notes),
    }
    (report.out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
